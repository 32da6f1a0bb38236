//! The scan-to-register page (`url` of a code): the company and the code's preset values,
//! a form for the new employee, and the answer. On an error the form comes back with
//! everything typed still in it (the photo too: it is kept on the server and named in a
//! hidden field), each problem next to its field.

use std::collections::BTreeMap;

use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use roomd_core::onboarding::{Lang, RegistrationForm, RegistrationState, Value};
use roomd_core::{Actor, Caller, DomainError};
use roomd_store::{ScannedCode, StoreError};
use serde::Deserialize;

use super::text::{Words, esc, words};
use super::{SCAN_PATH, page_lang};
use crate::extract::PeerIp;
use crate::state::AppState;

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
        return notice(
            lang,
            &key,
            words(lang).title,
            "Too many tries: wait a minute. 尝试过多，请稍后再试。",
            StatusCode::TOO_MANY_REQUESTS,
        );
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
            let w = words(lang);
            let (title, detail) = match reg.state {
                RegistrationState::Approved => (w.done, w.done_detail),
                _ => (w.pending, w.pending_detail),
            };
            notice(lang, &key, title, &format!("{detail} ({}: {})", w.account, esc(&reg.account)), StatusCode::OK)
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
    let w = words(lang);
    match found {
        Ok(Some(_)) => notice(lang, key, w.inactive, w.inactive_detail, StatusCode::GONE),
        Ok(None) | Err(StoreError::Domain(DomainError::QrCodeNotExist)) => {
            notice(lang, key, w.missing, w.missing_detail, StatusCode::NOT_FOUND)
        }
        Err(e) => {
            tracing::error!(error = %e, "onboarding page");
            notice(
                lang,
                key,
                "Error",
                "Something went wrong; try again in a moment.",
                StatusCode::INTERNAL_SERVER_ERROR,
            )
        }
    }
}

fn notice(lang: Lang, key: &str, title: &str, detail: &str, status: StatusCode) -> Response {
    let body = format!("<main><h1>{}</h1><p role=\"status\">{detail}</p></main>", esc(title));
    (status, Html(shell(lang, key, title, &body))).into_response()
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
    let w = words(lang);
    let mut body =
        format!("<main><h1>{}</h1><p class=\"company\">{}</p><p>{}</p>", w.title, esc(&code.company_name), w.intro);
    body.push_str(&presets(lang, w, code));
    if !errors.is_empty() {
        body.push_str(&format!("<p class=\"alert\" role=\"alert\">{}</p>", w.fix));
    }
    let action = format!("{SCAN_PATH}?signKey={}&amp;lang={}", esc(key), lang_code(lang));
    body.push_str(&format!("<form method=\"post\" action=\"{action}\" enctype=\"multipart/form-data\" novalidate>"));
    let fields = [
        ("name", w.name, "text", "name", form.name.as_str(), ""),
        ("account", w.account, "text", "username", form.account.as_str(), ""),
        ("phone", w.phone, "tel", "tel", form.phone.as_str(), ""),
        ("email", w.email, "email", "email", form.email.as_str(), ""),
        // A password is never sent back in a page.
        ("password", w.password, "password", "new-password", "", w.password_hint),
    ];
    for (name, label, kind, auto, value, hint) in fields {
        let input = format!(
            "<input id=\"{name}\" name=\"{name}\" type=\"{kind}\" autocomplete=\"{auto}\" value=\"{}\" required",
            esc(value)
        );
        body.push_str(&field(name, label, hint, errors, "", &input));
    }
    let face = "<input id=\"face\" name=\"face\" type=\"file\" accept=\"image/jpeg,image/png\" capture=\"user\"";
    let mut before = String::new();
    if let Some(file) = kept {
        body.push_str(&format!("<input type=\"hidden\" name=\"keptFace\" value=\"{}\">", esc(file)));
        before = format!("<p class=\"kept\">{}</p>", w.face_kept);
    }
    body.push_str(&field("face", w.face, w.face_hint, errors, &before, face));
    body.push_str(&format!("<button type=\"submit\">{}</button></form></main>", w.submit));
    (status, Html(shell(lang, key, w.title, &body))).into_response()
}

/// A labelled field; `input` is the control's tag, left open for the ARIA attributes,
/// `before` what goes between the label and the control.
fn field(name: &str, label: &str, hint: &str, errors: &Errors, before: &str, input: &str) -> String {
    let error = errors.get(name);
    let described = match (error.is_some(), hint.is_empty()) {
        (true, _) => format!(" aria-invalid=\"true\" aria-describedby=\"{name}-error\""),
        (false, false) => format!(" aria-describedby=\"{name}-hint\""),
        _ => String::new(),
    };
    let mut out =
        format!("<div class=\"field\"><label for=\"{name}\">{}</label>{before}{input}{described}>", esc(label));
    if !hint.is_empty() {
        out.push_str(&format!("<small id=\"{name}-hint\">{}</small>", esc(hint)));
    }
    if let Some(e) = error {
        out.push_str(&format!("<p class=\"error\" id=\"{name}-error\">{}</p>", esc(e)));
    }
    out.push_str("</div>");
    out
}

fn presets(lang: Lang, w: &Words, code: &ScannedCode) -> String {
    let mut out = format!("<section aria-label=\"{0}\"><h2>{0}</h2><dl>", w.presets);
    for v in &code.code.values {
        let dim = code.dimensions.iter().find(|d| d.api_name == v.api_name);
        let label = dim.map_or(v.api_name.as_str(), |d| d.display_name.pick(lang));
        let name_of = |value: &str| {
            dim.and_then(|d| d.option(value)).map_or(value.to_string(), |o| o.name.pick(lang).to_string())
        };
        let shown = match &v.value {
            Value::Select(s) => name_of(s),
            Value::Multi(list) => list.iter().map(|s| name_of(s)).collect::<Vec<_>>().join(", "),
            Value::Bool(b) => (if *b { w.yes } else { w.no }).to_string(),
        };
        out.push_str(&format!("<dt>{}</dt><dd>{}</dd>", esc(label), esc(&shown)));
    }
    out.push_str("</dl></section>");
    out
}

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh_cn",
        Lang::En => "en_us",
    }
}

fn shell(lang: Lang, key: &str, title: &str, body: &str) -> String {
    let w = words(lang);
    let html_lang = if lang == Lang::Zh { "zh-CN" } else { "en" };
    let switch = format!("{SCAN_PATH}?signKey={}&amp;lang={}", esc(key), w.other_code);
    format!(
        "<!doctype html><html lang=\"{html_lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title>\
         <style>{STYLE}</style></head><body><nav><a href=\"{switch}\" lang=\"{}\">{}</a></nav>{body}</body></html>",
        esc(title),
        if lang == Lang::Zh { "en" } else { "zh-CN" },
        w.other_lang
    )
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;margin:0;\
background:#f4f6f8;color:#1f2329}main{max-width:32rem;margin:0 auto;padding:1rem 1.25rem 3rem;background:#fff;\
min-height:100vh;box-sizing:border-box}nav{max-width:32rem;margin:0 auto;text-align:right;padding:.5rem 1.25rem}\
h1{font-size:1.5rem;margin:.5rem 0}.company{font-weight:600;color:#3370ff}dl{display:grid;grid-template-columns:auto 1fr;\
gap:.25rem 1rem;background:#f4f6f8;padding:.75rem;border-radius:.5rem}dt{color:#646a73}dd{margin:0}\
.field{margin:1rem 0;display:flex;flex-direction:column;gap:.25rem}label{font-weight:600}\
input{font-size:1rem;padding:.6rem;border:1px solid #d0d3d6;border-radius:.4rem}\
input[aria-invalid=true]{border-color:#d83931}small{color:#646a73}.error,.alert{color:#d83931;margin:0}\
.alert{padding:.5rem;background:#fdecec;border-radius:.4rem}button{width:100%;font-size:1.1rem;padding:.8rem;\
background:#3370ff;color:#fff;border:0;border-radius:.5rem}button:focus,input:focus,a:focus{outline:3px solid #82a7fc}";
