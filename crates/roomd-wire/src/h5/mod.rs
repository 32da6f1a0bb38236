//! The h5 meeting Open API (the vendor's document; what roomd follows and where it departs: `docs/wire-compat.md`).

mod calendar;
mod company;
mod dept;
mod envelope;
mod error_code;
mod event;
mod mail;
mod meeting;
pub mod onboarding;
pub mod place;
mod room;
pub mod token;
mod user;

pub use calendar::{Feed, FeedOwner};
pub use company::{Company, CompanyUpdate};
pub use dept::{Department, DeptAdd, DeptId, DeptUpdate};
pub use envelope::Envelope;
pub use error_code::ErrorCode;
pub use event::{EventDeliveries, EventDelivery, EventReplay, EventReplayed, EventSave, EventSubscription};
pub use mail::{MailDeliveries, MailDelivery};
pub use meeting::{
    Attendance, AttendanceInput, Booked, Meeting, MeetingBook, MeetingId, MeetingList, MeetingUpdate, OccurrenceRef,
    Preview, Series, SeriesBooked, SeriesId, Skipped,
};
pub use room::{Busy, FreeRoom, Room, RoomAdd, RoomFree, RoomId, RoomSchedule, RoomUpdate, Timeline, TimelineMeeting};
pub use token::{GetToken, Token};
pub use user::{SetupLink, User, UserAdd, UserId, UserUpdate};
