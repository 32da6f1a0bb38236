//! The board API (`/board/api/...`, `docs/board-api.md`): what a check-in board calls,
//! authenticated by the device token it got when activated with a deployment code.

mod api;
pub(crate) mod checkin;
mod envelope;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::state::AppState;

/// The web board: one page (activation, room picker, room view) over the board API.
const PAGE: &str = include_str!("../../assets/board.html");

/// The board API, answering in its own envelope, and the pages (the web board, the
/// phone check-in page).
pub fn router() -> Router<AppState> {
    let pages = Router::new()
        .route("/board", get(|| async { axum::response::Html(PAGE) }))
        .route(checkin::PAGE, get(checkin::show).post(checkin::submit))
        .route("/board/checkin/qr.png", get(checkin::qr_png))
        .layer(DefaultBodyLimit::max(crate::h5::BODY_LIMIT))
        .layer(axum::middleware::from_fn(crate::middleware::page_strays))
        .layer(axum::middleware::from_fn(crate::web::remember_lang));
    Router::new()
        .route("/board/api/activate", post(api::activate))
        .route("/board/api/device", get(api::device))
        .route("/board/api/rooms", get(api::rooms))
        .route("/board/api/bind", post(api::bind))
        .route("/board/api/schedule", get(api::schedule))
        .route("/board/api/book_now", post(api::book_now))
        .route("/board/api/end", post(api::end))
        .route("/board/api/check_in", post(api::check_in))
        .route("/board/api/sms", post(api::send_code))
        .route(
            "/board/api/check_in/photo",
            post(api::check_in_photo).layer(DefaultBodyLimit::max(crate::h5::FACE_BODY_LIMIT)),
        )
        .route("/board/api/qr", get(api::qr))
        .route("/board/api/{*rest}", axum::routing::any(envelope::unknown_path))
        .layer(DefaultBodyLimit::max(crate::h5::BODY_LIMIT))
        .layer(axum::middleware::from_fn(crate::middleware::board_strays))
        .merge(pages)
}

/// What axum answers on its own under `/board/api/` (wrong method, body too large), in
/// the board's envelope.
pub fn stray_error(status: axum::http::StatusCode) -> envelope::BoardError {
    use roomd_wire::board::BoardCode;
    match status.as_u16() {
        404 | 405 => envelope::BoardError::new(BoardCode::NotFound),
        s if s >= 500 => envelope::BoardError::new(BoardCode::Internal),
        _ => envelope::BoardError::field("request", status.canonical_reason().unwrap_or("bad request")),
    }
}
