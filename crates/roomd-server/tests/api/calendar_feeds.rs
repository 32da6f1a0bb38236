//! Calendar feeds on the wire (docs/wire-compat.md "Calendar feeds"): `calendar/feed/*`,
//! and the `.ics` address itself — no token, an `ETag`, 304, 404 after a reset — read by
//! Python's `icalendar` and `recurring-ical-events` and compared with `meeting/list`.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::hardening::code;
use crate::support::{HOUR, TOMORROW, TestApp};

const DAY: i64 = 24 * HOUR;

/// The feed's path on this server (the API names it on `--public-url`).
fn local(t: &TestApp, url: &Value) -> String {
    let path = url.as_str().expect("url").strip_prefix("http://roomd.test").expect("on the public URL");
    format!("{}{path}", t.base)
}

async fn fetch(t: &TestApp, url: &str, etag: Option<&str>) -> reqwest::Response {
    let mut request = t.http.get(url);
    if let Some(etag) = etag {
        request = request.header("If-None-Match", etag);
    }
    request.send().await.expect("send")
}

#[tokio::test]
async fn a_rooms_feed_keeps_its_address_until_it_is_reset() {
    let t = TestApp::spawn().await;
    let room = t.room(json!({})).await;
    let feed = t.ok("calendar/feed/get", json!({"roomId": room})).await;
    let url = feed["url"].as_str().expect("url");
    assert!(url.starts_with("http://roomd.test/calendar/") && url.ends_with(".ics"), "{feed}");
    assert_eq!(feed["webcalUrl"], json!(url.replace("http://", "webcal://")));
    assert_eq!(t.ok("calendar/feed/get", json!({"roomId": room})).await, feed, "the same address again");
    assert_eq!(fetch(&t, &local(&t, &feed["url"]), None).await.status(), 200);

    let reset = t.ok("calendar/feed/reset", json!({"roomId": room})).await;
    assert_ne!(reset["url"], feed["url"]);
    let old = fetch(&t, &local(&t, &feed["url"]), None).await;
    assert_eq!(old.status(), 404, "the old address is gone at once");
    assert_eq!(fetch(&t, &local(&t, &reset["url"]), None).await.status(), 200);
    assert_eq!(t.ok("calendar/feed/get", json!({"roomId": room})).await, reset);
    let guessed = format!("{}/calendar/{}.ics", t.base, "A".repeat(32));
    assert_eq!(fetch(&t, &guessed, None).await.status(), 404);
}

#[tokio::test]
async fn a_feed_is_asked_for_exactly_one_known_room_or_user_of_the_company() {
    let t = TestApp::spawn().await;
    let room = t.room(json!({})).await;
    for (body, want) in [
        (json!({}), 71001),
        (json!({"roomId": " ", "userId": ""}), 71001),
        (json!({"roomId": room, "userId": "1"}), 71001),
        (json!({"roomId": "999999"}), 71011),
        (json!({"userId": "999999"}), 71009),
        (json!({"roomId": 5}), 71008),
    ] {
        assert_eq!(code(&t.call("calendar/feed/get", body.clone()).await), want, "{body}");
        assert_eq!(code(&t.call("calendar/feed/reset", body.clone()).await), want, "{body}");
    }
    let other = t.other_company_token().await;
    let refused = t.call_as(&other, "calendar/feed/get", json!({"roomId": room})).await;
    assert_eq!(code(&refused), 71011, "another company's room is unknown: {refused}");
    assert_eq!(code(&t.call_as(&other, "calendar/feed/get", json!({"userId": "1"})).await), 71009);
}

#[tokio::test]
async fn a_feed_answers_304_until_its_meetings_change() {
    let t = TestApp::spawn().await;
    let room = t.room(json!({})).await;
    let url = local(&t, &t.ok("calendar/feed/get", json!({"roomId": room})).await["url"]);
    let first = fetch(&t, &url, None).await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["content-type"], "text/calendar; charset=utf-8");
    let etag = first.headers()["etag"].to_str().expect("etag").to_string();
    let empty = first.text().await.expect("text");
    assert!(empty.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") && !empty.contains("BEGIN:VEVENT"), "{empty}");

    let same = fetch(&t, &url, Some(&etag)).await;
    assert_eq!(
        (same.status(), same.headers()["etag"].to_str().ok()),
        (reqwest::StatusCode::NOT_MODIFIED, Some(etag.as_str()))
    );
    assert!(same.text().await.expect("body").is_empty());
    let head = t.http.head(&url).send().await.expect("head");
    assert_eq!((head.status(), head.headers()["etag"].to_str().ok()), (reqwest::StatusCode::OK, Some(etag.as_str())));

    let booked = t.ok("meeting/book", t.booking(&room, 9, 10)).await;
    let changed = fetch(&t, &url, Some(&etag)).await;
    assert_eq!(changed.status(), 200, "a booking changes the feed");
    let etag = changed.headers()["etag"].to_str().expect("etag").to_string();
    let text = changed.text().await.expect("text");
    let uid = format!("UID:{}@roomd\r\n", booked["id"].as_str().expect("id"));
    assert!(text.contains(&uid) && text.contains("STATUS:CONFIRMED\r\nSEQUENCE:0\r\n"), "{text}");

    t.ok("meeting/cancel", json!({"meetingId": booked["id"]})).await;
    let cancelled = fetch(&t, &url, Some(&etag)).await;
    assert_eq!(cancelled.status(), 200, "so does a cancel");
    let text = cancelled.text().await.expect("text");
    assert!(text.contains(&uid) && text.contains("STATUS:CANCELLED\r\nSEQUENCE:1\r\n"), "kept, cancelled: {text}");
}

#[tokio::test]
async fn a_persons_feed_holds_what_they_booked_or_attend_and_ends_with_them() {
    let t = TestApp::spawn().await;
    let room = t.room(json!({})).await;
    let ann = t.user("ann").await;
    let url = local(&t, &t.ok("calendar/feed/get", json!({"userId": ann})).await["url"]);
    let mut with_ann = t.booking(&room, 9, 10);
    with_ann["attendances"] = json!([{"userId": "1"}, {"userId": ann}]);
    let theirs = t.ok("meeting/book", with_ann).await;
    let other = t.ok("meeting/book", t.booking(&room, 11, 12)).await;
    let text = fetch(&t, &url, None).await.text().await.expect("text");
    assert!(text.contains(theirs["id"].as_str().expect("id")), "{text}");
    assert!(!text.contains(other["id"].as_str().expect("id")), "{text}");

    t.ok("user/update", json!({"id": ann, "status": 0})).await;
    assert_eq!(fetch(&t, &url, None).await.status(), 404, "a disabled person's feed is gone");
}

/// Whether Python's `icalendar` and `recurring-ical-events` are installed; without them
/// the test is skipped, unless `ROOMD_E2E=1` (CI installs them).
fn python_calendars_ready() -> bool {
    let installed = Command::new("python3")
        .args(["-c", "import icalendar, recurring_ical_events"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        assert_ne!(std::env::var("ROOMD_E2E").as_deref(), Ok("1"), "ROOMD_E2E=1 but icalendar is missing");
        eprintln!("skipped: pip install icalendar recurring-ical-events");
    }
    installed
}

/// `e2e/ics_check.py` on `url`: the feed expanded over `[from, to)` must give `meetings`.
/// It runs beside the test's runtime, which serves the feed meanwhile.
async fn python_reads(url: &str, window: (i64, i64), meetings: &[Value]) {
    let (url, meetings) = (url.to_string(), meetings.to_vec());
    tokio::task::spawn_blocking(move || run_script(&url, window, &meetings)).await.expect("script");
}

fn run_script(url: &str, (from, to): (i64, i64), meetings: &[Value]) {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e/ics_check.py");
    let mut child = Command::new("python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3");
    let spec = json!({"url": url, "from": from, "to": to, "meetings": meetings});
    child.stdin.take().expect("stdin").write_all(spec.to_string().as_bytes()).expect("write");
    let out = child.wait_with_output().expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "ics_check.py: {stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("ics: ok"), "{stdout}");
}

/// What `meeting/list` gives for `filter` from 2029-12-10 to 2030-12-10 (Shanghai), less
/// the rejected ones, as the script takes them.
async fn listed(t: &TestApp, mut filter: Value) -> Vec<Value> {
    filter["minTime"] = json!("2029-12-10 00:00:00");
    filter["maxTime"] = json!("2030-12-10 00:00:00");
    let list = t.ok("meeting/list", filter).await;
    list.as_array()
        .expect("a list")
        .iter()
        .filter(|m| m["checkedState"] != json!(2))
        .map(|m| json!({"id": m["id"], "subject": m["subject"], "begin": m["beginTime"], "end": m["endTime"]}))
        .collect()
}

#[tokio::test]
async fn feeds_expand_in_python_to_what_meeting_list_gives_across_daylight_saving() {
    if !python_calendars_ready() {
        return;
    }
    let t = TestApp::spawn().await;
    let london = t.ok("building/add", json!({"name": "London", "timeZone": "Europe/London"})).await;
    let room = t.room(json!({"buildingId": london["id"], "beginTime": "07:00", "endTime": "20:00"})).await;
    let shanghai = t.room(json!({"name": "外滩"})).await;
    let ann = t.user("ann").await;
    // Weekly at 09:00 London from mid-March 2030 over the change to summer time (31 March).
    let begin = TOMORROW + 66 * DAY + 17 * HOUR; // 2030-03-18 09:00 in London (GMT)
    let subject = "季度评审, 预算; 路线图 \\ 第二部分\n下一步: \"决定\"";
    let mut series = json!({"roomId": room, "speaker": "s", "subject": subject, "beginTime": begin,
        "endTime": begin + HOUR, "createdId": "1", "recurrence": "FREQ=WEEKLY;COUNT=5",
        "attendances": [{"userId": "1"}, {"userId": ann}, {"name": "Guest, Ltd.", "email": "guest@example.com"}]});
    let booked = t.ok("meeting/book", series.take()).await;
    let third = booked["occurrences"][2]["id"].clone();
    t.ok("meeting/cancel", json!({"meetingId": third})).await;
    let moved = booked["occurrences"][3]["id"].clone();
    t.ok("meeting/update", json!({"id": moved, "subject": "moved, once"})).await;
    t.ok("meeting/book", t.booking(&shanghai, 9, 10)).await;
    let mut ann_too = t.booking(&shanghai, 14, 15);
    ann_too["attendances"] = json!([{"userId": ann}]);
    ann_too["createdId"] = json!(ann);
    t.ok("meeting/book", ann_too).await;

    let window = (TOMORROW - 30 * DAY, TOMORROW + 330 * DAY);
    let room_feed = local(&t, &t.ok("calendar/feed/get", json!({"roomId": room})).await["url"]);
    python_reads(&room_feed, window, &listed(&t, json!({"roomId": room})).await).await;
    let ann_feed = local(&t, &t.ok("calendar/feed/get", json!({"userId": ann})).await["url"]);
    python_reads(&ann_feed, window, &listed(&t, json!({"userId": ann})).await).await;
    // A narrower window, through the change of offset only.
    python_reads(&room_feed, (begin + 7 * DAY, begin + 22 * DAY), &listed(&t, json!({"roomId": room})).await).await;
}
