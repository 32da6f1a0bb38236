//! Finding a free room (extension, docs/wire-compat.md "Finding a free room"):
//! `room/free` and `room/schedule`, answered from core's availability
//! (`roomd_core::availability`), each in one store call.

use axum::extract::State;
use roomd_core::availability::{FreeSearch, MAX_SCHEDULE_ROOMS, RoomFilter};
use roomd_core::time::{TimeSpan, parse_date};
use roomd_core::{BuildingId, DomainError, RoomId, UserId};
use roomd_wire::h5::{FreeRoom, RoomFree, RoomSchedule, Timeline};

use crate::error::{ApiResult, H5, Required};
use crate::extract::{Auth, H5Json};
use crate::state::AppState;
use crate::views::free_room_view;

/// POST /meeting/api/open/room/free — 查找空闲会议室 (docs/wire-compat.md "Finding a free room")
pub async fn free(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<RoomFree>,
) -> ApiResult<H5<Vec<FreeRoom>>> {
    let span = TimeSpan::new(req.begin_time.required("beginTime")?, req.end_time.required("endTime")?)?;
    let rooms = RoomFilter {
        ids: None,
        min_capacity: req.capacity,
        building: building(req.building_id)?,
        floor: nonblank(req.floor_name),
    };
    let user = nonblank(req.user_id).map(|u| UserId::parse("userId", &u)).transpose()?;
    let mut search = FreeSearch::new(span, rooms, user, app.now_ms())?;
    search.include_unavailable = req.include_unavailable.unwrap_or(false);
    let found = app.store.free_rooms(&caller, search).await?;
    Ok(H5::ok(found.iter().map(free_room_view).collect()))
}

/// POST /meeting/api/open/room/schedule — 会议室日程 (docs/wire-compat.md "Finding a free room")
pub async fn schedule(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<RoomSchedule>,
) -> ApiResult<H5<Vec<Timeline>>> {
    let date = parse_date("date", &req.date.required("date")?)?;
    let rooms = RoomFilter {
        ids: room_ids(req.room_ids.unwrap_or_default())?,
        min_capacity: None,
        building: building(req.building_id)?,
        floor: nonblank(req.floor_name),
    };
    let days = app.store.room_schedules(&caller, date, rooms).await?;
    Ok(H5::ok(days.iter().map(|(room, day)| app.views.timeline_view(room, day)).collect()))
}

/// `roomIds`: each parsed once, repeats dropped; none (absent or `[]`) narrows nothing.
fn room_ids(raw: Vec<String>) -> ApiResult<Option<Vec<RoomId>>> {
    if raw.len() > MAX_SCHEDULE_ROOMS {
        return Err(DomainError::invalid("roomIds", format!("at most {MAX_SCHEDULE_ROOMS} rooms")).into());
    }
    let mut seen = std::collections::HashSet::new();
    let mut ids: Vec<RoomId> = Vec::with_capacity(raw.len());
    for id in raw {
        let id = RoomId::parse("roomIds", &id)?;
        if seen.insert(id.clone()) {
            ids.push(id);
        }
    }
    Ok(Some(ids).filter(|ids| !ids.is_empty()))
}

/// A blank `buildingId` narrows nothing, like an absent one.
fn building(raw: Option<String>) -> ApiResult<Option<BuildingId>> {
    Ok(nonblank(raw).map(|b| BuildingId::parse("buildingId", &b)).transpose()?)
}

fn nonblank(raw: Option<String>) -> Option<String> {
    raw.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}
