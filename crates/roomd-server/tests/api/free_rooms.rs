//! Finding a free room on the wire (docs/wire-compat.md "Finding a free room"):
//! `room/free` (every reason and their precedence, busy lists, filters, order,
//! permission, hours in the room's zone, bad input) and `room/schedule` (a day in two
//! zones, cancelled and rejected meetings left out).

use serde_json::{Value, json};

use crate::hardening::code;
use crate::support::{HOUR, NOW, TOMORROW, TestApp, merge};

/// Tomorrow `from`–`to` o'clock in Shanghai, as `room/free` takes it.
fn range(from: i64, to: i64) -> Value {
    json!({"beginTime": TOMORROW + from * HOUR, "endTime": TOMORROW + to * HOUR})
}

fn with(mut body: Value, extra: Value) -> Value {
    merge(&mut body, extra);
    body
}

/// Each room of a `room/free` answer: name, available, reason.
async fn found(t: &TestApp, body: Value) -> Vec<(String, bool, String)> {
    let rooms = t.ok("room/free", body).await;
    let rooms = rooms.as_array().expect("a list").clone();
    rooms
        .iter()
        .map(|r| {
            let name = r["name"].as_str().expect("name").to_string();
            (name, r["available"].as_bool().expect("available"), r["reason"].as_str().expect("reason").to_string())
        })
        .collect()
}

fn names(found: &[(String, bool, String)]) -> Vec<&str> {
    found.iter().map(|(n, _, _)| n.as_str()).collect()
}

fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_string()
}

#[tokio::test]
async fn the_first_reason_applies_disabled_then_permission_then_hours_then_occupied() {
    let t = TestApp::spawn().await;
    let (alice, bob) = (t.user("alice").await, t.user("bob").await);
    let room = t.room(json!({"name": "A", "capacity": 4})).await;
    let held = t.ok("meeting/book", t.booking(&room, 10, 11)).await;
    let update = |extra: Value| t.ok("room/update", with(json!({"id": room}), extra));
    update(json!({"status": 0, "permission": 1, "userIds": [alice], "beginTime": "13:00"})).await;
    let search = |user: &str| with(range(10, 12), json!({"userId": user, "includeUnavailable": true}));

    let answer = t.ok("room/free", search(&bob)).await;
    let mut expected = t.ok("room/get", json!({"roomId": room})).await;
    let busy = json!([{"meetingId": held["id"], "beginTime": TOMORROW + 10 * HOUR, "endTime": TOMORROW + 11 * HOUR}]);
    merge(&mut expected, json!({"available": false, "reason": "disabled", "busy": busy}));
    assert_eq!(answer, json!([expected]), "a room object as room/get's, judged");

    update(json!({"status": 1})).await;
    assert_eq!(found(&t, search(&bob)).await, [("A".into(), false, "permission".into())]);
    assert_eq!(found(&t, search(&alice)).await, [("A".into(), false, "hours".into())], "listed");
    assert_eq!(found(&t, search("1")).await, [("A".into(), false, "hours".into())], "an admin");
    let anyone = with(range(10, 12), json!({"includeUnavailable": true}));
    assert_eq!(found(&t, anyone.clone()).await, [("A".into(), false, "hours".into())], "nobody named");
    update(json!({"beginTime": "08:00"})).await;
    assert_eq!(found(&t, search(&alice)).await, [("A".into(), false, "occupied".into())]);
    t.ok("meeting/cancel", json!({"meetingId": held["id"]})).await;
    let free = t.ok("room/free", search(&alice)).await;
    assert_eq!(
        (free[0]["available"].clone(), free[0]["reason"].clone(), free[0]["busy"].clone()),
        (json!(true), json!(""), json!([]))
    );
}

#[tokio::test]
async fn busy_lists_pending_and_approved_meetings_overlapping_the_range_by_start() {
    let t = TestApp::spawn().await;
    let alice = t.user("alice").await;
    let room = t.room(json!({"name": "Audit", "needAudit": 1})).await;
    let late = t.ok("meeting/book", t.booking(&room, 11, 12)).await;
    let pending = t.ok("meeting/book", with(t.booking(&room, 9, 10), json!({"createdId": alice}))).await;
    assert_eq!(pending["checkedState"], 0, "awaits approval");
    let rejected = t.ok("meeting/book", with(t.booking(&room, 10, 11), json!({"createdId": alice}))).await;
    t.ok("meeting/update", json!({"id": rejected["id"], "checkedState": 2})).await;
    let cancelled = t.ok("meeting/book", t.booking(&room, 12, 13)).await;
    t.ok("meeting/cancel", json!({"meetingId": cancelled["id"]})).await;
    t.ok("meeting/book", t.booking(&room, 13, 14)).await; // touches the range's end

    let answer = t.ok("room/free", with(range(9, 13), json!({"includeUnavailable": true}))).await;
    let hold = |m: &Value, from: i64| json!({"meetingId": m["id"], "beginTime": TOMORROW + from * HOUR, "endTime": TOMORROW + (from + 1) * HOUR});
    assert_eq!(answer[0]["busy"], json!([hold(&pending, 9), hold(&late, 11)]));
    assert_eq!(answer[0]["reason"], "occupied");
    // Rejected and cancelled meetings hold nothing: 10:00–11:00 is free.
    assert_eq!(found(&t, range(10, 11)).await, [("Audit".into(), true, String::new())]);
    assert_eq!(found(&t, range(12, 13)).await, [("Audit".into(), true, String::new())]);
    assert_eq!(
        found(&t, range(9, 10)).await,
        Vec::<(String, bool, String)>::new(),
        "only available rooms without includeUnavailable"
    );
}

#[tokio::test]
async fn filters_narrow_and_rooms_come_available_first_then_smallest_then_by_name() {
    let t = TestApp::spawn().await;
    let tower = id(&t.ok("building/add", json!({"name": "Tower", "floors": ["F1", "F2"]})).await);
    t.room(json!({"name": "Cedar", "capacity": 10, "buildingId": tower, "floorName": "F1"})).await;
    t.room(json!({"name": "Birch", "capacity": 4, "buildingId": tower, "floorName": "F2"})).await;
    t.room(json!({"name": "Aspen", "capacity": 4, "buildingId": tower, "floorName": "F1"})).await;
    let dogwood = t.room(json!({"name": "Dogwood", "capacity": 2})).await;
    t.ok("meeting/book", t.booking(&dogwood, 10, 11)).await;
    let elm = t.room(json!({"name": "Elm", "capacity": 8})).await;
    t.ok("room/remove", json!({"roomId": elm})).await;
    t.room(json!({"name": "Fir", "capacity": 20, "status": 0})).await;

    let search = |extra: Value| found(&t, with(range(10, 11), extra));
    assert_eq!(names(&search(json!({})).await), ["Aspen", "Birch", "Cedar"]);
    let everything = search(json!({"includeUnavailable": true})).await;
    let reasons: Vec<&str> = everything.iter().map(|(_, _, r)| r.as_str()).collect();
    assert_eq!(names(&everything), ["Aspen", "Birch", "Cedar", "Dogwood", "Fir"], "a removed room never");
    assert_eq!(reasons, ["", "", "", "occupied", "disabled"]);
    assert_eq!(names(&search(json!({"capacity": 5})).await), ["Cedar"]);
    assert_eq!(names(&search(json!({"capacity": 5, "includeUnavailable": true})).await), ["Cedar", "Fir"]);
    assert_eq!(names(&search(json!({"capacity": 0})).await), ["Aspen", "Birch", "Cedar"]);
    assert_eq!(names(&search(json!({"buildingId": tower})).await), ["Aspen", "Birch", "Cedar"]);
    assert_eq!(names(&search(json!({"buildingId": tower, "floorName": "F1"})).await), ["Aspen", "Cedar"]);
    assert_eq!(names(&search(json!({"floorName": "F2"})).await), ["Birch"], "a floor of that name anywhere");
    assert_eq!(names(&search(json!({"buildingId": tower, "capacity": 5})).await), ["Cedar"]);
    assert_eq!(names(&search(json!({"buildingId": " ", "floorName": ""})).await), ["Aspen", "Birch", "Cedar"]);
    assert_eq!(code(&t.call("room/free", with(range(10, 11), json!({"buildingId": "NOPE"}))).await), 71025);
}

#[tokio::test]
async fn with_a_user_only_rooms_they_may_book_are_available() {
    let t = TestApp::spawn().await;
    let (alice, bob) = (t.user("alice").await, t.user("bob").await);
    let carol = id(&t.ok("user/add", json!({"name": "carol", "account": "carol", "status": 0})).await);
    let gone = t.user("gone").await;
    t.ok("user/remove", json!({"userId": gone})).await;
    t.room(json!({"name": "Open"})).await;
    t.room(json!({"name": "Closed", "permission": 1, "userIds": [alice]})).await;
    let search = |user: &str| found(&t, with(range(10, 11), json!({"userId": user, "includeUnavailable": true})));
    let both = vec![("Closed".to_string(), true, String::new()), ("Open".into(), true, String::new())];
    assert_eq!(search(&alice).await, both);
    assert_eq!(search("1").await, both, "an admin");
    assert_eq!(search(" ").await, both, "a blank userId is no user");
    assert_eq!(
        search(&bob).await,
        [("Open".into(), true, String::new()), ("Closed".into(), false, "permission".into())]
    );
    let refused =
        [("Closed".to_string(), false, "permission".to_string()), ("Open".into(), false, "permission".into())];
    assert_eq!(search(&carol).await, refused, "a disabled user books nothing");
    for unknown in ["NOPE", gone.as_str()] {
        let answer = t.call("room/free", with(range(10, 11), json!({"userId": unknown}))).await;
        assert_eq!(answer, json!({"success": false, "message": "User is not exist", "code": 71009, "fieldErrors": {}}));
    }
}

#[tokio::test]
async fn hours_are_judged_in_each_rooms_zone() {
    let t = TestApp::spawn().await;
    let london = id(&t.ok("building/add", json!({"name": "London", "timeZone": "Europe/London"})).await);
    let hours = json!({"beginTime": "09:00", "endTime": "17:00"});
    t.room(with(hours.clone(), json!({"name": "Thames", "buildingId": london}))).await;
    t.room(with(hours, json!({"name": "Bund"}))).await;
    let night = json!({"name": "Night", "buildingId": london, "beginTime": "00:00", "endTime": "24:00"});
    t.room(night).await;
    let all = |begin: i64, end: i64| found(&t, json!({"beginTime": begin, "endTime": end, "includeUnavailable": true}));
    let utc = |h: i64| TOMORROW + 8 * HOUR + h * HOUR; // 2030-01-10 h:00 UTC, GMT in London
    let reason_of = |found: &[(String, bool, String)], name: &str| {
        found.iter().find(|(n, _, _)| n == name).map(|(_, _, r)| r.clone()).expect("listed")
    };
    let nine_london = all(utc(9), utc(10)).await;
    assert_eq!((reason_of(&nine_london, "Thames"), reason_of(&nine_london, "Bund")), ("".into(), "hours".into()));
    let eight_london = all(utc(8), utc(9)).await;
    assert_eq!((reason_of(&eight_london, "Thames"), reason_of(&eight_london, "Bund")), ("hours".into(), "".into()));
    // 2030-07-11 08:00 UTC is 09:00 in London (BST): open; 16:00 UTC is 17:00 there: closed.
    let july = 1_909_987_200_000_i64;
    assert_eq!(reason_of(&all(july, july + HOUR).await, "Thames"), "");
    assert_eq!(reason_of(&all(july + 8 * HOUR, july + 9 * HOUR).await, "Thames"), "hours");
    // Open all day, but a range across London's midnight is outside any one day's hours.
    assert_eq!(reason_of(&all(utc(22), utc(24)).await, "Night"), "");
    assert_eq!(reason_of(&all(utc(23), utc(25)).await, "Night"), "hours");
    let zone = t.ok("room/free", json!({"beginTime": utc(9), "endTime": utc(10)})).await[0]["timeZone"].clone();
    assert_eq!(zone, "Europe/London");
}

#[tokio::test]
async fn bad_input_is_refused_in_the_envelope() {
    let t = TestApp::spawn().await;
    t.room(json!({"name": "r"})).await;
    let (begin, end) = (TOMORROW + 10 * HOUR, TOMORROW + 11 * HOUR);
    let begun = json!({"beginTime": NOW - HOUR, "endTime": NOW + HOUR});
    assert_eq!(found(&t, begun).await, [("r".to_string(), true, String::new())], "begun, not over: judged");
    let envelope = |code: i64, message: &str, field: &str, why: &str| json!({"success": false, "message": message, "code": code, "fieldErrors": {field: why}});
    let invalid = |field: &str, why: &str| envelope(71001, "Invalid arguments", field, why);
    let epoch = "must be epoch milliseconds from 0 (1970-01-01) to 253402300799999 (9999-12-31)";
    for (body, expected) in [
        (json!({"endTime": end}), envelope(71005, "Lack beginTime arguments", "beginTime", "required")),
        (json!({"beginTime": begin}), envelope(71005, "Lack endTime arguments", "endTime", "required")),
        (json!({"beginTime": begin, "endTime": begin}), invalid("endTime", "must be after beginTime")),
        (json!({"beginTime": end, "endTime": begin}), invalid("endTime", "must be after beginTime")),
        (json!({"beginTime": -1, "endTime": end}), invalid("beginTime", epoch)),
        (json!({"beginTime": begin, "endTime": 253_402_300_800_000_i64}), invalid("endTime", epoch)),
        (
            json!({"beginTime": begin, "endTime": begin + 7 * 24 * HOUR + 1}),
            invalid("endTime", "a search covers at most 7 days"),
        ),
        (
            json!({"beginTime": TOMORROW - 48 * HOUR, "endTime": TOMORROW - 47 * HOUR}),
            invalid("endTime", "the range is already over"),
        ),
        (json!({"beginTime": begin, "endTime": end, "capacity": -1}), invalid("capacity", "must not be negative")),
        (
            json!({"beginTime": begin, "endTime": end, "userId": "no such!"}),
            invalid("userId", "only letters, digits, '-', '_' and '.' are allowed"),
        ),
    ] {
        assert_eq!(t.call("room/free", body.clone()).await, expected, "{body}");
    }
    for (body, field) in [
        (json!({"beginTime": "tomorrow", "endTime": end}), "beginTime"),
        (json!({"beginTime": begin, "endTime": 1.5}), "endTime"),
        (json!({"beginTime": begin, "endTime": end, "capacity": "4"}), "capacity"),
        (json!({"beginTime": begin, "endTime": end, "includeUnavailable": "yes"}), "includeUnavailable"),
        (json!({"beginTime": begin, "endTime": end, "buildingId": 7}), "buildingId"),
    ] {
        let refused = t.call("room/free", body.clone()).await;
        let fields: Vec<&String> = refused["fieldErrors"].as_object().expect("fieldErrors").keys().collect();
        assert_eq!(
            (code(&refused), refused["message"].as_str(), fields),
            (71008, Some("Arguments type mismatch"), vec![&field.to_string()]),
            "{body}"
        );
    }
}

#[tokio::test]
async fn a_schedule_is_each_rooms_day_in_its_own_zone_without_cancelled_meetings() {
    let t = TestApp::spawn().await;
    let london = id(&t.ok("building/add", json!({"name": "London", "timeZone": "Europe/London"})).await);
    let all_day = json!({"beginTime": "00:00", "endTime": "24:00"});
    let thames = t.room(with(all_day.clone(), json!({"name": "Thames", "buildingId": london}))).await;
    let bund = t.room(with(all_day, json!({"name": "Bund", "beginTime": "08:00"}))).await;
    let book = |room: &str, begin: i64, extra: Value| {
        let body = with(
            json!({"roomId": room, "speaker": "s", "subject": format!("at {begin}"), "beginTime": begin,
                               "endTime": begin + HOUR, "createdId": "1", "attendances": []}),
            extra,
        );
        t.ok("meeting/book", body)
    };
    let utc = |h: i64| TOMORROW + 8 * HOUR + h * HOUR; // 2030-01-10 h:00 UTC
    let bund_early = book(&bund, TOMORROW + HOUR * 8, json!({})).await; // 08:00 Shanghai, 2030-01-10
    let bund_series = book(&bund, TOMORROW + HOUR * 20, json!({"recurrence": "FREQ=DAILY;COUNT=2"})).await;
    let thames_eve = book(&thames, utc(-1), json!({})).await; // 23:00 London, 2030-01-09
    let thames_day = book(&thames, utc(10), json!({})).await;
    let thames_gone = book(&thames, utc(12), json!({})).await;
    t.ok("meeting/cancel", json!({"meetingId": thames_gone["id"]})).await;
    let rejected = book(&thames, utc(14), json!({})).await;
    t.ok("meeting/update", json!({"id": rejected["id"], "checkedState": 2})).await;

    let day = t.ok("room/schedule", json!({"date": "2030-01-10"})).await;
    let line = |m: &Value| {
        json!({"id": m["id"], "subject": m["subject"], "speaker": "s", "beginTime": m["beginTime"],
               "endTime": m["endTime"], "checkedState": 1, "status": 0, "seriesId": m["seriesId"]})
    };
    assert_ne!(bund_series["seriesId"], "", "a series shows its id");
    let expected = json!([
        {"roomId": bund, "name": "Bund", "timeZone": "Asia/Shanghai", "beginTime": "08:00", "endTime": "24:00",
         "meetings": [line(&bund_early), line(&bund_series)]},
        {"roomId": thames, "name": "Thames", "timeZone": "Europe/London", "beginTime": "00:00", "endTime": "24:00",
         "meetings": [line(&thames_day)]},
    ]);
    assert_eq!(day, expected, "the London evening of the 9th is the 10th in Shanghai, not in London");
    let ninth = t.ok("room/schedule", json!({"date": "2030-01-09", "roomIds": [thames]})).await;
    assert_eq!(
        ninth,
        json!([{"roomId": thames, "name": "Thames", "timeZone": "Europe/London", "beginTime": "00:00",
                                "endTime": "24:00", "meetings": [line(&thames_eve)]}])
    );
    let names = |v: Value| v.as_array().map(|a| a.iter().map(|r| r["name"].clone()).collect::<Vec<_>>());
    let in_london = t.ok("room/schedule", json!({"date": "2030-01-10", "buildingId": london})).await;
    assert_eq!(names(in_london), Some(vec![json!("Thames")]));
    let both = json!({"date": "2030-01-10", "buildingId": london, "roomIds": [bund, thames]});
    assert_eq!(names(t.ok("room/schedule", both).await), Some(vec![json!("Thames")]), "named, but elsewhere");
}

#[tokio::test]
async fn a_schedule_refuses_unknown_rooms_and_bad_input() {
    let t = TestApp::spawn().await;
    let kept = t.room(json!({"name": "Kept"})).await;
    let removed = t.room(json!({"name": "Removed"})).await;
    t.ok("room/remove", json!({"roomId": removed})).await;
    let schedule = |body: Value| t.call("room/schedule", body);
    let room_not_exist = json!({"success": false, "message": "Room is not exist", "code": 71011, "fieldErrors": {}});
    assert_eq!(schedule(json!({"date": "2030-01-10", "roomIds": [kept, "NOPE"]})).await, room_not_exist);
    assert_eq!(schedule(json!({"date": "2030-01-10", "roomIds": [removed]})).await, room_not_exist, "removed");
    let twice = t.ok("room/schedule", json!({"date": "2030-01-10", "roomIds": [kept, kept]})).await;
    assert_eq!(twice.as_array().map(Vec::len), Some(1), "named twice, listed once");
    let all = t.ok("room/schedule", json!({"date": "2030-01-10", "roomIds": []})).await;
    assert_eq!(all.as_array().map(Vec::len), Some(1), "no ids narrow nothing; a removed room never shows");
    assert_eq!(
        schedule(json!({})).await,
        json!({"success": false, "message": "Lack date arguments", "code": 71005, "fieldErrors": {"date": "required"}})
    );
    assert_eq!(
        schedule(json!({"date": "2030-13-01"})).await,
        json!({"success": false, "message": "Invalid arguments", "code": 71001, "fieldErrors": {"date": "expected yyyy-MM-dd"}})
    );
    let many: Vec<String> = (0..1001).map(|i| format!("r{i}")).collect();
    let too_many = schedule(json!({"date": "2030-01-10", "roomIds": many})).await;
    assert_eq!((code(&too_many), too_many["fieldErrors"]["roomIds"].clone()), (71001, json!("at most 1000 rooms")));
    assert_eq!(code(&schedule(json!({"date": "2030-01-10", "roomIds": kept})).await), 71008, "a list");
    assert_eq!(code(&schedule(json!({"date": 20300110})).await), 71008);
    assert_eq!(code(&schedule(json!({"date": "2030-01-10", "buildingId": "NOPE"})).await), 71025);
}
