//! 扫码入职 (`onboarding`): whether registrations need approval, making a QR code from
//! the company's dimensions, the codes (preview, print, turn off/on), and the pending
//! registrations to approve or reject.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use roomd_core::onboarding::{Dimension, DimensionKind, Lang, RawValue, RegistrationState};
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

struct Words {
    title: &'static str,
    approval: &'static str,
    create: &'static str,
    codes: &'static str,
    print: &'static str,
    off: &'static str,
    on: &'static str,
    pending: &'static str,
    approve: &'static str,
    reject: &'static str,
    none: &'static str,
    no_dimensions: &'static str,
    save: &'static str,
}

fn words(lang: Lang) -> &'static Words {
    const ZH: Words = Words {
        title: "扫码入职",
        approval: "入职登记需要管理员审批",
        create: "创建入职二维码",
        codes: "入职二维码",
        print: "打印",
        off: "停用",
        on: "启用",
        pending: "待审批的登记",
        approve: "通过",
        reject: "拒绝",
        none: "暂无",
        no_dimensions: "尚未定义二维码维度（onboarding/dimension/save）。",
        save: "保存",
    };
    const EN: Words = Words {
        title: "Onboarding",
        approval: "Registrations wait for an admin's approval",
        create: "Create an onboarding QR code",
        codes: "Onboarding QR codes",
        print: "Print",
        off: "Turn off",
        on: "Turn on",
        pending: "Registrations waiting for approval",
        approve: "Approve",
        reject: "Reject",
        none: "None yet",
        no_dimensions: "No QR code dimensions are defined yet (onboarding/dimension/save).",
        save: "Save",
    };
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// GET /meeting/manage/onboarding
pub async fn page(
    State(app): State<AppState>,
    Admin(s): Admin,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    render(&app, &s, page_lang(q.lang.as_deref(), &headers), String::new(), StatusCode::OK).await
}

/// POST /meeting/manage/onboarding/{action}: the form's fields as pairs (a multi-select
/// repeats its name).
pub async fn act(
    State(app): State<AppState>,
    Admin(s): Admin,
    axum::extract::Path(action): axum::extract::Path<String>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let lang = page_lang(None, &headers);
    let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    if !csrf_ok(&s, &get("csrf")) {
        return render(&app, &s, lang, note(false, super::page::words(lang).expired_form), StatusCode::FORBIDDEN).await;
    }
    let by = s.caller.actor.name();
    let done: Result<(), String> = match action.as_str() {
        "settings" => {
            app.store.set_onboarding_approval(&s.caller, get("need_approval") == "on").await.map_err(|e| e.to_string())
        }
        "create" => create(&app, &s, &fields).await,
        "off" | "on" => app
            .store
            .set_qr_code_active(&s.caller, by, get("id"), action == "on")
            .await
            .map(|_| ())
            .map_err(|e| e.to_string()),
        "approve" | "reject" => app
            .store
            .decide_registration(&s.caller, get("id"), action == "approve", String::new())
            .await
            .map(|_| ())
            .map_err(|e| e.to_string()),
        _ => Err("unknown action".into()),
    };
    let (message, status) = match done {
        Ok(()) => (String::new(), StatusCode::OK),
        Err(why) => (note(false, &why), StatusCode::UNPROCESSABLE_ENTITY),
    };
    render(&app, &s, lang, message, status).await
}

/// A code from the form: each dimension's field is `dim.<api_name>`.
async fn create(app: &AppState, s: &ConsoleSession, fields: &[(String, String)]) -> Result<(), String> {
    let dims = app.store.onboarding_dimensions(&s.caller).await.map_err(|e| e.to_string())?;
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
    app.store.create_qr_code(&s.caller, s.caller.actor.name(), values).await.map(|_| ()).map_err(|e| e.to_string())
}

fn dimension_field(d: &Dimension, lang: Lang) -> String {
    let id = format!("dim-{}", d.api_name);
    let name = format!("dim.{}", d.api_name);
    let label = format!("<label for=\"{}\">{}</label>", esc(&id), esc(d.display_name.pick(lang)));
    let options = || -> String {
        d.options
            .iter()
            .map(|o| format!("<option value=\"{}\">{}</option>", esc(&o.value), esc(o.name.pick(lang))))
            .collect()
    };
    match d.kind {
        DimensionKind::Single => {
            format!("{label}<select id=\"{}\" name=\"{}\">{}</select>", esc(&id), esc(&name), options())
        }
        DimensionKind::Multi => {
            format!("{label}<select id=\"{}\" name=\"{}\" multiple>{}</select>", esc(&id), esc(&name), options())
        }
        DimensionKind::Bool => format!(
            "<label><input type=\"checkbox\" id=\"{}\" name=\"{}\"> {}</label>",
            esc(&id),
            esc(&name),
            esc(d.display_name.pick(lang))
        ),
    }
}

async fn render(app: &AppState, s: &ConsoleSession, lang: Lang, message: String, status: StatusCode) -> Response {
    let w = words(lang);
    let (Ok(need), Ok(dims), Ok(codes), Ok(pending)) = (
        app.store.onboarding_needs_approval(&s.caller).await,
        app.store.onboarding_dimensions(&s.caller).await,
        app.store.qr_codes(&s.caller).await,
        app.store.registrations(&s.caller, None, Some(RegistrationState::Pending)).await,
    ) else {
        return super::page::error_page();
    };
    let csrf = csrf_field(s);
    let form = |action: &str, id: &str, label: &str| {
        format!(
            "<form class=\"inline\" method=\"post\" action=\"{BASE}/onboarding/{action}\">{csrf}\
             <input type=\"hidden\" name=\"id\" value=\"{}\"><button type=\"submit\">{label}</button></form>",
            esc(id)
        )
    };
    let create = if dims.is_empty() {
        note(false, w.no_dimensions)
    } else {
        let fields: String = dims.iter().map(|d| dimension_field(d, lang)).collect();
        format!(
            "<form method=\"post\" action=\"{BASE}/onboarding/create\">{csrf}{fields}<p><button type=\"submit\">{}</button></p></form>",
            w.create
        )
    };
    let code_rows: String = if codes.is_empty() {
        format!("<tr><td colspan=\"4\">{}</td></tr>", w.none)
    } else {
        codes
            .iter()
            .map(|c| {
                let links = app.views.onboarding_links(&c.code.sign_key);
                let png = links.png.trim_start_matches(app.views.public_url()).to_string();
                let toggle = if c.code.active { form("off", &c.code.id, w.off) } else { form("on", &c.code.id, w.on) };
                format!(
                    "<tr><td><img src=\"{png}&amp;lang={code}\" alt=\"QR {id}\" width=\"120\"></td><td><code>{id}</code><br>\
                     <a href=\"{url}\">{url}</a></td><td>{regs} / {pend}</td><td><a href=\"{png}&amp;lang=zh_cn\" download>{print} 中文</a> \
                     <a href=\"{png}&amp;lang=en_us\" download>{print} EN</a> {toggle}</td></tr>",
                    png = esc(&png),
                    code = if lang == Lang::Zh { "zh_cn" } else { "en_us" },
                    id = esc(&c.code.id),
                    url = esc(&links.url),
                    regs = c.registrations,
                    pend = c.pending,
                    print = w.print,
                )
            })
            .collect()
    };
    let pending_rows: String = if pending.is_empty() {
        format!("<tr><td colspan=\"3\">{}</td></tr>", w.none)
    } else {
        pending
            .iter()
            .map(|r| {
                format!(
                    "<tr><td>{}</td><td><code>{}</code></td><td>{} {}</td></tr>",
                    esc(&r.name),
                    esc(&r.account),
                    form("approve", &r.id, w.approve),
                    form("reject", &r.id, w.reject)
                )
            })
            .collect()
    };
    let body = format!(
        "{message}<section><form method=\"post\" action=\"{BASE}/onboarding/settings\">{csrf}\
         <label><input type=\"checkbox\" id=\"need-approval\" name=\"need_approval\"{checked}> {approval}</label>\
         <p><button type=\"submit\">{save}</button></p></form></section>\
         <section aria-labelledby=\"create\"><h2 id=\"create\">{create_title}</h2>{create}</section>\
         <section aria-labelledby=\"codes\"><h2 id=\"codes\">{codes_title}</h2><table><tbody>{code_rows}</tbody></table></section>\
         <section aria-labelledby=\"pending\"><h2 id=\"pending\">{pending_title}</h2><table><tbody>{pending_rows}</tbody></table></section>",
        checked = if need { " checked" } else { "" },
        approval = w.approval,
        save = w.save,
        create_title = w.create,
        codes_title = w.codes,
        pending_title = w.pending,
    );
    html(status, frame(lang, w.title, Some(s), &body))
}
