//! The delivery worker: claims each company's oldest pending event by lease, sends it in
//! its own task (a slow receiver holds up only its own company), records the attempt,
//! and schedules a retry with exponential back-off and jitter. Leases make several
//! processes on one PostgreSQL database share the work without sending an event twice
//! at once; a lease left by a crashed process expires and the event is sent again.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::RngExt;
use roomd_core::secret;
use roomd_store::{Attempt, ClaimedEvent, Store};
use tokio::sync::watch;
use tokio::task::JoinSet;

use super::send::{Keys, send};

/// Longer than an attempt can take, so a live deliverer never loses its lease.
const LEASE_MS: i64 = 30_000;
const ATTEMPT_DEADLINE: Duration = Duration::from_secs(5);
const IDLE_POLL: Duration = Duration::from_millis(100);
/// At most one look this often: busy writers signal a commit many times a millisecond.
const LOOK_GAP: Duration = Duration::from_millis(10);
const CLAIM_BATCH: i64 = 64;
/// Failed deliveries are retried until the event is this old (at least the 24 h asked).
const GIVE_UP_AFTER_MS: i64 = 48 * 3_600_000;
const MAX_BACKOFF_MS: i64 = 3_600_000;

pub struct Worker {
    store: Store,
    client: super::Webhooks,
    /// This process's name on its leases.
    owner: Arc<str>,
}

impl Worker {
    pub fn new(store: Store, client: super::Webhooks) -> Self {
        Worker { store, client, owner: format!("roomd-{}", secret::alphanumeric(12)).into() }
    }

    /// Delivers until `stop` turns true, then waits (bounded) for attempts in flight.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let mut in_flight = JoinSet::new();
        while !*stop.borrow() {
            while in_flight.try_join_next().is_some() {}
            let looked = tokio::time::Instant::now();
            let claimed = match self.store.claim_events(&self.owner, LEASE_MS, CLAIM_BATCH).await {
                Ok(claimed) => claimed,
                Err(e) => {
                    tracing::warn!(error = %e, "claiming events");
                    Vec::new()
                }
            };
            if claimed.is_empty() {
                // Events that wait for transactions to end (PostgreSQL) are looked for again
                // soon; otherwise a recorded event, or the idle poll, brings the next look.
                let idle = if self.store.events_unsettled() { LOOK_GAP } else { IDLE_POLL };
                tokio::select! {
                    _ = tokio::time::sleep(idle) => {}
                    _ = self.store.events_recorded() => {}
                    _ = stop.changed() => {}
                }
                tokio::time::sleep_until(looked + LOOK_GAP).await;
                continue;
            }
            for event in claimed {
                let (store, client, owner) = (self.store.clone(), self.client.clone(), self.owner.clone());
                in_flight.spawn(async move { deliver(&store, &client, &owner, event).await });
            }
        }
        let _ = tokio::time::timeout(ATTEMPT_DEADLINE + Duration::from_secs(1), async {
            while in_flight.join_next().await.is_some() {}
        })
        .await;
    }
}

/// Delivers `event`, then the company's next ones while they succeed.
async fn deliver(store: &Store, client: &super::Webhooks, owner: &str, first: ClaimedEvent) {
    let mut event = Some(first);
    while let Some(e) = event {
        event = attempt(store, client, owner, e).await;
    }
}

/// One attempt; on success, the company's next event if it was claimed with the record.
async fn attempt(store: &Store, client: &super::Webhooks, owner: &str, event: ClaimedEvent) -> Option<ClaimedEvent> {
    let keys = Keys { aes_key: &event.aes_key, token: &event.token, appkey: &event.appkey };
    let started = Instant::now();
    let sent = send(client, &event.url, &keys, &event.payload, store.now_ms(), ATTEMPT_DEADLINE).await;
    let now = store.now_ms();
    let attempt = Attempt {
        ok: sent.is_ok(),
        outcome: match &sent {
            Ok(()) => "success".to_string(),
            Err(why) => why.clone(),
        },
        duration_ms: started.elapsed().as_millis() as i64,
        retry_at_ms: (now - event.created_ms < GIVE_UP_AFTER_MS).then(|| now + backoff_ms(event.attempts)),
    };
    if let Err(why) = &sent {
        tracing::info!(seq = event.seq, company = %event.company, attempt = event.attempts + 1, reason = %why, "event delivery failed");
    }
    match store.record_attempt(owner, event.seq, attempt, LEASE_MS).await {
        Ok(recorded) if recorded.held => recorded.next,
        Ok(_) => {
            tracing::warn!(seq = event.seq, "lease lost before the attempt was recorded");
            None
        }
        Err(e) => {
            tracing::warn!(seq = event.seq, error = %e, "recording a delivery attempt");
            None
        }
    }
}

/// 1 s, 2 s, 4 s … capped at an hour, each between half and the whole of it.
fn backoff_ms(attempts_before: i64) -> i64 {
    let full = (1_000i64 << attempts_before.clamp(0, 22)).min(MAX_BACKOFF_MS);
    rand::rng().random_range(full / 2..=full)
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        for attempts in 0..40 {
            let full = (1_000i64 << attempts.min(22)).min(3_600_000);
            let b = backoff_ms(attempts);
            assert!(b >= full / 2 && b <= full, "attempt {attempts}: {b} not in [{}, {full}]", full / 2);
        }
    }
}
