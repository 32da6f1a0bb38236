//! Races between processes: many clients on two stores over one database book the same
//! and overlapping slots; a lost race is an ordinary refusal on every backend.

use roomd_core::DomainError;
use roomd_core::meeting::{BookingDraft, MeetingQuery};
use roomd_core::time::TimeSpan;
use roomd_store::StoreError;

use super::{DAY, HOUR, backends, booker_and_room, booking};

/// Many clients on two stores (two roomd processes over one database) book the same
/// and overlapping slots, round after round: every loser is told the room is occupied
/// (never an internal error, such as a deadlock between two inserts in PostgreSQL's
/// overlap check), and no two meetings left overlap.
#[tokio::test]
async fn racing_bookings_on_two_processes_lose_only_as_occupied() {
    for b in backends().await {
        let (c, booker, r) = booker_and_room(&b.store).await;
        let stores = [b.store.clone(), b.another_store().await];
        for round in 0..96i64 {
            let base = DAY + (round / 12) * 24 * HOUR + (8 + round % 12) * HOUR;
            let tasks: Vec<_> = (0..32i64)
                .map(|i| {
                    let (store, c) = (stores[(i % 2) as usize].clone(), c.clone());
                    // Half the clients want the same slot; the others slide along it, so
                    // each overlaps its neighbours but not every other.
                    let shift = if i % 2 == 0 { 0 } else { i * HOUR / 64 };
                    let span = TimeSpan::new(base + shift, base + shift + HOUR / 2).expect("span");
                    let draft = BookingDraft { span, ..booking(&r, &booker, 9, 10) };
                    tokio::spawn(async move { store.book_meeting(&c, draft).await })
                })
                .collect();
            let mut won = 0;
            for t in tasks {
                match t.await.expect("task") {
                    Ok(_) => won += 1,
                    Err(StoreError::Domain(DomainError::RoomOccupied)) => {}
                    Err(e) => panic!("{}: round {round}: a lost race answered {e:?}", b.name),
                }
            }
            assert!(won >= 1, "{}: round {round}: somebody wins", b.name);
        }
        let all = MeetingQuery { room: Some(r.clone()), end_after_ms: Some(DAY), ..Default::default() };
        let mut kept = b.store.list_meetings(&c, all).await.expect("list");
        kept.sort_by_key(|m| m.span.begin_ms());
        for pair in kept.windows(2) {
            assert!(!pair[0].span.overlaps(pair[1].span), "{}: double booking {pair:?}", b.name);
        }
    }
}
