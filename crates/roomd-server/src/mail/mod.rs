//! Mail (docs/wire-compat.md "Mail"): the SMTP server roomd sends through
//! (`--smtp-url`), the messages in the company's language (`render.rs`), and the
//! worker that sends what the store recorded (`worker.rs`).

mod render;
mod words;
pub mod worker;

use std::sync::Arc;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, Tokio1Executor};

/// How long one SMTP conversation may take before it counts as a temporary failure.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Where mail goes and whom it comes from.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    pub from: Mailbox,
    /// The server and its TLS, for the console (no password).
    pub summary: String,
}

impl Mailer {
    /// `smtp://[user:pass@]host[:port][?tls=required|none]` (STARTTLS when offered,
    /// unless `none`; `required` refuses a server without it) or `smtps://…` (TLS from
    /// the start); ports default to 25 and 465. `from` is `Name <address>` or an address.
    /// `ca_pem` holds certificates to trust beyond the system's (a relay behind the
    /// company's own CA); empty for none.
    pub fn new(url: &str, from: &str, ca_pem: &[u8]) -> Result<Mailer, String> {
        let from: Mailbox = from.parse().map_err(|e| format!("--mail-from {from:?}: {e}"))?;
        let url = reqwest::Url::parse(url).map_err(|e| format!("--smtp-url: {e}"))?;
        let host = url.host_str().filter(|h| !h.is_empty()).ok_or("--smtp-url names no host")?.to_string();
        let tls_mode = url.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.into_owned());
        let params = || tls_parameters(&host, ca_pem);
        let (tls, port, said) = match (url.scheme(), tls_mode.as_deref()) {
            ("smtps", None) => (Tls::Wrapper(params()?), 465, "TLS"),
            ("smtp", None) => (Tls::Opportunistic(params()?), 25, "STARTTLS when offered"),
            ("smtp", Some("required")) => (Tls::Required(params()?), 25, "STARTTLS required"),
            ("smtp", Some("none")) => (Tls::None, 25, "no TLS"),
            (scheme, tls) => {
                return Err(format!(
                    "--smtp-url: {scheme}:// with tls={tls:?}: use smtp:// (tls=required|none) or smtps://"
                ));
            }
        };
        let port = url.port().unwrap_or(port);
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host.clone())
            .port(port)
            .tls(tls)
            .timeout(Some(SMTP_TIMEOUT));
        if !url.username().is_empty() {
            let decode = |s: &str| percent_decode(s);
            let password = url.password().map(decode).unwrap_or_default();
            builder = builder.credentials(Credentials::new(decode(url.username()), password));
        }
        let summary = format!("{}://{host}:{port} ({said})", url.scheme());
        Ok(Mailer { transport: builder.build(), from, summary })
    }
}

/// How TLS is checked: the system's roots, and each certificate in `ca_pem`.
fn tls_parameters(host: &str, ca_pem: &[u8]) -> Result<TlsParameters, String> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut builder = TlsParameters::builder(host.to_string());
    for der in CertificateDer::pem_slice_iter(ca_pem) {
        let der = der.map_err(|e| format!("--smtp-ca-file: {e}"))?;
        let certificate = Certificate::from_der(der.to_vec()).map_err(|e| format!("--smtp-ca-file: {e}"))?;
        builder = builder.add_root_certificate(certificate);
    }
    builder.build_rustls().map_err(|e| format!("--smtp-url: TLS: {e}"))
}

/// Has the store record mail, written by `mailer`'s writer.
pub fn install(store: &roomd_store::Store, mailer: &Mailer) {
    store.send_mail_with(Arc::new(render::Writer { from: mailer.from.clone() }));
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}
