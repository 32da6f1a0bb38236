//! How far a company's line of events may be delivered on PostgreSQL.
//!
//! Events are numbered when they are recorded, and on PostgreSQL several writers commit
//! in any order: event 11 can be visible while event 10's transaction is still running.
//! A delivery cursor that passed 11 would never come back for 10. The delivery side
//! therefore only delivers up to a *horizon*: a number below which every event is
//! settled, committed and visible or rolled back for good.
//!
//! At each look it reads the last number drawn, then the ids of the transactions running
//! in this database (in that order). Every event numbered up to that value was drawn by a
//! transaction that had its id by then (the condition of its insert, in `events.rs`,
//! takes the id first), so it has ended or is among those running. Once none of them runs
//! any more, the value is settled. A look with nothing running settles at once.
//!
//! Recording an event then takes no lock. (Before, each event locked its company's
//! subscription row until commit, so a company's changes committed one at a time.) Events in number order are in commit order wherever the order can be seen: a
//! change that waits for another's rows, or starts after it commits, draws a later number.
//! A transaction left open in this database holds the horizon back until it ends.

use std::collections::VecDeque;

use crate::StoreResult;
use crate::sql::{Conn, query};

/// Looks remembered while their transactions run; past this, looks are not remembered
/// (the horizon waits for a later one).
const MAX_MARKS: usize = 1024;

#[derive(Debug, Default)]
pub(crate) struct Horizon {
    /// Every event numbered up to this is settled.
    settled: i64,
    /// The last number the previous look read.
    seen: i64,
    /// Earlier looks not yet settled: the last number then, and the transactions running.
    marks: VecDeque<(i64, Vec<String>)>,
}

impl Horizon {
    /// Takes in a look: `last` drawn, then `running` (transaction ids); returns the horizon.
    pub(crate) fn look(&mut self, last: i64, running: Vec<String>) -> i64 {
        // Looks come one at a time, so a lower number means the sequence went back
        // (PostgreSQL crashed before numbers drawn by unfinished transactions were on
        // disk, or a standby took over): numbers may be drawn again, and what was
        // settled or remembered says nothing about them. Start again from this look.
        if last < self.seen {
            *self = Horizon::default();
        }
        self.seen = last;
        while let Some((number, xids)) = self.marks.front() {
            if xids.iter().any(|x| running.contains(x)) {
                break;
            }
            self.settled = self.settled.max(*number);
            self.marks.pop_front();
        }
        if running.is_empty() {
            self.settled = self.settled.max(last);
            self.marks.clear();
        } else if last > self.settled {
            let full = self.marks.len() >= MAX_MARKS;
            match self.marks.back_mut() {
                Some(back) if back.1 == running => back.0 = back.0.max(last),
                _ if !full => self.marks.push_back((last, running)),
                _ => {}
            }
        }
        self.settled
    }

    /// Whether a look is waiting for transactions to end.
    pub(crate) fn waiting(&self) -> bool {
        !self.marks.is_empty()
    }
}

/// One look on PostgreSQL: the last event number drawn, then the transactions running in
/// this database, each read by a statement of its own so the second comes after the first.
pub(crate) async fn look(conn: &mut Conn<'_>) -> StoreResult<(i64, Vec<String>)> {
    let last: Option<i64> =
        query("SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence('events', 'seq')::regclass), 0)")
            .scalar(conn)
            .await?;
    let running: Option<String> = query(
        "SELECT COALESCE(string_agg(backend_xid::text, ','), '') FROM pg_stat_activity \
         WHERE datname = current_database() AND backend_xid IS NOT NULL",
    )
    .scalar(conn)
    .await?;
    let running = running.unwrap_or_default();
    Ok((last.unwrap_or(0), running.split(',').filter(|x| !x.is_empty()).map(str::to_string).collect()))
}

/// A client of the test PostgreSQL server (`TEST_DATABASE_URL`) and its URL; `None`
/// (the test skipped) when there is none.
#[cfg(test)]
pub(crate) async fn test_postgres() -> Option<(tokio_postgres::Client, String)> {
    let Ok(url) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("TEST_DATABASE_URL unset: skipped");
        return None;
    };
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.expect("connect");
    tokio::spawn(connection);
    Some((client, url))
}

#[cfg(test)]
mod tests {
    use super::{Horizon, test_postgres};

    fn ids(xids: &[&str]) -> Vec<String> {
        xids.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn a_look_with_nothing_running_settles_at_once() {
        let mut h = Horizon::default();
        assert_eq!(h.look(7, ids(&[])), 7);
        assert!(!h.waiting());
    }

    #[test]
    fn a_look_settles_once_its_transactions_have_all_ended() {
        let mut h = Horizon::default();
        assert_eq!(h.look(10, ids(&["100", "101"])), 0);
        // 101 ended, 100 still runs; a new one started.
        assert_eq!(h.look(12, ids(&["100", "102"])), 0);
        assert!(h.waiting());
        // 100 ended: the first look settles, not the second (102 still runs).
        assert_eq!(h.look(15, ids(&["102", "103"])), 10);
        assert_eq!(h.look(15, ids(&["103"])), 12);
        assert_eq!(h.look(16, ids(&[])), 16);
        assert!(!h.waiting());
    }

    /// PostgreSQL crashed with transaction 100 running (it had drawn 98 to 100), and its
    /// sequence came back at 98: 98 is drawn again by a transaction still open, 99 by one
    /// that committed. Nothing above 97 may count as settled until 98's transaction ends,
    /// even once the numbers pass 100 and transaction 100 is long gone.
    #[test]
    fn a_sequence_that_went_back_starts_the_horizon_again() {
        let mut h = Horizon::default();
        assert_eq!(h.look(97, ids(&[])), 97);
        assert_eq!(h.look(100, ids(&["100"])), 97);
        assert_eq!(h.look(99, ids(&["201"])), 0, "98 is open again");
        assert_eq!(h.look(101, ids(&["201", "202"])), 0, "the old look does not settle 100");
        assert_eq!(h.look(101, ids(&["202"])), 99);
        assert_eq!(h.look(101, ids(&[])), 101);
    }

    /// The condition of an event's insert on PostgreSQL gives the transaction its id (the
    /// form first tried, inside `EXISTS`, was never evaluated).
    #[tokio::test]
    async fn the_condition_of_an_event_insert_gives_the_transaction_its_id() {
        let Some((client, _)) = test_postgres().await else { return };
        let assigned = |condition: String| {
            let client = &client;
            async move {
                client.batch_execute("BEGIN").await.expect("begin");
                client.execute(&format!("SELECT 1 WHERE {condition}"), &[]).await.expect("condition");
                let row = client.query_one("SELECT pg_current_xact_id_if_assigned() IS NOT NULL", &[]).await;
                client.batch_execute("ROLLBACK").await.expect("rollback");
                row.expect("xid").get::<_, bool>(0)
            }
        };
        assert!(assigned(crate::events::POSTGRES_TAKES_ITS_ID.to_string()).await);
        assert!(!assigned("EXISTS (SELECT pg_current_xact_id())".to_string()).await, "PostgreSQL changed");
    }

    #[test]
    fn looks_are_remembered_up_to_a_bound() {
        let mut h = Horizon::default();
        for n in 1..=(super::MAX_MARKS as i64 + 10) {
            h.look(n, ids(&["1", &n.to_string()]));
        }
        assert_eq!(h.marks.len(), super::MAX_MARKS);
        // The long transaction ends; the remembered looks settle, later ones come again.
        assert_eq!(h.look(5_000, ids(&["9999"])), super::MAX_MARKS as i64);
        assert_eq!(h.look(5_001, ids(&[])), 5_001);
    }
}
