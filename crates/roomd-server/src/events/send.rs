//! Sending one event: encrypt and sign (`roomd_wire::event_crypto`), POST it with the
//! three signing values in the body and again in the query string, and accept only an
//! answer that opens to `success` with the same keys.

use std::sync::Arc;
use std::time::Duration;

use roomd_core::secret;
use roomd_wire::event_crypto::EventCipher;
use serde_json::json;

use super::destinations::{Destinations, Resolver};

/// The header every webhook request carries, and no request roomd serves may: however
/// a URL leads back to a roomd (a name, a NAT rule, a proxy), that roomd refuses it
/// (`middleware::refuse_own_webhooks`).
pub const MARK: &str = "x-roomd-webhook";

/// The most of a receiver's answer that is read: `success`, encrypted, is 200 bytes.
const ANSWER_CAP: usize = 64 * 1024;

/// Makes rustls use ring; idempotent. Every reqwest client of the process needs it first
/// (reqwest is built without a crypto provider of its own).
pub fn install_tls() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Err only when a provider is already installed: that one serves as well.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// How events go out: the client, and where it may connect.
#[derive(Clone)]
pub struct Webhooks {
    client: reqwest::Client,
    destinations: Arc<Destinations>,
}

impl Webhooks {
    /// `https://` URLs are checked against the system's roots plus `extra_roots` (PEM,
    /// e.g. a company's internal CA); redirects are not followed (a receiver answers
    /// itself); names resolve only to the addresses `destinations` allows.
    pub fn new(extra_roots: &[u8], destinations: Destinations) -> Result<Webhooks, String> {
        install_tls();
        let destinations = Arc::new(destinations);
        // No proxy from the environment: it would connect where `destinations` never looks.
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(Arc::new(Resolver(destinations.clone())));
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
        let client = builder.build().map_err(|e| format!("cannot set up the webhook client: {e}"))?;
        Ok(Webhooks { client, destinations })
    }

    pub fn destinations(&self) -> &Destinations {
        &self.destinations
    }
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
    webhooks: &Webhooks,
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
    webhooks.destinations.check(&target).await.map_err(|refused| refused.to_string())?;
    let request = webhooks.client.post(target).header(MARK, "1").json(&body).timeout(deadline);
    let mut response = request.send().await.map_err(|e| describe(e, deadline))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("HTTP {}", status.as_u16()));
    }
    // Read up to the cap, within the deadline (the request's timeout covers the body).
    let mut answer = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| describe(e, deadline))? {
        if answer.len() + chunk.len() > ANSWER_CAP {
            return Err(format!("answer longer than {ANSWER_CAP} bytes"));
        }
        answer.extend_from_slice(&chunk);
    }
    cipher.check_success_reply(&answer).map_err(|e| format!("bad reply: {e}"))
}

fn describe(e: reqwest::Error, deadline: Duration) -> String {
    if e.is_timeout() {
        format!("no answer within {} ms", deadline.as_millis())
    } else if e.is_connect() {
        "cannot connect".to_string()
    } else {
        // Without the URL, which may carry credentials of the receiver's.
        format!("request failed: {}", e.without_url())
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::{Keys, Webhooks, send};

    /// A receiver that answers 200 with an endless body: the attempt stops reading at
    /// the cap and fails, long before its deadline or the memory a whole body would take.
    #[tokio::test]
    async fn a_receivers_answer_is_read_up_to_a_cap() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.expect("accept");
            let mut request = [0u8; 4096];
            let _ = socket.read(&mut request).await;
            let _ = socket.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n").await;
            let junk = vec![b'x'; 64 * 1024];
            while socket.write_all(&junk).await.is_ok() {}
        });
        let webhooks = Webhooks::new(&[], Default::default()).expect("client");
        let keys = Keys { aes_key: &"a".repeat(43), token: "t", appkey: "k" };
        let sent = send(&webhooks, &url, &keys, "{}", 0, Duration::from_secs(30)).await;
        assert_eq!(sent, Err("answer longer than 65536 bytes".to_string()));
    }
}
