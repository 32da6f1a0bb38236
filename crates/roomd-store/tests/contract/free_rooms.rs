//! The free-room search and the rooms' schedules on both backends: what a search calls
//! free can be booked, what it calls occupied cannot, and its busy lists and the
//! schedules name exactly the meetings that hold the rooms.

use chrono::NaiveDate;
use roomd_core::availability::{FreeSearch, Refusal, RoomFilter};
use roomd_core::room::RoomPatch;
use roomd_core::time::TimeSpan;
use roomd_core::{BuildingId, DomainError, MeetingId, RoomId, UserId};

use super::{DAY, HOUR, backends, booking, company, refused, user};

fn span(from_hour: i64, to_hour: i64) -> TimeSpan {
    TimeSpan::new(DAY + from_hour * HOUR, DAY + to_hour * HOUR).expect("span")
}

fn search(from_hour: i64, to_hour: i64, user: Option<&UserId>, rooms: RoomFilter) -> FreeSearch {
    let mut search = FreeSearch::new(span(from_hour, to_hour), rooms, user.cloned(), DAY).expect("search");
    search.include_unavailable = true;
    search
}

#[tokio::test]
async fn free_rooms_and_busy_lists_agree_with_bookings() {
    for b in backends().await {
        let c = company(&b.store).await;
        let booker = user(&b.store, &c, "booker").await;
        let add = |name: &str, capacity: i64, patch: RoomPatch| {
            let patch = RoomPatch { name: Some(name.into()), capacity: Some(capacity), ..patch };
            let (store, c) = (b.store.clone(), c.clone());
            async move { store.add_room(&c, None, patch).await.expect("room").id }
        };
        let small = add("small", 4, RoomPatch::default()).await;
        let large = add("large", 8, RoomPatch::default()).await;
        add("locked", 6, RoomPatch { permission: Some(1), ..RoomPatch::default() }).await;
        add("off", 2, RoomPatch { status: Some(0), ..RoomPatch::default() }).await;
        let removed = add("removed", 1, RoomPatch::default()).await;
        b.store.remove_room(&c, removed).await.expect("remove");
        let first = b.store.book_meeting(&c, booking(&small, &booker, 10, 11)).await.expect("book");
        let second = b.store.book_meeting(&c, booking(&small, &booker, 11, 12)).await.expect("book");
        let gone = b.store.book_meeting(&c, booking(&large, &booker, 10, 12)).await.expect("book");
        b.store.cancel_meeting(&c, gone.id.clone()).await.expect("cancel");

        let found = b.store.free_rooms(&c, search(9, 13, Some(&booker), RoomFilter::default())).await.expect("free");
        let seen: Vec<(&str, Option<Refusal>, Vec<MeetingId>)> = found
            .iter()
            .map(|r| (r.room.name.as_str(), r.refusal, r.busy.iter().map(|h| h.meeting.clone()).collect()))
            .collect();
        assert_eq!(
            seen,
            [
                ("large", None, vec![]),
                ("off", Some(Refusal::Disabled), vec![]),
                ("small", Some(Refusal::Occupied), vec![first.id.clone(), second.id.clone()]),
                ("locked", Some(Refusal::Permission), vec![]),
            ],
            "{}",
            b.name
        );
        assert_eq!(found[2].busy[0].span, span(10, 11), "{}", b.name);

        // Where the search says free, a booking goes in; where it says occupied or not
        // theirs, none.
        let ranges = [(9, 10), (10, 11), (11, 13), (12, 13), (9, 13)];
        for (from, to) in ranges {
            let rooms = RoomFilter { ids: None, min_capacity: Some(4), building: None, floor: None };
            let judged = b.store.free_rooms(&c, search(from, to, Some(&booker), rooms.clone())).await.expect("free");
            // Asked for available rooms only, the store answers exactly those.
            let only_free = FreeSearch { include_unavailable: false, ..search(from, to, Some(&booker), rooms) };
            let only_free = b.store.free_rooms(&c, only_free).await.expect("free");
            let available: Vec<_> = judged.iter().filter(|r| r.available()).cloned().collect();
            assert_eq!(only_free, available, "{}: {from}–{to}", b.name);
            for judged in judged {
                let booked = b.store.book_meeting(&c, booking(&judged.room.id, &booker, from, to)).await;
                match judged.refusal {
                    None => {
                        let meeting = booked.expect("a free room takes the booking");
                        let again = b.store.free_rooms(&c, search(from, to, None, RoomFilter::default())).await;
                        let again = again.expect("free");
                        let now = again.iter().find(|r| r.room.id == judged.room.id).expect("listed");
                        assert_eq!(now.refusal, Some(Refusal::Occupied), "{}", b.name);
                        assert_eq!(now.busy.iter().map(|h| h.meeting.clone()).collect::<Vec<_>>(), [meeting.id]);
                    }
                    Some(Refusal::Occupied) => assert_eq!(refused(booked), DomainError::RoomOccupied, "{}", b.name),
                    Some(Refusal::Permission) => assert_eq!(refused(booked), DomainError::NoPermission, "{}", b.name),
                    other => panic!("{}: {other:?} for {}", b.name, judged.room.name),
                }
            }
        }
        assert!(!b.store.free_rooms(&c, search(9, 13, None, RoomFilter::default())).await.expect("free").is_empty());
    }
}

#[tokio::test]
async fn schedules_hold_each_rooms_meetings_of_the_day_and_refuse_unknown_rooms() {
    for b in backends().await {
        let c = company(&b.store).await;
        let booker = user(&b.store, &c, "booker").await;
        let tower = roomd_core::place::BuildingPatch { name: Some("tower".into()), ..Default::default() };
        let tower = b.store.save_building(&c, None, true, tower).await.expect("building");
        let patch = |name: &str, building: Option<&BuildingId>| RoomPatch {
            name: Some(name.into()),
            building: Some(building.map(ToString::to_string)),
            ..RoomPatch::default()
        };
        let a = b.store.add_room(&c, None, patch("a", Some(&tower.id))).await.expect("room").id;
        let z = b.store.add_room(&c, None, patch("z", None)).await.expect("room").id;
        let late = b.store.book_meeting(&c, booking(&a, &booker, 15, 16)).await.expect("book");
        let early = b.store.book_meeting(&c, booking(&a, &booker, 9, 10)).await.expect("book");
        let cancelled = b.store.book_meeting(&c, booking(&a, &booker, 11, 12)).await.expect("book");
        b.store.cancel_meeting(&c, cancelled.id).await.expect("cancel");
        let next_day = b.store.book_meeting(&c, booking(&z, &booker, 33, 34)).await.expect("book");
        let on_z = b.store.book_meeting(&c, booking(&z, &booker, 12, 13)).await.expect("book");

        let date = NaiveDate::from_ymd_opt(2030, 1, 9).expect("date");
        let days = b.store.room_schedules(&c, date, RoomFilter::default()).await.expect("schedules");
        let seen: Vec<(RoomId, Vec<MeetingId>)> =
            days.iter().map(|(r, d)| (r.id.clone(), d.meetings.iter().map(|m| m.id.clone()).collect())).collect();
        assert_eq!(seen, [(a.clone(), vec![early.id, late.id]), (z.clone(), vec![on_z.id])], "{}", b.name);
        let named = RoomFilter { ids: Some(vec![z.clone(), z.clone()]), ..RoomFilter::default() };
        let tomorrow = date.succ_opt().expect("date");
        let z_day = b.store.room_schedules(&c, tomorrow, named).await.expect("schedules");
        assert_eq!(z_day.len(), 1, "{}", b.name);
        assert_eq!(z_day[0].1.meetings.iter().map(|m| m.id.clone()).collect::<Vec<_>>(), [next_day.id]);
        let in_tower = RoomFilter { building: Some(tower.id.clone()), ..RoomFilter::default() };
        let days = b.store.room_schedules(&c, date, in_tower).await.expect("schedules");
        assert_eq!(days.iter().map(|(r, _)| r.id.clone()).collect::<Vec<_>>(), std::slice::from_ref(&a), "{}", b.name);
        let unknown = RoomFilter { ids: Some(vec![a, RoomId::generate()]), ..RoomFilter::default() };
        assert_eq!(refused(b.store.room_schedules(&c, date, unknown).await), DomainError::RoomNotExist);
        let nowhere = RoomFilter { building: Some(BuildingId::generate()), ..RoomFilter::default() };
        assert_eq!(refused(b.store.room_schedules(&c, date, nowhere).await), DomainError::BuildingNotExist);
        let stranger = search(9, 10, Some(&UserId::generate()), RoomFilter::default());
        assert_eq!(refused(b.store.free_rooms(&c, stranger).await), DomainError::UserNotExist, "{}", b.name);
    }
}

/// Meetings over an hour are read apart from the others (`meetings_long`): one that began
/// hours before the range holds its room, and one that ended as the range began does not.
#[tokio::test]
async fn a_long_meeting_that_began_hours_before_the_range_holds_its_room() {
    for b in backends().await {
        let c = company(&b.store).await;
        let booker = user(&b.store, &c, "booker").await;
        let long = super::room(&b.store, &c, RoomPatch::default()).await;
        let short = super::room(&b.store, &c, RoomPatch::default()).await;
        let held = b.store.book_meeting(&c, booking(&long, &booker, 8, 12)).await.expect("book");
        b.store.book_meeting(&c, booking(&short, &booker, 10, 11)).await.expect("book");

        let found = b.store.free_rooms(&c, search(11, 12, None, RoomFilter::default())).await.expect("free");
        let busy: Vec<(RoomId, Vec<MeetingId>)> =
            found.iter().map(|r| (r.room.id.clone(), r.busy.iter().map(|h| h.meeting.clone()).collect())).collect();
        assert!(busy.contains(&(long.clone(), vec![held.id])), "{}: {busy:?}", b.name);
        assert!(busy.contains(&(short.clone(), vec![])), "{}: {busy:?}", b.name);
        let only_free = FreeSearch { include_unavailable: false, ..search(11, 12, None, RoomFilter::default()) };
        let free = b.store.free_rooms(&c, only_free).await.expect("free");
        assert_eq!(free.iter().map(|r| r.room.id.clone()).collect::<Vec<_>>(), [short], "{}", b.name);
    }
}

/// The rooms a search keeps in memory are dropped as soon as the directory changes,
/// whoever changes it: another roomd process, or an operator by hand.
#[tokio::test]
async fn a_search_sees_a_room_changed_by_another_process_or_by_hand() {
    for b in backends().await {
        let c = company(&b.store).await;
        let r = super::room(&b.store, &c, RoomPatch::default()).await;
        let only_free = || FreeSearch { include_unavailable: false, ..search(9, 10, None, RoomFilter::default()) };
        let offered = |found: Vec<roomd_core::availability::RoomRange>| found.len();
        assert_eq!(offered(b.store.free_rooms(&c, only_free()).await.expect("free")), 1, "{}", b.name);

        let other = b.another_store().await;
        let off = RoomPatch { status: Some(0), ..RoomPatch::default() };
        other.update_room(&c, r.clone(), off).await.expect("disable");
        assert_eq!(offered(b.store.free_rooms(&c, only_free()).await.expect("free")), 0, "{}", b.name);

        b.execute("UPDATE rooms SET enabled = 1").await;
        assert_eq!(offered(b.store.free_rooms(&c, only_free()).await.expect("free")), 1, "{}", b.name);
        other.close().await;
    }
}
