//! Finding colleagues to invite (the app's booking form): by a part of a name or an
//! account, or by a whole phone or email, so a search cannot spell out someone's number;
//! a few at a time, from the database rather than the whole directory.

use roomd_core::directory::User;
use roomd_core::{Caller, UserId};

use crate::db::work;
use crate::directory::{USER_COLUMNS, load_users, user_from_row};
use crate::sql::query;
use crate::{Store, StoreResult};

impl Store {
    /// Enabled, live users whose name or account holds `text` (in any case), or whose
    /// phone or email is `text`, by name; at most `limit`.
    pub async fn find_colleagues(&self, caller: &Caller, text: String, limit: usize) -> StoreResult<Vec<User>> {
        let company = caller.company.as_str().to_string();
        let text = text.trim().to_lowercase();
        if text.is_empty() {
            return Ok(Vec::new());
        }
        // `\` escapes LIKE's own wildcards in what was typed.
        let pattern = format!("%{}%", text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        self.read(work!(|conn| {
            let sql = format!(
                "SELECT {USER_COLUMNS} FROM users WHERE company_id = $1 AND removed_ms IS NULL AND enabled = 1 \
                 AND (LOWER(name) LIKE $2 ESCAPE '\\' OR LOWER(account) LIKE $2 ESCAPE '\\' \
                      OR phone = $3 OR LOWER(email) = $3) \
                 ORDER BY name, id LIMIT {limit}"
            );
            let rows = query(sql).bind(company).bind(pattern).bind(text).fetch_all(conn).await?;
            rows.iter().map(user_from_row).collect()
        }))
        .await
    }

    /// The live users among `ids`, in no particular order.
    pub async fn users_among(&self, caller: &Caller, ids: Vec<UserId>) -> StoreResult<Vec<User>> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| load_users(conn, &company, &ids).await)).await
    }
}
