//! The files pages load (the stylesheet, scripts, the icon), compiled into the binary.
//! Each goes gzip-compressed to a browser that accepts it, compressed once on first use.
//!
//! Only these fixed files are compressed, never a page: a page carries its form token
//! next to what the person typed, and compressing the two together lets someone who sees
//! the sizes of the answers guess the token (BREACH). The pages are small anyway.

use std::io::Write;
use std::sync::OnceLock;

use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};

/// For a file whose address carries its version (`?v=`): a browser keeps it for a year,
/// and an upgrade changes the address.
pub const FOR_A_YEAR: &str = "public, max-age=31536000, immutable";
/// For a file at a fixed address: kept a day.
pub const FOR_A_DAY: &str = "public, max-age=86400";

pub struct Asset {
    content_type: &'static str,
    body: &'static str,
    cache_control: &'static str,
    /// `None` when compressing saves nothing.
    gzip: OnceLock<Option<Vec<u8>>>,
    version: OnceLock<String>,
}

impl Asset {
    pub const fn new(content_type: &'static str, body: &'static str, cache_control: &'static str) -> Self {
        Asset { content_type, body, cache_control, gzip: OnceLock::new(), version: OnceLock::new() }
    }

    /// Changes with the content: the `?v=` of a file kept for a year.
    pub fn version(&self) -> &str {
        self.version.get_or_init(|| format!("{:08x}", fnv1a(self.body.as_bytes())))
    }

    /// The file, compressed when the request accepts gzip.
    pub fn answer(&'static self, request: &HeaderMap) -> Response {
        let headers = [
            (header::CONTENT_TYPE, self.content_type),
            (header::CACHE_CONTROL, self.cache_control),
            (header::VARY, "accept-encoding"),
        ];
        match self.gzipped().filter(|_| accepts_gzip(request)) {
            Some(gzip) => (headers, [(header::CONTENT_ENCODING, "gzip")], gzip).into_response(),
            None => (headers, self.body).into_response(),
        }
    }

    fn gzipped(&'static self) -> Option<&'static [u8]> {
        let gzip = self.gzip.get_or_init(|| {
            let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            let gzip = encoder.write_all(self.body.as_bytes()).and_then(|()| encoder.finish());
            gzip.ok().filter(|g| g.len() < self.body.len())
        });
        gzip.as_deref()
    }
}

/// A GET route answering with `asset`.
pub fn route<S: Clone + Send + Sync + 'static>(asset: &'static Asset) -> MethodRouter<S> {
    get(move |headers: HeaderMap| async move { asset.answer(&headers) })
}

/// Whether `Accept-Encoding` names gzip without refusing it (`q=0`).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    let codings = headers.get_all(header::ACCEPT_ENCODING).into_iter().filter_map(|v| v.to_str().ok());
    codings.flat_map(|v| v.split(',')).any(|coding| {
        let mut parts = coding.split(';').map(str::trim);
        let gzip = parts.next().is_some_and(|name| name.eq_ignore_ascii_case("gzip"));
        let refused = parts.any(|p| p.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()) == Some(0.0));
        gzip && !refused
    })
}

/// FNV-1a, 32 bits: enough to tell one version of a file from the next.
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |hash: u32, &b| (hash ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use axum::http::{HeaderMap, HeaderValue, header};

    use super::{Asset, FOR_A_DAY, accepts_gzip};

    static TEXT: Asset = Asset::new("text/plain", "roomd roomd roomd roomd roomd roomd roomd roomd", FOR_A_DAY);

    fn accept(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn gzip_is_accepted_unless_refused_or_not_named() {
        assert!(accepts_gzip(&accept("gzip, deflate, br, zstd")));
        assert!(accepts_gzip(&accept("br;q=1.0, GZIP;q=0.5")));
        assert!(!accepts_gzip(&accept("gzip;q=0, br")));
        assert!(!accepts_gzip(&accept("br")));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[tokio::test]
    async fn a_file_goes_compressed_to_who_accepts_it_and_plain_to_others() {
        let gzip = TEXT.answer(&accept("gzip"));
        assert_eq!(gzip.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(gzip.headers()[header::VARY], "accept-encoding");
        let bytes = axum::body::to_bytes(gzip.into_body(), 1 << 20).await.expect("body");
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut text).expect("gzip");
        assert_eq!(text, TEXT.body);

        let plain = TEXT.answer(&HeaderMap::new());
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(plain.headers()[header::CACHE_CONTROL], FOR_A_DAY);
        let bytes = axum::body::to_bytes(plain.into_body(), 1 << 20).await.expect("body");
        assert_eq!(bytes, TEXT.body.as_bytes());
    }
}
