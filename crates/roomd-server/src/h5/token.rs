use axum::extract::{Query, State};
use roomd_wire::h5::{GetToken, Token};

use crate::error::{ApiResult, H5, Required};
use crate::state::AppState;

/// GET /meeting/api/oapi/gettoken — 获取访问凭证
pub async fn get(State(app): State<AppState>, Query(query): Query<GetToken>) -> ApiResult<H5<Token>> {
    let appkey = query.appkey.required("appkey")?;
    let appsecret = query.appsecret.required("appsecret")?;
    let issued = app.store.issue_token(appkey, appsecret).await?;
    Ok(H5::ok(Token {
        access_token: issued.token,
        company_id: issued.company.to_string(),
        expires_in: issued.expires_in_ms / 1000,
    }))
}
