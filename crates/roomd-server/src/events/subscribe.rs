//! Saving a callback URL, for the h5 endpoint and the console alike: the URL must answer
//! an encrypted `check_url` event with the encrypted `success` within 1500 ms (the
//! seed), or the configuration in force stays.

use std::time::Duration;

use roomd_core::Caller;
use roomd_store::{StoreError, Subscription};

use super::{Keys, send};
use crate::limits::CompanyAction;
use crate::state::AppState;

/// The seed: the application server must answer within 1500 ms.
const CHECK_DEADLINE: Duration = Duration::from_millis(1500);
const CHECK_URL_EVENT: &str = r#"{"event_type":"check_url","EventType":"check_url"}"#;

pub enum SaveRefused {
    /// Not an `http://` or `https://` URL.
    BadUrl,
    /// The check failed. Why stays in roomd's log: told to the caller, a reason (cannot
    /// connect, an HTTP status, a time-out) would map the network roomd sits in.
    CheckFailed,
    /// Too many saves from the company this minute.
    TooMany,
    Store(StoreError),
}

/// What the caller of a failed save is told, in both of the console's languages too.
pub const CHECK_FAILED: &str =
    "the URL did not answer roomd's check_url event with an encrypted \"success\" within 1500 ms";

impl From<StoreError> for SaveRefused {
    fn from(e: StoreError) -> Self {
        SaveRefused::Store(e)
    }
}

/// The subscription in force, made (with fresh keys) on first use.
pub async fn current(app: &AppState, caller: &Caller) -> Result<Subscription, StoreError> {
    match app.store.event_subscription(caller).await? {
        Some(s) => Ok(s),
        None => app.store.refresh_event_keys(caller).await,
    }
}

/// The longest callback URL roomd keeps.
const MAX_URL: usize = 2048;

pub async fn save_url(app: &AppState, caller: &Caller, url: &str) -> Result<Subscription, SaveRefused> {
    let url = url.trim().to_string();
    match reqwest::Url::parse(&url) {
        Ok(u) if (u.scheme() == "http" || u.scheme() == "https") && url.len() <= MAX_URL => {}
        _ => return Err(SaveRefused::BadUrl),
    }
    if !app.limits.company(CompanyAction::EventSave, caller.company.as_str()) {
        return Err(SaveRefused::TooMany);
    }
    let current = current(app, caller).await?;
    let keys = Keys { aes_key: &current.aes_key, token: &current.token, appkey: &current.appkey };
    let started = tokio::time::Instant::now();
    if let Err(why) = send(&app.webhooks, &url, &keys, CHECK_URL_EVENT, app.now_ms(), CHECK_DEADLINE).await {
        tracing::info!(company = %caller.company, reason = %why, "event URL check failed");
        // Every failure takes the whole deadline: how soon it failed would tell a refused
        // address from a closed port from one nobody answers.
        tokio::time::sleep_until(started + CHECK_DEADLINE).await;
        return Err(SaveRefused::CheckFailed);
    }
    Ok(app.store.save_event_subscription(caller, Subscription { url, ..current }).await?)
}
