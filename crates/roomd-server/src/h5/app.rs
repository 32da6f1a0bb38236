//! App credentials through the API (what the console's Open API page does): list the
//! company's appkeys, create one (its appsecret shown once), revoke one (rotation).

use axum::extract::State;
use roomd_wire::h5::token::{AppCredential, AppKeyBody};

use roomd_wire::h5::ErrorCode;

use crate::error::{ApiResult, H5, Required};
use crate::extract::{Auth, H5Json};
use crate::limits::CompanyAction;
use crate::state::AppState;

/// POST /meeting/api/open/app/list
pub async fn list(State(app): State<AppState>, Auth(caller): Auth) -> ApiResult<H5<Vec<AppCredential>>> {
    let apps = app.store.apps(&caller).await?;
    Ok(H5::ok(
        apps.into_iter()
            .map(|(appkey, created_time)| AppCredential { appkey, appsecret: None, created_time })
            .collect(),
    ))
}

/// POST /meeting/api/open/app/create — a new appkey and appsecret (shown only here).
pub async fn create(State(app): State<AppState>, Auth(caller): Auth) -> ApiResult<H5<AppCredential>> {
    if !app.limits.company(CompanyAction::AppCreate, caller.company.as_str()) {
        return Err(ErrorCode::TooManyRequests.into());
    }
    let c = app.store.create_app(caller.company.clone()).await?;
    Ok(H5::ok(AppCredential { appkey: c.appkey, appsecret: Some(c.appsecret), created_time: app.now_ms() }))
}

/// POST /meeting/api/open/app/revoke `{appkey}` — its secret and tokens stop working; the
/// company keeps at least one credential (71001).
pub async fn revoke(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<AppKeyBody>,
) -> ApiResult<H5<()>> {
    let appkey = req.appkey.required("appkey")?;
    app.store.revoke_app(&caller, appkey.clone()).await?;
    app.forget_app(&appkey);
    Ok(H5::done())
}
