//! Our bodies against the seed's examples: the same keys with the same JSON types, plus
//! only the extensions docs/wire-compat.md lists.

use serde_json::{Value, json};

use crate::support::{TestApp, shape};

/// Compares the shape of `ours` with the seed's example; `extensions` are the keys we
/// add on purpose (at any depth).
fn assert_same_shape(ours: &Value, seed: &Value, extensions: &[&str], at: &str) {
    match (ours, seed) {
        (Value::Object(o), Value::Object(s)) => {
            for (k, sv) in s {
                let ov = o.get(k).unwrap_or_else(|| panic!("{at}.{k} is missing; ours: {ours}"));
                assert_same_shape(ov, sv, extensions, &format!("{at}.{k}"));
            }
            for k in o.keys().filter(|k| !s.contains_key(*k)) {
                assert!(extensions.contains(&k.as_str()), "{at}.{k} is not in the seed nor a listed extension");
            }
        }
        (Value::Array(o), Value::Array(s)) => {
            if let (Some(o), Some(s)) = (o.first(), s.first()) {
                assert_same_shape(o, s, extensions, &format!("{at}[0]"));
            }
        }
        _ => assert_eq!(shape(ours), shape(seed), "{at}: type differs ({ours} vs {seed})"),
    }
}

const SEED_TOKEN: &str = r#"{"success":true,"message":"","value":{"access_token":"da59e0b190b46c894483cf4a9dc2b1d0a3900d69","company_id":"1000","expires_in":7200},"code":10000,"fieldErrors":{}}"#;
const SEED_USER: &str = r#"{"success":true,"message":"","value":{"id":"1","name":"admin","account":"admin","phone":"1111111111","faceUrl":"","position":"","email":"1111111111@qq.com","status":1,"memo":"","createdTime":1618911351000,"departmentId":"","admin":false},"code":10000,"fieldErrors":{}}"#;
const SEED_DEPT: &str = r#"{"success":true,"message":"","value":{"id":"5CEF5F1E4C1D457A81F2DC12E7D8D780","name":"市场部","parentId":"","createdTime":1619158249427},"code":10000,"fieldErrors":{}}"#;
const SEED_ROOM: &str = r#"{"success":true,"message":"","value":{"id":"F5E14C46237D43FA8DA7981D3EBB3E9A","departmentId":"","name":"Postman会议室","address":"","memo":"","beginTime":"07:00","endTime":"23:00","capacity":0,"size":0,"longitude":0.000000,"latitude":0.000000,"radius":0,"status":1,"needAudit":0,"permission":0,"sceneImage":"","createdTime":1619162229722,"userIds":["1"]},"code":10000,"fieldErrors":{}}"#;
const SEED_MEETING: &str = r#"{"success":true,"message":"","value":{"id":"E2CD46893C1D427783EAAAABD471BE1D","roomId":"EF7103B3FB2644B1ADDC8CE910CAD84D","speaker":"张麻子","subject":"抢碉堡，杀黄四郎","beginTime":1619164800000,"endTime":1619166600000,"address":"","createdTime":1619169197552,"lastUpdateTime":1619169197552,"checkedState":1,"checkedTime":1619169197589,"memo":"","attendances":[{"id":"07FBF53BBFF54CA7A3B7B4D3223C09EB","userId":"5AA6083CF4204E63822794BFD31ADCC3","name":"彦祖","phone":"","email":"","faceUrl":"","isSigned":0,"signType":0,"signImgUrl":"","signTime":1619169197589}]},"code":10000,"fieldErrors":{}}"#;
const SEED_DONE: &str = r#"{"success":true,"message":"","code":10000,"fieldErrors":{}}"#;

fn seed(text: &str) -> Value {
    serde_json::from_str(text).expect("seed example parses")
}

async fn raw(t: &TestApp, path: &str, body: Value) -> Value {
    t.call(path, body).await
}

#[tokio::test]
async fn gettoken_matches_the_seed() {
    let t = TestApp::spawn().await;
    let url = format!("{}/meeting/api/oapi/gettoken?appkey={}&appsecret={}", t.base, t.appkey, t.appsecret);
    let body: Value = t.http.get(url).send().await.expect("send").json().await.expect("json");
    assert_same_shape(&body, &seed(SEED_TOKEN), &[], "token");
    assert_eq!(body["value"]["access_token"].as_str().map(str::len), Some(40));
    assert_eq!(body["value"]["company_id"], "1000");
}

#[tokio::test]
async fn users_match_the_seed_with_both_admin_flags() {
    let t = TestApp::spawn().await;
    let added = raw(&t, "user/add", json!({"name": "彦祖", "account": "yanzu", "email": "y@example.com"})).await;
    assert_same_shape(&added, &seed(SEED_USER), &["isAdmin"], "user/add");
    assert_eq!((added["value"]["admin"].clone(), added["value"]["isAdmin"].clone()), (json!(false), json!(false)));
    let got = raw(&t, "user/get", json!({"userId": "1"})).await;
    assert_same_shape(&got, &seed(SEED_USER), &["isAdmin"], "user/get");
    assert_eq!((got["value"]["admin"].clone(), got["value"]["isAdmin"].clone()), (json!(true), json!(true)));
    // What we send can be sent back: both flags together are accepted.
    let mut echo = added["value"].clone();
    echo["isAdmin"] = json!(true);
    echo["admin"] = json!(true);
    let echoed = raw(&t, "user/update", echo).await;
    assert_eq!((echoed["code"].clone(), echoed["value"]["isAdmin"].clone()), (json!(10000), json!(true)), "{echoed}");
    let list = raw(&t, "user/list", json!({})).await;
    assert_eq!(list["value"].as_array().map(Vec::len), Some(2));
    assert_eq!(raw(&t, "user/remove", json!({"userId": added["value"]["id"]})).await, seed(SEED_DONE));
}

#[tokio::test]
async fn departments_match_the_seed() {
    let t = TestApp::spawn().await;
    let added = raw(&t, "dept/add", json!({"name": "市场部"})).await;
    assert_same_shape(&added, &seed(SEED_DEPT), &[], "dept/add");
    let id = added["value"]["id"].clone();
    let child = t.ok("dept/add", json!({"name": "安卓部", "parentId": id})).await;
    assert_eq!(child["parentId"], id);
    let got = raw(&t, "dept/get", json!({"deptId": child["id"]})).await;
    assert_same_shape(&got, &seed(SEED_DEPT), &[], "dept/get");
    assert_eq!(raw(&t, "dept/remove", json!({"deptId": child["id"]})).await, seed(SEED_DONE));
}

#[tokio::test]
async fn rooms_match_the_seed() {
    let t = TestApp::spawn().await;
    let added = raw(&t, "room/add", json!({"name": "Postman会议室", "userIds": ["1"], "longitude": 113.307039})).await;
    assert_same_shape(&added, &seed(SEED_ROOM), &["buildingId", "floorName", "timeZone"], "room/add");
    let v = &added["value"];
    assert_eq!(
        (v["beginTime"].clone(), v["endTime"].clone(), v["longitude"].clone()),
        (json!("07:00"), json!("23:00"), json!(113.307039))
    );
    let updated = raw(&t, "room/update", json!({"id": v["id"], "name": "Postman会议室-修改", "needAudit": 1})).await;
    assert_same_shape(&updated, &seed(SEED_ROOM), &["buildingId", "floorName", "timeZone"], "room/update");
    assert_eq!((updated["value"]["needAudit"].clone(), updated["value"]["userIds"].clone()), (json!(1), json!(["1"])));
}

#[tokio::test]
async fn meetings_match_the_seed_with_status_and_booker() {
    let t = TestApp::spawn().await;
    let room = t.room(json!({"address": "广东省广州市花都区机场大道"})).await;
    let booked = raw(&t, "meeting/book", t.booking(&room, 9, 10)).await;
    assert_same_shape(
        &booked,
        &seed(SEED_MEETING),
        &["status", "createdId", "timeZone", "seriesId", "recurrence", "reason"],
        "meeting/book",
    );
    let v = &booked["value"];
    assert_eq!(v["address"], "广东省广州市花都区机场大道", "the room's address by default");
    assert_eq!(
        (v["status"].clone(), v["createdId"].clone(), v["checkedState"].clone()),
        (json!(0), json!("1"), json!(1))
    );
    let got = raw(&t, "meeting/get", json!({"meetingId": v["id"]})).await;
    assert_same_shape(
        &got,
        &seed(SEED_MEETING),
        &["status", "createdId", "timeZone", "seriesId", "recurrence", "reason"],
        "meeting/get",
    );
    assert_eq!(got["value"], booked["value"]);
    let list = raw(&t, "meeting/list", json!({})).await;
    assert_eq!(list["value"][0]["id"], v["id"]);
    assert_eq!(raw(&t, "meeting/cancel", json!({"meetingId": v["id"]})).await, seed(SEED_DONE));
}
