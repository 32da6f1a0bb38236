//! What no request may do: break the server for others, slip past a check by racing or by
//! an extreme value, or open a door with a default. One test a defect class.

use serde_json::{Value, json};

use crate::support::{HOUR, TOMORROW, TestApp};

/// The last instant chrono knows, in ms: a booking there used to panic inside a unit of
/// work and leave its read connection in a transaction.
const CHRONO_END_MS: i64 = 8_210_266_797_600_000;

impl TestApp {
    /// A signed-in console session for the admin user "1" (its password set through the
    /// API first): the session cookie, ready for a `Cookie` header.
    pub async fn console_cookie(&self) -> String {
        self.ok("user/update", json!({"id": "1", "password": "correct horse 1"})).await;
        let response = self.console_login("admin", "correct horse 1").await;
        assert_eq!(response.status(), 303, "signed in");
        cookie_of(&response)
    }

    /// A token of a second company, made beside the first.
    pub async fn other_company_token(&self) -> String {
        let company = self.store.create_company(None, "other".into()).await.expect("company");
        let app = self.store.create_app(company).await.expect("credential");
        self.token_for(&app.appkey, &app.appsecret).await
    }

    /// POSTs the console's sign-in form for company 1000 (no redirects followed).
    pub async fn console_login(&self, account: &str, password: &str) -> reqwest::Response {
        let form = [("company", "1000"), ("account", account), ("password", password)];
        self.console_post("", "login", &form).await
    }

    /// POSTs a console form to `/meeting/manage/{path}` with `cookie` (no redirects).
    pub async fn console_post(&self, cookie: &str, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.post_form(cookie, &format!("/meeting/manage/{path}"), form).await
    }

    /// POSTs `form` to `path` (from the root) with `cookie`, as a browser would (no redirects).
    pub async fn post_form(&self, cookie: &str, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        no_redirects()
            .post(format!("{}{path}", self.base))
            .header("Cookie", cookie)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string(form).expect("form"))
            .send()
            .await
            .expect("send")
    }

    /// GETs a console page with `cookie`: its status and text.
    pub async fn console_get(&self, cookie: &str, path: &str) -> (u16, String) {
        let response = no_redirects()
            .get(format!("{}/meeting/manage/{path}", self.base))
            .header("Cookie", cookie)
            .send()
            .await
            .expect("send");
        (response.status().as_u16(), response.text().await.expect("text"))
    }
}

impl TestApp {
    /// The form token of a console page.
    pub async fn console_csrf(&self, cookie: &str, path: &str) -> String {
        let (_, page) = self.console_get(cookie, path).await;
        let at = page.find("name=\"csrf\" value=\"").expect("a form token") + "name=\"csrf\" value=\"".len();
        page[at..].split('"').next().expect("token").to_string()
    }
}

pub fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

pub fn cookie_of(response: &reqwest::Response) -> String {
    let set = response.headers().get("set-cookie").and_then(|v| v.to_str().ok()).expect("a session cookie");
    set.split(';').next().expect("name=value").to_string()
}

pub fn code(envelope: &Value) -> i64 {
    envelope["code"].as_i64().unwrap_or_default()
}

/// Times at and past the ends of what chrono knows are refused at the edge with 71001,
/// in every place one comes in; the server stays whole for everybody else after them.
#[tokio::test]
async fn extreme_times_are_refused_at_the_edge_and_break_nothing() {
    let t = TestApp::spawn().await;
    let room = t.room(json!({"beginTime": "00:00", "endTime": "24:00"})).await;
    let booked = t.ok("meeting/book", t.booking(&room, 10, 11)).await["id"].as_str().expect("id").to_string();
    let mut bad_books = Vec::new();
    for (begin, end) in [(CHRONO_END_MS, CHRONO_END_MS + 1), (-1, 10), (TOMORROW, i64::MAX), (i64::MIN, TOMORROW)] {
        let mut body = t.booking(&room, 10, 11);
        body["beginTime"] = json!(begin);
        body["endTime"] = json!(end);
        bad_books.push(t.call("meeting/book", body).await);
    }
    bad_books.push(
        t.call("meeting/update", json!({"id": booked, "beginTime": CHRONO_END_MS, "endTime": CHRONO_END_MS + 1})).await,
    );
    bad_books.push(t.call("meeting/update", json!({"id": booked, "endTime": 253_402_300_800_000i64})).await);
    for filter in [
        json!({"minTime": "+262142-12-31 00:00:00"}),
        json!({"maxTime": "-262143-01-01 00:00:00"}),
        json!({"reverseDate": "+262142-12-31"}),
        json!({"reverseDate": "10000-01-01"}),
        json!({"createdBeginTime": "1969-12-31 23:59:59"}),
    ] {
        bad_books.push(t.call("meeting/list", filter).await);
    }
    for answer in &bad_books {
        assert_eq!(code(answer), 71001, "{answer}");
        assert!(!answer["fieldErrors"].as_object().expect("fields").is_empty(), "names the field: {answer}");
    }
    // Another company reads as before, many times over; the server is ready.
    let other = t.other_company_token().await;
    for _ in 0..40 {
        assert_eq!(code(&t.call_as(&other, "user/list", json!({})).await), 10000);
    }
    let ready = reqwest::get(format!("{}/readyz", t.base)).await.expect("readyz");
    assert_eq!(ready.status(), 200);
    // The last day roomd accepts books like any other.
    let last_day = 253_402_300_799_999i64 - 16 * HOUR;
    let mut body = t.booking(&room, 10, 11);
    body["beginTime"] = json!(last_day);
    body["endTime"] = json!(last_day + HOUR);
    assert_eq!(code(&t.call("meeting/book", body).await), 10000);
}

/// Console pages given dates beyond the accepted range answer a page that says so (400),
/// never an error page or a 500.
#[tokio::test]
async fn console_pages_refuse_dates_out_of_range_with_a_message() {
    let t = TestApp::spawn().await;
    t.room(json!({})).await;
    let cookie = t.console_cookie().await;
    for path in [
        "meetings?date=%2B262142-12-31&week=1",
        "meetings?date=-262143-01-01",
        "meetings/building?date=%2B262142-12-31&week=1",
        "reports?to=-262143-01-01",
        "reports?from=1969-12-31",
        "reports?lang=en&from=2020-01-01&to=2030-01-01",
    ] {
        let (status, page) = t.console_get(&cookie, path).await;
        assert_eq!(status, 400, "{path}: {page}");
        assert!(page.contains("role=\"alert\""), "{path}: says why");
    }
    let (status, page) = t.console_get(&cookie, "reports?lang=en&from=2020-01-01&to=2030-01-01").await;
    assert!(status == 400 && page.contains("at most 366 days"), "{page}");
    let (status, _) = t.console_get(&cookie, "meetings?date=9999-12-31&week=1").await;
    assert_eq!(status, 200, "the last week roomd knows shows");
}

/// An admin made without a password (API or console) signs in with nothing, the
/// vendor's default included, until a one-time link sets one; that link then works.
#[tokio::test]
async fn no_default_password_and_setup_links_instead() {
    let t = TestApp::spawn().await;
    let cookie = t.console_cookie().await;
    let made = t.ok("user/add", json!({"name": "Ops", "account": "ops", "isAdmin": true})).await;
    let ops = made["id"].as_str().expect("id").to_string();
    let csrf = t.console_csrf(&cookie, "directory").await;
    let form = [("csrf", csrf.as_str()), ("name", "Desk"), ("account", "desk"), ("admin", "on"), ("password", "")];
    let added = t.console_post(&cookie, "directory/users", &form).await;
    assert_eq!(added.status(), 303, "back to the directory");
    assert_eq!(added.headers()["location"], "/meeting/manage/directory?done=user-added");
    for account in ["ops", "desk"] {
        for password in ["hf@123456", ""] {
            assert_eq!(t.console_login(account, password).await.status(), 401, "{account} {password:?}");
        }
    }
    let refused = t.call("user/update", json!({"id": ops, "password": "hf@123456"})).await;
    assert_eq!(code(&refused), 71001, "the default is no password to set: {refused}");

    let link = t.ok("user/setupLink", json!({"userId": ops})).await;
    let url = link["url"].as_str().expect("url");
    assert!(url.starts_with("http://roomd.test/meeting/manage/setup?token="), "{link}");
    assert!(link["expiresTime"].as_i64().is_some_and(|e| e > crate::support::NOW), "{link}");
    let token = url.rsplit_once("token=").expect("token").1;
    let set = t.console_post("", "setup", &[("token", token), ("password", "ops-password-1")]).await;
    assert_eq!(set.status(), 200);
    assert_eq!(t.console_login("ops", "ops-password-1").await.status(), 303, "the link set a working password");
    assert_eq!(code(&t.call("user/setupLink", json!({"userId": "nobody"})).await), 71009, "no such user");

    // The console makes the same link for a user, and shows it.
    let csrf = t.console_csrf(&cookie, "directory").await;
    let form = [("csrf", csrf.as_str()), ("id", ops.as_str())];
    let page = t.console_post(&cookie, "directory/users/setup-link", &form).await.text().await.expect("page");
    assert!(page.contains("/meeting/manage/setup?token="), "the console shows the link");
}

/// A new password ends the user's console sessions; sign-out ends one for good.
#[tokio::test]
async fn a_password_change_ends_console_sessions() {
    let t = TestApp::spawn().await;
    let cookie = t.console_cookie().await;
    assert_eq!(t.console_get(&cookie, "directory").await.0, 200);
    t.ok("user/update", json!({"id": "1", "password": "another one 2"})).await;
    assert_eq!(t.console_get(&cookie, "directory").await.0, 303, "back to the sign-in page");
}

/// Sign-in tries from one address are limited, whatever accounts they name.
#[tokio::test]
async fn sign_in_tries_are_limited_per_address() {
    let t = TestApp::spawn().await;
    let mut statuses = Vec::new();
    for i in 0..24 {
        statuses.push(t.console_login(&format!("nobody{i}"), "wrong").await.status().as_u16());
    }
    assert!(statuses[..20].iter().all(|s| *s == 401), "{statuses:?}");
    assert!(statuses[20..].iter().all(|s| *s == 429), "{statuses:?}");
}

/// A meeting holds at most 1,000 attendances, and one list covers at most 366 days: past
/// either bound the answer is 71001 naming the field, before anything is read or stored.
#[tokio::test]
async fn attendees_and_list_windows_are_bounded() {
    let t = TestApp::spawn().await;
    let room = t.room(json!({})).await;
    let mut crowd = t.booking(&room, 10, 11);
    crowd["attendances"] = json!((0..15_000).map(|i| json!({"name": format!("guest {i}")})).collect::<Vec<_>>());
    let refused = t.call("meeting/book", crowd).await;
    assert_eq!(code(&refused), 71001, "{}", refused["fieldErrors"]);
    assert!(refused["fieldErrors"]["attendances"].is_string());
    let booked = t.ok("meeting/book", t.booking(&room, 10, 11)).await;
    let many = (0..1001).map(|i| json!({"name": format!("guest {i}")})).collect::<Vec<_>>();
    let refused = t.call("meeting/update", json!({"id": booked["id"], "attendances": many})).await;
    assert_eq!(code(&refused), 71001);

    let too_wide =
        t.call("meeting/list", json!({"minTime": "2030-01-01 00:00:00", "maxTime": "2031-01-03 00:00:00"})).await;
    assert_eq!(code(&too_wide), 71001, "{too_wide}");
    assert!(too_wide["fieldErrors"]["maxTime"].is_string());
    let created = t
        .call(
            "meeting/list",
            json!({"createdBeginTime": "2000-01-01 00:00:00", "createdEndTime": "2030-01-01 00:00:00"}),
        )
        .await;
    assert_eq!(code(&created), 71001);
    // A window open on one side is refused, not cut short.
    for open in [json!({"minTime": "2030-01-09 00:00:00"}), json!({"maxTime": "2030-01-09 00:00:00"})] {
        let refused = t.call("meeting/list", open).await;
        assert_eq!(code(&refused), 71001, "{refused}");
    }
    assert_eq!(code(&t.call("meeting/list", json!({"createdBeginTime": "2030-01-01 00:00:00"})).await), 71001);
    let day = t.ok("meeting/list", json!({"reverseDate": "2030-01-10"})).await;
    assert_eq!(day.as_array().map(Vec::len), Some(1), "a day is a window with both ends");
    let a_year =
        t.ok("meeting/list", json!({"minTime": "2029-12-01 00:00:00", "maxTime": "2030-12-01 00:00:00"})).await;
    assert_eq!(a_year.as_array().map(Vec::len), Some(1));
}

/// What is stored for others to read at every turn (a room's permitted users, the
/// onboarding dimensions, a board's configuration) is bounded: past the bound, the
/// dialect's parameter error naming the field, and nothing kept.
#[tokio::test]
async fn stored_lists_and_objects_are_bounded() {
    let t = TestApp::spawn().await;
    let users: Vec<String> = (0..5001).map(|i| format!("u{i}")).collect();
    let refused = t.call("room/add", json!({"name": "r", "userIds": users})).await;
    assert_eq!(code(&refused), 71001, "{}", refused["fieldErrors"]);
    assert!(refused["fieldErrors"]["userIds"].is_string());

    let dims: Vec<_> =
        (0..51).map(|i| json!({"apiName": format!("d{i}"), "displayName": {"zh_cn": "维度"}, "type": 3})).collect();
    let refused = t.call("onboarding/dimension/save", json!({"dimensions": dims})).await;
    assert_eq!(code(&refused), 71001, "{}", refused["fieldErrors"]);
    let long_name = json!({"dimensions": [{"apiName": "d", "displayName": {"zh_cn": "长".repeat(65)}, "type": 3}]});
    assert_eq!(code(&t.call("onboarding/dimension/save", long_name).await), 71001);

    let tenant = crate::feishu::tenant_token(&t).await;
    let room = t.room(json!({})).await;
    let big = json!({"text": "x".repeat(17 * 1024)});
    for config in [json!({"room_status": big}), json!({"display_background": "x".repeat(1025)})] {
        let body = json!({"scope": 5, "room_id": room, "room_config": config});
        let (status, answer) = crate::feishu::feishu(&t, Some(&tenant), "vc/v1/room_configs/set", body).await;
        assert_eq!(status, 400, "{answer}");
    }
}

/// A console action that fails says why in the admin's language; an action no form
/// of ours sends finds no page, and is not silently done.
#[tokio::test]
async fn console_failures_are_said_in_the_admins_language() {
    let t = TestApp::spawn().await;
    let cookie = t.console_cookie().await;
    let csrf = t.console_csrf(&cookie, "directory").await;
    let post = |lang: &'static str, path: &'static str, form: Vec<(&'static str, String)>| {
        let body = serde_urlencoded::to_string(&form).expect("form");
        no_redirects()
            .post(format!("{}/meeting/manage/directory/{path}", t.base))
            .header("Cookie", cookie.clone())
            .header("Accept-Language", lang)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let taken = vec![("csrf", csrf.clone()), ("name", "A".into()), ("account", "admin".into())];
    for (lang, words) in [("en", "That account is taken."), ("zh-CN", "该账号已被使用。")] {
        let answer = post(lang, "users", taken.clone()).await.expect("send");
        assert_eq!(answer.status(), 422);
        let page = answer.text().await.expect("page");
        assert!(page.contains(words), "{lang}");
        assert!(page.contains("value=\"A\""), "what was typed stays in the form");
    }
    let bogus = post("en", "drop-everything", vec![("csrf", csrf.clone())]).await.expect("send");
    assert_eq!(bogus.status(), 404);
    assert!(bogus.text().await.expect("page").contains("There is no page at this address."));
    let expired = post("en", "users", vec![("csrf", "an old page's token".into())]).await.expect("send");
    assert_eq!(expired.status(), 403);
    assert!(expired.text().await.expect("page").contains("The page had expired"));
}

/// `user/setupLink` answers bad input in the h5 envelope: malformed JSON, a wrong type, a
/// missing field, an unknown user, and another company's user, never a 500.
#[tokio::test]
async fn setup_links_refuse_bad_input_in_the_envelope() {
    let t = TestApp::spawn().await;
    let url = format!("{}/meeting/api/open/user/setupLink?access_token={}", t.base, t.token);
    let raw = t.http.post(&url).body("{not json").send().await.expect("send");
    assert_eq!(raw.status(), 200);
    assert_eq!(code(&raw.json::<Value>().await.expect("envelope")), 71001);
    assert_eq!(code(&t.call("user/setupLink", json!({"userId": 7})).await), 71008);
    assert_eq!(code(&t.call("user/setupLink", json!({})).await), 71005);
    assert_eq!(code(&t.call("user/setupLink", json!({"userId": "nobody"})).await), 71009);
    let other = t.other_company_token().await;
    let theirs = t.call_as(&other, "user/add", json!({"name": "B", "account": "b"})).await["value"]["id"].clone();
    assert_eq!(code(&t.call("user/setupLink", json!({"userId": theirs})).await), 71009, "not another company's user");
}

/// The calendar and mail endpoints answer bad input in the h5 envelope: malformed JSON
/// and wrong types, never a 500 (unknown and another company's ids: `calendar_feeds.rs`).
#[tokio::test]
async fn calendar_and_mail_endpoints_refuse_bad_input_in_the_envelope() {
    let t = TestApp::spawn().await;
    for path in ["calendar/feed/get", "calendar/feed/reset", "mail/deliveries", "company/update"] {
        let url = format!("{}/meeting/api/open/{path}?access_token={}", t.base, t.token);
        let raw = t.http.post(&url).body("{not json").send().await.expect("send");
        assert_eq!(raw.status(), 200, "{path}");
        assert_eq!(code(&raw.json::<Value>().await.expect("envelope")), 71001, "{path}");
    }
    assert_eq!(code(&t.call("calendar/feed/get", json!({"userId": ["1"]})).await), 71008);
    assert_eq!(code(&t.call("mail/deliveries", json!({"limit": "10"})).await), 71008);
    assert_eq!(code(&t.call("company/update", json!({"reminderMinutes": "15"})).await), 71008);
    assert_eq!(code(&t.call("company/update", json!({"reminderMinutes": -1})).await), 71001);
}
