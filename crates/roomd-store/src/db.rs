//! The two backends behind one set of queries (sqlx `Any`, portable SQL, `$n` params).
//!
//! * SQLite: a pool of read connections and one writer task that owns the only write
//!   connection (see `writer.rs`): group commit, no `SQLITE_BUSY`.
//! * PostgreSQL: one pool; each unit of work is its own transaction.

use std::str::FromStr;
use std::time::Duration;

use futures::future::BoxFuture;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, ConnectOptions, Connection, Executor};

use crate::writer::Writer;
use crate::{StoreError, StoreResult};

/// A unit of work: runs on one connection, inside a transaction (or savepoint) that the
/// backend opens and commits around it.
pub type Work<T> = Box<dyn for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, StoreResult<T>> + Send>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

pub(crate) enum Backend {
    Sqlite { reads: AnyPool, writer: Writer },
    Postgres { pool: AnyPool },
}

const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA cache_size = -32000;";

impl Backend {
    pub(crate) async fn connect(url: &str) -> StoreResult<(Backend, Kind)> {
        sqlx::any::install_default_drivers();
        let options = AnyConnectOptions::from_str(url)
            .map_err(|e| StoreError::Unavailable(format!("bad database URL: {e}")))?
            .disable_statement_logging();
        if url.starts_with("sqlite:") {
            let mut write = options.connect().await?;
            write.execute(SQLITE_PRAGMAS).await?;
            crate::migrate::run(&mut write, Kind::Sqlite).await?;
            let reads = AnyPoolOptions::new()
                .max_connections(4)
                .min_connections(1)
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        conn.execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA query_only = 1;")
                            .await?;
                        Ok(())
                    })
                })
                .connect_with(options)
                .await?;
            Ok((Backend::Sqlite { reads, writer: Writer::spawn(write) }, Kind::Sqlite))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = AnyPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            let mut conn = pool.acquire().await?;
            crate::migrate::run(&mut conn, Kind::Postgres).await?;
            Ok((Backend::Postgres { pool }, Kind::Postgres))
        } else {
            Err(StoreError::Unavailable(format!(
                "unsupported database URL {url:?}: use sqlite://… or postgres://…"
            )))
        }
    }

    /// Runs `work` on a read connection (no transaction).
    pub(crate) async fn read<T: Send + 'static>(&self, work: Work<T>) -> StoreResult<T> {
        let pool = match self {
            Backend::Sqlite { reads, .. } => reads,
            Backend::Postgres { pool } => pool,
        };
        let mut conn = pool.acquire().await?;
        work(&mut conn).await
    }

    /// Runs `work` as one atomic, durable unit: all of it is committed, or none.
    pub(crate) async fn write<T: Send + 'static>(&self, work: Work<T>) -> StoreResult<T> {
        match self {
            Backend::Sqlite { writer, .. } => writer.submit(work).await,
            Backend::Postgres { pool } => {
                let mut tx = pool.begin().await?;
                let out = work(&mut tx).await?;
                tx.commit().await?;
                Ok(out)
            }
        }
    }

    pub(crate) async fn ping(&self) -> StoreResult<()> {
        let pool = match self {
            Backend::Sqlite { reads, .. } => reads,
            Backend::Postgres { pool } => pool,
        };
        pool.acquire().await?.ping().await?;
        Ok(())
    }

    pub(crate) async fn close(&self) {
        match self {
            Backend::Sqlite { reads, writer } => {
                writer.close().await;
                reads.close().await;
            }
            Backend::Postgres { pool } => pool.close().await,
        }
    }
}
