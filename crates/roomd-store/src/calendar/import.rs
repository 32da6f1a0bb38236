//! Bulk import of meetings that are already known not to overlap (migrations from another
//! system, and `roomd-bench`'s data set). No per-row rules: the caller vouches for them.
//! PostgreSQL's own overlap check (migration 25) still refuses an overlap.

use roomd_core::Caller;
use roomd_core::meeting::Meeting;

use crate::db::work;
use crate::{Store, StoreResult};

const CHUNK: usize = 2_000;

impl Store {
    pub async fn import_meetings(&self, caller: &Caller, meetings: Vec<Meeting>) -> StoreResult<usize> {
        let mut done = 0;
        let mut rest = meetings;
        while !rest.is_empty() {
            let chunk: Vec<Meeting> = rest.drain(..rest.len().min(CHUNK)).collect();
            let company = caller.company.as_str().to_string();
            done += self
                .write(work!(|conn| {
                    for m in &chunk {
                        crate::meeting_sql::insert_meeting(conn, &company, m).await?;
                        if !m.attendances.is_empty() {
                            crate::meeting_rows::insert_attendances(conn, &company, m).await?;
                        }
                    }
                    Ok(chunk.len())
                }))
                .await?;
        }
        if self.kind() == crate::Kind::Postgres && done > 0 {
            // Fresh statistics of every table (autovacuum would take a minute or more), so
            // the planner knows a room's meetings are few among many.
            self.write(work!(|conn| crate::sql::batch(conn, "ANALYZE").await)).await?;
        }
        Ok(done)
    }
}
