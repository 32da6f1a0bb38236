//! Accounts: one-time links that set a user's password, and the company's app
//! credentials. Signing in, with its lockout, is `sign_in.rs`; sessions `sessions.rs`.

use roomd_core::directory::User;
use roomd_core::secret::{alphanumeric, sha256_hex};
use roomd_core::{Caller, CompanyId, DomainError, UserId};

use crate::db::work;
use crate::directory::load_user;
use crate::rows::{int, text};
use crate::sql::{Conn, query};
use crate::{Store, StoreResult};

/// How long a setup link works.
pub const SETUP_LINK_MS: i64 = 24 * 3_600_000;
/// Password checks an account gets in a lock window: the fifth locks it for the window.
pub const MAX_FAILURES: i64 = 5;
pub(crate) const LOCK_MS: i64 = 15 * 60_000;
/// The longest company id and account a sign-in looks up; longer ones are refused
/// before anything is hashed or stored.
pub const MAX_SIGN_IN_FIELD: usize = 64;

/// Why a sign-in failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInRefused {
    /// Wrong company, login or password, or not a person the surface admits.
    Invalid,
    /// Too many failures: try again after `until_ms`.
    Locked { until_ms: i64 },
}

/// The fewest characters of a password a person chooses (by a setup link, or by
/// changing their own); an admin or an integration may set a shorter one.
pub const MIN_CHOSEN_PASSWORD: usize = 8;

/// A password a person chooses for themselves: at least `MIN_CHOSEN_PASSWORD` characters.
pub(crate) fn check_chosen_password(password: &str) -> Result<(), DomainError> {
    match password.chars().count() < MIN_CHOSEN_PASSWORD {
        true => Err(DomainError::invalid("password", "at least 8 characters")),
        false => Ok(()),
    }
}

impl Store {
    /// A one-time link token (valid a day) to set `user`'s password: the first start's,
    /// one an admin makes for a person, or one a person asks for.
    pub async fn create_setup_link(&self, company: CompanyId, user: UserId) -> StoreResult<String> {
        let now = self.now_ms();
        let token = alphanumeric(40);
        let kept = token.clone();
        self.write(work!(|conn| {
            load_user(conn, company.as_str(), &user).await?;
            insert_setup_link(conn, company.as_str(), &user, &kept, now).await
        }))
        .await?;
        Ok(token)
    }

    /// Whether a setup link is live (unused, unexpired); the company and user it is for.
    pub async fn setup_link_user(&self, token: String) -> StoreResult<Option<(CompanyId, User)>> {
        let now = self.now_ms();
        self.read(work!(|conn| {
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
        }))
        .await
    }

    /// Uses a setup link: sets the user's password (at least 8 characters), ends the
    /// user's sessions and lifts a lock on the account. The link works once.
    pub async fn use_setup_link(&self, token: String, password: String) -> StoreResult<User> {
        check_chosen_password(&password)?;
        let now = self.now_ms();
        let hash = crate::passwords::hash(password).await?;
        self.write(work!(|conn| {
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
            end_sessions(conn, &company, &user, now).await?;
            let user = load_user(conn, &company, &user).await?;
            // The link proves who this is: a lock on the account ends with it.
            crate::accounts::sign_in::lift_lock(conn, &company, &user.account).await?;
            Ok(user)
        }))
        .await
    }

    /// Revokes an app credential (rotation: generate a new one, then revoke the old): its
    /// appsecret no longer gets tokens and its tokens stop working. The company keeps at
    /// least one credential.
    pub async fn revoke_app(&self, caller: &Caller, appkey: String) -> StoreResult<()> {
        let (company, now) = (caller.company.as_str().to_string(), self.now_ms());
        self.write(work!(|conn| {
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
        }))
        .await
    }

    /// The company's live app credentials (appkey, created), oldest first.
    pub async fn apps(&self, caller: &Caller) -> StoreResult<Vec<(String, i64)>> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| {
            let rows = query(
                "SELECT appkey, created_ms FROM apps WHERE company_id = $1 AND revoked_ms IS NULL \
                 ORDER BY created_ms, appkey",
            )
            .bind(company)
            .fetch_all(conn)
            .await?;
            rows.iter().map(|r| Ok((text(r, "appkey")?, int(r, "created_ms")?))).collect()
        }))
        .await
    }
}

/// After a new password (set, or through a setup link): ends every session of `user`
/// (console and app) and spends the user's other setup links, so nothing from before the
/// change still opens the account.
pub(crate) async fn end_sessions(conn: &mut Conn<'_>, company: &str, user: &UserId, now: i64) -> StoreResult<()> {
    crate::accounts::sessions::drop_sessions(conn, company, user).await?;
    query("UPDATE setup_links SET used_ms = $3 WHERE company_id = $1 AND user_id = $2 AND used_ms IS NULL")
        .bind(company)
        .bind(user.as_str())
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Keeps a new setup link for `user` (the hash of `token`), working for `SETUP_LINK_MS`.
pub(crate) async fn insert_setup_link(
    conn: &mut Conn<'_>,
    company: &str,
    user: &UserId,
    token: &str,
    now: i64,
) -> StoreResult<()> {
    query(
        "INSERT INTO setup_links (token_hash, company_id, user_id, created_ms, expires_ms) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(sha256_hex(token))
    .bind(company)
    .bind(user.as_str())
    .bind(now)
    .bind(now + SETUP_LINK_MS)
    .execute(conn)
    .await?;
    Ok(())
}
