//! Every bad input answers the envelope with the right code, never a 500 or HTML.

use roomd_core::CompanyId;
use serde_json::{Value, json};

use crate::support::{HOUR, TestApp};

fn code(v: &Value) -> i64 {
    v["code"].as_i64().unwrap_or_else(|| panic!("no code in {v}"))
}

#[tokio::test]
async fn token_problems_answer_71002_71003_71004_and_71023() {
    let t = TestApp::spawn().await;
    let url = format!("{}/meeting/api/open/user/list", t.base);
    let missing: Value = t.http.post(&url).send().await.expect("send").json().await.expect("json");
    assert_eq!(missing, json!({"success": false, "message": "Lack access token", "code": 71002, "fieldErrors": {}}));
    assert_eq!(code(&t.call_as("bogus", "user/list", json!({})).await), 71003);
    let bad = format!("{}/meeting/api/oapi/gettoken?appkey={}&appsecret=nope", t.base, t.appkey);
    let bad: Value = t.http.get(bad).send().await.expect("send").json().await.expect("json");
    assert_eq!((code(&bad), bad["message"].clone()), (71023, json!("Invalid appkey or appsecret")));
    let lacking: Value = t
        .http
        .get(format!("{}/meeting/api/oapi/gettoken", t.base))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!((code(&lacking), lacking["message"].clone()), (71005, json!("Lack appkey arguments")));
    t.clock.advance(2 * HOUR + 1);
    assert_eq!(code(&t.call("user/list", json!({})).await), 71004);
}

#[tokio::test]
async fn malformed_bodies_answer_71001_71005_71008() {
    let t = TestApp::spawn().await;
    let lack = t.call("user/add", json!({"account": "zs"})).await;
    assert_eq!(
        lack,
        json!({"success": false, "message": "Lack name arguments", "code": 71005, "fieldErrors": {"name": "required"}})
    );
    assert_eq!(code(&t.call("user/add", json!({"account": "zs", "name": "  "})).await), 71005);
    let typed = t.call("meeting/book", json!({"roomId": "x", "beginTime": "abc"})).await;
    assert_eq!(code(&typed), 71008);
    assert!(typed["fieldErrors"]["beginTime"].is_string(), "{typed}");
    let nested = t.call("meeting/book", json!({"attendances": [{"userId": 5}]})).await;
    assert_eq!((code(&nested), nested["fieldErrors"]["attendances[0].userId"].is_string()), (71008, true), "{nested}");
    let url = format!("{}/meeting/api/open/user/add?access_token={}", t.base, t.token);
    for body in ["{\"name\":", "[1,2]", "{} trailing"] {
        let response = t.http.post(&url).body(body).send().await.expect("send");
        assert_eq!(response.status(), 200);
        let v: Value = response.json().await.expect("json");
        assert_eq!(code(&v), 71001, "{body} → {v}");
    }
    assert_eq!(code(&t.call("room/add", json!({"name": "r", "beginTime": "7am"})).await), 71001);
    assert_eq!(code(&t.call("room/add", json!({"name": "r", "latitude": 95.0})).await), 71001);
    assert_eq!(code(&t.call("user/add", json!({"name": "n", "account": "a", "id": "a b"})).await), 71001);
}

#[tokio::test]
async fn unknown_paths_wrong_methods_and_huge_bodies_stay_in_the_envelope() {
    let t = TestApp::spawn().await;
    let unknown =
        t.http.post(format!("{}/meeting/api/open/nope?access_token={}", t.base, t.token)).send().await.expect("send");
    assert_eq!(unknown.status(), 200);
    assert_eq!(code(&unknown.json().await.expect("json")), 71001);
    let outside = t.http.get(format!("{}/nope", t.base)).send().await.expect("send");
    assert_eq!(outside.status(), 404);
    assert_eq!(code(&outside.json().await.expect("json")), 71001);
    let wrong = t
        .http
        .get(format!("{}/meeting/api/open/user/list?access_token={}", t.base, t.token))
        .send()
        .await
        .expect("send");
    assert_eq!(wrong.headers()["content-type"], "application/json");
    let wrong: Value = wrong.json().await.expect("json");
    assert_eq!((code(&wrong), wrong["fieldErrors"]["method"].is_string()), (71001, true));
    let huge = format!("{{\"name\":\"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let url = format!("{}/meeting/api/open/user/add?access_token={}", t.base, t.token);
    let response = t.http.post(url).body(huge).send().await.expect("send");
    let v: Value = response.json().await.expect("json");
    assert_eq!(code(&v), 71001, "{v}");
    assert_eq!(t.ok("user/list", json!({})).await.as_array().map(Vec::len), Some(1), "nothing was written");
}

#[tokio::test]
async fn unknown_ids_answer_71009_to_71013() {
    let t = TestApp::spawn().await;
    assert_eq!(code(&t.call("user/get", json!({"userId": "ghost"})).await), 71009);
    assert_eq!(code(&t.call("dept/get", json!({"deptId": "ghost"})).await), 71010);
    assert_eq!(code(&t.call("room/get", json!({"roomId": "ghost"})).await), 71011);
    assert_eq!(code(&t.call("meeting/get", json!({"meetingId": "ghost"})).await), 71012);
    assert_eq!(code(&t.call("user/add", json!({"name": "n", "account": "a", "departmentId": "ghost"})).await), 71010);
    let room = t.room(json!({})).await;
    let mut by_ghost = t.booking(&room, 9, 10);
    by_ghost["createdId"] = json!("ghost");
    assert_eq!(code(&t.call("meeting/book", by_ghost).await), 71009);
    let m = t.ok("meeting/book", t.booking(&room, 9, 10)).await;
    let bad_attendance = json!({"id": m["id"], "attendances": [{"id": "ghost", "userId": "1"}]});
    assert_eq!(code(&t.call("meeting/update", bad_attendance).await), 71013);
    let mut alone = t.booking(&room, 11, 12);
    alone["attendances"] = json!([]);
    let alone = t.ok("meeting/book", alone).await;
    let ghost = json!({"id": alone["id"], "attendances": [{"id": "ghost", "userId": "1"}]});
    assert_eq!(code(&t.call("meeting/update", ghost).await), 71013, "also when nobody attended yet");
}

#[tokio::test]
async fn uniqueness_answers_71006_71007_71016() {
    let t = TestApp::spawn().await;
    t.ok("user/add", json!({"name": "n", "account": "zs", "phone": "110", "email": "zs@example.com"})).await;
    assert_eq!(code(&t.call("user/add", json!({"name": "n", "account": "zs"})).await), 71006);
    assert_eq!(code(&t.call("user/add", json!({"name": "n", "account": "ls", "phone": "110"})).await), 71007);
    assert_eq!(
        code(&t.call("user/add", json!({"name": "n", "account": "ls", "email": "zs@example.com"})).await),
        71016
    );
    assert_eq!(code(&t.call("user/add", json!({"name": "n", "account": "ls", "id": "1"})).await), 71001);
}

#[tokio::test]
async fn booking_rules_answer_71014_71015_71017_71018_71019() {
    let t = TestApp::spawn().await;
    let room = t.room(json!({})).await;
    let m = t.ok("meeting/book", t.booking(&room, 9, 10)).await;
    assert_eq!(code(&t.call("meeting/book", t.booking(&room, 9, 11)).await), 71014);
    assert_eq!(code(&t.call("meeting/finish", json!({"meetingId": m["id"]})).await), 71015);
    assert_eq!(code(&t.call("meeting/book", t.booking(&room, 6, 8)).await), 71019);
    assert_eq!(code(&t.call("meeting/book", t.booking(&room, 22, 24)).await), 71019);
    let off = t.room(json!({"status": 0})).await;
    assert_eq!(code(&t.call("meeting/book", t.booking(&off, 9, 10)).await), 71018);
    let someone = t.user("someone").await;
    let closed = t.room(json!({"permission": 1, "userIds": ["1"]})).await;
    let mut by_someone = t.booking(&closed, 9, 10);
    by_someone["createdId"] = json!(someone);
    assert_eq!(code(&t.call("meeting/book", by_someone).await), 71017);
    // A disabled user books nothing, even in an open room; enabled again, they can.
    t.ok("user/update", json!({"id": someone, "status": 0})).await;
    let mut disabled = t.booking(&room, 14, 15);
    disabled["createdId"] = json!(someone);
    assert_eq!(code(&t.call("meeting/book", disabled.clone()).await), 71017);
    t.ok("user/update", json!({"id": someone, "status": 1})).await;
    t.ok("meeting/book", disabled).await;
    let mut backwards = t.booking(&room, 12, 11);
    backwards["id"] = json!("x");
    assert_eq!(code(&t.call("meeting/book", backwards).await), 71001);
    assert_eq!(code(&t.call("room/remove", json!({"roomId": room})).await), 71026);
}

#[tokio::test]
async fn one_companys_token_cannot_reach_another_companys_rows() {
    let t = TestApp::spawn().await;
    let room = t.room(json!({})).await;
    let m = t.ok("meeting/book", t.booking(&room, 9, 10)).await;
    let other =
        t.store.create_company(Some(CompanyId::from_stored("2000".into())), "other".into()).await.expect("company");
    let app = t.store.create_app(other).await.expect("app");
    let theirs = t.token_for(&app.appkey, &app.appsecret).await;
    assert_eq!(code(&t.call_as(&theirs, "room/get", json!({"roomId": room})).await), 71011);
    assert_eq!(code(&t.call_as(&theirs, "meeting/cancel", json!({"meetingId": m["id"]})).await), 71012);
    assert_eq!(code(&t.call_as(&theirs, "user/get", json!({"userId": "1"})).await), 71009);
    assert_eq!(t.call_as(&theirs, "room/list", json!({})).await["value"], json!([]));
    assert_eq!(t.ok("meeting/get", json!({"meetingId": m["id"]})).await["status"], 0, "untouched");
}
