//! Places (docs/wire-compat.md): regions (`region/*`) and buildings with floors (`building/*`),
//! the nodes a check-in board code is scoped to.

use axum::extract::State;
use roomd_core::company::parse_zone;
use roomd_core::place::{Building, BuildingPatch, Region, RegionKind, RegionPatch};
use roomd_core::{BuildingId, RegionId};
use roomd_wire::h5::place as wire;

use super::{optional_id, optional_ref};
use crate::error::{ApiResult, H5, Required};
use crate::extract::{Auth, H5Json};
use crate::state::AppState;

/// POST /meeting/api/open/region/list `{type?, parentId?}`
pub async fn list_regions(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<wire::RegionList>,
) -> ApiResult<H5<Vec<wire::Region>>> {
    let kind = req.kind.map(RegionKind::from_code).transpose()?;
    let parent = req.parent_id.filter(|p| !p.trim().is_empty());
    let regions = app.store.regions(&caller).await?;
    let kept = regions
        .iter()
        .filter(|r| kind.is_none_or(|k| r.kind == k))
        .filter(|r| parent.as_deref().is_none_or(|p| r.parent.as_ref().is_some_and(|rp| rp.as_str() == p)));
    Ok(H5::ok(kept.map(region_view).collect()))
}

/// POST /meeting/api/open/region/get `{id}`
pub async fn get_region(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<wire::RegionBody>,
) -> ApiResult<H5<wire::Region>> {
    let id = RegionId::parse("id", &req.id.required("id")?)?;
    Ok(H5::ok(region_view(&app.store.region(&caller, id).await?)))
}

/// POST /meeting/api/open/region/add `{name, type, parentId?, id?}`
pub async fn add_region(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<wire::RegionBody>,
) -> ApiResult<H5<wire::Region>> {
    let name = req.name.required("name")?;
    let kind = RegionKind::from_code(req.kind.required("type")?)?;
    let id = optional_id(req.id, RegionId::parse)?;
    let patch = RegionPatch {
        name: Some(name),
        kind: Some(kind),
        parent: optional_ref("parentId", req.parent_id, RegionId::parse)?,
    };
    Ok(H5::ok(region_view(&app.store.save_region(&caller, id, true, patch).await?)))
}

/// POST /meeting/api/open/region/update `{id, name?, type?, parentId?}`
pub async fn update_region(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<wire::RegionBody>,
) -> ApiResult<H5<wire::Region>> {
    let id = RegionId::parse("id", &req.id.required("id")?)?;
    let patch = RegionPatch {
        name: req.name,
        kind: req.kind.map(RegionKind::from_code).transpose()?,
        parent: optional_ref("parentId", req.parent_id, RegionId::parse)?,
    };
    Ok(H5::ok(region_view(&app.store.save_region(&caller, Some(id), false, patch).await?)))
}

/// POST /meeting/api/open/region/remove `{id}` (71032 while it has districts or buildings)
pub async fn remove_region(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<wire::RegionBody>,
) -> ApiResult<H5<()>> {
    let id = RegionId::parse("id", &req.id.required("id")?)?;
    app.store.remove_region(&caller, id).await?;
    Ok(H5::done())
}

/// POST /meeting/api/open/building/list `{countryId?, districtId?}`
pub async fn list_buildings(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<wire::BuildingList>,
) -> ApiResult<H5<Vec<wire::Building>>> {
    let same = |want: &Option<String>, have: &Option<RegionId>| match want.as_deref().filter(|w| !w.trim().is_empty()) {
        None => true,
        Some(w) => have.as_ref().is_some_and(|h| h.as_str() == w),
    };
    let buildings = app.store.buildings(&caller).await?;
    let kept = buildings.iter().filter(|b| same(&req.country_id, &b.country) && same(&req.district_id, &b.district));
    Ok(H5::ok(kept.map(building_view).collect()))
}

/// POST /meeting/api/open/building/get `{id}`
pub async fn get_building(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<wire::BuildingBody>,
) -> ApiResult<H5<wire::Building>> {
    let id = BuildingId::parse("id", &req.id.required("id")?)?;
    Ok(H5::ok(building_view(&app.store.building(&caller, id).await?)))
}

/// POST /meeting/api/open/building/add `{name, countryId?, districtId?, floors?, address?, memo?, id?}`
pub async fn add_building(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<wire::BuildingBody>,
) -> ApiResult<H5<wire::Building>> {
    let name = req.name.clone().required("name")?;
    let id = optional_id(req.id.clone(), BuildingId::parse)?;
    let patch = BuildingPatch { name: Some(name), ..building_patch(req)? };
    Ok(H5::ok(building_view(&app.store.save_building(&caller, id, true, patch).await?)))
}

/// POST /meeting/api/open/building/update `{id, …}` (a floor with rooms cannot be dropped)
pub async fn update_building(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<wire::BuildingBody>,
) -> ApiResult<H5<wire::Building>> {
    let id = BuildingId::parse("id", &req.id.clone().required("id")?)?;
    let patch = building_patch(req)?;
    Ok(H5::ok(building_view(&app.store.save_building(&caller, Some(id), false, patch).await?)))
}

/// POST /meeting/api/open/building/remove `{id}` (71032 while rooms are in it)
pub async fn remove_building(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<wire::BuildingBody>,
) -> ApiResult<H5<()>> {
    let id = BuildingId::parse("id", &req.id.required("id")?)?;
    app.store.remove_building(&caller, id).await?;
    Ok(H5::done())
}

fn building_patch(req: wire::BuildingBody) -> ApiResult<BuildingPatch> {
    Ok(BuildingPatch {
        name: req.name,
        country: optional_ref("countryId", req.country_id, RegionId::parse)?,
        district: optional_ref("districtId", req.district_id, RegionId::parse)?,
        floors: req.floors,
        address: req.address,
        memo: req.memo,
        // `""` goes back to the company's zone.
        time_zone: match req.time_zone.as_deref().map(str::trim) {
            None => None,
            Some("") => Some(None),
            Some(name) => Some(Some(parse_zone("timeZone", name)?)),
        },
    })
}

fn region_view(r: &Region) -> wire::Region {
    wire::Region {
        id: r.id.to_string(),
        name: r.name.clone(),
        kind: r.kind as i64,
        parent_id: r.parent.as_ref().map(ToString::to_string).unwrap_or_default(),
        created_time: r.created_ms,
    }
}

fn building_view(b: &Building) -> wire::Building {
    wire::Building {
        id: b.id.to_string(),
        name: b.name.clone(),
        country_id: b.country.as_ref().map(ToString::to_string).unwrap_or_default(),
        district_id: b.district.as_ref().map(ToString::to_string).unwrap_or_default(),
        floors: b.floors.clone(),
        address: b.address.clone(),
        memo: b.memo.clone(),
        created_time: b.created_ms,
        time_zone: b.time_zone.map_or(String::new(), |tz| tz.name().to_string()),
    }
}
