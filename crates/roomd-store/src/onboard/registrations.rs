//! Registrations through onboarding QR codes: a new employee's form becomes a user at
//! once, or waits as pending until an admin approves or rejects it.

use roomd_core::directory::{User, UserPatch};
use roomd_core::onboarding::{
    Registration, RegistrationForm, RegistrationState, Violation, numeric_id, preset_department,
};
use roomd_core::{Caller, DeptId, DomainError, UserId};

use crate::db::work;
use crate::departments::dept_exists;
use crate::directory::insert_user;
use crate::onboarding::{decode_values, encode_values, find_scanned, needs_approval};
use crate::rows::{int, opt_int, opt_text, text};
use crate::sql::{Conn, Row, query};
use crate::{Store, StoreError, StoreResult};

const REG_COLUMNS: &str = "id, qr_code_id, name, account, phone, email, password_hash, face_file, department_id, \
                           dimension_values, state, user_id, reason, created_ms, decided_ms";

impl Store {
    /// Registers through the code behind `sign_key`. Every refusal is said per field of
    /// the form, so the page can show it next to what was typed.
    pub async fn register(
        &self,
        sign_key: String,
        form: RegistrationForm,
        face_file: Option<String>,
    ) -> StoreResult<Registration> {
        form.check().map_err(DomainError::Violations)?;
        let now = self.now_ms();
        let events = self.event_render();
        // A code that takes no registration is refused before any password is hashed.
        let key = sign_key.clone();
        self.read(work!(|conn| live_code(conn, &key).await.map(drop))).await?;
        let hash = crate::passwords::hash(form.password.clone()).await?;
        self.write(work!(|conn| {
            let scanned = live_code(conn, &sign_key).await?;
            let company = scanned.company.as_str().to_string();
            check_free(conn, &company, &form).await?;
            let mut department = preset_department(&scanned.code.values);
            if let Some(d) = &department
                && !dept_exists(conn, &company, d).await?
            {
                department = None;
            }
            let mut reg = Registration {
                id: numeric_id(now),
                qr_code: scanned.code.id.clone(),
                name: form.name.trim().to_string(),
                account: form.account.trim().to_string(),
                phone: form.phone.trim().to_string(),
                email: form.email.trim().to_string(),
                department,
                values: scanned.code.values.clone(),
                state: RegistrationState::Pending,
                user: None,
                reason: String::new(),
                created_ms: now,
                decided_ms: None,
            };
            if !needs_approval(conn, &company).await? {
                let user = user_of(&reg, face_file.clone(), now)?;
                insert_user(conn, &events, &company, &user, Some(hash.clone()), now).await?;
                (reg.state, reg.user, reg.decided_ms) = (RegistrationState::Approved, Some(user.id), Some(now));
            }
            query(format!(
                "INSERT INTO onboarding_registrations (company_id, {REG_COLUMNS}) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, '', $14, $15)"
            ))
            .bind(company.as_str())
            .bind(reg.id.as_str())
            .bind(reg.qr_code.as_str())
            .bind(reg.name.as_str())
            .bind(reg.account.as_str())
            .bind(reg.phone.as_str())
            .bind(reg.email.as_str())
            .bind(hash)
            .bind(face_file)
            .bind(reg.department.as_ref().map(|d| d.as_str().to_string()))
            .bind(encode_values(&reg.values))
            .bind(reg.state as i64)
            .bind(reg.user.as_ref().map(|u| u.as_str().to_string()))
            .bind(now)
            .bind(reg.decided_ms)
            .execute(conn)
            .await?;
            Ok(reg)
        }))
        .await
    }

    /// The company's registrations, newest first; optionally one code's, or one state's.
    pub async fn registrations(
        &self,
        caller: &Caller,
        qr_code: Option<String>,
        state: Option<RegistrationState>,
    ) -> StoreResult<Vec<Registration>> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| {
            if let Some(code) = &qr_code {
                let found: Option<String> =
                    query("SELECT id FROM onboarding_qr_codes WHERE company_id = $1 AND id = $2")
                        .bind(company.as_str())
                        .bind(code.as_str())
                        .scalar(conn)
                        .await?;
                found.ok_or(DomainError::QrCodeNotExist)?;
            }
            let sql = format!(
                "SELECT {REG_COLUMNS} FROM onboarding_registrations WHERE company_id = $1 \
                 AND ($2 IS NULL OR qr_code_id = $2) AND ($3 IS NULL OR state = $3) \
                 ORDER BY created_ms DESC, id DESC"
            );
            let rows = query(sql).bind(company).bind(qr_code).bind(state.map(|s| s as i64)).fetch_all(conn).await?;
            rows.iter().map(registration_from_row).collect()
        }))
        .await
    }

    /// Approves (creates the user, emits `user_add`) or rejects a pending registration.
    pub async fn decide_registration(
        &self,
        caller: &Caller,
        id: String,
        approve: bool,
        reason: String,
    ) -> StoreResult<Registration> {
        let (company, now) = (caller.company.as_str().to_string(), self.now_ms());
        let events = self.event_render();
        self.write(work!(|conn| {
            let sql = format!("SELECT {REG_COLUMNS} FROM onboarding_registrations WHERE company_id = $1 AND id = $2");
            let row = query(sql).bind(company.as_str()).bind(id.as_str()).fetch_optional(conn).await?;
            let row = row.ok_or(DomainError::RegistrationNotExist)?;
            let mut reg = registration_from_row(&row)?;
            if reg.state != RegistrationState::Pending {
                return Err(DomainError::RegistrationDecided.into());
            }
            if approve {
                if let Some(d) = &reg.department
                    && !dept_exists(conn, &company, d).await?
                {
                    reg.department = None;
                }
                let user = user_of(&reg, opt_text(&row, "face_file")?, now)?;
                insert_user(conn, &events, &company, &user, Some(text(&row, "password_hash")?), now).await?;
                (reg.state, reg.user) = (RegistrationState::Approved, Some(user.id));
            } else {
                (reg.state, reg.reason) = (RegistrationState::Rejected, reason);
            }
            reg.decided_ms = Some(now);
            query(
                "UPDATE onboarding_registrations SET state = $3, user_id = $4, reason = $5, decided_ms = $6, \
                 department_id = $7 WHERE company_id = $1 AND id = $2",
            )
            .bind(company.as_str())
            .bind(reg.id.as_str())
            .bind(reg.state as i64)
            .bind(reg.user.as_ref().map(|u| u.as_str().to_string()))
            .bind(reg.reason.as_str())
            .bind(now)
            .bind(reg.department.as_ref().map(|d| d.as_str().to_string()))
            .execute(conn)
            .await?;
            Ok(reg)
        }))
        .await
    }
}

fn user_of(reg: &Registration, face_file: Option<String>, now: i64) -> StoreResult<User> {
    let patch = UserPatch {
        name: Some(reg.name.clone()),
        account: Some(reg.account.clone()),
        phone: Some(reg.phone.clone()),
        email: Some(reg.email.clone()),
        department: Some(reg.department.clone()),
        ..UserPatch::default()
    };
    let mut user = User::create(UserId::generate(), patch, now)?;
    user.face_file = face_file;
    user.dimensions = reg.values.clone();
    Ok(user)
}

/// Account, phone and email are used by no live user and no pending registration.
async fn check_free(conn: &mut Conn<'_>, company: &str, form: &RegistrationForm) -> StoreResult<()> {
    let mut taken = Vec::new();
    for (column, value) in [("account", &form.account), ("phone", &form.phone), ("email", &form.email)] {
        let sql = format!(
            "SELECT 1 FROM users WHERE company_id = $1 AND {column} = $2 AND removed_ms IS NULL \
             UNION ALL SELECT 1 FROM onboarding_registrations WHERE company_id = $1 AND {column} = $2 AND state = 0"
        );
        let used: Option<i64> = query(sql).bind(company).bind(value.trim()).scalar(conn).await?;
        if used.is_some() {
            taken.push(Violation::new(column, format!("this {column} is already registered")));
        }
    }
    if taken.is_empty() { Ok(()) } else { Err(DomainError::Violations(taken).into()) }
}

fn violation(field: &str, why: &str) -> StoreError {
    DomainError::Violations(vec![Violation::new(field, why)]).into()
}

fn registration_from_row(row: &Row) -> StoreResult<Registration> {
    let state = int(row, "state")?;
    Ok(Registration {
        id: text(row, "id")?,
        qr_code: text(row, "qr_code_id")?,
        name: text(row, "name")?,
        account: text(row, "account")?,
        phone: text(row, "phone")?,
        email: text(row, "email")?,
        department: opt_text(row, "department_id")?.map(DeptId::from_stored),
        values: decode_values(&text(row, "dimension_values")?)?,
        state: RegistrationState::from_code(state)
            .ok_or_else(|| StoreError::Internal(format!("registration state {state}")))?,
        user: opt_text(row, "user_id")?.map(UserId::from_stored),
        reason: text(row, "reason")?,
        created_ms: int(row, "created_ms")?,
        decided_ms: opt_int(row, "decided_ms")?,
    })
}

/// The scanned code behind `sign_key`, if it takes registrations.
async fn live_code(conn: &mut Conn<'_>, sign_key: &str) -> StoreResult<crate::ScannedCode> {
    let Some(scanned) = find_scanned(conn, sign_key).await? else {
        return Err(DomainError::QrCodeNotExist.into());
    };
    if !scanned.code.active {
        return Err(violation("qr_code", "this QR code has been deactivated"));
    }
    Ok(scanned)
}
