//! 找会议室 (`meetings/free`): the rooms free for a time, as `room/free` finds them (the
//! same store call), each with a link that fills the booking form of its calendar. The
//! times typed are the company's; each room's link is in the room's own zone.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::TimeZone;
use roomd_core::BuildingId;
use roomd_core::availability::{FreeSearch, Refusal, RoomFilter};
use roomd_core::place::Building;
use roomd_core::time::{DayMinute, TimeSpan, date_or_today, local_date};
use serde::Deserialize;

use super::BASE;
use super::page::{Admin, OrPage, Section};
use crate::state::AppState;
use crate::web::{Page, Words, render};

const HERE: Section = Section::Meetings;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FindQuery {
    date: String,
    from: String,
    to: String,
    capacity: String,
    building: String,
    all: Option<String>,
}

struct Found {
    name: String,
    capacity: i64,
    zone: String,
    free: bool,
    status: &'static str,
    book_href: String,
}

#[derive(Template)]
#[template(path = "console/find_room.html")]
struct FindPage<'a> {
    page: Page<'a>,
    date: String,
    from: String,
    to: String,
    capacity: String,
    building: String,
    all: bool,
    buildings: Vec<Building>,
    searched: bool,
    found: Vec<Found>,
}

/// GET /meeting/manage/meetings/free?date=…&from=HH:mm&to=HH:mm[&capacity][&building][&all=1]
pub async fn page(State(app): State<AppState>, a: Admin, Query(q): Query<FindQuery>) -> Result<Response, Response> {
    let t = a.t();
    let (tz, now) = (a.s.caller.tz, app.now_ms());
    let buildings = app.store.buildings(&a.s.caller).await.or_page(&a, HERE)?;
    let searched = !q.from.is_empty() || !q.to.is_empty();
    let mut found = Vec::new();
    if searched {
        let Some(search) = search(&q, tz, now) else {
            return Err(a.message(HERE, StatusCode::BAD_REQUEST, t.find_room, t.bad_range));
        };
        let begin = search.span.begin_ms();
        for r in app.store.free_rooms(&a.s.caller, search).await.or_page(&a, HERE)? {
            // The room's calendar is in its own zone: the start as its wall clock reads it.
            let local = r.room.time_zone.timestamp_millis_opt(begin).single();
            let (date, slot) =
                local.map(|t| (t.format("%Y-%m-%d").to_string(), t.format("%H:%M").to_string())).unwrap_or_default();
            let book = serde_urlencoded::to_string([("room", r.room.id.as_str()), ("date", &date), ("slot", &slot)]);
            found.push(Found {
                name: r.room.name.clone(),
                capacity: r.room.capacity,
                zone: r.room.time_zone.name().to_string(),
                free: r.refusal.is_none(),
                status: status(t, r.refusal),
                book_href: format!("{BASE}/meetings?{}#book", book.unwrap_or_default()),
            });
        }
    }
    let page = FindPage {
        page: a.page(HERE, t.find_room),
        date: if q.date.is_empty() { local_date(now, tz).format("%Y-%m-%d").to_string() } else { q.date },
        from: q.from,
        to: q.to,
        capacity: q.capacity,
        building: q.building,
        all: q.all.is_some(),
        buildings,
        searched,
        found,
    };
    Ok(render(StatusCode::OK, &page))
}

/// The search the form asks for, its times read in the company's zone; `None` when a
/// field is missing or wrong.
fn search(q: &FindQuery, tz: chrono_tz::Tz, now: i64) -> Option<FreeSearch> {
    let date = date_or_today(Some(&q.date), now, tz).ok()?;
    let from = DayMinute::parse("from", &q.from).ok()?.on(date, tz);
    let to = DayMinute::parse("to", &q.to).ok()?.on(date, tz);
    let rooms = RoomFilter {
        ids: None,
        min_capacity: q.capacity.trim().parse().ok(),
        building: Some(q.building.trim()).filter(|b| !b.is_empty()).and_then(|b| BuildingId::parse("building", b).ok()),
        floor: None,
    };
    let mut search = FreeSearch::new(TimeSpan::new(from, to).ok()?, rooms, None, now).ok()?;
    search.include_unavailable = q.all.is_some();
    Some(search)
}

fn status(t: &Words, refusal: Option<Refusal>) -> &'static str {
    match refusal {
        None => t.status_free,
        Some(Refusal::Occupied) => t.status_occupied,
        Some(Refusal::Hours) => t.status_hours,
        Some(Refusal::Disabled) => t.status_disabled,
        Some(Refusal::Permission) => t.status_permission,
    }
}
