//! Lighthouse 12 (mobile preset) on the app's pages against `roomd serve`
//! (`e2e/lighthouse.mjs`): performance, accessibility and best practices each score at
//! least 95. One run a page; the reports (`lighthouse-<page>.html` and `.json`) and the
//! scores (`lighthouse-scores.json`) land in `target/tmp/e2e/`.

use serde_json::{Value, json};

use super::app::under_way;
use super::browser::{Served, run_script, shots};
use super::e2e::lighthouse_ready;

const CATEGORIES: [&str; 3] = ["performance", "accessibility", "best-practices"];
const LEAST: f64 = 0.95;
const SIGNED_IN: bool = true;
const PUBLIC: bool = false;

/// The pages measured, one a line: a name (for the report's file), the path, and whether
/// the person is signed in. `room` is a room the person may book, for the book page.
fn pages(room: &str) -> Vec<(&'static str, String, bool)> {
    vec![
        ("login", "/app/login?company=1000".into(), PUBLIC),
        ("home", "/app/".into(), SIGNED_IN),
        ("find", "/app/find?now=60".into(), SIGNED_IN),
        ("book", format!("/app/book?room={room}&date=2030-01-10&from=09:00&to=10:00"), SIGNED_IN),
    ]
}

#[tokio::test]
async fn the_apps_pages_score_at_least_95_in_lighthouse_on_a_phone() {
    if !lighthouse_ready() {
        return;
    }
    let served = Served::start().await;
    let h5 = |path: &'static str, body: Value| served.h5(path, body);
    let me = served.person().await;
    let hall = json!({"name": "九楼大会议室", "beginTime": "00:00", "endTime": "24:00",
                      "latitude": 31.2304, "longitude": 121.4737, "radius": 100});
    let room = h5("room/add", hall).await["value"]["id"].clone();
    // A meeting under way, so the home page has a meeting with its check-in button.
    let (begin, end, _) = under_way(30);
    let meeting = json!({"roomId": room, "speaker": "李晓雯", "subject": "产品周会", "beginTime": begin,
                         "endTime": end, "createdId": me, "attendances": [{"userId": me}]});
    assert_eq!(h5("meeting/book", meeting).await["code"], 10000);

    let pages: Vec<Value> = pages(room.as_str().expect("room id"))
        .into_iter()
        .map(|(name, path, signed_in)| json!({"name": name, "path": path, "signedIn": signed_in}))
        .collect();
    let reports = shots();
    let listed = Value::from(pages.clone()).to_string();
    let args = [served.base(), "1000", "lixiaowen", "app-pass-2030", reports.to_str().expect("path"), &listed];
    run_script("lighthouse.mjs", &args, &[]);
    let scores: Value =
        serde_json::from_slice(&std::fs::read(reports.join("lighthouse-scores.json")).expect("scores")).expect("json");
    for page in &pages {
        let name = page["name"].as_str().expect("name");
        let got = &scores[name];
        let line: Vec<String> = CATEGORIES.iter().map(|c| format!("{c} {}", got[c])).collect();
        println!("lighthouse {name}: {}", line.join(", "));
        for category in CATEGORIES {
            let score = got[category].as_f64().unwrap_or(0.0);
            assert!(score >= LEAST, "{name}: {category} {score} < {LEAST}; lost on {}", got["failing"]);
        }
        assert!(reports.join(format!("lighthouse-{name}.html")).exists(), "{name}'s report saved");
    }
}
