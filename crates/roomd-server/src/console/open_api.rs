//! 开放接口设置 (`settings/openApi`), as the seed's setup steps describe it: the company's
//! Appid and appkeys, generating a credential (its AppSecret shown once), and the event
//! subscription panel — refresh the aes_key and token, set the request URL and save (the
//! check_url handshake), the delivery log with replay.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use roomd_store::ConsoleSession;
use serde::Deserialize;

use super::page::{csrf_field, frame, html, note, words};
use super::{Admin, BASE, csrf_ok};
use crate::events::subscribe::{SaveRefused, current, save_url};
use crate::html::esc;
use crate::limits::CompanyAction;
use crate::onboarding::page_lang;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ActionForm {
    csrf: Option<String>,
    url: Option<String>,
    seq: Option<i64>,
    appkey: Option<String>,
}

/// GET /meeting/manage/settings/openApi
pub async fn page(
    State(app): State<AppState>,
    Admin(s): Admin,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    render(&app, &s, page_lang(q.lang.as_deref(), &headers), "", StatusCode::OK).await
}

/// POST …/credential — a new appkey and AppSecret (shown once).
pub async fn new_credential(
    State(app): State<AppState>,
    Admin(s): Admin,
    headers: HeaderMap,
    Form(f): Form<ActionForm>,
) -> Response {
    let lang = page_lang(None, &headers);
    let w = words(lang);
    if !csrf_ok(&s, &f.csrf.unwrap_or_default()) {
        return render(&app, &s, lang, &super::page::expired(lang), StatusCode::FORBIDDEN).await;
    }
    if !app.limits.company(CompanyAction::AppCreate, s.caller.company.as_str()) {
        return render(&app, &s, lang, &note(false, w.too_many), StatusCode::TOO_MANY_REQUESTS).await;
    }
    match app.store.create_app(s.caller.company.clone()).await {
        Ok(c) => {
            let shown = format!(
                "<div class=\"secret\" role=\"status\"><p>{}</p><p>Appkey: <code id=\"new-appkey\">{}</code></p>\
                 <p>AppSecret: <code id=\"new-appsecret\">{}</code></p></div>",
                w.secret_once,
                esc(&c.appkey),
                esc(&c.appsecret)
            );
            render(&app, &s, lang, &shown, StatusCode::OK).await
        }
        Err(_) => super::page::error_page(),
    }
}

/// POST …/credential/revoke `appkey` — its secret and tokens stop working (at most a
/// minute for tokens a server has cached).
pub async fn revoke_credential(
    State(app): State<AppState>,
    Admin(s): Admin,
    headers: HeaderMap,
    Form(f): Form<ActionForm>,
) -> Response {
    let lang = page_lang(None, &headers);
    if !csrf_ok(&s, &f.csrf.unwrap_or_default()) {
        return render(&app, &s, lang, &super::page::expired(lang), StatusCode::FORBIDDEN).await;
    }
    let appkey = f.appkey.unwrap_or_default();
    match app.store.revoke_app(&s.caller, appkey.clone()).await {
        Ok(()) => {
            app.forget_app(&appkey);
            render(&app, &s, lang, "", StatusCode::OK).await
        }
        Err(e) => {
            let (message, status) = super::failure::shown(lang, &e);
            render(&app, &s, lang, &message, status).await
        }
    }
}

/// POST …/event/refresh — new aes_key and token, in force after the next successful save.
pub async fn refresh(
    State(app): State<AppState>,
    Admin(s): Admin,
    headers: HeaderMap,
    Form(f): Form<ActionForm>,
) -> Response {
    let lang = page_lang(None, &headers);
    if !csrf_ok(&s, &f.csrf.unwrap_or_default()) {
        return render(&app, &s, lang, &super::page::expired(lang), StatusCode::FORBIDDEN).await;
    }
    match app.store.refresh_event_keys(&s.caller).await {
        Ok(_) => render(&app, &s, lang, "", StatusCode::OK).await,
        Err(e) => {
            let (message, status) = super::failure::shown(lang, &e);
            render(&app, &s, lang, &message, status).await
        }
    }
}

/// POST …/event/save — checks the URL (encrypted check_url, 1500 ms) and saves it.
pub async fn save(
    State(app): State<AppState>,
    Admin(s): Admin,
    headers: HeaderMap,
    Form(f): Form<ActionForm>,
) -> Response {
    let lang = page_lang(None, &headers);
    let w = words(lang);
    if !csrf_ok(&s, &f.csrf.unwrap_or_default()) {
        return render(&app, &s, lang, &super::page::expired(lang), StatusCode::FORBIDDEN).await;
    }
    let (message, status) = match save_url(&app, &s.caller, &f.url.unwrap_or_default()).await {
        Ok(_) => (note(true, w.saved), StatusCode::OK),
        Err(SaveRefused::BadUrl) => (note(false, w.bad_url), StatusCode::UNPROCESSABLE_ENTITY),
        Err(SaveRefused::CheckFailed) => (note(false, w.check_failed), StatusCode::UNPROCESSABLE_ENTITY),
        Err(SaveRefused::TooMany) => (note(false, w.too_many), StatusCode::TOO_MANY_REQUESTS),
        Err(SaveRefused::Store(e)) => super::failure::shown(lang, &e),
    };
    render(&app, &s, lang, &message, status).await
}

/// POST …/event/replay `seq` — sends one event again.
pub async fn replay(
    State(app): State<AppState>,
    Admin(s): Admin,
    headers: HeaderMap,
    Form(f): Form<ActionForm>,
) -> Response {
    let lang = page_lang(None, &headers);
    if !csrf_ok(&s, &f.csrf.unwrap_or_default()) {
        return render(&app, &s, lang, &super::page::expired(lang), StatusCode::FORBIDDEN).await;
    }
    if !app.limits.company(CompanyAction::EventReplay, s.caller.company.as_str()) {
        return render(&app, &s, lang, &note(false, words(lang).too_many), StatusCode::TOO_MANY_REQUESTS).await;
    }
    let message = match app.store.replay_event(&s.caller, f.seq.unwrap_or_default()).await {
        Ok(_) => String::new(),
        Err(e) => super::failure::note_of(lang, &e),
    };
    render(&app, &s, lang, &message, StatusCode::OK).await
}

async fn render(
    app: &AppState,
    s: &ConsoleSession,
    lang: roomd_core::onboarding::Lang,
    message: &str,
    status: StatusCode,
) -> Response {
    let w = words(lang);
    let (Ok(apps), Ok(subscription), Ok(deliveries)) = (
        app.store.apps(&s.caller).await,
        current(app, &s.caller).await,
        app.store.event_deliveries(&s.caller, None, 20).await,
    ) else {
        return super::page::error_page();
    };
    let csrf = csrf_field(s);
    let revoke = if lang == roomd_core::onboarding::Lang::Zh { "吊销" } else { "Revoke" };
    let keys: String = apps
        .iter()
        .map(|(k, _)| {
            format!(
                "<li><code>{key}</code> <form class=\"inline\" method=\"post\" action=\"{BASE}/settings/openApi/credential/revoke\">{csrf}\
                 <input type=\"hidden\" name=\"appkey\" value=\"{key}\"><button type=\"submit\" aria-label=\"{revoke} {key}\">{revoke}</button></form></li>",
                key = esc(k)
            )
        })
        .collect();
    let rows: String = if deliveries.is_empty() {
        format!("<tr><td colspan=\"5\">{}</td></tr>", w.none)
    } else {
        deliveries
            .iter()
            .map(|d| {
                format!(
                    "<tr><td>{seq}</td><td>{kind}</td><td>{state}</td><td>{attempts} · {status}</td><td>\
                     <form class=\"inline\" method=\"post\" action=\"{BASE}/settings/openApi/event/replay\">{csrf}\
                     <input type=\"hidden\" name=\"seq\" value=\"{seq}\"><button type=\"submit\">{replay}</button></form></td></tr>",
                    seq = d.seq,
                    kind = esc(&d.event_type),
                    state = esc(d.state),
                    attempts = d.attempts,
                    status = esc(&d.last_status),
                    replay = w.replay,
                )
            })
            .collect()
    };
    let body = format!(
        "{message}<section aria-labelledby=\"cred\"><h2 id=\"cred\">{credentials}</h2><p>Appid: <code>{company}</code></p>\
         <ul>{keys}</ul><form method=\"post\" action=\"{BASE}/settings/openApi/credential\">{csrf}\
         <button type=\"submit\">{generate}</button></form></section>\
         <section aria-labelledby=\"events\"><h2 id=\"events\">{events}</h2>\
         <p>aes_key: <code id=\"aes-key\">{aes}</code></p><p>token: <code id=\"token\">{token}</code></p>\
         <p>{enabled}: <span id=\"enabled\">{is_enabled}</span></p>\
         <form method=\"post\" action=\"{BASE}/settings/openApi/event/refresh\">{csrf}<button type=\"submit\">{refresh}</button></form>\
         <form method=\"post\" action=\"{BASE}/settings/openApi/event/save\">{csrf}<label for=\"url\">{url_label}</label>\
         <input id=\"url\" name=\"url\" type=\"url\" value=\"{url}\" required><p><button type=\"submit\">{save}</button></p></form>\
         <h3>{deliveries_title}</h3><table><thead><tr><th>#</th><th>event_type</th><th>state</th><th>attempts</th><th></th></tr>\
         </thead><tbody>{rows}</tbody></table></section>",
        credentials = w.credentials,
        company = esc(s.caller.company.as_str()),
        generate = w.generate,
        events = w.events,
        aes = esc(&subscription.aes_key),
        token = esc(&subscription.token),
        enabled = w.enabled,
        is_enabled = if subscription.enabled { "✓" } else { "—" },
        refresh = w.refresh,
        url_label = w.url,
        url = esc(&subscription.url),
        save = w.save,
        deliveries_title = w.deliveries,
    );
    html(status, frame(lang, w.open_api, Some(s), &body))
}
