//! Sessions of the two signed-in surfaces: the console (enabled admins) and the
//! employees' app (any enabled user). Only a hash of the cookie is kept, with the
//! session's form token. A session is judged again at every lookup, so it ends at once
//! when its user is disabled, removed or (for the console) no longer an admin; disabling
//! or removing a user also deletes their sessions, so enabling them again revives none.

use chrono_tz::Tz;
use roomd_core::directory::User;
use roomd_core::secret::sha256_hex;
use roomd_core::{Actor, Caller, CompanyId, UserId};

use crate::db::work;
use crate::directory::load_user;
use crate::rows::text;
use crate::sql::{Conn, query};
use crate::{Store, StoreResult};

/// Where a person signs in: what it admits, where its sessions live, how long they last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// The web console (`/meeting/manage/`): enabled admins, by account.
    Console,
    /// The employees' app (`/app/`): enabled users, by account, phone or email.
    App,
}

impl Surface {
    pub(crate) const ALL: [Surface; 2] = [Surface::Console, Surface::App];

    /// How long a session lasts: a working day at the console, two weeks on a phone.
    pub const fn lifetime_ms(self) -> i64 {
        match self {
            Surface::Console => 12 * 3_600_000,
            Surface::App => 14 * 86_400_000,
        }
    }

    pub(crate) fn table(self) -> &'static str {
        match self {
            Surface::Console => "console_sessions",
            Surface::App => "app_sessions",
        }
    }

    /// Whether `user` (live, not removed) may hold a session here.
    pub(crate) fn admits(self, user: &User) -> bool {
        match self {
            Surface::Console => user.is_admin && user.enabled,
            Surface::App => user.enabled,
        }
    }

    /// Whether a person signs in with their phone or email as well as their account.
    pub(crate) fn any_login(self) -> bool {
        self == Surface::App
    }

    fn actor(self, user: &User) -> Actor {
        match self {
            Surface::Console => Actor::Console(user.id.to_string()),
            Surface::App => Actor::Person { user: user.id.to_string(), admin: user.is_admin },
        }
    }
}

/// A signed-in person: who, for which company, and the token every form must carry.
#[derive(Debug, Clone)]
pub struct Session {
    pub caller: Caller,
    pub user: User,
    pub csrf: String,
}

impl Store {
    /// The session behind a cookie token on `surface`, if live and its user still admitted.
    pub async fn session(&self, surface: Surface, token: String) -> StoreResult<Option<Session>> {
        let now = self.now_ms();
        self.read(work!(|conn| {
            let sql = format!(
                "SELECT s.company_id, s.user_id, s.csrf, c.time_zone FROM {} s \
                 JOIN companies c ON c.id = s.company_id WHERE s.token_hash = $1 AND s.expires_ms > $2",
                surface.table()
            );
            let row = query(sql).bind(sha256_hex(&token)).bind(now).fetch_optional(conn).await?;
            let Some(row) = row else { return Ok(None) };
            let company = text(&row, "company_id")?;
            let Ok(user) = load_user(conn, &company, &UserId::from_stored(text(&row, "user_id")?)).await else {
                return Ok(None);
            };
            if !surface.admits(&user) {
                return Ok(None);
            }
            let tz: Tz = text(&row, "time_zone")?.parse().unwrap_or(chrono_tz::Asia::Shanghai);
            let caller = Caller { company: CompanyId::from_stored(company), tz, actor: surface.actor(&user) };
            Ok(Some(Session { caller, user, csrf: text(&row, "csrf")? }))
        }))
        .await
    }

    /// Ends the session behind a cookie token.
    pub async fn sign_out(&self, surface: Surface, token: String) -> StoreResult<()> {
        self.write(work!(|conn| {
            let sql = format!("DELETE FROM {} WHERE token_hash = $1", surface.table());
            query(sql).bind(sha256_hex(&token)).execute(conn).await?;
            Ok(())
        }))
        .await
    }

    /// The console's session behind a cookie token: `session(Surface::Console, …)`.
    pub async fn console_session(&self, token: String) -> StoreResult<Option<Session>> {
        self.session(Surface::Console, token).await
    }

    pub async fn console_sign_out(&self, token: String) -> StoreResult<()> {
        self.sign_out(Surface::Console, token).await
    }
}

/// Ends every session of `user`, on every surface: a new password, a disabled or a
/// removed user.
pub(crate) async fn drop_sessions(conn: &mut Conn<'_>, company: &str, user: &UserId) -> StoreResult<()> {
    for surface in Surface::ALL {
        query(format!("DELETE FROM {} WHERE company_id = $1 AND user_id = $2", surface.table()))
            .bind(company)
            .bind(user.as_str())
            .execute(conn)
            .await?;
    }
    Ok(())
}
