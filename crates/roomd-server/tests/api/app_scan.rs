//! Check-in by scanning a board's code with a phone signed in to the app: one tap, no
//! password, `signType` 2 as on the public page; an expired code and a person not on the
//! list are refused; a phone without the app's session gets the public page.

use serde_json::{Value, json};

use crate::app::csrf_of;
use crate::boards::{activate, board, code};
use crate::hardening::no_redirects;
use crate::room_configs::tree;
use crate::support::{HOUR, TOMORROW, TestApp, merge};

/// A board at a room with a meeting tomorrow 10–11 that lists `wangwu`, and a colleague
/// `zhaoliu` not on it; the clock a minute into the meeting. The meeting's id and the
/// `/app/scan?t=…` path of the board's code of this minute.
async fn scene(t: &TestApp) -> (String, String) {
    let tr = tree(t).await;
    t.ok("room/update", json!({"id": tr.room, "name": "七楼小会议室"})).await;
    let device = activate(t, &code(t, json!({"scope": 6, "room_id": tr.room})).await).await;
    let wangwu = t.employee("wangwu", "13900000011").await;
    t.employee("zhaoliu", "13900000012").await;
    let mut body = t.booking(&tr.room, 10, 11);
    merge(&mut body, json!({"subject": "评审会", "attendances": [{"userId": wangwu}]}));
    let meeting = t.ok("meeting/book", body).await["id"].as_str().expect("id").to_string();
    t.clock.set(TOMORROW + 10 * HOUR + 60_000);
    let (status, qr) = board(t, Some(&device), "GET", "qr", json!({})).await;
    assert_eq!(status, 200, "{qr}");
    let url = qr["data"]["url"].as_str().expect("url");
    let path = url.strip_prefix("http://roomd.test").expect("roomd's own address").to_string();
    assert!(path.starts_with("/app/scan?t="), "the code leads through the app: {path}");
    (meeting, path)
}

/// The first attendee's `signType`, read by `meeting/get` (with a new token: the clock
/// has moved past the first one's life).
async fn sign_type(t: &mut TestApp, meeting: &str) -> Value {
    t.token = t.token_for(&t.appkey.clone(), &t.appsecret.clone()).await;
    t.ok("meeting/get", json!({"meetingId": meeting})).await["attendances"][0]["signType"].clone()
}

#[tokio::test]
async fn a_person_signed_in_to_the_app_checks_in_with_one_tap_on_the_boards_code() {
    let mut t = TestApp::spawn().await;
    let (meeting, path) = scene(&t).await;
    let cookie = t.app_cookie("wangwu").await;
    let scan = path.trim_start_matches("/app/");
    let (status, page) = t.app_get(&cookie, scan).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("评审会") && page.contains("七楼小会议室") && page.contains("10:00–11:00"), "{page}");
    assert!(!page.contains("type=\"password\""), "no password asked");
    let token = path.split_once("t=").expect("token").1;
    let tapped = t.app_post(&cookie, "scan", &[("csrf", &csrf_of(&page)), ("t", token)]).await;
    assert_eq!(tapped.status(), 303);
    assert_eq!(tapped.headers()["location"], "/app/?done=checked-in");
    assert_eq!(sign_type(&mut t, &meeting).await, 2, "checked in by QR code");
    let (_, home) = t.app_get(&cookie, "?done=checked-in").await;
    assert!(home.contains("签到成功"), "home says so");
    let (status, again) = t.app_get(&cookie, scan).await;
    assert_eq!(status, 200);
    assert!(again.contains("你已经签到过了") && !again.contains("action=\"/app/scan\""), "{again}");
}

#[tokio::test]
async fn an_expired_code_and_a_person_not_on_the_list_are_refused() {
    let mut t = TestApp::spawn().await;
    let (meeting, path) = scene(&t).await;
    let scan = path.trim_start_matches("/app/");
    let token = path.split_once("t=").expect("token").1;

    let stranger = t.app_cookie("zhaoliu").await;
    let (status, page) = t.app_get(&stranger, scan).await;
    assert_eq!(status, 422);
    assert!(page.contains("你不在这个会议的参会人名单中") && !page.contains("评审会"), "{page}");
    let (_, home) = t.app_get(&stranger, "").await;
    let tapped = t.app_post(&stranger, "scan", &[("csrf", &csrf_of(&home)), ("t", token)]).await;
    assert_eq!(tapped.status(), 422);

    // The page was opened in time; the tap comes six minutes later, after the code's five.
    let cookie = t.app_cookie("wangwu").await;
    let (_, page) = t.app_get(&cookie, scan).await;
    t.clock.advance(6 * 60_000);
    let late = t.app_post(&cookie, "scan", &[("csrf", &csrf_of(&page)), ("t", token)]).await;
    assert_eq!(late.status(), 410);
    assert!(late.text().await.expect("html").contains("二维码已过期"));
    let (status, _) = t.app_get(&cookie, scan).await;
    assert_eq!(status, 410);
    let forged = t.app_post(&cookie, "scan", &[("csrf", &csrf_of(&page)), ("t", &format!("X{token}"))]).await;
    assert_eq!(forged.status(), 410);
    assert_eq!(sign_type(&mut t, &meeting).await, 0, "nobody checked in");
}

#[tokio::test]
async fn without_the_apps_session_the_code_leads_to_the_public_check_in_page() {
    let t = TestApp::spawn().await;
    let (_, path) = scene(&t).await;
    let token = path.split_once("t=").expect("token").1;
    let response = no_redirects().get(format!("{}{path}&lang=en", t.base)).send().await.expect("send");
    assert_eq!(response.status(), 303);
    let public = response.headers()["location"].to_str().expect("location").to_string();
    assert_eq!(public, format!("/board/checkin?t={token}&lang=en"));
    let page = t.http.get(format!("{}{public}", t.base)).send().await.expect("send").text().await.expect("html");
    assert!(page.contains("评审会") && page.contains("type=\"password\"") && page.contains("Check in"), "{page}");
}
