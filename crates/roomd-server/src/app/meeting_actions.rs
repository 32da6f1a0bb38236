//! What the booker (or an admin) does from a meeting's page: cancel it (or, for a series,
//! it and the later ones, or all), end it early, give it 15 or 30 more minutes. Each goes
//! through the store method `meeting/*` uses, whose rules decide (an attendee's form is
//! refused there as `NotYours`); a refusal is said on the meeting's page, nothing changed.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use roomd_core::DomainError;
use roomd_core::meeting::{CheckedState, Meeting, MeetingPatch, MeetingQuery, Scope};
use roomd_core::time::MINUTE_MS;
use roomd_store::StoreError;
use serde::Deserialize;

use super::meeting::{done, room_of, show, visible};
use super::person::{Person, Posted};
use super::shown::hhmm;
use crate::state::AppState;
use crate::web::Notice;

/// The minutes a meeting may be extended by, in one press.
const EXTENSIONS: [i64; 2] = [15, 30];

#[derive(Debug, Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    reason: String,
    /// For an occurrence of a series: `this`, `following` or `all`.
    scope: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ExtendForm {
    minutes: i64,
}

/// POST /app/meetings/{id}/cancel `reason`, `scope`
pub async fn cancel(State(app): State<AppState>, Path(id): Path<String>, p: Posted<CancelForm>) -> Response {
    let (person, form) = (&p.person, &p.form);
    let m = match visible(&app, person, &id).await {
        Ok(m) => m,
        Err(answer) => return answer,
    };
    let scope = match form.scope.as_deref().map(Scope::parse).transpose() {
        Ok(scope) => scope.unwrap_or_default(),
        Err(e) => return refused(&app, person, m, e.into()).await,
    };
    match app.store.cancel_in_scope(&person.s.caller, m.id.clone(), scope, form.reason.clone()).await {
        Ok(_) => done(&m.id, "cancelled"),
        Err(e) => refused(&app, person, m, e).await,
    }
}

/// POST /app/meetings/{id}/finish — ends it now; the rest of its slot is free again.
pub async fn finish(State(app): State<AppState>, Path(id): Path<String>, p: Posted<super::person::Empty>) -> Response {
    let m = match visible(&app, &p.person, &id).await {
        Ok(m) => m,
        Err(answer) => return answer,
    };
    match app.store.finish_meeting(&p.person.s.caller, m.id.clone()).await {
        Ok(_) => done(&m.id, "finished"),
        Err(e) => refused(&app, &p.person, m, e).await,
    }
}

/// POST /app/meetings/{id}/extend `minutes` (15 or 30) — moves its end, if the room is
/// free and open that long.
pub async fn extend(State(app): State<AppState>, Path(id): Path<String>, p: Posted<ExtendForm>) -> Response {
    let (person, w) = (&p.person, p.person.w());
    let m = match visible(&app, person, &id).await {
        Ok(m) => m,
        Err(answer) => return answer,
    };
    let minutes = p.form.minutes;
    if !EXTENSIONS.contains(&minutes) {
        return person.message(StatusCode::BAD_REQUEST, person.t().failed_title, person.t().bad_form);
    }
    let patch = MeetingPatch { end_ms: Some(m.span.end_ms() + minutes * MINUTE_MS), ..MeetingPatch::default() };
    let said = |text: &str, at: String| text.replace("{minutes}", &minutes.to_string()).replace("{from}", &at);
    match app.store.update_meeting(&person.s.caller, m.id.clone(), patch).await {
        // A room that needs approval takes a moved end back to its queue: said so.
        Ok(after) if after.checked == CheckedState::Pending && m.checked != CheckedState::Pending => {
            done(&m.id, "extended-for-approval")
        }
        Ok(_) => done(&m.id, "extended"),
        Err(StoreError::Domain(DomainError::RoomOccupied)) => match next_booked(&app, person, &m, minutes).await {
            Ok(from) => show(&app, person, m, Notice::error(said(w.m_taken, from)), StatusCode::CONFLICT).await,
            Err(e) => person.failed(&e),
        },
        Err(StoreError::Domain(DomainError::OutsideBookableHours)) => match room_of(&app, person, &m).await {
            Ok(Some(room)) => {
                let why = said(w.m_closes, String::new()).replace("{closes}", &room.closes.to_string());
                show(&app, person, m, Notice::error(why), StatusCode::UNPROCESSABLE_ENTITY).await
            }
            Ok(None) => refused(&app, person, m, DomainError::OutsideBookableHours.into()).await,
            Err(e) => person.failed(&e),
        },
        Err(e) => refused(&app, person, m, e).await,
    }
}

/// `HH:mm` (in the room's zone) at which the meeting that is in the way of `m`'s
/// extension by `minutes` begins.
async fn next_booked(app: &AppState, person: &Person, m: &Meeting, minutes: i64) -> Result<String, StoreError> {
    let filter = MeetingQuery {
        room: Some(m.room.clone()),
        end_after_ms: Some(m.span.end_ms()),
        begin_before_ms: Some(m.span.end_ms() + minutes * MINUTE_MS),
        ..MeetingQuery::default()
    };
    let others = app.store.list_meetings(&person.s.caller, filter).await?;
    let first = others.iter().filter(|o| o.id != m.id && o.occupies()).map(|o| o.span.begin_ms()).min();
    Ok(hhmm(first.unwrap_or(m.span.end_ms()).max(m.span.end_ms()), m.time_zone))
}

/// The meeting's page saying why the store refused (422, or 409 for a meeting whose
/// state or room is in the way, 403 for someone else's); roomd's own failure as its apology.
pub(super) async fn refused(app: &AppState, person: &Person, m: Meeting, e: StoreError) -> Response {
    let StoreError::Domain(d) = &e else { return person.failed(&e) };
    let status = match d {
        DomainError::MeetingState | DomainError::RoomOccupied => StatusCode::CONFLICT,
        DomainError::NotYours => StatusCode::FORBIDDEN,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let why = crate::console::failure::plain(person.lang, &e);
    show(app, person, m, Notice::error(why), status).await
}
