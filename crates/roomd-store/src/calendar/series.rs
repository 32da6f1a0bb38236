//! Series (docs/wire-compat.md "Series"): a booking with a recurrence rule, expanded in
//! the room's zone into occurrences. Each occurrence is a meeting of its own, held to
//! every rule a single booking is held to; the room's meetings over the whole series are
//! read once to find the overlaps. All or nothing, or with `skip_conflicts` the
//! occurrences that can be booked; one `book_success` event lists them all.
//!
//! The write takes the room's lock first (PostgreSQL; SQLite has one writer), so no
//! other booking of the room passes between the check and the inserts, and the
//! database's own refusal of overlaps stands behind it as for single bookings.
//!
//! On SQLite a series is drafted on a read connection first, as a single booking is
//! prepared (`booking.rs`): the room and people read, the rule expanded, each
//! occurrence built and held to the room's rules. The writer then only checks the
//! occurrences against the room's meetings and inserts them, provided the directory's
//! epoch has not moved since that read (else it drafts them again itself).
//!
//! On PostgreSQL a series is first tried as one statement, as a single booking is
//! (`in_one_statement`): no overlap read first, the database's own check refusing the
//! statement if an occurrence is in the way. Only then, or when the room's rules refuse
//! an occurrence, is it booked in a transaction as above, which says which occurrences
//! cannot be booked (and books the others, with `skip_conflicts`).

use std::collections::HashMap;
use std::sync::atomic::Ordering;

use roomd_core::directory::User;
use roomd_core::event::Change;
use roomd_core::meeting::{Booker, BookingDraft, Meeting, check_room_rules};
use roomd_core::recurrence::Recurrence;
use roomd_core::room::Room;
use roomd_core::time::{LONGEST_MEETING_MS, TimeSpan};
use roomd_core::{Caller, DomainError, MeetingId, RoomId, UserId};

use crate::booking_draft::{Booking, Tries, people};
use crate::db::{DirectoryWatch, work};
use crate::directory_cache::DirectoryCache;
use crate::events::{Inline, emit};
use crate::mail::record_mail;
use crate::meeting_rows::insert_meetings;
use crate::rows::{int, text};
use crate::slot_sql::{Inserted, books_in_one_statement, insert_in_one_statement, lock_room};
use crate::sql::{Conn, query};
use crate::{Store, StoreError, StoreResult};

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

/// The occurrences of a booking before the room's meetings are looked at: each the
/// meeting it would be, or why the room's rules refuse it.
pub(crate) struct Drafted {
    room: RoomId,
    /// The id the first occurrence takes (the client's, if it chose one).
    first: MeetingId,
    occurrences: Vec<(TimeSpan, Result<Meeting, DomainError>)>,
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
        draft.check_caller(caller)?;
        let b = self.booking(caller);
        let drafted = match self.inner.backend.directory_watch() {
            DirectoryWatch::Version(cache) if b.mail.is_none() => {
                let (b, draft, rule) = (b.clone(), draft.clone(), rule.clone());
                if let Some(done) =
                    self.write_one(work!(|conn| in_one_statement(conn, &b, &draft, &rule, &cache).await)).await?
                {
                    return Ok(done);
                }
                None
            }
            DirectoryWatch::Epoch(epoch) => {
                // Read before the reads it vouches for.
                let seen = epoch.load(Ordering::SeqCst);
                let (b, draft, rule) = (b.clone(), draft.clone(), rule.clone());
                let drafted = self.read(work!(|conn| draft_occurrences(conn, &b, &draft, Some(&rule)).await)).await?;
                Some((epoch, seen, drafted))
            }
            DirectoryWatch::Version(_) => None,
        };
        self.write_keeping_directory(work!(|conn| {
            let drafted = match drafted {
                Some((epoch, seen, drafted)) if epoch.load(Ordering::SeqCst) == seen => {
                    // Another booking may have taken a chosen id since the read.
                    if draft.id.is_some() {
                        b.check_id_is_new(conn, &drafted.first).await?;
                    }
                    drafted
                }
                _ => draft_occurrences(conn, &b, &draft, Some(&rule)).await?,
            };
            let planned = check_occurrences(conn, &b, drafted, true).await?;
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
        draft.check_caller(caller)?;
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
    let drafted = draft_occurrences(conn, b, draft, rule).await?;
    check_occurrences(conn, b, drafted, lock).await
}

/// The occurrences of `draft` (and `rule`, if any), each built and held to the room's
/// rules at its own time, not yet to the room's other meetings.
pub(crate) async fn draft_occurrences(
    conn: &mut Conn<'_>,
    b: &Booking,
    draft: &BookingDraft,
    rule: Option<&Recurrence>,
) -> StoreResult<Drafted> {
    let (room, users) = b.read(conn, draft, &people(draft)).await?;
    occurrences(conn, b, &room, &users, draft, rule).await
}

/// `draft_occurrences` with the room and the people (by id) read already.
async fn occurrences(
    conn: &mut Conn<'_>,
    b: &Booking,
    room: &Room,
    users: &HashMap<UserId, User>,
    draft: &BookingDraft,
    rule: Option<&Recurrence>,
) -> StoreResult<Drafted> {
    let spans = match rule {
        Some(rule) => rule.occurrences(draft.span, room.time_zone)?,
        None => vec![draft.span],
    };
    // The booking itself once (texts, people, approval: a fault there is the request's);
    // each occurrence a copy of it at its own time, held to the room's rules there.
    let first = b.shape(conn, room, users, draft.clone()).await?;
    let booker = Booker::from(users.get(&draft.booker).ok_or(DomainError::UserNotExist)?);
    let mut occurrences = Vec::with_capacity(spans.len());
    for (i, span) in spans.into_iter().enumerate() {
        let meeting = match check_room_rules(room, span, &booker, b.now) {
            Err(e) => Err(e),
            Ok(()) if i == 0 => Ok(first.clone()),
            Ok(()) => Ok(occurrence_of(&first, span)),
        };
        occurrences.push((span, meeting));
    }
    Ok(Drafted { room: room.id.clone(), first: first.id, occurrences })
}

/// `drafted` checked against the room's meetings over the whole series, read once: an
/// occurrence the room's rules allow and another meeting overlaps is refused (71014).
/// `lock`: take the room's lock first, as a write does.
async fn check_occurrences(
    conn: &mut Conn<'_>,
    b: &Booking,
    drafted: Drafted,
    lock: bool,
) -> StoreResult<Vec<Planned>> {
    if lock {
        lock_room(conn, &b.company, &drafted.room).await?;
    }
    let spans: Vec<TimeSpan> = drafted.occurrences.iter().map(|(span, _)| *span).collect();
    let busy = busy(conn, &b.company, &drafted.room, &spans).await?;
    let planned = drafted.occurrences.into_iter().map(|(span, meeting)| {
        // The room's rules first, as for a single booking; then the overlap.
        let conflict = meeting.as_ref().ok().and_then(|_| in_the_way(&busy, span, &[]));
        match conflict {
            Some(id) => Planned { span, meeting: Err(DomainError::RoomOccupied), conflict: Some(id) },
            None => Planned { span, meeting, conflict: None },
        }
    });
    Ok(planned.collect())
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
    in_series(&mut booked, rule);
    insert_meetings(conn, &b.company, &booked).await?;
    emit(conn, &b.events, &b.company, b.now, || Change::SeriesBooked(booked.clone())).await?;
    record_mail(conn, &b.mail, &b.company, b.now, None, &booked).await?;
    Ok(SeriesBooked { booked, skipped })
}

/// PostgreSQL: the whole series in one statement (`insert_in_one_statement`), when every
/// occurrence can be booked. `None` when one cannot, by the room's rules or because
/// another meeting overlaps it (the database refused the statement): the careful way,
/// in a transaction, then says which and books the others if asked.
async fn in_one_statement(
    conn: &mut Conn<'_>,
    b: &Booking,
    draft: &BookingDraft,
    rule: &Recurrence,
    cache: &DirectoryCache,
) -> StoreResult<Option<SeriesBooked>> {
    let mut tries = Tries::new(cache, draft);
    loop {
        let rows = tries.rows(conn, b, draft).await?;
        let drafted = match occurrences(conn, b, &rows.room, &rows.users, draft, Some(rule)).await {
            Ok(drafted) => drafted,
            Err(e) => {
                tries.refused(e)?;
                continue;
            }
        };
        let Ok(mut booked) = drafted.occurrences.into_iter().map(|(_, meeting)| meeting).collect::<Result<Vec<_>, _>>()
        else {
            return Ok(None);
        };
        let attendances = booked.iter().map(|m| m.attendances.len()).sum();
        if !books_in_one_statement(true, booked.len(), attendances) {
            return Ok(None);
        }
        in_series(&mut booked, rule);
        let event = Inline::unless_unsubscribed(&b.events, &b.company, |hook| {
            hook.inline(&b.company, &Change::SeriesBooked(booked.clone()), b.now)
        });
        let rendered = matches!(event, Inline::Rendered(_));
        match insert_in_one_statement(conn, &b.company, &booked, false, event, tries.guard(&rows)).await {
            Err(StoreError::Domain(DomainError::RoomOccupied)) => return Ok(None),
            Err(e) => return Err(e),
            Ok(Inserted::Stale) => tries.stale(&rows),
            // Subscribed since it was seen not to be: rendered next time.
            Ok(Inserted::Unrendered) => b.events.iter().for_each(|hook| hook.saw_subscribed(&b.company, true)),
            Ok(Inserted::Booked { recorded }) => {
                if let Some(hook) = &b.events {
                    if rendered {
                        hook.saw_subscribed(&b.company, recorded);
                    }
                    if recorded {
                        hook.mark_recorded();
                    }
                }
                tries.done(&b.company, rows);
                return Ok(Some(SeriesBooked { booked, skipped: Vec::new() }));
            }
        }
    }
}

/// `booked` made one series of `rule`.
fn in_series(booked: &mut [Meeting], rule: &Recurrence) {
    let series = MeetingId::generate().into_string();
    for m in booked {
        m.series_id = series.clone();
        m.recurrence = rule.as_str().to_string();
    }
}

/// The meetings holding `room` that overlap any of `spans`: (id, begin, end), by begin.
/// Each span looks through the room's index for its own day (meetings fit in a day), so a
/// year of a busy room is not read to book a weekly series in it. One statement, the
/// spans a `VALUES` list read first: one round trip on PostgreSQL, and on SQLite one
/// statement where a statement a span was 52 for a weekly series. SQLite keeps to that
/// order with `CROSS JOIN`; PostgreSQL, left to plan the join, read the room's whole
/// history once and tested each meeting against every span (3.5 ms for a room of 450
/// meetings), so there each span is a subquery it may not merge into the join
/// (`OFFSET 0`): a probe of the index a span.
pub(crate) async fn busy(
    conn: &mut Conn<'_>,
    company: &str,
    room: &RoomId,
    spans: &[TimeSpan],
) -> StoreResult<Vec<(MeetingId, i64, i64)>> {
    let postgres = conn.is_postgres();
    let cast = if postgres { "::BIGINT" } else { "" };
    let values: Vec<String> =
        (0..spans.len()).map(|i| format!("(${}{cast}, ${}{cast})", 3 + 2 * i, 4 + 2 * i)).collect();
    let overlapping = format!(
        "m.company_id = $1 AND m.room_id = $2 AND m.begin_ms > o.b - {LONGEST_MEETING_MS} AND m.begin_ms < o.e \
         AND m.end_ms > o.b AND m.active = 1"
    );
    let join = match postgres {
        true => format!(
            "CROSS JOIN LATERAL (SELECT m.id, m.begin_ms, m.end_ms FROM meetings m WHERE {overlapping} OFFSET 0) m"
        ),
        false => format!("CROSS JOIN meetings m WHERE {overlapping}"),
    };
    let sql = format!(
        "WITH o(b, e) AS (VALUES {}) SELECT DISTINCT m.id, m.begin_ms, m.end_ms FROM o {join}",
        values.join(", ")
    );
    let q =
        spans.iter().fold(query(sql).bind(company).bind(room.as_str()), |q, s| q.bind(s.begin_ms()).bind(s.end_ms()));
    let mut out = Vec::new();
    for row in &q.fetch_all(conn).await? {
        out.push((MeetingId::from_stored(text(row, "id")?), int(row, "begin_ms")?, int(row, "end_ms")?));
    }
    out.sort_by_key(|(id, begin, _)| (*begin, id.clone()));
    Ok(out)
}

/// The meeting of `busy` overlapping `span`, other than those in `moving`.
pub(crate) fn in_the_way(busy: &[(MeetingId, i64, i64)], span: TimeSpan, moving: &[MeetingId]) -> Option<MeetingId> {
    busy.iter()
        .find(|(id, begin, end)| *begin < span.end_ms() && *end > span.begin_ms() && !moving.contains(id))
        .map(|(id, _, _)| id.clone())
}
