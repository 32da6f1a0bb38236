//! SQLite's single writer with group commit.
//!
//! One thread owns the write connection. It takes every unit of work queued while the
//! previous batch was committing, runs each inside its own SAVEPOINT of one transaction
//! (a failing unit rolls back alone), commits once — one fsync for the whole batch — and
//! only then answers each caller. A caller is never told "done" before its data is on
//! disk (`synchronous = FULL`). The units run on this thread from start to end: no
//! statement waits for another thread.

use std::panic::AssertUnwindSafe;

use futures::FutureExt;
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
}

struct Task<T> {
    work: Option<Work<T>>,
    out: Option<StoreResult<T>>,
    reply: oneshot::Sender<StoreResult<T>>,
}

impl<T: Send + 'static> Job for Task<T> {
    fn run<'c>(&'c mut self, conn: &'c mut Conn<'_>) -> BoxFuture<'c, bool> {
        Box::pin(async move {
            let out = match self.work.take() {
                // A panicking unit fails alone; the writer and the batch go on.
                Some(work) => match AssertUnwindSafe(work(conn)).catch_unwind().await {
                    Ok(out) => out,
                    Err(_) => Err(StoreError::Internal("unit of work panicked".into())),
                },
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
}

enum Command {
    Run(Box<dyn Job>),
    Close(oneshot::Sender<()>),
}

pub(crate) struct Writer {
    queue: mpsc::Sender<Command>,
}

impl Writer {
    pub(crate) fn spawn(conn: Connection) -> StoreResult<Self> {
        let (queue, rx) = mpsc::channel(QUEUE);
        std::thread::Builder::new()
            .name("roomd-writer".into())
            .spawn(move || run(conn, rx))
            .map_err(|e| StoreError::Unavailable(format!("cannot start the SQLite writer: {e}")))?;
        Ok(Writer { queue })
    }

    pub(crate) async fn submit<T: Send + 'static>(&self, work: Work<T>) -> StoreResult<T> {
        let (reply, answer) = oneshot::channel();
        let job = Box::new(Task { work: Some(work), out: None, reply });
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

fn run(mut conn: Connection, mut rx: mpsc::Receiver<Command>) {
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
        let committed = commit_batch(&mut conn, &mut batch);
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

fn commit_batch(conn: &mut Connection, batch: &mut [Box<dyn Job>]) -> Result<(), StoreError> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    for job in batch.iter_mut() {
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
