//! A room over a range of time: the free-room search (docs/wire-compat.md "Finding a free
//! room"). Whether each room can take the range and why not, what holds it then, and the
//! order the rooms are answered in. The rules are a booking's (`check_room_rules`): the
//! same hours in the room's zone, the same permission, the same overlap.

use std::cmp::Reverse;

use crate::meeting::Booker;
use crate::room::Room;
use crate::time::{DAY_MS, TimeSpan};
use crate::{BuildingId, DomainError, DomainResult, MeetingId, RoomId, UserId};

/// The longest range one search covers. No room can take more than a day (its hours fit
/// in one), and a longer range would only make the busy lists long.
pub const MAX_RANGE_MS: i64 = 7 * DAY_MS;

/// The most rooms a schedule names (`roomIds`).
pub const MAX_SCHEDULE_ROOMS: usize = 1000;

/// Why a room cannot take a range. When several apply, the first in this order
/// (the derived `Ord`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Refusal {
    Disabled,
    Permission,
    Hours,
    Occupied,
}

/// A meeting holding a room (pending or approved, neither cancelled nor rejected).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub meeting: MeetingId,
    pub span: TimeSpan,
}

/// Which rooms a search or a schedule covers; every filter given must hold. Removed
/// rooms are never covered.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoomFilter {
    pub ids: Option<Vec<RoomId>>,
    /// `capacity >= min_capacity`.
    pub min_capacity: Option<i64>,
    pub building: Option<BuildingId>,
    pub floor: Option<String>,
}

impl RoomFilter {
    /// Whether `room` passes every filter but `ids` (the store narrows by ids itself).
    pub fn keeps(&self, room: &Room) -> bool {
        self.min_capacity.is_none_or(|min| room.capacity >= min)
            && self.building.as_ref().is_none_or(|b| room.building.as_deref() == Some(b.as_str()))
            && self.floor.as_ref().is_none_or(|f| &room.floor == f)
    }
}

/// A free-room search: the range, the rooms it covers, and for whom.
#[derive(Debug, Clone)]
pub struct FreeSearch {
    pub span: TimeSpan,
    pub rooms: RoomFilter,
    /// With a user, rooms they may not book are refused (`Refusal::Permission`).
    pub user: Option<UserId>,
    pub include_unavailable: bool,
}

impl FreeSearch {
    /// A search of `span`: at most `MAX_RANGE_MS` long and not over by `now_ms` (a range
    /// that has ended can be booked nowhere: 71001 on `endTime`, as a booking's).
    pub fn new(span: TimeSpan, rooms: RoomFilter, user: Option<UserId>, now_ms: i64) -> DomainResult<Self> {
        if span.end_ms() - span.begin_ms() > MAX_RANGE_MS {
            return Err(DomainError::invalid("endTime", "a search covers at most 7 days"));
        }
        if span.end_ms() <= now_ms {
            return Err(DomainError::invalid("endTime", "the range is already over"));
        }
        if rooms.min_capacity.is_some_and(|c| c < 0) {
            return Err(DomainError::invalid("capacity", "must not be negative"));
        }
        Ok(FreeSearch { span, rooms, user, include_unavailable: false })
    }
}

/// A room over a range: whether it can take it, and what holds it then.
#[derive(Debug, Clone, PartialEq)]
pub struct RoomRange {
    pub room: Room,
    /// `None` when the room is available.
    pub refusal: Option<Refusal>,
    /// The meetings holding the room that overlap the range, by start.
    pub busy: Vec<Held>,
}

impl RoomRange {
    /// `room` over `span`, for `booker` when a user is named; `held` may hold more (other
    /// times): only what overlaps `span` is kept.
    pub fn new(room: Room, span: TimeSpan, booker: Option<&Booker>, held: impl IntoIterator<Item = Held>) -> Self {
        let mut busy: Vec<Held> = held.into_iter().filter(|h| h.span.overlaps(span)).collect();
        busy.sort_by(|a, b| (a.span.begin_ms(), a.meeting.as_str()).cmp(&(b.span.begin_ms(), b.meeting.as_str())));
        let refusal = if !room.enabled {
            Some(Refusal::Disabled)
        } else if booker.is_some_and(|b| !b.may_book(&room)) {
            Some(Refusal::Permission)
        } else if !room.within_hours(span) {
            Some(Refusal::Hours)
        } else if !busy.is_empty() {
            Some(Refusal::Occupied)
        } else {
            None
        };
        RoomRange { room, refusal, busy }
    }

    pub fn available(&self) -> bool {
        self.refusal.is_none()
    }
}

/// The answer to `search`: each room of `rooms` (with the meetings that hold it) judged
/// for the search's range, only the available ones unless it includes the others;
/// available first, then by capacity (smallest first: with a capacity asked for, the
/// best fit), then by name, then by id.
pub fn free_rooms(
    search: &FreeSearch,
    booker: Option<&Booker>,
    rooms: impl IntoIterator<Item = (Room, Vec<Held>)>,
) -> Vec<RoomRange> {
    let mut out: Vec<RoomRange> = rooms
        .into_iter()
        .filter(|(room, _)| search.rooms.keeps(room))
        .map(|(room, held)| RoomRange::new(room, search.span, booker, held))
        .filter(|r| search.include_unavailable || r.available())
        .collect();
    out.sort_by(|a, b| {
        let key = |r: &RoomRange| (Reverse(r.available()), r.room.capacity);
        key(a).cmp(&key(b)).then_with(|| a.room.name.cmp(&b.room.name)).then_with(|| a.room.id.cmp(&b.room.id))
    });
    out
}

#[cfg(test)]
#[path = "range_tests.rs"]
mod tests;
