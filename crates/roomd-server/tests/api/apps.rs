//! App credentials through the API: create (secret shown once), list, revoke (rotation),
//! never the last one.

use serde_json::json;

use crate::support::TestApp;

#[tokio::test]
async fn credentials_rotate_and_a_revoked_one_stops_working() {
    let mut t = TestApp::spawn().await;
    let old_token = t.token.clone();
    let made = t.ok("app/create", json!({})).await;
    let (key, secret) = (made["appkey"].as_str().expect("appkey"), made["appsecret"].as_str().expect("appsecret"));
    assert!(key.starts_with("1000") && secret.len() == 40, "{made}");
    let listed = t.ok("app/list", json!({})).await;
    assert_eq!(listed.as_array().map(Vec::len), Some(2));
    assert!(listed[1].get("appsecret").is_none(), "secrets are shown once");

    t.token = t.token_for(key, secret).await;
    t.ok("app/revoke", json!({"appkey": t.appkey.clone()})).await;
    assert_eq!(t.call_as(&old_token, "user/list", json!({})).await["code"], 71003, "the old app's tokens are gone");
    assert_eq!(t.call("app/revoke", json!({"appkey": key})).await["code"], 71001, "the last credential stays");
    assert_eq!(t.call("app/revoke", json!({"appkey": "nope"})).await["code"], 71001);
    let url = format!("{}/meeting/api/oapi/gettoken?appkey={}&appsecret={}", t.base, t.appkey, t.appsecret);
    let answer: serde_json::Value = t.http.get(url).send().await.expect("send").json().await.expect("json");
    assert_eq!(answer["code"], 71023, "a revoked credential gets no token");
}
