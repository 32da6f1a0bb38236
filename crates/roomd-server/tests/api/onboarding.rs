//! The scan-to-register page over real HTTP, and the registrations it makes: at once, or
//! pending until an admin approves; duplicates explained on the form with everything
//! typed kept; a deactivated code refused.

use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::events::{Receiver, subscribe};
use crate::feishu::{define_dimensions, feishu, seed_request, tenant_token};
use crate::resources::noise_png;
use crate::support::TestApp;

/// A new code's scan page path (`/onboarding/scan?signKey=…`) and its id.
async fn new_code(t: &TestApp) -> (String, String) {
    let token = tenant_token(t).await;
    let dept = define_dimensions(t).await;
    let (_, answer) = feishu(t, Some(&token), "corehr/v2/onboarding_qr_codes", seed_request(&dept)).await;
    let code = &answer["data"]["qr_code"];
    let url = code["url"].as_str().expect("url").trim_start_matches("http://roomd.test").to_string();
    (url, code["id"].as_str().expect("id").to_string())
}

fn form(account: &str, face: Option<Vec<u8>>) -> Form {
    let form = Form::new()
        .text("name", "新同事")
        .text("account", account.to_string())
        .text("phone", format!("1380000{:04}", account.len()))
        .text("email", format!("{account}@example.com"))
        .text("password", "s3cret-pass");
    match face {
        Some(bytes) => form.part("face", Part::bytes(bytes).file_name("me.png")),
        None => form,
    }
}

async fn submit(t: &TestApp, page: &str, form: Form) -> (u16, String) {
    let response = t.http.post(format!("{}{page}&lang=en_us", t.base)).multipart(form).send().await.expect("send");
    (response.status().as_u16(), response.text().await.expect("html"))
}

async fn user_by_account(t: &TestApp, account: &str) -> Option<Value> {
    let users = t.ok("user/list", json!({})).await;
    users.as_array().expect("list").iter().find(|u| u["account"] == account).cloned()
}

#[tokio::test]
async fn the_page_shows_the_company_and_presets_and_registers_a_user() {
    let t = TestApp::spawn().await;
    let (page, code_id) = new_code(&t).await;
    let html = t.http.get(format!("{}{page}", t.base)).send().await.expect("send");
    assert_eq!(html.status(), 200);
    let html = html.text().await.expect("text");
    assert!(html.contains("扫码入职") && html.contains("研发部") && html.contains("甲, 乙"), "{html}");
    assert!(html.contains("<label for=\"account\">"), "inputs are labelled");
    let en = t.http.get(format!("{}{page}&lang=en_us", t.base)).send().await.expect("send").text().await.expect("text");
    assert!(en.contains("Scan to onboard") && en.contains("multi_select_field") && en.contains("A, B"), "{en}");

    let (status, html) = submit(&t, &page, form("newbie", Some(noise_png(400, 400)))).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("You are registered"), "{html}");
    let user = user_by_account(&t, "newbie").await.expect("the user exists");
    let dept = t.ok("dept/list", json!({})).await[0]["id"].clone();
    assert_eq!(user["departmentId"], dept, "in the preset department");
    assert!(user["faceUrl"].as_str().expect("face").starts_with("http://roomd.test/meeting/api/opt/resources/1000/"));
    let values = user["dimensionValues"].as_array().expect("values kept on the record");
    assert_eq!(values.len(), 4);
    assert_eq!(values[3], json!({"apiName": "bool_field__c", "value": {"bool_value": true}}));
    let got = t.ok("user/get", json!({"userId": user["id"]})).await;
    assert_eq!(got["dimensionValues"], user["dimensionValues"]);

    let regs = t.ok("onboarding/registration/list", json!({"qrCodeId": code_id})).await;
    assert_eq!(regs[0]["state"], 1);
    assert_eq!(regs[0]["userId"], user["id"]);
    assert_eq!(t.ok("onboarding/qrcode/get", json!({"id": code_id})).await["registrations"], 1);
}

#[tokio::test]
async fn errors_are_explained_on_the_form_and_nothing_typed_is_lost() {
    let t = TestApp::spawn().await;
    let (page, _) = new_code(&t).await;
    // No photo, a short password, a bad email.
    let bad = Form::new()
        .text("name", "小王")
        .text("account", "wang")
        .text("phone", "13800001111")
        .text("email", "not-an-email")
        .text("password", "short");
    let (status, html) = submit(&t, &page, bad).await;
    assert_eq!(status, 422);
    for kept in ["value=\"小王\"", "value=\"wang\"", "value=\"13800001111\"", "value=\"not-an-email\""] {
        assert!(html.contains(kept), "{kept} kept: {html}");
    }
    assert!(!html.contains("value=\"short\""), "a password is never sent back");
    for field in ["email", "password", "face"] {
        assert!(html.contains(&format!("id=\"{field}-error\"")), "{field} explained: {html}");
    }
    // A photo that is too small is refused like updateFace refuses it.
    let (status, html) = submit(&t, &page, form("wang", Some(noise_png(50, 50)))).await;
    assert_eq!(status, 422);
    assert!(html.contains("smaller than 200 KB"), "{html}");

    // A good photo with a taken account: the photo is kept for the next try.
    t.user("taken").await;
    let (status, html) = submit(&t, &page, form("taken", Some(noise_png(400, 400)))).await;
    assert_eq!(status, 422);
    assert!(html.contains("this account is already registered"), "{html}");
    let kept = html.split("name=\"keptFace\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("photo kept");
    let retry = form("taken2", None).text("keptFace", kept.to_string());
    let (status, html) = submit(&t, &page, retry).await;
    assert_eq!(status, 200, "{html}");
    assert!(!user_by_account(&t, "taken2").await.expect("created")["faceUrl"].as_str().expect("url").is_empty());
}

#[tokio::test]
async fn with_approval_a_registration_waits_and_an_admin_decides() {
    let t = TestApp::spawn().await;
    let (page, _) = new_code(&t).await;
    t.ok("onboarding/settings/save", json!({"needApproval": true})).await;
    assert_eq!(t.ok("onboarding/settings/get", json!({})).await["needApproval"], true);

    let (status, html) = submit(&t, &page, form("pending1", Some(noise_png(400, 400)))).await;
    assert_eq!(status, 200);
    assert!(html.contains("waiting for approval"), "{html}");
    assert!(user_by_account(&t, "pending1").await.is_none(), "no user before approval");
    // The account is reserved while the registration waits.
    let (status, html) = submit(&t, &page, form("pending1", Some(noise_png(400, 400)))).await;
    assert_eq!(status, 422, "{html}");
    let (_, _) = submit(&t, &page, form("pending22", Some(noise_png(400, 400)))).await;

    let pending = t.ok("onboarding/registration/list", json!({"state": 0})).await;
    assert_eq!(pending.as_array().expect("list").len(), 2);
    let id_of = |account: &str| {
        pending.as_array().expect("list").iter().find(|r| r["account"] == account).expect("listed")["id"].clone()
    };
    let (first, second) = (id_of("pending1"), id_of("pending22"));
    let approved = t.ok("onboarding/registration/approve", json!({"id": first})).await;
    assert_eq!(approved["state"], 1);
    let user = user_by_account(&t, "pending1").await.expect("created on approval");
    assert_eq!(approved["userId"], user["id"]);
    let rejected = t.ok("onboarding/registration/reject", json!({"id": second, "reason": "duplicate"})).await;
    assert_eq!((rejected["state"].clone(), rejected["reason"].clone()), (json!(2), json!("duplicate")));
    assert!(user_by_account(&t, "pending22").await.is_none());

    assert_eq!(t.call("onboarding/registration/approve", json!({"id": first})).await["code"], 71029);
    assert_eq!(t.call("onboarding/registration/approve", json!({"id": "404"})).await["code"], 71028);
    assert_eq!(t.call("onboarding/registration/approve", json!({})).await["code"], 71005);
    assert_eq!(t.call("onboarding/registration/list", json!({"state": 7})).await["code"], 71001);
    assert_eq!(t.call("onboarding/registration/list", json!({"qrCodeId": "404"})).await["code"], 71027);
}

#[tokio::test]
async fn a_deactivated_code_shows_a_clear_page_and_registers_nobody() {
    let t = TestApp::spawn().await;
    let (page, id) = new_code(&t).await;
    let code = t.ok("onboarding/qrcode/deactivate", json!({"id": id})).await;
    assert_eq!(code["active"], false);
    let response = t.http.get(format!("{}{page}&lang=en_us", t.base)).send().await.expect("send");
    assert_eq!(response.status(), 410);
    assert!(response.text().await.expect("text").contains("This QR code is deactivated"));
    let (status, _) = submit(&t, &page, form("late", Some(noise_png(400, 400)))).await;
    assert_eq!(status, 410);
    assert!(user_by_account(&t, "late").await.is_none());
    assert_eq!(t.ok("onboarding/qrcode/activate", json!({"id": id})).await["active"], true);
    let missing = t.http.get(format!("{}/onboarding/scan?signKey=nope", t.base)).send().await.expect("send");
    assert_eq!(missing.status(), 404);
    assert_eq!(t.call("onboarding/qrcode/deactivate", json!({"id": "nope"})).await["code"], 71027);
}

#[tokio::test]
async fn dimension_save_refuses_bad_definitions_field_by_field() {
    let t = TestApp::spawn().await;
    let bad = json!({"dimensions": [
        {"apiName": "bad name", "displayName": {"zh_cn": "x"}, "type": 1, "options": [{"value": "a"}]},
        {"apiName": "department", "displayName": {"zh_cn": "部门"}, "type": 2},
        {"apiName": "flag", "displayName": {}, "type": 3, "options": [{"value": "a"}]},
        {"apiName": "pick", "displayName": {"en_us": "Pick"}, "type": 1}
    ]});
    let answer = t.call("onboarding/dimension/save", bad).await;
    assert_eq!(answer["code"], 71001, "{answer}");
    for field in [
        "dimensions[0].apiName",
        "dimensions[1].type",
        "dimensions[2].displayName",
        "dimensions[2].options",
        "dimensions[3].options",
    ] {
        assert!(answer["fieldErrors"][field].is_string(), "{field}: {answer}");
    }
    assert_eq!(
        t.call("onboarding/dimension/save", json!({"dimensions": [{"apiName": "x", "type": 9}]})).await["code"],
        71001
    );
    assert_eq!(t.call("onboarding/dimension/save", json!({})).await["code"], 71005);
    assert!(t.ok("onboarding/dimension/list", json!({})).await.as_array().expect("list").is_empty());
}

#[tokio::test]
async fn an_approved_registration_is_pushed_as_user_add() {
    let t = TestApp::spawn().await;
    let (page, _) = new_code(&t).await;
    let receiver = Receiver::start().await;
    subscribe(&t, &receiver).await;
    t.ok("onboarding/settings/save", json!({"needApproval": true})).await;
    let (status, _) = submit(&t, &page, form("evented", Some(noise_png(400, 400)))).await;
    assert_eq!(status, 200);
    let pending = t.ok("onboarding/registration/list", json!({"state": 0})).await;
    t.ok("onboarding/registration/approve", json!({"id": pending[0]["id"]})).await;
    let events = receiver.wait_for(1).await;
    assert_eq!(events.len(), 1, "nothing is pushed while the registration waits: {events:?}");
    assert_eq!(events[0]["event_type"], "user_add");
    assert_eq!(events[0]["value"][0]["account"], "evented");
    assert_eq!(events[0]["value"][0]["dimensionValues"].as_array().map(Vec::len), Some(4));
}
