//! roomd's h5-style onboarding endpoints (`/meeting/api/open/onboarding/...`): the
//! dimensions, the approval setting, the QR codes and the registrations. Names in the
//! two languages and dimension values keep Feishu's spelling (`zh_cn`, `select_value`).

use serde::{Deserialize, Serialize};

pub use crate::feishu::corehr::{I18n, Value as DimensionValueOf};

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Dimension {
    pub api_name: String,
    pub display_name: I18n,
    /// 1 single-select, 2 multi-select, 3 boolean.
    #[serde(rename = "type")]
    pub kind: i64,
    /// For selects; the built-in `company` and `department` list the directory's.
    pub options: Vec<DimOption>,
    pub builtin: bool,
}

#[derive(Debug, Serialize)]
pub struct DimOption {
    pub value: String,
    pub name: I18n,
}

/// `onboarding/dimension/save`: the company's whole list, replacing the previous one.
#[derive(Debug, Deserialize)]
pub struct DimensionSave {
    pub dimensions: Option<Vec<DimensionIn>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DimensionIn {
    pub api_name: Option<String>,
    pub display_name: Option<I18nIn>,
    #[serde(rename = "type")]
    pub kind: Option<i64>,
    pub options: Option<Vec<DimOptionIn>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct I18nIn {
    pub zh_cn: Option<String>,
    pub en_us: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct DimOptionIn {
    pub value: Option<String>,
    pub name: Option<I18nIn>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OnboardingSettings {
    pub need_approval: Option<bool>,
}

/// A dimension value on a code, a registration or a user.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PresetValue {
    pub api_name: String,
    pub value: DimensionValueOf,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QrCodeItem {
    pub id: String,
    pub png: String,
    pub url: String,
    pub active: bool,
    pub created_by: String,
    pub updated_by: String,
    pub created_time: i64,
    pub updated_time: i64,
    pub values: Vec<PresetValue>,
    pub registrations: i64,
    pub pending: i64,
}

#[derive(Debug, Deserialize)]
pub struct QrCodeIdBody {
    pub id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationList {
    pub qr_code_id: Option<String>,
    /// 0 pending, 1 approved, 2 rejected.
    pub state: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct RegistrationDecision {
    pub id: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Registration {
    pub id: String,
    pub qr_code_id: String,
    pub name: String,
    pub account: String,
    pub phone: String,
    pub email: String,
    pub department_id: String,
    pub values: Vec<PresetValue>,
    pub state: i64,
    pub user_id: String,
    pub reason: String,
    pub created_time: i64,
    pub decided_time: Option<i64>,
}
