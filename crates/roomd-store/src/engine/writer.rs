//! SQLite's single writer with group commit.
//!
//! One thread owns the write connection. It takes every unit of work queued while the
//! previous batch was committing, runs each inside its own SAVEPOINT of one transaction
//! (a failing unit rolls back alone), commits once — one fsync for the whole batch — and
//! only then answers each caller. A caller is never told "done" before its data is on
//! disk (`synchronous = FULL`). The units run on this thread from start to end: no
//! statement waits for another thread.
//!
//! The writer also counts changes to the directory (companies, people, places, rooms and
//! their rules) in an epoch, so a booking can be prepared on a read connection and only
//! checked and inserted here (see `booking.rs`): a unit that may change the directory
//! moves the epoch on when it starts and again once its batch has ended, and a prepared
//! booking whose epoch has moved is prepared again on the writer. A commit by any other
//! connection to the file (another process) moves it on too, at the next batch.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures::future::BoxFuture;
use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot};

use crate::db::Work;
use crate::sql::Conn;
use crate::{StoreError, StoreResult};

const MAX_BATCH: usize = 256;
const QUEUE: usize = 4096;

trait Job: Send {
    /// Runs the unit; `true` when it succeeded (its savepoint is kept).
    fn run<'c>(&'c mut self, conn: &'c mut Conn<'_>) -> BoxFuture<'c, bool>;
    /// Answers the caller once the batch's fate is known.
    fn complete(self: Box<Self>, committed: Result<(), StoreError>);
    /// The unit changes meetings, events or tokens, never the directory.
    fn keeps_directory(&self) -> bool;
}

struct Task<T> {
    work: Option<Work<T>>,
    keeps_directory: bool,
    out: Option<StoreResult<T>>,
    reply: oneshot::Sender<StoreResult<T>>,
}

impl<T: Send + 'static> Job for Task<T> {
    fn run<'c>(&'c mut self, conn: &'c mut Conn<'_>) -> BoxFuture<'c, bool> {
        Box::pin(async move {
            let out = match self.work.take() {
                // A panicking unit fails alone, as it makes its future or as that runs;
                // the writer and the batch go on.
                Some(work) => crate::db::run_caught(work, conn).await,
                None => Err(StoreError::Internal("unit of work ran twice".into())),
            };
            let ok = out.is_ok();
            self.out = Some(out);
            ok
        })
    }

    fn complete(self: Box<Self>, committed: Result<(), StoreError>) {
        let out = match (committed, self.out) {
            (_, Some(Err(e))) => Err(e),
            (Ok(()), Some(Ok(value))) => Ok(value),
            (Err(e), Some(Ok(_))) => Err(e),
            (_, None) => Err(StoreError::Internal("unit of work did not run".into())),
        };
        // The caller may have gone away (client disconnected); its data is committed anyway.
        let _ = self.reply.send(out);
    }

    fn keeps_directory(&self) -> bool {
        self.keeps_directory
    }
}

enum Command {
    Run(Box<dyn Job>),
    Close(oneshot::Sender<()>),
}

pub(crate) struct Writer {
    queue: mpsc::Sender<Command>,
    epoch: Arc<AtomicU64>,
}

impl Writer {
    pub(crate) fn spawn(conn: Connection) -> StoreResult<Self> {
        let (queue, rx) = mpsc::channel(QUEUE);
        let epoch = Arc::new(AtomicU64::new(0));
        let moves = epoch.clone();
        std::thread::Builder::new()
            .name("roomd-writer".into())
            .spawn(move || run(conn, rx, Epoch { counter: moves, data_version: None }))
            .map_err(|e| StoreError::Unavailable(format!("cannot start the SQLite writer: {e}")))?;
        Ok(Writer { queue, epoch })
    }

    /// The directory's epoch; read it before the reads it is to vouch for.
    pub(crate) fn epoch(&self) -> Arc<AtomicU64> {
        self.epoch.clone()
    }

    /// Runs `work` in the next batch; `keeps_directory` when it cannot change the
    /// directory (else it moves the epoch on).
    pub(crate) async fn submit<T: Send + 'static>(&self, work: Work<T>, keeps_directory: bool) -> StoreResult<T> {
        let (reply, answer) = oneshot::channel();
        let job = Box::new(Task { work: Some(work), keeps_directory, out: None, reply });
        self.queue
            .send(Command::Run(job))
            .await
            .map_err(|_| StoreError::Unavailable("the SQLite writer has stopped".into()))?;
        answer.await.map_err(|_| StoreError::Unavailable("the SQLite writer has stopped".into()))?
    }

    /// Finishes the queued work, then closes the write connection.
    pub(crate) async fn close(&self) {
        let (done, wait) = oneshot::channel();
        if self.queue.send(Command::Close(done)).await.is_ok() {
            let _ = wait.await;
        }
    }
}

/// The directory's epoch as the writer moves it.
struct Epoch {
    counter: Arc<AtomicU64>,
    /// SQLite's count of commits by other connections, when last looked at.
    data_version: Option<i64>,
}

impl Epoch {
    fn move_on(&self) {
        self.counter.fetch_add(1, Ordering::SeqCst);
    }

    /// Moves on if another connection committed since the last look. Called holding the
    /// write lock, so no such commit can come while the batch runs.
    fn look_for_other_writers(&mut self, conn: &Connection) -> Result<(), StoreError> {
        let now = conn.query_row("PRAGMA data_version", [], |row| row.get::<_, i64>(0))?;
        if self.data_version.is_some_and(|before| before != now) {
            self.move_on();
        }
        self.data_version = Some(now);
        Ok(())
    }
}

fn run(mut conn: Connection, mut rx: mpsc::Receiver<Command>, mut epoch: Epoch) {
    let mut batch: Vec<Box<dyn Job>> = Vec::with_capacity(MAX_BATCH);
    let mut closing = None;
    while closing.is_none() {
        match rx.blocking_recv() {
            Some(Command::Run(job)) => batch.push(job),
            Some(Command::Close(done)) => closing = Some(done),
            None => break,
        }
        while batch.len() < MAX_BATCH && closing.is_none() {
            match rx.try_recv() {
                Ok(Command::Run(job)) => batch.push(job),
                Ok(Command::Close(done)) => closing = Some(done),
                Err(_) => break,
            }
        }
        if batch.is_empty() {
            continue;
        }
        let committed = commit_batch(&mut conn, &mut batch, &mut epoch);
        if let Err(e) = &committed {
            tracing::error!(error = %e, units = batch.len(), "SQLite batch failed");
        }
        for job in batch.drain(..) {
            job.complete(committed.clone());
        }
    }
    if let Err((_, e)) = conn.close() {
        tracing::warn!(error = %e, "closing the SQLite writer");
    }
    if let Some(done) = closing {
        let _ = done.send(());
    }
}

fn commit_batch(conn: &mut Connection, batch: &mut [Box<dyn Job>], epoch: &mut Epoch) -> Result<(), StoreError> {
    let directory_may_change = batch.iter().any(|job| !job.keeps_directory());
    let out = run_batch(conn, batch, epoch);
    if directory_may_change {
        // Committed or not, the batch has ended: a read from now on sees its outcome.
        epoch.move_on();
    }
    out
}

fn run_batch(conn: &mut Connection, batch: &mut [Box<dyn Job>], epoch: &mut Epoch) -> Result<(), StoreError> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    if let Err(e) = epoch.look_for_other_writers(conn) {
        let _ = conn.execute_batch("ROLLBACK");
        return Err(e);
    }
    for job in batch.iter_mut() {
        if !job.keeps_directory() {
            epoch.move_on();
        }
        if let Err(e) = run_unit(conn, job.as_mut()) {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e);
        }
    }
    if let Err(e) = conn.execute_batch("COMMIT") {
        let _ = conn.execute_batch("ROLLBACK");
        return Err(e.into());
    }
    Ok(())
}

fn run_unit(conn: &mut Connection, job: &mut dyn Job) -> Result<(), StoreError> {
    conn.execute_batch("SAVEPOINT unit")?;
    // The unit's statements run synchronously: its future is ready on the first poll.
    let ok = futures::executor::block_on(job.run(&mut Conn::Sqlite(conn)));
    conn.execute_batch(if ok { "RELEASE unit" } else { "ROLLBACK TO unit; RELEASE unit" })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use roomd_core::event::{Change, EventRender};
    use roomd_core::{Actor, Caller, DeptId, DomainError, ManualClock};

    use crate::db::work;
    use crate::events::emit;
    use crate::sql::query;
    use crate::{Store, StoreConfig, StoreError, Subscription};

    struct Ids;

    impl EventRender for Ids {
        fn render(&self, _company: &str, change: &Change) -> String {
            match change {
                Change::DeptRemoved(id) => id.as_str().to_string(),
                other => other.event_type().to_string(),
            }
        }
    }

    /// A unit that records the removal of each of `depts`, then fails or not.
    async fn unit(store: &Store, company: &str, depts: &[&str], fails: bool) -> Result<(), StoreError> {
        let (hook, company) = (store.event_render(), company.to_string());
        let depts: Vec<DeptId> = depts.iter().map(|d| DeptId::from_stored(d.to_string())).collect();
        let now = store.now_ms();
        store
            .write(work!(|conn| {
                for dept in depts {
                    emit(conn, &hook, &company, now, || Change::DeptRemoved(dept)).await?;
                }
                if fails { Err(DomainError::invalid("deptId", "fails after recording").into()) } else { Ok(()) }
            }))
            .await
    }

    /// In one batch, a unit that fails or panics leaves nothing, its events included, and
    /// the others are committed; a unit that panics before its future exists fails alone.
    #[tokio::test]
    async fn a_unit_that_fails_or_panics_leaves_nothing_and_the_batch_goes_on() {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = StoreConfig {
            database_url: format!("sqlite://{}", dir.path().join("roomd.db").display()),
            data_dir: dir.path().to_path_buf(),
            clock: Arc::new(ManualClock::new(1_894_118_400_000)),
        };
        let store = Store::open(config).await.expect("store");
        store.render_events_with(Arc::new(Ids));
        let company = store.create_company(None, "acme".into()).await.expect("company");
        let caller = Caller { company: company.clone(), tz: chrono_tz::Asia::Shanghai, actor: Actor::App("t".into()) };
        let keys = store.refresh_event_keys(&caller).await.expect("keys");
        store.save_event_subscription(&caller, Subscription { url: "http://x".into(), ..keys }).await.expect("save");
        let company = company.as_str();

        // The writer is held by a slow unit while the next four queue, in this order
        // (`biased`: polled in order even when two sleeps end in the same poll): in all
        // likelihood one batch, and in any case one after the other.
        let slow = store.write(work!(|_| {
            std::thread::sleep(Duration::from_millis(200));
            Ok(())
        }));
        let (_, first, failed, last, panicked) = tokio::join!(
            biased;
            slow,
            async {
                tokio::time::sleep(Duration::from_millis(50)).await;
                unit(&store, company, &["a1", "a2"], false).await
            },
            async {
                tokio::time::sleep(Duration::from_millis(60)).await;
                unit(&store, company, &["b1"], true).await
            },
            async {
                tokio::time::sleep(Duration::from_millis(70)).await;
                unit(&store, company, &["c1"], false).await
            },
            async {
                tokio::time::sleep(Duration::from_millis(80)).await;
                store.write::<()>(work!(|_| panic!("a unit that panics"))).await
            },
        );
        assert!(first.is_ok(), "{first:?}");
        assert!(failed.is_err(), "the unit that fails after recording");
        assert!(last.is_ok(), "{last:?}: a unit after a failed one");
        assert!(panicked.is_err(), "the unit that panics");
        let recorded =
            || store.read(work!(|conn| query("SELECT payload FROM events ORDER BY seq").scalars::<String>(conn).await));
        assert_eq!(recorded().await.expect("events"), ["a1", "a2", "c1"]);

        let panicked = store.write::<()>(Box::new(|_| panic!("before its future"))).await;
        assert!(panicked.is_err());
        assert!(unit(&store, company, &["d1"], false).await.is_ok(), "the writer goes on");
        assert_eq!(recorded().await.expect("events"), ["a1", "a2", "c1", "d1"]);
    }
}
