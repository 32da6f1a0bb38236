//! The console's page frame, its words in two languages, and small pieces of markup.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use roomd_core::onboarding::Lang;
use roomd_store::ConsoleSession;

use super::BASE;
use crate::html::esc;

pub struct Words {
    pub console: &'static str,
    pub sign_in: &'static str,
    pub sign_out: &'static str,
    pub company: &'static str,
    pub account: &'static str,
    pub password: &'static str,
    pub bad_login: &'static str,
    pub locked: &'static str,
    pub setup_title: &'static str,
    pub setup_hint: &'static str,
    pub setup_done: &'static str,
    pub link_gone: &'static str,
    pub save: &'static str,
    pub open_api: &'static str,
    pub credentials: &'static str,
    pub generate: &'static str,
    pub secret_once: &'static str,
    pub events: &'static str,
    pub refresh: &'static str,
    pub url: &'static str,
    pub enabled: &'static str,
    pub saved: &'static str,
    pub check_failed: &'static str,
    pub bad_url: &'static str,
    pub deliveries: &'static str,
    pub replay: &'static str,
    pub none: &'static str,
    pub expired_form: &'static str,
    pub bad_date: &'static str,
    pub too_many: &'static str,
    pub long_report: &'static str,
}

pub fn words(lang: Lang) -> &'static Words {
    const ZH: Words = Words {
        console: "roomd 控制台",
        sign_in: "登录",
        sign_out: "退出",
        company: "企业 ID",
        account: "账号",
        password: "密码",
        bad_login: "企业、账号或密码不正确，或该账号不是管理员。",
        locked: "失败次数过多，账号已锁定 15 分钟。",
        setup_title: "设置密码",
        setup_hint: "至少 8 位。此链接只能使用一次。",
        setup_done: "密码已设置，请登录。",
        link_gone: "此链接已使用或已过期。",
        save: "保存",
        open_api: "开放接口设置",
        credentials: "应用凭证",
        generate: "生成凭证",
        secret_once: "AppSecret 只显示这一次，请立即保存：",
        events: "事件订阅",
        refresh: "刷新",
        url: "请求网址",
        enabled: "已启用",
        saved: "已保存：请求网址通过了验证。",
        check_failed: "请求网址验证失败：该网址没有在 1500 毫秒内以加密的 success 回应 check_url 事件。",
        bad_url: "请输入 http:// 或 https:// 开头、不超过 2048 个字符的网址。",
        deliveries: "推送记录",
        replay: "重新推送",
        none: "暂无",
        expired_form: "页面已过期，请重试。",
        too_many: "尝试过于频繁，请一分钟后再试。",
        bad_date: "日期无效：请输入 1970-01-01 至 9999-12-31 之间的日期。",
        long_report: "报表最多统计 366 天，请缩短日期范围。",
    };
    const EN: Words = Words {
        console: "roomd console",
        sign_in: "Sign in",
        sign_out: "Sign out",
        company: "Company ID",
        account: "Account",
        password: "Password",
        bad_login: "Wrong company, account or password, or the account is not an admin.",
        locked: "Too many failed tries: the account is locked for 15 minutes.",
        setup_title: "Set your password",
        setup_hint: "At least 8 characters. This link works once.",
        setup_done: "The password is set: sign in.",
        link_gone: "This link was used or has expired.",
        save: "Save",
        open_api: "Open API settings",
        credentials: "App credentials",
        generate: "Generate credential",
        secret_once: "The AppSecret is shown this once; keep it now:",
        events: "Event subscription",
        refresh: "Refresh",
        url: "Request URL",
        enabled: "Enabled",
        saved: "Saved: the request URL passed the check.",
        check_failed: "The request URL failed the check: it did not answer the check_url event with an encrypted success within 1500 ms.",
        bad_url: "Enter a URL starting with http:// or https://, at most 2048 characters.",
        deliveries: "Delivery log",
        replay: "Replay",
        none: "None yet",
        expired_form: "The page had expired; try again.",
        too_many: "Too many tries from here: wait a minute and try again.",
        bad_date: "That date is not valid: enter a date from 1970-01-01 to 9999-12-31.",
        long_report: "A report covers at most 366 days: choose a shorter range.",
    };
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// A whole page: the frame (and, when signed in, the navigation and sign-out) around `body`.
pub fn frame(lang: Lang, title: &str, session: Option<&ConsoleSession>, body: &str) -> String {
    let w = words(lang);
    let html_lang = if lang == Lang::Zh { "zh-CN" } else { "en" };
    let nav = match session {
        Some(s) => format!(
            "<nav aria-label=\"{console}\"><a href=\"{BASE}/settings/openApi\">{open_api}</a>\
             <a href=\"{BASE}/directory\">{directory}</a><a href=\"{BASE}/meetings\">{meetings}</a><a href=\"{BASE}/approvals\">{approvals}</a>\
             <a href=\"{BASE}/rooms\">{rooms}</a><a href=\"{BASE}/boards\">{boards}</a><a href=\"{BASE}/reports\">{reports}</a><a href=\"{BASE}/onboarding\">{onboarding}</a>\
             <span class=\"who\">{name} · {company}</span>\
             <form method=\"post\" action=\"{BASE}/logout\">{csrf}<button type=\"submit\">{sign_out}</button></form></nav>",
            console = w.console,
            open_api = w.open_api,
            directory = if lang == Lang::Zh { "通讯录" } else { "Directory" },
            meetings = if lang == Lang::Zh { "会议" } else { "Meetings" },
            approvals = if lang == Lang::Zh { "待审批" } else { "Approval queue" },
            rooms = if lang == Lang::Zh { "会议室" } else { "Rooms" },
            boards = if lang == Lang::Zh { "签到板" } else { "Check-in boards" },
            reports = if lang == Lang::Zh { "报表" } else { "Reports" },
            onboarding = if lang == Lang::Zh { "扫码入职" } else { "Onboarding" },
            name = esc(&s.user.name),
            company = esc(s.caller.company.as_str()),
            csrf = csrf_field(s),
            sign_out = w.sign_out,
        ),
        None => String::new(),
    };
    format!(
        "<!doctype html><html lang=\"{html_lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title} · {console}</title>\
         <style>{STYLE}</style></head><body><header><strong>{console}</strong>{nav}</header><main><h1>{title}</h1>{body}</main></body></html>",
        title = esc(title),
        console = w.console,
    )
}

pub fn csrf_field(session: &ConsoleSession) -> String {
    format!("<input type=\"hidden\" name=\"csrf\" value=\"{}\">", esc(&session.csrf))
}

pub fn html(status: StatusCode, page: String) -> Response {
    (status, Html(page)).into_response()
}

/// A page that refuses what the admin asked for (a date out of range, say): 400, with
/// the reason and a way back.
pub fn refused_page(lang: Lang, session: &ConsoleSession, title: &str, why: &str) -> Response {
    html(StatusCode::BAD_REQUEST, frame(lang, title, Some(session), &note(false, why)))
}

pub fn error_page() -> Response {
    html(
        StatusCode::INTERNAL_SERVER_ERROR,
        frame(Lang::En, "Error", None, "<p role=\"alert\">Something went wrong.</p>"),
    )
}

/// The note for a form whose CSRF token is not the session's (an old page, or a forgery).
pub fn expired(lang: Lang) -> String {
    note(false, words(lang).expired_form)
}

/// A note at the top of a page: `ok` green, otherwise red.
pub fn note(ok: bool, text: &str) -> String {
    let class = if ok { "ok" } else { "error" };
    format!("<p class=\"{class}\" role=\"{}\">{}</p>", if ok { "status" } else { "alert" }, esc(text))
}

const STYLE: &str = "body{margin:0;font-family:system-ui,-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;\
color:#1f2329;background:#f4f6f8}header{display:flex;align-items:center;gap:1.5rem;padding:.8rem 1.5rem;background:#fff;\
border-bottom:1px solid #e4e6e9}nav{display:flex;align-items:center;gap:1rem;flex:1}nav .who{margin-left:auto;color:#646a73}\
main{max-width:60rem;margin:1.5rem auto;padding:0 1.5rem}section{background:#fff;border-radius:.6rem;padding:1.2rem 1.5rem;\
margin-bottom:1.2rem}label{display:block;font-weight:600;margin:.8rem 0 .3rem}input[type=text],input[type=password],\
input[type=url],select{width:100%;max-width:32rem;padding:.55rem;font-size:1rem;border:1px solid #d0d3d6;border-radius:.4rem}\
button{padding:.5rem 1rem;font-size:1rem;border:0;border-radius:.4rem;background:#3370ff;color:#fff;cursor:pointer}\
button:focus,input:focus,a:focus{outline:3px solid #82a7fc}table{border-collapse:collapse;width:100%}\
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #eef0f2}code{background:#f4f6f8;padding:.1rem .3rem;\
border-radius:.2rem;word-break:break-all}.ok{color:#1f9d55;overflow-wrap:anywhere}.error{color:#d83931;overflow-wrap:anywhere}.secret{background:#fff8e6;padding:.8rem;\
border-radius:.4rem}form.inline{display:inline}ol.slots{list-style:none;padding:0;margin:0}ol.slots li{padding:.3rem .5rem;\
border-bottom:1px solid #eef0f2}ol.slots li.free a{color:#1f9d55}.columns{display:flex;gap:1rem;overflow-x:auto}.column{min-width:16rem;flex:1}.meeting{background:#eef3ff;padding:.4rem .6rem;border-radius:.3rem}";
