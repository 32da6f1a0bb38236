//! Places over HTTP: regions and buildings with floors, rooms placed on a floor (71025
//! otherwise), and removals that would orphan something refused (71032).

use serde_json::json;

use crate::support::TestApp;

#[tokio::test]
async fn regions_buildings_and_rooms_on_floors() {
    let t = TestApp::spawn().await;
    let china = t.ok("region/add", json!({"name": "中国", "type": 1})).await;
    assert_eq!((china["type"].clone(), china["parentId"].clone()), (json!(1), json!("")));
    let cn = china["id"].as_str().expect("id").to_string();
    let sz = t.ok("region/add", json!({"name": "深圳", "type": 2, "parentId": cn})).await["id"]
        .as_str()
        .expect("id")
        .to_string();
    assert_eq!(
        t.call("region/add", json!({"name": "上海", "type": 2})).await["code"],
        71005,
        "a district names its country"
    );
    assert_eq!(
        t.call("region/add", json!({"name": "南山", "type": 2, "parentId": sz})).await["code"],
        71001,
        "under a country only"
    );
    assert_eq!(t.call("region/add", json!({"name": "x", "type": 2, "parentId": "NOPE"})).await["code"], 71031);
    assert_eq!(t.call("region/add", json!({"name": "x", "type": 3})).await["code"], 71001);
    let districts = t.ok("region/list", json!({"type": 2, "parentId": cn})).await;
    assert_eq!(districts.as_array().map(Vec::len), Some(1));

    let tower = t
        .ok(
            "building/add",
            json!({"name": "科技园 A 座", "countryId": cn, "districtId": sz, "floors": ["F1", "F2", "F18"], "address": "深南大道 1 号"}),
        )
        .await;
    let b = tower["id"].as_str().expect("id").to_string();
    assert_eq!(tower["floors"], json!(["F1", "F2", "F18"]));
    let other = t.ok("region/add", json!({"name": "美国", "type": 1})).await["id"].clone();
    assert_eq!(t.call("building/add", json!({"name": "x", "countryId": other, "districtId": sz})).await["code"], 71001);
    assert_eq!(t.call("building/add", json!({"name": "x", "floors": ["F1", "F1"]})).await["code"], 71001);
    assert_eq!(t.call("building/add", json!({"name": "x", "countryId": "NOPE"})).await["code"], 71031);
    assert_eq!(t.ok("building/list", json!({"districtId": sz})).await[0]["id"], b.as_str());

    let room = t.room(json!({"buildingId": b, "floorName": "F18"})).await;
    assert_eq!(t.ok("room/get", json!({"roomId": room})).await["floorName"], "F18");
    assert_eq!(t.call("room/add", json!({"name": "r", "buildingId": b, "floorName": "F99"})).await["code"], 71025);
    assert_eq!(t.call("room/add", json!({"name": "r", "buildingId": "NOPE"})).await["code"], 71025);
    assert_eq!(t.call("room/add", json!({"name": "r", "floorName": "F1"})).await["code"], 71025);

    // A floor with rooms stays; the building, its district and country are in use.
    assert_eq!(t.call("building/update", json!({"id": b, "floors": ["F1"]})).await["code"], 71001);
    assert_eq!(
        t.ok("building/update", json!({"id": b, "floors": ["F18", "F19"]})).await["floors"],
        json!(["F18", "F19"])
    );
    assert_eq!(t.call("building/remove", json!({"id": b})).await["code"], 71032);
    assert_eq!(t.call("region/remove", json!({"id": sz})).await["code"], 71032);
    assert_eq!(t.call("region/remove", json!({"id": cn})).await["code"], 71032);
    t.ok("room/remove", json!({"roomId": room})).await;
    assert_eq!(t.call("building/remove", json!({"id": b})).await["code"], 10000);
    assert_eq!(t.call("region/remove", json!({"id": sz})).await["code"], 10000);
    assert_eq!(t.call("region/remove", json!({"id": cn})).await["code"], 10000);
    assert_eq!(t.call("region/get", json!({"id": cn})).await["code"], 71031);
    assert_eq!(t.call("building/get", json!({"id": b})).await["code"], 71025);
}
