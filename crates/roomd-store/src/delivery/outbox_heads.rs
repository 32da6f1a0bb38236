//! A company's line of events: its next event (the head) and the cursor that moves past
//! it. Heads are looked up at every look of the delivery worker, whatever the backlog,
//! so the statements a look runs are one index seek a company (`step_over`, for old
//! lines only, is the exception).

use crate::StoreResult;
use crate::outbox::PENDING;
use crate::rows::{int, text};
use crate::sql::{Conn, Paired, query};

/// A company's next event, as `heads` finds it.
#[derive(Clone)]
pub(crate) struct Head {
    pub seq: i64,
    pub company: String,
    /// Not yet delivered or given up.
    pub pending: bool,
}

/// Each company's next event within the `horizon` when it is due at `now` and not
/// leased, or when it is done: one statement (a `GROUP BY` would read every pending row
/// of a backlog at each look).
pub(crate) async fn heads(conn: &mut Conn<'_>, now: i64, horizon: i64) -> StoreResult<Vec<Head>> {
    let rows = query(HEADS.on(conn)).bind(now).bind(horizon).fetch_all(conn).await?;
    rows.iter()
        .map(|row| {
            Ok(Head {
                seq: int(row, "seq")?,
                company: text(row, "company_id")?,
                pending: int(row, "state")? == PENDING,
            })
        })
        .collect()
}

/// A company's next event: the first after its cursor. Events past the cursor are
/// pending (only a company's next event is sent, and its record moves the cursor), apart
/// from old ones `step_over_done` steps over, so this is one seek in `events_by_company`,
/// written so that the planner has nothing else to choose:
/// - SQLite: a `min` over `company_id = … AND seq > …` (its planner takes the index).
/// - PostgreSQL: the event after the cursor in the index's order, `(company_id, seq) >
///   (…)`, which only that index answers; the caller checks its company. (An `ORDER BY
///   seq LIMIT 1` with `state = 0` read and sorted a held company's whole backlog at each
///   look, and a `min` walked the primary key across other companies' events when the
///   statistics saw one company.) SQLite would seek that row value by its first column alone.
macro_rules! head_after {
    (sqlite, $company:literal, $cursor:literal) => {
        concat!("(SELECT min(h.seq) FROM events h WHERE h.company_id = ", $company, " AND h.seq > ", $cursor, ")")
    };
    (postgres, $company:literal, $cursor:literal) => {
        concat!(
            "(SELECT h.seq FROM events h WHERE (h.company_id, h.seq) > (",
            $company,
            ", ",
            $cursor,
            ") ORDER BY h.company_id, h.seq LIMIT 1)"
        )
    };
}

/// Each company's next event (`heads`) within `$2`, done or due at `$1` and not leased,
/// looked up by its key. On PostgreSQL through `LATERAL … LIMIT 1`, which the planner
/// can neither flatten nor hash: as a join, it hashed a seq scan of the whole table once
/// its estimates said so. SQLite's planner has no hash join and takes the key.
macro_rules! heads_sql {
    ($($events:expr),+) => {
        concat!(
            "SELECT e.seq, e.company_id, e.state FROM event_subscriptions s ",
            $($events),+,
            " WHERE (e.state <> 0 OR e.next_attempt_ms <= $1 AND (e.lease_until_ms IS NULL OR e.lease_until_ms < $1)) \
             AND e.seq <= $2"
        )
    };
}
const HEADS: Paired = Paired {
    sqlite: heads_sql!("JOIN events e ON e.seq = ", head_after!(sqlite, "s.company_id", "s.done_seq")),
    postgres: heads_sql!(
        "CROSS JOIN LATERAL (SELECT seq, company_id, state, next_attempt_ms, lease_until_ms FROM events \
         WHERE company_id = s.company_id AND seq = ",
        head_after!(postgres, "s.company_id", "s.done_seq"),
        " LIMIT 1) e"
    ),
};

/// The company (`$1`)'s next event after its cursor (`$2`) if pending and at most `$3`.
const NEXT_EVENT: Paired = Paired {
    sqlite: concat!(
        "SELECT seq FROM events WHERE seq = ",
        head_after!(sqlite, "$1", "$2"),
        " AND state = 0 AND seq <= $3"
    ),
    postgres: concat!(
        "SELECT seq FROM events WHERE seq = ",
        head_after!(postgres, "$1", "$2"),
        " AND company_id = $1 AND state = 0 AND seq <= $3"
    ),
};

/// Moves the cursor of `done`'s company past it and the done events after it: up to the
/// first pending one, the `horizon` (nothing past it can be passed: it may still be
/// committing), and the company's last event. Only for old lines (`step_over_done`); its
/// search for a pending event is not one seek, which they can afford.
pub(crate) async fn step_over(conn: &mut Conn<'_>, done: &Head, horizon: i64) -> StoreResult<u64> {
    let cursor: Option<i64> = query(
        "SELECT min(x) FROM (SELECT (SELECT min(seq) FROM events WHERE company_id = $1 AND seq > $2 AND state = 0) - 1 \
         AS x UNION ALL SELECT CAST($3 AS BIGINT) UNION ALL SELECT max(seq) FROM events WHERE company_id = $1) bounds",
    )
    .bind(done.company.as_str())
    .bind(done.seq)
    .bind(horizon)
    .scalar(conn)
    .await?;
    match cursor {
        Some(cursor) => move_cursor(conn, &done.company, cursor).await,
        None => Ok(0),
    }
}

/// The company's line has moved on past `seq`.
pub(crate) async fn move_cursor(conn: &mut Conn<'_>, company: &str, seq: i64) -> StoreResult<u64> {
    query("UPDATE event_subscriptions SET done_seq = $2 WHERE company_id = $1 AND done_seq < $2")
        .bind(company)
        .bind(seq)
        .execute(conn)
        .await
}

/// The company's next event, due or not, if it is within the `horizon`.
pub(crate) async fn next_event(
    conn: &mut Conn<'_>,
    company: &str,
    done_seq: i64,
    horizon: i64,
) -> StoreResult<Option<i64>> {
    query(NEXT_EVENT.on(conn)).bind(company).bind(done_seq).bind(horizon).scalar(conn).await
}

#[cfg(test)]
mod tests {
    use super::{HEADS, NEXT_EVENT};

    /// SQLite finds each head by a seek in `events_by_company`, never by a scan.
    #[test]
    fn sqlite_seeks_each_head_in_the_company_index() {
        for sql in [HEADS.sqlite, NEXT_EVENT.sqlite] {
            let steps = crate::outbox_plans::sqlite_plan(sql);
            let seek = "USING COVERING INDEX events_by_company (company_id=? AND seq>?)";
            assert!(steps.iter().any(|s| s.ends_with(seek)), "{sql}: {steps:?}");
            assert!(!steps.iter().any(|s| s.starts_with("SCAN e") || s.starts_with("SCAN h")), "{sql}: {steps:?}");
        }
    }

    /// On PostgreSQL each head costs a few pages however many events the table holds:
    /// 20,000 events, one company's cursor deep in its line and another's few events
    /// among them, fresh statistics (which see one company), and the generic plans that
    /// prepared statements use.
    #[tokio::test]
    async fn postgres_reads_a_few_pages_a_head_whatever_the_table_holds() {
        let Some(skewed) = crate::outbox_plans::Skewed::new().await else { return };
        let client = &skewed.client;
        let pages = |sql: String| skewed.pages(sql);
        let explain = "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE";
        client.batch_execute(&format!("PREPARE heads(bigint, bigint) AS {}", HEADS.postgres)).await.expect("prepare");
        client
            .batch_execute(&format!("PREPARE next(text, bigint, bigint) AS {}", NEXT_EVENT.postgres))
            .await
            .expect("prepare");
        let heads = pages(format!("{explain} heads(1, 9223372036854775807)")).await;
        assert!(heads <= 30, "{heads} pages for two heads");
        for (company, cursor) in [("big", 14999), ("small", 7), ("small", 5007)] {
            let next = pages(format!("{explain} next('{company}', {cursor}, 9223372036854775807)")).await;
            assert!(next <= 15, "{next} pages for the next event of {company} after {cursor}");
        }
        skewed.store.close().await;
    }
}
