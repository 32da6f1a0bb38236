//! The Feishu dialect (`/open-apis/...`, docs/wire-compat.md): the tenant token and, one
//! module per API family, the endpoints of the Feishu seeds.

mod auth;
mod corehr;
mod envelope;
mod vc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{any, get, post};

pub use envelope::{FeishuError, FeishuJson};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/open-apis/auth/v3/tenant_access_token/internal", post(auth::tenant_access_token))
        .route("/open-apis/corehr/v2/onboarding_qr_codes", post(corehr::create_qr_code))
        .route("/open-apis/corehr/v2/onboarding_qr_codes/dimension", post(corehr::dimensions))
        .route("/open-apis/vc/v1/room_configs/set_checkboard_access_code", post(vc::set_checkboard_access_code))
        .route("/open-apis/vc/v1/room_configs/set_room_access_code", post(vc::set_room_access_code))
        .route("/open-apis/vc/v1/room_configs/query", get(vc::query))
        .route("/open-apis/vc/v1/room_configs/set", post(vc::set))
        .route("/open-apis/{*rest}", any(envelope::unknown_path))
        .layer(DefaultBodyLimit::max(crate::h5::BODY_LIMIT))
        .layer(axum::middleware::from_fn(crate::middleware::feishu_strays))
}

/// What axum answers on its own under `/open-apis/` (wrong method, body too large), in
/// the Feishu envelope.
pub fn stray_error(status: axum::http::StatusCode) -> FeishuError {
    use roomd_wire::feishu::FeishuCode;
    match status.as_u16() {
        405 => FeishuError::field(FeishuCode::NotFound, "method", "not allowed here"),
        s if s >= 500 => FeishuError::new(FeishuCode::Internal),
        _ => FeishuError::field(
            FeishuCode::CorehrParamInvalid,
            "request",
            status.canonical_reason().unwrap_or("bad request"),
        ),
    }
}
