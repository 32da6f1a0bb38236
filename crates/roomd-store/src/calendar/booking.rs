//! Booking: the room's rules, the overlap check and the insert, and the `book_success`
//! event, as one unit of work. The meeting is built from its draft in `booking_draft.rs`;
//! here is how each backend checks the slot and writes it.
//!
//! On SQLite the single writer's time is what bounds bookings a second, so a booking is
//! prepared on a read connection first: the room, the booker and the attendees read, the
//! room's rules applied, the meeting built and its event rendered. The writer then only
//! checks the slot and inserts, provided the directory's epoch (`writer.rs`) has not
//! moved since that read; if it has, the writer prepares the booking again itself. The
//! slot is always checked on the writer, so this never lets a double booking in.
//!
//! On PostgreSQL a booking is one statement: the insert, its attendances and its event.
//! The room and the people it needs come from `directory_cache.rs` when they are kept at
//! the directory's current version, and the statement goes in only if the version has
//! not moved; otherwise they are read first (three round trips), and kept once the
//! statement has confirmed the version they were read at.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use roomd_core::Caller;
use roomd_core::event::Change;
use roomd_core::meeting::{BookingDraft, Meeting};

use super::booking_draft::{Booking, people};
use crate::db::DirectoryWatch;
use crate::db::work;
use crate::directory_cache::{self, DirectoryCache, DirectoryRows};
use crate::events::{InlineEvent, emit, emit_prepared, subscribed};
use crate::mail::record_mail;
use crate::slot_sql::{Inserted, books_in_one_statement, insert_if_free};
use crate::{Store, StoreResult};

/// Guarded tries of a PostgreSQL booking while the directory keeps moving; the next one
/// reads and inserts without the guard, as a booking did before there was one.
const GUARDED_TRIES: usize = 3;

impl Store {
    pub async fn book_meeting(&self, caller: &Caller, draft: BookingDraft) -> StoreResult<Meeting> {
        draft.check_caller(caller)?;
        let booking = self.booking(caller);
        // With mail on, a booking records its messages too: more than one statement.
        let one_statement = booking.mail.is_none() && books_in_one_statement(true, draft.attendees.len());
        match self.inner.backend.directory_watch() {
            DirectoryWatch::Epoch(epoch) => self.book_prepared(booking, draft, epoch).await,
            DirectoryWatch::Version(cache) if one_statement => self.book_in_one_statement(booking, draft, cache).await,
            DirectoryWatch::Version(_) => self.book_in_a_transaction(booking, draft).await,
        }
    }

    /// SQLite: prepared on a read connection, checked and inserted on the writer.
    async fn book_prepared(&self, b: Booking, draft: BookingDraft, epoch: Arc<AtomicU64>) -> StoreResult<Meeting> {
        let prepared = self.prepare_off_writer(&b, draft.clone(), &epoch).await?;
        self.insert_prepared(b, draft, prepared, epoch).await
    }

    async fn prepare_off_writer(&self, b: &Booking, draft: BookingDraft, epoch: &AtomicU64) -> StoreResult<Prepared> {
        // Read before the reads it vouches for.
        let seen = epoch.load(Ordering::SeqCst);
        let b = b.clone();
        let (meeting, rendered) = self
            .read(work!(|conn| {
                let meeting = b.prepare(conn, draft).await?;
                // Rendered here if the company looks subscribed: the writer's guess
                // from its last change, else a read.
                let rendered = match &b.events {
                    Some(hook) => match hook.guess_subscribed(&b.company) {
                        Some(guess) => guess,
                        None => subscribed(conn, &b.company).await?,
                    }
                    .then(|| b.render(hook, &meeting)),
                    None => None,
                };
                Ok((meeting, rendered))
            }))
            .await?;
        Ok(Prepared { seen, meeting, rendered })
    }

    /// Checks the slot and inserts `prepared`, or prepares `draft` again if the directory
    /// has changed since.
    async fn insert_prepared(
        &self,
        b: Booking,
        draft: BookingDraft,
        prepared: Prepared,
        epoch: Arc<AtomicU64>,
    ) -> StoreResult<Meeting> {
        self.write_keeping_directory(work!(|conn| {
            let (meeting, rendered) = match epoch.load(Ordering::SeqCst) == prepared.seen {
                true => {
                    // Another booking may have taken a chosen id since the read.
                    if draft.id.is_some() {
                        b.check_id_is_new(conn, &prepared.meeting.id).await?;
                    }
                    (prepared.meeting, prepared.rendered)
                }
                false => (b.prepare(conn, draft).await?, None),
            };
            insert_if_free(conn, &b.company, &meeting, None, None).await?;
            emit_prepared(conn, &b.events, &b.company, b.now, rendered, || Change::MeetingBooked(meeting.clone()))
                .await?;
            record_mail(conn, &b.mail, &b.company, b.now, None, std::slice::from_ref(&meeting)).await?;
            Ok(meeting)
        }))
        .await
    }

    /// PostgreSQL, up to 500 attendees: the insert with its event as one statement.
    async fn book_in_one_statement(
        &self,
        b: Booking,
        draft: BookingDraft,
        cache: Arc<DirectoryCache>,
    ) -> StoreResult<Meeting> {
        self.write_one(work!(|conn| {
            let people = people(&draft);
            let (mut stale, mut use_kept) = (0, true);
            loop {
                let guarded = stale < GUARDED_TRIES;
                let kept = if guarded && use_kept { cache.get(&b.company, &draft.room, &people) } else { None };
                let read_now = kept.is_none();
                let rows = match kept {
                    Some(rows) => rows,
                    None => {
                        // The version first: the rows read after it are at it or later.
                        let version = if guarded { directory_cache::version(conn).await? } else { 0 };
                        let (room, users) = b.read(conn, &draft, &people).await?;
                        DirectoryRows { version, room, users }
                    }
                };
                let meeting = match b.build(conn, &rows.room, &rows.users, draft.clone()).await {
                    Ok(meeting) => meeting,
                    // Kept rows may be behind (no statement has checked their version):
                    // a refusal counts only on rows read now.
                    Err(_) if !read_now => {
                        use_kept = false;
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                // Rendered before the statement decides whether the company gets it: a
                // render costs less than the round trip that would ask first.
                let event = b.events.as_ref().map(|hook| b.render(hook, &meeting));
                match insert_if_free(conn, &b.company, &meeting, event, guarded.then_some(rows.version)).await? {
                    Inserted::Stale => {
                        cache.forget(rows.version);
                        stale += 1;
                    }
                    Inserted::Booked { recorded } => {
                        if recorded && let Some(hook) = &b.events {
                            hook.mark_recorded();
                        }
                        if guarded && read_now {
                            cache.keep(&b.company, rows);
                        }
                        return Ok(meeting);
                    }
                }
            }
        }))
        .await
    }

    /// PostgreSQL, more attendees than one statement takes: reads, then the inserts and
    /// the event in one transaction.
    async fn book_in_a_transaction(&self, b: Booking, draft: BookingDraft) -> StoreResult<Meeting> {
        self.write_keeping_directory(work!(|conn| {
            let meeting = b.prepare(conn, draft).await?;
            insert_if_free(conn, &b.company, &meeting, None, None).await?;
            emit(conn, &b.events, &b.company, b.now, || Change::MeetingBooked(meeting.clone())).await?;
            record_mail(conn, &b.mail, &b.company, b.now, None, std::slice::from_ref(&meeting)).await?;
            Ok(meeting)
        }))
        .await
    }
}

/// A booking prepared off the writer, and the directory's epoch it was prepared at.
struct Prepared {
    seen: u64,
    meeting: Meeting,
    rendered: Option<InlineEvent>,
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use roomd_core::directory::UserPatch;
    use roomd_core::meeting::{AttendeeDraft, BookingDraft};
    use roomd_core::room::RoomPatch;
    use roomd_core::time::TimeSpan;
    use roomd_core::{Actor, Caller, DomainError, ManualClock};

    use super::Booking;
    use crate::{Store, StoreConfig, StoreError};

    const DAY: i64 = 1_894_118_400_000;
    const HOUR: i64 = 3_600_000;

    fn epoch(store: &Store) -> Arc<std::sync::atomic::AtomicU64> {
        match store.inner.backend.directory_watch() {
            crate::db::DirectoryWatch::Epoch(epoch) => epoch,
            crate::db::DirectoryWatch::Version(_) => panic!("SQLite has an epoch"),
        }
    }

    /// A store on the SQLite file in `dir` (a second call: another process on it).
    async fn open(dir: &tempfile::TempDir) -> Store {
        let config = StoreConfig {
            database_url: format!("sqlite://{}", dir.path().join("roomd.db").display()),
            data_dir: dir.path().to_path_buf(),
            clock: Arc::new(ManualClock::new(DAY)),
        };
        Store::open(config).await.expect("store")
    }

    /// A store with a company, a booker and a room, and a booking draft of a free hour.
    async fn fixture(dir: &tempfile::TempDir) -> (Store, Caller, Booking, BookingDraft) {
        let store = open(dir).await;
        let company = store.create_company(None, "acme".into()).await.expect("company");
        let caller = Caller { company, tz: chrono_tz::Asia::Shanghai, actor: Actor::App("test".into()) };
        let patch = UserPatch { name: Some("u".into()), account: Some("u".into()), ..Default::default() };
        let booker = store.add_user(&caller, None, patch).await.expect("user").id;
        let room = RoomPatch { name: Some("r".into()), ..Default::default() };
        let room = store.add_room(&caller, None, room).await.expect("room").id;
        let draft = BookingDraft {
            id: None,
            room,
            speaker: "s".into(),
            subject: "t".into(),
            span: TimeSpan::new(DAY + 10 * HOUR, DAY + 11 * HOUR).expect("span"),
            booker: booker.clone(),
            address: None,
            checked: None,
            memo: String::new(),
            attendees: vec![AttendeeDraft { user: Some(booker), ..Default::default() }],
        };
        let booking = Booking { company: caller.company.as_str().to_string(), now: DAY, events: None, mail: None };
        (store, caller, booking, draft)
    }

    #[tokio::test]
    async fn a_prepared_booking_goes_in_while_the_directory_stands_still() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (store, caller, b, draft) = fixture(&dir).await;
        let epoch = epoch(&store);
        let prepared = store.prepare_off_writer(&b, draft.clone(), &epoch).await.expect("prepared");
        // A booking of another slot changes meetings only: the preparation still holds.
        let mut other = draft.clone();
        other.span = TimeSpan::new(DAY + 12 * HOUR, DAY + 13 * HOUR).expect("span");
        store.book_meeting(&caller, other).await.expect("another booking");
        let id = prepared.meeting.id.clone();
        let booked = store.insert_prepared(b, draft, prepared, epoch).await.expect("booked");
        assert_eq!(booked.id, id, "the meeting prepared off the writer is the one inserted");
        store.close().await;
    }

    /// Prepares a booking on `store`, has `remover` remove its booker, then inserts it.
    async fn insert_after_removal(
        store: &Store,
        remover: &Store,
        caller: &Caller,
        b: Booking,
        draft: BookingDraft,
    ) -> Result<roomd_core::meeting::Meeting, StoreError> {
        let epoch = epoch(store);
        let prepared = store.prepare_off_writer(&b, draft.clone(), &epoch).await.expect("prepared");
        remover.remove_user(caller, draft.booker.clone()).await.expect("removed");
        store.insert_prepared(b, draft, prepared, epoch).await
    }

    #[tokio::test]
    async fn a_prepared_booking_is_prepared_again_when_the_directory_changed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (store, caller, b, draft) = fixture(&dir).await;
        // The booker is removed after the preparation read them.
        let refused = insert_after_removal(&store, &store, &caller, b, draft).await;
        assert!(
            matches!(refused, Err(StoreError::Domain(DomainError::UserNotExist))),
            "a booking by a removed user went in: {refused:?}"
        );
        store.close().await;
    }

    #[tokio::test]
    async fn a_change_by_another_process_on_the_same_file_is_seen_too() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (store, caller, b, draft) = fixture(&dir).await;
        let other = open(&dir).await;
        let refused = insert_after_removal(&store, &other, &caller, b, draft).await;
        assert!(
            matches!(refused, Err(StoreError::Domain(DomainError::UserNotExist))),
            "a booking by a user another process removed went in: {refused:?}"
        );
        other.close().await;
        store.close().await;
    }
}
