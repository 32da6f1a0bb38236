//! Users (departments are in `departments.rs`). Removal is soft (`removed_ms`): meetings, attendances and
//! bookings keep pointing at what they referenced, and the history stays readable.

use roomd_core::directory::{User, UserPatch};
use roomd_core::{Caller, DeptId, DomainError, UserId};

use crate::db::work;
use crate::departments::dept_exists;
use crate::events::emit;
use crate::rows::{flag, int, opt_text, text};
use crate::sql::{Conn, Row, query};
use crate::{Store, StoreError, StoreResult};
use roomd_core::event::Change;

pub(crate) const USER_COLUMNS: &str = "id, name, account, phone, position, email, memo, department_id, is_admin, enabled, \
                            face_file, created_ms, dimension_values";

impl Store {
    pub async fn list_users(&self, caller: &Caller) -> StoreResult<Vec<User>> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| {
            let sql = format!(
                "SELECT {USER_COLUMNS} FROM users WHERE company_id = $1 AND removed_ms IS NULL ORDER BY created_ms, id"
            );
            let rows = query(sql).bind(company).fetch_all(conn).await?;
            rows.iter().map(user_from_row).collect()
        }))
        .await
    }

    pub async fn user(&self, caller: &Caller, id: UserId) -> StoreResult<User> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| load_user(conn, &company, &id).await)).await
    }

    /// The live user with `account`, if any.
    pub async fn user_by_account(&self, caller: &Caller, account: String) -> StoreResult<Option<User>> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| {
            let sql = format!(
                "SELECT {USER_COLUMNS} FROM users WHERE company_id = $1 AND account = $2 AND removed_ms IS NULL"
            );
            let row = query(sql).bind(company).bind(account).fetch_optional(conn).await?;
            row.as_ref().map(user_from_row).transpose()
        }))
        .await
    }

    /// Whether `password` is the live, enabled user `account`'s: the user if so.
    pub async fn check_password(
        &self,
        caller: &Caller,
        account: String,
        password: String,
    ) -> StoreResult<Option<User>> {
        let company = caller.company.as_str().to_string();
        let found = self
            .read(work!(|conn| {
                let sql = format!(
                    "SELECT {USER_COLUMNS}, password_hash FROM users \
                     WHERE company_id = $1 AND account = $2 AND removed_ms IS NULL AND enabled = 1"
                );
                let row = query(sql).bind(company).bind(account).fetch_optional(conn).await?;
                row.map(|r| Ok::<_, StoreError>((user_from_row(&r)?, opt_text(&r, "password_hash")?))).transpose()
            }))
            .await?;
        // An unknown account, or one without a password, is checked against a stand-in
        // hash, so the answer takes as long as for a real one (`passwords.rs`).
        let (user, hash) = match found {
            Some((user, hash)) => (Some(user), hash),
            None => (None, None),
        };
        let ok = crate::passwords::verify(password, hash).await?;
        Ok(user.filter(|_| ok))
    }

    pub async fn add_user(&self, caller: &Caller, id: Option<UserId>, patch: UserPatch) -> StoreResult<User> {
        let company = caller.company.as_str().to_string();
        let now = self.now_ms();
        let events = self.event_render();
        let user = User::create(id.unwrap_or_else(UserId::generate), patch.clone(), now)?;
        // No password, no hash: nothing signs in as this user until one is set.
        let hash = crate::passwords::hash_given(patch.password.clone()).await?;
        self.write(work!(|conn| {
            let taken: Option<String> = query("SELECT id FROM users WHERE company_id = $1 AND id = $2")
                .bind(company.clone())
                .bind(user.id.as_str().to_string())
                .scalar(conn)
                .await?;
            if taken.is_some() {
                return Err(DomainError::invalid("id", "already exists").into());
            }
            insert_user(conn, &events, &company, &user, hash, now).await?;
            Ok(user)
        }))
        .await
    }

    pub async fn update_user(&self, caller: &Caller, id: UserId, patch: UserPatch) -> StoreResult<User> {
        let company = caller.company.as_str().to_string();
        let now = self.now_ms();
        let events = self.event_render();
        let hash = crate::passwords::hash_given(patch.password.clone()).await?;
        self.write(work!(|conn| {
            let user = load_user(conn, &company, &id).await?.apply(patch)?;
            check_user_refs(conn, &company, &user).await?;
            query(
                "UPDATE users SET name = $3, account = $4, phone = $5, position = $6, email = $7, memo = $8, \
                 department_id = $9, is_admin = $10, enabled = $11, password_hash = COALESCE($12, password_hash), \
                 updated_ms = $13 WHERE company_id = $1 AND id = $2",
            )
            .bind(company.as_str())
            .bind(user.id.as_str().to_string())
            .bind(user.name.clone())
            .bind(user.account.clone())
            .bind(user.phone.clone())
            .bind(user.position.clone())
            .bind(user.email.clone())
            .bind(user.memo.clone())
            .bind(user.department.as_ref().map(|d| d.as_str().to_string()))
            .bind(i64::from(user.is_admin))
            .bind(i64::from(user.enabled))
            .bind(hash.clone())
            .bind(now)
            .execute(conn)
            .await?;
            if hash.is_some() {
                crate::console::end_sessions(conn, &company, &user.id, now).await?;
            } else if !user.enabled {
                crate::accounts::sessions::drop_sessions(conn, &company, &user.id).await?;
            }
            emit(conn, &events, &company, now, || Change::UserUpdated(user.clone())).await?;
            Ok(user)
        }))
        .await
    }

    /// Sets (or with `None` clears) the user's face photo file.
    pub async fn set_user_face(&self, caller: &Caller, id: UserId, face_file: Option<String>) -> StoreResult<User> {
        let company = caller.company.as_str().to_string();
        let now = self.now_ms();
        let events = self.event_render();
        self.write(work!(|conn| {
            let mut user = load_user(conn, &company, &id).await?;
            query("UPDATE users SET face_file = $3, updated_ms = $4 WHERE company_id = $1 AND id = $2")
                .bind(company.as_str())
                .bind(id.as_str().to_string())
                .bind(face_file.clone())
                .bind(now)
                .execute(conn)
                .await?;
            user.face_file = face_file;
            emit(conn, &events, &company, now, || Change::UserUpdated(user.clone())).await?;
            Ok(user)
        }))
        .await
    }

    /// Soft-removes a user: their account, phone and email become free again; meetings
    /// they booked or attend keep their name as it was; they leave rooms' permission lists;
    /// their sessions end.
    pub async fn remove_user(&self, caller: &Caller, id: UserId) -> StoreResult<()> {
        let company = caller.company.as_str().to_string();
        let now = self.now_ms();
        let events = self.event_render();
        self.write(work!(|conn| {
            load_user(conn, &company, &id).await?;
            query("UPDATE users SET removed_ms = $3, updated_ms = $3 WHERE company_id = $1 AND id = $2")
                .bind(company.clone())
                .bind(id.as_str().to_string())
                .bind(now)
                .execute(conn)
                .await?;
            query("DELETE FROM room_users WHERE company_id = $1 AND user_id = $2")
                .bind(company.as_str())
                .bind(id.as_str().to_string())
                .execute(conn)
                .await?;
            crate::accounts::sessions::drop_sessions(conn, &company, &id).await?;
            emit(conn, &events, &company, now, || Change::UserRemoved(id.clone())).await?;
            Ok(())
        }))
        .await
    }
}

/// Inserts a new user (checking its department and that account, phone and email are
/// free) and records `user_add`: `user/add` and an approved onboarding registration.
pub(crate) async fn insert_user(
    conn: &mut Conn<'_>,
    events: &Option<std::sync::Arc<crate::events::EventHook>>,
    company: &str,
    user: &User,
    password_hash: Option<String>,
    now: i64,
) -> StoreResult<()> {
    check_user_refs(conn, company, user).await?;
    let dimensions = (!user.dimensions.is_empty()).then(|| crate::onboarding::encode_values(&user.dimensions));
    query(
        "INSERT INTO users (company_id, id, name, account, password_hash, phone, position, email, memo, \
         department_id, is_admin, enabled, face_file, created_ms, updated_ms, dimension_values) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15)",
    )
    .bind(company)
    .bind(user.id.as_str().to_string())
    .bind(user.name.clone())
    .bind(user.account.clone())
    .bind(password_hash)
    .bind(user.phone.clone())
    .bind(user.position.clone())
    .bind(user.email.clone())
    .bind(user.memo.clone())
    .bind(user.department.as_ref().map(|d| d.as_str().to_string()))
    .bind(i64::from(user.is_admin))
    .bind(i64::from(user.enabled))
    .bind(user.face_file.clone())
    .bind(now)
    .bind(dimensions)
    .execute(conn)
    .await?;
    emit(conn, events, company, now, || Change::UserAdded(user.clone())).await
}

pub(crate) async fn load_user(conn: &mut Conn<'_>, company: &str, id: &UserId) -> StoreResult<User> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE company_id = $1 AND id = $2 AND removed_ms IS NULL");
    let row = query(sql).bind(company.to_string()).bind(id.as_str().to_string()).fetch_optional(conn).await?;
    row.as_ref().map(user_from_row).transpose()?.ok_or(DomainError::UserNotExist.into())
}

/// The live users among `ids`, in no particular order.
pub(crate) async fn load_users(conn: &mut Conn<'_>, company: &str, ids: &[UserId]) -> StoreResult<Vec<User>> {
    let mut users = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users WHERE company_id = $1 AND removed_ms IS NULL AND id IN ({})",
            crate::rows::placeholders(2, chunk.len())
        );
        let mut q = query(sql).bind(company.to_string());
        for id in chunk {
            q = q.bind(id.as_str().to_string());
        }
        for row in q.fetch_all(conn).await? {
            users.push(user_from_row(&row)?);
        }
    }
    Ok(users)
}

/// The department exists, and account, phone and email are free (71006, 71007, 71016).
async fn check_user_refs(conn: &mut Conn<'_>, company: &str, user: &User) -> StoreResult<()> {
    if let Some(dept) = &user.department
        && !dept_exists(conn, company, dept).await?
    {
        return Err(DomainError::DeptNotExist.into());
    }
    let checks = [
        ("account", user.account.as_str(), DomainError::AccountTaken),
        ("phone", user.phone.as_str(), DomainError::PhoneTaken),
        ("email", user.email.as_str(), DomainError::EmailTaken),
    ];
    for (column, value, taken) in checks {
        if value.is_empty() {
            continue;
        }
        let sql = format!(
            "SELECT id FROM users WHERE company_id = $1 AND {column} = $2 AND id <> $3 AND removed_ms IS NULL LIMIT 1"
        );
        let other: Option<String> = query(sql)
            .bind(company.to_string())
            .bind(value.to_string())
            .bind(user.id.as_str().to_string())
            .scalar(conn)
            .await?;
        if other.is_some() {
            return Err(taken.into());
        }
    }
    Ok(())
}

pub(crate) fn user_from_row(row: &Row) -> StoreResult<User> {
    Ok(User {
        id: UserId::from_stored(text(row, "id")?),
        name: text(row, "name")?,
        account: text(row, "account")?,
        phone: text(row, "phone")?,
        position: text(row, "position")?,
        email: text(row, "email")?,
        memo: text(row, "memo")?,
        department: opt_text(row, "department_id")?.map(DeptId::from_stored),
        is_admin: flag(row, "is_admin")?,
        enabled: flag(row, "enabled")?,
        face_file: opt_text(row, "face_file")?,
        created_ms: int(row, "created_ms")?,
        dimensions: match opt_text(row, "dimension_values")? {
            Some(json) => crate::onboarding::decode_values(&json)?,
            None => Vec::new(),
        },
    })
}
