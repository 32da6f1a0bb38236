//! Onboarding QR codes: the public side (the PNG and the scan-to-register page, reached
//! without a token through the code's secret key) and the views the h5 and Feishu
//! endpoints share.

mod page;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use roomd_core::onboarding::{Dimension, DimensionValue, Lang, Value};
use roomd_wire::feishu::corehr as wire;
use roomd_wire::h5::onboarding::PresetValue;
use serde::Deserialize;

use crate::state::AppState;

pub const SCAN_PATH: &str = "/onboarding/scan";
pub const PNG_PATH: &str = "/onboarding/scan_code/png";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(PNG_PATH, get(qr_png))
        .route(SCAN_PATH, get(page::show).post(page::submit).layer(DefaultBodyLimit::max(crate::h5::FACE_BODY_LIMIT)))
}

#[derive(Debug, Deserialize)]
pub struct PngQuery {
    scan_code: Option<String>,
    lang: Option<String>,
}

/// GET /onboarding/scan_code/png?scan_code=…&lang=zh_cn|en_us — the code's image.
async fn qr_png(State(app): State<AppState>, Query(q): Query<PngQuery>) -> Response {
    let key = q.scan_code.unwrap_or_default();
    let found = match app.store.scanned_code(key.clone()).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = %e, "loading an onboarding QR code");
            return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
        }
    };
    if found.is_none() {
        return (StatusCode::NOT_FOUND, "no such QR code").into_response();
    }
    let lang = q.lang.as_deref().and_then(Lang::parse);
    let url = app.views.onboarding_links(&key).url;
    match tokio::task::spawn_blocking(move || crate::qr::render(&url, lang)).await {
        Ok(Ok(bytes)) => {
            let name = format!(
                "onboarding-qr-{}.png",
                lang.map_or("plain", |l| if l == Lang::Zh { "zh_cn" } else { "en_us" })
            );
            let disposition = format!("inline; filename=\"{name}\"");
            ([(header::CONTENT_TYPE, "image/png".to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
                .into_response()
        }
        other => {
            tracing::error!(?other, "rendering an onboarding QR code");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// `{api_name, display_name, type}` as the Feishu endpoints show a dimension.
pub fn dimension_ref(d: &Dimension) -> wire::Dimension {
    wire::Dimension {
        api_name: d.api_name.clone(),
        display_name: wire::I18n { zh_cn: d.display_name.zh_cn.clone(), en_us: d.display_name.en_us.clone() },
        kind: d.kind as i64,
    }
}

pub fn preset_view(v: &DimensionValue) -> PresetValue {
    PresetValue { api_name: v.api_name.clone(), value: value_view(&v.value) }
}

pub fn value_view(v: &Value) -> wire::Value {
    let mut out = wire::Value { select_value: None, multi_select_value: None, bool_value: None };
    match v {
        Value::Select(s) => out.select_value = Some(s.clone()),
        Value::Multi(list) => out.multi_select_value = Some(list.clone()),
        Value::Bool(b) => out.bool_value = Some(*b),
    }
    out
}
