//! The caller's company: `company/get` and `company/update`. A change of zone moves every
//! room that keeps the company's zone, and their meetings still ahead.

use chrono_tz::Tz;
use roomd_core::company::{Company, CompanyPatch, language_code};
use roomd_core::onboarding::Lang;
use roomd_core::{Caller, CompanyId};

use crate::db::work;
use crate::rooms::{Rezone, rezone};
use crate::rows::{text, zone};
use crate::sql::{Conn, query};
use crate::{Store, StoreError, StoreResult};

impl Store {
    pub async fn company(&self, caller: &Caller) -> StoreResult<Company> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| load_company(conn, &company).await)).await
    }

    pub async fn update_company(&self, caller: &Caller, patch: CompanyPatch) -> StoreResult<Company> {
        let (company, now) = (caller.company.as_str().to_string(), self.now_ms());
        self.write(work!(|conn| {
            let before = load_company(conn, &company).await?;
            let zone = before.time_zone;
            let after = before.apply(patch)?;
            query("UPDATE companies SET name = $2, time_zone = $3, language = $4, reminder_minutes = $5 WHERE id = $1")
                .bind(company.as_str())
                .bind(after.name.as_str())
                .bind(after.time_zone.name())
                .bind(language_code(after.language))
                .bind(after.reminder_minutes)
                .execute(conn)
                .await?;
            if after.time_zone != zone {
                rezone(conn, &company, Rezone::Company, now).await?;
            }
            Ok(after)
        }))
        .await
    }
}

pub(crate) async fn load_company(conn: &mut Conn<'_>, company: &str) -> StoreResult<Company> {
    let row = query("SELECT id, name, time_zone, language, reminder_minutes FROM companies WHERE id = $1")
        .bind(company)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| StoreError::Internal(format!("company {company} is gone")))?;
    Ok(Company {
        id: CompanyId::from_stored(text(&row, "id")?),
        name: text(&row, "name")?,
        time_zone: zone(&row, "time_zone")?,
        language: Lang::parse(&text(&row, "language")?).unwrap_or(Lang::Zh),
        reminder_minutes: crate::rows::int(&row, "reminder_minutes")?,
    })
}

/// The company's zone, for a room without a building that has one of its own.
pub(crate) async fn company_zone(conn: &mut Conn<'_>, company: &str) -> StoreResult<Tz> {
    Ok(load_company(conn, company).await?.time_zone)
}
