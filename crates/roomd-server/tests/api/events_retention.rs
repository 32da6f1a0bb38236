//! Retention in a running server: once delivered events are older than the retention,
//! the next pass takes them out of the delivery log (the table's newest stays), and
//! replaying one answers 71001.

use std::time::Duration;

use roomd_server::Retention;
use serde_json::{Value, json};

use crate::events::{Receiver, subscribe};
use crate::support::TestApp;

const DAY_MS: i64 = 86_400_000;

/// The numbers in the delivery log, oldest first.
async fn logged(app: &TestApp) -> Vec<Value> {
    let log = app.ok("event/deliveries", json!({})).await;
    log.as_array().expect("a list").iter().rev().map(|d| d["seq"].clone()).collect()
}

#[tokio::test]
async fn delivered_events_past_the_retention_leave_the_log() {
    let mut app = TestApp::spawn_with(|mut state| {
        state.event_retention = Some(Retention { keep: Duration::from_secs(86_400), every: Duration::from_millis(50) });
        Ok(state)
    })
    .await;
    let receiver = Receiver::start().await;
    subscribe(&app, &receiver).await;
    for name in ["一", "二", "三"] {
        app.ok("dept/add", json!({"name": name})).await;
    }
    receiver.wait_for(3).await;
    let seqs = logged(&app).await;
    assert_eq!(seqs.len(), 3);
    // Passes come and go while the events are young: all stay.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(logged(&app).await, seqs);

    app.clock.advance(2 * DAY_MS);
    app.token = app.token_for(&app.appkey.clone(), &app.appsecret.clone()).await;
    let mut kept = Vec::new();
    for _ in 0..100 {
        kept = logged(&app).await;
        if kept.len() == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(kept, &seqs[2..], "the two older delivered events went; the newest stays");
    let replay = app.call("event/replay", json!({"seq": seqs[0]})).await;
    assert_eq!(replay["code"], 71001, "{replay}");
}
