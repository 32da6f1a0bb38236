//! Check-in (签到): marking an attendee present, by face, QR, photo or SMS code.

use super::{Meeting, MeetingStatus, SignIn};
use crate::{AttendanceId, DomainError, DomainResult, UserId};

/// Whom a check-in is for: a user on the list, or one attendance (a guest too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignTarget {
    User(UserId),
    Attendance(AttendanceId),
}

impl SignTarget {
    fn names(&self, a: &super::Attendance) -> bool {
        match self {
            SignTarget::User(u) => a.user.as_ref() == Some(u),
            SignTarget::Attendance(id) => &a.id == id,
        }
    }
}

impl Meeting {
    /// The attendance `target` names, if it is on the list.
    pub fn attendance(&self, target: &SignTarget) -> Option<&super::Attendance> {
        self.attendances.iter().find(|a| target.names(a))
    }

    /// Marks the attendee present, from 15 minutes before the start until the end (71015
    /// otherwise; 71013 when they are not on the list). A second check-in keeps the
    /// first. Returns the attendance's id.
    pub fn sign_in(&mut self, target: &SignTarget, sign: SignIn, now_ms: i64) -> DomainResult<AttendanceId> {
        if !self.open_for_check_in(now_ms) {
            return Err(DomainError::MeetingState);
        }
        let attendance =
            self.attendances.iter_mut().find(|a| target.names(a)).ok_or(DomainError::AttendanceNotExist)?;
        if attendance.sign_in.is_none() {
            attendance.sign_in = Some(sign);
            self.updated_ms = now_ms;
        }
        Ok(attendance.id.clone())
    }

    /// Whether check-in is open at `now_ms`: the meeting holds its room and starts within
    /// 15 minutes or is in progress.
    pub fn open_for_check_in(&self, now_ms: i64) -> bool {
        self.occupies() && matches!(self.status(now_ms), MeetingStatus::StartingSoon | MeetingStatus::InProgress)
    }

    /// Whether anybody has checked in.
    pub fn anyone_signed_in(&self) -> bool {
        self.attendances.iter().any(|a| a.sign_in.is_some())
    }
}
