//! Booking over HTTP: concurrency, filters, updates and approval.

use serde_json::{Value, json};

use crate::support::{HOUR, TOMORROW, TestApp};

fn ids(v: &Value) -> Vec<String> {
    v.as_array().expect("list").iter().map(|m| m["subject"].as_str().unwrap_or("").to_string()).collect()
}

#[tokio::test]
async fn thirty_two_concurrent_http_bookings_of_one_slot_give_one_success() {
    let t = TestApp::spawn().await;
    let room = t.room(json!({})).await;
    let calls = (0..32).map(|_| t.call("meeting/book", t.booking(&room, 10, 11)));
    let answers = futures::future::join_all(calls).await;
    let codes: Vec<i64> = answers.iter().map(|a| a["code"].as_i64().unwrap_or(0)).collect();
    assert_eq!(codes.iter().filter(|c| **c == 10000).count(), 1, "{codes:?}");
    assert_eq!(codes.iter().filter(|c| **c == 71014).count(), 31, "{codes:?}");
}

#[tokio::test]
async fn list_filters_follow_the_decisions() {
    let t = TestApp::spawn().await;
    let a = t.room(json!({})).await;
    let b = t.room(json!({})).await;
    for (room, from, subject, speaker) in [(&a, 14, "a14", "王五"), (&a, 9, "a9", "张三"), (&b, 11, "b11", "张四")]
    {
        let mut body = t.booking(room, from, from + 1);
        body["subject"] = json!(subject);
        body["speaker"] = json!(speaker);
        t.ok("meeting/book", body).await;
    }
    let list = |body: Value| async { t.ok("meeting/list", body).await };
    assert_eq!(ids(&list(json!({})).await), ["a9", "b11", "a14"], "next 30 days, by beginTime");
    assert_eq!(ids(&list(json!({"roomId": a})).await), ["a9", "a14"]);
    assert_eq!(ids(&list(json!({"speakerLike": "张"})).await), ["a9", "b11"]);
    assert_eq!(ids(&list(json!({"speaker": "王五"})).await), ["a14"]);
    assert_eq!(ids(&list(json!({"reverseDate": "2030-01-10", "direction": "desc"})).await), ["a14", "b11", "a9"]);
    assert_eq!(ids(&list(json!({"reverseDate": "2030-01-11"})).await), Vec::<String>::new());
    // minTime keeps endTime > minTime; maxTime keeps beginTime < maxTime.
    let window = json!({"minTime": "2030-01-10 10:00:00", "maxTime": "2030-01-10 14:00:00"});
    assert_eq!(ids(&list(window).await), ["b11"]);
    let touching = json!({"minTime": "2030-01-10 10:00:00", "maxTime": "2030-01-10 14:00:01"});
    assert_eq!(ids(&list(touching).await), ["b11", "a14"]);
    assert_eq!(ids(&list(json!({"checkedState": "0"})).await), Vec::<String>::new());
    assert_eq!(
        ids(&list(json!({"order_by_expression": "createdTime", "direction": "asc"})).await),
        ["a14", "a9", "b11"]
    );
    for bad in [
        json!({"minTime": "2030-01-10"}),
        json!({"direction": "up"}),
        json!({"order_by_expression": "subject"}),
        json!({"checkedState": "5"}),
    ] {
        assert_eq!(t.call("meeting/list", bad.clone()).await["code"], 71001, "{bad}");
    }
}

#[tokio::test]
async fn cancelled_meetings_leave_the_default_list_but_stay_readable() {
    let t = TestApp::spawn().await;
    let room = t.room(json!({})).await;
    let m = t.ok("meeting/book", t.booking(&room, 9, 10)).await;
    t.ok("meeting/cancel", json!({"meetingId": m["id"]})).await;
    assert_eq!(t.ok("meeting/list", json!({})).await, json!([]));
    assert_eq!(t.ok("meeting/list", json!({"includeCancelled": true})).await[0]["status"], 4);
    assert_eq!(t.ok("meeting/get", json!({"meetingId": m["id"]})).await["status"], 4);
    assert_eq!(t.call("meeting/cancel", json!({"meetingId": m["id"]})).await["code"], 71015);
}

#[tokio::test]
async fn updates_replace_attendances_but_keep_ids_of_those_who_stay() {
    let t = TestApp::spawn().await;
    let room = t.room(json!({})).await;
    let yanzu = t.user("yanzu").await;
    let mut body = t.booking(&room, 9, 10);
    body["attendances"] = json!([{"userId": "1"}, {"name": "1122", "phone": "w1312321"}]);
    let m = t.ok("meeting/book", body).await;
    let admin_attendance = m["attendances"][0]["id"].clone();
    let update = json!({"id": m["id"], "subject": "新主题", "endTime": TOMORROW + 11 * HOUR,
        "attendances": [{"userId": yanzu}, {"userId": "1"}, {"userId": "1"}]});
    let updated = t.ok("meeting/update", update).await;
    assert_eq!(updated["subject"], "新主题");
    assert_eq!(updated["endTime"], TOMORROW + 11 * HOUR);
    let names: Vec<&str> =
        updated["attendances"].as_array().expect("list").iter().map(|a| a["name"].as_str().unwrap_or("")).collect();
    assert_eq!(names, ["yanzu", "admin"], "the guest left, the repeated admin attends once");
    assert_eq!(updated["attendances"][1]["id"], admin_attendance);
    assert!(updated["lastUpdateTime"].as_i64() >= m["lastUpdateTime"].as_i64());
    // Moving onto another meeting's slot is refused.
    let other = t.ok("meeting/book", t.booking(&room, 12, 13)).await;
    let clash = json!({"id": other["id"], "beginTime": TOMORROW + 10 * HOUR + 1});
    assert_eq!(t.call("meeting/update", clash).await["code"], 71014);
}

#[tokio::test]
async fn approval_is_pending_in_audited_rooms_and_decided_through_update() {
    let t = TestApp::spawn().await;
    let room = t.room(json!({"needAudit": 1})).await;
    let clerk = t.user("clerk").await;
    let mut body = t.booking(&room, 9, 10);
    body["createdId"] = json!(clerk);
    let m = t.ok("meeting/book", body).await;
    assert_eq!((m["checkedState"].clone(), m["checkedTime"].clone()), (json!(0), json!(0)));
    assert_eq!(t.ok("meeting/list", json!({"checkedState": "0"})).await[0]["id"], m["id"]);
    t.clock.advance(60_000);
    let approved = t.ok("meeting/update", json!({"id": m["id"], "checkedState": 1})).await;
    assert_eq!(approved["checkedState"], 1);
    assert!(approved["checkedTime"].as_i64() > Some(0));
    let admin_booking = t.ok("meeting/book", t.booking(&room, 11, 12)).await;
    assert_eq!(admin_booking["checkedState"], 1, "admins skip approval");
}
