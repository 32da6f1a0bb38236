//! What every handler gets: the store, the clock, the views (public URL), the token cache.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use roomd_core::{Caller, Clock};
use roomd_store::Store;

use crate::error::ApiResult;
use crate::events::Renderer;
use crate::limits::Limits;
use crate::sms::{LogSender, SmsSender};
use crate::views::Views;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    /// Domain values → wire types, on `--public-url` (how clients reach us).
    pub views: Views,
    /// How events and the `check_url` handshake go out, and where they may go.
    pub webhooks: crate::events::Webhooks,
    /// Per-company rate limits of the endpoints that have one.
    pub limits: Arc<Limits>,
    /// Where check-in codes go by SMS (the log, unless a gateway is plugged in).
    pub sms: Arc<dyn SmsSender>,
    /// How long clients may take, and how many are served at once.
    pub connections: crate::serve::Connections,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`extract::PeerIp`).
    pub trusted_proxies: Arc<Vec<ipnet::IpNet>>,
    /// How long delivered and given-up events are kept; `None` keeps them all.
    pub event_retention: Option<crate::events::retention::Retention>,
    /// Where mail goes, when `--smtp-url` is set (`mail/`).
    pub mail: Option<MailSettings>,
    /// The calendar feeds last written (`feeds.rs`).
    pub written: Arc<crate::feeds::Written>,
    tokens: Arc<RwLock<HashMap<String, Cached>>>,
}

/// How this server sends mail.
#[derive(Clone)]
pub struct MailSettings {
    pub mailer: Arc<crate::mail::Mailer>,
    pub first_retry: std::time::Duration,
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
        let views = Views::new(public_url, clock.clone());
        store.render_events_with(Arc::new(Renderer::new(views.clone())));
        AppState {
            store,
            clock,
            views,
            webhooks: crate::events::Webhooks::new(&[], Default::default())
                .expect("a webhook client without extra roots always builds"),
            limits: Arc::new(Limits::new()),
            sms: Arc::new(LogSender),
            connections: Default::default(),
            trusted_proxies: Arc::default(),
            event_retention: Some(crate::events::retention::Retention::days(30)),
            written: Arc::default(),
            mail: None,
            tokens: Arc::default(),
        }
    }

    /// Webhooks trust the CA certificates in `pem` for `https://` event URLs (beyond the
    /// system's roots: for receivers behind a company's own CA) and go only where
    /// `destinations` allows.
    pub fn with_webhooks(mut self, pem: &[u8], destinations: crate::events::Destinations) -> Result<Self, String> {
        self.webhooks = crate::events::Webhooks::new(pem, destinations)?;
        Ok(self)
    }

    /// Records and sends mail through `mailer`, trying a failed message again after
    /// `first_retry`, then twice as long each time.
    pub fn with_mail(mut self, mailer: crate::mail::Mailer, first_retry: std::time::Duration) -> Self {
        crate::mail::install(&self.store, &mailer);
        self.mail = Some(MailSettings { mailer: Arc::new(mailer), first_retry });
        self
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Forgets the cached tokens of a revoked app: this process refuses them at once
    /// (another process within a minute).
    pub fn forget_app(&self, appkey: &str) {
        if let Ok(mut cache) = self.tokens.write() {
            cache.retain(|_, c| c.caller.actor != roomd_core::Actor::App(appkey.to_string()));
        }
    }

    /// Forgets the cached tokens of a company whose zone changed, so this process reads
    /// the new one at once (another process within a minute).
    pub fn forget_company(&self, company: &str) {
        if let Ok(mut cache) = self.tokens.write() {
            cache.retain(|_, c| c.caller.company.as_str() != company);
        }
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
}
