//! Places and rooms: regions, buildings with floors, and rooms with the seed's fields
//! (bookable hours, capacity, size, position and check-in radius, approval, who may
//! book, building and floor). Each form calls the store like `region/add`,
//! `building/add` and `room/add` do.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roomd_core::company::parse_zone;
use roomd_core::directory::Department;
use roomd_core::place::{Building, BuildingPatch, Region, RegionKind, RegionPatch};
use roomd_core::room::{Room, RoomPatch};
use roomd_core::time::DayMinute;
use roomd_core::{DeptId, RegionId, RoomId, UserId};
use roomd_store::StoreError;
use serde::Deserialize;

use super::page::{Admin, Done, OrPage, Posted, Section, done};
use crate::state::AppState;
use crate::web::{Notice, Page, render};

const HERE: Section = Section::Rooms;

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    /// A room to edit in the form.
    edit: Option<String>,
    done: Option<Done>,
}

/// The room form as typed (or as the room being edited has it); also the building and
/// region forms, which use `name`, `parent`, `floors` and `address`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PlaceForm {
    id: Option<String>,
    name: Option<String>,
    parent: Option<String>,
    floors: Option<String>,
    address: Option<String>,
    building: Option<String>,
    floor: Option<String>,
    capacity: Option<String>,
    size: Option<String>,
    begin: Option<String>,
    end: Option<String>,
    latitude: Option<String>,
    longitude: Option<String>,
    radius: Option<String>,
    need_audit: Option<String>,
    users: Option<String>,
    department: Option<String>,
    scene_image: Option<String>,
    time_zone: Option<String>,
}

/// The room form's values, as shown.
#[derive(Default)]
struct RoomFields {
    id: Option<String>,
    name: String,
    capacity: String,
    size: String,
    begin: String,
    end: String,
    address: String,
    scene_image: String,
    department: String,
    building: String,
    floor: String,
    latitude: String,
    longitude: String,
    radius: String,
    users: String,
    need_audit: bool,
}

struct RoomLine {
    room: Room,
    building: String,
}

#[derive(Template)]
#[template(path = "console/rooms.html")]
struct RoomsPage<'a> {
    page: Page<'a>,
    rooms: Vec<RoomLine>,
    form_title: &'static str,
    form: RoomFields,
    depts: Vec<Department>,
    buildings: Vec<Building>,
    /// Where a building can be: `(value, label)`, a country or `country|city`.
    places: Vec<(String, String)>,
    countries: Vec<Region>,
    zones: &'static [chrono_tz::Tz],
}

/// GET /meeting/manage/rooms[?edit=…]
pub async fn page(State(app): State<AppState>, a: Admin, Query(q): Query<PageQuery>) -> Result<Response, Response> {
    let editing = match q.edit.as_deref().map(|id| RoomId::parse("edit", id)) {
        Some(Ok(id)) => match app.store.room(&a.s.caller, id).await {
            Ok(room) => Some(room),
            // A room removed since the link was made: the page with an empty form.
            Err(StoreError::Domain(_)) => None,
            Err(e) => return Err(a.failed(HERE, &e)),
        },
        Some(Err(_)) | None => None,
    };
    let form = editing.as_ref().map(fields_of).unwrap_or_default();
    show(&app, &a, form, q.done.and_then(|d| d.notice(a.t())), StatusCode::OK).await
}

/// POST /meeting/manage/rooms — a new room from the form.
pub async fn add_room(State(app): State<AppState>, p: Posted<PlaceForm>) -> Result<Response, Response> {
    let added = match room_patch(&p.form) {
        Ok(patch) => app.store.add_room(&p.admin.s.caller, None, patch).await.map(|_| ()),
        Err(e) => Err(e),
    };
    answer(&app, p, added, Done::RoomAdded).await
}

/// POST …/rooms/update `id` and the room form.
pub async fn update_room(State(app): State<AppState>, p: Posted<PlaceForm>) -> Result<Response, Response> {
    let updated = match (RoomId::parse("id", p.form.id.as_deref().unwrap_or_default()), room_patch(&p.form)) {
        (Ok(id), Ok(patch)) => app.store.update_room(&p.admin.s.caller, id, patch).await.map(|_| ()),
        (Err(e), _) => Err(e.into()),
        (_, Err(e)) => Err(e),
    };
    answer(&app, p, updated, Done::Saved).await
}

/// POST …/rooms/remove `id` — refused while the room has meetings ahead.
pub async fn remove_room(State(app): State<AppState>, p: Posted<PlaceForm>) -> Result<Response, Response> {
    let removed = match RoomId::parse("id", p.form.id.as_deref().unwrap_or_default()) {
        Ok(id) => app.store.remove_room(&p.admin.s.caller, id).await,
        Err(e) => Err(e.into()),
    };
    answer(&app, Posted { form: PlaceForm::default(), ..p }, removed, Done::Removed).await
}

/// POST …/rooms/buildings `name`, `parent` (a country, or `country|city`), `floors`,
/// `address`.
pub async fn add_building(State(app): State<AppState>, p: Posted<PlaceForm>) -> Result<Response, Response> {
    let added = add_building_from(&app, &p).await;
    answer(&app, Posted { form: PlaceForm::default(), ..p }, added, Done::BuildingAdded).await
}

/// POST …/rooms/regions `name`, `parent` (a country, for a city).
pub async fn add_region(State(app): State<AppState>, p: Posted<PlaceForm>) -> Result<Response, Response> {
    let parent = given(&p.form.parent).map(|id| RegionId::parse("parent", &id)).transpose();
    let added = match parent {
        Ok(parent) => {
            let kind = if parent.is_some() { RegionKind::District } else { RegionKind::Country };
            let patch = RegionPatch { name: given(&p.form.name), kind: Some(kind), parent: Some(parent) };
            app.store.save_region(&p.admin.s.caller, None, true, patch).await.map(|_| ())
        }
        Err(e) => Err(e.into()),
    };
    answer(&app, Posted { form: PlaceForm::default(), ..p }, added, Done::RegionAdded).await
}

/// Back to the page saying `what`; a refusal shows the page with why (422) and the room
/// form as it was typed.
async fn answer(
    app: &AppState,
    p: Posted<PlaceForm>,
    outcome: Result<(), StoreError>,
    what: Done,
) -> Result<Response, Response> {
    let a = &p.admin;
    match outcome {
        Ok(()) => Ok(done(HERE, &[], what)),
        Err(e @ StoreError::Domain(_)) => {
            let (why, status) = super::failure::said(a.lang, &e);
            show(app, a, typed(&p.form), Notice::error(why), status).await
        }
        Err(e) => Err(a.failed(HERE, &e)),
    }
}

fn given(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}

fn number<T: std::str::FromStr>(field: &'static str, v: &Option<String>) -> Result<Option<T>, StoreError> {
    match given(v) {
        None => Ok(None),
        Some(text) => {
            text.parse().map(Some).map_err(|_| roomd_core::DomainError::invalid(field, "not a number").into())
        }
    }
}

async fn add_building_from(app: &AppState, p: &Posted<PlaceForm>) -> Result<(), StoreError> {
    let f = &p.form;
    // The place is a district (`country|district`) or a country.
    let (country, district) = match given(&f.parent) {
        Some(place) => match place.split_once('|') {
            Some((c, d)) => (Some(RegionId::parse("parent", c)?), Some(RegionId::parse("parent", d)?)),
            None => (Some(RegionId::parse("parent", &place)?), None),
        },
        None => (None, None),
    };
    let floors =
        given(&f.floors).map(|list| list.split(',').map(|f| f.trim().to_string()).filter(|f| !f.is_empty()).collect());
    let patch = BuildingPatch {
        name: given(&f.name),
        country: Some(country),
        district: Some(district),
        floors,
        address: given(&f.address),
        memo: None,
        time_zone: given(&f.time_zone).map(|z| parse_zone("timeZone", &z)).transpose()?.map(Some),
    };
    app.store.save_building(&p.admin.s.caller, None, true, patch).await.map(|_| ())
}

/// Every field of the room form (what is left blank is left as it is, or the default).
fn room_patch(f: &PlaceForm) -> Result<RoomPatch, StoreError> {
    let time = |field: &'static str, v: &Option<String>| given(v).map(|t| DayMinute::parse(field, &t)).transpose();
    let users: Vec<UserId> = given(&f.users)
        .map(|list| {
            list.split(',').map(str::trim).filter(|u| !u.is_empty()).map(|u| UserId::parse("users", u)).collect()
        })
        .transpose()?
        .unwrap_or_default();
    let patch = RoomPatch {
        name: given(&f.name),
        address: given(&f.address),
        opens: time("beginTime", &f.begin)?,
        closes: time("endTime", &f.end)?,
        capacity: number("capacity", &f.capacity)?,
        size: number("size", &f.size)?,
        latitude: number("latitude", &f.latitude)?,
        longitude: number("longitude", &f.longitude)?,
        radius: number("radius", &f.radius)?,
        need_audit: Some(i64::from(f.need_audit.is_some())),
        permission: Some(i64::from(!users.is_empty())),
        users: Some(users),
        building: Some(given(&f.building)),
        floor: Some(given(&f.floor).unwrap_or_default()),
        department: Some(given(&f.department).map(|d| DeptId::parse("department", &d)).transpose()?),
        scene_image: Some(given(&f.scene_image).unwrap_or_default()),
        ..RoomPatch::default()
    };
    Ok(patch)
}

fn fields_of(r: &Room) -> RoomFields {
    RoomFields {
        id: Some(r.id.to_string()),
        name: r.name.clone(),
        capacity: r.capacity.to_string(),
        size: r.size.to_string(),
        begin: r.opens.to_string(),
        end: r.closes.to_string(),
        address: r.address.clone(),
        scene_image: r.scene_image.clone(),
        department: r.department.as_ref().map(ToString::to_string).unwrap_or_default(),
        building: r.building.clone().unwrap_or_default(),
        floor: r.floor.clone(),
        latitude: r.latitude.to_string(),
        longitude: r.longitude.to_string(),
        radius: r.radius.to_string(),
        users: r.users.iter().map(UserId::as_str).collect::<Vec<_>>().join(", "),
        need_audit: r.need_audit,
    }
}

/// The room form as the admin typed it, to show again with a refusal.
fn typed(f: &PlaceForm) -> RoomFields {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    RoomFields {
        id: f.id.clone(),
        name: text(&f.name),
        capacity: text(&f.capacity),
        size: text(&f.size),
        begin: text(&f.begin),
        end: text(&f.end),
        address: text(&f.address),
        scene_image: text(&f.scene_image),
        department: text(&f.department),
        building: text(&f.building),
        floor: text(&f.floor),
        latitude: text(&f.latitude),
        longitude: text(&f.longitude),
        radius: text(&f.radius),
        users: text(&f.users),
        need_audit: f.need_audit.is_some(),
    }
}

async fn show(
    app: &AppState,
    a: &Admin,
    form: RoomFields,
    notice: Option<Notice>,
    status: StatusCode,
) -> Result<Response, Response> {
    let t = a.t();
    let caller = &a.s.caller;
    let regions = app.store.regions(caller).await.or_page(a, HERE)?;
    let buildings = app.store.buildings(caller).await.or_page(a, HERE)?;
    let rooms = app.store.list_rooms(caller).await.or_page(a, HERE)?;
    let depts = app.store.list_depts(caller).await.or_page(a, HERE)?;
    let places = regions
        .iter()
        .map(|r| match &r.parent {
            None => (r.id.to_string(), r.name.clone()),
            Some(c) => (format!("{c}|{}", r.id), format!("· {}", r.name)),
        })
        .collect();
    let rooms = rooms
        .into_iter()
        .map(|room| {
            let building = room.building.as_ref().and_then(|id| buildings.iter().find(|b| b.id.as_str() == id));
            RoomLine { building: building.map_or_else(|| "—".to_string(), |b| b.name.clone()), room }
        })
        .collect();
    let page = RoomsPage {
        page: a.page(HERE, t.places).with_notice(notice),
        rooms,
        form_title: if form.id.is_some() { t.edit_room } else { t.add_room },
        form,
        depts,
        buildings,
        places,
        countries: regions.into_iter().filter(|r| r.parent.is_none()).collect(),
        zones: chrono_tz::TZ_VARIANTS.as_slice(),
    };
    Ok(render(status, &page))
}
