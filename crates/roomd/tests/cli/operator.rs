//! The binary as an operator meets it beyond serving: `roomd receive` for trying a
//! subscription out, and logs that carry no secret at the most talkative level.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use super::{BIN, Server, call, field, free_port, http_client, serve, token};

/// `roomd receive` takes a company's webhooks with the keys from event/get: the check
/// passes, and each event comes out decrypted on its standard output, a line each.
#[tokio::test]
async fn receive_prints_the_events_of_a_subscription() {
    let dir = tempfile::tempdir().expect("dir");
    let (server, lines) = serve(dir.path());
    let (appkey, appsecret) = (field(&lines, "appkey:"), field(&lines, "appsecret:"));
    let http = http_client();
    let token = token(&http, &server.base, &appkey, &appsecret).await;
    let keys = call(&http, &server.base, &token, "event/get", json!({})).await["value"].clone();
    let port = free_port();
    let mut receiver = Command::new(BIN)
        .args(["receive", "--listen", &format!("127.0.0.1:{port}"), "--appkey", &appkey])
        .env("ROOMD_AES_KEY", keys["aesKey"].as_str().expect("aesKey"))
        .env("ROOMD_EVENT_TOKEN", keys["token"].as_str().expect("token"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("roomd receive starts");
    // Ready once it says where it listens.
    let mut said = String::new();
    BufReader::new(receiver.stderr.take().expect("stderr")).read_line(&mut said).expect("a line");
    assert!(said.contains("listening on"), "{said}");
    let saved =
        call(&http, &server.base, &token, "event/save", json!({"url": format!("http://127.0.0.1:{port}/")})).await;
    assert_eq!(saved["code"], 10000, "{saved}");
    call(&http, &server.base, &token, "dept/add", json!({"name": "收件部"})).await;
    let stdout = BufReader::new(receiver.stdout.take().expect("stdout"));
    let (sent, got) = std::sync::mpsc::channel();
    std::thread::spawn(move || stdout.lines().take(2).map_while(Result::ok).for_each(|line| drop(sent.send(line))));
    let events: Vec<Value> = (0..2)
        .map(|_| got.recv_timeout(Duration::from_secs(30)).expect("an event within 30 s"))
        .map(|line| serde_json::from_str(&line).expect("one JSON event a line"))
        .collect();
    let _ = receiver.kill();
    let _ = receiver.wait();
    assert_eq!(events[0]["event_type"], "check_url");
    assert_eq!(events[1]["event_type"], "dept_add");
    assert_eq!(events[1]["value"][0]["name"], "收件部");
}

/// At the most talkative log level, no secret reaches the log: not the appsecret nor the
/// access token of a query string, not the setup link's token, not a password.
#[tokio::test]
async fn debug_logs_carry_no_secrets() {
    let dir = tempfile::tempdir().expect("dir");
    let log = dir.path().join("roomd.log");
    let port = free_port();
    let mut child = Command::new(BIN)
        .args(["--data-dir", dir.path().to_str().expect("path"), "serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("ROOMD_LOG", "trace")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).expect("log file"))
        .spawn()
        .expect("roomd starts");
    let mut lines = Vec::new();
    for line in BufReader::new(child.stdout.take().expect("stdout")).lines() {
        let line = line.expect("line");
        let done = line.contains("listening on");
        lines.push(line);
        if done {
            break;
        }
    }
    let server = Server { child, base: format!("http://127.0.0.1:{port}") };
    let (appkey, appsecret) = (field(&lines, "appkey:"), field(&lines, "appsecret:"));
    let setup = field(&lines, "console:");
    let setup_token = setup.rsplit_once("token=").expect("token").1.to_string();
    let http = http_client();
    let token = token(&http, &server.base, &appkey, &appsecret).await;
    let password = "a-password-to-hide-7";
    call(&http, &server.base, &token, "user/add", json!({"name": "p", "account": "p", "password": password})).await;
    let form = [("token", setup_token.as_str()), ("password", "another-secret-8")];
    let body = form.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    http.post(format!("{}/meeting/manage/setup", server.base))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("setup");
    drop(server);
    let written = std::fs::read_to_string(&log).expect("log");
    assert!(written.contains("/meeting/api/open/user/add"), "the log is written at trace: {}", written.len());
    for secret in [appsecret.as_str(), token.as_str(), setup_token.as_str(), password, "another-secret-8"] {
        assert!(!written.contains(secret), "{secret} in the log");
    }
}
