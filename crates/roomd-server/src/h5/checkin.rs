//! Check-in through the h5 API: from a phone by location (`meeting/checkIn`), and the
//! check-in window for no-show release (`checkin/settings/get` and `save`, for the
//! company, or one room as an override).

use axum::extract::State;
use roomd_core::meeting::SignTarget;
use roomd_core::{MeetingId, RoomId, UserId};
use roomd_wire::h5::ErrorCode;
use roomd_wire::h5::place::{CheckinSettings, CheckinSettingsBody, LocationCheckIn};

use super::optional_id;
use crate::error::{ApiError, ApiResult, H5, Required};
use crate::extract::{Auth, H5Json};
use crate::location::{self, ByLocation};
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

/// POST /meeting/api/open/meeting/checkIn `{meetingId, userId, latitude, longitude}` —
/// the attendee's phone is within the room's `radius` metres of its position.
pub async fn by_location(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<LocationCheckIn>,
) -> ApiResult<H5<roomd_wire::h5::Meeting>> {
    let id = MeetingId::parse("meetingId", &req.meeting_id.required("meetingId")?)?;
    let user = UserId::parse("userId", &req.user_id.required("userId")?)?;
    let latitude = req.latitude.ok_or_else(|| ApiError::missing("latitude"))?;
    let longitude = req.longitude.ok_or_else(|| ApiError::missing("longitude"))?;
    if !(-90.0..=90.0).contains(&latitude) || !(-180.0..=180.0).contains(&longitude) {
        return Err(ApiError::field(ErrorCode::InvalidArguments, "latitude", "not a position on Earth"));
    }
    match location::check_in(&app, &caller, id, SignTarget::User(user), (latitude, longitude)).await? {
        ByLocation::Signed(signed) => Ok(H5::ok(app.views.meeting_view(caller.company.as_str(), &signed))),
        ByLocation::TooFar { away_m, radius_m } => {
            let why = format!("{away_m:.0} m from the room, farther than its radius of {radius_m} m");
            Err(ApiError::field(ErrorCode::InvalidArguments, "latitude", why))
        }
        ByLocation::NoPosition(why) => Err(why.into()),
    }
}
