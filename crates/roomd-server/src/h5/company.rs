//! `company/*` (extension, docs/wire-compat.md "Time zones"): the caller's company, its
//! zone (its rooms' unless their building has one) and the language of its mails.

use axum::extract::State;
use roomd_core::company::{Company, CompanyPatch, language_code, parse_language, parse_zone};
use roomd_wire::h5 as wire;

use crate::error::{ApiResult, H5};
use crate::extract::{Auth, H5Json};
use crate::state::AppState;

/// POST /meeting/api/open/company/get
pub async fn get(State(app): State<AppState>, Auth(caller): Auth) -> ApiResult<H5<wire::Company>> {
    Ok(H5::ok(company_view(&app.store.company(&caller).await?)))
}

/// POST /meeting/api/open/company/update `{name?, timeZone?, language?}` — a new zone
/// moves every room that keeps the company's, and their meetings still ahead.
pub async fn update(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<wire::CompanyUpdate>,
) -> ApiResult<H5<wire::Company>> {
    let patch = CompanyPatch {
        name: req.name,
        time_zone: req.time_zone.map(|z| parse_zone("timeZone", &z)).transpose()?,
        language: req.language.map(|l| parse_language("language", &l)).transpose()?,
        reminder_minutes: req.reminder_minutes,
    };
    let company = app.store.update_company(&caller, patch).await?;
    app.forget_company(caller.company.as_str());
    Ok(H5::ok(company_view(&company)))
}

fn company_view(c: &Company) -> wire::Company {
    wire::Company {
        id: c.id.to_string(),
        name: c.name.clone(),
        time_zone: c.time_zone.name().to_string(),
        language: language_code(c.language).to_string(),
        reminder_minutes: c.reminder_minutes,
    }
}
