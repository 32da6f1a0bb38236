//! Time: spans of epoch milliseconds, times of day, and the strings the h5 filters use
//! (`yyyy-MM-dd HH:mm:ss`, `yyyy-MM-dd`), read in the company's time zone.

use std::fmt;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;

use crate::{DomainError, DomainResult};

pub const MINUTE_MS: i64 = 60_000;
pub const DAY_MS: i64 = 86_400_000;

/// A half-open interval `[begin_ms, end_ms)`, never empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeSpan {
    begin_ms: i64,
    end_ms: i64,
}

impl TimeSpan {
    pub fn new(begin_ms: i64, end_ms: i64) -> DomainResult<Self> {
        if begin_ms < 0 {
            return Err(DomainError::invalid("beginTime", "must be a positive epoch millisecond value"));
        }
        if end_ms <= begin_ms {
            return Err(DomainError::invalid("endTime", "must be after beginTime"));
        }
        Ok(Self { begin_ms, end_ms })
    }

    pub fn begin_ms(self) -> i64 {
        self.begin_ms
    }

    pub fn end_ms(self) -> i64 {
        self.end_ms
    }

    pub fn overlaps(self, other: TimeSpan) -> bool {
        self.begin_ms < other.end_ms && other.begin_ms < self.end_ms
    }

    pub fn contains(self, at_ms: i64) -> bool {
        self.begin_ms <= at_ms && at_ms < self.end_ms
    }
}

/// A time of day, `HH:mm`, as minutes since midnight; `24:00` is the end of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DayMinute(u16);

impl DayMinute {
    pub const MIDNIGHT: DayMinute = DayMinute(0);
    pub const END_OF_DAY: DayMinute = DayMinute(24 * 60);

    pub fn parse(field: &'static str, raw: &str) -> DomainResult<Self> {
        let bad = || DomainError::invalid(field, "expected HH:mm between 00:00 and 24:00");
        let (h, m) = raw.trim().split_once(':').ok_or_else(bad)?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return Err(bad());
        }
        let h: u16 = h.parse().map_err(|_| bad())?;
        let m: u16 = m.parse().map_err(|_| bad())?;
        if m > 59 || h > 24 || (h == 24 && m != 0) {
            return Err(bad());
        }
        Ok(DayMinute(h * 60 + m))
    }

    pub const fn from_hour(hour: u16) -> Self {
        DayMinute(hour * 60)
    }

    pub fn from_minutes(minutes: i64) -> Self {
        DayMinute(minutes.clamp(0, 24 * 60) as u16)
    }

    pub fn minutes(self) -> i64 {
        i64::from(self.0)
    }

    /// The instant this time of day falls on `date` in `tz` (the earliest, across a
    /// DST fold; pushed past a DST gap).
    pub fn on(self, date: NaiveDate, tz: Tz) -> i64 {
        let midnight = date.and_time(NaiveTime::MIN);
        let local = midnight + chrono::Duration::minutes(self.minutes());
        local_to_ms(local, tz)
    }
}

impl fmt::Display for DayMinute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// The local calendar date of an instant.
pub fn local_date(at_ms: i64, tz: Tz) -> NaiveDate {
    match tz.timestamp_millis_opt(at_ms).single() {
        Some(t) => t.date_naive(),
        None => NaiveDate::MIN,
    }
}

/// `[start, end)` of a local calendar day.
pub fn day_bounds(date: NaiveDate, tz: Tz) -> (i64, i64) {
    let next = date.succ_opt().unwrap_or(date);
    (DayMinute::MIDNIGHT.on(date, tz), DayMinute::MIDNIGHT.on(next, tz))
}

fn local_to_ms(local: NaiveDateTime, tz: Tz) -> i64 {
    let mut probe = local;
    // A DST gap has no such local time: move forward until one exists (≤ a few hours).
    for _ in 0..24 * 4 {
        if let Some(t) = tz.from_local_datetime(&probe).earliest() {
            return t.timestamp_millis();
        }
        probe += chrono::Duration::minutes(15);
    }
    tz.from_utc_datetime(&local).timestamp_millis()
}

/// `yyyy-MM-dd HH:mm:ss` in `tz` → epoch ms.
pub fn parse_datetime(field: &'static str, raw: &str, tz: Tz) -> DomainResult<i64> {
    let local = NaiveDateTime::parse_from_str(raw.trim(), "%Y-%m-%d %H:%M:%S")
        .map_err(|_| DomainError::invalid(field, "expected yyyy-MM-dd HH:mm:ss"))?;
    Ok(local_to_ms(local, tz))
}

/// `yyyy-MM-dd` → the date.
pub fn parse_date(field: &'static str, raw: &str) -> DomainResult<NaiveDate> {
    let date = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| DomainError::invalid(field, "expected yyyy-MM-dd"))?;
    if date.year() < 1970 {
        return Err(DomainError::invalid(field, "before 1970"));
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;

    #[test]
    fn spans_must_not_be_empty() {
        assert!(TimeSpan::new(10, 10).is_err());
        assert!(TimeSpan::new(10, 9).is_err());
        assert!(TimeSpan::new(-1, 9).is_err());
        let s = TimeSpan::new(10, 20).expect("valid span");
        assert!(s.overlaps(TimeSpan::new(19, 30).expect("valid")));
        assert!(!s.overlaps(TimeSpan::new(20, 30).expect("valid")), "touching spans do not overlap");
    }

    #[test]
    fn day_minutes_parse_and_print() {
        assert_eq!(DayMinute::parse("t", "07:00").map(|d| d.minutes()), Ok(420));
        assert_eq!(DayMinute::parse("t", "24:00"), Ok(DayMinute::END_OF_DAY));
        for bad in ["7", "07:0", "25:00", "24:01", "07:60", "ab:cd", ""] {
            assert!(DayMinute::parse("t", bad).is_err(), "{bad}");
        }
        assert_eq!(DayMinute::from_minutes(23 * 60).to_string(), "23:00");
    }

    #[test]
    fn filter_strings_are_read_in_the_company_zone() {
        // 2021-04-24 08:00 in Shanghai is 00:00 UTC.
        let ms = parse_datetime("minTime", "2021-04-24 08:00:00", SHANGHAI).expect("parses");
        assert_eq!(ms, 1_619_222_400_000);
        assert!(parse_datetime("minTime", "2021-04-24", SHANGHAI).is_err());
        let date = parse_date("reverseDate", "2021-04-24").expect("parses");
        assert_eq!(day_bounds(date, SHANGHAI), (1_619_193_600_000, 1_619_280_000_000));
        assert_eq!(local_date(1_619_222_400_000, SHANGHAI), date);
    }
}
