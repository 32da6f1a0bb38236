//! Check-in by location (docs/wire-compat.md "Check-in and no-show release"): the
//! phone within the room's radius of its position, then the same sign-in as every
//! check-in (`signType` 5). `meeting/checkIn` and the app's Check in button both ask
//! here, and each says the answer its own way.

use roomd_core::meeting::{Meeting, SignTarget, SignType};
use roomd_core::room::distance_m;
use roomd_core::{Caller, DomainError, MeetingId};
use roomd_store::StoreResult;

use crate::state::AppState;

/// How a check-in by location went.
pub enum ByLocation {
    Signed(Box<Meeting>),
    /// The phone is `away_m` metres from the room, beyond its `radius_m`.
    TooFar {
        away_m: f64,
        radius_m: i64,
    },
    /// The room has no position or radius to check in by (why, as a refusal).
    NoPosition(DomainError),
}

/// Signs `who` in to meeting `id` from a phone at (`latitude`, `longitude`).
pub async fn check_in(
    app: &AppState,
    caller: &Caller,
    id: MeetingId,
    who: SignTarget,
    (latitude, longitude): (f64, f64),
) -> StoreResult<ByLocation> {
    let meeting = app.store.meeting(caller, id.clone()).await?;
    // Someone not on the list learns nothing of where the room is.
    if meeting.attendance(&who).is_none() {
        return Err(DomainError::AttendanceNotExist.into());
    }
    let room = app.store.room(caller, meeting.room).await?;
    match room.within_reach(latitude, longitude) {
        Err(why) => Ok(ByLocation::NoPosition(why)),
        Ok(false) => {
            let away_m = distance_m(room.latitude, room.longitude, latitude, longitude);
            Ok(ByLocation::TooFar { away_m, radius_m: room.radius })
        }
        Ok(true) => {
            let signed = app.store.sign_in_meeting(caller, id, who, SignType::Location, String::new()).await?;
            Ok(ByLocation::Signed(Box::new(signed)))
        }
    }
}
