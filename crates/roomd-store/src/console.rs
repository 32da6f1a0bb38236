//! The web console's accounts: one-time links that set a user's password, sessions
//! (only hashes of the cookie are kept, with the session's form token), and lockout
//! after repeated failed sign-ins.

use chrono_tz::Tz;
use roomd_core::directory::User;
use roomd_core::secret::{alphanumeric, sha256_hex};
use roomd_core::{Actor, Caller, CompanyId, DomainError, UserId};

use crate::directory::load_user;
use crate::rows::{int, text};
use crate::sql::{Conn, query};
use crate::{Store, StoreError, StoreResult};

/// How long a setup link works.
pub const SETUP_LINK_MS: i64 = 24 * 3_600_000;
const SESSION_MS: i64 = 12 * 3_600_000;
/// Password checks an account gets in a lock window: the fifth locks it for the window.
pub const MAX_FAILURES: i64 = 5;
const LOCK_MS: i64 = 15 * 60_000;
/// The longest company id and account a sign-in looks up; longer ones are refused
/// before anything is hashed or stored.
pub const MAX_SIGN_IN_FIELD: usize = 64;

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
    /// A one-time link token (valid a day) to set `user`'s password: the first start's,
    /// one an admin makes for a person, or one a person asks for.
    pub async fn create_setup_link(&self, company: CompanyId, user: UserId) -> StoreResult<String> {
        let now = self.now_ms();
        let token = alphanumeric(40);
        let hash = sha256_hex(&token);
        self.write(Box::new(move |conn| {
            Box::pin(async move {
                load_user(conn, company.as_str(), &user).await?;
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

    /// Uses a setup link: sets the user's password (at least 8 characters), ends the
    /// user's sessions and lifts a lock on the account. The link works once.
    pub async fn use_setup_link(&self, token: String, password: String) -> StoreResult<User> {
        if password.chars().count() < 8 {
            return Err(DomainError::invalid("password", "at least 8 characters").into());
        }
        let now = self.now_ms();
        let hash = crate::passwords::hash(password).await?;
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
                let (company, user) = (text(&row, "company_id")?, UserId::from_stored(text(&row, "user_id")?));
                query(
                    "UPDATE users SET password_hash = $3, updated_ms = $4 \
                     WHERE company_id = $1 AND id = $2 AND removed_ms IS NULL",
                )
                .bind(company.as_str())
                .bind(user.as_str())
                .bind(hash)
                .bind(now)
                .execute(conn)
                .await?;
                end_sessions(conn, &company, &user).await?;
                let user = load_user(conn, &company, &user).await?;
                // The link proves who this is: a lock on the account ends with it.
                query("DELETE FROM console_failures WHERE company_id = $1 AND account = $2")
                    .bind(company.as_str())
                    .bind(user.account.as_str())
                    .execute(conn)
                    .await?;
                Ok(user)
            })
        }))
        .await
    }

    /// Signs an enabled admin in: a new session cookie token, or why not.
    ///
    /// Each try is counted before its password is checked, in one statement, so however
    /// many arrive at once an account gets at most `MAX_FAILURES` checks a lock window
    /// (`reserve_try`). A success clears the count.
    pub async fn console_sign_in(
        &self,
        company: String,
        account: String,
        password: String,
    ) -> StoreResult<Result<String, SignInRefused>> {
        if company.chars().count() > MAX_SIGN_IN_FIELD || account.chars().count() > MAX_SIGN_IN_FIELD {
            return Ok(Err(SignInRefused::Invalid));
        }
        let now = self.now_ms();
        let (tries, locked_until) = self.reserve_try(company.clone(), account.clone(), now).await?;
        if tries > MAX_FAILURES {
            return Ok(Err(SignInRefused::Locked { until_ms: locked_until }));
        }
        let caller = Caller {
            company: CompanyId::from_stored(company.clone()),
            tz: chrono_tz::Asia::Shanghai,
            actor: Actor::Console(String::new()),
        };
        let user = self.check_password(&caller, account.clone(), password).await?.filter(|u| u.is_admin && u.enabled);
        let Some(user) = user else { return Ok(Err(SignInRefused::Invalid)) };
        let token = alphanumeric(40);
        let (hash, csrf) = (sha256_hex(&token), alphanumeric(32));
        self.write(Box::new(move |conn| {
            Box::pin(async move {
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
                Ok(())
            })
        }))
        .await?;
        Ok(Ok(token))
    }

    /// Counts a try for `account` (whether or not it exists, so refusals say nothing):
    /// the tries in its window so far, this one included, and until when it is locked.
    /// A window ends when its lock has passed, or a quarter of an hour after the last
    /// try without a lock; the next try starts a new one.
    async fn reserve_try(&self, company: String, account: String, now: i64) -> StoreResult<(i64, i64)> {
        self.write_one(Box::new(move |conn| {
            Box::pin(async move {
                let over = "(console_failures.locked_until > 0 AND console_failures.locked_until <= $3) \
                            OR (console_failures.locked_until = 0 AND console_failures.updated_ms <= $3 - $5)";
                let row = query(format!(
                    "INSERT INTO console_failures (company_id, account, failures, locked_until, updated_ms) \
                     VALUES ($1, $2, 1, 0, $3) ON CONFLICT (company_id, account) DO UPDATE SET \
                     failures = CASE WHEN {over} THEN 1 ELSE console_failures.failures + 1 END, \
                     locked_until = CASE WHEN {over} THEN 0 \
                       WHEN console_failures.failures + 1 = $4 THEN $3 + $5 ELSE console_failures.locked_until END, \
                     updated_ms = $3 \
                     RETURNING failures, locked_until"
                ))
                .bind(company)
                .bind(account)
                .bind(now)
                .bind(MAX_FAILURES)
                .bind(LOCK_MS)
                .fetch_optional(conn)
                .await?
                .ok_or_else(|| StoreError::Internal("a counted try without a count".into()))?;
                Ok((int(&row, "failures")?, int(&row, "locked_until")?))
            })
        }))
        .await
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

/// Ends every console session of `user` (a new password, or a setup link used).
pub(crate) async fn end_sessions(conn: &mut Conn<'_>, company: &str, user: &UserId) -> StoreResult<()> {
    query("DELETE FROM console_sessions WHERE company_id = $1 AND user_id = $2")
        .bind(company)
        .bind(user.as_str())
        .execute(conn)
        .await?;
    Ok(())
}
