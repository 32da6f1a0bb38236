use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Meeting {
    pub id: String,
    pub room_id: String,
    pub speaker: String,
    pub subject: String,
    pub begin_time: i64,
    pub end_time: i64,
    pub address: String,
    pub created_time: i64,
    pub last_update_time: i64,
    pub checked_state: i64,
    pub checked_time: i64,
    pub memo: String,
    pub attendances: Vec<Attendance>,
    /// Extension: 0 not started, 1 starting soon, 2 in progress, 3 ended, 4 cancelled.
    pub status: i64,
    /// Extension: the booker's user id (the `createdId` of the booking).
    pub created_id: String,
    /// Extension: why roomd released the room (a no-show); left out otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release_reason: Option<String>,
    /// Extension (scheduling): the room's zone.
    pub time_zone: String,
    /// Extension (scheduling): the series and its rule, `""` for a single meeting.
    pub series_id: String,
    pub recurrence: String,
    /// Extension (scheduling): why it was cancelled or rejected, `""` if no reason was given.
    pub reason: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attendance {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub face_url: String,
    pub is_signed: i64,
    pub sign_type: i64,
    pub sign_img_url: String,
    pub sign_time: i64,
}

/// One attendee of a booking or an update. Without `userId` it is an external guest.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttendanceInput {
    pub id: Option<String>,
    pub user_id: Option<String>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub face_url: Option<String>,
}

/// `meeting/book` body.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingBook {
    pub id: Option<String>,
    pub room_id: Option<String>,
    pub speaker: Option<String>,
    pub subject: Option<String>,
    pub begin_time: Option<i64>,
    pub end_time: Option<i64>,
    pub created_id: Option<String>,
    pub address: Option<String>,
    pub checked_state: Option<i64>,
    pub memo: Option<String>,
    pub attendances: Option<Vec<AttendanceInput>>,
    /// Extension (scheduling): an RFC 5545 RRULE value, for a series.
    pub recurrence: Option<String>,
    /// Extension (scheduling): book the occurrences that can be, skip the others.
    pub skip_conflicts: Option<bool>,
    /// Extension (scheduling), update and cancel: `this`, `following` or `all`.
    pub scope: Option<String>,
    /// Extension (scheduling), cancel and a rejecting update: why.
    pub reason: Option<String>,
}

/// What `meeting/book` answers: the meeting, or for a series its first occurrence with
/// every occurrence booked and skipped.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Booked {
    One(Meeting),
    Series(SeriesBooked),
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SeriesBooked {
    #[serde(flatten)]
    pub first: Meeting,
    pub occurrences: Vec<OccurrenceRef>,
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OccurrenceRef {
    pub id: String,
    pub begin_time: i64,
    pub end_time: i64,
}

/// An occurrence skipped, and the code it would have got.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Skipped {
    pub begin_time: i64,
    pub end_time: i64,
    pub code: u32,
}

/// One occurrence of `meeting/preview`: `code` 10000 when bookable, else the code it
/// would get; `conflictId` the meeting in the way of an overlap, else `""`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    pub begin_time: i64,
    pub end_time: i64,
    pub bookable: bool,
    pub code: u32,
    pub conflict_id: String,
}

/// `meeting/update` body: `id` plus any field to change; `attendances`, when present,
/// replaces the list (matched by `id`, then `userId`, keeping sign-in state).
pub type MeetingUpdate = MeetingBook;

/// `{"meetingId": …}` of meeting/get, cancel and finish.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingId {
    pub meeting_id: Option<String>,
    /// Extension (scheduling), cancel: `this`, `following` or `all`, and why.
    pub scope: Option<String>,
    pub reason: Option<String>,
}

/// `series/get` (extension, scheduling).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeriesId {
    pub series_id: Option<String>,
}

/// A series and every occurrence, cancelled ones included, by `beginTime`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Series {
    pub series_id: String,
    pub recurrence: String,
    pub time_zone: String,
    pub occurrences: Vec<Meeting>,
}

/// `meeting/list` filters; every one is a string in the seed.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingList {
    pub room_id: Option<String>,
    pub speaker: Option<String>,
    pub speaker_like: Option<String>,
    pub checked_state: Option<String>,
    pub min_time: Option<String>,
    pub max_time: Option<String>,
    pub reverse_date: Option<String>,
    pub created_begin_time: Option<String>,
    pub created_end_time: Option<String>,
    #[serde(rename = "order_by_expression")]
    pub order_by_expression: Option<String>,
    pub direction: Option<String>,
    /// Extension: also return cancelled meetings.
    pub include_cancelled: Option<bool>,
    /// Extension (scheduling): meetings this user booked or attends.
    pub user_id: Option<String>,
}
