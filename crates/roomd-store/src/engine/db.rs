//! The two backends behind one set of queries (`sql.rs`: portable SQL, `$n` params).
//!
//! * SQLite (rusqlite): a pool of read connections used on the caller's thread, and one
//!   writer thread that owns the only write connection (see `writer.rs`): group commit,
//!   no `SQLITE_BUSY`.
//! * PostgreSQL (tokio-postgres connections in `pg_pool.rs`): each writing unit of work
//!   is its own transaction on a connection of its own; reads share a few connections.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use futures::FutureExt;
use futures::future::BoxFuture;

use crate::directory_cache::DirectoryCache;
use crate::pg_pool::PgPool;
use crate::sql::Conn;
use crate::sqlite::ReadPool;
use crate::writer::Writer;
use crate::{StoreError, StoreResult};

/// A unit of work: runs on one connection, inside a transaction (or savepoint) that the
/// backend opens and commits around it.
pub type Work<T> = Box<dyn for<'c, 'd> FnOnce(&'c mut Conn<'d>) -> BoxFuture<'c, StoreResult<T>> + Send>;

/// A [`Work`] from a connection and a body: `work!(|conn| { … })` is
/// `Box::new(move |conn| Box::pin(async move { … }))`, and nothing more. A body of one
/// expression needs no braces: `work!(|conn| load_room(conn, &company, &id).await)`.
///
/// The body is the unit's async block: `?` and `return` in it end the unit with that
/// result, not the method that passes the unit on, and `.await` is allowed. Like the
/// closure it makes, it moves what it uses, so values the unit needs are owned copies.
macro_rules! work {
    (|$conn:pat_param| $body:expr) => {
        Box::new(move |$conn| Box::pin(async move { $body }))
    };
}
pub(crate) use work;

/// Runs `work` on `conn`; a unit that panics, as it makes its future or as that runs,
/// fails alone with an internal error. Whoever lent `conn` then cleans it up as after
/// any failure (`sqlite::Lease`, `pg_pool::PgLease`, the writer's savepoint).
pub(crate) async fn run_caught<T>(work: Work<T>, conn: &mut Conn<'_>) -> StoreResult<T> {
    match std::panic::catch_unwind(AssertUnwindSafe(|| work(conn))) {
        Ok(future) => AssertUnwindSafe(future).catch_unwind().await.unwrap_or_else(|_| Err(panicked())),
        Err(_) => Err(panicked()),
    }
}

fn panicked() -> StoreError {
    tracing::error!("a unit of work panicked");
    StoreError::Internal("unit of work panicked".into())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

pub(crate) enum Backend {
    Sqlite { reads: ReadPool, writer: Writer },
    Postgres { pool: Arc<PgPool>, directory: Arc<DirectoryCache> },
}

/// How a booking prepared from earlier reads knows the directory has not changed since.
pub(crate) enum DirectoryWatch {
    /// SQLite's directory epoch (`writer.rs`).
    Epoch(Arc<AtomicU64>),
    /// PostgreSQL's directory version and the rows kept at it (`directory_cache.rs`).
    Version(Arc<DirectoryCache>),
}

impl Backend {
    pub(crate) async fn connect(url: &str) -> StoreResult<(Backend, Kind)> {
        if url.starts_with("sqlite:") {
            let path = crate::sqlite::path_of(url)?;
            let mut write = crate::sqlite::open_writer(&path)?;
            crate::migrate::run(&mut Conn::Sqlite(&mut write), Kind::Sqlite).await?;
            crate::checkpoint::start(&path, &mut write)?;
            let reads = ReadPool::new(path)?;
            Ok((Backend::Sqlite { reads, writer: Writer::spawn(write)? }, Kind::Sqlite))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = PgPool::new(crate::pg_pool::config(url)?);
            let mut lease = pool.get().await?;
            crate::migrate::run(&mut Conn::Postgres(lease.conn()?), Kind::Postgres).await?;
            lease.finished();
            drop(lease);
            Ok((Backend::Postgres { pool, directory: Default::default() }, Kind::Postgres))
        } else {
            Err(StoreError::Unavailable(format!("unsupported database URL {url:?}: use sqlite://… or postgres://…")))
        }
    }

    /// Runs `work` on a read connection. However it ends (a result, an error, a panic,
    /// or its caller going away), the connection goes back clean or not at all.
    pub(crate) async fn read<T: Send + 'static>(&self, work: Work<T>) -> StoreResult<T> {
        match self {
            Backend::Sqlite { reads, .. } => {
                let mut lease = reads.get().await?;
                let conn = lease.conn()?;
                // One read transaction: one snapshot, and the file locks taken once. The
                // lease ends it if this future does not get that far.
                crate::sqlite::begin_read(conn)?;
                let out = run_caught(work, &mut Conn::Sqlite(conn)).await;
                crate::sqlite::end_read(conn);
                out
            }
            Backend::Postgres { pool, .. } => {
                // No transaction: a read leaves no state on its shared connection.
                let lease = pool.reader().await?;
                run_caught(work, &mut Conn::Postgres(lease.conn())).await
            }
        }
    }

    /// Runs `work` as one atomic, durable unit: all of it is committed, or none.
    /// `keeps_directory` when it cannot change the directory (see `writer.rs`).
    pub(crate) async fn write<T: Send + 'static>(&self, work: Work<T>, keeps_directory: bool) -> StoreResult<T> {
        match self {
            Backend::Sqlite { writer, .. } => writer.submit(work, keeps_directory).await,
            Backend::Postgres { pool, .. } => {
                // Dropped before the commit (the request went away), the transaction rolls
                // back: the pool sends the ROLLBACK at once (`pg_pool.rs`).
                let mut lease = pool.get().await?;
                let conn = lease.conn()?;
                conn.batch("BEGIN").await?;
                match run_caught(work, &mut Conn::Postgres(conn)).await {
                    Ok(out) => {
                        conn.batch("COMMIT").await?;
                        lease.finished();
                        Ok(out)
                    }
                    Err(e) => {
                        if conn.batch("ROLLBACK").await.is_ok() {
                            lease.finished();
                        }
                        Err(e)
                    }
                }
            }
        }
    }

    /// Runs `work`, whose only write is one statement (its reads come first), as one
    /// atomic unit. On PostgreSQL without `BEGIN` and `COMMIT`: the statement is atomic
    /// by itself, and reads see what they would in a READ COMMITTED transaction (a fresh
    /// snapshot a statement). Two round trips fewer. On SQLite, a writer unit like any.
    pub(crate) async fn write_one<T: Send + 'static>(&self, work: Work<T>) -> StoreResult<T> {
        match self {
            Backend::Sqlite { writer, .. } => writer.submit(work, false).await,
            Backend::Postgres { pool, .. } => {
                let mut lease = pool.get().await?;
                let out = run_caught(work, &mut Conn::Postgres(lease.conn()?)).await;
                // A unit that ended, even refused, left nothing in flight.
                if matches!(out, Ok(_) | Err(StoreError::Domain(_))) {
                    lease.finished();
                }
                out
            }
        }
    }

    pub(crate) fn directory_watch(&self) -> DirectoryWatch {
        match self {
            Backend::Sqlite { writer, .. } => DirectoryWatch::Epoch(writer.epoch()),
            Backend::Postgres { directory, .. } => DirectoryWatch::Version(directory.clone()),
        }
    }

    pub(crate) async fn ping(&self) -> StoreResult<()> {
        self.read(work!(|conn| crate::sql::query("SELECT 1").scalar::<i64>(conn).await.map(drop))).await
    }

    pub(crate) async fn close(&self) {
        match self {
            Backend::Sqlite { reads, writer } => {
                writer.close().await;
                reads.close();
            }
            Backend::Postgres { pool, .. } => pool.close(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Backend, Work};
    use crate::StoreError;
    use crate::sql::query;

    /// A unit that selects `n`, and one that panics inside its unit of work after a
    /// statement (inside its read transaction on SQLite, its write transaction on both).
    fn select(n: i64) -> Work<i64> {
        work!(|conn| {
            let n: Option<i64> = query(format!("SELECT CAST({n} AS BIGINT)")).scalar(conn).await?;
            Ok(n.unwrap_or(-1))
        })
    }

    fn panics_after_a_statement() -> Work<i64> {
        work!(|conn| {
            query("SELECT count(*) FROM companies").scalar::<i64>(conn).await?;
            panic!("a unit of work that panics");
        })
    }

    fn writes_then_panics() -> Work<i64> {
        work!(|conn| {
            query("INSERT INTO companies (id, name, created_ms) VALUES ('9999', 'panicked', 0)").execute(conn).await?;
            panic!("a unit of work that panics after writing");
        })
    }

    /// After a read and a write that panic, every connection comes back clean: many reads
    /// and writes after them all succeed, and the panicking write left nothing.
    async fn panics_leave_nothing_behind(backend: &Backend) {
        for _ in 0..4 {
            assert!(matches!(backend.read(panics_after_a_statement()).await, Err(StoreError::Internal(_))));
            assert!(matches!(backend.write(writes_then_panics(), false).await, Err(StoreError::Internal(_))));
        }
        let reads = (0..64).map(|n| backend.read(select(n)));
        let answers = futures::future::join_all(reads).await;
        for (n, answer) in answers.into_iter().enumerate() {
            assert_eq!(answer.expect("a read after the panics"), n as i64);
        }
        for n in 0..16 {
            assert_eq!(backend.write(select(n), false).await.expect("a write after the panics"), n);
        }
        let left: i64 = backend
            .read(work!(|conn| {
                let n: Option<i64> = query("SELECT count(*) FROM companies WHERE id = '9999'").scalar(conn).await?;
                Ok(n.unwrap_or(-1))
            }))
            .await
            .expect("count");
        assert_eq!(left, 0, "the panicking write was rolled back");
        backend.ping().await.expect("ready after the panics");
    }

    #[tokio::test]
    async fn a_panicking_unit_leaves_its_sqlite_connection_clean() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let (backend, _) = Backend::connect(&url).await.expect("open");
        panics_leave_nothing_behind(&backend).await;
        backend.close().await;
    }

    #[tokio::test]
    async fn a_panicking_unit_leaves_its_postgres_connection_clean() {
        let Some((admin, url)) = crate::outbox_horizon::test_postgres().await else { return };
        let name = format!("t_{}", uuid::Uuid::now_v7().simple());
        admin.batch_execute(&format!("CREATE DATABASE {name}")).await.expect("create database");
        let (base, _) = url.rsplit_once('/').expect("URL with a database");
        let (backend, _) = Backend::connect(&format!("{base}/{name}")).await.expect("open");
        panics_leave_nothing_behind(&backend).await;
        backend.close().await;
    }
}
