//! One-time codes for check-in by SMS (signType 4): six digits, valid five minutes, five
//! tries, one a minute per attendee; only a hash is kept.

use roomd_core::meeting::{MeetingStatus, SignTarget};
use roomd_core::secret::sha256_hex;
use roomd_core::{Caller, DomainError, MeetingId, UserId};

use crate::db::work;
use crate::meeting_sql::load_meeting;
use crate::rows::int;
use crate::sql::query;
use crate::{Store, StoreResult};

const VALID_MS: i64 = 5 * 60_000;
const RESEND_AFTER_MS: i64 = 60_000;
const MAX_TRIES: i64 = 5;

/// A code to send, and where.
#[derive(Debug, Clone)]
pub struct SmsCode {
    pub code: String,
    pub phone: String,
    pub expires_ms: i64,
}

impl Store {
    /// A new code for `user`, an attendee with a phone of a meeting open for check-in.
    pub async fn issue_sms_code(&self, caller: &Caller, meeting: MeetingId, user: UserId) -> StoreResult<SmsCode> {
        let (company, now) = (caller.company.as_str().to_string(), self.now_ms());
        self.write(work!(|conn| {
            let m = load_meeting(conn, &company, &meeting).await?;
            if !matches!(m.status(now), MeetingStatus::StartingSoon | MeetingStatus::InProgress) || !m.occupies() {
                return Err(DomainError::MeetingState.into());
            }
            let attendee = m.attendances.iter().find(|a| a.user.as_ref() == Some(&user));
            let attendee = attendee.ok_or(DomainError::AttendanceNotExist)?;
            let phone = crate::directory::load_user(conn, &company, &user).await?.phone;
            let phone = if phone.is_empty() { attendee.phone.clone() } else { phone };
            if phone.is_empty() {
                return Err(DomainError::invalid("user_id", "the attendee has no phone number").into());
            }
            let recent: Option<i64> =
                query("SELECT created_ms FROM sms_codes WHERE company_id = $1 AND meeting_id = $2 AND user_id = $3")
                    .bind(company.as_str())
                    .bind(meeting.as_str())
                    .bind(user.as_str())
                    .scalar(conn)
                    .await?;
            if recent.is_some_and(|at| now - at < RESEND_AFTER_MS) {
                return Err(DomainError::invalid("user_id", "a code was sent less than a minute ago").into());
            }
            let code = roomd_core::secret::random_text(b"0123456789", 6);
            query(
                "INSERT INTO sms_codes (company_id, meeting_id, user_id, code_hash, attempts, created_ms, expires_ms) \
                 VALUES ($1, $2, $3, $4, 0, $5, $6) ON CONFLICT (company_id, meeting_id, user_id) DO UPDATE SET \
                 code_hash = excluded.code_hash, attempts = 0, created_ms = excluded.created_ms, \
                 expires_ms = excluded.expires_ms",
            )
            .bind(company.as_str())
            .bind(meeting.as_str())
            .bind(user.as_str())
            .bind(hash(&meeting, &user, &code))
            .bind(now)
            .bind(now + VALID_MS)
            .execute(conn)
            .await?;
            Ok(SmsCode { code, phone, expires_ms: now + VALID_MS })
        }))
        .await
    }

    /// Checks a typed code (used up when right; five wrong tries use it up too), then
    /// checks the attendee in by SMS.
    pub async fn check_in_by_sms(
        &self,
        caller: &Caller,
        meeting: MeetingId,
        user: UserId,
        code: String,
    ) -> StoreResult<roomd_core::meeting::Meeting> {
        let (company, now) = (caller.company.as_str().to_string(), self.now_ms());
        let (m, u) = (meeting.clone(), user.clone());
        let right = self
            .write_keeping_directory(work!(|conn| {
                let row = query(
                    "SELECT code_hash, attempts, expires_ms FROM sms_codes \
                     WHERE company_id = $1 AND meeting_id = $2 AND user_id = $3",
                )
                .bind(company.as_str())
                .bind(m.as_str())
                .bind(u.as_str())
                .fetch_optional(conn)
                .await?;
                let Some(row) = row else { return Ok(false) };
                let stored: String = crate::rows::text(&row, "code_hash")?;
                let live = int(&row, "expires_ms")? > now && int(&row, "attempts")? < MAX_TRIES;
                let right = live && roomd_core::secret::constant_time_eq(&stored, &hash(&m, &u, code.trim()));
                let sql = if right {
                    "DELETE FROM sms_codes WHERE company_id = $1 AND meeting_id = $2 AND user_id = $3"
                } else {
                    "UPDATE sms_codes SET attempts = attempts + 1 WHERE company_id = $1 AND meeting_id = $2 AND user_id = $3"
                };
                query(sql).bind(company.as_str()).bind(m.as_str()).bind(u.as_str()).execute(conn).await?;
                Ok(right)
            }))
            .await?;
        if !right {
            return Err(DomainError::invalid("code", "wrong or expired code").into());
        }
        let kind = roomd_core::meeting::SignType::Sms;
        self.sign_in_meeting(caller, meeting, SignTarget::User(user), kind, String::new()).await
    }
}

fn hash(meeting: &MeetingId, user: &UserId, code: &str) -> String {
    sha256_hex(&format!("{meeting}:{user}:{code}"))
}
