//! How long finished events are kept: a company's delivered and given-up events, with
//! their attempts, go once they finished before a cutoff (`roomd serve
//! --event-retention-days`). Pending events are never removed, whatever their age.
//!
//! Only events behind a company's cursor (`done_seq`) are candidates: every one of them
//! is finished, and the line's next event is found after the cursor, so removing them
//! changes neither what is delivered nor in what order. A pass takes each company's
//! oldest events in `seq` order, a page at a time (one seek in `events_by_company`, on a
//! read connection), and removes the run of them that finished before the cutoff, by its
//! range of numbers (on the writer): no step scans the events a company keeps.

use crate::rows::{int, opt_int, text};
use crate::sql::query;
use crate::{Store, StoreResult};

/// Events read, and at most removed, a company per step.
const PAGE: i64 = 1_000;

impl Store {
    /// Removes, for each company, up to `PAGE` of its oldest finished events that
    /// finished before `before_ms`, with their attempts. Returns how many went; call again
    /// while that is not zero.
    pub async fn prune_events(&self, before_ms: i64) -> StoreResult<u64> {
        let mut removed = 0;
        for (company, done_seq) in self.event_lines().await? {
            let Some((first, last)) = self.prunable(company.clone(), done_seq, before_ms).await? else { continue };
            removed += self.remove_events(company, first, last).await?;
        }
        Ok(removed)
    }

    /// Each company with events, and its cursor.
    async fn event_lines(&self) -> StoreResult<Vec<(String, i64)>> {
        self.read(Box::new(|conn| {
            Box::pin(async move {
                let rows = query("SELECT company_id, done_seq FROM event_subscriptions").fetch_all(conn).await?;
                rows.iter().map(|row| Ok((text(row, "company_id")?, int(row, "done_seq")?))).collect()
            })
        }))
        .await
    }

    /// The numbers of the company's oldest events, up to the first that finished at or
    /// after `before_ms` (or is not finished), among its next `PAGE` behind the cursor.
    async fn prunable(&self, company: String, done_seq: i64, before_ms: i64) -> StoreResult<Option<(i64, i64)>> {
        self.read(Box::new(move |conn| {
            Box::pin(async move {
                let rows = query(
                    "SELECT seq, state, done_ms, created_ms FROM events WHERE company_id = $1 AND seq <= $2 \
                     ORDER BY company_id, seq LIMIT $3",
                )
                .bind(company.as_str())
                .bind(done_seq)
                .bind(PAGE)
                .fetch_all(conn)
                .await?;
                let mut run: Option<(i64, i64)> = None;
                for row in &rows {
                    // Events finished before `done_ms` was kept (none since migration 3)
                    // count from when they were made.
                    let finished = opt_int(row, "done_ms")?.unwrap_or(int(row, "created_ms")?);
                    if int(row, "state")? == crate::outbox::PENDING || finished >= before_ms {
                        break;
                    }
                    let seq = int(row, "seq")?;
                    run = Some((run.map_or(seq, |(first, _)| first), seq));
                }
                Ok(run)
            })
        }))
        .await
    }

    /// Removes the company's finished events numbered `first` to `last`, and their
    /// attempts. The conditions hold again on the writer: finished, behind the cursor.
    async fn remove_events(&self, company: String, first: i64, last: i64) -> StoreResult<u64> {
        self.write_keeping_directory(Box::new(move |conn| {
            Box::pin(async move {
                query(concat!(
                    "DELETE FROM event_attempts WHERE seq >= $2 AND seq <= $3 AND seq IN (SELECT seq FROM events WHERE ",
                    removable!(),
                    ")"
                ))
                .bind(company.as_str())
                .bind(first)
                .bind(last)
                .execute(conn)
                .await?;
                query(concat!("DELETE FROM events WHERE ", removable!()))
                    .bind(company.as_str())
                    .bind(first)
                    .bind(last)
                    .execute(conn)
                    .await
            })
        }))
        .await
    }
}

/// The company (`$1`)'s events numbered `$2` to `$3` that are finished and behind its
/// cursor.
macro_rules! removable {
    () => {
        "company_id = $1 AND seq >= $2 AND seq <= $3 AND state <> 0 \
         AND seq <= (SELECT done_seq FROM event_subscriptions WHERE company_id = $1)"
    };
}
use removable;
