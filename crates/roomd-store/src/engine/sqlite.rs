//! SQLite connections: where the file is, how each connection is set up, and the small
//! pool of read connections.
//!
//! Reads run on the calling task's thread: a read unit of work never waits (see `sql.rs`),
//! so it holds a connection for one poll and at most one connection per runtime thread is
//! busy at a time. The semaphore only bounds the pool if that ever changes.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::Semaphore;

use crate::{StoreError, StoreResult};

const WRITER_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; \
     PRAGMA busy_timeout = 10000; PRAGMA cache_size = -32000;";
const READER_PRAGMAS: &str =
    "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA cache_size = -16000; PRAGMA query_only = 1;";
const STATEMENT_CACHE: usize = 128;
const READERS: usize = 8;

/// The file a `sqlite:` URL names: `sqlite://roomd-data/roomd.db`, `sqlite:///abs/path.db`
/// or `sqlite:file.db`; query parameters (`?mode=rwc`) are accepted and ignored — the file
/// is created when missing.
pub(crate) fn path_of(url: &str) -> StoreResult<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Err(StoreError::Unavailable(format!(
            "{url:?} names no file: roomd keeps its data in a file, e.g. sqlite://roomd-data/roomd.db"
        )));
    }
    Ok(PathBuf::from(path))
}

/// The one connection that writes (WAL, `synchronous = FULL`).
pub(crate) fn open_writer(path: &Path) -> StoreResult<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Unavailable(format!("cannot create {}: {e}", dir.display())))?;
    }
    let conn = Connection::open(path).map_err(|e| unavailable(path, e))?;
    conn.execute_batch(WRITER_PRAGMAS)?;
    keep_plans(&conn)?;
    Ok(conn)
}

fn open_reader(path: &Path) -> StoreResult<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| unavailable(path, e))?;
    conn.execute_batch(READER_PRAGMAS)?;
    keep_plans(&conn)?;
    Ok(conn)
}

/// Cached statements stay compiled. Without the query planner stability guarantee, the
/// bundled SQLite (built with STAT4) re-prepares a statement with an ORDER BY each time
/// a parameter's value changes: a fifth of the CPU of a read-heavy load.
fn keep_plans(conn: &Connection) -> StoreResult<()> {
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(())
}

pub(crate) fn begin_read(conn: &Connection) -> StoreResult<()> {
    conn.prepare_cached("BEGIN")?.raw_execute()?;
    Ok(())
}

/// Ends a read transaction; there is nothing to keep or lose, so a failure only means
/// the transaction had already ended.
pub(crate) fn end_read(conn: &Connection) {
    if !conn.is_autocommit() {
        let _ = conn.prepare_cached("COMMIT").and_then(|mut s| s.raw_execute());
    }
}

/// Whether a connection can be lent again: no transaction left open (by a unit that
/// panicked, or whose caller went away), after one try to end it.
fn clean(conn: &Connection) -> bool {
    if !conn.is_autocommit() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    conn.is_autocommit()
}

fn unavailable(path: &Path, e: rusqlite::Error) -> StoreError {
    StoreError::Unavailable(format!("cannot open {}: {e}", path.display()))
}

pub(crate) struct ReadPool {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    permits: Semaphore,
}

/// A read connection, back to the pool on drop.
pub(crate) struct Lease<'p> {
    pool: &'p ReadPool,
    conn: Option<Connection>,
    _permit: tokio::sync::SemaphorePermit<'p>,
}

impl ReadPool {
    pub(crate) fn new(path: PathBuf) -> StoreResult<ReadPool> {
        let first = open_reader(&path)?;
        Ok(ReadPool { path, idle: Mutex::new(vec![first]), permits: Semaphore::new(READERS) })
    }

    pub(crate) async fn get(&self) -> StoreResult<Lease<'_>> {
        let permit = self.permits.acquire().await.map_err(|_| StoreError::Unavailable("the store is closed".into()))?;
        let idle = self.idle.lock().map_err(|_| StoreError::Internal("read pool poisoned".into()))?.pop();
        let conn = match idle {
            Some(conn) => conn,
            None => open_reader(&self.path)?,
        };
        Ok(Lease { pool: self, conn: Some(conn), _permit: permit })
    }

    pub(crate) fn close(&self) {
        self.permits.close();
        if let Ok(mut idle) = self.idle.lock() {
            idle.clear();
        }
    }
}

impl Lease<'_> {
    pub(crate) fn conn(&mut self) -> StoreResult<&mut Connection> {
        self.conn.as_mut().ok_or_else(|| StoreError::Internal("read connection already returned".into()))
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        // A connection that cannot be cleaned is closed; the next read opens another.
        let Some(conn) = self.conn.take().filter(clean) else { return };
        if let Ok(mut idle) = self.pool.idle.lock() {
            idle.push(conn);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{ReadPool, open_writer};

    #[tokio::test]
    async fn cached_statements_are_not_prepared_again() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("t.db");
        let writer = open_writer(&path).expect("writer");
        writer
            .execute_batch(
                "CREATE TABLE t (a TEXT, b TEXT, v INT); CREATE INDEX t_ab ON t (a, b); \
             INSERT INTO t VALUES ('1', 'x', 1), ('1', 'y', 2);",
            )
            .expect("schema");
        let pool = ReadPool::new(path).expect("pool");
        let mut lease = pool.get().await.expect("lease");
        let conn = lease.conn().expect("conn");
        for b in ["x", "y", "x"] {
            let mut statement =
                conn.prepare_cached("SELECT v FROM t WHERE a = ?1 AND b IN (?2) ORDER BY b, v").expect("prepare");
            let rows: Vec<i64> =
                statement.query_map(("1", b), |r| r.get(0)).expect("query").collect::<Result<_, _>>().expect("rows");
            assert_eq!(rows.len(), 1);
            assert_eq!(statement.get_status(rusqlite::StatementStatus::RePrepare), 0, "re-prepared for b = {b}");
        }
    }
}
