//! A receiver of roomd's webhooks, for trying a subscription out (`roomd receive`) and
//! for the load generator: it opens each request with the subscription's keys, hands
//! the event to a sink, and answers the encrypted `success` that roomd waits for (or
//! HTTP 503 when the sink says no, so roomd tries again later). A request that does not
//! open with the keys answers 400.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use roomd_core::secret;
use roomd_wire::event_crypto::EventCipher;
use serde_json::Value;

/// What is done with each event opened (its decrypted JSON); `false` answers 503.
pub type Sink = Arc<dyn Fn(&str) -> bool + Send + Sync>;

#[derive(Clone)]
struct Receiving {
    cipher: Arc<EventCipher>,
    sink: Sink,
}

/// A router that receives events at every path.
pub fn router(cipher: EventCipher, sink: Sink) -> Router {
    let state = Receiving { cipher: Arc::new(cipher), sink };
    Router::new().route("/", post(receive)).route("/{*path}", post(receive)).with_state(state)
}

async fn receive(
    State(r): State<Receiving>,
    Query(query): Query<HashMap<String, String>>,
    Json(body): Json<Value>,
) -> (StatusCode, String) {
    let value = |name: &str| query.get(name).map_or("", String::as_str);
    let opened = r.cipher.open(
        value("msg_signature"),
        value("timestamp"),
        value("nonce"),
        body["encrypt"].as_str().unwrap_or_default(),
    );
    let Ok(event) = opened else { return (StatusCode::BAD_REQUEST, "does not open with these keys".into()) };
    if !(r.sink)(&event) {
        return (StatusCode::SERVICE_UNAVAILABLE, String::new());
    }
    let mut random16 = [0u8; 16];
    random16.copy_from_slice(secret::alphanumeric(16).as_bytes());
    let now = roomd_core::Clock::now_ms(&roomd_core::SystemClock).to_string();
    let sealed = r.cipher.seal("success", &now, &secret::alphanumeric(16), &random16);
    match sealed.ok().and_then(|s| serde_json::to_string(&s).ok()) {
        Some(reply) => (StatusCode::OK, reply),
        None => (StatusCode::INTERNAL_SERVER_ERROR, String::new()),
    }
}
