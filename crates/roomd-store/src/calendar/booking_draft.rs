//! A booking's draft made into the meeting it asks for: the room and the people it names
//! read, the room's rules applied, the meeting built and its `book_success` event
//! rendered. Each of `booking.rs`'s ways to book (per backend) starts here; none of this
//! checks the slot or writes.

use std::collections::HashMap;
use std::sync::Arc;

use roomd_core::directory::User;
use roomd_core::event::Change;
use roomd_core::meeting::{Booker, BookingDraft, CheckedState, Meeting, check_room_rules, meeting_text};
use roomd_core::room::Room;
use roomd_core::{DomainError, MeetingId, UserId};

use crate::directory_cache::{self, DirectoryCache, DirectoryRows};
use crate::events::{EventHook, InlineEvent};
use crate::meetings::{resolve_attendees, users_by_id};
use crate::rooms::load_room;
use crate::sql::{Conn, query};
use crate::{StoreError, StoreResult};

/// The booker and every attendee with a user id.
pub(crate) fn people(draft: &BookingDraft) -> Vec<UserId> {
    let mut wanted: Vec<UserId> = draft.attendees.iter().filter_map(|d| d.user.clone()).collect();
    wanted.push(draft.booker.clone());
    wanted
}

/// What a booking needs besides its draft.
#[derive(Clone)]
pub(crate) struct Booking {
    pub company: String,
    pub now: i64,
    pub events: Option<Arc<EventHook>>,
    /// How mail is written, when the server sends mail.
    pub mail: Option<Arc<dyn roomd_core::mail::MailRender>>,
}

impl Booking {
    /// The meeting `draft` asks for, with the room's rules applied (not yet checked
    /// against the room's other meetings).
    pub(crate) async fn prepare(&self, conn: &mut Conn<'_>, draft: BookingDraft) -> StoreResult<Meeting> {
        let (room, users) = self.read(conn, &draft, &people(&draft)).await?;
        self.build(conn, &room, &users, draft).await
    }

    /// The room `draft` asks for and `people` (by id), read now.
    pub(crate) async fn read(
        &self,
        conn: &mut Conn<'_>,
        draft: &BookingDraft,
        people: &[UserId],
    ) -> StoreResult<(Room, HashMap<UserId, User>)> {
        let room = load_room(conn, &self.company, &draft.room).await?;
        // The booker and every attendee, read at once.
        let users = users_by_id(conn, &self.company, people).await?;
        Ok((room, users))
    }

    /// `prepare` with the room and the people (by id) read already.
    pub(crate) async fn build(
        &self,
        conn: &mut Conn<'_>,
        room: &Room,
        users: &HashMap<UserId, User>,
        draft: BookingDraft,
    ) -> StoreResult<Meeting> {
        let booker = Booker::from(users.get(&draft.booker).ok_or(DomainError::UserNotExist)?);
        check_room_rules(room, draft.span, &booker, self.now)?;
        self.shape(conn, room, users, draft).await
    }

    /// The meeting `draft` asks for, without the room's rules: its texts, its people and
    /// its approval state (a series' occurrences are copies of one, each held to the
    /// room's rules at its own time).
    pub(crate) async fn shape(
        &self,
        conn: &mut Conn<'_>,
        room: &Room,
        users: &HashMap<UserId, User>,
        draft: BookingDraft,
    ) -> StoreResult<Meeting> {
        let booker = Booker::from(users.get(&draft.booker).ok_or(DomainError::UserNotExist)?);
        let id = match draft.id {
            // An id the client chose must be new; a generated one (UUIDv7) is.
            Some(id) => {
                self.check_id_is_new(conn, &id).await?;
                id
            }
            None => MeetingId::generate(),
        };
        let attendances = resolve_attendees(users, draft.attendees, None)?;
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
            release_reason: None,
            reason: String::new(),
            time_zone: room.time_zone,
            series_id: String::new(),
            recurrence: String::new(),
            created_ms: self.now,
            updated_ms: self.now,
            sequence: 0,
            attendances,
        };
        meeting.set_checked(CheckedState::for_booking(draft.checked, room, booker.is_admin), self.now);
        Ok(meeting)
    }

    pub(crate) async fn check_id_is_new(&self, conn: &mut Conn<'_>, id: &MeetingId) -> StoreResult<()> {
        let taken: Option<String> = query("SELECT id FROM meetings WHERE company_id = $1 AND id = $2")
            .bind(self.company.as_str())
            .bind(id.as_str())
            .scalar(conn)
            .await?;
        match taken {
            Some(_) => Err(DomainError::invalid("id", "already exists").into()),
            None => Ok(()),
        }
    }

    /// The `book_success` event of `meeting`.
    pub(crate) fn render(&self, hook: &EventHook, meeting: &Meeting) -> InlineEvent {
        hook.inline(&self.company, &Change::MeetingBooked(meeting.clone()), self.now)
    }
}

/// Guarded tries of a PostgreSQL booking while the directory keeps moving; the next one
/// reads and inserts without the guard, as a booking did before there was one.
const GUARDED_TRIES: usize = 3;

/// The tries of a one-statement booking on PostgreSQL (`slot_sql::insert_in_one_statement`)
/// at the directory's version: each try's room and people, kept ones
/// (`directory_cache.rs`) while they serve, else read now, the version first; and what a
/// try's end means for the next.
pub(crate) struct Tries<'a> {
    cache: &'a DirectoryCache,
    people: Vec<UserId>,
    stale: usize,
    use_kept: bool,
    read_now: bool,
}

impl<'a> Tries<'a> {
    pub(crate) fn new(cache: &'a DirectoryCache, draft: &BookingDraft) -> Self {
        Tries { cache, people: people(draft), stale: 0, use_kept: true, read_now: false }
    }

    /// The room and people of the next try.
    pub(crate) async fn rows(
        &mut self,
        conn: &mut Conn<'_>,
        b: &Booking,
        draft: &BookingDraft,
    ) -> StoreResult<DirectoryRows> {
        let guarded = self.guarded();
        let kept = if guarded && self.use_kept { self.cache.get(&b.company, &draft.room, &self.people) } else { None };
        self.read_now = kept.is_none();
        match kept {
            Some(rows) => Ok(rows),
            None => {
                // The version first: the rows read after it are at it or later.
                let version = if guarded { directory_cache::version(conn).await? } else { 0 };
                let (room, users) = b.read(conn, draft, &self.people).await?;
                Ok(DirectoryRows { version, room, users })
            }
        }
    }

    /// The version the try's statement is guarded by, if any.
    pub(crate) fn guard(&self, rows: &DirectoryRows) -> Option<i64> {
        self.guarded().then_some(rows.version)
    }

    /// The draft was refused on the try's rows: the refusal stands if they were read
    /// now; kept rows may be behind (no statement has checked their version), so the
    /// next try reads.
    pub(crate) fn refused(&mut self, e: StoreError) -> StoreResult<()> {
        match self.read_now {
            true => Err(e),
            false => {
                self.use_kept = false;
                Ok(())
            }
        }
    }

    /// The statement found the directory moved on from the try's rows.
    pub(crate) fn stale(&mut self, rows: &DirectoryRows) {
        self.cache.forget(rows.version);
        self.stale += 1;
    }

    /// The statement went in at the version of `rows`: kept for the next booking if read
    /// now.
    pub(crate) fn done(&self, company: &str, rows: DirectoryRows) {
        if self.guarded() && self.read_now {
            self.cache.keep(company, rows);
        }
    }

    fn guarded(&self) -> bool {
        self.stale < GUARDED_TRIES
    }
}
