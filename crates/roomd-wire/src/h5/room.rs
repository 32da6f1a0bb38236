use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Room {
    pub id: String,
    pub department_id: String,
    pub name: String,
    pub address: String,
    pub memo: String,
    pub begin_time: String,
    pub end_time: String,
    pub capacity: i64,
    pub size: i64,
    pub longitude: f64,
    pub latitude: f64,
    pub radius: i64,
    pub status: i64,
    pub need_audit: i64,
    pub permission: i64,
    pub scene_image: String,
    pub created_time: i64,
    pub user_ids: Vec<String>,
    /// Extension (docs/wire-compat.md): the room's place in a building.
    pub building_id: String,
    pub floor_name: String,
    /// Extension (scheduling): the zone its hours are in (its building's, else its company's).
    pub time_zone: String,
}

/// `room/add` body.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoomAdd {
    pub id: Option<String>,
    pub department_id: Option<String>,
    pub name: Option<String>,
    pub address: Option<String>,
    pub memo: Option<String>,
    pub begin_time: Option<String>,
    pub end_time: Option<String>,
    pub capacity: Option<i64>,
    pub size: Option<i64>,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    pub radius: Option<i64>,
    pub status: Option<i64>,
    pub need_audit: Option<i64>,
    pub permission: Option<i64>,
    pub scene_image: Option<String>,
    pub user_ids: Option<Vec<String>>,
    pub building_id: Option<String>,
    pub floor_name: Option<String>,
}

/// `room/update` body: the same fields, `id` required; an empty `sceneImage` means
/// "unchanged" (the seed: 如未修改请置空).
pub type RoomUpdate = RoomAdd;

/// `{"roomId": …}` of room/get and room/remove.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoomId {
    pub room_id: Option<String>,
}

/// `room/free` body (extension, docs/wire-compat.md "Finding a free room").
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoomFree {
    pub begin_time: Option<i64>,
    pub end_time: Option<i64>,
    pub capacity: Option<i64>,
    pub building_id: Option<String>,
    pub floor_name: Option<String>,
    pub user_id: Option<String>,
    pub include_unavailable: Option<bool>,
}

/// A room of `room/free`'s answer: the room object, whether it can take the range, the
/// first reason it cannot (`""`, `disabled`, `permission`, `hours`, `occupied`), and the
/// meetings holding it then.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FreeRoom {
    #[serde(flatten)]
    pub room: Room,
    pub available: bool,
    pub reason: &'static str,
    pub busy: Vec<Busy>,
}

/// A pending or approved meeting overlapping the range.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Busy {
    pub meeting_id: String,
    pub begin_time: i64,
    pub end_time: i64,
}

/// `room/schedule` body: `date` is `yyyy-MM-dd`, the day in each room's zone.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoomSchedule {
    pub date: Option<String>,
    pub room_ids: Option<Vec<String>>,
    pub building_id: Option<String>,
    pub floor_name: Option<String>,
}

/// A room's timeline for one day: its bookable hours (`HH:mm`, in `timeZone`) and the
/// meetings holding it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Timeline {
    pub room_id: String,
    pub name: String,
    pub time_zone: String,
    pub begin_time: String,
    pub end_time: String,
    pub meetings: Vec<TimelineMeeting>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TimelineMeeting {
    pub id: String,
    pub subject: String,
    pub speaker: String,
    pub begin_time: i64,
    pub end_time: i64,
    pub checked_state: i64,
    pub status: i64,
    pub series_id: String,
}
