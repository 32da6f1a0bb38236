//! 开放接口设置 (`settings/openApi`), as the seed's setup steps describe it: the company's
//! Appid and appkeys, generating a credential (its AppSecret shown once), and the event
//! subscription panel — refresh the aes_key and token, set the request URL and save (the
//! check_url handshake), the delivery log with replay.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roomd_store::Delivery;
use serde::Deserialize;

use super::page::{Admin, Done, Empty, OrPage, Posted, Section, done};
use crate::events::subscribe::{SaveRefused, current, save_url};
use crate::limits::CompanyAction;
use crate::state::AppState;
use crate::web::{Notice, Page, render};

const HERE: Section = Section::OpenApi;

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    done: Option<Done>,
}

#[derive(Debug, Deserialize)]
pub struct UrlForm {
    url: String,
}

#[derive(Debug, Deserialize)]
pub struct AppkeyForm {
    appkey: String,
}

#[derive(Debug, Deserialize)]
pub struct SeqForm {
    seq: i64,
}

#[derive(Template)]
#[template(path = "console/open_api.html")]
struct OpenApiPage<'a> {
    page: Page<'a>,
    company: &'a str,
    appkeys: Vec<String>,
    /// A credential just made: its AppSecret is shown this once.
    new_credential: Option<(String, String)>,
    aes_key: String,
    token: String,
    enabled: bool,
    url: String,
    deliveries: Vec<Delivery>,
    /// Whether and how mail is sent.
    mail_state: String,
    mails: Vec<roomd_store::MailLine>,
}

/// GET /meeting/manage/settings/openApi
pub async fn page(State(app): State<AppState>, a: Admin, Query(q): Query<PageQuery>) -> Result<Response, Response> {
    let notice = q.done.and_then(|d| d.notice(a.t()));
    show(&app, &a, notice, None, None, StatusCode::OK).await
}

/// POST …/credential — a new appkey and AppSecret (shown once).
pub async fn new_credential(State(app): State<AppState>, p: Posted<Empty>) -> Result<Response, Response> {
    let a = p.admin;
    if !app.limits.company(CompanyAction::AppCreate, a.s.caller.company.as_str()) {
        return show(&app, &a, Notice::error(a.t().too_many), None, None, StatusCode::TOO_MANY_REQUESTS).await;
    }
    let c = app.store.create_app(a.s.caller.company.clone()).await.or_page(&a, HERE)?;
    show(&app, &a, None, Some((c.appkey, c.appsecret)), None, StatusCode::OK).await
}

/// POST …/credential/revoke `appkey` — its secret and tokens stop working (at most a
/// minute for tokens a server has cached).
pub async fn revoke_credential(State(app): State<AppState>, p: Posted<AppkeyForm>) -> Result<Response, Response> {
    let a = p.admin;
    app.store.revoke_app(&a.s.caller, p.form.appkey.clone()).await.or_page(&a, HERE)?;
    app.forget_app(&p.form.appkey);
    Ok(done(HERE, &[], Done::Revoked))
}

/// POST …/event/refresh — new aes_key and token, in force after the next successful save.
pub async fn refresh(State(app): State<AppState>, p: Posted<Empty>) -> Result<Response, Response> {
    app.store.refresh_event_keys(&p.admin.s.caller).await.or_page(&p.admin, HERE)?;
    Ok(done(HERE, &[], Done::KeysRefreshed))
}

/// POST …/event/save — checks the URL (encrypted check_url, 1500 ms) and saves it; a URL
/// that fails stays in the field to correct.
pub async fn save(State(app): State<AppState>, p: Posted<UrlForm>) -> Result<Response, Response> {
    let (a, url) = (p.admin, p.form.url);
    let t = a.t();
    let (why, status) = match save_url(&app, &a.s.caller, &url).await {
        Ok(_) => return show(&app, &a, Notice::ok(t.saved), None, None, StatusCode::OK).await,
        Err(SaveRefused::BadUrl) => (t.bad_url, StatusCode::UNPROCESSABLE_ENTITY),
        Err(SaveRefused::CheckFailed) => (t.check_failed, StatusCode::UNPROCESSABLE_ENTITY),
        Err(SaveRefused::TooMany) => (t.too_many, StatusCode::TOO_MANY_REQUESTS),
        Err(SaveRefused::Store(e)) => return Err(a.failed(HERE, &e)),
    };
    show(&app, &a, Notice::error(why), None, Some(url), status).await
}

/// POST …/event/replay `seq` — sends one event again.
pub async fn replay(State(app): State<AppState>, p: Posted<SeqForm>) -> Result<Response, Response> {
    let a = p.admin;
    if !app.limits.company(CompanyAction::EventReplay, a.s.caller.company.as_str()) {
        return show(&app, &a, Notice::error(a.t().too_many), None, None, StatusCode::TOO_MANY_REQUESTS).await;
    }
    app.store.replay_event(&a.s.caller, p.form.seq).await.or_page(&a, HERE)?;
    Ok(done(HERE, &[], Done::Replayed))
}

/// The page; `typed` is a URL the admin typed that was not saved.
async fn show(
    app: &AppState,
    a: &Admin,
    notice: Option<Notice>,
    new_credential: Option<(String, String)>,
    typed: Option<String>,
    status: StatusCode,
) -> Result<Response, Response> {
    let caller = &a.s.caller;
    let apps = app.store.apps(caller).await.or_page(a, HERE)?;
    let subscription = current(app, caller).await.or_page(a, HERE)?;
    let deliveries = app.store.event_deliveries(caller, None, 20).await.or_page(a, HERE)?;
    let mails = app.store.mail_deliveries(caller, 20).await.or_page(a, HERE)?;
    let t = a.t();
    let mail_state = match &app.mail {
        Some(m) => t.mail_on.replace("{server}", &m.mailer.summary).replace("{from}", &m.mailer.from.to_string()),
        None => t.mail_off.to_string(),
    };
    let page = OpenApiPage {
        page: a.page(HERE, a.t().open_api).with_notice(notice),
        company: caller.company.as_str(),
        appkeys: apps.into_iter().map(|(key, _)| key).collect(),
        new_credential,
        url: typed.unwrap_or(subscription.url),
        aes_key: subscription.aes_key,
        token: subscription.token,
        enabled: subscription.enabled,
        deliveries,
        mail_state,
        mails,
    };
    Ok(render(status, &page))
}
