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

use super::page::{csrf_field, frame, html, note};
use super::{Admin, BASE, csrf_ok};
use crate::html::esc;
use crate::onboarding::page_lang;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
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
}

/// GET /meeting/manage/rooms
pub async fn page(
    State(app): State<AppState>,
    Admin(s): Admin,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    render(&app, &s, page_lang(q.lang.as_deref(), &headers), String::new(), StatusCode::OK).await
}

/// POST /meeting/manage/rooms — `action`: `region`, `building`, `room`, `remove-room`.
pub async fn act(
    State(app): State<AppState>,
    Admin(s): Admin,
    headers: HeaderMap,
    Form(f): Form<PlaceForm>,
) -> Response {
    let lang = page_lang(None, &headers);
    if !csrf_ok(&s, f.csrf.as_deref().unwrap_or_default()) {
        return render(&app, &s, lang, note(false, super::page::words(lang).expired_form), StatusCode::FORBIDDEN).await;
    }
    let done = match f.action.as_deref().unwrap_or_default() {
        "region" => add_region(&app, &s, &f).await,
        "building" => add_building(&app, &s, &f).await,
        "room" => add_room(&app, &s, &f).await,
        "remove-room" => app.store.remove_room(&s.caller, RoomId::from_stored(f.id.clone().unwrap_or_default())).await,
        _ => Ok(()),
    };
    match done {
        Ok(()) => render(&app, &s, lang, String::new(), StatusCode::OK).await,
        Err(e) => render(&app, &s, lang, note(false, &e.to_string()), StatusCode::UNPROCESSABLE_ENTITY).await,
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
        floor: given(&f.floor),
        ..RoomPatch::default()
    };
    app.store.add_room(&s.caller, None, patch).await.map(|_| ())
}

async fn render(app: &AppState, s: &ConsoleSession, lang: Lang, message: String, status: StatusCode) -> Response {
    let zh = lang == Lang::Zh;
    let t = |zh_text: &'static str, en: &'static str| if zh { zh_text } else { en };
    let (Ok(regions), Ok(buildings), Ok(rooms)) = (
        app.store.regions(&s.caller).await,
        app.store.buildings(&s.caller).await,
        app.store.list_rooms(&s.caller).await,
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
    let building_options: String = buildings.iter().map(|b| option(b.id.to_string(), &b.name)).collect();
    let room_rows: String = rooms
        .iter()
        .map(|r| {
            let building = r.building.as_ref().and_then(|id| buildings.iter().find(|b| b.id.as_str() == id)).map_or("—", |b| b.name.as_str());
            format!(
                "<tr><td>{}</td><td>{} {}</td><td>{}–{}</td><td>{}</td><td>{}</td><td><a href=\"{BASE}/meetings?room={}\">{}</a> \
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
            )
        })
        .collect();
    let field = |id: &str, label: &str, extra: &str| {
        format!(
            "<label for=\"{id}\">{label}</label><input id=\"{id}\" name=\"{}\" type=\"text\"{extra}>",
            id.trim_start_matches("room-").trim_start_matches("b-").trim_start_matches("r-")
        )
    };
    let body = format!(
        "{message}<section><h2>{rooms_title}</h2><table><tbody>{room_rows}</tbody></table></section>\
         <section><h2>{add_room}</h2><form method=\"post\" action=\"{BASE}/rooms\">{csrf}\
         {name}{capacity}{size}{begin}{end}\
         <label for=\"room-building\">{building}</label><select id=\"room-building\" name=\"building\"><option value=\"\">—</option>{building_options}</select>\
         {floor}{latitude}{longitude}{radius}{users}\
         <label><input type=\"checkbox\" id=\"room-need_audit\" name=\"need_audit\"> {audit}</label>\
         <p><button type=\"button\" id=\"locate\">{locate}</button> <button type=\"submit\" name=\"action\" value=\"room\">{add_room}</button></p></form></section>\
         <section><h2>{add_building}</h2><form method=\"post\" action=\"{BASE}/rooms\">{csrf}{b_name}\
         <label for=\"b-parent\">{region}</label><select id=\"b-parent\" name=\"parent\"><option value=\"\">—</option>{places}</select>\
         {b_floors}{b_address}<p><button type=\"submit\" name=\"action\" value=\"building\">{add_building}</button></p></form></section>\
         <section><h2>{add_region}</h2><form method=\"post\" action=\"{BASE}/rooms\">{csrf}{r_name}\
         <label for=\"r-parent\">{country}</label><select id=\"r-parent\" name=\"parent\"><option value=\"\">—</option>{countries}</select>\
         <p><button type=\"submit\" name=\"action\" value=\"region\">{add_region}</button></p></form></section>\
         <script>document.getElementById('locate').addEventListener('click',()=>navigator.geolocation&&navigator.geolocation.getCurrentPosition((p)=>{{\
         document.getElementById('room-latitude').value=p.coords.latitude.toFixed(6);document.getElementById('room-longitude').value=p.coords.longitude.toFixed(6);}}));</script>",
        rooms_title = t("会议室", "Rooms"),
        add_room = t("添加会议室", "Add a room"),
        name = field("room-name", t("名称", "Name"), " required"),
        capacity = field("room-capacity", t("容纳人数", "Capacity"), ""),
        size = field("room-size", t("面积（㎡）", "Size (m²)"), ""),
        begin = field("room-begin", t("可预约开始 HH:mm", "Bookable from (HH:mm)"), " placeholder=\"07:00\""),
        end = field("room-end", t("可预约结束 HH:mm", "Bookable until (HH:mm)"), " placeholder=\"23:00\""),
        building = t("建筑", "Building"),
        floor = field("room-floor", t("楼层", "Floor"), ""),
        latitude = field("room-latitude", t("纬度", "Latitude"), ""),
        longitude = field("room-longitude", t("经度", "Longitude"), ""),
        radius = field("room-radius", t("签到半径（米）", "Check-in radius (m)"), ""),
        users = field(
            "room-users",
            t("仅限这些用户预约（ID，逗号分隔）", "Only these users may book (ids, comma-separated)"),
            ""
        ),
        audit = t("预约需要审批", "Bookings need approval"),
        locate = t("使用当前位置", "Use my location"),
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
