//! Extractors that reject in the h5 envelope: the JSON body and the access token.

use axum::body::Bytes;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use roomd_core::Caller;
use roomd_wire::h5::ErrorCode;
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::state::AppState;

/// A JSON body, whatever the `Content-Type` says (curl's `-d` sends a form type). An
/// empty body is `{}`, since the list endpoints take none. Syntax errors answer 71001,
/// a value of the wrong type 71008 naming its path.
pub struct H5Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for H5Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| ApiError::field(ErrorCode::InvalidArguments, "body", "too large or unreadable"))?;
        let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) { b"{}" } else { &bytes };
        // serde would read a struct from a JSON array too; the seed's bodies are objects.
        if text.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(ApiError::field(ErrorCode::InvalidArguments, "body", "must be a JSON object"));
        }
        let mut de = serde_json::Deserializer::from_slice(text);
        let value = match serde_path_to_error::deserialize(&mut de) {
            Ok(value) => value,
            Err(e) => {
                let path = e.path().to_string();
                let inner = e.into_inner();
                if inner.is_data() && path != "." {
                    return Err(ApiError::field(ErrorCode::TypeMismatch, path, inner.to_string()));
                }
                return Err(not_json(inner));
            }
        };
        de.end().map_err(not_json)?;
        Ok(H5Json(value))
    }
}

fn not_json(e: serde_json::Error) -> ApiError {
    ApiError::field(ErrorCode::InvalidArguments, "body", format!("not valid JSON: {e}"))
}

/// The caller behind `?access_token=…` (71002 missing, 71003 unknown, 71004 expired).
pub struct Auth(pub Caller);

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Self::Rejection> {
        let token = parts
            .uri
            .query()
            .and_then(|q| form_value(q, "access_token"))
            .filter(|t| !t.is_empty())
            .ok_or(ApiError::new(ErrorCode::LackAccessToken))?;
        Ok(Auth(app.authenticate(token).await?))
    }
}

/// The first value of `key` in a query string, percent-decoded.
pub fn form_value(query: &str, key: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query).ok()?.into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// The client's IP address, what rate limits count by: the TCP peer, or, when the peer is
/// a trusted proxy (`--trusted-proxy`), the last address in `X-Forwarded-For` that is
/// not one (addresses before it could be made up by the client).
pub struct PeerIp(pub Option<IpAddr>);

impl FromRequestParts<AppState> for PeerIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        Result::Ok(PeerIp(peer.map(|peer| client_address(peer, &parts.headers, &app.trusted_proxies))))
    }
}

fn client_address(peer: IpAddr, headers: &axum::http::HeaderMap, trusted: &[ipnet::IpNet]) -> IpAddr {
    let peer = peer.to_canonical();
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|hop| !hop.is_empty());
    let hops: Vec<&str> = forwarded.collect();
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        match hop_address(hop) {
            Some(ip) if is_trusted(&ip) => client = ip,
            Some(ip) => return ip,
            // A hop that is no address ("unknown"): nothing before it can be believed.
            None => return client,
        }
    }
    client
}

/// A hop of `X-Forwarded-For`: an address, with a port as some proxies write it
/// (`203.0.113.9:4711`, `[2001:db8::1]:4711`), or a bracketed IPv6 address.
fn hop_address(hop: &str) -> Option<IpAddr> {
    let ip = hop
        .parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|addr| addr.ip()))
        .or_else(|| hop.strip_prefix('[')?.strip_suffix(']')?.parse().ok())?;
    Some(ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use std::net::IpAddr;

    use super::client_address;

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let trusted: Vec<ipnet::IpNet> = vec!["10.0.0.0/8".parse().expect("net")];
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        let headers = |v: &str| {
            let mut h = axum::http::HeaderMap::new();
            h.insert("x-forwarded-for", v.parse().expect("header"));
            h
        };
        // Straight from a client, the header is the client's to make up.
        assert_eq!(client_address(ip("203.0.113.9"), &headers("1.2.3.4"), &trusted), ip("203.0.113.9"));
        // Through the proxy: the hop the proxy saw, not what the client wrote before it.
        assert_eq!(client_address(ip("10.0.0.2"), &headers("6.6.6.6, 198.51.100.7"), &trusted), ip("198.51.100.7"));
        // Through two proxies of ours.
        assert_eq!(client_address(ip("10.0.0.2"), &headers("198.51.100.7, 10.0.0.3"), &trusted), ip("198.51.100.7"));
        // A proxy of ours without the header, or with rubbish in it.
        assert_eq!(client_address(ip("10.0.0.2"), &axum::http::HeaderMap::new(), &trusted), ip("10.0.0.2"));
        assert_eq!(client_address(ip("10.0.0.2"), &headers("1.2.3.4, nonsense"), &trusted), ip("10.0.0.2"));
        // As some proxies write a hop: with a port, bracketed, or with an empty element.
        assert_eq!(client_address(ip("10.0.0.2"), &headers("198.51.100.7:4711"), &trusted), ip("198.51.100.7"));
        assert_eq!(client_address(ip("10.0.0.2"), &headers("[2001:db8::9]:4711"), &trusted), ip("2001:db8::9"));
        assert_eq!(client_address(ip("10.0.0.2"), &headers("[2001:db8::9]"), &trusted), ip("2001:db8::9"));
        assert_eq!(client_address(ip("10.0.0.2"), &headers("198.51.100.7, "), &trusted), ip("198.51.100.7"));
        assert_eq!(client_address(ip("::ffff:10.0.0.2"), &headers("198.51.100.7"), &trusted), ip("198.51.100.7"));
    }
}
