//! One way to run a query on either backend: the SQL text is written once, with `$n`
//! parameters, and runs on SQLite through rusqlite (synchronously, on the caller's
//! thread) or on PostgreSQL through tokio-postgres (`pg_client.rs`). Where the two want
//! a statement written differently, it is written for each, side by side (`Paired`).
//!
//! SQLite runs in-process, so a statement costs microseconds; handing each one to another
//! thread and back (as an async driver must) costs more than the statement itself. The
//! query methods are `async` so the same unit of work runs on both: on SQLite they never
//! wait, and the future is ready on its first poll.

use std::borrow::Cow;
use std::sync::Arc;

use rusqlite::types::{ToSqlOutput, ValueRef};

use crate::pg_client::PgClient;
use crate::{StoreError, StoreResult};

/// A connection of either backend, lent to a unit of work.
pub enum Conn<'c> {
    Sqlite(&'c mut rusqlite::Connection),
    Postgres(&'c PgClient),
}

impl Conn<'_> {
    /// For what only PostgreSQL needs or does: its locks (SQLite's single writer needs
    /// none), its transaction ids, a booking in one statement.
    pub(crate) fn is_postgres(&self) -> bool {
        matches!(self, Conn::Postgres(_))
    }
}

/// One statement written for each backend, where their planners or dialects want it
/// written differently: `query(HEADS.on(conn))`.
pub(crate) struct Paired {
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

impl Paired {
    /// The statement for `conn`'s backend.
    pub(crate) fn on(&self, conn: &Conn<'_>) -> &'static str {
        match conn {
            Conn::Sqlite(_) => self.sqlite,
            Conn::Postgres(_) => self.postgres,
        }
    }
}

/// A bound parameter. Nulls keep their type: PostgreSQL wants to know it.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Int(Option<i64>),
    Real(Option<f64>),
    Text(Option<String>),
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(Some(v))
    }
}

impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Arg::Int(v)
    }
}

impl From<f64> for Arg {
    fn from(v: f64) -> Self {
        Arg::Real(Some(v))
    }
}

impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(Some(v))
    }
}

impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(Some(v.to_string()))
    }
}

impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        Arg::Text(v)
    }
}

impl rusqlite::ToSql for Arg {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Arg::Int(Some(v)) => ToSqlOutput::Borrowed(ValueRef::Integer(*v)),
            Arg::Real(Some(v)) => ToSqlOutput::Borrowed(ValueRef::Real(*v)),
            Arg::Text(Some(v)) => ToSqlOutput::Borrowed(ValueRef::Text(v.as_bytes())),
            Arg::Int(None) | Arg::Real(None) | Arg::Text(None) => ToSqlOutput::Borrowed(ValueRef::Null),
        })
    }
}

/// A value read back.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

/// One result row; columns are looked up by name.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    columns: Arc<[String]>,
    values: Vec<Value>,
}

impl Row {
    pub(crate) fn new(columns: Arc<[String]>, values: Vec<Value>) -> Row {
        Row { columns, values }
    }

    pub(crate) fn get(&self, column: &str) -> StoreResult<&Value> {
        self.columns
            .iter()
            .position(|c| c == column)
            .and_then(|i| self.values.get(i))
            .ok_or_else(|| StoreError::Internal(format!("no column {column:?} in the result")))
    }

    fn first(&self) -> StoreResult<&Value> {
        self.values.first().ok_or_else(|| StoreError::Internal("a result row without columns".into()))
    }
}

/// A statement with its parameters: `query("… $1 …").bind(x).fetch_all(conn)`.
#[must_use]
pub(crate) struct Query {
    sql: Cow<'static, str>,
    args: Vec<Arg>,
}

pub(crate) fn query(sql: impl Into<Cow<'static, str>>) -> Query {
    Query { sql: sql.into(), args: Vec::new() }
}

impl Query {
    /// The same parameters under another statement (built after them).
    pub(crate) fn with_sql(self, sql: impl Into<Cow<'static, str>>) -> Self {
        Query { sql: sql.into(), ..self }
    }

    pub(crate) fn bind(mut self, arg: impl Into<Arg>) -> Self {
        self.args.push(arg.into());
        self
    }

    /// Rows changed.
    pub(crate) async fn execute(self, conn: &mut Conn<'_>) -> StoreResult<u64> {
        match conn {
            Conn::Sqlite(c) => sqlite_execute(c, &self.sql, &self.args),
            Conn::Postgres(c) => c.execute(&self.sql, &self.args).await,
        }
    }

    pub(crate) async fn fetch_all(self, conn: &mut Conn<'_>) -> StoreResult<Vec<Row>> {
        match conn {
            Conn::Sqlite(c) => sqlite_fetch(c, &self.sql, &self.args, usize::MAX),
            Conn::Postgres(c) => c.query(&self.sql, &self.args).await,
        }
    }

    pub(crate) async fn fetch_optional(self, conn: &mut Conn<'_>) -> StoreResult<Option<Row>> {
        match conn {
            Conn::Sqlite(c) => Ok(sqlite_fetch(c, &self.sql, &self.args, 1)?.pop()),
            Conn::Postgres(c) => Ok(c.query(&self.sql, &self.args).await?.into_iter().next()),
        }
    }

    /// The first column of the first row, if there is a row.
    pub(crate) async fn scalar<T: FromValue>(self, conn: &mut Conn<'_>) -> StoreResult<Option<T>> {
        self.fetch_optional(conn).await?.map(|row| T::from_value(row.first()?)).transpose()
    }

    /// Calls `each` with the first column of every row, read as text, without keeping
    /// the rows: for a read of many rows that only looks each one up.
    pub(crate) async fn each_text(self, conn: &mut Conn<'_>, mut each: impl FnMut(&str)) -> StoreResult<()> {
        match conn {
            Conn::Sqlite(c) => {
                let mut statement = sqlite_statement(c, &self.sql, &self.args)?;
                let mut rows = statement.raw_query();
                while let Some(row) = rows.next()? {
                    match row.get_ref(0)? {
                        ValueRef::Text(v) => each(&String::from_utf8_lossy(v)),
                        other => return Err(StoreError::Internal(format!("text expected, read {other:?}"))),
                    }
                }
            }
            Conn::Postgres(c) => {
                for row in c.query(&self.sql, &self.args).await? {
                    each(&String::from_value(row.first()?)?);
                }
            }
        }
        Ok(())
    }

    /// The first column of every row.
    pub(crate) async fn scalars<T: FromValue>(self, conn: &mut Conn<'_>) -> StoreResult<Vec<T>> {
        self.fetch_all(conn).await?.iter().map(|row| T::from_value(row.first()?)).collect()
    }
}

/// Runs several statements with no parameters (migrations, transaction control).
pub(crate) async fn batch(conn: &mut Conn<'_>, sql: &str) -> StoreResult<()> {
    match conn {
        Conn::Sqlite(c) => c.execute_batch(sql).map_err(StoreError::from),
        Conn::Postgres(c) => c.batch(sql).await,
    }
}

/// Reading one typed value; NULL reads as `None` for `Option<T>` and fails otherwise.
pub(crate) trait FromValue: Sized {
    fn from_value(value: &Value) -> StoreResult<Self>;
}

impl FromValue for i64 {
    fn from_value(value: &Value) -> StoreResult<Self> {
        match value {
            Value::Int(v) => Ok(*v),
            other => Err(type_error("an integer", other)),
        }
    }
}

impl FromValue for f64 {
    fn from_value(value: &Value) -> StoreResult<Self> {
        match value {
            Value::Real(v) => Ok(*v),
            Value::Int(v) => Ok(*v as f64),
            other => Err(type_error("a number", other)),
        }
    }
}

impl FromValue for String {
    fn from_value(value: &Value) -> StoreResult<Self> {
        match value {
            Value::Text(v) => Ok(v.clone()),
            other => Err(type_error("text", other)),
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: &Value) -> StoreResult<Self> {
        match value {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

fn type_error(wanted: &str, got: &Value) -> StoreError {
    StoreError::Internal(format!("expected {wanted} in a column, found {got:?}"))
}

/// SQLite numbers `?NNN` parameters; `$n` there would be a name bound in order of first use.
pub(crate) fn sqlite_text(sql: &str) -> Cow<'_, str> {
    if !sql.contains('$') {
        return Cow::Borrowed(sql);
    }
    // By the pieces between `$`s, not char by char: a series' insert has thousands of
    // parameters, and is prepared on the writer.
    let mut out = String::with_capacity(sql.len());
    for (i, piece) in sql.split('$').enumerate() {
        if i > 0 {
            out.push(if piece.starts_with(|c: char| c.is_ascii_digit()) { '?' } else { '$' });
        }
        out.push_str(piece);
    }
    Cow::Owned(out)
}

fn sqlite_statement<'c>(
    conn: &'c rusqlite::Connection,
    sql: &str,
    args: &[Arg],
) -> StoreResult<rusqlite::CachedStatement<'c>> {
    let mut statement = conn.prepare_cached(&sqlite_text(sql))?;
    for (i, arg) in args.iter().enumerate() {
        statement.raw_bind_parameter(i + 1, arg)?;
    }
    Ok(statement)
}

fn sqlite_execute(conn: &rusqlite::Connection, sql: &str, args: &[Arg]) -> StoreResult<u64> {
    let mut statement = sqlite_statement(conn, sql, args)?;
    Ok(statement.raw_execute()? as u64)
}

fn sqlite_fetch(conn: &rusqlite::Connection, sql: &str, args: &[Arg], limit: usize) -> StoreResult<Vec<Row>> {
    let mut statement = sqlite_statement(conn, sql, args)?;
    let columns: Arc<[String]> = statement.column_names().map(str::to_string).collect();
    let mut rows = statement.raw_query();
    let mut out = Vec::new();
    while out.len() < limit {
        let Some(row) = rows.next()? else { break };
        let mut values = Vec::with_capacity(columns.len());
        for i in 0..columns.len() {
            values.push(match row.get_ref(i)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(v) => Value::Int(v),
                ValueRef::Real(v) => Value::Real(v),
                ValueRef::Text(v) | ValueRef::Blob(v) => Value::Text(String::from_utf8_lossy(v).into_owned()),
            });
        }
        out.push(Row { columns: columns.clone(), values });
    }

    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::sqlite_text;

    #[test]
    fn sqlite_parameters_are_numbered() {
        assert_eq!(sqlite_text("a = $2 AND b = $10 AND c = '$x'"), "a = ?2 AND b = ?10 AND c = '$x'");
        assert_eq!(sqlite_text("no parameters"), "no parameters");
    }
}
