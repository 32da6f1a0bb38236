//! A room's day: its bookable hours on one date, and the meetings that hold it then. One
//! type for everything that asks "is the room free?": the board's schedule, the console's
//! calendar, the phone check-in page and the rooms' schedules. A room over any range of
//! time (the free-room search) is `range`'s.

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::meeting::Meeting;
use crate::room::Room;
use crate::time::{DayMinute, MINUTE_MS, TimeSpan, day_bounds};
use crate::{DomainError, DomainResult};

mod range;

pub use range::{FreeSearch, Held, MAX_RANGE_MS, MAX_SCHEDULE_ROOMS, Refusal, RoomFilter, RoomRange, free_rooms};

/// How long a walk-in booking may be, in minutes.
pub const WALK_IN_MINUTES: std::ops::RangeInclusive<i64> = 15..=240;

#[derive(Debug, Clone)]
pub struct RoomDay {
    pub date: NaiveDate,
    pub tz: Tz,
    /// The room's hours as local times of day.
    pub opens: DayMinute,
    pub closes: DayMinute,
    /// The local day, `[midnight, next midnight)`.
    pub day: (i64, i64),
    /// When the room may be booked that day: its `beginTime` to its `endTime`.
    pub hours: (i64, i64),
    /// The meetings that hold the room and touch the day, by start.
    pub meetings: Vec<Meeting>,
}

/// One step of a day's grid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Slot<'d> {
    /// A meeting, at the first step it covers.
    Meeting(&'d Meeting),
    /// A step nobody holds, still ahead: its start, local `HH:mm`.
    Free { at_ms: i64, label: DayMinute },
}

impl RoomDay {
    /// The day of `date` in the room's zone; `meetings` may hold more (other rooms,
    /// other days, cancelled ones): only those holding this room that day are kept.
    pub fn new(room: &Room, date: NaiveDate, meetings: impl IntoIterator<Item = Meeting>) -> RoomDay {
        let tz = room.time_zone;
        let day = day_bounds(date, tz);
        let hours = (room.opens.on(date, tz), room.closes.on(date, tz));
        let touches = |m: &Meeting| m.span.begin_ms() < day.1 && m.span.end_ms() > day.0;
        let mut meetings: Vec<Meeting> =
            meetings.into_iter().filter(|m| m.room == room.id && m.occupies() && touches(m)).collect();
        meetings.sort_by(|a, b| (a.span.begin_ms(), a.id.as_str()).cmp(&(b.span.begin_ms(), b.id.as_str())));
        RoomDay { date, tz, opens: room.opens, closes: room.closes, day, hours, meetings }
    }

    /// The meeting holding the room at `now`.
    pub fn current(&self, now: i64) -> Option<&Meeting> {
        self.meetings.iter().find(|m| m.span.contains(now))
    }

    /// The next meeting to begin after `now`.
    pub fn next(&self, now: i64) -> Option<&Meeting> {
        self.meetings.iter().find(|m| m.span.begin_ms() > now)
    }

    /// The meetings open for check-in at `now`: starting soon or in progress.
    pub fn open_for_check_in(&self, now: i64) -> impl Iterator<Item = &Meeting> {
        self.meetings.iter().filter(move |m| m.open_for_check_in(now))
    }

    /// The span a walk-in booking (a board's "book now") of `minutes` takes at `now`:
    /// 15 to 240 minutes, from the start of this minute, or from when a meeting that
    /// ended early within it let the room go (it holds the room to that millisecond).
    pub fn walk_in(&self, now: i64, minutes: i64) -> DomainResult<TimeSpan> {
        if !WALK_IN_MINUTES.contains(&minutes) {
            return Err(DomainError::invalid("minutes", "15 to 240"));
        }
        let minute = now.div_euclid(MINUTE_MS) * MINUTE_MS;
        let released = self.meetings.iter().map(|m| m.span.end_ms()).filter(|end| *end > minute && *end <= now);
        let start = released.fold(minute, i64::max);
        TimeSpan::new(start, start + minutes * MINUTE_MS)
    }

    /// The free stretches of the bookable hours from `from_ms` on, in order.
    pub fn free(&self, from_ms: i64) -> Vec<TimeSpan> {
        let (mut at, closes) = (self.hours.0.max(from_ms), self.hours.1);
        let mut out = Vec::new();
        for m in &self.meetings {
            if m.span.begin_ms() > at && at < closes {
                out.extend(TimeSpan::new(at, m.span.begin_ms().min(closes)).ok());
            }
            at = at.max(m.span.end_ms());
        }
        if at < closes {
            out.extend(TimeSpan::new(at, closes).ok());
        }
        out
    }

    /// The bookable hours in steps of `step_minutes` from opening (local times of day):
    /// a meeting once, at the first step it covers; a free step while it has not ended
    /// by `now`; past free steps left out.
    pub fn slots(&self, step_minutes: i64, now: i64) -> Vec<Slot<'_>> {
        let step_minutes = step_minutes.max(1);
        let mut out: Vec<Slot<'_>> = Vec::new();
        let mut minute = self.opens.minutes();
        while minute < self.closes.minutes() {
            let label = DayMinute::from_minutes(minute);
            let at = label.on(self.date, self.tz);
            let end = at + step_minutes * MINUTE_MS;
            match self.meetings.iter().find(|m| m.span.begin_ms() < end && m.span.end_ms() > at) {
                Some(m) if !out.iter().any(|s| matches!(s, Slot::Meeting(x) if x.id == m.id)) => {
                    out.push(Slot::Meeting(m))
                }
                Some(_) => {}
                None if end > now => out.push(Slot::Free { at_ms: at, label }),
                None => {}
            }
            minute += step_minutes;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RoomId;
    use crate::room::RoomPatch;

    const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;
    const H: i64 = 3_600_000;

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2030, 1, 10).expect("date")
    }

    fn room() -> Room {
        let patch = RoomPatch {
            name: Some("r".into()),
            opens: Some(DayMinute::from_hour(9)),
            closes: Some(DayMinute::from_hour(12)),
            ..RoomPatch::default()
        };
        Room { time_zone: SHANGHAI, ..Room::create(RoomId::generate(), patch, 0).expect("room") }
    }

    fn meeting(room: &Room, from_h: f64, to_h: f64) -> Meeting {
        let midnight = day_bounds(date(), SHANGHAI).0;
        let at = |h: f64| midnight + (h * H as f64) as i64;
        let span = TimeSpan::new(at(from_h), at(to_h)).expect("span");
        Meeting { room: room.id.clone(), ..crate::meeting::tests::meeting(span) }
    }

    #[test]
    fn a_day_knows_its_current_next_free_and_slots() {
        let r = room();
        let midnight = day_bounds(date(), SHANGHAI).0;
        let cancelled = Meeting { cancelled_ms: Some(0), ..meeting(&r, 11.0, 12.0) };
        let other_room = Meeting { room: RoomId::generate(), ..meeting(&r, 9.0, 12.0) };
        let day = RoomDay::new(&r, date(), [meeting(&r, 10.5, 11.0), meeting(&r, 9.5, 10.0), cancelled, other_room]);
        assert_eq!(day.meetings.len(), 2, "cancelled and other rooms' meetings do not hold it");
        let at = |h: f64| midnight + (h * H as f64) as i64;
        assert_eq!(day.current(at(9.75)).map(|m| m.span.begin_ms()), Some(at(9.5)));
        assert_eq!(day.next(at(9.75)).map(|m| m.span.begin_ms()), Some(at(10.5)));
        assert!(day.current(at(10.25)).is_none());
        let free: Vec<(i64, i64)> = day.free(at(9.0)).iter().map(|s| (s.begin_ms(), s.end_ms())).collect();
        assert_eq!(free, [(at(9.0), at(9.5)), (at(10.0), at(10.5)), (at(11.0), at(12.0))]);
        assert_eq!(day.free(at(11.5)).len(), 1, "from a later moment on");
        // Half-hour steps from 09:00 to 12:00, seen at 09:45: the 09:00 step is past, the
        // 09:30 meeting shows once, the rest free or held.
        let slots = day.slots(30, at(9.75));
        let kinds: Vec<String> = slots
            .iter()
            .map(|s| match s {
                Slot::Meeting(m) => format!("m{}", (m.span.begin_ms() - midnight) / (H / 2)),
                Slot::Free { label, .. } => label.to_string(),
            })
            .collect();
        assert_eq!(kinds, ["m19", "10:00", "m21", "11:00", "11:30"]);
        assert_eq!(day.open_for_check_in(at(9.75)).count(), 1);
    }

    #[test]
    fn a_walk_in_starts_this_minute_or_when_an_early_end_let_the_room_go() {
        let r = room();
        let midnight = day_bounds(date(), SHANGHAI).0;
        let now = midnight + 10 * H + 40_000;
        let mut finished = meeting(&r, 9.0, 10.0);
        finished.span = TimeSpan::new(finished.span.begin_ms(), midnight + 10 * H + 25_000).expect("span");
        let day = RoomDay::new(&r, date(), [finished]);
        let span = day.walk_in(now, 30).expect("walk in");
        assert_eq!(
            (span.begin_ms(), span.end_ms()),
            (midnight + 10 * H + 25_000, midnight + 10 * H + 25_000 + 30 * 60_000)
        );
        let empty = RoomDay::new(&r, date(), []);
        assert_eq!(empty.walk_in(now, 15).expect("walk in").begin_ms(), midnight + 10 * H);
        for minutes in [14, 241, 0, -5] {
            assert!(empty.walk_in(now, minutes).is_err(), "{minutes}");
        }
    }
}
