//! A building's day: every room of the building side by side, with who booked what and
//! the free slots (each a link into that room's calendar to book it).

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use roomd_core::meeting::{Meeting, MeetingQuery};
use roomd_core::time::day_bounds;
use serde::Deserialize;

use super::meetings::{day_slots, parse_date, words};
use super::page::{frame, html};
use super::{Admin, BASE};
use crate::html::esc;
use crate::onboarding::page_lang;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct BuildingQuery {
    building: Option<String>,
    date: Option<String>,
    week: Option<String>,
    lang: Option<String>,
}

/// GET /meeting/manage/meetings/building?building=…&date=…
pub async fn page(
    State(app): State<AppState>,
    Admin(s): Admin,
    Query(q): Query<BuildingQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = page_lang(q.lang.as_deref(), &headers);
    let w = words(lang);
    let (tz, now) = (s.caller.tz, app.now_ms());
    let (Ok(buildings), Ok(rooms)) = (app.store.buildings(&s.caller).await, app.store.list_rooms(&s.caller).await)
    else {
        return super::page::error_page();
    };
    let building =
        q.building.as_deref().and_then(|id| buildings.iter().find(|b| b.id.as_str() == id)).or(buildings.first());
    let Ok(date) = parse_date(q.date.as_deref(), now, tz) else {
        return super::page::refused_page(lang, &s, w.title, super::page::words(lang).bad_date);
    };
    let date_text = date.format("%Y-%m-%d").to_string();
    let options: String = buildings
        .iter()
        .map(|b| {
            let selected = if building.is_some_and(|x| x.id == b.id) { " selected" } else { "" };
            format!("<option value=\"{}\"{selected}>{}</option>", esc(b.id.as_str()), esc(&b.name))
        })
        .collect();
    let label = if lang == roomd_core::onboarding::Lang::Zh { "建筑" } else { "Building" };
    let picker = format!(
        "<section><form method=\"get\" action=\"{BASE}/meetings/building\"><label for=\"building\">{label}</label>\
         <select id=\"building\" name=\"building\">{options}</select><label for=\"date\">{}</label>\
         <input id=\"date\" name=\"date\" type=\"date\" value=\"{date_text}\">\
         <label><input type=\"checkbox\" name=\"week\" value=\"1\"{}> {}</label><p><button type=\"submit\">{}</button></p></form></section>",
        w.date,
        if q.week.is_some() { " checked" } else { "" },
        w.week,
        w.show
    );
    let days: Vec<chrono::NaiveDate> = if q.week.is_some() {
        use chrono::Datelike;
        let monday = date - chrono::Duration::days(i64::from(date.weekday().num_days_from_monday()));
        (0..7).map(|i| monday + chrono::Duration::days(i)).collect()
    } else {
        vec![date]
    };
    let mut sections = String::new();
    if let Some(b) = building {
        for day in &days {
            let day_text = day.format("%Y-%m-%d").to_string();
            let (start, end) = day_bounds(*day, tz);
            let filter =
                MeetingQuery { end_after_ms: Some(start), begin_before_ms: Some(end), ..MeetingQuery::default() };
            let Ok(meetings) = app.store.list_meetings(&s.caller, filter).await else {
                return super::page::error_page();
            };
            let mut columns = String::new();
            for room in rooms.iter().filter(|r| r.building.as_deref() == Some(b.id.as_str())) {
                let mine: Vec<&Meeting> = meetings.iter().filter(|m| m.room == room.id && m.occupies()).collect();
                columns += &format!(
                    "<div class=\"column\"><h3>{} {}</h3>{}</div>",
                    esc(&room.name),
                    esc(&room.floor),
                    day_slots(room, *day, &mine, &s, w, now, &day_text)
                );
            }
            sections += &format!(
                "<h2>{day_text} · {}</h2><section class=\"columns\" aria-label=\"{day_text}\">{columns}</section>",
                esc(&b.name)
            );
        }
    }
    let body = format!("{picker}{sections}");
    html(StatusCode::OK, frame(lang, &format!("{} · {label}", w.title), Some(&s), &body))
}
