//! Migrations embedded in the binary and applied at start. Both folders keep the same
//! version numbers; `tests` checks they do.

use std::borrow::Cow;

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyConnection, AssertSqlSafe, SqlSafeStr};

use crate::StoreResult;
use crate::db::Kind;

/// `(version, description, sqlite, postgres)`
pub const MIGRATIONS: &[(i64, &str, &str, &str)] = &[(
    1,
    "init",
    include_str!("../migrations/sqlite/0001_init.sql"),
    include_str!("../migrations/postgres/0001_init.sql"),
)];

pub(crate) async fn run(conn: &mut AnyConnection, kind: Kind) -> StoreResult<()> {
    let migrations = MIGRATIONS
        .iter()
        .map(|(version, description, sqlite, postgres)| {
            let sql = match kind {
                Kind::Sqlite => sqlite,
                Kind::Postgres => postgres,
            };
            Migration::new(
                *version,
                Cow::Borrowed(*description),
                MigrationType::Simple,
                AssertSqlSafe(*sql).into_sql_str(),
                false,
            )
        })
        .collect();
    Migrator::with_migrations(migrations).run(conn).await?;
    Ok(())
}
