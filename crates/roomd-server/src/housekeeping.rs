//! Housekeeping: every ten minutes, each roomd process removes what sign-ins leave behind
//! once it no longer counts (`Store::remove_expired_sign_ins`): anybody can leave a row
//! by trying an account, so such rows must not pile up.

use std::time::Duration;

use roomd_store::Store;
use tokio::sync::watch;

const EVERY: Duration = Duration::from_secs(600);

pub async fn run(store: Store, mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        match store.remove_expired_sign_ins().await {
            Ok(0) => {}
            Ok(removed) => tracing::debug!(removed, "removed expired sign-in records"),
            Err(e) => tracing::warn!(error = %e, "removing expired sign-in records"),
        }
        tokio::select! {
            _ = tokio::time::sleep(EVERY) => {}
            _ = stop.changed() => {}
        }
    }
}
