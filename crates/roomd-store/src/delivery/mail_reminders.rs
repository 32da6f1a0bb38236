//! Reminders (docs/wire-compat.md "Mail"): a company that asks for them has each
//! meeting's people told by mail `reminder_minutes` before it begins — once, and never
//! once it has begun or was cancelled (the claim gives such a reminder up).

use roomd_core::MeetingId;
use roomd_core::mail::{Audience, Method};

use crate::db::work;
use crate::mail::{Told, record};
use crate::meeting_sql::load_meeting;
use crate::rows::text;
use crate::sql::query;
use crate::{Store, StoreResult};

/// Meetings reminded of in one unit, at most; the next sweep takes the rest.
const BATCH: i64 = 200;

/// The meetings whose reminder is due at `$1` (at most `$2`), soonest first.
const DUE: &str = "SELECT m.company_id, m.id FROM companies c JOIN meetings m ON m.company_id = c.id \
                   WHERE c.reminder_minutes > 0 AND m.active = 1 AND m.begin_ms > $1 \
                   AND m.begin_ms <= $1 + c.reminder_minutes * 60000 AND m.reminded_ms IS NULL \
                   AND m.cancelled_ms IS NULL ORDER BY m.begin_ms LIMIT $2";

impl Store {
    /// Records the reminders now due, and marks their meetings reminded: how many
    /// meetings. Nothing without a mail hook.
    pub async fn record_reminders(&self) -> StoreResult<usize> {
        let Some(render) = self.mail_render() else { return Ok(0) };
        let now = self.now_ms();
        // A read first: the writer is asked only when something is due.
        let any = self.read(work!(|conn| Ok(!query(DUE).bind(now).bind(1).fetch_all(conn).await?.is_empty())));
        if !any.await? {
            return Ok(0);
        }
        self.write_keeping_directory(work!(|conn| {
            let due = query(DUE).bind(now).bind(BATCH).fetch_all(conn).await?;
            let told =
                Told { method: Method::Reminder, audience: Audience::Everyone, sequence: 0, whole_series: false };
            for row in &due {
                let (company, id) = (text(row, "company_id")?, MeetingId::from_stored(text(row, "id")?));
                let meeting = load_meeting(conn, &company, &id).await?;
                record(conn, render.as_ref(), &company, now, &told, std::slice::from_ref(&meeting), None).await?;
                query("UPDATE meetings SET reminded_ms = $3 WHERE company_id = $1 AND id = $2")
                    .bind(company.as_str())
                    .bind(id.as_str())
                    .bind(now)
                    .execute(conn)
                    .await?;
            }
            Ok(due.len())
        }))
        .await
    }
}
