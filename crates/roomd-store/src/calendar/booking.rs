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

use super::booking_draft::{Booking, Tries};
use crate::db::DirectoryWatch;
use crate::db::work;
use crate::directory_cache::DirectoryCache;
use crate::events::{Inline, InlineEvent, emit, emit_prepared, subscribed};
use crate::mail::record_mail;
use crate::slot_sql::{Inserted, books_in_one_statement, insert_if_free, insert_in_one_statement};
use crate::{Store, StoreResult};

impl Store {
    pub async fn book_meeting(&self, caller: &Caller, draft: BookingDraft) -> StoreResult<Meeting> {
        draft.check_caller(caller)?;
        let booking = self.booking(caller);
        // With mail on, a booking records its messages too: more than one statement.
        let one_statement = booking.mail.is_none() && books_in_one_statement(true, 1, draft.attendees.len());
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

    /// PostgreSQL, up to a statement's worth of attendees: the insert with its event as
    /// one statement.
    async fn book_in_one_statement(
        &self,
        b: Booking,
        draft: BookingDraft,
        cache: Arc<DirectoryCache>,
    ) -> StoreResult<Meeting> {
        self.write_one(work!(|conn| {
            let mut tries = Tries::new(&cache, &draft);
            loop {
                let rows = tries.rows(conn, &b, &draft).await?;
                let meeting = match b.build(conn, &rows.room, &rows.users, draft.clone()).await {
                    Ok(meeting) => meeting,
                    Err(e) => {
                        tries.refused(e)?;
                        continue;
                    }
                };
                // Rendered before the statement decides whether the company gets it: a
                // render costs less than the round trip that would ask first.
                let event = b.events.as_ref().map_or(Inline::Off, |hook| Inline::Rendered(b.render(hook, &meeting)));
                let one = std::slice::from_ref(&meeting);
                match insert_in_one_statement(conn, &b.company, one, true, event, tries.guard(&rows)).await? {
                    // (`Unrendered` needs an unrendered event; this one always is.)
                    Inserted::Stale | Inserted::Unrendered => tries.stale(&rows),
                    Inserted::Booked { recorded } => {
                        if recorded && let Some(hook) = &b.events {
                            hook.mark_recorded();
                        }
                        tries.done(&b.company, rows);
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
