//! The calendar inside an invitation (iTIP, RFC 5546, sent by mail as RFC 6047 says):
//! `METHOD:REQUEST` or `METHOD:CANCEL`, one `UID` an object.
//!
//! A meeting is one entry with its own `UID`. A series is one entry with the series'
//! `UID`: its first occurrence still on, and the others' starts as `RDATE`s; an
//! occurrence that differs from the first (another length, subject, room or state) is
//! written again with `RECURRENCE-ID` naming its start. A cancel names the occurrences
//! it cancels by `RECURRENCE-ID`, or, for the whole series, the series alone.

use std::collections::HashMap;

use super::{CalendarEntry, EntryForm, Lines, Person, Status};
use crate::RoomId;
use crate::mail::{Method, Notice};
use crate::meeting::Meeting;

/// The invitation's calendar for `notice`, whose organizer is `organizer` (the booker,
/// or roomd's own address when the booker has none: iTIP needs one).
pub fn invitation(notice: &Notice<'_>, organizer: Person<'_>) -> String {
    let mut lines = Lines::with_capacity(2_048 + notice.meetings.len() * 700);
    super::begin_calendar(&mut lines);
    lines.raw("METHOD", notice.method.as_str());
    let first = notice.meetings.first().map_or(notice.now_ms, |m| m.span.begin_ms());
    super::write_zones(&mut lines, notice.meetings.iter(), (first, first));
    let entry = |m| CalendarEntry { meeting: m, room_name: room(notice.rooms, m), organizer: Some(organizer) };
    let form = |m: &Meeting, occurrence_of: Option<i64>| EntryForm {
        uid: uid_of(m),
        stamp_ms: notice.now_ms,
        sequence: notice.sequence,
        status: if notice.method == Method::Cancel { Status::Cancelled } else { super::status_of(m) },
        occurrence_of,
        more_starts: Vec::new(),
    };
    match notice.meetings {
        [] => {}
        [one] if one.series_id.is_empty() => entry(one).write_as(&mut lines, &form(one, None)),
        [first, ..] if notice.method == Method::Cancel && notice.whole_series => {
            entry(first).write_as(&mut lines, &form(first, None));
        }
        occurrences if notice.method == Method::Cancel => {
            for m in occurrences {
                entry(m).write_as(&mut lines, &form(m, Some(m.span.begin_ms())));
            }
        }
        [first, rest @ ..] => {
            let mut master = form(first, None);
            master.more_starts = rest.iter().map(|m| m.span.begin_ms()).collect();
            entry(first).write_as(&mut lines, &master);
            for m in rest.iter().filter(|m| differs(first, m)) {
                entry(m).write_as(&mut lines, &form(m, Some(m.span.begin_ms())));
            }
        }
    }
    lines.end("VCALENDAR");
    lines.finish()
}

/// The `UID` of a meeting's invitations: its series', or its own.
pub fn uid_of(m: &Meeting) -> String {
    if m.series_id.is_empty() { super::event::uid(m) } else { format!("{}@roomd", m.series_id) }
}

fn room<'a>(rooms: &'a HashMap<RoomId, String>, m: &Meeting) -> &'a str {
    rooms.get(&m.room).map_or("", String::as_str)
}

/// Whether an occurrence says more than its start in the series' entry does.
fn differs(first: &Meeting, m: &Meeting) -> bool {
    let length = |m: &Meeting| m.span.end_ms() - m.span.begin_ms();
    length(m) != length(first)
        || m.subject != first.subject
        || m.room != first.room
        || m.address != first.address
        || m.memo != first.memo
        || super::status_of(m) != super::status_of(first)
        || m.attendances.len() != first.attendances.len()
}
