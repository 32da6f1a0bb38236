//! Real clients against `roomd serve`: a new employee registers through an onboarding QR
//! code's scan page in headless Chromium (`e2e/scan.mjs`, playwright-core), and the
//! official Lark SDK (`e2e/lark_onboarding.py`, lark-oapi) creates codes through the
//! Feishu dialect. Screenshots land in `target/tmp/e2e/`.
//!
//! Needs Debian's `chromium`, `npm ci --prefix e2e` and `pip install lark-oapi`; `.ci/run`
//! provides them and sets `ROOMD_E2E=1`, which turns a missing one into a failure
//! instead of a skip.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use super::{call, field, http_client, serve, token};

pub(super) fn e2e_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e")
}

/// Whether a client is installed; without it the test is skipped, unless `ROOMD_E2E=1`
/// demands it.
fn ready(what: &str, installed: bool) -> bool {
    if !installed {
        assert_ne!(std::env::var("ROOMD_E2E").as_deref(), Ok("1"), "ROOMD_E2E=1 but {what} is missing");
        eprintln!("skipped: {what} is not installed");
    }
    installed
}

pub(super) fn browser_ready() -> bool {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let installed = Path::new(&chromium).exists() && e2e_dir().join("node_modules/playwright-core").exists();
    ready("chromium or e2e/node_modules (npm ci --prefix e2e)", installed)
}

/// The browser, and Lighthouse beside playwright-core in `e2e/node_modules`.
pub(super) fn lighthouse_ready() -> bool {
    let installed = e2e_dir().join("node_modules/lighthouse").exists();
    browser_ready() && ready("lighthouse in e2e/node_modules (npm ci --prefix e2e)", installed)
}

fn lark_ready() -> bool {
    let installed = Command::new("python3").args(["-c", "import lark_oapi"]).output().is_ok_and(|o| o.status.success());
    ready("the lark-oapi Python package", installed)
}

/// A served company with a department and the built-in `department` dimension: the
/// server, its appkey and appsecret, an h5 token and the department's id.
struct Onboarding {
    server: super::Server,
    appkey: String,
    appsecret: String,
    token: String,
    dept: Value,
    http: reqwest::Client,
    dir: tempfile::TempDir,
}

async fn onboarding_company() -> Onboarding {
    let dir = tempfile::tempdir().expect("temp dir");
    let (server, lines) = serve(dir.path());
    let (appkey, appsecret) = (field(&lines, "appkey:"), field(&lines, "appsecret:"));
    let http = http_client();
    let token = token(&http, &server.base, &appkey, &appsecret).await;
    let dept = call(&http, &server.base, &token, "dept/add", json!({"name": "新人部"})).await["value"]["id"].clone();
    let dims = json!({"dimensions": [{"apiName": "department", "displayName": {"zh_cn": "部门", "en_us": "Department"}, "type": 1}]});
    assert_eq!(call(&http, &server.base, &token, "onboarding/dimension/save", dims).await["code"], 10000);
    Onboarding { server, appkey, appsecret, token, dept, http, dir }
}

pub(super) fn noise_png(path: &Path) {
    let mut seed: u32 = 0x9e37_79b9;
    let img = image::RgbImage::from_fn(420, 420, |_, _| {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let b = seed.to_le_bytes();
        image::Rgb([b[1], b[2], b[3]])
    });
    img.save(path).expect("photo written");
}

/// POSTs `body` to a Feishu endpoint, with the tenant token if given; the answer.
pub(super) async fn feishu(http: &reqwest::Client, url: &str, tenant: Option<&str>, body: Value) -> Value {
    let mut request = http.post(url).json(&body);
    if let Some(token) = tenant {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("send").json().await.expect("json")
}

#[tokio::test]
async fn a_new_employee_registers_through_the_scan_page_in_chromium() {
    if !browser_ready() {
        return;
    }
    let o = onboarding_company().await;
    let (http, base, token, dept) = (&o.http, o.server.base.clone(), &o.token, &o.dept);
    let auth = json!({"app_id": o.appkey, "app_secret": o.appsecret});
    let issued = feishu(http, &format!("{base}/open-apis/auth/v3/tenant_access_token/internal"), None, auth).await;
    let tenant = issued["tenant_access_token"].as_str().expect("tenant token");
    let create =
        json!({"dimension_value_list": [{"dimension": {"api_name": "department"}, "value": {"select_value": dept}}]});
    let created = feishu(http, &format!("{base}/open-apis/corehr/v2/onboarding_qr_codes"), Some(tenant), create).await;
    let url = created["data"]["qr_code"]["url"].as_str().expect("url").to_string();

    let photo = o.dir.path().join("face.png");
    noise_png(&photo);
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e");
    std::fs::create_dir_all(&shots).expect("screenshot dir");
    let out = Command::new("node")
        .arg(e2e_dir().join("scan.mjs"))
        .args([&url, photo.to_str().expect("path"), shots.to_str().expect("path"), "chromium_newbie"])
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "scan.mjs failed: {stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let steps: Vec<Value> = stdout.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert_eq!(steps.len(), 2, "{stdout}");
    assert_eq!(steps[0]["kept"], "chromium_newbie", "the form came back with what was typed");
    assert!(steps[0]["error"].as_str().is_some_and(|e| e.contains("8")), "the password is explained: {stdout}");
    assert_eq!(steps[1]["title"], "You are registered", "{stdout}");

    let users = call(http, &base, token, "user/list", json!({})).await;
    let user = users["value"].as_array().expect("users").iter().find(|u| u["account"] == "chromium_newbie").cloned();
    let id = user.expect("registered user listed")["id"].clone();
    let got = call(http, &base, token, "user/get", json!({"userId": id})).await;
    assert_eq!(&got["value"]["departmentId"], dept, "in the code's department");
    assert!(!got["value"]["faceUrl"].as_str().unwrap_or_default().is_empty(), "with the photo");
    for shot in ["scan-empty.png", "scan-error.png", "scan-done.png"] {
        assert!(shots.join(shot).exists(), "{shot} saved");
    }
}

#[tokio::test]
async fn the_lark_sdk_creates_codes_and_reads_the_errors() {
    if !lark_ready() {
        return;
    }
    let o = onboarding_company().await;
    let out = Command::new("python3")
        .arg(e2e_dir().join("lark_onboarding.py"))
        .args([&o.server.base, &o.appkey, &o.appsecret, o.dept.as_str().expect("dept id")])
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "lark_onboarding.py failed: {stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("lark-oapi: ok"), "{stdout}");
    let codes = call(&o.http, &o.server.base, &o.token, "onboarding/qrcode/list", json!({})).await;
    assert_eq!(codes["value"].as_array().expect("codes").len(), 1, "one code made through the SDK");
}

#[tokio::test]
async fn the_lark_sdk_mints_board_codes_and_sets_room_configs() {
    if !lark_ready() {
        return;
    }
    let o = onboarding_company().await;
    let h5 = |path: &'static str, body: Value| call(&o.http, &o.server.base, &o.token, path, body);
    let country = h5("region/add", json!({"name": "中国", "type": 1})).await["value"]["id"].clone();
    let building =
        h5("building/add", json!({"name": "A", "countryId": country, "floors": ["F1", "F2"]})).await["value"]["id"]
            .clone();
    let room =
        h5("room/add", json!({"name": "r", "buildingId": building, "floorName": "F2"})).await["value"]["id"].clone();
    let out = Command::new("python3")
        .arg(e2e_dir().join("lark_vc.py"))
        .args([&o.server.base, &o.appkey, &o.appsecret])
        .args([building.as_str().expect("building"), room.as_str().expect("room")])
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "lark_vc.py failed: {stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("lark-oapi vc: ok"), "{stdout}");
}

#[tokio::test]
async fn the_web_board_runs_a_rooms_day_and_a_phone_checks_in_by_its_qr_code() {
    if !browser_ready() {
        return;
    }
    // Meetings cannot cross midnight (Asia/Shanghai, UTC+8): in the day's last 25
    // minutes there is no room for the test's 20-minute meeting and 15-minute booking.
    let minutes_left = 1440 - (super::chrono_now() / 60_000 + 8 * 60) % 1440;
    if minutes_left < 25 {
        eprintln!("skipped: {minutes_left} minutes to midnight in Asia/Shanghai");
        return;
    }
    let o = onboarding_company().await;
    let h5 = |path: &'static str, body: Value| call(&o.http, &o.server.base, &o.token, path, body);
    let country = h5("region/add", json!({"name": "中国", "type": 1})).await["value"]["id"].clone();
    let building =
        h5("building/add", json!({"name": "A", "countryId": country, "floors": ["F1"]})).await["value"]["id"].clone();
    // All-day bookable hours, so the test runs at any time of day (but the last minutes).
    let room = |name: &'static str| {
        h5(
            "room/add",
            json!({"name": name, "buildingId": building, "floorName": "F1", "beginTime": "00:00", "endTime": "23:59"}),
        )
    };
    let (free, busy) = (room("Free Room").await["value"]["id"].clone(), room("Busy Room").await["value"]["id"].clone());
    assert!(free.is_string() && busy.is_string(), "rooms made");
    let li =
        h5("user/add", json!({"name": "Li", "account": "li", "password": "li-secret-1"})).await["value"]["id"].clone();
    let now = super::chrono_now();
    let meeting = json!({"roomId": busy, "speaker": "Li", "subject": "Design review", "beginTime": now - 60_000,
                         "endTime": now + 20 * 60_000, "createdId": "1", "attendances": [{"userId": li}]});
    let booked = h5("meeting/book", meeting).await;
    let id = booked["value"]["id"].clone();
    assert!(id.is_string(), "{booked}");
    let tenant = feishu(
        &o.http,
        &format!("{}/open-apis/auth/v3/tenant_access_token/internal", o.server.base),
        None,
        json!({"app_id": o.appkey, "app_secret": o.appsecret}),
    )
    .await;
    let code = feishu(
        &o.http,
        &format!("{}/open-apis/vc/v1/room_configs/set_checkboard_access_code", o.server.base),
        tenant["tenant_access_token"].as_str(),
        json!({"scope": 5, "building_id": building, "floor_name": "F1", "valid_day": 1}),
    )
    .await;
    let code = code["data"]["access_code"].as_str().expect("code").to_string();

    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e");
    std::fs::create_dir_all(&shots).expect("screenshot dir");
    let out = Command::new("node")
        .arg(e2e_dir().join("board.mjs"))
        .args([&o.server.base, &code, "Free Room", "Busy Room", "li", "li-secret-1", shots.to_str().expect("path")])
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "board.mjs failed: {stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let steps: Vec<Value> = stdout.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let step =
        |name: &str| steps.iter().find(|s| s["step"] == name).cloned().unwrap_or_else(|| panic!("no {name}: {stdout}"));
    assert!(step("booked")["current"].as_str().is_some_and(|c| c.contains("Ad-hoc") && c.contains("Li")), "{stdout}");
    assert_eq!(step("busy")["qrLoaded"], true, "the check-in code is shown");
    assert!(step("signed")["current"].as_str().is_some_and(|c| c.contains("Design review")), "{stdout}");

    let got = h5("meeting/get", json!({"meetingId": id})).await;
    assert_eq!(got["value"]["attendances"][0]["signType"], 2, "checked in by QR: {got}");
    for shot in ["board-booked.png", "board-busy.png", "phone-checkin.png", "board-checked-in.png"] {
        assert!(shots.join(shot).exists(), "{shot} saved");
    }
}
