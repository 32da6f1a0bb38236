//! iCalendar (RFC 5545) text for roomd's calendars: the content lines, the `VTIMEZONE`s
//! of the zones a calendar uses, and a meeting as a `VEVENT` (docs/wire-compat.md
//! "Calendar feeds").
//!
//! Written here rather than with an iCalendar crate: the one well-kept builder
//! (`icalendar`) keeps parameters in a hash map (so the same calendar comes out in a
//! different order in each process), lets a carriage return through into text, and has
//! no time-zone rules; a feed of a year is also built often enough that one buffer,
//! written once, matters. What checks this text is independent: the tests parse and
//! expand every calendar with Python's `icalendar` and `recurring-ical-events`.

mod event;
mod invite;
mod lines;
mod zones;

pub use event::{CalendarEntry, EntryForm, Person, Status, status_of};
pub use invite::{invitation, uid_of};
pub use lines::Lines;
pub use zones::write_time_zone;

use std::collections::BTreeMap;

use chrono_tz::Tz;

use crate::meeting::Meeting;
use crate::time::DAY_MS;
use crate::{RoomId, UserId};

/// Whose meetings a feed holds: a room's, or those a person booked or attends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedOwner {
    Room(RoomId),
    User(UserId),
}

impl FeedOwner {
    /// The owner's kind as stored: `room` or `user`.
    pub fn kind(&self) -> &'static str {
        match self {
            FeedOwner::Room(_) => "room",
            FeedOwner::User(_) => "user",
        }
    }

    pub fn id(&self) -> &str {
        match self {
            FeedOwner::Room(room) => room.as_str(),
            FeedOwner::User(user) => user.as_str(),
        }
    }
}

/// The meetings a feed holds at `now_ms`: those ending from 30 days ago to 365 days
/// ahead, counted in whole UTC days (a day more at each end), so the window, and with
/// it the feed's text and `ETag`, moves once a day rather than at every request.
pub fn feed_window(now_ms: i64) -> (i64, i64) {
    let today = now_ms.div_euclid(DAY_MS) * DAY_MS;
    (today - 31 * DAY_MS, today + 366 * DAY_MS)
}

/// A calendar to publish (no `METHOD`: a feed), named `name`, holding `entries` and
/// describing its zones over `[from_ms, to_ms]` and over every entry's times.
pub struct Feed<'a> {
    pub name: &'a str,
    pub from_ms: i64,
    pub to_ms: i64,
    pub entries: Vec<CalendarEntry<'a>>,
}

/// `PRODID`: who wrote the calendar (RFC 5545 §3.7.3).
pub const PRODUCT: &str = "-//roomd//Meeting rooms//EN";

impl Feed<'_> {
    /// The calendar's text: CRLF lines folded at 75 octets.
    pub fn write(&self) -> String {
        let mut lines = Lines::with_capacity(1_024 + self.entries.len() * 640);
        begin_calendar(&mut lines);
        lines.text("X-WR-CALNAME", self.name);
        write_zones(&mut lines, self.entries.iter().map(|e| e.meeting), (self.from_ms, self.to_ms));
        for entry in &self.entries {
            entry.write(&mut lines);
        }
        lines.end("VCALENDAR");
        lines.finish()
    }
}

/// A calendar of one meeting to open or import ("add to calendar"): its entry under the
/// `UID` its invitations carry (an occurrence of a series named by its start within the
/// series), so a calendar that holds the invitation shows one event, not two.
pub fn one_meeting(entry: &CalendarEntry<'_>) -> String {
    let m = entry.meeting;
    let mut lines = Lines::with_capacity(2_048);
    begin_calendar(&mut lines);
    write_zones(&mut lines, std::iter::once(m), (m.span.begin_ms(), m.span.end_ms()));
    let mut form = entry.feed_form();
    form.uid = uid_of(m);
    form.occurrence_of = (!m.series_id.is_empty()).then(|| m.span.begin_ms());
    entry.write_as(&mut lines, &form);
    lines.end("VCALENDAR");
    lines.finish()
}

/// `BEGIN:VCALENDAR` and the properties every calendar of roomd's has; the caller adds
/// its own (they come before any component), then the zones.
fn begin_calendar(lines: &mut Lines) {
    lines.begin("VCALENDAR");
    lines.raw("VERSION", "2.0");
    lines.raw("PRODID", PRODUCT);
    lines.raw("CALSCALE", "GREGORIAN");
}

/// The `VTIMEZONE` of each zone `meetings` use, over `range` and every meeting's times.
fn write_zones<'a>(lines: &mut Lines, meetings: impl Iterator<Item = &'a Meeting> + Clone, range: (i64, i64)) {
    let (from, to) =
        meetings.clone().fold(range, |(from, to), m| (from.min(m.span.begin_ms()), to.max(m.span.end_ms())));
    let zones: BTreeMap<&str, Tz> = meetings.map(|m| (m.time_zone.name(), m.time_zone)).collect();
    for zone in zones.into_values() {
        write_time_zone(lines, zone, from, to);
    }
}

#[cfg(test)]
mod tests;
