//! `mail/deliveries` (extension, docs/wire-compat.md "Mail"): the company's latest
//! messages and how their sending went.

use axum::extract::State;
use roomd_store::MailLine;
use roomd_wire::h5::{ErrorCode, MailDeliveries, MailDelivery};

use crate::error::{ApiError, ApiResult, H5};
use crate::extract::{Auth, H5Json};
use crate::state::AppState;

/// POST /meeting/api/open/mail/deliveries `{limit?}` — newest first.
pub async fn deliveries(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<MailDeliveries>,
) -> ApiResult<H5<Vec<MailDelivery>>> {
    let limit = req.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::field(ErrorCode::InvalidArguments, "limit", "must be 1 to 1000"));
    }
    let log = app.store.mail_deliveries(&caller, limit).await?;
    Ok(H5::ok(log.into_iter().map(delivery_view).collect()))
}

pub fn delivery_view(line: MailLine) -> MailDelivery {
    MailDelivery {
        id: line.id.to_string(),
        meeting_id: line.meeting_id,
        series_id: line.series_id,
        to: line.to,
        method: line.method,
        state: line.state,
        attempts: line.attempts,
        last_error: line.last_error,
        created_time: line.created_ms,
        done_time: line.done_ms,
    }
}
