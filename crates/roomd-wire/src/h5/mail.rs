//! Mail (extension, docs/wire-compat.md "Mail").

use serde::{Deserialize, Serialize};

/// `mail/deliveries` request: the latest `limit` (1–1000, default 100).
#[derive(Debug, Default, Deserialize)]
pub struct MailDeliveries {
    pub limit: Option<i64>,
}

/// One message, as the mail log lists it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MailDelivery {
    pub id: String,
    /// The meeting the message is about (a series' first occurrence in it).
    pub meeting_id: String,
    pub series_id: String,
    /// The bare address.
    pub to: String,
    /// `REQUEST`, `CANCEL`, or `""` for a reminder.
    pub method: String,
    /// `pending`, `sent` or `failed`.
    pub state: String,
    pub attempts: i64,
    pub last_error: String,
    pub created_time: i64,
    /// 0 while pending.
    pub done_time: i64,
}
