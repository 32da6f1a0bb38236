//! Reading typed values out of `Any` rows, and the id lists the queries bind.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{StoreError, StoreResult};

pub(crate) fn text(row: &AnyRow, column: &str) -> StoreResult<String> {
    row.try_get::<String, _>(column).map_err(column_error)
}

pub(crate) fn opt_text(row: &AnyRow, column: &str) -> StoreResult<Option<String>> {
    row.try_get::<Option<String>, _>(column).map_err(column_error)
}

pub(crate) fn int(row: &AnyRow, column: &str) -> StoreResult<i64> {
    row.try_get::<i64, _>(column).map_err(column_error)
}

pub(crate) fn opt_int(row: &AnyRow, column: &str) -> StoreResult<Option<i64>> {
    row.try_get::<Option<i64>, _>(column).map_err(column_error)
}

pub(crate) fn float(row: &AnyRow, column: &str) -> StoreResult<f64> {
    row.try_get::<f64, _>(column).map_err(column_error)
}

pub(crate) fn flag(row: &AnyRow, column: &str) -> StoreResult<bool> {
    int(row, column).map(|v| v != 0)
}

fn column_error(e: sqlx::Error) -> StoreError {
    StoreError::Internal(format!("reading a column: {e}"))
}

/// `$from, $from+1, …` for an `IN (…)` list of `n` values.
pub(crate) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}
