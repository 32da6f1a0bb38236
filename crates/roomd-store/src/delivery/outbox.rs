//! The outbox's delivery side: claiming events by lease, recording attempts, the delivery
//! log and replays.
//!
//! Only a company's next event can be claimed — the first after its cursor `done_seq`
//! (commit order per company) — and only while no one holds its lease. A claim is a
//! conditional `UPDATE`: when two processes race for one event, the second finds the
//! lease taken and claims nothing. Recording the outcome moves the cursor past it.

use std::sync::atomic::Ordering;

use roomd_core::{Caller, DomainError};

use crate::db::work;
use crate::outbox_heads::{self, Head, move_cursor, next_event};
use crate::rows::{int, opt_int, text};
use crate::sql::{Conn, query};
use crate::{Store, StoreResult, outbox_horizon};

pub(crate) const PENDING: i64 = 0;
/// With nothing due, a look for the horizon at most this often (PostgreSQL).
const QUIET_LOOK_MS: i64 = 1_000;
const DELIVERED: i64 = 1;
const GAVE_UP: i64 = 2;

/// An event leased to one deliverer, with what it needs to send it.
#[derive(Debug, Clone)]
pub struct ClaimedEvent {
    pub seq: i64,
    pub company: String,
    pub payload: String,
    /// Attempts made before this one.
    pub attempts: i64,
    pub created_ms: i64,
    pub url: String,
    pub aes_key: String,
    pub token: String,
    pub appkey: String,
}

/// What one attempt came to.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub ok: bool,
    /// A short account: `success`, `HTTP 500`, `timeout after 5 s`, `bad reply: …`.
    pub outcome: String,
    pub duration_ms: i64,
    /// When to try again after a failure; `None` gives up.
    pub retry_at_ms: Option<i64>,
}

/// The outcome of `record_attempt`.
#[derive(Debug)]
pub struct Recorded {
    /// The lease was still ours, and the attempt is recorded.
    pub held: bool,
    /// The company's next event, now leased to the same owner.
    pub next: Option<ClaimedEvent>,
}

/// One line of a company's delivery log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub seq: i64,
    pub event_type: String,
    pub created_ms: i64,
    /// `pending`, `delivered` or `failed`.
    pub state: &'static str,
    pub attempts: i64,
    pub last_status: String,
    pub next_attempt_ms: Option<i64>,
    pub done_ms: Option<i64>,
    /// The event this one is a replay of.
    pub replay_of: Option<i64>,
}

impl Store {
    /// Leases up to `limit` deliverable events to `owner` until `now + lease_ms`: for
    /// each company, its next event, when due and not leased by anyone.
    pub async fn claim_events(&self, owner: &str, lease_ms: i64, limit: i64) -> StoreResult<Vec<ClaimedEvent>> {
        let (owner, now) = (owner.to_string(), self.now_ms());
        // An idle or backed-off worker looks often and finds nothing due: that costs one
        // read, and a look for the horizon once a second at most (a look is how a sequence
        // that went back, after a crash or a failover, is noticed).
        let due = self.heads(now, i64::MAX).await?;
        if due.is_empty() {
            if self.kind() == crate::Kind::Postgres
                && now - self.inner.looked_ms.load(Ordering::Acquire) >= QUIET_LOOK_MS
            {
                self.look_for_horizon().await?;
            }
            // Nothing due, so nothing waits for the horizon either.
            self.inner.events_unsettled.store(false, Ordering::Release);
            return Ok(Vec::new());
        }
        let horizon = self.look_for_horizon().await?;
        let done: Vec<Head> = due.iter().filter(|head| !head.pending).cloned().collect();
        let stepped = !done.is_empty();
        if stepped {
            self.step_over_done(done, horizon).await?;
        }
        // Read again after a look (a head read before it may have had an earlier event of
        // its company still committing) or a step over done events.
        let heads = match horizon == i64::MAX && !stepped {
            true => due,
            false => self.heads(now, horizon).await?,
        };
        let candidates: Vec<i64> = heads.into_iter().filter(|head| head.pending).map(|head| head.seq).collect();
        if candidates.is_empty() {
            return Ok(Vec::new());
        }
        self.write_keeping_directory(work!(|conn| {
            let mut claimed = Vec::new();
            for seq in candidates.into_iter().take(limit.max(0) as usize) {
                claimed.extend(claim_one(conn, seq, &owner, now, lease_ms).await?);
            }
            Ok(claimed)
        }))
        .await
    }

    /// `outbox_heads::heads`, on a read connection.
    async fn heads(&self, now: i64, horizon: i64) -> StoreResult<Vec<Head>> {
        self.read(work!(|conn| outbox_heads::heads(conn, now, horizon).await)).await
    }

    /// Moves each company's cursor past its next event, which is done, and the done events
    /// after it, up to its first pending event and within the `horizon`: a line upgraded
    /// from before migration 11, where a replay made an old event pending again, has
    /// delivered events past its cursor. One statement a company, however many.
    async fn step_over_done(&self, done: Vec<Head>, horizon: i64) -> StoreResult<()> {
        self.write_keeping_directory(work!(|conn| {
            for head in done {
                outbox_heads::step_over(conn, &head, horizon).await?;
            }
            Ok(())
        }))
        .await
    }

    /// Records an attempt on an event `owner` holds, and releases the lease: delivered,
    /// due again at `retry_at_ms`, or given up. Nothing happens if the lease was lost.
    /// After a success, the company's next event is claimed in the same transaction, so
    /// one company's backlog flows without waiting for the next poll.
    pub async fn record_attempt(
        &self,
        owner: &str,
        seq: i64,
        attempt: Attempt,
        lease_ms: i64,
    ) -> StoreResult<Recorded> {
        let (owner, now) = (owner.to_string(), self.now_ms());
        // A fresh look, so the company's next event is claimed with this one's record even
        // if it committed after the last claim.
        let horizon = self.look_for_horizon().await?;
        self.write_keeping_directory(work!(|conn| {
            let (state, next, done) = match (attempt.ok, attempt.retry_at_ms) {
                (true, _) => (DELIVERED, now, Some(now)),
                (false, Some(at)) => (PENDING, at, None),
                (false, None) => (GAVE_UP, now, Some(now)),
            };
            let held = query(
                "UPDATE events SET state = $3, attempts = attempts + 1, next_attempt_ms = $4, done_ms = $5, \
                 last_status = $6, lease_owner = NULL, lease_until_ms = NULL \
                 WHERE seq = $1 AND lease_owner = $2 AND state = 0 RETURNING company_id, attempts",
            )
            .bind(seq)
            .bind(owner.as_str())
            .bind(state)
            .bind(next)
            .bind(done)
            .bind(attempt.outcome.as_str())
            .fetch_optional(conn)
            .await?;
            let Some(held) = held else { return Ok(Recorded { held: false, next: None }) };
            let company = text(&held, "company_id")?;
            query(
                "INSERT INTO event_attempts (seq, attempt, at_ms, duration_ms, ok, outcome) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(seq)
            .bind(int(&held, "attempts")?)
            .bind(now)
            .bind(attempt.duration_ms)
            .bind(i64::from(attempt.ok))
            .bind(attempt.outcome.as_str())
            .execute(conn)
            .await?;
            if state == PENDING {
                return Ok(Recorded { held: true, next: None });
            }
            // Done (delivered or given up): the company's line moves on.
            move_cursor(conn, &company, seq).await?;
            if !attempt.ok {
                return Ok(Recorded { held: true, next: None });
            }
            let next = match next_event(conn, &company, seq, horizon).await? {
                Some(next) => claim_one(conn, next, &owner, now, lease_ms).await?,
                None => None,
            };
            Ok(Recorded { held: true, next })
        }))
        .await
    }

    /// How far events may be delivered: everything on SQLite (one writer numbers them in
    /// commit order); on PostgreSQL the horizon after a look (`outbox_horizon.rs`).
    async fn look_for_horizon(&self) -> StoreResult<i64> {
        if self.inner.kind == crate::Kind::Sqlite {
            return Ok(i64::MAX);
        }
        // One look at a time, applied in the order taken: an older look's running
        // transactions say nothing about the numbers a newer look saw drawn.
        let mut horizon = self.inner.horizon.lock().await;
        let (last, running) = self.read(work!(|conn| outbox_horizon::look(conn).await)).await?;
        let settled = horizon.look(last, running);
        self.inner.looked_ms.store(self.now_ms(), Ordering::Release);
        self.inner.events_unsettled.store(horizon.waiting(), Ordering::Release);
        Ok(settled)
    }

    /// Whether recorded events wait for transactions still running (PostgreSQL): the
    /// delivery worker then looks again soon.
    pub fn events_unsettled(&self) -> bool {
        self.inner.events_unsettled.load(Ordering::Acquire)
    }

    /// The company's deliveries, newest first: up to `limit` events before `before_seq`.
    pub async fn event_deliveries(
        &self,
        caller: &Caller,
        before_seq: Option<i64>,
        limit: i64,
    ) -> StoreResult<Vec<Delivery>> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| {
            let rows = query(
                "SELECT seq, event_type, created_ms, state, attempts, last_status, next_attempt_ms, done_ms, \
                 replay_of FROM events WHERE company_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3",
            )
            .bind(company.as_str())
            .bind(before_seq.unwrap_or(i64::MAX))
            .bind(limit)
            .fetch_all(conn)
            .await?;
            rows.iter()
                .map(|row| {
                    let state = int(row, "state")?;
                    Ok(Delivery {
                        seq: int(row, "seq")?,
                        event_type: text(row, "event_type")?,
                        created_ms: int(row, "created_ms")?,
                        state: match state {
                            PENDING => "pending",
                            DELIVERED => "delivered",
                            _ => "failed",
                        },
                        attempts: int(row, "attempts")?,
                        last_status: text(row, "last_status")?,
                        next_attempt_ms: (state == PENDING).then(|| int(row, "next_attempt_ms")).transpose()?,
                        done_ms: opt_int(row, "done_ms")?,
                        replay_of: opt_int(row, "replay_of")?,
                    })
                })
                .collect()
        }))
        .await
    }

    /// Sends one of the company's events again: a copy goes to the end of its line, and
    /// its number is returned. 71001 (`seq`) when `seq` is not the company's event.
    pub async fn replay_event(&self, caller: &Caller, seq: i64) -> StoreResult<i64> {
        let company = caller.company.as_str().to_string();
        let now = self.now_ms();
        self.write(work!(|conn| {
            // At the end of the company's line, numbered as `emit` numbers events.
            let sql = if conn.is_postgres() {
                // Its id before its number, as `emit` (`outbox_horizon.rs`): the
                // condition has no column, so it is checked before the read.
                format!("{REPLAY} AND {}", crate::events::POSTGRES_TAKES_ITS_ID)
            } else {
                REPLAY.to_string()
            };
            query(sql + " RETURNING seq")
                .bind(company.as_str())
                .bind(seq)
                .bind(now)
                .scalar::<i64>(conn)
                .await?
                .ok_or_else(|| DomainError::invalid("seq", "no such event").into())
        }))
        .await
    }
}

/// A copy of the company (`$1`)'s event `$2`, recorded at `$3`.
const REPLAY: &str = "INSERT INTO events (company_id, event_type, payload, created_ms, next_attempt_ms, replay_of) \
                      SELECT company_id, event_type, payload, $3, $3, seq FROM events WHERE company_id = $1 AND seq = $2";

/// Leases event `seq` to `owner` if it is pending, due and not leased; with what it needs
/// to be sent, in the same statement.
async fn claim_one(
    conn: &mut Conn<'_>,
    seq: i64,
    owner: &str,
    now: i64,
    lease_ms: i64,
) -> StoreResult<Option<ClaimedEvent>> {
    let row = query(concat!(
        "UPDATE events SET lease_owner = $2, lease_until_ms = $3 WHERE seq = $1 AND state = 0 \
         AND next_attempt_ms <= $4 AND (lease_until_ms IS NULL OR lease_until_ms < $4) \
         AND EXISTS (SELECT 1 FROM event_subscriptions s WHERE s.company_id = events.company_id) \
         RETURNING company_id, payload, attempts, created_ms, ",
        subscription_field!(url),
        ", ",
        subscription_field!(aes_key),
        ", ",
        subscription_field!(token),
        ", ",
        subscription_field!(appkey)
    ))
    .bind(seq)
    .bind(owner)
    .bind(now + lease_ms)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(ClaimedEvent {
        seq,
        company: text(&row, "company_id")?,
        payload: text(&row, "payload")?,
        attempts: int(&row, "attempts")?,
        created_ms: int(&row, "created_ms")?,
        url: text(&row, "url")?,
        aes_key: text(&row, "aes_key")?,
        token: text(&row, "token")?,
        appkey: text(&row, "appkey")?,
    }))
}

/// A column of the updated event's subscription, in a `RETURNING` list (SQLite's
/// `RETURNING` sees only the updated table, so a join cannot supply it).
macro_rules! subscription_field {
    ($column:ident) => {
        concat!(
            "(SELECT s.",
            stringify!($column),
            " FROM event_subscriptions s WHERE s.company_id = events.company_id) AS ",
            stringify!($column)
        )
    };
}
use subscription_field;
