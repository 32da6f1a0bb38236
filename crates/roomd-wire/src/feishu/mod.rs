//! The Feishu dialect (`/open-apis/...`, docs/wire-compat.md): its envelope, its codes, the
//! tenant token, and the CoreHR onboarding QR code types.

mod code;
pub mod corehr;
pub mod vc;

use serde::{Deserialize, Serialize};

pub use code::FeishuCode;

/// `{"code","msg","data"}`. Errors add `error` with the per-field explanations, as
/// Feishu's gateway does (`field_violations`); the Lark SDKs read it.
#[derive(Debug, Serialize)]
pub struct Envelope<T> {
    pub code: u32,
    pub msg: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorDetail>,
}

impl<T> Envelope<T> {
    pub fn ok(data: T) -> Self {
        Envelope { code: 0, msg: "success".into(), data: Some(data), error: None }
    }
}

impl Envelope<()> {
    pub fn error(code: FeishuCode, violations: Vec<FieldViolation>) -> Self {
        let error = (!violations.is_empty()).then_some(ErrorDetail { field_violations: violations });
        Envelope { code: code.number(), msg: code.text().into(), data: None, error }
    }
}

#[derive(Debug, Serialize)]
pub struct ErrorDetail {
    pub field_violations: Vec<FieldViolation>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldViolation {
    pub field: String,
    pub description: String,
}

/// `POST /open-apis/auth/v3/tenant_access_token/internal`
#[derive(Debug, Deserialize)]
pub struct TenantTokenRequest {
    pub app_id: Option<String>,
    pub app_secret: Option<String>,
}

/// Top level, not under `data` (docs/wire-compat.md).
#[derive(Debug, Serialize)]
pub struct TenantToken {
    pub code: u32,
    pub msg: String,
    pub tenant_access_token: String,
    pub expire: i64,
}
