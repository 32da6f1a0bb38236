//! Finding a room: "now, for 30 or 60 minutes" in one tap, or a date and hours, a number
//! of people and a place. Only rooms the person may book and that are free then are
//! offered (the same search as `room/free`, for this person), each with its photo,
//! capacity, place and whether it needs approval, a link to its day and one to book it.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use roomd_core::availability::{FreeSearch, RoomFilter};
use roomd_core::place::Building;
use roomd_core::time::{DayMinute, MINUTE_MS, TimeSpan, date_or_today, local_date};
use roomd_core::{BuildingId, DomainError};
use serde::Deserialize;

use super::person::{Me, Person};
use super::rooms::{RoomCard, card};
use super::shown::Photo;
use super::shown::hhmm;
use super::words::Words;
use crate::state::AppState;
use crate::web::{Notice, Page, render};

/// The most rooms a search lists, smallest first: enough to choose from on a phone, and
/// a page that stays light when a company has thousands.
const SHOWN: usize = 30;
/// The lengths "now" offers, in minutes.
const NOW_MINUTES: [i64; 2] = [30, 60];

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FindQuery {
    /// `30` or `60`: from now, for that long.
    now: String,
    date: String,
    from: String,
    to: String,
    people: String,
    /// `""` anywhere, `b:ID` a building, `f:ID:floor` a floor of one.
    place: String,
}

#[derive(Template)]
#[template(path = "app/find.html")]
struct FindPage<'a> {
    page: Page<'a>,
    w: &'static Words,
    me: Option<Me<'a>>,
    q: &'a FindQuery,
    date: String,
    places: Vec<Place>,
    /// What was searched, in words, once there was a search.
    searched: Option<String>,
    found: Vec<Found>,
    /// How many more rooms are free than the page lists.
    more: usize,
}

/// A choice of the "where" list.
struct Place {
    value: String,
    label: String,
    selected: bool,
}

/// A room that is free then, and the links to book it or see its day.
struct Found {
    card: RoomCard,
    book_href: String,
    day_href: String,
}

/// GET /app/find — the search, and the rooms it finds.
pub async fn page(State(app): State<AppState>, person: Person, Query(q): Query<FindQuery>) -> Response {
    let (caller, w, now) = (&person.s.caller, person.w(), app.now_ms());
    let buildings = match app.store.buildings(caller).await {
        Ok(buildings) => buildings,
        Err(e) => return person.failed(&e),
    };
    let Ok(date) = date_or_today(Some(&q.date), now, caller.tz) else {
        return person.message(StatusCode::UNPROCESSABLE_ENTITY, person.t().failed_title, person.t().bad_date);
    };
    let mut page = person.page_at(&format!("/find?{}", query_string(&q)), w.find_title);
    let (mut found, mut searched, mut more, mut status) = (Vec::new(), None, 0, StatusCode::OK);
    match search(&q, &buildings, &person, date, now) {
        Ok(None) => {}
        Err(why) => (page, status) = (page.with_notice(Notice::error(why)), StatusCode::UNPROCESSABLE_ENTITY),
        Ok(Some((search, said))) => {
            let begin = search.span.begin_ms();
            let end = search.span.end_ms();
            let rooms = match app.store.free_rooms(caller, search).await {
                Ok(rooms) => rooms,
                Err(e) => return person.failed(&e),
            };
            let place_of = |id: &Option<String>| buildings.iter().find(|b| Some(b.id.as_str()) == id.as_deref());
            more = rooms.len().saturating_sub(SHOWN);
            for r in rooms.into_iter().take(SHOWN) {
                let book = book_query(&r.room.id, begin, end, r.room.time_zone);
                let day = local_date(begin, r.room.time_zone).format("%Y-%m-%d");
                found.push(Found {
                    day_href: format!("{}/rooms/{}?date={day}", super::BASE, r.room.id),
                    book_href: format!("{}/book?{book}", super::BASE),
                    card: card(
                        &r.room,
                        place_of(&r.room.building),
                        person.lang,
                        caller.tz,
                        (begin, end),
                        app.views.public_url(),
                    ),
                });
            }
            searched = Some(said);
        }
    }
    let places = places(&buildings, &q.place);
    let date = date.format("%Y-%m-%d").to_string();
    render(status, &FindPage { page, w, me: person.me(), q: &q, date, places, searched, found, more })
}

/// The search the query asks for and how to say it, `None` before any search, or what
/// is wrong with it.
fn search(
    q: &FindQuery,
    buildings: &[Building],
    person: &Person,
    date: NaiveDate,
    now: i64,
) -> Result<Option<(FreeSearch, String)>, &'static str> {
    let (w, tz) = (person.w(), person.s.caller.tz);
    let span = match q.now.trim() {
        "" if q.from.trim().is_empty() && q.to.trim().is_empty() => return Ok(None),
        "" => {
            let from = DayMinute::parse("from", &q.from).map_err(|_| w.find_bad_range)?.on(date, tz);
            let to = DayMinute::parse("to", &q.to).map_err(|_| w.find_bad_range)?.on(date, tz);
            TimeSpan::new(from, to).map_err(|_| w.find_bad_range)?
        }
        minutes => {
            let minutes = minutes.parse::<i64>().ok().filter(|m| NOW_MINUTES.contains(m)).ok_or(w.find_bad_range)?;
            let start = now - now.rem_euclid(MINUTE_MS);
            TimeSpan::new(start, start + minutes * MINUTE_MS).map_err(|_| w.find_bad_range)?
        }
    };
    let people = match q.people.trim() {
        "" => None,
        n => Some(n.parse::<i64>().ok().filter(|n| (1..=100_000).contains(n)).ok_or(w.find_bad_people)?),
    };
    let (building, floor) = place(&q.place, buildings).ok_or(w.find_bad_place)?;
    let rooms = RoomFilter { ids: None, min_capacity: people, building, floor };
    let me = Some(person.s.user.id.clone());
    let search = FreeSearch::new(span, rooms, me, now).map_err(|e| match e {
        DomainError::Invalid { field: "endTime", .. } => w.find_over,
        _ => w.find_bad_range,
    })?;
    let (from, to) = (hhmm(span.begin_ms(), tz), hhmm(span.end_ms(), tz));
    let day = super::shown::day(person.lang, local_date(span.begin_ms(), tz));
    let said = w.find_said.replace("{date}", &day).replace("{from}", &from).replace("{to}", &to);
    Ok(Some((search, said)))
}

/// The building and floor `raw` names: `None` when it names no building of the company.
#[allow(clippy::type_complexity)]
fn place(raw: &str, buildings: &[Building]) -> Option<(Option<BuildingId>, Option<String>)> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Some((None, None));
    }
    let (id, floor) = match raw.strip_prefix("b:") {
        Some(id) => (id, None),
        None => raw.strip_prefix("f:")?.split_once(':').map(|(id, floor)| (id, Some(floor.to_string())))?,
    };
    let building = buildings.iter().find(|b| b.id.as_str() == id)?;
    if floor.as_ref().is_some_and(|f| !building.floors.contains(f)) {
        return None;
    }
    Some((Some(building.id.clone()), floor))
}

/// Every building, and under each its floors.
fn places(buildings: &[Building], chosen: &str) -> Vec<Place> {
    let mut out = Vec::new();
    for b in buildings {
        let value = format!("b:{}", b.id);
        out.push(Place { selected: chosen == value, label: b.name.clone(), value });
        for floor in &b.floors {
            let value = format!("f:{}:{floor}", b.id);
            out.push(Place { selected: chosen == value, label: format!("{} · {floor}", b.name), value });
        }
    }
    out
}

/// The booking form's query for `room` from `begin` to `end`, in the room's zone.
pub fn book_query(room: &roomd_core::RoomId, begin: i64, end: i64, tz: chrono_tz::Tz) -> String {
    let (date, from) = (local_date(begin, tz), hhmm(begin, tz));
    // A stretch past the day's end is offered up to its midnight: a booking is one day's.
    let to = if local_date(end, tz) == date { hhmm(end, tz) } else { "24:00".into() };
    let date = date.format("%Y-%m-%d").to_string();
    serde_urlencoded::to_string([("room", room.as_str()), ("date", &date), ("from", &from), ("to", &to)])
        .unwrap_or_default()
}

fn query_string(q: &FindQuery) -> String {
    let fields = [
        ("now", &q.now),
        ("date", &q.date),
        ("from", &q.from),
        ("to", &q.to),
        ("people", &q.people),
        ("place", &q.place),
    ];
    let kept: Vec<(&str, &String)> = fields.into_iter().filter(|(_, v)| !v.is_empty()).collect();
    serde_urlencoded::to_string(kept).unwrap_or_default()
}
