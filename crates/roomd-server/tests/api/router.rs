//! In-process router tests: `roomd_server::router(state)` driven with `oneshot`, no
//! socket. Each checks the exact envelope and HTTP status of one rejection path of the
//! extractors and middleware; the HTTP-level suites (`errors.rs`) cover the codes end to end.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, Request, StatusCode, header};
use roomd_core::ManualClock;
use roomd_server::AppState;
use roomd_store::{Store, StoreConfig};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::NOW;

/// `h5::BODY_LIMIT`: bodies over 1 MiB are refused.
const BODY_LIMIT: usize = 1024 * 1024;

struct InProcess {
    router: Router,
    store: Store,
    clock: Arc<ManualClock>,
    token: String,
    token_expires_ms: i64,
    _dir: tempfile::TempDir,
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    fn content_type(&self) -> &str {
        self.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

impl InProcess {
    /// A fresh SQLite file, company 1000 and a token issued by the store directly.
    async fn new() -> InProcess {
        let dir = tempfile::tempdir().expect("temp dir");
        let database_url = format!("sqlite://{}?mode=rwc", dir.path().join("roomd.db").display());
        let clock = Arc::new(ManualClock::new(NOW));
        let config = StoreConfig { database_url, data_dir: dir.path().to_path_buf(), clock: clock.clone() };
        let store = Store::open(config).await.expect("store");
        let first = store.first_start().await.expect("first start").expect("a fresh database");
        let issued =
            store.issue_token(first.credential.appkey, first.credential.appsecret).await.expect("token issued");
        let router = roomd_server::router(AppState::new(store.clone(), clock.clone(), "http://roomd.test"));
        InProcess { router, store, clock, token: issued.token, token_expires_ms: NOW + issued.expires_in_ms, _dir: dir }
    }

    async fn send(&self, request: Request<Body>) -> Answer {
        let response = self.router.clone().oneshot(request).await.expect("infallible");
        let (parts, body) = response.into_parts();
        let body = to_bytes(body, usize::MAX).await.expect("body").to_vec();
        Answer { status: parts.status, headers: parts.headers, body }
    }

    /// POSTs raw `body` to `/meeting/api/open/{path}` with our token.
    async fn post(&self, path: &str, body: impl Into<Body>) -> Answer {
        let uri = format!("/meeting/api/open/{path}?access_token={}", self.token);
        self.send(Request::post(uri).header(header::CONTENT_TYPE, "application/json").body(body.into()).expect("req"))
            .await
    }
}

fn invalid(field: &str, reason: &str) -> Value {
    json!({"success": false, "message": "Invalid arguments", "code": 71001, "fieldErrors": {field: reason}})
}

/// A 200 answer in the envelope, whatever it says.
fn enveloped(answer: &Answer) -> Value {
    assert_eq!(answer.status, StatusCode::OK, "{}", String::from_utf8_lossy(&answer.body));
    assert_eq!(answer.content_type(), "application/json");
    answer.json()
}

#[tokio::test]
async fn an_unknown_h5_path_answers_71001_naming_the_path_with_http_200() {
    let app = InProcess::new().await;
    let answer = app.post("user/nope", "{}").await;
    assert_eq!(enveloped(&answer), invalid("path", "no such endpoint: /meeting/api/open/user/nope"));
}

#[tokio::test]
async fn an_unknown_path_outside_h5_answers_the_envelope_with_http_404() {
    let app = InProcess::new().await;
    let answer = app.send(Request::get("/favicon.ico").body(Body::empty()).expect("req")).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.content_type(), "application/json");
    assert_eq!(answer.json(), invalid("path", "no such endpoint: /favicon.ico"));
}

#[tokio::test]
async fn a_wrong_method_answers_71001_for_the_method_and_probes_keep_plain_http() {
    let app = InProcess::new().await;
    let uri = format!("/meeting/api/open/meeting/book?access_token={}", app.token);
    let answer = app.send(Request::get(uri).body(Body::empty()).expect("req")).await;
    assert_eq!(enveloped(&answer), invalid("method", "not allowed here"));
    // The method router adds `Allow` outside the rewrite, so it survives.
    assert_eq!(answer.headers.get(header::ALLOW).map(|v| v.as_bytes()), Some(&b"POST"[..]));
    // The health probes are for load balancers: plain HTTP, no envelope.
    let answer = app.send(Request::post("/healthz").body(Body::empty()).expect("req")).await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(answer.headers.get(header::ALLOW).map(|v| v.as_bytes()), Some(&b"GET,HEAD"[..]));
}

#[tokio::test]
async fn an_empty_access_token_answers_71002_before_the_body_is_read() {
    let app = InProcess::new().await;
    for query in ["access_token=", "access_token=&access_token=ignored", "accessToken=x"] {
        let uri = format!("/meeting/api/open/user/get?{query}");
        let answer = app.send(Request::post(uri).body(Body::from("[not json")).expect("req")).await;
        assert_eq!(
            enveloped(&answer),
            json!({"success": false, "message": "Lack access token", "code": 71002, "fieldErrors": {}}),
            "{query}"
        );
    }
}

#[tokio::test]
async fn an_unknown_token_answers_71003_and_a_cached_token_still_expires_on_time() {
    let app = InProcess::new().await;
    let uri = "/meeting/api/open/user/list?access_token=0123456789abcdef";
    let answer = app.send(Request::post(uri).body(Body::empty()).expect("req")).await;
    assert_eq!(
        enveloped(&answer),
        json!({"success": false, "message": "Illegal access token", "code": 71003, "fieldErrors": {}})
    );
    assert_eq!(enveloped(&app.post("user/list", "").await)["code"], 10000, "the token is now cached");
    app.clock.set(app.token_expires_ms - 1);
    assert_eq!(enveloped(&app.post("user/list", "").await)["code"], 10000, "one millisecond left");
    app.clock.set(app.token_expires_ms);
    assert_eq!(
        enveloped(&app.post("user/list", "").await),
        json!({"success": false, "message": "Expire access token", "code": 71004, "fieldErrors": {}})
    );
}

#[tokio::test]
async fn a_body_that_is_not_json_answers_71001_with_the_parser_detail() {
    let app = InProcess::new().await;
    let cases = [
        ("{\"userId\":", "not valid JSON: EOF while parsing a value at line 1 column 10"),
        ("{\"userId\": \"1\"} {}", "not valid JSON: trailing characters at line 1 column 17"),
        ("{userId: 1}", "not valid JSON: key must be a string at line 1 column 2"),
    ];
    for (body, reason) in cases {
        assert_eq!(enveloped(&app.post("user/get", body).await), invalid("body", reason), "{body}");
    }
}

#[tokio::test]
async fn a_body_that_is_not_a_json_object_answers_71001() {
    let app = InProcess::new().await;
    for body in ["[{\"userId\": \"1\"}]", "\"1\"", "null", "  1"] {
        assert_eq!(enveloped(&app.post("user/get", body).await), invalid("body", "must be a JSON object"), "{body}");
    }
}

#[tokio::test]
async fn a_value_of_the_wrong_type_answers_71008_naming_its_json_path() {
    let app = InProcess::new().await;
    let answer = app.post("meeting/book", r#"{"roomId": "r", "beginTime": "9am"}"#).await;
    assert_eq!(
        enveloped(&answer),
        json!({
            "success": false, "message": "Arguments type mismatch", "code": 71008,
            "fieldErrors": {"beginTime": "invalid type: string \"9am\", expected i64 at line 1 column 34"}
        })
    );
    let answer = app.post("meeting/book", r#"{"attendances": [{"userId": "1"}, {"userId": 5}]}"#).await;
    assert_eq!(
        enveloped(&answer),
        json!({
            "success": false, "message": "Arguments type mismatch", "code": 71008,
            "fieldErrors": {"attendances[1].userId": "invalid type: integer `5`, expected a string at line 1 column 46"}
        })
    );
}

#[tokio::test]
async fn a_missing_required_field_answers_71005_naming_it() {
    let app = InProcess::new().await;
    let lack = json!({
        "success": false, "message": "Lack meetingId arguments", "code": 71005,
        "fieldErrors": {"meetingId": "required"}
    });
    for body in [r#"{}"#, r#"{"meetingId": null}"#, r#"{"meetingId": "  "}"#, r#"{"meetingid": "X"}"#] {
        assert_eq!(enveloped(&app.post("meeting/get", body).await), lack, "{body}");
    }
}

#[tokio::test]
async fn an_empty_or_blank_body_is_read_as_an_empty_object() {
    let app = InProcess::new().await;
    let lack = json!({
        "success": false, "message": "Lack userId arguments", "code": 71005, "fieldErrors": {"userId": "required"}
    });
    for body in ["", " \r\n\t"] {
        assert_eq!(enveloped(&app.post("user/get", body).await), lack, "{body:?}");
    }
    let list = enveloped(&app.post("user/list", "").await);
    assert_eq!((list["success"].clone(), list["value"][0]["id"].clone()), (json!(true), json!("1")), "{list}");
}

#[tokio::test]
async fn the_body_limit_is_one_mib_inclusive() {
    let app = InProcess::new().await;
    let padded = |len: usize| {
        let json = r#"{"userId": "ghost"}"#;
        format!("{json}{}", " ".repeat(len - json.len()))
    };
    assert_eq!(
        enveloped(&app.post("user/get", padded(BODY_LIMIT)).await),
        json!({"success": false, "message": "User is not exist", "code": 71009, "fieldErrors": {}}),
        "exactly 1 MiB is read"
    );
    let answer = app.post("user/get", padded(BODY_LIMIT + 1)).await;
    assert_eq!(enveloped(&answer), invalid("body", "too large or unreadable"));
}

#[tokio::test]
async fn the_content_type_does_not_matter_for_a_json_body() {
    let app = InProcess::new().await;
    let uri = format!("/meeting/api/open/user/get?access_token={}", app.token);
    for content_type in [None, Some("text/plain"), Some("application/x-www-form-urlencoded")] {
        let mut request = Request::post(&uri);
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        let answer = app.send(request.body(Body::from(r#"{"userId": "1"}"#)).expect("req")).await;
        let answer = enveloped(&answer);
        assert_eq!((answer["code"].clone(), answer["value"]["id"].clone()), (json!(10000), json!("1")), "{answer}");
    }
}

#[tokio::test]
async fn the_space_prefixed_alias_paths_reach_finish_and_clear_face() {
    let app = InProcess::new().await;
    let lack = |field: &str| {
        json!({
            "success": false, "message": format!("Lack {field} arguments"), "code": 71005,
            "fieldErrors": {field: "required"}
        })
    };
    assert_eq!(enveloped(&app.post("meeting/%20finish", "{}").await), lack("meetingId"));
    assert_eq!(
        enveloped(&app.post("meeting/%20finish", r#"{"meetingId": "GHOST"}"#).await),
        json!({"success": false, "message": "Meeting is not exist", "code": 71012, "fieldErrors": {}})
    );
    assert_eq!(enveloped(&app.post("user/%20clearFace", "{}").await), lack("userId"));
    assert_eq!(
        enveloped(&app.post("user/%20clearFace", r#"{"userId": "1"}"#).await),
        json!({"success": true, "message": "", "code": 10000, "fieldErrors": {}})
    );
    // Only the two paths the seed misprints have an alias.
    let answer = app.post("meeting/%20cancel", "{}").await;
    assert_eq!(enveloped(&answer), invalid("path", "no such endpoint: /meeting/api/open/meeting/%20cancel"));
}

#[tokio::test]
async fn a_stray_extractor_rejection_is_rewritten_into_the_envelope() {
    let app = InProcess::new().await;
    // updateFace wants multipart: axum's own 400 (plain text) must not leak.
    let answer = app.post("user/updateFace", r#"{"userId": "1"}"#).await;
    assert_eq!(enveloped(&answer), invalid("request", "Bad Request"));
    // gettoken's query extractor refuses a repeated key the same way.
    let uri = "/meeting/api/oapi/gettoken?appkey=a&appkey=b&appsecret=c";
    let answer = app.send(Request::get(uri).body(Body::empty()).expect("req")).await;
    assert_eq!(enveloped(&answer), invalid("request", "Bad Request"));
}

#[tokio::test]
async fn a_face_upload_has_its_own_larger_body_limit() {
    let app = InProcess::new().await;
    let multipart = |file_len: usize| {
        let mut body = b"--XYZ\r\nContent-Disposition: form-data; name=\"userId\"\r\n\r\nghost\r\n".to_vec();
        body.extend_from_slice(b"--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.jpg\"\r\n");
        body.extend_from_slice(b"Content-Type: image/jpeg\r\n\r\n");
        body.extend(std::iter::repeat_n(b'x', file_len));
        body.extend_from_slice(b"\r\n--XYZ--\r\n");
        let uri = format!("/meeting/api/open/user/updateFace?access_token={}", app.token);
        Request::post(uri).header(header::CONTENT_TYPE, "multipart/form-data; boundary=XYZ").body(Body::from(body))
    };
    // 2 MiB is over the h5 limit but under the face limit: the form is read, the user looked up.
    let answer = app.send(multipart(2 * BODY_LIMIT).expect("req")).await;
    assert_eq!(
        enveloped(&answer),
        json!({"success": false, "message": "User is not exist", "code": 71009, "fieldErrors": {}})
    );
    let answer = app.send(multipart(7 * BODY_LIMIT).expect("req")).await;
    assert_eq!(
        enveloped(&answer),
        json!({
            "success": false, "message": "Invalid face image", "code": 71021,
            "fieldErrors": {"file": "larger than 5 MB"}
        })
    );
}

#[tokio::test]
async fn healthz_answers_plain_text_outside_the_envelope() {
    let app = InProcess::new().await;
    let answer = app.send(Request::get("/healthz").body(Body::empty()).expect("req")).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.content_type(), "text/plain; charset=utf-8");
    assert_eq!(answer.body, b"ok");
}

#[tokio::test]
async fn readyz_answers_ready_when_the_database_answers() {
    let app = InProcess::new().await;
    let answer = app.send(Request::get("/readyz").body(Body::empty()).expect("req")).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", String::from_utf8_lossy(&answer.body));
    assert_eq!(answer.content_type(), "text/plain; charset=utf-8");
    assert_eq!(answer.body, b"ready");
}

#[tokio::test]
async fn readyz_answers_503_when_the_database_is_closed() {
    let app = InProcess::new().await;
    app.store.close().await;
    let answer = app.send(Request::get("/readyz").body(Body::empty()).expect("req")).await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE, "{}", String::from_utf8_lossy(&answer.body));
    assert_eq!(answer.content_type(), "text/plain; charset=utf-8");
    assert_eq!(answer.body, b"database unavailable");
}
