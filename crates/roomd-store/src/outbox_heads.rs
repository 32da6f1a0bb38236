//! A company's line of events: its next event (the head) and the cursor that moves past
//! it. Heads are looked up at every look of the delivery worker, whatever the backlog,
//! so each statement here is one index seek a company.

use crate::StoreResult;
use crate::outbox::PENDING;
use crate::rows::{int, text};
use crate::sql::{Conn, query};

/// A company's next event, as `heads` finds it.
pub(crate) struct Head {
    pub seq: i64,
    pub company: String,
    /// Not yet delivered or given up.
    pub pending: bool,
}

/// Each company's next event within the `horizon` when it is due at `now` and not
/// leased, or when it is done.
pub(crate) async fn heads(conn: &mut Conn<'_>, now: i64, horizon: i64) -> StoreResult<Vec<Head>> {
    let sql = if matches!(conn, Conn::Sqlite(_)) { HEADS_SQLITE } else { HEADS_POSTGRES };
    let rows = query(sql).bind(now).bind(horizon).fetch_all(conn).await?;
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
///   statistics saw one company.) SQLite takes that row value's first column alone.
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
const HEADS_SQLITE: &str = heads_sql!("JOIN events e ON e.seq = ", head_after!(sqlite, "s.company_id", "s.done_seq"));
const HEADS_POSTGRES: &str = heads_sql!(
    "CROSS JOIN LATERAL (SELECT seq, company_id, state, next_attempt_ms, lease_until_ms FROM events \
     WHERE company_id = s.company_id AND seq = ",
    head_after!(postgres, "s.company_id", "s.done_seq"),
    " LIMIT 1) e"
);

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
    let sql = match conn {
        Conn::Sqlite(_) => concat!(
            "SELECT seq FROM events WHERE seq = ",
            head_after!(sqlite, "$1", "$2"),
            " AND state = 0 AND seq <= $3"
        ),
        _ => concat!(
            "SELECT seq FROM events WHERE seq = ",
            head_after!(postgres, "$1", "$2"),
            " AND company_id = $1 AND state = 0 AND seq <= $3"
        ),
    };
    query(sql).bind(company).bind(done_seq).bind(horizon).scalar(conn).await
}
