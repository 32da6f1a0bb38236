//! Event subscription (事件订阅): the endpoints of docs/wire-compat.md and the delivery log.

use serde::{Deserialize, Serialize};

/// `event/get`, `event/refresh`, `event/save`: the subscription as an admin sees it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct EventSubscription {
    pub url: String,
    pub aes_key: String,
    pub token: String,
    pub enabled: bool,
}

/// `event/save` request.
#[derive(Debug, Default, Deserialize)]
pub struct EventSave {
    pub url: Option<String>,
}

/// `event/deliveries` request: newest first, paged by `beforeSeq`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventDeliveries {
    pub before_seq: Option<i64>,
    pub limit: Option<i64>,
}

/// `event/replay` request.
#[derive(Debug, Default, Deserialize)]
pub struct EventReplay {
    pub seq: Option<i64>,
}

/// One line of the delivery log.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct EventDelivery {
    pub seq: i64,
    pub event_type: String,
    pub created_time: i64,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    pub attempts: i64,
    pub last_status: String,
    /// When the next attempt is due (pending events), else 0.
    pub next_attempt_time: i64,
    /// When it was delivered or given up, else 0.
    pub done_time: i64,
    /// The event this one replays, else 0.
    pub replay_of: i64,
}

/// `event/replay` answer: the new event, a copy at the end of the company's line.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct EventReplayed {
    pub seq: i64,
}
