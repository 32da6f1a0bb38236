//! One PostgreSQL connection (tokio-postgres) with its prepared statements, and the
//! conversion of our parameters and rows.
//!
//! tokio-postgres lets several tasks use one connection at once: their statements go out
//! back to back and the answers come back in order (pipelining). Reads share a few
//! connections this way, and a burst of them costs a few `send`s and `recv`s on each side
//! instead of one of each a statement (`pg_pool.rs`).

use std::collections::HashMap;
use std::error::Error;
use std::sync::{Arc, Mutex};

use bytes::BytesMut;
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use tokio_postgres::{Client, Statement};

use crate::sql::{Arg, Row, Value};
use crate::{StoreError, StoreResult};

/// Statements kept prepared on a connection at most; past it they are all dropped (and
/// closed on the server) and prepared again as used. Lists and `IN (…)` lookups make
/// statements of many shapes.
const STATEMENTS_KEPT: usize = 256;

type Statements = Arc<Mutex<HashMap<String, Statement>>>;

pub struct PgClient {
    client: Arc<Client>,
    /// Prepared statements by parameter types and SQL text.
    statements: Statements,
}

impl PgClient {
    pub(crate) fn new(client: Client) -> PgClient {
        PgClient { client: Arc::new(client), statements: Default::default() }
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.client.is_closed()
    }

    /// Rows changed by `sql`.
    pub(crate) async fn execute(&self, sql: &str, args: &[Arg]) -> StoreResult<u64> {
        let statement = self.prepared(sql, args).await?;
        Ok(self.client.execute(&statement, &params(args)).await?)
    }

    pub(crate) async fn query(&self, sql: &str, args: &[Arg]) -> StoreResult<Vec<Row>> {
        let statement = self.prepared(sql, args).await?;
        rows(&self.client.query(&statement, &params(args)).await?)
    }

    /// Several statements without parameters, in one message (migrations, transactions).
    pub(crate) async fn batch(&self, sql: &str) -> StoreResult<()> {
        Ok(self.client.batch_execute(sql).await?)
    }

    /// `sql` prepared with our parameters' types, from the cache when it was before. The
    /// types are given, not inferred, so an integer bound where PostgreSQL would infer
    /// `int4` is cast by the server as any `int8` is.
    async fn prepared(&self, sql: &str, args: &[Arg]) -> StoreResult<Statement> {
        let mut key = String::with_capacity(args.len() + 1 + sql.len());
        key.extend(args.iter().map(Arg::kind_letter));
        key.push('|');
        key.push_str(sql);
        if let Some(statement) = cache(&self.statements)?.get(&key) {
            return Ok(statement.clone());
        }
        // Prepared on a task of its own, which keeps the statement whatever becomes of
        // the caller: given up on half-way, the caller would leave the server holding a
        // statement no one could close.
        let types: Vec<Type> = args.iter().map(Arg::pg_type).collect();
        let (client, statements, sql) = (self.client.clone(), self.statements.clone(), sql.to_string());
        tokio::spawn(async move {
            let statement = client.prepare_typed(&sql, &types).await?;
            let mut cache = cache(&statements)?;
            if cache.len() >= STATEMENTS_KEPT {
                cache.clear();
            }
            cache.insert(key, statement.clone());
            Ok(statement)
        })
        .await
        .map_err(|e| StoreError::Internal(format!("preparing a statement: {e}")))?
    }
}

fn cache(statements: &Statements) -> StoreResult<std::sync::MutexGuard<'_, HashMap<String, Statement>>> {
    statements.lock().map_err(|_| StoreError::Internal("statement cache poisoned".into()))
}

fn params(args: &[Arg]) -> Vec<&(dyn ToSql + Sync)> {
    args.iter().map(|arg| arg as &(dyn ToSql + Sync)).collect()
}

impl Arg {
    fn pg_type(&self) -> Type {
        match self {
            Arg::Int(_) => Type::INT8,
            Arg::Real(_) => Type::FLOAT8,
            Arg::Text(_) => Type::TEXT,
        }
    }

    fn kind_letter(&self) -> char {
        match self {
            Arg::Int(_) => 'i',
            Arg::Real(_) => 'r',
            Arg::Text(_) => 't',
        }
    }
}

impl ToSql for Arg {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        match self {
            Arg::Int(v) => v.to_sql(ty, out),
            Arg::Real(v) => v.to_sql(ty, out),
            Arg::Text(v) => v.to_sql(ty, out),
        }
    }

    /// Statements are prepared with each parameter's own type (`Arg::pg_type`).
    fn accepts(ty: &Type) -> bool {
        [Type::INT8, Type::FLOAT8, Type::TEXT].contains(ty)
    }

    to_sql_checked!();
}

/// PostgreSQL rows of one result as ours: the column names and types looked at once.
fn rows(rows: &[tokio_postgres::Row]) -> StoreResult<Vec<Row>> {
    let Some(first) = rows.first() else { return Ok(Vec::new()) };
    let columns: Arc<[String]> = first.columns().iter().map(|c| c.name().to_string()).collect();
    let kinds = first
        .columns()
        .iter()
        .map(|column| match *column.type_() {
            Type::INT8 => Ok(PgKind::Int8),
            Type::INT4 => Ok(PgKind::Int4),
            Type::INT2 => Ok(PgKind::Int2),
            Type::BOOL => Ok(PgKind::Bool),
            Type::FLOAT8 => Ok(PgKind::Float8),
            Type::FLOAT4 => Ok(PgKind::Float4),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => Ok(PgKind::Text),
            ref other => Err(StoreError::Internal(format!("column {:?} has unsupported type {other}", column.name()))),
        })
        .collect::<StoreResult<Vec<_>>>()?;
    rows.iter()
        .map(|row| {
            let mut values = Vec::with_capacity(kinds.len());
            for (i, kind) in kinds.iter().enumerate() {
                let value = match kind {
                    PgKind::Int8 => row.try_get::<_, Option<i64>>(i)?.map(Value::Int),
                    PgKind::Int4 => row.try_get::<_, Option<i32>>(i)?.map(|v| Value::Int(v.into())),
                    PgKind::Int2 => row.try_get::<_, Option<i16>>(i)?.map(|v| Value::Int(v.into())),
                    PgKind::Bool => row.try_get::<_, Option<bool>>(i)?.map(|v| Value::Int(v.into())),
                    PgKind::Float8 => row.try_get::<_, Option<f64>>(i)?.map(Value::Real),
                    PgKind::Float4 => row.try_get::<_, Option<f32>>(i)?.map(|v| Value::Real(v.into())),
                    PgKind::Text => row.try_get::<_, Option<String>>(i)?.map(Value::Text),
                };
                values.push(value.unwrap_or(Value::Null));
            }
            Ok(Row::new(columns.clone(), values))
        })
        .collect()
}

/// The PostgreSQL column types we read.
enum PgKind {
    Int8,
    Int4,
    Int2,
    Bool,
    Float8,
    Float4,
    Text,
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{PgClient, STATEMENTS_KEPT};
    use crate::sql::{Arg, Value};

    /// A connection to the test cluster, when there is one.
    async fn client() -> Option<PgClient> {
        let Ok(url) = std::env::var("TEST_DATABASE_URL") else {
            eprintln!("TEST_DATABASE_URL unset: skipped");
            return None;
        };
        let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.expect("connects");
        tokio::spawn(connection);
        Some(PgClient::new(client))
    }

    fn int(rows: &[crate::sql::Row]) -> i64 {
        match rows[0].get("n").expect("column n") {
            Value::Int(n) => *n,
            other => panic!("not an integer: {other:?}"),
        }
    }

    #[tokio::test]
    async fn many_statement_shapes_stay_within_the_cache_and_answer_right() {
        let Some(client) = client().await else { return };
        for i in 0..(STATEMENTS_KEPT as i64 * 2 + 7) {
            let sql = format!("SELECT $1 + {i} AS n");
            let rows = client.query(&sql, &[Arg::Int(Some(1))]).await.expect("query");
            assert_eq!(int(&rows), i + 1);
            assert!(super::cache(&client.statements).expect("cache").len() <= STATEMENTS_KEPT);
        }
        // The same text with another parameter type is another statement.
        let rows = client.query("SELECT $1 || 'x' AS n2", &[Arg::Text(Some("a".into()))]).await.expect("text");
        assert_eq!(rows[0].get("n2").expect("n2"), &Value::Text("ax".into()));
    }

    /// Statements of many tasks share one connection, and each gets its own answer, even
    /// when one of them is given up on mid-flight.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn pipelined_statements_get_their_own_answers() {
        let Some(client) = client().await else { return };
        let client = std::sync::Arc::new(client);
        let slow = {
            let client = client.clone();
            tokio::spawn(async move { client.query("SELECT pg_sleep(0.3)::text AS n", &[]).await })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        slow.abort();
        let tasks: Vec<_> = (0..64i64)
            .map(|i| {
                let client = client.clone();
                tokio::spawn(async move {
                    let rows = client.query("SELECT $1 * 2 AS n", &[Arg::Int(Some(i))]).await.expect("query");
                    (i, int(&rows))
                })
            })
            .collect();
        for task in tasks {
            let (i, n) = task.await.expect("task");
            assert_eq!(n, i * 2);
        }
        assert!(!client.is_closed());
    }

    /// A refused row is not repeated in the error, which is logged: PostgreSQL's DETAIL
    /// (`Failing row contains …`) can hold keys and hashes.
    #[tokio::test]
    async fn errors_name_the_constraint_but_not_the_row() {
        let Some(client) = client().await else { return };
        client
            .batch("CREATE TEMP TABLE keys (secret TEXT, n BIGINT CONSTRAINT n_positive CHECK (n > 0))")
            .await
            .expect("table");
        let refused = client
            .execute(
                "INSERT INTO keys (secret, n) VALUES ($1, $2)",
                &[Arg::Text(Some("hunter2-key".into())), Arg::Int(Some(-1))],
            )
            .await
            .expect_err("refused");
        let text = refused.to_string();
        assert!(text.contains("n_positive") && text.contains("23514"), "{text}");
        assert!(!text.contains("hunter2-key"), "{text}");
    }

    /// A statement whose caller gave up while it was being prepared is still known (and
    /// so closed when dropped): the server holds no statement the cache has lost.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn statements_given_up_while_prepared_are_not_left_on_the_server() {
        let Some(client) = client().await else { return };
        for i in 0..40 {
            let sql = format!("SELECT $1 + {i} AS n");
            // The first poll sends the statement to be prepared; then the caller gives up.
            let _ = tokio::time::timeout(Duration::ZERO, client.query(&sql, &[Arg::Int(Some(1))])).await;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        let rows = client.query("SELECT COUNT(*) AS n FROM pg_prepared_statements", &[]).await.expect("count");
        let cached = super::cache(&client.statements).expect("cache").len() as i64;
        assert_eq!(int(&rows), cached, "statements on the server and in the cache");
    }
}
