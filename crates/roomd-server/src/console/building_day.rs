//! A building's day: every room of the building side by side, with who booked what and
//! the free slots (each a link into that room's calendar to book it).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roomd_core::meeting::{Meeting, MeetingQuery};
use roomd_core::place::Building;
use roomd_core::time::{date_or_today, day_bounds};
use serde::Deserialize;

use super::calendar::{DayView, day_view, days};
use super::page::{Admin, OrPage, Section};
use crate::state::AppState;
use crate::web::{Page, render};

const HERE: Section = Section::Meetings;

#[derive(Debug, Deserialize)]
pub struct BuildingQuery {
    building: Option<String>,
    date: Option<String>,
    week: Option<String>,
}

#[derive(Template)]
#[template(path = "console/building_day.html")]
struct BuildingDayPage<'a> {
    page: Page<'a>,
    buildings: Vec<Building>,
    building_id: String,
    date: String,
    week: bool,
    /// Each day's title and its rooms.
    days: Vec<(String, Vec<DayView>)>,
}

/// GET /meeting/manage/meetings/building?building=…&date=…[&week=1]
pub async fn page(State(app): State<AppState>, a: Admin, Query(q): Query<BuildingQuery>) -> Result<Response, Response> {
    let t = a.t();
    let (tz, now) = (a.s.caller.tz, app.now_ms());
    let buildings = app.store.buildings(&a.s.caller).await.or_page(&a, HERE)?;
    let rooms = app.store.list_rooms(&a.s.caller).await.or_page(&a, HERE)?;
    let title = format!("{} · {}", t.meetings, t.building);
    let Ok(date) = date_or_today(q.date.as_deref(), now, tz) else {
        return Err(a.message(HERE, StatusCode::BAD_REQUEST, &title, t.bad_date));
    };
    let building =
        q.building.as_deref().and_then(|id| buildings.iter().find(|b| b.id.as_str() == id)).or(buildings.first());
    let mut shown = Vec::new();
    if let Some(b) = building {
        for day in days(date, q.week.is_some()) {
            // The day in the building's zone (its rooms': the zone follows the building).
            let zone = rooms.iter().find(|r| r.building.as_deref() == Some(b.id.as_str())).map_or(tz, |r| r.time_zone);
            let (start, end) = day_bounds(day, zone);
            let filter =
                MeetingQuery { end_after_ms: Some(start), begin_before_ms: Some(end), ..MeetingQuery::default() };
            let meetings = app.store.list_meetings(&a.s.caller, filter).await.or_page(&a, HERE)?;
            let columns = rooms
                .iter()
                .filter(|r| r.building.as_deref() == Some(b.id.as_str()))
                .map(|room| {
                    let mine: Vec<&Meeting> = meetings.iter().filter(|m| m.room == room.id && m.occupies()).collect();
                    let mut view = day_view(room, day, &mine, t, now);
                    view.room = format!("{} {}", room.name, room.floor);
                    view
                })
                .collect();
            shown.push((format!("{} · {}", day.format("%Y-%m-%d"), b.name), columns));
        }
    }
    let page = BuildingDayPage {
        page: a.page(HERE, title),
        building_id: building.map(|b| b.id.to_string()).unwrap_or_default(),
        buildings,
        date: date.format("%Y-%m-%d").to_string(),
        week: q.week.is_some(),
        days: shown,
    };
    Ok(render(StatusCode::OK, &page))
}
