//! The bench's servers and their data: a roomd server over a fresh database, the rooms
//! and meetings loaded into it, a token, and the checks of answers the phases share.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};
use roomd_core::meeting::{CheckedState, Meeting};
use roomd_core::room::RoomPatch;
use roomd_core::time::{DAY_MS, TimeSpan};
use roomd_core::{Actor, Caller, MeetingId, RoomId, SystemClock, UserId};
use roomd_server::{App, AppState};
use roomd_store::{Store, StoreConfig};
use serde_json::{Value, json};

use crate::bench_measure::Call;

/// A roomd server of the bench's own, on 127.0.0.1:0, over a fresh database.
pub(crate) struct Served {
    pub store: Store,
    pub caller: Caller,
    pub credential: roomd_store::AppCredential,
    pub addr: SocketAddr,
    pub dir: std::path::PathBuf,
    stop: tokio::sync::oneshot::Sender<()>,
    serving: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Served {
    /// `url`, or a new SQLite file when `None`.
    pub(crate) async fn start(url: Option<String>) -> anyhow::Result<Served> {
        let dir = tempfile_dir()?;
        let url = url.unwrap_or_else(|| format!("sqlite://{}?mode=rwc", dir.join("bench.db").display()));
        let clock = Arc::new(SystemClock);
        let store = Store::open(StoreConfig { database_url: url, data_dir: dir.clone(), clock: clock.clone() }).await?;
        let first = store.first_start().await?.context("the bench needs an empty database")?;
        let caller = Caller {
            company: first.credential.company.clone(),
            tz: chrono_tz::Asia::Shanghai,
            actor: Actor::App("bench".into()),
        };
        let app = App::build("127.0.0.1:0".parse()?, AppState::new(store.clone(), clock, "http://bench")).await?;
        let addr = app.local_addr()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = tokio::spawn(app.run(async move {
            let _ = stopped.await;
        }));
        Ok(Served { store, caller, credential: first.credential, addr, dir, stop, serving })
    }

    pub(crate) async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.serving.await;
        self.store.close().await;
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A `meeting/list` answer with at least one meeting.
pub(crate) fn non_empty_day(answer: &[u8]) -> anyhow::Result<()> {
    let v: Value = serde_json::from_slice(answer)?;
    match v["value"].as_array() {
        Some(meetings) if !meetings.is_empty() => Ok(()),
        _ => bail!("an empty day: {v}"),
    }
}

/// Rooms, then `meetings` spread 8 a day per room (09:00–17:00 Shanghai), three quarters
/// of them in the past.
pub(crate) async fn load(store: &Store, caller: &Caller, rooms: usize, meetings: usize) -> anyhow::Result<Vec<String>> {
    let started = Instant::now();
    let mut ids = Vec::with_capacity(rooms);
    for i in 0..rooms {
        let patch = RoomPatch { name: Some(format!("room {i}")), ..Default::default() };
        ids.push(store.add_room(caller, None, patch).await?.id.into_string());
    }
    let (first_day, _) = loaded_days(rooms, meetings);
    let mut batch = Vec::with_capacity(20_000);
    for i in 0..meetings as i64 {
        let (room, slot) = (i % rooms as i64, i / rooms as i64);
        let begin = (first_day + slot / 8) * DAY_MS + 3_600_000 + (slot % 8) * 3_600_000;
        let span = TimeSpan::new(begin, begin + 3_600_000)?;
        batch.push(loaded_meeting(RoomId::from_stored(ids[room as usize].clone()), span, caller.tz));
        if batch.len() == 20_000 {
            store.import_meetings(caller, std::mem::take(&mut batch)).await?;
        }
    }
    store.import_meetings(caller, batch).await?;
    println!("  loaded in {:.1} s", started.elapsed().as_secs_f64());
    Ok(ids)
}

/// An approved meeting over `span` in `room`, booked by user "1" a day before.
pub(crate) fn loaded_meeting(room: RoomId, span: TimeSpan, time_zone: chrono_tz::Tz) -> Meeting {
    let begin = span.begin_ms();
    Meeting {
        id: MeetingId::generate(),
        room,
        speaker: "bench".into(),
        subject: "loaded".into(),
        span,
        planned_end_ms: span.end_ms(),
        address: String::new(),
        memo: String::new(),
        booker: UserId::from_stored("1".into()),
        checked: CheckedState::Approved,
        checked_ms: Some(begin),
        cancelled_ms: None,
        finished_ms: None,
        release_reason: None,
        reason: String::new(),
        time_zone,
        series_id: String::new(),
        recurrence: String::new(),
        created_ms: begin - DAY_MS,
        updated_ms: begin - DAY_MS,
        sequence: 0,
        attendances: Vec::new(),
    }
}

pub(crate) async fn token(base: &str, appkey: &str, appsecret: &str) -> anyhow::Result<String> {
    let url = format!("{base}/meeting/api/oapi/gettoken?appkey={appkey}&appsecret={appsecret}");
    let v: Value = reqwest::get(url).await?.json().await?;
    v["value"]["access_token"].as_str().map(str::to_string).context("no token")
}

fn tempfile_dir() -> anyhow::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("roomd-bench-{}", MeetingId::generate()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// The days `load` fills: the first one and how many.
pub(crate) fn loaded_days(rooms: usize, meetings: usize) -> (i64, i64) {
    let days = (meetings / rooms.max(1) / 8).max(1) as i64;
    (roomd_core::Clock::now_ms(&SystemClock) / DAY_MS - days * 3 / 4, days)
}

/// The `i`th call of a `meeting/get` phase: one of `ids`, spread.
pub(crate) fn get_call(path: &str, ids: &[String], i: u64) -> Call {
    Call::post(path, json!({"meetingId": ids[(i as usize).wrapping_mul(7919) % ids.len()]}))
}

/// The `i`th call of a day phase: a room's day among those `load` filled, spread.
pub(crate) fn day_call(path: &str, rooms: &[String], (first_day, days): (i64, i64), i: u64) -> Call {
    let i = i as i64;
    let noon = (first_day + i.wrapping_mul(31) % days) * DAY_MS + 12 * 3_600_000;
    let day = chrono::DateTime::from_timestamp_millis(noon).map(|d| d.format("%Y-%m-%d").to_string());
    Call::post(path, json!({"roomId": rooms[(i.wrapping_mul(17) as usize) % rooms.len()], "reverseDate": day}))
}
