//! Feishu VC room configuration over HTTP: deployment codes for every scope of the seed
//! (121003 for bad parameters, 121004 for unknown nodes), and configurations inherited
//! down the place tree.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::feishu::{feishu, tenant_token};
use crate::support::TestApp;

/// A country, a city in it, a building there with floors F1/F2, and a room on F2.
pub struct Tree {
    pub country: String,
    pub district: String,
    pub building: String,
    pub room: String,
}

pub async fn tree(t: &TestApp) -> Tree {
    let id = |v: Value| v["id"].as_str().expect("id").to_string();
    let country = id(t.ok("region/add", json!({"name": "中国", "type": 1})).await);
    let district = id(t.ok("region/add", json!({"name": "深圳", "type": 2, "parentId": country})).await);
    let building = id(t
        .ok(
            "building/add",
            json!({"name": "A 座", "countryId": country, "districtId": district, "floors": ["F1", "F2"]}),
        )
        .await);
    let room = t.room(json!({"buildingId": building, "floorName": "F2"})).await;
    Tree { country, district, building, room }
}

fn scopes(tr: &Tree) -> Vec<Value> {
    vec![
        json!({"scope": 1}),
        json!({"scope": 2, "country_id": tr.country}),
        json!({"scope": 3, "country_id": tr.country, "district_id": tr.district}),
        json!({"scope": 4, "building_id": tr.building}),
        json!({"scope": 5, "building_id": tr.building, "floor_name": "F2"}),
        json!({"scope": 6, "room_id": tr.room}),
    ]
}

fn with(mut body: Value, extra: Value) -> Value {
    crate::support::merge(&mut body, extra);
    body
}

#[tokio::test]
async fn every_scope_gets_a_nine_letter_code_valid_1_7_or_30_days() {
    let t = TestApp::spawn().await;
    let token = tenant_token(&t).await;
    let tr = tree(&t).await;
    let mut seen = HashSet::new();
    for path in ["vc/v1/room_configs/set_checkboard_access_code", "vc/v1/room_configs/set_room_access_code"] {
        for scope in scopes(&tr) {
            for days in [1, 7, 30] {
                let (status, answer) =
                    feishu(&t, Some(&token), path, with(scope.clone(), json!({"valid_day": days}))).await;
                assert_eq!(status, 200, "{scope} → {answer}");
                assert_eq!((answer["code"].clone(), answer["msg"].clone()), (json!(0), json!("success")));
                let code = answer["data"]["access_code"].as_str().expect("code").to_string();
                assert!(code.len() == 9 && code.chars().all(|c| c.is_ascii_uppercase()), "{code}");
                assert!(seen.insert(code), "codes are unique");
            }
        }
    }
}

#[tokio::test]
async fn bad_parameters_are_121003_and_unknown_nodes_121004() {
    let t = TestApp::spawn().await;
    let token = tenant_token(&t).await;
    let tr = tree(&t).await;
    let path = "vc/v1/room_configs/set_checkboard_access_code";
    let bad = [
        (json!({"valid_day": 1}), "scope"),
        (json!({"scope": 0, "valid_day": 1}), "scope"),
        (json!({"scope": 7, "valid_day": 1}), "scope"),
        (json!({"scope": 1}), "valid_day"),
        (json!({"scope": 1, "valid_day": 2}), "valid_day"),
        (json!({"scope": 1, "valid_day": "7"}), "valid_day"),
        (json!({"scope": 2, "valid_day": 1}), "country_id"),
        (json!({"scope": 3, "country_id": tr.country, "valid_day": 1}), "district_id"),
        (json!({"scope": 4, "valid_day": 1}), "building_id"),
        (json!({"scope": 5, "building_id": tr.building, "valid_day": 1}), "floor_name"),
        (json!({"scope": 6, "valid_day": 1}), "room_id"),
    ];
    for (body, field) in bad {
        let (status, answer) = feishu(&t, Some(&token), path, body.clone()).await;
        assert_eq!(
            (status, answer["code"].clone(), answer["msg"].clone()),
            (400, json!(121003), json!("param error")),
            "{body}"
        );
        assert_eq!(answer["error"]["field_violations"][0]["field"], field, "{body} → {answer}");
    }
    let other_country = t.ok("region/add", json!({"name": "美国", "type": 1})).await["id"].clone();
    let missing = [
        json!({"scope": 2, "country_id": "NOPE"}),
        json!({"scope": 2, "country_id": tr.district}),
        json!({"scope": 3, "country_id": other_country, "district_id": tr.district}),
        json!({"scope": 4, "building_id": "NOPE"}),
        json!({"scope": 5, "building_id": tr.building, "floor_name": "F9"}),
        json!({"scope": 6, "room_id": "NOPE"}),
    ];
    for body in missing {
        let (status, answer) = feishu(&t, Some(&token), path, with(body.clone(), json!({"valid_day": 7}))).await;
        assert_eq!(
            (status, answer["code"].clone(), answer["msg"].clone()),
            (404, json!(121004), json!("data not exist")),
            "{body}"
        );
    }
    let (status, answer) = feishu(&t, None, path, json!({"scope": 1, "valid_day": 1})).await;
    assert_eq!((status, answer["code"].clone()), (401, json!(99991661)));
}

#[tokio::test]
async fn configurations_are_inherited_from_the_nearest_node_that_sets_them() {
    let t = TestApp::spawn().await;
    let token = tenant_token(&t).await;
    let tr = tree(&t).await;
    let set = |scope: Value, config: Value| with(scope, json!({"room_config": config}));
    let all = scopes(&tr);
    let tenant_config = json!({"room_background": "https://cdn.test/tenant.png", "room_box_digital_signage": {"enable": true, "mute": true},
                               "room_status": {"status": true}});
    for (scope, config) in [
        (all[0].clone(), tenant_config),
        (all[3].clone(), json!({"display_background": "https://cdn.test/building.png"})),
        (all[4].clone(), json!({"room_background": "https://cdn.test/floor.png"})),
        (all[5].clone(), json!({"room_status": {"status": false, "disable_reason": "装修"}})),
    ] {
        let (status, answer) = feishu(&t, Some(&token), "vc/v1/room_configs/set", set(scope, config)).await;
        assert_eq!((status, answer["code"].clone()), (200, json!(0)), "{answer}");
    }
    let query = |q: &str| {
        let url = format!("{}/open-apis/vc/v1/room_configs/query?{q}", t.base);
        let request = t.http.get(url).bearer_auth(&token);
        async move {
            let response = request.send().await.expect("send");
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.expect("json"))
        }
    };
    let (status, at_room) = query(&format!("scope=6&room_id={}", tr.room)).await;
    assert_eq!(status, 200, "{at_room}");
    assert_eq!(
        at_room["data"],
        json!({"room_background": "https://cdn.test/floor.png", "display_background": "https://cdn.test/building.png",
               "room_box_digital_signage": {"enable": true, "mute": true}, "room_status": {"status": false, "disable_reason": "装修"}})
    );
    let (_, at_city) = query(&format!("scope=3&country_id={}&district_id={}", tr.country, tr.district)).await;
    assert_eq!(at_city["data"]["room_background"], "https://cdn.test/tenant.png");
    assert!(at_city["data"].get("display_background").is_none(), "the building's value stays below it");
    let (status, answer) = query("scope=9").await;
    assert_eq!((status, answer["code"].clone()), (400, json!(121003)));
    let (status, answer) = query("scope=4&building_id=NOPE").await;
    assert_eq!((status, answer["code"].clone()), (404, json!(121004)));
    let (status, answer) =
        feishu(&t, Some(&token), "vc/v1/room_configs/set", json!({"scope": 1, "room_config": {"room_status": "off"}}))
            .await;
    assert_eq!((status, answer["code"].clone()), (400, json!(121003)));
}
