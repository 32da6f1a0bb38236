//! Expected instants come from chrono-tz directly (`at`), never from the code under test.

use chrono::{Days, TimeZone};
use chrono_tz::{America, Asia, Europe, UTC};

use super::*;

const SHANGHAI: Tz = Asia::Shanghai;
const NEW_YORK: Tz = America::New_York;
const LONDON: Tz = Europe::London;
const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;

/// The instant of a local wall-clock time (the earlier one when it occurs twice).
fn at(tz: Tz, (y, m, d): (i32, u32, u32), (h, min): (u32, u32)) -> i64 {
    tz.with_ymd_and_hms(y, m, d, h, min, 0).earliest().expect("the local time exists").timestamp_millis()
}

fn hour_from(begin_ms: i64) -> TimeSpan {
    TimeSpan::new(begin_ms, begin_ms + HOUR).expect("valid span")
}

fn rule(raw: &str) -> Recurrence {
    Recurrence::parse(raw).expect("a supported rule")
}

/// Each occurrence's begin, checking every one lasts as long as the first.
fn begins(raw: &str, first: TimeSpan, tz: Tz) -> Vec<i64> {
    let spans = rule(raw).occurrences(first, tz).expect("expands");
    assert_eq!(spans[0], first, "{raw}: the first occurrence is the one given");
    for span in &spans {
        assert_eq!(span.end_ms() - span.begin_ms(), first.end_ms() - first.begin_ms(), "{raw}");
    }
    spans.iter().map(|span| span.begin_ms()).collect()
}

/// The same local time on each date, in `tz`.
fn on_days(tz: Tz, dates: &[(i32, u32, u32)], time: (u32, u32)) -> Vec<i64> {
    dates.iter().map(|date| at(tz, *date, time)).collect()
}

fn refusal(result: DomainResult<impl std::fmt::Debug>) -> String {
    match result {
        Err(DomainError::Invalid { field: "recurrence", reason }) => reason,
        other => panic!("expected 71001 on recurrence, got {other:?}"),
    }
}

#[test]
fn weekly_on_monday_and_wednesday_ten_times_from_a_monday() {
    let first = hour_from(at(SHANGHAI, (2025, 3, 3), (10, 0)));
    let dates = [(2025, 3, 3), (2025, 3, 5), (2025, 3, 10), (2025, 3, 12), (2025, 3, 17), (2025, 3, 19), (2025, 3, 24)];
    let mut expected = on_days(SHANGHAI, &dates, (10, 0));
    expected.extend(on_days(SHANGHAI, &[(2025, 3, 26), (2025, 3, 31), (2025, 4, 2)], (10, 0)));
    assert_eq!(begins("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10", first, SHANGHAI), expected);
}

#[test]
fn working_days_every_day_but_the_weekend() {
    let first = hour_from(at(SHANGHAI, (2025, 3, 7), (9, 0)));
    let dates = [(2025, 3, 7), (2025, 3, 10), (2025, 3, 11), (2025, 3, 12), (2025, 3, 13), (2025, 3, 14)];
    assert_eq!(begins("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=6", first, SHANGHAI), on_days(SHANGHAI, &dates, (9, 0)));
}

#[test]
fn a_first_occurrence_off_the_rule_is_still_first_and_counted() {
    // 2025-03-04 is a Tuesday.
    let first = hour_from(at(SHANGHAI, (2025, 3, 4), (10, 0)));
    let expected = on_days(SHANGHAI, &[(2025, 3, 4), (2025, 3, 10), (2025, 3, 17)], (10, 0));
    assert_eq!(begins("FREQ=WEEKLY;BYDAY=MO;COUNT=3", first, SHANGHAI), expected);
}

#[test]
fn an_interval_skips_weeks_and_wkst_decides_where_a_week_starts() {
    let first = hour_from(at(SHANGHAI, (2025, 3, 4), (10, 0)));
    let dates = [(2025, 3, 4), (2025, 3, 6), (2025, 3, 18), (2025, 3, 20), (2025, 4, 1)];
    assert_eq!(
        begins("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=5", first, SHANGHAI),
        on_days(SHANGHAI, &dates, (10, 0))
    );
    // RFC 5545 §3.8.5.3's own example: only WKST differs.
    let first = hour_from(at(NEW_YORK, (1997, 8, 5), (9, 0)));
    let monday = [(1997, 8, 5), (1997, 8, 10), (1997, 8, 19), (1997, 8, 24)];
    let sunday = [(1997, 8, 5), (1997, 8, 17), (1997, 8, 19), (1997, 8, 31)];
    let rule_from = |wkst: &str| format!("FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST={wkst}");
    assert_eq!(begins(&rule_from("MO"), first, NEW_YORK), on_days(NEW_YORK, &monday, (9, 0)));
    assert_eq!(begins(&rule_from("SU"), first, NEW_YORK), on_days(NEW_YORK, &sunday, (9, 0)));
}

#[test]
fn monthly_on_the_last_friday_and_on_the_first_monday() {
    let first = hour_from(at(SHANGHAI, (2025, 1, 31), (15, 0)));
    let dates = [(2025, 1, 31), (2025, 2, 28), (2025, 3, 28), (2025, 4, 25)];
    assert_eq!(begins("FREQ=MONTHLY;BYDAY=-1FR;COUNT=4", first, SHANGHAI), on_days(SHANGHAI, &dates, (15, 0)));

    let first = hour_from(at(SHANGHAI, (2025, 1, 6), (9, 30)));
    let dates = [(2025, 1, 6), (2025, 2, 3), (2025, 3, 3), (2025, 4, 7)];
    assert_eq!(begins("FREQ=MONTHLY;BYDAY=1MO;COUNT=4", first, SHANGHAI), on_days(SHANGHAI, &dates, (9, 30)));
}

#[test]
fn monthly_on_the_31st_skips_the_months_without_one() {
    let first = hour_from(at(SHANGHAI, (2025, 1, 31), (10, 0)));
    let dates = [(2025, 1, 31), (2025, 3, 31), (2025, 5, 31), (2025, 7, 31)];
    assert_eq!(begins("FREQ=MONTHLY;BYMONTHDAY=31;COUNT=4", first, SHANGHAI), on_days(SHANGHAI, &dates, (10, 0)));
    // Without BYMONTHDAY the day comes from the first occurrence, with the same result.
    assert_eq!(begins("FREQ=MONTHLY;COUNT=4", first, SHANGHAI), on_days(SHANGHAI, &dates, (10, 0)));
}

#[test]
fn until_as_a_date_includes_that_whole_local_day() {
    // 23:30 in New York on the 7th is already the 8th in UTC.
    let first = hour_from(at(NEW_YORK, (2025, 3, 3), (23, 30)));
    let dates = [(2025, 3, 3), (2025, 3, 4), (2025, 3, 5), (2025, 3, 6), (2025, 3, 7)];
    assert_eq!(begins("FREQ=DAILY;UNTIL=20250307", first, NEW_YORK), on_days(NEW_YORK, &dates, (23, 30)));
    // The first occurrence's own day is not before it.
    assert_eq!(begins("FREQ=DAILY;UNTIL=20250303", first, NEW_YORK), vec![first.begin_ms()]);
}

#[test]
fn until_in_utc_is_an_instant_and_a_floating_one_is_read_in_the_zone() {
    // 10:00 in Shanghai is 02:00 UTC; an UNTIL equal to an occurrence includes it.
    let first = hour_from(at(SHANGHAI, (2025, 3, 3), (10, 0)));
    let three = on_days(SHANGHAI, &[(2025, 3, 3), (2025, 3, 4), (2025, 3, 5)], (10, 0));
    assert_eq!(begins("FREQ=DAILY;UNTIL=20250305T020000Z", first, SHANGHAI), three);
    assert_eq!(begins("FREQ=DAILY;UNTIL=20250305T015959Z", first, SHANGHAI), three[..2]);

    // 10:00 in New York is 15:00 UTC: read as UTC, this UNTIL would leave out the 5th.
    let first = hour_from(at(NEW_YORK, (2025, 3, 3), (10, 0)));
    let three = on_days(NEW_YORK, &[(2025, 3, 3), (2025, 3, 4), (2025, 3, 5)], (10, 0));
    assert_eq!(begins("FREQ=DAILY;UNTIL=20250305T100000", first, NEW_YORK), three);
    assert_eq!(begins("FREQ=DAILY;UNTIL=20250305T095959", first, NEW_YORK), three[..2]);
}

#[test]
fn london_weekly_at_nine_stays_at_nine_across_both_dst_changes() {
    // Mondays from 17 March to 3 November 2025: BST from 30 March to 26 October.
    let first = hour_from(at(LONDON, (2025, 3, 17), (9, 0)));
    let got = begins("FREQ=WEEKLY;COUNT=34", first, LONDON);
    let monday = chrono::NaiveDate::from_ymd_opt(2025, 3, 17).expect("a date");
    let expected: Vec<i64> = (0..34)
        .map(|week| monday.checked_add_days(Days::new(7 * week)).expect("a date"))
        .map(|date| LONDON.from_local_datetime(&date.and_time(nine())).single().expect("exists").timestamp_millis())
        .collect();
    assert_eq!(got, expected);
    // The UTC instant moves by an hour each time the clocks change.
    for (date, utc_hour) in [((2025, 3, 24), 9), ((2025, 3, 31), 8), ((2025, 10, 20), 8), ((2025, 10, 27), 9)] {
        assert!(got.contains(&at(UTC, date, (utc_hour, 0))), "{date:?} at {utc_hour}:00 UTC");
    }
}

fn nine() -> chrono::NaiveTime {
    chrono::NaiveTime::from_hms_opt(9, 0, 0).expect("a time")
}

#[test]
fn new_york_daily_at_ten_across_spring_forward_and_fall_back() {
    let first = hour_from(at(NEW_YORK, (2025, 3, 7), (10, 0)));
    let utc = [at(UTC, (2025, 3, 7), (15, 0)), at(UTC, (2025, 3, 8), (15, 0))];
    let expected = [utc[0], utc[1], at(UTC, (2025, 3, 9), (14, 0)), at(UTC, (2025, 3, 10), (14, 0))];
    assert_eq!(begins("FREQ=DAILY;COUNT=4", first, NEW_YORK), expected);

    let first = hour_from(at(NEW_YORK, (2025, 10, 31), (10, 0)));
    let utc = [at(UTC, (2025, 10, 31), (14, 0)), at(UTC, (2025, 11, 1), (14, 0))];
    let expected = [utc[0], utc[1], at(UTC, (2025, 11, 2), (15, 0)), at(UTC, (2025, 11, 3), (15, 0))];
    assert_eq!(begins("FREQ=DAILY;COUNT=4", first, NEW_YORK), expected);
}

#[test]
fn a_time_in_a_gap_moves_on_by_the_length_of_the_gap() {
    // RFC 5545 §3.3.5: TZID=America/New_York:20070311T023000 is 03:30 EDT.
    let rfc = chrono::NaiveDate::from_ymd_opt(2007, 3, 11).and_then(|d| d.and_hms_opt(2, 30, 0)).expect("valid");
    assert_eq!(instant_of(rfc, NEW_YORK), Some(at(UTC, (2007, 3, 11), (7, 30))));

    // Clocks go from 02:00 to 03:00 on 9 March 2025: 02:30 that day is 03:30 EDT.
    let first = hour_from(at(NEW_YORK, (2025, 3, 7), (2, 30)));
    let got = begins("FREQ=DAILY;COUNT=4", first, NEW_YORK);
    let mut expected = on_days(NEW_YORK, &[(2025, 3, 7), (2025, 3, 8)], (2, 30));
    expected.extend([at(NEW_YORK, (2025, 3, 9), (3, 30)), at(NEW_YORK, (2025, 3, 10), (2, 30))]);
    assert_eq!(got, expected);
    assert_eq!(got[2], at(UTC, (2025, 3, 9), (7, 30)));

    // Santiago's clocks go from 00:00 to 01:00 on 7 September 2025: that day has no midnight
    // and 00:30 is 01:30 (the rrule crate alone would drop this occurrence).
    let santiago = America::Santiago;
    let first = hour_from(at(santiago, (2025, 9, 5), (0, 30)));
    let mut expected = on_days(santiago, &[(2025, 9, 5), (2025, 9, 6)], (0, 30));
    expected.extend([at(santiago, (2025, 9, 7), (1, 30)), at(santiago, (2025, 9, 8), (0, 30))]);
    assert_eq!(begins("FREQ=DAILY;COUNT=4", first, santiago), expected);
}

#[test]
fn a_time_that_occurs_twice_is_the_earlier_instant() {
    // RFC 5545 §3.3.5: TZID=America/New_York:20071104T013000 is 01:30 EDT.
    let rfc = chrono::NaiveDate::from_ymd_opt(2007, 11, 4).and_then(|d| d.and_hms_opt(1, 30, 0)).expect("valid");
    assert_eq!(instant_of(rfc, NEW_YORK), Some(at(UTC, (2007, 11, 4), (5, 30))));

    // 01:30 happens twice on 2 November 2025 (EDT, then EST).
    let first = hour_from(at(NEW_YORK, (2025, 10, 31), (1, 30)));
    let expected = [
        at(UTC, (2025, 10, 31), (5, 30)),
        at(UTC, (2025, 11, 1), (5, 30)),
        at(UTC, (2025, 11, 2), (5, 30)),
        at(UTC, (2025, 11, 3), (6, 30)),
    ];
    assert_eq!(begins("FREQ=DAILY;COUNT=4", first, NEW_YORK), expected);

    // A series that begins at the second 01:30 keeps it, then goes on at 01:30.
    let first = hour_from(at(UTC, (2025, 11, 2), (6, 30)));
    let expected = [first.begin_ms(), at(UTC, (2025, 11, 3), (6, 30))];
    assert_eq!(begins("FREQ=DAILY;COUNT=2", first, NEW_YORK), expected);
}

#[test]
fn a_series_has_at_most_366_occurrences() {
    let first = hour_from(at(SHANGHAI, (2025, 1, 1), (10, 0)));
    let all = begins("FREQ=DAILY;COUNT=366", first, SHANGHAI);
    assert_eq!((all.len(), all[365]), (366, at(SHANGHAI, (2026, 1, 1), (10, 0))));
    assert!(refusal(Recurrence::parse("FREQ=DAILY;COUNT=367")).contains("COUNT"));

    assert_eq!(begins("FREQ=DAILY;UNTIL=20260101", first, SHANGHAI).len(), 366);
    let too_many = rule("FREQ=DAILY;UNTIL=20260102").occurrences(first, SHANGHAI);
    assert!(refusal(too_many).contains("more than 366"));
}

#[test]
fn the_last_occurrence_begins_at_most_730_days_after_the_first() {
    // 2025-01-15 to 2027-01-15 is exactly 730 days (Shanghai keeps no daylight-saving time).
    let first = hour_from(at(SHANGHAI, (2025, 1, 15), (10, 0)));
    let all = begins("FREQ=MONTHLY;COUNT=25", first, SHANGHAI);
    assert_eq!(all[24] - all[0], 730 * 24 * HOUR);
    for raw in ["FREQ=MONTHLY;COUNT=26", "FREQ=WEEKLY;INTERVAL=105;COUNT=2", "FREQ=DAILY;INTERVAL=731;UNTIL=20290101"] {
        assert!(refusal(rule(raw).occurrences(first, SHANGHAI)).contains("730 days"), "{raw}");
    }
    // An interval longer than the horizon is fine while nothing lies beyond it.
    assert_eq!(begins("FREQ=DAILY;INTERVAL=731;COUNT=1", first, SHANGHAI), vec![first.begin_ms()]);
}

#[test]
fn until_before_the_first_occurrence_is_refused() {
    let first = hour_from(at(SHANGHAI, (2025, 3, 3), (10, 0)));
    for raw in ["FREQ=DAILY;UNTIL=20250302", "FREQ=DAILY;UNTIL=20250303T015959Z", "FREQ=DAILY;UNTIL=20250303T095959"] {
        assert!(refusal(rule(raw).occurrences(first, SHANGHAI)).contains("before"), "{raw}");
    }
}

#[test]
fn occurrences_past_9999_are_refused_and_milliseconds_are_kept() {
    let first = hour_from(at(UTC, (9999, 12, 30), (10, 0)));
    assert_eq!(begins("FREQ=DAILY;COUNT=2", first, UTC).len(), 2);
    assert!(refusal(rule("FREQ=DAILY;COUNT=3").occurrences(first, UTC)).contains("9999"));

    let first = hour_from(at(SHANGHAI, (2025, 3, 3), (10, 0)) + 250);
    assert_eq!(begins("FREQ=DAILY;COUNT=2", first, SHANGHAI)[1], at(SHANGHAI, (2025, 3, 4), (10, 0)) + 250);
}

#[test]
fn a_rule_that_never_matches_gives_the_first_occurrence_only() {
    // The first Monday of a month is never its 15th.
    let first = hour_from(at(SHANGHAI, (2025, 3, 3), (10, 0)));
    assert_eq!(begins("FREQ=MONTHLY;BYDAY=1MO;BYMONTHDAY=15;COUNT=3", first, SHANGHAI), vec![first.begin_ms()]);
}

#[test]
fn what_the_spec_leaves_out_is_refused_with_the_reason() {
    for (raw, why) in [
        ("FREQ=DAILY;COUNT=0", "COUNT must be"),
        ("FREQ=DAILY;INTERVAL=0;COUNT=2", "INTERVAL must be"),
        ("FREQ=DAILY;INTERVAL=-1;COUNT=2", "INTERVAL must be"),
        ("FREQ=YEARLY;COUNT=2", "FREQ must be"),
        ("FREQ=HOURLY;COUNT=2", "FREQ must be"),
        ("FREQ=DAILY;BYHOUR=10;COUNT=2", "BYHOUR is not supported"),
        ("FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO;COUNT=2", "BYSETPOS is not supported"),
        ("FREQ=DAILY;COUNT=2;UNTIL=20250310", "not both"),
        ("FREQ=DAILY", "must end"),
        ("COUNT=2", "FREQ is required"),
        ("FREQ=DAILY;FREQ=WEEKLY;COUNT=2", "FREQ is given more than once"),
        ("FREQ=DAILY;COUNT=2;COUNT=3", "COUNT is given more than once"),
        ("FREQ=WEEKLY;BYDAY=1MO;COUNT=2", "ordinal"),
        ("FREQ=DAILY;BYDAY=-1FR;COUNT=2", "ordinal"),
        ("FREQ=WEEKLY;BYMONTHDAY=1;COUNT=2", "BYMONTHDAY cannot"),
        ("FREQ=MONTHLY;BYDAY=6MO;COUNT=2", "BYDAY has a bad value"),
        ("FREQ=MONTHLY;BYDAY=XXMO;COUNT=2", "BYDAY has a bad value"),
        ("FREQ=WEEKLY;BYDAY=MO,,WE;COUNT=2", "BYDAY has a bad value"),
        ("FREQ=MONTHLY;BYMONTHDAY=32;COUNT=2", "BYMONTHDAY has a bad value"),
        ("FREQ=MONTHLY;BYMONTHDAY=0;COUNT=2", "BYMONTHDAY has a bad value"),
        ("FREQ=WEEKLY;WKST=XX;COUNT=2", "WKST must be"),
        ("FREQ=DAILY;UNTIL=2025-03-10", "UNTIL must be"),
        ("FREQ=DAILY;UNTIL=20250230", "UNTIL must be"),
        ("FREQ=DAILY;UNTIL=20250310Z", "UNTIL must be"),
        ("FREQ=DAILY;COUNT=2;", "NAME=VALUE"),
        ("", "NAME=VALUE"),
    ] {
        let reason = refusal(Recurrence::parse(raw));
        assert!(reason.contains(why), "{raw}: {reason}");
    }
}

#[test]
fn rules_are_kept_in_one_normal_form() {
    let given = "rrule:COUNT=3;wkst=su;BYMONTHDAY=+5,-1;INTERVAL=02;FREQ=MONTHLY;BYDAY=+1MO,-1FR";
    let normal = "FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO,-1FR;BYMONTHDAY=5,-1;WKST=SU;COUNT=3";
    assert_eq!(rule(given).as_str(), normal);
    assert_eq!(rule(normal), rule(given));
    assert_eq!(rule(" freq=weekly;byday=mo,we;count=10 ").as_str(), "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10");
    for until in ["20250310", "20250310T100000Z", "20250310T100000"] {
        assert_eq!(
            rule(&format!("FREQ=DAILY;UNTIL={}", until.to_lowercase())).as_str(),
            format!("FREQ=DAILY;UNTIL={until}")
        );
    }
}

#[test]
fn moving_a_series_keeps_its_wall_clock_time_across_dst() {
    // The series is at 10:00 in London; its occurrence of Monday 24 March (GMT) moves to 11:00–12:30.
    let from = hour_from(at(LONDON, (2025, 3, 24), (10, 0)));
    let to = TimeSpan::new(at(LONDON, (2025, 3, 24), (11, 0)), at(LONDON, (2025, 3, 24), (12, 30))).expect("valid");
    assert_eq!(move_in_wall_clock(from, from, to, LONDON), Ok(to));
    // A week later it is summer time: still 11:00–12:30 local, which is 10:00 UTC.
    let later = hour_from(at(LONDON, (2025, 3, 31), (10, 0)));
    let moved = move_in_wall_clock(later, from, to, LONDON).expect("moves");
    assert_eq!(
        (moved.begin_ms(), moved.end_ms()),
        (at(UTC, (2025, 3, 31), (10, 0)), at(LONDON, (2025, 3, 31), (12, 30)))
    );

    // A move to the next day at 09:00 moves every occurrence to its next day at 09:00.
    let to = hour_from(at(LONDON, (2025, 3, 25), (9, 0)));
    assert_eq!(move_in_wall_clock(later, from, to, LONDON), Ok(hour_from(at(LONDON, (2025, 4, 1), (9, 0)))));

    // Into a gap: 01:30 moved to 02:30 is 03:30 EDT on the day the clocks go forward.
    let from = hour_from(at(NEW_YORK, (2025, 3, 8), (1, 30)));
    let to = hour_from(at(NEW_YORK, (2025, 3, 8), (2, 30)));
    let day_of_gap = hour_from(at(NEW_YORK, (2025, 3, 9), (1, 30)));
    assert_eq!(move_in_wall_clock(day_of_gap, from, to, NEW_YORK), Ok(hour_from(at(NEW_YORK, (2025, 3, 9), (3, 30)))));
}
