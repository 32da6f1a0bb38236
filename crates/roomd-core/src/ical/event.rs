//! A meeting as a `VEVENT` (RFC 5545 §3.6.1): its times in its room's zone, who booked
//! and who attends (those with an email), and its state as `STATUS`.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::Lines;
use crate::meeting::{CheckedState, Meeting};

/// Someone on a calendar entry: the name shown, and the address that makes them an
/// `ORGANIZER` or an `ATTENDEE`.
#[derive(Debug, Clone, Copy)]
pub struct Person<'a> {
    pub name: &'a str,
    pub email: &'a str,
}

/// A meeting to write, with what the meeting itself does not hold.
pub struct CalendarEntry<'a> {
    pub meeting: &'a Meeting,
    /// The room's name: `LOCATION` is it, then the meeting's address.
    pub room_name: &'a str,
    /// The booker, when they have an email.
    pub organizer: Option<Person<'a>>,
}

/// `STATUS` (§3.8.1.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Awaiting approval.
    Tentative,
    Confirmed,
    /// Cancelled, released as a no-show, or rejected.
    Cancelled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Tentative => "TENTATIVE",
            Status::Confirmed => "CONFIRMED",
            Status::Cancelled => "CANCELLED",
        }
    }
}

pub fn status_of(meeting: &Meeting) -> Status {
    match meeting.checked {
        _ if meeting.cancelled_ms.is_some() => Status::Cancelled,
        CheckedState::Rejected => Status::Cancelled,
        CheckedState::Pending => Status::Tentative,
        CheckedState::Approved => Status::Confirmed,
    }
}

/// The `UID` of a meeting: its id, which never changes, in the form RFC 5545 suggests.
pub fn uid(meeting: &Meeting) -> String {
    format!("{}@roomd", meeting.id.as_str())
}

/// How an entry is written where a feed and an invitation differ.
pub struct EntryForm {
    pub uid: String,
    /// `DTSTAMP`: when the entry last changed (a feed), or when the message was made.
    pub stamp_ms: i64,
    pub sequence: i64,
    pub status: Status,
    /// An occurrence of a series, named by its start (`RECURRENCE-ID`).
    pub occurrence_of: Option<i64>,
    /// The other starts of a series written as one entry (`RDATE`).
    pub more_starts: Vec<i64>,
}

impl CalendarEntry<'_> {
    /// The entry as a feed writes it: the meeting on its own, as it last changed.
    pub fn feed_form(&self) -> EntryForm {
        let m = self.meeting;
        EntryForm {
            uid: uid(m),
            stamp_ms: m.updated_ms,
            sequence: m.sequence,
            status: status_of(m),
            occurrence_of: None,
            more_starts: Vec::new(),
        }
    }

    pub fn write(&self, lines: &mut Lines) {
        self.write_as(lines, &self.feed_form());
    }

    pub fn write_as(&self, lines: &mut Lines, form: &EntryForm) {
        let m = self.meeting;
        let zone = Some(m.time_zone.name());
        lines.begin("VEVENT");
        lines.raw("UID", &form.uid);
        // Without `METHOD`, `DTSTAMP` is when the entry last changed (§3.8.7.2): a feed
        // that has not changed is then the same text, octet for octet.
        lines.time("DTSTAMP", None, utc(form.stamp_ms));
        if let Some(start) = form.occurrence_of {
            lines.time("RECURRENCE-ID", zone, local(start, m.time_zone));
        }
        lines.time("DTSTART", zone, local(m.span.begin_ms(), m.time_zone));
        lines.time("DTEND", zone, local(m.span.end_ms(), m.time_zone));
        if !form.more_starts.is_empty() {
            let starts: Vec<String> = form.more_starts.iter().map(|s| local(*s, m.time_zone).to_string()).collect();
            lines.time("RDATE", zone, starts.join(","));
        }
        lines.text("SUMMARY", &m.subject);
        lines.text("LOCATION", &location(self.room_name, &m.address));
        lines.text("DESCRIPTION", &m.memo);
        if let Some(organizer) = self.organizer {
            lines.with_params("ORGANIZER", &[("CN", organizer.name)], &mailto(organizer.email));
        }
        for a in m.attendances.iter().filter(|a| !a.email.is_empty()) {
            let params = [("CN", a.name.as_str()), ("ROLE", "REQ-PARTICIPANT")];
            lines.with_params("ATTENDEE", &params, &mailto(&a.email));
        }
        lines.raw("STATUS", form.status.as_str());
        lines.raw("SEQUENCE", &form.sequence.to_string());
        lines.time("CREATED", None, utc(m.created_ms));
        lines.time("LAST-MODIFIED", None, utc(m.updated_ms));
        lines.end("VEVENT");
    }
}

fn location(room: &str, address: &str) -> String {
    if address.is_empty() || address == room { room.to_string() } else { format!("{room}, {address}") }
}

fn mailto(email: &str) -> String {
    format!("mailto:{email}")
}

/// A UTC time, `yyyyMMddTHHmmssZ`.
fn utc(at_ms: i64) -> impl std::fmt::Display {
    DateTime::<Utc>::from_timestamp_millis(at_ms).unwrap_or_default().format("%Y%m%dT%H%M%SZ")
}

/// The wall-clock time of `at_ms` in `zone`, `yyyyMMddTHHmmss`.
fn local(at_ms: i64, zone: Tz) -> impl std::fmt::Display {
    DateTime::<Utc>::from_timestamp_millis(at_ms)
        .unwrap_or_default()
        .with_timezone(&zone)
        .naive_local()
        .format("%Y%m%dT%H%M%S")
}
