//! Meetings: booking (overlap check and insert in one unit of work), update, cancel,
//! finish, and the `meeting/list` query.
//!
//! No double booking: on SQLite the check and the insert run in the single writer, so no
//! other write interleaves; on PostgreSQL the exclusion constraint `meetings_no_overlap`
//! refuses an overlapping row even when two processes pass the check at once.

use std::collections::HashMap;

use roomd_core::meeting::{
    Attendance, AttendeeDraft, Booker, BookingDraft, CheckedState, Meeting, MeetingOrder, MeetingPatch,
    MeetingQuery, SignIn, SignType, check_room_rules, meeting_text,
};
use roomd_core::time::{DAY_MS, TimeSpan};
use roomd_core::{AttendanceId, Caller, DomainError, MeetingId, RoomId, UserId};

use crate::directory::{load_user, load_users};
use crate::rooms::load_room;
use crate::rows::{int, opt_int, opt_text, placeholders, text};
use crate::{Store, StoreResult};
use crate::sql::{Conn, Row, query};

const MEETING_COLUMNS: &str = "id, room_id, speaker, subject, begin_ms, end_ms, planned_end_ms, address, memo, \
                               booker_id, checked_state, checked_ms, cancelled_ms, finished_ms, created_ms, updated_ms";

impl Store {
    pub async fn meeting(&self, caller: &Caller, id: MeetingId) -> StoreResult<Meeting> {
        let company = caller.company.as_str().to_string();
        self.read(Box::new(move |conn| Box::pin(async move { load_meeting(conn, &company, &id).await })))
            .await
    }

    pub async fn list_meetings(&self, caller: &Caller, filter: MeetingQuery) -> StoreResult<Vec<Meeting>> {
        let company = caller.company.as_str().to_string();
        self.read(Box::new(move |conn| {
            Box::pin(async move {
                let (sql, binds) = list_sql(&filter);
                let mut q = query(sql).bind(company.clone());
                for bind in binds {
                    q = match bind {
                        Bind::Text(v) => q.bind(v),
                        Bind::Int(v) => q.bind(v),
                    };
                }
                let rows = q.fetch_all(conn).await?;
                let mut meetings = rows.iter().map(meeting_from_row).collect::<StoreResult<Vec<_>>>()?;
                attach_attendances(conn, &company, &mut meetings).await?;
                Ok(meetings)
            })
        }))
        .await
    }

    pub async fn book_meeting(&self, caller: &Caller, draft: BookingDraft) -> StoreResult<Meeting> {
        let company = caller.company.as_str().to_string();
        let tz = caller.tz;
        let now = self.now_ms();
        self.write(Box::new(move |conn| {
            Box::pin(async move {
                let room = load_room(conn, &company, &draft.room).await?;
                let booker = Booker::from(&load_user(conn, &company, &draft.booker).await?);
                check_room_rules(&room, draft.span, &booker, tz, now)?;
                let id = draft.id.unwrap_or_else(MeetingId::generate);
                let taken: Option<String> = query("SELECT id FROM meetings WHERE company_id = $1 AND id = $2")
                    .bind(company.clone())
                    .bind(id.as_str().to_string())
                    .scalar(conn)
                    .await?;
                if taken.is_some() {
                    return Err(DomainError::invalid("id", "already exists").into());
                }
                let attendances = resolve_attendees(conn, &company, draft.attendees, None).await?;
                let mut meeting = Meeting {
                    id,
                    room: room.id.clone(),
                    speaker: meeting_text("speaker", &draft.speaker)?,
                    subject: meeting_text("subject", &draft.subject)?,
                    span: draft.span,
                    planned_end_ms: draft.span.end_ms(),
                    address: match draft.address {
                        Some(a) => meeting_text("address", &a)?,
                        None => room.address.clone(),
                    },
                    memo: meeting_text("memo", &draft.memo)?,
                    booker: booker.id.clone(),
                    checked: CheckedState::Pending,
                    checked_ms: None,
                    cancelled_ms: None,
                    finished_ms: None,
                    created_ms: now,
                    updated_ms: now,
                    attendances,
                };
                meeting.set_checked(CheckedState::for_booking(draft.checked, &room, booker.is_admin), now);
                check_free(conn, &company, &meeting).await?;
                save_meeting(conn, &company, &meeting, true).await?;
                save_attendances(conn, &company, &meeting).await?;
                Ok(meeting)
            })
        }))
        .await
    }

    pub async fn update_meeting(&self, caller: &Caller, id: MeetingId, patch: MeetingPatch) -> StoreResult<Meeting> {
        let company = caller.company.as_str().to_string();
        let tz = caller.tz;
        let now = self.now_ms();
        self.write(Box::new(move |conn| {
            Box::pin(async move {
                let mut meeting = load_meeting(conn, &company, &id).await?;
                meeting.check_updatable(now)?;
                let room_id = patch.room.clone().unwrap_or_else(|| meeting.room.clone());
                let room = load_room(conn, &company, &room_id).await?;
                let span = TimeSpan::new(
                    patch.begin_ms.unwrap_or(meeting.span.begin_ms()),
                    patch.end_ms.unwrap_or(meeting.span.end_ms()),
                )?;
                let moved = room.id != meeting.room || span != meeting.span;
                let booker = booker_of(conn, &company, &meeting.booker).await?;
                if moved {
                    check_room_rules(&room, span, &booker, tz, now)?;
                }
                if let Some(v) = patch.speaker {
                    meeting.speaker = meeting_text("speaker", &v)?;
                }
                if let Some(v) = patch.subject {
                    meeting.subject = meeting_text("subject", &v)?;
                }
                if let Some(v) = patch.address {
                    meeting.address = meeting_text("address", &v)?;
                }
                if let Some(v) = patch.memo {
                    meeting.memo = meeting_text("memo", &v)?;
                }
                if let Some(drafts) = patch.attendees {
                    meeting.attendances = resolve_attendees(conn, &company, drafts, Some(&meeting.attendances)).await?;
                }
                match patch.checked {
                    Some(state) => meeting.set_checked(state, now),
                    // A moved meeting in a room that needs audit goes back for approval.
                    None if moved && room.need_audit && !booker.is_admin => {
                        meeting.set_checked(CheckedState::Pending, now)
                    }
                    None => {}
                }
                meeting.room = room.id;
                meeting.planned_end_ms = if span != meeting.span { span.end_ms() } else { meeting.planned_end_ms };
                meeting.span = span;
                meeting.updated_ms = now;
                check_free(conn, &company, &meeting).await?;
                save_meeting(conn, &company, &meeting, false).await?;
                save_attendances(conn, &company, &meeting).await?;
                Ok(meeting)
            })
        }))
        .await
    }

    /// Cancels a meeting that has not started (71015 otherwise); the room is free again.
    pub async fn cancel_meeting(&self, caller: &Caller, id: MeetingId) -> StoreResult<Meeting> {
        self.change_meeting(caller, id, |m, now| m.cancel(now)).await
    }

    /// Ends a meeting in progress now (71015 otherwise); the rest of the slot is freed.
    pub async fn finish_meeting(&self, caller: &Caller, id: MeetingId) -> StoreResult<Meeting> {
        self.change_meeting(caller, id, |m, now| m.finish(now)).await
    }

    async fn change_meeting(
        &self,
        caller: &Caller,
        id: MeetingId,
        change: fn(&mut Meeting, i64) -> roomd_core::DomainResult<()>,
    ) -> StoreResult<Meeting> {
        let company = caller.company.as_str().to_string();
        let now = self.now_ms();
        self.write(Box::new(move |conn| {
            Box::pin(async move {
                let mut meeting = load_meeting(conn, &company, &id).await?;
                change(&mut meeting, now)?;
                save_meeting(conn, &company, &meeting, false).await?;
                Ok(meeting)
            })
        }))
        .await
    }
}

/// 71014 when another meeting holding the room overlaps. Meetings fit in one day's
/// bookable hours, so `begin_ms > begin - DAY_MS` keeps the index range short.
async fn check_free(conn: &mut Conn<'_>, company: &str, meeting: &Meeting) -> StoreResult<()> {
    if !meeting.occupies() {
        return Ok(());
    }
    let clash: Option<String> = query(
        "SELECT id FROM meetings WHERE company_id = $1 AND room_id = $2 AND begin_ms > $3 AND begin_ms < $4 \
         AND end_ms > $5 AND active = 1 AND id <> $6 LIMIT 1",
    )
    .bind(company.to_string())
    .bind(meeting.room.as_str().to_string())
    .bind(meeting.span.begin_ms() - DAY_MS)
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

/// A booker for the rules, even one removed since they booked (then no admin).
async fn booker_of(conn: &mut Conn<'_>, company: &str, id: &UserId) -> StoreResult<Booker> {
    let admin: Option<i64> =
        query("SELECT is_admin FROM users WHERE company_id = $1 AND id = $2 AND removed_ms IS NULL")
            .bind(company.to_string())
            .bind(id.as_str().to_string())
            .scalar(conn)
            .await?;
    Ok(Booker { id: id.clone(), is_admin: admin == Some(1) })
}

/// Turns drafts into attendances: users must exist (71009); an `id` must name one of
/// `current` when updating (71013); an attendee already present keeps its id and sign-in.
async fn resolve_attendees(
    conn: &mut Conn<'_>,
    company: &str,
    drafts: Vec<AttendeeDraft>,
    current: Option<&[Attendance]>,
) -> StoreResult<Vec<Attendance>> {
    let updating = current.is_some();
    let current = current.unwrap_or_default();
    let ids: Vec<UserId> = drafts.iter().filter_map(|d| d.user.clone()).collect();
    let users: HashMap<UserId, _> = load_users(conn, company, &ids).await?.into_iter().map(|u| (u.id.clone(), u)).collect();
    let mut out: Vec<Attendance> = Vec::with_capacity(drafts.len());
    for draft in drafts {
        let user = match &draft.user {
            Some(id) => Some(users.get(id).ok_or(DomainError::UserNotExist)?),
            None => None,
        };
        let keep = match &draft.id {
            Some(id) if !updating => {
                // A new booking may name its attendance ids, but not twice.
                if out.iter().any(|a| &a.id == id) {
                    return Err(DomainError::invalid("attendances.id", "repeated").into());
                }
                None
            }
            Some(id) => Some(current.iter().find(|a| &a.id == id).ok_or(DomainError::AttendanceNotExist)?),
            None => current.iter().find(|a| a.user.is_some() && a.user == draft.user),
        };
        let attendance = Attendance::from_draft(draft, user, keep)?;
        if attendance.user.is_some() && out.iter().any(|a| a.user == attendance.user) {
            continue; // the same user listed twice attends once
        }
        out.push(attendance);
    }
    Ok(out)
}

pub(crate) async fn save_meeting(conn: &mut Conn<'_>, company: &str, m: &Meeting, insert: bool) -> StoreResult<()> {
    let sql = if insert {
        "INSERT INTO meetings (company_id, id, room_id, speaker, subject, begin_ms, end_ms, planned_end_ms, address, \
         memo, booker_id, checked_state, checked_ms, cancelled_ms, finished_ms, active, created_ms, updated_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"
    } else {
        "UPDATE meetings SET room_id = $3, speaker = $4, subject = $5, begin_ms = $6, end_ms = $7, planned_end_ms = $8, \
         address = $9, memo = $10, booker_id = $11, checked_state = $12, checked_ms = $13, cancelled_ms = $14, \
         finished_ms = $15, active = $16, created_ms = $17, updated_ms = $18 WHERE company_id = $1 AND id = $2"
    };
    query(sql)
        .bind(company.to_string())
        .bind(m.id.as_str().to_string())
        .bind(m.room.as_str().to_string())
        .bind(m.speaker.clone())
        .bind(m.subject.clone())
        .bind(m.span.begin_ms())
        .bind(m.span.end_ms())
        .bind(m.planned_end_ms)
        .bind(m.address.clone())
        .bind(m.memo.clone())
        .bind(m.booker.as_str().to_string())
        .bind(m.checked.code())
        .bind(m.checked_ms)
        .bind(m.cancelled_ms)
        .bind(m.finished_ms)
        .bind(i64::from(m.occupies()))
        .bind(m.created_ms)
        .bind(m.updated_ms)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn save_attendances(conn: &mut Conn<'_>, company: &str, m: &Meeting) -> StoreResult<()> {
    query("DELETE FROM attendances WHERE company_id = $1 AND meeting_id = $2")
        .bind(company.to_string())
        .bind(m.id.as_str().to_string())
        .execute(conn)
        .await?;
    for (position, a) in m.attendances.iter().enumerate() {
        query(
            "INSERT INTO attendances (company_id, id, meeting_id, position, user_id, name, phone, email, face_file, \
             face_url, sign_type, sign_ms, sign_img_url) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(company.to_string())
        .bind(a.id.as_str().to_string())
        .bind(m.id.as_str().to_string())
        .bind(position as i64)
        .bind(a.user.as_ref().map(|u| u.as_str().to_string()))
        .bind(a.name.clone())
        .bind(a.phone.clone())
        .bind(a.email.clone())
        .bind(a.face_file.clone())
        .bind(a.face_url.clone())
        .bind(a.sign_in.as_ref().map(|s| s.kind as i64))
        .bind(a.sign_in.as_ref().map(|s| s.at_ms))
        .bind(a.sign_in.as_ref().map(|s| s.image_url.clone()).unwrap_or_default())
        .execute(conn)
        .await?;
    }
    Ok(())
}

pub(crate) async fn load_meeting(conn: &mut Conn<'_>, company: &str, id: &MeetingId) -> StoreResult<Meeting> {
    let sql = format!("SELECT {MEETING_COLUMNS} FROM meetings WHERE company_id = $1 AND id = $2");
    let row = query(sql)
        .bind(company.to_string())
        .bind(id.as_str().to_string())
        .fetch_optional(conn)
        .await?;
    let Some(row) = row else { return Err(DomainError::MeetingNotExist.into()) };
    let mut meetings = vec![meeting_from_row(&row)?];
    attach_attendances(conn, company, &mut meetings).await?;
    meetings.pop().ok_or(DomainError::MeetingNotExist.into())
}

async fn attach_attendances(conn: &mut Conn<'_>, company: &str, meetings: &mut [Meeting]) -> StoreResult<()> {
    let mut by_meeting: HashMap<String, Vec<Attendance>> = HashMap::new();
    for chunk in meetings.chunks(500) {
        let sql = format!(
            "SELECT meeting_id, id, user_id, name, phone, email, face_file, face_url, sign_type, sign_ms, sign_img_url \
             FROM attendances WHERE company_id = $1 AND meeting_id IN ({}) ORDER BY meeting_id, position",
            placeholders(2, chunk.len())
        );
        let mut q = query(sql).bind(company.to_string());
        for m in chunk {
            q = q.bind(m.id.as_str().to_string());
        }
        for row in q.fetch_all(conn).await? {
            by_meeting.entry(text(&row, "meeting_id")?).or_default().push(attendance_from_row(&row)?);
        }
    }
    for m in meetings {
        m.attendances = by_meeting.remove(m.id.as_str()).unwrap_or_default();
    }
    Ok(())
}

enum Bind {
    Text(String),
    Int(i64),
}

/// The `meeting/list` SQL for `query`; `$1` is the company.
fn list_sql(query: &MeetingQuery) -> (String, Vec<Bind>) {
    let mut sql = format!("SELECT {MEETING_COLUMNS} FROM meetings WHERE company_id = $1");
    let mut binds = Vec::new();
    let mut push = |sql: &mut String, clause: &str, bind: Bind| {
        binds.push(bind);
        sql.push_str(&clause.replace('?', &format!("${}", binds.len() + 1)));
    };
    if let Some(room) = &query.room {
        push(&mut sql, " AND room_id = ?", Bind::Text(room.as_str().to_string()));
    }
    if let Some(v) = &query.speaker {
        push(&mut sql, " AND speaker = ?", Bind::Text(v.clone()));
    }
    if let Some(v) = &query.speaker_like {
        let escaped = v.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        // LOWER on both sides: SQLite's LIKE ignores ASCII case and PostgreSQL's does not.
        push(&mut sql, " AND LOWER(speaker) LIKE ? ESCAPE '\\'", Bind::Text(format!("%{}%", escaped.to_lowercase())));
    }
    if let Some(v) = query.checked {
        push(&mut sql, " AND checked_state = ?", Bind::Int(v.code()));
    }
    if let Some(v) = query.end_after_ms {
        push(&mut sql, " AND end_ms > ?", Bind::Int(v));
        // Meetings last at most a day: bound begin_ms too, so the index range stays short.
        push(&mut sql, " AND begin_ms > ?", Bind::Int(v - DAY_MS));
    }
    if let Some(v) = query.begin_before_ms {
        push(&mut sql, " AND begin_ms < ?", Bind::Int(v));
    }
    if let Some(v) = query.begin_from_ms {
        push(&mut sql, " AND begin_ms >= ?", Bind::Int(v));
    }
    if let Some(v) = query.created_from_ms {
        push(&mut sql, " AND created_ms >= ?", Bind::Int(v));
    }
    if let Some(v) = query.created_to_ms {
        push(&mut sql, " AND created_ms <= ?", Bind::Int(v));
    }
    if !query.include_cancelled {
        sql.push_str(" AND cancelled_ms IS NULL");
    }
    let column = match query.order {
        MeetingOrder::BeginTime => "begin_ms",
        MeetingOrder::EndTime => "end_ms",
        MeetingOrder::CreatedTime => "created_ms",
        MeetingOrder::LastUpdateTime => "updated_ms",
    };
    let direction = if query.descending { "DESC" } else { "ASC" };
    sql.push_str(&format!(" ORDER BY {column} {direction}, id {direction}"));
    (sql, binds)
}

fn meeting_from_row(row: &Row) -> StoreResult<Meeting> {
    let checked = CheckedState::from_code("checked_state", int(row, "checked_state")?)?;
    Ok(Meeting {
        id: MeetingId::from_stored(text(row, "id")?),
        room: RoomId::from_stored(text(row, "room_id")?),
        speaker: text(row, "speaker")?,
        subject: text(row, "subject")?,
        span: TimeSpan::new(int(row, "begin_ms")?, int(row, "end_ms")?)?,
        planned_end_ms: int(row, "planned_end_ms")?,
        address: text(row, "address")?,
        memo: text(row, "memo")?,
        booker: UserId::from_stored(text(row, "booker_id")?),
        checked,
        checked_ms: opt_int(row, "checked_ms")?,
        cancelled_ms: opt_int(row, "cancelled_ms")?,
        finished_ms: opt_int(row, "finished_ms")?,
        created_ms: int(row, "created_ms")?,
        updated_ms: int(row, "updated_ms")?,
        attendances: Vec::new(),
    })
}

fn attendance_from_row(row: &Row) -> StoreResult<Attendance> {
    let sign_in = match (opt_int(row, "sign_type")?.and_then(SignType::from_code), opt_int(row, "sign_ms")?) {
        (Some(kind), Some(at_ms)) => Some(SignIn { kind, at_ms, image_url: text(row, "sign_img_url")? }),
        _ => None,
    };
    Ok(Attendance {
        id: AttendanceId::from_stored(text(row, "id")?),
        user: opt_text(row, "user_id")?.map(UserId::from_stored),
        name: text(row, "name")?,
        phone: text(row, "phone")?,
        email: text(row, "email")?,
        face_file: opt_text(row, "face_file")?,
        face_url: text(row, "face_url")?,
        sign_in,
    })
}
