//! Meetings: update, cancel, finish, sign-in, and the `meeting/list` query (booking is
//! in `booking.rs`).
//!
//! No double booking: on SQLite the check and the insert run in the single writer, so no
//! other write interleaves; on PostgreSQL the overlap check `meetings_no_overlap`
//! (migration 25) refuses an overlapping row even when two processes pass the check at
//! once.

use std::collections::HashMap;

use roomd_core::directory::User;
use roomd_core::event::Change;
use roomd_core::meeting::{
    Attendance, AttendeeDraft, Booker, CheckedState, Meeting, MeetingPatch, MeetingQuery, check_room_rules,
    meeting_text,
};
use roomd_core::time::TimeSpan;
use roomd_core::{Caller, DomainError, MeetingId, UserId};

use crate::db::work;
use crate::directory::load_users;
use crate::events::emit;
use crate::mail::{record_dropped, record_mail};
use crate::meeting_rows::save_attendances;
use crate::meeting_sql::{Bind, list_sql, load_meeting, load_meeting_for_update, meetings_from_rows, save_meeting};
use crate::rooms::load_room;
use crate::slot_sql::check_free;
use crate::sql::{Conn, query};
use crate::{Store, StoreResult};

impl Store {
    pub async fn meeting(&self, caller: &Caller, id: MeetingId) -> StoreResult<Meeting> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| load_meeting(conn, &company, &id).await)).await
    }

    pub async fn list_meetings(&self, caller: &Caller, filter: MeetingQuery) -> StoreResult<Vec<Meeting>> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| list_meetings(conn, &company, &filter).await)).await
    }

    pub async fn update_meeting(&self, caller: &Caller, id: MeetingId, patch: MeetingPatch) -> StoreResult<Meeting> {
        if let Some(attendees) = &patch.attendees {
            roomd_core::meeting::check_attendee_count(attendees.len())?;
        }
        if patch.checked.is_some() {
            caller.check_may_approve()?;
        }
        let company = caller.company.as_str().to_string();
        let now = self.now_ms();
        let (events, mail) = (self.event_render(), self.mail_render());
        let caller = caller.clone();
        self.write_keeping_directory(work!(|conn| {
            let mut meeting = load_meeting_for_update(conn, &company, &id).await?;
            caller.check_acts_for(&meeting.booker)?;
            let (was, before) = (meeting.checked, meeting.attendances.clone());
            meeting.check_updatable(now)?;
            // New times are held to the clients' range; times left alone stay as stored.
            let span = match (patch.begin_ms, patch.end_ms) {
                (None, None) => meeting.span,
                (begin, end) => {
                    TimeSpan::new(begin.unwrap_or(meeting.span.begin_ms()), end.unwrap_or(meeting.span.end_ms()))?
                }
            };
            revise(conn, &company, &mut meeting, &patch, span, now).await?;
            check_free(conn, &company, &meeting).await?;
            save_meeting(conn, &company, &mut meeting).await?;
            save_attendances(conn, &company, &meeting).await?;
            emit(conn, &events, &company, now, || Change::MeetingUpdated(meeting.clone())).await?;
            record_mail(conn, &mail, &company, now, Some(was), std::slice::from_ref(&meeting)).await?;
            record_dropped(conn, &mail, &company, now, &before, std::slice::from_ref(&meeting)).await?;
            Ok(meeting)
        }))
        .await
    }

    /// Cancels a meeting that has not started (71015 otherwise); the room is free again.
    pub async fn cancel_meeting(&self, caller: &Caller, id: MeetingId) -> StoreResult<Meeting> {
        self.change_meeting(caller, id, |m, now| m.cancel(now), |m| Change::MeetingCancelled(m.id.clone())).await
    }

    /// Ends a meeting in progress now (71015 otherwise); the rest of the slot is freed.
    pub async fn finish_meeting(&self, caller: &Caller, id: MeetingId) -> StoreResult<Meeting> {
        self.change_meeting(caller, id, |m, now| m.finish(now), |m| Change::MeetingUpdated(m.clone())).await
    }

    /// Checks an attendee in (`signType` 1 face, 2 QR, 3 photo, 4 SMS) and records
    /// `book_update`. See `Meeting::sign_in` for the rules.
    pub async fn sign_in_meeting(
        &self,
        caller: &Caller,
        id: MeetingId,
        target: roomd_core::meeting::SignTarget,
        kind: roomd_core::meeting::SignType,
        image_url: String,
    ) -> StoreResult<Meeting> {
        let company = caller.company.as_str().to_string();
        let now = self.now_ms();
        let events = self.event_render();
        self.write_keeping_directory(work!(|conn| {
            let mut meeting = load_meeting_for_update(conn, &company, &id).await?;
            let sign = roomd_core::meeting::SignIn { kind, at_ms: now, image_url };
            let attendance = meeting.sign_in(&target, sign, now)?;
            let Some(signed) = meeting.attendances.iter().find(|a| a.id == attendance).and_then(|a| a.sign_in.clone())
            else {
                return Err(crate::StoreError::Internal("sign-in not recorded".into()));
            };
            query(
                "UPDATE attendances SET sign_type = $3, sign_ms = $4, sign_img_url = $5 WHERE company_id = $1 AND id = $2",
            )
            .bind(company.as_str())
            .bind(attendance.as_str())
            .bind(signed.kind as i64)
            .bind(signed.at_ms)
            .bind(signed.image_url.clone())
            .execute(conn)
            .await?;
            emit(conn, &events, &company, now, || Change::MeetingUpdated(meeting.clone())).await?;
            Ok(meeting)
        }))
        .await
    }

    async fn change_meeting(
        &self,
        caller: &Caller,
        id: MeetingId,
        change: fn(&mut Meeting, i64) -> roomd_core::DomainResult<()>,
        event: fn(&Meeting) -> Change,
    ) -> StoreResult<Meeting> {
        let company = caller.company.as_str().to_string();
        let now = self.now_ms();
        let (events, mail) = (self.event_render(), self.mail_render());
        let caller = caller.clone();
        self.write_keeping_directory(work!(|conn| {
            let mut meeting = load_meeting_for_update(conn, &company, &id).await?;
            caller.check_acts_for(&meeting.booker)?;
            let was = meeting.checked;
            change(&mut meeting, now)?;
            save_meeting(conn, &company, &mut meeting).await?;
            emit(conn, &events, &company, now, || event(&meeting)).await?;
            record_mail(conn, &mail, &company, now, Some(was), std::slice::from_ref(&meeting)).await?;
            Ok(meeting)
        }))
        .await
    }
}

/// `patch` applied to `meeting`, moved to `span`: the room's rules when it moves (and
/// back to approval in an audited room), the texts checked, the attendees resolved.
/// Not checked against other meetings, not saved.
pub(crate) async fn revise(
    conn: &mut Conn<'_>,
    company: &str,
    meeting: &mut Meeting,
    patch: &MeetingPatch,
    span: TimeSpan,
    now: i64,
) -> StoreResult<()> {
    let room_id = patch.room.clone().unwrap_or_else(|| meeting.room.clone());
    let room = load_room(conn, company, &room_id).await?;
    let moved = room.id != meeting.room || span != meeting.span;
    let booker = booker_of(conn, company, &meeting.booker).await?;
    if moved {
        check_room_rules(&room, span, &booker, now)?;
        meeting.time_zone = room.time_zone;
    }
    if let Some(v) = &patch.speaker {
        meeting.speaker = meeting_text("speaker", v)?;
    }
    if let Some(v) = &patch.subject {
        meeting.subject = meeting_text("subject", v)?;
    }
    if let Some(v) = &patch.address {
        meeting.address = meeting_text("address", v)?;
    }
    if let Some(v) = &patch.memo {
        meeting.memo = meeting_text("memo", v)?;
    }
    if let Some(drafts) = &patch.attendees {
        let wanted: Vec<UserId> = drafts.iter().filter_map(|d| d.user.clone()).collect();
        let users = users_by_id(conn, company, &wanted).await?;
        meeting.attendances = resolve_attendees(&users, drafts.clone(), Some(&meeting.attendances))?;
    }
    if let (Some(CheckedState::Rejected), Some(reason)) = (patch.checked, &patch.reason) {
        meeting.reason = roomd_core::meeting::reason_text(reason)?;
    }
    match patch.checked {
        Some(state) => meeting.set_checked(state, now),
        // A moved meeting in a room that needs audit goes back for approval.
        None if moved && room.need_audit && !booker.is_admin => meeting.set_checked(CheckedState::Pending, now),
        None => {}
    }
    meeting.room = room.id;
    meeting.planned_end_ms = if span != meeting.span { span.end_ms() } else { meeting.planned_end_ms };
    meeting.span = span;
    meeting.updated_ms = now;
    Ok(())
}

/// A booker for the rules, even one removed since they booked (then neither admin nor
/// enabled: a moved meeting of theirs is refused).
async fn booker_of(conn: &mut Conn<'_>, company: &str, id: &UserId) -> StoreResult<Booker> {
    let row = query("SELECT is_admin, enabled FROM users WHERE company_id = $1 AND id = $2 AND removed_ms IS NULL")
        .bind(company)
        .bind(id.as_str())
        .fetch_optional(conn)
        .await?;
    let (is_admin, enabled) = match row {
        Some(row) => (crate::rows::flag(&row, "is_admin")?, crate::rows::flag(&row, "enabled")?),
        None => (false, false),
    };
    Ok(Booker { id: id.clone(), is_admin, enabled })
}

/// Turns drafts into attendances: users must exist (71009); an `id` must name one of
/// `current` when updating (71013); an attendee already present keeps its id and sign-in.
pub(crate) fn resolve_attendees(
    users: &HashMap<UserId, User>,
    drafts: Vec<AttendeeDraft>,
    current: Option<&[Attendance]>,
) -> StoreResult<Vec<Attendance>> {
    let updating = current.is_some();
    let current = current.unwrap_or_default();
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

/// The live users among `ids`, by id.
pub(crate) async fn users_by_id(
    conn: &mut Conn<'_>,
    company: &str,
    ids: &[UserId],
) -> StoreResult<HashMap<UserId, User>> {
    Ok(load_users(conn, company, ids).await?.into_iter().map(|u| (u.id.clone(), u)).collect())
}

/// The company's meetings that `filter` keeps (`meeting/list`).
pub(crate) async fn list_meetings(
    conn: &mut Conn<'_>,
    company: &str,
    filter: &MeetingQuery,
) -> StoreResult<Vec<Meeting>> {
    let (sql, binds) = list_sql(filter);
    let mut q = query(sql).bind(company);
    for bind in binds {
        q = match bind {
            Bind::Text(v) => q.bind(v),
            Bind::Int(v) => q.bind(v),
        };
    }
    let rows = q.fetch_all(conn).await?;
    meetings_from_rows(&rows)
}
