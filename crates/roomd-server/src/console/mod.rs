//! The web console (`/meeting/manage/`): server-rendered pages for a company's admins,
//! signed in with account and password. Every action here calls the same store methods
//! as the APIs. Forms carry the session's token (CSRF); the session cookie is `HttpOnly`
//! and `SameSite=Strict`.

mod approvals;
mod auth;
mod boards;
mod building_day;
mod directory;
mod failure;
mod meetings;
mod onboarding;
mod open_api;
mod page;
mod reports;
mod rooms;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use roomd_store::ConsoleSession;

use crate::state::AppState;

pub const BASE: &str = "/meeting/manage";
const COOKIE: &str = "roomd_session";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(BASE, get(|| async { Redirect::to(&format!("{BASE}/settings/openApi")) }))
        .route(&format!("{BASE}/"), get(|| async { Redirect::to(&format!("{BASE}/settings/openApi")) }))
        .route(&format!("{BASE}/assets/leaflet.js"), get(|| async { asset("text/javascript", LEAFLET_JS) }))
        .route(&format!("{BASE}/assets/leaflet.css"), get(|| async { asset("text/css", LEAFLET_CSS) }))
        .route(&format!("{BASE}/setup"), get(auth::setup_page).post(auth::setup))
        .route(&format!("{BASE}/login"), get(auth::login_page).post(auth::login))
        .route(&format!("{BASE}/logout"), post(auth::logout))
        .route(&format!("{BASE}/settings/openApi"), get(open_api::page))
        .route(&format!("{BASE}/settings/openApi/credential"), post(open_api::new_credential))
        .route(&format!("{BASE}/settings/openApi/credential/revoke"), post(open_api::revoke_credential))
        .route(&format!("{BASE}/settings/openApi/event/refresh"), post(open_api::refresh))
        .route(&format!("{BASE}/settings/openApi/event/save"), post(open_api::save))
        .route(&format!("{BASE}/settings/openApi/event/replay"), post(open_api::replay))
        .route(&format!("{BASE}/meetings"), get(meetings::page).post(meetings::act))
        .route(&format!("{BASE}/meetings/building"), get(building_day::page))
        .route(&format!("{BASE}/approvals"), get(approvals::approvals))
        .route(&format!("{BASE}/rooms"), get(rooms::page).post(rooms::act))
        .route(&format!("{BASE}/directory"), get(directory::page).post(directory::act))
        .route(&format!("{BASE}/reports"), get(reports::page))
        .route(
            &format!("{BASE}/directory/face"),
            post(directory::face).layer(axum::extract::DefaultBodyLimit::max(crate::h5::FACE_BODY_LIMIT)),
        )
        .route(&format!("{BASE}/boards"), get(boards::page))
        .route(&format!("{BASE}/boards/code"), post(boards::mint))
        .route(&format!("{BASE}/boards/revoke"), post(boards::revoke))
        .route(&format!("{BASE}/onboarding"), get(onboarding::page))
        .route(&format!("{BASE}/onboarding/{{action}}"), post(onboarding::act))
}

/// The map on the room form (Leaflet, vendored: `assets/leaflet/README.md`).
const LEAFLET_JS: &str = include_str!("../../assets/leaflet/leaflet.js");
const LEAFLET_CSS: &str = include_str!("../../assets/leaflet/leaflet.css");

fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=86400")], body).into_response()
}

/// The signed-in admin; without a session, a redirect to the sign-in page.
pub struct Admin(pub ConsoleSession);

impl FromRequestParts<AppState> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Self::Rejection> {
        let to_login = || Redirect::to(&format!("{BASE}/login")).into_response();
        let Some(token) = session_cookie(&parts.headers) else { return Err(to_login()) };
        match app.store.console_session(token).await {
            Ok(Some(session)) => Ok(Admin(session)),
            Ok(None) => Err(to_login()),
            Err(e) => {
                tracing::error!(error = %e, "console session");
                Err(page::error_page())
            }
        }
    }
}

pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(&format!("{COOKIE}=")).map(str::to_string))
        .filter(|t| !t.is_empty())
}

/// `Set-Cookie` for a new session (or, with `""`, one that ends it).
pub fn set_cookie(token: &str, secure: bool) -> String {
    let max_age = if token.is_empty() { "; Max-Age=0" } else { "" };
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}={token}; Path={BASE}; HttpOnly; SameSite=Strict{max_age}{secure}")
}

/// Whether a form's token is the session's (constant time).
pub fn csrf_ok(session: &ConsoleSession, sent: &str) -> bool {
    roomd_core::secret::constant_time_eq(&session.csrf, sent)
}
