//! Check-in by QR (签到 signType 2): the board shows a code that changes every minute;
//! an attendee scans it with a phone, signs in with account and password on this page,
//! and is marked present in the room's meeting of the moment.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use roomd_core::board::{Device, checkin_token_device, verify_checkin_token};
use roomd_core::meeting::{Meeting, SignTarget, SignType};
use roomd_core::onboarding::Lang;
use roomd_core::time::local_date;
use roomd_core::{Caller, DomainError};
use roomd_store::StoreError;
use serde::Deserialize;

use crate::extract::PeerIp;
use crate::html::esc;
use crate::onboarding::page_lang;
use crate::state::AppState;

pub const PAGE: &str = "/board/checkin";

#[derive(Debug, Deserialize)]
pub struct TokenQuery {
    t: Option<String>,
    lang: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct SignInForm {
    account: Option<String>,
    password: Option<String>,
}

/// The page and image links for a board's code of this minute.
pub fn links(app: &AppState, token: &str) -> (String, String) {
    let base = app.views.public_url();
    (format!("{base}{PAGE}?t={token}"), format!("{base}{PAGE}/qr.png?t={token}"))
}

/// GET /board/checkin/qr.png?t=… — the code itself, for the board to show.
pub async fn qr_png(State(app): State<AppState>, Query(q): Query<TokenQuery>) -> Response {
    let token = q.t.unwrap_or_default();
    match verified(&app, &token).await {
        Ok(Some(_)) => {}
        Ok(None) => return (StatusCode::NOT_FOUND, "expired or unknown check-in code").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "check-in code");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    }
    let (url, _) = links(&app, &token);
    match tokio::task::spawn_blocking(move || crate::qr::render(&url, None)).await {
        Ok(Ok(png)) => {
            ([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "no-store")], png).into_response()
        }
        _ => (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response(),
    }
}

/// GET /board/checkin?t=… — who is checking in to what.
pub async fn show(State(app): State<AppState>, Query(q): Query<TokenQuery>, headers: HeaderMap) -> Response {
    let lang = page_lang(q.lang.as_deref(), &headers);
    let token = q.t.unwrap_or_default();
    let (caller, device) = match verified(&app, &token).await {
        Ok(Some(found)) => found,
        Ok(None) => return expired(lang),
        Err(e) => return failed(lang, e),
    };
    match meetings_now(&app, &caller, &device).await {
        Ok(open) => match open.first() {
            Some(m) => form(lang, &token, m, "", "", StatusCode::OK),
            None => page(lang, StatusCode::OK, words(lang).none, ""),
        },
        Err(e) => failed(lang, e),
    }
}

/// POST /board/checkin?t=… `account`, `password` — checks the attendee in.
pub async fn submit(
    State(app): State<AppState>,
    PeerIp(ip): PeerIp,
    Query(q): Query<TokenQuery>,
    headers: HeaderMap,
    Form(f): Form<SignInForm>,
) -> Response {
    let (lang, w) = (page_lang(q.lang.as_deref(), &headers), words(page_lang(q.lang.as_deref(), &headers)));
    let token = q.t.unwrap_or_default();
    let (caller, device) = match verified(&app, &token).await {
        Ok(Some(found)) => found,
        Ok(None) => return expired(lang),
        Err(e) => return failed(lang, e),
    };
    let open = match meetings_now(&app, &caller, &device).await {
        Ok(open) => open,
        Err(e) => return failed(lang, e),
    };
    let Some(first) = open.first() else { return page(lang, StatusCode::OK, w.none, "") };
    let account = f.account.unwrap_or_default().trim().to_string();
    // Against guessing passwords: a few tries a minute per account and per address.
    if !app.limits.public_post(ip) || !app.limits.login(caller.company.as_str(), &account) {
        return form(lang, &token, first, &account, w.too_many, StatusCode::TOO_MANY_REQUESTS);
    }
    let user = match app.store.check_password(&caller, account.clone(), f.password.unwrap_or_default()).await {
        Ok(Some(user)) => user,
        Ok(None) => return form(lang, &token, first, &account, w.bad_login, StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => return failed(lang, e),
    };
    // The open meeting (current or starting soon) the attendee is on.
    let on_list = |m: &&Meeting| m.attendances.iter().any(|a| a.user.as_ref() == Some(&user.id));
    let meeting = open.iter().find(on_list).unwrap_or(first);
    let target = SignTarget::User(user.id.clone());
    match app.store.sign_in_meeting(&caller, meeting.id.clone(), target, SignType::Qr, String::new()).await {
        Ok(m) => page(lang, StatusCode::OK, w.done, &format!("{} · {}", esc(&user.name), esc(&m.subject))),
        Err(StoreError::Domain(DomainError::AttendanceNotExist)) => {
            form(lang, &token, meeting, &account, w.not_invited, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => failed(lang, e),
    }
}

/// The board behind a token that is its own and at most a few minutes old; `None` for
/// any other token. Only a failure of roomd's own is an error.
async fn verified(app: &AppState, token: &str) -> Result<Option<(Caller, Device)>, StoreError> {
    let Some(device) = checkin_token_device(token) else { return Ok(None) };
    let (caller, device) = match app.store.device_by_id(device.to_string()).await {
        Ok(found) => found,
        Err(StoreError::Domain(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    Ok(verify_checkin_token(token, &device.qr_secret, app.now_ms()).then_some((caller, device)))
}

/// The bound room's meetings open for check-in now (from 15 minutes before the start).
async fn meetings_now(app: &AppState, caller: &Caller, device: &Device) -> Result<Vec<Meeting>, StoreError> {
    let Some(room) = device.room.clone() else { return Ok(Vec::new()) };
    let now = app.now_ms();
    let (_, day) = app.store.room_day(caller, room, local_date(now, caller.tz)).await?;
    Ok(day.open_for_check_in(now).cloned().collect())
}

struct Words {
    title: &'static str,
    account: &'static str,
    password: &'static str,
    submit: &'static str,
    done: &'static str,
    none: &'static str,
    expired: &'static str,
    bad_login: &'static str,
    not_invited: &'static str,
    too_many: &'static str,
    failed: &'static str,
}

fn words(lang: Lang) -> &'static Words {
    const ZH: Words = Words {
        title: "会议签到",
        account: "账号",
        password: "密码",
        submit: "签到",
        done: "签到成功",
        none: "这个会议室现在没有可以签到的会议。",
        failed: "签到没有成功，请稍后重试。",
        expired: "二维码已过期，请重新扫描会议室门口的二维码。",
        bad_login: "账号或密码不正确。",
        not_invited: "你不在这个会议的参会人名单中。",
        too_many: "尝试次数过多，请一分钟后再试。",
    };
    const EN: Words = Words {
        title: "Meeting check-in",
        account: "Account",
        password: "Password",
        submit: "Check in",
        done: "You are checked in",
        none: "No meeting in this room is open for check-in now.",
        failed: "The check-in did not go through; try again shortly.",
        expired: "This code has expired: scan the code at the room's door again.",
        bad_login: "Wrong account or password.",
        not_invited: "You are not on this meeting's list of attendees.",
        too_many: "Too many tries: wait a minute and try again.",
    };
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

fn form(lang: Lang, token: &str, m: &Meeting, account: &str, error: &str, status: StatusCode) -> Response {
    let w = words(lang);
    let alert = if error.is_empty() { String::new() } else { format!("<p class=\"error\" role=\"alert\">{error}</p>") };
    let body = format!(
        "<p class=\"subject\">{}</p>{alert}<form method=\"post\" action=\"{PAGE}?t={}\">\
         <label for=\"account\">{}</label><input id=\"account\" name=\"account\" autocomplete=\"username\" value=\"{}\" required>\
         <label for=\"password\">{}</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\
         <button type=\"submit\">{}</button></form>",
        esc(&m.subject),
        esc(token),
        w.account,
        esc(account),
        w.password,
        w.submit
    );
    page(lang, status, w.title, &body)
}

fn expired(lang: Lang) -> Response {
    page(lang, StatusCode::GONE, words(lang).title, &format!("<p role=\"status\">{}</p>", words(lang).expired))
}

fn failed(lang: Lang, e: StoreError) -> Response {
    tracing::warn!(error = %e, "QR check-in");
    let (why, status) = match e {
        StoreError::Domain(DomainError::MeetingState) => (words(lang).none, StatusCode::CONFLICT),
        StoreError::Domain(_) => (words(lang).failed, StatusCode::CONFLICT),
        StoreError::Unavailable(_) => (words(lang).failed, StatusCode::SERVICE_UNAVAILABLE),
        StoreError::Internal(_) => (words(lang).failed, StatusCode::INTERNAL_SERVER_ERROR),
    };
    page(lang, status, words(lang).title, &format!("<p role=\"status\">{why}</p>"))
}

fn page(lang: Lang, status: StatusCode, title: &str, body: &str) -> Response {
    let html_lang = if lang == Lang::Zh { "zh-CN" } else { "en" };
    let html = format!(
        "<!doctype html><html lang=\"{html_lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{0}</title><style>{STYLE}</style>\
         </head><body><main><h1>{0}</h1>{body}</main></body></html>",
        esc(title)
    );
    (status, Html(html)).into_response()
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8}main{max-width:28rem;margin:0 auto;\
padding:1.25rem;background:#fff;min-height:100vh;box-sizing:border-box}form{display:flex;flex-direction:column;gap:.5rem}\
input{font-size:1rem;padding:.6rem;border:1px solid #d0d3d6;border-radius:.4rem}label{font-weight:600;margin-top:.5rem}\
button{margin-top:1rem;font-size:1.1rem;padding:.8rem;background:#3370ff;color:#fff;border:0;border-radius:.5rem}\
.subject{font-size:1.2rem;font-weight:600}.error{color:#d83931}";
