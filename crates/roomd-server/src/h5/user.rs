use axum::extract::{Multipart, State};
use roomd_core::directory::UserPatch;
use roomd_core::{DeptId, UserId};
use roomd_wire::h5::{SetupLink, User, UserAdd, UserId as UserIdBody, UserUpdate};

use super::{optional_id, optional_ref};
use crate::error::{ApiError, ApiResult, H5, Required};
use crate::extract::{Auth, H5Json};
use crate::face;
use crate::state::AppState;

/// POST /meeting/api/open/user/list — 获取用户列表
pub async fn list(State(app): State<AppState>, Auth(caller): Auth) -> ApiResult<H5<Vec<User>>> {
    let users = app.store.list_users(&caller).await?;
    Ok(H5::ok(users.iter().map(|u| app.views.user_view(caller.company.as_str(), u)).collect()))
}

/// POST /meeting/api/open/user/get — 获取用户详情
pub async fn get(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<UserIdBody>,
) -> ApiResult<H5<User>> {
    let id = UserId::parse("userId", &req.user_id.required("userId")?)?;
    let user = app.store.user(&caller, id).await?;
    Ok(H5::ok(app.views.user_view(caller.company.as_str(), &user)))
}

/// POST /meeting/api/open/user/add — 创建用户 (without a password, none works until one is
/// set: no default, `docs/wire-compat.md`)
pub async fn add(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(mut req): H5Json<UserAdd>,
) -> ApiResult<H5<User>> {
    let name = req.name.take().required("name")?;
    let account = req.account.take().required("account")?;
    let id = optional_id(req.id.take(), UserId::parse)?;
    let patch = UserPatch { name: Some(name), account: Some(account), ..user_patch(req)? };
    let user = app.store.add_user(&caller, id, patch).await?;
    Ok(H5::ok(app.views.user_view(caller.company.as_str(), &user)))
}

/// POST /meeting/api/open/user/update — 修改用户
pub async fn update(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(mut req): H5Json<UserUpdate>,
) -> ApiResult<H5<User>> {
    let id = UserId::parse("id", &req.id.take().required("id")?)?;
    let patch = user_patch(req)?;
    let user = app.store.update_user(&caller, id, patch).await?;
    Ok(H5::ok(app.views.user_view(caller.company.as_str(), &user)))
}

/// POST /meeting/api/open/user/updateFace — 更新人脸 (multipart: userId, file)
pub async fn update_face(State(app): State<AppState>, Auth(caller): Auth, mut form: Multipart) -> ApiResult<H5<User>> {
    let (mut user_id, mut file) = (None, None);
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(face::read_error(e)),
        };
        match field.name() {
            Some("userId") => user_id = Some(field.text().await.map_err(face::read_error)?),
            Some("file") => file = Some(field.bytes().await.map_err(face::read_error)?),
            _ => {}
        }
    }
    let id = UserId::parse("userId", &user_id.required("userId")?)?;
    let bytes = file.ok_or_else(|| ApiError::missing("file"))?;
    // Refuse an unknown user before storing anything.
    app.store.user(&caller, id.clone()).await?;
    let image = face::validate(bytes.to_vec()).await?;
    let stored = app.store.put_blob(&caller, image.bytes, image.ext, image.content_type).await?;
    let user = app.store.set_user_face(&caller, id, Some(stored)).await?;
    Ok(H5::ok(app.views.user_view(caller.company.as_str(), &user)))
}

/// POST /meeting/api/open/user/clearFace — 清除人脸信息
pub async fn clear_face(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<UserIdBody>,
) -> ApiResult<H5<()>> {
    let id = UserId::parse("userId", &req.user_id.required("userId")?)?;
    app.store.set_user_face(&caller, id, None).await?;
    Ok(H5::done())
}

/// POST /meeting/api/open/user/remove — 删除用户 (soft: history keeps the name)
pub async fn remove(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<UserIdBody>,
) -> ApiResult<H5<()>> {
    let id = UserId::parse("userId", &req.user_id.required("userId")?)?;
    app.store.remove_user(&caller, id).await?;
    Ok(H5::done())
}

/// POST /meeting/api/open/user/setupLink — extension: a one-time link where the person
/// sets their password (valid a day; making another leaves earlier ones working).
pub async fn setup_link(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<UserIdBody>,
) -> ApiResult<H5<SetupLink>> {
    let id = UserId::parse("userId", &req.user_id.required("userId")?)?;
    let token = app.store.create_setup_link(caller.company.clone(), id.clone()).await?;
    Ok(H5::ok(SetupLink {
        user_id: id.to_string(),
        url: app.views.setup_url(&token),
        expires_time: app.now_ms() + roomd_store::SETUP_LINK_MS,
    }))
}

/// The fields `user/add` and `user/update` share; a blank password means "unchanged" /
/// "none".
fn user_patch(req: UserUpdate) -> ApiResult<UserPatch> {
    Ok(UserPatch {
        name: req.name,
        account: req.account,
        password: req.password.filter(|p| !p.trim().is_empty()),
        phone: req.phone,
        position: req.position,
        email: req.email,
        memo: req.memo,
        department: optional_ref("departmentId", req.department_id, DeptId::parse)?,
        is_admin: req.is_admin.or(req.admin),
        status: req.status,
    })
}
