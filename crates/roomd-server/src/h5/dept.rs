use axum::extract::State;
use roomd_core::DeptId;
use roomd_core::directory::DeptPatch;
use roomd_wire::h5::{Department, DeptAdd, DeptId as DeptIdBody, DeptUpdate};

use super::{optional_id, optional_ref};
use crate::error::{ApiResult, H5, Required};
use crate::extract::{Auth, H5Json};
use crate::state::AppState;
use crate::views::dept_view;

/// POST /meeting/api/open/dept/list — 获取部门列表
pub async fn list(State(app): State<AppState>, Auth(caller): Auth) -> ApiResult<H5<Vec<Department>>> {
    let depts = app.store.list_depts(&caller).await?;
    Ok(H5::ok(depts.iter().map(dept_view).collect()))
}

/// POST /meeting/api/open/dept/get — 获取部门详情
pub async fn get(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<DeptIdBody>,
) -> ApiResult<H5<Department>> {
    let id = DeptId::parse("deptId", &req.dept_id.required("deptId")?)?;
    let dept = app.store.dept(&caller, id).await?;
    Ok(H5::ok(dept_view(&dept)))
}

/// POST /meeting/api/open/dept/add — 创建部门
pub async fn add(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<DeptAdd>,
) -> ApiResult<H5<Department>> {
    let name = req.name.required("name")?;
    let id = optional_id(req.id, DeptId::parse)?;
    let patch = DeptPatch { name: Some(name), parent: optional_ref("parentId", req.parent_id, DeptId::parse)? };
    let dept = app.store.add_dept(&caller, id, patch).await?;
    Ok(H5::ok(dept_view(&dept)))
}

/// POST /meeting/api/open/dept/update — 修改部门
pub async fn update(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<DeptUpdate>,
) -> ApiResult<H5<Department>> {
    let id = DeptId::parse("id", &req.id.required("id")?)?;
    let patch = DeptPatch { name: req.name, parent: optional_ref("parentId", req.parent_id, DeptId::parse)? };
    let dept = app.store.update_dept(&caller, id, patch).await?;
    Ok(H5::ok(dept_view(&dept)))
}

/// POST /meeting/api/open/dept/remove — 删除部门 (71022 while it has members)
pub async fn remove(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<DeptIdBody>,
) -> ApiResult<H5<()>> {
    let id = DeptId::parse("deptId", &req.dept_id.required("deptId")?)?;
    app.store.remove_dept(&caller, id).await?;
    Ok(H5::done())
}
