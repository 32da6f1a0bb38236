//! Places (docs/wire-compat.md): `region/{list,get,add,update,remove}` and
//! `building/{list,get,add,update,remove}`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub id: String,
    pub name: String,
    /// 1 country, 2 district (city).
    #[serde(rename = "type")]
    pub kind: i64,
    pub parent_id: String,
    pub created_time: i64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegionBody {
    pub id: Option<String>,
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<i64>,
    pub parent_id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegionList {
    #[serde(rename = "type")]
    pub kind: Option<i64>,
    pub parent_id: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Building {
    pub id: String,
    pub name: String,
    pub country_id: String,
    pub district_id: String,
    pub floors: Vec<String>,
    pub address: String,
    pub memo: String,
    pub created_time: i64,
    /// Extension (scheduling): its rooms' zone, `""` for the company's.
    pub time_zone: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildingBody {
    pub id: Option<String>,
    pub name: Option<String>,
    pub country_id: Option<String>,
    pub district_id: Option<String>,
    pub floors: Option<Vec<String>>,
    pub address: Option<String>,
    pub memo: Option<String>,
    pub time_zone: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildingList {
    pub country_id: Option<String>,
    pub district_id: Option<String>,
}

/// A check-in board as admins see it (`device/list`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    pub id: String,
    pub name: String,
    /// 1 check-in board, 2 room device.
    pub kind: i64,
    /// The code's scope: 1 tenant … 6 room, and the node's ids.
    pub scope: i64,
    pub scope_node: String,
    pub room_id: String,
    pub created_time: i64,
    pub last_seen_time: i64,
}

#[derive(Debug, Default, Deserialize)]
pub struct DeviceId {
    pub id: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckinSettingsBody {
    pub room_id: Option<String>,
    pub window_minutes: Option<i64>,
}

/// The check-in window for no-show release, in minutes after a meeting's start (0: off).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckinSettings {
    pub room_id: String,
    /// The company's window.
    pub window_minutes: i64,
    /// The room's override, if it has one.
    pub room_window_minutes: Option<i64>,
    /// What applies to the room (or the company).
    pub effective_window_minutes: i64,
}

/// `meeting/checkIn`: check-in from a phone by location (signType 5, roomd's extension).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LocationCheckIn {
    pub meeting_id: Option<String>,
    pub user_id: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}
