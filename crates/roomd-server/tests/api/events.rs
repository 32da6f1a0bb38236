//! Event subscription against a real receiver on 127.0.0.1:0 that checks the signature,
//! decrypts with the vector-tested `EventCipher`, and answers the encrypted `success`
//! (or, on command, garbage or HTTP 503).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Query, State};
use axum::routing::post;
use axum::{Json, Router};
use roomd_wire::event_crypto::EventCipher;
use serde_json::{Value, json};

use crate::support::TestApp;

#[derive(Clone, Copy, PartialEq)]
pub enum Mode {
    Success,
    Garbage,
    Down,
    Hang,
}

#[derive(Clone)]
pub struct Receiver {
    url: String,
    keys: Arc<Mutex<Option<(String, String, String)>>>,
    mode: Arc<Mutex<Mode>>,
    events: Arc<Mutex<Vec<Value>>>,
}

impl Receiver {
    pub async fn start() -> Receiver {
        Self::start_with(None).await
    }

    /// Over HTTPS with `tls` when given.
    pub async fn start_with(tls: Option<tokio_rustls::TlsAcceptor>) -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let scheme = if tls.is_some() { "https" } else { "http" };
        let url = format!("{scheme}://{}/callback", listener.local_addr().expect("addr"));
        let receiver =
            Receiver { url, keys: Arc::default(), mode: Arc::new(Mutex::new(Mode::Success)), events: Arc::default() };
        let app = Router::new().route("/callback", post(receive)).with_state(receiver.clone());
        match tls {
            None => drop(tokio::spawn(async move { axum::serve(listener, app).await })),
            Some(acceptor) => drop(tokio::spawn(crate::events_tls::serve(listener, acceptor, app))),
        }
        receiver
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn use_keys(&self, subscription: &Value, appkey: &str) {
        let aes_key = subscription["aesKey"].as_str().expect("aesKey").to_string();
        let token = subscription["token"].as_str().expect("token").to_string();
        *self.keys.lock().expect("keys") = Some((aes_key, token, appkey.to_string()));
    }

    pub fn set(&self, mode: Mode) {
        *self.mode.lock().expect("mode") = mode;
    }

    pub fn received(&self) -> Vec<Value> {
        self.events.lock().expect("events").clone()
    }

    /// Waits until `n` events (after the check_url) have arrived.
    pub async fn wait_for(&self, n: usize) -> Vec<Value> {
        for _ in 0..200 {
            let events: Vec<Value> = self.received().into_iter().filter(|e| e["event_type"] != "check_url").collect();
            if events.len() >= n {
                return events;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("waited for {n} events, got {:?}", self.received());
    }
}

async fn receive(
    State(r): State<Receiver>,
    Query(query): Query<HashMap<String, String>>,
    Json(body): Json<Value>,
) -> (axum::http::StatusCode, String) {
    let mode = *r.mode.lock().expect("mode");
    if mode == Mode::Down {
        return (axum::http::StatusCode::SERVICE_UNAVAILABLE, "down".into());
    }
    if mode == Mode::Hang {
        tokio::time::sleep(Duration::from_secs(7)).await;
    }
    let Some((aes_key, token, appkey)) = r.keys.lock().expect("keys").clone() else {
        return (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "no keys".into());
    };
    let cipher = EventCipher::new(&aes_key, &token, &appkey).expect("keys");
    // The signing values come in the query string (DingTalk's samples) and in the body.
    for key in ["msg_signature", "nonce"] {
        assert_eq!(body[key].as_str(), query.get(key).map(String::as_str), "{key} in body and query");
    }
    assert_eq!(body["timeStamp"].as_str(), query.get("timestamp").map(String::as_str));
    let plain = cipher
        .open(&query["msg_signature"], &query["timestamp"], &query["nonce"], body["encrypt"].as_str().expect("encrypt"))
        .expect("a correctly signed and encrypted event");
    r.events.lock().expect("events").push(serde_json::from_str(&plain).expect("event JSON"));
    if mode == Mode::Garbage {
        return (axum::http::StatusCode::OK, "ok".into());
    }
    let reply = cipher.seal("success", "1716188523000", "nonce123", b"0123456789abcdef").expect("seal");
    (axum::http::StatusCode::OK, serde_json::to_string(&reply).expect("json"))
}

/// Subscribes the app's company to `receiver`.
pub async fn subscribe(app: &TestApp, receiver: &Receiver) -> Value {
    let keys = app.ok("event/get", json!({})).await;
    receiver.use_keys(&keys, &app.appkey);
    app.ok("event/save", json!({"url": receiver.url})).await
}

#[tokio::test]
async fn save_checks_the_url_and_a_failed_check_keeps_the_configuration() {
    let app = TestApp::spawn().await;
    let keys = app.ok("event/get", json!({})).await;
    assert_eq!(keys["aesKey"].as_str().map(str::len), Some(43));
    assert_eq!(keys["token"].as_str().map(str::len), Some(32));
    assert_eq!(keys["enabled"], false);

    let good = Receiver::start().await;
    let saved = subscribe(&app, &good).await;
    assert_eq!((saved["url"].as_str(), saved["enabled"].as_bool()), (Some(good.url.as_str()), Some(true)));
    assert_eq!(good.received(), vec![json!({"event_type": "check_url", "EventType": "check_url"})]);

    // New keys, then a receiver that answers in clear: refused, and the old URL stays.
    let fresh = app.ok("event/refresh", json!({})).await;
    assert_ne!(fresh["aesKey"], keys["aesKey"]);
    let garbage = Receiver::start().await;
    garbage.use_keys(&fresh, &app.appkey);
    garbage.set(Mode::Garbage);
    let refused = app.call("event/save", json!({"url": garbage.url})).await;
    assert_eq!(refused["code"], 71020, "{refused}");
    let closed = app.call("event/save", json!({"url": "http://127.0.0.1:9/nothing"})).await;
    assert_eq!(closed["code"], 71020);
    // However it failed, the caller reads the same words: no map of the network.
    assert_eq!(refused["fieldErrors"], closed["fieldErrors"], "{refused} {closed}");
    let bad = app.call("event/save", json!({"url": "ftp://example.com"})).await;
    assert_eq!(bad["code"], 71001);

    let now = app.ok("event/get", json!({})).await;
    assert_eq!((now["url"].as_str(), now["enabled"].as_bool()), (Some(good.url.as_str()), Some(true)));
    assert_eq!(now["aesKey"], fresh["aesKey"], "the refreshed keys wait for a successful save");
    // Events still go out with the keys in force.
    app.ok("dept/add", json!({"name": "研发部"})).await;
    assert_eq!(good.wait_for(1).await[0]["event_type"], "dept_add");
}

#[tokio::test]
async fn every_change_is_pushed_in_commit_order_with_the_seed_payloads() {
    let app = TestApp::spawn().await;
    let receiver = Receiver::start().await;
    subscribe(&app, &receiver).await;

    let dept = app.ok("dept/add", json!({"name": "研发部"})).await["id"].as_str().expect("id").to_string();
    let user = app.user("guerdan").await;
    app.ok("user/update", json!({"id": user, "position": "兽人术士"})).await;
    let room = app.room(json!({})).await;
    app.ok("room/update", json!({"id": room, "capacity": 12})).await;
    let meeting = app.ok("meeting/book", app.booking(&room, 10, 11)).await["id"].as_str().expect("id").to_string();
    app.ok("meeting/update", json!({"id": meeting, "subject": "改期"})).await;
    app.ok("meeting/cancel", json!({"meetingId": meeting})).await;
    app.ok("user/remove", json!({"userId": user})).await;
    app.ok("room/remove", json!({"roomId": room})).await;
    app.ok("dept/remove", json!({"deptId": dept})).await;

    let events = receiver.wait_for(11).await;
    let kinds: Vec<&str> = events.iter().map(|e| e["event_type"].as_str().unwrap_or("?")).collect();
    assert_eq!(
        kinds,
        [
            "dept_add",
            "user_add",
            "user_update",
            "room_add",
            "room_update",
            "book_success",
            "book_update",
            "book_cancel",
            "user_remove",
            "room_remove",
            "dept_remove"
        ]
    );
    for e in &events {
        assert_eq!(e["EventType"], e["event_type"]);
    }
    assert_eq!(events[0]["value"][0]["name"], "研发部");
    assert_eq!(events[2]["value"][0]["position"], "兽人术士");
    assert_eq!(events[2]["value"][0]["isAdmin"], false);
    assert_eq!(events[4]["value"][0]["capacity"], 12);
    assert_eq!(events[5]["value"][0]["id"], meeting.as_str());
    assert_eq!(events[5]["value"][0]["attendances"][0]["userId"], "1");
    assert_eq!(events[6]["value"][0]["subject"], "改期");
    assert_eq!(events[7]["value"], json!([meeting]));
    assert_eq!(events[8]["value"], json!([user]));
    assert_eq!(events[9]["value"], json!([room]));
    assert_eq!(events[10]["value"], json!([dept]));

    let log = app.ok("event/deliveries", json!({})).await;
    let log = log.as_array().expect("list");
    assert_eq!(log.len(), 11);
    assert!(log.iter().all(|d| d["state"] == "delivered" && d["attempts"] == 1 && d["lastStatus"] == "success"));
    assert!(log[0]["seq"].as_i64() > log[10]["seq"].as_i64(), "newest first");
}

#[tokio::test]
async fn a_receiver_that_is_down_gets_every_event_in_order_once_it_is_back() {
    let app = TestApp::spawn().await;
    let receiver = Receiver::start().await;
    subscribe(&app, &receiver).await;
    receiver.set(Mode::Down);
    for name in ["一", "二", "三"] {
        app.ok("dept/add", json!({"name": name})).await;
    }
    // The first is tried and fails; the others wait behind it.
    let mut failed = false;
    for _ in 0..100 {
        let log = app.ok("event/deliveries", json!({})).await;
        if log[2]["lastStatus"] == "HTTP 503" {
            assert_eq!((log[2]["state"].as_str(), log[1]["attempts"].as_i64()), (Some("pending"), Some(0)));
            failed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(failed, "the first attempt was recorded as HTTP 503");
    receiver.set(Mode::Success);
    app.clock.advance(10_000);
    let names: Vec<Value> = receiver.wait_for(3).await.iter().map(|e| e["value"][0]["name"].clone()).collect();
    assert_eq!(names, [json!("一"), json!("二"), json!("三")]);
}

#[tokio::test]
async fn events_stay_within_their_company_and_need_a_subscription() {
    let app = TestApp::spawn().await;
    let receiver = Receiver::start().await;
    // Before subscribing: nothing is recorded.
    app.ok("dept/add", json!({"name": "before"})).await;
    subscribe(&app, &receiver).await;
    let other = app.store.create_company(None, "other".into()).await.expect("company");
    let credential = app.store.create_app(other).await.expect("app");
    let token = app.token_for(&credential.appkey, &credential.appsecret).await;
    let envelope = app.call_as(&token, "dept/add", json!({"name": "other company"})).await;
    assert_eq!(envelope["code"], 10000);
    app.ok("dept/add", json!({"name": "after"})).await;
    let events = receiver.wait_for(1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let names: Vec<Value> = receiver
        .received()
        .iter()
        .filter(|e| e["event_type"] != "check_url")
        .map(|e| e["value"][0]["name"].clone())
        .collect();
    assert_eq!(names, [json!("after")], "{events:?}");
}

/// Polls the delivery log until the newest entry satisfies `done`.
async fn wait_log(app: &TestApp, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..200 {
        let log = app.ok("event/deliveries", json!({})).await;
        if done(&log[0]) {
            return log[0].clone();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the delivery log never got there: {}", app.ok("event/deliveries", json!({})).await);
}

#[tokio::test]
async fn garbage_and_silence_are_failed_attempts_retried_later_and_replay_sends_again() {
    let app = TestApp::spawn().await;
    let receiver = Receiver::start().await;
    subscribe(&app, &receiver).await;
    receiver.set(Mode::Garbage);
    app.ok("dept/add", json!({"name": "一"})).await;
    let failed = wait_log(&app, |d| d["attempts"] == 1).await;
    assert_eq!(failed["state"], "pending");
    assert!(failed["lastStatus"].as_str().is_some_and(|s| s.starts_with("bad reply")), "{failed}");
    assert!(failed["nextAttemptTime"].as_i64().is_some_and(|t| t > crate::support::NOW), "{failed}");

    // A receiver that never answers: the attempt ends at the 5 s deadline.
    receiver.set(Mode::Hang);
    app.clock.advance(10_000);
    let silent = wait_log(&app, |d| d["attempts"] == 2).await;
    assert_eq!(silent["lastStatus"], "no answer within 5000 ms");

    receiver.set(Mode::Success);
    app.clock.advance(10_000);
    let delivered = wait_log(&app, |d| d["state"] == "delivered").await;
    assert_eq!(delivered["attempts"], 3);

    // A replay is a copy at the end of the line: it goes after an event that is newer
    // than the one replayed but still waiting.
    receiver.set(Mode::Garbage);
    app.ok("dept/add", json!({"name": "二"})).await;
    wait_log(&app, |d| d["attempts"] == 1).await;
    let before = receiver.wait_for(1).await.len();
    let replayed = app.ok("event/replay", json!({"seq": delivered["seq"]})).await;
    let copy_seq = replayed["seq"].as_i64().expect("the replay's seq");
    assert!(copy_seq > delivered["seq"].as_i64().expect("seq") + 1, "{replayed}");
    receiver.set(Mode::Success);
    app.clock.advance(10_000);
    let copy = wait_log(&app, |d| d["seq"] == copy_seq && d["state"] == "delivered").await;
    assert_eq!(copy["replayOf"], delivered["seq"]);
    assert_eq!(copy["eventType"], "dept_add");
    let names: Vec<Value> =
        receiver.wait_for(before + 2).await[before..].iter().map(|e| e["value"][0]["name"].clone()).collect();
    assert_eq!(names, [json!("二"), json!("一")]);
    assert_eq!(app.call("event/replay", json!({"seq": 987654})).await["code"], 71001);
}

#[tokio::test]
async fn bad_input_to_the_event_endpoints_answers_the_envelope() {
    let app = TestApp::spawn().await;
    let receiver = Receiver::start().await;
    subscribe(&app, &receiver).await;
    app.ok("dept/add", json!({"name": "mine"})).await;
    let seq = receiver.wait_for(1).await;
    assert_eq!(seq.len(), 1);
    let mine = app.ok("event/deliveries", json!({})).await[0]["seq"].clone();

    let raw = |path: &str, body: &'static str| {
        let url = format!("{}/meeting/api/open/{path}?access_token={}", app.base, app.token);
        app.http.post(url).header("Content-Type", "application/json").body(body).send()
    };
    for (path, body) in [("event/save", "{\"url\":"), ("event/deliveries", "[1]"), ("event/replay", "nope")] {
        let answer: Value = raw(path, body).await.expect("send").json().await.expect("envelope");
        assert_eq!(answer["code"], 71001, "{path} {body} → {answer}");
    }
    let code = |v: Value| v["code"].as_i64();
    assert_eq!(code(app.call("event/save", json!({"url": 42})).await), Some(71008));
    assert_eq!(code(app.call("event/save", json!({})).await), Some(71005));
    assert_eq!(code(app.call("event/save", json!({"url": "   "})).await), Some(71005));
    assert_eq!(code(app.call("event/deliveries", json!({"limit": "ten"})).await), Some(71008));
    assert_eq!(code(app.call("event/deliveries", json!({"limit": 0})).await), Some(71001));
    assert_eq!(code(app.call("event/replay", json!({})).await), Some(71005));
    assert_eq!(code(app.call("event/replay", json!({"seq": "1"})).await), Some(71008));
    assert_eq!(code(app.call_as("bad-token", "event/get", json!({})).await), Some(71003));

    // Another company sees neither the subscription nor the events of this one.
    let other = app.store.create_company(None, "other".into()).await.expect("company");
    let credential = app.store.create_app(other).await.expect("app");
    let token = app.token_for(&credential.appkey, &credential.appsecret).await;
    let theirs = app.call_as(&token, "event/get", json!({})).await;
    assert_eq!((theirs["value"]["url"].as_str(), theirs["value"]["enabled"].as_bool()), (Some(""), Some(false)));
    assert_eq!(app.call_as(&token, "event/deliveries", json!({})).await["value"], json!([]));
    assert_eq!(code(app.call_as(&token, "event/replay", json!({"seq": mine})).await), Some(71001));
}
