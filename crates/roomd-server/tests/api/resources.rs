//! Face photos: validated like the seed says, stored, and served back at faceUrl.

use std::io::Cursor;

use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::support::TestApp;

/// A PNG of noise (noise does not compress, so the size follows the dimensions).
pub fn noise_png(width: u32, height: u32) -> Vec<u8> {
    let mut seed: u32 = 0x2545_f491;
    let image = image::RgbImage::from_fn(width, height, |_, _| {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let b = seed.to_le_bytes();
        image::Rgb([b[1], b[2], b[3]])
    });
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image).write_to(&mut out, image::ImageFormat::Png).expect("encode");
    out.into_inner()
}

async fn upload(t: &TestApp, user: &str, bytes: Vec<u8>) -> Value {
    let form = Form::new().text("userId", user.to_string()).part("file", Part::bytes(bytes).file_name("face.png"));
    let url = format!("{}/meeting/api/open/user/updateFace?access_token={}", t.base, t.token);
    let response = t.http.post(url).multipart(form).send().await.expect("send");
    assert_eq!(response.status(), 200);
    response.json().await.expect("json")
}

#[tokio::test]
async fn a_valid_face_is_stored_and_served_at_face_url() {
    let t = TestApp::spawn().await;
    let png = noise_png(400, 300);
    assert!(png.len() > 200 * 1024, "test image must be over 200 KB: {}", png.len());
    let answer = upload(&t, "1", png.clone()).await;
    assert_eq!(answer["code"], 10000, "{answer}");
    let face_url = answer["value"]["faceUrl"].as_str().expect("faceUrl").to_string();
    assert!(face_url.starts_with("http://roomd.test/meeting/api/opt/resources/1000/"), "{face_url}");
    assert_eq!(t.ok("user/get", json!({"userId": "1"})).await["faceUrl"], face_url.as_str());
    let path = face_url.trim_start_matches("http://roomd.test");
    let served = t.http.get(format!("{}{path}", t.base)).send().await.expect("send");
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.bytes().await.expect("bytes").to_vec(), png);
    // Attendances carry the attendee's face.
    let room = t.room(json!({})).await;
    let m = t.ok("meeting/book", t.booking(&room, 9, 10)).await;
    assert_eq!(m["attendances"][0]["faceUrl"], face_url.as_str());
    t.ok("user/clearFace", json!({"userId": "1"})).await;
    assert_eq!(t.ok("user/get", json!({"userId": "1"})).await["faceUrl"], "");
}

#[tokio::test]
async fn bad_faces_answer_71021_and_change_nothing() {
    let t = TestApp::spawn().await;
    let small = noise_png(100, 100);
    let wide = noise_png(1921, 120);
    let not_an_image = vec![b'x'; 300 * 1024];
    let mut truncated = noise_png(400, 300);
    truncated.truncate(250 * 1024);
    for (what, bytes) in [("small", small), ("wide", wide), ("text", not_an_image), ("truncated", truncated)] {
        let answer = upload(&t, "1", bytes).await;
        assert_eq!(answer["code"], 71021, "{what}: {answer}");
        assert!(answer["fieldErrors"]["file"].is_string(), "{what}: {answer}");
    }
    let huge = vec![0u8; 7 * 1024 * 1024];
    assert_eq!(upload(&t, "1", huge).await["code"], 71021);
    assert_eq!(upload(&t, "ghost", noise_png(400, 300)).await["code"], 71009);
    assert_eq!(t.ok("user/get", json!({"userId": "1"})).await["faceUrl"], "");
    let missing = t.http.get(format!("{}/meeting/api/opt/resources/1000/nope.png", t.base)).send().await.expect("send");
    assert_eq!(missing.json::<Value>().await.expect("json")["code"], 71001);
}
