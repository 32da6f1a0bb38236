//! The no-show releaser: every half minute, each roomd process asks the store to release
//! the meetings whose check-in window passed with nobody checked in. The store's
//! conditional update makes each release happen once, whichever process gets there.

use std::time::Duration;

use roomd_store::Store;
use tokio::sync::watch;

const EVERY: Duration = Duration::from_secs(30);

pub async fn run(store: Store, mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        match store.release_no_shows().await {
            Ok(released) if !released.is_empty() => {
                for (company, meeting) in &released {
                    tracing::info!(%company, %meeting, "released a meeting nobody checked in to");
                }
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "releasing no-shows"),
        }
        tokio::select! {
            _ = tokio::time::sleep(EVERY) => {}
            _ = stop.changed() => {}
        }
    }
}
