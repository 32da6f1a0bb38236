//! Signing in: the one-time setup link printed on the first start (sets the first
//! admin's password), the sign-in form with lockout after repeated failures, sign-out.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use roomd_core::CompanyId;
use roomd_core::directory::User;
use roomd_core::onboarding::Lang;
use roomd_store::SignInRefused;
use serde::Deserialize;

use super::page::{Empty, MessagePage, Posted, failed_page};
use super::{BASE, session_cookie, set_cookie};
use crate::extract::PeerIp;
use crate::state::AppState;
use crate::web::{Console, Notice, Page, other_lang, page_lang, render};

#[derive(Debug, Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
    token: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct SetupForm {
    token: Option<String>,
    password: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    company: Option<String>,
    account: Option<String>,
    password: Option<String>,
}

#[derive(Template)]
#[template(path = "console/login.html")]
struct LoginPage<'a> {
    page: Page<'a>,
    company: &'a str,
    account: &'a str,
    /// The app's sign-in for the same person (after a setup link, for an admin).
    app_link: Option<String>,
}

#[derive(Template)]
#[template(path = "console/setup.html")]
struct SetupPage<'a> {
    page: Page<'a>,
    token: &'a str,
    account: &'a str,
}

/// The frame of the pages before signing in: the console's name, no sections.
fn frame(lang: Lang, title: &'static str, switch: String, notice: Option<Notice>) -> Page<'static> {
    Page { console: Some(Console { nav: Vec::new(), who: None }), ..Page::public(lang, title, switch) }
        .with_notice(notice)
}

fn login_form(lang: Lang, notice: Option<Notice>, company: &str, account: &str, status: StatusCode) -> Response {
    let t = crate::web::words(lang);
    let page = frame(lang, t.sign_in, format!("{BASE}/login?lang={}", other_lang(lang)), notice);
    render(status, &LoginPage { page, company, account, app_link: None })
}

/// The setup form for `user`: in the console's frame for an admin, in a plain one for
/// anybody else (a person who will use the app, never the console).
fn setup_form(lang: Lang, notice: Option<Notice>, token: &str, user: &User, status: StatusCode) -> Response {
    let t = crate::web::words(lang);
    let switch = format!(
        "{BASE}/setup?{}",
        serde_urlencoded::to_string([("token", token), ("lang", other_lang(lang))]).unwrap_or_default()
    );
    let page = match user.is_admin {
        true => frame(lang, t.setup_title, switch, notice),
        false => Page::public(lang, t.setup_title, switch).with_notice(notice),
    };
    render(status, &SetupPage { page, token, account: &user.account })
}

/// Where a person goes once their password is set: an admin to the console's sign-in
/// (with the app's beside it), anybody else to the app's, the company and login filled in.
fn password_set(lang: Lang, company: &CompanyId, user: &User) -> Response {
    let query = [("company", company.as_str()), ("login", user.account.as_str()), ("set", "1")];
    let app_login = format!("{}/login?{}", crate::app::BASE, serde_urlencoded::to_string(query).unwrap_or_default());
    if !user.is_admin {
        return Redirect::to(&app_login).into_response();
    }
    let t = crate::web::words(lang);
    let page = frame(lang, t.sign_in, format!("{BASE}/login?lang={}", other_lang(lang)), Notice::ok(t.setup_done));
    let (company, account) = (company.as_str(), user.account.as_str());
    render(StatusCode::OK, &LoginPage { page, company, account, app_link: Some(app_login) })
}

fn link_gone(lang: Lang) -> Response {
    let t = crate::web::words(lang);
    let page =
        frame(lang, t.setup_title, format!("{BASE}/login?lang={}", other_lang(lang)), Notice::error(t.link_gone));
    render(StatusCode::GONE, &MessagePage { page, back: format!("{BASE}/login") })
}

/// GET /meeting/manage/setup?token=…
pub async fn setup_page(State(app): State<AppState>, Query(q): Query<LangQuery>, headers: HeaderMap) -> Response {
    let lang = page_lang(q.lang.as_deref(), &headers);
    let token = q.token.unwrap_or_default();
    match app.store.setup_link_user(token.clone()).await {
        Ok(Some((_, user))) => setup_form(lang, None, &token, &user, StatusCode::OK),
        Ok(None) => link_gone(lang),
        Err(e) => failed_page(lang, &e),
    }
}

/// POST /meeting/manage/setup `token`, `password`
pub async fn setup(
    State(app): State<AppState>,
    PeerIp(ip): PeerIp,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    Form(f): Form<SetupForm>,
) -> Response {
    let lang = page_lang(q.lang.as_deref(), &headers);
    let t = crate::web::words(lang);
    let token = f.token.unwrap_or_default();
    let (company, user) = match app.store.setup_link_user(token.clone()).await {
        Ok(Some(found)) => found,
        Ok(None) => return link_gone(lang),
        Err(e) => return failed_page(lang, &e),
    };
    if !app.limits.sign_in(ip) {
        return setup_form(lang, Notice::error(t.too_many), &token, &user, StatusCode::TOO_MANY_REQUESTS);
    }
    match app.store.use_setup_link(token.clone(), f.password.unwrap_or_default()).await {
        Ok(user) => password_set(lang, &company, &user),
        Err(roomd_store::StoreError::Domain(_)) => {
            setup_form(lang, Notice::error(t.setup_hint), &token, &user, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => failed_page(lang, &e),
    }
}

/// GET /meeting/manage/login
pub async fn login_page(Query(q): Query<LangQuery>, headers: HeaderMap) -> Response {
    login_form(page_lang(q.lang.as_deref(), &headers), None, "1000", "", StatusCode::OK)
}

/// POST /meeting/manage/login `company`, `account`, `password`
pub async fn login(
    State(app): State<AppState>,
    PeerIp(ip): PeerIp,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let lang = page_lang(q.lang.as_deref(), &headers);
    let t = crate::web::words(lang);
    let (company, account) =
        (f.company.unwrap_or_default().trim().to_string(), f.account.unwrap_or_default().trim().to_string());
    let refused = |why: &str, status| login_form(lang, Notice::error(why), &company, &account, status);
    if crate::web::form::cross_site(&headers) {
        return refused(t.expired_form, StatusCode::FORBIDDEN);
    }
    if !app.limits.sign_in(ip) {
        return refused(t.too_many, StatusCode::TOO_MANY_REQUESTS);
    }
    match app.store.console_sign_in(company.clone(), account.clone(), f.password.unwrap_or_default()).await {
        Ok(Ok(token)) => {
            let cookie = set_cookie(&token, secure_cookies(&app));
            ([(header::SET_COOKIE, cookie)], Redirect::to(&format!("{BASE}/settings/openApi"))).into_response()
        }
        Ok(Err(SignInRefused::Invalid)) => refused(t.bad_login, StatusCode::UNAUTHORIZED),
        Ok(Err(SignInRefused::Locked { .. })) => refused(t.locked, StatusCode::TOO_MANY_REQUESTS),
        Err(e) => failed_page(lang, &e),
    }
}

/// Cookies carry `Secure` when clients reach roomd over https (`--public-url`).
fn secure_cookies(app: &AppState) -> bool {
    app.views.public_url().starts_with("https://")
}

/// POST /meeting/manage/logout
pub async fn logout(State(app): State<AppState>, headers: HeaderMap, p: Posted<Empty>) -> Response {
    if let Some(token) = session_cookie(&headers)
        && let Err(e) = app.store.console_sign_out(token).await
    {
        // The session would outlive the cookie: say so rather than pretend.
        return failed_page(p.admin.lang, &e);
    }
    ([(header::SET_COOKIE, set_cookie("", secure_cookies(&app)))], Redirect::to(&format!("{BASE}/login")))
        .into_response()
}
