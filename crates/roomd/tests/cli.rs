//! The binary as an operator runs it: `app create --json`, and durability — every booking
//! acknowledged before `kill -9` is there after a restart.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_roomd");

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("port")
}

struct Server {
    child: Child,
    base: String,
}

/// Starts `roomd serve` and waits for its "listening" line.
fn serve(data_dir: &std::path::Path) -> (Server, Vec<String>) {
    let port = free_port();
    let mut child = Command::new(BIN)
        .args(["--data-dir", data_dir.to_str().expect("path"), "serve", "--listen", &format!("127.0.0.1:{port}")])
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
    let (appkey, appsecret) = (field(&lines, "appkey:"), field(&lines, "appsecret:"));
    let http = reqwest::Client::new();
    let token_url = format!("{}/meeting/api/oapi/gettoken?appkey={appkey}&appsecret={appsecret}", server.base);
    let token: Value = http.get(&token_url).send().await.expect("send").json().await.expect("json");
    let token = token["value"]["access_token"].as_str().expect("token").to_string();
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
