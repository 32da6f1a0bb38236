//! Where webhooks may go. A subscription's URL is the company admin's to choose, and the
//! `check_url` handshake runs the moment it is saved, so without a rule roomd would POST
//! wherever it is told: to a cloud's metadata service, or to roomd's own API.
//!
//! Private and loopback addresses stay allowed (self-hosted receivers live there). By
//! default refused: link-local ranges (169.254.0.0/16, fe80::/10: where cloud metadata
//! answers), the known metadata addresses outside them, "this network", multicast and
//! broadcast, and the address roomd itself listens on. `--webhook-deny` adds ranges,
//! `--webhook-allow` opens ranges (it wins over every deny). A name is checked on every
//! address it resolves to, when the URL is checked and again, for the ranges, when the
//! connection is made (`Resolver`), so a name that changes its answer in between gets no
//! further. Whatever way leads back to a roomd, the request's mark (`send::MARK`) makes
//! it refuse.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock};

use ipnet::IpNet;

/// Refused unless allowed.
const DEFAULT_DENY: &[&str] = &[
    "0.0.0.0/8",
    "169.254.0.0/16",
    "100.100.100.200/32",
    "168.63.129.16/32",
    "224.0.0.0/4",
    "255.255.255.255/32",
    "::/128",
    "fe80::/10",
    "fd00:ec2::254/128",
    "ff00::/8",
    // 169.254.0.0/16 inside IPv6: IPv4-compatible, NAT64, 6to4.
    "::a9fe:0/112",
    "64:ff9b::a9fe:0/112",
    "2002:a9fe::/32",
];

#[derive(Debug)]
pub struct Destinations {
    allow: Vec<IpNet>,
    deny: Vec<IpNet>,
    /// Where this process listens, once bound.
    own: OnceLock<SocketAddr>,
}

impl Default for Destinations {
    fn default() -> Self {
        Destinations::new(Vec::new(), Vec::new())
    }
}

impl Destinations {
    /// The default rule, with `deny` added and `allow` opened.
    pub fn new(allow: Vec<IpNet>, deny: Vec<IpNet>) -> Destinations {
        let mut all: Vec<IpNet> = DEFAULT_DENY.iter().filter_map(|net| net.parse().ok()).collect();
        all.extend(deny);
        Destinations { allow, deny: all, own: OnceLock::new() }
    }

    /// Records the address roomd listens on (refused as a destination).
    pub fn listening_on(&self, addr: SocketAddr) {
        let _ = self.own.set(addr);
    }

    /// Whether a webhook may connect to `ip` (any port but roomd's own).
    fn permits_ip(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.allow.iter().any(|net| net.contains(&ip)) || !self.deny.iter().any(|net| net.contains(&ip))
    }

    fn permits(&self, addr: SocketAddr) -> bool {
        self.permits_ip(addr.ip()) && !self.is_own(addr)
    }

    /// Roomd's own listening address: the same port on its address, or on any loopback
    /// or unspecified address when it listens on all of them.
    fn is_own(&self, addr: SocketAddr) -> bool {
        let Some(own) = self.own.get() else { return false };
        let ip = addr.ip().to_canonical();
        if addr.port() != own.port() || self.allow.iter().any(|net| net.contains(&ip)) {
            return false;
        }
        ip == own.ip().to_canonical() || (own.ip().is_unspecified() && (ip.is_loopback() || ip.is_unspecified()))
    }

    /// Whether `url` may be sent to: every address its host has must be allowed.
    pub async fn check(&self, url: &reqwest::Url) -> Result<(), Refused> {
        let port = url.port_or_known_default().ok_or(Refused::NotAllowed)?;
        let host = url.host_str().ok_or(Refused::NotAllowed)?;
        let literal = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
        let addrs: Vec<SocketAddr> = match literal.parse::<IpAddr>() {
            Ok(ip) => vec![SocketAddr::new(ip, port)],
            Err(_) => tokio::net::lookup_host((host, port)).await.map_err(|_| Refused::Unresolved)?.collect(),
        };
        if addrs.is_empty() {
            return Err(Refused::Unresolved);
        }
        match addrs.into_iter().all(|addr| self.permits(addr)) {
            true => Ok(()),
            false => Err(Refused::NotAllowed),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The host has no address.
    Unresolved,
    /// An address of the host is not a destination webhooks may have.
    NotAllowed,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Refused::Unresolved => "the host name does not resolve",
            Refused::NotAllowed => "the address is not an allowed webhook destination",
        })
    }
}

/// The webhook client's name resolution: only the allowed addresses of a name.
pub struct Resolver(pub Arc<Destinations>);

impl reqwest::dns::Resolve for Resolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let destinations = self.0.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found = tokio::net::lookup_host((host.as_str(), 0)).await?;
            let allowed: Vec<SocketAddr> = found.filter(|addr| destinations.permits_ip(addr.ip())).collect();
            if allowed.is_empty() {
                return Err(Refused::NotAllowed.to_string().into());
            }
            Ok(Box::new(allowed.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

impl std::error::Error for Refused {}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(u: &str) -> reqwest::Url {
        reqwest::Url::parse(u).expect("url")
    }

    #[tokio::test]
    async fn metadata_link_local_and_roomd_itself_are_refused_private_ranges_are_not() {
        let d = Destinations::new(vec![], vec!["10.9.0.0/16".parse().expect("net")]);
        d.listening_on("127.0.0.1:8080".parse().expect("addr"));
        for refused in [
            "http://169.254.169.254/latest/meta-data/",
            "http://100.100.100.200/",
            "http://[fe80::1]/",
            "http://[::ffff:169.254.169.254]/",
            "http://[fd00:ec2::254]/",
            "http://[64:ff9b::a9fe:a9fe]/",
            "http://[2002:a9fe:a9fe::]/",
            "http://168.63.129.16/",
            "http://127.0.0.1:8080/meeting/api/open/user/list",
            "http://localhost:8080/",
            "http://10.9.1.1/",
            "http://0.0.0.0/",
        ] {
            assert_eq!(d.check(&url(refused)).await, Err(Refused::NotAllowed), "{refused}");
        }
        for allowed in
            ["http://127.0.0.1:9000/hook", "http://10.0.0.5/hook", "https://192.168.1.2/", "http://[::1]:9000/"]
        {
            assert_eq!(d.check(&url(allowed)).await, Ok(()), "{allowed}");
        }
    }

    #[tokio::test]
    async fn allowed_ranges_win_and_listening_everywhere_covers_loopback() {
        let d = Destinations::new(vec!["169.254.10.0/24".parse().expect("net")], vec![]);
        d.listening_on("0.0.0.0:8080".parse().expect("addr"));
        assert_eq!(d.check(&url("http://169.254.10.7/")).await, Ok(()));
        assert_eq!(d.check(&url("http://169.254.11.7/")).await, Err(Refused::NotAllowed));
        assert_eq!(d.check(&url("http://127.0.0.1:8080/")).await, Err(Refused::NotAllowed));
        assert_eq!(d.check(&url("http://127.0.0.1:8081/")).await, Ok(()));
    }
}
