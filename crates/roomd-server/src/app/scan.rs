//! Check-in by scanning a board's code with a phone signed in to the app. The code's
//! address (`/app/scan?t=…`) shows the person's meeting in the board's room with one
//! button, and the button checks them in (`signType` 2, QR) by the store method the
//! board's public check-in page calls, the code's age checked again as that page does.
//! A phone not signed in to the app goes on to that page (account and password).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use roomd_core::DomainError;
use roomd_core::meeting::{Meeting, SignTarget, SignType};
use roomd_core::room::Room;
use roomd_store::StoreError;
use serde::Deserialize;

use super::BASE;
use super::person::{Me, Person, Posted};
use super::shown::hours;
use super::words::Words;
use crate::board::checkin;
use crate::state::AppState;
use crate::web::{Notice, Page, render};

#[derive(Debug, Deserialize)]
pub struct ScanQuery {
    t: Option<String>,
    lang: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ScanForm {
    t: String,
}

#[derive(Template)]
#[template(path = "app/scan.html")]
struct ScanPage<'a> {
    page: Page<'a>,
    w: &'static Words,
    me: Option<Me<'a>>,
    csrf: &'a str,
    token: &'a str,
    subject: &'a str,
    room: &'a str,
    /// `09:00–10:00`, in the room's zone.
    time: String,
    checked_in: bool,
}

/// GET /app/scan?t=… — the person's meeting in the board's room, and the button; without
/// a session, the board's public check-in page.
pub async fn page(State(app): State<AppState>, person: Option<Person>, Query(q): Query<ScanQuery>) -> Response {
    let token = q.t.unwrap_or_default();
    let Some(person) = person else {
        return Redirect::to(&checkin::page_for(&token, q.lang.as_deref())).into_response();
    };
    let (room, meeting) = match yours(&app, &person, &token).await {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    let me = meeting.attendances.iter().find(|a| a.user.as_ref() == Some(&person.s.user.id));
    let checked_in = me.is_some_and(|a| a.sign_in.is_some());
    let notice = checked_in.then(|| Notice::ok(person.w().scan_already)).flatten();
    let query = serde_urlencoded::to_string([("t", token.as_str())]).unwrap_or_default();
    let page = person.page_at(&format!("/scan?{query}"), person.t().checkin_title).with_notice(notice);
    let time = hours(&meeting);
    let (subject, w, me) = (&meeting.subject, person.w(), person.me());
    render(
        StatusCode::OK,
        &ScanPage { page, w, me, csrf: &person.s.csrf, token: &token, subject, room: &room.name, time, checked_in },
    )
}

/// POST /app/scan `t` — checks the person in to their meeting in the board's room; home,
/// which says so.
pub async fn check_in(State(app): State<AppState>, p: Posted<ScanForm>) -> Response {
    let (person, t) = (&p.person, p.person.t());
    let (_, meeting) = match yours(&app, person, &p.form.t).await {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    let me = SignTarget::User(person.s.user.id.clone());
    match app.store.sign_in_meeting(&person.s.caller, meeting.id, me, SignType::Qr, String::new()).await {
        Ok(_) => Redirect::to(&format!("{BASE}/?done=checked-in")).into_response(),
        Err(StoreError::Domain(DomainError::MeetingState)) => {
            person.message(StatusCode::CONFLICT, t.checkin_title, person.w().checkin_closed)
        }
        Err(StoreError::Domain(DomainError::AttendanceNotExist)) => {
            person.message(StatusCode::UNPROCESSABLE_ENTITY, t.checkin_title, t.not_invited)
        }
        Err(e) => person.failed(&e),
    }
}

/// The board's room and its meeting open for check-in that lists the person; else the
/// page that says why not: a code expired or not a board's, a board of another company,
/// no meeting open, or none listing the person.
async fn yours(app: &AppState, person: &Person, token: &str) -> Result<(Room, Meeting), Response> {
    let t = person.t();
    let refused = |status, text| person.message(status, t.checkin_title, text);
    let (board, device) = match checkin::verified(app, token).await {
        Ok(Some(found)) => found,
        Ok(None) => return Err(refused(StatusCode::GONE, t.checkin_expired)),
        Err(e) => return Err(person.failed(&e)),
    };
    // Another company's board: none of its meetings is this person's to check in to.
    if board.company != person.s.caller.company {
        return Err(refused(StatusCode::UNPROCESSABLE_ENTITY, t.not_invited));
    }
    let open = match checkin::open_now(app, &board, &device).await {
        Ok(open) => open,
        Err(e) => return Err(person.failed(&e)),
    };
    let Some((room, open)) = open.filter(|(_, open)| !open.is_empty()) else {
        return Err(refused(StatusCode::CONFLICT, t.checkin_none));
    };
    let listed = |m: &Meeting| m.attendances.iter().any(|a| a.user.as_ref() == Some(&person.s.user.id));
    match open.into_iter().find(listed) {
        Some(meeting) => Ok((room, meeting)),
        None => Err(refused(StatusCode::UNPROCESSABLE_ENTITY, t.not_invited)),
    }
}
