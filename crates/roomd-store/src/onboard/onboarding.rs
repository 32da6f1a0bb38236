//! Onboarding QR codes: a company's dimensions and its approval setting, and the codes.
//! Registrations are in `registrations.rs`.

use roomd_core::onboarding::{
    BUILTIN_COMPANY, BUILTIN_DEPARTMENT, DimOption, Dimension, DimensionKind, DimensionValue, I18n, QrCode, RawValue,
    Value, check_dimensions, check_values, numeric_id,
};
use roomd_core::{Caller, CompanyId, DomainError, secret};
use serde_json::{Value as Json, json};

use crate::db::work;
use crate::rows::{flag, int, text};
use crate::sql::{Conn, Row, query};
use crate::{Store, StoreError, StoreResult};

const QR_COLUMNS: &str = "id, sign_key, active, created_by, updated_by, created_ms, updated_ms, dimension_values";

/// A code found by the key in its links, with what its public pages show.
#[derive(Debug, Clone)]
pub struct ScannedCode {
    pub company: CompanyId,
    pub company_name: String,
    pub code: QrCode,
    pub dimensions: Vec<Dimension>,
}

/// A code in the management list, with how many registered through it.
#[derive(Debug, Clone)]
pub struct QrCodeSummary {
    pub code: QrCode,
    pub registrations: i64,
    pub pending: i64,
}

impl Store {
    /// The company's dimensions, the built-in ones with their options from the directory.
    pub async fn onboarding_dimensions(&self, caller: &Caller) -> StoreResult<Vec<Dimension>> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| load_dimensions(conn, &company).await)).await
    }

    /// Replaces the company's whole set of dimensions. Codes already made keep the values
    /// they were made with.
    pub async fn save_onboarding_dimensions(
        &self,
        caller: &Caller,
        dims: Vec<Dimension>,
    ) -> StoreResult<Vec<Dimension>> {
        check_dimensions(&dims).map_err(DomainError::Violations)?;
        let company = caller.company.as_str().to_string();
        self.write(work!(|conn| {
            query("DELETE FROM onboarding_dimensions WHERE company_id = $1")
                .bind(company.as_str())
                .execute(conn)
                .await?;
            for (position, d) in dims.iter().enumerate() {
                query(
                    "INSERT INTO onboarding_dimensions (company_id, api_name, position, zh_cn, en_us, kind, options) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(company.as_str())
                .bind(d.api_name.as_str())
                .bind(position as i64)
                .bind(d.display_name.zh_cn.as_str())
                .bind(d.display_name.en_us.as_str())
                .bind(d.kind as i64)
                .bind(encode_options(&d.options))
                .execute(conn)
                .await?;
            }
            load_dimensions(conn, &company).await
        }))
        .await
    }

    /// Whether registrations wait for an admin's approval (default: no).
    pub async fn onboarding_needs_approval(&self, caller: &Caller) -> StoreResult<bool> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| needs_approval(conn, &company).await)).await
    }

    pub async fn set_onboarding_approval(&self, caller: &Caller, need: bool) -> StoreResult<()> {
        let (company, now) = (caller.company.as_str().to_string(), self.now_ms());
        self.write(work!(|conn| {
            query(
                "INSERT INTO onboarding_settings (company_id, need_approval, updated_ms) VALUES ($1, $2, $3) \
                 ON CONFLICT (company_id) DO UPDATE SET need_approval = excluded.need_approval, \
                 updated_ms = excluded.updated_ms",
            )
            .bind(company)
            .bind(i64::from(need))
            .bind(now)
            .execute(conn)
            .await?;
            Ok(())
        }))
        .await
    }

    /// Creates a code presetting `values` (checked against the dimensions: 1161001 /
    /// 71001 per field; none defined at all: 1161002 / 71030).
    pub async fn create_qr_code(
        &self,
        caller: &Caller,
        by: String,
        values: Vec<RawValue>,
    ) -> StoreResult<(QrCode, Vec<Dimension>)> {
        let (company, now) = (caller.company.as_str().to_string(), self.now_ms());
        self.write(work!(|conn| {
            let dims = load_dimensions(conn, &company).await?;
            if dims.is_empty() {
                return Err(DomainError::NoDimensions.into());
            }
            let values = check_values(&values, &dims).map_err(DomainError::Violations)?;
            let code = QrCode {
                id: numeric_id(now),
                sign_key: secret::alphanumeric(48),
                active: true,
                created_by: by.clone(),
                updated_by: by,
                created_ms: now,
                updated_ms: now,
                values,
            };
            query(format!(
                "INSERT INTO onboarding_qr_codes (company_id, {QR_COLUMNS}) VALUES ($1, $2, $3, 1, $4, $5, $6, $6, $7)"
            ))
            .bind(company.as_str())
            .bind(code.id.as_str())
            .bind(code.sign_key.as_str())
            .bind(code.created_by.as_str())
            .bind(code.updated_by.as_str())
            .bind(now)
            .bind(encode_values(&code.values))
            .execute(conn)
            .await?;
            Ok((code, dims))
        }))
        .await
    }

    /// The company's codes, newest first, with their registration counts.
    pub async fn qr_codes(&self, caller: &Caller) -> StoreResult<Vec<QrCodeSummary>> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| {
            let sql = format!(
                "SELECT {QR_COLUMNS}, \
                 (SELECT COUNT(*) FROM onboarding_registrations r WHERE r.company_id = q.company_id \
                  AND r.qr_code_id = q.id) AS registrations, \
                 (SELECT COUNT(*) FROM onboarding_registrations r WHERE r.company_id = q.company_id \
                  AND r.qr_code_id = q.id AND r.state = 0) AS pending \
                 FROM onboarding_qr_codes q WHERE company_id = $1 ORDER BY created_ms DESC, id DESC"
            );
            let rows = query(sql).bind(company).fetch_all(conn).await?;
            rows.iter()
                .map(|row| {
                    Ok(QrCodeSummary {
                        code: code_from_row(row)?,
                        registrations: int(row, "registrations")?,
                        pending: int(row, "pending")?,
                    })
                })
                .collect()
        }))
        .await
    }

    pub async fn qr_code(&self, caller: &Caller, id: String) -> StoreResult<(QrCode, Vec<Dimension>)> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| Ok((load_code(conn, &company, &id).await?, load_dimensions(conn, &company).await?))))
            .await
    }

    /// Turns a code off (its page then says so, and nobody can register through it) or on.
    pub async fn set_qr_code_active(
        &self,
        caller: &Caller,
        by: String,
        id: String,
        active: bool,
    ) -> StoreResult<QrCode> {
        let (company, now) = (caller.company.as_str().to_string(), self.now_ms());
        self.write(work!(|conn| {
            let changed = query(
                "UPDATE onboarding_qr_codes SET active = $3, updated_by = $4, updated_ms = $5 \
                 WHERE company_id = $1 AND id = $2",
            )
            .bind(company.as_str())
            .bind(id.as_str())
            .bind(i64::from(active))
            .bind(by)
            .bind(now)
            .execute(conn)
            .await?;
            if changed == 0 {
                return Err(DomainError::QrCodeNotExist.into());
            }
            load_code(conn, &company, &id).await
        }))
        .await
    }

    /// The code behind a scan link, whichever company it belongs to.
    pub async fn scanned_code(&self, sign_key: String) -> StoreResult<Option<ScannedCode>> {
        self.read(work!(|conn| find_scanned(conn, &sign_key).await)).await
    }
}

pub(crate) async fn find_scanned(conn: &mut Conn<'_>, sign_key: &str) -> StoreResult<Option<ScannedCode>> {
    let sql = format!(
        "SELECT q.company_id, c.name AS company_name, {} FROM onboarding_qr_codes q \
         JOIN companies c ON c.id = q.company_id WHERE q.sign_key = $1",
        crate::rows::qualified(QR_COLUMNS, "q")
    );
    let Some(row) = query(sql).bind(sign_key).fetch_optional(conn).await? else { return Ok(None) };
    let company = text(&row, "company_id")?;
    let dimensions = load_dimensions(conn, &company).await?;
    Ok(Some(ScannedCode {
        company: CompanyId::from_stored(company),
        company_name: text(&row, "company_name")?,
        code: code_from_row(&row)?,
        dimensions,
    }))
}

pub(crate) async fn needs_approval(conn: &mut Conn<'_>, company: &str) -> StoreResult<bool> {
    let need: Option<i64> =
        query("SELECT need_approval FROM onboarding_settings WHERE company_id = $1").bind(company).scalar(conn).await?;
    Ok(need == Some(1))
}

async fn load_code(conn: &mut Conn<'_>, company: &str, id: &str) -> StoreResult<QrCode> {
    let sql = format!("SELECT {QR_COLUMNS} FROM onboarding_qr_codes WHERE company_id = $1 AND id = $2");
    let row = query(sql).bind(company).bind(id).fetch_optional(conn).await?;
    row.as_ref().map(code_from_row).transpose()?.ok_or(DomainError::QrCodeNotExist.into())
}

async fn load_dimensions(conn: &mut Conn<'_>, company: &str) -> StoreResult<Vec<Dimension>> {
    let rows = query(
        "SELECT api_name, zh_cn, en_us, kind, options FROM onboarding_dimensions WHERE company_id = $1 ORDER BY position",
    )
    .bind(company)
    .fetch_all(conn)
    .await?;
    let mut dims = Vec::with_capacity(rows.len());
    for row in &rows {
        let api_name = text(row, "api_name")?;
        let options = match api_name.as_str() {
            BUILTIN_COMPANY => company_option(conn, company).await?,
            BUILTIN_DEPARTMENT => department_options(conn, company).await?,
            _ => decode_options(&text(row, "options")?)?,
        };
        let kind = DimensionKind::from_code(int(row, "kind")?)
            .ok_or_else(|| StoreError::Internal(format!("dimension {api_name}: unknown kind")))?;
        dims.push(Dimension {
            display_name: I18n { zh_cn: text(row, "zh_cn")?, en_us: text(row, "en_us")? },
            api_name,
            kind,
            options,
        });
    }
    Ok(dims)
}

async fn company_option(conn: &mut Conn<'_>, company: &str) -> StoreResult<Vec<DimOption>> {
    let name: Option<String> = query("SELECT name FROM companies WHERE id = $1").bind(company).scalar(conn).await?;
    let name = name.unwrap_or_default();
    Ok(vec![DimOption { value: company.to_string(), name: I18n { zh_cn: name.clone(), en_us: name } }])
}

async fn department_options(conn: &mut Conn<'_>, company: &str) -> StoreResult<Vec<DimOption>> {
    let rows =
        query("SELECT id, name FROM departments WHERE company_id = $1 AND removed_ms IS NULL ORDER BY created_ms, id")
            .bind(company)
            .fetch_all(conn)
            .await?;
    rows.iter()
        .map(|row| {
            let name = text(row, "name")?;
            Ok(DimOption { value: text(row, "id")?, name: I18n { zh_cn: name.clone(), en_us: name } })
        })
        .collect()
}

fn code_from_row(row: &Row) -> StoreResult<QrCode> {
    Ok(QrCode {
        id: text(row, "id")?,
        sign_key: text(row, "sign_key")?,
        active: flag(row, "active")?,
        created_by: text(row, "created_by")?,
        updated_by: text(row, "updated_by")?,
        created_ms: int(row, "created_ms")?,
        updated_ms: int(row, "updated_ms")?,
        values: decode_values(&text(row, "dimension_values")?)?,
    })
}

fn encode_options(options: &[DimOption]) -> String {
    Json::Array(
        options.iter().map(|o| json!({"value": o.value, "zh_cn": o.name.zh_cn, "en_us": o.name.en_us})).collect(),
    )
    .to_string()
}

fn decode_options(stored: &str) -> StoreResult<Vec<DimOption>> {
    let list: Vec<Json> = serde_json::from_str(stored).map_err(corrupt)?;
    Ok(list
        .iter()
        .map(|o| DimOption {
            value: o["value"].as_str().unwrap_or_default().to_string(),
            name: I18n {
                zh_cn: o["zh_cn"].as_str().unwrap_or_default().to_string(),
                en_us: o["en_us"].as_str().unwrap_or_default().to_string(),
            },
        })
        .collect())
}

/// Dimension values as stored (on codes, registrations and users): Feishu's own shape.
pub(crate) fn encode_values(values: &[DimensionValue]) -> String {
    Json::Array(
        values
            .iter()
            .map(|v| {
                let value = match &v.value {
                    Value::Select(s) => json!({"select_value": s}),
                    Value::Multi(list) => json!({"multi_select_value": list}),
                    Value::Bool(b) => json!({"bool_value": b}),
                };
                json!({"api_name": v.api_name, "value": value})
            })
            .collect(),
    )
    .to_string()
}

pub(crate) fn decode_values(stored: &str) -> StoreResult<Vec<DimensionValue>> {
    let list: Vec<Json> = serde_json::from_str(stored).map_err(corrupt)?;
    list.iter()
        .map(|v| {
            let api_name = v["api_name"].as_str().unwrap_or_default().to_string();
            let value = &v["value"];
            let value = if let Some(s) = value["select_value"].as_str() {
                Value::Select(s.to_string())
            } else if let Some(list) = value["multi_select_value"].as_array() {
                Value::Multi(list.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
            } else if let Some(b) = value["bool_value"].as_bool() {
                Value::Bool(b)
            } else {
                return Err(StoreError::Internal(format!("stored value of {api_name} has no known kind")));
            };
            Ok(DimensionValue { api_name, value })
        })
        .collect()
}

fn corrupt(e: serde_json::Error) -> StoreError {
    StoreError::Internal(format!("stored onboarding JSON: {e}"))
}
