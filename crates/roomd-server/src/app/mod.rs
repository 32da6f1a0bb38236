//! The employees' app (`/app/`): server-rendered pages for every enabled user of a
//! company, made for a phone first. A person signs in with company, account (or phone,
//! or email) and password, with the console's lockout; forms carry the session's token
//! (CSRF); the session cookie is the app's own (`HttpOnly`, `SameSite=Strict`, `Secure`
//! behind https). Every action calls the same store methods as the APIs.

mod book;
mod book_form;
mod find;
mod home;
mod login;
mod meeting;
mod meeting_actions;
mod meeting_edit;
mod people;
mod person;
mod profile;
mod rooms;
mod scan;
mod series_rule;
mod shown;
mod words;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Redirect;
use axum::routing::{get, post};

use crate::state::AppState;
use crate::web::assets::{self, Asset};

pub const BASE: &str = "/app";
/// Where a board's check-in code leads (`board::checkin::links`).
pub const SCAN: &str = "/app/scan";
/// Check-in by location: the phone's position put in the form before it goes. Its
/// address carries its version (`locate_version`).
static LOCATE_JS: Asset = Asset::new("text/javascript", include_str!("../../assets/locate.js"), assets::FOR_A_YEAR);
/// The colleague search as one types (`people.js`), versioned as `locate.js` is.
static PEOPLE_JS: Asset = Asset::new("text/javascript", include_str!("../../assets/people.js"), assets::FOR_A_YEAR);
const COOKIE: &str = "roomd_app";

/// The app's pages and forms.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(BASE, get(|| async { Redirect::permanent(&format!("{BASE}/")) }))
        .route(&at("/"), get(home::page))
        .route(&at("/checkin"), post(home::check_in))
        .route(&at("/find"), get(find::page))
        .route(&at("/rooms/{id}"), get(rooms::day))
        .route(&at("/book"), get(book::page).post(book::post))
        .route(&at("/meetings/{id}"), get(meeting::page))
        .route(&at("/meetings/{id}/calendar.ics"), get(meeting::calendar))
        .route(&at("/meetings/{id}/cancel"), post(meeting_actions::cancel))
        .route(&at("/meetings/{id}/finish"), post(meeting_actions::finish))
        .route(&at("/meetings/{id}/extend"), post(meeting_actions::extend))
        .route(&at("/meetings/{id}/edit"), get(meeting_edit::page).post(meeting_edit::save))
        .route(&at("/profile"), get(profile::page))
        .route(&at("/profile/password"), post(profile::change_password))
        .route(&at("/profile/photo"), get(profile::photo))
        .route(&at("/profile/feed"), post(profile::reset_feed))
        .route(
            &at("/profile/face"),
            post(profile::face).layer(axum::extract::DefaultBodyLimit::max(crate::h5::FACE_BODY_LIMIT)),
        )
        .route(&at("/assets/locate.js"), assets::route(&LOCATE_JS))
        .route(&at("/assets/copy.js"), assets::route(&crate::console::COPY_JS))
        .route(&at("/assets/people.js"), assets::route(&PEOPLE_JS))
        .route(&at("/people"), get(people::found))
        .route(&at("/login"), get(login::page).post(login::sign_in))
        .route(SCAN, get(scan::page).post(scan::check_in))
        .route(&at("/logout"), post(login::sign_out))
        .route(&at("/{*rest}"), axum::routing::any(|| async { StatusCode::NOT_FOUND }))
}

/// The `?v=` of `locate.js`, for the pages that load it.
fn locate_version() -> &'static str {
    LOCATE_JS.version()
}

/// The `?v=` of `people.js`, for the forms that load it.
fn people_version() -> &'static str {
    PEOPLE_JS.version()
}

/// An app path: `BASE` and `path`.
fn at(path: &str) -> String {
    format!("{BASE}{path}")
}

fn session_cookie(headers: &HeaderMap) -> Option<String> {
    crate::web::cookie(headers, COOKIE)
}

/// `Set-Cookie` for a new session (or, with `""`, one that ends it). It lasts as long as
/// the session, so a phone stays signed in across browser restarts.
fn set_cookie(token: &str, secure: bool) -> String {
    let max_age = match token.is_empty() {
        true => 0,
        false => roomd_store::Surface::App.lifetime_ms() / 1000,
    };
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}={token}; Path={BASE}/; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}")
}

/// Cookies carry `Secure` when clients reach roomd over https (`--public-url`).
fn secure_cookies(app: &AppState) -> bool {
    app.views.public_url().starts_with("https://")
}
