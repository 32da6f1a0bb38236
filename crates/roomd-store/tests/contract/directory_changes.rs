//! Bookings see every change to the room and the people they read, at once, whoever makes
//! it: this store, or another process on the same database. (A booking may build on rows
//! read before: prepared off SQLite's writer, or kept in memory on PostgreSQL.)

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use roomd_core::DomainError;
use roomd_core::directory::UserPatch;
use roomd_core::room::RoomPatch;
use roomd_core::time::DayMinute;

use super::{backends, booker_and_room, booking, refused, user};

#[tokio::test]
async fn bookings_see_directory_changes_made_here_and_by_another_process() {
    for b in backends().await {
        let (s, other) = (&b.store, b.another_store().await);
        let (c, booker, r) = booker_and_room(s).await;
        let guest = user(s, &c, "guest").await;
        let with_guest = |from, to| {
            let mut draft = booking(&r, &booker, from, to);
            draft
                .attendees
                .push(roomd_core::meeting::AttendeeDraft { user: Some(guest.clone()), ..Default::default() });
            draft
        };
        // Two bookings, so whatever a booking keeps of the room and people is kept.
        s.book_meeting(&c, with_guest(8, 9)).await.expect("first booking");
        s.book_meeting(&c, with_guest(9, 10)).await.expect("second booking");

        // Here: the room is disabled, then enabled again.
        let disabled = RoomPatch { status: Some(0), ..Default::default() };
        s.update_room(&c, r.clone(), disabled).await.expect("room disabled");
        assert_eq!(refused(s.book_meeting(&c, with_guest(10, 11)).await), DomainError::RoomDisabled, "{}", b.name);
        s.update_room(&c, r.clone(), RoomPatch { status: Some(1), ..Default::default() }).await.expect("enabled");
        let m = s.book_meeting(&c, with_guest(10, 11)).await.expect("booked once enabled");

        // Another process renames the guest: the next booking carries the new name.
        let renamed = UserPatch { name: Some("Guest Renamed".into()), ..Default::default() };
        other.update_user(&c, guest.clone(), renamed).await.expect("renamed elsewhere");
        let m2 = s.book_meeting(&c, with_guest(11, 12)).await.expect("booked after the rename");
        assert_eq!(m.attendances[1].name, "guest", "{}", b.name);
        assert_eq!(m2.attendances[1].name, "Guest Renamed", "{}: a name from before the change", b.name);

        // Another process extends the room's hours: a booking the old hours refused goes
        // in (a refusal from rows read before is checked on rows read now).
        let closes_at_14 = RoomPatch { closes: Some(DayMinute::from_hour(14)), ..Default::default() };
        s.update_room(&c, r.clone(), closes_at_14).await.expect("shorter hours");
        assert_eq!(refused(s.book_meeting(&c, with_guest(14, 15)).await), DomainError::OutsideBookableHours);
        s.book_meeting(&c, with_guest(13, 14)).await.expect("kept at the shorter hours");
        let closes_at_20 = RoomPatch { closes: Some(DayMinute::from_hour(20)), ..Default::default() };
        other.update_room(&c, r.clone(), closes_at_20).await.expect("longer hours elsewhere");
        s.book_meeting(&c, with_guest(14, 15)).await.expect("booked in the longer hours");

        // Another process removes the booker: refused at once.
        other.remove_user(&c, booker.clone()).await.expect("removed elsewhere");
        assert_eq!(
            refused(s.book_meeting(&c, with_guest(15, 16)).await),
            DomainError::UserNotExist,
            "{}: a removed booker booked",
            b.name
        );
        other.close().await;
    }
}

/// Bookings in flight while another process removes the booker: none that starts after
/// the removal has returned goes in, whatever the bookings before it kept or prepared.
#[tokio::test]
async fn no_booking_that_starts_after_its_booker_was_removed_goes_in() {
    for b in backends().await {
        let (s, other) = (b.store.clone(), b.another_store().await);
        let (c, booker, first) = booker_and_room(&s).await;
        let mut rooms = vec![first];
        for _ in 0..3 {
            rooms.push(super::room(&s, &c, roomd_core::room::RoomPatch::default()).await);
        }
        let removed_at: Arc<Mutex<Option<Instant>>> = Arc::default();
        let booked = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = rooms
            .into_iter()
            .map(|r| {
                let (s, c, booker) = (s.clone(), c.clone(), booker.clone());
                let (removed_at, booked) = (removed_at.clone(), booked.clone());
                tokio::spawn(async move {
                    let mut after_removal = 0;
                    for hour in 7..23 {
                        // The last four slots wait for the removal, so some start after it.
                        while hour >= 19 && removed_at.lock().expect("clock").is_none() {
                            tokio::time::sleep(Duration::from_millis(1)).await;
                        }
                        let started = Instant::now();
                        let removed_before = removed_at.lock().expect("clock").is_some_and(|at| at <= started);
                        let answer = s.book_meeting(&c, booking(&r, &booker, hour, hour + 1)).await;
                        if removed_before {
                            after_removal += 1;
                            assert_eq!(refused(answer), DomainError::UserNotExist, "a removed booker booked");
                        } else if answer.is_ok() {
                            booked.fetch_add(1, Ordering::SeqCst);
                        }
                        tokio::time::sleep(Duration::from_millis(2)).await;
                    }
                    after_removal
                })
            })
            .collect();
        // Some bookings in, so rows are kept (PostgreSQL) and epochs seen (SQLite).
        let deadline = Instant::now() + Duration::from_secs(30);
        while booked.load(Ordering::SeqCst) < 8 {
            assert!(Instant::now() < deadline, "{}: the first bookings did not go in", b.name);
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        other.remove_user(&c, booker.clone()).await.expect("removed elsewhere");
        *removed_at.lock().expect("clock") = Some(Instant::now());
        let mut after_removal = 0;
        for task in tasks {
            after_removal += task.await.expect("booking task");
        }
        assert!(after_removal > 0, "{}: no booking started after the removal; the test proved nothing", b.name);
        other.close().await;
    }
}
