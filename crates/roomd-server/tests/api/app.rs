//! The employees' app (`/app/`): signing in by account, phone or email with the console's
//! lockout, sessions that end when their user is disabled, forms that need their token,
//! the home page's meetings and its check-in.

use serde_json::json;

use crate::hardening::{cookie_of, no_redirects};
use crate::support::{HOUR, NOW, TOMORROW, TestApp};

impl TestApp {
    /// POSTs the app's sign-in form (no redirects followed).
    pub async fn app_login(&self, company: &str, login: &str, password: &str) -> reqwest::Response {
        let form = [("company", company), ("login", login), ("password", password)];
        self.app_post("", "login", &form).await
    }

    pub async fn app_post(&self, cookie: &str, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.post_form(cookie, &format!("/app/{path}"), form).await
    }

    /// GETs an app page with `cookie`: its status and text.
    pub async fn app_get(&self, cookie: &str, path: &str) -> (u16, String) {
        let response = no_redirects()
            .get(format!("{}/app/{path}", self.base))
            .header("Cookie", cookie)
            .send()
            .await
            .expect("send");
        (response.status().as_u16(), response.text().await.expect("text"))
    }

    /// A user of company 1000 with a password, a phone and an email: their id.
    pub async fn employee(&self, account: &str, phone: &str) -> String {
        let body = json!({"name": format!("员工 {account}"), "account": account, "phone": phone,
                          "email": format!("{account}@example.com"), "password": "staff-pass-1"});
        self.ok("user/add", body).await["id"].as_str().expect("id").to_string()
    }

    /// A signed-in app session for `account`: the cookie.
    pub async fn app_cookie(&self, account: &str) -> String {
        let response = self.app_login("1000", account, "staff-pass-1").await;
        assert_eq!(response.status(), 303, "signed in");
        cookie_of(&response)
    }
}

pub fn csrf_of(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a form token") + "name=\"csrf\" value=\"".len();
    page[at..].split('"').next().expect("token").to_string()
}

#[tokio::test]
async fn an_employee_signs_in_by_account_phone_or_email_and_signs_out() {
    let t = TestApp::spawn().await;
    t.employee("lisi", "13900000001").await;
    for login in ["lisi", "13900000001", "lisi@example.com"] {
        let response = t.app_login("1000", login, "staff-pass-1").await;
        assert_eq!(response.status(), 303, "{login}");
        assert_eq!(response.headers()["location"], "/app/");
        let set = response.headers()["set-cookie"].to_str().expect("cookie").to_string();
        assert!(set.starts_with("roomd_app=") && set.contains("HttpOnly") && set.contains("SameSite=Strict"), "{set}");
        assert!(set.contains("Path=/app/") && !set.contains("Secure"), "{set}");
        let cookie = cookie_of(&response);
        let (status, page) = t.app_get(&cookie, "").await;
        assert_eq!(status, 200, "{login}");
        assert!(page.contains("员工 lisi") || page.contains("lisi"), "the header names the person");
        // The app's cookie is no console session.
        assert_eq!(t.console_get(&cookie.replace("roomd_app", "roomd_session"), "directory").await.0, 303);
    }
    let cookie = t.app_cookie("lisi").await;
    let (_, page) = t.app_get(&cookie, "").await;
    let out = t.app_post(&cookie, "logout", &[("csrf", &csrf_of(&page))]).await;
    assert_eq!(out.status(), 303);
    assert_eq!(out.headers()["location"], "/app/login?company=1000&out=1");
    assert_eq!(t.app_get(&cookie, "").await.0, 303, "the session is over");
}

#[tokio::test]
async fn a_wrong_password_says_so_without_saying_which_part_and_five_lock_the_account() {
    let t = TestApp::spawn().await;
    t.employee("wangwu", "13900000002").await;
    let (status, page) = t.app_get("", "login?company=1000&lang=en").await;
    assert_eq!(status, 200);
    assert!(page.contains("value=\"1000\""), "the company is filled in from the link");
    let wrong = t.app_login("1000", "wangwu", "nope").await;
    assert_eq!(wrong.status(), 401);
    let said = wrong.text().await.expect("page");
    assert!(said.contains("企业 ID、账号或密码不正确"), "one sentence for every wrong part");
    assert_eq!(t.app_login("1000", "nobody", "nope").await.status(), 401);
    // Tries by phone and by email count against the same account.
    for login in ["13900000002", "wangwu@example.com", "wangwu", "wangwu"] {
        assert_eq!(t.app_login("1000", login, "nope").await.status(), 401, "{login}");
    }
    let locked = t.app_login("1000", "wangwu", "staff-pass-1").await;
    assert_eq!(locked.status(), 429, "locked even with the right password");
    assert!(locked.text().await.expect("page").contains("15 分钟"));
    t.clock.advance(16 * 60_000);
    assert_eq!(t.app_login("1000", "wangwu", "staff-pass-1").await.status(), 303, "the lock passes");
}

#[tokio::test]
async fn a_disabled_or_removed_employee_is_signed_out_at_once_and_cannot_sign_in() {
    let t = TestApp::spawn().await;
    let id = t.employee("zhaoliu", "13900000003").await;
    let cookie = t.app_cookie("zhaoliu").await;
    assert_eq!(t.app_get(&cookie, "").await.0, 200);
    t.ok("user/update", json!({"id": id, "status": 0})).await;
    assert_eq!(t.app_get(&cookie, "").await.0, 303, "the session ended");
    assert_eq!(t.app_login("1000", "zhaoliu", "staff-pass-1").await.status(), 401);
    t.ok("user/update", json!({"id": id, "status": 1})).await;
    assert_eq!(t.app_get(&cookie, "").await.0, 303, "enabling again revives no session");
    let cookie = t.app_cookie("zhaoliu").await;
    t.ok("user/remove", json!({"userId": id})).await;
    assert_eq!(t.app_get(&cookie, "").await.0, 303, "removed");
    assert_eq!(t.app_login("1000", "zhaoliu", "staff-pass-1").await.status(), 401);
}

#[tokio::test]
async fn forms_without_the_sessions_token_are_refused() {
    let t = TestApp::spawn().await;
    t.employee("sunqi", "13900000004").await;
    let cookie = t.app_cookie("sunqi").await;
    for form in [vec![], vec![("csrf", "forged")]] {
        let response = t.app_post(&cookie, "logout", &form).await;
        assert_eq!(response.status(), 403);
        let response = t.app_post(&cookie, "checkin", &[&form[..], &[("meeting", "m1")]].concat()).await;
        assert_eq!(response.status(), 403);
    }
    assert_eq!(t.app_get(&cookie, "").await.0, 200, "still signed in");
}

#[tokio::test]
async fn another_companys_employee_cannot_sign_in_to_this_company() {
    let t = TestApp::spawn().await;
    let other = t.other_company_token().await;
    let body = json!({"name": "外人", "account": "outsider", "password": "staff-pass-1"});
    assert_eq!(t.call_as(&other, "user/add", body).await["code"], 10000);
    assert_eq!(t.app_login("1000", "outsider", "staff-pass-1").await.status(), 401);
}

#[tokio::test]
async fn home_shows_my_meetings_and_checks_me_in() {
    let t = TestApp::spawn().await;
    let me = t.employee("chen", "13900000005").await;
    let colleague = t.employee("zhou", "13900000006").await;
    let position = json!({"name": "九楼大会议室", "beginTime": "00:00", "endTime": "24:00",
                          "latitude": 31.2304, "longitude": 121.4737, "radius": 100});
    let room = t.room(position).await;
    let book = |subject: &str, from: i64, to: i64, booker: &str, attendee: &str| {
        json!({"roomId": room, "subject": subject, "speaker": "陈", "beginTime": from, "endTime": to,
               "createdId": booker, "attendances": [{"userId": attendee}]})
    };
    // Now is 08:00: one meeting open for check-in (08:10), one tomorrow I booked, one
    // I am not on.
    let soon = t.ok("meeting/book", book("站会", NOW + 10 * 60_000, NOW + HOUR, &colleague, &me)).await;
    let planned = t.ok("meeting/book", book("周计划", TOMORROW + 10 * HOUR, TOMORROW + 11 * HOUR, &me, &me)).await;
    t.ok("meeting/book", book("别人的会", TOMORROW + 14 * HOUR, TOMORROW + 15 * HOUR, &colleague, &colleague)).await;

    let cookie = t.app_cookie("chen").await;
    let (status, page) = t.app_get(&cookie, "?lang=en").await;
    assert_eq!(status, 200);
    assert!(page.contains("站会") && page.contains("周计划") && page.contains("九楼大会议室"), "{page}");
    assert!(!page.contains("别人的会"), "only my meetings");
    assert!(page.contains("08:10–09:00") && page.contains("Today · Wed 9 Jan") && page.contains("Tomorrow"));
    assert!(page.contains("Starting soon") && page.contains("Upcoming"));
    assert_eq!(page.matches("action=\"/app/checkin\"").count(), 1, "one meeting open for check-in");

    let csrf = csrf_of(&page);
    let soon_id = soon["id"].as_str().expect("id");
    let at = |latitude: &'static str, longitude: &'static str| {
        vec![("csrf", csrf.as_str()), ("meeting", soon_id), ("latitude", latitude), ("longitude", longitude)]
    };
    // Without a position, or a kilometre away, not checked in: the page says why.
    let nowhere = t.app_post(&cookie, "checkin", &at("", "")).await;
    assert_eq!(nowhere.status(), 422);
    assert!(nowhere.text().await.expect("page").contains("位置"), "asks for the location");
    let far = t.app_post(&cookie, "checkin", &at("31.2394", "121.4737")).await;
    assert_eq!(far.status(), 422);
    assert!(far.text().await.expect("page").contains("1001 米"), "says how far");
    let form = at("31.2305", "121.4738");
    let done = t.app_post(&cookie, "checkin", &form).await;
    assert_eq!(done.status(), 303);
    assert_eq!(done.headers()["location"], "/app/?done=checked-in");
    let (_, page) = t.app_get(&cookie, "?done=checked-in&lang=en").await;
    assert!(page.contains("You are checked in.") && page.contains("Checked in"), "{page}");
    assert!(!page.contains("action=\"/app/checkin\""), "no second check-in");
    let got = t.ok("meeting/get", json!({"meetingId": soon["id"]})).await;
    let attendance = &got["attendances"][0];
    assert_eq!(
        (attendance["isSigned"].clone(), attendance["signType"].clone()),
        (json!(1), json!(5)),
        "by location: {got}"
    );

    // Tomorrow's meeting is not open yet: the page says when check-in opens.
    let tomorrow = planned["id"].as_str().expect("id");
    let refused = t
        .app_post(
            &cookie,
            "checkin",
            &[("csrf", form[0].1), ("meeting", tomorrow), ("latitude", "31.2304"), ("longitude", "121.4737")],
        )
        .await;
    assert_eq!(refused.status(), 409);
}

#[tokio::test]
async fn home_without_meetings_says_so_and_signed_out_goes_to_the_sign_in_page() {
    let t = TestApp::spawn().await;
    let (status, _) = t.app_get("", "").await;
    assert_eq!(status, 303);
    let response = no_redirects().get(format!("{}/app/", t.base)).send().await.expect("send");
    assert_eq!(response.headers()["location"], "/app/login");
    t.employee("empty", "13900000007").await;
    let cookie = t.app_cookie("empty").await;
    let (_, page) = t.app_get(&cookie, "?lang=zh").await;
    assert!(page.contains("未来两周没有你的会议"), "{page}");
    assert_eq!(t.app_get(&cookie, "login").await.0, 303, "signed in: the sign-in page goes home");
}

#[tokio::test]
async fn a_sign_in_form_posted_from_another_site_is_refused_on_the_app_and_the_console() {
    let t = TestApp::spawn().await;
    t.employee("lisi", "13900000001").await;
    t.ok("user/update", json!({"id": "1", "password": "admin-pass-1"})).await;
    let forms = [
        ("/app/login", [("company", "1000"), ("login", "lisi"), ("password", "staff-pass-1")]),
        ("/meeting/manage/login", [("company", "1000"), ("account", "admin"), ("password", "admin-pass-1")]),
    ];
    for (path, form) in forms {
        for (site, status) in [("cross-site", 403), ("same-origin", 303)] {
            let response = no_redirects()
                .post(format!("{}{path}", t.base))
                .header("Sec-Fetch-Site", site)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(serde_urlencoded::to_string(form).expect("form"))
                .send()
                .await
                .expect("send");
            assert_eq!(response.status(), status, "{path} from {site}");
            assert_eq!(response.headers().contains_key("set-cookie"), status == 303, "{path} from {site}");
        }
    }
}
