//! PostgreSQL connections for units of work: a few, opened when needed.
//!
//! * A unit that writes takes a connection of its own (its transaction is the
//!   connection's state) and gives it back when it ends. A connection whose unit finished
//!   cleanly (committed, rolled back, or read to the end) goes straight back: no round
//!   trip to check it, as sqlx's pool made on every release. Only one whose unit was cut
//!   short (the request went away mid-statement, or the connection failed) is rolled
//!   back first, at once, in the background, so no lock waits for its next user; one
//!   that fails that is dropped, and a new one opened when needed.
//! * A read runs no transaction and leaves no state, so reads share a few connections
//!   (`pg_client.rs`: their statements are pipelined). A read takes the first connection
//!   with fewer than `PIPELINE_DEPTH` reads in flight, else the least busy one. A slow
//!   read holds back only the reads queued behind it on its connection, and once that
//!   queue is deep new reads go to the others.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_postgres::{Config, NoTls};

use crate::error::pg_text;
use crate::pg_client::PgClient;
use crate::{StoreError, StoreResult};

/// Reads in flight on a shared connection before the next one is used. The deeper a
/// connection's queue, the fewer `send`s and `recv`s a read on both sides; past it, a
/// busy or slow connection sends new reads on (session 9: the first connection under 8,
/// then the next, read `get`s at 1.75–1.85× SQLite's time; the least busy of 4 each
/// time, 1.93–1.98×).
const PIPELINE_DEPTH: usize = 8;
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) struct PgPool {
    config: Config,
    idle: Mutex<Vec<PgClient>>,
    permits: Arc<Semaphore>,
    readers: Vec<ReaderSlot>,
}

/// A shared read connection, opened on first use and again after it fails.
#[derive(Default)]
struct ReaderSlot {
    client: Mutex<Option<Arc<PgClient>>>,
    /// Held while the connection is (re)opened: one attempt at a time, however many
    /// reads find it closed (after PostgreSQL restarted, say).
    opening: tokio::sync::Mutex<()>,
    in_flight: Arc<AtomicUsize>,
}

impl ReaderSlot {
    fn open_client(&self) -> StoreResult<Option<Arc<PgClient>>> {
        Ok(self.client.lock().map_err(|_| poisoned())?.clone().filter(|client| !client.is_closed()))
    }
}

/// A connection lent to one unit of work; back to the pool on drop.
pub(crate) struct PgLease {
    pool: Arc<PgPool>,
    conn: Option<PgClient>,
    permit: Option<OwnedSemaphorePermit>,
    clean: bool,
}

/// A shared connection lent to one read.
pub(crate) struct ReadLease {
    client: Arc<PgClient>,
    _counted: InFlight,
}

/// One read counted in its connection's `in_flight` until dropped, however the read ends
/// (even given up on while the connection opens).
struct InFlight(Arc<AtomicUsize>);

impl InFlight {
    fn count(in_flight: &Arc<AtomicUsize>) -> InFlight {
        in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(in_flight.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Connections for writes at most: four times this machine's cores, and at least 8. A
/// booking ends waiting for its commit to reach the disk, and commits in flight together
/// share one flush: on 2 cores against a durable cluster (`fsync` on), 8 connections
/// booked about 1,730/s where 4 booked 690–990/s; 16 did no better than 8 and doubled
/// the p99. With `fsync` off, 8 and 4 did alike (docs/performance.md, session 7). At
/// most 32: with the readers (at most 8), 40 a process, so two processes on big machines
/// stay within PostgreSQL's default `max_connections` (100).
fn max_connections() -> usize {
    std::thread::available_parallelism().map_or(8, |n| n.get() * 4).clamp(8, 32)
}

/// Shared read connections: twice the cores, 2 to 8. On 2 cores, 16 readers on 4
/// connections (4 each) read 19,000–20,000 meetings/s where 8 connections of their own
/// read 12,600–16,000/s (docs/performance.md, session 9).
fn readers() -> usize {
    std::thread::available_parallelism().map_or(4, |n| n.get() * 2).clamp(2, 8)
}

impl PgPool {
    pub(crate) fn new(config: Config) -> Arc<PgPool> {
        let permits = Arc::new(Semaphore::new(max_connections()));
        let readers = (0..readers()).map(|_| ReaderSlot::default()).collect();
        Arc::new(PgPool { config, idle: Mutex::new(Vec::new()), permits, readers })
    }

    /// A connection of the caller's own, for a unit that writes.
    pub(crate) async fn get(self: &Arc<Self>) -> StoreResult<PgLease> {
        let permit = tokio::time::timeout(ACQUIRE_TIMEOUT, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| StoreError::Unavailable(format!("no PostgreSQL connection free within {ACQUIRE_TIMEOUT:?}")))?
            .map_err(|_| StoreError::Unavailable("the store is closed".into()))?;
        let idle = self.idle.lock().map_err(|_| poisoned())?.pop();
        let conn = match idle {
            Some(conn) if !conn.is_closed() => conn,
            _ => self.connect().await?,
        };
        Ok(PgLease { pool: self.clone(), conn: Some(conn), permit: Some(permit), clean: false })
    }

    /// A shared connection, for a read.
    pub(crate) async fn reader(&self) -> StoreResult<ReadLease> {
        if self.permits.is_closed() {
            return Err(StoreError::Unavailable("the store is closed".into()));
        }
        let slot = self
            .readers
            .iter()
            .find(|slot| slot.in_flight.load(Ordering::Relaxed) < PIPELINE_DEPTH)
            .or_else(|| self.readers.iter().min_by_key(|slot| slot.in_flight.load(Ordering::Relaxed)))
            .ok_or_else(|| StoreError::Internal("no read connections".into()))?;
        let counted = InFlight::count(&slot.in_flight);
        let client = match slot.open_client()? {
            Some(client) => client,
            None => {
                let _opening = slot.opening.lock().await;
                match slot.open_client()? {
                    Some(client) => client,
                    None => {
                        let client = Arc::new(self.connect().await?);
                        *slot.client.lock().map_err(|_| poisoned())? = Some(client.clone());
                        client
                    }
                }
            }
        };
        Ok(ReadLease { client, _counted: counted })
    }

    async fn connect(&self) -> StoreResult<PgClient> {
        let (client, connection) = tokio::time::timeout(ACQUIRE_TIMEOUT, self.config.connect(NoTls))
            .await
            .map_err(|_| StoreError::Unavailable(format!("PostgreSQL did not answer within {ACQUIRE_TIMEOUT:?}")))?
            // Refused by the server (no such database or role, a wrong password) or not
            // reached: unavailable either way.
            .map_err(|e| StoreError::Unavailable(format!("cannot connect to PostgreSQL: {}", pg_text(&e))))?;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::warn!(error = %e, "PostgreSQL connection ended");
            }
        });
        let client = PgClient::new(client);
        // Whatever the server's default: the overlap check sees bookings committed while
        // it waited for the room only with a snapshot a statement (migration 25).
        client.batch("SET default_transaction_isolation = 'read committed'").await?;
        Ok(client)
    }

    /// Closes every connection: the idle ones and the readers now, the lent ones as they
    /// come back.
    pub(crate) fn close(&self) {
        self.permits.close();
        drop(self.idle.lock().map(|mut idle| std::mem::take(&mut *idle)));
        for slot in &self.readers {
            drop(slot.client.lock().map(|mut client| client.take()));
        }
    }

    fn put_back(&self, conn: PgClient) {
        if self.permits.is_closed() || conn.is_closed() {
            return;
        }
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(conn);
        }
    }
}

/// The connection settings of a `postgres://` URL, with what it leaves out taken from the
/// environment as libpq (and sqlx, used before) would: `PGHOST` (else `localhost`),
/// `PGPORT`, `PGUSER` (else the system user), `PGPASSWORD` and `PGDATABASE`. A password
/// file (`~/.pgpass`) is not read.
pub(crate) fn config(url: &str) -> StoreResult<Config> {
    config_with(url, |name| std::env::var(name).ok())
}

fn config_with(url: &str, var: impl Fn(&str) -> Option<String>) -> StoreResult<Config> {
    let mut config: Config =
        url.parse().map_err(|e| StoreError::Unavailable(format!("bad database URL: {}", pg_text(&e))))?;
    let env = |name: &str| var(name).filter(|v| !v.is_empty());
    if config.get_hosts().is_empty() && config.get_hostaddrs().is_empty() {
        for host in env("PGHOST").as_deref().unwrap_or("localhost").split(',') {
            config.host(host);
        }
    }
    if config.get_ports().is_empty()
        && let Some(port) = env("PGPORT").and_then(|p| p.parse().ok())
    {
        config.port(port);
    }
    if config.get_user().is_none()
        && let Some(user) = env("PGUSER").or_else(|| env("USER"))
    {
        config.user(user);
    }
    if config.get_password().is_none()
        && let Some(password) = env("PGPASSWORD")
    {
        config.password(password);
    }
    if config.get_dbname().is_none()
        && let Some(dbname) = env("PGDATABASE")
    {
        config.dbname(dbname);
    }
    Ok(config)
}

fn poisoned() -> StoreError {
    StoreError::Internal("PostgreSQL pool poisoned".into())
}

impl PgLease {
    pub(crate) fn conn(&self) -> StoreResult<&PgClient> {
        self.conn.as_ref().ok_or_else(|| StoreError::Internal("PostgreSQL connection already returned".into()))
    }

    /// The unit ended with nothing left in flight: the connection can go straight back.
    pub(crate) fn finished(&mut self) {
        self.clean = true;
    }
}

impl Drop for PgLease {
    fn drop(&mut self) {
        let (Some(conn), permit) = (self.conn.take(), self.permit.take()) else { return };
        if self.clean {
            self.pool.put_back(conn);
            return;
        }
        let pool = self.pool.clone();
        // The permit stays taken until the rollback ends, so the pool never holds more
        // than its maximum. Statements cut short are answered (and their answers
        // dropped) before it; outside a transaction it only warns.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if conn.batch("ROLLBACK").await.is_ok() {
                    pool.put_back(conn);
                }
                drop(permit);
            });
        }
    }
}

impl ReadLease {
    pub(crate) fn conn(&self) -> &PgClient {
        &self.client
    }
}

#[cfg(test)]
mod tests {
    use tokio_postgres::config::Host;

    use super::config_with;

    #[test]
    fn what_the_url_leaves_out_comes_from_the_environment() {
        let env = |name: &str| match name {
            "PGHOST" => Some("db1,/run/pg".to_string()),
            "PGPORT" => Some("6543".to_string()),
            "PGUSER" => Some("roomd".to_string()),
            "PGPASSWORD" => Some("pw".to_string()),
            "PGDATABASE" => Some("rooms".to_string()),
            _ => None,
        };
        let bare = config_with("postgres://", env).expect("parses");
        assert_eq!(bare.get_hosts(), [Host::Tcp("db1".into()), Host::Unix("/run/pg".into())]);
        assert_eq!(bare.get_ports(), [6543]);
        assert_eq!(bare.get_user(), Some("roomd"));
        assert_eq!(bare.get_password(), Some(&b"pw"[..]));
        assert_eq!(bare.get_dbname(), Some("rooms"));

        let full = config_with("postgres://me:secret@host:5000/mine", env).expect("parses");
        assert_eq!(full.get_hosts(), [Host::Tcp("host".into())]);
        assert_eq!(full.get_ports(), [5000]);
        assert_eq!(full.get_user(), Some("me"));
        assert_eq!(full.get_password(), Some(&b"secret"[..]));
        assert_eq!(full.get_dbname(), Some("mine"));

        let nothing = config_with("postgres:///x", |_| None).expect("parses");
        assert_eq!(nothing.get_hosts(), [Host::Tcp("localhost".into())]);
        assert!(config_with("postgres://host:port/x", |_| None).is_err());
    }
}
