//! Event subscription endpoints (decisions.md §2): the console's 事件订阅 panel as an API,
//! plus the delivery log and replays.

use std::time::Duration;

use axum::extract::State;
use roomd_store::{Delivery, Subscription};
use roomd_wire::h5::{ErrorCode, EventDeliveries, EventDelivery, EventReplay, EventSave, EventSubscription};

use crate::error::{ApiError, ApiResult, H5, Required};
use crate::events::{Keys, send};
use crate::extract::{Auth, H5Json};
use crate::state::AppState;

/// The seed: the application server must answer within 1500 ms.
const CHECK_DEADLINE: Duration = Duration::from_millis(1500);
const CHECK_URL_EVENT: &str = r#"{"event_type":"check_url","EventType":"check_url"}"#;

/// POST /meeting/api/open/event/get
pub async fn get(State(app): State<AppState>, Auth(caller): Auth) -> ApiResult<H5<EventSubscription>> {
    let subscription = match app.store.event_subscription(&caller).await? {
        Some(s) => s,
        None => app.store.refresh_event_keys(&caller).await?,
    };
    Ok(H5::ok(view(subscription)))
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
    let url = req.url.required("url")?.trim().to_string();
    match reqwest::Url::parse(&url) {
        Ok(u) if u.scheme() == "http" || u.scheme() == "https" => {}
        _ => return Err(ApiError::field(ErrorCode::InvalidArguments, "url", "must be an http:// or https:// URL")),
    }
    let current = match app.store.event_subscription(&caller).await? {
        Some(s) => s,
        None => app.store.refresh_event_keys(&caller).await?,
    };
    let keys = Keys { aes_key: &current.aes_key, token: &current.token, appkey: &current.appkey };
    if let Err(why) = send(&app.http, &url, &keys, CHECK_URL_EVENT, app.now_ms(), CHECK_DEADLINE).await {
        return Err(ApiError::field(ErrorCode::EventUrlCheckFailed, "url", why));
    }
    let saved = app.store.save_event_subscription(&caller, Subscription { url, ..current }).await?;
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

/// POST /meeting/api/open/event/replay — sends one event again.
pub async fn replay(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<EventReplay>,
) -> ApiResult<H5<()>> {
    let seq = req.seq.required("seq")?;
    app.store.replay_event(&caller, seq).await?;
    Ok(H5::ok(()))
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
        done_time: d.done_ms.unwrap_or(0),
    }
}
