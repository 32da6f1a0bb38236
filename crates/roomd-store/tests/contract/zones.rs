//! Time zones on both backends: a room takes its building's zone, else its company's;
//! when either changes, the rooms follow and so do their meetings still ahead, while a
//! meeting already over keeps the zone it was held in. Hours are checked in the zone.

use chrono::TimeZone;
use chrono_tz::Tz;
use roomd_core::DomainError;
use roomd_core::availability::{FreeSearch, RoomFilter};
use roomd_core::company::CompanyPatch;
use roomd_core::meeting::BookingDraft;
use roomd_core::place::BuildingPatch;
use roomd_core::recurrence::Recurrence;
use roomd_core::room::RoomPatch;
use roomd_core::time::{DayMinute, TimeSpan};
use roomd_store::StoreError;

use super::{DAY, HOUR, backends, booking, company, refused, user};

const LONDON: Tz = chrono_tz::Europe::London;
const NEW_YORK: Tz = chrono_tz::America::New_York;

#[tokio::test]
async fn rooms_and_meetings_ahead_follow_their_buildings_and_companys_zone() {
    for b in backends().await {
        let c = company(&b.store).await;
        let booker = user(&b.store, &c, "booker").await;
        assert_eq!(b.store.company(&c).await.expect("company").time_zone, chrono_tz::Asia::Shanghai);
        let all_day = RoomPatch {
            name: Some("r".into()),
            opens: Some(DayMinute::from_minutes(0)),
            closes: Some(DayMinute::from_minutes(24 * 60 - 1)),
            ..RoomPatch::default()
        };
        let loose = b.store.add_room(&c, None, all_day.clone()).await.expect("room");
        let tower = BuildingPatch { name: Some("tower".into()), time_zone: Some(Some(NEW_YORK)), ..Default::default() };
        let tower = b.store.save_building(&c, None, true, tower).await.expect("building");
        let placed = RoomPatch { building: Some(Some(tower.id.to_string())), ..all_day };
        let placed = b.store.add_room(&c, None, placed).await.expect("room");
        assert_eq!((loose.time_zone, placed.time_zone), (chrono_tz::Asia::Shanghai, NEW_YORK), "{}", b.name);

        b.clock.set(DAY);
        let past = b.store.book_meeting(&c, booking(&loose.id, &booker, 1, 2)).await.expect("past");
        let ahead = b.store.book_meeting(&c, booking(&loose.id, &booker, 30, 31)).await.expect("ahead");
        let there = b.store.book_meeting(&c, booking(&placed.id, &booker, 30, 31)).await.expect("there");
        assert_eq!((ahead.time_zone, there.time_zone), (chrono_tz::Asia::Shanghai, NEW_YORK), "{}", b.name);
        b.clock.set(DAY + 3 * HOUR);

        let patch = CompanyPatch { time_zone: Some(LONDON), ..Default::default() };
        assert_eq!(b.store.update_company(&c, patch).await.expect("update").time_zone, LONDON);
        let zone_of = |id| {
            let store = b.store.clone();
            let c = c.clone();
            async move { store.meeting(&c, id).await.expect("meeting").time_zone }
        };
        assert_eq!(b.store.room(&c, loose.id.clone()).await.expect("room").time_zone, LONDON, "{}", b.name);
        assert_eq!(b.store.room(&c, placed.id.clone()).await.expect("room").time_zone, NEW_YORK, "{}", b.name);
        assert_eq!(zone_of(ahead.id.clone()).await, LONDON, "{}: ahead follows", b.name);
        assert_eq!(zone_of(past.id.clone()).await, chrono_tz::Asia::Shanghai, "{}: the past keeps its zone", b.name);
        assert_eq!(zone_of(there.id.clone()).await, NEW_YORK, "{}: its building's zone", b.name);

        // The building goes back to the company's zone: its room and meeting follow.
        let back = BuildingPatch { time_zone: Some(None), ..Default::default() };
        b.store.save_building(&c, Some(tower.id.clone()), false, back).await.expect("building");
        assert_eq!(b.store.room(&c, placed.id.clone()).await.expect("room").time_zone, LONDON, "{}", b.name);
        assert_eq!(zone_of(there.id.clone()).await, LONDON, "{}", b.name);
    }
}

/// A New York room open 09:00–17:00 takes 09:00 New York time in winter (14:00 UTC) and
/// in summer (13:00 UTC), and refuses 08:00 either way.
#[tokio::test]
async fn bookable_hours_are_checked_in_the_rooms_zone_across_daylight_saving() {
    for b in backends().await {
        let c = company(&b.store).await;
        let booker = user(&b.store, &c, "booker").await;
        let tower = BuildingPatch { name: Some("ny".into()), time_zone: Some(Some(NEW_YORK)), ..Default::default() };
        let tower = b.store.save_building(&c, None, true, tower).await.expect("building");
        let patch = RoomPatch {
            name: Some("r".into()),
            opens: Some(DayMinute::from_hour(9)),
            closes: Some(DayMinute::from_hour(17)),
            building: Some(Some(tower.id.to_string())),
            ..RoomPatch::default()
        };
        let r = b.store.add_room(&c, None, patch).await.expect("room").id;
        b.clock.set(0);
        // 2031-01-15 and 2031-07-15, 00:00 UTC.
        for (midnight_utc, nine_local_utc_hour) in [(1_926_201_600_000_i64, 14), (1_941_840_000_000, 13)] {
            let at = |h: i64| TimeSpan::new(midnight_utc + h * HOUR, midnight_utc + (h + 1) * HOUR).expect("span");
            let ok = roomd_core::meeting::BookingDraft { span: at(nine_local_utc_hour), ..booking(&r, &booker, 0, 1) };
            b.store.book_meeting(&c, ok).await.expect("09:00 local");
            let early =
                roomd_core::meeting::BookingDraft { span: at(nine_local_utc_hour - 1), ..booking(&r, &booker, 0, 1) };
            assert!(
                matches!(
                    b.store.book_meeting(&c, early).await,
                    Err(StoreError::Domain(DomainError::OutsideBookableHours))
                ),
                "{}: 08:00 local",
                b.name
            );
        }
    }
}

/// A London room open all day holds a meeting of the whole of 2030-10-27, the day the
/// clocks go back: 25 hours. A booking at 23:30 that evening overlaps it and is refused,
/// a series occurrence there too, and a search for rooms free then does not offer the
/// room: every check looks back far enough for a meeting that began 24 hours earlier.
#[tokio::test]
async fn a_meeting_of_a_25_hour_day_holds_its_room_to_the_end() {
    for b in backends().await {
        let c = company(&b.store).await;
        let booker = user(&b.store, &c, "booker").await;
        let london = BuildingPatch { name: Some("ldn".into()), time_zone: Some(Some(LONDON)), ..Default::default() };
        let london = b.store.save_building(&c, None, true, london).await.expect("building");
        let patch = RoomPatch {
            name: Some("r".into()),
            opens: Some(DayMinute::from_minutes(0)),
            closes: Some(DayMinute::END_OF_DAY),
            building: Some(Some(london.id.to_string())),
            ..RoomPatch::default()
        };
        let r = b.store.add_room(&c, None, patch).await.expect("room").id;
        let local = |d: u32, h: u32, m: u32| {
            LONDON.with_ymd_and_hms(2030, 10, d, h, m, 0).single().expect("one instant").timestamp_millis()
        };
        let whole_day = TimeSpan::new(local(27, 0, 0), local(28, 0, 0)).expect("span");
        assert_eq!(whole_day.end_ms() - whole_day.begin_ms(), 25 * HOUR);
        let day = BookingDraft { span: whole_day, ..booking(&r, &booker, 0, 1) };
        b.store.book_meeting(&c, day).await.expect("the whole day");
        let evening = TimeSpan::new(local(27, 23, 30), local(27, 23, 45)).expect("span");
        let late = BookingDraft { span: evening, ..booking(&r, &booker, 0, 1) };
        assert_eq!(refused(b.store.book_meeting(&c, late.clone()).await), DomainError::RoomOccupied, "{}", b.name);
        let weekly = Recurrence::parse("FREQ=WEEKLY;COUNT=2").expect("rule");
        let series = b.store.book_series(&c, late, weekly, false).await;
        assert!(matches!(refused(series), DomainError::Occurrences(_)), "{}", b.name);
        let mut search = FreeSearch::new(evening, RoomFilter::default(), None, 0).expect("search");
        search.include_unavailable = true;
        let found = b.store.free_rooms(&c, search).await.expect("free");
        let judged = found.iter().find(|range| range.room.id == r).expect("the room judged");
        assert!(judged.refusal.is_some() && judged.busy.len() == 1, "{}: offered while held", b.name);
    }
}
