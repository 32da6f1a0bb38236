//! No-show release over HTTP: the company's window and a room's override, a meeting with
//! nobody checked in released (status 4, a reason, `book_cancel` pushed), one with a
//! check-in kept.

use serde_json::json;

use crate::events::{Receiver, subscribe};
use crate::support::{HOUR, TOMORROW, TestApp};

#[tokio::test]
async fn meetings_nobody_checks_in_to_are_released_once_with_a_reason() {
    let mut t = TestApp::spawn().await;
    let (watched, exempt) = (t.room(json!({"name": "A"})).await, t.room(json!({"name": "B"})).await);
    let settings = t.ok("checkin/settings/save", json!({"windowMinutes": 10})).await;
    assert_eq!((settings["windowMinutes"].clone(), settings["effectiveWindowMinutes"].clone()), (json!(10), json!(10)));
    let room = t.ok("checkin/settings/save", json!({"roomId": exempt, "windowMinutes": 0})).await;
    assert_eq!((room["roomWindowMinutes"].clone(), room["effectiveWindowMinutes"].clone()), (json!(0), json!(0)));
    assert_eq!(t.call("checkin/settings/save", json!({"windowMinutes": 2000})).await["code"], 71001);
    assert_eq!(t.call("checkin/settings/save", json!({})).await["code"], 71005);
    assert_eq!(t.call("checkin/settings/get", json!({"roomId": "NOPE"})).await["code"], 71011);

    let no_show = t.ok("meeting/book", t.booking(&watched, 10, 11)).await["id"].as_str().expect("id").to_string();
    let kept = t.ok("meeting/book", t.booking(&exempt, 10, 11)).await["id"].as_str().expect("id").to_string();
    let shown = t.ok("meeting/book", t.booking(&watched, 12, 13)).await;
    let receiver = Receiver::start().await;
    subscribe(&t, &receiver).await;

    t.clock.set(TOMORROW + 10 * HOUR + 9 * 60_000);
    assert!(t.store.release_no_shows().await.expect("released").is_empty(), "the window is still open");
    t.clock.set(TOMORROW + 10 * HOUR + 10 * 60_000);
    let released = t.store.release_no_shows().await.expect("released");
    assert_eq!(released.iter().map(|(_, m)| m.to_string()).collect::<Vec<_>>(), std::slice::from_ref(&no_show));
    assert!(t.store.release_no_shows().await.expect("again").is_empty(), "released once");

    t.token = t.token_for(&t.appkey.clone(), &t.appsecret.clone()).await;
    let got = t.ok("meeting/get", json!({"meetingId": no_show})).await;
    assert_eq!(got["status"], 4);
    assert!(got["releaseReason"].as_str().is_some_and(|r| r.contains("10 minutes")), "{got}");
    assert!(t.ok("meeting/get", json!({"meetingId": kept})).await.get("releaseReason").is_none());
    let events = receiver.wait_for(1).await;
    assert_eq!(
        (events[0]["event_type"].clone(), events[0]["value"][0].clone()),
        (json!("book_cancel"), json!(no_show))
    );

    // A meeting someone checked in to stays, window or not.
    let shown_id = shown["id"].as_str().expect("id").to_string();
    t.clock.set(TOMORROW + 12 * HOUR + 60_000);
    let caller = t.store.authenticate(t.token.clone()).await.expect("caller").0;
    let user = roomd_core::meeting::SignTarget::User(roomd_core::UserId::from_stored("1".into()));
    let face = roomd_core::meeting::SignType::Face;
    t.store
        .sign_in_meeting(&caller, roomd_core::MeetingId::from_stored(shown_id.clone()), user, face, String::new())
        .await
        .expect("signed");
    t.clock.set(TOMORROW + 12 * HOUR + 30 * 60_000);
    assert!(t.store.release_no_shows().await.expect("released").is_empty());
    t.token = t.token_for(&t.appkey.clone(), &t.appsecret.clone()).await;
    assert_eq!(t.ok("meeting/get", json!({"meetingId": shown_id})).await["status"], 2);
}
