//! 扫码入职 (`onboarding`): whether registrations need approval, making a QR code from
//! the company's dimensions, the codes (preview, print, turn off/on), and the pending
//! registrations to approve or reject.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roomd_core::onboarding::{
    DimOption, Dimension, DimensionKind, I18n, Lang, RawValue, Registration, RegistrationState,
};
use roomd_store::StoreError;
use serde::Deserialize;

use super::page::{Admin, Done, OrPage, Posted, Section, done};
use crate::state::AppState;
use crate::web::{Notice, Page, render};

const HERE: Section = Section::Onboarding;

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    done: Option<Done>,
}

#[derive(Debug, Deserialize)]
pub struct SettingsForm {
    need_approval: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct IdForm {
    id: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DimensionForm {
    api_name: String,
    zh_cn: String,
    en_us: String,
    #[serde(rename = "type")]
    kind: String,
    options: String,
}

/// A dimension as the page shows it, and as a field of the new-code form.
struct DimensionLine {
    api_name: String,
    label: String,
    /// 1 single-select, 2 multi-select, 3 yes/no (the seed's numbers).
    kind: i64,
    kind_label: &'static str,
    options: Vec<(String, String)>,
}

struct CodeLine {
    id: String,
    active: bool,
    png: String,
    url: String,
    registrations: i64,
    pending: i64,
}

#[derive(Template)]
#[template(path = "console/onboarding.html")]
struct OnboardingPage<'a> {
    page: Page<'a>,
    need_approval: bool,
    dimensions: Vec<DimensionLine>,
    codes: Vec<CodeLine>,
    pending: Vec<Registration>,
    /// The language of the code images' captions.
    lang_code: &'static str,
}

/// GET /meeting/manage/onboarding
pub async fn page(State(app): State<AppState>, a: Admin, Query(q): Query<PageQuery>) -> Result<Response, Response> {
    let notice = q.done.and_then(|d| d.notice(a.t()));
    show(&app, &a, notice, StatusCode::OK).await
}

/// POST …/onboarding/settings `need_approval`
pub async fn settings(State(app): State<AppState>, p: Posted<SettingsForm>) -> Result<Response, Response> {
    let set = app.store.set_onboarding_approval(&p.admin.s.caller, p.form.need_approval.is_some()).await;
    answer(&app, &p.admin, set, Done::Saved).await
}

/// POST …/onboarding/create — a code from the form: each dimension's field is
/// `dim.<api_name>` (a multi-select repeats it).
pub async fn create(State(app): State<AppState>, p: Posted<Vec<(String, String)>>) -> Result<Response, Response> {
    let made = create_code(&app, &p.admin, &p.form).await;
    answer(&app, &p.admin, made, Done::Saved).await
}

/// POST …/onboarding/dimension — adds a dimension (or replaces the one with the same
/// `api_name`).
pub async fn save_dimension(State(app): State<AppState>, p: Posted<DimensionForm>) -> Result<Response, Response> {
    let Some(kind) = p.form.kind.parse().ok().and_then(DimensionKind::from_code) else {
        let t = p.admin.t();
        return show(&app, &p.admin, Notice::error(t.bad_kind), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let saved = save_dimension_of(&app, &p.admin, &p.form, kind).await;
    answer(&app, &p.admin, saved, Done::Saved).await
}

/// POST …/onboarding/remove-dimension `api_name`
pub async fn remove_dimension(State(app): State<AppState>, p: Posted<DimensionForm>) -> Result<Response, Response> {
    let removed = async {
        let mut dims = app.store.onboarding_dimensions(&p.admin.s.caller).await?;
        dims.retain(|d| d.api_name != p.form.api_name);
        save_all(&app, &p.admin, dims).await
    }
    .await;
    answer(&app, &p.admin, removed, Done::Removed).await
}

/// POST …/onboarding/off `id`
pub async fn turn_off(State(app): State<AppState>, p: Posted<IdForm>) -> Result<Response, Response> {
    set_active(&app, p, false).await
}

/// POST …/onboarding/on `id`
pub async fn turn_on(State(app): State<AppState>, p: Posted<IdForm>) -> Result<Response, Response> {
    set_active(&app, p, true).await
}

async fn set_active(app: &AppState, p: Posted<IdForm>, on: bool) -> Result<Response, Response> {
    let caller = &p.admin.s.caller;
    let set = app.store.set_qr_code_active(caller, caller.actor.name(), p.form.id, on).await.map(|_| ());
    answer(app, &p.admin, set, Done::Saved).await
}

/// POST …/onboarding/approve `id`
pub async fn approve(State(app): State<AppState>, p: Posted<IdForm>) -> Result<Response, Response> {
    let decided = app.store.decide_registration(&p.admin.s.caller, p.form.id, true, String::new()).await;
    answer(&app, &p.admin, decided.map(|_| ()), Done::Approved).await
}

/// POST …/onboarding/reject `id`
pub async fn reject(State(app): State<AppState>, p: Posted<IdForm>) -> Result<Response, Response> {
    let decided = app.store.decide_registration(&p.admin.s.caller, p.form.id, false, String::new()).await;
    answer(&app, &p.admin, decided.map(|_| ()), Done::Rejected).await
}

/// Back to the page saying `what`, or the page with why not.
async fn answer(app: &AppState, a: &Admin, outcome: Result<(), StoreError>, what: Done) -> Result<Response, Response> {
    match outcome {
        Ok(()) => Ok(done(HERE, &[], what)),
        Err(e @ StoreError::Domain(_)) => {
            let (why, status) = super::failure::said(a.lang, &e);
            show(app, a, Notice::error(why), status).await
        }
        Err(e) => Err(a.failed(HERE, &e)),
    }
}

/// Options are one a line: `value | 中文 | English`.
async fn save_dimension_of(
    app: &AppState,
    a: &Admin,
    f: &DimensionForm,
    kind: DimensionKind,
) -> Result<(), StoreError> {
    let mut dims = app.store.onboarding_dimensions(&a.s.caller).await?;
    let options = f
        .options
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let parts: Vec<&str> = line.split('|').map(str::trim).collect();
            let name = |i: usize| parts.get(i).copied().unwrap_or(parts[0]).to_string();
            DimOption { value: parts[0].to_string(), name: I18n { zh_cn: name(1), en_us: name(2) } }
        })
        .collect();
    let dim = Dimension {
        api_name: f.api_name.trim().to_string(),
        display_name: I18n { zh_cn: f.zh_cn.trim().to_string(), en_us: f.en_us.trim().to_string() },
        kind,
        options,
    };
    dims.retain(|d| d.api_name != dim.api_name);
    dims.push(dim);
    save_all(app, a, dims).await
}

/// Saves the whole list; the built-ins' options come from the directory, not the list.
async fn save_all(app: &AppState, a: &Admin, mut dims: Vec<Dimension>) -> Result<(), StoreError> {
    for d in dims.iter_mut().filter(|d| d.is_builtin()) {
        d.options.clear();
    }
    app.store.save_onboarding_dimensions(&a.s.caller, dims).await.map(|_| ())
}

async fn create_code(app: &AppState, a: &Admin, fields: &[(String, String)]) -> Result<(), StoreError> {
    let dims = app.store.onboarding_dimensions(&a.s.caller).await?;
    let values = dims
        .iter()
        .filter_map(|d| {
            let name = format!("dim.{}", d.api_name);
            let given: Vec<String> =
                fields.iter().filter(|(k, v)| *k == name && !v.is_empty()).map(|(_, v)| v.clone()).collect();
            let mut raw = RawValue { api_name: Some(d.api_name.clone()), ..RawValue::default() };
            match d.kind {
                DimensionKind::Single => raw.select_value = Some(given.first()?.clone()),
                DimensionKind::Multi if given.is_empty() => return None,
                DimensionKind::Multi => raw.multi_select_value = Some(given),
                DimensionKind::Bool => raw.bool_value = Some(!given.is_empty()),
            }
            Some(raw)
        })
        .collect();
    app.store.create_qr_code(&a.s.caller, a.s.caller.actor.name(), values).await.map(|_| ())
}

fn dimension_line(d: &Dimension, a: &Admin) -> DimensionLine {
    let t = a.t();
    DimensionLine {
        api_name: d.api_name.clone(),
        label: d.display_name.pick(a.lang).to_string(),
        kind: d.kind as i64,
        kind_label: match d.kind {
            DimensionKind::Single => t.single_select,
            DimensionKind::Multi => t.multi_select,
            DimensionKind::Bool => t.yes_no,
        },
        options: d.options.iter().map(|o| (o.value.clone(), o.name.pick(a.lang).to_string())).collect(),
    }
}

async fn show(app: &AppState, a: &Admin, notice: Option<Notice>, status: StatusCode) -> Result<Response, Response> {
    let caller = &a.s.caller;
    let need_approval = app.store.onboarding_needs_approval(caller).await.or_page(a, HERE)?;
    let dims = app.store.onboarding_dimensions(caller).await.or_page(a, HERE)?;
    let codes = app.store.qr_codes(caller).await.or_page(a, HERE)?;
    let pending = app.store.registrations(caller, None, Some(RegistrationState::Pending)).await.or_page(a, HERE)?;
    let codes = codes
        .into_iter()
        .map(|c| {
            let links = app.views.onboarding_links(&c.code.sign_key);
            CodeLine {
                png: links.png.trim_start_matches(app.views.public_url()).to_string(),
                url: links.url,
                id: c.code.id,
                active: c.code.active,
                registrations: c.registrations,
                pending: c.pending,
            }
        })
        .collect();
    let page = OnboardingPage {
        page: a.page(HERE, a.t().onboarding).with_notice(notice),
        need_approval,
        dimensions: dims.iter().map(|d| dimension_line(d, a)).collect(),
        codes,
        pending,
        lang_code: if a.lang == Lang::Zh { "zh_cn" } else { "en_us" },
    };
    Ok(render(status, &page))
}
