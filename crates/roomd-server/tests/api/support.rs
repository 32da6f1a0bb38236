use std::sync::{Arc, Mutex};

use roomd_core::ManualClock;
use roomd_server::{App, AppState};
use roomd_store::{Store, StoreConfig};
use serde_json::{Value, json};

/// 2030-01-09 08:00 Asia/Shanghai: the clock every app starts at.
pub const NOW: i64 = 1_894_147_200_000;
/// 2030-01-10 00:00 Asia/Shanghai: "tomorrow".
pub const TOMORROW: i64 = 1_894_204_800_000;
pub const HOUR: i64 = 3_600_000;

pub struct TestApp {
    pub base: String,
    pub token: String,
    pub clock: Arc<ManualClock>,
    pub http: reqwest::Client,
    pub store: Store,
    pub appkey: String,
    pub appsecret: String,
    /// Every SMS the server sent: `(phone, text)`.
    pub sms: Arc<Mutex<Vec<(String, String)>>>,
    _dir: tempfile::TempDir,
}

/// Keeps the messages instead of sending them.
struct Capture(Arc<Mutex<Vec<(String, String)>>>);

impl roomd_server::sms::SmsSender for Capture {
    fn send<'a>(&'a self, phone: &'a str, text: &'a str) -> futures::future::BoxFuture<'a, Result<(), String>> {
        if let Ok(mut sent) = self.0.lock() {
            sent.push((phone.to_string(), text.to_string()));
        }
        Box::pin(async { Ok(()) })
    }
}

impl TestApp {
    /// A server on a free port over a new SQLite file, with company 1000 and a token.
    pub async fn spawn() -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("roomd.db").display());
        Self::spawn_on(url, dir).await
    }

    pub async fn spawn_on(database_url: String, dir: tempfile::TempDir) -> TestApp {
        Self::spawn_configured(database_url, dir, Ok).await
    }

    /// Like `spawn`, with the state changed by `configure` first.
    pub async fn spawn_with(configure: impl FnOnce(AppState) -> Result<AppState, String>) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("roomd.db").display());
        Self::spawn_configured(url, dir, configure).await
    }

    async fn spawn_configured(
        database_url: String,
        dir: tempfile::TempDir,
        configure: impl FnOnce(AppState) -> Result<AppState, String>,
    ) -> TestApp {
        let clock = Arc::new(ManualClock::new(NOW));
        let config = StoreConfig { database_url, data_dir: dir.path().to_path_buf(), clock: clock.clone() };
        let store = Store::open(config).await.expect("store");
        let first = store.first_start().await.expect("first start").expect("a fresh database");
        let sms = Arc::new(Mutex::new(Vec::new()));
        let mut state = AppState::new(store.clone(), clock.clone(), "http://roomd.test");
        state.sms = Arc::new(Capture(sms.clone()));
        let state = configure(state).expect("configure the state");
        let app = App::build("127.0.0.1:0".parse().expect("addr"), state).await.expect("bind");
        let base = format!("http://{}", app.local_addr().expect("addr"));
        tokio::spawn(app.run(std::future::pending()));
        let mut t = TestApp {
            base,
            token: String::new(),
            clock,
            http: reqwest::Client::new(),
            store,
            appkey: first.credential.appkey,
            appsecret: first.credential.appsecret,
            sms,
            _dir: dir,
        };
        t.token = t.token_for(&t.appkey.clone(), &t.appsecret.clone()).await;
        t
    }

    pub async fn token_for(&self, appkey: &str, appsecret: &str) -> String {
        let url = format!("{}/meeting/api/oapi/gettoken?appkey={appkey}&appsecret={appsecret}", self.base);
        let body: Value = self.http.get(url).send().await.expect("send").json().await.expect("json");
        body["value"]["access_token"].as_str().expect("token").to_string()
    }

    /// POSTs `body` to `/meeting/api/open/{path}` with our token; returns the envelope.
    pub async fn call(&self, path: &str, body: Value) -> Value {
        self.call_as(&self.token, path, body).await
    }

    pub async fn call_as(&self, token: &str, path: &str, body: Value) -> Value {
        let url = format!("{}/meeting/api/open/{path}?access_token={token}", self.base);
        let response = self.http.post(url).json(&body).send().await.expect("send");
        assert_eq!(response.status(), 200, "h5 answers are HTTP 200");
        response.json().await.expect("json envelope")
    }

    /// The `value` of a call that must succeed.
    pub async fn ok(&self, path: &str, body: Value) -> Value {
        let envelope = self.call(path, body.clone()).await;
        assert_eq!(envelope["code"], 10000, "{path} {body} → {envelope}");
        envelope["value"].clone()
    }

    pub async fn room(&self, extra: Value) -> String {
        let mut body = json!({"name": "测试会议室"});
        merge(&mut body, extra);
        self.ok("room/add", body).await["id"].as_str().expect("id").to_string()
    }

    pub async fn user(&self, account: &str) -> String {
        self.ok("user/add", json!({"name": account, "account": account})).await["id"].as_str().expect("id").to_string()
    }

    /// A booking body for tomorrow `from`–`to` o'clock (Shanghai) by the admin user "1".
    pub fn booking(&self, room: &str, from: i64, to: i64) -> Value {
        json!({
            "roomId": room, "speaker": "张麻子", "subject": "抢碉堡",
            "beginTime": TOMORROW + from * HOUR, "endTime": TOMORROW + to * HOUR,
            "createdId": "1", "attendances": [{"userId": "1"}]
        })
    }
}

pub fn merge(into: &mut Value, extra: Value) {
    if let (Some(into), Value::Object(extra)) = (into.as_object_mut(), extra) {
        into.extend(extra);
    }
}

/// The shape of a JSON value: every key (recursively) with its JSON type. Lists use
/// their first element. Two values with the same shape have the same fields and types.
pub fn shape(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), shape(v))).collect()),
        Value::Array(items) => Value::Array(items.first().map(shape).into_iter().collect()),
        Value::String(_) => json!("string"),
        Value::Number(_) => json!("number"),
        Value::Bool(_) => json!("bool"),
        Value::Null => json!("null"),
    }
}
