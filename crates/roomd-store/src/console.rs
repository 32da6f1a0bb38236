//! The web console's accounts: one-time links that set an admin's password, sessions
//! (only hashes of the cookie are kept, with the session's form token), and lockout
//! after repeated failed sign-ins.

use chrono_tz::Tz;
use roomd_core::directory::User;
use roomd_core::secret::{alphanumeric, hash_password, sha256_hex};
use roomd_core::{Actor, Caller, CompanyId, DomainError, UserId};

use crate::directory::load_user;
use crate::rows::{int, text};
use crate::sql::query;
use crate::{Store, StoreError, StoreResult};

const SETUP_LINK_MS: i64 = 24 * 3_600_000;
const SESSION_MS: i64 = 12 * 3_600_000;
/// Failed sign-ins before an account is locked, and for how long.
pub const MAX_FAILURES: i64 = 5;
const LOCK_MS: i64 = 15 * 60_000;

/// A signed-in admin: who, for which company, and the token every form must carry.
#[derive(Debug, Clone)]
pub struct ConsoleSession {
    pub caller: Caller,
    pub user: User,
    pub csrf: String,
}

/// Why a sign-in failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInRefused {
    /// Wrong company, account or password, or not an enabled admin.
    Invalid,
    /// Too many failures: try again after `until_ms`.
    Locked { until_ms: i64 },
}

impl Store {
    /// A one-time link token (valid a day) to set `user`'s password.
    pub async fn create_setup_link(&self, company: CompanyId, user: UserId) -> StoreResult<String> {
        let now = self.now_ms();
        let token = alphanumeric(40);
        let hash = sha256_hex(&token);
        self.write(Box::new(move |conn| {
            Box::pin(async move {
                query(
                    "INSERT INTO setup_links (token_hash, company_id, user_id, created_ms, expires_ms) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(hash)
                .bind(company.as_str())
                .bind(user.as_str())
                .bind(now)
                .bind(now + SETUP_LINK_MS)
                .execute(conn)
                .await?;
                Ok(())
            })
        }))
        .await?;
        Ok(token)
    }

    /// Whether a setup link is live (unused, unexpired); the company and user it is for.
    pub async fn setup_link_user(&self, token: String) -> StoreResult<Option<(CompanyId, User)>> {
        let now = self.now_ms();
        self.read(Box::new(move |conn| {
            Box::pin(async move {
                let row = query(
                    "SELECT company_id, user_id FROM setup_links WHERE token_hash = $1 AND used_ms IS NULL AND expires_ms > $2",
                )
                .bind(sha256_hex(&token))
                .bind(now)
                .fetch_optional(conn)
                .await?;
                let Some(row) = row else { return Ok(None) };
                let (company, user) = (text(&row, "company_id")?, UserId::from_stored(text(&row, "user_id")?));
                let user = load_user(conn, &company, &user).await?;
                Ok(Some((CompanyId::from_stored(company), user)))
            })
        }))
        .await
    }

    /// Uses a setup link: sets the password (at least 8 characters) and makes the user
    /// an enabled admin. The link works once.
    pub async fn use_setup_link(&self, token: String, password: String) -> StoreResult<User> {
        if password.chars().count() < 8 {
            return Err(DomainError::invalid("password", "at least 8 characters").into());
        }
        let now = self.now_ms();
        let hash = tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| StoreError::Internal(format!("password hashing: {e}")))?;
        self.write(Box::new(move |conn| {
            Box::pin(async move {
                let row = query(
                    "UPDATE setup_links SET used_ms = $2 WHERE token_hash = $1 AND used_ms IS NULL AND expires_ms > $2 \
                     RETURNING company_id, user_id",
                )
                .bind(sha256_hex(&token))
                .bind(now)
                .fetch_optional(conn)
                .await?
                .ok_or(DomainError::invalid("token", "this link was used or has expired"))?;
                let (company, user) = (text(&row, "company_id")?, text(&row, "user_id")?);
                query(
                    "UPDATE users SET password_hash = $3, is_admin = 1, enabled = 1, updated_ms = $4 \
                     WHERE company_id = $1 AND id = $2 AND removed_ms IS NULL",
                )
                .bind(company.as_str())
                .bind(user.as_str())
                .bind(hash)
                .bind(now)
                .execute(conn)
                .await?;
                load_user(conn, &company, &UserId::from_stored(user)).await
            })
        }))
        .await
    }

    /// Signs an enabled admin in: a new session cookie token, or why not.
    pub async fn console_sign_in(
        &self,
        company: String,
        account: String,
        password: String,
    ) -> StoreResult<Result<String, SignInRefused>> {
        let now = self.now_ms();
        let (c, a) = (company.clone(), account.clone());
        let locked_until: Option<i64> = self
            .read(Box::new(move |conn| {
                Box::pin(async move {
                    query("SELECT locked_until FROM console_failures WHERE company_id = $1 AND account = $2")
                        .bind(c)
                        .bind(a)
                        .scalar(conn)
                        .await
                })
            }))
            .await?;
        if let Some(until_ms) = locked_until.filter(|until| *until > now) {
            return Ok(Err(SignInRefused::Locked { until_ms }));
        }
        let caller = Caller {
            company: CompanyId::from_stored(company.clone()),
            tz: chrono_tz::Asia::Shanghai,
            actor: Actor::Console(String::new()),
        };
        let user = self.check_password(&caller, account.clone(), password).await?.filter(|u| u.is_admin && u.enabled);
        let token = alphanumeric(40);
        let (hash, csrf) = (sha256_hex(&token), alphanumeric(32));
        let signed_in = user.is_some();
        self.write(Box::new(move |conn| {
            Box::pin(async move {
                if let Some(user) = user {
                    query("DELETE FROM console_failures WHERE company_id = $1 AND account = $2")
                        .bind(company.as_str())
                        .bind(account.as_str())
                        .execute(conn)
                        .await?;
                    query(
                        "INSERT INTO console_sessions (token_hash, company_id, user_id, csrf, created_ms, expires_ms) \
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(hash)
                    .bind(company.as_str())
                    .bind(user.id.as_str())
                    .bind(csrf)
                    .bind(now)
                    .bind(now + SESSION_MS)
                    .execute(conn)
                    .await?;
                } else {
                    // Counted whether or not the account exists, so failures say nothing.
                    query(
                        "INSERT INTO console_failures (company_id, account, failures, locked_until, updated_ms) \
                         VALUES ($1, $2, 1, 0, $3) ON CONFLICT (company_id, account) DO UPDATE SET \
                         failures = console_failures.failures + 1, updated_ms = excluded.updated_ms, \
                         locked_until = CASE WHEN console_failures.failures + 1 >= $4 THEN $5 ELSE 0 END",
                    )
                    .bind(company.as_str())
                    .bind(account.as_str())
                    .bind(now)
                    .bind(MAX_FAILURES)
                    .bind(now + LOCK_MS)
                    .execute(conn)
                    .await?;
                }
                Ok(())
            })
        }))
        .await?;
        Ok(if signed_in { Ok(token) } else { Err(SignInRefused::Invalid) })
    }

    /// The session behind a cookie token, if live and its user still an enabled admin.
    pub async fn console_session(&self, token: String) -> StoreResult<Option<ConsoleSession>> {
        let now = self.now_ms();
        self.read(Box::new(move |conn| {
            Box::pin(async move {
                let row = query(
                    "SELECT s.company_id, s.user_id, s.csrf, c.time_zone FROM console_sessions s \
                     JOIN companies c ON c.id = s.company_id WHERE s.token_hash = $1 AND s.expires_ms > $2",
                )
                .bind(sha256_hex(&token))
                .bind(now)
                .fetch_optional(conn)
                .await?;
                let Some(row) = row else { return Ok(None) };
                let company = text(&row, "company_id")?;
                let Ok(user) = load_user(conn, &company, &UserId::from_stored(text(&row, "user_id")?)).await else {
                    return Ok(None);
                };
                if !(user.is_admin && user.enabled) {
                    return Ok(None);
                }
                let tz: Tz = text(&row, "time_zone")?.parse().unwrap_or(chrono_tz::Asia::Shanghai);
                let caller =
                    Caller { company: CompanyId::from_stored(company), tz, actor: Actor::Console(user.id.to_string()) };
                Ok(Some(ConsoleSession { caller, user, csrf: text(&row, "csrf")? }))
            })
        }))
        .await
    }

    pub async fn console_sign_out(&self, token: String) -> StoreResult<()> {
        self.write(Box::new(move |conn| {
            Box::pin(async move {
                query("DELETE FROM console_sessions WHERE token_hash = $1")
                    .bind(sha256_hex(&token))
                    .execute(conn)
                    .await?;
                Ok(())
            })
        }))
        .await
    }

    /// Revokes an app credential (rotation: generate a new one, then revoke the old): its
    /// appsecret no longer gets tokens and its tokens stop working. The company keeps at
    /// least one credential.
    pub async fn revoke_app(&self, caller: &Caller, appkey: String) -> StoreResult<()> {
        let (company, now) = (caller.company.as_str().to_string(), self.now_ms());
        self.write(Box::new(move |conn| {
            Box::pin(async move {
                let live: Vec<String> = query("SELECT appkey FROM apps WHERE company_id = $1 AND revoked_ms IS NULL")
                    .bind(company.as_str())
                    .scalars(conn)
                    .await?;
                if !live.contains(&appkey) {
                    return Err(DomainError::invalid("appkey", "no such credential").into());
                }
                if live.len() == 1 {
                    return Err(
                        DomainError::invalid("appkey", "keep at least one credential: generate another first").into()
                    );
                }
                query("UPDATE apps SET revoked_ms = $3 WHERE company_id = $1 AND appkey = $2")
                    .bind(company.as_str())
                    .bind(appkey.as_str())
                    .bind(now)
                    .execute(conn)
                    .await?;
                query("DELETE FROM access_tokens WHERE appkey = $1").bind(appkey.as_str()).execute(conn).await?;
                Ok(())
            })
        }))
        .await
    }

    /// The company's live app credentials (appkey, created), oldest first.
    pub async fn apps(&self, caller: &Caller) -> StoreResult<Vec<(String, i64)>> {
        let company = caller.company.as_str().to_string();
        self.read(Box::new(move |conn| {
            Box::pin(async move {
                let rows = query(
                    "SELECT appkey, created_ms FROM apps WHERE company_id = $1 AND revoked_ms IS NULL \
                     ORDER BY created_ms, appkey",
                )
                .bind(company)
                .fetch_all(conn)
                .await?;
                rows.iter().map(|r| Ok((text(r, "appkey")?, int(r, "created_ms")?))).collect()
            })
        }))
        .await
    }
}
