//! A series changed or cancelled from one of its occurrences (docs/wire-compat.md
//! "Series"): `scope` reaches the named occurrence alone, it and the later ones, or all
//! of them. Occurrences that have begun, ended or are cancelled are never touched. An
//! update moves every occurrence in scope as the named one moves, in wall-clock time of
//! its zone, and is all or nothing; a new rule cancels those in scope and books the new
//! series from the named occurrence's time. One event for the whole change.

use roomd_core::event::Change;
use roomd_core::meeting::{AttendeeDraft, BookingDraft, Meeting, MeetingPatch, MeetingQuery, Scope, reason_text};
use roomd_core::recurrence::{Recurrence, move_in_wall_clock};
use roomd_core::time::TimeSpan;
use roomd_core::{Caller, DomainError, MeetingId};

use super::series::{SeriesBooked, busy, in_the_way, insert_series, plan};
use crate::db::work;
use crate::events::emit;
use crate::mail::{record_dropped, record_mail};
use crate::meeting_rows::save_attendances;
use crate::meeting_sql::{load_meeting_for_update, save_meeting};
use crate::meetings::{list_meetings, revise};
use crate::slot_sql::lock_room;
use crate::sql::Conn;
use crate::{Store, StoreResult};

/// What a scoped update did: the occurrences changed (the named one first), or, with a
/// new rule, the new series booked.
#[derive(Debug, Clone)]
pub enum SeriesChange {
    Changed(Vec<Meeting>),
    Replaced(SeriesBooked),
}

impl Store {
    /// Applies `patch` to the occurrence `id` and the others `scope` reaches; with `rule`
    /// (scope `following` or `all`) those are cancelled and the rule is booked anew.
    pub async fn update_in_scope(
        &self,
        caller: &Caller,
        id: MeetingId,
        patch: MeetingPatch,
        scope: Scope,
        rule: Option<(Recurrence, bool)>,
    ) -> StoreResult<SeriesChange> {
        if let Some(attendees) = &patch.attendees {
            roomd_core::meeting::check_attendee_count(attendees.len())?;
        }
        if patch.checked.is_some() {
            caller.check_may_approve()?;
        }
        let b = self.booking(caller);
        let caller = caller.clone();
        self.write_keeping_directory(work!(|conn| {
            let named = load_meeting_for_update(conn, &b.company, &id).await?;
            caller.check_acts_for(&named.booker)?;
            named.check_updatable(b.now)?;
            let new_span = match (patch.begin_ms, patch.end_ms) {
                (None, None) => named.span,
                (begin, end) => {
                    TimeSpan::new(begin.unwrap_or(named.span.begin_ms()), end.unwrap_or(named.span.end_ms()))?
                }
            };
            let group = in_scope(conn, &b.company, &named, scope, b.now).await?;
            // A series may hold others' occurrences (an import): each is checked.
            group.iter().try_for_each(|m| caller.check_acts_for(&m.booker))?;
            if let Some((rule, skip_conflicts)) = rule {
                let cancelled = cancel_all(conn, &b.company, group, b.now, String::new()).await?;
                let ids: Vec<MeetingId> = cancelled.iter().map(|m| m.id.clone()).collect();
                emit(conn, &b.events, &b.company, b.now, || Change::SeriesCancelled(ids.clone())).await?;
                record_mail(conn, &b.mail, &b.company, b.now, Some(named.checked), &cancelled).await?;
                let draft = redraft(&named, &patch, new_span);
                let planned = plan(conn, &b, &draft, Some(&rule), true).await?;
                let booked = insert_series(conn, &b, planned, &rule, skip_conflicts).await?;
                // `insert_series` told of the new series.
                return Ok(SeriesChange::Replaced(booked));
            }
            let room = patch.room.clone().unwrap_or_else(|| named.room.clone());
            lock_room(conn, &b.company, &room).await?;
            let moving: Vec<MeetingId> = group.iter().map(|m| m.id.clone()).collect();
            let mut changed = Vec::with_capacity(group.len());
            let mut refused = Vec::new();
            for mut m in group {
                let span = if new_span == named.span {
                    m.span
                } else {
                    move_in_wall_clock(m.span, named.span, new_span, m.time_zone)?
                };
                match revise(conn, &b.company, &mut m, &patch, span, b.now).await {
                    Ok(()) => changed.push(m),
                    Err(crate::StoreError::Domain(e)) => refused.push((span.begin_ms(), e)),
                    Err(e) => return Err(e),
                }
            }
            let spans: Vec<TimeSpan> = changed.iter().map(|m| m.span).collect();
            let held = busy(conn, &b.company, &room, &spans).await?;
            for m in changed.iter().filter(|m| m.occupies()) {
                if in_the_way(&held, m.span, &moving).is_some() {
                    refused.push((m.span.begin_ms(), DomainError::RoomOccupied));
                }
            }
            if !refused.is_empty() {
                refused.sort_by_key(|(at, _)| *at);
                return Err(DomainError::Occurrences(refused).into());
            }
            // Saved in the direction they move, so no two rows overlap on the way.
            changed.sort_by_key(|m| m.span.begin_ms());
            if new_span.begin_ms() > named.span.begin_ms() {
                changed.reverse();
            }
            for m in &mut changed {
                save_meeting(conn, &b.company, m).await?;
                save_attendances(conn, &b.company, m).await?;
            }
            changed.sort_by_key(|m| (m.id != named.id, m.span.begin_ms()));
            let change = match changed.as_slice() {
                [one] if one.series_id.is_empty() => Change::MeetingUpdated(one.clone()),
                _ => Change::SeriesUpdated(changed.clone()),
            };
            emit(conn, &b.events, &b.company, b.now, || change.clone()).await?;
            let by_start = sorted_by_start(&changed);
            record_mail(conn, &b.mail, &b.company, b.now, Some(named.checked), &by_start).await?;
            record_dropped(conn, &b.mail, &b.company, b.now, &named.attendances, &by_start).await?;
            Ok(SeriesChange::Changed(changed))
        }))
        .await
    }

    /// Cancels the occurrence `id` (71015 once it has begun) and the others `scope`
    /// reaches that have not begun, keeping `reason` on each; the named one first.
    pub async fn cancel_in_scope(
        &self,
        caller: &Caller,
        id: MeetingId,
        scope: Scope,
        reason: String,
    ) -> StoreResult<Vec<Meeting>> {
        let reason = reason_text(&reason)?;
        let b = self.booking(caller);
        let caller = caller.clone();
        self.write_keeping_directory(work!(|conn| {
            let named = load_meeting_for_update(conn, &b.company, &id).await?;
            caller.check_acts_for(&named.booker)?;
            named.clone().cancel(b.now)?;
            let group = in_scope(conn, &b.company, &named, scope, b.now).await?;
            // A series may hold others' occurrences (an import): each is checked.
            group.iter().try_for_each(|m| caller.check_acts_for(&m.booker))?;
            let cancelled = cancel_all(conn, &b.company, group, b.now, reason).await?;
            let change = match cancelled.as_slice() {
                [one] if one.series_id.is_empty() || scope == Scope::This => Change::MeetingCancelled(one.id.clone()),
                _ => Change::SeriesCancelled(cancelled.iter().map(|m| m.id.clone()).collect()),
            };
            emit(conn, &b.events, &b.company, b.now, || change.clone()).await?;
            record_mail(conn, &b.mail, &b.company, b.now, Some(named.checked), &sorted_by_start(&cancelled)).await?;
            Ok(cancelled)
        }))
        .await
    }
}

/// The occurrences `scope` reaches from `named` (named first, then by time): those of
/// its series not begun and not cancelled, from `named` on for `following`.
async fn in_scope(
    conn: &mut Conn<'_>,
    company: &str,
    named: &Meeting,
    scope: Scope,
    now: i64,
) -> StoreResult<Vec<Meeting>> {
    if scope == Scope::This || named.series_id.is_empty() {
        return Ok(vec![named.clone()]);
    }
    let filter = MeetingQuery { series: Some(named.series_id.clone()), ..MeetingQuery::default() };
    let mut group: Vec<Meeting> = list_meetings(conn, company, &filter)
        .await?
        .into_iter()
        .filter(|m| m.id != named.id && m.cancelled_ms.is_none() && m.span.begin_ms() > now)
        .filter(|m| scope == Scope::All || m.span.begin_ms() > named.span.begin_ms())
        .collect();
    group.insert(0, named.clone());
    Ok(group)
}

async fn cancel_all(
    conn: &mut Conn<'_>,
    company: &str,
    group: Vec<Meeting>,
    now: i64,
    reason: String,
) -> StoreResult<Vec<Meeting>> {
    let mut cancelled = Vec::with_capacity(group.len());
    for mut m in group {
        m.cancel(now)?;
        m.reason = reason.clone();
        save_meeting(conn, company, &mut m).await?;
        cancelled.push(m);
    }
    Ok(cancelled)
}

/// The booking a new rule starts from: the named occurrence as `patch` changes it, at
/// its new time.
fn redraft(named: &Meeting, patch: &MeetingPatch, span: TimeSpan) -> BookingDraft {
    let attendees = patch.attendees.clone().unwrap_or_else(|| {
        named
            .attendances
            .iter()
            .map(|a| AttendeeDraft {
                id: None,
                user: a.user.clone(),
                name: Some(a.name.clone()),
                phone: Some(a.phone.clone()),
                email: Some(a.email.clone()),
                face_url: a.user.is_none().then(|| a.face_url.clone()),
            })
            .collect()
    });
    BookingDraft {
        id: None,
        room: patch.room.clone().unwrap_or_else(|| named.room.clone()),
        speaker: patch.speaker.clone().unwrap_or_else(|| named.speaker.clone()),
        subject: patch.subject.clone().unwrap_or_else(|| named.subject.clone()),
        span,
        booker: named.booker.clone(),
        address: Some(patch.address.clone().unwrap_or_else(|| named.address.clone())),
        checked: patch.checked,
        memo: patch.memo.clone().unwrap_or_else(|| named.memo.clone()),
        attendees,
    }
}

/// `meetings` by start: how a message lists a series' occurrences.
fn sorted_by_start(meetings: &[Meeting]) -> Vec<Meeting> {
    let mut sorted = meetings.to_vec();
    sorted.sort_by_key(|m| m.span.begin_ms());
    sorted
}
