//! Answers in the Feishu envelope, the extractors that reject in it (the JSON body and
//! the `Authorization: Bearer` tenant token), and the mapping of domain errors to each
//! family's codes.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use roomd_core::{Caller, DomainError};
use roomd_store::StoreError;
use roomd_wire::feishu::{Envelope, FeishuCode, FieldViolation};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::state::AppState;

/// The token prefix Feishu's tenant tokens carry; the rest is the h5 `access_token`.
pub const TOKEN_PREFIX: &str = "t-";

#[derive(Debug)]
pub struct FeishuError {
    pub code: FeishuCode,
    pub violations: Vec<FieldViolation>,
}

impl FeishuError {
    pub fn new(code: FeishuCode) -> Self {
        FeishuError { code, violations: Vec::new() }
    }

    pub fn field(code: FeishuCode, field: impl Into<String>, description: impl Into<String>) -> Self {
        FeishuError { code, violations: vec![FieldViolation { field: field.into(), description: description.into() }] }
    }

    /// A store failure in the CoreHR family: invalid input is 1161001 with every field's
    /// reason, no dimensions 1161002, anything unexpected 99991500 (details in the log).
    pub fn corehr(e: StoreError) -> Self {
        match e {
            StoreError::Domain(DomainError::NoDimensions) => FeishuError::new(FeishuCode::CorehrNoDimensions),
            other => FeishuError::from_store(other, FeishuCode::CorehrParamInvalid, FeishuCode::Internal),
        }
    }

    /// A store failure in the VC family: a scope node that does not exist is 121004
    /// (HTTP 404), invalid input 121003, anything unexpected 121001.
    pub fn vc(e: StoreError) -> Self {
        match e {
            StoreError::Domain(DomainError::ScopeNodeNotExist(field)) => {
                FeishuError::field(FeishuCode::VcNotExist, field, "no such node")
            }
            other => FeishuError::from_store(other, FeishuCode::VcParamError, FeishuCode::VcInternal),
        }
    }

    fn from_store(e: StoreError, invalid: FeishuCode, internal: FeishuCode) -> Self {
        match e {
            StoreError::Domain(d) => match d {
                DomainError::Violations(list) => FeishuError {
                    code: invalid,
                    violations: list
                        .into_iter()
                        .map(|v| FieldViolation { field: v.field, description: v.description })
                        .collect(),
                },
                DomainError::Invalid { field, reason } => FeishuError::field(invalid, field, reason),
                DomainError::Missing(field) => FeishuError::field(invalid, field, "required"),
                DomainError::IllegalToken | DomainError::ExpiredToken => FeishuError::new(FeishuCode::TokenInvalid),
                // Every other refusal named, so a new one needs a decision here: the
                // family's parameter error, saying what was refused.
                other @ (DomainError::UserNotExist
                | DomainError::DeptNotExist
                | DomainError::RoomNotExist
                | DomainError::MeetingNotExist
                | DomainError::AttendanceNotExist
                | DomainError::BuildingNotExist
                | DomainError::RegionNotExist
                | DomainError::AccessCodeInvalid
                | DomainError::DeviceNotExist
                | DomainError::RoomOutOfScope
                | DomainError::ScopeNodeNotExist(_)
                | DomainError::PlaceNotEmpty
                | DomainError::AccountTaken
                | DomainError::PhoneTaken
                | DomainError::EmailTaken
                | DomainError::RoomOccupied
                | DomainError::MeetingState
                | DomainError::NoPermission
                | DomainError::NotYours
                | DomainError::RoomDisabled
                | DomainError::OutsideBookableHours
                | DomainError::DeptNotEmpty
                | DomainError::RoomHasMeetings
                | DomainError::InvalidCredentials
                | DomainError::NoDimensions
                | DomainError::QrCodeNotExist
                | DomainError::RegistrationNotExist
                | DomainError::RegistrationDecided
                | DomainError::Occurrences(_)) => FeishuError::field(invalid, "request", other.to_string()),
            },
            StoreError::Unavailable(detail) | StoreError::Internal(detail) => {
                tracing::error!(%detail, "store failure (feishu)");
                FeishuError::new(internal)
            }
        }
    }
}

impl IntoResponse for FeishuError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(Envelope::error(self.code, self.violations))).into_response()
    }
}

/// A successful answer: `{"code": 0, "msg": "success", "data": …}`.
pub struct Feishu<T>(pub T);

impl<T: Serialize> IntoResponse for Feishu<T> {
    fn into_response(self) -> Response {
        Json(Envelope::ok(self.0)).into_response()
    }
}

/// A JSON object body; what is wrong with it, if anything, as one field violation for
/// the handler to answer in its family's code. An empty body is `{}`.
pub struct FeishuJson<T>(pub Result<T, FieldViolation>);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for FeishuJson<T> {
    type Rejection = FeishuError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bad = |description: String| FieldViolation { field: "body".into(), description };
        let Ok(bytes) = Bytes::from_request(req, state).await else {
            return Ok(FeishuJson(Err(bad("too large or unreadable".into()))));
        };
        let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) { b"{}" } else { &bytes };
        if text.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Ok(FeishuJson(Err(bad("must be a JSON object".into()))));
        }
        let mut de = serde_json::Deserializer::from_slice(text);
        let parsed = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if inner.is_data() && path != "." {
                FieldViolation { field: path, description: inner.to_string() }
            } else {
                bad(format!("not valid JSON: {inner}"))
            }
        });
        let parsed = parsed.and_then(|v| de.end().map(|()| v).map_err(|e| bad(format!("not valid JSON: {e}"))));
        Ok(FeishuJson(parsed))
    }
}

/// The company behind `Authorization: Bearer t-…` (401: 99991661 missing, 99991663 bad).
pub struct Tenant(pub Caller);

impl FromRequestParts<AppState> for Tenant {
    type Rejection = FeishuError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let token = header.strip_prefix("Bearer ").unwrap_or_default().trim();
        if token.is_empty() {
            return Err(FeishuError::new(FeishuCode::TokenMissing));
        }
        let Some(h5_token) = token.strip_prefix(TOKEN_PREFIX).filter(|t| !t.is_empty()) else {
            return Err(FeishuError::new(FeishuCode::TokenInvalid));
        };
        app.authenticate(h5_token.to_string()).await.map(Tenant).map_err(|_| FeishuError::new(FeishuCode::TokenInvalid))
    }
}

pub async fn unknown_path(req: Request) -> FeishuError {
    FeishuError::field(FeishuCode::NotFound, "path", format!("no such endpoint: {} {}", req.method(), req.uri().path()))
}
