//! Signing in, to the console or the app: each try is counted before its password is
//! checked, so a lock holds however many tries arrive at once; and the housekeeping of
//! what sign-ins leave behind (finished lock windows, ended sessions, spent setup links).

use roomd_core::directory::User;
use roomd_core::secret::{alphanumeric, sha256_hex};
use roomd_core::{Actor, Caller, CompanyId, UserId};

use crate::accounts::sessions::Surface;
use crate::console::{LOCK_MS, MAX_FAILURES, MAX_SIGN_IN_FIELD, SignInRefused, check_chosen_password};
use crate::db::work;
use crate::rows::int;
use crate::sql::{Conn, query};
use crate::{Store, StoreError, StoreResult};

/// A spent or expired setup link is kept this long, so using it again says "used".
const SPENT_LINK_MS: i64 = 7 * 86_400_000;

impl Store {
    /// Signs a person in to `surface`: a new session cookie token, or why not. The console
    /// takes an account; the app an account, a phone or an email (an account first: a
    /// login that is one person's account and another's phone is the account).
    ///
    /// Each try is counted against the account the login names (the login itself when
    /// it names nobody) before its password is checked, in one statement, so however
    /// many arrive at once, by whichever login and on whichever surface, an account gets
    /// at most `MAX_FAILURES` checks a lock window (`reserve_try`). A success clears the
    /// count.
    pub async fn sign_in(
        &self,
        surface: Surface,
        company: String,
        login: String,
        password: String,
    ) -> StoreResult<Result<String, SignInRefused>> {
        if login.is_empty() || company.chars().count() > MAX_SIGN_IN_FIELD || login.chars().count() > MAX_SIGN_IN_FIELD
        {
            return Ok(Err(SignInRefused::Invalid));
        }
        let now = self.now_ms();
        let account = match surface.any_login() {
            true => self.account_of(company.clone(), login.clone()).await?.unwrap_or(login),
            false => login,
        };
        let (tries, locked_until) = self.reserve_try(company.clone(), account.clone(), now).await?;
        if tries > MAX_FAILURES {
            return Ok(Err(SignInRefused::Locked { until_ms: locked_until }));
        }
        let caller = Caller {
            company: CompanyId::from_stored(company.clone()),
            tz: chrono_tz::Asia::Shanghai,
            actor: Actor::Console(String::new()),
        };
        let user = self.check_password(&caller, account.clone(), password).await?.filter(|u| surface.admits(u));
        let Some(user) = user else { return Ok(Err(SignInRefused::Invalid)) };
        let session = NewSession::new(surface);
        self.write(work!(|conn| {
            lift_lock(conn, &company, &account).await?;
            session.open(conn, &company, &user.id, now).await
        }))
        .await
        .map(Ok)
    }

    /// Signs an enabled admin in to the console: `sign_in(Surface::Console, …)`.
    pub async fn console_sign_in(
        &self,
        company: String,
        account: String,
        password: String,
    ) -> StoreResult<Result<String, SignInRefused>> {
        self.sign_in(Surface::Console, company, account, password).await
    }

    /// A signed-in person changes their own password: `current` is checked as a sign-in
    /// try is (it counts toward the account's lock, and a locked account is refused
    /// whatever it says), `new` must be at least 8 characters as a setup link's. Every
    /// session of the person ends, on every surface, and a new one on `surface` takes the
    /// place of the one they asked from: its cookie token is the answer.
    pub async fn change_password(
        &self,
        surface: Surface,
        caller: &Caller,
        user: &User,
        current: String,
        new: String,
    ) -> StoreResult<Result<String, SignInRefused>> {
        check_chosen_password(&new)?;
        let (company, now) = (caller.company.as_str().to_string(), self.now_ms());
        let (tries, locked_until) = self.reserve_try(company.clone(), user.account.clone(), now).await?;
        if tries > MAX_FAILURES {
            return Ok(Err(SignInRefused::Locked { until_ms: locked_until }));
        }
        if self.check_password(caller, user.account.clone(), current).await?.is_none_or(|u| u.id != user.id) {
            return Ok(Err(SignInRefused::Invalid));
        }
        let hash = crate::passwords::hash(new).await?;
        let (session, id, account) = (NewSession::new(surface), user.id.clone(), user.account.clone());
        self.write(work!(|conn| {
            query("UPDATE users SET password_hash = $3, updated_ms = $4 WHERE company_id = $1 AND id = $2")
                .bind(company.as_str())
                .bind(id.as_str())
                .bind(hash.as_str())
                .bind(now)
                .execute(conn)
                .await?;
            crate::console::end_sessions(conn, &company, &id, now).await?;
            lift_lock(conn, &company, &account).await?;
            session.open(conn, &company, &id, now).await
        }))
        .await
        .map(Ok)
    }

    /// The account of the live user whose account, phone or email `login` is, if any
    /// (an account first, then a phone, then an email).
    async fn account_of(&self, company: String, login: String) -> StoreResult<Option<String>> {
        self.read(work!(|conn| {
            query(
                "SELECT account FROM users WHERE company_id = $1 AND removed_ms IS NULL \
                 AND (account = $2 OR phone = $2 OR email = $2) \
                 ORDER BY CASE WHEN account = $2 THEN 0 WHEN phone = $2 THEN 1 ELSE 2 END LIMIT 1",
            )
            .bind(company)
            .bind(login)
            .scalar::<String>(conn)
            .await
        }))
        .await
    }

    /// Counts a try for `account` (whether or not it exists, so refusals say nothing):
    /// the tries in its window so far, this one included, and until when it is locked.
    /// A window ends when its lock has passed, or a quarter of an hour after the last
    /// try without a lock; the next try starts a new one.
    async fn reserve_try(&self, company: String, account: String, now: i64) -> StoreResult<(i64, i64)> {
        self.write_one(work!(|conn| {
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
        }))
        .await
    }

    /// Removes what sign-ins leave behind once it no longer counts: lock windows that
    /// are over, expired sessions, setup links spent or expired a week ago. Anybody can
    /// make a lock-window row by trying an account, so they must not pile up.
    pub async fn remove_expired_sign_ins(&self) -> StoreResult<u64> {
        let now = self.now_ms();
        self.write(work!(|conn| {
            let windows = query(
                "DELETE FROM console_failures WHERE (locked_until > 0 AND locked_until <= $1) \
                 OR (locked_until = 0 AND updated_ms <= $1 - $2)",
            )
            .bind(now)
            .bind(LOCK_MS)
            .execute(conn)
            .await?;
            let mut sessions = 0;
            for surface in Surface::ALL {
                let sql = format!("DELETE FROM {} WHERE expires_ms <= $1", surface.table());
                sessions += query(sql).bind(now).execute(conn).await?;
            }
            let links = query("DELETE FROM setup_links WHERE expires_ms <= $1 OR used_ms <= $1")
                .bind(now - SPENT_LINK_MS)
                .execute(conn)
                .await?;
            Ok(windows + sessions + links)
        }))
        .await
    }
}

/// A session about to be opened: the cookie token (only its hash is kept) and its form
/// token, made before the unit of work that stores them.
struct NewSession {
    surface: Surface,
    token: String,
    csrf: String,
}

impl NewSession {
    fn new(surface: Surface) -> Self {
        NewSession { surface, token: alphanumeric(40), csrf: alphanumeric(32) }
    }

    /// Stores the session: its cookie token.
    async fn open(self, conn: &mut Conn<'_>, company: &str, user: &UserId, now: i64) -> StoreResult<String> {
        query(format!(
            "INSERT INTO {} (token_hash, company_id, user_id, csrf, created_ms, expires_ms) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            self.surface.table()
        ))
        .bind(sha256_hex(&self.token))
        .bind(company)
        .bind(user.as_str())
        .bind(self.csrf.as_str())
        .bind(now)
        .bind(now + self.surface.lifetime_ms())
        .execute(conn)
        .await?;
        Ok(self.token)
    }
}

/// Ends `account`'s lock window: a success, or a setup link used, proves who it is.
pub(crate) async fn lift_lock(conn: &mut Conn<'_>, company: &str, account: &str) -> StoreResult<()> {
    query("DELETE FROM console_failures WHERE company_id = $1 AND account = $2")
        .bind(company)
        .bind(account)
        .execute(conn)
        .await?;
    Ok(())
}
