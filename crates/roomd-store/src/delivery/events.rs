//! Event subscriptions, and recording events in the transaction of the change (outbox).
//!
//! A company has at most one subscription: the URL events go to, the `aes_key` and
//! `token` they are encrypted and signed with, and the appkey appended inside each
//! message. `event/refresh` makes new keys that take effect only when `event/save`'s
//! `check_url` handshake succeeds, so a failed check leaves the previous configuration in
//! force.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use roomd_core::event::{Change, EventRender};
use roomd_core::{Caller, secret};

use crate::db::work;
use crate::rows::{int, opt_text, text};
use crate::sql::{Conn, Paired, Query, query};
use crate::{Store, StoreResult};

/// A company's subscription as its admins see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// Where events go; empty until a check has succeeded.
    pub url: String,
    /// The keys to configure on the receiving side: the next keys after a refresh,
    /// else the keys in force.
    pub aes_key: String,
    pub token: String,
    /// The appkey appended inside every encrypted message.
    pub appkey: String,
    /// Events are recorded and delivered.
    pub enabled: bool,
}

/// How events are rendered, and whether one was recorded since the last look.
pub(crate) struct EventHook {
    render: Arc<dyn EventRender>,
    recorded: AtomicBool,
    /// Whether each company had an enabled subscription when its last change was
    /// recorded (or not) on SQLite's writer. A guess, for rendering an event before the
    /// writer decides; the writer checks again.
    seen_subscribed: Mutex<HashMap<String, bool>>,
}

impl EventHook {
    /// `change` as the payload its event would carry.
    pub(crate) fn render(&self, company: &str, change: &Change) -> String {
        self.render.render(company, change)
    }

    /// `change`'s event, rendered, to record at `now`.
    pub(crate) fn inline(&self, company: &str, change: &Change, now: i64) -> InlineEvent {
        InlineEvent { event_type: change.event_type(), payload: self.render(company, change), now }
    }

    /// An event was recorded (by a statement of the caller's own).
    pub(crate) fn mark_recorded(&self) {
        self.recorded.store(true, Ordering::Release);
    }

    /// Whether an event was recorded since the last call.
    pub(crate) fn take_recorded(&self) -> bool {
        self.recorded.swap(false, Ordering::AcqRel)
    }

    /// Whether `company` was subscribed when a write last looked, if one has.
    pub(crate) fn guess_subscribed(&self, company: &str) -> Option<bool> {
        self.seen_subscribed.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(company).copied()
    }

    pub(crate) fn saw_subscribed(&self, company: &str, subscribed: bool) {
        let mut seen = self.seen_subscribed.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match seen.get_mut(company) {
            Some(was) => *was = subscribed,
            None => {
                seen.insert(company.to_string(), subscribed);
            }
        }
    }
}

impl Store {
    /// Sets how events are rendered; until then (and in stores without a server) no
    /// event is recorded.
    pub fn render_events_with(&self, render: Arc<dyn EventRender>) {
        let hook = EventHook { render, recorded: AtomicBool::new(false), seen_subscribed: Default::default() };
        let _ = self.inner.events.set(Arc::new(hook));
    }

    pub(crate) fn event_render(&self) -> Option<Arc<EventHook>> {
        self.inner.events.get().cloned()
    }

    pub async fn event_subscription(&self, caller: &Caller) -> StoreResult<Option<Subscription>> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| load(conn, &company).await)).await
    }

    /// New `aes_key` (43 characters) and `token` (32), in force after the next
    /// successful `save_event_subscription`.
    pub async fn refresh_event_keys(&self, caller: &Caller) -> StoreResult<Subscription> {
        let company = caller.company.as_str().to_string();
        // The appkey goes into every encrypted event: the calling app's, or for a console
        // admin the company's oldest live app's.
        let calling_app = match &caller.actor {
            roomd_core::Actor::App(appkey) => Some(appkey.clone()),
            _ => None,
        };
        let now = self.now_ms();
        self.write(work!(|conn| {
            let appkey = match calling_app {
                Some(appkey) => appkey,
                None => query(
                    "SELECT appkey FROM apps WHERE company_id = $1 AND revoked_ms IS NULL ORDER BY created_ms LIMIT 1",
                )
                .bind(company.as_str())
                .scalar::<String>(conn)
                .await?
                .ok_or(roomd_core::DomainError::invalid("appkey", "the company has no app credential yet"))?,
            };
            let (aes_key, token) = (secret::alphanumeric(43), secret::alphanumeric(32));
            // A first refresh makes the subscription (its keys both in force and next).
            query(
                "INSERT INTO event_subscriptions (company_id, aes_key, token, appkey, next_aes_key, next_token, \
                 updated_ms) VALUES ($1, $2, $3, $4, $2, $3, $5) ON CONFLICT (company_id) DO UPDATE SET \
                 next_aes_key = excluded.next_aes_key, next_token = excluded.next_token, \
                 updated_ms = excluded.updated_ms",
            )
            .bind(company.as_str())
            .bind(aes_key.as_str())
            .bind(token.as_str())
            .bind(appkey.as_str())
            .bind(now)
            .execute(conn)
            .await?;
            Ok(load(conn, &company).await?.unwrap_or_else(|| Subscription {
                url: String::new(),
                aes_key,
                token,
                appkey,
                enabled: false,
            }))
        }))
        .await
    }

    /// After a successful check of `url` with `checked`'s keys: those keys and `url` are
    /// in force and events flow. Keys refreshed meanwhile stay next in line.
    pub async fn save_event_subscription(&self, caller: &Caller, checked: Subscription) -> StoreResult<Subscription> {
        let company = caller.company.as_str().to_string();
        let now = self.now_ms();
        self.write(work!(|conn| {
            query(
                "UPDATE event_subscriptions SET url = $2, aes_key = $3, token = $4, appkey = $5, enabled = 1, \
                 next_aes_key = CASE WHEN next_aes_key = $3 THEN NULL ELSE next_aes_key END, \
                 next_token = CASE WHEN next_token = $4 THEN NULL ELSE next_token END, updated_ms = $6 \
                 WHERE company_id = $1",
            )
            .bind(company.as_str())
            .bind(checked.url.as_str())
            .bind(checked.aes_key.as_str())
            .bind(checked.token.as_str())
            .bind(checked.appkey.as_str())
            .bind(now)
            .execute(conn)
            .await?;
            load(conn, &company).await?.ok_or_else(|| crate::StoreError::Internal("subscription vanished".into()))
        }))
        .await
    }

    /// Stops recording the company's events until its subscription is saved again; the
    /// URL and keys are kept, and events already recorded are still delivered.
    pub async fn stop_events(&self, caller: &Caller) -> StoreResult<()> {
        let company = caller.company.as_str().to_string();
        let now = self.now_ms();
        self.write(work!(|conn| {
            query("UPDATE event_subscriptions SET enabled = 0, updated_ms = $2 WHERE company_id = $1")
                .bind(company.as_str())
                .bind(now)
                .execute(conn)
                .await?;
            Ok(())
        }))
        .await
    }
}

async fn load(conn: &mut Conn<'_>, company: &str) -> StoreResult<Option<Subscription>> {
    let row = query(
        "SELECT url, aes_key, token, appkey, next_aes_key, next_token, enabled FROM event_subscriptions \
         WHERE company_id = $1",
    )
    .bind(company)
    .fetch_optional(conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(Subscription {
        url: text(&row, "url")?,
        aes_key: opt_text(&row, "next_aes_key")?.unwrap_or(text(&row, "aes_key")?),
        token: opt_text(&row, "next_token")?.unwrap_or(text(&row, "token")?),
        appkey: text(&row, "appkey")?,
        enabled: int(&row, "enabled")? == 1,
    }))
}

/// Records `change` for delivery when the company has an enabled subscription: in the
/// caller's transaction, so the event exists exactly when the change does. Events are
/// numbered as they are recorded; on PostgreSQL, where several writers commit in any
/// order, the delivery side waits until every number up to an event's is settled
/// (`outbox_horizon.rs`), so recording takes no lock.
pub(crate) async fn emit(
    conn: &mut Conn<'_>,
    hook: &Option<Arc<EventHook>>,
    company: &str,
    now: i64,
    change: impl FnOnce() -> Change,
) -> StoreResult<()> {
    emit_prepared(conn, hook, company, now, None, change).await
}

/// `emit`, with the event `rendered` beforehand when the caller saw the company
/// subscribed; without it it is rendered here (on SQLite only once the company is seen
/// subscribed).
pub(crate) async fn emit_prepared(
    conn: &mut Conn<'_>,
    hook: &Option<Arc<EventHook>>,
    company: &str,
    now: i64,
    rendered: Option<InlineEvent>,
    change: impl FnOnce() -> Change,
) -> StoreResult<()> {
    let Some(hook) = hook else { return Ok(()) };
    let sqlite = !conn.is_postgres();
    let recorded = match (rendered, sqlite) {
        // SQLite, not rendered: a read first spares the render for a company without a
        // subscription (its one writer needs no turn).
        (None, true) => {
            let subscribed = subscribed(conn, company).await?;
            if subscribed {
                record(
                    conn,
                    concat!(insert_event!(), " VALUES ($1, $2, $3, $4, $4)"),
                    company,
                    hook.inline(company, &change(), now),
                )
                .await?;
            }
            subscribed
        }
        // Otherwise the check and the insert are one statement.
        (rendered, _) => {
            let event = rendered.unwrap_or_else(|| hook.inline(company, &change(), now));
            record(conn, INSERT_IF_SUBSCRIBED.on(conn), company, event).await? == 1
        }
    };
    if sqlite {
        hook.saw_subscribed(company, recorded);
    }
    if recorded {
        hook.mark_recorded();
    }
    Ok(())
}

/// Runs `sql`, an insert of `event` with `$1` the company; returns the rows it inserted.
async fn record(conn: &mut Conn<'_>, sql: &'static str, company: &str, event: InlineEvent) -> StoreResult<u64> {
    query(sql).bind(company).bind(event.event_type).bind(event.payload).bind(event.now).execute(conn).await
}

/// Whether the company has an enabled subscription (a plain read).
pub(crate) async fn subscribed(conn: &mut Conn<'_>, company: &str) -> StoreResult<bool> {
    Ok(query(concat!("SELECT 1 WHERE ", subscribed_condition!())).bind(company).scalar::<i64>(conn).await?.is_some())
}

/// The company (`$1`) has an enabled subscription.
macro_rules! subscribed_condition {
    () => {
        "EXISTS (SELECT 1 FROM event_subscriptions WHERE company_id = $1 AND enabled = 1)"
    };
}
use subscribed_condition;

/// On PostgreSQL, the transaction has its id before the event draws its number, which
/// the delivery side's horizon counts on (`outbox_horizon.rs`). In an insert's condition
/// with no column in it, so it is checked before the row and its number are made. (Not
/// `EXISTS (SELECT pg_current_xact_id())`: PostgreSQL drops an `EXISTS` subquery's select
/// list unevaluated.)
macro_rules! takes_its_id {
    () => {
        "pg_current_xact_id() IS NOT NULL"
    };
}
pub(crate) const POSTGRES_TAKES_ITS_ID: &str = takes_its_id!();

/// The start of an event's `INSERT`.
macro_rules! insert_event {
    () => {
        "INSERT INTO events (company_id, event_type, payload, created_ms, next_attempt_ms)"
    };
}
use insert_event;

/// The condition of an event's insert on PostgreSQL.
macro_rules! postgres_event_condition {
    () => {
        concat!(" WHERE ", subscribed_condition!(), " AND ", takes_its_id!())
    };
}

const INSERT_IF_SUBSCRIBED: Paired = Paired {
    sqlite: concat!(insert_event!(), " SELECT $1, $2, $3, $4, $4 WHERE ", subscribed_condition!()),
    postgres: concat!(insert_event!(), " SELECT $1, $2, $3, $4, $4", postgres_event_condition!()),
};

/// An event recorded by another statement of the caller's (`emit_within`).
pub(crate) struct InlineEvent {
    pub event_type: &'static str,
    pub payload: String,
    pub now: i64,
}

/// The event of a one-statement write (`slot_sql::insert_in_one_statement`).
pub(crate) enum Inline {
    /// No events are recorded (a store without a server).
    Off,
    /// Recorded if the company is subscribed.
    Rendered(InlineEvent),
    /// Not rendered, the company having been seen unsubscribed (a series' event lists
    /// every occurrence): the statement writes nothing if the company now is.
    Unrendered,
}

impl Inline {
    /// `render`ed, unless `company` was last seen unsubscribed.
    pub(crate) fn unless_unsubscribed(
        hook: &Option<Arc<EventHook>>,
        company: &str,
        render: impl FnOnce(&EventHook) -> InlineEvent,
    ) -> Inline {
        match hook {
            None => Inline::Off,
            Some(hook) if hook.guess_subscribed(company) == Some(false) => Inline::Unrendered,
            Some(hook) => Inline::Rendered(render(hook)),
        }
    }
}

/// The condition that `company` (`$1`) is subscribed, for a statement of the caller's.
pub(crate) const SUBSCRIBED: &str = subscribed_condition!();

/// `emit` as a common table expression `e` of a caller's PostgreSQL statement: it records
/// `event` for the company `$1` only if the statement's CTE `after` produced a row, and
/// yields a row when it did. Binds the event's values from `$first` on.
pub(crate) fn emit_within(q: Query, first: usize, after: &str, event: InlineEvent) -> (String, Query) {
    let record = format!(
        "e AS ({} SELECT $1, ${first}, ${}, ${}, ${}{} AND EXISTS (SELECT 1 FROM {after}) RETURNING 1)",
        insert_event!(),
        first + 1,
        first + 2,
        first + 2,
        postgres_event_condition!(),
    );
    (record, q.bind(event.event_type).bind(event.payload).bind(event.now))
}
