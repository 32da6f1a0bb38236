//! What no request may do, on the network's side: use webhooks to look around roomd's
//! network, hold connections forever, get pages framed or cached, or hide behind a proxy.

use serde_json::json;

use crate::hardening::{code, no_redirects};
use crate::support::TestApp;

/// `event/save` cannot be used to reach metadata services or roomd's own API, nor to
/// tell a closed port from a refusing server; saves are limited per company.
#[tokio::test]
async fn event_urls_are_no_window_onto_the_network() {
    let t = TestApp::spawn().await;
    let own = format!("{}/meeting/api/open/user/list", t.base);
    let plain = t.call("event/save", json!({"url": "http://127.0.0.1:9/closed"})).await;
    for url in ["http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", own.as_str()] {
        let refused = t.call("event/save", json!({"url": url})).await;
        assert_eq!(code(&refused), 71020, "{url}: {refused}");
        assert_eq!(refused["fieldErrors"], plain["fieldErrors"], "{url}: the same plain words");
    }
    let long = format!("http://example.com/{}", "a".repeat(2100));
    assert_eq!(code(&t.call("event/save", json!({"url": long})).await), 71001);
    // Ten saves a minute for a company: of twelve at once, two wait (another company's
    // count, untouched by the saves above).
    let other = t.other_company_token().await;
    let saves = (0..12).map(|_| t.call_as(&other, "event/save", json!({"url": "http://127.0.0.1:9/closed"})));
    let codes: Vec<i64> = futures::future::join_all(saves).await.iter().map(code).collect();
    assert_eq!(codes.iter().filter(|c| **c == 71020).count(), 10, "{codes:?}");
    assert_eq!(codes.iter().filter(|c| **c == 71024).count(), 2, "{codes:?}");
    // Credentials, too, come only so fast.
    let made: Vec<i64> =
        futures::future::join_all((0..12).map(|_| t.call("app/create", json!({})))).await.iter().map(code).collect();
    assert_eq!(made.iter().filter(|c| **c == 10000).count(), 10, "{made:?}");
    assert_eq!(made.iter().filter(|c| **c == 71024).count(), 2, "{made:?}");
}

/// Connections that never finish their headers, or idle after an answer, are closed
/// once their time is up; meanwhile, and with every place taken, others are served.
#[tokio::test]
async fn slow_and_idle_connections_are_closed_and_others_served() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let t = TestApp::spawn_with(|mut state| {
        state.connections.header_timeout = std::time::Duration::from_millis(400);
        state.connections.max = 40;
        Ok(state)
    })
    .await;
    let addr = t.base.trim_start_matches("http://").to_string();
    let mut slow = Vec::new();
    for _ in 0..40 {
        let mut socket = tokio::net::TcpStream::connect(&addr).await.expect("connect");
        socket.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ").await.expect("write");
        slow.push(socket);
    }
    // Every place is taken: a new client waits in the listen queue until the slow ones
    // are timed out, then is answered.
    let health = reqwest::get(format!("{}/healthz", t.base)).await.expect("healthz");
    assert_eq!(health.status(), 200);
    for mut socket in slow {
        let mut rest = Vec::new();
        let read = tokio::time::timeout(std::time::Duration::from_secs(5), socket.read_to_end(&mut rest)).await;
        assert!(read.is_ok(), "a connection that never finished its headers was closed");
    }
    // One that asked once and then idles is closed as well.
    let mut idle = tokio::net::TcpStream::connect(&addr).await.expect("connect");
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await.expect("write");
    let mut answer = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(5), idle.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "an idle keep-alive connection was closed");
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"), "after its answer");
}

/// Pages carry the headers that keep browsers from framing, caching or leaking them; every
/// answer says its type is no guess; cookies are `Secure` when roomd is reached over https.
#[tokio::test]
async fn pages_carry_security_headers_and_cookies_follow_https() {
    let t = TestApp::spawn_with(|state| {
        Ok(roomd_server::AppState::new(state.store.clone(), state.clock.clone(), "https://rooms.example"))
    })
    .await;
    let page = reqwest::get(format!("{}/meeting/manage/login", t.base)).await.expect("page");
    let header = |name: &str| page.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert!(header("content-security-policy").contains("frame-ancestors 'none'"), "{:?}", page.headers());
    assert_eq!(header("x-frame-options"), "DENY");
    assert_eq!(header("cache-control"), "no-store");
    assert_eq!(header("referrer-policy"), "strict-origin-when-cross-origin");
    assert_eq!(header("x-content-type-options"), "nosniff");
    let json = t
        .http
        .post(format!("{}/meeting/api/open/user/list?access_token={}", t.base, t.token))
        .send()
        .await
        .expect("api");
    assert_eq!(json.headers()["x-content-type-options"], "nosniff");
    t.ok("user/update", json!({"id": "1", "password": "correct horse 1"})).await;
    let signed_in = t.console_login("admin", "correct horse 1").await;
    let set = signed_in.headers()["set-cookie"].to_str().expect("cookie").to_string();
    assert!(set.contains("; Secure") && set.contains("HttpOnly"), "{set}");
}

/// Behind a trusted proxy, limits count the client its `X-Forwarded-For` names; from
/// anywhere else, the header changes nothing.
#[tokio::test]
async fn limits_count_the_client_a_trusted_proxy_names() {
    let t = TestApp::spawn_with(|mut state| {
        state.trusted_proxies = std::sync::Arc::new(vec!["127.0.0.0/8".parse().expect("net")]);
        Ok(state)
    })
    .await;
    // A new account each time: what is counted is the address.
    let login = |client: &'static str, i: usize| {
        no_redirects()
            .post(format!("{}/meeting/manage/login", t.base))
            .header("X-Forwarded-For", client)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(format!("company=1000&account=nobody{i}&password=wrong"))
            .send()
    };
    for i in 0..20 {
        assert_eq!(login("198.51.100.1", i).await.expect("send").status(), 401);
    }
    assert_eq!(login("198.51.100.1", 20).await.expect("send").status(), 429, "that client's tries are used up");
    assert_eq!(login("198.51.100.2", 21).await.expect("send").status(), 401, "another client behind the proxy is not");
}

/// A body must arrive whole within its time, not merely keep trickling in.
#[tokio::test]
async fn a_trickling_body_is_cut_off_at_its_deadline() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let t = TestApp::spawn_with(|mut state| {
        state.connections.body_timeout = std::time::Duration::from_millis(500);
        Ok(state)
    })
    .await;
    let mut socket = tokio::net::TcpStream::connect(t.base.trim_start_matches("http://")).await.expect("connect");
    let body = "company=1000&account=admin&password=whatever-it-is";
    let head = format!(
        "POST /meeting/manage/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    socket.write_all(head.as_bytes()).await.expect("head");
    // A byte every 100 ms: each one well within any idle time-out, the whole far past 500 ms.
    for byte in body.bytes() {
        if socket.write_all(&[byte]).await.is_err() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let mut answer = String::new();
    let _ = socket.read_to_string(&mut answer).await;
    assert!(answer.starts_with("HTTP/1.1 4"), "the body was refused, not read: {answer}");
}

/// However a URL leads back to a roomd (here one allowed on purpose), the webhook's mark
/// makes roomd refuse it; no client request carries the mark.
#[tokio::test]
async fn a_webhook_that_finds_its_way_back_to_roomd_is_refused() {
    let open = roomd_server::WebhookDestinations::new(vec!["127.0.0.0/8".parse().expect("net")], vec![]);
    let t = TestApp::spawn_with(|state| state.with_webhooks(&[], open)).await;
    let own = format!("{}/meeting/api/open/event/get?access_token={}", t.base, t.token);
    let refused = t.call("event/save", json!({"url": own})).await;
    assert_eq!(code(&refused), 71020, "{refused}");
    let marked = t.http.get(format!("{}/healthz", t.base)).header("X-Roomd-Webhook", "1").send().await.expect("send");
    assert_eq!(marked.status(), 403);
}
