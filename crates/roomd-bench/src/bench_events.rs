//! `roomd-bench --events`: the company subscribes to a receiver in this process (it
//! decrypts every event with the same code the tests check against the vectors, and
//! answers the encrypted `success`), so bookings pay for the outbox and the delivery
//! rate can be measured from commit to acknowledged delivery.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use axum::extract::{Query, State};
use axum::routing::post;
use axum::{Json, Router};
use roomd_wire::event_crypto::EventCipher;
use serde_json::{Value, json};

#[derive(Clone)]
pub struct Receiver {
    cipher: Arc<EventCipher>,
    received: Arc<AtomicU64>,
    /// Answers HTTP 503: events are recorded but wait (the outbox write alone is measured).
    down: Arc<AtomicBool>,
}

impl Receiver {
    /// Subscribes the company behind `token` to a new receiver.
    pub async fn subscribe(base: &str, token: &str, appkey: &str) -> anyhow::Result<Receiver> {
        Self::start(base, token, appkey, Arc::default(), Arc::default()).await
    }

    /// Subscribes another company (behind `token`) to a receiver of its own that counts
    /// with this one and is up or down with it.
    pub async fn subscribe_another(&self, base: &str, token: &str, appkey: &str) -> anyhow::Result<Receiver> {
        Self::start(base, token, appkey, self.received.clone(), self.down.clone()).await
    }

    async fn start(
        base: &str,
        token: &str,
        appkey: &str,
        received: Arc<AtomicU64>,
        down: Arc<AtomicBool>,
    ) -> anyhow::Result<Receiver> {
        let http = reqwest::Client::new();
        let call = |name: &str, body: Value| {
            http.post(format!("{base}/meeting/api/open/event/{name}?access_token={token}")).json(&body).send()
        };
        let keys: Value = call("get", json!({})).await?.json().await?;
        let (aes_key, event_token) = (keys["value"]["aesKey"].as_str(), keys["value"]["token"].as_str());
        let cipher = EventCipher::new(aes_key.context("aesKey")?, event_token.context("token")?, appkey)?;
        let receiver = Receiver { cipher: Arc::new(cipher), received, down };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}/events", listener.local_addr()?);
        let app = Router::new().route("/events", post(receive)).with_state(receiver.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        let saved: Value = call("save", json!({"url": url})).await?.json().await?;
        if saved["code"] != 10000 {
            bail!("subscribing failed: {saved}");
        }
        Ok(receiver)
    }

    /// From now on, answer HTTP 503 to every event (a `check_url` is still answered).
    pub fn go_down(&self) {
        self.down.store(true, Ordering::Relaxed);
    }

    /// Waits for `n` events (after check_url), then prints the delivery rate since `since`.
    pub async fn report(&self, n: u64, since: Instant, phase_ended: Instant) -> anyhow::Result<()> {
        let give_up = Instant::now() + Duration::from_secs(300);
        while self.received.load(Ordering::Relaxed) < n {
            if Instant::now() > give_up {
                bail!("only {} of {n} events arrived", self.received.load(Ordering::Relaxed));
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let total = since.elapsed().as_secs_f64();
        println!(
            "  events delivered               {:>8.0} ev/s    {n} events in {total:.1} s; the last {:.2} s after the last booking",
            n as f64 / total,
            phase_ended.elapsed().as_secs_f64()
        );
        Ok(())
    }
}

async fn receive(
    State(r): State<Receiver>,
    Query(query): Query<HashMap<String, String>>,
    Json(body): Json<Value>,
) -> (axum::http::StatusCode, String) {
    let opened = r.cipher.open(
        query.get("msg_signature").map_or("", String::as_str),
        query.get("timestamp").map_or("", String::as_str),
        query.get("nonce").map_or("", String::as_str),
        body["encrypt"].as_str().unwrap_or_default(),
    );
    match opened {
        Ok(event) if !event.contains("\"check_url\"") => {
            if r.down.load(Ordering::Relaxed) {
                return (axum::http::StatusCode::SERVICE_UNAVAILABLE, String::new());
            }
            r.received.fetch_add(1, Ordering::Relaxed);
        }
        Ok(_) => {}
        Err(_) => return (axum::http::StatusCode::BAD_REQUEST, "refused".into()),
    }
    let sealed = r.cipher.seal("success", "0", "bench", b"benchbenchbench0");
    (axum::http::StatusCode::OK, sealed.ok().and_then(|s| serde_json::to_string(&s).ok()).unwrap_or_default())
}
