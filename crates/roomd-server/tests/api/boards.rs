//! The board API over HTTP: activation with a deployment code (bad, expired, guessed),
//! the scope's rooms, binding, the day's schedule, book-now, ending early, face and
//! photo check-in, and revocation by an admin.

use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::feishu::{feishu, tenant_token};
use crate::resources::noise_png;
use crate::room_configs::tree;
use crate::support::{HOUR, NOW, TestApp};

/// A deployment code for `scope`, valid a day.
pub(crate) async fn code(t: &TestApp, scope: Value) -> String {
    let token = tenant_token(t).await;
    let mut body = scope;
    crate::support::merge(&mut body, json!({"valid_day": 1}));
    let (_, answer) = feishu(t, Some(&token), "vc/v1/room_configs/set_checkboard_access_code", body).await;
    answer["data"]["access_code"].as_str().expect("code").to_string()
}

/// Calls the board API; `(HTTP status, body)`.
pub(crate) async fn board(t: &TestApp, token: Option<&str>, method: &str, path: &str, body: Value) -> (u16, Value) {
    let url = format!("{}/board/api/{path}", t.base);
    let mut request = if method == "GET" { t.http.get(url) } else { t.http.post(url).json(&body) };
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("send");
    (response.status().as_u16(), response.json().await.expect("json"))
}

pub(crate) async fn activate(t: &TestApp, code: &str) -> String {
    let (status, answer) =
        board(t, None, "POST", "activate", json!({"access_code": code, "device_name": "3F 东"})).await;
    assert_eq!(status, 200, "{answer}");
    answer["data"]["device_token"].as_str().expect("token").to_string()
}

#[tokio::test]
async fn a_floor_board_binds_to_a_room_there_and_runs_its_day() {
    let t = TestApp::spawn().await;
    let tr = tree(&t).await;
    let elsewhere = t.room(json!({"name": "别处"})).await;
    let floor_code = code(&t, json!({"scope": 5, "building_id": tr.building, "floor_name": "F2"})).await;
    let token = activate(&t, &floor_code.to_lowercase()).await;
    let (_, device) = board(&t, Some(&token), "GET", "device", json!({})).await;
    assert_eq!(device["data"]["scope"], json!({"scope": 5, "building_id": tr.building, "floor_name": "F2"}));
    assert_eq!(device["data"]["room_id"], "");

    let (_, rooms) = board(&t, Some(&token), "GET", "rooms", json!({})).await;
    let ids: Vec<&str> = rooms["data"].as_array().expect("rooms").iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(ids, [tr.room.as_str()], "only the floor's rooms");
    let (status, answer) = board(&t, Some(&token), "GET", "schedule", json!({})).await;
    assert_eq!((status, answer["code"].clone()), (409, json!(130009)), "not bound yet");
    let (status, answer) = board(&t, Some(&token), "POST", "bind", json!({"room_id": elsewhere})).await;
    assert_eq!((status, answer["code"].clone()), (403, json!(130004)));
    let (status, _) = board(&t, Some(&token), "POST", "bind", json!({"room_id": tr.room})).await;
    assert_eq!(status, 200);

    t.ok("meeting/book", t.booking(&tr.room, 10, 11)).await;
    let (_, day) = board(&t, Some(&token), "GET", "schedule", json!({})).await;
    let day = &day["data"];
    assert_eq!((day["free"].clone(), day["current"].clone()), (json!(true), Value::Null));
    assert_eq!(day["now"], NOW);
    assert_eq!(day["meetings"].as_array().map(Vec::len), Some(0), "tomorrow's meeting is not today's");

    let (status, booked) =
        board(&t, Some(&token), "POST", "book_now", json!({"minutes": 30, "account": "admin"})).await;
    assert_eq!(status, 200, "{booked}");
    let meeting = booked["data"]["id"].as_str().expect("id").to_string();
    assert_eq!(
        (booked["data"]["beginTime"].clone(), booked["data"]["endTime"].clone()),
        (json!(NOW), json!(NOW + HOUR / 2))
    );
    let (status, again) = board(&t, Some(&token), "POST", "book_now", json!({"minutes": 15, "account": "admin"})).await;
    assert_eq!((status, again["code"].clone()), (409, json!(130006)));
    for bad in
        [json!({"minutes": 5, "account": "admin"}), json!({"minutes": 30}), json!({"minutes": 30, "account": "nobody"})]
    {
        let (status, answer) = board(&t, Some(&token), "POST", "book_now", bad.clone()).await;
        assert_eq!((status, answer["code"].clone()), (400, json!(130005)), "{bad}");
    }
    t.clock.advance(HOUR / 6);
    let (_, day) = board(&t, Some(&token), "GET", "schedule", json!({})).await;
    assert_eq!((day["data"]["free"].clone(), day["data"]["current"]["id"].clone()), (json!(false), json!(meeting)));
    let (status, ended) = board(&t, Some(&token), "POST", "end", json!({"meeting_id": meeting})).await;
    assert_eq!(status, 200, "{ended}");
    assert_eq!(ended["data"]["endTime"], NOW + HOUR / 6);
    let (_, day) = board(&t, Some(&token), "GET", "schedule", json!({})).await;
    assert_eq!(day["data"]["free"], true);
    assert_eq!(day["data"]["room_status"], Value::Null);
    assert!(day["data"].to_string().find("phone").is_none(), "no contact details on a board");
    // Half a minute after ending early, the room books again from when it was let go.
    t.clock.advance(30_000);
    let (status, again) = board(&t, Some(&token), "POST", "book_now", json!({"minutes": 15, "account": "admin"})).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["data"]["beginTime"], NOW + HOUR / 6);
    let id = again["data"]["id"].as_str().expect("id").to_string();
    t.clock.advance(60_000);
    board(&t, Some(&token), "POST", "end", json!({"meeting_id": id})).await;
    // Bad JSON and wrong methods answer in the board's envelope.
    let raw = t
        .http
        .post(format!("{}/board/api/book_now", t.base))
        .bearer_auth(&token)
        .body("{nope")
        .send()
        .await
        .expect("send");
    assert_eq!(raw.status(), 400);
    assert_eq!(raw.json::<Value>().await.expect("json")["code"], 130005);
    let wrong = t.http.delete(format!("{}/board/api/schedule", t.base)).bearer_auth(&token).send().await.expect("send");
    assert_eq!(wrong.status(), 404, "no such endpoint for that method");
    assert_eq!(wrong.json::<Value>().await.expect("json")["code"], 130008);
    assert_eq!(day["data"]["time_zone"], "Asia/Shanghai");

    // A building's configuration reaches the board of a room in it.
    let tenant = tenant_token(&t).await;
    let config = json!({"scope": 4, "building_id": tr.building,
                        "room_config": {"display_background": "https://cdn.test/b.png",
                                        "room_status": {"status": false, "disable_reason": "装修"}}});
    let (status, _) = feishu(&t, Some(&tenant), "vc/v1/room_configs/set", config).await;
    assert_eq!(status, 200);
    let (_, day) = board(&t, Some(&token), "GET", "schedule", json!({})).await;
    assert_eq!(day["data"]["room_status"], json!({"status": false, "disable_reason": "装修"}));
    assert_eq!(day["data"]["display_background"], "https://cdn.test/b.png");
}

#[tokio::test]
async fn bad_expired_and_guessed_codes_are_refused() {
    let mut t = TestApp::spawn().await;
    let tr = tree(&t).await;
    let room_code = code(&t, json!({"scope": 6, "room_id": tr.room})).await;
    let (status, answer) = board(&t, None, "POST", "activate", json!({"access_code": room_code})).await;
    assert_eq!((status, answer["code"].clone()), (400, json!(130005)), "a device name is needed");
    let token = activate(&t, &room_code).await;
    let (_, device) = board(&t, Some(&token), "GET", "device", json!({})).await;
    assert_eq!(device["data"]["room_id"], tr.room.as_str(), "a room's code binds at once");

    t.clock.advance(25 * HOUR);
    let (status, answer) =
        board(&t, None, "POST", "activate", json!({"access_code": room_code, "device_name": "x"})).await;
    assert_eq!(
        (status, answer["code"].clone(), answer["msg"].clone()),
        (400, json!(130001), json!("unknown or expired access code"))
    );
    let (status, _) = board(&t, Some(&token), "GET", "schedule", json!({})).await;
    assert_eq!(status, 200, "an activated board outlives its code");
    let mut limited = false;
    for i in 0..12 {
        let (status, answer) =
            board(&t, None, "POST", "activate", json!({"access_code": format!("GUESS{i:04}"), "device_name": "x"}))
                .await;
        if status == 429 {
            assert_eq!(answer["code"], 130002);
            limited = true;
            break;
        }
        assert_eq!(answer["code"], 130001);
    }
    assert!(limited, "guessing is rate-limited");
    let (status, answer) = board(&t, Some("b-nope"), "GET", "device", json!({})).await;
    assert_eq!((status, answer["code"].clone()), (401, json!(130003)));
    let (status, answer) = board(&t, None, "GET", "rooms", json!({})).await;
    assert_eq!((status, answer["code"].clone()), (401, json!(130003)));

    t.token = t.token_for(&t.appkey.clone(), &t.appsecret.clone()).await;
    let devices = t.ok("device/list", json!({})).await;
    assert_eq!(devices[0]["roomId"], tr.room.as_str());
    t.ok("device/remove", json!({"id": devices[0]["id"]})).await;
    let (status, _) = board(&t, Some(&token), "GET", "schedule", json!({})).await;
    assert_eq!(status, 401, "a revoked board is locked out");
    assert_eq!(t.call("device/remove", json!({"id": devices[0]["id"]})).await["code"], 71033);
}

#[tokio::test]
async fn attendees_check_in_by_face_and_by_photo() {
    let mut t = TestApp::spawn().await;
    let tr = tree(&t).await;
    let token = activate(&t, &code(&t, json!({"scope": 6, "room_id": tr.room})).await).await;
    let guest = t.user("guest_user").await;
    let mut body = t.booking(&tr.room, 10, 11);
    crate::support::merge(
        &mut body,
        json!({"attendances": [{"userId": "1"}, {"userId": guest}, {"name": "访客", "phone": "13900000000"}]}),
    );
    let meeting = t.ok("meeting/book", body).await;
    let id = meeting["id"].as_str().expect("id").to_string();
    let face = json!({"meeting_id": id, "sign_type": 1, "user_id": "1"});
    let (status, answer) = board(&t, Some(&token), "POST", "check_in", face.clone()).await;
    assert_eq!((status, answer["code"].clone()), (409, json!(130007)), "too early");

    t.clock.set(crate::support::TOMORROW + 10 * HOUR - 5 * 60_000);
    let (status, answer) = board(&t, Some(&token), "POST", "check_in", face).await;
    assert_eq!(status, 200, "{answer}");
    let signed = &answer["data"]["attendances"][0];
    assert_eq!((signed["isSigned"].clone(), signed["signType"].clone()), (json!(1), json!(1)));
    assert_eq!(signed["signTime"], crate::support::TOMORROW + 10 * HOUR - 5 * 60_000);

    let guest_attendance = meeting["attendances"][2]["id"].as_str().expect("id").to_string();
    let form = Form::new()
        .text("meeting_id", id.clone())
        .text("attendance_id", guest_attendance)
        .part("photo", Part::bytes(noise_png(400, 400)).file_name("door.png"));
    let response = t
        .http
        .post(format!("{}/board/api/check_in/photo", t.base))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 200);
    t.token = t.token_for(&t.appkey.clone(), &t.appsecret.clone()).await;
    let got = t.ok("meeting/get", json!({"meetingId": id})).await;
    let photo = &got["attendances"][2];
    assert_eq!((photo["isSigned"].clone(), photo["signType"].clone()), (json!(1), json!(3)));
    let url = photo["signImgUrl"].as_str().expect("url").replace("http://roomd.test", &t.base);
    assert_eq!(t.http.get(url).send().await.expect("send").status(), 200, "the photo is served");
    assert_eq!(got["attendances"][1]["isSigned"], 0);
    let (status, answer) =
        board(&t, Some(&token), "POST", "check_in", json!({"meeting_id": id, "sign_type": 1, "user_id": "NOPE"})).await;
    assert_eq!((status, answer["code"].clone()), (404, json!(130008)));
}

#[tokio::test]
async fn an_attendee_checks_in_by_scanning_the_boards_code_with_a_phone() {
    let mut t = TestApp::spawn().await;
    let tr = tree(&t).await;
    let token = activate(&t, &code(&t, json!({"scope": 6, "room_id": tr.room})).await).await;
    let user =
        t.ok("user/add", json!({"name": "小李", "account": "li", "password": "li-secret-1"})).await["id"].clone();
    let mut body = t.booking(&tr.room, 10, 11);
    crate::support::merge(&mut body, json!({"attendances": [{"userId": user}]}));
    let id = t.ok("meeting/book", body).await["id"].as_str().expect("id").to_string();
    t.clock.set(crate::support::TOMORROW + 10 * HOUR + 60_000);

    let (status, qr) = board(&t, Some(&token), "GET", "qr", json!({})).await;
    assert_eq!(status, 200, "{qr}");
    let local = |url: &Value| url.as_str().expect("url").replace("http://roomd.test", &t.base);
    let (page, png) = (local(&qr["data"]["url"]), local(&qr["data"]["png"]));
    let image = t.http.get(&png).send().await.expect("send").bytes().await.expect("png");
    let mut prepared = rqrr::PreparedImage::prepare(image::load_from_memory(&image).expect("png").to_luma8());
    let decoded = prepared.detect_grids()[0].decode().expect("decodes").1;
    assert_eq!(decoded, qr["data"]["url"].as_str().expect("url"), "the image encodes the page");

    // Without the employees' app on the phone, the code leads on to the public page.
    let page = t.http.get(&page).send().await.expect("send").url().to_string();
    assert!(page.starts_with(&format!("{}/board/checkin?t=", t.base)), "{page}");
    let html = t.http.get(format!("{page}&lang=en_us")).send().await.expect("send").text().await.expect("html");
    assert!(html.contains("抢碉堡") && html.contains("<label for=\"password\">"), "{html}");
    let post = |password: &'static str| {
        t.http
            .post(format!("{page}&lang=en_us"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("account=li&password={password}"))
            .send()
    };
    let wrong = post("nope").await.expect("send");
    assert_eq!(wrong.status(), 422);
    assert!(wrong.text().await.expect("html").contains("Wrong account or password"));
    let right = post("li-secret-1").await.expect("send");
    assert_eq!(right.status(), 200);
    assert!(right.text().await.expect("html").contains("You are checked in"));
    t.token = t.token_for(&t.appkey.clone(), &t.appsecret.clone()).await;
    let got = t.ok("meeting/get", json!({"meetingId": id})).await;
    assert_eq!(
        (got["attendances"][0]["isSigned"].clone(), got["attendances"][0]["signType"].clone()),
        (json!(1), json!(2))
    );

    t.clock.advance(6 * 60_000);
    let stale = t.http.get(&page).send().await.expect("send");
    assert_eq!(stale.status(), 410, "a code is good for five minutes");
    let forged = page.replace("t=", "t=X");
    // Guessing passwords is slowed: five tries a minute for an account.
    t.clock.advance(-6 * 60_000);
    let mut limited = false;
    for _ in 0..6 {
        if post("guess").await.expect("send").status() == 429 {
            limited = true;
        }
    }
    assert!(limited, "the sixth try in a minute is refused");
    assert_eq!(t.http.get(&forged).send().await.expect("send").status(), 410);
}

#[tokio::test]
async fn an_sms_code_checks_an_attendee_in_and_a_phone_checks_in_by_location() {
    let mut t = TestApp::spawn().await;
    let tr = tree(&t).await;
    t.ok("room/update", json!({"id": tr.room, "latitude": 22.5431, "longitude": 114.0579, "radius": 100})).await;
    let token = activate(&t, &code(&t, json!({"scope": 6, "room_id": tr.room})).await).await;
    let wang = t.ok("user/add", json!({"name": "王", "account": "wang", "phone": "13812345678"})).await["id"].clone();
    let mut body = t.booking(&tr.room, 10, 11);
    crate::support::merge(&mut body, json!({"attendances": [{"userId": "1"}, {"userId": wang}]}));
    let id = t.ok("meeting/book", body).await["id"].as_str().expect("id").to_string();
    t.clock.set(crate::support::TOMORROW + 10 * HOUR);

    let send = json!({"meeting_id": id, "user_id": wang});
    let (status, sent) = board(&t, Some(&token), "POST", "sms", send.clone()).await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["data"]["phone"], "138****5678");
    let (phone, text) = t.sms.lock().expect("sms").last().cloned().expect("a message");
    assert_eq!(phone, "13812345678");
    let code: String = text.chars().filter(char::is_ascii_digit).take(6).collect();
    let (status, _) = board(&t, Some(&token), "POST", "sms", send).await;
    assert_eq!(status, 400, "one code a minute");
    let check = |code: &str| json!({"meeting_id": id, "sign_type": 4, "user_id": wang, "code": code});
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (status, answer) = board(&t, Some(&token), "POST", "check_in", check(wrong)).await;
    assert_eq!((status, answer["error"]["field_violations"][0]["field"].clone()), (400, json!("code")));
    let (status, answer) = board(&t, Some(&token), "POST", "check_in", check(&code)).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["data"]["attendances"][1]["signType"], 4);
    let (status, _) = board(&t, Some(&token), "POST", "check_in", check(&code)).await;
    assert_eq!(status, 400, "a code is used once");

    // By location: 111 m away is outside a 100 m radius; 50 m away is inside.
    t.token = t.token_for(&t.appkey.clone(), &t.appsecret.clone()).await;
    let at = |lat: f64| json!({"meetingId": id, "userId": "1", "latitude": lat, "longitude": 114.0579});
    let far = t.call("meeting/checkIn", at(22.5441)).await;
    assert_eq!(far["code"], 71001);
    assert!(far["fieldErrors"]["latitude"].as_str().is_some_and(|w| w.contains("111 m")), "{far}");
    let near = t.ok("meeting/checkIn", at(22.54355)).await;
    assert_eq!(
        (near["attendances"][0]["isSigned"].clone(), near["attendances"][0]["signType"].clone()),
        (json!(1), json!(5))
    );
    assert_eq!(t.call("meeting/checkIn", json!({"meetingId": id, "userId": "1"})).await["code"], 71005);
}
