//! CoreHR onboarding QR codes (Feishu's CoreHR API; `docs/wire-compat.md`):
//! create one, and list the dimensions a code may carry.

use axum::extract::State;
use roomd_core::onboarding::{Dimension, QrCode, RawValue};
use roomd_wire::feishu::FeishuCode;
use roomd_wire::feishu::corehr::{self as wire, CreateQrCode, DimensionList, QrCodeData};

use super::envelope::{Feishu, FeishuError, FeishuJson, Tenant};
use crate::onboarding::{dimension_ref, value_view};
use crate::state::AppState;

/// POST /open-apis/corehr/v2/onboarding_qr_codes — 创建入职二维码 (100 a minute a company)
pub async fn create_qr_code(
    State(app): State<AppState>,
    Tenant(caller): Tenant,
    FeishuJson(body): FeishuJson<CreateQrCode>,
) -> Result<Feishu<QrCodeData>, FeishuError> {
    if !app.limits.create_qr_code(caller.company.as_str()) {
        return Err(FeishuError::new(FeishuCode::RateLimited));
    }
    let invalid = FeishuCode::CorehrParamInvalid;
    let body = body.map_err(|v| FeishuError::field(invalid, v.field, v.description))?;
    let list = body.dimension_value_list.ok_or(FeishuError::field(invalid, "dimension_value_list", "required"))?;
    let raw = list
        .into_iter()
        .map(|v| {
            let value = v.value.unwrap_or_default();
            RawValue {
                api_name: v.dimension.and_then(|d| d.api_name),
                select_value: value.select_value,
                multi_select_value: value.multi_select_value,
                bool_value: value.bool_value,
            }
        })
        .collect();
    let (code, dims) =
        app.store.create_qr_code(&caller, caller.actor.name(), raw).await.map_err(FeishuError::corehr)?;
    Ok(Feishu(QrCodeData { qr_code: qr_code_view(&app, &code, &dims) }))
}

/// POST /open-apis/corehr/v2/onboarding_qr_codes/dimension — 获取入职二维码维度
pub async fn dimensions(
    State(app): State<AppState>,
    Tenant(caller): Tenant,
) -> Result<Feishu<DimensionList>, FeishuError> {
    let dims = app.store.onboarding_dimensions(&caller).await.map_err(FeishuError::corehr)?;
    Ok(Feishu(DimensionList { dimension_list: dims.iter().map(dimension_ref).collect() }))
}

fn qr_code_view(app: &AppState, code: &QrCode, dims: &[Dimension]) -> wire::QrCode {
    let links = app.views.onboarding_links(&code.sign_key);
    wire::QrCode {
        id: code.id.clone(),
        png: links.png,
        url: links.url,
        active: code.active,
        created_by: code.created_by.clone(),
        updated_by: code.updated_by.clone(),
        created_at: code.created_ms / 1000,
        updated_at: code.updated_ms / 1000,
        dimension_value_list: code
            .values
            .iter()
            .map(|v| wire::DimensionValue {
                dimension: dims.iter().find(|d| d.api_name == v.api_name).map(dimension_ref).unwrap_or(
                    wire::Dimension {
                        api_name: v.api_name.clone(),
                        display_name: wire::I18n { zh_cn: String::new(), en_us: String::new() },
                        kind: 0,
                    },
                ),
                value: value_view(&v.value),
            })
            .collect(),
    }
}
