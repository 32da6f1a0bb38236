//! 企业设置 (`settings/company`): the company's name, its time zone (its rooms' unless
//! their building has one) and the language of its mails and calendars — what
//! `company/get` and `company/update` read and change.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono_tz::Tz;
use roomd_core::company::{CompanyPatch, language_code, parse_language, parse_zone};
use roomd_store::StoreError;
use serde::Deserialize;

use super::page::{Admin, Done, OrPage, Posted, Section, done};
use crate::state::AppState;
use crate::web::{Notice, Page, render};

const HERE: Section = Section::Company;

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    done: Option<Done>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CompanyForm {
    name: String,
    time_zone: String,
    language: String,
    reminder_minutes: String,
}

#[derive(Template)]
#[template(path = "console/company.html")]
struct CompanyPage<'a> {
    page: Page<'a>,
    name: String,
    time_zone: String,
    language: String,
    reminder_minutes: String,
    zones: &'static [Tz],
}

/// GET /meeting/manage/settings/company
pub async fn page(State(app): State<AppState>, a: Admin, Query(q): Query<PageQuery>) -> Result<Response, Response> {
    let company = app.store.company(&a.s.caller).await.or_page(&a, HERE)?;
    let form = CompanyForm {
        name: company.name,
        time_zone: company.time_zone.name().to_string(),
        language: language_code(company.language).to_string(),
        reminder_minutes: company.reminder_minutes.to_string(),
    };
    Ok(show(&a, form, q.done.and_then(|d| d.notice(a.t())), StatusCode::OK))
}

/// POST /meeting/manage/settings/company `name`, `time_zone`, `language`
pub async fn save(State(app): State<AppState>, p: Posted<CompanyForm>) -> Result<Response, Response> {
    let (a, f) = (p.admin, p.form);
    let Ok(minutes) = f.reminder_minutes.trim().parse::<i64>() else {
        return Ok(show(&a, f, Notice::error(a.t().reminder_hint), StatusCode::UNPROCESSABLE_ENTITY));
    };
    let patch = match (parse_zone("timeZone", &f.time_zone), parse_language("language", &f.language)) {
        (Ok(zone), Ok(language)) => CompanyPatch {
            name: Some(f.name.clone()),
            time_zone: Some(zone),
            language: Some(language),
            reminder_minutes: Some(minutes),
        },
        (Err(_), _) => return Ok(show(&a, f, Notice::error(a.t().bad_zone), StatusCode::UNPROCESSABLE_ENTITY)),
        (_, Err(e)) => {
            let why = super::failure::plain(a.lang, &e.into());
            return Ok(show(&a, f, Notice::error(why), StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    match app.store.update_company(&a.s.caller, patch).await {
        Ok(_) => {
            app.forget_company(a.s.caller.company.as_str());
            Ok(done(HERE, &[], Done::Saved))
        }
        Err(e @ StoreError::Domain(_)) => {
            let (why, status) = super::failure::said(a.lang, &e);
            Ok(show(&a, f, Notice::error(why), status))
        }
        Err(e) => Err(a.failed(HERE, &e)),
    }
}

fn show(a: &Admin, f: CompanyForm, notice: Option<Notice>, status: StatusCode) -> Response {
    let page = CompanyPage {
        page: a.page(HERE, a.t().company_settings).with_notice(notice),
        name: f.name,
        time_zone: f.time_zone,
        language: f.language,
        reminder_minutes: f.reminder_minutes,
        zones: chrono_tz::TZ_VARIANTS.as_slice(),
    };
    render(status, &page)
}
