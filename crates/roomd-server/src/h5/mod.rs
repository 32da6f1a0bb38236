//! The h5 meeting Open API: `/meeting/api/...`, one handler per operation of the seed.

mod app;
mod calendar;
mod checkin;
mod company;
mod dept;
mod device;
mod event;
mod free;
mod mail;
mod meeting;
mod onboarding;
mod place;
mod resources;
mod room;
mod series;
mod token;
mod user;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{any, get, post};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Bodies over this answer 71001; face uploads have their own, larger limit.
pub const BODY_LIMIT: usize = 1024 * 1024;
pub const FACE_BODY_LIMIT: usize = 6 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    let open = "/meeting/api/open";
    Router::new()
        .route("/meeting/api/oapi/gettoken", get(token::get))
        .route(&format!("{open}/user/list"), post(user::list))
        .route(&format!("{open}/user/get"), post(user::get))
        .route(&format!("{open}/user/add"), post(user::add))
        .route(&format!("{open}/user/update"), post(user::update))
        .route(
            &format!("{open}/user/updateFace"),
            post(user::update_face).layer(DefaultBodyLimit::max(FACE_BODY_LIMIT)),
        )
        .route(&format!("{open}/user/clearFace"), post(user::clear_face))
        // The seed prints these two paths with a stray space; a client copying it verbatim
        // sends `%20`, and we answer that too.
        .route(&format!("{open}/user/%20clearFace"), post(user::clear_face))
        .route(&format!("{open}/user/remove"), post(user::remove))
        .route(&format!("{open}/user/setupLink"), post(user::setup_link))
        .route(&format!("{open}/dept/list"), post(dept::list))
        .route(&format!("{open}/dept/get"), post(dept::get))
        .route(&format!("{open}/dept/add"), post(dept::add))
        .route(&format!("{open}/dept/update"), post(dept::update))
        .route(&format!("{open}/dept/remove"), post(dept::remove))
        .route(&format!("{open}/room/list"), post(room::list))
        .route(&format!("{open}/room/get"), post(room::get))
        .route(&format!("{open}/room/add"), post(room::add))
        .route(&format!("{open}/room/update"), post(room::update))
        .route(&format!("{open}/room/remove"), post(room::remove))
        .route(&format!("{open}/room/free"), post(free::free))
        .route(&format!("{open}/room/schedule"), post(free::schedule))
        .route(&format!("{open}/meeting/list"), post(meeting::list))
        .route(&format!("{open}/meeting/get"), post(meeting::get))
        .route(&format!("{open}/meeting/book"), post(meeting::book))
        .route(&format!("{open}/meeting/update"), post(meeting::update))
        .route(&format!("{open}/meeting/cancel"), post(meeting::cancel))
        .route(&format!("{open}/meeting/finish"), post(meeting::finish))
        .route(&format!("{open}/meeting/%20finish"), post(meeting::finish))
        .route(&format!("{open}/event/get"), post(event::get))
        .route(&format!("{open}/event/refresh"), post(event::refresh))
        .route(&format!("{open}/event/save"), post(event::save))
        .route(&format!("{open}/event/deliveries"), post(event::deliveries))
        .route(&format!("{open}/event/replay"), post(event::replay))
        .route(&format!("{open}/meeting/checkIn"), post(checkin::by_location))
        .route(&format!("{open}/app/list"), post(app::list))
        .route(&format!("{open}/app/create"), post(app::create))
        .route(&format!("{open}/app/revoke"), post(app::revoke))
        .route(&format!("{open}/checkin/settings/get"), post(checkin::get))
        .route(&format!("{open}/checkin/settings/save"), post(checkin::save))
        .route(&format!("{open}/device/list"), post(device::list))
        .route(&format!("{open}/device/remove"), post(device::remove))
        .route(&format!("{open}/meeting/preview"), post(series::preview))
        .route(&format!("{open}/series/get"), post(series::get))
        .route(&format!("{open}/calendar/feed/get"), post(calendar::get))
        .route(&format!("{open}/calendar/feed/reset"), post(calendar::reset))
        .route(&format!("{open}/mail/deliveries"), post(mail::deliveries))
        .route(&format!("{open}/company/get"), post(company::get))
        .route(&format!("{open}/company/update"), post(company::update))
        .route(&format!("{open}/region/list"), post(place::list_regions))
        .route(&format!("{open}/region/get"), post(place::get_region))
        .route(&format!("{open}/region/add"), post(place::add_region))
        .route(&format!("{open}/region/update"), post(place::update_region))
        .route(&format!("{open}/region/remove"), post(place::remove_region))
        .route(&format!("{open}/building/list"), post(place::list_buildings))
        .route(&format!("{open}/building/get"), post(place::get_building))
        .route(&format!("{open}/building/add"), post(place::add_building))
        .route(&format!("{open}/building/update"), post(place::update_building))
        .route(&format!("{open}/building/remove"), post(place::remove_building))
        .route(&format!("{open}/onboarding/dimension/list"), post(onboarding::list_dimensions))
        .route(&format!("{open}/onboarding/dimension/save"), post(onboarding::save_dimensions))
        .route(&format!("{open}/onboarding/settings/get"), post(onboarding::get_settings))
        .route(&format!("{open}/onboarding/settings/save"), post(onboarding::save_settings))
        .route(&format!("{open}/onboarding/qrcode/list"), post(onboarding::list_codes))
        .route(&format!("{open}/onboarding/qrcode/get"), post(onboarding::get_code))
        .route(&format!("{open}/onboarding/qrcode/deactivate"), post(onboarding::deactivate_code))
        .route(&format!("{open}/onboarding/qrcode/activate"), post(onboarding::activate_code))
        .route(&format!("{open}/onboarding/registration/list"), post(onboarding::list_registrations))
        .route(&format!("{open}/onboarding/registration/approve"), post(onboarding::approve))
        .route(&format!("{open}/onboarding/registration/reject"), post(onboarding::reject))
        .route("/meeting/api/opt/resources/{company}/{file}", get(resources::get))
        .route("/meeting/api/{*rest}", any(crate::middleware::unknown_h5_path))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(crate::middleware::h5_strays))
}

/// A client-chosen id (`add`'s optional `id`): absent or blank means "make one".
fn optional_id<T>(
    raw: Option<String>,
    parse: fn(&'static str, &str) -> roomd_core::DomainResult<T>,
) -> ApiResult<Option<T>> {
    match raw.filter(|v| !v.trim().is_empty()) {
        Some(v) => Ok(Some(parse("id", &v)?)),
        None => Ok(None),
    }
}

/// A reference to another record: blank means "none".
fn optional_ref<T>(
    field: &'static str,
    raw: Option<String>,
    parse: fn(&'static str, &str) -> roomd_core::DomainResult<T>,
) -> ApiResult<Option<Option<T>>> {
    match raw {
        None => Ok(None),
        Some(v) if v.trim().is_empty() => Ok(Some(None)),
        Some(v) => Ok(Some(Some(parse(field, &v).map_err(ApiError::from)?))),
    }
}
