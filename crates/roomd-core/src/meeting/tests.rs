use chrono_tz::Tz;

use super::*;
use crate::directory::UserPatch;
use crate::room::RoomPatch;

const TZ: Tz = chrono_tz::Asia::Shanghai;
/// 2021-04-24 00:00 in Shanghai.
const DAY: i64 = 1_619_193_600_000;
const HOUR: i64 = 3_600_000;

fn room(patch: RoomPatch) -> Room {
    let patch = RoomPatch { name: Some("r".into()), ..patch };
    Room { time_zone: TZ, ..Room::create(RoomId::generate(), patch, 0).expect("valid room") }
}

fn user(admin: bool) -> User {
    let patch = UserPatch {
        name: Some("u".into()),
        account: Some(format!("u{}", UserId::generate())),
        is_admin: Some(admin),
        ..Default::default()
    };
    User::create(UserId::generate(), patch, 0).expect("valid user")
}

fn span(from_hour: i64, to_hour: i64) -> TimeSpan {
    TimeSpan::new(DAY + from_hour * HOUR, DAY + to_hour * HOUR).expect("valid span")
}

/// An approved meeting of a room of its own over `span` (other tests set the rest).
pub(crate) fn meeting(span: TimeSpan) -> Meeting {
    Meeting {
        id: MeetingId::generate(),
        room: RoomId::generate(),
        speaker: "s".into(),
        subject: "t".into(),
        span,
        planned_end_ms: span.end_ms(),
        address: String::new(),
        memo: String::new(),
        booker: UserId::generate(),
        checked: CheckedState::Approved,
        checked_ms: None,
        cancelled_ms: None,
        finished_ms: None,
        release_reason: None,
        reason: String::new(),
        time_zone: TZ,
        series_id: String::new(),
        recurrence: String::new(),
        created_ms: 0,
        updated_ms: 0,
        sequence: 0,
        attendances: Vec::new(),
    }
}

#[test]
fn bookings_must_fall_inside_the_bookable_hours() {
    let r = room(RoomPatch::default());
    let u = user(false);
    assert_eq!(check_room_rules(&r, span(7, 23), &Booker::from(&u), 0), Ok(()));
    assert_eq!(check_room_rules(&r, span(6, 8), &Booker::from(&u), 0), Err(DomainError::OutsideBookableHours));
    assert_eq!(check_room_rules(&r, span(22, 24), &Booker::from(&u), 0), Err(DomainError::OutsideBookableHours));
    assert_eq!(check_room_rules(&r, span(22, 31), &Booker::from(&u), 0), Err(DomainError::OutsideBookableHours));
}

#[test]
fn disabled_and_restricted_rooms_refuse() {
    let u = user(false);
    let off = room(RoomPatch { status: Some(0), ..Default::default() });
    assert_eq!(check_room_rules(&off, span(8, 9), &Booker::from(&u), 0), Err(DomainError::RoomDisabled));
    let closed = room(RoomPatch { permission: Some(1), ..Default::default() });
    assert_eq!(check_room_rules(&closed, span(8, 9), &Booker::from(&u), 0), Err(DomainError::NoPermission));
    assert_eq!(check_room_rules(&closed, span(8, 9), &Booker::from(&user(true)), 0), Ok(()));
}

#[test]
fn a_disabled_user_books_nothing_not_even_an_admin() {
    let r = room(RoomPatch::default());
    let mut admin = user(true);
    admin.enabled = false;
    assert_eq!(check_room_rules(&r, span(8, 9), &Booker::from(&admin), 0), Err(DomainError::NoPermission));
}

#[test]
fn a_meeting_that_is_already_over_cannot_be_booked() {
    let r = room(RoomPatch::default());
    let now = DAY + 10 * HOUR;
    assert!(matches!(
        check_room_rules(&r, span(8, 9), &Booker::from(&user(false)), now),
        Err(DomainError::Invalid { .. })
    ));
    assert_eq!(check_room_rules(&r, span(9, 11), &Booker::from(&user(false)), now), Ok(()));
}

/// A London room open 09:00–17:00 opens at 09:00 London time in winter (09:00 UTC) and
/// in summer (08:00 UTC): its hours are wall-clock times in its own zone.
#[test]
fn bookable_hours_are_wall_clock_times_in_the_rooms_zone() {
    let hours = RoomPatch {
        opens: Some(crate::time::DayMinute::from_hour(9)),
        closes: Some(crate::time::DayMinute::from_hour(17)),
        ..Default::default()
    };
    let london = Room { time_zone: chrono_tz::Europe::London, ..room(hours) };
    let utc = |y, m, d, h| {
        use chrono::TimeZone;
        chrono::Utc.with_ymd_and_hms(y, m, d, h, 0, 0).single().expect("instant").timestamp_millis()
    };
    let at = |from: i64| TimeSpan::new(from, from + HOUR).expect("span");
    let u = Booker::from(&user(false));
    assert_eq!(check_room_rules(&london, at(utc(2027, 1, 12, 9)), &u, 0), Ok(()));
    assert_eq!(check_room_rules(&london, at(utc(2027, 1, 12, 8)), &u, 0), Err(DomainError::OutsideBookableHours));
    assert_eq!(check_room_rules(&london, at(utc(2027, 7, 12, 8)), &u, 0), Ok(()), "09:00 BST");
    assert_eq!(check_room_rules(&london, at(utc(2027, 7, 12, 16)), &u, 0), Err(DomainError::OutsideBookableHours));
}

#[test]
fn approval_is_pending_only_for_audited_rooms_and_non_admins() {
    let audited = room(RoomPatch { need_audit: Some(1), ..Default::default() });
    let open = room(RoomPatch::default());
    assert_eq!(CheckedState::for_booking(None, &audited, false), CheckedState::Pending);
    assert_eq!(CheckedState::for_booking(None, &audited, true), CheckedState::Approved);
    assert_eq!(CheckedState::for_booking(None, &open, false), CheckedState::Approved);
    let set = Some(CheckedState::Approved);
    assert_eq!(CheckedState::for_booking(set, &audited, false), CheckedState::Approved);
}

#[test]
fn status_follows_the_clock() {
    let m = meeting(span(10, 11));
    assert_eq!(m.status(DAY), MeetingStatus::NotStarted);
    assert_eq!(m.status(DAY + 10 * HOUR - STARTING_SOON_MS), MeetingStatus::StartingSoon);
    assert_eq!(m.status(DAY + 10 * HOUR), MeetingStatus::InProgress);
    assert_eq!(m.status(DAY + 11 * HOUR), MeetingStatus::Ended);
}

#[test]
fn cancel_only_before_start_and_finish_only_in_progress() {
    let mut m = meeting(span(10, 12));
    assert_eq!(m.finish(DAY), Err(DomainError::MeetingState));
    assert_eq!(m.cancel(DAY + 10 * HOUR), Err(DomainError::MeetingState));
    let at = DAY + 11 * HOUR;
    assert_eq!(m.finish(at), Ok(()));
    assert_eq!((m.span.end_ms(), m.planned_end_ms, m.finished_ms), (at, DAY + 12 * HOUR, Some(at)));
    assert_eq!(m.status(at), MeetingStatus::Ended);
    assert_eq!(m.check_updatable(at), Err(DomainError::MeetingState));

    let mut later = meeting(span(14, 15));
    assert_eq!(later.cancel(at), Ok(()));
    assert_eq!(later.status(at), MeetingStatus::Cancelled);
    assert!(!later.occupies());
}

#[test]
fn attendances_snapshot_the_user_and_guests_need_a_name() {
    let u = user(false);
    let draft = AttendeeDraft { user: Some(u.id.clone()), phone: Some("110".into()), ..Default::default() };
    let a = Attendance::from_draft(draft, Some(&u), None).expect("valid");
    assert_eq!((a.name.as_str(), a.phone.as_str(), a.user.as_ref()), ("u", "110", Some(&u.id)));
    let guest = AttendeeDraft { phone: Some("w1312321".into()), ..Default::default() };
    assert_eq!(Attendance::from_draft(guest, None, None), Err(DomainError::Missing("attendances.name")));
}

#[test]
fn kept_attendances_keep_their_id_and_sign_in() {
    let u = user(false);
    let mut first =
        Attendance::from_draft(AttendeeDraft { user: Some(u.id.clone()), ..Default::default() }, Some(&u), None)
            .expect("valid");
    first.sign_in = Some(SignIn { kind: SignType::Face, at_ms: 5, image_url: String::new() });
    let again = Attendance::from_draft(
        AttendeeDraft { user: Some(u.id.clone()), ..Default::default() },
        Some(&u),
        Some(&first),
    )
    .expect("valid");
    assert_eq!((again.id, again.sign_in), (first.id, first.sign_in));
}
