//! `VTIMEZONE`s (RFC 5545 §3.6.5) from the time-zone database roomd carries
//! (`chrono-tz`): one observance for the offset in force when the range begins, then one
//! for each change of offset inside it, each starting at its local wall-clock time.
//!
//! `chrono-tz` answers "what offset at this instant" but lists no transitions, so they
//! are found by asking day by day and narrowing each change to the second. Zones change
//! their offset at most once a day, so none is missed.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

use super::Lines;
use crate::time::DAY_MS;

/// How far before the range a change is looked for, to date the observance in force
/// when the range begins (every zone that changes does so within a year).
const LOOK_BACK_MS: i64 = 400 * DAY_MS;
const SECOND_MS: i64 = 1_000;

/// What a zone says at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Observed {
    offset_s: i32,
    daylight: bool,
    name: String,
}

fn observed(zone: Tz, at_ms: i64) -> Observed {
    let at = DateTime::<Utc>::from_timestamp_millis(at_ms).unwrap_or_default().naive_utc();
    let offset = zone.offset_from_utc_datetime(&at);
    Observed {
        offset_s: offset.fix().local_minus_utc(),
        daylight: !offset.dst_offset().is_zero(),
        name: offset.abbreviation().unwrap_or_default().to_string(),
    }
}

/// A change of what the zone says, at `at_ms` (the first second of the new offset).
struct Change {
    at_ms: i64,
    before: Observed,
    after: Observed,
}

/// The changes of `zone` in `(from_ms, to_ms]`, in order.
fn changes(zone: Tz, from_ms: i64, to_ms: i64) -> Vec<Change> {
    let mut found = Vec::new();
    let (mut at, mut now) = (from_ms, observed(zone, from_ms));
    while at < to_ms {
        let next = (at + DAY_MS).min(to_ms);
        let then = observed(zone, next);
        if then != now {
            // The change lies in (at, next]: narrow it to the second.
            let (mut low, mut high) = (at, next);
            while high - low > SECOND_MS {
                let mid = low + (high - low) / 2;
                if observed(zone, mid) == now { low = mid } else { high = mid }
            }
            found.push(Change { at_ms: high, before: now, after: then.clone() });
        }
        (at, now) = (next, then);
    }
    found
}

/// Writes the `VTIMEZONE` of `zone` describing `[from_ms, to_ms]`.
pub fn write_time_zone(lines: &mut Lines, zone: Tz, from_ms: i64, to_ms: i64) {
    lines.begin("VTIMEZONE");
    lines.raw("TZID", zone.name());
    let earlier = changes(zone, from_ms - LOOK_BACK_MS, from_ms);
    match earlier.last() {
        Some(last) => observance(lines, last),
        None => {
            // No change for a year: the offset of today, in force since 1970.
            let now = observed(zone, from_ms);
            let since = Change { at_ms: 0, before: now.clone(), after: now };
            observance(lines, &since);
        }
    }
    for change in changes(zone, from_ms, to_ms) {
        observance(lines, &change);
    }
    lines.end("VTIMEZONE");
}

/// One `STANDARD` or `DAYLIGHT` observance: from the change's local time (in the offset
/// it leaves), the offsets on either side, and the zone's name for it.
fn observance(lines: &mut Lines, change: &Change) {
    let kind = if change.after.daylight { "DAYLIGHT" } else { "STANDARD" };
    lines.begin(kind);
    let local = local_time(change.at_ms, change.before.offset_s);
    lines.raw("DTSTART", &local.format("%Y%m%dT%H%M%S").to_string());
    lines.raw("TZOFFSETFROM", &utc_offset(change.before.offset_s));
    lines.raw("TZOFFSETTO", &utc_offset(change.after.offset_s));
    if !change.after.name.is_empty() {
        lines.text("TZNAME", &change.after.name);
    }
    lines.end(kind);
}

fn local_time(at_ms: i64, offset_s: i32) -> NaiveDateTime {
    let utc = DateTime::<Utc>::from_timestamp_millis(at_ms).unwrap_or_default();
    match FixedOffset::east_opt(offset_s) {
        Some(offset) => utc.with_timezone(&offset).naive_local(),
        None => utc.naive_utc(),
    }
}

/// `±HHMM`, or `±HHMMSS` for the odd offset with seconds (§3.3.14).
fn utc_offset(offset_s: i32) -> String {
    let sign = if offset_s < 0 { '-' } else { '+' };
    let s = offset_s.unsigned_abs();
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    if sec == 0 { format!("{sign}{h:02}{m:02}") } else { format!("{sign}{h:02}{m:02}{sec:02}") }
}
