//! 签到板 (`boards`): mint a deployment code for a node of the place tree and a validity,
//! list the active boards, revoke one.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roomd_core::board::Device;
use roomd_core::scope::{CodeKind, Scope, ScopeInput, valid_days};
use serde::Deserialize;

use super::page::{Admin, Done, OrPage, Posted, Section, done};
use crate::state::AppState;
use crate::web::{Notice, Page, render};

const HERE: Section = Section::Boards;

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    done: Option<Done>,
}

#[derive(Debug, Deserialize)]
pub struct MintForm {
    /// `scope|country|district|building|floor|room`, as the node list's options carry.
    #[serde(default)]
    node: String,
    valid_day: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    device: String,
}

#[derive(Template)]
#[template(path = "console/boards.html")]
struct BoardsPage<'a> {
    page: Page<'a>,
    /// A code just made, shown this once.
    minted: Option<String>,
    nodes: Vec<(String, String)>,
    devices: Vec<Device>,
}

/// GET /meeting/manage/boards
pub async fn page(State(app): State<AppState>, a: Admin, Query(q): Query<PageQuery>) -> Result<Response, Response> {
    let notice = q.done.and_then(|d| d.notice(a.t()));
    show(&app, &a, notice, None, StatusCode::OK).await
}

/// POST /meeting/manage/boards/code `node`, `valid_day`
pub async fn mint(State(app): State<AppState>, p: Posted<MintForm>) -> Result<Response, Response> {
    let (a, f) = (p.admin, p.form);
    let parts: Vec<&str> = f.node.split('|').collect();
    let field = |i: usize| parts.get(i).filter(|v| !v.is_empty()).map(|v| v.to_string());
    let input = ScopeInput {
        scope: field(0).and_then(|v| v.parse().ok()),
        country_id: field(1),
        district_id: field(2),
        building_id: field(3),
        floor_name: field(4),
        room_id: field(5),
    };
    let (scope, days) = match (Scope::from_input(&input), valid_days(f.valid_day)) {
        (Ok(scope), Ok(days)) => (scope, days),
        (Err(v), _) | (_, Err(v)) => {
            let why = Notice::error(format!("{}: {}", v.field, v.description));
            return show(&app, &a, why, None, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match app.store.create_access_code(&a.s.caller, CodeKind::Checkboard, scope, days).await {
        Ok(code) => show(&app, &a, None, Some(code.code), StatusCode::OK).await,
        Err(e @ roomd_store::StoreError::Domain(_)) => {
            let (why, status) = super::failure::said(a.lang, &e);
            show(&app, &a, Notice::error(why), None, status).await
        }
        Err(e) => Err(a.failed(HERE, &e)),
    }
}

/// POST /meeting/manage/boards/revoke `device`
pub async fn revoke(State(app): State<AppState>, p: Posted<RevokeForm>) -> Result<Response, Response> {
    app.store.revoke_device(&p.admin.s.caller, p.form.device).await.or_page(&p.admin, HERE)?;
    Ok(done(HERE, &[], Done::BoardRevoked))
}

/// Every node a code can be scoped to, as `(value, label)`: the company, countries,
/// cities, buildings, their floors, rooms.
async fn nodes(app: &AppState, a: &Admin) -> Result<Vec<(String, String)>, Response> {
    let regions = app.store.regions(&a.s.caller).await.or_page(a, HERE)?;
    let buildings = app.store.buildings(&a.s.caller).await.or_page(a, HERE)?;
    let rooms = app.store.list_rooms(&a.s.caller).await.or_page(a, HERE)?;
    let mut out = vec![("1".to_string(), a.t().whole_company.to_string())];
    for r in &regions {
        out.push(match &r.parent {
            None => (format!("2|{}", r.id), format!("🌐 {}", r.name)),
            Some(country) => (format!("3|{country}|{}", r.id), format!("🏙 {}", r.name)),
        });
    }
    for b in &buildings {
        out.push((format!("4|||{}", b.id), format!("🏢 {}", b.name)));
        for f in &b.floors {
            out.push((format!("5|||{}|{f}", b.id), format!("🏢 {} · {f}", b.name)));
        }
    }
    for r in &rooms {
        out.push((format!("6|||||{}", r.id), format!("🚪 {}", r.name)));
    }
    Ok(out)
}

async fn show(
    app: &AppState,
    a: &Admin,
    notice: Option<Notice>,
    minted: Option<String>,
    status: StatusCode,
) -> Result<Response, Response> {
    let nodes = nodes(app, a).await?;
    let devices = app.store.devices(&a.s.caller).await.or_page(a, HERE)?;
    let page = BoardsPage { page: a.page(HERE, a.t().boards).with_notice(notice), minted, nodes, devices };
    Ok(render(status, &page))
}
