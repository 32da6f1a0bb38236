//! Mail on the wire (docs/wire-compat.md "Mail"), sent to a real SMTP server
//! (`e2e/smtp_server.py`, aiosmtpd) and each message read back by `e2e/mail_check.py`:
//! who gets what, a flaky and a refusing server, and `mail/deliveries`.

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use crate::hardening::code;
use crate::smtp::{SmtpServer, app_sending_through, app_sending_to, log_once};
use crate::support::TestApp;

/// The admin (user "1", the booker of `t.booking`) with an email, and Ann.
async fn people(t: &TestApp) -> String {
    t.ok("user/update", json!({"id": "1", "email": "boss@example.com", "name": "老板"})).await;
    t.ok("user/add", json!({"name": "Ann", "account": "ann", "email": "ann@example.com"})).await["id"]
        .as_str()
        .expect("id")
        .to_string()
}

fn by_recipient(mut summaries: Vec<Value>) -> Vec<Value> {
    summaries.sort_by_key(|s| s["to"].as_str().unwrap_or_default().to_string());
    summaries
}

#[tokio::test]
async fn each_person_on_a_meeting_gets_one_invitation_then_the_cancel() {
    let Some(smtp) = SmtpServer::start(&[]).await else { return };
    let t = app_sending_to(&smtp).await;
    let ann = people(&t).await;
    let room = t.room(json!({"name": "外滩"})).await;
    let mut body = t.booking(&room, 9, 10);
    body["subject"] = json!("季度评审, 预算; 路线图");
    body["attendances"] = json!([{"userId": "1"}, {"userId": ann}, {"name": "Guest", "email": "guest@example.com"},
                                 {"name": "No mail", "phone": "13800000000"}]);
    let booked = t.ok("meeting/book", body).await;
    let uid = format!("{}@roomd", booked["id"].as_str().expect("id"));

    let invited = by_recipient(smtp.received(3).await);
    let to: Vec<&str> = invited.iter().map(|s| s["to"].as_str().expect("to")).collect();
    assert_eq!(to, ["ann@example.com", "boss@example.com", "guest@example.com"], "the booker who attends gets one");
    for s in &invited {
        assert_eq!(
            (s["method"].as_str(), s["status"].as_str(), s["sequence"].as_i64()),
            (Some("REQUEST"), Some("CONFIRMED"), Some(0)),
            "{s}"
        );
        assert_eq!(s["uid"], json!(uid));
        assert_eq!(s["summary"], "季度评审, 预算; 路线图");
        assert!(s["subject"].as_str().expect("subject").starts_with("邀请："), "the company's language: {s}");
    }
    assert!(invited[0]["text"].as_str().expect("text").contains("老板邀请您参加以下会议"), "{}", invited[0]["text"]);

    t.ok("meeting/cancel", json!({"meetingId": booked["id"], "reason": "客户改期"})).await;
    let all = smtp.received(6).await;
    let cancels: Vec<&Value> = all.iter().filter(|s| s["method"] == "CANCEL").collect();
    assert_eq!(cancels.len(), 3, "{all:?}");
    for s in cancels {
        assert_eq!(
            (s["status"].as_str(), s["sequence"].as_i64(), s["uid"].as_str()),
            (Some("CANCELLED"), Some(1), Some(uid.as_str()))
        );
        assert!(s["text"].as_str().expect("text").contains("客户改期"), "the reason: {s}");
    }
    let all_sent = |log: &Value| log.as_array().is_some_and(|l| l.iter().all(|m| m["state"] == "sent"));
    let log = log_once(&t, all_sent).await;
    let log = log.as_array().expect("a list");
    assert_eq!(log.len(), 6);
    assert!(
        log.iter().all(|m| m["state"] == "sent" && m["attempts"] == 1 && m["doneTime"].as_i64() > Some(0)),
        "{log:?}"
    );
    assert_eq!(log[0]["method"], "CANCEL", "newest first");
    assert_eq!(log[5]["meetingId"], booked["id"]);
}

#[tokio::test]
async fn a_booking_awaiting_approval_is_told_to_its_booker_alone_until_approved() {
    let Some(smtp) = SmtpServer::start(&[]).await else { return };
    let t = app_sending_to(&smtp).await;
    let ann = people(&t).await;
    t.ok("company/update", json!({"language": "en_us"})).await;
    let room = t.room(json!({"needAudit": 1})).await;
    let clerk = t.ok("user/add", json!({"name": "Clerk", "account": "clerk", "email": "clerk@example.com"})).await;
    let mut body = t.booking(&room, 9, 10);
    body["createdId"] = clerk["id"].clone();
    body["attendances"] = json!([{"userId": ann}]);
    let waiting = t.ok("meeting/book", body.clone()).await;
    let told = smtp.received(1).await;
    assert_eq!((told[0]["to"].as_str(), told[0]["status"].as_str()), (Some("clerk@example.com"), Some("TENTATIVE")));
    assert!(told[0]["subject"].as_str().expect("subject").starts_with("Awaiting approval: "), "{}", told[0]);

    t.ok("meeting/update", json!({"id": waiting["id"], "checkedState": 1})).await;
    let approved = by_recipient(smtp.received(3).await[1..].to_vec());
    let seen: Vec<(&str, &str, i64)> = approved
        .iter()
        .map(|s| {
            (s["to"].as_str().expect("to"), s["status"].as_str().expect("status"), s["sequence"].as_i64().expect("seq"))
        })
        .collect();
    assert_eq!(seen, [("ann@example.com", "CONFIRMED", 1), ("clerk@example.com", "CONFIRMED", 1)]);

    body["beginTime"] = json!(body["beginTime"].as_i64().expect("begin") + 2 * 3_600_000);
    body["endTime"] = json!(body["endTime"].as_i64().expect("end") + 2 * 3_600_000);
    let refused = t.ok("meeting/book", body).await;
    t.ok("meeting/update", json!({"id": refused["id"], "checkedState": 2, "reason": "Room closed for cleaning"})).await;
    let all = smtp.received(5).await;
    let last = &all[4];
    assert_eq!((last["to"].as_str(), last["method"].as_str()), (Some("clerk@example.com"), Some("CANCEL")), "{all:?}");
    assert!(last["text"].as_str().expect("text").contains("Room closed for cleaning"), "{last}");
    assert!(last["subject"].as_str().expect("subject").starts_with("Not approved: "));
}

#[tokio::test]
async fn a_series_is_one_message_a_person() {
    let Some(smtp) = SmtpServer::start(&[]).await else { return };
    let t = app_sending_to(&smtp).await;
    let ann = people(&t).await;
    let room = t.room(json!({})).await;
    let mut body = t.booking(&room, 9, 10);
    body["recurrence"] = json!("FREQ=WEEKLY;COUNT=4");
    body["attendances"] = json!([{"userId": ann}]);
    let series = t.ok("meeting/book", body).await;
    let invited = by_recipient(smtp.received(2).await);
    assert_eq!(invited.len(), 2);
    let uid = format!("{}@roomd", series["seriesId"].as_str().expect("series"));
    let occurrences: Vec<Value> = series["occurrences"]
        .as_array()
        .expect("occurrences")
        .iter()
        .map(|o| json!([o["beginTime"], o["endTime"]]))
        .collect();
    for s in &invited {
        assert_eq!((s["uid"].as_str(), s["events"].as_i64()), (Some(uid.as_str()), Some(1)), "one entry: {s}");
        assert!(s["text"].as_str().expect("text").contains("共 4 次"), "{s}");
        assert_eq!(s["instances"], json!(occurrences), "expanded by recurring-ical-events: {s}");
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(smtp.log().len(), 2, "never one per occurrence");

    // One occurrence moved an hour later, then the third cancelled: each message
    // expands to exactly what it says.
    let second = &series["occurrences"][1];
    let later = |v: &Value| v.as_i64().expect("time") + 3_600_000;
    let moved =
        json!({"id": second["id"], "beginTime": later(&second["beginTime"]), "endTime": later(&second["endTime"])});
    t.ok("meeting/update", moved).await;
    let mut after_move = occurrences.clone();
    after_move[1] = json!([later(&second["beginTime"]), later(&second["endTime"])]);
    after_move.sort_by_key(|o| o[0].as_i64());
    let updates = smtp.received(4).await;
    for s in &updates[2..] {
        assert_eq!((s["method"].as_str(), s["instances"].clone()), (Some("REQUEST"), json!(after_move)), "{s}");
    }
    t.ok("meeting/cancel", json!({"meetingId": series["occurrences"][2]["id"]})).await;
    let cancels = smtp.received(6).await;
    for s in &cancels[4..] {
        assert_eq!((s["method"].as_str(), s["instances"].clone()), (Some("CANCEL"), json!([occurrences[2]])), "{s}");
    }
}

#[tokio::test]
async fn a_flaky_server_gets_the_message_later_and_a_refusing_one_never() {
    let Some(flaky) = SmtpServer::start(&["--tempfail", "2"]).await else { return };
    let t = app_sending_to(&flaky).await;
    people(&t).await;
    let room = t.room(json!({})).await;
    t.ok("meeting/book", t.booking(&room, 9, 10)).await;
    // The clock the worker reads is the test's: move it past each wait until the third
    // try goes (however slowly a loaded machine runs the worker).
    let started = std::time::Instant::now();
    while !flaky.log().iter().any(|l| l.get("n").is_some()) {
        assert!(started.elapsed() < Duration::from_secs(60), "never delivered: {:?}", flaky.log());
        tokio::time::sleep(Duration::from_millis(50)).await;
        t.clock.advance(1_000);
    }
    let got = flaky.received(1).await;
    assert_eq!(got[0]["to"], "boss@example.com");
    // The server has it; the worker records so just after.
    let log = log_once(&t, |log| log[0]["state"] == "sent").await;
    assert_eq!((log[0]["state"].as_str(), log[0]["attempts"].as_i64()), (Some("sent"), Some(3)), "{log}");
    assert_eq!(flaky.log().iter().filter(|l| l["refused"] == 451).count(), 2);

    let Some(refusing) = SmtpServer::start(&["--reject"]).await else { return };
    let t = app_sending_to(&refusing).await;
    people(&t).await;
    let room = t.room(json!({})).await;
    t.ok("meeting/book", t.booking(&room, 9, 10)).await;
    let log = log_once(&t, |log| log[0]["state"] == "failed").await;
    assert_eq!((log[0]["state"].as_str(), log[0]["attempts"].as_i64()), (Some("failed"), Some(1)), "{log}");
    assert!(log[0]["lastError"].as_str().expect("error").contains("550"), "{log}");
    t.clock.advance(3_600_000);
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(refusing.log().len(), 1, "given up: never tried again");
}

#[tokio::test]
async fn without_a_mail_server_no_mail_is_kept_and_the_log_checks_its_limit() {
    let t = TestApp::spawn().await;
    people(&t).await;
    let room = t.room(json!({})).await;
    t.ok("meeting/book", t.booking(&room, 9, 10)).await;
    assert_eq!(t.ok("mail/deliveries", json!({})).await, json!([]));
    for limit in [0, 1001, -1] {
        let refused = t.call("mail/deliveries", json!({"limit": limit})).await;
        assert_eq!((code(&refused), refused["fieldErrors"]["limit"].is_string()), (71001, true), "{refused}");
    }
}

#[tokio::test]
async fn reminders_go_once_before_the_meeting_and_never_after_it_began_or_was_cancelled() {
    let Some(smtp) = SmtpServer::start(&[]).await else { return };
    let mut t = app_sending_to(&smtp).await;
    let ann = people(&t).await;
    let refused = t.call("company/update", json!({"reminderMinutes": 1441})).await;
    assert_eq!((code(&refused), refused["fieldErrors"]["reminderMinutes"].is_string()), (71001, true), "{refused}");
    t.ok("company/update", json!({"reminderMinutes": 15})).await;
    let room = t.room(json!({})).await;
    let mut body = t.booking(&room, 9, 10);
    body["attendances"] = json!([{"userId": ann}]);
    let kept = t.ok("meeting/book", body.clone()).await;
    body["beginTime"] = json!(kept["endTime"]);
    body["endTime"] = json!(kept["endTime"].as_i64().expect("end") + 3_600_000);
    let dropped = t.ok("meeting/book", body).await;
    let invitations = smtp.received(4).await.len();

    // 20 minutes before the first: nothing yet.
    let begin = kept["beginTime"].as_i64().expect("begin");
    t.clock.set(begin - 20 * 60_000);
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(smtp.log().len(), invitations, "too early");
    // 15 minutes before: the booker and Ann, once.
    t.clock.set(begin - 15 * 60_000);
    let reminded = smtp.received(invitations + 2).await;
    for s in &reminded[invitations..] {
        assert_eq!((s["method"].as_str(), s["uid"].as_str()), (Some(""), None), "no calendar: {s}");
        assert!(s["subject"].as_str().expect("subject").starts_with("提醒："), "{s}");
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(smtp.log().len(), invitations + 2, "once");

    // The second is cancelled before its reminder would go: none for it.
    t.token = t.token_for(&t.appkey.clone(), &t.appsecret.clone()).await;
    t.ok("meeting/cancel", json!({"meetingId": dropped["id"]})).await;
    let after_cancel = smtp.received(invitations + 4).await.len();
    t.clock.set(dropped["beginTime"].as_i64().expect("begin") - 10 * 60_000);
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(smtp.log().len(), after_cancel, "no reminder for a cancelled meeting");
}

#[tokio::test]
async fn someone_taken_off_a_meeting_gets_its_cancel_and_the_others_the_update() {
    let Some(smtp) = SmtpServer::start(&[]).await else { return };
    let t = app_sending_to(&smtp).await;
    let ann = people(&t).await;
    let room = t.room(json!({})).await;
    let mut body = t.booking(&room, 9, 10);
    body["attendances"] = json!([{"userId": "1"}, {"userId": ann}]);
    let booked = t.ok("meeting/book", body).await;
    smtp.received(2).await;
    t.ok("meeting/update", json!({"id": booked["id"], "subject": "Smaller", "attendances": [{"userId": "1"}]})).await;
    let after = by_recipient(smtp.received(4).await[2..].to_vec());
    let seen: Vec<(&str, &str, i64)> = after
        .iter()
        .map(|s| {
            (s["to"].as_str().expect("to"), s["method"].as_str().expect("method"), s["sequence"].as_i64().expect("seq"))
        })
        .collect();
    assert_eq!(seen, [("ann@example.com", "CANCEL", 1), ("boss@example.com", "REQUEST", 1)], "{after:?}");
    assert!(after[1]["subject"].as_str().expect("subject").starts_with("已更新："), "{}", after[1]);
}

/// The test CA, and the certificate of `localhost` and 127.0.0.1 it signed (`tls/`).
const CA: &[u8] = include_bytes!("tls/ca.pem");

#[tokio::test]
async fn starttls_is_required_when_asked_and_checks_the_servers_certificate() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api/tls");
    let (cert, key) = (dir.join("receiver.pem"), dir.join("receiver.key"));
    let tls = ["--tls-cert", cert.to_str().expect("path"), "--tls-key", key.to_str().expect("path")];
    let Some(smtp) = SmtpServer::start(&tls).await else { return };
    let url = format!("smtp://localhost:{}?tls=required", smtp.port);
    let t = app_sending_through(url.clone(), CA).await;
    people(&t).await;
    let room = t.room(json!({})).await;
    t.ok("meeting/book", t.booking(&room, 9, 10)).await;
    assert_eq!(smtp.received(1).await[0]["to"], "boss@example.com", "sent over STARTTLS, the company's CA trusted");

    // Without the company's CA the certificate is unknown: nothing goes in the clear.
    let untrusting = app_sending_through(url, &[]).await;
    people(&untrusting).await;
    let room = untrusting.room(json!({})).await;
    untrusting.ok("meeting/book", untrusting.booking(&room, 9, 10)).await;
    let log = log_once(&untrusting, |log| log[0]["attempts"].as_i64() > Some(0)).await;
    assert_eq!((log[0]["state"].as_str(), log[0]["attempts"].as_i64()), (Some("pending"), Some(1)), "{log}");
    assert!(!log[0]["lastError"].as_str().unwrap_or_default().is_empty(), "{log}");
    assert_eq!(smtp.log().iter().filter(|l| l.get("n").is_some()).count(), 1, "nothing more arrived");
}
