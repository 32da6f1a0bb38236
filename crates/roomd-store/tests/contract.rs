//! The store contract: every scenario runs on SQLite (a real file) and, when
//! `TEST_DATABASE_URL` names a PostgreSQL server, on a fresh database there too.

use std::sync::Arc;

use roomd_core::directory::{DeptPatch, UserPatch};
use roomd_core::meeting::{AttendeeDraft, BookingDraft, MeetingQuery};
use roomd_core::room::RoomPatch;
use roomd_core::time::TimeSpan;
use roomd_core::{Actor, Caller, CompanyId, DomainError, ManualClock, RoomId, UserId};
use roomd_store::{MIGRATIONS, Store, StoreConfig, StoreError};

/// 2030-01-09 00:00 Asia/Shanghai.
const DAY: i64 = 1_894_118_400_000;
const HOUR: i64 = 3_600_000;

struct Backend {
    store: Store,
    url: String,
    clock: Arc<ManualClock>,
    name: &'static str,
    _dir: tempfile::TempDir,
}

async fn backends() -> Vec<Backend> {
    let mut out = Vec::new();
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("roomd.db").display());
    out.push(open(url, dir, "sqlite").await);
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) => {
            let name = format!("t_{}", uuid::Uuid::now_v7().simple());
            let admin = postgres_client(&admin_url).await;
            admin.batch_execute(&format!("CREATE DATABASE {name}")).await.expect("create database");
            let (base, _) = admin_url.rsplit_once('/').expect("URL with a database");
            let dir = tempfile::tempdir().expect("temp dir");
            out.push(open(format!("{base}/{name}"), dir, "postgres").await);
        }
        Err(_) => eprintln!("TEST_DATABASE_URL unset: PostgreSQL half skipped"),
    }
    out
}

/// A plain client of the PostgreSQL server at `url`, beside the store.
async fn postgres_client(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.expect("PostgreSQL reachable");
    tokio::spawn(connection);
    client
}

async fn open(database_url: String, dir: tempfile::TempDir, name: &'static str) -> Backend {
    let clock = Arc::new(ManualClock::new(DAY));
    let config =
        StoreConfig { database_url: database_url.clone(), data_dir: dir.path().to_path_buf(), clock: clock.clone() };
    let store = Store::open(config).await.expect("store opens");
    Backend { store, url: database_url, clock, name, _dir: dir }
}

impl Backend {
    /// Another store on the same database: a second roomd process.
    async fn another_store(&self) -> Store {
        let config = StoreConfig {
            database_url: self.url.clone(),
            data_dir: self._dir.path().to_path_buf(),
            clock: self.clock.clone(),
        };
        Store::open(config).await.expect("a second store")
    }

    /// Runs `sql` on the database directly, beside the store (as an older version, or an
    /// operator, would have).
    async fn execute(&self, sql: &str) {
        match self.url.strip_prefix("sqlite://") {
            Some(file) => {
                let path = file.split('?').next().expect("a path");
                rusqlite::Connection::open(path).expect("the SQLite file").execute_batch(sql).expect("sql");
            }
            None => postgres_client(&self.url).await.batch_execute(sql).await.expect("sql"),
        }
    }

    /// The number `sql` (one row, one integer column) gives, read beside the store.
    async fn number(&self, sql: &str) -> i64 {
        match self.url.strip_prefix("sqlite://") {
            Some(file) => {
                let path = file.split('?').next().expect("a path");
                let conn = rusqlite::Connection::open(path).expect("the SQLite file");
                conn.query_row(sql, [], |row| row.get(0)).expect("sql")
            }
            None => postgres_client(&self.url).await.query_one(sql, &[]).await.expect("sql").get(0),
        }
    }
}

async fn company(store: &Store) -> Caller {
    let company = store.create_company(None, "acme".into()).await.expect("company");
    Caller { company, tz: chrono_tz::Asia::Shanghai, actor: Actor::App("test".into()) }
}

async fn user(store: &Store, c: &Caller, account: &str) -> UserId {
    let patch = UserPatch { name: Some(account.into()), account: Some(account.into()), ..Default::default() };
    store.add_user(c, None, patch).await.expect("user").id
}

async fn room(store: &Store, c: &Caller, patch: RoomPatch) -> RoomId {
    let patch = RoomPatch { name: Some("r".into()), ..patch };
    store.add_room(c, None, patch).await.expect("room").id
}

/// A new company with a user `booker` and a room: what most booking tests start from.
async fn booker_and_room(store: &Store) -> (Caller, UserId, RoomId) {
    let c = company(store).await;
    let booker = user(store, &c, "booker").await;
    let r = room(store, &c, RoomPatch::default()).await;
    (c, booker, r)
}

fn booking(room: &RoomId, booker: &UserId, from_hour: i64, to_hour: i64) -> BookingDraft {
    BookingDraft {
        id: None,
        room: room.clone(),
        speaker: "s".into(),
        subject: "t".into(),
        span: TimeSpan::new(DAY + from_hour * HOUR, DAY + to_hour * HOUR).expect("span"),
        booker: booker.clone(),
        address: None,
        checked: None,
        memo: String::new(),
        attendees: vec![AttendeeDraft { user: Some(booker.clone()), ..Default::default() }],
    }
}

#[path = "contract/app_sessions.rs"]
mod app_sessions;
#[path = "contract/availability.rs"]
mod availability;
#[path = "contract/booking.rs"]
mod booking;
#[path = "contract/console.rs"]
mod console;
#[path = "contract/devices.rs"]
mod devices;
#[path = "contract/directory_changes.rs"]
mod directory_changes;
#[path = "contract/event_retention.rs"]
mod event_retention;
#[path = "contract/events.rs"]
mod events;
#[path = "contract/free_rooms.rs"]
mod free_rooms;
#[path = "contract/mail.rs"]
mod mail;
#[path = "contract/no_show.rs"]
mod no_show;
#[path = "contract/onboarding.rs"]
mod onboarding;
#[path = "contract/overlap_guard.rs"]
mod overlap_guard;
#[path = "contract/places.rs"]
mod places;
#[path = "contract/races.rs"]
mod races;
#[path = "contract/references.rs"]
mod references;
#[path = "contract/series.rs"]
mod series;
#[path = "contract/zones.rs"]
mod zones;

fn refused<T: std::fmt::Debug>(r: Result<T, StoreError>) -> DomainError {
    match r {
        Err(StoreError::Domain(d)) => d,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn migration_folders_keep_the_same_versions() {
    let dir = |d: &str| {
        let mut v: Vec<String> = std::fs::read_dir(format!("{}/migrations/{d}", env!("CARGO_MANIFEST_DIR")))
            .expect("folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().split('_').next().unwrap_or("").to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(dir("sqlite"), dir("postgres"));
    assert_eq!(dir("sqlite").len(), MIGRATIONS.len());
}

#[tokio::test]
async fn one_company_cannot_see_or_touch_another_companys_rows() {
    for b in backends().await {
        let a = company(&b.store).await;
        let other = company(&b.store).await;
        assert_ne!(a.company, other.company);
        let booker = user(&b.store, &a, "booker").await;
        let r = room(&b.store, &a, RoomPatch::default()).await;
        let m = b.store.book_meeting(&a, booking(&r, &booker, 9, 10)).await.expect("book");
        assert_eq!(refused(b.store.room(&other, r.clone()).await), DomainError::RoomNotExist);
        assert_eq!(refused(b.store.user(&other, booker.clone()).await), DomainError::UserNotExist);
        assert_eq!(refused(b.store.meeting(&other, m.id.clone()).await), DomainError::MeetingNotExist);
        assert_eq!(refused(b.store.cancel_meeting(&other, m.id.clone()).await), DomainError::MeetingNotExist);
        assert!(b.store.list_rooms(&other).await.expect("list").is_empty());
        // The same client-chosen ids may exist in both companies.
        let same = RoomPatch { name: Some("x".into()), ..Default::default() };
        b.store.add_room(&a, Some(RoomId::from_stored("1".into())), same.clone()).await.expect("a's room 1");
        b.store.add_room(&other, Some(RoomId::from_stored("1".into())), same).await.expect("other's room 1");
        assert_eq!(b.store.meeting(&a, m.id).await.expect("still there").room, r);
    }
}

#[tokio::test]
async fn uniqueness_and_references_are_enforced() {
    for b in backends().await {
        let c = company(&b.store).await;
        let patch = |account: &str, phone: &str, email: &str| UserPatch {
            name: Some("n".into()),
            account: Some(account.into()),
            phone: Some(phone.into()),
            email: Some(email.into()),
            ..Default::default()
        };
        b.store.add_user(&c, None, patch("zs", "110", "zs@example.com")).await.expect("first");
        assert_eq!(refused(b.store.add_user(&c, None, patch("zs", "", "")).await), DomainError::AccountTaken);
        assert_eq!(refused(b.store.add_user(&c, None, patch("ls", "110", "")).await), DomainError::PhoneTaken);
        assert_eq!(
            refused(b.store.add_user(&c, None, patch("ls", "", "zs@example.com")).await),
            DomainError::EmailTaken
        );
        let mut in_nowhere = patch("ww", "", "");
        in_nowhere.department = Some(Some(roomd_core::DeptId::from_stored("nope".into())));
        assert_eq!(refused(b.store.add_user(&c, None, in_nowhere).await), DomainError::DeptNotExist);
        let ghost = UserId::from_stored("ghost".into());
        let r = room(&b.store, &c, RoomPatch::default()).await;
        assert_eq!(refused(b.store.book_meeting(&c, booking(&r, &ghost, 9, 10)).await), DomainError::UserNotExist);
    }
}

#[tokio::test]
async fn removals_keep_history_or_refuse() {
    for b in backends().await {
        let c = company(&b.store).await;
        let dept =
            b.store.add_dept(&c, None, DeptPatch { name: Some("研发部".into()), parent: None }).await.expect("dept");
        let child = DeptPatch { name: Some("安卓部".into()), parent: Some(Some(dept.id.clone())) };
        let child = b.store.add_dept(&c, None, child).await.expect("child");
        assert_eq!(refused(b.store.remove_dept(&c, dept.id.clone()).await), DomainError::DeptNotEmpty);
        let cycle = DeptPatch { name: None, parent: Some(Some(child.id.clone())) };
        assert!(matches!(refused(b.store.update_dept(&c, dept.id.clone(), cycle).await), DomainError::Invalid { .. }));
        b.store.remove_dept(&c, child.id).await.expect("empty child goes");
        b.store.remove_dept(&c, dept.id).await.expect("then the parent");

        let booker = user(&b.store, &c, "booker").await;
        let r = room(&b.store, &c, RoomPatch::default()).await;
        let m = b.store.book_meeting(&c, booking(&r, &booker, 9, 10)).await.expect("book");
        assert_eq!(refused(b.store.remove_room(&c, r.clone()).await), DomainError::RoomHasMeetings);
        b.store.remove_user(&c, booker.clone()).await.expect("remove user");
        assert_eq!(refused(b.store.user(&c, booker.clone()).await), DomainError::UserNotExist);
        let kept = b.store.meeting(&c, m.id.clone()).await.expect("meeting kept");
        assert_eq!(kept.attendances[0].name, "booker", "the attendance keeps the name");
        // The account is free again.
        user(&b.store, &c, "booker").await;
        b.clock.set(DAY + 11 * HOUR);
        b.store.remove_room(&c, r.clone()).await.expect("a room with only past meetings goes");
        assert_eq!(refused(b.store.room(&c, r).await), DomainError::RoomNotExist);
        assert_eq!(b.store.meeting(&c, m.id).await.expect("history stays").subject, "t");
    }
}

#[tokio::test]
async fn tokens_are_reused_while_more_than_half_an_hour_is_left() {
    for b in backends().await {
        let c = company(&b.store).await;
        let app = b.store.create_app(c.company.clone()).await.expect("app");
        let bad = b.store.issue_token(app.appkey.clone(), "wrong".into()).await;
        assert_eq!(refused(bad), DomainError::InvalidCredentials);
        let first = b.store.issue_token(app.appkey.clone(), app.appsecret.clone()).await.expect("token");
        assert_eq!((first.token.len(), first.expires_in_ms), (40, 7_200_000));
        b.clock.advance(HOUR);
        let again = b.store.issue_token(app.appkey.clone(), app.appsecret.clone()).await.expect("token");
        assert_eq!((again.token.as_str(), again.expires_in_ms), (first.token.as_str(), HOUR));
        b.clock.advance(HOUR - 20 * 60_000);
        let fresh = b.store.issue_token(app.appkey.clone(), app.appsecret.clone()).await.expect("token");
        assert_ne!(fresh.token, first.token);
        let (caller, _) = b.store.authenticate(first.token.clone()).await.expect("old one still valid");
        assert_eq!(caller.company, c.company);
        b.clock.advance(30 * 60_000);
        assert_eq!(refused(b.store.authenticate(first.token).await), DomainError::ExpiredToken);
        assert_eq!(refused(b.store.authenticate("0".repeat(40)).await), DomainError::IllegalToken);
        b.store.authenticate(fresh.token).await.expect("the new one works");
    }
}

#[tokio::test]
async fn a_rooms_day_lists_in_order_with_attendances() {
    for b in backends().await {
        let (c, booker, r) = booker_and_room(&b.store).await;
        let other = room(&b.store, &c, RoomPatch::default()).await;
        for h in [14, 9, 11] {
            b.store.book_meeting(&c, booking(&r, &booker, h, h + 1)).await.expect("book");
        }
        // Guests in a given order at 16:00, and a meeting with nobody at 17:00.
        let guests =
            ["g1", "g2", "g3"].map(|name| AttendeeDraft { name: Some(name.into()), ..Default::default() }).to_vec();
        b.store
            .book_meeting(&c, BookingDraft { attendees: guests, ..booking(&r, &booker, 16, 17) })
            .await
            .expect("book");
        b.store
            .book_meeting(&c, BookingDraft { attendees: vec![], ..booking(&r, &booker, 17, 18) })
            .await
            .expect("book");
        b.store.book_meeting(&c, booking(&other, &booker, 9, 10)).await.expect("book");
        let q = MeetingQuery {
            room: Some(r.clone()),
            end_after_ms: Some(DAY),
            begin_before_ms: Some(DAY + 24 * HOUR),
            ..Default::default()
        };
        let day = b.store.list_meetings(&c, q.clone()).await.expect("list");
        let hours: Vec<i64> = day.iter().map(|m| (m.span.begin_ms() - DAY) / HOUR).collect();
        assert_eq!(hours, vec![9, 11, 14, 16, 17], "{}", b.name);
        let counts: Vec<usize> = day.iter().map(|m| m.attendances.len()).collect();
        assert_eq!(counts, vec![1, 1, 1, 3, 0], "{}", b.name);
        let names: Vec<&str> = day[3].attendances.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, vec!["g1", "g2", "g3"], "{}", b.name);
        let desc = b.store.list_meetings(&c, MeetingQuery { descending: true, ..q.clone() }).await.expect("list");
        let hours: Vec<i64> = desc.iter().map(|m| (m.span.begin_ms() - DAY) / HOUR).collect();
        assert_eq!(hours, vec![17, 16, 14, 11, 9], "{}", b.name);
        assert_eq!(desc[1].attendances.len(), 3);
        let window = MeetingQuery { end_after_ms: Some(DAY + 10 * HOUR + 1), ..q };
        assert_eq!(b.store.list_meetings(&c, window).await.expect("list").len(), 4);
        let mine = CompanyId::from_stored("nobody".into());
        let stranger = Caller { company: mine, ..c.clone() };
        assert!(b.store.list_meetings(&stranger, MeetingQuery::default()).await.expect("list").is_empty());
    }
}
