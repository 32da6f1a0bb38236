//! Check-in by scanning a board's code with the employees' app (`e2e/app_scan.mjs`): a
//! person signed in to the app on a phone opens the code's address and checks in with
//! one tap, in both languages; a phone without the app gets the public page.
//! Screenshots `app-scan-zh.png`, `app-scan-en.png`, `app-scan-done.png` land in
//! `target/tmp/e2e/`.

use serde_json::{Value, json};

use super::app::under_way;
use super::browser::{Served, run_script, shots};
use super::e2e::{browser_ready, feishu};

#[tokio::test]
async fn a_person_signed_in_to_the_app_checks_in_by_the_boards_code_with_one_tap() {
    if !browser_ready() {
        return;
    }
    let served = Served::start().await;
    let h5 = |path: &'static str, body: Value| served.h5(path, body);
    let me = served.person().await;
    let room = json!({"name": "七楼小会议室", "beginTime": "00:00", "endTime": "24:00"});
    let room = h5("room/add", room).await["value"]["id"].clone();
    let (begin, end, _) = under_way(45);
    let meeting = json!({"roomId": room, "speaker": "李晓雯", "subject": "设计评审", "beginTime": begin,
                         "endTime": end, "createdId": me, "attendances": [{"userId": me}]});
    let booked = h5("meeting/book", meeting).await;
    assert_eq!(booked["code"], 10000, "{booked}");

    // A board at the room's door, and the address in its code of this minute.
    let base = &served.server.base;
    let auth = json!({"app_id": served.appkey, "app_secret": served.appsecret});
    let tenant =
        feishu(&served.http, &format!("{base}/open-apis/auth/v3/tenant_access_token/internal"), None, auth).await;
    let mint = json!({"scope": 6, "room_id": room, "valid_day": 1});
    let url = format!("{base}/open-apis/vc/v1/room_configs/set_checkboard_access_code");
    let code = feishu(&served.http, &url, tenant["tenant_access_token"].as_str(), mint).await;
    let activate = json!({"access_code": code["data"]["access_code"], "device_name": "7F 门口"});
    let device = feishu(&served.http, &format!("{base}/board/api/activate"), None, activate).await;
    let device = device["data"]["device_token"].as_str().expect("device token").to_string();
    let qr = served.http.get(format!("{base}/board/api/qr")).bearer_auth(&device).send().await.expect("send");
    let qr: Value = qr.json().await.expect("json");
    let code_url = qr["data"]["url"].as_str().expect("the code's address").to_string();

    let shots = shots();
    let run = run_script(
        "app_scan.mjs",
        &[base, "1000", "lixiaowen", "app-pass-2030", &code_url, shots.to_str().expect("path")],
        &[],
    );
    let stdout = &run.stdout;
    let step = |name: &str| run.step(name);

    let scan = step("scan-zh");
    assert_eq!(scan["path"], "/app/scan");
    let card = scan["card"].as_str().unwrap_or_default();
    assert!(card.contains("设计评审") && card.contains("七楼小会议室"), "{stdout}");
    assert_eq!(scan["passwords"], 0, "no password asked");
    for checks in [&scan["checks"], &step("scan-en")["checks"]] {
        assert_eq!(checks["violations"], json!([]), "axe: {checks}");
        assert!(checks["overflow"].as_i64() <= Some(0), "wider than 320 px: {checks}");
        assert!(checks["weight"].as_i64().is_some_and(|w| w > 0 && w <= 100_000), "weighs {checks}");
    }
    assert_eq!(step("checked-in")["status"], "You are checked in.");
    assert_eq!(step("without-app")["path"], "/board/checkin", "the public page, for a phone without the app");
    let got = h5("meeting/get", json!({"meetingId": booked["value"]["id"]})).await;
    let mine = &got["value"]["attendances"][0];
    assert_eq!((mine["isSigned"].clone(), mine["signType"].clone()), (json!(1), json!(2)), "by QR code: {got}");
    for shot in ["app-scan-zh.png", "app-scan-en.png", "app-scan-done.png"] {
        assert!(shots.join(shot).exists(), "{shot} saved");
    }
}
