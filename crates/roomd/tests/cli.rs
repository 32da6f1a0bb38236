//! The binary as an operator runs it: `app create --json`, and durability — every booking
//! acknowledged before `kill -9` is there after a restart, and every event recorded
//! before it is delivered, in order, after the restart.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[path = "cli/app.rs"]
mod app;
#[path = "cli/app_book.rs"]
mod app_book;
#[path = "cli/app_meeting.rs"]
mod app_meeting;
#[path = "cli/app_profile.rs"]
mod app_profile;
#[path = "cli/app_scan.rs"]
mod app_scan;
#[path = "cli/browser.rs"]
mod browser;
#[path = "cli/console.rs"]
mod console;
#[path = "cli/e2e.rs"]
mod e2e;
#[path = "cli/lighthouse.rs"]
mod lighthouse;
#[path = "cli/mail.rs"]
mod mail;
#[path = "cli/operator.rs"]
mod operator;

const BIN: &str = env!("CARGO_BIN_EXE_roomd");

/// An HTTP client for the tests; rustls gets its crypto provider first, as in the binary.
/// roomd closes a connection idle for 10 s (`Connections::header_timeout`): the client
/// lets go of its idle ones first, or a request sent as the server closes one is lost
/// (hyper's `IncompleteMessage`, seen while a browser test kept the client waiting).
fn http_client() -> reqwest::Client {
    roomd_server::install_tls();
    reqwest::Client::builder().pool_idle_timeout(std::time::Duration::from_secs(5)).build().expect("client")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("port")
}

struct Server {
    child: Child,
    base: String,
}

/// Starts `roomd serve` and waits for its "listening" line.
fn serve(data_dir: &std::path::Path) -> (Server, Vec<String>) {
    serve_with(data_dir, &[])
}

/// `serve` with more global options (`--database-url …`).
fn serve_with(data_dir: &std::path::Path, global: &[&str]) -> (Server, Vec<String>) {
    serve_options(data_dir, global, &[])
}

/// `serve_with`, and options of `serve` itself (`--smtp-url …`).
fn serve_options(data_dir: &std::path::Path, global: &[&str], options: &[&str]) -> (Server, Vec<String>) {
    let port = free_port();
    let mut child = Command::new(BIN)
        .args(["--data-dir", data_dir.to_str().expect("path")])
        .args(global)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(options)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("roomd starts");
    let mut lines = Vec::new();
    let stdout = child.stdout.take().expect("stdout");
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("line");
        let done = line.contains("listening on");
        lines.push(line);
        if done {
            break;
        }
    }
    (Server { child, base: format!("http://127.0.0.1:{port}") }, lines)
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn field(lines: &[String], name: &str) -> String {
    lines
        .iter()
        .find_map(|l| l.trim().strip_prefix(name).map(|v| v.split_whitespace().next().unwrap_or("").to_string()))
        .unwrap_or_else(|| panic!("no {name} in {lines:?}"))
}

#[test]
fn a_webhook_ca_file_that_cannot_be_used_stops_the_start_with_the_reason() {
    let dir = tempfile::tempdir().expect("dir");
    let not_pem = dir.path().join("not-a-ca.pem");
    std::fs::write(&not_pem, "hello").expect("write");
    let missing = dir.path().join("missing.pem");
    for (file, reason) in [(&missing, "cannot read"), (&not_pem, "certificate")] {
        let out = Command::new(BIN)
            .args(["--data-dir", dir.path().to_str().expect("path"), "serve", "--listen", "127.0.0.1:0"])
            .args(["--webhook-ca-file", file.to_str().expect("path")])
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{stderr}");
        assert!(stderr.contains(reason), "{reason}: {stderr}");
    }
}

#[test]
fn an_event_retention_that_is_not_a_number_of_days_stops_the_start() {
    let dir = tempfile::tempdir().expect("dir");
    for days in ["-1", "ten", "36501"] {
        let out = Command::new(BIN)
            .args(["--data-dir", dir.path().to_str().expect("path"), "serve", "--listen", "127.0.0.1:0"])
            .arg(format!("--event-retention-days={days}"))
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{days}: {stderr}");
        assert!(stderr.contains("--event-retention-days"), "{days}: {stderr}");
    }
}

#[test]
fn app_create_prints_credentials_that_work_as_json() {
    let dir = tempfile::tempdir().expect("dir");
    let out = Command::new(BIN)
        .args(["--data-dir", dir.path().to_str().expect("path"), "app", "create", "--json"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let created: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(created["company_id"], "1000", "the first company on an empty database");
    assert_eq!(created["appsecret"].as_str().map(str::len), Some(40));
    let again = Command::new(BIN)
        .args(["--data-dir", dir.path().to_str().expect("path"), "app", "create", "--json"])
        .output()
        .expect("runs");
    let second: Value = serde_json::from_slice(&again.stdout).expect("json");
    assert_eq!(second["company_id"], "1001", "without --company, a new company");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bookings_acknowledged_before_kill_9_survive_the_restart() {
    let dir = tempfile::tempdir().expect("dir");
    let (server, lines) = serve(dir.path());
    let http = http_client();
    let token = token(&http, &server.base, &field(&lines, "appkey:"), &field(&lines, "appsecret:")).await;
    let url = |path: &str| format!("{}/meeting/api/open/{path}?access_token={token}", server.base);
    let room: Value =
        http.post(url("room/add")).json(&json!({"name": "r"})).send().await.expect("send").json().await.expect("json");
    let room = room["value"]["id"].as_str().expect("room").to_string();

    // Eight clients book distinct slots as fast as they can; the server is killed mid-flight.
    let base_day = (chrono_now() / 86_400_000 + 2) * 86_400_000;
    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let deadline = Instant::now() + Duration::from_millis(1500);
    let clients: Vec<_> = (0..8i64)
        .map(|c| {
            let (http, url, room, acked) = (http.clone(), url("meeting/book"), room.clone(), acknowledged.clone());
            tokio::spawn(async move {
                for i in 0.. {
                    if Instant::now() > deadline {
                        break;
                    }
                    let slot = i * 8 + c;
                    let begin = base_day + (slot / 48) * 86_400_000 + 3_600_000 + (slot % 48) * 900_000;
                    let body = json!({"roomId": room, "speaker": "s", "subject": "durable", "beginTime": begin,
                        "endTime": begin + 900_000, "createdId": "1", "attendances": []});
                    let Ok(response) = http.post(&url).json(&body).send().await else { break };
                    let Ok(v) = response.json::<Value>().await else { break };
                    if let Some(id) = v["value"]["id"].as_str() {
                        acked.lock().expect("lock").push(id.to_string());
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(700)).await;
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-9", &pid]).status().expect("kill").success());
    for c in clients {
        c.await.expect("client");
    }
    drop(server);
    let acked = acknowledged.lock().expect("lock").clone();
    assert!(acked.len() > 10, "the load ran before the kill ({} bookings)", acked.len());

    let (server, _) = serve(dir.path());
    let url = |path: &str| format!("{}/meeting/api/open/{path}?access_token={token}", server.base);
    for id in &acked {
        let v: Value = http
            .post(url("meeting/get"))
            .json(&json!({"meetingId": id}))
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
        assert_eq!(v["code"], 10000, "acknowledged booking {id} was lost: {v}");
    }
}

fn chrono_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// A webhook receiver: decrypts with the vector-tested cipher, records each event's
/// `value[0].name`, and answers `success` unless told the receiver is down (HTTP 503).
#[derive(Clone, Default)]
struct Receiver {
    cipher: std::sync::Arc<std::sync::Mutex<Option<roomd_wire::event_crypto::EventCipher>>>,
    down: std::sync::Arc<std::sync::atomic::AtomicBool>,
    names: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

async fn receive(
    axum::extract::State(r): axum::extract::State<Receiver>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
    axum::Json(body): axum::Json<Value>,
) -> (axum::http::StatusCode, String) {
    if r.down.load(std::sync::atomic::Ordering::SeqCst) {
        return (axum::http::StatusCode::SERVICE_UNAVAILABLE, String::new());
    }
    let guard = r.cipher.lock().expect("cipher");
    let cipher = guard.as_ref().expect("keys set");
    let encrypt = body["encrypt"].as_str().unwrap_or_default();
    let plain = cipher.open(&q["msg_signature"], &q["timestamp"], &q["nonce"], encrypt).expect("a signed event");
    let event: Value = serde_json::from_str(&plain).expect("json");
    if let Some(name) = event["value"][0]["name"].as_str() {
        r.names.lock().expect("names").push(name.to_string());
    }
    let reply = cipher.seal("success", "1", "n", b"0123456789abcdef").expect("seal");
    (axum::http::StatusCode::OK, serde_json::to_string(&reply).expect("json"))
}

/// An access token for the app credentials, from the server at `base`.
async fn token(http: &reqwest::Client, base: &str, appkey: &str, appsecret: &str) -> String {
    let url = format!("{base}/meeting/api/oapi/gettoken?appkey={appkey}&appsecret={appsecret}");
    let v: Value = http.get(url).send().await.expect("send").json().await.expect("json");
    v["value"]["access_token"].as_str().expect("token").to_string()
}

/// POSTs `body` to `/meeting/api/open/{path}` on `base`; the envelope.
async fn call(http: &reqwest::Client, base: &str, token: &str, path: &str, body: Value) -> Value {
    let url = format!("{base}/meeting/api/open/{path}?access_token={token}");
    http.post(url).json(&body).send().await.expect("send").json().await.expect("json")
}

impl Receiver {
    /// Starts a receiver on a free port; its URL.
    async fn start() -> (Receiver, String) {
        let receiver = Receiver::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let hook = format!("http://{}/hook", listener.local_addr().expect("addr"));
        let app = axum::Router::new().route("/hook", axum::routing::post(receive)).with_state(receiver.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        (receiver, hook)
    }

    /// Takes the company's event keys (`event/get` through `base` with `token`).
    async fn use_keys(&self, http: &reqwest::Client, base: &str, token: &str, appkey: &str) {
        let keys = call(http, base, token, "event/get", json!({})).await;
        let (aes_key, event_token) = (keys["value"]["aesKey"].as_str(), keys["value"]["token"].as_str());
        let cipher =
            roomd_wire::event_crypto::EventCipher::new(aes_key.expect("aesKey"), event_token.expect("token"), appkey);
        *self.cipher.lock().expect("cipher") = Some(cipher.expect("keys"));
    }

    /// Starts a receiver and subscribes the company behind `token` to it, through `base`.
    async fn subscribe(http: &reqwest::Client, base: &str, token: &str, appkey: &str) -> Receiver {
        let (receiver, hook) = Receiver::start().await;
        receiver.use_keys(http, base, token, appkey).await;
        let saved = call(http, base, token, "event/save", json!({"url": hook})).await;
        assert_eq!(saved["value"]["enabled"], true, "{saved}");
        receiver
    }

    /// The names received once `n` have arrived, or after 30 s.
    async fn wait_names(&self, n: usize) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.names.lock().expect("names").len() < n && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.names.lock().expect("names").clone()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_recorded_before_kill_9_are_delivered_in_order_after_the_restart() {
    let dir = tempfile::tempdir().expect("dir");
    let (server, lines) = serve(dir.path());
    let appkey = field(&lines, "appkey:");
    let http = http_client();
    let token = token(&http, &server.base, &appkey, &field(&lines, "appsecret:")).await;
    let receiver = Receiver::subscribe(&http, &server.base, &token, &appkey).await;

    // The receiver is down while 20 changes are acknowledged; then the server dies.
    receiver.down.store(true, std::sync::atomic::Ordering::SeqCst);
    let expected: Vec<String> = (0..20).map(|i| format!("d{i:02}")).collect();
    for name in &expected {
        assert_eq!(call(&http, &server.base, &token, "dept/add", json!({"name": name})).await["code"], 10000);
    }
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-9", &pid]).status().expect("kill").success());
    drop(server);

    receiver.down.store(false, std::sync::atomic::Ordering::SeqCst);
    let (_server, _) = serve(dir.path());
    assert_eq!(receiver.wait_names(expected.len()).await, expected, "every recorded event, once, in commit order");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgresql_deliver_each_event_once_in_order() {
    let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("TEST_DATABASE_URL unset: skipped");
        return;
    };
    let name = format!("cli_{}", std::process::id());
    let (admin, connection) =
        tokio_postgres::connect(&admin_url, tokio_postgres::NoTls).await.expect("PostgreSQL reachable");
    tokio::spawn(connection);
    admin.batch_execute(&format!("CREATE DATABASE {name}")).await.expect("create");
    let url = on_database(&admin_url, &name);
    // The second server goes through the Unix socket when the test script gives one: the
    // connection the README suggests with PostgreSQL on the same host.
    let url_b = std::env::var("TEST_DATABASE_SOCKET_URL").map_or_else(|_| url.clone(), |u| on_database(&u, &name));
    let dir = tempfile::tempdir().expect("dir");
    let out = Command::new(BIN)
        .args(["--data-dir", dir.path().to_str().expect("path"), "--database-url", &url, "app", "create", "--json"])
        .output()
        .expect("runs");
    let created: Value = serde_json::from_slice(&out.stdout).expect("credentials");
    let appkey = created["appkey"].as_str().expect("appkey").to_string();
    let (a, _) = serve_with(dir.path(), &["--database-url", &url]);
    let (b, _) = serve_with(dir.path(), &["--database-url", &url_b]);

    let http = http_client();
    let token = token(&http, &a.base, &appkey, created["appsecret"].as_str().expect("appsecret")).await;
    let receiver = Receiver::subscribe(&http, &a.base, &token, &appkey).await;

    // Changes through both servers; both deliver.
    let expected: Vec<String> = (0..30).map(|i| format!("d{i:02}")).collect();
    for (i, name) in expected.iter().enumerate() {
        let base = if i % 2 == 0 { &a.base } else { &b.base };
        assert_eq!(call(&http, base, &token, "dept/add", json!({"name": name})).await["code"], 10000);
    }
    receiver.wait_names(expected.len()).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(*receiver.names.lock().expect("names"), expected, "each event once, in commit order");
}

/// `url` (`postgres://…/db`, with or without `?options`) with its database replaced by `name`.
fn on_database(url: &str, name: &str) -> String {
    let (path, options) = url.split_once('?').map_or((url, None), |(p, o)| (p, Some(o)));
    let base = path.rsplit_once('/').expect("URL with a database").0;
    match options {
        Some(options) => format!("{base}/{name}?{options}"),
        None => format!("{base}/{name}"),
    }
}
