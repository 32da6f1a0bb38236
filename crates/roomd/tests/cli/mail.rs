//! Mail across restarts of the real binary, to a real SMTP server (`e2e/smtp_server.py`,
//! aiosmtpd): a server stopped in the middle of sending, then started again, sends every
//! message once; one killed sends every message, at most the one in hand twice, with the
//! same `Message-ID` (docs/wire-compat.md "Mail").

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{call, field, http_client, serve_options, token};

/// The test SMTP server's stored messages, by `Message-ID`: how many times each came.
fn received(dir: &Path) -> HashMap<String, usize> {
    let log = std::fs::read_to_string(dir.join("log.jsonl")).unwrap_or_default();
    let mut seen = HashMap::new();
    for line in log.lines().filter_map(|l| serde_json::from_str::<Value>(l).ok()).filter(|l| l.get("n").is_some()) {
        *seen.entry(line["message_id"].as_str().unwrap_or_default().to_string()).or_insert(0) += 1;
    }
    seen
}

fn smtp_server(dir: &Path) -> Option<(Child, u16)> {
    let installed = Command::new("python3").args(["-c", "import aiosmtpd"]).output().is_ok_and(|o| o.status.success());
    if !installed {
        assert_ne!(std::env::var("ROOMD_E2E").as_deref(), Ok("1"), "ROOMD_E2E=1 but aiosmtpd is missing");
        eprintln!("skipped: pip install aiosmtpd");
        return None;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e/smtp_server.py");
    let port_file = dir.join("port");
    let mut child = Command::new("python3")
        .arg(script)
        .arg("--port-file")
        .arg(&port_file)
        .arg("--out")
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3");
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        if let Ok(port) = std::fs::read_to_string(&port_file) {
            return Some((child, port.trim().parse().expect("a port")));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the SMTP server did not start");
}

/// Waits until `n` distinct messages came (up to `limit`); what came.
async fn until_received(dir: &Path, n: usize, limit: Duration) -> HashMap<String, usize> {
    let started = Instant::now();
    loop {
        let seen = received(dir);
        if seen.len() >= n || started.elapsed() > limit {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill").args([name, &child.id().to_string()]).status().expect("kill");
    assert!(status.success());
}

#[tokio::test]
async fn a_restart_in_the_middle_of_sending_sends_nothing_twice_and_loses_nothing() {
    let outbox = tempfile::tempdir().expect("dir");
    let Some((mut smtp, port)) = smtp_server(outbox.path()) else { return };
    let data = tempfile::tempdir().expect("dir");
    let options = ["--smtp-url", &format!("smtp://127.0.0.1:{port}"), "--mail-from", "roomd <rooms@example.com>"];
    let options: Vec<&str> = options.iter().map(|s| &**s).collect();
    let (mut server, lines) = serve_options(data.path(), &[], &options);
    let http = http_client();
    let key = token(&http, &server.base, &field(&lines, "appkey:"), &field(&lines, "appsecret:")).await;
    let api = |base: &str, path: &str, body: Value| {
        let (http, base, key, path) = (http.clone(), base.to_string(), key.clone(), path.to_string());
        async move { call(&http, &base, &key, &path, body).await }
    };
    api(&server.base, "user/update", json!({"id": "1", "email": "boss@example.com"})).await;
    let mut attendees = vec![json!({"userId": "1"})];
    for i in 0..9 {
        attendees.push(json!({"name": format!("Guest {i}"), "email": format!("guest{i}@example.com")}));
    }
    let room = api(&server.base, "room/add", json!({"name": "Mail room"})).await["value"]["id"].clone();
    let now_ms =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970").as_millis() as i64;
    // 10:00 in Shanghai tomorrow, eight meetings a day.
    let tomorrow = (now_ms / 86_400_000 + 1) * 86_400_000 + 2 * 3_600_000;
    let slot = |i: i64| tomorrow + (i / 8) * 86_400_000 + (i % 8) * 3_600_000;
    for i in 0..10 {
        let begin = slot(i);
        let body = json!({"roomId": room, "speaker": "s", "subject": format!("Meeting {i}"), "beginTime": begin,
                          "endTime": begin + 3_600_000, "createdId": "1", "attendances": attendees});
        assert_eq!(api(&server.base, "meeting/book", body).await["code"], 10000);
    }

    // Stopped once some have gone, started again: the rest go, each once.
    until_received(outbox.path(), 10, Duration::from_secs(20)).await;
    signal(&server.child, "-TERM");
    assert!(server.child.wait().expect("stops").success(), "a clean stop");
    let sent_before = received(outbox.path()).len();
    assert!(sent_before < 100, "stopped in the middle of sending: {sent_before} of 100 had gone");
    let (restarted, _) = serve_options(data.path(), &[], &options);
    let seen = until_received(outbox.path(), 100, Duration::from_secs(30)).await;
    assert_eq!(seen.len(), 100, "every message (stopped after {sent_before})");
    assert!(seen.values().all(|n| *n == 1), "none twice: {seen:?}");

    // Killed in the middle: every message still goes, at most the one in hand twice.
    for i in 10..16 {
        let begin = slot(i);
        let body = json!({"roomId": room, "speaker": "s", "subject": format!("Meeting {i}"), "beginTime": begin,
                          "endTime": begin + 3_600_000, "createdId": "1", "attendances": attendees});
        assert_eq!(api(&restarted.base, "meeting/book", body).await["code"], 10000);
    }
    until_received(outbox.path(), 110, Duration::from_secs(20)).await;
    let mut restarted = restarted;
    let killed_at = received(outbox.path()).len();
    assert!(killed_at < 160, "killed in the middle of sending: {killed_at} of 160 had gone");
    signal(&restarted.child, "-KILL");
    let _ = restarted.child.wait();
    let (_again, _) = serve_options(data.path(), &[], &options);
    let seen = until_received(outbox.path(), 160, Duration::from_secs(90)).await;
    assert_eq!(seen.len(), 160, "every message after a kill");
    assert!(seen.values().filter(|n| **n > 1).count() <= 1 && seen.values().all(|n| *n <= 2), "{seen:?}");
    let _ = smtp.kill();
    let _ = smtp.wait();
}
