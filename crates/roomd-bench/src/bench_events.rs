//! `roomd-bench --events`: the company subscribes to a receiver in this process (it
//! decrypts every event with the same code the tests check against the vectors, and
//! answers the encrypted `success`), so bookings pay for the outbox and the delivery
//! rate can be measured from commit to acknowledged delivery.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use roomd_wire::event_crypto::EventCipher;
use serde_json::{Value, json};

#[derive(Clone)]
pub struct Receiver {
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
        let receiver = Receiver { received, down };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}/events", listener.local_addr()?);
        let (count, down) = (receiver.received.clone(), receiver.down.clone());
        // Every event but the check counts; while down, events wait (HTTP 503).
        let sink: roomd_server::webhook_receiver::Sink = Arc::new(move |event: &str| {
            if event.contains("\"check_url\"") {
                return true;
            }
            if down.load(Ordering::Relaxed) {
                return false;
            }
            count.fetch_add(1, Ordering::Relaxed);
            true
        });
        let app = roomd_server::webhook_receiver::router(cipher, sink);
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
