//! The Feishu dialect over real HTTP: the tenant token, and creating onboarding QR codes
//! (`POST /open-apis/corehr/v2/onboarding_qr_codes`) with every rule of the seed.

use serde_json::{Value, json};

use crate::support::{NOW, TestApp};

/// Answers `(HTTP status, body)`.
pub async fn feishu(t: &TestApp, token: Option<&str>, path: &str, body: Value) -> (u16, Value) {
    let mut request = t.http.post(format!("{}/open-apis/{path}", t.base)).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("send");
    let status = response.status().as_u16();
    (status, response.json().await.expect("json"))
}

pub async fn tenant_token(t: &TestApp) -> String {
    let body = json!({"app_id": t.appkey, "app_secret": t.appsecret});
    let (status, answer) = feishu(t, None, "auth/v3/tenant_access_token/internal", body).await;
    assert_eq!(status, 200, "{answer}");
    answer["tenant_access_token"].as_str().expect("token").to_string()
}

/// The company's dimensions: both built-ins and the seed's two custom kinds. Returns
/// the department's id.
pub async fn define_dimensions(t: &TestApp) -> String {
    let dept = t.ok("dept/add", json!({"name": "研发部"})).await["id"].as_str().expect("id").to_string();
    let dims = json!({"dimensions": [
        {"apiName": "company", "displayName": {"zh_cn": "公司", "en_us": "Company"}, "type": 1},
        {"apiName": "department", "displayName": {"zh_cn": "部门", "en_us": "Department"}, "type": 1},
        {"apiName": "multi_select_field__c", "displayName": {"zh_cn": "多选字段", "en_us": "multi_select_field"}, "type": 2,
         "options": [{"value": "7147562782945478177", "name": {"zh_cn": "甲", "en_us": "A"}},
                     {"value": "7147562782945478190", "name": {"zh_cn": "乙", "en_us": "B"}}]},
        {"apiName": "bool_field__c", "displayName": {"zh_cn": "布尔字段", "en_us": "bool_field"}, "type": 3}
    ]});
    let saved = t.ok("onboarding/dimension/save", dims).await;
    assert_eq!(saved.as_array().expect("list").len(), 4);
    assert_eq!(saved[1]["options"][0]["value"], dept.as_str(), "department options are the directory's");
    assert_eq!(saved[0]["options"][0]["value"], "1000");
    dept
}

pub fn seed_request(dept: &str) -> Value {
    json!({"dimension_value_list": [
        {"dimension": {"api_name": "company"}, "value": {"select_value": "1000"}},
        {"dimension": {"api_name": "department"}, "value": {"select_value": dept}},
        {"dimension": {"api_name": "multi_select_field__c"},
         "value": {"multi_select_value": ["7147562782945478177", "7147562782945478190"]}},
        {"dimension": {"api_name": "bool_field__c"}, "value": {"bool_value": true}}
    ]})
}

#[tokio::test]
async fn the_tenant_token_follows_the_h5_rules_and_errors_are_feishu_shaped() {
    let t = TestApp::spawn().await;
    let body = json!({"app_id": t.appkey, "app_secret": t.appsecret});
    let (status, first) = feishu(&t, None, "auth/v3/tenant_access_token/internal", body.clone()).await;
    assert_eq!(status, 200);
    assert_eq!(first["code"], 0);
    assert_eq!(first["msg"], "ok");
    assert_eq!(first["expire"], 7200);
    let token = first["tenant_access_token"].as_str().expect("token");
    assert!(token.starts_with("t-") && token.len() == 42, "{token}");
    let (_, again) = feishu(&t, None, "auth/v3/tenant_access_token/internal", body).await;
    assert_eq!(again["tenant_access_token"], token, "reused while more than 30 minutes are left");

    let wrong = json!({"app_id": t.appkey, "app_secret": "0".repeat(40)});
    let (status, answer) = feishu(&t, None, "auth/v3/tenant_access_token/internal", wrong).await;
    assert_eq!((status, answer["code"].clone()), (400, json!(10014)));
    let (status, answer) = feishu(&t, None, "auth/v3/tenant_access_token/internal", json!({"app_secret": "x"})).await;
    assert_eq!((status, answer["code"].clone()), (400, json!(10003)));
    assert_eq!(answer["error"]["field_violations"][0]["field"], "app_id");

    let (status, answer) = feishu(&t, None, "corehr/v2/onboarding_qr_codes/dimension", json!({})).await;
    assert_eq!((status, answer["code"].clone()), (401, json!(99991661)));
    let (status, answer) = feishu(&t, Some("t-nope"), "corehr/v2/onboarding_qr_codes/dimension", json!({})).await;
    assert_eq!((status, answer["code"].clone()), (401, json!(99991663)));
    let (status, answer) = feishu(&t, Some(token), "corehr/v2/no_such_thing", json!({})).await;
    assert_eq!((status, answer["code"].clone()), (404, json!(99991672)));
}

#[tokio::test]
async fn creating_a_code_answers_every_field_of_the_seed() {
    let t = TestApp::spawn().await;
    let token = tenant_token(&t).await;
    let dept = define_dimensions(&t).await;
    let (status, dims) = feishu(&t, Some(&token), "corehr/v2/onboarding_qr_codes/dimension", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(
        dims["data"]["dimension_list"][2],
        json!({"api_name": "multi_select_field__c", "display_name": {"zh_cn": "多选字段", "en_us": "multi_select_field"}, "type": 2})
    );

    let (status, answer) = feishu(&t, Some(&token), "corehr/v2/onboarding_qr_codes", seed_request(&dept)).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!((answer["code"].clone(), answer["msg"].clone()), (json!(0), json!("success")));
    let code = &answer["data"]["qr_code"];
    let id = code["id"].as_str().expect("id");
    assert!(id.len() >= 16 && id.chars().all(|c| c.is_ascii_digit()), "{id}");
    let url = code["url"].as_str().expect("url");
    let key = url.strip_prefix("http://roomd.test/onboarding/scan?signKey=").expect("scan link");
    assert_eq!(code["png"], format!("http://roomd.test/onboarding/scan_code/png?scan_code={key}"));
    assert_eq!(code["active"], true);
    assert_eq!(code["created_by"], t.appkey.as_str());
    assert_eq!(code["updated_by"], t.appkey.as_str());
    assert_eq!(code["created_at"], NOW / 1000, "integer seconds");
    assert_eq!(code["updated_at"], NOW / 1000);
    let values = &code["dimension_value_list"];
    assert_eq!(values.as_array().expect("list").len(), 4);
    assert_eq!(
        values[2],
        json!({"dimension": {"api_name": "multi_select_field__c",
                             "display_name": {"zh_cn": "多选字段", "en_us": "multi_select_field"}, "type": 2},
               "value": {"multi_select_value": ["7147562782945478177", "7147562782945478190"]}})
    );
    assert_eq!(values[3]["value"], json!({"bool_value": true}));
    assert_eq!(values[1]["value"], json!({"select_value": dept}));

    let listed = t.ok("onboarding/qrcode/list", json!({})).await;
    assert_eq!(listed[0]["id"], id);
    assert_eq!(listed[0]["url"], url);
}

#[tokio::test]
async fn bad_values_answer_1161001_naming_each_field_and_no_dimensions_1161002() {
    let t = TestApp::spawn().await;
    let token = tenant_token(&t).await;
    let path = "corehr/v2/onboarding_qr_codes";
    let (status, answer) = feishu(&t, Some(&token), path, seed_request("x")).await;
    assert_eq!((status, answer["code"].clone()), (400, json!(1161002)), "{answer}");

    let dept = define_dimensions(&t).await;
    let one =
        |dim: &str, value: Value| json!({"dimension_value_list": [{"dimension": {"api_name": dim}, "value": value}]});
    let cases = [
        (json!({}), "dimension_value_list"),
        (json!({"dimension_value_list": []}), "dimension_value_list"),
        (json!({"dimension_value_list": "company"}), "dimension_value_list"),
        (one("nope", json!({"select_value": "1"})), "dimension_value_list[0].dimension.api_name"),
        (
            json!({"dimension_value_list": [{"value": {"bool_value": true}}]}),
            "dimension_value_list[0].dimension.api_name",
        ),
        (one("company", json!({"select_value": "999"})), "dimension_value_list[0].value.select_value"),
        (one("company", json!({"bool_value": true})), "dimension_value_list[0].value.select_value"),
        (
            one("company", json!({"select_value": "1000", "bool_value": true})),
            "dimension_value_list[0].value.select_value",
        ),
        (one("bool_field__c", json!({"select_value": "1"})), "dimension_value_list[0].value.bool_value"),
        (one("bool_field__c", json!({"bool_value": "yes"})), "dimension_value_list[0].value.bool_value"),
        (
            one("multi_select_field__c", json!({"multi_select_value": []})),
            "dimension_value_list[0].value.multi_select_value",
        ),
        (
            one("multi_select_field__c", json!({"multi_select_value": ["nope"]})),
            "dimension_value_list[0].value.multi_select_value",
        ),
        (one("department", json!({"select_value": format!("{dept}x")})), "dimension_value_list[0].value.select_value"),
    ];
    for (body, field) in cases {
        let (status, answer) = feishu(&t, Some(&token), path, body.clone()).await;
        assert_eq!((status, answer["code"].clone()), (400, json!(1161001)), "{body} → {answer}");
        assert_eq!(answer["msg"], "参数无效");
        let violations = answer["error"]["field_violations"].as_array().expect("violations");
        assert!(violations.iter().any(|v| v["field"] == field), "{body}: wants {field}, got {answer}");
        assert!(violations.iter().all(|v| !v["description"].as_str().unwrap_or_default().is_empty()));
    }
    let twice = json!({"dimension_value_list": [
        {"dimension": {"api_name": "bool_field__c"}, "value": {"bool_value": true}},
        {"dimension": {"api_name": "bool_field__c"}, "value": {"bool_value": false}}]});
    let (status, answer) = feishu(&t, Some(&token), path, twice).await;
    assert_eq!(
        (status, answer["error"]["field_violations"][0]["field"].clone()),
        (400, json!("dimension_value_list[1].dimension.api_name"))
    );
    assert!(
        t.ok("onboarding/qrcode/list", json!({})).await.as_array().expect("list").is_empty(),
        "nothing was created"
    );
}

#[tokio::test]
async fn the_101st_code_in_a_minute_is_refused_with_429() {
    let t = TestApp::spawn().await;
    let token = tenant_token(&t).await;
    let dept = define_dimensions(&t).await;
    // 105 at once: the allowance is counted as each arrives, before any work, so the
    // 100 that fit are answered and the rest refused however long the work takes (a
    // code more may fit if the machine is slow enough for the allowance to refill).
    let calls = (0..105).map(|_| feishu(&t, Some(&token), "corehr/v2/onboarding_qr_codes", seed_request(&dept)));
    let answers = futures::future::join_all(calls).await;
    let made = answers.iter().filter(|(status, _)| *status == 200).count();
    let refused: Vec<_> = answers.iter().filter(|(status, _)| *status == 429).collect();
    assert!((100..=101).contains(&made), "{made} made");
    assert_eq!(made + refused.len(), 105);
    assert!(refused.iter().all(|(_, answer)| answer["code"] == json!(99991400)), "{refused:?}");
    // Another company has its own allowance.
    let other = t.store.create_company(None, "Other".into()).await.expect("company");
    let cred = t.store.create_app(other).await.expect("app");
    let body = json!({"app_id": cred.appkey, "app_secret": cred.appsecret});
    let (_, issued) = feishu(&t, None, "auth/v3/tenant_access_token/internal", body).await;
    let theirs = issued["tenant_access_token"].as_str().expect("token");
    let (status, answer) = feishu(&t, Some(theirs), "corehr/v2/onboarding_qr_codes", seed_request(&dept)).await;
    assert_eq!((status, answer["code"].clone()), (400, json!(1161002)), "{answer}");
}

#[tokio::test]
async fn the_png_decodes_to_the_url_in_every_language() {
    let t = TestApp::spawn().await;
    let token = tenant_token(&t).await;
    let dept = define_dimensions(&t).await;
    let (_, answer) = feishu(&t, Some(&token), "corehr/v2/onboarding_qr_codes", seed_request(&dept)).await;
    let code = &answer["data"]["qr_code"];
    let png = code["png"].as_str().expect("png").replace("http://roomd.test", &t.base);
    for suffix in ["", "&lang=zh_cn", "&lang=en_us"] {
        let response = t.http.get(format!("{png}{suffix}")).send().await.expect("send");
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "image/png");
        let bytes = response.bytes().await.expect("bytes");
        let img = image::load_from_memory(&bytes).expect("a PNG").to_luma8();
        assert!(img.width() >= 300, "big enough to print: {}", img.width());
        let mut prepared = rqrr::PreparedImage::prepare(img);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1);
        let (meta, content) = grids[0].decode().expect("decodes");
        assert_eq!(content, code["url"].as_str().expect("url"), "{suffix}");
        assert_eq!(meta.ecc_level, 3, "error correction level Q");
    }
    let response =
        t.http.get(format!("{}/onboarding/scan_code/png?scan_code=nope", t.base)).send().await.expect("send");
    assert_eq!(response.status(), 404);
}
