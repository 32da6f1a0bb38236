use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use roomd_wire::h5::ErrorCode;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// GET /meeting/api/opt/resources/{company}/{file} — a stored photo (faceUrl). Names are
/// SHA-256 of the content, so they cannot be guessed; no token is asked, as in the seed.
pub async fn get(State(app): State<AppState>, Path((company, file)): Path<(String, String)>) -> ApiResult<Response> {
    let not_found = || ApiError::field(ErrorCode::InvalidArguments, "file", "no such file");
    let well_formed = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '.');
    if !well_formed(&company) || !well_formed(&file) || file.starts_with('.') {
        return Err(not_found());
    }
    let (path, content_type) = app.store.blob(company, file).await?.ok_or_else(not_found)?;
    let bytes = tokio::fs::read(&path).await.map_err(|e| {
        tracing::error!(path = %path.display(), error = %e, "stored file is missing");
        not_found()
    })?;
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=31536000, immutable".into())],
        Body::from(bytes),
    )
        .into_response())
}
