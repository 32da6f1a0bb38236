//! Board answers: the `{code, msg, data}` envelope with the board's codes, the device
//! token extractor, and the caller's address (for the activation rate limit).

use axum::Json;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use roomd_core::board::Device;
use roomd_core::{Caller, DomainError};
use roomd_store::StoreError;
use roomd_wire::board::BoardCode;
use roomd_wire::feishu::{Envelope, ErrorDetail, FieldViolation};
use serde::Serialize;

use crate::state::AppState;

#[derive(Debug)]
pub struct BoardError {
    pub code: BoardCode,
    pub violations: Vec<FieldViolation>,
}

impl BoardError {
    pub fn new(code: BoardCode) -> Self {
        BoardError { code, violations: Vec::new() }
    }

    pub fn field(field: impl Into<String>, description: impl Into<String>) -> Self {
        let v = FieldViolation { field: field.into(), description: description.into() };
        BoardError { code: BoardCode::InvalidParams, violations: vec![v] }
    }
}

impl From<StoreError> for BoardError {
    fn from(e: StoreError) -> Self {
        let code = match e {
            StoreError::Domain(d) => match d {
                DomainError::Invalid { field, reason } => return BoardError::field(field, reason),
                DomainError::Missing(field) => return BoardError::field(field, "required"),
                DomainError::Violations(list) => {
                    let violations = list
                        .into_iter()
                        .map(|v| FieldViolation { field: v.field, description: v.description })
                        .collect();
                    return BoardError { code: BoardCode::InvalidParams, violations };
                }
                DomainError::AccessCodeInvalid => BoardCode::AccessCodeInvalid,
                DomainError::DeviceNotExist | DomainError::IllegalToken | DomainError::ExpiredToken => {
                    BoardCode::DeviceTokenInvalid
                }
                DomainError::RoomOutOfScope => BoardCode::RoomOutOfScope,
                DomainError::RoomOccupied | DomainError::RoomDisabled | DomainError::OutsideBookableHours => {
                    BoardCode::RoomOccupied
                }
                // Every other refusal named, so a new one needs a decision here.
                DomainError::MeetingState
                | DomainError::NoPermission
                | DomainError::NotYours
                | DomainError::Occurrences(_)
                | DomainError::RegistrationDecided
                | DomainError::PlaceNotEmpty
                | DomainError::DeptNotEmpty
                | DomainError::RoomHasMeetings => BoardCode::MeetingState,
                DomainError::UserNotExist
                | DomainError::DeptNotExist
                | DomainError::RoomNotExist
                | DomainError::MeetingNotExist
                | DomainError::AttendanceNotExist
                | DomainError::BuildingNotExist
                | DomainError::RegionNotExist
                | DomainError::QrCodeNotExist
                | DomainError::RegistrationNotExist
                | DomainError::ScopeNodeNotExist(_) => BoardCode::NotFound,
                DomainError::AccountTaken
                | DomainError::PhoneTaken
                | DomainError::EmailTaken
                | DomainError::NoDimensions
                | DomainError::InvalidCredentials => BoardCode::InvalidParams,
            },
            StoreError::Unavailable(detail) | StoreError::Internal(detail) => {
                tracing::error!(%detail, "store failure (board)");
                BoardCode::Internal
            }
        };
        BoardError::new(code)
    }
}

impl From<DomainError> for BoardError {
    fn from(e: DomainError) -> Self {
        StoreError::Domain(e).into()
    }
}

impl IntoResponse for BoardError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let error = (!self.violations.is_empty()).then_some(ErrorDetail { field_violations: self.violations });
        let body: Envelope<()> = Envelope { code: self.code.number(), msg: self.code.text().into(), data: None, error };
        (status, Json(body)).into_response()
    }
}

pub type BoardResult<T> = Result<Ok<T>, BoardError>;

/// A success: `{"code": 0, "msg": "ok", "data": …}`.
pub struct Ok<T>(pub T);

impl<T: Serialize> IntoResponse for Ok<T> {
    fn into_response(self) -> Response {
        Json(Envelope { code: 0, msg: "ok".into(), data: Some(self.0), error: None }).into_response()
    }
}

/// The board behind `Authorization: Bearer b-…`.
pub struct Board(pub Caller, pub Device);

impl FromRequestParts<AppState> for Board {
    type Rejection = BoardError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let token = header.strip_prefix("Bearer ").unwrap_or_default().trim();
        if token.is_empty() {
            return Err(BoardError::new(BoardCode::DeviceTokenInvalid));
        }
        let (caller, device) = app.store.authenticate_device(token.to_string()).await?;
        Result::Ok(Board(caller, device))
    }
}

pub async fn unknown_path(req: Request) -> BoardError {
    let mut e = BoardError::new(BoardCode::NotFound);
    e.violations
        .push(FieldViolation { field: "path".into(), description: format!("no such endpoint: {}", req.uri().path()) });
    e
}
