//! The web console (`/meeting/manage/`): server-rendered pages for a company's admins,
//! signed in with account and password. Every action here calls the same store methods
//! as the APIs. Forms carry the session's token (CSRF); the session cookie is `HttpOnly`
//! and `SameSite=Strict`.

mod approvals;
mod auth;
mod boards;
mod building_day;
mod calendar;
mod company;
mod directory;
pub(crate) mod failure;
mod feeds;
mod find_room;
mod meetings;
mod onboarding;
mod open_api;
mod page;
mod reports;
mod rooms;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Redirect;
use axum::routing::{get, post};

use crate::state::AppState;
use crate::web::assets::{self, Asset, FOR_A_DAY};

pub const BASE: &str = "/meeting/manage";
const COOKIE: &str = "roomd_session";

/// Every console page and form: a GET for each page, one POST route for each action.
pub fn router() -> Router<AppState> {
    let home = || async { Redirect::to(&format!("{BASE}/settings/openApi")) };
    let routes = Router::new()
        .route(&at("/"), get(home))
        .route(&at("/assets/leaflet.js"), assets::route(&LEAFLET_JS))
        .route(&at("/assets/leaflet.css"), assets::route(&LEAFLET_CSS))
        .route(&at("/assets/room-map.js"), assets::route(&ROOM_MAP_JS))
        .route(&at("/assets/copy.js"), assets::route(&COPY_JS))
        .route(&at("/setup"), get(auth::setup_page).post(auth::setup))
        .route(&at("/login"), get(auth::login_page).post(auth::login))
        .route(&at("/logout"), post(auth::logout))
        .route(&at("/settings/company"), get(company::page).post(company::save))
        .route(&at("/settings/openApi"), get(open_api::page))
        .route(&at("/settings/openApi/credential"), post(open_api::new_credential))
        .route(&at("/settings/openApi/credential/revoke"), post(open_api::revoke_credential))
        .route(&at("/settings/openApi/event/refresh"), post(open_api::refresh))
        .route(&at("/settings/openApi/event/save"), post(open_api::save))
        .route(&at("/settings/openApi/event/replay"), post(open_api::replay))
        .route(&at("/directory"), get(directory::page))
        .route(&at("/directory/departments"), post(directory::add_dept))
        .route(&at("/directory/departments/rename"), post(directory::rename_dept))
        .route(&at("/directory/departments/remove"), post(directory::remove_dept))
        .route(&at("/directory/users"), post(directory::add_user))
        .route(&at("/directory/users/update"), post(directory::update_user))
        .route(&at("/directory/users/disable"), post(directory::disable_user))
        .route(&at("/directory/users/enable"), post(directory::enable_user))
        .route(&at("/directory/users/setup-link"), post(directory::setup_link))
        .route(&at("/directory/users/setup-mail"), post(directory::mail_setup_link))
        .route(&at("/directory/feed"), get(feeds::person).post(feeds::reset_person))
        .route(
            &at("/directory/face"),
            post(directory::face).layer(axum::extract::DefaultBodyLimit::max(crate::h5::FACE_BODY_LIMIT)),
        )
        .route(&at("/meetings"), get(meetings::page))
        .route(&at("/meetings/book"), post(meetings::book))
        .route(&at("/meetings/approve"), post(meetings::approve))
        .route(&at("/meetings/reject"), post(meetings::reject))
        .route(&at("/meetings/cancel"), post(meetings::cancel))
        .route(&at("/meetings/finish"), post(meetings::finish))
        .route(&at("/meetings/building"), get(building_day::page))
        .route(&at("/meetings/free"), get(find_room::page))
        .route(&at("/approvals"), get(approvals::page))
        .route(&at("/rooms"), get(rooms::page).post(rooms::add_room))
        .route(&at("/rooms/update"), post(rooms::update_room))
        .route(&at("/rooms/remove"), post(rooms::remove_room))
        .route(&at("/rooms/feed"), get(feeds::room).post(feeds::reset_room))
        .route(&at("/rooms/buildings"), post(rooms::add_building))
        .route(&at("/rooms/regions"), post(rooms::add_region))
        .route(&at("/reports"), get(reports::page))
        .route(&at("/boards"), get(boards::page))
        .route(&at("/boards/code"), post(boards::mint))
        .route(&at("/boards/revoke"), post(boards::revoke))
        .route(&at("/onboarding"), get(onboarding::page))
        .route(&at("/onboarding/settings"), post(onboarding::settings))
        .route(&at("/onboarding/create"), post(onboarding::create))
        .route(&at("/onboarding/dimension"), post(onboarding::save_dimension))
        .route(&at("/onboarding/remove-dimension"), post(onboarding::remove_dimension))
        .route(&at("/onboarding/off"), post(onboarding::turn_off))
        .route(&at("/onboarding/on"), post(onboarding::turn_on))
        .route(&at("/onboarding/approve"), post(onboarding::approve))
        .route(&at("/onboarding/reject"), post(onboarding::reject))
        .route(&at("/{*rest}"), axum::routing::any(|| async { StatusCode::NOT_FOUND }));
    routes.route(BASE, get(home))
}

/// A console path: `BASE` and `path`.
fn at(path: &str) -> String {
    format!("{BASE}{path}")
}

/// The map on the room form (Leaflet, vendored: `assets/leaflet/README.md`).
static LEAFLET_JS: Asset = Asset::new(JS, include_str!("../../assets/leaflet/leaflet.js"), FOR_A_DAY);
static LEAFLET_CSS: Asset = Asset::new("text/css", include_str!("../../assets/leaflet/leaflet.css"), FOR_A_DAY);
static ROOM_MAP_JS: Asset = Asset::new(JS, include_str!("../../assets/room-map.js"), FOR_A_DAY);
/// The "copy" buttons (the calendar feed's address).
pub(crate) static COPY_JS: Asset = Asset::new(JS, include_str!("../../assets/copy.js"), FOR_A_DAY);
const JS: &str = "text/javascript";

pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    crate::web::cookie(headers, COOKIE)
}

/// `Set-Cookie` for a new session (or, with `""`, one that ends it).
pub fn set_cookie(token: &str, secure: bool) -> String {
    let max_age = if token.is_empty() { "; Max-Age=0" } else { "" };
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}={token}; Path={BASE}; HttpOnly; SameSite=Strict{max_age}{secure}")
}
