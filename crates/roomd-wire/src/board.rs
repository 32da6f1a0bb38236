//! roomd's own board API (`/board/api/...`, `docs/board-api.md`): what a check-in board
//! at a room's door calls. The envelope is the Feishu one (`{code, msg, data}`, plus
//! `error.field_violations`), with codes of its own.

use serde::{Deserialize, Serialize};

use crate::codes::code_table;

code_table! {
    /// Every code of the board API (`docs/board-api.md`).
    pub enum BoardCode {
        AccessCodeInvalid = (130001, 400, "unknown or expired access code"),
        TooManyAttempts = (130002, 429, "too many activation attempts, wait a minute"),
        DeviceTokenInvalid = (130003, 401, "missing, unknown or revoked device token"),
        RoomOutOfScope = (130004, 403, "the room is not in this board's scope"),
        InvalidParams = (130005, 400, "invalid parameters"),
        RoomOccupied = (130006, 409, "the room is not free then"),
        MeetingState = (130007, 409, "the meeting's state does not allow this"),
        NotFound = (130008, 404, "not found"),
        NotBound = (130009, 409, "the board is not bound to a room"),
        Internal = (130500, 500, "internal error"),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct Activate {
    pub access_code: Option<String>,
    pub device_name: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Activated {
    pub device_token: String,
    pub device: Device,
}

#[derive(Debug, Serialize)]
pub struct Device {
    pub id: String,
    pub name: String,
    /// 1 check-in board, 2 room device.
    pub kind: i64,
    pub scope: Scope,
    /// The bound room, `""` until bound.
    pub room_id: String,
    pub created_at: i64,
}

/// The scope as Feishu's requests give it; fields not part of it are left out.
#[derive(Debug, Serialize)]
pub struct Scope {
    pub scope: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub district_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub building_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub floor_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room_id: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Room {
    pub id: String,
    pub name: String,
    pub building_id: String,
    pub floor_name: String,
    pub capacity: i64,
    /// 1 usable, 0 disabled.
    pub status: i64,
}

#[derive(Debug, Default, Deserialize)]
pub struct Bind {
    pub room_id: Option<String>,
}

/// The bound room's day.
#[derive(Debug, Serialize)]
pub struct Schedule {
    pub room: Room,
    /// Epoch milliseconds, the server's clock.
    pub now: i64,
    /// No meeting holds the room now.
    pub free: bool,
    pub current: Option<Meeting>,
    pub next: Option<Meeting>,
    /// Today's meetings (today in the room's time zone), cancelled ones left out.
    pub meetings: Vec<Meeting>,
    pub display_background: String,
    /// The room's time zone (IANA name; its building's, else its company's): what "today"
    /// and the clock on the board mean.
    pub time_zone: String,
    /// The room configuration's `room_status` in force (`status: false` with a
    /// `disable_reason` when the room is out of service), if any node sets one.
    pub room_status: Option<serde_json::Value>,
}

#[derive(Debug, Default, Deserialize)]
pub struct BookNow {
    /// 15 to 240.
    pub minutes: Option<i64>,
    /// Whose meeting it is: a user's account.
    pub account: Option<String>,
    pub subject: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct MeetingRef {
    pub meeting_id: Option<String>,
}

/// A check-in at the board: `sign_type` 1 (face, the board matched `user_id`) or 4 (SMS,
/// with the `code` sent to the attendee). Photo check-in is multipart, at `check_in/photo`.
#[derive(Debug, Default, Deserialize)]
pub struct CheckIn {
    pub meeting_id: Option<String>,
    pub sign_type: Option<i64>,
    pub user_id: Option<String>,
    pub attendance_id: Option<String>,
    pub code: Option<String>,
}

/// The board's check-in QR code of this minute.
#[derive(Debug, Serialize)]
pub struct CheckInCode {
    /// The page the code opens.
    pub url: String,
    /// The code as a PNG image.
    pub png: String,
    /// Epoch milliseconds: the next minute's code is there from then.
    pub refresh_at: i64,
}

/// `sms`: send a check-in code to an attendee's phone.
#[derive(Debug, Default, Deserialize)]
pub struct SendCode {
    pub meeting_id: Option<String>,
    pub user_id: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CodeSent {
    /// The phone, masked (`138****5678`).
    pub phone: String,
    pub expires_at: i64,
}

/// A meeting as a board shows it: the h5 field names, without anybody's contact details
/// (a board hangs in a corridor).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Meeting {
    pub id: String,
    pub subject: String,
    pub speaker: String,
    pub begin_time: i64,
    pub end_time: i64,
    /// The h5 meeting `status` (0 not started … 4 cancelled).
    pub status: i64,
    pub checked_state: i64,
    pub attendances: Vec<Attendance>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attendance {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub is_signed: i64,
    pub sign_type: i64,
    pub sign_time: i64,
}
