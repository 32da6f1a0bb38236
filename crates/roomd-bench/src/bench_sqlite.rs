//! The SQLite baseline the foundation issue names, beside roomd's bookings: bare
//! check-and-insert transactions on a SQLite file (WAL, `synchronous = FULL`), one per
//! commit and four per commit, from one thread, with no HTTP and no roomd in between. The
//! issue's reference machine committed about 6,400 a second one per commit and 12,000 four
//! per commit, and asks 4,000 durable bookings a second: measured here in alternating
//! rounds with the bookings, the ratios say where roomd stands on whatever disk it runs.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use rusqlite::{Connection, params};

use crate::bench_ab::{Paired, Schedule, Side};
use crate::bench_measure::Measured;

const SLOT_MS: i64 = 900_000;
const DAY_MS: i64 = roomd_core::time::DAY_MS;
/// roomd's own overlap check (`meeting_sql::check_free`): slots fit in a day, so the
/// index range starts a day before, and the index carries the end.
const CHECK: &str = "SELECT EXISTS (SELECT 1 FROM slots WHERE room = ?1 AND begin_ms > ?2 - ?4 AND begin_ms < ?3 \
                     AND end_ms > ?2)";
const INSERT: &str = "INSERT INTO slots (room, begin_ms, end_ms, subject) VALUES (?1, ?2, ?3, 'load')";

/// A SQLite file in `dir` holding one table of slots, like meetings: a room, a begin and
/// an end, indexed for the overlap check.
pub(crate) struct Baseline {
    connection: Connection,
    next: i64,
}

impl Baseline {
    /// The file, holding `rows` slots already (as many as the meetings roomd holds).
    pub(crate) fn create(dir: &Path, rows: usize) -> anyhow::Result<Baseline> {
        let mut connection = Connection::open(dir.join("baseline.db")).context("opening the baseline file")?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "FULL")?;
        connection.execute_batch(
            "CREATE TABLE slots (id INTEGER PRIMARY KEY, room INTEGER NOT NULL, begin_ms INTEGER NOT NULL,
                                 end_ms INTEGER NOT NULL, subject TEXT NOT NULL);
             CREATE INDEX slots_by_room ON slots (room, begin_ms, end_ms);",
        )?;
        let mut next = 0;
        let transaction = connection.transaction()?;
        for _ in 0..rows {
            let (room, begin) = slot(&mut next);
            transaction.prepare_cached(INSERT)?.execute(params![room, begin, begin + SLOT_MS])?;
        }
        transaction.commit()?;
        Ok(Baseline { connection, next })
    }

    /// Check-and-insert transactions, `per_commit` to a commit, for `length`: each one
    /// looks for an overlapping slot in its room and, finding none, inserts its own.
    /// Latencies are per commit, each counted once for every insert it made durable.
    pub(crate) fn run(&mut self, per_commit: usize, length: Duration) -> anyhow::Result<Measured> {
        let (started, mut latencies) = (Instant::now(), Vec::new());
        while started.elapsed() < length {
            let t = Instant::now();
            let transaction = self.connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            for _ in 0..per_commit {
                let (room, begin) = slot(&mut self.next);
                let busy: bool = transaction
                    .prepare_cached(CHECK)?
                    .query_row(params![room, begin, begin + SLOT_MS, DAY_MS], |row| row.get(0))?;
                anyhow::ensure!(!busy, "the baseline's slots overlap");
                transaction.prepare_cached(INSERT)?.execute(params![room, begin, begin + SLOT_MS])?;
            }
            transaction.commit()?;
            latencies.extend(std::iter::repeat_n(t.elapsed(), per_commit));
        }
        Ok(Measured::of(latencies, started.elapsed()))
    }
}

/// The `next`th slot: one of 100 rooms, 15 minutes after that room's previous slot.
fn slot(next: &mut i64) -> (i64, i64) {
    let slot = (*next % 100, *next / 100 * SLOT_MS);
    *next += 1;
    slot
}

/// Bookings through roomd in rounds alternating with the bare baseline, one per commit
/// and four per commit; prints the three and the ratios the target implies. The
/// baseline's file starts with `rows` slots, as roomd holds `rows` meetings.
pub(crate) async fn beside_bookings(
    schedule: Schedule,
    bookings: Side<'_>,
    dir: &Path,
    rows: usize,
) -> anyhow::Result<()> {
    let mut baseline = Some(Baseline::create(dir, rows)?);
    let (mut booked, mut single, mut four) = (Measured::default(), Measured::default(), Measured::default());
    let rounds = (schedule.length.as_millis() / schedule.round.as_millis().max(1) / 3).max(1);
    for r in 0..rounds {
        // Bookings first in one cycle and last in the next (B 1 4, 4 1 B, …): a drift of
        // the machine's speed falls on every side alike.
        let bookings_first = r % 2 == 0;
        if bookings_first {
            booked.add(bookings.round(schedule).await?);
        }
        let mut moved = baseline.take().context("the baseline is gone")?;
        let (moved, one, four_a_commit) = tokio::task::spawn_blocking(move || {
            let (one, four_a_commit) = match bookings_first {
                true => (moved.run(1, schedule.round), moved.run(4, schedule.round)),
                false => {
                    let four_a_commit = moved.run(4, schedule.round);
                    (moved.run(1, schedule.round), four_a_commit)
                }
            };
            (moved, one, four_a_commit)
        })
        .await?;
        baseline = Some(moved);
        single.add(one?);
        four.add(four_a_commit?);
        if !bookings_first {
            booked.add(bookings.round(schedule).await?);
        }
    }
    // Gone before the next phase, with whatever of it the kernel has yet to write: a
    // baseline of a million rows would otherwise still be going to disk while the
    // phases after it run.
    drop(baseline);
    for file in ["baseline.db", "baseline.db-wal", "baseline.db-shm"] {
        let _ = std::fs::remove_file(dir.join(file));
    }
    let ratio = |other: &Measured| {
        let paired = Paired::of(&booked, other, |r| r.rate).map(|p| format!("{:.1} %", p.ratios()[0] * 100.0));
        let paired = paired.unwrap_or_else(|| "-".into());
        format!("{:>5.1} % (round by round {paired})", booked.rate() / other.rate().max(f64::EPSILON) * 100.0)
    };
    let (to_single, to_four) = (ratio(&single), ratio(&four));
    single.print("baseline: SQLite, 1 a commit");
    four.print("baseline: SQLite, 4 a commit");
    booked.print("meeting/book");
    println!("  meeting/book / SQLite 1 a commit {to_single}   (target 4,000 / 6,400 = 62.5 %)");
    println!("  meeting/book / SQLite 4 a commit {to_four}   (target 4,000 / 12,000 = 33.3 %)");
    Ok(())
}
