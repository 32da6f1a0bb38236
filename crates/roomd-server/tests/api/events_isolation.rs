//! A receiver that hangs holds up only its own company: another company's events go out
//! while the first company's attempt is still waiting for its 5 s deadline.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::events::{Mode, Receiver, subscribe};
use crate::support::TestApp;

#[tokio::test]
async fn a_hanging_receiver_never_delays_another_companys_events() {
    let app = TestApp::spawn().await;
    let hanging = Receiver::start().await;
    subscribe(&app, &hanging).await;

    let other = app.store.create_company(None, "other".into()).await.expect("company");
    let credential = app.store.create_app(other).await.expect("app");
    let token = app.token_for(&credential.appkey, &credential.appsecret).await;
    let prompt = Receiver::start().await;
    let keys = app.call_as(&token, "event/get", json!({})).await;
    prompt.use_keys(&keys["value"], &credential.appkey);
    let saved = app.call_as(&token, "event/save", json!({"url": prompt.url()})).await;
    assert_eq!(saved["code"], 10000, "{saved}");

    hanging.set(Mode::Hang);
    app.ok("dept/add", json!({"name": "stuck"})).await;
    // Let the first company's attempt start and hang.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    assert_eq!(app.call_as(&token, "dept/add", json!({"name": "prompt"})).await["code"], 10000);
    let events = prompt.wait_for(1).await;
    assert_eq!(events[0]["value"][0]["name"], "prompt");
    assert!(started.elapsed() < Duration::from_secs(3), "waited {:?} behind the hanging receiver", started.elapsed());
    assert!(hanging.received().iter().all(|e| e["event_type"] == "check_url"), "the hanging receiver answered nothing");
}
