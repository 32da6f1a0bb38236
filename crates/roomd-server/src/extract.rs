//! Extractors that reject in the h5 envelope: the JSON body and the access token.

use axum::body::Bytes;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use roomd_core::Caller;
use roomd_wire::h5::ErrorCode;
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::state::AppState;

/// A JSON body, whatever the `Content-Type` says (curl's `-d` sends a form type). An
/// empty body is `{}`, since the list endpoints take none. Syntax errors answer 71001,
/// a value of the wrong type 71008 naming its path.
pub struct H5Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for H5Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| ApiError::field(ErrorCode::InvalidArguments, "body", "too large or unreadable"))?;
        let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) { b"{}" } else { &bytes };
        // serde would read a struct from a JSON array too; the seed's bodies are objects.
        if text.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(ApiError::field(ErrorCode::InvalidArguments, "body", "must be a JSON object"));
        }
        let mut de = serde_json::Deserializer::from_slice(text);
        let value = match serde_path_to_error::deserialize(&mut de) {
            Ok(value) => value,
            Err(e) => {
                let path = e.path().to_string();
                let inner = e.into_inner();
                if inner.is_data() && path != "." {
                    return Err(ApiError::field(ErrorCode::TypeMismatch, path, inner.to_string()));
                }
                return Err(not_json(inner));
            }
        };
        de.end().map_err(not_json)?;
        Ok(H5Json(value))
    }
}

fn not_json(e: serde_json::Error) -> ApiError {
    ApiError::field(ErrorCode::InvalidArguments, "body", format!("not valid JSON: {e}"))
}

/// The caller behind `?access_token=…` (71002 missing, 71003 unknown, 71004 expired).
pub struct Auth(pub Caller);

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Self::Rejection> {
        let token = parts
            .uri
            .query()
            .and_then(|q| form_value(q, "access_token"))
            .filter(|t| !t.is_empty())
            .ok_or(ApiError::new(ErrorCode::LackAccessToken))?;
        Ok(Auth(app.authenticate(token).await?))
    }
}

/// The first value of `key` in a query string, percent-decoded.
pub fn form_value(query: &str, key: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query).ok()?.into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// The client's IP address, when the server loop recorded it.
pub struct PeerIp(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for PeerIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Result::Ok(PeerIp(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())))
    }
}
