//! Password hashing (argon2, `roomd_core::secret`), a few at a time.
//!
//! One hash costs about 19 MiB and 36 ms of a core. Run without a bound, a burst of
//! sign-ins (an attacker's, or a script's gone wrong) takes the process to gigabytes and
//! every blocking thread, so hashes and checks wait for one of as many permits as the
//! machine has cores (at most 4); a request that waits long gives up as unavailable.
//! No password is a default: a user without one has no hash, and the vendor's published
//! default is never accepted (docs/security.md).

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use roomd_core::secret::{DEFAULT_PASSWORD, MAX_PASSWORD_CHARS, check_new_password, hash_password, verify_password};
use tokio::sync::Semaphore;

use crate::{StoreError, StoreResult};

/// How long a hash waits for a permit before the request is answered as unavailable.
const WAIT: Duration = Duration::from_secs(10);

static PERMITS: LazyLock<Arc<Semaphore>> =
    LazyLock::new(|| Arc::new(Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4))));

/// The hash unknown accounts and accounts without a password are checked against (no
/// password matches it), so every refusal takes as long as a real check.
static STAND_IN: LazyLock<String> = LazyLock::new(|| hash_password(&roomd_core::secret::alphanumeric(32)));

/// The argon2 hash of a new password (refused first if it may not be one).
pub(crate) async fn hash(password: String) -> StoreResult<String> {
    check_new_password(&password)?;
    bounded(move || hash_password(&password)).await
}

/// The hash of a password if one was given; `None` (no password, none to hash) else.
pub(crate) async fn hash_given(password: Option<String>) -> StoreResult<Option<String>> {
    match password {
        Some(password) => Ok(Some(hash(password).await?)),
        None => Ok(None),
    }
}

/// Whether `password` matches `hash`; `None` (no password set) matches nothing, after
/// as long a check. The default password and over-long ones match nothing, unhashed.
pub(crate) async fn verify(password: String, hash: Option<String>) -> StoreResult<bool> {
    if password == DEFAULT_PASSWORD || password.chars().count() > MAX_PASSWORD_CHARS {
        return Ok(false);
    }
    let (hash, real) = match hash {
        Some(hash) => (hash, true),
        None => (String::new(), false),
    };
    let matched = bounded(move || verify_password(&password, if real { &hash } else { &STAND_IN })).await?;
    Ok(real && matched)
}

/// Runs `work` on a blocking thread once a permit is free. The permit goes with the work,
/// not with the request: a client that goes away mid-hash frees nothing until the hash
/// is done, so disconnecting and trying again cannot start more hashes than permits.
async fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> StoreResult<T> {
    let permit = tokio::time::timeout(WAIT, PERMITS.clone().acquire_owned())
        .await
        .map_err(|_| StoreError::Unavailable("too many password checks at once".into()))?
        .map_err(|_| StoreError::Internal("password permits closed".into()))?;
    tokio::task::spawn_blocking(move || {
        let _held = permit;
        work()
    })
    .await
    .map_err(|e| StoreError::Internal(format!("password hashing: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn no_default_and_no_missing_password_ever_matches() {
        let hash_of_default = hash_password(DEFAULT_PASSWORD);
        assert!(!verify(DEFAULT_PASSWORD.into(), Some(hash_of_default)).await.expect("checked"));
        assert!(!verify(String::new(), None).await.expect("checked"));
        assert!(!verify("anything".into(), None).await.expect("checked"));
        let real = hash("a real one".into()).await.expect("hashed");
        assert!(verify("a real one".into(), Some(real.clone())).await.expect("checked"));
        assert!(!verify("x".repeat(129), Some(real)).await.expect("checked"));
        for refused in [DEFAULT_PASSWORD.to_string(), " ".into(), "y".repeat(129)] {
            assert!(hash(refused).await.is_err());
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn hashes_run_a_few_at_a_time() {
        let running = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let most = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let tries = (0..12).map(|_| {
            let (running, most) = (running.clone(), most.clone());
            bounded(move || {
                let now = running.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                most.fetch_max(now, std::sync::atomic::Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(20));
                running.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
            })
        });
        for done in futures::future::join_all(tries).await {
            done.expect("ran");
        }
        // Callers that give up at once (a client gone away) free no permit early.
        for _ in 0..12 {
            let (running, most) = (running.clone(), most.clone());
            let abandoned = bounded(move || {
                let now = running.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                most.fetch_max(now, std::sync::atomic::Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(20));
                running.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
            });
            let _ = tokio::time::timeout(Duration::from_millis(1), abandoned).await;
        }
        tokio::time::sleep(Duration::from_millis(400)).await;
        let permits = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4);
        assert!(most.load(std::sync::atomic::Ordering::SeqCst) <= permits);
    }
}
