//! Whatever axum or tower answers on their own (unknown path, wrong method, body too
//! large, a panic) leaves in its surface's envelope, never as bare text; and the layers
//! every answer passes (security headers, the request's log span, own webhooks refused).

use std::any::Any;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use roomd_wire::h5::ErrorCode;

use crate::error::ApiError;
use crate::state::AppState;

/// Any path no surface knows: the h5 envelope with HTTP 404. (Unknown paths under
/// `/meeting/api/` answer 200 in `h5`'s own catch-all route, as every h5 answer does;
/// the Feishu and board surfaces have catch-alls of their own.)
pub async fn unknown_path(req: Request) -> Response {
    let mut response = unknown_h5_path(req).await;
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}

/// An unknown path under `/meeting/api/`: 71001 naming it, HTTP 200.
pub async fn unknown_h5_path(req: Request) -> Response {
    ApiError::field(ErrorCode::InvalidArguments, "path", format!("no such endpoint: {}", req.uri().path()))
        .into_response()
}

/// Rewrites what axum answers on its own within a surface (405 from a route's method
/// router, 413 from a body limit, 400/415 from a stray extractor) into that surface's
/// envelope, through `to_envelope`; answers that are already JSON or HTML (a page of
/// ours) pass. Each surface's router has its own layer (`h5_strays`, …), so nothing
/// here looks at the path.
async fn rewrite_strays(req: Request, next: Next, to_envelope: impl FnOnce(StatusCode) -> Response) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    let content_type = response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let ours = content_type.starts_with("application/json") || content_type.starts_with("text/html");
    if !(status.is_client_error() || status.is_server_error()) || ours {
        return response;
    }
    let allow = response.headers().get(header::ALLOW).cloned();
    let mut rewritten = to_envelope(status);
    if let Some(allow) = allow {
        rewritten.headers_mut().insert(header::ALLOW, allow);
    }
    rewritten
}

/// The h5 surface, and the pages beside it: the h5 envelope, HTTP 200 for `/meeting/api/`
/// routes (`h5` says so) and the original status elsewhere.
pub async fn h5_strays(req: Request, next: Next) -> Response {
    rewrite_strays(req, next, |status| h5_stray(status, true)).await
}

/// The pages: a page that says what went wrong, in the reader's language.
pub async fn page_strays(req: Request, next: Next) -> Response {
    let lang = crate::web::page_lang(None, req.headers());
    rewrite_strays(req, next, move |status| crate::web::stray_page(lang, status)).await
}

pub async fn feishu_strays(req: Request, next: Next) -> Response {
    rewrite_strays(req, next, |status| crate::feishu::stray_error(status).into_response()).await
}

pub async fn board_strays(req: Request, next: Next) -> Response {
    rewrite_strays(req, next, |status| crate::board::stray_error(status).into_response()).await
}

fn h5_stray(status: StatusCode, h5: bool) -> Response {
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
