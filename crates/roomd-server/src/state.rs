//! What every handler gets: the store, the clock, the public URL, the token cache.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use roomd_core::{Caller, Clock};
use roomd_store::Store;

use crate::error::ApiResult;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    /// `--public-url`: how clients reach us; face URLs are built on it.
    pub public_url: Arc<str>,
    tokens: Arc<RwLock<HashMap<String, Cached>>>,
}

#[derive(Clone)]
struct Cached {
    caller: Caller,
    expires_ms: i64,
    checked_ms: i64,
}

/// A cached token is trusted this long before the store is asked again.
const TOKEN_CACHE_MS: i64 = 60_000;
const TOKEN_CACHE_MAX: usize = 10_000;

impl AppState {
    pub fn new(store: Store, clock: Arc<dyn Clock>, public_url: &str) -> Self {
        AppState { store, clock, public_url: public_url.trim_end_matches('/').into(), tokens: Arc::default() }
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// The caller holding `token`, from the cache when it was checked in the last minute.
    pub async fn authenticate(&self, token: String) -> ApiResult<Caller> {
        let now = self.now_ms();
        if let Ok(cache) = self.tokens.read()
            && let Some(hit) = cache.get(&token)
            && hit.expires_ms > now
            && now - hit.checked_ms < TOKEN_CACHE_MS
        {
            return Ok(hit.caller.clone());
        }
        let (caller, expires_ms) = self.store.authenticate(token.clone()).await?;
        if let Ok(mut cache) = self.tokens.write() {
            if cache.len() >= TOKEN_CACHE_MAX {
                cache.retain(|_, c| c.expires_ms > now && now - c.checked_ms < TOKEN_CACHE_MS);
            }
            if cache.len() < TOKEN_CACHE_MAX {
                cache.insert(token, Cached { caller: caller.clone(), expires_ms, checked_ms: now });
            }
        }
        Ok(caller)
    }

    /// Where a stored file of `company` is served.
    pub fn resource_url(&self, company: &str, file: &str) -> String {
        format!("{}/meeting/api/opt/resources/{company}/{file}", self.public_url)
    }
}
