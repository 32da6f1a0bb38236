//! Credentials, tokens and passwords. Only hashes are stored: an appsecret is a 160-bit
//! random value (SHA-256 is enough), a user's password gets argon2.
//!
//! An `access_token` is HMAC-SHA1(appsecret, nonce) in hex — 40 lowercase characters,
//! like the vendor's. The store keeps the nonce and SHA-256 of the token, so when the
//! same app asks again with its secret, the same token can be re-derived and returned
//! (docs/wire-compat.md: reuse while more than 30 minutes are left) without keeping it in clear.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use hmac::{Hmac, KeyInit, Mac};
use rand::RngExt;
use sha2::{Digest, Sha256};

pub const TOKEN_TTL_MS: i64 = 7_200_000;
pub const TOKEN_REUSE_MIN_LEFT_MS: i64 = 30 * 60_000;
/// The vendor's published default password ("默认为hf@123456"). roomd gives it to no one
/// and accepts it from no one: a user created without a password has none.
pub const DEFAULT_PASSWORD: &str = "hf@123456";
/// The longest password roomd hashes; longer ones are refused before any work.
pub const MAX_PASSWORD_CHARS: usize = 128;

/// A password a person chose: 1 to 128 characters, not blank, and not the published
/// default, which anybody could guess.
pub fn check_new_password(password: &str) -> crate::DomainResult<()> {
    if password.trim().is_empty() || password.chars().count() > MAX_PASSWORD_CHARS {
        return Err(crate::DomainError::invalid("password", "must be 1 to 128 characters"));
    }
    if password == DEFAULT_PASSWORD {
        return Err(crate::DomainError::invalid(
            "password",
            "the vendor's published default password cannot be used: choose another",
        ));
    }
    Ok(())
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::rng().fill(&mut bytes[..]);
    bytes
}

/// `{company}{8 lowercase letters or digits}`, like the seed's `10006ywhyi82`.
pub fn new_appkey(company: &str) -> String {
    format!("{company}{}", random_text(b"abcdefghijklmnopqrstuvwxyz0123456789", 8))
}

/// `n` characters of `[A-Za-z0-9]` from the CSPRNG: event `aes_key` (43), `token` (32),
/// nonces and the 16-character random prefix of an encrypted event.
pub fn alphanumeric(n: usize) -> String {
    random_text(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", n)
}

/// `n` characters drawn from `alphabet` with the CSPRNG.
pub fn random_text(alphabet: &[u8], n: usize) -> String {
    let mut rng = rand::rng();
    (0..n).map(|_| alphabet[rng.random_range(0..alphabet.len())] as char).collect()
}

/// 40 lowercase hex characters (160 random bits), like the seed's example.
pub fn new_appsecret() -> String {
    hex::encode(random_bytes::<20>())
}

pub fn new_nonce() -> String {
    hex::encode(random_bytes::<16>())
}

/// SHA-256 in hex: how appsecrets and tokens are stored and looked up.
pub fn sha256_hex(value: &str) -> String {
    hex::encode(Sha256::digest(value.as_bytes()))
}

/// The token for `nonce`, derived from the app's secret.
pub fn derive_token(appsecret: &str, nonce: &str) -> String {
    let mut mac = match <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(appsecret.as_bytes()) {
        Ok(mac) => mac,
        // HMAC takes keys of any length; this arm cannot be reached.
        Err(_) => return sha256_hex(nonce)[..40].to_string(),
    };
    mac.update(nonce.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Compares two strings in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn hash_password(password: &str) -> String {
    match Argon2::default().hash_password(password.as_bytes()) {
        Ok(hash) => hash.to_string(),
        // Only a parameter error could land here, and the defaults are valid.
        Err(_) => String::new(),
    }
}

pub fn verify_password(password: &str, stored: &str) -> bool {
    match argon2::password_hash::phc::PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_40_hex_and_rederivable() {
        let secret = new_appsecret();
        assert_eq!(secret.len(), 40);
        let nonce = new_nonce();
        let token = derive_token(&secret, &nonce);
        assert_eq!(token.len(), 40);
        assert!(token.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_eq!(token, derive_token(&secret, &nonce));
        assert_ne!(token, derive_token(&new_appsecret(), &nonce));
    }

    #[test]
    fn appkeys_start_with_the_company() {
        let key = new_appkey("1000");
        assert!(key.starts_with("1000") && key.len() == 12, "{key}");
    }

    #[test]
    fn passwords_verify_only_themselves() {
        let hash = hash_password(DEFAULT_PASSWORD);
        assert!(hash.starts_with("$argon2"));
        assert!(verify_password(DEFAULT_PASSWORD, &hash));
        assert!(!verify_password("wrong", &hash));
        assert!(!verify_password(DEFAULT_PASSWORD, "garbage"));
    }

    #[test]
    fn constant_time_eq_compares() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
    }
}
