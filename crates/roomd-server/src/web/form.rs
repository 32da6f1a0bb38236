//! A form posted by someone signed in (the console's admin, the app's person): read,
//! its `csrf` token checked against the session's before anything else, then parsed.
//! Each surface says the refusal its own way (`console::page::Posted`,
//! `app::person::Posted`).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use roomd_store::Session;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::state::AppState;

/// Why a form was not taken.
pub enum Refused {
    /// A body that cannot be read, or fields that do not parse: 400.
    Unreadable,
    /// A token that is not the session's (an old page, or another site): 403.
    Expired,
}

/// The form `T` in `req`'s body, sent with `session`'s token.
pub async fn read<T: DeserializeOwned>(req: Request, app: &AppState, session: &Session) -> Result<T, Refused> {
    #[derive(Deserialize)]
    struct Token {
        csrf: Option<String>,
    }
    let bytes = Bytes::from_request(req, app).await.map_err(|_| Refused::Unreadable)?;
    let token = serde_urlencoded::from_bytes::<Token>(&bytes).ok().and_then(|t| t.csrf).unwrap_or_default();
    if !roomd_core::secret::constant_time_eq(&session.csrf, &token) {
        return Err(Refused::Expired);
    }
    serde_urlencoded::from_bytes::<T>(&bytes).map_err(|e| {
        tracing::info!(error = %e, "a form that does not parse");
        Refused::Unreadable
    })
}
