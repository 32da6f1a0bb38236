//! A room's slots: the overlap check, and the booking insert that checks and inserts in
//! one statement. On PostgreSQL both take the room's lock first.

use roomd_core::meeting::Meeting;
use roomd_core::time::LONGEST_MEETING_MS;
use roomd_core::{DomainError, RoomId};

use crate::StoreResult;
use crate::events::{Inline, InlineEvent, SUBSCRIBED};
use crate::meeting_rows::{attendance_values, attendances_of, insert_attendances, meeting_values};
use crate::meeting_sql::{ATTENDANCE_FIELDS, INSERT_ATTENDANCES, INSERT_MEETING, MEETING_FIELDS, meeting_binds, param};
use crate::rows::placeholders;
use crate::rows::{flag, int};
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

/// Whether `insert_in_one_statement` takes `meetings` meetings and `attendances`
/// attendances in all: on PostgreSQL, within a statement's 65,535 parameters.
pub(crate) fn books_in_one_statement(postgres: bool, meetings: usize, attendances: usize) -> bool {
    postgres && meetings * MEETING_FIELDS.len() + attendances * ATTENDANCE_FIELDS + 5 <= usize::from(u16::MAX)
}

/// What a booking insert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Inserted {
    /// The meetings went in; `recorded` when their event did too.
    Booked { recorded: bool },
    /// Nothing went in: the directory is no longer at the guard's version.
    Stale,
    /// Nothing went in: the company is subscribed, and the event was not rendered.
    Unrendered,
}

/// Books: inserts `m` unless a meeting holding the room overlaps it (71014), the check
/// and the insert in one statement. On PostgreSQL (see `books_in_one_statement`) that is
/// `insert_in_one_statement`, attendances, event and all. Elsewhere (SQLite, or more
/// attendances than a statement takes) the room's lock, then the insert, then the
/// attendances; `event` and `directory` must be `None` there.
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
    if books_in_one_statement(conn.is_postgres(), 1, m.attendances.len()) {
        let event = event.map_or(Inline::Off, Inline::Rendered);
        return insert_in_one_statement(conn, company, std::slice::from_ref(m), true, event, directory).await;
    }
    let insert = format!(
        "{} SELECT {} WHERE NOT EXISTS (SELECT 1 FROM meetings WHERE company_id = {} AND room_id = {} \
         AND begin_ms > {} - {LONGEST_MEETING_MS} AND begin_ms < {} AND end_ms > {} AND active = 1)",
        *INSERT_MEETING,
        placeholders(1, MEETING_FIELDS.len()),
        param("company_id"),
        param("room_id"),
        param("begin_ms"),
        param("end_ms"),
        param("begin_ms"),
    );
    lock_room(conn, company, &m.room).await?;
    if meeting_binds(query(insert), company, m).execute(conn).await? == 0 {
        return Err(DomainError::RoomOccupied.into());
    }
    insert_attendances(conn, company, m).await?;
    Ok(Inserted::Booked { recorded: false })
}

/// Books `meetings` of one room (a booking, or a series' occurrences) in one PostgreSQL
/// statement, which needs no transaction around it: the room's lock, the meetings, their
/// attendances, and `event` if the company is subscribed, each only if the meetings went
/// in. With a `directory` version (`directory_cache.rs`) they go in only while the
/// directory is at it, else nothing does and the answer is `Stale`; an event
/// `Unrendered` lets them in only while the company is not subscribed, else the answer
/// is `Unrendered`.
///
/// `check_free` (one meeting only: the check is a row's) leaves the meeting out if a
/// meeting holding the room overlaps it (71014). Without it the database's own check
/// refuses an overlap, the whole statement with it (23P01, also 71014): a probe of the
/// room's index an occurrence cheaper, at the price of an error in the server's log.
/// The statement's snapshot is taken before the lock is, so `check_free` does not see a
/// booking that committed while this one waited; the database's check, which reads
/// after the lock, refuses the insert then.
pub(crate) async fn insert_in_one_statement(
    conn: &mut Conn<'_>,
    company: &str,
    meetings: &[Meeting],
    check_free: bool,
    event: Inline,
    directory: Option<i64>,
) -> StoreResult<Inserted> {
    let (rows, mut q) = meeting_values(query(""), 1, company, meetings);
    let mut next = 1 + meetings.len() * MEETING_FIELDS.len();
    let mut only_if = Vec::new();
    if check_free {
        only_if.push(format!(
            "NOT EXISTS (SELECT 1 FROM meetings o WHERE o.company_id = v.company_id AND o.room_id = v.room_id \
             AND o.begin_ms > v.begin_ms - {LONGEST_MEETING_MS} AND o.begin_ms < v.end_ms AND o.end_ms > v.begin_ms \
             AND o.active = 1)"
        ));
    }
    let fresh = match directory {
        Some(at) => {
            let version = format!("(SELECT COUNT(*) FROM roomd_directory WHERE version = ${next})");
            (q, next) = (q.bind(at), next + 1);
            only_if.push(format!("{version} = 1"));
            version
        }
        None => "1".to_string(),
    };
    let subscribed = match event {
        Inline::Unrendered => {
            only_if.push(format!("NOT {SUBSCRIBED}"));
            format!("({SUBSCRIBED})::INT")
        }
        _ => "0".to_string(),
    };
    let only_if = match only_if.is_empty() {
        true => String::new(),
        false => format!(" WHERE {}", only_if.join(" AND ")),
    };
    // The room's lock from `l`, taken before any row goes in; the meetings are one room's.
    let mut parts = vec![
        format!("l AS MATERIALIZED (SELECT {})", room_lock("$1", &param("room_id"))),
        format!(
            "m AS ({} SELECT v.* FROM l, (VALUES {rows}) v ({}){only_if} RETURNING 1)",
            *INSERT_MEETING,
            MEETING_FIELDS.join(", ")
        ),
    ];
    let attendances = attendances_of(meetings);
    if !attendances.is_empty() {
        let (values, bound) = attendance_values(q, next, company, &attendances);
        (q, next) = (bound, next + attendances.len() * ATTENDANCE_FIELDS);
        parts.push(format!(
            "a AS ({INSERT_ATTENDANCES} SELECT * FROM (VALUES {values}) v WHERE EXISTS (SELECT 1 FROM m))"
        ));
    }
    let recorded = match event {
        Inline::Rendered(event) => {
            let (emit, bound) = crate::events::emit_within(q, next, "m", event);
            parts.push(emit);
            q = bound;
            "(SELECT COUNT(*) FROM e)"
        }
        Inline::Off | Inline::Unrendered => "0",
    };
    let sql = format!(
        "WITH {} SELECT (SELECT COUNT(*) FROM m) AS booked, {recorded} AS recorded, {fresh} AS fresh, \
         {subscribed} AS subscribed",
        parts.join(", ")
    );
    let row = q.with_sql(sql).fetch_optional(conn).await?;
    let row = row.ok_or_else(|| crate::StoreError::Internal("a booking statement without a result".into()))?;
    match (int(&row, "booked")?, int(&row, "fresh")?, flag(&row, "subscribed")?) {
        (_, 0, _) => Ok(Inserted::Stale),
        (0, _, true) => Ok(Inserted::Unrendered),
        (0, _, false) => Err(DomainError::RoomOccupied.into()),
        _ => Ok(Inserted::Booked { recorded: int(&row, "recorded")? == 1 }),
    }
}
