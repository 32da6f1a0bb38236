//! A room's slots: the overlap check, and the booking insert that checks and inserts in
//! one statement. On PostgreSQL both take the room's lock first.

use roomd_core::meeting::Meeting;
use roomd_core::time::LONGEST_MEETING_MS;
use roomd_core::{DomainError, RoomId};

use crate::StoreResult;
use crate::events::InlineEvent;
use crate::meeting_sql::{
    AFTER_MEETING, ATTENDANCE_CHUNK, ATTENDANCE_FIELDS, INSERT_ATTENDANCES, INSERT_MEETING, MEETING_FIELDS,
    attendance_values, insert_attendances, meeting_binds, param,
};
use crate::rows::int;
use crate::rows::placeholders;
use crate::sql::{Conn, query};

/// On PostgreSQL, the lock a transaction takes on a room before it checks the room's
/// slots and writes a meeting there, held until it ends (the parameters that hold the
/// company and the room). A second booking of the room waits for the first to commit,
/// and its check then sees the first. The database's overlap check (migration 25) takes
/// the same lock after any statement that writes meetings, so writes that did not take
/// it first (a bulk import, psql) are held to it too.
fn room_lock(company: &str, room: &str) -> String {
    format!("pg_advisory_xact_lock(7, hashtext(length({company})::text || ':' || {company} || {room}))")
}

/// Takes the room's lock (`room_lock`) for the rest of the transaction; SQLite's single
/// writer needs none.
pub(crate) async fn lock_room(conn: &mut Conn<'_>, company: &str, room: &RoomId) -> StoreResult<()> {
    if conn.is_postgres() {
        query(format!("SELECT 1 FROM (SELECT {}) l", room_lock("$1", "$2")))
            .bind(company)
            .bind(room.as_str())
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// 71014 when another meeting holding the room overlaps. Meetings fit in one day's
/// bookable hours, so `begin_ms > begin - LONGEST_MEETING_MS` keeps the index range short.
pub(crate) async fn check_free(conn: &mut Conn<'_>, company: &str, meeting: &Meeting) -> StoreResult<()> {
    if !meeting.occupies() {
        return Ok(());
    }
    lock_room(conn, company, &meeting.room).await?;
    let clash: Option<String> = query(
        "SELECT id FROM meetings WHERE company_id = $1 AND room_id = $2 AND begin_ms > $3 AND begin_ms < $4 \
         AND end_ms > $5 AND active = 1 AND id <> $6 LIMIT 1",
    )
    .bind(company.to_string())
    .bind(meeting.room.as_str().to_string())
    .bind(meeting.span.begin_ms() - LONGEST_MEETING_MS)
    .bind(meeting.span.end_ms())
    .bind(meeting.span.begin_ms())
    .bind(meeting.id.as_str().to_string())
    .scalar(conn)
    .await?;
    match clash {
        Some(_) => Err(DomainError::RoomOccupied.into()),
        None => Ok(()),
    }
}

/// Whether `insert_if_free` books `m` with one statement: on PostgreSQL, up to one
/// statement's worth of attendances.
pub(crate) fn books_in_one_statement(postgres: bool, attendances: usize) -> bool {
    postgres && attendances <= ATTENDANCE_CHUNK
}

/// What `insert_if_free` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Inserted {
    /// The meeting went in; `recorded` when its event did too.
    Booked { recorded: bool },
    /// Nothing went in: the directory is no longer at the guard's version.
    Stale,
}

/// Books: inserts `m` unless a meeting holding the room overlaps it (71014) — the check and
/// the insert are one statement. On PostgreSQL (see `books_in_one_statement`) that one
/// statement also inserts the attendances and `event`, each only if the meeting went in
/// (and the event only if the company is subscribed): a booking needs no transaction
/// around it. With a `directory` version (PostgreSQL's one statement only,
/// `directory_cache.rs`) it goes in only while the directory is at that version, and
/// answers `Stale` otherwise. Elsewhere `event` and `directory` must be `None`.
///
/// The check comes first even where PostgreSQL's overlap check (migration 25) would
/// refuse the overlap anyway: a refusal is then an empty insert, not an error in the
/// server's log and a dead row. That check stays the guard against two bookings racing
/// past this one; the loser of such a race (one that waited for the room's lock) is
/// refused by it.
pub(crate) async fn insert_if_free(
    conn: &mut Conn<'_>,
    company: &str,
    m: &Meeting,
    event: Option<InlineEvent>,
    directory: Option<i64>,
) -> StoreResult<Inserted> {
    let (company_no, room, begin, end) = (param("company_id"), param("room_id"), param("begin_ms"), param("end_ms"));
    // After the meeting's own parameters: how far back a meeting may begin, then the
    // directory's version.
    let (since, version) = (format!("${AFTER_MEETING}"), format!("${}", AFTER_MEETING + 1));
    let guard = match directory {
        Some(_) => format!(" AND EXISTS (SELECT 1 FROM roomd_directory WHERE version = {version})"),
        None => String::new(),
    };
    let one_statement = books_in_one_statement(conn.is_postgres(), m.attendances.len());
    // In one statement the room's lock comes from `l`, taken before any row goes in.
    let locked = if one_statement { " FROM l" } else { "" };
    let insert = format!(
        "{} SELECT {}{locked} WHERE NOT EXISTS (SELECT 1 FROM meetings WHERE company_id = {company_no} \
         AND room_id = {room} AND begin_ms > {since} AND begin_ms < {end} AND end_ms > {begin} AND active = 1){guard}",
        *INSERT_MEETING,
        placeholders(1, MEETING_FIELDS.len()),
    );
    let mut q = meeting_binds(query(""), company, m).bind(m.span.begin_ms() - LONGEST_MEETING_MS);
    if !one_statement {
        lock_room(conn, company, &m.room).await?;
        if q.with_sql(insert).execute(conn).await? == 0 {
            return Err(DomainError::RoomOccupied.into());
        }
        insert_attendances(conn, company, m).await?;
        return Ok(Inserted::Booked { recorded: false });
    }
    // The statement's snapshot is taken before the lock is: a booking that committed
    // while this one waited is not seen by the check, but the database's overlap check,
    // which reads after the lock, refuses the insert (23P01, the room is occupied).
    let mut parts = vec![
        format!("l AS MATERIALIZED (SELECT {})", room_lock(&company_no, &room)),
        format!("m AS ({insert} RETURNING 1)"),
    ];
    let (mut next, fresh) = match directory {
        Some(at) => {
            q = q.bind(at);
            (AFTER_MEETING + 2, format!("(SELECT COUNT(*) FROM roomd_directory WHERE version = {version})"))
        }
        None => (AFTER_MEETING + 1, "1".to_string()),
    };
    if !m.attendances.is_empty() {
        let (values, bound) = attendance_values(q, next, company, m, 0);
        (q, next) = (bound, next + m.attendances.len() * ATTENDANCE_FIELDS);
        parts.push(format!(
            "a AS ({INSERT_ATTENDANCES} SELECT * FROM (VALUES {values}) v WHERE EXISTS (SELECT 1 FROM m))"
        ));
    }
    let recorded = match event {
        Some(event) => {
            let (emit, bound) = crate::events::emit_within(q, next, "m", event);
            parts.push(emit);
            q = bound;
            "(SELECT COUNT(*) FROM e)"
        }
        None => "0",
    };
    let sql = format!(
        "WITH {} SELECT (SELECT COUNT(*) FROM m) AS booked, {recorded} AS recorded, {fresh} AS fresh",
        parts.join(", ")
    );
    let row = q.with_sql(sql).fetch_optional(conn).await?;
    let row = row.ok_or_else(|| crate::StoreError::Internal("a booking statement without a result".into()))?;
    match (int(&row, "booked")?, int(&row, "fresh")?) {
        (_, 0) => Ok(Inserted::Stale),
        (0, _) => Err(DomainError::RoomOccupied.into()),
        _ => Ok(Inserted::Booked { recorded: int(&row, "recorded")? == 1 }),
    }
}
