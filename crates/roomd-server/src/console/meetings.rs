//! Meetings: a room's day (bookable hours in half-hour slots: who booked what, free slots
//! to book from) and week. Booking, approving, rejecting, cancelling and finishing go
//! through the same store methods as `meeting/*`.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roomd_core::meeting::{AttendeeDraft, BookingDraft, CheckedState, Meeting, MeetingPatch, MeetingQuery, Scope};
use roomd_core::recurrence::Recurrence;
use roomd_core::room::Room;
use roomd_core::time::{DayMinute, TimeSpan, date_or_today, day_bounds};
use roomd_core::{DomainError, MeetingId, RoomId};
use roomd_store::StoreError;
use serde::Deserialize;

use super::calendar::{DayView, SLOT_MIN, day_view, days};
use super::page::{Admin, Done, OrPage, Posted, Section, done};
use crate::state::AppState;
use crate::web::{Notice, Page, render};

const HERE: Section = Section::Meetings;

#[derive(Debug, Default, Deserialize)]
pub struct CalendarQuery {
    room: Option<String>,
    date: Option<String>,
    week: Option<String>,
    /// A free slot picked on the calendar, for the booking form.
    slot: Option<String>,
    done: Option<Done>,
}

/// The booking form, as typed.
#[derive(Debug, Deserialize)]
pub struct BookForm {
    room: String,
    date: String,
    #[serde(default)]
    begin: String,
    minutes: Option<i64>,
    #[serde(default)]
    subject: String,
    /// Whom the meeting is for (an account); the admin themself when blank.
    #[serde(default)]
    booker: String,
    /// A rule without its end (`FREQ=WEEKLY`), and how many occurrences: a series.
    #[serde(default)]
    repeat: String,
    count: Option<i64>,
}

/// A meeting's button; `room` and `date` name the calendar it was pressed on.
#[derive(Debug, Deserialize)]
pub struct MeetingForm {
    meeting: String,
    room: Option<String>,
    date: Option<String>,
    /// For a series: `following` or `all`.
    scope: Option<String>,
}

#[derive(Template)]
#[template(path = "console/meetings.html")]
struct CalendarPage<'a> {
    page: Page<'a>,
    rooms: Vec<Room>,
    room_id: String,
    date: String,
    week: bool,
    days: Vec<DayView>,
    form: BookFields,
    me: &'a str,
}

struct BookFields {
    subject: String,
    begin: String,
    minutes: i64,
    booker: String,
}

/// GET /meeting/manage/meetings?room=…&date=…[&week=1][&slot=HH:MM]
pub async fn page(State(app): State<AppState>, a: Admin, Query(q): Query<CalendarQuery>) -> Result<Response, Response> {
    let notice = q.done.and_then(|d| d.notice(a.t()));
    let form = BookFields {
        subject: String::new(),
        begin: q.slot.clone().unwrap_or_default(),
        minutes: SLOT_MIN,
        booker: String::new(),
    };
    show(&app, &a, &q, form, notice, StatusCode::OK).await
}

/// POST …/meetings/book — for the admin, or for the account in `booker`.
pub async fn book(State(app): State<AppState>, p: Posted<BookForm>) -> Result<Response, Response> {
    let (a, f) = (p.admin, p.form);
    match book_meeting(&app, &a, &f).await {
        Ok(series) => {
            let what = if series { Done::SeriesBooked } else { Done::Booked };
            Ok(done(HERE, &[("room", &f.room), ("date", &f.date)], what))
        }
        Err(e @ StoreError::Domain(_)) => {
            let (why, status) = super::failure::said(a.lang, &e);
            let q = CalendarQuery { room: Some(f.room), date: Some(f.date), ..CalendarQuery::default() };
            let form = BookFields {
                subject: f.subject,
                begin: f.begin,
                minutes: f.minutes.unwrap_or(SLOT_MIN),
                booker: f.booker,
            };
            show(&app, &a, &q, form, Notice::error(why), status).await
        }
        Err(e) => Err(a.failed(HERE, &e)),
    }
}

/// POST …/meetings/approve `meeting`
pub async fn approve(State(app): State<AppState>, p: Posted<MeetingForm>) -> Result<Response, Response> {
    decide(&app, p, CheckedState::Approved, Done::Approved).await
}

/// POST …/meetings/reject `meeting`
pub async fn reject(State(app): State<AppState>, p: Posted<MeetingForm>) -> Result<Response, Response> {
    decide(&app, p, CheckedState::Rejected, Done::Rejected).await
}

async fn decide(app: &AppState, p: Posted<MeetingForm>, state: CheckedState, what: Done) -> Result<Response, Response> {
    let patch = MeetingPatch { checked: Some(state), ..MeetingPatch::default() };
    let outcome = match (meeting_id(&p.form), scope(&p.form)) {
        (Ok(id), Ok(scope)) => app.store.update_in_scope(&p.admin.s.caller, id, patch, scope, None).await.map(|_| ()),
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    back(app, p, outcome, what).await
}

/// POST …/meetings/cancel `meeting`
pub async fn cancel(State(app): State<AppState>, p: Posted<MeetingForm>) -> Result<Response, Response> {
    let outcome = match (meeting_id(&p.form), scope(&p.form)) {
        (Ok(id), Ok(scope)) => app.store.cancel_in_scope(&p.admin.s.caller, id, scope, String::new()).await.map(|_| ()),
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    back(&app, p, outcome, Done::Cancelled).await
}

/// POST …/meetings/finish `meeting`
pub async fn finish(State(app): State<AppState>, p: Posted<MeetingForm>) -> Result<Response, Response> {
    let outcome = match meeting_id(&p.form) {
        Ok(id) => app.store.finish_meeting(&p.admin.s.caller, id).await.map(|_| ()),
        Err(e) => Err(e),
    };
    back(&app, p, outcome, Done::Finished).await
}

fn meeting_id(f: &MeetingForm) -> Result<MeetingId, StoreError> {
    Ok(MeetingId::parse("meeting", &f.meeting)?)
}

fn scope(f: &MeetingForm) -> Result<Scope, StoreError> {
    Ok(f.scope.as_deref().map(Scope::parse).transpose()?.unwrap_or_default())
}

/// Back where the button was pressed: the room's calendar, or the approval queue.
async fn back(
    app: &AppState,
    p: Posted<MeetingForm>,
    outcome: Result<(), StoreError>,
    what: Done,
) -> Result<Response, Response> {
    let (a, f) = (p.admin, p.form);
    let calendar = f.room.as_deref().zip(f.date.as_deref());
    match (outcome, calendar) {
        (Ok(()), Some((room, date))) => Ok(done(HERE, &[("room", room), ("date", date)], what)),
        (Ok(()), None) => Ok(done(Section::Approvals, &[], what)),
        (Err(e @ StoreError::Domain(_)), Some(_)) => {
            let (why, status) = super::failure::said(a.lang, &e);
            let q = CalendarQuery { room: f.room, date: f.date, ..CalendarQuery::default() };
            show(app, &a, &q, BookFields::blank(), Notice::error(why), status).await
        }
        (Err(e @ StoreError::Domain(_)), None) => {
            let (why, status) = super::failure::said(a.lang, &e);
            super::approvals::show(app, &a, Notice::error(why), status).await
        }
        (Err(e), _) => Err(a.failed(HERE, &e)),
    }
}

impl BookFields {
    fn blank() -> Self {
        BookFields { subject: String::new(), begin: String::new(), minutes: SLOT_MIN, booker: String::new() }
    }
}

/// Books the form's meeting, or its series when it repeats; whether it was a series.
async fn book_meeting(app: &AppState, a: &Admin, f: &BookForm) -> Result<bool, StoreError> {
    let tz = a.s.caller.tz;
    let date = date_or_today(Some(&f.date), app.now_ms(), tz)?;
    let begin = DayMinute::parse("begin", &f.begin)?.on(date, tz);
    let minutes = f.minutes.unwrap_or(SLOT_MIN).clamp(5, 24 * 60);
    let booker = match f.booker.trim() {
        "" => a.s.user.clone(),
        account => {
            app.store.user_by_account(&a.s.caller, account.to_string()).await?.ok_or(DomainError::UserNotExist)?
        }
    };
    let draft = BookingDraft {
        id: None,
        room: RoomId::parse("room", &f.room)?,
        speaker: booker.name.clone(),
        subject: f.subject.clone(),
        span: TimeSpan::new(begin, begin + minutes * 60_000)?,
        booker: booker.id.clone(),
        address: None,
        checked: None,
        memo: String::new(),
        attendees: vec![AttendeeDraft { user: Some(booker.id.clone()), ..AttendeeDraft::default() }],
    };
    if f.repeat.trim().is_empty() {
        return app.store.book_meeting(&a.s.caller, draft).await.map(|_| false);
    }
    let rule = Recurrence::parse(&format!("{};COUNT={}", f.repeat.trim(), f.count.unwrap_or(10)))?;
    app.store.book_series(&a.s.caller, draft, rule, false).await.map(|_| true)
}

async fn show(
    app: &AppState,
    a: &Admin,
    q: &CalendarQuery,
    form: BookFields,
    notice: Option<Notice>,
    status: StatusCode,
) -> Result<Response, Response> {
    let t = a.t();
    let (tz, now) = (a.s.caller.tz, app.now_ms());
    let rooms = app.store.list_rooms(&a.s.caller).await.or_page(a, HERE)?;
    let Ok(date) = date_or_today(q.date.as_deref(), now, tz) else {
        return Err(a.message(HERE, StatusCode::BAD_REQUEST, t.meetings, t.bad_date));
    };
    let room = q.room.as_deref().and_then(|id| rooms.iter().find(|r| r.id.as_str() == id)).or(rooms.first());
    let mut views = Vec::new();
    if let Some(room) = room {
        let dates = days(date, q.week.is_some());
        let (start, _) = day_bounds(dates[0], room.time_zone);
        let (_, end) = day_bounds(*dates.last().unwrap_or(&date), room.time_zone);
        let filter = MeetingQuery {
            room: Some(room.id.clone()),
            end_after_ms: Some(start),
            begin_before_ms: Some(end),
            ..MeetingQuery::default()
        };
        let meetings = app.store.list_meetings(&a.s.caller, filter).await.or_page(a, HERE)?;
        let meetings: Vec<&Meeting> = meetings.iter().filter(|m| m.occupies()).collect();
        views = dates.into_iter().map(|day| day_view(room, day, &meetings, t, now)).collect();
    }
    let page = CalendarPage {
        page: a.page(HERE, t.meetings).with_notice(notice),
        room_id: room.map(|r| r.id.to_string()).unwrap_or_default(),
        date: date.format("%Y-%m-%d").to_string(),
        week: q.week.is_some(),
        days: views,
        form,
        me: &a.s.user.account,
        rooms,
    };
    Ok(render(status, &page))
}
