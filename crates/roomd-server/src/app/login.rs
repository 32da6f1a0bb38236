//! Signing in to the app (company, then account, phone or email, and password, with the
//! console's lockout) and signing out.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use roomd_core::onboarding::Lang;
use roomd_store::{SignInRefused, Surface};
use serde::Deserialize;

use super::person::{Empty, Me, Person, Posted, failed};
use super::words::{Words as AppWords, words as app_words};
use super::{BASE, secure_cookies, session_cookie, set_cookie};
use crate::extract::PeerIp;
use crate::state::AppState;
use crate::web::{Notice, Page, other_lang, page_lang, render, words};

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    lang: Option<String>,
    company: Option<String>,
    /// The account a setup link was for, filled in.
    login: Option<String>,
    /// Set after signing out: the page says so.
    out: Option<String>,
    /// Set after a setup link set the password: the page says so.
    set: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    company: Option<String>,
    login: Option<String>,
    password: Option<String>,
}

#[derive(Template)]
#[template(path = "app/login.html")]
struct LoginPage<'a> {
    page: Page<'a>,
    w: &'static AppWords,
    me: Option<Me<'a>>,
    company: &'a str,
    login: &'a str,
}

/// The form, its language switch keeping the company typed or given.
fn form(lang: Lang, notice: Option<Notice>, company: &str, login: &str, status: StatusCode) -> Response {
    let query = serde_urlencoded::to_string([("company", company), ("lang", other_lang(lang))]).unwrap_or_default();
    let page = Page::public(lang, words(lang).sign_in, format!("{BASE}/login?{query}")).with_notice(notice);
    render(status, &LoginPage { page, w: app_words(lang), me: None, company, login })
}

/// GET /app/login?company=…&login=… — the form, the company (and login) filled in when
/// the link names them;
/// a person already signed in goes home.
pub async fn page(person: Option<Person>, Query(q): Query<LoginQuery>, headers: HeaderMap) -> Response {
    if person.is_some() {
        return Redirect::to(&format!("{BASE}/")).into_response();
    }
    let lang = page_lang(q.lang.as_deref(), &headers);
    let notice = match (q.out.is_some(), q.set.is_some()) {
        (true, _) => Notice::ok(app_words(lang).signed_out),
        (_, true) => Notice::ok(words(lang).setup_done),
        _ => None,
    };
    let (company, login) = (q.company.as_deref().unwrap_or_default(), q.login.as_deref().unwrap_or_default());
    form(lang, notice, company.trim(), login.trim(), StatusCode::OK)
}

/// POST /app/login `company`, `login`, `password`
pub async fn sign_in(
    State(app): State<AppState>,
    PeerIp(ip): PeerIp,
    Query(q): Query<LoginQuery>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let lang = page_lang(q.lang.as_deref(), &headers);
    let (t, w) = (words(lang), app_words(lang));
    let (company, login) =
        (f.company.unwrap_or_default().trim().to_string(), f.login.unwrap_or_default().trim().to_string());
    let refused = |why: &str, status| form(lang, Notice::error(why), &company, &login, status);
    if crate::web::form::cross_site(&headers) {
        return refused(t.expired_form, StatusCode::FORBIDDEN);
    }
    if !app.limits.sign_in(ip) {
        return refused(t.too_many, StatusCode::TOO_MANY_REQUESTS);
    }
    let password = f.password.unwrap_or_default();
    match app.store.sign_in(Surface::App, company.clone(), login.clone(), password).await {
        Ok(Ok(token)) => {
            let cookie = set_cookie(&token, secure_cookies(&app));
            ([(header::SET_COOKIE, cookie)], Redirect::to(&format!("{BASE}/"))).into_response()
        }
        Ok(Err(SignInRefused::Invalid)) => refused(w.app_bad_login, StatusCode::UNAUTHORIZED),
        Ok(Err(SignInRefused::Locked { .. })) => refused(w.app_locked, StatusCode::TOO_MANY_REQUESTS),
        Err(e) => failed(lang, None, &e),
    }
}

/// POST /app/logout — ends the session, back to the sign-in form for the same company.
pub async fn sign_out(State(app): State<AppState>, headers: HeaderMap, p: Posted<Empty>) -> Response {
    if let Some(token) = session_cookie(&headers)
        && let Err(e) = app.store.sign_out(Surface::App, token).await
    {
        // The session would outlive the cookie: say so rather than pretend.
        return failed(p.person.lang, p.person.me(), &e);
    }
    let company = serde_urlencoded::to_string([("company", p.person.s.caller.company.as_str())]).unwrap_or_default();
    let to = format!("{BASE}/login?{company}&out=1");
    ([(header::SET_COOKIE, set_cookie("", secure_cookies(&app)))], Redirect::to(&to)).into_response()
}
