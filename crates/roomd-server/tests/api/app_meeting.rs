//! The app's "My meeting" page (`/app/meetings/{id}`): who sees it and its changes,
//! cancelling a series' occurrence this / following / all, extending, ending early,
//! editing, and the `.ics` to add it to a calendar.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::app::csrf_of;
use crate::support::{HOUR, NOW, TOMORROW, TestApp};

const MINUTE: i64 = 60_000;
const DAY: i64 = 24 * HOUR;
/// Monday 2030-01-14 10:00 in Shanghai.
const MONDAY_TEN: i64 = TOMORROW + 4 * DAY + 10 * HOUR;

/// A room, a booker `chen` and an attendee `zhou` (with their app cookies), and a
/// meeting `chen` booked with `zhou` and a guest on it, 10:00–11:00 tomorrow.
struct Scene {
    t: TestApp,
    room: String,
    booker: String,
    attendee: String,
    meeting: String,
}

async fn scene(room: Value) -> Scene {
    let t = TestApp::spawn().await;
    let chen = t.employee("chen", "13900000011").await;
    let zhou = t.employee("zhou", "13900000012").await;
    let room = t.room(room).await;
    let booked = t.ok("meeting/book", booking(&room, TOMORROW + 10 * HOUR, TOMORROW + 11 * HOUR, &chen, &zhou)).await;
    let (booker, attendee) = (t.app_cookie("chen").await, t.app_cookie("zhou").await);
    let meeting = booked["id"].as_str().expect("id").to_string();
    Scene { t, room, booker, attendee, meeting }
}

fn booking(room: &str, begin: i64, end: i64, booker: &str, attendee: &str) -> Value {
    json!({"roomId": room, "subject": "周计划", "speaker": "陈", "beginTime": begin, "endTime": end,
           "createdId": booker, "memo": "带上路线图",
           "attendances": [{"userId": booker}, {"userId": attendee}, {"name": "访客王", "phone": "13800000000"}]})
}

impl Scene {
    async fn page(&self, cookie: &str) -> (u16, String) {
        self.page_of(cookie, &self.meeting).await
    }

    async fn page_of(&self, cookie: &str, id: &str) -> (u16, String) {
        self.t.app_get(cookie, &format!("meetings/{id}?lang=en")).await
    }

    /// POSTs `form` to the meeting's `action` with the session's token.
    async fn act(&self, cookie: &str, action: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.act_on(cookie, &self.meeting, action, form).await
    }

    async fn act_on(&self, cookie: &str, id: &str, action: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let (_, page) = self.t.app_get(cookie, "").await;
        let csrf = csrf_of(&page);
        let form = [&[("csrf", csrf.as_str())], form].concat();
        self.t.app_post(cookie, &format!("meetings/{id}/{action}"), &form).await
    }

    async fn got(&self) -> Value {
        self.t.ok("meeting/get", json!({"meetingId": self.meeting})).await
    }
}

#[tokio::test]
async fn the_booker_sees_the_changes_an_attendee_only_the_meeting_and_anyone_else_nothing() {
    let s = scene(json!({"name": "九楼大会议室", "sceneImage": "/meeting/api/opt/resources/1000/hall.jpg"})).await;
    let tower = s.t.ok("building/add", json!({"name": "世纪大厦", "floors": ["9F"]})).await;
    let placed = json!({"id": s.room, "buildingId": tower["id"], "floorName": "9F", "address": "世纪大道 100 号"});
    s.t.ok("room/update", placed).await;
    let (status, page) = s.page(&s.booker).await;
    assert_eq!(status, 200);
    for want in [
        "<h1>周计划</h1>",
        "Thu 10 Jan 10:00–11:00",
        "九楼大会议室",
        "9F · 世纪大道 100 号",
        "员工 chen",
        "带上路线图",
        "访客王",
        "0 of 3 checked in",
        "loading=\"lazy\"",
        "width=\"640\"",
    ] {
        assert!(page.contains(want), "{want} missing: {page}");
    }
    for action in ["/extend\"", "/cancel\"", "/edit\"", "/calendar.ics\"", "http://roomd.test/calendar/"] {
        assert!(page.contains(action), "{action} missing");
    }
    assert!(!page.contains("/finish\""), "not under way: nothing to end");

    let (status, page) = s.page(&s.attendee).await;
    assert_eq!(status, 200, "an attendee sees the meeting");
    assert!(page.contains("周计划") && page.contains("/calendar.ics\""));
    assert!(!page.contains("/extend\"") && !page.contains("/cancel\"") && !page.contains("/edit\""), "no changes");
    let refused = s.act(&s.attendee, "extend", &[("minutes", "15")]).await;
    assert_eq!(refused.status(), 403, "the store's NotYours");
    assert!(refused.text().await.expect("page").contains("只有预约人或管理员可以修改这个会议"));
    assert_eq!(s.t.app_get(&s.attendee, &format!("meetings/{}/edit", s.meeting)).await.0, 403);
    assert_eq!(s.got().await["endTime"], TOMORROW + 11 * HOUR, "nothing changed");

    s.t.employee("wu", "13900000013").await;
    let stranger = s.t.app_cookie("wu").await;
    let (status, page) = s.page(&stranger).await;
    assert_eq!(status, 404, "someone else's meeting is not there");
    assert!(!page.contains("周计划"));
    assert_eq!(s.act(&stranger, "cancel", &[]).await.status(), 404);
    assert_eq!(s.t.app_get(&stranger, &format!("meetings/{}/calendar.ics", s.meeting)).await.0, 404);
    assert_eq!(s.t.app_get(&stranger, "meetings/not-an-id").await.0, 404);

    // Another company's meeting, by its id: not found either.
    let other = s.t.other_company_token().await;
    let room = s.t.call_as(&other, "room/add", json!({"name": "外面"})).await["value"]["id"].clone();
    let user =
        s.t.call_as(&other, "user/add", json!({"name": "外人", "account": "outsider"})).await["value"]["id"].clone();
    let theirs = json!({"roomId": room, "subject": "别家", "speaker": "s", "beginTime": TOMORROW + 9 * HOUR,
                        "endTime": TOMORROW + 10 * HOUR, "createdId": user, "attendances": []});
    let theirs = s.t.call_as(&other, "meeting/book", theirs).await["value"]["id"].as_str().expect("id").to_string();
    assert_eq!(s.t.app_get(&s.booker, &format!("meetings/{theirs}")).await.0, 404);
}

#[tokio::test]
async fn the_list_shows_who_has_checked_in_and_home_links_to_the_meeting() {
    let position = json!({"beginTime": "00:00", "endTime": "24:00", "latitude": 31.2304, "longitude": 121.4737,
                          "radius": 100});
    let s = scene(position).await;
    let chen = s.got().await["createdId"].as_str().expect("id").to_string();
    let soon = booking(&s.room, NOW + 10 * MINUTE, NOW + HOUR, &chen, "1");
    let soon = s.t.ok("meeting/book", soon).await["id"].as_str().expect("id").to_string();
    let (_, home) = s.t.app_get(&s.booker, "").await;
    assert!(home.contains(&format!("href=\"/app/meetings/{soon}\"")), "the subject opens the meeting");
    let form = [
        ("csrf", csrf_of(&home)),
        ("meeting", soon.clone()),
        ("latitude", "31.2305".into()),
        ("longitude", "121.4738".into()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(s.t.app_post(&s.booker, "checkin", &form).await.status(), 303);
    let (_, page) = s.t.app_get(&s.booker, &format!("meetings/{soon}?lang=en")).await;
    assert!(page.contains("1 of 3 checked in") && page.contains("Checked in at 08:00"), "{page}");
    assert_eq!(page.matches("Not checked in").count(), 2);
}

#[tokio::test]
async fn extending_moves_the_end_by_exactly_the_minutes_and_a_booked_room_refuses_it() {
    let s = scene(json!({"beginTime": "08:00", "endTime": "12:00"})).await;
    let done = s.act(&s.booker, "extend", &[("minutes", "15")]).await;
    assert_eq!(done.status(), 303);
    assert_eq!(done.headers()["location"], format!("/app/meetings/{}?done=extended", s.meeting));
    assert_eq!(s.got().await["endTime"], TOMORROW + 11 * HOUR + 15 * MINUTE);
    let (_, page) = s.t.app_get(&s.booker, &format!("meetings/{}?done=extended&lang=en", s.meeting)).await;
    assert!(page.contains("Extended: the meeting now ends at 11:15."), "{page}");

    let next = json!({"roomId": s.room, "subject": "下一个", "speaker": "s", "beginTime": TOMORROW + 11 * HOUR + 30 * MINUTE,
                      "endTime": TOMORROW + 12 * HOUR, "createdId": "1", "attendances": []});
    s.t.ok("meeting/book", next).await;
    let refused = s.act(&s.booker, "extend", &[("minutes", "30")]).await;
    assert_eq!(refused.status(), 409);
    let said = refused.text().await.expect("page");
    assert!(said.contains("会议室 11:30 起已被预约，无法延长 30 分钟。"), "{said}");
    assert_eq!(s.got().await["endTime"], TOMORROW + 11 * HOUR + 15 * MINUTE, "nothing changed");
    assert_eq!(s.act(&s.booker, "extend", &[("minutes", "45")]).await.status(), 400, "15 or 30 only");

    // A room that closes at noon: the page says so.
    let s = scene(json!({"beginTime": "08:00", "endTime": "11:15"})).await;
    let refused = s.act(&s.booker, "extend", &[("minutes", "30")]).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.expect("page").contains("会议室 11:15 后不开放预约"));
}

#[tokio::test]
async fn ending_early_frees_the_rest_of_the_slot() {
    let mut s = scene(json!({"beginTime": "00:00", "endTime": "24:00"})).await;
    s.t.clock.advance(TOMORROW + 10 * HOUR + 20 * MINUTE - NOW);
    s.t.token = s.t.token_for(&s.t.appkey.clone(), &s.t.appsecret.clone()).await;
    let (_, page) = s.page(&s.booker).await;
    assert!(page.contains("/finish\"") && !page.contains("/cancel\""), "under way: end, no cancel");
    let done = s.act(&s.booker, "finish", &[]).await;
    assert_eq!(done.status(), 303);
    assert_eq!(done.headers()["location"], format!("/app/meetings/{}?done=finished", s.meeting));
    assert_eq!(s.got().await["endTime"], TOMORROW + 10 * HOUR + 20 * MINUTE);
    assert_eq!(s.act(&s.booker, "finish", &[]).await.status(), 409, "already ended");
}

#[tokio::test]
async fn editing_changes_the_subject_and_hours_typed_in_the_rooms_zone() {
    let t = TestApp::spawn().await;
    let london = t.ok("building/add", json!({"name": "London", "timeZone": "Europe/London"})).await;
    let room = t.room(json!({"buildingId": london["id"], "beginTime": "07:00", "endTime": "20:00"})).await;
    let me = t.employee("ann", "13900000021").await;
    // 2030-01-10 09:00 in London is 17:00 in Shanghai.
    let nine = TOMORROW + 17 * HOUR;
    let booked = t.ok("meeting/book", booking(&room, nine, nine + HOUR, &me, &me)).await;
    let id = booked["id"].as_str().expect("id");
    let cookie = t.app_cookie("ann").await;
    let (status, page) = t.app_get(&cookie, &format!("meetings/{id}/edit?lang=en")).await;
    assert_eq!(status, 200);
    for want in ["value=\"周计划\"", "value=\"2030-01-10\"", "value=\"09:00\"", "value=\"10:00\"", "(Europe/London)"]
    {
        assert!(page.contains(want), "{want}: {page}");
    }
    let csrf = csrf_of(&page);
    let form = [
        ("csrf", csrf.as_str()),
        ("subject", "季度复盘"),
        ("memo", ""),
        ("date", "2030-01-11"),
        ("begin", "14:00"),
        ("end", "15:30"),
    ];
    let saved = t.app_post(&cookie, &format!("meetings/{id}/edit"), &form).await;
    assert_eq!(saved.status(), 303);
    assert_eq!(saved.headers()["location"], format!("/app/meetings/{id}?done=saved"));
    let got = t.ok("meeting/get", json!({"meetingId": id})).await;
    let begin = TOMORROW + DAY + 22 * HOUR;
    assert_eq!((got["subject"].clone(), got["beginTime"].clone()), (json!("季度复盘"), json!(begin)));
    assert_eq!((got["endTime"].clone(), got["memo"].clone()), (json!(begin + 90 * MINUTE), json!("")));
    let (_, page) = t.app_get(&cookie, &format!("meetings/{id}?lang=en")).await;
    assert!(page.contains("Fri 11 Jan 14:00–15:30") && page.contains("Europe/London time"), "{page}");

    let refused = [("csrf", form[0].1), ("subject", "x"), ("date", "2030-01-11"), ("begin", "21:00"), ("end", "22:00")];
    let refused = t.app_post(&cookie, &format!("meetings/{id}/edit"), &refused).await;
    assert_eq!(refused.status(), 422, "outside the room's hours");
    assert!(refused.text().await.expect("page").contains("value=\"21:00\""), "the form keeps what was typed");
}

/// A weekly series of five on Mondays at 10:00 booked by `chen`: its id and occurrences.
async fn weekly_five(s: &Scene) -> (String, Vec<String>) {
    let chen = s.got().await["createdId"].as_str().expect("id").to_string();
    let mut body = booking(&s.room, MONDAY_TEN, MONDAY_TEN + HOUR, &chen, &chen);
    body["recurrence"] = json!("FREQ=WEEKLY;COUNT=5");
    let booked = s.t.ok("meeting/book", body).await;
    let occurrences = booked["occurrences"].as_array().expect("occurrences");
    let ids = occurrences.iter().map(|o| o["id"].as_str().expect("id").to_string()).collect();
    (booked["seriesId"].as_str().expect("series").to_string(), ids)
}

async fn cancelled(t: &TestApp, series: &str) -> Vec<bool> {
    let s = t.ok("series/get", json!({"seriesId": series})).await;
    s["occurrences"].as_array().expect("occurrences").iter().map(|o| o["status"] == 4).collect()
}

#[tokio::test]
async fn cancelling_an_occurrence_reaches_this_one_the_following_or_all() {
    let s = scene(json!({})).await;
    let (series, occ) = weekly_five(&s).await;
    let (_, page) = s.page_of(&s.booker, &occ[1]).await;
    assert!(page.contains("Weekly on Monday · 5 times"), "{page}");
    assert!(page.contains("value=\"following\""), "a series asks how far");

    let done = s.act_on(&s.booker, &occ[1], "cancel", &[("scope", "this"), ("reason", "holiday")]).await;
    assert_eq!(done.status(), 303);
    assert_eq!(done.headers()["location"], format!("/app/meetings/{}?done=cancelled", occ[1]));
    assert_eq!(cancelled(&s.t, &series).await, [false, true, false, false, false]);
    let (_, page) = s.page_of(&s.booker, &occ[0]).await;
    assert!(page.contains("Weekly on Monday · 5 times · 1 cancelled"), "{page}");

    assert_eq!(s.act_on(&s.booker, &occ[3], "cancel", &[("scope", "following")]).await.status(), 303);
    assert_eq!(cancelled(&s.t, &series).await, [false, true, false, true, true]);
    assert_eq!(s.act_on(&s.booker, &occ[0], "cancel", &[("scope", "all")]).await.status(), 303);
    assert_eq!(cancelled(&s.t, &series).await, [true; 5]);
    let again = s.act_on(&s.booker, &occ[0], "cancel", &[]).await;
    assert_eq!(again.status(), 409, "already cancelled");
    let chen = s.got().await["createdId"].clone();
    let left = s.t.ok("meeting/list", json!({"userId": chen})).await;
    let left: Vec<Value> = left.as_array().expect("a list").iter().map(|m| m["id"].clone()).collect();
    assert_eq!(left, [json!(s.meeting)], "meeting/list keeps only the meeting outside the series");
}

#[tokio::test]
async fn forms_without_the_sessions_token_change_nothing() {
    let s = scene(json!({})).await;
    for action in ["cancel", "finish", "extend", "edit"] {
        let path = format!("meetings/{}/{action}", s.meeting);
        let response = s.t.app_post(&s.booker, &path, &[("minutes", "15"), ("scope", "all")]).await;
        assert_eq!(response.status(), 403, "{action}");
    }
    let got = s.got().await;
    assert_eq!((got["status"].clone(), got["endTime"].clone()), (json!(0), json!(TOMORROW + 11 * HOUR)));
}

#[tokio::test]
async fn the_calendar_file_is_one_event_python_reads_with_the_meetings_uid_and_times() {
    let s = scene(json!({"name": "外滩"})).await;
    let response =
        s.t.http
            .get(format!("{}/app/meetings/{}/calendar.ics", s.t.base, s.meeting))
            .header("Cookie", &s.booker)
            .send()
            .await
            .expect("send");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/calendar; charset=utf-8");
    assert!(response.headers()["content-disposition"].to_str().is_ok_and(|d| d.starts_with("attachment")));
    let text = response.text().await.expect("text");
    let Some(read) = python_reads(&text) else { return };
    let want = json!({"uid": format!("{}@roomd", s.meeting), "begin": TOMORROW + 10 * HOUR,
                      "end": TOMORROW + 11 * HOUR, "summary": "周计划", "location": "外滩", "tzid": "Asia/Shanghai",
                      "events": 1, "zones": 1});
    assert_eq!(read, want);
}

/// What Python's `icalendar` reads in `text`; `None` (the test skipped) without it,
/// unless `ROOMD_E2E=1`.
fn python_reads(text: &str) -> Option<Value> {
    const SCRIPT: &str = r#"
import json, sys, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.read())
events = cal.walk("VEVENT")
e = events[0]
print(json.dumps({"uid": str(e["UID"]), "begin": int(e["DTSTART"].dt.timestamp() * 1000),
    "end": int(e["DTEND"].dt.timestamp() * 1000), "summary": str(e["SUMMARY"]), "location": str(e["LOCATION"]),
    "tzid": e["DTSTART"].params["TZID"], "events": len(events), "zones": len(cal.walk("VTIMEZONE"))}))
"#;
    let ready = Command::new("python3").args(["-c", "import icalendar"]).output().is_ok_and(|o| o.status.success());
    if !ready {
        assert_ne!(std::env::var("ROOMD_E2E").as_deref(), Ok("1"), "ROOMD_E2E=1 but icalendar is missing");
        eprintln!("skipped: pip install icalendar");
        return None;
    }
    let mut child = Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    child.stdin.take().expect("stdin").write_all(text.as_bytes()).expect("write");
    let out = child.wait_with_output().expect("run");
    assert!(out.status.success(), "python could not read: {text}");
    Some(serde_json::from_slice(&out.stdout).expect("json"))
}
