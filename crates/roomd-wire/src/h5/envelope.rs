use std::collections::BTreeMap;

use serde::Serialize;

use super::ErrorCode;

/// `{"success","message","value","code","fieldErrors"}`: every h5 answer, success or error.
///
/// `value` is left out (not `null`) where the seed's example shows none.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope<T> {
    pub success: bool,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<T>,
    pub code: u32,
    pub field_errors: BTreeMap<String, String>,
}

impl<T> Envelope<T> {
    pub fn ok(value: T) -> Self {
        Self {
            success: true,
            message: String::new(),
            value: Some(value),
            code: ErrorCode::Success.number(),
            field_errors: BTreeMap::new(),
        }
    }
}

impl Envelope<()> {
    /// A success that carries no `value` (remove, cancel, finish, clearFace).
    pub fn done() -> Self {
        Self { value: None, ..Envelope::ok(()) }
    }

    /// An error: `message` is the code's English text with `%s` filled in by `arg`.
    pub fn error(code: ErrorCode, arg: Option<&str>, field_errors: BTreeMap<String, String>) -> Self {
        Self { success: false, message: code.message(arg), value: None, code: code.number(), field_errors }
    }
}
