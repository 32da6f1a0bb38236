//! Departments: a tree through `parent`. Removal is soft (`removed_ms`) and refused while
//! sub-departments, users or rooms remain (71022).

use roomd_core::directory::{Department, DeptPatch};
use roomd_core::{Caller, DeptId, DomainError};

use crate::db::work;
use crate::events::emit;
use crate::rows::{int, opt_text, text};
use crate::sql::{Conn, Row, query};
use crate::{Store, StoreResult};
use roomd_core::event::Change;

impl Store {
    pub async fn list_depts(&self, caller: &Caller) -> StoreResult<Vec<Department>> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| {
            let rows = query(
                "SELECT id, name, parent_id, created_ms FROM departments \
                 WHERE company_id = $1 AND removed_ms IS NULL ORDER BY created_ms, id",
            )
            .bind(company.as_str())
            .fetch_all(conn)
            .await?;
            rows.iter().map(dept_from_row).collect()
        }))
        .await
    }

    pub async fn dept(&self, caller: &Caller, id: DeptId) -> StoreResult<Department> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| load_dept(conn, &company, &id).await)).await
    }

    pub async fn add_dept(&self, caller: &Caller, id: Option<DeptId>, patch: DeptPatch) -> StoreResult<Department> {
        let company = caller.company.as_str().to_string();
        let now = self.now_ms();
        let events = self.event_render();
        let dept = Department::create(id.unwrap_or_else(DeptId::generate), patch, now)?;
        self.write(work!(|conn| {
            let taken: Option<String> = query("SELECT id FROM departments WHERE company_id = $1 AND id = $2")
                .bind(company.clone())
                .bind(dept.id.as_str().to_string())
                .scalar(conn)
                .await?;
            if taken.is_some() {
                return Err(DomainError::invalid("id", "already exists").into());
            }
            check_parent(conn, &company, &dept).await?;
            query(
                "INSERT INTO departments (company_id, id, name, parent_id, created_ms, updated_ms) \
                 VALUES ($1, $2, $3, $4, $5, $5)",
            )
            .bind(company.as_str())
            .bind(dept.id.as_str().to_string())
            .bind(dept.name.clone())
            .bind(dept.parent.as_ref().map(|p| p.as_str().to_string()))
            .bind(now)
            .execute(conn)
            .await?;
            emit(conn, &events, &company, now, || Change::DeptAdded(dept.clone())).await?;
            Ok(dept)
        }))
        .await
    }

    pub async fn update_dept(&self, caller: &Caller, id: DeptId, patch: DeptPatch) -> StoreResult<Department> {
        let company = caller.company.as_str().to_string();
        let now = self.now_ms();
        let events = self.event_render();
        self.write(work!(|conn| {
            let dept = load_dept(conn, &company, &id).await?.apply(patch)?;
            check_parent(conn, &company, &dept).await?;
            query(
                "UPDATE departments SET name = $3, parent_id = $4, updated_ms = $5 WHERE company_id = $1 AND id = $2",
            )
            .bind(company.as_str())
            .bind(dept.id.as_str().to_string())
            .bind(dept.name.clone())
            .bind(dept.parent.as_ref().map(|p| p.as_str().to_string()))
            .bind(now)
            .execute(conn)
            .await?;
            emit(conn, &events, &company, now, || Change::DeptUpdated(dept.clone())).await?;
            Ok(dept)
        }))
        .await
    }

    /// Refuses (71022) while sub-departments, users or rooms still belong to it.
    pub async fn remove_dept(&self, caller: &Caller, id: DeptId) -> StoreResult<()> {
        let company = caller.company.as_str().to_string();
        let now = self.now_ms();
        let events = self.event_render();
        self.write(work!(|conn| {
            load_dept(conn, &company, &id).await?;
            let members: i64 = query(
                "SELECT (SELECT COUNT(*) FROM departments WHERE company_id = $1 AND parent_id = $2 AND removed_ms IS NULL) \
                 + (SELECT COUNT(*) FROM users WHERE company_id = $1 AND department_id = $2 AND removed_ms IS NULL) \
                 + (SELECT COUNT(*) FROM rooms WHERE company_id = $1 AND department_id = $2 AND removed_ms IS NULL)",
            )
            .bind(company.clone())
            .bind(id.as_str().to_string())
            .scalar(conn)
            .await?
            .unwrap_or_default();
            if members > 0 {
                return Err(DomainError::DeptNotEmpty.into());
            }
            query("UPDATE departments SET removed_ms = $3, updated_ms = $3 WHERE company_id = $1 AND id = $2")
                .bind(company.as_str())
                .bind(id.as_str().to_string())
                .bind(now)
                .execute(conn)
                .await?;
            emit(conn, &events, &company, now, || Change::DeptRemoved(id.clone())).await?;
            Ok(())
        }))
        .await
    }
}

pub(crate) async fn dept_exists(conn: &mut Conn<'_>, company: &str, id: &DeptId) -> StoreResult<bool> {
    let found: Option<String> =
        query("SELECT id FROM departments WHERE company_id = $1 AND id = $2 AND removed_ms IS NULL")
            .bind(company.to_string())
            .bind(id.as_str().to_string())
            .scalar(conn)
            .await?;
    Ok(found.is_some())
}

async fn load_dept(conn: &mut Conn<'_>, company: &str, id: &DeptId) -> StoreResult<Department> {
    let row = query(
        "SELECT id, name, parent_id, created_ms FROM departments WHERE company_id = $1 AND id = $2 AND removed_ms IS NULL",
    )
    .bind(company.to_string())
    .bind(id.as_str().to_string())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(dept_from_row).transpose()?.ok_or(DomainError::DeptNotExist.into())
}

/// The parent exists and is not the department itself or one of its descendants.
async fn check_parent(conn: &mut Conn<'_>, company: &str, dept: &Department) -> StoreResult<()> {
    let mut next = dept.parent.clone();
    let mut depth = 0;
    while let Some(id) = next {
        if id == dept.id || depth > 64 {
            return Err(DomainError::invalid("parentId", "would make a cycle").into());
        }
        next = load_dept(conn, company, &id).await?.parent;
        depth += 1;
    }
    Ok(())
}

fn dept_from_row(row: &Row) -> StoreResult<Department> {
    Ok(Department {
        id: DeptId::from_stored(text(row, "id")?),
        name: text(row, "name")?,
        parent: opt_text(row, "parent_id")?.filter(|p| !p.is_empty()).map(DeptId::from_stored),
        created_ms: int(row, "created_ms")?,
    })
}
