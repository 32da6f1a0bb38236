//! The check-in window for no-show release: `checkin/settings/get` and `save`, for the
//! company (no `roomId`) or one room (an override).

use axum::extract::State;
use roomd_core::RoomId;
use roomd_wire::h5::place::{CheckinSettings, CheckinSettingsBody};

use super::optional_id;
use crate::error::{ApiResult, H5};
use crate::extract::{Auth, H5Json};
use crate::state::AppState;

/// POST /meeting/api/open/checkin/settings/get `{roomId?}`
pub async fn get(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<CheckinSettingsBody>,
) -> ApiResult<H5<CheckinSettings>> {
    let room = optional_id(req.room_id, RoomId::parse)?;
    let window = app.store.checkin_window(&caller, room.clone()).await?;
    Ok(H5::ok(CheckinSettings {
        room_id: room.map(RoomId::into_string).unwrap_or_default(),
        window_minutes: window.company_minutes,
        room_window_minutes: window.room_minutes,
        effective_window_minutes: window.effective(),
    }))
}

/// POST /meeting/api/open/checkin/settings/save `{windowMinutes, roomId?}`; with a
/// `roomId` and `windowMinutes: null` the room's override is removed.
pub async fn save(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<CheckinSettingsBody>,
) -> ApiResult<H5<CheckinSettings>> {
    let room = optional_id(req.room_id.clone(), RoomId::parse)?;
    app.store.set_checkin_window(&caller, room, req.window_minutes).await?;
    get(State(app), Auth(caller), H5Json(req)).await
}
