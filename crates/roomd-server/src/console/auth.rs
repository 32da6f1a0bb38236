//! Signing in: the one-time setup link printed on the first start (sets the first
//! admin's password), the sign-in form with lockout after repeated failures, sign-out.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use roomd_store::SignInRefused;
use serde::Deserialize;

use super::page::{frame, html, note, words};
use super::{Admin, BASE, csrf_ok, session_cookie, set_cookie};
use crate::extract::PeerIp;
use crate::html::esc;
use crate::onboarding::page_lang;
use crate::state::AppState;

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

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: Option<String>,
}

/// GET /meeting/manage/setup?token=…
pub async fn setup_page(State(app): State<AppState>, Query(q): Query<LangQuery>, headers: HeaderMap) -> Response {
    let lang = page_lang(q.lang.as_deref(), &headers);
    let w = words(lang);
    let token = q.token.unwrap_or_default();
    match app.store.setup_link_user(token.clone()).await {
        Ok(Some((_, user))) => {
            html(StatusCode::OK, frame(lang, w.setup_title, None, &setup_form(w, &token, &user.account, "")))
        }
        Ok(None) => html(StatusCode::GONE, frame(lang, w.setup_title, None, &note(false, w.link_gone))),
        Err(_) => super::page::error_page(),
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
    let w = words(lang);
    let token = f.token.unwrap_or_default();
    if !app.limits.sign_in(ip) {
        return html(StatusCode::TOO_MANY_REQUESTS, frame(lang, w.setup_title, None, &note(false, w.too_many)));
    }
    let Ok(Some((company, user))) = app.store.setup_link_user(token.clone()).await else {
        return html(StatusCode::GONE, frame(lang, w.setup_title, None, &note(false, w.link_gone)));
    };
    match app.store.use_setup_link(token.clone(), f.password.unwrap_or_default()).await {
        Ok(_) => {
            let body = format!("{}{}", note(true, w.setup_done), login_form(w, company.as_str(), &user.account));
            html(StatusCode::OK, frame(lang, w.sign_in, None, &body))
        }
        Err(_) => html(
            StatusCode::UNPROCESSABLE_ENTITY,
            frame(lang, w.setup_title, None, &setup_form(w, &token, &user.account, w.setup_hint)),
        ),
    }
}

/// GET /meeting/manage/login
pub async fn login_page(Query(q): Query<LangQuery>, headers: HeaderMap) -> Response {
    let lang = page_lang(q.lang.as_deref(), &headers);
    let w = words(lang);
    html(StatusCode::OK, frame(lang, w.sign_in, None, &login_form(w, "1000", "")))
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
    let w = words(lang);
    let (company, account) =
        (f.company.unwrap_or_default().trim().to_string(), f.account.unwrap_or_default().trim().to_string());
    let refused = |why: &str, status| {
        let body = format!("{}{}", note(false, why), login_form(w, &company, &account));
        html(status, frame(lang, w.sign_in, None, &body))
    };
    if !app.limits.sign_in(ip) {
        return refused(w.too_many, StatusCode::TOO_MANY_REQUESTS);
    }
    match app.store.console_sign_in(company.clone(), account.clone(), f.password.unwrap_or_default()).await {
        Ok(Ok(token)) => {
            let cookie = set_cookie(&token, secure_cookies(&app));
            ([(header::SET_COOKIE, cookie)], Redirect::to(&format!("{BASE}/settings/openApi"))).into_response()
        }
        Ok(Err(SignInRefused::Invalid)) => refused(w.bad_login, StatusCode::UNAUTHORIZED),
        Ok(Err(SignInRefused::Locked { .. })) => refused(w.locked, StatusCode::TOO_MANY_REQUESTS),
        Err(e) => {
            tracing::error!(error = %e, "console sign-in");
            super::page::error_page()
        }
    }
}

/// Cookies carry `Secure` when clients reach roomd over https (`--public-url`).
fn secure_cookies(app: &AppState) -> bool {
    app.views.public_url().starts_with("https://")
}

/// POST /meeting/manage/logout
pub async fn logout(
    State(app): State<AppState>,
    Admin(session): Admin,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Response {
    if !csrf_ok(&session, &f.csrf.unwrap_or_default()) {
        return (StatusCode::FORBIDDEN, "expired form").into_response();
    }
    if let Some(token) = session_cookie(&headers)
        && let Err(e) = app.store.console_sign_out(token).await
    {
        // The session would outlive the cookie: say so rather than pretend.
        tracing::error!(error = %e, "console sign-out");
        return super::page::error_page();
    }
    ([(header::SET_COOKIE, set_cookie("", secure_cookies(&app)))], Redirect::to(&format!("{BASE}/login")))
        .into_response()
}

fn setup_form(w: &super::page::Words, token: &str, account: &str, error: &str) -> String {
    let error = if error.is_empty() { String::new() } else { note(false, error) };
    format!(
        "{error}<section><p>{account_label}: <code>{account}</code></p><form method=\"post\" action=\"{BASE}/setup\">\
         <input type=\"hidden\" name=\"token\" value=\"{token}\">\
         <label for=\"password\">{password}</label><input id=\"password\" name=\"password\" type=\"password\" \
         autocomplete=\"new-password\" required minlength=\"8\"><p>{hint}</p><button type=\"submit\">{save}</button></form></section>",
        account_label = w.account,
        account = esc(account),
        token = esc(token),
        password = w.password,
        hint = w.setup_hint,
        save = w.save,
    )
}

fn login_form(w: &super::page::Words, company: &str, account: &str) -> String {
    format!(
        "<section><form method=\"post\" action=\"{BASE}/login\">\
         <label for=\"company\">{company_label}</label><input id=\"company\" name=\"company\" type=\"text\" value=\"{company}\" required>\
         <label for=\"account\">{account_label}</label><input id=\"account\" name=\"account\" type=\"text\" autocomplete=\"username\" value=\"{account}\" required>\
         <label for=\"password\">{password}</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\
         <p><button type=\"submit\">{sign_in}</button></p></form></section>",
        company_label = w.company,
        company = esc(company),
        account_label = w.account,
        account = esc(account),
        password = w.password,
        sign_in = w.sign_in,
    )
}
