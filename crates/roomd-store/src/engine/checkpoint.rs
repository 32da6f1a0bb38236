//! SQLite checkpoints on a thread of their own.
//!
//! By default SQLite checkpoints on the connection that commits: once the WAL holds 1,000
//! pages, the commit that crossed the line also copies them into the database file and
//! syncs it. On roomd's single writer that stalls every caller of the next batch: about
//! a tenth of the writer's time under load. Here the writer's commit hook wakes a
//! checkpointer thread, with its own connection, that runs a PASSIVE checkpoint: it
//! copies what no reader still needs and never waits for the writer or the readers.
//!
//! Under steady writes that checkpoint always trails the newest commits, and the WAL
//! only starts again from its beginning once every page in it is copied. So when the WAL
//! reaches four times the wake-up mark, the writer copies the few pages still left
//! itself, and the next transaction restarts the WAL: the file stays near 16 MB.
//!
//! What is durable does not change: a commit is synced in the WAL before its caller is
//! answered (`synchronous = FULL`), and a checkpoint only moves synced pages.

use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};

use rusqlite::Connection;

use crate::{StoreError, StoreResult};

/// WAL pages after which a commit wakes the checkpointer (SQLite's own default).
const WAKE_AT: i32 = 1_000;
/// WAL pages after which the writer finishes the checkpoint itself, so the WAL restarts
/// (also the bound on the WAL should the checkpointer stop).
const WRITER_FINISHES_AT: i32 = 4 * WAKE_AT;

/// Hooks `writer`'s commits to a new checkpointer thread on the database at `path`. The
/// thread ends when the writer connection closes.
pub(crate) fn start(path: &Path, writer: &mut Connection) -> StoreResult<()> {
    let conn = Connection::open(path)
        .map_err(|e| StoreError::Unavailable(format!("cannot open {} to checkpoint: {e}", path.display())))?;
    let (wake, woken) = sync_channel::<()>(1);
    std::thread::Builder::new()
        .name("roomd-checkpoint".into())
        .spawn(move || run(conn, woken))
        .map_err(|e| StoreError::Unavailable(format!("cannot start the SQLite checkpointer: {e}")))?;
    // Registering a WAL hook also turns off the writer's own automatic checkpoints.
    let mut hook = Hook { wake, next_wake: WAKE_AT, last_pages: 0 };
    writer.wal_hook(Some(move |wal: &mut rusqlite::hooks::Wal, pages| hook.on_commit(wal, pages)))?;
    Ok(())
}

/// The writer's side: wakes the checkpointer once for every `WAKE_AT` new pages.
struct Hook {
    wake: SyncSender<()>,
    next_wake: i32,
    last_pages: i32,
}

impl Hook {
    fn on_commit(&mut self, wal: &mut rusqlite::hooks::Wal, pages: i32) -> rusqlite::Result<()> {
        if pages < self.last_pages {
            // The WAL started again from its beginning.
            self.next_wake = WAKE_AT;
        }
        self.last_pages = pages;
        if pages >= WRITER_FINISHES_AT {
            // PASSIVE: the commit is done. Busy means the checkpointer is at work: the
            // next commit tries again.
            match wal.checkpoint() {
                Err(e) if e.sqlite_error_code() != Some(rusqlite::ErrorCode::DatabaseBusy) => {
                    tracing::warn!(error = %e, pages, "SQLite checkpoint on the writer failed");
                }
                _ => {}
            }
        } else if pages >= self.next_wake {
            self.next_wake = pages + WAKE_AT;
            // Full means a checkpoint is already due: one wake-up is enough.
            if let Err(TrySendError::Disconnected(())) = self.wake.try_send(()) {
                tracing::warn!("the SQLite checkpointer has stopped");
            }
        }
        Ok(())
    }
}

fn run(conn: Connection, woken: Receiver<()>) {
    while woken.recv().is_ok() {
        let outcome = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?, row.get::<_, i64>(2)?))
        });
        match outcome {
            Ok((_, wal_pages, copied)) => tracing::trace!(wal_pages, copied, "checkpoint"),
            Err(e) => tracing::warn!(error = %e, "SQLite checkpoint failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::{WAKE_AT, WRITER_FINISHES_AT, start};

    /// Bytes of a WAL frame: a 4 KiB page and its 24-byte header.
    const FRAME: u64 = 4096 + 24;

    fn commit_pages(writer: &rusqlite::Connection, rows: usize) {
        // A 4,000-byte row fills a page of its own.
        let sql = format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) \
             INSERT INTO t SELECT zeroblob(4000) FROM n"
        );
        writer.execute_batch(&sql).expect("insert");
    }

    #[test]
    fn the_checkpointer_copies_the_wal_and_the_writer_bounds_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("t.db");
        let wal = dir.path().join("t.db-wal");
        let mut writer = crate::sqlite::open_writer(&path).expect("writer");
        start(&path, &mut writer).expect("checkpointer");
        writer.execute_batch("CREATE TABLE t (v BLOB)").expect("table");

        // Past the wake-up mark but short of the writer's: only the checkpointer copies.
        for _ in 0..(2 * WAKE_AT / 100) {
            commit_pages(&writer, 100);
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        let copied = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        while copied(&path) < WAKE_AT as u64 * 4096 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(copied(&path) >= WAKE_AT as u64 * 4096, "the database file holds {} bytes", copied(&path));

        // Far past the writer's mark: the WAL restarts instead of growing to all 12,000
        // pages. A checkpoint still running on the checkpointer's connection can make the
        // writer's own attempt busy, so the WAL may pass the mark before it restarts
        // (on a loaded machine, by about a quarter); twice the mark is the most.
        for _ in 0..(3 * WRITER_FINISHES_AT / 100) {
            commit_pages(&writer, 100);
        }
        let most = 2 * WRITER_FINISHES_AT as u64 * FRAME;
        assert!(copied(&wal) <= most, "the WAL grew to {} bytes (at most {most})", copied(&wal));
        let rows: i64 = writer.query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0)).expect("count");
        assert_eq!(rows, (2 * WAKE_AT + 3 * WRITER_FINISHES_AT) as i64);
    }
}
