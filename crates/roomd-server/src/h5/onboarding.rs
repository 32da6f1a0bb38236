//! roomd's h5-style onboarding endpoints (`/meeting/api/open/onboarding/...`): the
//! dimensions a company's QR codes may carry, whether registrations need approval, the
//! codes, and the registrations made through them. Codes are created through Feishu's
//! `POST /open-apis/corehr/v2/onboarding_qr_codes`.

use axum::extract::State;
use roomd_core::Caller;
use roomd_core::onboarding::{DimOption, Dimension, DimensionKind, I18n, QrCode, Registration, RegistrationState};
use roomd_store::QrCodeSummary;
use roomd_wire::feishu::corehr::I18n as WireI18n;
use roomd_wire::h5::onboarding as wire;

use crate::error::{ApiError, ApiResult, H5, Required};
use crate::extract::{Auth, H5Json};
use crate::onboarding::preset_view;
use crate::state::AppState;

/// POST …/onboarding/dimension/list
pub async fn list_dimensions(State(app): State<AppState>, Auth(caller): Auth) -> ApiResult<H5<Vec<wire::Dimension>>> {
    let dims = app.store.onboarding_dimensions(&caller).await?;
    Ok(H5::ok(dims.iter().map(dimension_view).collect()))
}

/// POST …/onboarding/dimension/save `{dimensions: [...]}` — replaces the whole list.
pub async fn save_dimensions(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<wire::DimensionSave>,
) -> ApiResult<H5<Vec<wire::Dimension>>> {
    let mut dims = Vec::new();
    for (i, d) in req.dimensions.required("dimensions")?.into_iter().enumerate() {
        let kind_code = d.kind.required(&format!("dimensions[{i}].type"))?;
        let kind = DimensionKind::from_code(kind_code).ok_or_else(|| {
            ApiError::field(roomd_wire::h5::ErrorCode::InvalidArguments, format!("dimensions[{i}].type"), "1, 2 or 3")
        })?;
        dims.push(Dimension {
            api_name: d.api_name.required(&format!("dimensions[{i}].apiName"))?,
            display_name: i18n(d.display_name.unwrap_or_default()),
            kind,
            options: d
                .options
                .unwrap_or_default()
                .into_iter()
                .map(|o| DimOption { value: o.value.unwrap_or_default(), name: i18n(o.name.unwrap_or_default()) })
                .collect(),
        });
    }
    let saved = app.store.save_onboarding_dimensions(&caller, dims).await?;
    Ok(H5::ok(saved.iter().map(dimension_view).collect()))
}

/// POST …/onboarding/settings/get → `{needApproval}`
pub async fn get_settings(State(app): State<AppState>, Auth(caller): Auth) -> ApiResult<H5<wire::OnboardingSettings>> {
    let need = app.store.onboarding_needs_approval(&caller).await?;
    Ok(H5::ok(wire::OnboardingSettings { need_approval: Some(need) }))
}

/// POST …/onboarding/settings/save `{needApproval}`
pub async fn save_settings(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<wire::OnboardingSettings>,
) -> ApiResult<H5<wire::OnboardingSettings>> {
    let need = req.need_approval.ok_or_else(|| ApiError::missing("needApproval"))?;
    app.store.set_onboarding_approval(&caller, need).await?;
    Ok(H5::ok(wire::OnboardingSettings { need_approval: Some(need) }))
}

/// POST …/onboarding/qrcode/list — newest first, with registration counts.
pub async fn list_codes(State(app): State<AppState>, Auth(caller): Auth) -> ApiResult<H5<Vec<wire::QrCodeItem>>> {
    let codes = app.store.qr_codes(&caller).await?;
    Ok(H5::ok(codes.iter().map(|s| code_view(&app, s)).collect()))
}

/// POST …/onboarding/qrcode/get `{id}`
pub async fn get_code(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<wire::QrCodeIdBody>,
) -> ApiResult<H5<wire::QrCodeItem>> {
    let id = req.id.required("id")?;
    let summary = app.store.qr_codes(&caller).await?.into_iter().find(|s| s.code.id == id);
    let summary = summary.ok_or(ApiError::new(roomd_wire::h5::ErrorCode::QrCodeNotExist))?;
    Ok(H5::ok(code_view(&app, &summary)))
}

/// POST …/onboarding/qrcode/deactivate `{id}`
pub async fn deactivate_code(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<wire::QrCodeIdBody>,
) -> ApiResult<H5<wire::QrCodeItem>> {
    set_active(app, caller, req, false).await
}

/// POST …/onboarding/qrcode/activate `{id}`
pub async fn activate_code(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<wire::QrCodeIdBody>,
) -> ApiResult<H5<wire::QrCodeItem>> {
    set_active(app, caller, req, true).await
}

async fn set_active(
    app: AppState,
    caller: Caller,
    req: wire::QrCodeIdBody,
    active: bool,
) -> ApiResult<H5<wire::QrCodeItem>> {
    let id = req.id.required("id")?;
    let code: QrCode = app.store.set_qr_code_active(&caller, caller.actor.name(), id, active).await?;
    let summary = app.store.qr_codes(&caller).await?.into_iter().find(|s| s.code.id == code.id);
    let summary = summary.unwrap_or(QrCodeSummary { code, registrations: 0, pending: 0 });
    Ok(H5::ok(code_view(&app, &summary)))
}

/// POST …/onboarding/registration/list `{qrCodeId?, state?}` — newest first.
pub async fn list_registrations(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<wire::RegistrationList>,
) -> ApiResult<H5<Vec<wire::Registration>>> {
    let state = match req.state {
        None => None,
        Some(code) => Some(RegistrationState::from_code(code).ok_or_else(|| {
            ApiError::field(roomd_wire::h5::ErrorCode::InvalidArguments, "state", "0 pending, 1 approved or 2 rejected")
        })?),
    };
    let qr_code = req.qr_code_id.filter(|v| !v.trim().is_empty());
    let regs = app.store.registrations(&caller, qr_code, state).await?;
    Ok(H5::ok(regs.iter().map(registration_view).collect()))
}

/// POST …/onboarding/registration/approve `{id}` — creates the user (`user_add`).
pub async fn approve(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<wire::RegistrationDecision>,
) -> ApiResult<H5<wire::Registration>> {
    let reg = app.store.decide_registration(&caller, req.id.required("id")?, true, String::new()).await?;
    Ok(H5::ok(registration_view(&reg)))
}

/// POST …/onboarding/registration/reject `{id, reason?}`
pub async fn reject(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<wire::RegistrationDecision>,
) -> ApiResult<H5<wire::Registration>> {
    let reason = req.reason.unwrap_or_default();
    let reg = app.store.decide_registration(&caller, req.id.required("id")?, false, reason).await?;
    Ok(H5::ok(registration_view(&reg)))
}

fn i18n(raw: wire::I18nIn) -> I18n {
    I18n {
        zh_cn: raw.zh_cn.unwrap_or_default().trim().to_string(),
        en_us: raw.en_us.unwrap_or_default().trim().to_string(),
    }
}

fn wire_i18n(n: &I18n) -> WireI18n {
    WireI18n { zh_cn: n.zh_cn.clone(), en_us: n.en_us.clone() }
}

fn dimension_view(d: &Dimension) -> wire::Dimension {
    wire::Dimension {
        api_name: d.api_name.clone(),
        display_name: wire_i18n(&d.display_name),
        kind: d.kind as i64,
        options: d
            .options
            .iter()
            .map(|o| wire::DimOption { value: o.value.clone(), name: wire_i18n(&o.name) })
            .collect(),
        builtin: d.is_builtin(),
    }
}

fn code_view(app: &AppState, s: &QrCodeSummary) -> wire::QrCodeItem {
    let links = app.views.onboarding_links(&s.code.sign_key);
    wire::QrCodeItem {
        id: s.code.id.clone(),
        png: links.png,
        url: links.url,
        active: s.code.active,
        created_by: s.code.created_by.clone(),
        updated_by: s.code.updated_by.clone(),
        created_time: s.code.created_ms,
        updated_time: s.code.updated_ms,
        values: s.code.values.iter().map(preset_view).collect(),
        registrations: s.registrations,
        pending: s.pending,
    }
}

fn registration_view(r: &Registration) -> wire::Registration {
    wire::Registration {
        id: r.id.clone(),
        qr_code_id: r.qr_code.clone(),
        name: r.name.clone(),
        account: r.account.clone(),
        phone: r.phone.clone(),
        email: r.email.clone(),
        department_id: r.department.as_ref().map(ToString::to_string).unwrap_or_default(),
        values: r.values.iter().map(preset_view).collect(),
        state: r.state as i64,
        user_id: r.user.as_ref().map(ToString::to_string).unwrap_or_default(),
        reason: r.reason.clone(),
        created_time: r.created_ms,
        decided_time: r.decided_ms,
    }
}
