//! The app's profile (`/app/profile`): changing one's password (counted like a sign-in,
//! other sessions ended, this one kept), one's face photo checked as `user/updateFace`
//! checks it, one's calendar feed and its reset; and the one-time link that sets a
//! first password, which leads a person who is no admin to the app.

use reqwest::multipart::{Form, Part};
use serde_json::json;

use crate::app::csrf_of;
use crate::hardening::{code, cookie_of, no_redirects};
use crate::resources::noise_png;
use crate::support::TestApp;

impl TestApp {
    /// The profile page's form token, for `cookie`.
    async fn profile_csrf(&self, cookie: &str) -> String {
        let (status, page) = self.app_get(cookie, "profile").await;
        assert_eq!(status, 200, "{page}");
        csrf_of(&page)
    }

    /// Changes the password from the profile page: the answer (no redirects followed).
    async fn change_password(&self, cookie: &str, current: &str, new: &str, repeat: &str) -> reqwest::Response {
        let csrf = self.profile_csrf(cookie).await;
        let form = [("csrf", csrf.as_str()), ("current", current), ("new", new), ("repeat", repeat)];
        self.app_post(cookie, "profile/password", &form).await
    }

    /// Uploads `bytes` as my face photo: the status and the page.
    async fn upload_face(&self, cookie: &str, bytes: Vec<u8>) -> (u16, String) {
        let csrf = self.profile_csrf(cookie).await;
        let form = Form::new().text("csrf", csrf).part("file", Part::bytes(bytes).file_name("me.png"));
        let response = no_redirects()
            .post(format!("{}/app/profile/face", self.base))
            .header("Cookie", cookie)
            .multipart(form)
            .send()
            .await
            .expect("send");
        (response.status().as_u16(), response.text().await.expect("text"))
    }
}

/// The value of the feed address field on a page.
fn feed_url(page: &str) -> String {
    let at = page.find("id=\"feed-url\" type=\"text\" value=\"").expect("a feed address") + 33;
    page[at..].split('"').next().expect("address").to_string()
}

/// Where the setup link's token is in its URL.
fn token_of(url: &str) -> String {
    url.split("token=").nth(1).expect("a token").to_string()
}

#[tokio::test]
async fn the_header_names_the_person_and_links_to_their_profile() {
    let t = TestApp::spawn().await;
    t.employee("qian", "13900000011").await;
    let cookie = t.app_cookie("qian").await;
    let (_, home) = t.app_get(&cookie, "").await;
    assert!(home.contains("<a class=\"who\" href=\"/app/profile\">员工 qian"), "{home}");
    let (status, page) = t.app_get(&cookie, "profile?lang=en").await;
    assert_eq!(status, 200);
    for part in ["Language", "Change password", "Face photo", "My calendar feed", "webcal://"] {
        assert!(page.contains(part), "{part}");
    }
    assert_eq!(t.app_get("", "profile").await.0, 303, "signed in only");
}

#[tokio::test]
async fn a_password_change_needs_the_current_one_and_eight_characters_and_keeps_only_this_phone() {
    let t = TestApp::spawn().await;
    t.employee("zhou", "13900000012").await;
    let phone = t.app_cookie("zhou").await;
    let other = t.app_cookie("zhou").await;

    let wrong = t.change_password(&phone, "not-it-at-all", "brand-new-pass", "brand-new-pass").await;
    assert_eq!(wrong.status(), 422);
    assert!(wrong.text().await.expect("page").contains("当前密码不正确"));
    let short = t.change_password(&phone, "staff-pass-1", "short", "short").await;
    assert_eq!(short.status(), 422);
    assert!(short.text().await.expect("page").contains("至少需要 8 位"));
    let mismatch = t.change_password(&phone, "staff-pass-1", "brand-new-pass", "brand-new-pasS").await;
    assert_eq!(mismatch.status(), 422);
    assert!(mismatch.text().await.expect("page").contains("不一致"));

    let changed = t.change_password(&phone, "staff-pass-1", "brand-new-pass", "brand-new-pass").await;
    assert_eq!(changed.status(), 303);
    assert_eq!(changed.headers()["location"], "/app/profile?done=password");
    let renewed = cookie_of(&changed);
    let (status, page) = t.app_get(&renewed, "profile?done=password").await;
    assert_eq!(status, 200, "this phone stays signed in, with its new cookie");
    assert!(page.contains("密码已修改"));
    assert_eq!(t.app_get(&other, "").await.0, 303, "the other session ended");
    assert_eq!(t.app_get(&phone, "").await.0, 303, "the old cookie of this phone too");
    assert_eq!(t.app_login("1000", "zhou", "staff-pass-1").await.status(), 401, "the old password is gone");
    assert_eq!(t.app_login("1000", "zhou", "brand-new-pass").await.status(), 303);
}

#[tokio::test]
async fn wrong_current_passwords_count_toward_the_sign_in_lock() {
    let t = TestApp::spawn().await;
    t.employee("wu", "13900000013").await;
    let cookie = t.app_cookie("wu").await;
    for _ in 0..4 {
        assert_eq!(t.change_password(&cookie, "guess", "brand-new-pass", "brand-new-pass").await.status(), 422);
    }
    assert_eq!(t.app_login("1000", "wu", "wrong").await.status(), 401, "the fifth try, by signing in");
    let locked = t.change_password(&cookie, "staff-pass-1", "brand-new-pass", "brand-new-pass").await;
    assert_eq!(locked.status(), 429, "locked even with the right current password");
    assert_eq!(t.app_login("1000", "wu", "staff-pass-1").await.status(), 429);
}

#[tokio::test]
async fn a_face_photo_is_checked_like_update_face_and_shown_small() {
    let t = TestApp::spawn().await;
    t.employee("zheng", "13900000014").await;
    let cookie = t.app_cookie("zheng").await;
    let (_, page) = t.app_get(&cookie, "profile").await;
    assert!(page.contains("还没有上传照片"));

    let (status, page) = t.upload_face(&cookie, noise_png(60, 60)).await;
    assert_eq!(status, 422);
    assert!(page.contains("小于 200 KB"), "too small");
    let (status, page) = t.upload_face(&cookie, noise_png(1921, 100)).await;
    assert_eq!(status, 422);
    assert!(page.contains("1921×100") && page.contains("超过了 1920×1080"), "too wide");
    let (status, page) = t.upload_face(&cookie, noise_png(1080, 1900)).await;
    assert_eq!(status, 422);
    assert!(page.contains("超过 5 MB"), "too heavy");
    let (status, page) = t.upload_face(&cookie, b"GIF89a".repeat(50_000)).await;
    assert_eq!(status, 422);
    assert!(page.contains("JPG 或 PNG"), "not a photo");

    let csrf = t.profile_csrf(&cookie).await;
    let form = Form::new().text("csrf", csrf).part("file", Part::bytes(noise_png(400, 300)).file_name("me.png"));
    let response = no_redirects()
        .post(format!("{}/app/profile/face", t.base))
        .header("Cookie", &cookie)
        .multipart(form)
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/app/profile?done=face");
    let (_, page) = t.app_get(&cookie, "profile?done=face").await;
    assert!(page.contains("照片已更新") && page.contains("src=\"/app/profile/photo?v="), "{page}");
    let photo = no_redirects()
        .get(format!("{}/app/profile/photo", t.base))
        .header("Cookie", &cookie)
        .send()
        .await
        .expect("send");
    assert_eq!(photo.status(), 200);
    let small = photo.bytes().await.expect("bytes");
    let decoded = image::load_from_memory(&small).expect("an image");
    assert!(
        decoded.width() <= 240 && small.len() < 60 * 1024,
        "{}×{}, {} bytes",
        decoded.width(),
        decoded.height(),
        small.len()
    );
    let user = t.ok("user/list", json!({})).await;
    let me = user.as_array().expect("users").iter().find(|u| u["account"] == "zheng").expect("me").clone();
    assert!(!me["faceUrl"].as_str().unwrap_or_default().is_empty(), "the API sees the same photo: {me}");

    let (status, _) = {
        let form = Form::new().text("csrf", "forged").part("file", Part::bytes(noise_png(400, 300)));
        let response = no_redirects()
            .post(format!("{}/app/profile/face", t.base))
            .header("Cookie", &cookie)
            .multipart(form)
            .send()
            .await
            .expect("send");
        (response.status().as_u16(), ())
    };
    assert_eq!(status, 403, "the form's token is checked");
}

#[tokio::test]
async fn my_feed_is_shown_and_a_reset_ends_the_old_address() {
    let t = TestApp::spawn().await;
    t.employee("feng", "13900000015").await;
    let cookie = t.app_cookie("feng").await;
    let (_, page) = t.app_get(&cookie, "profile").await;
    let old = feed_url(&page);
    let path = old.split_once("/calendar/").map(|(_, rest)| format!("/calendar/{rest}")).expect("a feed path");
    assert_eq!(t.http.get(format!("{}{path}", t.base)).send().await.expect("send").status(), 200);

    let csrf = csrf_of(&page);
    assert_eq!(t.app_post(&cookie, "profile/feed", &[("csrf", "forged")]).await.status(), 403);
    let reset = t.app_post(&cookie, "profile/feed", &[("csrf", &csrf)]).await;
    assert_eq!(reset.status(), 303);
    let (_, page) = t.app_get(&cookie, "profile?done=feed").await;
    let new = feed_url(&page);
    assert_ne!(new, old);
    assert_eq!(t.http.get(format!("{}{path}", t.base)).send().await.expect("send").status(), 404, "the old one");
    let new_path = new.split_once("/calendar/").map(|(_, rest)| format!("/calendar/{rest}")).expect("a feed path");
    let served = t.http.get(format!("{}{new_path}", t.base)).send().await.expect("send");
    assert_eq!(served.status(), 200);
    assert!(served.text().await.expect("text").starts_with("BEGIN:VCALENDAR"));
}

#[tokio::test]
async fn a_setup_link_from_the_api_works_once_and_leads_an_employee_to_the_app() {
    let t = TestApp::spawn().await;
    let id =
        t.ok("user/add", json!({"name": "新同事", "account": "xin"})).await["id"].as_str().expect("id").to_string();
    let link = t.ok("user/setupLink", json!({"userId": id})).await;
    let url = link["url"].as_str().expect("url").to_string();
    assert!(link["expiresTime"].as_i64().expect("expiry") > 0);
    let (status, page) = t.console_get("", &format!("setup?token={}", token_of(&url))).await;
    assert_eq!(status, 200);
    assert!(!page.contains("class=\"console\""), "no console frame for a person who is no admin");

    let form = [("token", token_of(&url)), ("password", "first-pass-1".to_string())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let set = t.console_post("", "setup", &form).await;
    assert_eq!(set.status(), 303);
    assert_eq!(set.headers()["location"], "/app/login?company=1000&login=xin&set=1");
    let (_, login) = t.app_get("", "login?company=1000&login=xin&set=1").await;
    assert!(login.contains("密码已设置") && login.contains("value=\"xin\""), "{login}");
    assert_eq!(t.app_login("1000", "xin", "first-pass-1").await.status(), 303);
    assert_eq!(t.console_post("", "setup", &form).await.status(), 410, "the link works once");

    let wrong = t.call("user/setupLink", json!({"userId": "nobody"})).await;
    assert_eq!(code(&wrong), 71009, "{wrong}");
}

#[tokio::test]
async fn an_admins_setup_link_offers_the_console_and_the_app() {
    let t = TestApp::spawn().await;
    let link = t.ok("user/setupLink", json!({"userId": "1"})).await;
    let token = token_of(link["url"].as_str().expect("url"));
    let set = t.console_post("", "setup", &[("token", &token), ("password", "admin-pass-1")]).await;
    assert_eq!(set.status(), 200);
    let page = set.text().await.expect("page");
    assert!(page.contains("action=\"/meeting/manage/login\""), "the console's sign-in");
    assert!(page.contains("href=\"/app/login?company=1000&#38;login=admin&#38;set=1\""), "and the app's: {page}");
}
