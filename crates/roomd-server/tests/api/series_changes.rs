//! A series changed from one occurrence on (docs/wire-compat.md "Series"): `scope` on
//! `meeting/update` and `meeting/cancel`, a new rule, `series/get`, reasons, and
//! `meeting/list`'s `userId`.

use serde_json::{Value, json};

use crate::hardening::code;
use crate::support::{HOUR, TOMORROW, TestApp};

const DAY: i64 = 24 * HOUR;
/// Monday 2030-01-14 10:00 in Shanghai.
const MONDAY_TEN: i64 = TOMORROW + 4 * DAY + 10 * HOUR;

/// A daily series of five at 10:00: its id and its occurrences' ids, in order.
async fn daily_five(t: &TestApp, room: &str) -> (String, Vec<String>) {
    let body = json!({"roomId": room, "speaker": "s", "subject": "stand-up", "beginTime": MONDAY_TEN,
                      "endTime": MONDAY_TEN + HOUR, "createdId": "1", "attendances": [{"userId": "1"}],
                      "recurrence": "FREQ=DAILY;COUNT=5"});
    let booked = t.ok("meeting/book", body).await;
    let ids = booked["occurrences"]
        .as_array()
        .expect("occurrences")
        .iter()
        .map(|o| o["id"].as_str().expect("id").to_string());
    (booked["seriesId"].as_str().expect("series").to_string(), ids.collect())
}

async fn series(t: &TestApp, id: &str) -> Value {
    t.ok("series/get", json!({"seriesId": id})).await
}

fn column(series: &Value, key: &str) -> Vec<Value> {
    series["occurrences"].as_array().expect("occurrences").iter().map(|m| m[key].clone()).collect()
}

#[tokio::test]
async fn an_update_moves_the_following_occurrences_in_wall_clock_time() {
    let t = TestApp::spawn().await;
    let room = t.room(json!({})).await;
    let (id, occ) = daily_five(&t, &room).await;
    // From the third on: an hour later, and a new subject.
    let body = json!({"id": occ[2], "scope": "following", "subject": "retro", "beginTime": MONDAY_TEN + 2 * DAY + HOUR,
                      "endTime": MONDAY_TEN + 2 * DAY + 2 * HOUR});
    let named = t.ok("meeting/update", body).await;
    assert_eq!(named["id"], occ[2].as_str());
    let s = series(&t, &id).await;
    let begins: Vec<i64> = column(&s, "beginTime").iter().map(|v| v.as_i64().expect("begin")).collect();
    assert_eq!(begins, [0, DAY, 2 * DAY + HOUR, 3 * DAY + HOUR, 4 * DAY + HOUR].map(|d| MONDAY_TEN + d));
    assert_eq!(column(&s, "subject"), ["stand-up", "stand-up", "retro", "retro", "retro"].map(Value::from));
    assert_eq!((s["recurrence"].clone(), s["timeZone"].clone()), (json!("FREQ=DAILY;COUNT=5"), json!("Asia/Shanghai")));
}

#[tokio::test]
async fn a_scoped_update_is_all_or_nothing() {
    let t = TestApp::spawn().await;
    let room = t.room(json!({})).await;
    let (id, occ) = daily_five(&t, &room).await;
    let in_the_way = MONDAY_TEN + 3 * DAY + HOUR;
    let blocker = json!({"roomId": room, "speaker": "s", "subject": "other", "beginTime": in_the_way,
                         "endTime": in_the_way + HOUR, "createdId": "1", "attendances": []});
    t.ok("meeting/book", blocker).await;
    let body = json!({"id": occ[0], "scope": "all", "beginTime": MONDAY_TEN + HOUR, "endTime": MONDAY_TEN + 2 * HOUR});
    let refused = t.call("meeting/update", body).await;
    assert_eq!(code(&refused), 71014, "{refused}");
    assert_eq!(refused["fieldErrors"], json!({in_the_way.to_string(): "Room is occupied"}));
    let begins: Vec<i64> = column(&series(&t, &id).await, "beginTime").iter().map(|v| v.as_i64().expect("b")).collect();
    assert_eq!(begins[0], MONDAY_TEN, "nothing moved");
    assert_eq!(
        code(&t.call("meeting/update", json!({"id": occ[0], "scope": "some"})).await),
        71001,
        "an unknown scope"
    );
}

#[tokio::test]
async fn a_cancel_reaches_this_the_following_or_all_and_keeps_the_reason() {
    let t = TestApp::spawn().await;
    let room = t.room(json!({})).await;
    let (id, occ) = daily_five(&t, &room).await;
    t.ok("meeting/cancel", json!({"meetingId": occ[1], "reason": "holiday"})).await;
    t.ok("meeting/cancel", json!({"meetingId": occ[3], "scope": "following", "reason": "project over"})).await;
    let s = series(&t, &id).await;
    assert_eq!(
        column(&s, "status").iter().map(|v| v.as_i64().expect("status") == 4).collect::<Vec<_>>(),
        [false, true, false, true, true]
    );
    assert_eq!(column(&s, "reason"), ["", "holiday", "", "project over", "project over"].map(Value::from));
    assert_eq!(
        code(&t.call("meeting/cancel", json!({"meetingId": occ[3], "scope": "all"})).await),
        71015,
        "already cancelled"
    );
    t.ok("meeting/cancel", json!({"meetingId": occ[0], "scope": "all"})).await;
    let s = series(&t, &id).await;
    assert!(column(&s, "status").iter().all(|v| v == 4), "{s}");
    let long = "x".repeat(501);
    assert_eq!(code(&t.call("meeting/cancel", json!({"meetingId": occ[0], "reason": long})).await), 71001);
    assert_eq!(code(&t.call("series/get", json!({"seriesId": "NOPE"})).await), 71012);
}

#[tokio::test]
async fn a_new_rule_replaces_the_following_occurrences_with_a_new_series() {
    let t = TestApp::spawn().await;
    let room = t.room(json!({})).await;
    let (id, occ) = daily_five(&t, &room).await;
    let body = json!({"id": occ[2], "scope": "following", "recurrence": "FREQ=DAILY;INTERVAL=2;COUNT=3"});
    let replaced = t.ok("meeting/update", body).await;
    let new_series = replaced["seriesId"].as_str().expect("series").to_string();
    assert_ne!(new_series, id);
    let begins: Vec<i64> =
        replaced["occurrences"].as_array().expect("occ").iter().map(|o| o["beginTime"].as_i64().expect("b")).collect();
    assert_eq!(begins, [2 * DAY, 4 * DAY, 6 * DAY].map(|d| MONDAY_TEN + d));
    let old = series(&t, &id).await;
    assert_eq!(column(&old, "status").iter().filter(|v| **v == 4).count(), 3, "the third on cancelled");
    let refused = t.call("meeting/update", json!({"id": occ[0], "recurrence": "FREQ=DAILY;COUNT=2"})).await;
    assert_eq!(code(&refused), 71001, "a new rule needs following or all: {refused}");
}

#[tokio::test]
async fn meetings_are_listed_for_the_user_who_booked_or_attends_them() {
    let t = TestApp::spawn().await;
    let room = t.room(json!({})).await;
    let guest = t.user("guest").await;
    let book = |subject: &str, attendees: Value, at: i64| {
        json!({"roomId": room, "speaker": "s", "subject": subject, "beginTime": at, "endTime": at + HOUR,
               "createdId": "1", "attendances": attendees})
    };
    t.ok("meeting/book", book("with guest", json!([{"userId": guest}]), MONDAY_TEN)).await;
    t.ok("meeting/book", book("alone", json!([]), MONDAY_TEN + 2 * HOUR)).await;
    let listed =
        |user: &str| json!({"userId": user, "minTime": "2030-01-14 00:00:00", "maxTime": "2030-01-15 00:00:00"});
    let subjects = |v: Value| v.as_array().expect("list").iter().map(|m| m["subject"].clone()).collect::<Vec<_>>();
    assert_eq!(subjects(t.ok("meeting/list", listed(&guest)).await), [json!("with guest")]);
    let booked = subjects(t.ok("meeting/list", listed("1")).await);
    assert_eq!(booked, [json!("with guest"), json!("alone")], "the booker");
}

#[tokio::test]
async fn another_companys_series_is_unknown_to_every_call() {
    let t = TestApp::spawn().await;
    let room = t.room(json!({})).await;
    let (id, occ) = daily_five(&t, &room).await;
    let other = t.other_company_token().await;
    assert_eq!(code(&t.call_as(&other, "series/get", json!({"seriesId": id})).await), 71012);
    let cancel = json!({"meetingId": occ[0], "scope": "all"});
    assert_eq!(code(&t.call_as(&other, "meeting/cancel", cancel).await), 71012);
    let update = json!({"id": occ[0], "scope": "all", "subject": "theirs"});
    assert_eq!(code(&t.call_as(&other, "meeting/update", update).await), 71012);
    assert!(column(&series(&t, &id).await, "status").iter().all(|s| s != 4), "untouched");
}
