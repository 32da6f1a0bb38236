//! Sending one event: encrypt and sign (`roomd_wire::event_crypto`), POST it with the
//! three signing values in the body and again in the query string, and accept only an
//! answer that opens to `success` with the same keys.

use std::time::Duration;

use roomd_core::secret;
use roomd_wire::event_crypto::EventCipher;
use serde_json::json;

/// Makes rustls use ring; idempotent. Every reqwest client of the process needs it first
/// (reqwest is built without a crypto provider of its own).
pub fn install_tls() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Err only when a provider is already installed: that one serves as well.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// The client events go out with: `https://` URLs are checked against the system's
/// roots plus `extra_roots` (PEM, e.g. a company's internal CA); redirects are not
/// followed (a receiver answers itself).
pub fn client(extra_roots: &[u8]) -> Result<reqwest::Client, String> {
    install_tls();
    let mut builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
    if !extra_roots.is_empty() {
        let roots = reqwest::Certificate::from_pem_bundle(extra_roots)
            .map_err(|e| format!("cannot read the webhook CA certificates: {e}"))?;
        if roots.is_empty() {
            return Err("the webhook CA file holds no PEM certificate".into());
        }
        for root in roots {
            builder = builder.add_root_certificate(root);
        }
    }
    builder.build().map_err(|e| format!("cannot set up the webhook client: {e}"))
}

/// The keys of a subscription.
pub struct Keys<'a> {
    pub aes_key: &'a str,
    pub token: &'a str,
    pub appkey: &'a str,
}

/// Delivers `plaintext` to `url` within `deadline`. `Err` says why the attempt failed, in
/// words fit for the delivery log (never the keys).
pub async fn send(
    client: &reqwest::Client,
    url: &str,
    keys: &Keys<'_>,
    plaintext: &str,
    now_ms: i64,
    deadline: Duration,
) -> Result<(), String> {
    let cipher = EventCipher::new(keys.aes_key, keys.token, keys.appkey).map_err(|e| format!("bad keys: {e}"))?;
    let mut random16 = [0u8; 16];
    random16.copy_from_slice(secret::alphanumeric(16).as_bytes());
    let (timestamp, nonce) = (now_ms.to_string(), secret::alphanumeric(16));
    let sealed = cipher.seal(plaintext, &timestamp, &nonce, &random16).map_err(|e| format!("cannot encrypt: {e}"))?;
    let body = json!({
        "encrypt": sealed.encrypt,
        "msg_signature": sealed.msg_signature,
        "timeStamp": sealed.timestamp,
        "nonce": sealed.nonce,
    });
    let mut target = reqwest::Url::parse(url).map_err(|e| format!("bad URL: {e}"))?;
    target
        .query_pairs_mut()
        .append_pair("msg_signature", &sealed.msg_signature)
        .append_pair("timestamp", &sealed.timestamp)
        .append_pair("nonce", &sealed.nonce);
    let request = client.post(target).json(&body).timeout(deadline);
    let response = request.send().await.map_err(|e| describe(&e, deadline))?;
    let status = response.status();
    let answer = response.bytes().await.map_err(|e| describe(&e, deadline))?;
    if !status.is_success() {
        return Err(format!("HTTP {}", status.as_u16()));
    }
    cipher.check_success_reply(&answer).map_err(|e| format!("bad reply: {e}"))
}

fn describe(e: &reqwest::Error, deadline: Duration) -> String {
    if e.is_timeout() {
        format!("no answer within {} ms", deadline.as_millis())
    } else if e.is_connect() {
        "cannot connect".to_string()
    } else {
        format!("request failed: {e}")
    }
}
