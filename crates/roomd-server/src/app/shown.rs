//! What the app shows of a meeting wherever it appears (home, its own page): its status
//! tag, its approval, and its hours in its room's zone, with that zone named when it is
//! not the company's.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;
use roomd_core::meeting::{CheckedState, Meeting, MeetingStatus};
use roomd_core::onboarding::Lang;
use roomd_core::time::local_date;

use super::words::Words;

/// What the meeting's tag says, and its class.
pub fn status(m: &Meeting, w: &'static Words, now: i64) -> (&'static str, &'static str) {
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

/// Whether the meeting still lies ahead or is under way: it holds its room, not ended.
pub fn live(m: &Meeting, now: i64) -> bool {
    m.occupies() && m.status(now) != MeetingStatus::Ended
}

/// "Pending approval" while a live meeting waits for it.
pub fn approval(m: &Meeting, w: &'static Words, now: i64) -> Option<&'static str> {
    (live(m, now) && m.checked == CheckedState::Pending).then_some(w.st_pending)
}

/// `09:00–10:00`, in the room's zone.
pub fn hours(m: &Meeting) -> String {
    span(m.span.begin_ms(), m.span.end_ms(), m.time_zone)
}

/// `09:00–24:00` on the clock of `tz`.
pub fn span(begin: i64, end: i64, tz: Tz) -> String {
    format!("{}–{}", hhmm(begin, tz), end_hhmm(begin, end, tz))
}

/// The end of what began at `begin`, on the clock of `tz`: `24:00` for the midnight
/// after its day, as the forms and the rooms' hours write it.
pub fn end_hhmm(begin: i64, end: i64, tz: Tz) -> String {
    match hhmm(end, tz).as_str() {
        "00:00" if end > begin && local_date(end, tz) > local_date(begin, tz) => "24:00".into(),
        other => other.into(),
    }
}

/// `Europe/London time`, when the room's zone is not the company's.
pub fn zone(m: &Meeting, w: &'static Words, company_tz: Tz) -> Option<String> {
    (m.time_zone != company_tz).then(|| format!("{} {}", m.time_zone.name(), w.zone_time))
}

/// `1月9日 周三`, `Wed 9 Jan`.
pub fn day(lang: Lang, date: NaiveDate) -> String {
    match lang {
        Lang::Zh => {
            const DAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
            format!("{}月{}日 {}", date.month(), date.day(), DAYS[date.weekday().num_days_from_monday() as usize])
        }
        Lang::En => date.format("%a %-d %b").to_string(),
    }
}

pub fn hhmm(at_ms: i64, tz: Tz) -> String {
    DateTime::<Utc>::from_timestamp_millis(at_ms).unwrap_or_default().with_timezone(&tz).format("%H:%M").to_string()
}

/// A room's scene photo as the app shows it: an image when roomd serves it (a path, or
/// an address under `--public-url`), else only a link, so no page loads anything from
/// outside roomd by itself.
pub enum Photo {
    None,
    Shown(String),
    Linked(String),
}

impl Photo {
    pub fn of(url: &str, public_url: &str) -> Photo {
        let url = url.trim();
        let ours = (url.starts_with('/') && !url.starts_with("//"))
            || (!public_url.is_empty() && url.starts_with(&format!("{}/", public_url.trim_end_matches('/'))));
        match url {
            "" => Photo::None,
            _ if ours => Photo::Shown(url.to_string()),
            _ => Photo::Linked(url.to_string()),
        }
    }
}
