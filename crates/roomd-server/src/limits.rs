//! Per-company rate limits (in each process's memory; with several processes each keeps
//! its own count).

use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// The seed's "接口频率限制: 100 次/分钟" of creating onboarding QR codes.
const QR_CODES_PER_MINUTE: u32 = 100;

/// Board activations a client address may try a minute (against guessing codes).
const ACTIVATIONS_PER_MINUTE: u32 = 10;

pub struct Limits {
    qr_codes: DefaultKeyedRateLimiter<String>,
    activations: DefaultKeyedRateLimiter<Option<std::net::IpAddr>>,
}

impl Limits {
    pub fn new() -> Self {
        let per_minute = NonZeroU32::new(QR_CODES_PER_MINUTE).unwrap_or(NonZeroU32::MIN);
        let activations = NonZeroU32::new(ACTIVATIONS_PER_MINUTE).unwrap_or(NonZeroU32::MIN);
        Limits {
            qr_codes: RateLimiter::keyed(Quota::per_minute(per_minute)),
            activations: RateLimiter::keyed(Quota::per_minute(activations)),
        }
    }

    /// Whether `company` may create another onboarding QR code now (and counts it).
    pub fn create_qr_code(&self, company: &str) -> bool {
        self.qr_codes.check_key(&company.to_string()).is_ok()
    }
}

impl Limits {
    /// Whether a board at `ip` may try another activation now (and counts it).
    pub fn activate_board(&self, ip: Option<std::net::IpAddr>) -> bool {
        self.activations.check_key(&ip).is_ok()
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::new()
    }
}
