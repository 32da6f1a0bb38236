//! Series on the wire (docs/wire-compat.md "Series"): `meeting/book` with `recurrence`,
//! all or nothing or `skipConflicts`, `meeting/preview`, the rules refused, and
//! occurrences that keep their wall-clock time across daylight saving.

use serde_json::{Value, json};

use crate::hardening::code;
use crate::support::{HOUR, TOMORROW, TestApp};

const DAY: i64 = 24 * HOUR;
/// Monday 2030-01-14 10:00 in Shanghai.
const MONDAY_TEN: i64 = TOMORROW + 4 * DAY + 10 * HOUR;

fn booking(room: &str, begin: i64, rule: Option<&str>) -> Value {
    let mut body = json!({"roomId": room, "speaker": "s", "subject": "weekly", "beginTime": begin,
                          "endTime": begin + HOUR, "createdId": "1", "attendances": [{"userId": "1"}]});
    if let Some(rule) = rule {
        body["recurrence"] = json!(rule);
    }
    body
}

/// The occurrences' starts in a `meeting/book` answer for a series.
fn begins_of(booked: &Value) -> Vec<i64> {
    let occurrences = booked["occurrences"].as_array().expect("occurrences");
    occurrences.iter().map(|o| o["beginTime"].as_i64().expect("begin")).collect()
}

#[tokio::test]
async fn a_weekly_series_books_every_occurrence_as_a_meeting_of_its_own() {
    let t = TestApp::spawn().await;
    let room = t.room(json!({})).await;
    let booked = t.ok("meeting/book", booking(&room, MONDAY_TEN, Some("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6"))).await;
    let begins = begins_of(&booked);
    let expected: Vec<i64> = [0, 2, 7, 9, 14, 16].iter().map(|d| MONDAY_TEN + d * DAY).collect();
    assert_eq!(begins, expected, "Mondays and Wednesdays at 10:00");
    assert_eq!(booked["skipped"], json!([]));
    assert_eq!(booked["id"], booked["occurrences"][0]["id"], "the answer is the first occurrence");
    let series = booked["seriesId"].as_str().expect("series").to_string();
    assert!(!series.is_empty());
    assert_eq!(booked["recurrence"], "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6");
    for o in booked["occurrences"].as_array().expect("occurrences") {
        let m = t.ok("meeting/get", json!({"meetingId": o["id"]})).await;
        assert_eq!(
            (m["seriesId"].as_str(), m["endTime"].as_i64()),
            (Some(series.as_str()), Some(o["beginTime"].as_i64().expect("b") + HOUR))
        );
    }
}

#[tokio::test]
async fn a_series_is_all_or_nothing_unless_it_skips_conflicts() {
    let t = TestApp::spawn().await;
    let room = t.room(json!({})).await;
    let third = MONDAY_TEN + 2 * DAY;
    let blocker = t.ok("meeting/book", booking(&room, third, None)).await;
    let rule = "FREQ=DAILY;COUNT=4";

    let refused = t.call("meeting/book", booking(&room, MONDAY_TEN, Some(rule))).await;
    assert_eq!(code(&refused), 71014, "{refused}");
    assert_eq!(refused["fieldErrors"], json!({third.to_string(): "Room is occupied"}), "{refused}");
    let listed = t.ok("meeting/list", json!({"roomId": room})).await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "nothing booked: {listed}");

    let preview = t.ok("meeting/preview", booking(&room, MONDAY_TEN, Some(rule))).await;
    let seen: Vec<(bool, i64, String)> = preview
        .as_array()
        .expect("preview")
        .iter()
        .map(|p| {
            (p["bookable"] == true, p["code"].as_i64().expect("code"), p["conflictId"].as_str().expect("id").into())
        })
        .collect();
    let other = (true, 10000, String::new());
    let clash = (false, 71014, blocker["id"].as_str().expect("id").to_string());
    assert_eq!(seen, [other.clone(), other.clone(), clash, other]);

    let mut body = booking(&room, MONDAY_TEN, Some(rule));
    body["skipConflicts"] = json!(true);
    let booked = t.ok("meeting/book", body).await;
    assert_eq!(booked["occurrences"].as_array().map(Vec::len), Some(3));
    assert_eq!(booked["skipped"], json!([{"beginTime": third, "endTime": third + HOUR, "code": 71014}]));
}

#[tokio::test]
async fn rules_outside_what_roomd_takes_are_refused_naming_the_recurrence() {
    let t = TestApp::spawn().await;
    let room = t.room(json!({})).await;
    for rule in [
        "FREQ=YEARLY;COUNT=2",
        "FREQ=DAILY",
        "FREQ=DAILY;COUNT=0",
        "FREQ=DAILY;INTERVAL=0;COUNT=2",
        "FREQ=DAILY;COUNT=367",
        "FREQ=DAILY;COUNT=2;UNTIL=20300120",
        "FREQ=WEEKLY;BYHOUR=9;COUNT=2",
        "FREQ=DAILY;UNTIL=20300101",
        "not a rule",
    ] {
        let refused = t.call("meeting/book", booking(&room, MONDAY_TEN, Some(rule))).await;
        assert_eq!(code(&refused), 71001, "{rule}: {refused}");
        assert!(refused["fieldErrors"]["recurrence"].is_string(), "{rule}: {refused}");
    }
    let preview = t.call("meeting/preview", booking(&room, MONDAY_TEN, Some("FREQ=HOURLY;COUNT=2"))).await;
    assert_eq!(code(&preview), 71001, "a bad rule is an error in preview too");
}

/// A London room's 09:00 series is at 09:00 London time on each side of the change to
/// summer time (2030-03-31): 09:00 UTC, then 08:00 UTC.
#[tokio::test]
async fn occurrences_keep_their_wall_clock_time_across_daylight_saving() {
    let t = TestApp::spawn().await;
    let london = t.ok("building/add", json!({"name": "L", "timeZone": "Europe/London"})).await;
    let room = t.room(json!({"buildingId": london["id"], "beginTime": "08:00", "endTime": "18:00"})).await;
    // Monday 2030-03-25 09:00 GMT.
    let first = 1_900_659_600_000_i64;
    let booked = t.ok("meeting/book", booking(&room, first, Some("FREQ=WEEKLY;COUNT=3"))).await;
    let begins = begins_of(&booked);
    assert_eq!(begins, [first, first + 7 * DAY - HOUR, first + 14 * DAY - HOUR]);
    assert_eq!(booked["timeZone"], "Europe/London");
}
