//! The two backends behind one set of queries (`sql.rs`: portable SQL, `$n` params).
//!
//! * SQLite (rusqlite): a pool of read connections used on the caller's thread, and one
//!   writer thread that owns the only write connection (see `writer.rs`): group commit,
//!   no `SQLITE_BUSY`.
//! * PostgreSQL (tokio-postgres connections in `pg_pool.rs`): each writing unit of work
//!   is its own transaction on a connection of its own; reads share a few connections.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

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
            Backend::Postgres { pool, .. } => {
                let lease = pool.reader().await?;
                work(&mut Conn::Postgres(lease.conn())).await
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
                match work(&mut Conn::Postgres(conn)).await {
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
                let out = work(&mut Conn::Postgres(lease.conn()?)).await;
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
            Backend::Postgres { pool, .. } => pool.close(),
        }
    }
}
