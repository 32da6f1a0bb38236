//! Ids: TEXT, 32 upper-case hex digits when roomd makes them (like the vendor's), or
//! whatever printable id up to 64 characters an integrator chose on `add`.

use std::fmt;

use crate::{DomainError, DomainResult};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// A fresh id: a UUIDv7 (time-ordered, so inserts stay local in the index).
            pub fn generate() -> Self {
                Self(uuid::Uuid::now_v7().simple().to_string().to_ascii_uppercase())
            }

            /// An id as stored; no validation (it came from our own database).
            pub fn from_stored(raw: String) -> Self {
                Self(raw)
            }

            /// An id supplied by a client, checked once at the edge.
            pub fn parse(field: &'static str, raw: &str) -> DomainResult<Self> {
                parse_id(field, raw).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// A tenant. Company `1000` is created on first start.
    CompanyId
);
id_type!(UserId);
id_type!(DeptId);
id_type!(RoomId);
id_type!(MeetingId);
id_type!(AttendanceId);
id_type!(RegionId);
id_type!(BuildingId);
id_type!(DeviceId);
id_type!(
    /// A message in the mail outbox.
    MailId
);

fn parse_id(field: &'static str, raw: &str) -> DomainResult<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(DomainError::Missing(field));
    }
    if raw.len() > 64 {
        return Err(DomainError::invalid(field, "longer than 64 characters"));
    }
    if !raw.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        return Err(DomainError::invalid(field, "only letters, digits, '-', '_' and '.' are allowed"));
    }
    Ok(raw.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_32_upper_hex_and_ordered() {
        let a = MeetingId::generate();
        let b = MeetingId::generate();
        assert_eq!(a.as_str().len(), 32);
        assert!(a.as_str().chars().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()));
        assert!(a < b);
    }

    #[test]
    fn client_ids_are_checked() {
        assert_eq!(UserId::parse("id", " 1 ").map(|i| i.into_string()), Ok("1".to_string()));
        assert_eq!(UserId::parse("id", ""), Err(DomainError::Missing("id")));
        assert!(matches!(UserId::parse("id", "a b"), Err(DomainError::Invalid { .. })));
        assert!(matches!(UserId::parse("id", &"x".repeat(65)), Err(DomainError::Invalid { .. })));
    }
}
