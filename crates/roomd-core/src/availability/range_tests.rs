use chrono_tz::Tz;

use super::*;
use crate::room::RoomPatch;
use crate::time::DayMinute;

const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;
const LONDON: Tz = chrono_tz::Europe::London;
const H: i64 = 3_600_000;
/// 2030-01-10 00:00 in Shanghai.
const DAY: i64 = 1_894_204_800_000;

fn room(name: &str, capacity: i64, patch: RoomPatch) -> Room {
    let patch = RoomPatch {
        name: Some(name.into()),
        capacity: Some(capacity),
        opens: Some(DayMinute::from_hour(9)),
        closes: Some(DayMinute::from_hour(18)),
        ..patch
    };
    Room { time_zone: SHANGHAI, ..Room::create(RoomId::generate(), patch, 0).expect("room") }
}

fn at(from_h: i64, to_h: i64) -> TimeSpan {
    TimeSpan::new(DAY + from_h * H, DAY + to_h * H).expect("span")
}

fn held(span: TimeSpan) -> Held {
    Held { meeting: MeetingId::generate(), span }
}

fn booker(admin: bool, enabled: bool) -> Booker {
    Booker { id: UserId::generate(), is_admin: admin, enabled }
}

fn search(span: TimeSpan, rooms: RoomFilter) -> FreeSearch {
    FreeSearch::new(span, rooms, None, 0).expect("search")
}

#[test]
fn the_first_reason_wins_disabled_permission_hours_occupied() {
    let restricted = RoomPatch { permission: Some(1), ..RoomPatch::default() };
    let disabled = RoomPatch { status: Some(0), ..restricted.clone() };
    let outside = at(7, 10);
    let someone = booker(false, true);
    let reason = |r: Room, who: Option<&Booker>| RoomRange::new(r, outside, who, [held(at(8, 9))]).refusal;
    assert_eq!(reason(room("a", 1, disabled), Some(&someone)), Some(Refusal::Disabled));
    assert_eq!(reason(room("a", 1, restricted.clone()), Some(&someone)), Some(Refusal::Permission));
    assert_eq!(reason(room("a", 1, restricted.clone()), None), Some(Refusal::Hours), "nobody named: anyone");
    assert_eq!(reason(room("a", 1, restricted.clone()), Some(&booker(true, true))), Some(Refusal::Hours), "admin");
    let inside = RoomRange::new(room("a", 1, RoomPatch::default()), at(9, 10), None, [held(at(8, 10))]);
    assert_eq!(inside.refusal, Some(Refusal::Occupied));
    assert!(!inside.available());
    // A disabled user books nothing, as `check_room_rules` says.
    let free = RoomRange::new(room("a", 1, RoomPatch::default()), at(9, 10), Some(&booker(true, false)), []);
    assert_eq!(free.refusal, Some(Refusal::Permission));
    let listed = booker(false, true);
    let mine = Room { users: vec![listed.id.clone()], ..room("a", 1, restricted) };
    assert_eq!(RoomRange::new(mine, at(9, 10), Some(&listed), []).refusal, None);
}

#[test]
fn busy_keeps_what_overlaps_the_range_by_start() {
    let (first, second) = (held(at(11, 12)), held(at(9, 10)));
    let touching = [held(at(8, 9)), held(at(12, 13))];
    let range = RoomRange::new(room("a", 1, RoomPatch::default()), at(9, 12), None, [first.clone(), second.clone()]);
    assert_eq!(range.busy, [second, first]);
    let beside = RoomRange::new(room("a", 1, RoomPatch::default()), at(9, 12), None, touching);
    assert_eq!((beside.busy.len(), beside.refusal), (0, None), "touching is no overlap");
}

#[test]
fn hours_are_wall_clock_in_the_rooms_zone_and_end_with_its_day() {
    let london = Room { time_zone: LONDON, ..room("l", 1, RoomPatch::default()) };
    // 2030-07-11 and 2030-01-10 08:00 UTC: 09:00 in London in summer, 08:00 in winter.
    let (july, january) = (1_909_987_200_000_i64, 1_894_262_400_000_i64);
    let hour_from = |t: i64| TimeSpan::new(t, t + H).expect("span");
    assert_eq!(RoomRange::new(london.clone(), hour_from(july), None, []).refusal, None);
    assert_eq!(RoomRange::new(london, hour_from(january), None, []).refusal, Some(Refusal::Hours));
    let all_day =
        Room { opens: DayMinute::MIDNIGHT, closes: DayMinute::END_OF_DAY, ..room("d", 1, RoomPatch::default()) };
    assert_eq!(RoomRange::new(all_day.clone(), at(23, 24), None, []).refusal, None, "to midnight");
    assert_eq!(RoomRange::new(all_day, at(23, 25), None, []).refusal, Some(Refusal::Hours), "across midnight");
}

#[test]
fn rooms_come_available_first_then_smallest_then_by_name() {
    let busy_small = room("a-busy", 2, RoomPatch::default());
    let big = room("big", 20, RoomPatch::default());
    let (zeta, alpha) = (room("zeta", 8, RoomPatch::default()), room("alpha", 8, RoomPatch::default()));
    let off = room("off", 1, RoomPatch { status: Some(0), ..RoomPatch::default() });
    let rooms = || {
        vec![
            (big.clone(), vec![]),
            (busy_small.clone(), vec![held(at(10, 11))]),
            (zeta.clone(), vec![]),
            (off.clone(), vec![]),
            (alpha.clone(), vec![]),
        ]
    };
    let names = |found: Vec<RoomRange>| found.into_iter().map(|r| r.room.name).collect::<Vec<_>>();
    let mut all = search(at(10, 11), RoomFilter::default());
    assert_eq!(names(free_rooms(&all, None, rooms())), ["alpha", "zeta", "big"]);
    all.include_unavailable = true;
    assert_eq!(names(free_rooms(&all, None, rooms())), ["alpha", "zeta", "big", "off", "a-busy"]);
    let fits = search(at(10, 11), RoomFilter { min_capacity: Some(8), ..RoomFilter::default() });
    assert_eq!(names(free_rooms(&fits, None, rooms())), ["alpha", "zeta", "big"]);
    let bigger = search(at(10, 11), RoomFilter { min_capacity: Some(9), ..RoomFilter::default() });
    assert_eq!(names(free_rooms(&bigger, None, rooms())), ["big"]);
}

#[test]
fn a_search_is_at_most_a_week_not_over_and_asks_no_negative_capacity() {
    let now = DAY + 10 * H;
    let refused = |span: TimeSpan, capacity: Option<i64>| {
        let rooms = RoomFilter { min_capacity: capacity, ..RoomFilter::default() };
        match FreeSearch::new(span, rooms, None, now) {
            Err(DomainError::Invalid { field, .. }) => Some(field),
            _ => None,
        }
    };
    assert_eq!(refused(at(9, 10), None), Some("endTime"), "over");
    assert_eq!(refused(at(9, 11), None), None, "still going");
    assert_eq!(refused(at(10, 10 + 7 * 24), None), None, "a week");
    assert_eq!(refused(at(10, 11 + 7 * 24), None), Some("endTime"), "longer");
    assert_eq!(refused(at(10, 11), Some(-1)), Some("capacity"));
    assert_eq!(refused(at(10, 11), Some(0)), None);
}

#[test]
fn a_filter_keeps_rooms_by_capacity_building_and_floor() {
    let placed = Room { building: Some("B1".into()), floor: "3F".into(), ..room("p", 6, RoomPatch::default()) };
    let filter = |min: Option<i64>, building: Option<&str>, floor: Option<&str>| RoomFilter {
        ids: None,
        min_capacity: min,
        building: building.map(|b| BuildingId::from_stored(b.into())),
        floor: floor.map(str::to_string),
    };
    assert!(filter(Some(6), Some("B1"), Some("3F")).keeps(&placed));
    assert!(filter(None, None, Some("3F")).keeps(&placed), "a floor of that name in any building");
    assert!(!filter(Some(7), None, None).keeps(&placed));
    assert!(!filter(None, Some("B2"), None).keeps(&placed));
    assert!(!filter(None, Some("B1"), Some("4F")).keeps(&placed));
}
