//! Check-in boards: a device activated with a deployment code, holding the code's scope,
//! bound to one room in it.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::scope::{CodeKind, Scope};
use crate::secret::constant_time_eq;
use crate::{DomainError, DomainResult, RoomId};

/// A board's check-in QR code changes every minute and is accepted this many minutes
/// after it was shown (time to open the page and sign in).
pub const CHECKIN_TOKEN_MINUTES: i64 = 5;
const MINUTE_MS: i64 = 60_000;

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
    /// Signs its check-in QR codes (`checkin_token`); never shown.
    pub qr_secret: String,
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

/// The token in a board's check-in QR code for the minute of `now_ms`:
/// `{device}.{minute}.{signature}`, signed with the device's own secret.
pub fn checkin_token(device: &str, secret: &str, now_ms: i64) -> String {
    let minute = now_ms.div_euclid(MINUTE_MS);
    format!("{device}.{minute}.{}", checkin_signature(device, secret, minute))
}

/// The device a check-in token names, before it is verified.
pub fn checkin_token_device(token: &str) -> Option<&str> {
    token.split('.').next().filter(|d| !d.is_empty())
}

/// Whether `token` was made by the device holding `secret` within the last
/// `CHECKIN_TOKEN_MINUTES` minutes.
pub fn verify_checkin_token(token: &str, secret: &str, now_ms: i64) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    let [device, minute, signature] = parts[..] else { return false };
    let Ok(minute) = minute.parse::<i64>() else { return false };
    let now = now_ms.div_euclid(MINUTE_MS);
    (now - CHECKIN_TOKEN_MINUTES..=now).contains(&minute)
        && constant_time_eq(signature, &checkin_signature(device, secret, minute))
}

fn checkin_signature(device: &str, secret: &str, minute: i64) -> String {
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()) else { return String::new() };
    mac.update(format!("{device}.{minute}").as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkin_token_holds_for_five_minutes_and_only_with_its_secret() {
        let now = 1_894_147_200_000;
        let token = checkin_token("DEV", "s3cret", now);
        assert_eq!(checkin_token_device(&token), Some("DEV"));
        assert!(verify_checkin_token(&token, "s3cret", now));
        assert!(verify_checkin_token(&token, "s3cret", now + 5 * 60_000));
        assert!(!verify_checkin_token(&token, "s3cret", now + 6 * 60_000), "expired");
        assert!(!verify_checkin_token(&token, "other", now), "another device's secret");
        assert!(!verify_checkin_token(&token.replace("DEV", "DEW"), "s3cret", now), "tampered");
        assert!(!verify_checkin_token("garbage", "s3cret", now));
    }

    #[test]
    fn typed_codes_are_forgiven_case_and_spacing() {
        assert_eq!(normalize_code(" ynm ltj-ouz "), "YNMLTJOUZ");
        assert_eq!(device_name("  "), Err(DomainError::Missing("device_name")));
        assert_eq!(device_name(" 3F 东 "), Ok("3F 东".into()));
    }
}
