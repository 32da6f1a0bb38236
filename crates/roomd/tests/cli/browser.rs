//! What the app's browser tests share: a served company signed in to its h5 API, and a
//! script of `e2e/` run to its end, its steps read back (one JSON line a step).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use super::e2e::e2e_dir;
use super::{Server, call, field, http_client, serve, token};

/// `roomd serve` on a fresh data folder, and a token of its h5 API.
pub(super) struct Served {
    pub server: Server,
    pub http: reqwest::Client,
    pub appkey: String,
    pub appsecret: String,
    token: String,
    _dir: tempfile::TempDir,
}

impl Served {
    pub async fn start() -> Served {
        let dir = tempfile::tempdir().expect("temp dir");
        let (server, lines) = serve(dir.path());
        let http = http_client();
        let (appkey, appsecret) = (field(&lines, "appkey:"), field(&lines, "appsecret:"));
        let token = token(&http, &server.base, &appkey, &appsecret).await;
        Served { server, http, appkey, appsecret, token, _dir: dir }
    }

    /// POSTs `body` to the h5 endpoint `path`: the envelope.
    pub async fn h5(&self, path: &str, body: Value) -> Value {
        call(&self.http, &self.server.base, &self.token, path, body).await
    }

    /// 李晓雯 (`lixiaowen`, password `app-pass-2030`), who signs in to the app: her id.
    pub async fn person(&self) -> Value {
        let person = json!({"name": "李晓雯", "account": "lixiaowen", "password": "app-pass-2030"});
        self.h5("user/add", person).await["value"]["id"].clone()
    }

    pub fn base(&self) -> &str {
        &self.server.base
    }
}

/// Where the browser tests leave their screenshots (CI keeps them as artifacts).
pub(super) fn shots() -> PathBuf {
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e");
    std::fs::create_dir_all(&shots).expect("screenshot dir");
    shots
}

/// What a script printed, once it ended well.
pub(super) struct Run {
    pub stdout: String,
    steps: Vec<Value>,
}

impl Run {
    /// The `checks` step's pages (`pages` of them) each passed axe-core, fit 320 px and
    /// weighed at most 100 KB; nothing was loaded from outside roomd.
    pub fn assert_pages_pass(&self, pages: usize) {
        let checks = self.step("checks");
        assert_eq!(checks["outside"], serde_json::json!([]), "nothing loaded from outside roomd");
        let checked = checks["checks"].as_object().expect("pages");
        assert_eq!(checked.len(), pages, "{checks}");
        for (name, c) in checked {
            assert_eq!(c["violations"], serde_json::json!([]), "axe on {name}");
            assert!(c["overflow"].as_i64() <= Some(0), "{name} is wider than 320 px: {c}");
            assert!(c["weight"].as_i64().is_some_and(|w| w > 0 && w <= 100_000), "{name} weighs {c}");
        }
    }

    /// The step called `name`; the test fails, showing the output, without one.
    pub fn step(&self, name: &str) -> Value {
        let found = self.steps.iter().find(|s| s["step"] == name).cloned();
        found.unwrap_or_else(|| panic!("no {name}: {}", self.stdout))
    }
}

/// Runs `node e2e/<script> <args>` with `env` and fails the test if it fails.
pub(super) fn run_script(script: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::new("node")
        .arg(e2e_dir().join(script))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{script} failed: {stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let steps = stdout.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    Run { stdout, steps }
}
