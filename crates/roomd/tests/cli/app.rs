//! The employees' app in headless Chromium (`e2e/app.mjs`): a person signs in on a phone,
//! sees their meetings, checks in, switches language and signs out, then signs in on a
//! desktop. Every page passes axe-core, fits 320 px and weighs at most 100 KB, and nothing
//! is loaded from outside roomd. Screenshots land in `target/tmp/e2e/`.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::browser::{Served, run_script, shots};
use super::e2e::browser_ready;

const MINUTE: i64 = 60_000;
const DAY: i64 = 86_400_000;
/// Asia/Shanghai, the company's zone: eight hours ahead of UTC all year.
const SHANGHAI: i64 = 8 * 60 * MINUTE;

/// A meeting of `minutes` under way now (begun two minutes ago), kept inside today in
/// Shanghai, as a meeting does not cross midnight: its begin and end, and the midnight
/// that began today there.
pub(super) fn under_way(minutes: i64) -> (i64, i64, i64) {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_millis() as i64;
    let midnight = now - (now + SHANGHAI).rem_euclid(DAY);
    let begin = (now - 2 * MINUTE).max(midnight);
    (begin, (begin + minutes * MINUTE).min(midnight + DAY), midnight)
}

#[tokio::test]
async fn an_employee_signs_in_to_the_app_checks_in_and_signs_out() {
    if !browser_ready() {
        return;
    }
    let served = Served::start().await;
    let h5 = |path: &'static str, body: Value| served.h5(path, body);
    let person = json!({"name": "李晓雯", "account": "lixiaowen", "phone": "13900001234",
                        "email": "lixiaowen@example.com", "password": "app-pass-2030"});
    let me = h5("user/add", person).await["value"]["id"].clone();
    let colleague = h5("user/add", json!({"name": "周明", "account": "zhouming"})).await["value"]["id"].clone();
    // The hall has a position: the app checks in by location (the browser is put a few
    // metres from it).
    let hall = json!({"name": "九楼大会议室", "beginTime": "00:00", "endTime": "24:00",
                      "latitude": 31.2304, "longitude": 121.4737, "radius": 100});
    let hall = h5("room/add", hall).await;
    let small = json!({"name": "3 号洽谈室", "beginTime": "00:00", "endTime": "24:00", "needAudit": 1});
    let small = h5("room/add", small).await;
    let (hall, small) = (hall["value"]["id"].clone(), small["value"]["id"].clone());

    // Today's meeting is under way (open for check-in).
    let (begin, end, midnight) = under_way(45);
    let book = |room: &Value, subject: &str, begin: i64, end: i64, booker: &Value| {
        json!({"roomId": room, "speaker": "李晓雯", "subject": subject, "beginTime": begin, "endTime": end,
               "createdId": booker, "attendances": [{"userId": me}, {"userId": colleague}]})
    };
    let booked = h5("meeting/book", book(&hall, "产品周会", begin, end, &colleague)).await;
    assert_eq!(booked["code"], 10000, "{booked}");
    let tomorrow = midnight + DAY;
    let demo = book(&small, "客户演示准备", tomorrow + 14 * 60 * MINUTE, tomorrow + 15 * 60 * MINUTE, &me);
    assert_eq!(h5("meeting/book", demo).await["code"], 10000);
    let review = book(&hall, "季度复盘", tomorrow + DAY + 10 * 60 * MINUTE, tomorrow + DAY + 11 * 60 * MINUTE, &me);
    let review = h5("meeting/book", review).await["value"]["id"].clone();
    assert_eq!(h5("meeting/cancel", json!({"meetingId": review})).await["code"], 10000);

    let shots = shots();
    let run = run_script(
        "app.mjs",
        &[served.base(), "1000", "lixiaowen", "app-pass-2030", shots.to_str().expect("path")],
        &[],
    );
    let stdout = &run.stdout;
    let step = |name: &str| run.step(name);

    assert_eq!(step("login-zh")["company"], "1000", "the company comes from the link");
    let refused = step("refused");
    assert!(refused["alert"].as_str().is_some_and(|a| a.contains("incorrect")), "{stdout}");
    assert_eq!(refused["kept"], "lixiaowen");
    let home = step("home");
    assert_eq!(home["meetings"], json!(["产品周会", "客户演示准备", "季度复盘"]), "{stdout}");
    assert!(home["today"].as_str().is_some_and(|t| t.starts_with("Today")), "{stdout}");
    assert_eq!(home["buttons"], 1, "one meeting open for check-in: {stdout}");
    assert_eq!(home["checkedIn"], "You are checked in.");
    let signed = h5("meeting/get", json!({"meetingId": booked["value"]["id"]})).await;
    let mine = &signed["value"]["attendances"][0];
    assert_eq!((mine["isSigned"].clone(), mine["signType"].clone()), (json!(1), json!(5)), "by location: {signed}");
    let tags = home["tags"].to_string();
    assert!(tags.contains("Checked in") && tags.contains("Pending approval") && tags.contains("Cancelled"), "{tags}");
    let signed_out = step("signed-out");
    assert_eq!((signed_out["notice"].clone(), signed_out["company"].clone()), (json!("你已退出。"), json!("1000")));
    assert_eq!(signed_out["lang"], "zh-CN");
    assert_eq!(step("after")["url"], "/app/login", "signed out for good");

    run.assert_pages_pass(7);

    let got = served.h5("meeting/get", json!({"meetingId": booked["value"]["id"]})).await;
    let mine = got["value"]["attendances"].as_array().expect("attendances").iter().find(|a| a["userId"] == me).cloned();
    assert_eq!(mine.expect("on the list")["isSigned"], 1, "{got}");
    for shot in ["app-login-zh.png", "app-login-en.png", "app-home-zh.png", "app-home-en.png", "app-home-desktop.png"] {
        assert!(shots.join(shot).exists(), "{shot} saved");
    }
}
