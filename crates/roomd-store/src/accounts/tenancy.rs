//! Companies (tenants), their app credentials, and access tokens.

use chrono_tz::Tz;
use roomd_core::secret::{self, TOKEN_REUSE_MIN_LEFT_MS, TOKEN_TTL_MS};
use roomd_core::{Actor, Caller, CompanyId, DomainError};

use crate::db::work;
use crate::rows::{int, text};
use crate::sql::{Conn, query};
use crate::{Store, StoreResult};

/// The company every fresh install starts with.
pub const FIRST_COMPANY: &str = "1000";

/// An app credential; `appsecret` is shown once and stored only as a hash.
#[derive(Debug, Clone)]
pub struct AppCredential {
    pub company: CompanyId,
    pub appkey: String,
    pub appsecret: String,
}

/// What the very first start created.
#[derive(Debug, Clone)]
pub struct FirstStart {
    pub credential: AppCredential,
}

#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub token: String,
    pub company: CompanyId,
    pub expires_in_ms: i64,
}

impl Store {
    /// On an empty database: company `1000`, its `admin` user (id `1`, no password yet)
    /// and one app credential. `None` when the database already has a company.
    pub async fn first_start(&self) -> StoreResult<Option<FirstStart>> {
        let now = self.now_ms();
        self.write(work!(|conn| {
            let any: Option<String> = query("SELECT id FROM companies LIMIT 1").scalar(conn).await?;
            if any.is_some() {
                return Ok(None);
            }
            let company = CompanyId::from_stored(FIRST_COMPANY.to_string());
            insert_company(conn, &company, "roomd", now).await?;
            query(
                "INSERT INTO users (company_id, id, name, account, password_hash, phone, position, email, \
                 memo, department_id, is_admin, enabled, face_file, created_ms, updated_ms) \
                 VALUES ($1, '1', 'admin', 'admin', NULL, '', '', '', '', NULL, 1, 1, NULL, $2, $2)",
            )
            .bind(company.as_str().to_string())
            .bind(now)
            .execute(conn)
            .await?;
            let credential = insert_app(conn, &company, now).await?;
            Ok(Some(FirstStart { credential }))
        }))
        .await
    }

    /// Creates a company (the next free number when `id` is `None`) or, when `id` names
    /// one that exists, leaves it as it is. Returns its id.
    pub async fn create_company(&self, id: Option<CompanyId>, name: String) -> StoreResult<CompanyId> {
        let now = self.now_ms();
        self.write(work!(|conn| {
            let id = match id {
                Some(id) => {
                    let found: Option<String> = query("SELECT id FROM companies WHERE id = $1")
                        .bind(id.as_str().to_string())
                        .scalar(conn)
                        .await?;
                    if found.is_some() {
                        return Ok(id);
                    }
                    id
                }
                None => next_company_id(conn).await?,
            };
            insert_company(conn, &id, &name, now).await?;
            Ok(id)
        }))
        .await
    }

    /// A new appkey/appsecret pair for an existing company.
    pub async fn create_app(&self, company: CompanyId) -> StoreResult<AppCredential> {
        let now = self.now_ms();
        self.write(work!(|conn| {
            let found: Option<String> =
                query("SELECT id FROM companies WHERE id = $1").bind(company.as_str().to_string()).scalar(conn).await?;
            if found.is_none() {
                return Err(DomainError::invalid("company", "no such company").into());
            }
            insert_app(conn, &company, now).await
        }))
        .await
    }

    /// `gettoken`: the current token when it has more than 30 minutes left, else a new one.
    /// The credential is checked on a read connection first: a wrong one, or a token given
    /// again, never waits for (or holds up) the writer.
    pub async fn issue_token(&self, appkey: String, appsecret: String) -> StoreResult<IssuedToken> {
        let now = self.now_ms();
        let (key, secret) = (appkey.clone(), appsecret.clone());
        let found = self.read(work!(|conn| current_token(conn, &key, &secret, now).await)).await?;
        if let (_, Some(token)) = found {
            return Ok(token);
        }
        self.write_keeping_directory(work!(|conn| {
            // Checked again: the credential may have been revoked since the read.
            let company = match current_token(conn, &appkey, &appsecret, now).await? {
                (_, Some(token)) => return Ok(token),
                (company, None) => company,
            };
            let nonce = secret::new_nonce();
            let token = secret::derive_token(&appsecret, &nonce);
            query(
                "INSERT INTO access_tokens (token_hash, appkey, company_id, nonce, issued_ms, expires_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(secret::sha256_hex(&token))
            .bind(appkey.clone())
            .bind(company.as_str().to_string())
            .bind(nonce)
            .bind(now)
            .bind(now + TOKEN_TTL_MS)
            .execute(conn)
            .await?;
            // Expired tokens are kept a day, so that using one says "expired", not "illegal".
            query("DELETE FROM access_tokens WHERE appkey = $1 AND expires_ms < $2")
                .bind(appkey)
                .bind(now - 86_400_000)
                .execute(conn)
                .await?;
            Ok(IssuedToken { token, company, expires_in_ms: TOKEN_TTL_MS })
        }))
        .await
    }

    /// Who holds `token`, with the token's expiry (epoch ms).
    pub async fn authenticate(&self, token: String) -> StoreResult<(Caller, i64)> {
        let now = self.now_ms();
        self.read(work!(|conn| {
            let row = query(
                "SELECT t.company_id, t.appkey, t.expires_ms, c.time_zone \
                 FROM access_tokens t JOIN companies c ON c.id = t.company_id WHERE t.token_hash = $1",
            )
            .bind(secret::sha256_hex(&token))
            .fetch_optional(conn)
            .await?;
            let Some(row) = row else { return Err(DomainError::IllegalToken.into()) };
            let expires_ms = int(&row, "expires_ms")?;
            if expires_ms <= now {
                return Err(DomainError::ExpiredToken.into());
            }
            let tz: Tz = text(&row, "time_zone")?.parse().unwrap_or(chrono_tz::Asia::Shanghai);
            let caller = Caller {
                company: CompanyId::from_stored(text(&row, "company_id")?),
                tz,
                actor: Actor::App(text(&row, "appkey")?),
            };
            Ok((caller, expires_ms))
        }))
        .await
    }
}

async fn insert_company(conn: &mut Conn<'_>, id: &CompanyId, name: &str, now: i64) -> StoreResult<()> {
    query("INSERT INTO companies (id, name, time_zone, created_ms) VALUES ($1, $2, 'Asia/Shanghai', $3)")
        .bind(id.as_str().to_string())
        .bind(name.to_string())
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

async fn next_company_id(conn: &mut Conn<'_>) -> StoreResult<CompanyId> {
    let ids: Vec<String> = query("SELECT id FROM companies").scalars(conn).await?;
    let highest = ids.iter().filter_map(|id| id.parse::<u64>().ok()).max().unwrap_or(999);
    Ok(CompanyId::from_stored((highest + 1).to_string()))
}

async fn insert_app(conn: &mut Conn<'_>, company: &CompanyId, now: i64) -> StoreResult<AppCredential> {
    let appkey = secret::new_appkey(company.as_str());
    let appsecret = secret::new_appsecret();
    query("INSERT INTO apps (appkey, company_id, secret_hash, created_ms) VALUES ($1, $2, $3, $4)")
        .bind(appkey.clone())
        .bind(company.as_str().to_string())
        .bind(secret::sha256_hex(&appsecret))
        .bind(now)
        .execute(conn)
        .await?;
    Ok(AppCredential { company: company.clone(), appkey, appsecret })
}

/// The company of a live credential (71023 otherwise), and its current token when that
/// has more than 30 minutes left.
async fn current_token(
    conn: &mut Conn<'_>,
    appkey: &str,
    appsecret: &str,
    now: i64,
) -> StoreResult<(CompanyId, Option<IssuedToken>)> {
    let row = query("SELECT company_id, secret_hash FROM apps WHERE appkey = $1 AND revoked_ms IS NULL")
        .bind(appkey)
        .fetch_optional(conn)
        .await?;
    let Some(row) = row else { return Err(DomainError::InvalidCredentials.into()) };
    if !secret::constant_time_eq(&text(&row, "secret_hash")?, &secret::sha256_hex(appsecret)) {
        return Err(DomainError::InvalidCredentials.into());
    }
    let company = CompanyId::from_stored(text(&row, "company_id")?);
    let current = query(
        "SELECT token_hash, nonce, expires_ms FROM access_tokens \
         WHERE appkey = $1 AND expires_ms > $2 ORDER BY expires_ms DESC LIMIT 1",
    )
    .bind(appkey)
    .bind(now + TOKEN_REUSE_MIN_LEFT_MS)
    .fetch_optional(conn)
    .await?;
    if let Some(row) = current {
        let token = secret::derive_token(appsecret, &text(&row, "nonce")?);
        if secret::sha256_hex(&token) == text(&row, "token_hash")? {
            let expires_in_ms = int(&row, "expires_ms")? - now;
            return Ok((company.clone(), Some(IssuedToken { token, company, expires_in_ms })));
        }
    }
    Ok((company, None))
}
