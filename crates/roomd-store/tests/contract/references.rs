//! References without foreign keys on PostgreSQL's hot path: the rows a booking refers
//! to are checked by roomd before it goes in, and are never deleted.

use roomd_core::meeting::{AttendeeDraft, BookingDraft};
use roomd_core::room::RoomPatch;
use roomd_core::{DomainError, UserId};

use super::{backends, booking, company, postgres_client, refused, room, user};

/// A booking naming someone who does not exist is refused on both backends, whether
/// they are the booker or an attendee, and nothing of it is stored.
#[tokio::test]
async fn a_booking_naming_unknown_people_is_refused_and_leaves_nothing() {
    for b in backends().await {
        let c = company(&b.store).await;
        let booker = user(&b.store, &c, "booker").await;
        let r = room(&b.store, &c, RoomPatch::default()).await;
        let ghost = UserId::from_stored("ghost".into());
        let with_ghost = BookingDraft {
            attendees: vec![AttendeeDraft { user: Some(ghost.clone()), ..Default::default() }],
            ..booking(&r, &booker, 9, 10)
        };
        assert_eq!(refused(b.store.book_meeting(&c, with_ghost).await), DomainError::UserNotExist, "{}", b.name);
        assert_eq!(refused(b.store.book_meeting(&c, booking(&r, &ghost, 9, 10)).await), DomainError::UserNotExist);
        // The slot is still free: nothing of the refused bookings went in.
        b.store.book_meeting(&c, booking(&r, &booker, 9, 10)).await.expect("the slot is free");
    }
}

/// On PostgreSQL, no company, room, user or meeting row can be deleted, not even by hand:
/// meetings and attendances refer to them without foreign keys (migration 15).
#[tokio::test]
async fn postgres_refuses_to_delete_rows_that_meetings_refer_to() {
    for b in backends().await.into_iter().filter(|b| b.name == "postgres") {
        let c = company(&b.store).await;
        let booker = user(&b.store, &c, "booker").await;
        let r = room(&b.store, &c, RoomPatch::default()).await;
        b.store.book_meeting(&c, booking(&r, &booker, 9, 10)).await.expect("book");
        let client = postgres_client(&b.url).await;
        for statement in [
            "DELETE FROM meetings",
            "DELETE FROM users",
            "DELETE FROM rooms",
            "DELETE FROM companies",
            "TRUNCATE meetings CASCADE",
        ] {
            let e = client.batch_execute(statement).await.expect_err(statement);
            let code = e.as_db_error().map(|d| d.code().code().to_string());
            assert_eq!(code.as_deref(), Some("23001"), "{statement}: {e}");
        }
        let kept: i64 = client.query_one("SELECT COUNT(*) FROM meetings", &[]).await.expect("count").get(0);
        assert_eq!(kept, 1);
    }
}
