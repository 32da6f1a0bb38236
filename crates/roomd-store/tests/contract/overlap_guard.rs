//! PostgreSQL's own refusal of a double booking (migration 25), held against writes that
//! go around roomd: rows inserted and updated by hand, from connections that take no lock
//! first, committed while another waits.

use std::time::Duration;

use tokio_postgres::error::SqlState;

use super::{DAY, HOUR, backends, booker_and_room, booking, postgres_client};

/// `INSERT` of a copy of meeting `from` as `id`, `shift` later (same room, same length).
fn copy_of(from: &str, id: &str, shift: i64) -> String {
    format!(
        "INSERT INTO meetings (company_id, id, room_id, speaker, subject, begin_ms, end_ms, planned_end_ms, \
         address, memo, booker_id, checked_state, active, created_ms, updated_ms) \
         SELECT company_id, '{id}', room_id, speaker, subject, begin_ms + {shift}, end_ms + {shift}, \
         planned_end_ms + {shift}, address, memo, booker_id, checked_state, active, created_ms, updated_ms \
         FROM meetings WHERE id = '{from}'"
    )
}

fn code(r: Result<impl std::fmt::Debug, tokio_postgres::Error>) -> SqlState {
    match r {
        Err(e) => e.code().cloned().unwrap_or_else(|| panic!("not the server's refusal: {e}")),
        Ok(v) => panic!("written: {v:?}"),
    }
}

/// Two sessions by hand insert overlapping meetings of one room: the second waits for
/// the first's lock and, once the first commits, sees its meeting and is refused. A
/// check that read with the statement's own snapshot (taken before the wait) would let
/// both in.
#[tokio::test]
async fn a_meeting_committed_while_another_waited_is_seen_by_the_database() {
    for b in backends().await.into_iter().filter(|b| b.name == "postgres") {
        let (c, booker, r) = booker_and_room(&b.store).await;
        let first = b.store.book_meeting(&c, booking(&r, &booker, 9, 10)).await.expect("book").id;
        let (one, two) = (postgres_client(&b.url).await, postgres_client(&b.url).await);
        one.batch_execute("BEGIN").await.expect("begin");
        // 12:00–13:00 and 12:30–13:30.
        one.batch_execute(&copy_of(first.as_str(), "HAND-1", 3 * HOUR)).await.expect("first by hand");
        let second = tokio::spawn(async move {
            let sql = copy_of(first.as_str(), "HAND-2", 3 * HOUR + HOUR / 2);
            two.batch_execute(&sql).await
        });
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(!second.is_finished(), "the second insert waits for the room's lock");
        one.batch_execute("COMMIT").await.expect("commit");
        assert_eq!(code(second.await.expect("task")), SqlState::EXCLUSION_VIOLATION);
        let left = one.query_one("SELECT COUNT(*) FROM meetings WHERE id LIKE 'HAND-%'", &[]).await.expect("count");
        assert_eq!(left.get::<_, i64>(0), 1, "one of the two stands");
    }
}

/// What else the database refuses by itself: a meeting moved onto another, two
/// overlapping meetings in one statement, a meeting of more than 26 hours, and any write
/// of meetings from a transaction that keeps one snapshot. What it lets through: a
/// cancelled meeting where another is, and a meeting right after another.
#[tokio::test]
async fn postgres_refuses_overlaps_however_the_rows_are_written() {
    for b in backends().await.into_iter().filter(|b| b.name == "postgres") {
        let (c, booker, r) = booker_and_room(&b.store).await;
        let first = b.store.book_meeting(&c, booking(&r, &booker, 9, 10)).await.expect("book").id;
        let later = b.store.book_meeting(&c, booking(&r, &booker, 11, 12)).await.expect("book").id;
        let sql = postgres_client(&b.url).await;
        let moved = format!(
            "UPDATE meetings SET begin_ms = {}, end_ms = {} WHERE id = '{later}'",
            DAY + 9 * HOUR,
            DAY + 10 * HOUR
        );
        assert_eq!(code(sql.batch_execute(&moved).await), SqlState::EXCLUSION_VIOLATION, "moved onto another");
        sql.batch_execute(&copy_of(first.as_str(), "TWIN-1", 5 * HOUR)).await.expect("a copy, no overlap");
        let twins = format!(
            "INSERT INTO meetings SELECT company_id, id || '-2', room_id, speaker, subject, begin_ms + {h}, end_ms + {h}, \
             planned_end_ms, address, memo, booker_id, checked_state, checked_ms, cancelled_ms, finished_ms, active, \
             created_ms, updated_ms, release_reason, time_zone, series_id, recurrence, reason, sequence, reminded_ms \
             FROM meetings WHERE id = 'TWIN-1' UNION ALL SELECT company_id, id || '-3', room_id, speaker, subject, \
             begin_ms + {h}, end_ms + {h}, planned_end_ms, address, memo, booker_id, checked_state, checked_ms, \
             cancelled_ms, finished_ms, active, created_ms, updated_ms, release_reason, time_zone, series_id, \
             recurrence, reason, sequence, reminded_ms FROM meetings WHERE id = 'TWIN-1'",
            h = 2 * HOUR
        );
        assert_eq!(code(sql.batch_execute(&twins).await), SqlState::EXCLUSION_VIOLATION, "two at once");
        let long = format!("UPDATE meetings SET end_ms = begin_ms + {} WHERE id = 'TWIN-1'", 26 * HOUR + 1);
        assert_eq!(code(sql.batch_execute(&long).await), SqlState::CHECK_VIOLATION, "longer than 26 hours");
        let kept =
            format!("BEGIN ISOLATION LEVEL REPEATABLE READ; {}; COMMIT", copy_of(first.as_str(), "RR", 7 * HOUR));
        assert_eq!(code(sql.batch_execute(&kept).await), SqlState::INVALID_TRANSACTION_STATE, "one snapshot");
        sql.batch_execute("ROLLBACK").await.expect("rolled back");
        let cancelled =
            format!("{}; UPDATE meetings SET active = 0 WHERE id = 'GONE'", copy_of(first.as_str(), "GONE", 7 * HOUR));
        sql.batch_execute(&cancelled).await.expect("a meeting by hand");
        let over_it = format!(
            "UPDATE meetings SET begin_ms = {}, end_ms = {} WHERE id = 'GONE'",
            DAY + 9 * HOUR,
            DAY + 10 * HOUR
        );
        sql.batch_execute(&over_it).await.expect("a cancelled meeting over another");
        sql.batch_execute(&copy_of(first.as_str(), "NEXT", HOUR)).await.expect("right after the first");
    }
}
