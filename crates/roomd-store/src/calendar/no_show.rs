//! No-show release: a company's check-in window (with per-room overrides); a meeting
//! that nobody checked in to by `beginTime + window` is cancelled with a reason and
//! pushed as `book_cancel`. The release is a conditional `UPDATE`, so with several roomd
//! processes each meeting is released, and announced, exactly once.

use std::collections::HashMap;

use roomd_core::event::Change;
use roomd_core::meeting::CheckedState;
use roomd_core::{Caller, CompanyId, DomainError, MeetingId, RoomId};

use crate::db::work;
use crate::events::emit;
use crate::mail::record_mail;
use crate::meeting_sql::load_meeting;
use crate::rows::{int, text};
use crate::sql::{Conn, query};
use crate::{Store, StoreResult};

const MINUTE_MS: i64 = 60_000;
/// Meetings that began longer ago than this are left alone (a server down for a day
/// does not release yesterday's meetings).
const LOOK_BACK_MS: i64 = 86_400_000;
/// The company-wide setting's `room_id`.
const COMPANY: &str = "";

/// A company's check-in window, and a room's override if asked about one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckinWindow {
    /// Minutes after the start; 0: meetings are never released.
    pub company_minutes: i64,
    pub room_minutes: Option<i64>,
}

impl CheckinWindow {
    pub fn effective(&self) -> i64 {
        self.room_minutes.unwrap_or(self.company_minutes)
    }
}

impl Store {
    pub async fn checkin_window(&self, caller: &Caller, room: Option<RoomId>) -> StoreResult<CheckinWindow> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| {
            if let Some(room) = &room {
                crate::rooms::load_room(conn, &company, room).await?;
            }
            let windows = windows(conn, &company).await?;
            Ok(CheckinWindow {
                company_minutes: windows.get(COMPANY).copied().unwrap_or(0),
                room_minutes: room.and_then(|r| windows.get(r.as_str()).copied()),
            })
        }))
        .await
    }

    /// Sets the company's window (`room` None) or a room's override; `minutes` None
    /// removes a room's override. 0 to 1440 minutes; 0 turns release off.
    pub async fn set_checkin_window(
        &self,
        caller: &Caller,
        room: Option<RoomId>,
        minutes: Option<i64>,
    ) -> StoreResult<()> {
        if let Some(m) = minutes
            && !(0..=1440).contains(&m)
        {
            return Err(DomainError::invalid("windowMinutes", "0 to 1440").into());
        }
        if room.is_none() && minutes.is_none() {
            return Err(DomainError::Missing("windowMinutes").into());
        }
        let (company, now) = (caller.company.as_str().to_string(), self.now_ms());
        self.write(work!(|conn| {
            if let Some(room) = &room {
                crate::rooms::load_room(conn, &company, room).await?;
            }
            let room_key = room.map(RoomId::into_string).unwrap_or_default();
            match minutes {
                None => {
                    query("DELETE FROM checkin_settings WHERE company_id = $1 AND room_id = $2")
                        .bind(company)
                        .bind(room_key)
                        .execute(conn)
                        .await?;
                }
                Some(m) => {
                    query(
                        "INSERT INTO checkin_settings (company_id, room_id, window_minutes, updated_ms) \
                         VALUES ($1, $2, $3, $4) ON CONFLICT (company_id, room_id) DO UPDATE SET \
                         window_minutes = excluded.window_minutes, updated_ms = excluded.updated_ms",
                    )
                    .bind(company)
                    .bind(room_key)
                    .bind(m)
                    .bind(now)
                    .execute(conn)
                    .await?;
                }
            }
            Ok(())
        }))
        .await
    }

    /// Releases every meeting, of every company, whose check-in window has passed with
    /// nobody checked in. Returns the meetings this call released.
    pub async fn release_no_shows(&self) -> StoreResult<Vec<(CompanyId, MeetingId)>> {
        let now = self.now_ms();
        let (events, mail) = (self.event_render(), self.mail_render());
        self.write_keeping_directory(work!(|conn| {
            let companies: Vec<String> =
                query("SELECT DISTINCT company_id FROM checkin_settings WHERE window_minutes > 0")
                    .scalars(conn)
                    .await?;
            let mut released = Vec::new();
            for company in companies {
                let windows = windows(conn, &company).await?;
                let rows = query(
                    "SELECT m.id, m.room_id, m.begin_ms FROM meetings m \
                     WHERE m.company_id = $1 AND m.active = 1 AND m.finished_ms IS NULL \
                     AND m.begin_ms <= $2 AND m.begin_ms > $3 AND m.end_ms > $2 \
                     AND NOT EXISTS (SELECT 1 FROM attendances a WHERE a.company_id = m.company_id \
                                     AND a.meeting_id = m.id AND a.sign_ms IS NOT NULL)",
                )
                .bind(company.as_str())
                .bind(now)
                .bind(now - LOOK_BACK_MS)
                .fetch_all(conn)
                .await?;
                for row in rows {
                    let room = text(&row, "room_id")?;
                    let window = windows.get(room.as_str()).or_else(|| windows.get(COMPANY)).copied().unwrap_or(0);
                    if window == 0 || int(&row, "begin_ms")? + window * MINUTE_MS > now {
                        continue;
                    }
                    let id = MeetingId::from_stored(text(&row, "id")?);
                    if release(conn, &company, &id, window, now).await? {
                        emit(conn, &events, &company, now, || Change::MeetingCancelled(id.clone())).await?;
                        let meeting = load_meeting(conn, &company, &id).await?;
                        record_mail(conn, &mail, &company, now, Some(CheckedState::Approved), &[meeting]).await?;
                        released.push((CompanyId::from_stored(company.clone()), id));
                    }
                }
            }
            Ok(released)
        }))
        .await
    }
}

/// Cancels the meeting unless someone got there first (another process, a check-in, a
/// cancel): `true` when this call released it.
async fn release(conn: &mut Conn<'_>, company: &str, id: &MeetingId, window: i64, now: i64) -> StoreResult<bool> {
    // Lock first (PostgreSQL): a check-in committing now is then seen by the check below.
    crate::meeting_sql::lock_meeting(conn, company, id).await?;
    let reason = format!("no-show: nobody checked in within {window} minutes of the start");
    let changed = query(
        "UPDATE meetings SET cancelled_ms = $3, active = 0, release_reason = $4, updated_ms = $3, sequence = sequence + 1 \
         WHERE company_id = $1 AND id = $2 AND active = 1 AND cancelled_ms IS NULL AND finished_ms IS NULL \
         AND NOT EXISTS (SELECT 1 FROM attendances a WHERE a.company_id = $1 AND a.meeting_id = $2 \
                         AND a.sign_ms IS NOT NULL)",
    )
    .bind(company)
    .bind(id.as_str())
    .bind(now)
    .bind(reason)
    .execute(conn)
    .await?;
    Ok(changed == 1)
}

/// `room_id` ('' for the company) → minutes.
async fn windows(conn: &mut Conn<'_>, company: &str) -> StoreResult<HashMap<String, i64>> {
    let rows = query("SELECT room_id, window_minutes FROM checkin_settings WHERE company_id = $1")
        .bind(company)
        .fetch_all(conn)
        .await?;
    rows.iter().map(|r| Ok((text(r, "room_id")?, int(r, "window_minutes")?))).collect()
}
