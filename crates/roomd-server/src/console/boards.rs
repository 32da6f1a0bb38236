//! 签到板 (`boards`): mint a deployment code for a node of the place tree and a validity,
//! list the active boards, revoke one.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use roomd_core::onboarding::Lang;
use roomd_core::scope::{CodeKind, Scope, ScopeInput, valid_days};
use roomd_store::ConsoleSession;
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

#[derive(Debug, Deserialize)]
pub struct BoardForm {
    csrf: Option<String>,
    /// `scope|country|district|building|floor|room`, as the node list's options carry.
    node: Option<String>,
    valid_day: Option<i64>,
    device: Option<String>,
}

struct Words {
    title: &'static str,
    mint: &'static str,
    node: &'static str,
    days: &'static str,
    minted: &'static str,
    devices: &'static str,
    revoke: &'static str,
    none: &'static str,
    company: &'static str,
}

fn words(lang: Lang) -> &'static Words {
    const ZH: Words = Words {
        title: "签到板",
        mint: "创建部署码",
        node: "范围",
        days: "有效天数",
        minted: "部署码（在签到板上输入）：",
        devices: "已激活的签到板",
        revoke: "停用",
        none: "暂无",
        company: "整个企业",
    };
    const EN: Words = Words {
        title: "Check-in boards",
        mint: "Create a deployment code",
        node: "Scope",
        days: "Valid for (days)",
        minted: "Deployment code (type it on the board):",
        devices: "Active boards",
        revoke: "Revoke",
        none: "None yet",
        company: "The whole company",
    };
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// GET /meeting/manage/boards
pub async fn page(
    State(app): State<AppState>,
    Admin(s): Admin,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    render(&app, &s, page_lang(q.lang.as_deref(), &headers), String::new(), StatusCode::OK).await
}

/// POST /meeting/manage/boards/code `node`, `valid_day`
pub async fn mint(
    State(app): State<AppState>,
    Admin(s): Admin,
    headers: HeaderMap,
    Form(f): Form<BoardForm>,
) -> Response {
    let lang = page_lang(None, &headers);
    if !csrf_ok(&s, &f.csrf.unwrap_or_default()) {
        return render(&app, &s, lang, super::page::expired(lang), StatusCode::FORBIDDEN).await;
    }
    let parts: Vec<String> = f.node.unwrap_or_default().split('|').map(str::to_string).collect();
    let field = |i: usize| parts.get(i).filter(|v| !v.is_empty()).cloned();
    let input = ScopeInput {
        scope: field(0).and_then(|v| v.parse().ok()),
        country_id: field(1),
        district_id: field(2),
        building_id: field(3),
        floor_name: field(4),
        room_id: field(5),
    };
    let minted = match (Scope::from_input(&input), valid_days(f.valid_day)) {
        (Ok(scope), Ok(days)) => app.store.create_access_code(&s.caller, CodeKind::Checkboard, scope, days).await,
        (Err(v), _) | (_, Err(v)) => {
            return render(
                &app,
                &s,
                lang,
                note(false, &format!("{}: {}", v.field, v.description)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let message = match minted {
        Ok(code) => format!(
            "<div class=\"secret\" role=\"status\"><p>{}</p><p><code id=\"access-code\">{}</code></p></div>",
            words(lang).minted,
            esc(&code.code)
        ),
        Err(e) => super::failure::note_of(lang, &e),
    };
    render(&app, &s, lang, message, StatusCode::OK).await
}

/// POST /meeting/manage/boards/revoke `device`
pub async fn revoke(
    State(app): State<AppState>,
    Admin(s): Admin,
    headers: HeaderMap,
    Form(f): Form<BoardForm>,
) -> Response {
    let lang = page_lang(None, &headers);
    if !csrf_ok(&s, &f.csrf.unwrap_or_default()) {
        return render(&app, &s, lang, super::page::expired(lang), StatusCode::FORBIDDEN).await;
    }
    let message = match app.store.revoke_device(&s.caller, f.device.unwrap_or_default()).await {
        Ok(()) => String::new(),
        Err(e) => super::failure::note_of(lang, &e),
    };
    render(&app, &s, lang, message, StatusCode::OK).await
}

/// Every node a code can be scoped to, as `<option>`s: the company, countries, cities,
/// buildings, their floors, rooms.
async fn nodes(app: &AppState, s: &ConsoleSession, w: &Words) -> Option<String> {
    let regions = app.store.regions(&s.caller).await.ok()?;
    let buildings = app.store.buildings(&s.caller).await.ok()?;
    let rooms = app.store.list_rooms(&s.caller).await.ok()?;
    let option = |value: String, label: String| format!("<option value=\"{}\">{}</option>", esc(&value), esc(&label));
    let mut out = vec![option("1".into(), w.company.into())];
    for r in &regions {
        out.push(match &r.parent {
            None => option(format!("2|{}", r.id), format!("🌐 {}", r.name)),
            Some(country) => option(format!("3|{country}|{}", r.id), format!("🏙 {}", r.name)),
        });
    }
    for b in &buildings {
        out.push(option(format!("4|||{}", b.id), format!("🏢 {}", b.name)));
        for f in &b.floors {
            out.push(option(format!("5|||{}|{f}", b.id), format!("🏢 {} · {f}", b.name)));
        }
    }
    for r in &rooms {
        out.push(option(format!("6|||||{}", r.id), format!("🚪 {}", r.name)));
    }
    Some(out.concat())
}

async fn render(app: &AppState, s: &ConsoleSession, lang: Lang, message: String, status: StatusCode) -> Response {
    let w = words(lang);
    let (Some(nodes), Ok(devices)) = (nodes(app, s, w).await, app.store.devices(&s.caller).await) else {
        return super::page::error_page();
    };
    let csrf = csrf_field(s);
    let rows: String = if devices.is_empty() {
        format!("<tr><td colspan=\"4\">{}</td></tr>", w.none)
    } else {
        devices
            .iter()
            .map(|d| {
                format!(
                    "<tr><td>{name}</td><td><code>{scope}</code></td><td><code>{room}</code></td><td>\
                     <form class=\"inline\" method=\"post\" action=\"{BASE}/boards/revoke\">{csrf}\
                     <input type=\"hidden\" name=\"device\" value=\"{id}\"><button type=\"submit\">{revoke}</button></form></td></tr>",
                    name = esc(&d.name),
                    scope = esc(&d.scope.key()),
                    room = esc(d.room.as_ref().map(|r| r.as_str()).unwrap_or("—")),
                    id = esc(&d.id),
                    revoke = w.revoke,
                )
            })
            .collect()
    };
    let body = format!(
        "{message}<section aria-labelledby=\"mint\"><h2 id=\"mint\">{mint}</h2>\
         <form method=\"post\" action=\"{BASE}/boards/code\">{csrf}\
         <label for=\"node\">{node}</label><select id=\"node\" name=\"node\">{nodes}</select>\
         <label for=\"valid_day\">{days}</label><select id=\"valid_day\" name=\"valid_day\">\
         <option value=\"1\">1</option><option value=\"7\" selected>7</option><option value=\"30\">30</option></select>\
         <p><button type=\"submit\">{mint}</button></p></form></section>\
         <section aria-labelledby=\"devices\"><h2 id=\"devices\">{devices}</h2><table><thead><tr><th></th><th></th><th></th>\
         <th></th></tr></thead><tbody>{rows}</tbody></table></section>",
        mint = w.mint,
        node = w.node,
        days = w.days,
        devices = w.devices,
    );
    html(status, frame(lang, w.title, Some(s), &body))
}
