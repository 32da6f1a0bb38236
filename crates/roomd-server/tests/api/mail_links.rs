//! A setup link by mail (docs/wire-compat.md "Mail"): the console's "Send by mail" puts
//! the link in a plain message, in the company's language, through the outbox, to a
//! real SMTP server; the link in it sets the password once and leads to the app.

use serde_json::json;

use crate::hardening::code;
use crate::smtp::{SmtpServer, app_sending_to, log_once};

/// The first `…/meeting/manage/setup?token=…` in `text`.
fn link_in(text: &str) -> String {
    let at = text.find("/meeting/manage/setup?token=").expect("a setup link");
    let token: String = text[at..].chars().take_while(|c| !c.is_whitespace()).collect();
    token.split("token=").nth(1).expect("a token").to_string()
}

#[tokio::test]
async fn a_mailed_setup_link_arrives_in_the_companys_language_and_works_once() {
    let Some(smtp) = SmtpServer::start(&[]).await else { return };
    let t = app_sending_to(&smtp).await;
    let ann = t.ok("user/add", json!({"name": "Ann", "account": "ann", "email": "ann@example.com"})).await;
    let ann = ann["id"].as_str().expect("id").to_string();
    let nomail = t.ok("user/add", json!({"name": "Bo", "account": "bo"})).await["id"].as_str().expect("id").to_string();
    let cookie = t.console_cookie().await;
    let (_, page) = t.console_get(&cookie, "directory").await;
    assert_eq!(page.matches("directory/users/setup-mail").count(), 1, "only Ann has an email");

    let csrf = t.console_csrf(&cookie, "directory").await;
    let refused = t.console_post(&cookie, "directory/users/setup-mail", &[("csrf", &csrf), ("id", &nomail)]).await;
    assert_eq!(refused.status(), 422, "no address to mail");
    let sent = t.console_post(&cookie, "directory/users/setup-mail", &[("csrf", &csrf), ("id", &ann)]).await;
    assert_eq!(sent.status(), 303);
    let (_, page) = t.console_get(&cookie, "directory?done=link-mailed").await;
    assert!(page.contains("设置密码的链接已放入发送队列"), "the console says so");

    let message = smtp.received(1).await.remove(0);
    assert_eq!(message["to"], "ann@example.com");
    assert_eq!(message["method"], "", "no calendar: {message}");
    assert_eq!(message["subject"], "请设置您的会议室预约密码");
    let text = message["text"].as_str().expect("text");
    assert!(text.starts_with("Ann，您好：") && text.contains("有效期至"), "{text}");
    let token = link_in(text);

    let form = [("token", token.as_str()), ("password", "mailed-pass-1")];
    let set = t.console_post("", "setup", &form).await;
    assert_eq!(set.status(), 303);
    assert_eq!(set.headers()["location"], "/app/login?company=1000&login=ann&set=1");
    assert_eq!(t.app_login("1000", "ann", "mailed-pass-1").await.status(), 303);
    assert_eq!(t.console_post("", "setup", &form).await.status(), 410, "once");

    let done = |log: &serde_json::Value| log.as_array().is_some_and(|l| l.iter().all(|m| m["state"] == "sent"));
    let log = log_once(&t, done).await;
    assert_eq!(log[0]["method"], "SETUP", "{log}");
    assert_eq!((log[0]["meetingId"].as_str(), log[0]["to"].as_str()), (Some(""), Some("ann@example.com")));
    assert_eq!(code(&t.call("user/setupLink", json!({"userId": "nobody"})).await), 71009);
}
