//! Changes that are pushed to a company's event subscription (the seed's 事件订阅).
//!
//! The store records a `Change` in the same transaction as the change itself (the
//! outbox); how its payload looks on the wire is the server's business (`EventRender`).

use crate::directory::{Department, User};
use crate::meeting::Meeting;
use crate::room::Room;
use crate::{DeptId, MeetingId, RoomId, UserId};

/// One change, with the values as they were committed.
#[derive(Debug, Clone)]
pub enum Change {
    MeetingBooked(Meeting),
    /// Any later change of a meeting: its fields, an approval decision, finishing early.
    MeetingUpdated(Meeting),
    MeetingCancelled(MeetingId),
    /// A series booked (every occurrence), changed (those changed) or cancelled (their
    /// ids): one event each, listing them all.
    SeriesBooked(Vec<Meeting>),
    SeriesUpdated(Vec<Meeting>),
    SeriesCancelled(Vec<MeetingId>),
    RoomAdded(Room),
    RoomUpdated(Room),
    RoomRemoved(RoomId),
    UserAdded(User),
    UserUpdated(User),
    UserRemoved(UserId),
    DeptAdded(Department),
    DeptUpdated(Department),
    DeptRemoved(DeptId),
}

impl Change {
    /// The seed's `event_type`.
    pub fn event_type(&self) -> &'static str {
        match self {
            Change::MeetingBooked(_) | Change::SeriesBooked(_) => "book_success",
            Change::MeetingUpdated(_) | Change::SeriesUpdated(_) => "book_update",
            Change::MeetingCancelled(_) | Change::SeriesCancelled(_) => "book_cancel",
            Change::RoomAdded(_) => "room_add",
            Change::RoomUpdated(_) => "room_update",
            Change::RoomRemoved(_) => "room_remove",
            Change::UserAdded(_) => "user_add",
            Change::UserUpdated(_) => "user_update",
            Change::UserRemoved(_) => "user_remove",
            Change::DeptAdded(_) => "dept_add",
            Change::DeptUpdated(_) => "dept_update",
            Change::DeptRemoved(_) => "dept_remove",
        }
    }
}

/// Turns a change into the event's JSON text (`{"event_type", "value", …}`).
pub trait EventRender: Send + Sync {
    fn render(&self, company: &str, change: &Change) -> String;
}
