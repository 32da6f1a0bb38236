//! The two backends behind one set of queries (`sql.rs`: portable SQL, `$n` params).
//!
//! * SQLite (rusqlite): a pool of read connections used on the caller's thread, and one
//!   writer thread that owns the only write connection (see `writer.rs`): group commit,
//!   no `SQLITE_BUSY`.
//! * PostgreSQL (sqlx): one pool; each unit of work is its own transaction.

use std::time::Duration;

use futures::future::BoxFuture;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, PgPool};

use crate::sql::Conn;
use crate::sqlite::ReadPool;
use crate::writer::Writer;
use crate::{StoreError, StoreResult};

/// A unit of work: runs on one connection, inside a transaction (or savepoint) that the
/// backend opens and commits around it.
pub type Work<T> = Box<dyn for<'c, 'd> FnOnce(&'c mut Conn<'d>) -> BoxFuture<'c, StoreResult<T>> + Send>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

pub(crate) enum Backend {
    Sqlite { reads: ReadPool, writer: Writer },
    Postgres { pool: PgPool },
}

impl Backend {
    pub(crate) async fn connect(url: &str) -> StoreResult<(Backend, Kind)> {
        if url.starts_with("sqlite:") {
            let path = crate::sqlite::path_of(url)?;
            let mut write = crate::sqlite::open_writer(&path)?;
            crate::migrate::run(&mut Conn::Sqlite(&mut write), Kind::Sqlite).await?;
            let reads = ReadPool::new(path)?;
            Ok((Backend::Sqlite { reads, writer: Writer::spawn(write)? }, Kind::Sqlite))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options: PgConnectOptions =
                url.parse().map_err(|e| StoreError::Unavailable(format!("bad database URL: {e}")))?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                // No ping before each use: a round trip per request. A broken connection
                // fails its query instead, and the pool drops it.
                .test_before_acquire(false)
                .connect_with(options.disable_statement_logging())
                .await?;
            let mut conn = pool.acquire().await?;
            crate::migrate::run(&mut Conn::Postgres(&mut conn), Kind::Postgres).await?;
            Ok((Backend::Postgres { pool }, Kind::Postgres))
        } else {
            Err(StoreError::Unavailable(format!("unsupported database URL {url:?}: use sqlite://… or postgres://…")))
        }
    }

    /// Runs `work` on a read connection (no transaction).
    pub(crate) async fn read<T: Send + 'static>(&self, work: Work<T>) -> StoreResult<T> {
        match self {
            Backend::Sqlite { reads, .. } => {
                let mut lease = reads.get().await?;
                let conn = lease.conn()?;
                // One read transaction: one snapshot, and the file locks taken once.
                crate::sqlite::begin_read(conn)?;
                let out = work(&mut Conn::Sqlite(conn)).await;
                crate::sqlite::end_read(conn);
                out
            }
            Backend::Postgres { pool } => {
                let mut conn = pool.acquire().await?;
                work(&mut Conn::Postgres(&mut conn)).await
            }
        }
    }

    /// Runs `work` as one atomic, durable unit: all of it is committed, or none.
    pub(crate) async fn write<T: Send + 'static>(&self, work: Work<T>) -> StoreResult<T> {
        match self {
            Backend::Sqlite { writer, .. } => writer.submit(work).await,
            Backend::Postgres { pool } => {
                // Dropped before the commit (the request went away), the transaction rolls back.
                let mut tx = pool.begin().await?;
                let out = work(&mut Conn::Postgres(&mut tx)).await?;
                tx.commit().await?;
                Ok(out)
            }
        }
    }

    pub(crate) async fn ping(&self) -> StoreResult<()> {
        self.read(Box::new(|conn| {
            Box::pin(async move { crate::sql::query("SELECT 1").scalar::<i64>(conn).await.map(drop) })
        }))
        .await
    }

    pub(crate) async fn close(&self) {
        match self {
            Backend::Sqlite { reads, writer } => {
                writer.close().await;
                reads.close();
            }
            Backend::Postgres { pool } => pool.close().await,
        }
    }
}
