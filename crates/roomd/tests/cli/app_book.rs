//! Finding and booking in the app, in headless Chromium (`e2e/app_book.mjs`): a person
//! finds the rooms free now, opens the hall's day, books from it with a colleague, a
//! guest and a weekly repeat, sees the third week's conflict in the preview and books
//! the other three. The same pages in English; every page passes the app's checks.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::browser::{Served, run_script, shots};
use super::e2e::browser_ready;

const MINUTE: i64 = 60_000;
const DAY: i64 = 86_400_000;
const WEEK: i64 = 7 * DAY;
/// Asia/Shanghai, the company's zone: eight hours ahead of UTC all year.
const SHANGHAI: i64 = 8 * 60 * MINUTE;

#[tokio::test]
async fn an_employee_finds_a_room_and_books_a_weekly_meeting_around_a_conflict() {
    if !browser_ready() {
        return;
    }
    let served = Served::start().await;
    let h5 = |path: &'static str, body: Value| served.h5(path, body);
    let me = served.person().await;
    let colleague = h5("user/add", json!({"name": "周明", "account": "zhouming", "position": "设计师"})).await;
    let colleague = colleague["value"]["id"].clone();
    let hall = json!({"name": "九楼大会议室", "beginTime": "00:00", "endTime": "24:00", "capacity": 20,
                      "address": "东区 9 层", "needAudit": 0});
    let hall = h5("room/add", hall).await["value"]["id"].clone();
    let small = json!({"name": "3 号洽谈室", "beginTime": "00:00", "endTime": "24:00", "capacity": 4});
    assert_eq!(h5("room/add", small).await["code"], 10000);

    let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_millis() as i64;
    let tomorrow = now - (now + SHANGHAI).rem_euclid(DAY) + DAY;
    let in_the_way = json!({"roomId": hall, "speaker": "周明", "subject": "培训", "createdId": colleague,
                            "beginTime": tomorrow + 2 * WEEK + 10 * 60 * MINUTE,
                            "endTime": tomorrow + 2 * WEEK + 11 * 60 * MINUTE, "attendances": [{"userId": colleague}]});
    assert_eq!(h5("meeting/book", in_the_way).await["code"], 10000);
    let date = roomd_core::time::local_date(tomorrow, chrono_tz::Asia::Shanghai).format("%Y-%m-%d");

    let shots = shots();
    let run = run_script(
        "app_book.mjs",
        &[served.base(), "1000", "lixiaowen", "app-pass-2030", shots.to_str().expect("path")],
        &[("TOMORROW", &date.to_string())],
    );
    let stdout = &run.stdout;
    let step = |name: &str| run.step(name);

    assert_eq!(step("now")["rooms"], json!(["3 号洽谈室", "九楼大会议室"]), "{stdout}");
    assert_eq!(step("later")["rooms"], json!(["九楼大会议室"]), "six people do not fit in four seats: {stdout}");
    let preview = step("preview");
    assert_eq!(preview["lines"].as_array().map(Vec::len), Some(4), "{stdout}");
    assert!(preview["lines"][2].as_str().is_some_and(|l| l.contains("已被占用")), "the third week: {stdout}");
    assert_eq!(preview["said"], "1 次有冲突，其余 3 次可以预约。");
    let booked = step("booked");
    assert_eq!(booked["notice"], "预约成功。");
    assert_eq!(booked["meetings"], json!(["设计评审", "设计评审"]), "two weeks show at home: {stdout}");

    let until = roomd_core::time::local_date(tomorrow + 5 * WEEK, chrono_tz::Asia::Shanghai).format("%Y-%m-%d");
    let list = json!({"roomId": hall, "minTime": format!("{date} 00:00:00"), "maxTime": format!("{until} 00:00:00")});
    let list = h5("meeting/list", list).await;
    let mine: Vec<&Value> =
        list["value"].as_array().expect("list").iter().filter(|m| m["subject"] == "设计评审").collect();
    assert_eq!(mine.len(), 3, "{list}");
    assert!(mine.iter().all(|m| m["createdId"] == me), "booked as the person: {list}");
    let names: Vec<&str> =
        mine[0]["attendances"].as_array().expect("on it").iter().filter_map(|a| a["name"].as_str()).collect();
    assert_eq!(names, ["李晓雯", "周明", "陈晨（外部顾问）"]);
    assert_eq!(mine[0]["recurrence"], "FREQ=WEEKLY;COUNT=4");

    run.assert_pages_pass(11);
    for shot in [
        "app-find-zh.png",
        "app-find-now-zh.png",
        "app-room-day-zh.png",
        "app-book-zh.png",
        "app-book-preview-zh.png",
        "app-find-en.png",
        "app-book-en.png",
    ] {
        assert!(shots.join(shot).exists(), "{shot} saved");
    }
}
