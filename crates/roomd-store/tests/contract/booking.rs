//! Booking a room's slot on both backends: one booking holds it, however many race for
//! it or are cut short; cancelling, rejecting or finishing early frees it; an audited
//! room leaves bookings pending unless an admin books.

use roomd_core::directory::UserPatch;
use roomd_core::meeting::{BookingDraft, CheckedState, MeetingQuery};
use roomd_core::room::RoomPatch;
use roomd_core::time::TimeSpan;
use roomd_core::{DomainError, RoomId};
use roomd_store::StoreError;

use super::{DAY, HOUR, backends, booker_and_room, booking, company, refused, room, user};

#[tokio::test]
async fn thirty_two_concurrent_bookings_of_one_slot_give_exactly_one_success() {
    for b in backends().await {
        let (c, booker, r) = booker_and_room(&b.store).await;
        let tasks: Vec<_> = (0..32)
            .map(|i| {
                let (store, c) = (b.store.clone(), c.clone());
                // Every attempt overlaps every other (10:00–11:00 shifted by under a minute).
                let mut draft = booking(&r, &booker, 10, 11);
                draft.span = TimeSpan::new(DAY + 10 * HOUR + i * 1000, DAY + 11 * HOUR + i * 1000).expect("span");
                tokio::spawn(async move { store.book_meeting(&c, draft).await })
            })
            .collect();
        let mut ok = 0;
        for t in tasks {
            match t.await.expect("task") {
                Ok(_) => ok += 1,
                Err(StoreError::Domain(DomainError::RoomOccupied)) => {}
                Err(e) => panic!("{}: unexpected {e:?}", b.name),
            }
        }
        assert_eq!(ok, 1, "{}: exactly one booking wins", b.name);
        let day = MeetingQuery { room: Some(r.clone()), end_after_ms: Some(DAY), ..Default::default() };
        assert_eq!(b.store.list_meetings(&c, day).await.expect("list").len(), 1, "{}", b.name);
    }
}

/// The application's check is bypassed by a bulk import; on PostgreSQL the database's own
/// overlap check still refuses an overlap in the same room, and only there.
#[tokio::test]
async fn postgres_itself_refuses_an_overlap_the_application_did_not_check() {
    for b in backends().await.into_iter().filter(|b| b.name == "postgres") {
        let c = company(&b.store).await;
        let booker = user(&b.store, &c, "booker").await;
        let (r, other) =
            (room(&b.store, &c, RoomPatch::default()).await, room(&b.store, &c, RoomPatch::default()).await);
        let booked = b.store.book_meeting(&c, booking(&r, &booker, 9, 11)).await.expect("book");
        let copy = |room: &RoomId, from: i64, to: i64| roomd_core::meeting::Meeting {
            id: roomd_core::MeetingId::generate(),
            room: room.clone(),
            span: TimeSpan::new(DAY + from * HOUR, DAY + to * HOUR).expect("span"),
            attendances: vec![],
            ..booked.clone()
        };
        let overlap = b.store.import_meetings(&c, vec![copy(&r, 10, 12)]).await;
        assert_eq!(refused(overlap), DomainError::RoomOccupied);
        assert_eq!(b.store.import_meetings(&c, vec![copy(&other, 10, 12)]).await.expect("other room"), 1);
        assert_eq!(b.store.import_meetings(&c, vec![copy(&r, 11, 12)]).await.expect("right after"), 1);
        let cancelled = roomd_core::meeting::Meeting { cancelled_ms: Some(DAY), ..copy(&r, 9, 10) };
        assert_eq!(b.store.import_meetings(&c, vec![cancelled]).await.expect("cancelled"), 1);
    }
}

/// A request that goes away mid-booking leaves no transaction open and no connection
/// lost: each of many bookings cut short at a different moment is followed by a booking
/// of the same slot from a second store (another process) that answers at once: booked,
/// or occupied when the first one had committed. A transaction left open on an idle
/// connection would hold the room's lock and make it wait.
#[tokio::test]
async fn bookings_cut_short_leave_no_lock_and_no_lost_connection() {
    for b in backends().await {
        let (c, booker, r) = booker_and_room(&b.store).await;
        let other = b.another_store().await;
        for i in 0..40i64 {
            // A quarter of an hour each, from 09:00: every attempt has its own slot.
            let begin = DAY + 9 * HOUR + i * HOUR / 4;
            let span = TimeSpan::new(begin, begin + HOUR / 4).expect("span");
            let slot = BookingDraft { span, ..booking(&r, &booker, 9, 10) };
            let cut = std::time::Duration::from_micros((i as u64 * 97) % 3_000);
            let _ = tokio::time::timeout(cut, b.store.book_meeting(&c, slot.clone())).await;
            let next = tokio::time::timeout(std::time::Duration::from_secs(5), other.book_meeting(&c, slot)).await;
            if let Err(e) = next.unwrap_or_else(|_| panic!("{}: booking {i} waited on a lock", b.name)) {
                assert_eq!(refused::<()>(Err(e)), DomainError::RoomOccupied, "{}", b.name);
            }
        }
    }
}

#[tokio::test]
async fn cancelled_and_rejected_meetings_free_the_slot() {
    for b in backends().await {
        let (c, booker, r) = booker_and_room(&b.store).await;
        let first = b.store.book_meeting(&c, booking(&r, &booker, 9, 10)).await.expect("first");
        assert_eq!(refused(b.store.book_meeting(&c, booking(&r, &booker, 9, 10)).await), DomainError::RoomOccupied);
        b.store.cancel_meeting(&c, first.id.clone()).await.expect("cancel");
        let second = b.store.book_meeting(&c, booking(&r, &booker, 9, 10)).await.expect("slot is free again");
        let patch = roomd_core::meeting::MeetingPatch { checked: Some(CheckedState::Rejected), ..Default::default() };
        b.store.update_meeting(&c, second.id, patch).await.expect("reject");
        b.store.book_meeting(&c, booking(&r, &booker, 9, 10)).await.expect("a rejected meeting frees the slot");
        // Touching meetings do not overlap.
        b.store.book_meeting(&c, booking(&r, &booker, 10, 11)).await.expect("back to back");
    }
}

#[tokio::test]
async fn finishing_early_frees_the_rest_of_the_slot() {
    for b in backends().await {
        let (c, booker, r) = booker_and_room(&b.store).await;
        let m = b.store.book_meeting(&c, booking(&r, &booker, 9, 12)).await.expect("book");
        assert_eq!(refused(b.store.finish_meeting(&c, m.id.clone()).await), DomainError::MeetingState);
        b.clock.set(DAY + 10 * HOUR);
        assert_eq!(refused(b.store.cancel_meeting(&c, m.id.clone()).await), DomainError::MeetingState);
        let done = b.store.finish_meeting(&c, m.id.clone()).await.expect("finish");
        assert_eq!((done.span.end_ms(), done.planned_end_ms), (DAY + 10 * HOUR, DAY + 12 * HOUR));
        b.store.book_meeting(&c, booking(&r, &booker, 11, 12)).await.expect("the freed hour can be booked");
        let patch = roomd_core::meeting::MeetingPatch { subject: Some("late".into()), ..Default::default() };
        assert_eq!(refused(b.store.update_meeting(&c, m.id, patch).await), DomainError::MeetingState);
    }
}

#[tokio::test]
async fn audited_rooms_leave_bookings_pending_unless_an_admin_books() {
    for b in backends().await {
        let c = company(&b.store).await;
        let plain = user(&b.store, &c, "plain").await;
        let admin_patch = UserPatch {
            name: Some("boss".into()),
            account: Some("boss".into()),
            is_admin: Some(true),
            ..Default::default()
        };
        let admin = b.store.add_user(&c, None, admin_patch).await.expect("admin").id;
        let r = room(&b.store, &c, RoomPatch { need_audit: Some(1), ..Default::default() }).await;
        let pending = b.store.book_meeting(&c, booking(&r, &plain, 9, 10)).await.expect("book");
        assert_eq!((pending.checked, pending.checked_ms), (CheckedState::Pending, None));
        let approved = b.store.book_meeting(&c, booking(&r, &admin, 10, 11)).await.expect("book");
        assert_eq!(approved.checked, CheckedState::Approved);
        // A pending meeting holds the slot too.
        assert_eq!(refused(b.store.book_meeting(&c, booking(&r, &admin, 9, 10)).await), DomainError::RoomOccupied);
    }
}
