//! The app's "My meeting" page in headless Chromium (`e2e/app_meeting.mjs`): on a phone,
//! a person opens a meeting from home, extends it by 15 minutes (30 more are refused: the
//! room is booked), cancels one occurrence of a series, and edits a meeting in English.
//! Every page passes axe-core, fits 320 px and weighs at most 100 KB. Screenshots land in
//! `target/tmp/e2e/`.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::browser::{Served, run_script, shots};
use super::e2e::browser_ready;

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
/// Asia/Shanghai, the company's zone: eight hours ahead of UTC all year.
const SHANGHAI: i64 = 8 * HOUR;

#[tokio::test]
async fn an_employee_extends_a_meeting_cancels_one_of_a_series_and_edits_on_a_phone() {
    if !browser_ready() {
        return;
    }
    let served = Served::start().await;
    let h5 = |path: &'static str, body: Value| served.h5(path, body);
    let me = served.person().await;
    let colleague = h5("user/add", json!({"name": "周明", "account": "zhouming"})).await["value"]["id"].clone();
    let room = json!({"name": "九楼大会议室", "beginTime": "08:00", "endTime": "20:00", "address": "世纪大道 100 号"});
    let room = h5("room/add", room).await["value"]["id"].clone();

    // Tomorrow in Shanghai: 10:00–11:00 mine, 11:30 someone else's; from the day after, a
    // weekly series of mine at 14:00.
    let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_millis() as i64;
    let tomorrow = now - (now + SHANGHAI).rem_euclid(DAY) + DAY;
    let book = |subject: &str, begin: i64, booker: &Value| {
        json!({"roomId": room, "speaker": "李晓雯", "subject": subject, "beginTime": begin, "endTime": begin + HOUR,
               "createdId": booker, "memo": "评审新版预约流程",
               "attendances": [{"userId": me}, {"userId": colleague}, {"name": "王工（访客）", "phone": "13800000000"}]})
    };
    let review = h5("meeting/book", book("产品评审", tomorrow + 10 * HOUR, &me)).await;
    let review = review["value"]["id"].clone();
    let next = h5("meeting/book", book("客户电话", tomorrow + 11 * HOUR + 30 * MINUTE, &colleague)).await;
    assert_eq!(next["code"], 10000, "{next}");
    let mut series = book("设计周会", tomorrow + DAY + 14 * HOUR, &me);
    series["recurrence"] = json!("FREQ=WEEKLY;COUNT=4");
    let series = h5("meeting/book", series).await["value"]["seriesId"].clone();

    let shots = shots();
    let run = run_script(
        "app_meeting.mjs",
        &[served.base(), "1000", "lixiaowen", "app-pass-2030", shots.to_str().expect("path")],
        &[],
    );
    let stdout = &run.stdout;
    let step = |name: &str| run.step(name);

    let extended = step("extended");
    assert_eq!(extended["extended"], "已延长，会议现在 11:15 结束。", "{stdout}");
    assert!(extended["when"].as_str().is_some_and(|w| w.ends_with("10:00–11:15")), "{stdout}");
    assert_eq!(extended["refused"], "会议室 11:30 起已被预约，无法延长 30 分钟。", "{stdout}");
    let cancelled = step("cancelled");
    let repeats = cancelled["repeats"].as_str().unwrap_or_default();
    assert!(repeats.starts_with("每周") && repeats.ends_with(" · 共 4 次"), "the rule in words: {stdout}");
    assert_eq!(cancelled["cancelled"], "会议已取消，参会人会收到通知。");
    assert_eq!((cancelled["tags"].clone(), cancelled["actions"].clone()), (json!("已取消"), json!(0)));
    assert_eq!(step("edited")["saved"], "Your changes are saved.");

    let got = h5("meeting/get", json!({"meetingId": review})).await["value"].clone();
    assert_eq!(got["endTime"], tomorrow + 11 * HOUR + 15 * MINUTE, "extended by 15 minutes exactly");
    assert_eq!((got["subject"].clone(), got["memo"].clone()), (json!("产品评审（第二轮）"), json!("带上新的原型")));
    let occurrences = h5("series/get", json!({"seriesId": series})).await["value"]["occurrences"].clone();
    let statuses: Vec<Value> =
        occurrences.as_array().expect("occurrences").iter().map(|o| o["status"].clone()).collect();
    assert_eq!(statuses, [json!(4), json!(0), json!(0), json!(0)], "this one only");

    run.assert_pages_pass(7);
    for shot in ["app-meeting-zh.png", "app-meeting-en.png", "app-meeting-edit-en.png", "app-meeting-desktop.png"] {
        assert!(shots.join(shot).exists(), "{shot} saved");
    }
}
