//! The meeting rows: reading a meeting with its attendances in one statement, writing
//! one, and the `meeting/list` SQL. Many rows a statement are written in
//! `meeting_rows.rs`; the overlap check and the booking insert are in `slot_sql.rs`.

use std::sync::LazyLock;

use roomd_core::meeting::{Attendance, CheckedState, Meeting, MeetingOrder, MeetingQuery, SignIn, SignType};
use roomd_core::time::{LONGEST_MEETING_MS, TimeSpan};
use roomd_core::{AttendanceId, DomainError, MeetingId, RoomId, UserId};

use crate::StoreResult;
use crate::rows::{int, opt_int, opt_text, placeholders, text, zone};
use crate::sql::{Conn, Row, query};

pub(crate) const MEETING_COLUMNS: &str = "id, room_id, speaker, subject, begin_ms, end_ms, planned_end_ms, address, \
                                          memo, booker_id, checked_state, checked_ms, cancelled_ms, finished_ms, \
                                          release_reason, created_ms, updated_ms, reason, time_zone, series_id, \
                                          recurrence, sequence";
const ATTENDANCE_COLUMNS: &str = "a.id AS attendance_id, a.user_id, a.name, a.phone, a.email, a.face_file, a.face_url, \
                                  a.sign_type, a.sign_ms, a.sign_img_url";
/// The meeting's columns, in the order `meeting_binds` binds them (`$1` the first): the
/// one list an insert, an update and the booking statement take their columns from, so
/// a new column is one edit here and one in `meeting_binds`.
pub(crate) const MEETING_FIELDS: [&str; 23] = [
    "company_id",
    "id",
    "room_id",
    "speaker",
    "subject",
    "begin_ms",
    "end_ms",
    "planned_end_ms",
    "address",
    "memo",
    "booker_id",
    "checked_state",
    "checked_ms",
    "cancelled_ms",
    "finished_ms",
    "active",
    "created_ms",
    "updated_ms",
    "reason",
    "time_zone",
    "series_id",
    "recurrence",
    "sequence",
];

/// `$n`, the parameter `meeting_binds` binds `column` to (`$0`, which no statement
/// takes, for a name not in the list).
pub(crate) fn param(column: &str) -> String {
    format!("${}", MEETING_FIELDS.iter().position(|c| *c == column).map_or(0, |i| i + 1))
}

pub(crate) static INSERT_MEETING: LazyLock<String> =
    LazyLock::new(|| format!("INSERT INTO meetings ({})", MEETING_FIELDS.join(", ")));

pub(crate) const INSERT_ATTENDANCES: &str = "INSERT INTO attendances (company_id, id, meeting_id, position, user_id, name, \
     phone, email, face_file, face_url, sign_type, sign_ms, sign_img_url)";
pub(crate) const ATTENDANCE_FIELDS: usize = 13;
/// Attendances a statement (13 parameters each, under PostgreSQL's 65,535).
pub(crate) const ATTENDANCE_CHUNK: usize = 500;

pub(crate) async fn insert_meeting(conn: &mut Conn<'_>, company: &str, m: &Meeting) -> StoreResult<()> {
    let sql = format!("{} VALUES ({})", *INSERT_MEETING, placeholders(1, MEETING_FIELDS.len()));
    meeting_binds(query(sql), company, m).execute(conn).await?;
    Ok(())
}

/// Saves `m` over its row as one more change: its `sequence` grows.
pub(crate) async fn save_meeting(conn: &mut Conn<'_>, company: &str, m: &mut Meeting) -> StoreResult<()> {
    m.sequence += 1;
    let mut set: Vec<String> = MEETING_FIELDS[2..].iter().map(|c| format!("{c} = {}", param(c))).collect();
    // A meeting moved to another start is reminded of again (the right side reads the
    // row as it was, on both backends).
    set.push(format!("reminded_ms = CASE WHEN begin_ms = {} THEN reminded_ms END", param("begin_ms")));
    let sql = format!(
        "UPDATE meetings SET {} WHERE company_id = {} AND id = {}",
        set.join(", "),
        param("company_id"),
        param("id")
    );
    meeting_binds(query(sql), company, m).execute(conn).await?;
    Ok(())
}

/// Binds `m` as `MEETING_FIELDS` lists its columns.
pub(crate) fn meeting_binds(q: crate::sql::Query, company: &str, m: &Meeting) -> crate::sql::Query {
    q.bind(company)
        .bind(m.id.as_str())
        .bind(m.room.as_str())
        .bind(m.speaker.as_str())
        .bind(m.subject.as_str())
        .bind(m.span.begin_ms())
        .bind(m.span.end_ms())
        .bind(m.planned_end_ms)
        .bind(m.address.as_str())
        .bind(m.memo.as_str())
        .bind(m.booker.as_str())
        .bind(m.checked.code())
        .bind(m.checked_ms)
        .bind(m.cancelled_ms)
        .bind(m.finished_ms)
        .bind(i64::from(m.occupies()))
        .bind(m.created_ms)
        .bind(m.updated_ms)
        .bind(m.reason.as_str())
        .bind(m.time_zone.name())
        .bind(m.series_id.as_str())
        .bind(m.recurrence.as_str())
        .bind(m.sequence)
}

/// One meeting and its attendances, in one statement (a row per attendance).
/// `load_meeting` for a unit that will change the meeting: on PostgreSQL the row is
/// locked first, so a concurrent change (a check-in, a no-show release, an early end)
/// waits for this one instead of overwriting it. SQLite's single writer needs no lock.
pub(crate) async fn load_meeting_for_update(
    conn: &mut Conn<'_>,
    company: &str,
    id: &MeetingId,
) -> StoreResult<Meeting> {
    lock_meeting(conn, company, id).await?;
    load_meeting(conn, company, id).await
}

pub(crate) async fn lock_meeting(conn: &mut Conn<'_>, company: &str, id: &MeetingId) -> StoreResult<()> {
    if conn.is_postgres() {
        query("SELECT 1 FROM meetings WHERE company_id = $1 AND id = $2 FOR UPDATE")
            .bind(company)
            .bind(id.as_str())
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// A meeting and its attendances: a row per attendance. Built once: it is on the path of
/// every `meeting/get` and every change of a meeting.
static LOAD_MEETING: LazyLock<String> =
    LazyLock::new(|| format!("{} WHERE m.company_id = $1 AND m.id = $2 ORDER BY a.position", *WITH_ATTENDANCES));

/// Meetings joined with their attendances, a row per attendance (one row with NULLs for a
/// meeting without). One statement, and a plan that looks attendances up meeting by
/// meeting: a separate `meeting_id IN (…)` lookup got a generic plan on PostgreSQL that
/// filtered all of a company's attendances while the table had no statistics yet.
static WITH_ATTENDANCES: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {}, {ATTENDANCE_COLUMNS} FROM meetings m LEFT JOIN attendances a \
         ON a.company_id = m.company_id AND a.meeting_id = m.id",
        crate::rows::qualified(MEETING_COLUMNS, "m")
    )
});

/// `WITH_ATTENDANCES` driven by the rows of `first` (a table expression), read first.
fn with_attendances_of(first: &str) -> String {
    format!(
        "SELECT {}, {ATTENDANCE_COLUMNS} FROM {first} CROSS JOIN meetings m LEFT JOIN attendances a \
         ON a.company_id = m.company_id AND a.meeting_id = m.id",
        crate::rows::qualified(MEETING_COLUMNS, "m")
    )
}

/// The ids (`id`) of the company's (`$1`) meetings the user `user` (a parameter) booked
/// or attends, each once: from `attendances_by_user` and `meetings_by_booker`.
pub(crate) fn mine(user: &str) -> String {
    format!(
        "SELECT u.meeting_id AS id FROM attendances u WHERE u.company_id = $1 AND u.user_id = {user} \
         UNION SELECT b.id FROM meetings b WHERE b.company_id = $1 AND b.booker_id = {user}"
    )
}

pub(crate) async fn load_meeting(conn: &mut Conn<'_>, company: &str, id: &MeetingId) -> StoreResult<Meeting> {
    let rows = query(LOAD_MEETING.as_str()).bind(company).bind(id.as_str()).fetch_all(conn).await?;
    meetings_from_rows(&rows)?.pop().ok_or_else(|| DomainError::MeetingNotExist.into())
}

/// Folds the rows of `WITH_ATTENDANCES` (a meeting's rows next to each other) into meetings.
pub(crate) fn meetings_from_rows(rows: &[Row]) -> StoreResult<Vec<Meeting>> {
    let mut meetings: Vec<Meeting> = Vec::new();
    for row in rows {
        let id = text(row, "id")?;
        if meetings.last().is_none_or(|m| m.id.as_str() != id) {
            meetings.push(meeting_from_row(row)?);
        }
        if opt_text(row, "attendance_id")?.is_some()
            && let Some(meeting) = meetings.last_mut()
        {
            meeting.attendances.push(attendance_from_row(row, "attendance_id")?);
        }
    }
    Ok(meetings)
}

pub(crate) enum Bind {
    Text(String),
    Int(i64),
}

/// The `meeting/list` SQL for `query`; `$1` is the company.
pub(crate) fn list_sql(query: &MeetingQuery) -> (String, Vec<Bind>) {
    let mut binds = Vec::new();
    let mut sql = match &query.user {
        // Their meetings first, then those meetings' rows: a person's meetings are few
        // beside the company's in any window (`CROSS JOIN` keeps SQLite to that order).
        Some(user) => {
            binds.push(Bind::Text(user.as_str().to_string()));
            format!(
                "{} WHERE m.company_id = $1 AND m.id = mine.id",
                with_attendances_of(&format!("({}) mine", mine("$2")))
            )
        }
        None => format!("{} WHERE m.company_id = $1", *WITH_ATTENDANCES),
    };
    let mut push = |sql: &mut String, clause: &str, bind: Bind| {
        binds.push(bind);
        sql.push_str(&clause.replace('?', &format!("${}", binds.len() + 1)));
    };
    if let Some(room) = &query.room {
        push(&mut sql, " AND m.room_id = ?", Bind::Text(room.as_str().to_string()));
    }
    if let Some(series) = &query.series {
        push(&mut sql, " AND m.series_id = ?", Bind::Text(series.clone()));
    }
    if let Some(v) = &query.speaker {
        push(&mut sql, " AND m.speaker = ?", Bind::Text(v.clone()));
    }
    if let Some(v) = &query.speaker_like {
        let escaped = v.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        // LOWER on both sides: SQLite's LIKE ignores ASCII case and PostgreSQL's does not.
        push(&mut sql, " AND LOWER(m.speaker) LIKE ? ESCAPE '\\'", Bind::Text(format!("%{}%", escaped.to_lowercase())));
    }
    if let Some(v) = query.checked {
        push(&mut sql, " AND m.checked_state = ?", Bind::Int(v.code()));
    }
    if let Some(v) = query.end_after_ms {
        push(&mut sql, " AND m.end_ms > ?", Bind::Int(v));
        // Meetings are short (`LONGEST_MEETING_MS`): bound begin_ms too, so the index range
        // stays short.
        push(&mut sql, " AND m.begin_ms > ?", Bind::Int(v - LONGEST_MEETING_MS));
    }
    if let Some(v) = query.begin_before_ms {
        push(&mut sql, " AND m.begin_ms < ?", Bind::Int(v));
    }
    if let Some(v) = query.begin_from_ms {
        push(&mut sql, " AND m.begin_ms >= ?", Bind::Int(v));
    }
    if let Some(v) = query.created_from_ms {
        push(&mut sql, " AND m.created_ms >= ?", Bind::Int(v));
    }
    if let Some(v) = query.created_to_ms {
        push(&mut sql, " AND m.created_ms <= ?", Bind::Int(v));
    }
    if !query.include_cancelled {
        sql.push_str(" AND m.cancelled_ms IS NULL");
    }
    let column = match query.order {
        MeetingOrder::BeginTime => "begin_ms",
        MeetingOrder::EndTime => "end_ms",
        MeetingOrder::CreatedTime => "created_ms",
        MeetingOrder::LastUpdateTime => "updated_ms",
    };
    let direction = if query.descending { "DESC" } else { "ASC" };
    sql.push_str(&format!(" ORDER BY m.{column} {direction}, m.id {direction}, a.position"));
    (sql, binds)
}

pub(crate) fn meeting_from_row(row: &Row) -> StoreResult<Meeting> {
    let checked = CheckedState::from_code("checked_state", int(row, "checked_state")?)?;
    Ok(Meeting {
        id: MeetingId::from_stored(text(row, "id")?),
        room: RoomId::from_stored(text(row, "room_id")?),
        speaker: text(row, "speaker")?,
        subject: text(row, "subject")?,
        span: TimeSpan::from_stored(int(row, "begin_ms")?, int(row, "end_ms")?)?,
        planned_end_ms: int(row, "planned_end_ms")?,
        address: text(row, "address")?,
        memo: text(row, "memo")?,
        booker: UserId::from_stored(text(row, "booker_id")?),
        checked,
        checked_ms: opt_int(row, "checked_ms")?,
        cancelled_ms: opt_int(row, "cancelled_ms")?,
        finished_ms: opt_int(row, "finished_ms")?,
        release_reason: opt_text(row, "release_reason")?,
        reason: text(row, "reason")?,
        time_zone: zone(row, "time_zone")?,
        series_id: text(row, "series_id")?,
        recurrence: text(row, "recurrence")?,
        created_ms: int(row, "created_ms")?,
        updated_ms: int(row, "updated_ms")?,
        sequence: int(row, "sequence")?,
        attendances: Vec::new(),
    })
}

fn attendance_from_row(row: &Row, id_column: &str) -> StoreResult<Attendance> {
    let sign_in = match (opt_int(row, "sign_type")?.and_then(SignType::from_code), opt_int(row, "sign_ms")?) {
        (Some(kind), Some(at_ms)) => Some(SignIn { kind, at_ms, image_url: text(row, "sign_img_url")? }),
        _ => None,
    };
    Ok(Attendance {
        id: AttendanceId::from_stored(text(row, id_column)?),
        user: opt_text(row, "user_id")?.map(UserId::from_stored),
        name: text(row, "name")?,
        phone: text(row, "phone")?,
        email: text(row, "email")?,
        face_file: opt_text(row, "face_file")?,
        face_url: text(row, "face_url")?,
        sign_in,
    })
}
