//! Recurring meetings (docs/wire-compat.md "Series"): the part of RFC 5545's RRULE that
//! roomd takes, and a series' occurrences in a room's zone.
//!
//! The `rrule` crate expands the rule; roomd checks the subset and applies its own rules around
//! it. The crate is handed the first occurrence's local wall-clock time as a floating date-time
//! (tagged UTC, a calendar without daylight-saving changes), so it does calendar arithmetic only,
//! and roomd places every local date-time it yields in the zone (`instant_of`). That is the order
//! of RFC 5545 §3.3.10: "If the computed local start time of a recurrence instance does not exist,
//! or occurs more than once, for the specified time zone, the time of the recurrence instance is
//! interpreted in the same manner as an explicit DATE-TIME value" (§3.3.5). (An earlier paragraph
//! of §3.3.10 says such instances are ignored; we follow the later one, so a series never loses a
//! day to a clock change.) Given a `DTSTART;TZID=…` itself, the crate would drop an occurrence in a
//! gap or a fold whose day's midnight is in one too (America/Santiago's clocks go from 00:00 to
//! 01:00), and it reads a floating `UNTIL` in the machine's zone.

use chrono::{NaiveDate, NaiveDateTime, Offset, TimeDelta, TimeZone, Timelike, Weekday};
use chrono_tz::Tz;
use rrule::{Frequency, NWeekday, RRule, Unvalidated};

use crate::time::{DAY_MS, TimeSpan, day_bounds};
use crate::{DomainError, DomainResult};

/// The most occurrences a series has.
pub const MAX_OCCURRENCES: usize = 366;
/// How long after the first occurrence the last one may begin.
pub const HORIZON_MS: i64 = 730 * DAY_MS;

const FIELD: &str = "recurrence";
const SUPPORTED: &str = "FREQ, INTERVAL, BYDAY, BYMONTHDAY, WKST, COUNT and UNTIL";

fn refuse(reason: impl Into<String>) -> DomainError {
    DomainError::invalid(FIELD, reason)
}

/// A recurrence rule as roomd takes it: an RFC 5545 RRULE value without "RRULE:".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurrence {
    text: String,
    /// Everything but `UNTIL`, which is read in the room's zone when the rule is expanded.
    rule: RRule<Unvalidated>,
    until: Option<Until>,
}

/// The three forms RFC 5545 allows for `UNTIL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Until {
    /// `YYYYMMDD`: up to the end of that local day.
    Date(NaiveDate),
    /// `YYYYMMDDTHHMMSSZ`.
    Utc(NaiveDateTime),
    /// `YYYYMMDDTHHMMSS`, read in the room's zone.
    Floating(NaiveDateTime),
}

impl Until {
    fn parse(value: &str) -> DomainResult<Until> {
        let bad = || refuse("UNTIL must be YYYYMMDD, YYYYMMDDTHHMMSSZ (UTC) or YYYYMMDDTHHMMSS (the room's zone)");
        let (body, utc) = match value.strip_suffix('Z') {
            Some(body) => (body, true),
            None => (value, false),
        };
        if !body.bytes().all(|b| b.is_ascii_digit() || b == b'T') {
            return Err(bad());
        }
        match (body.len(), utc) {
            (8, false) => NaiveDate::parse_from_str(body, "%Y%m%d").map(Until::Date).map_err(|_| bad()),
            (15, _) => {
                let at = NaiveDateTime::parse_from_str(body, "%Y%m%dT%H%M%S").map_err(|_| bad())?;
                Ok(if utc { Until::Utc(at) } else { Until::Floating(at) })
            }
            _ => Err(bad()),
        }
    }

    fn text(self) -> String {
        match self {
            Until::Date(date) => date.format("%Y%m%d").to_string(),
            Until::Utc(at) => at.format("%Y%m%dT%H%M%SZ").to_string(),
            Until::Floating(at) => at.format("%Y%m%dT%H%M%S").to_string(),
        }
    }

    /// The last instant an occurrence may begin at.
    fn last_ms(self, tz: Tz) -> DomainResult<i64> {
        match self {
            // A date includes that whole local day.
            Until::Date(date) => Ok(day_bounds(date, tz).1 - 1),
            Until::Utc(at) => Ok(at.and_utc().timestamp_millis()),
            Until::Floating(at) => instant_of(at, tz).ok_or_else(|| refuse("UNTIL is out of range")),
        }
    }
}

/// The rule parts as given, before they are checked against one another.
#[derive(Default)]
struct Parts {
    freq: Option<Frequency>,
    interval: Option<u16>,
    by_day: Option<Vec<NWeekday>>,
    by_month_day: Option<Vec<i8>>,
    week_start: Option<Weekday>,
    count: Option<u32>,
    until: Option<Until>,
}

impl Recurrence {
    /// Checks the subset docs/wire-compat.md "Series" lists; anything else is
    /// `DomainError::invalid("recurrence", why)`.
    /// Names and values are case-insensitive (RFC 5545 §2); an `RRULE:` prefix is tolerated.
    pub fn parse(raw: &str) -> DomainResult<Recurrence> {
        let upper = raw.trim().to_ascii_uppercase();
        let body = upper.strip_prefix("RRULE:").unwrap_or(&upper);
        let mut parts = Parts::default();
        for part in body.split(';') {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| refuse(format!("expected NAME=VALUE parts separated by ';', got \"{part}\"")))?;
            match name {
                "FREQ" => once(&mut parts.freq, name, parse_freq(value)?)?,
                "INTERVAL" => once(&mut parts.interval, name, parse_interval(value)?)?,
                "BYDAY" => once(&mut parts.by_day, name, list(name, value, parse_by_day)?)?,
                "BYMONTHDAY" => once(&mut parts.by_month_day, name, list(name, value, parse_month_day)?)?,
                "WKST" => once(&mut parts.week_start, name, parse_week_start(value)?)?,
                "COUNT" => once(&mut parts.count, name, parse_count(value)?)?,
                "UNTIL" => once(&mut parts.until, name, Until::parse(value)?)?,
                _ => return Err(refuse(format!("{name} is not supported (only {SUPPORTED})"))),
            }
        }
        Self::from_parts(parts)
    }

    fn from_parts(parts: Parts) -> DomainResult<Recurrence> {
        let freq = parts.freq.ok_or_else(|| refuse("FREQ is required"))?;
        match (parts.count, parts.until) {
            (Some(_), Some(_)) => return Err(refuse("give COUNT or UNTIL, not both")),
            (None, None) => return Err(refuse("a series must end: give COUNT or UNTIL")),
            _ => {}
        }
        let by_day = parts.by_day.unwrap_or_default();
        if freq != Frequency::Monthly && by_day.iter().any(|day| matches!(day, NWeekday::Nth(..))) {
            return Err(refuse("BYDAY takes an ordinal (like 1MO or -1FR) only with FREQ=MONTHLY"));
        }
        let by_month_day = parts.by_month_day.unwrap_or_default();
        if freq == Frequency::Weekly && !by_month_day.is_empty() {
            return Err(refuse("BYMONTHDAY cannot be used with FREQ=WEEKLY"));
        }

        // The stored form: upper case, parts in one order, values as RFC 5545 writes them.
        let mut text = vec![format!("FREQ={freq}")];
        let mut rule = RRule::new(freq);
        if let Some(interval) = parts.interval {
            text.push(format!("INTERVAL={interval}"));
            rule = rule.interval(interval);
        }
        if !by_day.is_empty() {
            text.push(format!("BYDAY={}", by_day.iter().map(|day| by_day_text(*day)).collect::<Vec<_>>().join(",")));
            rule = rule.by_weekday(by_day);
        }
        if !by_month_day.is_empty() {
            text.push(format!("BYMONTHDAY={}", by_month_day.iter().map(i8::to_string).collect::<Vec<_>>().join(",")));
            rule = rule.by_month_day(by_month_day);
        }
        if let Some(week_start) = parts.week_start {
            text.push(format!("WKST={}", weekday_text(week_start)));
            rule = rule.week_start(week_start);
        }
        if let Some(count) = parts.count {
            text.push(format!("COUNT={count}"));
            rule = rule.count(count);
        }
        if let Some(until) = parts.until {
            text.push(format!("UNTIL={}", until.text()));
        }
        Ok(Recurrence { text: text.join(";"), rule, until: parts.until })
    }

    /// The rule as stored and shown: upper case, without `RRULE:`, parts in the order
    /// FREQ, INTERVAL, BYDAY, BYMONTHDAY, WKST, COUNT, UNTIL.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Every occurrence's span, in order, from `first` (always the first occurrence, whether or
    /// not it matches the rule, and counted toward COUNT), expanded in `tz` as RFC 5545 expands a
    /// `DTSTART;TZID=…` of first's wall-clock time: 10:00 stays 10:00 across daylight-saving
    /// changes. Each has first's duration. Refused (field "recurrence"): UNTIL before first's
    /// begin, more than 366 occurrences, an occurrence beginning more than 730 × 24 h after the
    /// first, an occurrence outside `TimeSpan`'s range.
    pub fn occurrences(&self, first: TimeSpan, tz: Tz) -> DomainResult<Vec<TimeSpan>> {
        let last_ms = self.until.map(|until| until.last_ms(tz)).transpose()?;
        if last_ms.is_some_and(|last| last < first.begin_ms()) {
            return Err(refuse("UNTIL is before beginTime"));
        }
        let start = local_of(first.begin_ms(), tz).ok_or_else(|| refuse("beginTime is out of range"))?;
        // The crate keeps whole seconds; the rest is put back on every occurrence.
        let whole = start.with_nanosecond(0).unwrap_or(start);
        let fraction = start - whole;
        let floating = rrule::Tz::UTC.from_utc_datetime(&whole);
        let set = self.rule.clone().build(floating).map_err(|e| refuse(e.to_string()))?.limit();

        let count = self.rule.get_count().map_or(usize::MAX, |count| count as usize);
        let duration = first.end_ms() - first.begin_ms();
        let mut spans = vec![first];
        for local in &set {
            if spans.len() >= count {
                break;
            }
            // The crate yields DTSTART only when it matches the rule; either way it is `first`.
            if local.naive_utc() == whole {
                continue;
            }
            let begin = local
                .naive_utc()
                .checked_add_signed(fraction)
                .and_then(|local| instant_of(local, tz))
                .ok_or_else(|| refuse("an occurrence falls outside 1970-01-01 to 9999-12-31"))?;
            if last_ms.is_some_and(|last| begin > last) {
                break;
            }
            if begin - first.begin_ms() > HORIZON_MS {
                return Err(refuse("an occurrence begins more than 730 days after the first"));
            }
            if spans.len() == MAX_OCCURRENCES {
                return Err(refuse(format!("more than {MAX_OCCURRENCES} occurrences")));
            }
            let span = TimeSpan::new(begin, begin + duration)
                .map_err(|_| refuse("an occurrence falls outside 1970-01-01 to 9999-12-31"))?;
            spans.push(span);
        }
        Ok(spans)
    }
}

/// `span` moved as `from` → `to` moves, in wall-clock time of `tz`: the same change of local
/// date-time and the same new duration, so a 10:00 series moved to 11:00 is at 11:00 local on every
/// day, across DST changes. A local time that does not exist or is ambiguous is placed as in
/// `instant_of`.
pub fn move_in_wall_clock(span: TimeSpan, from: TimeSpan, to: TimeSpan, tz: Tz) -> DomainResult<TimeSpan> {
    let out_of_range = || DomainError::invalid("beginTime", "moves an occurrence outside 1970-01-01 to 9999-12-31");
    let (Some(old), Some(new), Some(local)) =
        (local_of(from.begin_ms(), tz), local_of(to.begin_ms(), tz), local_of(span.begin_ms(), tz))
    else {
        return Err(out_of_range());
    };
    let moved = local.checked_add_signed(new - old).ok_or_else(out_of_range)?;
    let begin = instant_of(moved, tz).ok_or_else(out_of_range)?;
    TimeSpan::new(begin, begin + (to.end_ms() - to.begin_ms()))
}

/// The local wall-clock date-time of an instant.
fn local_of(at_ms: i64, tz: Tz) -> Option<NaiveDateTime> {
    tz.timestamp_millis_opt(at_ms).single().map(|at| at.naive_local())
}

/// The instant of a local date-time in `tz`, as RFC 5545 §3.3.5 reads a DATE-TIME with a TZID:
/// a time that occurs twice (a fold, when clocks go back) is the first of the two, the earlier
/// instant; a time that does not exist (a gap, when clocks go forward) is read with the offset
/// from before the gap, so it lands that far past the gap's start: 02:30 in a one-hour gap
/// from 02:00 is 03:30.
fn instant_of(local: NaiveDateTime, tz: Tz) -> Option<i64> {
    if let Some(at) = tz.from_local_datetime(&local).earliest() {
        return Some(at.timestamp_millis());
    }
    // A day earlier is before the gap: gaps are hours long and months apart.
    let before = local.checked_sub_signed(TimeDelta::days(1))?;
    let offset = tz.offset_from_utc_datetime(&before).fix();
    let utc = local.checked_sub_signed(TimeDelta::seconds(i64::from(offset.local_minus_utc())))?;
    Some(utc.and_utc().timestamp_millis())
}

fn once<T>(slot: &mut Option<T>, name: &str, value: T) -> DomainResult<()> {
    if slot.replace(value).is_some() {
        return Err(refuse(format!("{name} is given more than once")));
    }
    Ok(())
}

fn list<T>(name: &str, value: &str, item: fn(&str) -> Option<T>) -> DomainResult<Vec<T>> {
    value.split(',').map(|raw| item(raw).ok_or_else(|| refuse(format!("{name} has a bad value \"{raw}\"")))).collect()
}

/// A whole number written in digits only (RFC 5545 has no sign on COUNT and INTERVAL).
fn digits(value: &str) -> Option<u32> {
    if value.is_empty() || value.len() > 9 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

fn parse_freq(value: &str) -> DomainResult<Frequency> {
    match value {
        "DAILY" => Ok(Frequency::Daily),
        "WEEKLY" => Ok(Frequency::Weekly),
        "MONTHLY" => Ok(Frequency::Monthly),
        _ => Err(refuse("FREQ must be DAILY, WEEKLY or MONTHLY")),
    }
}

fn parse_interval(value: &str) -> DomainResult<u16> {
    digits(value)
        .and_then(|n| u16::try_from(n).ok())
        .filter(|n| *n > 0)
        .ok_or_else(|| refuse("INTERVAL must be a whole number from 1 to 65535"))
}

fn parse_count(value: &str) -> DomainResult<u32> {
    digits(value)
        .filter(|n| (1..=MAX_OCCURRENCES as u32).contains(n))
        .ok_or_else(|| refuse(format!("COUNT must be a whole number from 1 to {MAX_OCCURRENCES}")))
}

fn parse_week_start(value: &str) -> DomainResult<Weekday> {
    parse_weekday(value).ok_or_else(|| refuse("WKST must be MO, TU, WE, TH, FR, SA or SU"))
}

/// `MO`, or with FREQ=MONTHLY an ordinal within the month: `1MO`, `+2TU`, `-1FR` (1 to 5 either way).
fn parse_by_day(value: &str) -> Option<NWeekday> {
    let split = value.len().checked_sub(2).filter(|at| value.is_char_boundary(*at))?;
    let (ordinal, day) = value.split_at(split);
    let day = parse_weekday(day)?;
    if ordinal.is_empty() {
        return Some(NWeekday::Every(day));
    }
    let (sign, number) = signed(ordinal)?;
    let number = i16::try_from(digits(number)?).ok().filter(|n| (1..=5).contains(n))?;
    Some(NWeekday::Nth(i16::from(sign) * number, day))
}

/// `1` to `31`, or `-1` (the last day) to `-31`.
fn parse_month_day(value: &str) -> Option<i8> {
    let (sign, number) = signed(value)?;
    let number = i8::try_from(digits(number)?).ok().filter(|n| (1..=31).contains(n))?;
    Some(sign * number)
}

/// The sign (-1 or 1) and the digits of `[+-]digits`.
fn signed(value: &str) -> Option<(i8, &str)> {
    match value.as_bytes().first()? {
        b'-' => Some((-1, &value[1..])),
        b'+' => Some((1, &value[1..])),
        _ => Some((1, value)),
    }
}

fn parse_weekday(value: &str) -> Option<Weekday> {
    match value {
        "MO" => Some(Weekday::Mon),
        "TU" => Some(Weekday::Tue),
        "WE" => Some(Weekday::Wed),
        "TH" => Some(Weekday::Thu),
        "FR" => Some(Weekday::Fri),
        "SA" => Some(Weekday::Sat),
        "SU" => Some(Weekday::Sun),
        _ => None,
    }
}

fn weekday_text(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

fn by_day_text(day: NWeekday) -> String {
    match day {
        NWeekday::Every(day) => weekday_text(day).to_string(),
        NWeekday::Nth(n, day) => format!("{n}{}", weekday_text(day)),
    }
}

#[cfg(test)]
mod tests;
