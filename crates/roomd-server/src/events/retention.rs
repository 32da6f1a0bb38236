//! Event retention: every ten minutes, each roomd process removes the delivered and
//! given-up events that finished longer ago than `--event-retention-days` (30 by
//! default; 0 keeps them all), a page a company at a time, with a pause between pages so
//! the writer serves bookings first. Pending events are never removed. Two processes on
//! one PostgreSQL database may both look; the second finds nothing left to remove.

use std::time::Duration;

use roomd_store::Store;
use tokio::sync::watch;

const EVERY: Duration = Duration::from_secs(600);
const PAUSE: Duration = Duration::from_millis(20);

/// Removes events that finished more than `keep` ago until `stop` turns true.
pub async fn run(store: Store, keep: Duration, mut stop: watch::Receiver<bool>) {
    let keep_ms = i64::try_from(keep.as_millis()).unwrap_or(i64::MAX);
    while !*stop.borrow() {
        let before_ms = store.now_ms().saturating_sub(keep_ms);
        let mut removed = 0;
        while !*stop.borrow() {
            match store.prune_events(before_ms).await {
                Ok(0) => break,
                Ok(n) => removed += n,
                Err(e) => {
                    tracing::warn!(error = %e, "removing finished events");
                    break;
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(PAUSE) => {}
                _ = stop.changed() => {}
            }
        }
        if removed > 0 {
            tracing::info!(removed, before_ms, "removed finished events past their retention");
        }
        tokio::select! {
            _ = tokio::time::sleep(EVERY) => {}
            _ = stop.changed() => {}
        }
    }
}
