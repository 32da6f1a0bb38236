//! Reading typed values out of rows by column name, and the id lists the queries bind.

use crate::StoreResult;
use crate::sql::{FromValue, Row};

fn get<T: FromValue>(row: &Row, column: &str) -> StoreResult<T> {
    T::from_value(row.get(column)?).map_err(|e| crate::StoreError::Internal(format!("column {column}: {e}")))
}

pub(crate) fn text(row: &Row, column: &str) -> StoreResult<String> {
    get(row, column)
}

pub(crate) fn opt_text(row: &Row, column: &str) -> StoreResult<Option<String>> {
    get(row, column)
}

/// A time zone as roomd stores it (an IANA name it checked when it was given).
pub(crate) fn zone(row: &Row, column: &str) -> StoreResult<chrono_tz::Tz> {
    let name = text(row, column)?;
    name.parse().map_err(|_| crate::StoreError::Internal(format!("column {column}: unknown zone {name:?}")))
}

pub(crate) fn int(row: &Row, column: &str) -> StoreResult<i64> {
    get(row, column)
}

pub(crate) fn opt_int(row: &Row, column: &str) -> StoreResult<Option<i64>> {
    get(row, column)
}

pub(crate) fn float(row: &Row, column: &str) -> StoreResult<f64> {
    get(row, column)
}

pub(crate) fn flag(row: &Row, column: &str) -> StoreResult<bool> {
    int(row, column).map(|v| v != 0)
}

/// `$from, $from+1, …` for an `IN (…)` list of `n` values.
pub(crate) fn placeholders(from: usize, n: usize) -> String {
    // Into one string, each number by `itoa`: a series' insert has thousands.
    let (mut out, mut digits) = (String::with_capacity(n * 7), itoa::Buffer::new());
    for i in from..from + n {
        if i != from {
            out.push_str(", ");
        }
        out.push('$');
        out.push_str(digits.format(i));
    }
    out
}

/// `"a, b"` with `alias` `m` → `"m.a, m.b"`: a column list for a join.
pub(crate) fn qualified(columns: &str, alias: &str) -> String {
    columns.split(',').map(|c| format!("{alias}.{}", c.trim())).collect::<Vec<_>>().join(", ")
}
