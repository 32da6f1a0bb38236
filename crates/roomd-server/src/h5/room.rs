use axum::extract::State;
use roomd_core::room::RoomPatch;
use roomd_core::time::DayMinute;
use roomd_core::{DeptId, RoomId, UserId};
use roomd_wire::h5::{Room, RoomAdd, RoomId as RoomIdBody, RoomUpdate};

use super::{optional_id, optional_ref};
use crate::error::{ApiResult, H5, Required};
use crate::extract::{Auth, H5Json};
use crate::state::AppState;
use crate::views::room_view;

/// POST /meeting/api/open/room/list — 获取会议室列表
pub async fn list(State(app): State<AppState>, Auth(caller): Auth) -> ApiResult<H5<Vec<Room>>> {
    let rooms = app.store.list_rooms(&caller).await?;
    Ok(H5::ok(rooms.iter().map(room_view).collect()))
}

/// POST /meeting/api/open/room/get — 获取会议室详情
pub async fn get(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<RoomIdBody>,
) -> ApiResult<H5<Room>> {
    let id = RoomId::parse("roomId", &req.room_id.required("roomId")?)?;
    let room = app.store.room(&caller, id).await?;
    Ok(H5::ok(room_view(&room)))
}

/// POST /meeting/api/open/room/add — 创建会议室
pub async fn add(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(mut req): H5Json<RoomAdd>,
) -> ApiResult<H5<Room>> {
    req.name = Some(req.name.take().required("name")?);
    let id = optional_id(req.id.take(), RoomId::parse)?;
    let room = app.store.add_room(&caller, id, room_patch(req)?).await?;
    Ok(H5::ok(room_view(&room)))
}

/// POST /meeting/api/open/room/update — 修改会议室 (empty sceneImage: unchanged)
pub async fn update(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(mut req): H5Json<RoomUpdate>,
) -> ApiResult<H5<Room>> {
    let id = RoomId::parse("id", &req.id.take().required("id")?)?;
    let room = app.store.update_room(&caller, id, room_patch(req)?).await?;
    Ok(H5::ok(room_view(&room)))
}

/// POST /meeting/api/open/room/remove — 删除会议室 (71026 while meetings are ahead)
pub async fn remove(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<RoomIdBody>,
) -> ApiResult<H5<()>> {
    let id = RoomId::parse("roomId", &req.room_id.required("roomId")?)?;
    app.store.remove_room(&caller, id).await?;
    Ok(H5::done())
}

fn room_patch(req: RoomAdd) -> ApiResult<RoomPatch> {
    let minute = |field, raw: Option<String>| raw.map(|v| DayMinute::parse(field, &v)).transpose();
    let users = match req.user_ids {
        Some(ids) => Some(ids.iter().map(|id| UserId::parse("userIds", id)).collect::<Result<Vec<_>, _>>()?),
        None => None,
    };
    Ok(RoomPatch {
        name: req.name,
        department: optional_ref("departmentId", req.department_id, DeptId::parse)?,
        address: req.address,
        memo: req.memo,
        opens: minute("beginTime", req.begin_time)?,
        closes: minute("endTime", req.end_time)?,
        capacity: req.capacity,
        size: req.size,
        longitude: req.longitude,
        latitude: req.latitude,
        radius: req.radius,
        status: req.status,
        need_audit: req.need_audit,
        permission: req.permission,
        users,
        scene_image: req.scene_image,
        building: req.building_id.map(|b| Some(b).filter(|b| !b.trim().is_empty())),
        floor: req.floor_name,
    })
}
