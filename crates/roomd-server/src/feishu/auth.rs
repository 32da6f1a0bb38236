//! `POST /open-apis/auth/v3/tenant_access_token/internal` (docs/wire-compat.md): the h5 app
//! credentials, the h5 token rules, the token with Feishu's `t-` prefix.

use axum::Json;
use axum::extract::State;
use roomd_core::DomainError;
use roomd_store::StoreError;
use roomd_wire::feishu::{FeishuCode, TenantToken, TenantTokenRequest};

use super::envelope::{FeishuError, FeishuJson, TOKEN_PREFIX};
use crate::state::AppState;

pub async fn tenant_access_token(
    State(app): State<AppState>,
    FeishuJson(body): FeishuJson<TenantTokenRequest>,
) -> Result<Json<TenantToken>, FeishuError> {
    let bad = FeishuCode::AuthBadRequest;
    let body = body.map_err(|v| FeishuError::field(bad, v.field, v.description))?;
    let app_id = body.app_id.filter(|v| !v.trim().is_empty()).ok_or(FeishuError::field(bad, "app_id", "required"))?;
    let secret =
        body.app_secret.filter(|v| !v.trim().is_empty()).ok_or(FeishuError::field(bad, "app_secret", "required"))?;
    let issued = app.store.issue_token(app_id, secret).await.map_err(|e| match e {
        StoreError::Domain(DomainError::InvalidCredentials) => FeishuError::new(FeishuCode::AuthBadSecret),
        other => {
            tracing::error!(error = %other, "issuing a tenant token");
            FeishuError::new(FeishuCode::Internal)
        }
    })?;
    Ok(Json(TenantToken {
        code: 0,
        msg: "ok".into(),
        tenant_access_token: format!("{TOKEN_PREFIX}{}", issued.token),
        expire: issued.expires_in_ms / 1000,
    }))
}
