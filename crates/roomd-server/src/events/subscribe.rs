//! Saving a callback URL, for the h5 endpoint and the console alike: the URL must answer
//! an encrypted `check_url` event with the encrypted `success` within 1500 ms (the
//! seed), or the configuration in force stays.

use std::time::Duration;

use roomd_core::Caller;
use roomd_store::{StoreError, Subscription};

use super::{Keys, send};
use crate::state::AppState;

/// The seed: the application server must answer within 1500 ms.
const CHECK_DEADLINE: Duration = Duration::from_millis(1500);
const CHECK_URL_EVENT: &str = r#"{"event_type":"check_url","EventType":"check_url"}"#;

pub enum SaveRefused {
    /// Not an `http://` or `https://` URL.
    BadUrl,
    /// The check failed: why.
    CheckFailed(String),
    Store(StoreError),
}

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

pub async fn save_url(app: &AppState, caller: &Caller, url: &str) -> Result<Subscription, SaveRefused> {
    let url = url.trim().to_string();
    match reqwest::Url::parse(&url) {
        Ok(u) if u.scheme() == "http" || u.scheme() == "https" => {}
        _ => return Err(SaveRefused::BadUrl),
    }
    let current = current(app, caller).await?;
    let keys = Keys { aes_key: &current.aes_key, token: &current.token, appkey: &current.appkey };
    send(&app.http, &url, &keys, CHECK_URL_EVENT, app.now_ms(), CHECK_DEADLINE)
        .await
        .map_err(SaveRefused::CheckFailed)?;
    Ok(app.store.save_event_subscription(caller, Subscription { url, ..current }).await?)
}
