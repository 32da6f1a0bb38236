//! Event subscription endpoints (docs/wire-compat.md): the console's 事件订阅 panel as an API,
//! plus the delivery log and replays.

use axum::extract::State;
use roomd_store::{Delivery, Subscription};
use roomd_wire::h5::{
    ErrorCode, EventDeliveries, EventDelivery, EventReplay, EventReplayed, EventSave, EventSubscription,
};

use crate::error::{ApiError, ApiResult, H5, Required};
use crate::events::subscribe::{CHECK_FAILED, SaveRefused, current, save_url};
use crate::extract::{Auth, H5Json};
use crate::limits::CompanyAction;
use crate::state::AppState;

/// POST /meeting/api/open/event/get
pub async fn get(State(app): State<AppState>, Auth(caller): Auth) -> ApiResult<H5<EventSubscription>> {
    Ok(H5::ok(view(current(&app, &caller).await?)))
}

/// POST /meeting/api/open/event/refresh — new aes_key and token, in force after a save.
pub async fn refresh(State(app): State<AppState>, Auth(caller): Auth) -> ApiResult<H5<EventSubscription>> {
    Ok(H5::ok(view(app.store.refresh_event_keys(&caller).await?)))
}

/// POST /meeting/api/open/event/save — checks `url` with an encrypted `check_url` event;
/// only an encrypted `success` within 1500 ms saves it (71020 otherwise, and the previous
/// configuration stays in force).
pub async fn save(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<EventSave>,
) -> ApiResult<H5<EventSubscription>> {
    let url = req.url.required("url")?;
    let saved = match save_url(&app, &caller, &url).await {
        Ok(saved) => saved,
        Err(SaveRefused::BadUrl) => {
            let why = "must be an http:// or https:// URL of at most 2048 characters";
            return Err(ApiError::field(ErrorCode::InvalidArguments, "url", why));
        }
        Err(SaveRefused::CheckFailed) => {
            return Err(ApiError::field(ErrorCode::EventUrlCheckFailed, "url", CHECK_FAILED));
        }
        Err(SaveRefused::TooMany) => return Err(ApiError::new(ErrorCode::TooManyRequests)),
        Err(SaveRefused::Store(e)) => return Err(e.into()),
    };
    Ok(H5::ok(view(saved)))
}

/// POST /meeting/api/open/event/deliveries — the delivery log, newest first.
pub async fn deliveries(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<EventDeliveries>,
) -> ApiResult<H5<Vec<EventDelivery>>> {
    let limit = req.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::field(ErrorCode::InvalidArguments, "limit", "must be 1 to 1000"));
    }
    let log = app.store.event_deliveries(&caller, req.before_seq, limit).await?;
    Ok(H5::ok(log.into_iter().map(delivery_view).collect()))
}

/// POST /meeting/api/open/event/replay — sends one event again, as a new event at the end
/// of the company's line.
pub async fn replay(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<EventReplay>,
) -> ApiResult<H5<EventReplayed>> {
    let seq = req.seq.required("seq")?;
    if !app.limits.company(CompanyAction::EventReplay, caller.company.as_str()) {
        return Err(ApiError::new(ErrorCode::TooManyRequests));
    }
    Ok(H5::ok(EventReplayed { seq: app.store.replay_event(&caller, seq).await? }))
}

fn view(s: Subscription) -> EventSubscription {
    EventSubscription { url: s.url, aes_key: s.aes_key, token: s.token, enabled: s.enabled }
}

fn delivery_view(d: Delivery) -> EventDelivery {
    EventDelivery {
        seq: d.seq,
        event_type: d.event_type,
        created_time: d.created_ms,
        state: d.state.to_string(),
        attempts: d.attempts,
        last_status: d.last_status,
        next_attempt_time: d.next_attempt_ms.unwrap_or(0),
        replay_of: d.replay_of.unwrap_or(0),
        done_time: d.done_ms.unwrap_or(0),
    }
}
