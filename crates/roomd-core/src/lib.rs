//! roomd's domain: ids, times, the directory, rooms and meetings, and the rules that
//! govern them. No I/O and no wire formats: the store persists these values and the
//! server maps them to each dialect.

pub mod availability;
pub mod board;
pub mod caller;
pub mod clock;
pub mod company;
pub mod directory;
pub mod error;
pub mod event;
pub mod ical;
pub mod ids;
pub mod mail;
pub mod meeting;
pub mod onboarding;
pub mod place;
pub mod recurrence;
pub mod room;
pub mod scope;
pub mod secret;
pub mod time;

pub use caller::{Actor, Caller};
pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{DomainError, DomainResult};
pub use ids::{AttendanceId, BuildingId, CompanyId, DeptId, MailId, MeetingId, RegionId, RoomId, UserId};
