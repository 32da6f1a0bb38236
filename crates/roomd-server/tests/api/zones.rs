//! Time zones on the wire: `company/get|update`, a building's `timeZone`, and the zone
//! every room and meeting object carries (docs/wire-compat.md "Time zones").

use serde_json::json;

use crate::hardening::code;
use crate::support::{HOUR, TestApp};

#[tokio::test]
async fn a_company_has_a_zone_and_a_language_that_bad_values_cannot_change() {
    let t = TestApp::spawn().await;
    let company = t.ok("company/get", json!({})).await;
    assert_eq!(
        company,
        json!({"id": "1000", "name": company["name"], "timeZone": "Asia/Shanghai", "language": "zh_cn", "reminderMinutes": 0})
    );
    for (body, field) in [
        (json!({"timeZone": "Mars/Olympus"}), "timeZone"),
        (json!({"timeZone": ""}), "timeZone"),
        (json!({"language": "en"}), "language"),
        (json!({"language": "fr_fr"}), "language"),
    ] {
        let refused = t.call("company/update", body.clone()).await;
        assert_eq!(code(&refused), 71001, "{body}: {refused}");
        assert!(refused["fieldErrors"][field].is_string(), "{body}: names {field}: {refused}");
    }
    assert_eq!(code(&t.call("company/update", json!({"timeZone": 8})).await), 71008, "a wrong type");
    assert_eq!(code(&t.call("company/update", json!({"name": " "})).await), 71005, "a name is required");
    let updated = t.ok("company/update", json!({"timeZone": "Europe/London", "language": "en_us"})).await;
    assert_eq!((updated["timeZone"].clone(), updated["language"].clone()), (json!("Europe/London"), json!("en_us")));
    assert_eq!(t.ok("company/get", json!({})).await, updated, "kept");
}

#[tokio::test]
async fn rooms_and_meetings_carry_their_buildings_zone_and_hours_follow_it() {
    let t = TestApp::spawn().await;
    let refused = t.call("building/add", json!({"name": "B", "timeZone": "Nowhere/Else"})).await;
    assert_eq!((code(&refused), refused["fieldErrors"]["timeZone"].is_string()), (71001, true), "{refused}");
    let ny = t.ok("building/add", json!({"name": "NY", "timeZone": "America/New_York"})).await;
    assert_eq!(ny["timeZone"], "America/New_York");
    let room = t
        .ok("room/add", json!({"name": "Hudson", "buildingId": ny["id"], "beginTime": "09:00", "endTime": "17:00"}))
        .await;
    assert_eq!(room["timeZone"], "America/New_York");
    let plain = t.ok("room/add", json!({"name": "Bund"})).await;
    assert_eq!(plain["timeZone"], "Asia/Shanghai", "the company's");

    // 2030-01-10 09:00 in New York is 14:00 UTC.
    let nine = 1_894_284_000_000_i64;
    let book = |begin: i64| {
        json!({"roomId": room["id"], "speaker": "s", "subject": "t", "beginTime": begin, "endTime": begin + HOUR,
               "createdId": "1", "attendances": [{"userId": "1"}]})
    };
    let booked = t.ok("meeting/book", book(nine)).await;
    assert_eq!(booked["timeZone"], "America/New_York");
    assert_eq!(
        (booked["seriesId"].clone(), booked["recurrence"].clone(), booked["reason"].clone()),
        (json!(""), json!(""), json!(""))
    );
    assert_eq!(code(&t.call("meeting/book", book(nine - HOUR)).await), 71019, "08:00 in New York");

    // Back to the company's zone: the room and its meeting ahead follow.
    let moved = t.ok("building/update", json!({"id": ny["id"], "timeZone": ""})).await;
    assert_eq!(moved["timeZone"], "");
    assert_eq!(t.ok("room/get", json!({"roomId": room["id"]})).await["timeZone"], "Asia/Shanghai");
    assert_eq!(t.ok("meeting/get", json!({"meetingId": booked["id"]})).await["timeZone"], "Asia/Shanghai");
}
