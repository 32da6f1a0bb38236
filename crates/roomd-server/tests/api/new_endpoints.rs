//! Bad input to the endpoints added for places, boards, check-in, onboarding and app
//! credentials: malformed JSON, wrong types, missing fields, unknown ids and another
//! company's ids all answer the h5 envelope with their code, never a 500.

use serde_json::{Value, json};

use crate::support::TestApp;

/// POSTs raw text as the body; the envelope.
async fn raw(t: &TestApp, token: &str, path: &str, body: &str) -> Value {
    let url = format!("{}/meeting/api/open/{path}?access_token={token}", t.base);
    let response = t.http.post(url).body(body.to_string()).send().await.expect("send");
    assert_eq!(response.status(), 200, "{path}: h5 answers are HTTP 200");
    response.json().await.expect("envelope")
}

#[tokio::test]
async fn new_h5_endpoints_answer_bad_input_and_other_companies_ids_with_the_envelope() {
    let t = TestApp::spawn().await;
    // Another company's places, room, code and registration-free onboarding.
    let other = t.store.create_company(None, "Other".into()).await.expect("company");
    let cred = t.store.create_app(other).await.expect("app");
    let theirs = t.token_for(&cred.appkey, &cred.appsecret).await;
    let their_call = |path: &'static str, body: Value| {
        let t = &t;
        let theirs = theirs.clone();
        async move { t.call_as(&theirs, path, body).await }
    };
    let country = their_call("region/add", json!({"name": "X", "type": 1})).await["value"]["id"].clone();
    let building = their_call("building/add", json!({"name": "B", "floors": ["F1"]})).await["value"]["id"].clone();
    let room = their_call("room/add", json!({"name": "R"})).await["value"]["id"].clone();
    assert!(country.is_string() && building.is_string() && room.is_string());

    // Endpoints that read a body (those without one, like the seed's lists, ignore it).
    let paths = [
        "region/list",
        "region/get",
        "region/add",
        "region/update",
        "region/remove",
        "building/list",
        "building/get",
        "building/add",
        "building/update",
        "building/remove",
        "device/remove",
        "checkin/settings/get",
        "checkin/settings/save",
        "meeting/checkIn",
        "onboarding/dimension/save",
        "onboarding/settings/save",
        "onboarding/qrcode/get",
        "onboarding/qrcode/deactivate",
        "onboarding/qrcode/activate",
        "onboarding/registration/list",
        "onboarding/registration/approve",
        "onboarding/registration/reject",
        "app/revoke",
    ];
    for path in paths {
        for body in ["{nope", "[1]", "\"x\""] {
            let answer = raw(&t, &t.token, path, body).await;
            assert_eq!(answer["code"], 71001, "{path} {body} → {answer}");
            assert_eq!(answer["success"], false);
        }
    }
    let typed = [
        ("region/add", json!({"name": 1, "type": 1})),
        ("region/add", json!({"name": "x", "type": "1"})),
        ("building/add", json!({"name": "x", "floors": "F1"})),
        ("checkin/settings/save", json!({"windowMinutes": "10"})),
        ("meeting/checkIn", json!({"meetingId": "m", "userId": "1", "latitude": "north", "longitude": 1})),
        ("onboarding/settings/save", json!({"needApproval": "yes"})),
        ("onboarding/dimension/save", json!({"dimensions": {}})),
        ("onboarding/registration/list", json!({"state": "0"})),
        ("app/revoke", json!({"appkey": 5})),
    ];
    for (path, body) in typed {
        assert_eq!(t.call(path, body.clone()).await["code"], 71008, "{path} {body}");
    }
    let missing = [
        ("region/get", json!({}), "id"),
        ("region/add", json!({"type": 1}), "name"),
        ("building/add", json!({}), "name"),
        ("device/remove", json!({}), "id"),
        ("meeting/checkIn", json!({"userId": "1"}), "meetingId"),
        ("onboarding/settings/save", json!({}), "needApproval"),
        ("onboarding/qrcode/get", json!({}), "id"),
        ("onboarding/registration/approve", json!({}), "id"),
        ("app/revoke", json!({}), "appkey"),
    ];
    for (path, body, field) in missing {
        let answer = t.call(path, body).await;
        assert_eq!(answer["code"], 71005, "{path} → {answer}");
        assert_eq!(answer["message"], format!("Lack {field} arguments"));
    }
    // Another company's ids are unknown here.
    let foreign = [
        ("region/get", json!({"id": country}), 71031),
        ("region/remove", json!({"id": country}), 71031),
        ("region/add", json!({"name": "c", "type": 2, "parentId": country}), 71031),
        ("building/get", json!({"id": building}), 71025),
        ("building/update", json!({"id": building, "name": "mine"}), 71025),
        ("building/remove", json!({"id": building}), 71025),
        ("room/add", json!({"name": "r", "buildingId": building}), 71025),
        ("checkin/settings/get", json!({"roomId": room}), 71011),
        ("checkin/settings/save", json!({"roomId": room, "windowMinutes": 5}), 71011),
        ("meeting/checkIn", json!({"meetingId": "NOPE", "userId": "1", "latitude": 1.0, "longitude": 1.0}), 71012),
        ("device/remove", json!({"id": "NOPE"}), 71033),
        ("onboarding/qrcode/deactivate", json!({"id": "NOPE"}), 71027),
        ("onboarding/registration/reject", json!({"id": "NOPE"}), 71028),
        ("app/revoke", json!({"appkey": cred.appkey}), 71001),
    ];
    for (path, body, code) in foreign {
        let answer = t.call(path, body.clone()).await;
        assert_eq!(answer["code"], code, "{path} {body} → {answer}");
    }
    // Nothing of theirs changed.
    assert_eq!(their_call("building/get", json!({"id": building})).await["value"]["name"], "B");
    assert_eq!(their_call("app/list", json!({})).await["value"].as_array().map(Vec::len), Some(1));
}
