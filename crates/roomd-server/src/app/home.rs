//! The app's home: my meetings today and in the next two weeks (booked by me or with me
//! on the list), a day at a time, each with its room, hours in the room's zone, status
//! and approval, and a check-in button while check-in is open for it.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use chrono_tz::Tz;
use roomd_core::meeting::{Meeting, MeetingQuery, SignTarget};
use roomd_core::onboarding::Lang;
use roomd_core::time::{day_bounds, local_date};
use roomd_core::{DomainError, MeetingId};
use roomd_store::StoreError;
use serde::Deserialize;

use super::BASE;
use super::person::{Me, Person, Posted};
use super::shown;
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
    let w = person.w();
    let notice = match q.done.as_deref() {
        Some("checked-in") => Notice::ok(w.app_checked_in),
        Some("booked") => Notice::ok(w.booked_done),
        _ => None,
    };
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
    let degrees = |raw: &str, most: f64| raw.trim().parse::<f64>().ok().filter(|d| d.is_finite() && d.abs() <= most);
    let position = (degrees(&p.form.latitude, 90.0), degrees(&p.form.longitude, 180.0));
    let (Some(latitude), Some(longitude)) = position else {
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
        Err(e) => person.failed(&e),
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
        Err(e) => return person.failed(&e),
    };
    let rooms: HashMap<String, String> = match app.store.list_rooms(caller).await {
        Ok(rooms) => rooms.into_iter().map(|r| (r.id.to_string(), r.name)).collect(),
        Err(e) => return person.failed(&e),
    };
    let w = person.w();
    let mut days: Vec<(NaiveDate, Day)> = Vec::new();
    for m in &meetings {
        // Days are the company's, as "today" is: one heading a day whatever the rooms' zones.
        let date = local_date(m.span.begin_ms(), caller.tz);
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
    let (status, status_class) = shown::status(m, w, now);
    let mine = m.attendances.iter().find(|a| a.user.as_ref() == Some(&person.s.user.id));
    let checked_in = mine.is_some_and(|a| a.sign_in.is_some());
    Line {
        id: m.id.to_string(),
        subject: m.subject.clone(),
        room,
        time: shown::hours(m),
        zone: shown::zone(m, w, company_tz),
        status,
        status_class,
        approval: shown::approval(m, w, now),
        checked_in,
        can_check_in: mine.is_some() && !checked_in && m.open_for_check_in(now),
        over: !shown::live(m, now),
    }
}

/// `今天 · 1月9日 周三`, `Today · Wed 9 Jan`; other days without the first word.
pub(super) fn heading(lang: Lang, w: &Words, date: NaiveDate, today: NaiveDate) -> String {
    let day = shown::day(lang, date);
    match (date - today).num_days() {
        0 => format!("{} · {day}", w.today),
        1 => format!("{} · {day}", w.tomorrow),
        _ => day,
    }
}
