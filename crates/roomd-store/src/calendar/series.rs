//! Series (docs/wire-compat.md "Series"): a booking with a recurrence rule, expanded in
//! the room's zone into occurrences. Each occurrence is a meeting of its own, held to
//! every rule a single booking is held to; the room's meetings over the whole series are
//! read once to find the overlaps. All or nothing, or with `skip_conflicts` the
//! occurrences that can be booked; one `book_success` event lists them all.
//!
//! The write takes the room's lock first (PostgreSQL; SQLite has one writer), so no
//! other booking of the room passes between the check and the inserts, and the
//! database's own refusal of overlaps stands behind it as for single bookings.

use roomd_core::event::Change;
use roomd_core::meeting::{Booker, BookingDraft, Meeting, check_attendee_count, check_room_rules};
use roomd_core::recurrence::Recurrence;
use roomd_core::time::{DAY_MS, TimeSpan};
use roomd_core::{Caller, DomainError, MeetingId, RoomId};

use crate::booking_draft::{Booking, people};
use crate::db::work;
use crate::events::emit;
use crate::mail::record_mail;
use crate::meeting_sql::insert_meetings;
use crate::rows::{int, text};
use crate::slot_sql::lock_room;
use crate::sql::{Conn, query};
use crate::{Store, StoreResult};

/// What booking a series did: the occurrences booked, in order, and those skipped with
/// the refusal each would get.
#[derive(Debug, Clone)]
pub struct SeriesBooked {
    pub booked: Vec<Meeting>,
    pub skipped: Vec<(TimeSpan, DomainError)>,
}

/// One occurrence as `meeting/preview` sees it: bookable, or why not (and, for an
/// overlap, the meeting in the way).
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub span: TimeSpan,
    pub refusal: Option<DomainError>,
    pub conflict: Option<MeetingId>,
}

/// An occurrence planned: the meeting it would be, or why it cannot be.
pub(crate) struct Planned {
    span: TimeSpan,
    meeting: Result<Meeting, DomainError>,
    conflict: Option<MeetingId>,
}

impl Store {
    /// Books `draft` and the occurrences `rule` adds after it.
    pub async fn book_series(
        &self,
        caller: &Caller,
        draft: BookingDraft,
        rule: Recurrence,
        skip_conflicts: bool,
    ) -> StoreResult<SeriesBooked> {
        check_attendee_count(draft.attendees.len())?;
        let b = self.booking(caller);
        self.write_keeping_directory(work!(|conn| {
            let planned = plan(conn, &b, &draft, Some(&rule), true).await?;
            insert_series(conn, &b, planned, &rule, skip_conflicts).await
        }))
        .await
    }

    /// Every occurrence `draft` (and `rule`, if any) would book, and whether each can be:
    /// nothing is booked. Only a draft wrong in itself is an error.
    pub async fn preview_booking(
        &self,
        caller: &Caller,
        draft: BookingDraft,
        rule: Option<Recurrence>,
    ) -> StoreResult<Vec<Occurrence>> {
        check_attendee_count(draft.attendees.len())?;
        let b = self.booking(caller);
        self.read(work!(|conn| {
            let planned = plan(conn, &b, &draft, rule.as_ref(), false).await?;
            Ok(planned
                .into_iter()
                .map(|p| Occurrence { span: p.span, refusal: p.meeting.err(), conflict: p.conflict })
                .collect())
        }))
        .await
    }

    pub(crate) fn booking(&self, caller: &Caller) -> Booking {
        Booking {
            company: caller.company.as_str().to_string(),
            now: self.now_ms(),
            events: self.event_render(),
            mail: self.mail_render(),
        }
    }
}

/// The occurrences of `draft`, each built as a single booking would be (the client's
/// `id`, if any, for the first), then checked against the room's meetings over the whole
/// series, read once. `lock`: take the room's lock first, as a write does.
pub(crate) async fn plan(
    conn: &mut Conn<'_>,
    b: &Booking,
    draft: &BookingDraft,
    rule: Option<&Recurrence>,
    lock: bool,
) -> StoreResult<Vec<Planned>> {
    let (room, users) = b.read(conn, draft, &people(draft)).await?;
    let spans = match rule {
        Some(rule) => rule.occurrences(draft.span, room.time_zone)?,
        None => vec![draft.span],
    };
    if lock {
        lock_room(conn, &b.company, &room.id).await?;
    }
    let busy = busy(conn, &b.company, &room.id, &spans).await?;
    // The booking itself once (texts, people, approval: a fault there is the request's);
    // each occurrence a copy of it at its own time, held to the room's rules there.
    let first = b.shape(conn, &room, &users, draft.clone()).await?;
    let booker = Booker::from(users.get(&draft.booker).ok_or(DomainError::UserNotExist)?);
    let mut planned = Vec::with_capacity(spans.len());
    for (i, span) in spans.into_iter().enumerate() {
        let conflict = in_the_way(&busy, span, &[]);
        // The room's rules first, as for a single booking; then the overlap.
        let (meeting, conflict) = match check_room_rules(&room, span, &booker, b.now) {
            Err(e) => (Err(e), None),
            Ok(()) if conflict.is_some() => (Err(DomainError::RoomOccupied), conflict),
            Ok(()) if i == 0 => (Ok(first.clone()), None),
            Ok(()) => (Ok(occurrence_of(&first, span)), None),
        };
        planned.push(Planned { span, meeting, conflict });
    }
    Ok(planned)
}

/// `first` at `span`: an occurrence of its own (its own ids, its attendees' too).
fn occurrence_of(first: &Meeting, span: TimeSpan) -> Meeting {
    let mut m = first.clone();
    m.id = MeetingId::generate();
    m.span = span;
    m.planned_end_ms = span.end_ms();
    for a in &mut m.attendances {
        a.id = roomd_core::AttendanceId::generate();
    }
    m
}

/// Books the planned occurrences as one series: all or nothing, or with
/// `skip_conflicts` those that can be (at least one); one `book_success` lists them.
pub(crate) async fn insert_series(
    conn: &mut Conn<'_>,
    b: &Booking,
    planned: Vec<Planned>,
    rule: &Recurrence,
    skip_conflicts: bool,
) -> StoreResult<SeriesBooked> {
    let (mut booked, mut refused, mut skipped) = (Vec::new(), Vec::new(), Vec::new());
    for p in planned {
        match p.meeting {
            Ok(m) => booked.push(m),
            Err(e) => {
                refused.push((p.span.begin_ms(), e.clone()));
                skipped.push((p.span, e));
            }
        }
    }
    if !refused.is_empty() && (!skip_conflicts || booked.is_empty()) {
        return Err(DomainError::Occurrences(refused).into());
    }
    let series = MeetingId::generate().into_string();
    for m in &mut booked {
        m.series_id = series.clone();
        m.recurrence = rule.as_str().to_string();
    }
    insert_meetings(conn, &b.company, &booked).await?;
    emit(conn, &b.events, &b.company, b.now, || Change::SeriesBooked(booked.clone())).await?;
    record_mail(conn, &b.mail, &b.company, b.now, None, &booked).await?;
    Ok(SeriesBooked { booked, skipped })
}

/// The meetings holding `room` that overlap any of `spans`: (id, begin, end), by begin.
/// Each span looks through the room's index for its own day (meetings fit in a day), so a
/// year of a busy room is not read to book a weekly series in it: on SQLite a statement a
/// span (in process, each a few microseconds); on PostgreSQL one statement with the spans
/// as a `VALUES` list, so a series is one round trip.
pub(crate) async fn busy(
    conn: &mut Conn<'_>,
    company: &str,
    room: &RoomId,
    spans: &[TimeSpan],
) -> StoreResult<Vec<(MeetingId, i64, i64)>> {
    let mut rows = Vec::new();
    if conn.is_postgres() {
        let values: Vec<String> =
            (0..spans.len()).map(|i| format!("(${}::BIGINT, ${}::BIGINT)", 3 + 2 * i, 4 + 2 * i)).collect();
        let sql = format!(
            "WITH o(b, e) AS (VALUES {}) SELECT DISTINCT m.id, m.begin_ms, m.end_ms FROM o JOIN meetings m \
             ON m.company_id = $1 AND m.room_id = $2 AND m.begin_ms > o.b - {DAY_MS} AND m.begin_ms < o.e \
             AND m.end_ms > o.b AND m.active = 1",
            values.join(", ")
        );
        let q = spans
            .iter()
            .fold(query(sql).bind(company).bind(room.as_str()), |q, s| q.bind(s.begin_ms()).bind(s.end_ms()));
        rows = q.fetch_all(conn).await?;
    } else {
        for span in spans {
            let found = query(
                "SELECT id, begin_ms, end_ms FROM meetings WHERE company_id = $1 AND room_id = $2 AND begin_ms > $3 \
                 AND begin_ms < $4 AND end_ms > $5 AND active = 1",
            )
            .bind(company)
            .bind(room.as_str())
            .bind(span.begin_ms() - DAY_MS)
            .bind(span.end_ms())
            .bind(span.begin_ms())
            .fetch_all(conn)
            .await?;
            rows.extend(found);
        }
    }
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        out.push((MeetingId::from_stored(text(row, "id")?), int(row, "begin_ms")?, int(row, "end_ms")?));
    }
    out.sort_by_key(|(id, begin, _)| (*begin, id.clone()));
    out.dedup();
    Ok(out)
}

/// The meeting of `busy` overlapping `span`, other than those in `moving`.
pub(crate) fn in_the_way(busy: &[(MeetingId, i64, i64)], span: TimeSpan, moving: &[MeetingId]) -> Option<MeetingId> {
    busy.iter()
        .find(|(id, begin, end)| *begin < span.end_ms() && *end > span.begin_ms() && !moving.contains(id))
        .map(|(id, _, _)| id.clone())
}
