//! Meetings: booking rules, approval, attendances and the life cycle
//! (not started → starting soon → in progress → ended, or cancelled).

use chrono_tz::Tz;

use crate::directory::{User, text};
use crate::room::Room;
use crate::time::{MINUTE_MS, TimeSpan};
use crate::{AttendanceId, DomainError, DomainResult, MeetingId, RoomId, UserId};

/// `checkedState`: the approval of a meeting in a room that needs audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckedState {
    Pending = 0,
    Approved = 1,
    Rejected = 2,
}

impl CheckedState {
    pub fn from_code(field: &'static str, code: i64) -> DomainResult<Self> {
        match code {
            0 => Ok(CheckedState::Pending),
            1 => Ok(CheckedState::Approved),
            2 => Ok(CheckedState::Rejected),
            _ => Err(DomainError::invalid(field, "must be 0, 1 or 2")),
        }
    }

    pub fn code(self) -> i64 {
        self as i64
    }

    /// The state of a new booking: what the integrator set, else pending when the room
    /// needs audit and the booker is no admin, else approved.
    pub fn for_booking(requested: Option<CheckedState>, room: &Room, booker_is_admin: bool) -> Self {
        match requested {
            Some(state) => state,
            None if room.need_audit && !booker_is_admin => CheckedState::Pending,
            None => CheckedState::Approved,
        }
    }
}

/// The `status` extension of meeting objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingStatus {
    NotStarted = 0,
    StartingSoon = 1,
    InProgress = 2,
    Ended = 3,
    Cancelled = 4,
}

pub const STARTING_SOON_MS: i64 = 15 * MINUTE_MS;

/// The most attendances one meeting has (an auditorium's worth).
pub const MAX_ATTENDEES: usize = 1000;

/// 71001 on `attendances` for a list longer than `MAX_ATTENDEES`, before anything is read.
pub fn check_attendee_count(count: usize) -> DomainResult<()> {
    if count > MAX_ATTENDEES {
        return Err(DomainError::invalid("attendances", format!("at most {MAX_ATTENDEES} attendees a meeting")));
    }
    Ok(())
}

/// `signType`: how an attendee checked in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignType {
    Face = 1,
    Qr = 2,
    Photo = 3,
    Sms = 4,
    /// roomd's extension: from a phone, within the room's `radius` of its position.
    Location = 5,
}

impl SignType {
    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            1 => Some(SignType::Face),
            2 => Some(SignType::Qr),
            3 => Some(SignType::Photo),
            4 => Some(SignType::Sms),
            5 => Some(SignType::Location),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SignIn {
    pub kind: SignType,
    pub at_ms: i64,
    pub image_url: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attendance {
    pub id: AttendanceId,
    /// `None`: an external guest.
    pub user: Option<UserId>,
    pub name: String,
    pub phone: String,
    pub email: String,
    /// The user's face photo file when booked, else the URL the client gave.
    pub face_file: Option<String>,
    pub face_url: String,
    pub sign_in: Option<SignIn>,
}

/// One attendee as a client describes it.
#[derive(Debug, Clone, Default)]
pub struct AttendeeDraft {
    pub id: Option<AttendanceId>,
    pub user: Option<UserId>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub face_url: Option<String>,
}

impl Attendance {
    /// An attendance from a draft; `user` is the directory entry when `draft.user` is set.
    /// Values the client gave win over the directory's; a guest needs a name.
    pub fn from_draft(draft: AttendeeDraft, user: Option<&User>, keep: Option<&Attendance>) -> DomainResult<Self> {
        let given = |v: &Option<String>, field, max| v.as_deref().map(|v| text(field, v, max, false)).transpose();
        let name = given(&draft.name, "attendances.name", 64)?.filter(|n| !n.is_empty());
        let phone = given(&draft.phone, "attendances.phone", 32)?;
        let email = given(&draft.email, "attendances.email", 128)?;
        let face_url = given(&draft.face_url, "attendances.faceUrl", 1024)?;
        let (name, phone, email, face_file) = match user {
            Some(u) => (
                name.unwrap_or_else(|| u.name.clone()),
                phone.unwrap_or_else(|| u.phone.clone()),
                email.unwrap_or_else(|| u.email.clone()),
                u.face_file.clone(),
            ),
            None => (
                name.ok_or(DomainError::Missing("attendances.name"))?,
                phone.unwrap_or_default(),
                email.unwrap_or_default(),
                None,
            ),
        };
        Ok(Attendance {
            id: keep.map(|a| a.id.clone()).or(draft.id).unwrap_or_else(AttendanceId::generate),
            user: user.map(|u| u.id.clone()),
            name,
            phone,
            email,
            face_file,
            face_url: face_url.unwrap_or_default(),
            sign_in: keep.and_then(|a| a.sign_in.clone()),
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    pub id: MeetingId,
    pub room: RoomId,
    pub speaker: String,
    pub subject: String,
    /// When the meeting holds the room; a finished meeting's end is when it finished.
    pub span: TimeSpan,
    /// The end as booked, kept for reports after an early finish.
    pub planned_end_ms: i64,
    pub address: String,
    pub memo: String,
    pub booker: UserId,
    pub checked: CheckedState,
    pub checked_ms: Option<i64>,
    pub cancelled_ms: Option<i64>,
    pub finished_ms: Option<i64>,
    /// Why roomd released the room itself (a no-show); the meeting is then cancelled.
    pub release_reason: Option<String>,
    /// Why it was cancelled or rejected, as the person who did it said ("" if not).
    pub reason: String,
    /// The room's zone: its hours, its series and its calendar entries are in it.
    pub time_zone: Tz,
    /// The series it is an occurrence of, and the series' rule ("" for a single meeting).
    pub series_id: String,
    pub recurrence: String,
    pub created_ms: i64,
    pub updated_ms: i64,
    /// How many times it changed since it was booked: its calendar entries' `SEQUENCE`.
    pub sequence: i64,
    pub attendances: Vec<Attendance>,
}

/// A new booking as the client asked for it, before the room's rules are applied.
#[derive(Debug, Clone)]
pub struct BookingDraft {
    pub id: Option<MeetingId>,
    pub room: RoomId,
    pub speaker: String,
    pub subject: String,
    pub span: TimeSpan,
    pub booker: UserId,
    pub address: Option<String>,
    pub checked: Option<CheckedState>,
    pub memo: String,
    pub attendees: Vec<AttendeeDraft>,
}

impl BookingDraft {
    /// What is refused before anything is read: too many attendees, or an employee in the
    /// app booking for someone else or approving their own booking.
    pub fn check_caller(&self, caller: &crate::Caller) -> DomainResult<()> {
        check_attendee_count(self.attendees.len())?;
        caller.check_acts_for(&self.booker)?;
        if self.checked.is_some() {
            caller.check_may_approve()?;
        }
        Ok(())
    }
}

/// What `meeting/update` may change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct MeetingPatch {
    pub room: Option<RoomId>,
    pub speaker: Option<String>,
    pub subject: Option<String>,
    pub begin_ms: Option<i64>,
    pub end_ms: Option<i64>,
    pub address: Option<String>,
    pub checked: Option<CheckedState>,
    pub memo: Option<String>,
    pub attendees: Option<Vec<AttendeeDraft>>,
    /// Why, when the update rejects it (`checked` Rejected).
    pub reason: Option<String>,
}

impl Meeting {
    /// Whether the meeting holds its room: neither cancelled nor rejected.
    pub fn occupies(&self) -> bool {
        self.cancelled_ms.is_none() && self.checked != CheckedState::Rejected
    }

    pub fn status(&self, now_ms: i64) -> MeetingStatus {
        if self.cancelled_ms.is_some() {
            MeetingStatus::Cancelled
        } else if now_ms >= self.span.end_ms() {
            MeetingStatus::Ended
        } else if now_ms >= self.span.begin_ms() {
            MeetingStatus::InProgress
        } else if self.span.begin_ms() - now_ms <= STARTING_SOON_MS {
            MeetingStatus::StartingSoon
        } else {
            MeetingStatus::NotStarted
        }
    }

    /// Cancel: only before the meeting starts (the seed: 未开始和即将开始).
    pub fn cancel(&mut self, now_ms: i64) -> DomainResult<()> {
        match self.status(now_ms) {
            MeetingStatus::NotStarted | MeetingStatus::StartingSoon => {
                self.cancelled_ms = Some(now_ms);
                self.updated_ms = now_ms;
                Ok(())
            }
            _ => Err(DomainError::MeetingState),
        }
    }

    /// Finish early: only in progress (the seed: 只有状态为会议中的会议才可以结束). The
    /// rest of the slot is freed.
    pub fn finish(&mut self, now_ms: i64) -> DomainResult<()> {
        if self.status(now_ms) != MeetingStatus::InProgress {
            return Err(DomainError::MeetingState);
        }
        self.span = TimeSpan::new(self.span.begin_ms(), now_ms.max(self.span.begin_ms() + 1))?;
        self.finished_ms = Some(now_ms);
        self.updated_ms = now_ms;
        Ok(())
    }

    /// Whether `meeting/update` may touch it: not ended, not cancelled.
    pub fn check_updatable(&self, now_ms: i64) -> DomainResult<()> {
        match self.status(now_ms) {
            MeetingStatus::Ended | MeetingStatus::Cancelled => Err(DomainError::MeetingState),
            _ => Ok(()),
        }
    }

    /// Sets the approval, stamping when it was decided.
    pub fn set_checked(&mut self, state: CheckedState, now_ms: i64) {
        self.checked = state;
        self.checked_ms = (state != CheckedState::Pending).then_some(now_ms);
    }
}

/// Who books: the rules need only the id and whether they are an admin (a removed
/// booker's meetings may still be edited, as a non-admin's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booker {
    pub id: UserId,
    pub is_admin: bool,
    /// A disabled user (`status` 0), or one removed since, books nothing.
    pub enabled: bool,
}

impl Booker {
    /// Whether they may book `room`: enabled, and listed by it or an admin.
    pub fn may_book(&self, room: &Room) -> bool {
        self.enabled && room.may_book(&self.id, self.is_admin)
    }
}

impl From<&User> for Booker {
    fn from(u: &User) -> Self {
        Booker { id: u.id.clone(), is_admin: u.is_admin, enabled: u.enabled }
    }
}

/// The order `meeting/list` sorts by (`order_by_expression`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MeetingOrder {
    #[default]
    BeginTime,
    EndTime,
    CreatedTime,
    LastUpdateTime,
}

impl MeetingOrder {
    pub fn parse(raw: &str) -> DomainResult<Self> {
        match raw.trim() {
            "beginTime" => Ok(MeetingOrder::BeginTime),
            "endTime" => Ok(MeetingOrder::EndTime),
            "createdTime" => Ok(MeetingOrder::CreatedTime),
            "lastUpdateTime" => Ok(MeetingOrder::LastUpdateTime),
            _ => Err(DomainError::invalid(
                "order_by_expression",
                "one of beginTime, endTime, createdTime, lastUpdateTime",
            )),
        }
    }
}

/// The filters of `meeting/list`, as instants; every one set must hold.
#[derive(Debug, Clone, Default)]
pub struct MeetingQuery {
    pub room: Option<RoomId>,
    /// The occurrences of one series.
    pub series: Option<String>,
    /// Meetings this user booked or attends.
    pub user: Option<UserId>,
    pub speaker: Option<String>,
    pub speaker_like: Option<String>,
    pub checked: Option<CheckedState>,
    /// `endTime > x` (`minTime`).
    pub end_after_ms: Option<i64>,
    /// `beginTime < x` (`maxTime`, and the end of `reverseDate`).
    pub begin_before_ms: Option<i64>,
    /// `beginTime >= x` (the start of `reverseDate`).
    pub begin_from_ms: Option<i64>,
    pub created_from_ms: Option<i64>,
    pub created_to_ms: Option<i64>,
    pub order: MeetingOrder,
    pub descending: bool,
    pub include_cancelled: bool,
}

/// The rules a room puts on a booking of `span` by `booker`: enabled, permitted, inside
/// the bookable hours of one day (wall-clock times in the room's zone), and not already
/// over.
pub fn check_room_rules(room: &Room, span: TimeSpan, booker: &Booker, now_ms: i64) -> DomainResult<()> {
    if !room.enabled {
        return Err(DomainError::RoomDisabled);
    }
    if !booker.may_book(room) {
        return Err(DomainError::NoPermission);
    }
    if !room.within_hours(span) {
        return Err(DomainError::OutsideBookableHours);
    }
    if span.end_ms() <= now_ms {
        return Err(DomainError::invalid("endTime", "the meeting would already be over"));
    }
    Ok(())
}

/// Speaker and subject of a booking: required, trimmed, bounded.
pub fn meeting_text(field: &'static str, value: &str) -> DomainResult<String> {
    let max = if field == "memo" { 4096 } else { 128 };
    text(field, value, max, field != "memo" && field != "address")
}

mod scope;
mod sign_in;

pub use scope::{Scope, reason_text};
#[cfg(test)]
pub(crate) mod tests;

pub use sign_in::SignTarget;
