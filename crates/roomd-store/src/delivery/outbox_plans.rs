//! Fixtures for the tests that hold the outbox's statements to their plans: SQLite's
//! plan steps, and a skewed PostgreSQL table read under generic plans.

/// The steps of SQLite's plan for `sql` (its `$n` parameters numbered as the store
/// numbers them), on a database with every migration applied.
pub(crate) fn sqlite_plan(sql: &str) -> Vec<String> {
    let conn = rusqlite::Connection::open_in_memory().expect("sqlite");
    for (version, _, sqlite, _) in crate::MIGRATIONS {
        conn.execute_batch(sqlite).unwrap_or_else(|e| panic!("migration {version}: {e}"));
    }
    let mut plan = conn.prepare(&format!("EXPLAIN QUERY PLAN {}", crate::sql::sqlite_text(sql))).expect("plan");
    let values = rusqlite::params_from_iter(1..=plan.parameter_count() as i64);
    plan.query_map(values, |row| row.get::<_, String>(3)).expect("steps").map(|step| step.expect("step")).collect()
}

/// A PostgreSQL database of its own with 20,000 events: company `big`'s 14,999 first
/// delivered (its cursor there), `small`'s four among them, fresh statistics (which see
/// one company) and generic plans, as prepared statements get them. For tests that hold
/// a statement to a few pages whatever the table holds.
pub(crate) struct Skewed {
    pub client: tokio_postgres::Client,
    pub store: crate::Store,
    _dir: tempfile::TempDir,
}

impl Skewed {
    pub(crate) async fn new() -> Option<Skewed> {
        let (admin, url) = crate::outbox_horizon::test_postgres().await?;
        let name = format!("t_skewed_{}", uuid::Uuid::now_v7().simple());
        admin.batch_execute(&format!("CREATE DATABASE {name}")).await.expect("database");
        let url = format!("{}/{name}", url.rsplit_once('/').expect("a database in the URL").0);
        let dir = tempfile::tempdir().expect("dir");
        let clock = std::sync::Arc::new(roomd_core::SystemClock);
        let config = crate::StoreConfig { database_url: url.clone(), data_dir: dir.path().into(), clock };
        let store = crate::Store::open(config).await.expect("migrated");
        let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.expect("connect");
        tokio::spawn(connection);
        client
            .batch_execute(
                "INSERT INTO companies (id, name, created_ms) VALUES ('big', 'big', 0), ('small', 'small', 0);
                 INSERT INTO events (company_id, event_type, payload, created_ms, next_attempt_ms, state, done_ms)
                   SELECT CASE WHEN g % 5000 = 7 THEN 'small' ELSE 'big' END, 'dept_add', repeat('x', 500), 0, 0,
                          CASE WHEN g < 15000 THEN 1 ELSE 0 END, CASE WHEN g < 15000 THEN 0 END
                   FROM generate_series(1, 20000) g;
                 INSERT INTO event_attempts (seq, attempt, at_ms, duration_ms, ok, outcome)
                   SELECT seq, 1, 0, 1, 1, 'success' FROM events WHERE state = 1;
                 INSERT INTO event_subscriptions (company_id, aes_key, token, appkey, updated_ms, done_seq)
                   VALUES ('big', 'k', 't', 'a', 0, 14999), ('small', 'k', 't', 'a', 0, 7);
                 ANALYZE; SET plan_cache_mode = force_generic_plan;",
            )
            .await
            .expect("a long table");
        Some(Skewed { client, store, _dir: dir })
    }

    /// The pages the plan of `sql` (an `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)`) read.
    pub(crate) async fn pages(&self, sql: String) -> i64 {
        let answer = self.client.simple_query(&sql).await.expect("explain");
        let text = answer.iter().find_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(row) => row.get(0).map(str::to_string),
            _ => None,
        });
        let plan: serde_json::Value = serde_json::from_str(&text.expect("a plan")).expect("json");
        let top = &plan[0]["Plan"];
        top["Shared Hit Blocks"].as_i64().unwrap_or(0) + top["Shared Read Blocks"].as_i64().unwrap_or(0)
    }
}
