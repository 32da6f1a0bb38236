//! How long finished events are kept: a company's delivered and given-up events, with
//! their attempts, go once they finished before a cutoff (`roomd serve
//! --event-retention-days`). Pending events are never removed, whatever their age.
//!
//! Only events behind a company's cursor (`done_seq`) are candidates: every one of them
//! is finished, and the line's next event is found after the cursor, so removing them
//! changes neither what is delivered nor in what order. The newest event of the table
//! always stays: SQLite numbers a new row after the largest number it holds, and a
//! number drawn again could fall behind a cursor and never be sent.
//!
//! A company is pruned a page at a time: its oldest events in `seq` order (a seek in
//! `events_by_company`, on a read connection), then the run of them that finished before
//! the cutoff, removed by its range in that index (on the writer). On PostgreSQL the
//! bounds are row values, `(company_id, seq)`, which only that index answers: with plain
//! bounds a generic plan walked the primary key through other companies' events.

use crate::db::work;
use crate::rows::{int, opt_int, text};
use crate::sql::{Conn, Paired, query};
use crate::{Store, StoreResult};

/// Events read, and at most removed, a step.
const PAGE: i64 = 1_000;

/// A company's line of events, as retention finds it.
#[derive(Debug, Clone)]
pub struct EventLine {
    pub company: String,
    /// Its cursor when read: every event up to it is finished.
    done_seq: i64,
}

impl Store {
    /// Each company with events.
    pub async fn event_lines(&self) -> StoreResult<Vec<EventLine>> {
        self.read(work!(|conn| {
            let rows = query("SELECT company_id, done_seq FROM event_subscriptions").fetch_all(conn).await?;
            let line = |row| Ok(EventLine { company: text(row, "company_id")?, done_seq: int(row, "done_seq")? });
            rows.iter().map(line).collect()
        }))
        .await
    }

    /// Removes up to a page of the `line`'s oldest events that finished before
    /// `before_ms`, with their attempts. Returns how many went; call again while that is
    /// not zero.
    pub async fn prune_line(&self, line: &EventLine, before_ms: i64) -> StoreResult<u64> {
        let (company, done_seq) = (line.company.clone(), line.done_seq);
        let run = self.read(work!(|conn| prunable(conn, company, done_seq, before_ms).await)).await?;
        let Some((first, last)) = run else { return Ok(0) };
        let company = line.company.clone();
        self.write_keeping_directory(work!(|conn| {
            query(ATTEMPTS.on(conn)).bind(company.as_str()).bind(first).bind(last).execute(conn).await?;
            query(EVENTS.on(conn)).bind(company.as_str()).bind(first).bind(last).execute(conn).await
        }))
        .await
    }
}

/// The numbers of the company's oldest events, up to the first that finished at or after
/// `before_ms` (or is not finished), among its next `PAGE` behind the cursor.
async fn prunable(
    conn: &mut Conn<'_>,
    company: String,
    done_seq: i64,
    before_ms: i64,
) -> StoreResult<Option<(i64, i64)>> {
    let rows = query(OLDEST.on(conn)).bind(company.as_str()).bind(done_seq).bind(PAGE).fetch_all(conn).await?;
    let mut run: Option<(i64, i64)> = None;
    for row in &rows {
        // Events finished before `done_ms` was kept count from when they were made.
        let finished = opt_int(row, "done_ms")?.unwrap_or(int(row, "created_ms")?);
        if int(row, "state")? == crate::outbox::PENDING || finished >= before_ms {
            break;
        }
        let seq = int(row, "seq")?;
        run = Some((run.map_or(seq, |(first, _)| first), seq));
    }
    Ok(run)
}

/// The company `$1`'s first `$3` events up to its cursor `$2`.
const OLDEST: Paired = Paired {
    sqlite: "SELECT seq, state, done_ms, created_ms FROM events WHERE company_id = $1 AND seq <= $2 \
             ORDER BY company_id, seq LIMIT $3",
    postgres: "SELECT seq, state, done_ms, created_ms FROM events \
               WHERE (company_id, seq) >= ($1, 0) AND (company_id, seq) <= ($1, $2) \
               ORDER BY company_id, seq LIMIT $3",
};

/// The company (`$1`)'s events numbered `$2` to `$3` (`$range`) that may go: finished,
/// behind its cursor, and not the newest of the table.
macro_rules! removable {
    ($range:expr) => {
        concat!(
            $range,
            " AND state <> 0 AND seq <= (SELECT done_seq FROM event_subscriptions WHERE company_id = $1) \
             AND seq < (SELECT max(seq) FROM events)"
        )
    };
}
macro_rules! sqlite_range {
    () => {
        "company_id = $1 AND seq >= $2 AND seq <= $3"
    };
}
macro_rules! postgres_range {
    () => {
        "(company_id, seq) >= ($1, $2) AND (company_id, seq) <= ($1, $3)"
    };
}

const ATTEMPTS: Paired = Paired {
    sqlite: concat!(
        "DELETE FROM event_attempts WHERE seq IN (SELECT seq FROM events WHERE ",
        removable!(sqlite_range!()),
        ")"
    ),
    // By their event's number (`= ANY` of the numbers, looked up in the attempts' key),
    // whatever the plan's guess of how many.
    postgres: concat!(
        "DELETE FROM event_attempts WHERE seq = ANY (ARRAY (SELECT seq FROM events WHERE ",
        removable!(postgres_range!()),
        "))"
    ),
};
const EVENTS: Paired = Paired {
    sqlite: concat!("DELETE FROM events WHERE ", removable!(sqlite_range!())),
    postgres: concat!("DELETE FROM events WHERE ", removable!(postgres_range!())),
};

#[cfg(test)]
mod tests {
    use super::{ATTEMPTS, EVENTS, OLDEST};

    /// SQLite reads and removes through `events_by_company` and the attempts' key, never
    /// by a scan of either table.
    #[test]
    fn sqlite_prunes_by_seeks() {
        for sql in [OLDEST.sqlite, ATTEMPTS.sqlite, EVENTS.sqlite] {
            let steps = crate::outbox_plans::sqlite_plan(sql);
            assert!(steps.iter().all(|s| !s.starts_with("SCAN ")), "{sql}: {steps:?}");
        }
    }

    /// On PostgreSQL a step reads a few pages for what it reads and removes, whatever the
    /// table holds, with generic plans: `small`'s one finished event among 20,000, and
    /// the read of a page of `big`'s.
    #[tokio::test]
    async fn postgres_prunes_a_few_pages_a_step_whatever_the_table_holds() {
        let Some(skewed) = crate::outbox_plans::Skewed::new().await else { return };
        let client = &skewed.client;
        for (name, sql) in [("oldest", OLDEST.postgres), ("attempts", ATTEMPTS.postgres), ("events", EVENTS.postgres)] {
            client.batch_execute(&format!("PREPARE {name}(text, bigint, bigint) AS {sql}")).await.expect("prepare");
        }
        let explain = "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE";
        for (company, cursor, most) in [("small", 7, 10), ("small", 15007, 10), ("big", 14999, 200)] {
            let pages = skewed.pages(format!("{explain} oldest('{company}', {cursor}, 1000)")).await;
            assert!(pages <= most, "{pages} pages for {company}'s oldest");
        }
        // `small`'s events 7 to 10,007 (its cursor lets 7 go), with 10,000 of `big`'s
        // among them: the two removals in
        // order, in a transaction rolled back. (A page of `big`'s is a thousand probes of
        // a few pages each, whatever the plan.)
        client.batch_execute("BEGIN").await.expect("begin");
        for name in ["attempts", "events"] {
            let pages = skewed.pages(format!("{explain} {name}('small', 7, 10007)")).await;
            assert!(pages <= 40, "{pages} pages to remove small's {name}");
        }
        client.batch_execute("ROLLBACK").await.expect("rollback");
        skewed.store.close().await;
    }
}
