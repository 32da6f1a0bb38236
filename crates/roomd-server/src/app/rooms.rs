//! A room as the app shows it (its card: photo, capacity, place, approval), and a room's
//! day as a timeline: what holds it and the free stretches still ahead, each free one a
//! link to book it. Meetings the person is not on show as "booked" without their subject.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Days, NaiveDate};
use chrono_tz::Tz;
use roomd_core::availability::RoomDay;
use roomd_core::onboarding::Lang;
use roomd_core::place::Building;
use roomd_core::room::Room;
use roomd_core::time::{MINUTE_MS, local_date, parse_date};
use roomd_core::{DomainError, RoomId, UserId};
use roomd_store::StoreError;
use serde::Deserialize;

use super::BASE;
use super::find::book_query;
use super::person::{Me, Person};
use super::shown::{Photo, hhmm};
use super::words::Words;
use crate::state::AppState;
use crate::web::{Page, render};

/// A room, as a search result or at the top of its day.
pub struct RoomCard {
    pub name: String,
    pub capacity: i64,
    /// Building · floor · address, whichever are known.
    pub place: String,
    pub needs_approval: bool,
    pub photo: Photo,
    /// The searched hours on the room's own clock, when its zone is not the company's.
    pub local: Option<String>,
}

/// `room`'s card; `hours`, when given, are shown on its clock if it keeps another zone.
pub fn card(
    room: &Room,
    building: Option<&Building>,
    lang: Lang,
    company_tz: Tz,
    hours: (i64, i64),
    public_url: &str,
) -> RoomCard {
    let parts = [building.map(|b| b.name.as_str()).unwrap_or_default(), room.floor.as_str(), room.address.as_str()];
    let place = parts.into_iter().filter(|p| !p.trim().is_empty()).collect::<Vec<_>>().join(" · ");
    let local = (room.time_zone != company_tz).then(|| {
        let (from, to) = (hhmm(hours.0, room.time_zone), hhmm(hours.1, room.time_zone));
        let said = super::words::words(lang).local_hours;
        said.replace("{zone}", room.time_zone.name()).replace("{from}", &from).replace("{to}", &to)
    });
    RoomCard {
        name: room.name.clone(),
        capacity: room.capacity,
        place,
        needs_approval: room.need_audit,
        photo: Photo::of(&room.scene_image, public_url),
        local,
    }
}

#[derive(Debug, Deserialize)]
pub struct DayQuery {
    date: Option<String>,
}

#[derive(Template)]
#[template(path = "app/room.html")]
struct DayPage<'a> {
    page: Page<'a>,
    w: &'static Words,
    me: Option<Me<'a>>,
    room_id: String,
    card: RoomCard,
    date: String,
    /// The day in words, and the links to the days before and after.
    day: String,
    before: Option<String>,
    after: String,
    opens: String,
    blocks: Vec<Block>,
}

/// A stretch of the room's day: held by a meeting, or free (with a link to book it).
struct Block {
    time: String,
    /// The subject for a meeting the person is on; "booked" for others; "" when free.
    what: String,
    book_href: Option<String>,
}

/// GET /app/rooms/{id}?date= — the room's day on its own clock (today by default).
pub async fn day(
    State(app): State<AppState>,
    person: Person,
    Path(id): Path<String>,
    Query(q): Query<DayQuery>,
) -> Response {
    let (caller, w, t, now) = (&person.s.caller, person.w(), person.t(), app.now_ms());
    let Ok(id) = RoomId::parse("room", &id) else {
        return person.message(StatusCode::NOT_FOUND, t.not_found_title, t.not_found);
    };
    let date = match q.date.as_deref().map(|d| parse_date("date", d)).transpose() {
        Ok(date) => date,
        Err(_) => return person.message(StatusCode::BAD_REQUEST, t.failed_title, t.bad_date),
    };
    let (room, day) = match app.store.room_day(caller, id, date).await {
        Ok(found) => found,
        Err(StoreError::Domain(DomainError::RoomNotExist)) => {
            return person.message(StatusCode::NOT_FOUND, t.not_found_title, w.room_gone);
        }
        Err(e) => return person.failed(&e),
    };
    // A room the person may not book (or a disabled one) is no room of theirs to look at.
    let user = &person.s.user;
    if !room.enabled || !room.may_book(&user.id, user.is_admin) {
        return person.message(StatusCode::NOT_FOUND, t.not_found_title, w.room_gone);
    }
    let buildings = match app.store.buildings(caller).await {
        Ok(b) => b,
        Err(e) => return person.failed(&e),
    };
    let today = local_date(now, room.time_zone);
    let building = buildings.iter().find(|b| Some(b.id.as_str()) == room.building.as_deref());
    let card = card(&room, building, person.lang, caller.tz, day.hours, app.views.public_url());
    let at = |d: NaiveDate| format!("{BASE}/rooms/{}?date={}", room.id, d.format("%Y-%m-%d"));
    let page = DayPage {
        page: person.page_at(&format!("/rooms/{}?date={}", room.id, day.date.format("%Y-%m-%d")), w.room_day_title),
        w,
        me: person.me(),
        room_id: room.id.to_string(),
        date: day.date.format("%Y-%m-%d").to_string(),
        day: super::home::heading(person.lang, w, day.date, today),
        before: day.date.checked_sub_days(Days::new(1)).filter(|d| *d >= today).map(at),
        after: at(day.date.checked_add_days(Days::new(1)).unwrap_or(day.date)),
        opens: super::shown::span(day.hours.0, day.hours.1, room.time_zone),
        blocks: timeline(&room, &day, &person.s.user.id, w, now),
        card,
    };
    render(StatusCode::OK, &page)
}

/// The room's day in order: what holds it (the subject only for a meeting `me` is on),
/// and each free stretch still ahead, offered as a booking of at most an hour.
fn timeline(room: &Room, day: &RoomDay, me: &UserId, w: &'static Words, now: i64) -> Vec<Block> {
    let tz = room.time_zone;
    let mut blocks: Vec<(i64, Block)> = day
        .meetings
        .iter()
        .map(|m| {
            let mine = &m.booker == me || m.attendances.iter().any(|a| a.user.as_ref() == Some(me));
            let what = if mine { m.subject.clone() } else { w.booked_by_other.to_string() };
            let time = super::shown::span(m.span.begin_ms(), m.span.end_ms(), tz);
            (m.span.begin_ms(), Block { time, what, book_href: None })
        })
        .collect();
    for free in day.free(now) {
        let (begin, end) = (free.begin_ms(), free.end_ms());
        let book = book_query(&room.id, begin, end.min(begin + 60 * MINUTE_MS), tz);
        let time = super::shown::span(begin, end, tz);
        blocks.push((begin, Block { time, what: String::new(), book_href: Some(format!("{BASE}/book?{book}")) }));
    }
    blocks.sort_by_key(|(at, _)| *at);
    blocks.into_iter().map(|(_, b)| b).collect()
}
