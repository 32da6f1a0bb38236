//! 扫码入职 (`onboarding`): whether registrations need approval, making a QR code from
//! the company's dimensions, the codes (preview, print, turn off/on), and the pending
//! registrations to approve or reject.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use roomd_core::onboarding::{DimOption, Dimension, DimensionKind, I18n, Lang, RawValue, RegistrationState};
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
        return render(&app, &s, lang, super::page::expired(lang), StatusCode::FORBIDDEN).await;
    }
    let by = s.caller.actor.name();
    let done: Result<(), String> = match action.as_str() {
        "settings" => app
            .store
            .set_onboarding_approval(&s.caller, get("need_approval") == "on")
            .await
            .map_err(|e| super::failure::plain(lang, &e)),
        "create" => create(&app, &s, lang, &fields).await,
        "dimension" => save_dimension(&app, &s, lang, &get).await,
        "remove-dimension" => remove_dimension(&app, &s, lang, &get("api_name")).await,
        "off" | "on" => app
            .store
            .set_qr_code_active(&s.caller, by, get("id"), action == "on")
            .await
            .map(|_| ())
            .map_err(|e| super::failure::plain(lang, &e)),
        "approve" | "reject" => app
            .store
            .decide_registration(&s.caller, get("id"), action == "approve", String::new())
            .await
            .map(|_| ())
            .map_err(|e| super::failure::plain(lang, &e)),
        _ => Err("unknown action".into()),
    };
    let (message, status) = match done {
        Ok(()) => (String::new(), StatusCode::OK),
        Err(why) => (note(false, &why), StatusCode::UNPROCESSABLE_ENTITY),
    };
    render(&app, &s, lang, message, status).await
}

/// Adds a dimension (or replaces the one with the same `api_name`). Options are one a
/// line: `value | 中文 | English`.
async fn save_dimension(
    app: &AppState,
    s: &ConsoleSession,
    lang: Lang,
    get: &(dyn Fn(&str) -> String + Sync),
) -> Result<(), String> {
    let mut dims = app.store.onboarding_dimensions(&s.caller).await.map_err(|e| super::failure::plain(lang, &e))?;
    let kind = DimensionKind::from_code(get("type").parse().unwrap_or(0)).ok_or("type: 1, 2 or 3")?;
    let options = get("options")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let parts: Vec<&str> = line.split('|').map(str::trim).collect();
            let name = |i: usize| parts.get(i).copied().unwrap_or(parts[0]).to_string();
            DimOption { value: parts[0].to_string(), name: I18n { zh_cn: name(1), en_us: name(2) } }
        })
        .collect();
    let dim = Dimension {
        api_name: get("api_name").trim().to_string(),
        display_name: I18n { zh_cn: get("zh_cn").trim().to_string(), en_us: get("en_us").trim().to_string() },
        kind,
        options,
    };
    dims.retain(|d| d.api_name != dim.api_name);
    dims.push(dim);
    save_all(app, s, lang, dims).await
}

async fn remove_dimension(app: &AppState, s: &ConsoleSession, lang: Lang, api_name: &str) -> Result<(), String> {
    let mut dims = app.store.onboarding_dimensions(&s.caller).await.map_err(|e| super::failure::plain(lang, &e))?;
    dims.retain(|d| d.api_name != api_name);
    save_all(app, s, lang, dims).await
}

/// Saves the whole list; the built-ins' options come from the directory, not the list.
async fn save_all(app: &AppState, s: &ConsoleSession, lang: Lang, mut dims: Vec<Dimension>) -> Result<(), String> {
    for d in dims.iter_mut().filter(|d| d.is_builtin()) {
        d.options.clear();
    }
    app.store.save_onboarding_dimensions(&s.caller, dims).await.map(|_| ()).map_err(|e| super::failure::plain(lang, &e))
}

/// A code from the form: each dimension's field is `dim.<api_name>`.
async fn create(app: &AppState, s: &ConsoleSession, lang: Lang, fields: &[(String, String)]) -> Result<(), String> {
    let dims = app.store.onboarding_dimensions(&s.caller).await.map_err(|e| super::failure::plain(lang, &e))?;
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
    app.store
        .create_qr_code(&s.caller, s.caller.actor.name(), values)
        .await
        .map(|_| ())
        .map_err(|e| super::failure::plain(lang, &e))
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
    let zh = lang == Lang::Zh;
    let t = |zh_text: &'static str, en: &'static str| if zh { zh_text } else { en };
    let dim_rows: String = dims
        .iter()
        .map(|d| {
            format!(
                "<tr><td><code>{api}</code></td><td>{name}</td><td>{kind}</td><td>{options}</td><td>\
                 <form class=\"inline\" method=\"post\" action=\"{BASE}/onboarding/remove-dimension\">{csrf}\
                 <input type=\"hidden\" name=\"api_name\" value=\"{api}\"><button type=\"submit\">{remove}</button></form></td></tr>",
                api = esc(&d.api_name),
                name = esc(d.display_name.pick(lang)),
                kind = d.kind as i64,
                options = d.options.len(),
                remove = t("删除", "remove"),
            )
        })
        .collect();
    let dimensions = format!(
        "<section aria-labelledby=\"dims\"><h2 id=\"dims\">{title}</h2><table><tbody>{dim_rows}</tbody></table>\
         <form method=\"post\" action=\"{BASE}/onboarding/dimension\">{csrf}\
         <label for=\"dim-api\">api_name</label><input id=\"dim-api\" name=\"api_name\" type=\"text\" required placeholder=\"department\">\
         <label for=\"dim-zh\">{zh_l}</label><input id=\"dim-zh\" name=\"zh_cn\" type=\"text\">\
         <label for=\"dim-en\">{en_l}</label><input id=\"dim-en\" name=\"en_us\" type=\"text\">\
         <label for=\"dim-type\">{type_l}</label><select id=\"dim-type\" name=\"type\"><option value=\"1\">{single}</option>\
         <option value=\"2\">{multi}</option><option value=\"3\">{boolean}</option></select>\
         <label for=\"dim-options\">{options_l}</label><textarea id=\"dim-options\" name=\"options\" rows=\"4\" cols=\"50\" placeholder=\"p1 | 初级 | Junior\"></textarea>\
         <p><button type=\"submit\">{add}</button></p></form></section>",
        title = t("二维码维度", "QR code dimensions"),
        zh_l = t("中文名称", "Name (Chinese)"),
        en_l = t("英文名称", "Name (English)"),
        type_l = t("类型", "Type"),
        single = t("单选", "single-select"),
        multi = t("多选", "multi-select"),
        boolean = t("布尔", "yes/no"),
        options_l = t(
            "选项（每行：值 | 中文 | English；company、department 的选项来自通讯录）",
            "Options (one a line: value | 中文 | English; company and department take theirs from the directory)"
        ),
        add = t("保存维度", "Save the dimension"),
    );
    let body = format!(
        "{message}{dimensions}<section><form method=\"post\" action=\"{BASE}/onboarding/settings\">{csrf}\
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
