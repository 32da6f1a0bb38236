//! Check-in boards for admins: `device/list` (the active boards) and `device/remove`
//! (revoke one: its token stops working at once).

use axum::extract::State;
use roomd_wire::h5::place as wire;

use crate::error::{ApiResult, H5, Required};
use crate::extract::{Auth, H5Json};
use crate::state::AppState;

/// POST /meeting/api/open/device/list
pub async fn list(State(app): State<AppState>, Auth(caller): Auth) -> ApiResult<H5<Vec<wire::Device>>> {
    let devices = app.store.devices(&caller).await?;
    Ok(H5::ok(
        devices
            .iter()
            .map(|d| wire::Device {
                id: d.id.clone(),
                name: d.name.clone(),
                kind: d.kind as i64,
                scope: d.scope.level() as i64,
                scope_node: d.scope.key(),
                room_id: d.room.as_ref().map(ToString::to_string).unwrap_or_default(),
                created_time: d.created_ms,
                last_seen_time: d.last_seen_ms,
            })
            .collect(),
    ))
}

/// POST /meeting/api/open/device/remove `{id}` (71033 when unknown)
pub async fn remove(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<wire::DeviceId>,
) -> ApiResult<H5<()>> {
    app.store.revoke_device(&caller, req.id.required("id")?).await?;
    Ok(H5::done())
}
