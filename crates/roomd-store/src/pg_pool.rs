//! PostgreSQL connections for units of work: a few, opened when needed.
//!
//! Why not sqlx's pool: it sends a `Sync` and waits for the answer every time a
//! connection goes back, to flush whatever a cancelled query left behind. That is one
//! more round trip for every unit of work: a `meeting/get` made two instead of one.
//! Here a connection whose unit finished cleanly (committed, rolled back, or read to the
//! end) goes straight back. Only one whose unit was cut short (the request went away
//! mid-query, or the connection failed) gets that round trip, at once, in the background:
//! it sends the `ROLLBACK` sqlx queued, so no lock waits for the next user of the
//! connection. A connection that fails it is dropped, and a new one opened when needed.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, PgConnection};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::{StoreError, StoreResult};

const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) struct PgPool {
    options: PgConnectOptions,
    idle: Mutex<Vec<PgConnection>>,
    permits: Arc<Semaphore>,
}

/// A connection lent to one unit of work; back to the pool on drop.
pub(crate) struct PgLease {
    pool: Arc<PgPool>,
    conn: Option<PgConnection>,
    permit: Option<OwnedSemaphorePermit>,
    clean: bool,
}

/// Connections at most: four times this machine's cores, and at least 8. A booking ends
/// waiting for its commit to reach the disk, and commits in flight together share one
/// flush: on 2 cores against a durable cluster (`fsync` on), 8 connections booked about
/// 1,730/s where 4 booked 690–990/s; 16 did no better than 8 and doubled the p99. With
/// `fsync` off, 8 and 4 did alike (docs/performance.md, session 7). At most 32, so a
/// few processes on big machines stay within PostgreSQL's default `max_connections`
/// (100).
fn max_connections() -> usize {
    std::thread::available_parallelism().map_or(8, |n| n.get() * 4).clamp(8, 32)
}

impl PgPool {
    pub(crate) fn new(options: PgConnectOptions) -> Arc<PgPool> {
        let permits = Arc::new(Semaphore::new(max_connections()));
        Arc::new(PgPool { options, idle: Mutex::new(Vec::new()), permits })
    }

    pub(crate) async fn get(self: &Arc<Self>) -> StoreResult<PgLease> {
        let permit = tokio::time::timeout(ACQUIRE_TIMEOUT, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| StoreError::Unavailable(format!("no PostgreSQL connection free within {ACQUIRE_TIMEOUT:?}")))?
            .map_err(|_| StoreError::Unavailable("the store is closed".into()))?;
        let idle = self.idle.lock().map_err(|_| StoreError::Internal("PostgreSQL pool poisoned".into()))?.pop();
        let conn = match idle {
            Some(conn) => conn,
            None => tokio::time::timeout(ACQUIRE_TIMEOUT, self.options.connect()).await.map_err(|_| {
                StoreError::Unavailable(format!("PostgreSQL did not answer within {ACQUIRE_TIMEOUT:?}"))
            })??,
        };
        Ok(PgLease { pool: self.clone(), conn: Some(conn), permit: Some(permit), clean: false })
    }

    pub(crate) async fn close(&self) {
        self.permits.close();
        let idle = self.idle.lock().map(|mut idle| std::mem::take(&mut *idle)).unwrap_or_default();
        for conn in idle {
            let _ = conn.close().await;
        }
    }

    fn put_back(&self, conn: PgConnection) {
        if self.permits.is_closed() {
            return;
        }
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(conn);
        }
    }
}

impl PgLease {
    pub(crate) fn conn(&mut self) -> StoreResult<&mut PgConnection> {
        self.conn.as_mut().ok_or_else(|| StoreError::Internal("PostgreSQL connection already returned".into()))
    }

    /// The unit ended with nothing left in flight: the connection can go straight back.
    pub(crate) fn finished(&mut self) {
        self.clean = true;
    }
}

impl Drop for PgLease {
    fn drop(&mut self) {
        let (Some(mut conn), permit) = (self.conn.take(), self.permit.take()) else { return };
        if self.clean {
            self.pool.put_back(conn);
            return;
        }
        let pool = self.pool.clone();
        // The permit stays taken until the flush ends, so the pool never holds more than
        // its maximum.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if conn.ping().await.is_ok() {
                    pool.put_back(conn);
                }
                drop(permit);
            });
        }
    }
}
