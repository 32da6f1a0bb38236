//! Mail (docs/wire-compat.md "Mail"): invitations and cancellations recorded, whole, in
//! the transaction of the change they tell of, then sent by the server's mail worker.
//! A message that fails for a while (4xx, no connection) waits and is tried again for
//! 24 hours; a refused one (5xx) is given up at once.

use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

use roomd_core::ical::Person;
use roomd_core::mail::{Audience, MailRender, Method, Notice, mailing, recipients};
use roomd_core::meeting::{Attendance, CheckedState, Meeting, MeetingQuery};
use roomd_core::{Caller, MailId};

use crate::company::load_company;
use crate::db::work;
use crate::directory::load_users;
use crate::feeds::room_names;
use crate::meetings::list_meetings;
use crate::rows::{int, text};
use crate::sql::{Conn, Paired, query};
use crate::{Store, StoreResult};

/// How long a message is tried again after its first failure.
pub const RETRY_FOR_MS: i64 = 24 * 3_600_000;
/// How long a claimed message is left to its sender before another may claim it: the
/// longest SMTP conversation (30 s) and a margin. A sender that dies leaves what it
/// claimed this long.
pub const CLAIM_MS: i64 = 45_000;

/// How messages are written; set once, by a server with `--smtp-url`.
pub(crate) type MailHook = OnceLock<Arc<dyn MailRender>>;

/// A message as `mail/deliveries` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailLine {
    pub id: MailId,
    pub meeting_id: String,
    pub series_id: String,
    pub to: String,
    pub method: String,
    /// `pending`, `sent` or `failed`.
    pub state: String,
    pub attempts: i64,
    pub last_error: String,
    pub created_ms: i64,
    /// 0 while pending.
    pub done_ms: i64,
}

/// A message due, claimed for sending.
#[derive(Debug, Clone)]
pub struct DueMail {
    pub id: MailId,
    pub to: String,
    pub message: String,
    pub attempts: i64,
    pub created_ms: i64,
}

/// How a try went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailOutcome {
    Sent,
    /// Try again later (4xx, no connection), with why.
    Later(String),
    /// Given up (5xx), with why.
    Refused(String),
}

impl Store {
    /// From now on messages are recorded and written by `render`; until then (a server
    /// without `--smtp-url`) none is kept.
    pub fn send_mail_with(&self, render: Arc<dyn MailRender>) {
        let _ = self.inner.mail.set(render);
    }

    pub(crate) fn mail_render(&self) -> Option<Arc<dyn MailRender>> {
        self.inner.mail.get().cloned()
    }

    /// The company's latest messages, newest first.
    pub async fn mail_deliveries(&self, caller: &Caller, limit: i64) -> StoreResult<Vec<MailLine>> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| {
            let rows = query(
                "SELECT id, meeting_id, series_id, recipient, method, state, attempts, last_error, created_ms, done_ms \
                 FROM mail_outbox WHERE company_id = $1 ORDER BY created_ms DESC, id DESC LIMIT $2",
            )
            .bind(company.as_str())
            .bind(limit)
            .fetch_all(conn)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(MailLine {
                        id: MailId::from_stored(text(r, "id")?),
                        meeting_id: text(r, "meeting_id")?,
                        series_id: text(r, "series_id")?,
                        to: text(r, "recipient")?,
                        method: text(r, "method")?,
                        state: text(r, "state")?,
                        attempts: int(r, "attempts")?,
                        last_error: text(r, "last_error")?,
                        created_ms: int(r, "created_ms")?,
                        done_ms: int(r, "done_ms")?,
                    })
                })
                .collect()
        }))
        .await
    }

    /// Up to `limit` messages due at `now`, claimed for `CLAIM_MS` (another process's
    /// worker leaves them alone meanwhile), oldest first. Claim one at a time, or as
    /// many as can be sent within the claim.
    pub async fn claim_mail(&self, limit: i64) -> StoreResult<Vec<DueMail>> {
        let now = self.now_ms();
        // A read first: the writer is asked only when something is due.
        let due = self.read(work!(|conn| {
            let due = "SELECT id FROM mail_outbox WHERE state = 'pending' AND next_ms <= $1 LIMIT 1";
            Ok(query(due).bind(now).fetch_optional(conn).await?.is_some())
        }));
        if !due.await? {
            return Ok(Vec::new());
        }
        self.write(work!(|conn| {
            query(STALE_REMINDERS).bind(now).execute(conn).await?;
            let rows = query(CLAIM.on(conn)).bind(now).bind(now + CLAIM_MS).bind(limit).fetch_all(conn).await?;
            rows.iter()
                .map(|r| {
                    Ok(DueMail {
                        id: MailId::from_stored(text(r, "id")?),
                        to: text(r, "recipient")?,
                        message: text(r, "message")?,
                        attempts: int(r, "attempts")?,
                        created_ms: int(r, "created_ms")?,
                    })
                })
                .collect()
        }))
        .await
    }

    /// Records how a try of `mail` went: sent, tried again after `retry_ms` (until 24
    /// hours after it was recorded), or given up.
    pub async fn mail_tried(&self, mail: &DueMail, outcome: MailOutcome, retry_ms: i64) -> StoreResult<()> {
        let now = self.now_ms();
        let (state, error, next) = match outcome {
            MailOutcome::Sent => ("sent", String::new(), now),
            MailOutcome::Later(why) if now + retry_ms <= mail.created_ms + RETRY_FOR_MS => {
                ("pending", why, now + retry_ms)
            }
            MailOutcome::Later(why) => ("failed", format!("given up after 24 hours: {why}"), now),
            MailOutcome::Refused(why) => ("failed", why, now),
        };
        let done = if state == "pending" { 0 } else { now };
        let id = mail.id.as_str().to_string();
        self.write(work!(|conn| {
            query(
                "UPDATE mail_outbox SET state = $2, attempts = attempts + 1, last_error = $3, next_ms = $4, done_ms = $5 \
                 WHERE id = $1",
            )
            .bind(id.as_str())
            .bind(state)
            .bind(error.as_str())
            .bind(next)
            .bind(done)
            .execute(conn)
            .await?;
            Ok(())
        }))
        .await
    }
}

/// A reminder still waiting when its meeting has begun or is off is never sent.
const STALE_REMINDERS: &str = "UPDATE mail_outbox SET state = 'failed', done_ms = $1, \
     last_error = 'not sent: the meeting began or was cancelled first' \
     WHERE state = 'pending' AND method = '' AND next_ms <= $1 AND EXISTS (SELECT 1 FROM meetings m \
     WHERE m.company_id = mail_outbox.company_id AND m.id = mail_outbox.meeting_id AND (m.active = 0 OR m.begin_ms <= $1))";

const CLAIM: Paired = Paired {
    sqlite: "UPDATE mail_outbox SET next_ms = $2 WHERE id IN \
             (SELECT id FROM mail_outbox WHERE state = 'pending' AND next_ms <= $1 ORDER BY next_ms, id LIMIT $3) \
             RETURNING id, recipient, message, attempts, created_ms",
    postgres: "UPDATE mail_outbox SET next_ms = $2 WHERE id IN \
               (SELECT id FROM mail_outbox WHERE state = 'pending' AND next_ms <= $1 ORDER BY next_ms, id LIMIT $3 \
                FOR UPDATE SKIP LOCKED) \
               RETURNING id, recipient, message, attempts, created_ms",
};

/// A change of `meetings` (one meeting, or the occurrences of one series a change
/// touched, by start), each awaiting approval before or not (`was`; `None` for a new
/// booking): records the messages it tells, one per person (docs/wire-compat.md
/// "Mail"). Nothing without a mail hook.
pub(crate) async fn record_mail(
    conn: &mut Conn<'_>,
    render: &Option<Arc<dyn MailRender>>,
    company: &str,
    now: i64,
    was: Option<CheckedState>,
    meetings: &[Meeting],
) -> StoreResult<()> {
    let (Some(render), Some(first)) = (render, meetings.first()) else { return Ok(()) };
    let Some((method, audience)) = mailing(was, first) else { return Ok(()) };
    let (all, sequence) = series_of(conn, company, meetings).await?;
    let about: Vec<Meeting> = match method {
        Method::Request if !first.series_id.is_empty() => all.iter().filter(|m| m.occupies()).cloned().collect(),
        _ => meetings.to_vec(),
    };
    let whole = !first.series_id.is_empty() && method == Method::Cancel && all.iter().all(|m| !m.occupies());
    let told = Told { method, audience, sequence, whole_series: whole };
    record(conn, render.as_ref(), company, now, &told, &about, None).await
}

/// The people a change took off `after` (attendees of `before` with an email, on it no
/// more): each gets the cancel of what they had been invited to. Nobody while it awaits
/// approval (only the booker had heard of it).
pub(crate) async fn record_dropped(
    conn: &mut Conn<'_>,
    render: &Option<Arc<dyn MailRender>>,
    company: &str,
    now: i64,
    before: &[Attendance],
    after: &[Meeting],
) -> StoreResult<()> {
    let (Some(render), Some(first)) = (render, after.first()) else { return Ok(()) };
    if !first.occupies() || first.checked == CheckedState::Pending {
        return Ok(());
    }
    let still: HashSet<String> = first.attendances.iter().map(|a| a.email.to_lowercase()).collect();
    let dropped: Vec<Person> = before
        .iter()
        .filter(|a| !a.email.is_empty() && !still.contains(&a.email.to_lowercase()))
        .map(|a| Person { name: &a.name, email: &a.email })
        .collect();
    if dropped.is_empty() {
        return Ok(());
    }
    let (all, sequence) = series_of(conn, company, after).await?;
    let whole = all.iter().filter(|m| m.occupies()).all(|m| after.iter().any(|a| a.id == m.id));
    let told = Told { method: Method::Cancel, audience: Audience::Everyone, sequence, whole_series: whole };
    record(conn, render.as_ref(), company, now, &told, after, Some(&dropped)).await
}

/// Every occurrence of the series `meetings` belong to (cancelled ones too) and the
/// series' sequence, the sum of its occurrences' changes, which grows with each; for a
/// meeting alone, itself and its own sequence.
async fn series_of(conn: &mut Conn<'_>, company: &str, meetings: &[Meeting]) -> StoreResult<(Vec<Meeting>, i64)> {
    match meetings.first() {
        Some(first) if !first.series_id.is_empty() => {
            let filter =
                MeetingQuery { series: Some(first.series_id.clone()), include_cancelled: true, ..Default::default() };
            let all = list_meetings(conn, company, &filter).await?;
            let sequence = all.iter().map(|m| m.sequence).sum::<i64>();
            Ok((all, sequence))
        }
        first => Ok((meetings.to_vec(), first.map_or(0, |m| m.sequence))),
    }
}

/// What a set of messages tells, beside the meetings it is about.
pub(crate) struct Told {
    pub method: Method,
    pub audience: Audience,
    pub sequence: i64,
    pub whole_series: bool,
}

/// Records one message about `about` for each person `told.audience` names, or for
/// each of `to`.
pub(crate) async fn record(
    conn: &mut Conn<'_>,
    render: &dyn MailRender,
    company: &str,
    now: i64,
    told: &Told,
    about: &[Meeting],
    to: Option<&[Person<'_>]>,
) -> StoreResult<()> {
    let Some(first) = about.first() else { return Ok(()) };
    let company_row = load_company(conn, company).await?;
    let rooms = room_names(conn, company, about).await?;
    let booker = load_users(conn, company, std::slice::from_ref(&first.booker)).await?.into_iter().next();
    let organizer = booker.as_ref().filter(|u| !u.email.is_empty()).map(|u| Person { name: &u.name, email: &u.email });
    let people = match to {
        Some(to) => to.to_vec(),
        None => recipients(first, organizer, told.audience),
    };
    for to in people {
        let notice = Notice {
            method: told.method,
            company: &company_row,
            to,
            organizer,
            meetings: about,
            rooms: &rooms,
            sequence: told.sequence,
            reason: &first.reason,
            whole_series: told.whole_series,
            now_ms: now,
        };
        match render.render(&notice) {
            Some(rendered) => {
                let first = &notice.meetings[0];
                let out = Outgoing {
                    to: notice.to.email,
                    meeting: first.id.as_str(),
                    series: first.series_id.as_str(),
                    method: notice.method.as_str(),
                };
                enqueue(conn, company, out, &rendered, now).await?
            }
            None => tracing::warn!(to = notice.to.email, "no message can be written to this address"),
        }
    }
    Ok(())
}

/// A message to queue: to whom, about which meeting and series (none for a setup link),
/// and its method.
pub(crate) struct Outgoing<'a> {
    pub to: &'a str,
    pub meeting: &'a str,
    pub series: &'a str,
    pub method: &'a str,
}

/// Queues `rendered` in the outbox, to be sent from `now` on.
pub(crate) async fn enqueue(
    conn: &mut Conn<'_>,
    company: &str,
    out: Outgoing<'_>,
    rendered: &roomd_core::mail::Rendered,
    now: i64,
) -> StoreResult<()> {
    query(
        "INSERT INTO mail_outbox (id, company_id, meeting_id, series_id, recipient, method, message_id, message, \
         state, attempts, last_error, next_ms, created_ms, done_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, '', $9, $9, 0)",
    )
    .bind(MailId::generate().as_str())
    .bind(company)
    .bind(out.meeting)
    .bind(out.series)
    .bind(out.to)
    .bind(out.method)
    .bind(rendered.message_id.as_str())
    .bind(String::from_utf8_lossy(&rendered.text).into_owned())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
