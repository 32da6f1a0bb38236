//! roomd's storage: one `Store` over SQLite (embedded, the default) or PostgreSQL.
//!
//! Every public method is one unit of work that owns its transaction and is scoped to the
//! caller's company. Queries are written once, in portable SQL (`engine/sql.rs`), and run
//! on rusqlite or tokio-postgres; only the DDL and the write path differ per backend
//! (`engine/db.rs`). The folders are the concerns: `engine` (backends, connections,
//! migrations), `people` (the directory), `calendar` (meetings and booking), `spaces`
//! (places and rooms), `boards`, `onboard` (onboarding), `accounts` (companies,
//! credentials, console sign-in) and `delivery` (the events outbox).

mod accounts;
mod boards;
mod calendar;
mod delivery;
mod engine;
mod error;
mod onboard;
mod people;
mod spaces;

// The modules by their old names, so paths such as `crate::sql` read as before.
use accounts::{company, console, tenancy};
use boards::{room_configs, sms_codes};
use calendar::{booking_draft, feeds, meeting_rows, meeting_sql, meetings, no_show, slot_sql};
#[cfg(test)]
use delivery::outbox_plans;
use delivery::{events, mail, outbox, outbox_heads, outbox_horizon, outbox_retention};
use engine::{checkpoint, db, directory_cache, migrate, pg_client, pg_pool, rows, sql, sqlite, writer};
use onboard::onboarding;
use people::{departments, directory, passwords};
use spaces::{places, rooms};

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use roomd_core::Clock;

pub use accounts::sessions::{Session, Surface};
pub use calendar::feeds::FeedCalendar;
pub use calendar::series::{Occurrence, SeriesBooked};
pub use calendar::series_changes::SeriesChange;
pub use console::{MIN_CHOSEN_PASSWORD, SETUP_LINK_MS, SignInRefused};
pub use db::Kind;
pub use delivery::mail::{CLAIM_MS as MAIL_CLAIM_MS, DueMail, MailLine, MailOutcome, RETRY_FOR_MS};
pub use error::{StoreError, StoreResult};
pub use events::Subscription;
pub use migrate::MIGRATIONS;
pub use no_show::CheckinWindow;
pub use onboarding::{QrCodeSummary, ScannedCode};
pub use outbox::{Attempt, ClaimedEvent, Delivery, Recorded};
pub use outbox_retention::EventLine;
pub use room_configs::AccessCode;
pub use sms_codes::SmsCode;
pub use tenancy::{AppCredential, FirstStart, IssuedToken};

use db::{Backend, Work};

/// Where the store keeps its data and how it tells time.
pub struct StoreConfig {
    /// `sqlite://PATH` or `postgres://…`.
    pub database_url: String,
    /// Files (face photos) go under `DATA_DIR/blobs/`.
    pub data_dir: PathBuf,
    pub clock: Arc<dyn Clock>,
}

#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    backend: Backend,
    kind: Kind,
    data_dir: PathBuf,
    clock: Arc<dyn Clock>,
    events: OnceLock<Arc<events::EventHook>>,
    mail: mail::MailHook,
    /// Poked after a committed write that recorded an event: the delivery worker's cue.
    written: tokio::sync::Notify,
    /// How far events may be delivered (PostgreSQL; `outbox_horizon.rs`), and whether
    /// the last look left events waiting for transactions to end.
    horizon: tokio::sync::Mutex<outbox_horizon::Horizon>,
    events_unsettled: std::sync::atomic::AtomicBool,
    /// When the last look for the horizon was taken (ms).
    looked_ms: std::sync::atomic::AtomicI64,
    /// Each company's rooms at a version of the directory: the free-room search's.
    rooms: Arc<directory_cache::CompanyRooms>,
}

impl Store {
    /// Connects, applies the migrations, and (SQLite) starts the writer.
    pub async fn open(config: StoreConfig) -> StoreResult<Store> {
        let (backend, kind) = Backend::connect(&config.database_url).await?;
        let inner = Inner {
            backend,
            kind,
            data_dir: config.data_dir,
            clock: config.clock,
            events: OnceLock::new(),
            mail: OnceLock::new(),
            written: Default::default(),
            horizon: Default::default(),
            events_unsettled: Default::default(),
            looked_ms: Default::default(),
            rooms: Default::default(),
        };
        Ok(Store { inner: Arc::new(inner) })
    }

    pub fn kind(&self) -> Kind {
        self.inner.kind
    }

    pub fn now_ms(&self) -> i64 {
        self.inner.clock.now_ms()
    }

    /// Whether the database answers (`/readyz`).
    pub async fn ping(&self) -> StoreResult<()> {
        self.inner.backend.ping().await
    }

    /// Lets queued writes finish, then closes every connection.
    pub async fn close(&self) {
        self.inner.backend.close().await
    }

    async fn read<T: Send + 'static>(&self, work: Work<T>) -> StoreResult<T> {
        self.inner.backend.read(work).await
    }

    async fn write<T: Send + 'static>(&self, work: Work<T>) -> StoreResult<T> {
        let out = self.inner.backend.write(work, false).await;
        self.wake_deliverer(out)
    }

    /// `write` for a unit that changes meetings, events or tokens but never the
    /// directory, so bookings prepared meanwhile stay valid (see `writer.rs`).
    async fn write_keeping_directory<T: Send + 'static>(&self, work: Work<T>) -> StoreResult<T> {
        let out = self.inner.backend.write(work, true).await;
        self.wake_deliverer(out)
    }

    /// `write` for a unit whose only write is one statement (see `Backend::write_one`).
    async fn write_one<T: Send + 'static>(&self, work: Work<T>) -> StoreResult<T> {
        let out = self.inner.backend.write_one(work).await;
        self.wake_deliverer(out)
    }

    /// After a committed write that recorded an event, wakes the delivery worker.
    fn wake_deliverer<T>(&self, out: StoreResult<T>) -> StoreResult<T> {
        if out.is_ok() && self.inner.events.get().is_some_and(|hook| hook.take_recorded()) {
            self.inner.written.notify_one();
        }
        out
    }

    /// Resolves after the next committed write that recorded an event (or at once if
    /// one happened since the last call): the delivery worker's cue.
    pub async fn events_recorded(&self) {
        self.inner.written.notified().await
    }
}
