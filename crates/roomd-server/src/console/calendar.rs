//! What the calendar pages show of meetings: a meeting's line with the actions its state
//! allows, and a room's day in half-hour slots (from `RoomDay`, the one reckoning of
//! what is free). Shared by the room calendar, a building's day and the approval queue.

use chrono::{Datelike, NaiveDate, TimeZone};
use chrono_tz::Tz;
use roomd_core::availability::{RoomDay, Slot};
use roomd_core::meeting::{CheckedState, Meeting, MeetingStatus};
use roomd_core::room::Room;

use super::BASE;
use crate::web::Words;

/// A calendar's slot length, in minutes.
pub const SLOT_MIN: i64 = 30;

pub struct MeetingLine {
    pub meeting: Meeting,
    pub begin: String,
    pub end: String,
    pub signed: usize,
    pub pending: bool,
    pub actions: Vec<Action>,
    /// The calendar (room, date) the actions come back to; `None`: the approval queue.
    pub back: Option<(String, String)>,
}

/// A button on a meeting: `POST /meeting/manage/meetings/{path}`, for its series with a
/// `scope` (`following`, `all`).
pub struct Action {
    pub path: &'static str,
    pub scope: &'static str,
    pub label: &'static str,
    /// `danger` for what cannot be undone, `secondary` otherwise.
    pub class: &'static str,
}

impl MeetingLine {
    /// `m` with its times in its room's zone.
    pub fn new(m: &Meeting, t: &Words, now: i64, back: Option<(String, String)>) -> Self {
        let tz = m.time_zone;
        let series = !m.series_id.is_empty();
        let act = |path, scope, label, class| Action { path, scope, label, class };
        let mut actions = Vec::new();
        if m.checked == CheckedState::Pending {
            actions.push(act("approve", "", t.approve, "secondary"));
            actions.push(act("reject", "", t.reject, "danger"));
        }
        match m.status(now) {
            MeetingStatus::NotStarted | MeetingStatus::StartingSoon => {
                actions.push(act("cancel", "", t.cancel, "danger"));
                if series {
                    actions.push(act("cancel", "following", t.cancel_following, "danger"));
                }
            }
            MeetingStatus::InProgress => actions.push(act("finish", "", t.finish, "secondary")),
            _ => {}
        }
        MeetingLine {
            begin: hhmm(m.span.begin_ms(), tz),
            end: hhmm(m.span.end_ms(), tz),
            signed: m.attendances.iter().filter(|a| a.sign_in.is_some()).count(),
            pending: m.checked == CheckedState::Pending,
            actions,
            back,
            meeting: m.clone(),
        }
    }
}

/// A room's day on a calendar page.
pub struct DayView {
    pub date: String,
    /// The room's name (and floor, on a building's day).
    pub room: String,
    pub slots: Vec<SlotLine>,
}

/// A meeting, or a free slot with the link that books it.
pub struct SlotLine {
    pub meeting: Option<MeetingLine>,
    pub label: String,
    pub book_href: String,
}

/// `room`'s bookable hours on `day` (in its zone) in half hours, from its meetings that day.
pub fn day_view(room: &Room, day: NaiveDate, meetings: &[&Meeting], t: &Words, now: i64) -> DayView {
    let date = day.format("%Y-%m-%d").to_string();
    let reckoned = RoomDay::new(room, day, meetings.iter().map(|m| (*m).clone()));
    let back = || Some((room.id.to_string(), date.clone()));
    let slots = reckoned
        .slots(SLOT_MIN, now)
        .into_iter()
        .map(|slot| match slot {
            Slot::Meeting(m) => SlotLine {
                meeting: Some(MeetingLine::new(m, t, now, back())),
                label: String::new(),
                book_href: String::new(),
            },
            Slot::Free { label, .. } => {
                let label = label.to_string();
                let query = serde_urlencoded::to_string([
                    ("room", room.id.as_str()),
                    ("date", date.as_str()),
                    ("slot", label.as_str()),
                ])
                .unwrap_or_default();
                SlotLine { meeting: None, book_href: format!("{BASE}/meetings?{query}#book"), label }
            }
        })
        .collect();
    DayView { date, room: room.name.clone(), slots }
}

/// `date`, or with `week` the Monday-to-Sunday week around it.
pub fn days(date: NaiveDate, week: bool) -> Vec<NaiveDate> {
    if !week {
        return vec![date];
    }
    let monday = date - chrono::Duration::days(i64::from(date.weekday().num_days_from_monday()));
    (0..7).map(|i| monday + chrono::Duration::days(i)).collect()
}

fn hhmm(ms: i64, tz: Tz) -> String {
    tz.timestamp_millis_opt(ms).single().map(|t| t.format("%H:%M").to_string()).unwrap_or_default()
}
