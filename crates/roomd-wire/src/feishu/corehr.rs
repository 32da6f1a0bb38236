//! `POST /open-apis/corehr/v2/onboarding_qr_codes` and `…/dimension`, field for field as
//! the seed spells them. Requests take every field as optional so that a missing one is
//! answered 1161001 naming it, not a parse error.

use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize)]
pub struct CreateQrCode {
    pub dimension_value_list: Option<Vec<DimensionValueIn>>,
}

#[derive(Debug, Deserialize)]
pub struct DimensionValueIn {
    pub dimension: Option<DimensionRef>,
    pub value: Option<ValueIn>,
}

#[derive(Debug, Deserialize)]
pub struct DimensionRef {
    pub api_name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ValueIn {
    pub select_value: Option<String>,
    pub multi_select_value: Option<Vec<String>>,
    pub bool_value: Option<bool>,
}

#[derive(Debug, Serialize)]
pub struct QrCodeData {
    pub qr_code: QrCode,
}

#[derive(Debug, Serialize)]
pub struct QrCode {
    pub id: String,
    pub png: String,
    pub url: String,
    pub active: bool,
    pub created_by: String,
    pub updated_by: String,
    /// Integer seconds.
    pub created_at: i64,
    pub updated_at: i64,
    pub dimension_value_list: Vec<DimensionValue>,
}

#[derive(Debug, Serialize)]
pub struct DimensionValue {
    pub dimension: Dimension,
    pub value: Value,
}

#[derive(Debug, Serialize)]
pub struct Dimension {
    pub api_name: String,
    pub display_name: I18n,
    /// 1 single-select, 2 multi-select, 3 boolean.
    #[serde(rename = "type")]
    pub kind: i64,
}

#[derive(Debug, Serialize)]
pub struct I18n {
    pub zh_cn: String,
    pub en_us: String,
}

/// Exactly one of the three, by the dimension's type.
#[derive(Debug, Serialize)]
pub struct Value {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub select_value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multi_select_value: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bool_value: Option<bool>,
}

#[derive(Debug, Serialize)]
pub struct DimensionList {
    pub dimension_list: Vec<Dimension>,
}
