//! Migrations embedded in the binary and applied at start, each in its own transaction,
//! recorded in `roomd_migrations`. Both folders keep the same version numbers; the
//! contract suite checks they do. On PostgreSQL an advisory lock keeps two processes
//! starting together from applying the same migration twice.

use crate::StoreResult;
use crate::db::Kind;
use crate::sql::{Conn, batch, query};

/// `(version, description, sqlite, postgres)`
pub const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../../migrations/sqlite/0001_init.sql"),
        include_str!("../../migrations/postgres/0001_init.sql"),
    ),
    (
        2,
        "busy index",
        include_str!("../../migrations/sqlite/0002_busy_index.sql"),
        include_str!("../../migrations/postgres/0002_busy_index.sql"),
    ),
    (
        3,
        "events",
        include_str!("../../migrations/sqlite/0003_events.sql"),
        include_str!("../../migrations/postgres/0003_events.sql"),
    ),
    (
        4,
        "onboarding",
        include_str!("../../migrations/sqlite/0004_onboarding.sql"),
        include_str!("../../migrations/postgres/0004_onboarding.sql"),
    ),
    (
        5,
        "places",
        include_str!("../../migrations/sqlite/0005_places.sql"),
        include_str!("../../migrations/postgres/0005_places.sql"),
    ),
    (
        6,
        "room configs",
        include_str!("../../migrations/sqlite/0006_room_configs.sql"),
        include_str!("../../migrations/postgres/0006_room_configs.sql"),
    ),
    (
        7,
        "devices",
        include_str!("../../migrations/sqlite/0007_devices.sql"),
        include_str!("../../migrations/postgres/0007_devices.sql"),
    ),
    (
        8,
        "no-show release",
        include_str!("../../migrations/sqlite/0008_no_show.sql"),
        include_str!("../../migrations/postgres/0008_no_show.sql"),
    ),
    (
        9,
        "sms codes",
        include_str!("../../migrations/sqlite/0009_sms_codes.sql"),
        include_str!("../../migrations/postgres/0009_sms_codes.sql"),
    ),
    (
        10,
        "console",
        include_str!("../../migrations/sqlite/0010_console.sql"),
        include_str!("../../migrations/postgres/0010_console.sql"),
    ),
    (
        11,
        "event cursor",
        include_str!("../../migrations/sqlite/0011_event_cursor.sql"),
        include_str!("../../migrations/postgres/0011_event_cursor.sql"),
    ),
    (
        12,
        "overlap key",
        include_str!("../../migrations/sqlite/0012_overlap_key.sql"),
        include_str!("../../migrations/postgres/0012_overlap_key.sql"),
    ),
    (
        13,
        "busy index covers end",
        include_str!("../../migrations/sqlite/0013_busy_covers_end.sql"),
        include_str!("../../migrations/postgres/0013_busy_covers_end.sql"),
    ),
    (
        14,
        "directory version",
        include_str!("../../migrations/sqlite/0014_directory_version.sql"),
        include_str!("../../migrations/postgres/0014_directory_version.sql"),
    ),
    (
        15,
        "hot path references",
        include_str!("../../migrations/sqlite/0015_hot_path_references.sql"),
        include_str!("../../migrations/postgres/0015_hot_path_references.sql"),
    ),
    (
        16,
        "fewer meeting indexes",
        include_str!("../../migrations/sqlite/0016_fewer_meeting_indexes.sql"),
        include_str!("../../migrations/postgres/0016_fewer_meeting_indexes.sql"),
    ),
    (
        17,
        "no event counter",
        include_str!("../../migrations/sqlite/0017_no_event_counter.sql"),
        include_str!("../../migrations/postgres/0017_no_event_counter.sql"),
    ),
    (
        18,
        "scheduling",
        include_str!("../../migrations/sqlite/0018_scheduling.sql"),
        include_str!("../../migrations/postgres/0018_scheduling.sql"),
    ),
    (
        19,
        "calendars",
        include_str!("../../migrations/sqlite/0019_calendars.sql"),
        include_str!("../../migrations/postgres/0019_calendars.sql"),
    ),
    (
        20,
        "meetings by time",
        include_str!("../../migrations/sqlite/0020_meetings_by_time.sql"),
        include_str!("../../migrations/postgres/0020_meetings_by_time.sql"),
    ),
    (
        21,
        "directory version",
        include_str!("../../migrations/sqlite/0021_directory_version.sql"),
        include_str!("../../migrations/postgres/0021_directory_version.sql"),
    ),
    (
        22,
        "meetings by booker",
        include_str!("../../migrations/sqlite/0022_meetings_by_booker.sql"),
        include_str!("../../migrations/postgres/0022_meetings_by_booker.sql"),
    ),
    (
        23,
        "app sessions",
        include_str!("../../migrations/sqlite/0023_app_sessions.sql"),
        include_str!("../../migrations/postgres/0023_app_sessions.sql"),
    ),
    (
        24,
        "booker in booking order",
        include_str!("../../migrations/sqlite/0024_booker_in_booking_order.sql"),
        include_str!("../../migrations/postgres/0024_booker_in_booking_order.sql"),
    ),
    (
        25,
        "overlap check",
        include_str!("../../migrations/sqlite/0025_overlap_check.sql"),
        include_str!("../../migrations/postgres/0025_overlap_check.sql"),
    ),
];

/// Any 64-bit number of our own, the same in every roomd process.
const LOCK_KEY: i64 = 0x726f_6f6d_645f_6d69;

pub(crate) async fn run(conn: &mut Conn<'_>, kind: Kind) -> StoreResult<()> {
    if kind == Kind::Postgres {
        query("SELECT pg_advisory_lock($1)").bind(LOCK_KEY).execute(conn).await?;
    }
    let out = apply(conn, kind).await;
    if kind == Kind::Postgres {
        query("SELECT pg_advisory_unlock($1)").bind(LOCK_KEY).execute(conn).await?;
    }
    out
}

async fn apply(conn: &mut Conn<'_>, kind: Kind) -> StoreResult<()> {
    batch(
        conn,
        "CREATE TABLE IF NOT EXISTS roomd_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, \
         applied_ms BIGINT NOT NULL)",
    )
    .await?;
    let mut applied: Vec<i64> = query("SELECT version FROM roomd_migrations").scalars(conn).await?;
    if applied.is_empty() {
        applied = adopt_sqlx_history(conn).await?;
    }
    for (version, description, sqlite, postgres) in MIGRATIONS {
        if applied.contains(version) {
            continue;
        }
        let sql = match kind {
            Kind::Sqlite => sqlite,
            Kind::Postgres => postgres,
        };
        batch(conn, "BEGIN").await?;
        let step = async {
            batch(conn, sql).await?;
            query("INSERT INTO roomd_migrations (version, description, applied_ms) VALUES ($1, $2, $3)")
                .bind(*version)
                .bind(*description)
                .bind(now_ms())
                .execute(conn)
                .await?;
            batch(conn, "COMMIT").await
        };
        if let Err(e) = step.await {
            let _ = batch(conn, "ROLLBACK").await;
            return Err(e);
        }
        tracing::info!(version, description, "applied migration");
    }
    Ok(())
}

/// Databases made before roomd had its own migrator kept sqlx's `_sqlx_migrations`; its
/// applied versions are taken over so they are not applied twice.
async fn adopt_sqlx_history(conn: &mut Conn<'_>) -> StoreResult<Vec<i64>> {
    let Ok(versions) = query("SELECT version FROM _sqlx_migrations WHERE success").scalars::<i64>(conn).await else {
        return Ok(Vec::new());
    };
    for version in &versions {
        query("INSERT INTO roomd_migrations (version, description, applied_ms) VALUES ($1, 'adopted from sqlx', $2)")
            .bind(*version)
            .bind(now_ms())
            .execute(conn)
            .await?;
    }
    Ok(versions)
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::MIGRATIONS;

    /// An install upgraded to the delivery cursor keeps every event it had not delivered:
    /// the cursor of each company starts just before its oldest pending event.
    #[test]
    fn the_event_cursor_starts_before_each_companys_oldest_pending_event() {
        let conn = rusqlite::Connection::open_in_memory().expect("sqlite");
        // Only the event tables matter here: no companies to refer to.
        conn.execute_batch("PRAGMA foreign_keys = OFF").expect("pragma");
        for (version, _, sqlite, _) in MIGRATIONS.iter().filter(|m| m.0 < 11) {
            conn.execute_batch(sqlite).unwrap_or_else(|e| panic!("migration {version}: {e}"));
        }
        for company in ["a", "b", "c"] {
            conn.execute(
                "INSERT INTO event_subscriptions (company_id, aes_key, token, appkey, updated_ms) \
                 VALUES (?1, 'k', 't', 'app', 0)",
                [company],
            )
            .expect("subscription");
        }
        // a: delivered, replayed under the old rule (pending again), delivered, pending;
        // b: delivered, given up; c: nothing yet.
        for (seq, company, state) in [(1, "a", 1), (2, "a", 0), (3, "b", 1), (4, "a", 1), (5, "a", 0), (6, "b", 2)] {
            conn.execute(
                "INSERT INTO events (seq, company_id, event_type, payload, created_ms, next_attempt_ms, state) \
                 VALUES (?1, ?2, 'dept_add', '{}', 0, 0, ?3)",
                rusqlite::params![seq, company, state],
            )
            .expect("event");
        }
        let cursor = MIGRATIONS.iter().find(|m| m.0 == 11).expect("migration 11").2;
        conn.execute_batch(cursor).expect("migration 11");

        let next = |company: &str| -> Vec<i64> {
            let mut statement = conn
                .prepare(
                    "SELECT e.seq FROM events e JOIN event_subscriptions s ON s.company_id = e.company_id \
                     WHERE e.company_id = ?1 AND e.seq > s.done_seq AND e.state = 0 ORDER BY e.seq",
                )
                .expect("prepare");
            statement.query_map([company], |row| row.get(0)).expect("query").map(|r| r.expect("row")).collect()
        };
        assert_eq!(next("a"), [2, 5], "both pending events of a are still to be sent, in order");
        assert_eq!(next("b"), Vec::<i64>::new());
        assert_eq!(next("c"), Vec::<i64>::new());
        let done: Vec<(String, i64)> = conn
            .prepare("SELECT company_id, done_seq FROM event_subscriptions ORDER BY company_id")
            .expect("prepare")
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .expect("query")
            .map(|r| r.expect("row"))
            .collect();
        assert_eq!(done, [("a".to_string(), 1), ("b".to_string(), 6), ("c".to_string(), 0)]);
    }
}
