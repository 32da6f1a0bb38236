//! The app's profile page in headless Chromium on a phone (`e2e/app_profile.mjs`): a
//! face photo refused then taken, the language chosen there kept on the next page, a
//! wrong then a right current password. Both languages pass axe-core, fit 320 px and
//! weigh at most 100 KB. Screenshots `app-profile-zh.png` and `app-profile-en.png` land
//! in `target/tmp/e2e/`.

use std::io::Cursor;

use serde_json::json;

use super::browser::{Served, run_script, shots};
use super::e2e::browser_ready;

/// A PNG of noise, `width`×`height` (noise does not compress: size follows dimensions).
fn noise_png(width: u32, height: u32) -> Vec<u8> {
    let mut seed: u32 = 0x2545_f491;
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let b = seed.to_le_bytes();
        // A face-ish blob on the noise, so the screenshot shows something.
        let (dx, dy) = (x as i32 - width as i32 / 2, y as i32 - height as i32 / 2);
        match dx * dx + dy * dy < (height as i32 / 3).pow(2) {
            true => image::Rgb([230, 190 + b[1] / 8, 160 + b[2] / 8]),
            false => image::Rgb([b[1] / 2, 90 + b[2] / 4, 160 + b[3] / 4]),
        }
    });
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image).write_to(&mut out, image::ImageFormat::Png).expect("encode");
    out.into_inner()
}

#[tokio::test]
async fn a_person_sets_their_photo_language_and_password_on_their_profile() {
    if !browser_ready() {
        return;
    }
    let served = Served::start().await;
    let person = json!({"name": "李晓雯", "account": "lixiaowen", "email": "lixiaowen@example.com",
                        "password": "app-pass-2030"});
    assert_eq!(served.h5("user/add", person).await["code"], 10000);
    let dir = tempfile::tempdir().expect("temp dir");
    let (small, good) = (dir.path().join("small.png"), dir.path().join("me.png"));
    std::fs::write(&small, noise_png(80, 80)).expect("small photo");
    let photo = noise_png(480, 480);
    assert!(photo.len() > 200 * 1024, "{}", photo.len());
    std::fs::write(&good, photo).expect("photo");

    let shots = shots();
    let paths = [small.to_str(), good.to_str(), shots.to_str()].map(|p| p.expect("path"));
    let args = [served.base(), "1000", "lixiaowen", "app-pass-2030", paths[0], paths[1], paths[2]];
    let run = run_script("app_profile.mjs", &args, &[]);
    let stdout = &run.stdout;
    let step = |name: &str| run.step(name);

    let profile = step("profile-zh");
    assert_eq!(profile["url"], "/app/profile", "the header's name leads there");
    assert_eq!(profile["sections"], json!(["语言", "修改密码", "人脸照片", "我的日历订阅"]), "{stdout}");
    assert!(profile["feed"].as_str().is_some_and(|f| f.contains("/calendar/") && f.ends_with(".ics")), "{stdout}");
    let face = step("face");
    assert!(face["refused"].as_str().is_some_and(|r| r.contains("小于 200 KB")), "{stdout}");
    assert_eq!((face["saved"].clone(), face["shown"].clone()), (json!("照片已更新。"), json!(true)), "{stdout}");
    let language = step("language");
    assert_eq!((language["saved"].clone(), language["lang"].clone()), (json!("Language saved."), json!("en")));
    assert_eq!(language["home"], "My meetings", "the choice sticks: {stdout}");
    let password = step("password");
    assert_eq!(password["wrong"], "The current password is incorrect.");
    assert_eq!(password["changed"], "Password changed. You are signed out on every other device.");

    run.assert_pages_pass(3);
    for shot in ["app-profile-zh.png", "app-profile-en.png", "app-profile-desktop.png"] {
        assert!(shots.join(shot).exists(), "{shot} saved");
    }
}
