//! The SMTP server the mail tests send to: a real one (`e2e/smtp_server.py`, aiosmtpd)
//! run as a child process, each message read back by `e2e/mail_check.py`, and an app
//! whose mail goes to it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use roomd_server::mail::Mailer;
use serde_json::{Value, json};

use crate::support::TestApp;

fn e2e(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e").join(file)
}

/// `e2e/smtp_server.py` on a free port, killed when dropped.
pub struct SmtpServer {
    child: Child,
    dir: tempfile::TempDir,
    pub port: u16,
}

impl SmtpServer {
    /// `None` (the test is skipped) without aiosmtpd, unless `ROOMD_E2E=1`.
    pub async fn start(args: &[&str]) -> Option<SmtpServer> {
        let installed =
            Command::new("python3").args(["-c", "import aiosmtpd"]).output().is_ok_and(|o| o.status.success());
        if !installed {
            assert_ne!(std::env::var("ROOMD_E2E").as_deref(), Ok("1"), "ROOMD_E2E=1 but aiosmtpd is missing");
            eprintln!("skipped: pip install aiosmtpd");
            return None;
        }
        let dir = tempfile::tempdir().expect("dir");
        let port_file = dir.path().join("port");
        let mut child = Command::new("python3")
            .arg(e2e("smtp_server.py"))
            .arg("--port-file")
            .arg(&port_file)
            .arg("--out")
            .arg(dir.path())
            .args(args)
            .stdout(Stdio::null())
            // A refused handshake prints a traceback: kept beside the messages, not in the test's output.
            .stderr(std::fs::File::create(dir.path().join("stderr.log")).expect("a log file"))
            .spawn()
            .expect("python3");
        for _ in 0..200 {
            if let Ok(port) = std::fs::read_to_string(&port_file) {
                let port = port.trim().parse().expect("a port");
                return Some(SmtpServer { child, dir, port });
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the SMTP server did not start");
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn log(&self) -> Vec<Value> {
        let log = std::fs::read_to_string(self.dir.path().join("log.jsonl")).unwrap_or_default();
        log.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect()
    }

    /// The messages stored, once there are `n` of them (waits up to 30 s).
    pub async fn received(&self, n: usize) -> Vec<Value> {
        for _ in 0..600 {
            let stored: Vec<Value> = self.log().into_iter().filter(|l| l.get("n").is_some()).collect();
            if stored.len() >= n {
                return stored.iter().map(|l| self.check(l["n"].as_u64().expect("n"))).collect();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{n} messages never arrived: {:?}", self.log());
    }

    /// `mail_check.py`'s summary of message `n`.
    pub fn check(&self, n: u64) -> Value {
        let out = Command::new("python3")
            .arg(e2e("mail_check.py"))
            .arg(self.dir.path().join(format!("{n}.eml")))
            .output()
            .expect("python3");
        assert!(out.status.success(), "mail_check.py {n}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("a summary")
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `mail/deliveries` once `done` holds for it (waits up to 60 s, for a loaded machine).
pub async fn log_once(t: &TestApp, done: impl Fn(&Value) -> bool) -> Value {
    let started = std::time::Instant::now();
    loop {
        let log = t.ok("mail/deliveries", json!({})).await;
        if done(&log) || started.elapsed() > Duration::from_secs(60) {
            return log;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub async fn app_sending_to(smtp: &SmtpServer) -> TestApp {
    app_sending_through(smtp.url(), &[]).await
}

/// An app whose mail goes to `url`, trusting the CA certificates in `ca_pem`.
pub async fn app_sending_through(url: String, ca_pem: &'static [u8]) -> TestApp {
    TestApp::spawn_with(move |state| {
        let mailer = Mailer::new(&url, "roomd <rooms@example.com>", ca_pem)?;
        Ok(state.with_mail(mailer, Duration::from_millis(1_000)))
    })
    .await
}
