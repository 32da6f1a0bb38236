//! A room's day on both backends: the room, and what holds it that day in the caller's
//! zone; cancelled meetings and other days left out.

use chrono::NaiveDate;

use super::{DAY, HOUR, backends, booker_and_room, booking};

#[tokio::test]
async fn a_rooms_day_holds_what_occupies_it_that_day() {
    for b in backends().await {
        let (c, booker, r) = booker_and_room(&b.store).await;
        let kept = b.store.book_meeting(&c, booking(&r, &booker, 10, 11)).await.expect("book");
        let gone = b.store.book_meeting(&c, booking(&r, &booker, 12, 13)).await.expect("book");
        b.store.cancel_meeting(&c, gone.id.clone()).await.expect("cancel");
        let tomorrow = roomd_core::meeting::BookingDraft {
            span: roomd_core::time::TimeSpan::new(DAY + 34 * HOUR, DAY + 35 * HOUR).expect("span"),
            ..booking(&r, &booker, 10, 11)
        };
        b.store.book_meeting(&c, tomorrow).await.expect("book tomorrow");
        let date = NaiveDate::from_ymd_opt(2030, 1, 9).expect("date");
        let (room, day) = b.store.room_day(&c, r.clone(), Some(date)).await.expect("day");
        assert_eq!(room.id, r);
        let ids: Vec<_> = day.meetings.iter().map(|m| m.id.clone()).collect();
        assert_eq!(ids, std::slice::from_ref(&kept.id), "{}", b.name);
        assert_eq!(day.next(DAY).map(|m| m.id.clone()), Some(kept.id), "{}", b.name);
        assert!(b.store.room_day(&c, roomd_core::RoomId::generate(), Some(date)).await.is_err(), "{}", b.name);
    }
}
