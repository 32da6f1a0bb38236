//! Meetings and attendances written many rows a statement: a series' occurrences, a
//! meeting's attendances, and the `VALUES` lists a one-statement booking
//! (`slot_sql.rs`) is made of.

use roomd_core::meeting::{Attendance, Meeting};

use crate::StoreResult;
use crate::meeting_sql::{
    ATTENDANCE_CHUNK, ATTENDANCE_FIELDS, INSERT_ATTENDANCES, INSERT_MEETING, MEETING_FIELDS, meeting_binds,
};
use crate::rows::placeholders;
use crate::sql::{Conn, query};

/// Replaces the meeting's attendances with `m.attendances`.
pub(crate) async fn save_attendances(conn: &mut Conn<'_>, company: &str, m: &Meeting) -> StoreResult<()> {
    query("DELETE FROM attendances WHERE company_id = $1 AND meeting_id = $2")
        .bind(company)
        .bind(m.id.as_str())
        .execute(conn)
        .await?;
    insert_attendances(conn, company, m).await
}

/// The attendances of a new meeting, many rows a statement.
pub(crate) async fn insert_attendances(conn: &mut Conn<'_>, company: &str, m: &Meeting) -> StoreResult<()> {
    insert_placed(conn, company, &attendances_of(std::slice::from_ref(m))).await
}

/// An attendance with its meeting and its position there: what a row of `attendances`
/// is made of.
pub(crate) type Placed<'a> = (&'a Meeting, usize, &'a Attendance);

/// Every attendance of `meetings`, in order.
pub(crate) fn attendances_of(meetings: &[Meeting]) -> Vec<Placed<'_>> {
    meetings.iter().flat_map(|m| m.attendances.iter().enumerate().map(move |(i, a)| (m, i, a))).collect()
}

/// `attendances`, many rows a statement.
async fn insert_placed(conn: &mut Conn<'_>, company: &str, attendances: &[Placed<'_>]) -> StoreResult<()> {
    for chunk in attendances.chunks(ATTENDANCE_CHUNK) {
        let (values, q) = attendance_values(query(""), 1, company, chunk);
        q.with_sql(format!("{INSERT_ATTENDANCES} VALUES {values}")).execute(conn).await?;
    }
    Ok(())
}

/// The `VALUES` rows of `meetings`, numbered from `$first`, with their parameters bound
/// after those `q` has.
pub(crate) fn meeting_values(
    q: crate::sql::Query,
    first: usize,
    company: &str,
    meetings: &[Meeting],
) -> (String, crate::sql::Query) {
    let q = meetings.iter().fold(q, |q, m| meeting_binds(q, company, m));
    (rows(first, MEETING_FIELDS.len(), meetings.len()), q)
}

/// The `VALUES` rows of `attendances`, numbered from `$first`, with their parameters
/// bound after those `q` has.
pub(crate) fn attendance_values(
    q: crate::sql::Query,
    first: usize,
    company: &str,
    attendances: &[Placed<'_>],
) -> (String, crate::sql::Query) {
    let q = attendances.iter().fold(q, |q, (m, i, a)| attendance_binds(q, company, m, *i, a));
    (rows(first, ATTENDANCE_FIELDS, attendances.len()), q)
}

/// `($first, …), (…)`: `n` rows of `width` parameters.
fn rows(first: usize, width: usize, n: usize) -> String {
    let rows: Vec<String> = (0..n).map(|r| format!("({})", placeholders(first + r * width, width))).collect();
    rows.join(", ")
}

/// Binds attendance `a` of `m` at `position`, as `INSERT_ATTENDANCES` lists its columns.
fn attendance_binds(
    q: crate::sql::Query,
    company: &str,
    m: &Meeting,
    position: usize,
    a: &Attendance,
) -> crate::sql::Query {
    q.bind(company)
        .bind(a.id.as_str())
        .bind(m.id.as_str())
        .bind(position as i64)
        .bind(a.user.as_ref().map(|u| u.as_str().to_string()))
        .bind(a.name.as_str())
        .bind(a.phone.as_str())
        .bind(a.email.as_str())
        .bind(a.face_file.clone())
        .bind(a.face_url.as_str())
        .bind(a.sign_in.as_ref().map(|s| s.kind as i64))
        .bind(a.sign_in.as_ref().map(|s| s.at_ms))
        .bind(a.sign_in.as_ref().map(|s| s.image_url.clone()).unwrap_or_default())
}

/// Meetings a statement in `insert_meetings`: 22 parameters each, under SQLite's 32,766.
const MEETING_CHUNK: usize = 1000;

/// New meetings (a series' occurrences) and their attendances, many rows a statement:
/// a series of 52 is two statements where one at a time would be 104.
pub(crate) async fn insert_meetings(conn: &mut Conn<'_>, company: &str, meetings: &[Meeting]) -> StoreResult<()> {
    for chunk in meetings.chunks(MEETING_CHUNK) {
        let (values, q) = meeting_values(query(""), 1, company, chunk);
        q.with_sql(format!("{} VALUES {values}", *INSERT_MEETING)).execute(conn).await?;
    }
    insert_placed(conn, company, &attendances_of(meetings)).await
}
