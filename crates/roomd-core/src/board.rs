//! Check-in boards: a device activated with a deployment code, holding the code's scope,
//! bound to one room in it.

use crate::scope::{CodeKind, Scope};
use crate::{DomainError, DomainResult, RoomId};

#[derive(Debug, Clone, PartialEq)]
pub struct Device {
    pub id: String,
    pub name: String,
    pub kind: CodeKind,
    /// The scope of the code it was activated with: the rooms it may bind to.
    pub scope: Scope,
    pub room: Option<RoomId>,
    pub created_ms: i64,
    pub last_seen_ms: i64,
}

/// A device name as the installer types it: 1 to 64 characters.
pub fn device_name(raw: &str) -> DomainResult<String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(DomainError::Missing("device_name"));
    }
    if name.chars().count() > 64 {
        return Err(DomainError::invalid("device_name", "at most 64 characters"));
    }
    Ok(name.to_string())
}

/// A deployment code as typed: letters only, case and spaces forgiven.
pub fn normalize_code(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_codes_are_forgiven_case_and_spacing() {
        assert_eq!(normalize_code(" ynm ltj-ouz "), "YNMLTJOUZ");
        assert_eq!(device_name("  "), Err(DomainError::Missing("device_name")));
        assert_eq!(device_name(" 3F 东 "), Ok("3F 东".into()));
    }
}
