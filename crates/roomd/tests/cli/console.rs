//! The console in headless Chromium (`e2e/console.mjs`): an admin sets a password from
//! the first start's link, signs in, configures the event URL against a live receiver,
//! and goes through every panel, on a desktop and on a phone. Screenshots land in
//! `target/tmp/e2e/`.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use super::e2e::{browser_ready, e2e_dir, feishu, noise_png};
use super::{call, field, http_client, serve, token};

// The receiver answers on this runtime while the browser runs: two threads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_signs_in_to_the_console_and_configures_the_event_url() {
    if !browser_ready() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let (server, lines) = serve(dir.path());
    let (appkey, appsecret) = (field(&lines, "appkey:"), field(&lines, "appsecret:"));
    let setup = field(&lines, "console:");
    let http = http_client();
    let token = token(&http, &server.base, &appkey, &appsecret).await;
    let (receiver, hook) = super::Receiver::start().await;
    receiver.use_keys(&http, &server.base, &token, &appkey).await;
    // For the boards and onboarding pages: a building with a floor, a department and
    // its dimension, a code made through the API and a registration waiting for approval.
    let h5 = |path: &'static str, body: Value| call(&http, &server.base, &token, path, body);
    h5("building/add", json!({"name": "A", "floors": ["F1"]})).await;
    let dept = h5("dept/add", json!({"name": "研发部"})).await["value"]["id"].clone();
    let dims = json!({"dimensions": [{"apiName": "department", "displayName": {"zh_cn": "部门", "en_us": "Department"}, "type": 1}]});
    h5("onboarding/dimension/save", dims).await;
    h5("onboarding/settings/save", json!({"needApproval": true})).await;
    let tenant = feishu(
        &http,
        &format!("{}/open-apis/auth/v3/tenant_access_token/internal", server.base),
        None,
        json!({"app_id": appkey, "app_secret": appsecret}),
    )
    .await;
    let create =
        json!({"dimension_value_list": [{"dimension": {"api_name": "department"}, "value": {"select_value": dept}}]});
    let code = feishu(
        &http,
        &format!("{}/open-apis/corehr/v2/onboarding_qr_codes", server.base),
        tenant["tenant_access_token"].as_str(),
        create,
    )
    .await;
    let scan = code["data"]["qr_code"]["url"].as_str().expect("url").to_string();
    let photo = dir.path().join("face.png");
    noise_png(&photo);
    let form = reqwest::multipart::Form::new()
        .text("name", "Newbie")
        .text("account", "newbie")
        .text("phone", "13700000000")
        .text("email", "newbie@example.com")
        .text("password", "newbie-pass")
        .part("face", reqwest::multipart::Part::bytes(std::fs::read(&photo).expect("photo")).file_name("f.png"));
    assert_eq!(http.post(&scan).multipart(form).send().await.expect("send").status(), 200, "registered, pending");

    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e");
    std::fs::create_dir_all(&shots).expect("screenshot dir");
    let out = Command::new("node")
        .arg(e2e_dir().join("console.mjs"))
        .args([&setup, &hook, shots.to_str().expect("path"), photo.to_str().expect("path")])
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "console.mjs failed: {stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let steps: Vec<Value> = stdout.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let step =
        |name: &str| steps.iter().find(|s| s["step"] == name).cloned().unwrap_or_else(|| panic!("no {name}: {stdout}"));
    assert_eq!(step("signed-in")["unlabelled"], 0, "every input has a label");
    let credential = step("credential");
    let (new_key, new_secret) =
        (credential["appkey"].as_str().expect("appkey"), credential["appsecret"].as_str().expect("secret"));
    assert!(!super::token(&http, &server.base, new_key, new_secret).await.is_empty(), "the generated credential works");
    assert!(step("bad-url")["alert"].as_str().is_some_and(|a| a.contains("failed the check")), "{stdout}");

    let subscription = call(&http, &server.base, &token, "event/get", json!({})).await;
    assert_eq!(
        (subscription["value"]["url"].as_str(), subscription["value"]["enabled"].as_bool()),
        (Some(hook.as_str()), Some(true))
    );
    let board_code = step("board-code")["code"].as_str().expect("code").to_string();
    let activated: Value = http
        .post(format!("{}/board/api/activate", server.base))
        .json(&json!({"access_code": board_code, "device_name": "console test"}))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(activated["data"]["device"]["scope"]["floor_name"], "F1", "{activated}");
    let onboarding = step("onboarding");
    assert_eq!(onboarding["previews"], json!([true]), "the code's image shows");
    assert_eq!((onboarding["stillPending"].clone(), onboarding["codes"].clone()), (json!(0), json!(2)));
    let users = call(&http, &server.base, &token, "user/list", json!({})).await;
    assert!(
        users["value"].as_array().expect("users").iter().any(|u| u["account"] == "newbie"),
        "approved in the console"
    );
    let room_step = step("room");
    assert!(
        room_step["placed"]["lat"].as_str().is_some_and(|l| l.parse::<f64>().is_ok()),
        "the map set the position: {stdout}"
    );
    assert!(room_step["edited"].as_str().is_some_and(|e| e.contains("12") && e.contains("A ")), "{stdout}");
    assert_eq!(step("building-day")["columns"], json!(["Console Room "]), "{stdout}");
    assert!(step("building-day")["booking"].as_str().is_some_and(|b| b.contains("Console booking")), "{stdout}");
    assert_eq!(step("dimensions")["dimensions"], json!(["department", "remote"]), "{stdout}");
    let labels = &step("labels")["unlabelledByPage"];
    assert!(
        labels.as_object().is_some_and(|pages| pages.len() >= 6 && pages.values().all(|m| m == &json!([]))),
        "unlabelled controls: {labels}"
    );
    let calendar = step("calendar");
    assert!(
        calendar["booked"].as_str().is_some_and(|b| b.contains("Console booking") && b.contains("pending")),
        "{stdout}"
    );
    assert_eq!(calendar["pendingAfter"], 0, "approved in the queue");
    let series = step("series");
    assert!(series["seriesTag"].as_str().is_some_and(|t| t.contains("series") && t.contains("pending")), "{stdout}");
    assert!(series["waiting"].as_str().is_some_and(|w| w.contains("3 occurrences waiting")), "{stdout}");
    assert_eq!(series["pendingAfter"], 0, "the whole series approved: {stdout}");
    let found = step("find-room");
    assert!(found["foundRow"].as_str().is_some_and(|r| r.contains("Console Room") && r.contains("Free")), "{stdout}");
    assert_eq!(step("company"), json!({"step": "company", "zone": "Asia/Shanghai", "saved": "Asia/Singapore"}));
    let rooms = call(&http, &server.base, &token, "room/list", json!({})).await;
    let room = rooms["value"]
        .as_array()
        .expect("rooms")
        .iter()
        .find(|r| r["name"] == "Console Room")
        .expect("made in the console")["id"]
        .clone();
    assert_eq!(
        rooms["value"].as_array().expect("rooms").iter().find(|r| r["id"] == room).expect("room")["needAudit"],
        1
    );
    let listed = call(&http, &server.base, &token, "meeting/list", json!({"roomId": room})).await;
    assert_eq!(listed["value"][0]["checkedState"], 1, "{listed}");
    let link_again = http_client().get(&setup).send().await.expect("send");
    assert_eq!(link_again.status(), 410, "the setup link works once");
    let directory = step("directory");
    assert_eq!(directory["previewShown"], true, "the photo is previewed before upload: {stdout}");
    let zhang = call(&http, &server.base, &token, "user/list", json!({})).await["value"]
        .as_array()
        .expect("users")
        .iter()
        .find(|u| u["account"] == "zhangsan")
        .cloned()
        .expect("added in the console");
    assert!(!zhang["faceUrl"].as_str().unwrap_or_default().is_empty(), "with the face photo");
    let reports = step("reports");
    assert!(reports["csvHead"].as_str().is_some_and(|h| h.starts_with("room,building,bookable_hours")), "{stdout}");
    assert_eq!(reports["csvRows"], reports["rooms"], "the CSV has the table's rooms");
    let feed = step("feed");
    assert_eq!(
        (feed["status"].clone(), feed["type"].clone(), feed["calendar"].clone()),
        (json!(200), json!("text/calendar; charset=utf-8"), json!(true)),
        "{stdout}"
    );
    assert!(feed["events"].as_i64() > Some(0), "the room's meetings: {stdout}");
    assert_eq!((feed["changed"].clone(), feed["oldStatus"].clone()), (json!(true), json!(404)), "{stdout}");
    let phone = step("phone");
    assert_eq!(phone["wider"], json!({}), "every page fits a 390 px screen: {stdout}");
    assert_eq!(
        (phone["switched"].clone(), phone["remembered"].clone()),
        (json!("使用率报表"), json!("zh-CN")),
        "{stdout}"
    );
    for shot in [
        "console-open-api.png",
        "console-boards.png",
        "console-onboarding.png",
        "console-calendar.png",
        "console-directory.png",
        "console-reports.png",
        "console-feed.png",
        "console-feed-zh.png",
        "phone-console-feed-zh.png",
        "phone-console-feed-en.png",
        "phone-console-directory-zh.png",
        "phone-console-login-zh.png",
    ] {
        assert!(shots.join(shot).exists(), "{shot} saved");
    }
}
