//! Check-in by QR (签到 signType 2): the board shows a code that changes every minute;
//! an attendee scans it with a phone, signs in with account and password on this page,
//! and is marked present in the room's meeting of the moment. The code leads through the
//! employees' app (`/app/scan`, `app::scan`): a phone signed in to the app checks in
//! there with one tap, any other comes on to this page.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use roomd_core::board::{Device, checkin_token_device, verify_checkin_token};
use roomd_core::meeting::{Meeting, SignTarget, SignType};
use roomd_core::onboarding::Lang;
use roomd_core::room::Room;
use roomd_core::{Caller, DomainError};
use roomd_store::StoreError;
use serde::Deserialize;

use crate::extract::PeerIp;
use crate::state::AppState;
use crate::web::{Notice, NoticePage, Page, page_lang, render, words};

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
    (format!("{base}{}?t={token}", crate::app::SCAN), format!("{base}{PAGE}/qr.png?t={token}"))
}

/// This page for `token`, in `lang` when one was asked for: where the app sends a phone
/// not signed in to it.
pub fn page_for(token: &str, lang: Option<&str>) -> String {
    let query = [("t", Some(token)), ("lang", lang)];
    let query: Vec<(&str, &str)> = query.into_iter().filter_map(|(k, v)| Some((k, v?))).collect();
    format!("{PAGE}?{}", serde_urlencoded::to_string(query).unwrap_or_default())
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
        Ok(None) => return expired(lang, &token),
        Err(e) => return failed(lang, &token, e),
    };
    match meetings_now(&app, &caller, &device).await {
        Ok(open) => match open.first() {
            Some(m) => form(lang, &token, m, "", None, StatusCode::OK),
            None => notice(lang, &token, StatusCode::OK, Notice::ok(words(lang).checkin_none)),
        },
        Err(e) => failed(lang, &token, e),
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
    let lang = page_lang(q.lang.as_deref(), &headers);
    let t = words(lang);
    let token = q.t.unwrap_or_default();
    let (caller, device) = match verified(&app, &token).await {
        Ok(Some(found)) => found,
        Ok(None) => return expired(lang, &token),
        Err(e) => return failed(lang, &token, e),
    };
    let open = match meetings_now(&app, &caller, &device).await {
        Ok(open) => open,
        Err(e) => return failed(lang, &token, e),
    };
    let Some(first) = open.first() else {
        return notice(lang, &token, StatusCode::OK, Notice::ok(t.checkin_none));
    };
    let account = f.account.unwrap_or_default().trim().to_string();
    // Against guessing passwords: a few tries a minute per account and per address.
    if !app.limits.public_post(ip) || !app.limits.login(caller.company.as_str(), &account) {
        return form(lang, &token, first, &account, Notice::error(t.too_many), StatusCode::TOO_MANY_REQUESTS);
    }
    let user = match app.store.check_password(&caller, account.clone(), f.password.unwrap_or_default()).await {
        Ok(Some(user)) => user,
        Ok(None) => {
            let why = Notice::error(t.checkin_bad_login);
            return form(lang, &token, first, &account, why, StatusCode::UNPROCESSABLE_ENTITY);
        }
        Err(e) => return failed(lang, &token, e),
    };
    // The open meeting (current or starting soon) the attendee is on.
    let on_list = |m: &&Meeting| m.attendances.iter().any(|a| a.user.as_ref() == Some(&user.id));
    let meeting = open.iter().find(on_list).unwrap_or(first);
    let target = SignTarget::User(user.id.clone());
    match app.store.sign_in_meeting(&caller, meeting.id.clone(), target, SignType::Qr, String::new()).await {
        Ok(m) => {
            let page = Page::public(lang, t.checkin_done, switch(lang, &token))
                .with_notice(Notice::ok(format!("{} · {}", user.name, m.subject)));
            render(StatusCode::OK, &NoticePage { page })
        }
        Err(StoreError::Domain(DomainError::AttendanceNotExist)) => {
            form(lang, &token, meeting, &account, Notice::error(t.not_invited), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => failed(lang, &token, e),
    }
}

/// The board behind a token that is its own and at most a few minutes old; `None` for
/// any other token. Only a failure of roomd's own is an error.
pub(crate) async fn verified(app: &AppState, token: &str) -> Result<Option<(Caller, Device)>, StoreError> {
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
    Ok(open_now(app, caller, device).await?.map(|(_, open)| open).unwrap_or_default())
}

/// The bound room, if any, and its meetings open for check-in now.
pub(crate) async fn open_now(
    app: &AppState,
    caller: &Caller,
    device: &Device,
) -> Result<Option<(Room, Vec<Meeting>)>, StoreError> {
    let Some(room) = device.room.clone() else { return Ok(None) };
    let now = app.now_ms();
    let (room, day) = app.store.room_day(caller, room, None).await?;
    let open = day.open_for_check_in(now).cloned().collect();
    Ok(Some((room, open)))
}

#[derive(Template)]
#[template(path = "public/checkin.html")]
struct CheckinPage<'a> {
    page: Page<'a>,
    subject: &'a str,
    token: &'a str,
    account: &'a str,
}

/// The same page in the other language.
fn switch(lang: Lang, token: &str) -> String {
    let other = crate::web::other_lang(lang);
    format!("{PAGE}?{}", serde_urlencoded::to_string([("t", token), ("lang", other)]).unwrap_or_default())
}

fn form(lang: Lang, token: &str, m: &Meeting, account: &str, notice: Option<Notice>, status: StatusCode) -> Response {
    let page = Page::public(lang, words(lang).checkin_title, switch(lang, token)).with_notice(notice);
    render(status, &CheckinPage { page, subject: &m.subject, token, account })
}

/// The page with only a line on it.
fn notice(lang: Lang, token: &str, status: StatusCode, notice: Option<Notice>) -> Response {
    let page = Page::public(lang, words(lang).checkin_title, switch(lang, token)).with_notice(notice);
    render(status, &NoticePage { page })
}

fn expired(lang: Lang, token: &str) -> Response {
    notice(lang, token, StatusCode::GONE, Notice::error(words(lang).checkin_expired))
}

fn failed(lang: Lang, token: &str, e: StoreError) -> Response {
    tracing::warn!(error = %e, "QR check-in");
    let t = words(lang);
    let (why, status) = match e {
        StoreError::Domain(DomainError::MeetingState) => (t.checkin_none, StatusCode::CONFLICT),
        StoreError::Domain(_) => (t.checkin_failed, StatusCode::CONFLICT),
        StoreError::Unavailable(_) => (t.checkin_failed, StatusCode::SERVICE_UNAVAILABLE),
        StoreError::Internal(_) => (t.checkin_failed, StatusCode::INTERNAL_SERVER_ERROR),
    };
    notice(lang, token, status, Notice::error(why))
}
