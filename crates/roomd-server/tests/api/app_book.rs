//! The app's finding and booking: "now" and a time range offer only the rooms free then
//! that the person may book; a room's day hides other people's subjects; a booking made
//! in the app is the person's own, with colleagues and guests; a weekly series shows its
//! conflict before it is booked and is booked without it when asked.

use serde_json::json;

use crate::app::csrf_of;
use crate::support::{HOUR, NOW, TOMORROW, TestApp};

/// `hours` o'clock as the forms type it.
fn hhmm(hours: i64) -> String {
    format!("{hours:02}:00")
}

async fn rooms(t: &TestApp, other: &str) -> (String, String, String, String) {
    let all_day = json!({"beginTime": "00:00", "endTime": "24:00", "capacity": 10});
    let mut free = all_day.clone();
    free["name"] = json!("望京厅");
    let mut taken = all_day.clone();
    taken["name"] = json!("国贸厅");
    let mut theirs = all_day.clone();
    (theirs["name"], theirs["permission"], theirs["userIds"]) = (json!("董事会议室"), json!(1), json!([other]));
    let mut small = all_day.clone();
    (small["name"], small["capacity"]) = (json!("电话间"), json!(2));
    let free = t.room(free).await;
    let taken = t.room(taken).await;
    let theirs = t.room(theirs).await;
    let small = t.room(small).await;
    let busy = json!({"roomId": taken, "speaker": "x", "subject": "别人的机密会议", "beginTime": NOW - HOUR,
                      "endTime": NOW + 2 * HOUR, "createdId": other, "attendances": [{"userId": other}]});
    t.ok("meeting/book", busy).await;
    (free, taken, theirs, small)
}

#[tokio::test]
async fn now_and_a_time_range_offer_only_free_rooms_the_person_may_book() {
    let t = TestApp::spawn().await;
    t.employee("lisi", "13900000001").await;
    let other = t.employee("wangwu", "13900000002").await;
    let (free, ..) = rooms(&t, &other).await;
    let cookie = t.app_cookie("lisi").await;

    let (status, page) = t.app_get(&cookie, "find?now=30").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("望京厅") && page.contains("电话间"), "free rooms are offered: {page}");
    assert!(!page.contains("国贸厅"), "a room taken now is not");
    assert!(!page.contains("董事会议室"), "nor one only others may book");
    assert!(
        page.contains(&format!("/app/book?room={free}&#38;date=2030-01-09&#38;from=08%3A00&#38;to=08%3A30")),
        "{page}"
    );

    let (_, page) = t.app_get(&cookie, "find?date=2030-01-10&from=09:00&to=10:00&people=5").await;
    assert!(page.contains("望京厅") && page.contains("国贸厅"), "tomorrow both are free: {page}");
    assert!(!page.contains("电话间"), "two seats are not enough for five");
    let (status, page) = t.app_get(&cookie, "find?date=2030-01-10&from=10:00&to=09:00").await;
    assert_eq!(status, 422);
    assert!(page.contains("结束要晚于开始"), "{page}");
    let (status, _) = t.app_get(&cookie, "find?date=2030-01-10&from=09:00&to=10:00&place=b:nowhere").await;
    assert_eq!(status, 422, "an unknown place is said, not ignored");
    let (status, page) = t.app_get(&cookie, "find?date=2030-01-08&from=09:00&to=10:00").await;
    assert_eq!((status, page.contains("已经过去")), (422, true), "yesterday is over");
}

#[tokio::test]
async fn a_rooms_day_shows_the_persons_own_subjects_and_hides_the_others() {
    let t = TestApp::spawn().await;
    let me = t.employee("lisi", "13900000001").await;
    let other = t.employee("wangwu", "13900000002").await;
    let (_, taken, theirs, _) = rooms(&t, &other).await;
    let mine = json!({"roomId": taken, "speaker": "李四", "subject": "我的周会", "beginTime": NOW + 3 * HOUR,
                      "endTime": NOW + 4 * HOUR, "createdId": me, "attendances": [{"userId": me}]});
    t.ok("meeting/book", mine).await;
    let cookie = t.app_cookie("lisi").await;
    let (status, page) = t.app_get(&cookie, &format!("rooms/{taken}")).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("我的周会"), "my own meeting has its subject");
    assert!(!page.contains("别人的机密会议") && page.contains("已被预约"), "another's is only booked: {page}");
    assert!(page.contains("07:00–10:00") && page.contains("11:00–12:00"), "busy stretches on the room's clock");
    assert!(page.contains("10:00–11:00") && page.contains("12:00–24:00"), "and the free ones between");
    assert!(page.contains(&format!("/app/book?room={taken}&#38;date=2030-01-09&#38;from=10%3A00&#38;to=11%3A00")));
    assert_eq!(t.app_get(&cookie, "rooms/nope").await.0, 404);
    assert_eq!(t.app_get(&cookie, &format!("rooms/{theirs}")).await.0, 404, "a room only others may book");
    assert_eq!(t.app_get(&cookie, &format!("rooms/{taken}?date=someday")).await.0, 400);
}

#[tokio::test]
async fn a_booking_in_the_app_is_the_persons_own_with_colleagues_and_guests() {
    let t = TestApp::spawn().await;
    let me = t.employee("lisi", "13900000001").await;
    let other = t.employee("wangwu", "13900000002").await;
    let (free, taken, _, _) = rooms(&t, &other).await;
    let cookie = t.app_cookie("lisi").await;
    let (status, form) = t.app_get(&cookie, &format!("book?room={free}&date=2030-01-10&from=09:00&to=10:00")).await;
    assert_eq!(status, 200, "{form}");
    assert!(form.contains("望京厅") && form.contains("value=\"09:00\"") && form.contains("value=\"2030-01-10\""));
    let csrf = csrf_of(&form);

    // Looking a colleague up by name offers them, not oneself.
    let search = [("csrf", csrf.as_str()), ("room", &free), ("who", "员工"), ("step", "search")];
    let (found, page) = post(&t, &cookie, &search).await;
    assert_eq!(found, 200);
    assert!(page.contains(&format!("value=\"{other}\"")) && !page.contains(&format!("value=\"{me}\"")), "{page}");
    // As one types (people.js): the same search, as JSON.
    let (status, json) = t.app_get(&cookie, "people?q=%E5%91%98%E5%B7%A5").await;
    assert_eq!(status, 200, "{json}");
    let found: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(found, json!([{"id": other, "name": "员工 wangwu", "detail": "wangwu"}]), "not oneself");
    assert_eq!(t.app_get(&cookie, "people?q=1390000000").await.1, "[]");
    assert_eq!(t.app_get("", "people?q=x").await.0, 303, "signed in only");
    // A phone or an email finds only whole: a search cannot spell out a number.
    for (who, found) in [("1390000000", false), ("13900000002", true), ("wangwu@example", false)] {
        let search = [("csrf", csrf.as_str()), ("room", &free), ("who", who), ("step", "search")];
        let page = post(&t, &cookie, &search).await.1;
        assert_eq!(page.contains(&format!("value=\"{other}\"")), found, "{who}");
        assert!(!page.contains("wangwu@example.com"), "no email shown");
    }

    let (date, from, to) = ("2030-01-10", hhmm(9), hhmm(10));
    let booking = [
        ("csrf", csrf.as_str()),
        ("room", &free),
        ("subject", "季度规划"),
        ("date", date),
        ("from", &from),
        ("to", &to),
        ("attendee", &other),
        ("guest_name", "访客王"),
        ("guest_phone", "13700000000"),
        ("guest_email", ""),
        ("guest_name", ""),
        ("memo", "带电脑"),
        ("step", "book"),
    ];
    let response = t.app_post(&cookie, "book", &booking).await;
    assert_eq!(response.status(), 303);
    let landed = response.headers()["location"].to_str().expect("location").to_string();
    let list = t
        .ok("meeting/list", json!({"roomId": free, "minTime": "2030-01-10 00:00:00", "maxTime": "2030-01-11 00:00:00"}))
        .await;
    let m = &list[0];
    assert_eq!(landed, format!("/app/meetings/{}?done=booked", m["id"].as_str().expect("id")), "on its page");
    let (_, page) = t.app_get(&cookie, landed.trim_start_matches("/app/")).await;
    assert!(page.contains("预约成功") && page.contains("季度规划"), "{page}");
    assert_eq!(
        (m["subject"].as_str(), m["createdId"].as_str(), m["memo"].as_str()),
        (Some("季度规划"), Some(me.as_str()), Some("带电脑"))
    );
    assert_eq!(
        (m["beginTime"].as_i64(), m["endTime"].as_i64()),
        (Some(TOMORROW + 9 * HOUR), Some(TOMORROW + 10 * HOUR))
    );
    let names: Vec<&str> =
        m["attendances"].as_array().expect("list").iter().filter_map(|a| a["name"].as_str()).collect();
    assert_eq!(names, ["员工 lisi", "员工 wangwu", "访客王"], "booker, colleague, guest");

    // The same hours again: the store's refusal, said, and the form kept.
    let (status, page) = post(&t, &cookie, &booking).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("该时段会议室已被占用") && page.contains("季度规划"), "{page}");
    let nameless = [
        ("csrf", csrf.as_str()),
        ("room", &taken),
        ("subject", " "),
        ("date", date),
        ("from", "09:00"),
        ("to", "10:00"),
    ];
    let (status, page) = post(&t, &cookie, &nameless).await;
    assert_eq!((status, page.contains("请填写会议主题")), (422, true));
    let no_token = [("room", free.as_str()), ("subject", "x"), ("date", date), ("from", "11:00"), ("to", "12:00")];
    assert_eq!(post(&t, &cookie, &no_token).await.0, 403, "a form without its token changes nothing");
    assert_eq!(
        t.ok(
            "meeting/list",
            json!({"roomId": free, "minTime": "2030-01-10 00:00:00", "maxTime": "2030-01-11 00:00:00"})
        )
        .await
        .as_array()
        .map(Vec::len),
        Some(1)
    );
}

#[tokio::test]
async fn a_weekly_series_shows_its_conflict_first_and_is_booked_without_it_when_asked() {
    let t = TestApp::spawn().await;
    t.employee("lisi", "13900000001").await;
    let other = t.employee("wangwu", "13900000002").await;
    let (free, _, _, _) = rooms(&t, &other).await;
    // The third week's hour is someone else's already.
    let week = 7 * 24 * HOUR;
    let in_the_way = json!({"roomId": free, "speaker": "x", "subject": "培训", "beginTime": TOMORROW + 2 * week + 9 * HOUR,
                            "endTime": TOMORROW + 2 * week + 10 * HOUR, "createdId": other, "attendances": [{"userId": other}]});
    t.ok("meeting/book", in_the_way).await;
    let cookie = t.app_cookie("lisi").await;
    let (_, form) = t.app_get(&cookie, &format!("book?room={free}&date=2030-01-10&from=09:00&to=10:00")).await;
    let csrf = csrf_of(&form);
    let series = |step: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("room", free.clone()),
            ("subject", "周例会".to_string()),
            ("date", "2030-01-10".to_string()),
            ("from", "09:00".to_string()),
            ("to", "10:00".to_string()),
            ("repeat", "weekly".to_string()),
            ("ends", "count".to_string()),
            ("count", "4".to_string()),
            ("step", step.to_string()),
        ]
    };
    let (status, preview) = post_owned(&t, &cookie, &series("book")).await;
    assert_eq!(status, 200, "{preview}");
    assert!(preview.contains("1 次有冲突，其余 3 次可以预约"), "{preview}");
    assert!(preview.contains("1月24日 周四 09:00–10:00") && preview.contains("已被占用"), "{preview}");
    let count = || {
        t.ok(
            "meeting/list",
            json!({"roomId": free, "minTime": "2030-01-10 00:00:00", "maxTime": "2030-02-10 00:00:00"}),
        )
    };
    assert_eq!(count().await.as_array().map(Vec::len), Some(1), "a preview books nothing");

    let (status, page) = post_owned(&t, &cookie, &series("confirm")).await;
    assert_eq!(status, 422, "all or nothing refuses the conflict: {page}");
    let (status, _) = post_owned(&t, &cookie, &series("skip")).await;
    assert_eq!(status, 303);
    let booked = count().await;
    let mine: Vec<i64> = booked
        .as_array()
        .expect("list")
        .iter()
        .filter(|m| m["subject"] == "周例会")
        .filter_map(|m| m["beginTime"].as_i64())
        .collect();
    assert_eq!(mine, [TOMORROW + 9 * HOUR, TOMORROW + week + 9 * HOUR, TOMORROW + 3 * week + 9 * HOUR]);
}

async fn post(t: &TestApp, cookie: &str, form: &[(&str, &str)]) -> (u16, String) {
    let response = t.app_post(cookie, "book", form).await;
    (response.status().as_u16(), response.text().await.expect("text"))
}

async fn post_to(t: &TestApp, cookie: &str, path: &str, form: &[(&str, String)]) -> u16 {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    t.app_post(cookie, path, &form).await.status().as_u16()
}

async fn post_owned(t: &TestApp, cookie: &str, form: &[(&str, String)]) -> (u16, String) {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    post(t, cookie, &form).await
}

#[tokio::test]
async fn a_search_lists_the_thirty_smallest_free_rooms_and_says_how_many_more() {
    let t = TestApp::spawn().await;
    t.employee("lisi", "13900000001").await;
    for seats in 1..=34 {
        t.room(json!({"name": format!("房间{seats:02}"), "capacity": seats, "beginTime": "00:00", "endTime": "24:00"}))
            .await;
    }
    let cookie = t.app_cookie("lisi").await;
    let (_, page) = t.app_get(&cookie, "find?date=2030-01-10&from=09:00&to=10:00&people=2").await;
    assert_eq!(page.matches("class=\"app-room\"").count(), 30, "{page}");
    assert!(page.contains("房间02") && page.contains("房间31") && !page.contains("房间32") && !page.contains("房间01"));
    assert!(page.contains("另有 3 间也空闲"), "{page}");
}

#[tokio::test]
async fn editing_a_meeting_changes_who_is_on_it_and_keeps_a_guests_check_in_when_only_the_subject_changes() {
    let t = TestApp::spawn().await;
    let me = t.employee("lisi", "13900000001").await;
    let wangwu = t.employee("wangwu", "13900000002").await;
    let zhaoliu = t.employee("zhaoliu", "13900000003").await;
    let room = t.room(json!({"name": "望京厅", "beginTime": "00:00", "endTime": "24:00"})).await;
    let body = json!({"roomId": room, "speaker": "李四", "subject": "周会", "beginTime": NOW - 10 * 60_000,
                      "endTime": NOW + HOUR, "createdId": me,
                      "attendances": [{"userId": me}, {"userId": wangwu}, {"name": "访客陈", "phone": "13700000000"}]});
    let id = t.ok("meeting/book", body).await["id"].as_str().expect("id").to_string();
    let guest = t.ok("meeting/get", json!({"meetingId": id})).await["attendances"][2]["id"].clone();
    // A guest checks in at the board (by SMS code): the store's own call.
    let caller = roomd_core::Caller {
        company: roomd_core::CompanyId::parse("company", "1000").expect("company"),
        tz: chrono_tz::Asia::Shanghai,
        actor: roomd_core::Actor::Board("test".into()),
    };
    let guest = roomd_core::AttendanceId::parse("guest", guest.as_str().expect("id")).expect("id");
    let meeting = roomd_core::MeetingId::parse("meeting", &id).expect("id");
    let target = roomd_core::meeting::SignTarget::Attendance(guest);
    t.store
        .sign_in_meeting(&caller, meeting, target, roomd_core::meeting::SignType::Sms, String::new())
        .await
        .expect("in");
    let cookie = t.app_cookie("lisi").await;
    let (status, form) = t.app_get(&cookie, &format!("meetings/{id}/edit")).await;
    assert_eq!(status, 200, "{form}");
    assert!(form.contains(&format!("value=\"{wangwu}\" checked")) && form.contains("value=\"访客陈\""), "{form}");
    let csrf = csrf_of(&form);
    let edit = |subject: &'static str, colleague: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("subject", subject.to_string()),
            ("memo", String::new()),
            ("date", "2030-01-09".to_string()),
            ("begin", "07:50".to_string()),
            ("end", "09:00".to_string()),
            ("attendee", colleague.to_string()),
            ("guest_name", "访客陈".to_string()),
            ("guest_phone", "13700000000".to_string()),
            ("guest_email", String::new()),
        ]
    };
    let path = format!("meetings/{id}/edit");
    // The subject alone: the guest keeps their check-in.
    assert_eq!(post_to(&t, &cookie, &path, &edit("周会（改）", &wangwu)).await, 303);
    let got = t.ok("meeting/get", json!({"meetingId": id})).await;
    assert_eq!((got["subject"].as_str(), got["attendances"][2]["isSigned"].as_i64()), (Some("周会（改）"), Some(1)));
    // Another colleague instead of the first.
    assert_eq!(post_to(&t, &cookie, &path, &edit("周会（改）", &zhaoliu)).await, 303);
    let got = t.ok("meeting/get", json!({"meetingId": id})).await;
    let names: Vec<&str> =
        got["attendances"].as_array().expect("list").iter().filter_map(|a| a["name"].as_str()).collect();
    assert_eq!(names, ["员工 lisi", "员工 zhaoliu", "访客陈"], "{got}");
}

#[tokio::test]
async fn extending_in_a_room_that_needs_approval_says_it_waits_for_an_admin_again() {
    let t = TestApp::spawn().await;
    let me = t.employee("lisi", "13900000001").await;
    let room = t.room(json!({"name": "董事会议室", "beginTime": "00:00", "endTime": "24:00", "needAudit": 1})).await;
    let body = json!({"roomId": room, "speaker": "李四", "subject": "汇报", "beginTime": NOW + HOUR,
                      "endTime": NOW + 2 * HOUR, "createdId": me, "attendances": [{"userId": me}]});
    let id = t.ok("meeting/book", body).await["id"].as_str().expect("id").to_string();
    t.ok("meeting/update", json!({"id": id, "checkedState": 1})).await;
    let cookie = t.app_cookie("lisi").await;
    let (_, page) = t.app_get(&cookie, &format!("meetings/{id}")).await;
    let form = [("csrf", csrf_of(&page)), ("minutes", "15".to_string())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response = t.app_post(&cookie, &format!("meetings/{id}/extend"), &form).await;
    let to = response.headers()["location"].to_str().expect("location").to_string();
    assert_eq!(to, format!("/app/meetings/{id}?done=extended-for-approval"));
    let (_, page) = t.app_get(&cookie, to.trim_start_matches("/app/")).await;
    assert!(page.contains("已重新提交给管理员") && page.contains("10:15"), "{page}");
    assert_eq!(t.ok("meeting/get", json!({"meetingId": id})).await["checkedState"], 0, "back in the queue");
}

#[tokio::test]
async fn a_rooms_photo_is_shown_when_roomd_serves_it_and_only_linked_when_it_lives_elsewhere() {
    let t = TestApp::spawn().await;
    t.employee("lisi", "13900000001").await;
    let hours =
        |name: &str, image: &str| json!({"name": name, "beginTime": "00:00", "endTime": "24:00", "sceneImage": image});
    t.room(hours("本地照片厅", "/assets/icon.svg")).await;
    t.room(hours("外链照片厅", "https://cdn.example.com/hall.jpg")).await;
    let cookie = t.app_cookie("lisi").await;
    let (_, page) = t.app_get(&cookie, "find?date=2030-01-10&from=09:00&to=10:00").await;
    assert!(page.contains("<img src=\"/assets/icon.svg\""), "{page}");
    assert!(!page.contains("<img src=\"https://cdn.example.com"), "nothing loads from elsewhere by itself");
    assert!(page.contains("<a href=\"https://cdn.example.com/hall.jpg\" rel=\"noopener noreferrer\""), "{page}");
}
