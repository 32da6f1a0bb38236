//! Time: spans of epoch milliseconds, times of day, and the strings the h5 filters use
//! (`yyyy-MM-dd HH:mm:ss`, `yyyy-MM-dd`), read in the company's time zone.

use std::fmt;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;

use crate::{DomainError, DomainResult};

pub const MINUTE_MS: i64 = 60_000;
pub const DAY_MS: i64 = 86_400_000;
/// How long a meeting may last, at most: it lies within the bookable hours of one local
/// day, and a local day lasts up to 25 hours (the day the clocks go back), so 26. Every
/// overlap check looks this far back for a meeting that began earlier and is still on;
/// PostgreSQL holds meetings to it (migration 25).
pub const LONGEST_MEETING_MS: i64 = 26 * 3_600_000;

/// The instants roomd accepts from clients: 1970-01-01 00:00:00.000 UTC to
/// 9999-12-31 23:59:59.999 UTC. Every time that comes in is held to this range at the
/// edge, so arithmetic on times (a day either side, a local date) never overflows.
pub const MIN_MS: i64 = 0;
pub const MAX_MS: i64 = 253_402_300_799_999;
const FIRST_YEAR: i32 = 1970;
const LAST_YEAR: i32 = 9999;

/// `at_ms` if it lies in `MIN_MS..=MAX_MS`, else 71001 on `field`.
pub fn instant(field: &'static str, at_ms: i64) -> DomainResult<i64> {
    if (MIN_MS..=MAX_MS).contains(&at_ms) {
        Ok(at_ms)
    } else {
        Err(DomainError::invalid(
            field,
            "must be epoch milliseconds from 0 (1970-01-01) to 253402300799999 (9999-12-31)",
        ))
    }
}

fn in_years(field: &'static str, date: NaiveDate) -> DomainResult<NaiveDate> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
        Ok(date)
    } else {
        Err(DomainError::invalid(field, "must be a date from 1970-01-01 to 9999-12-31"))
    }
}

/// A half-open interval `[begin_ms, end_ms)`, never empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeSpan {
    begin_ms: i64,
    end_ms: i64,
}

impl TimeSpan {
    pub fn new(begin_ms: i64, end_ms: i64) -> DomainResult<Self> {
        instant("beginTime", begin_ms)?;
        instant("endTime", end_ms)?;
        if end_ms <= begin_ms {
            return Err(DomainError::invalid("endTime", "must be after beginTime"));
        }
        Ok(Self { begin_ms, end_ms })
    }

    /// A span read back from the database, as an earlier roomd may have stored it: only
    /// its order is checked, not the range clients are held to.
    pub fn from_stored(begin_ms: i64, end_ms: i64) -> DomainResult<Self> {
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
        // Only at the end of chrono's last day is there no such time: its last instant.
        let local =
            midnight.checked_add_signed(chrono::Duration::minutes(self.minutes())).unwrap_or(NaiveDateTime::MAX);
        local_to_ms(local, tz)
    }
}

impl fmt::Display for DayMinute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// The local calendar date of an instant (held to a day either side of the accepted
/// range, where chrono's dates are far from their limits).
pub fn local_date(at_ms: i64, tz: Tz) -> NaiveDate {
    let at_ms = at_ms.clamp(MIN_MS - DAY_MS, MAX_MS + DAY_MS);
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
        match probe.checked_add_signed(chrono::Duration::minutes(15)) {
            Some(later) => probe = later,
            None => break,
        }
    }
    tz.from_utc_datetime(&local).timestamp_millis()
}

/// `yyyy-MM-dd HH:mm:ss` in `tz` → epoch ms, from 1970 to 9999.
pub fn parse_datetime(field: &'static str, raw: &str, tz: Tz) -> DomainResult<i64> {
    let local = NaiveDateTime::parse_from_str(raw.trim(), "%Y-%m-%d %H:%M:%S")
        .map_err(|_| DomainError::invalid(field, "expected yyyy-MM-dd HH:mm:ss"))?;
    in_years(field, local.date())?;
    // 1970-01-01 00:00 east of Greenwich is an instant before 1970: held to the range.
    Ok(local_to_ms(local, tz).clamp(MIN_MS, MAX_MS))
}

/// `yyyy-MM-dd` → the date, from 1970-01-01 to 9999-12-31.
pub fn parse_date(field: &'static str, raw: &str) -> DomainResult<NaiveDate> {
    let date = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| DomainError::invalid(field, "expected yyyy-MM-dd"))?;
    in_years(field, date)
}

/// The date `raw` names (`yyyy-MM-dd`, as `parse_date` takes it), or today in `tz` when
/// it is blank.
pub fn date_or_today(raw: Option<&str>, now_ms: i64, tz: Tz) -> DomainResult<NaiveDate> {
    match raw.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => parse_date("date", d),
        None => Ok(local_date(now_ms, tz)),
    }
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
    fn times_from_clients_are_held_to_1970_through_9999() {
        assert!(TimeSpan::new(MIN_MS, MAX_MS).is_ok());
        for (begin, end) in [(-1, 10), (10, MAX_MS + 1), (8_210_266_797_600_000, 8_210_266_797_600_001), (i64::MIN, 0)]
        {
            assert!(TimeSpan::new(begin, end).is_err(), "{begin}..{end}");
        }
        assert!(instant("t", i64::MAX).is_err());
        for bad in ["+262142-12-31", "-262143-01-01", "1969-12-31", "10000-01-01", "0000-01-01"] {
            assert!(parse_date("date", bad).is_err(), "{bad}");
        }
        assert!(parse_date("date", "9999-12-31").is_ok());
        assert!(parse_datetime("minTime", "+262142-12-31 23:59:59", SHANGHAI).is_err());
        assert!(parse_datetime("minTime", "1969-12-31 23:59:59", SHANGHAI).is_err());
        assert!(parse_datetime("minTime", "9999-12-31 23:59:59", SHANGHAI).is_ok());
        // The ends of the range, as a client writes them, in any zone.
        assert_eq!(parse_datetime("minTime", "1970-01-01 00:00:00", SHANGHAI), Ok(MIN_MS));
        let west = chrono_tz::America::Los_Angeles;
        assert_eq!(parse_datetime("maxTime", "9999-12-31 23:59:59", west), Ok(MAX_MS));
        // Whatever instant it is given, a local date and its bounds never panic.
        for at in [i64::MIN, i64::MAX, MAX_MS, MIN_MS] {
            let date = local_date(at, SHANGHAI);
            let _ = day_bounds(date, SHANGHAI);
            let _ = DayMinute::END_OF_DAY.on(date, chrono_tz::America::Los_Angeles);
        }
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
