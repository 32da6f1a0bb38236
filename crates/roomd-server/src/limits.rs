//! Rate limits, per company, per account and per client address (in each process's
//! memory; with several processes each keeps its own count). An IPv6 client counts by
//! its /64: one host usually holds a whole /64, and would otherwise get a fresh count
//! from each of its addresses.

use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// The seed's "接口频率限制: 100 次/分钟" of creating onboarding QR codes.
const QR_CODES_PER_MINUTE: u32 = 100;

/// Board activations a client address may try a minute (against guessing codes).
const ACTIVATIONS_PER_MINUTE: u32 = 10;
/// Password tries a minute for one account on the phone check-in page, and from one
/// address on the public pages (check-in sign-in, onboarding registration).
const LOGINS_PER_ACCOUNT_MINUTE: u32 = 5;
/// Console sign-ins and password setups a minute from one client address: each costs a
/// password hash, and the lockout counts per account, not per address.
const SIGN_INS_PER_ADDRESS_MINUTE: u32 = 20;
const PUBLIC_POSTS_PER_ADDRESS_MINUTE: u32 = 30;
/// A company's `event/save`s a minute: each sends a `check_url` wherever it names.
const EVENT_SAVES_PER_MINUTE: u32 = 10;
/// A company's `event/replay`s a minute: each records an event again.
const EVENT_REPLAYS_PER_MINUTE: u32 = 60;
/// A company's new app credentials a minute.
const APP_CREATES_PER_MINUTE: u32 = 10;
/// Every this many checks, keys idle long enough to be full again are dropped.
const TRIM_EVERY: u64 = 4096;

type Ip = Option<std::net::IpAddr>;

/// The key a client address counts under: itself, or its /64 for IPv6.
fn client(ip: Ip) -> Ip {
    ip.map(|ip| match ip.to_canonical() {
        std::net::IpAddr::V6(v6) => std::net::IpAddr::V6((u128::from(v6) & !((1u128 << 64) - 1)).into()),
        v4 => v4,
    })
}

/// What a company may do only so often.
#[derive(Debug, Clone, Copy)]
pub enum CompanyAction {
    EventSave = 0,
    EventReplay = 1,
    AppCreate = 2,
}

pub struct Limits {
    qr_codes: DefaultKeyedRateLimiter<String>,
    activations: DefaultKeyedRateLimiter<Ip>,
    logins: DefaultKeyedRateLimiter<String>,
    public_posts: DefaultKeyedRateLimiter<Ip>,
    sign_ins: DefaultKeyedRateLimiter<Ip>,
    per_company: [DefaultKeyedRateLimiter<String>; 3],
    checks: std::sync::atomic::AtomicU64,
}

impl Limits {
    pub fn new() -> Self {
        let per_minute = NonZeroU32::new(QR_CODES_PER_MINUTE).unwrap_or(NonZeroU32::MIN);
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN));
        Limits {
            qr_codes: RateLimiter::keyed(Quota::per_minute(per_minute)),
            activations: RateLimiter::keyed(quota(ACTIVATIONS_PER_MINUTE)),
            logins: RateLimiter::keyed(quota(LOGINS_PER_ACCOUNT_MINUTE)),
            public_posts: RateLimiter::keyed(quota(PUBLIC_POSTS_PER_ADDRESS_MINUTE)),
            sign_ins: RateLimiter::keyed(quota(SIGN_INS_PER_ADDRESS_MINUTE)),
            per_company: [
                RateLimiter::keyed(quota(EVENT_SAVES_PER_MINUTE)),
                RateLimiter::keyed(quota(EVENT_REPLAYS_PER_MINUTE)),
                RateLimiter::keyed(quota(APP_CREATES_PER_MINUTE)),
            ],
            checks: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Whether `company` may create another onboarding QR code now (and counts it).
    pub fn create_qr_code(&self, company: &str) -> bool {
        self.trim();
        self.qr_codes.check_key(&company.to_string()).is_ok()
    }

    /// Whether a password may be tried for `account` of `company` now.
    pub fn login(&self, company: &str, account: &str) -> bool {
        // No account is this long: refused without keeping a counter for it.
        if company.len() + account.len() > 256 {
            return false;
        }
        self.trim();
        self.logins.check_key(&format!("{company}/{account}")).is_ok()
    }

    /// Whether `ip` may post to a public page (check-in, registration) now.
    pub fn public_post(&self, ip: Ip) -> bool {
        self.trim();
        self.public_posts.check_key(&client(ip)).is_ok()
    }

    /// Whether `ip` may try a console sign-in or a password setup now.
    pub fn sign_in(&self, ip: Ip) -> bool {
        self.trim();
        self.sign_ins.check_key(&client(ip)).is_ok()
    }

    /// Whether `company` may do `action` now (and counts it).
    pub fn company(&self, action: CompanyAction, company: &str) -> bool {
        self.trim();
        self.per_company[action as usize].check_key(&company.to_string()).is_ok()
    }

    /// Keeps the keyed counters from growing without bound.
    fn trim(&self) {
        if self.checks.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % TRIM_EVERY == TRIM_EVERY - 1 {
            self.qr_codes.retain_recent();
            self.activations.retain_recent();
            self.logins.retain_recent();
            self.public_posts.retain_recent();
            self.sign_ins.retain_recent();
            self.per_company.iter().for_each(|limiter| limiter.retain_recent());
        }
    }
}

impl Limits {
    /// Whether a board at `ip` may try another activation now (and counts it).
    pub fn activate_board(&self, ip: Ip) -> bool {
        self.trim();
        self.activations.check_key(&client(ip)).is_ok()
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::new()
    }
}

#[cfg(test)]
mod tests {
    use super::Limits;

    #[test]
    fn an_ipv6_host_counts_once_for_its_whole_64() {
        let limits = Limits::new();
        let ip = |i: u16| Some(std::net::IpAddr::V6(std::net::Ipv6Addr::new(0x2001, 0xdb8, 0, 1, 0, 0, 0, i)));
        let allowed = (0..40).filter(|i| limits.sign_in(ip(*i))).count();
        assert_eq!(allowed, 20, "one /64, one count");
        let other = Some(std::net::IpAddr::V6(std::net::Ipv6Addr::new(0x2001, 0xdb8, 0, 2, 0, 0, 0, 1)));
        assert!(limits.sign_in(other), "the next /64 counts apart");
    }
}
