//! `company/*` (extension, scheduling): the caller's company, its zone and language.

use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Company {
    pub id: String,
    pub name: String,
    /// An IANA zone name (`Asia/Shanghai`).
    pub time_zone: String,
    /// `zh_cn` or `en_us`: the language of mails and calendar text.
    pub language: String,
    /// Minutes before a meeting its people get a reminder by mail; 0: none.
    pub reminder_minutes: i64,
}

/// `company/update` body: any of the fields.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompanyUpdate {
    pub name: Option<String>,
    pub time_zone: Option<String>,
    pub language: Option<String>,
    pub reminder_minutes: Option<i64>,
}
