//! Feishu VC room configuration (`/open-apis/vc/v1/room_configs/...`): deployment codes
//! for check-in boards and room devices (`feishu-vc-set-checkboard-access-code.md`), and
//! the room configuration of a node of the place tree.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `set_checkboard_access_code` and `set_room_access_code`.
#[derive(Debug, Default, Deserialize)]
pub struct SetAccessCode {
    pub scope: Option<i64>,
    pub country_id: Option<String>,
    pub district_id: Option<String>,
    pub building_id: Option<String>,
    pub floor_name: Option<String>,
    pub room_id: Option<String>,
    pub valid_day: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct AccessCodeData {
    pub access_code: String,
}

/// `GET room_configs/query`: the scope in the query string (numbers as text).
#[derive(Debug, Default, Deserialize)]
pub struct ConfigQuery {
    pub scope: Option<String>,
    pub country_id: Option<String>,
    pub district_id: Option<String>,
    pub building_id: Option<String>,
    pub floor_name: Option<String>,
    pub room_id: Option<String>,
    pub user_id_type: Option<String>,
}

/// `room_config`; a field left out is not set on the node (and inherited from above).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct RoomConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room_background: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_background: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digital_signage: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room_box_digital_signage: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room_status: Option<Value>,
}

/// `POST room_configs/set`
#[derive(Debug, Default, Deserialize)]
pub struct SetRoomConfig {
    pub scope: Option<i64>,
    pub country_id: Option<String>,
    pub district_id: Option<String>,
    pub building_id: Option<String>,
    pub floor_name: Option<String>,
    pub room_id: Option<String>,
    pub room_config: Option<RoomConfig>,
}
