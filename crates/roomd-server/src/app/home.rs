//! The app's home: my meetings today and in the next two weeks (booked by me or with me
//! on the list), a day at a time, each with its room, hours in the room's zone, status
//! and approval, and a check-in button while check-in is open for it.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;
use roomd_core::meeting::{CheckedState, Meeting, MeetingQuery, MeetingStatus, SignTarget};
use roomd_core::onboarding::Lang;
use roomd_core::time::{day_bounds, local_date};
use roomd_core::{DomainError, MeetingId};
use roomd_store::StoreError;
use serde::Deserialize;

use super::BASE;
use super::person::{Me, Person, Posted, failed};
use super::words::Words;
use crate::location::{self, ByLocation};
use crate::state::AppState;
use crate::web::{Notice, Page, render};

/// How far ahead the home page looks, in days after today.
const DAYS_AHEAD: u64 = 14;

#[derive(Debug, Deserialize)]
pub struct HomeQuery {
    done: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct CheckInForm {
    meeting: String,
    /// The phone's position, filled in by `locate.js` ("" when the browser gave none).
    #[serde(default)]
    latitude: String,
    #[serde(default)]
    longitude: String,
}

#[derive(Template)]
#[template(path = "app/home.html")]
struct HomePage<'a> {
    page: Page<'a>,
    w: &'static Words,
    me: Option<Me<'a>>,
    csrf: &'a str,
    days: Vec<Day>,
}

/// A day's heading and its meetings, in order.
struct Day {
    heading: String,
    meetings: Vec<Line>,
}

/// One meeting as the home page shows it.
struct Line {
    id: String,
    subject: String,
    room: String,
    /// `09:00–10:00`, in the room's zone.
    time: String,
    /// The room's zone, when it is not the company's.
    zone: Option<String>,
    status: &'static str,
    status_class: &'static str,
    approval: Option<&'static str>,
    checked_in: bool,
    can_check_in: bool,
    /// Ended, cancelled or rejected: shown quieter.
    over: bool,
}

/// GET /app/ — my meetings.
pub async fn page(State(app): State<AppState>, person: Person, Query(q): Query<HomeQuery>) -> Response {
    let notice = (q.done.as_deref() == Some("checked-in")).then(|| Notice::ok(person.w().app_checked_in)).flatten();
    home(&app, &person, notice, StatusCode::OK).await
}

/// POST /app/checkin `meeting`, `latitude`, `longitude` — checks the signed-in person in
/// by location, as `meeting/checkIn` does: the phone within the room's radius of its
/// position (`signType` 5), then the same store method and rules as every check-in.
pub async fn check_in(State(app): State<AppState>, p: Posted<CheckInForm>) -> Response {
    let (person, t, w) = (&p.person, p.person.t(), p.person.w());
    let Ok(id) = MeetingId::parse("meeting", &p.form.meeting) else {
        return person.message(StatusCode::BAD_REQUEST, t.failed_title, t.bad_form);
    };
    let position = (p.form.latitude.trim().parse::<f64>(), p.form.longitude.trim().parse::<f64>());
    let (Ok(latitude), Ok(longitude)) = position else {
        return home(&app, person, Notice::error(w.checkin_need_location), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let me = SignTarget::User(person.s.user.id.clone());
    match location::check_in(&app, &person.s.caller, id, me, (latitude, longitude)).await {
        Ok(ByLocation::Signed(_)) => Redirect::to(&format!("{BASE}/?done=checked-in")).into_response(),
        Ok(ByLocation::TooFar { away_m, radius_m }) => {
            let why =
                w.checkin_too_far.replace("{away}", &format!("{away_m:.0}")).replace("{radius}", &radius_m.to_string());
            home(&app, person, Notice::error(why), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Ok(ByLocation::NoPosition(_)) => {
            home(&app, person, Notice::error(w.checkin_no_position), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(StoreError::Domain(DomainError::MeetingState)) => {
            home(&app, person, Notice::error(w.checkin_closed), StatusCode::CONFLICT).await
        }
        Err(StoreError::Domain(DomainError::AttendanceNotExist | DomainError::MeetingNotExist)) => {
            home(&app, person, Notice::error(t.not_invited), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => failed(person.lang, person.me(), &e),
    }
}

/// The home page with `notice` on it.
async fn home(app: &AppState, person: &Person, notice: Option<Notice>, status: StatusCode) -> Response {
    let (caller, now) = (&person.s.caller, app.now_ms());
    let today = local_date(now, caller.tz);
    let last = today.checked_add_days(chrono::Days::new(DAYS_AHEAD)).unwrap_or(today);
    let query = MeetingQuery {
        user: Some(person.s.user.id.clone()),
        end_after_ms: Some(day_bounds(today, caller.tz).0),
        begin_before_ms: Some(day_bounds(last, caller.tz).1),
        include_cancelled: true,
        ..Default::default()
    };
    let meetings = match app.store.list_meetings(caller, query).await {
        Ok(meetings) => meetings,
        Err(e) => return failed(person.lang, person.me(), &e),
    };
    let rooms: HashMap<String, String> = match app.store.list_rooms(caller).await {
        Ok(rooms) => rooms.into_iter().map(|r| (r.id.to_string(), r.name)).collect(),
        Err(e) => return failed(person.lang, person.me(), &e),
    };
    let w = person.w();
    let mut days: Vec<(NaiveDate, Day)> = Vec::new();
    for m in &meetings {
        let date = local_date(m.span.begin_ms(), m.time_zone);
        let room = rooms.get(m.room.as_str()).cloned().unwrap_or_else(|| m.address.clone());
        let line = line(m, room, person, now, caller.tz);
        match days.last_mut() {
            Some((d, day)) if *d == date => day.meetings.push(line),
            _ => days.push((date, Day { heading: heading(person.lang, w, date, today), meetings: vec![line] })),
        }
    }
    let page = person.page("/", w.my_meetings).with_notice(notice);
    let days = days.into_iter().map(|(_, day)| day).collect();
    render(status, &HomePage { page, w, me: person.me(), csrf: &person.s.csrf, days })
}

fn line(m: &Meeting, room: String, person: &Person, now: i64, company_tz: Tz) -> Line {
    let w = person.w();
    let (status, status_class) = status(m, w, now);
    let mine = m.attendances.iter().find(|a| a.user.as_ref() == Some(&person.s.user.id));
    let checked_in = mine.is_some_and(|a| a.sign_in.is_some());
    let live = m.occupies() && m.status(now) != MeetingStatus::Ended;
    Line {
        id: m.id.to_string(),
        subject: m.subject.clone(),
        room,
        time: hours(m),
        zone: (m.time_zone != company_tz).then(|| format!("{} {}", m.time_zone.name(), w.zone_time)),
        status,
        status_class,
        approval: (live && m.checked == CheckedState::Pending).then_some(w.st_pending),
        checked_in,
        can_check_in: mine.is_some() && !checked_in && m.open_for_check_in(now),
        over: !live,
    }
}

/// What the meeting's tag says, and its class.
fn status(m: &Meeting, w: &'static Words, now: i64) -> (&'static str, &'static str) {
    if m.cancelled_ms.is_some() {
        let said = if m.release_reason.is_some() { w.st_released } else { w.st_cancelled };
        return (said, "off");
    }
    if m.checked == CheckedState::Rejected {
        return (w.st_rejected, "bad");
    }
    match m.status(now) {
        MeetingStatus::NotStarted => (w.st_upcoming, "upcoming"),
        MeetingStatus::StartingSoon => (w.st_soon, "soon"),
        MeetingStatus::InProgress => (w.st_in_progress, "live"),
        MeetingStatus::Ended | MeetingStatus::Cancelled => (w.st_ended, "off"),
    }
}

/// `今天 · 1月9日 周三`, `Today · Wed 9 Jan`; other days without the first word.
fn heading(lang: Lang, w: &Words, date: NaiveDate, today: NaiveDate) -> String {
    let day = match lang {
        Lang::Zh => {
            const DAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
            format!("{}月{}日 {}", date.month(), date.day(), DAYS[date.weekday().num_days_from_monday() as usize])
        }
        Lang::En => date.format("%a %-d %b").to_string(),
    };
    match (date - today).num_days() {
        0 => format!("{} · {day}", w.today),
        1 => format!("{} · {day}", w.tomorrow),
        _ => day,
    }
}

/// `09:00–10:00`: the meeting's hours in its room's zone.
pub(super) fn hours(m: &Meeting) -> String {
    format!("{}–{}", hhmm(m.span.begin_ms(), m.time_zone), hhmm(m.span.end_ms(), m.time_zone))
}

fn hhmm(at_ms: i64, tz: Tz) -> String {
    DateTime::<Utc>::from_timestamp_millis(at_ms).unwrap_or_default().with_timezone(&tz).format("%H:%M").to_string()
}
