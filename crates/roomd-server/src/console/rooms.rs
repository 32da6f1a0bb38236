//! Places and rooms: regions, buildings with floors, and rooms with the seed's fields
//! (bookable hours, capacity, size, position and check-in radius, approval, who may
//! book, building and floor). Each form calls the store like `region/add`,
//! `building/add` and `room/add` do.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use roomd_core::onboarding::Lang;
use roomd_core::place::{BuildingPatch, RegionKind, RegionPatch};
use roomd_core::room::RoomPatch;
use roomd_core::time::DayMinute;
use roomd_core::{RegionId, RoomId, UserId};
use roomd_store::{ConsoleSession, StoreError};
use serde::Deserialize;

use super::page::{csrf_field, frame, html};
use super::{Admin, BASE, csrf_ok};
use crate::html::esc;
use crate::onboarding::page_lang;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
    /// A room to edit in the form.
    edit: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct PlaceForm {
    csrf: Option<String>,
    action: Option<String>,
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
}

/// GET /meeting/manage/rooms
pub async fn page(
    State(app): State<AppState>,
    Admin(s): Admin,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = page_lang(q.lang.as_deref(), &headers);
    let editing = match q.edit {
        Some(id) => app.store.room(&s.caller, RoomId::from_stored(id)).await.ok(),
        None => None,
    };
    render_with(&app, &s, lang, String::new(), StatusCode::OK, editing.as_ref()).await
}

/// POST /meeting/manage/rooms — `action`: `region`, `building`, `room`, `update-room`,
/// `remove-room`.
pub async fn act(
    State(app): State<AppState>,
    Admin(s): Admin,
    headers: HeaderMap,
    Form(f): Form<PlaceForm>,
) -> Response {
    let lang = page_lang(None, &headers);
    if !csrf_ok(&s, f.csrf.as_deref().unwrap_or_default()) {
        return render(&app, &s, lang, super::page::expired(lang), StatusCode::FORBIDDEN).await;
    }
    let done = match f.action.as_deref().unwrap_or_default() {
        "region" => add_region(&app, &s, &f).await,
        "building" => add_building(&app, &s, &f).await,
        "room" => add_room(&app, &s, &f).await,
        "update-room" => match room_patch(&f) {
            Ok(patch) => app
                .store
                .update_room(&s.caller, RoomId::from_stored(f.id.clone().unwrap_or_default()), patch)
                .await
                .map(|_| ()),
            Err(e) => Err(e),
        },
        "remove-room" => app.store.remove_room(&s.caller, RoomId::from_stored(f.id.clone().unwrap_or_default())).await,
        _ => Err(roomd_core::DomainError::invalid("action", "unknown action").into()),
    };
    match done {
        Ok(()) => render(&app, &s, lang, String::new(), StatusCode::OK).await,
        Err(e) => {
            let (message, status) = super::failure::shown(lang, &e);
            render(&app, &s, lang, message, status).await
        }
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

async fn add_region(app: &AppState, s: &ConsoleSession, f: &PlaceForm) -> Result<(), StoreError> {
    let parent = given(&f.parent).map(RegionId::from_stored);
    let kind = if parent.is_some() { RegionKind::District } else { RegionKind::Country };
    let patch = RegionPatch { name: given(&f.name), kind: Some(kind), parent: Some(parent) };
    app.store.save_region(&s.caller, None, true, patch).await.map(|_| ())
}

async fn add_building(app: &AppState, s: &ConsoleSession, f: &PlaceForm) -> Result<(), StoreError> {
    // The place is a district (`country|district`) or a country.
    let (country, district) = match given(&f.parent) {
        Some(p) => match p.split_once('|') {
            Some((c, d)) => (Some(RegionId::from_stored(c.into())), Some(RegionId::from_stored(d.into()))),
            None => (Some(RegionId::from_stored(p)), None),
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
    };
    app.store.save_building(&s.caller, None, true, patch).await.map(|_| ())
}

async fn add_room(app: &AppState, s: &ConsoleSession, f: &PlaceForm) -> Result<(), StoreError> {
    app.store.add_room(&s.caller, None, room_patch(f)?).await.map(|_| ())
}

/// Every field of the room form (what is left blank is left as it is, or the default).
fn room_patch(f: &PlaceForm) -> Result<RoomPatch, StoreError> {
    let time = |field: &'static str, v: &Option<String>| given(v).map(|t| DayMinute::parse(field, &t)).transpose();
    let users: Vec<UserId> = given(&f.users)
        .map(|list| {
            list.split(',')
                .map(|u| UserId::from_stored(u.trim().to_string()))
                .filter(|u| !u.as_str().is_empty())
                .collect()
        })
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
        department: Some(given(&f.department).map(roomd_core::DeptId::from_stored)),
        scene_image: Some(given(&f.scene_image).unwrap_or_default()),
        ..RoomPatch::default()
    };
    Ok(patch)
}

async fn render(app: &AppState, s: &ConsoleSession, lang: Lang, message: String, status: StatusCode) -> Response {
    render_with(app, s, lang, message, status, None).await
}

async fn render_with(
    app: &AppState,
    s: &ConsoleSession,
    lang: Lang,
    message: String,
    status: StatusCode,
    editing: Option<&roomd_core::room::Room>,
) -> Response {
    let zh = lang == Lang::Zh;
    let t = |zh_text: &'static str, en: &'static str| if zh { zh_text } else { en };
    let (Ok(regions), Ok(buildings), Ok(rooms), Ok(depts)) = (
        app.store.regions(&s.caller).await,
        app.store.buildings(&s.caller).await,
        app.store.list_rooms(&s.caller).await,
        app.store.list_depts(&s.caller).await,
    ) else {
        return super::page::error_page();
    };
    let csrf = csrf_field(s);
    let option = |value: String, label: &str| format!("<option value=\"{}\">{}</option>", esc(&value), esc(label));
    let countries: String =
        regions.iter().filter(|r| r.parent.is_none()).map(|r| option(r.id.to_string(), &r.name)).collect();
    let places: String = regions
        .iter()
        .map(|r| match &r.parent {
            None => option(r.id.to_string(), &r.name),
            Some(c) => option(format!("{c}|{}", r.id), &format!("· {}", r.name)),
        })
        .collect();
    let room_rows: String = rooms
        .iter()
        .map(|r| {
            let building = r.building.as_ref().and_then(|id| buildings.iter().find(|b| b.id.as_str() == id)).map_or("—", |b| b.name.as_str());
            format!(
                "<tr><td>{}</td><td>{} {}</td><td>{}–{}</td><td>{}</td><td>{}</td><td><a href=\"{BASE}/meetings?room={}\">{}</a> \
                 <a href=\"{BASE}/rooms?edit={id}\">{edit}</a> \
                 <form class=\"inline\" method=\"post\" action=\"{BASE}/rooms\">{csrf}<input type=\"hidden\" name=\"id\" value=\"{}\">\
                 <button type=\"submit\" name=\"action\" value=\"remove-room\">{}</button></form></td></tr>",
                esc(&r.name),
                esc(building),
                esc(&r.floor),
                r.opens,
                r.closes,
                r.capacity,
                if r.need_audit { t("需审批", "approval") } else { "" },
                esc(r.id.as_str()),
                t("日程", "calendar"),
                esc(r.id.as_str()),
                t("删除", "remove"),
                id = esc(r.id.as_str()),
                edit = t("编辑", "edit"),
            )
        })
        .collect();
    let field = |id: &str, label: &str, extra: &str| {
        format!(
            "<label for=\"{id}\">{label}</label><input id=\"{id}\" name=\"{}\" type=\"text\"{extra}>",
            id.trim_start_matches("room-").trim_start_matches("b-").trim_start_matches("r-")
        )
    };
    // The room being edited fills the form; otherwise it adds a room.
    let value = |get: &dyn Fn(&roomd_core::room::Room) -> String| {
        editing.map_or(String::new(), |r| format!(" value=\"{}\"", esc(&get(r))))
    };
    let (form_title, form_action, edit_id) = match editing {
        Some(r) => (
            t("编辑会议室", "Edit the room"),
            "update-room",
            format!("<input type=\"hidden\" name=\"id\" value=\"{}\">", esc(r.id.as_str())),
        ),
        None => (t("添加会议室", "Add a room"), "room", String::new()),
    };
    let building_options: String = buildings
        .iter()
        .map(|b| {
            let selected =
                if editing.and_then(|r| r.building.as_deref()) == Some(b.id.as_str()) { " selected" } else { "" };
            format!("<option value=\"{}\"{selected}>{}</option>", esc(b.id.as_str()), esc(&b.name))
        })
        .collect();
    let audit_checked = if editing.is_some_and(|r| r.need_audit) { " checked" } else { "" };
    let dept_options: String = depts
        .iter()
        .map(|d| {
            let selected = if editing.and_then(|r| r.department.as_ref()) == Some(&d.id) { " selected" } else { "" };
            format!("<option value=\"{}\"{selected}>{}</option>", esc(d.id.as_str()), esc(&d.name))
        })
        .collect();
    let body = format!(
        "{message}<section><h2>{rooms_title}</h2><table><tbody>{room_rows}</tbody></table></section>\
         <section><h2>{form_title}</h2><form method=\"post\" action=\"{BASE}/rooms\">{csrf}{edit_id}\
         {name}{capacity}{size}{begin}{end}{address}{scene}\
         <label for=\"room-department\">{dept_label}</label><select id=\"room-department\" name=\"department\"><option value=\"\">—</option>{dept_options}</select>\
         <label for=\"room-building\">{building}</label><select id=\"room-building\" name=\"building\"><option value=\"\">—</option>{building_options}</select>\
         {floor}<div id=\"map\" style=\"height:280px;max-width:32rem;margin-top:.8rem\" role=\"application\" aria-label=\"{map_label}\"></div>\
         {latitude}{longitude}{radius}{users}\
         <label><input type=\"checkbox\" id=\"room-need_audit\" name=\"need_audit\"{audit_checked}> {audit}</label>\
         <p><button type=\"button\" id=\"locate\">{locate}</button> <button type=\"submit\" name=\"action\" value=\"{form_action}\">{form_title}</button></p></form></section>\
         <section><h2>{add_building}</h2><form method=\"post\" action=\"{BASE}/rooms\">{csrf}{b_name}\
         <label for=\"b-parent\">{region}</label><select id=\"b-parent\" name=\"parent\"><option value=\"\">—</option>{places}</select>\
         {b_floors}{b_address}<p><button type=\"submit\" name=\"action\" value=\"building\">{add_building}</button></p></form></section>\
         <section><h2>{add_region}</h2><form method=\"post\" action=\"{BASE}/rooms\">{csrf}{r_name}\
         <label for=\"r-parent\">{country}</label><select id=\"r-parent\" name=\"parent\"><option value=\"\">—</option>{countries}</select>\
         <p><button type=\"submit\" name=\"action\" value=\"region\">{add_region}</button></p></form></section>\
         <link rel=\"stylesheet\" href=\"{BASE}/assets/leaflet.css\"><script src=\"{BASE}/assets/leaflet.js\"></script>\
         <script>{MAP_SCRIPT}</script>",
        rooms_title = t("会议室", "Rooms"),
        name = field("room-name", t("名称", "Name"), &format!(" required{}", value(&|r| r.name.clone()))),
        capacity = field("room-capacity", t("容纳人数", "Capacity"), &value(&|r| r.capacity.to_string())),
        size = field("room-size", t("面积（㎡）", "Size (m²)"), &value(&|r| r.size.to_string())),
        begin = field(
            "room-begin",
            t("可预约开始 HH:mm", "Bookable from (HH:mm)"),
            &format!(" placeholder=\"07:00\"{}", value(&|r| r.opens.to_string()))
        ),
        end = field(
            "room-end",
            t("可预约结束 HH:mm", "Bookable until (HH:mm)"),
            &format!(" placeholder=\"23:00\"{}", value(&|r| r.closes.to_string()))
        ),
        building = t("建筑", "Building"),
        address = field("room-address", t("地址", "Address"), &value(&|r| r.address.clone())),
        scene = field("room-scene_image", t("场景图片 URL", "Scene image URL"), &value(&|r| r.scene_image.clone())),
        dept_label = t("所属部门", "Department"),
        floor = field("room-floor", t("楼层", "Floor"), &value(&|r| r.floor.clone())),
        latitude = field("room-latitude", t("纬度", "Latitude"), &value(&|r| r.latitude.to_string())),
        longitude = field("room-longitude", t("经度", "Longitude"), &value(&|r| r.longitude.to_string())),
        radius = field("room-radius", t("签到半径（米）", "Check-in radius (m)"), &value(&|r| r.radius.to_string())),
        users = field(
            "room-users",
            t("仅限这些用户预约（ID，逗号分隔）", "Only these users may book (ids, comma-separated)"),
            ""
        ),
        audit = t("预约需要审批", "Bookings need approval"),
        locate = t("使用当前位置", "Use my location"),
        map_label = t("点击地图设置会议室位置", "Click the map to place the room"),
        add_building = t("添加建筑", "Add a building"),
        b_name = field("b-name", t("名称", "Name"), " required"),
        region = t("所在地区", "Region"),
        b_floors = field("b-floors", t("楼层（逗号分隔）", "Floors (comma-separated)"), " placeholder=\"F1, F2\""),
        b_address = field("b-address", t("地址", "Address"), ""),
        add_region = t("添加国家/城市", "Add a country or city"),
        r_name = field("r-name", t("名称", "Name"), " required"),
        country = t("所属国家（城市才选）", "Country (for a city)"),
    );
    html(status, frame(lang, t("会议室与地点", "Places and rooms"), Some(s), &body))
}

/// The room form's map: a click (or "use my location") sets latitude and longitude; the
/// check-in radius is drawn around the pin.
const MAP_SCRIPT: &str = "(function(){const lat=document.getElementById('room-latitude'),lon=document.getElementById('room-longitude'),\
rad=document.getElementById('room-radius');const at=[parseFloat(lat.value)||22.5431,parseFloat(lon.value)||114.0579];\
const map=L.map('map').setView(at,16);L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png',{maxZoom:19,\
attribution:'&copy; OpenStreetMap contributors'}).addTo(map);const pin=L.circleMarker(at,{radius:6}).addTo(map);\
const ring=L.circle(at,{radius:parseFloat(rad.value)||0}).addTo(map);function place(ll){pin.setLatLng(ll);ring.setLatLng(ll);\
lat.value=ll.lat.toFixed(6);lon.value=ll.lng.toFixed(6);}map.on('click',(e)=>place(e.latlng));\
rad.addEventListener('input',()=>ring.setRadius(parseFloat(rad.value)||0));\
document.getElementById('locate').addEventListener('click',()=>navigator.geolocation&&navigator.geolocation.getCurrentPosition(\
(p)=>{const ll=L.latLng(p.coords.latitude,p.coords.longitude);place(ll);map.setView(ll);}));})();";
