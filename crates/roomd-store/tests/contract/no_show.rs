//! No-show release on both backends, raced by two stores on one database: each meeting
//! is released by exactly one of them.

use roomd_core::room::RoomPatch;

use super::{DAY, HOUR, backends, booking, company, room, user};

#[tokio::test]
async fn two_stores_release_each_no_show_exactly_once() {
    for b in backends().await {
        let (s, c) = (&b.store, company(&b.store).await);
        s.set_checkin_window(&c, None, Some(5)).await.expect("window");
        let booker = user(s, &c, "u").await;
        let mut meetings = Vec::new();
        for _ in 0..8 {
            let r = room(s, &c, RoomPatch::default()).await;
            meetings.push(s.book_meeting(&c, booking(&r, &booker, 10, 11)).await.expect("booked").id);
        }
        let other = b.another_store().await;
        b.clock.set(DAY + 10 * HOUR + 6 * 60_000);
        let (mine, theirs) = tokio::join!(s.release_no_shows(), other.release_no_shows());
        let (mine, theirs) = (mine.expect("mine"), theirs.expect("theirs"));
        let mut all: Vec<_> = mine.iter().chain(theirs.iter()).map(|(_, m)| m.clone()).collect();
        all.sort();
        meetings.sort();
        assert_eq!(all, meetings, "{}: every meeting released once ({} + {})", b.name, mine.len(), theirs.len());
        for id in &meetings {
            let m = s.meeting(&c, id.clone()).await.expect("meeting");
            assert!(m.cancelled_ms.is_some() && m.release_reason.is_some(), "{}", b.name);
        }
        other.close().await;
    }
}
