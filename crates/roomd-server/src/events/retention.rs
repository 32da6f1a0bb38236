//! Event retention: every ten minutes, each roomd process removes the delivered and
//! given-up events that finished longer ago than `--event-retention-days` (30 by
//! default; 0 keeps them all), a page of a company's line at a time, with a pause between
//! pages so the writer serves bookings first. Pending events are never removed. Two
//! processes on one PostgreSQL database may both look; the second finds nothing left.

use std::time::Duration;

use roomd_store::Store;
use tokio::sync::watch;

const PAUSE: Duration = Duration::from_millis(20);

/// How long finished events are kept, and how often a pass looks for those to remove.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    pub keep: Duration,
    pub every: Duration,
}

impl Retention {
    /// Kept `days` days, looked for every ten minutes.
    pub fn days(days: u32) -> Retention {
        Retention { keep: Duration::from_secs(u64::from(days) * 86_400), every: Duration::from_secs(600) }
    }
}

/// Removes events that finished longer ago than `retention` keeps them, until `stop`
/// turns true.
pub async fn run(store: Store, retention: Retention, mut stop: watch::Receiver<bool>) {
    let keep_ms = i64::try_from(retention.keep.as_millis()).unwrap_or(i64::MAX);
    while !*stop.borrow() {
        let before_ms = store.now_ms().saturating_sub(keep_ms);
        let removed = pass(&store, before_ms, &mut stop).await;
        if removed > 0 {
            tracing::info!(removed, before_ms, "removed finished events past their retention");
        }
        tokio::select! {
            _ = tokio::time::sleep(retention.every) => {}
            _ = stop.changed() => {}
        }
    }
}

/// One pass over every company's line; a company whose pruning fails is left for the
/// next pass, and the others go on.
async fn pass(store: &Store, before_ms: i64, stop: &mut watch::Receiver<bool>) -> u64 {
    let lines = match store.event_lines().await {
        Ok(lines) => lines,
        Err(e) => {
            tracing::warn!(error = %e, "reading the event lines to prune");
            return 0;
        }
    };
    let mut removed = 0;
    for line in lines {
        while !*stop.borrow() {
            match store.prune_line(&line, before_ms).await {
                Ok(0) => break,
                Ok(n) => removed += n,
                Err(e) => {
                    tracing::warn!(error = %e, company = %line.company, "removing finished events");
                    break;
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(PAUSE) => {}
                _ = stop.changed() => {}
            }
        }
    }
    removed
}
