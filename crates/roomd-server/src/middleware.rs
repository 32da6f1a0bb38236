//! Whatever axum or tower answers on their own (unknown path, wrong method, body too
//! large, a panic) leaves in the h5 envelope too, never as text or HTML.

use std::any::Any;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use roomd_wire::h5::ErrorCode;

use crate::error::ApiError;
use crate::state::AppState;

/// Any path no route knows. Under the h5 prefix the answer is HTTP 200 like every h5
/// answer; elsewhere it is a plain 404 in the same envelope.
pub async fn unknown_path(req: Request) -> Response {
    let error = ApiError::field(ErrorCode::InvalidArguments, "path", format!("no such endpoint: {}", req.uri().path()));
    let mut response = error.into_response();
    if !req.uri().path().starts_with("/meeting/api/") {
        *response.status_mut() = StatusCode::NOT_FOUND;
    }
    response
}

/// Rewrites error responses that are not JSON (405 from the router, 413 from a body
/// limit, 400/415 from a stray extractor) into the envelope.
pub async fn envelope_stray_errors(req: Request, next: Next) -> Response {
    // Health probes answer load balancers in plain text, 503 included.
    let probe = matches!(req.uri().path(), "/healthz" | "/readyz");
    let path = req.uri().path().to_string();
    let feishu = path.starts_with("/open-apis/");
    let response = next.run(req).await;
    if probe {
        return response;
    }
    let status = response.status();
    let content_type = response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    // JSON is already an envelope; HTML is a page of ours (the onboarding scan page).
    let ours = content_type.starts_with("application/json") || content_type.starts_with("text/html");
    if !(status.is_client_error() || status.is_server_error()) || ours {
        return response;
    }
    if feishu {
        return crate::feishu::stray_error(status).into_response();
    }
    if path.starts_with("/board/api/") {
        return crate::board::stray_error(status).into_response();
    }
    let h5 = path.starts_with("/meeting/api/");
    let error = match status {
        StatusCode::METHOD_NOT_ALLOWED => ApiError::field(ErrorCode::InvalidArguments, "method", "not allowed here"),
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::field(ErrorCode::InvalidArguments, "body", "too large"),
        StatusCode::NOT_FOUND => ApiError::field(ErrorCode::InvalidArguments, "path", "not found"),
        s if s.is_server_error() => ApiError::new(ErrorCode::Internal),
        s => ApiError::field(ErrorCode::InvalidArguments, "request", s.canonical_reason().unwrap_or("bad request")),
    };
    let mut response = error.into_response();
    // Only h5 answers are all HTTP 200; elsewhere the status stays what it was.
    if !h5 {
        *response.status_mut() = status;
    }
    response
}

pub fn panic_response(detail: Box<dyn Any + Send + 'static>) -> Response<Body> {
    let detail = detail
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| detail.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    tracing::error!(%detail, "handler panicked");
    ApiError::new(ErrorCode::Internal).into_response()
}

/// The span of a request in the logs: method and path, never the query string, where
/// `access_token`, `appsecret`, setup-link and check-in tokens travel.
pub fn request_span(req: &axum::http::Request<Body>) -> tracing::Span {
    tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
}

/// What a browser must not do with roomd's pages: run scripts, style or connect anywhere
/// but roomd (images may come from anywhere: a board's background, a face behind the
/// public URL, the room form's map tiles), be framed, post forms elsewhere.
const PAGE_POLICY: &str = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; \
    img-src * data: blob:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; \
    object-src 'none'";

/// Sets the security headers on every answer, a panic's included: `nosniff`; no caching
/// unless the answer says otherwise (pages and API answers show secrets once); HSTS
/// when clients reach roomd over https; and on HTML pages the content policy, no
/// framing, and only the origin as referrer elsewhere.
pub async fn security_headers(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if app.views.public_url().starts_with("https://") {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    if html {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PAGE_POLICY));
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    }
    response
}

/// Refuses a request that carries roomd's webhook mark: a webhook that found its way back
/// to a roomd, which must not act on it (`events::send::MARK`).
pub async fn refuse_own_webhooks(req: Request, next: Next) -> Response {
    if req.headers().contains_key(crate::events::MARK) {
        return (StatusCode::FORBIDDEN, "roomd does not take its own webhooks").into_response();
    }
    next.run(req).await
}
