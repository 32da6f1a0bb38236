//! `ApiError`: every failure of the h5 dialect, rendered as the seed's envelope with the
//! code's number, message and HTTP status from `ErrorCode` (the one table).

use std::collections::BTreeMap;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use roomd_core::DomainError;
use roomd_store::StoreError;
use roomd_wire::h5::{Envelope, ErrorCode};

#[derive(Debug)]
pub struct ApiError {
    pub code: ErrorCode,
    /// Fills the `%s` of the message (71005's field name).
    pub arg: Option<String>,
    /// Per-field explanations; `{}` unless there is something to say.
    pub fields: BTreeMap<String, String>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// The envelope's `message` this error answers with.
    pub fn message(&self) -> String {
        self.code.message(self.arg.as_deref())
    }

    pub fn new(code: ErrorCode) -> Self {
        ApiError { code, arg: None, fields: BTreeMap::new() }
    }

    pub fn field(code: ErrorCode, field: impl Into<String>, reason: impl Into<String>) -> Self {
        let mut e = ApiError::new(code);
        e.fields.insert(field.into(), reason.into());
        e
    }

    /// 71005 naming `field`.
    pub fn missing(field: &str) -> Self {
        ApiError { arg: Some(field.to_string()), ..ApiError::field(ErrorCode::LackArgument, field, "required") }
    }
}

impl From<ErrorCode> for ApiError {
    fn from(code: ErrorCode) -> Self {
        ApiError::new(code)
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        let code = match e {
            DomainError::Invalid { field, reason } => {
                return ApiError::field(ErrorCode::InvalidArguments, field, reason);
            }
            DomainError::Missing(field) => return ApiError::missing(field),
            DomainError::ScopeNodeNotExist(field) => {
                return ApiError::field(ErrorCode::InvalidArguments, field, "no such place");
            }
            DomainError::Violations(list) => {
                let mut e = ApiError::new(ErrorCode::InvalidArguments);
                e.fields.extend(list.into_iter().map(|v| (v.field, v.description)));
                return e;
            }
            // The first occurrence's refusal, and every failing occurrence by its start.
            DomainError::Occurrences(list) => {
                let Some((_, first)) = list.first() else { return ApiError::new(ErrorCode::Internal) };
                let mut e = ApiError::from(first.clone());
                e.fields = list.into_iter().map(|(at, why)| (at.to_string(), ApiError::from(why).message())).collect();
                return e;
            }
            DomainError::NoDimensions => ErrorCode::NoDimensions,
            DomainError::QrCodeNotExist => ErrorCode::QrCodeNotExist,
            DomainError::RegistrationNotExist => ErrorCode::RegistrationNotExist,
            DomainError::RegistrationDecided => ErrorCode::RegistrationDecided,
            DomainError::UserNotExist => ErrorCode::UserNotExist,
            DomainError::DeptNotExist => ErrorCode::DeptNotExist,
            DomainError::RoomNotExist => ErrorCode::RoomNotExist,
            DomainError::MeetingNotExist => ErrorCode::MeetingNotExist,
            DomainError::AttendanceNotExist => ErrorCode::AttendanceNotExist,
            DomainError::BuildingNotExist => ErrorCode::BuildingNotExist,
            DomainError::RegionNotExist => ErrorCode::RegionNotExist,
            DomainError::DeviceNotExist => ErrorCode::DeviceNotExist,
            DomainError::AccessCodeInvalid | DomainError::RoomOutOfScope => ErrorCode::InvalidArguments,
            DomainError::PlaceNotEmpty => ErrorCode::PlaceNotEmpty,
            DomainError::AccountTaken => ErrorCode::AccountTaken,
            DomainError::PhoneTaken => ErrorCode::PhoneTaken,
            DomainError::EmailTaken => ErrorCode::EmailTaken,
            DomainError::RoomOccupied => ErrorCode::RoomOccupied,
            DomainError::MeetingState => ErrorCode::MeetingState,
            DomainError::NoPermission | DomainError::NotYours => ErrorCode::NoPermission,
            DomainError::RoomDisabled => ErrorCode::RoomDisabled,
            DomainError::OutsideBookableHours => ErrorCode::OutsideBookableHours,
            DomainError::DeptNotEmpty => ErrorCode::DeptNotEmpty,
            DomainError::RoomHasMeetings => ErrorCode::RoomHasMeetings,
            DomainError::InvalidCredentials => ErrorCode::InvalidCredentials,
            DomainError::IllegalToken => ErrorCode::IllegalAccessToken,
            DomainError::ExpiredToken => ErrorCode::ExpiredAccessToken,
        };
        ApiError::new(code)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Domain(d) => d.into(),
            StoreError::Unavailable(detail) => {
                tracing::error!(%detail, "database unavailable");
                ApiError::new(ErrorCode::Internal)
            }
            StoreError::Internal(detail) => {
                tracing::error!(%detail, "store failure");
                ApiError::new(ErrorCode::Internal)
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = Envelope::error(self.code, self.arg.as_deref(), self.fields);
        (status, Json(body)).into_response()
    }
}

/// A successful h5 answer.
pub struct H5<T>(pub Envelope<T>);

impl<T> H5<T> {
    pub fn ok(value: T) -> Self {
        H5(Envelope::ok(value))
    }
}

impl H5<()> {
    pub fn done() -> Self {
        H5(Envelope::done())
    }
}

impl<T: serde::Serialize> IntoResponse for H5<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

/// Required values: missing or blank is 71005 naming the field.
pub trait Required<T> {
    fn required(self, field: &str) -> ApiResult<T>;
}

impl Required<String> for Option<String> {
    fn required(self, field: &str) -> ApiResult<String> {
        self.filter(|v| !v.trim().is_empty()).ok_or_else(|| ApiError::missing(field))
    }
}

impl Required<i64> for Option<i64> {
    fn required(self, field: &str) -> ApiResult<i64> {
        self.ok_or_else(|| ApiError::missing(field))
    }
}

impl<T> Required<Vec<T>> for Option<Vec<T>> {
    fn required(self, field: &str) -> ApiResult<Vec<T>> {
        self.ok_or_else(|| ApiError::missing(field))
    }
}
