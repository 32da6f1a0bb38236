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

/// A photo form (`multipart/form-data`): its text fields and its `file`, the token
/// already checked.
pub struct Upload {
    pub fields: std::collections::HashMap<String, String>,
    pub file: Vec<u8>,
}

/// Why a photo form was not taken.
pub enum UploadRefused {
    /// Larger than the route's limit (413).
    TooLarge,
    /// A body that breaks off or does not parse: its status.
    Unreadable(axum::http::StatusCode),
    /// A token that is not the session's: 403.
    Expired,
}

/// The photo form in `form`, sent with `session`'s token; a body that breaks off or is
/// too large is said so, never taken as an empty photo.
pub async fn read_upload(mut form: axum::extract::Multipart, session: &Session) -> Result<Upload, UploadRefused> {
    let mut upload = Upload { fields: Default::default(), file: Vec::new() };
    let refused = |e: axum::extract::multipart::MultipartError| match e.status().as_u16() {
        413 => UploadRefused::TooLarge,
        _ => UploadRefused::Unreadable(e.status()),
    };
    while let Some(field) = form.next_field().await.map_err(refused)? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" => upload.file = field.bytes().await.map_err(refused)?.to_vec(),
            _ => drop(upload.fields.insert(name, field.text().await.map_err(refused)?)),
        }
    }
    let token = upload.fields.get("csrf").map_or("", String::as_str);
    if !roomd_core::secret::constant_time_eq(&session.csrf, token) {
        return Err(UploadRefused::Expired);
    }
    Ok(upload)
}

/// Whether the browser says the form came from another site (`Sec-Fetch-Site:
/// cross-site`): a sign-in form posted from elsewhere could sign a person in to the
/// poster's account ("login CSRF"), so the sign-in forms refuse it. Browsers send the
/// header on every form; a client that sends none (a script, an old browser) is let in.
pub fn cross_site(headers: &axum::http::HeaderMap) -> bool {
    headers.get("sec-fetch-site").is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"cross-site"))
}
