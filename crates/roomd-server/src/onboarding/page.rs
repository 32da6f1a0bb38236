//! The scan-to-register page (`url` of a code): the company and the code's preset values,
//! a form for the new employee, and the answer. On an error the form comes back with
//! everything typed still in it (the photo too: it is kept on the server and named in a
//! hidden field), each problem next to its field.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use roomd_core::onboarding::{Lang, RegistrationForm, RegistrationState, Value};
use roomd_core::{Actor, Caller, DomainError};
use roomd_store::{ScannedCode, StoreError};
use serde::Deserialize;

use super::SCAN_PATH;
use crate::extract::PeerIp;
use crate::state::AppState;
use crate::web::{Notice, NoticePage, Page, page_lang, render, words};

#[derive(Debug, Deserialize)]
pub struct ScanQuery {
    #[serde(rename = "signKey")]
    sign_key: Option<String>,
    lang: Option<String>,
}

type Errors = BTreeMap<String, String>;

/// GET /onboarding/scan?signKey=…
pub async fn show(State(app): State<AppState>, Query(q): Query<ScanQuery>, headers: HeaderMap) -> Response {
    let lang = page_lang(q.lang.as_deref(), &headers);
    let key = q.sign_key.unwrap_or_default();
    match app.store.scanned_code(key.clone()).await {
        Ok(Some(code)) if code.code.active => {
            form_page(lang, &key, &code, &RegistrationForm::default(), None, &Errors::new(), StatusCode::OK)
        }
        other => unavailable(lang, &key, other),
    }
}

/// POST /onboarding/scan?signKey=… (multipart: the fields, `face`, `keptFace`)
pub async fn submit(
    State(app): State<AppState>,
    PeerIp(ip): PeerIp,
    Query(q): Query<ScanQuery>,
    headers: HeaderMap,
    mut body: Multipart,
) -> Response {
    let lang = page_lang(q.lang.as_deref(), &headers);
    let key = q.sign_key.unwrap_or_default();
    // Each try may store a photo: a few a minute from one address.
    if !app.limits.public_post(ip) {
        let t = words(lang);
        return notice(lang, &key, t.scan_title, t.too_many, StatusCode::TOO_MANY_REQUESTS);
    }
    let code = match app.store.scanned_code(key.clone()).await {
        Ok(Some(code)) if code.code.active => code,
        other => return unavailable(lang, &key, other),
    };
    let mut form = RegistrationForm::default();
    let (mut face, mut kept, mut errors) = (None, None, Errors::new());
    loop {
        match body.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_string();
                if name == "face" {
                    match field.bytes().await {
                        Ok(bytes) if !bytes.is_empty() => face = Some(bytes.to_vec()),
                        Ok(_) => {}
                        Err(e) => _ = errors.insert("face".into(), e.body_text()),
                    }
                    continue;
                }
                let value = field.text().await.unwrap_or_default();
                match name.as_str() {
                    "name" => form.name = value,
                    "account" => form.account = value,
                    "phone" => form.phone = value,
                    "email" => form.email = value,
                    "password" => form.password = value,
                    "keptFace" => kept = Some(value).filter(|v| !v.is_empty()),
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(e) => {
                errors.insert("face".into(), e.body_text());
                break;
            }
        }
    }
    if let Err(list) = form.check() {
        errors.extend(list.into_iter().map(|v| (v.field, v.description)));
    }
    let kept = keep_face(&app, &code, face, kept, &mut errors).await;
    if !errors.is_empty() {
        return form_page(lang, &key, &code, &form, kept.as_deref(), &errors, StatusCode::UNPROCESSABLE_ENTITY);
    }
    match app.store.register(key.clone(), form.clone(), kept.clone()).await {
        Ok(reg) => {
            let t = words(lang);
            let (title, detail) = match reg.state {
                RegistrationState::Approved => (t.registered, t.registered_detail),
                _ => (t.waiting, t.waiting_detail),
            };
            notice(lang, &key, title, &format!("{detail} ({}: {})", t.account, reg.account), StatusCode::OK)
        }
        Err(StoreError::Domain(DomainError::Violations(list))) => {
            let errors = list.into_iter().map(|v| (v.field, v.description)).collect();
            form_page(lang, &key, &code, &form, kept.as_deref(), &errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => unavailable(lang, &key, Err(e)),
    }
}

/// The photo to register with: a new upload (checked like `user/updateFace` and stored
/// at once, so a later error does not lose it), else the one kept from a previous try.
async fn keep_face(
    app: &AppState,
    code: &ScannedCode,
    face: Option<Vec<u8>>,
    kept: Option<String>,
    errors: &mut Errors,
) -> Option<String> {
    let company = code.company.clone();
    if let Some(bytes) = face {
        return match crate::face::validate(bytes).await {
            Ok(image) => {
                let caller = Caller { company, tz: chrono_tz::Asia::Shanghai, actor: Actor::App("onboarding".into()) };
                match app.store.put_blob(&caller, image.bytes, image.ext, image.content_type).await {
                    Ok(file) => Some(file),
                    Err(e) => {
                        tracing::error!(error = %e, "storing an onboarding face photo");
                        errors.insert("face".into(), "could not be stored, try again".into());
                        None
                    }
                }
            }
            Err(e) => {
                errors.insert("face".into(), e.fields.into_values().next().unwrap_or_else(|| "invalid image".into()));
                None
            }
        };
    }
    match kept {
        Some(file) if matches!(app.store.blob(company.as_str().to_string(), file.clone()).await, Ok(Some(_))) => {
            Some(file)
        }
        _ => {
            errors.insert("face".into(), "required".into());
            None
        }
    }
}

fn unavailable(lang: Lang, key: &str, found: Result<Option<ScannedCode>, StoreError>) -> Response {
    let t = words(lang);
    match found {
        Ok(Some(_)) => notice(lang, key, t.code_off, t.code_off_detail, StatusCode::GONE),
        Ok(None) | Err(StoreError::Domain(DomainError::QrCodeNotExist)) => {
            notice(lang, key, t.code_unknown, t.code_unknown_detail, StatusCode::NOT_FOUND)
        }
        Err(e @ StoreError::Domain(_)) => {
            tracing::warn!(error = %e, "onboarding page");
            notice(lang, key, t.failed_title, t.internal, StatusCode::CONFLICT)
        }
        Err(e @ StoreError::Unavailable(_)) => {
            tracing::error!(error = %e, "onboarding page");
            notice(lang, key, t.failed_title, t.unavailable, StatusCode::SERVICE_UNAVAILABLE)
        }
        Err(e @ StoreError::Internal(_)) => {
            tracing::error!(error = %e, "onboarding page");
            notice(lang, key, t.failed_title, t.internal, StatusCode::INTERNAL_SERVER_ERROR)
        }
    }
}

#[derive(Template)]
#[template(path = "public/scan.html")]
struct ScanPage<'a> {
    page: Page<'a>,
    company: &'a str,
    key: &'a str,
    lang_code: &'static str,
    /// The code's preset values: (dimension, value) as the new employee reads them.
    presets: Vec<(String, String)>,
    fields: Vec<Field<'a>>,
    /// A photo uploaded with an earlier try, kept on the server.
    kept: Option<&'a str>,
}

/// A field of the form: its control, what was typed, a hint, and what is wrong with it.
struct Field<'a> {
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    value: &'a str,
    hint: &'static str,
    error: Option<&'a str>,
}

/// The same page in the other language.
fn switch(lang: Lang, key: &str) -> String {
    let other = if lang == Lang::Zh { "en_us" } else { "zh_cn" };
    format!("{SCAN_PATH}?{}", serde_urlencoded::to_string([("signKey", key), ("lang", other)]).unwrap_or_default())
}

/// A page that only says something: `title`, and `detail` under it.
fn notice(lang: Lang, key: &str, title: &str, detail: &str, status: StatusCode) -> Response {
    let page = Page::public(lang, title.to_string(), switch(lang, key));
    let notice = if status.is_success() { Notice::ok(detail) } else { Notice::error(detail) };
    render(status, &NoticePage { page: page.with_notice(notice) })
}

fn form_page(
    lang: Lang,
    key: &str,
    code: &ScannedCode,
    form: &RegistrationForm,
    kept: Option<&str>,
    errors: &Errors,
    status: StatusCode,
) -> Response {
    let t = words(lang);
    let error = |name: &str| errors.get(name).map(String::as_str);
    let field = |name, label, kind, autocomplete, value, hint| Field {
        name,
        label,
        kind,
        autocomplete,
        value,
        hint,
        error: error(name),
    };
    let fields = vec![
        field("name", t.person_name, "text", "name", form.name.as_str(), ""),
        field("account", t.account, "text", "username", form.account.as_str(), ""),
        field("phone", t.phone, "tel", "tel", form.phone.as_str(), ""),
        field("email", t.email, "email", "email", form.email.as_str(), ""),
        // A password is never sent back in a page.
        field("password", t.password, "password", "new-password", "", t.password_hint),
        field("face", t.face_photo, "file", "off", "", t.face_hint),
    ];
    let notice = if errors.is_empty() { None } else { Notice::error(t.fix) };
    let page = ScanPage {
        page: Page::public(lang, t.scan_title, switch(lang, key)).with_notice(notice),
        company: &code.company_name,
        key,
        lang_code: if lang == Lang::Zh { "zh_cn" } else { "en_us" },
        presets: presets(lang, code),
        fields,
        kept,
    };
    render(status, &page)
}

fn presets(lang: Lang, code: &ScannedCode) -> Vec<(String, String)> {
    let t = words(lang);
    code.code
        .values
        .iter()
        .map(|v| {
            let dim = code.dimensions.iter().find(|d| d.api_name == v.api_name);
            let label = dim.map_or(v.api_name.as_str(), |d| d.display_name.pick(lang));
            let name_of = |value: &str| {
                dim.and_then(|d| d.option(value)).map_or(value.to_string(), |o| o.name.pick(lang).to_string())
            };
            let shown = match &v.value {
                Value::Select(s) => name_of(s),
                Value::Multi(list) => list.iter().map(|s| name_of(s)).collect::<Vec<_>>().join(", "),
                Value::Bool(b) => (if *b { t.yes } else { t.no }).to_string(),
            };
            (label.to_string(), shown)
        })
        .collect()
}
