//! Reports: room utilisation for a date range — booked hours against bookable hours,
//! hours with someone checked in, and the no-show rate — per room and per building, as
//! bars and as CSV.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use roomd_core::meeting::{Meeting, MeetingQuery};
use roomd_core::time::{day_bounds, local_date, parse_date};
use serde::Deserialize;

use super::page::{Admin, OrPage, Section};
use crate::state::AppState;
use crate::web::{Page, render};

const HERE: Section = Section::Reports;

const HOUR_MS: f64 = 3_600_000.0;
/// The longest range one report covers.
const MAX_DAYS: i64 = 366;

#[derive(Debug, Default, Deserialize)]
pub struct ReportQuery {
    from: Option<String>,
    to: Option<String>,
    format: Option<String>,
}

#[derive(Template)]
#[template(path = "console/reports.html")]
struct ReportPage<'a> {
    page: Page<'a>,
    from: String,
    to: String,
    rooms: Vec<Usage>,
    buildings: Vec<Usage>,
    bars: Vec<Bar>,
    chart_height: usize,
}

/// A room's two bars: booked and checked-in hours, against the bookable hours (480 px).
struct Bar {
    y: usize,
    name: String,
    booked_h: f64,
    booked_w: f64,
    checked_h: f64,
    checked_w: f64,
}

/// One row of the report: a room, or a building's rooms together.
#[derive(Debug, Default, Clone)]
struct Usage {
    name: String,
    building: String,
    bookable_h: f64,
    booked_h: f64,
    checked_in_h: f64,
    meetings: usize,
    /// Meetings over (or released) with nobody checked in.
    no_shows: usize,
    /// Meetings over (or released): the no-show rate's base.
    over: usize,
}

impl Usage {
    fn utilisation(&self) -> f64 {
        if self.bookable_h > 0.0 { self.booked_h / self.bookable_h } else { 0.0 }
    }

    fn no_show_rate(&self) -> f64 {
        if self.over > 0 { self.no_shows as f64 / self.over as f64 } else { 0.0 }
    }

    fn percent_used(&self) -> String {
        percent(self.utilisation())
    }

    fn percent_no_show(&self) -> String {
        percent(self.no_show_rate())
    }

    fn add(&mut self, other: &Usage) {
        self.bookable_h += other.bookable_h;
        self.booked_h += other.booked_h;
        self.checked_in_h += other.checked_in_h;
        self.meetings += other.meetings;
        self.no_shows += other.no_shows;
        self.over += other.over;
    }
}

/// GET /meeting/manage/reports?from=YYYY-MM-DD&to=YYYY-MM-DD[&format=csv]
pub async fn page(State(app): State<AppState>, a: Admin, Query(q): Query<ReportQuery>) -> Result<Response, Response> {
    let t = a.t();
    let (tz, now) = (a.s.caller.tz, app.now_ms());
    let today = local_date(now, tz);
    let parse =
        |v: &Option<String>| v.as_deref().map(str::trim).filter(|d| !d.is_empty()).map(|d| parse_date("date", d));
    let (Ok(to), Ok(from)) = (parse(&q.to).unwrap_or(Ok(today)), parse(&q.from).transpose()) else {
        return Err(a.message(HERE, StatusCode::BAD_REQUEST, t.report_title, t.bad_date));
    };
    let from = from.unwrap_or_else(|| to.checked_sub_days(chrono::Days::new(6)).unwrap_or(to)).min(to);
    if (to - from).num_days() >= MAX_DAYS {
        return Err(a.message(HERE, StatusCode::BAD_REQUEST, t.report_title, t.long_report));
    }
    let (start, _) = day_bounds(from, tz);
    let (_, end) = day_bounds(to, tz);
    let days = (to - from).num_days() + 1;
    let filter = MeetingQuery {
        end_after_ms: Some(start),
        begin_before_ms: Some(end),
        include_cancelled: true,
        ..MeetingQuery::default()
    };
    let rooms = app.store.list_rooms(&a.s.caller).await.or_page(&a, HERE)?;
    let buildings = app.store.buildings(&a.s.caller).await.or_page(&a, HERE)?;
    let meetings = app.store.list_meetings(&a.s.caller, filter).await.or_page(&a, HERE)?;
    let mut per_room: Vec<Usage> = rooms
        .iter()
        .map(|r| {
            let building =
                r.building.as_ref().and_then(|b| buildings.iter().find(|x| x.id.as_str() == b)).map(|b| b.name.clone());
            let mine: Vec<&Meeting> = meetings.iter().filter(|m| m.room == r.id).collect();
            usage(
                &r.name,
                building.unwrap_or_default(),
                (r.closes.minutes() - r.opens.minutes()) as f64 / 60.0 * days as f64,
                &mine,
                start,
                end,
                now,
            )
        })
        .collect();
    per_room.sort_by(|a, b| b.utilisation().total_cmp(&a.utilisation()));
    let mut per_building: BTreeMap<String, Usage> = BTreeMap::new();
    for u in &per_room {
        let entry = per_building
            .entry(u.building.clone())
            .or_insert_with(|| Usage { name: u.building.clone(), ..Usage::default() });
        entry.add(u);
    }
    if q.format.as_deref() == Some("csv") {
        return Ok(csv(&per_room, from, to));
    }
    let page = ReportPage {
        page: a.page(HERE, t.report_title),
        from: from.to_string(),
        to: to.to_string(),
        bars: bars(&per_room),
        chart_height: 28 * per_room.len().max(1) + 20,
        rooms: per_room,
        buildings: per_building.into_values().collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

/// One room's figures over `[start, end)` from its meetings (cancelled ones count only
/// when released as a no-show).
fn usage(
    name: &str,
    building: String,
    bookable_h: f64,
    meetings: &[&Meeting],
    start: i64,
    end: i64,
    now: i64,
) -> Usage {
    let mut u = Usage { name: name.to_string(), building, bookable_h, ..Usage::default() };
    for m in meetings {
        let released = m.release_reason.is_some();
        if !m.occupies() && !released {
            continue;
        }
        let signed = m.attendances.iter().any(|a| a.sign_in.is_some());
        let hours = (m.span.end_ms().min(end) - m.span.begin_ms().max(start)).max(0) as f64 / HOUR_MS;
        u.meetings += 1;
        if !released {
            u.booked_h += hours;
        }
        if signed {
            u.checked_in_h += hours;
        }
        if released || m.span.end_ms() <= now {
            u.over += 1;
            if !signed {
                u.no_shows += 1;
            }
        }
    }
    u
}

fn percent(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

fn bars(rows: &[Usage]) -> Vec<Bar> {
    rows.iter()
        .enumerate()
        .map(|(i, u)| {
            let scale = |h: f64| if u.bookable_h > 0.0 { (h / u.bookable_h * 480.0).min(480.0) } else { 0.0 };
            Bar {
                y: 10 + 28 * i,
                name: u.name.clone(),
                booked_h: u.booked_h,
                booked_w: scale(u.booked_h),
                checked_h: u.checked_in_h,
                checked_w: scale(u.checked_in_h),
            }
        })
        .collect()
}

/// A CSV cell: quoted, and a text a spreadsheet would run as a formula (`=`, `+`, `-`,
/// `@`, a tab or a carriage return first) kept as text by a leading `'` (OWASP's advice).
fn csv_cell(v: &str) -> String {
    let formula = v.starts_with(['=', '+', '-', '@', '\t', '\r']);
    format!("\"{}{}\"", if formula { "'" } else { "" }, v.replace('"', "\"\""))
}

fn csv(rows: &[Usage], from: NaiveDate, to: NaiveDate) -> Response {
    let quote = csv_cell;
    let mut out = String::from(
        "room,building,bookable_hours,booked_hours,utilisation,checked_in_hours,meetings,no_shows,no_show_rate\n",
    );
    for u in rows {
        out += &format!(
            "{},{},{:.2},{:.2},{:.4},{:.2},{},{},{:.4}\n",
            quote(&u.name),
            quote(&u.building),
            u.bookable_h,
            u.booked_h,
            u.utilisation(),
            u.checked_in_h,
            u.meetings,
            u.no_shows,
            u.no_show_rate()
        );
    }
    let name = format!("attachment; filename=\"roomd-utilisation-{from}-{to}.csv\"");
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, name)], out)
        .into_response()
}

#[cfg(test)]
mod tests {
    use roomd_core::meeting::{Attendance, CheckedState, Meeting, SignIn, SignType};
    use roomd_core::time::TimeSpan;
    use roomd_core::{AttendanceId, MeetingId, RoomId, UserId};

    use super::usage;

    const H: i64 = 3_600_000;

    fn meeting(from_h: i64, to_h: i64, signed: bool, released: bool) -> Meeting {
        Meeting {
            id: MeetingId::generate(),
            room: RoomId::from_stored("R".into()),
            speaker: "s".into(),
            subject: "t".into(),
            span: TimeSpan::new(from_h * H, to_h * H).expect("span"),
            planned_end_ms: to_h * H,
            address: String::new(),
            memo: String::new(),
            booker: UserId::from_stored("1".into()),
            checked: CheckedState::Approved,
            checked_ms: None,
            cancelled_ms: released.then_some(from_h * H),
            finished_ms: None,
            release_reason: released.then(|| "no-show".into()),
            reason: String::new(),
            time_zone: chrono_tz::Asia::Shanghai,
            series_id: String::new(),
            recurrence: String::new(),
            created_ms: 0,
            updated_ms: 0,
            sequence: 0,
            attendances: vec![Attendance {
                id: AttendanceId::generate(),
                user: Some(UserId::from_stored("1".into())),
                name: "n".into(),
                phone: String::new(),
                email: String::new(),
                face_file: None,
                face_url: String::new(),
                sign_in: signed.then_some(SignIn { kind: SignType::Face, at_ms: from_h * H, image_url: String::new() }),
            }],
        }
    }

    #[test]
    fn booked_checked_in_and_no_shows_add_up() {
        // 10–12 attended, 13–14 nobody came (over), 15–16 released, 20–22 still ahead.
        let ms = [
            meeting(10, 12, true, false),
            meeting(13, 14, false, false),
            meeting(15, 16, false, true),
            meeting(20, 22, false, false),
        ];
        let refs: Vec<&Meeting> = ms.iter().collect();
        let u = usage("R", String::new(), 16.0, &refs, 0, 24 * H, 18 * H);
        assert_eq!(u.meetings, 4);
        assert!((u.booked_h - 5.0).abs() < 1e-9, "released hours are not booked: {}", u.booked_h);
        assert!((u.checked_in_h - 2.0).abs() < 1e-9);
        assert_eq!((u.over, u.no_shows), (3, 2));
        assert!((u.utilisation() - 5.0 / 16.0).abs() < 1e-9);
        assert!((u.no_show_rate() - 2.0 / 3.0).abs() < 1e-9);
        // Clipped to the range.
        let clipped = usage("R", String::new(), 8.0, &refs[..1], 11 * H, 24 * H, 18 * H);
        assert!((clipped.booked_h - 1.0).abs() < 1e-9);
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_stay_text() {
        assert_eq!(super::csv_cell("Room 1"), "\"Room 1\"");
        assert_eq!(super::csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        for formula in ["=HYPERLINK(\"http://x\")", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(super::csv_cell(formula).starts_with("\"'"), "{formula:?}");
        }
    }
}
