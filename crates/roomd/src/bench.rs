//! `roomd bench`: loads a data set, starts an in-process server on 127.0.0.1:0, and drives
//! it over HTTP with C concurrent clients: durable bookings, `meeting/get`, and one room's
//! day through `meeting/list`. Prints throughput and p50/p99 latency per phase.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Args;
use roomd_core::meeting::{CheckedState, Meeting};
use roomd_core::room::RoomPatch;
use roomd_core::time::{DAY_MS, TimeSpan};
use roomd_core::{Actor, Caller, MeetingId, RoomId, SystemClock, UserId};
use roomd_server::{App, AppState};
use roomd_store::{Store, StoreConfig};
use serde_json::{Value, json};

#[derive(Args)]
pub struct BenchArgs {
    /// Rooms to create.
    #[arg(long, default_value_t = 100)]
    rooms: usize,
    /// Meetings to load before measuring (8 a day per room, in the past and future).
    #[arg(long, default_value_t = 100_000)]
    meetings: usize,
    /// Concurrent HTTP clients.
    #[arg(long, default_value_t = 16)]
    clients: usize,
    /// Seconds per phase.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Database to measure; default a fresh SQLite file in a temporary folder.
    #[arg(long)]
    bench_database_url: Option<String>,
}

pub async fn run(args: BenchArgs) -> anyhow::Result<()> {
    let dir = tempfile_dir()?;
    let url = args
        .bench_database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", dir.join("bench.db").display()));
    let clock = Arc::new(SystemClock);
    let store = Store::open(StoreConfig { database_url: url, data_dir: dir.clone(), clock: clock.clone() }).await?;
    let first = store.first_start().await?.context("the bench needs an empty database")?;
    let caller = Caller {
        company: first.credential.company.clone(),
        tz: chrono_tz::Asia::Shanghai,
        actor: Actor::App("bench".into()),
    };
    let app = App::build("127.0.0.1:0".parse()?, AppState::new(store.clone(), clock, "http://bench")).await?;
    let base = format!("http://{}", app.local_addr()?);
    tokio::spawn(app.run(std::future::pending()));
    println!("roomd bench: {:?}, {} rooms, {} meetings, {} clients, {} s a phase", store.kind(), args.rooms, args.meetings, args.clients, args.seconds);

    let rooms = load(&store, &caller, args.rooms, args.meetings).await?;
    let http = reqwest::Client::builder().pool_max_idle_per_host(args.clients).build()?;
    let token = token(&http, &base, &first.credential.appkey, &first.credential.appsecret).await?;
    let url = |path: &str| format!("{base}/meeting/api/open/{path}?access_token={token}");

    // Bookings: every request a distinct 15-minute slot far in the future, so each one is
    // a full check-and-insert that succeeds and is committed before the answer.
    let next = Arc::new(AtomicU64::new(0));
    let base_day = (roomd_core::Clock::now_ms(&SystemClock) / DAY_MS + 400) * DAY_MS;
    let booked = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (book_url, rooms_for_book, booked_w) = (url("meeting/book"), rooms.clone(), booked.clone());
    phase("meeting/book", &args, &http, move |http| {
        let i = next.fetch_add(1, Ordering::Relaxed) as i64;
        let n = rooms_for_book.len() as i64;
        // 01:00 UTC = 09:00 Shanghai; 48 slots of 15 minutes inside the bookable hours.
        let begin = base_day + (i / n / 48) * DAY_MS + 3_600_000 + (i / n % 48) * 900_000;
        let body = json!({"roomId": rooms_for_book[(i % n) as usize], "speaker": "bench", "subject": "load",
            "beginTime": begin, "endTime": begin + 900_000, "createdId": "1", "attendances": [{"userId": "1"}]});
        let (url, booked) = (book_url.clone(), booked_w.clone());
        async move {
            let v = post(&http, &url, &body).await?;
            if let Some(id) = v["value"]["id"].as_str() {
                if let Ok(mut b) = booked.lock() {
                    b.push(id.to_string());
                }
            }
            Ok(())
        }
    })
    .await?;

    let ids: Arc<Vec<String>> = Arc::new(booked.lock().map(|b| b.clone()).unwrap_or_default());
    if ids.is_empty() {
        bail!("no booking succeeded");
    }
    let (get_url, counter) = (url("meeting/get"), Arc::new(AtomicU64::new(0)));
    phase("meeting/get", &args, &http, move |http| {
        let i = counter.fetch_add(1, Ordering::Relaxed) as usize;
        let body = json!({"meetingId": ids[i.wrapping_mul(7919) % ids.len()]});
        let url = get_url.clone();
        async move { post(&http, &url, &body).await.map(drop) }
    })
    .await?;

    let (list_url, counter) = (url("meeting/list"), Arc::new(AtomicU64::new(0)));
    let days = (args.meetings / args.rooms.max(1) / 8).max(1) as i64;
    let first_day = roomd_core::Clock::now_ms(&SystemClock) / DAY_MS - days * 3 / 4;
    phase("meeting/list (a room's day)", &args, &http, move |http| {
        let i = counter.fetch_add(1, Ordering::Relaxed) as i64;
        let day = chrono::DateTime::from_timestamp_millis((first_day + i.wrapping_mul(31) % days) * DAY_MS + 12 * 3_600_000)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        let body = json!({"roomId": rooms[(i.wrapping_mul(17) as usize) % rooms.len()], "reverseDate": day});
        let url = list_url.clone();
        async move {
            let v = post(&http, &url, &body).await?;
            if v["value"].as_array().is_none_or(|a| a.is_empty()) {
                bail!("an empty day: {v}");
            }
            Ok(())
        }
    })
    .await?;
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Rooms, then `meetings` spread 8 a day per room (09:00–17:00 Shanghai), three quarters
/// of them in the past.
async fn load(store: &Store, caller: &Caller, rooms: usize, meetings: usize) -> anyhow::Result<Vec<String>> {
    let started = Instant::now();
    let mut ids = Vec::with_capacity(rooms);
    for i in 0..rooms {
        let patch = RoomPatch { name: Some(format!("room {i}")), ..Default::default() };
        ids.push(store.add_room(caller, None, patch).await?.id.into_string());
    }
    let days = (meetings / rooms.max(1) / 8).max(1) as i64;
    let first_day = roomd_core::Clock::now_ms(&SystemClock) / DAY_MS - days * 3 / 4;
    let mut batch = Vec::with_capacity(20_000);
    for i in 0..meetings as i64 {
        let (room, slot) = (i % rooms as i64, i / rooms as i64);
        let begin = (first_day + slot / 8) * DAY_MS + 3_600_000 + (slot % 8) * 3_600_000;
        let span = TimeSpan::new(begin, begin + 3_600_000)?;
        batch.push(Meeting {
            id: MeetingId::generate(),
            room: RoomId::from_stored(ids[room as usize].clone()),
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
            created_ms: begin - DAY_MS,
            updated_ms: begin - DAY_MS,
            attendances: Vec::new(),
        });
        if batch.len() == 20_000 {
            store.import_meetings(caller, std::mem::take(&mut batch)).await?;
        }
    }
    store.import_meetings(caller, batch).await?;
    println!("  loaded in {:.1} s", started.elapsed().as_secs_f64());
    Ok(ids)
}

/// Runs `request` from `clients` loops for `seconds`, then prints the numbers.
async fn phase<F, Fut>(name: &str, args: &BenchArgs, http: &reqwest::Client, request: F) -> anyhow::Result<()>
where
    F: Fn(reqwest::Client) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = anyhow::Result<()>> + Send,
{
    let request = Arc::new(request);
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let workers: Vec<_> = (0..args.clients)
        .map(|_| {
            let (request, http) = (request.clone(), http.clone());
            tokio::spawn(async move {
                let (mut latencies, mut errors) = (Vec::new(), 0u64);
                while Instant::now() < deadline {
                    let t = Instant::now();
                    match request(http.clone()).await {
                        Ok(()) => latencies.push(t.elapsed()),
                        Err(_) => errors += 1,
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let (mut all, mut errors) = (Vec::new(), 0);
    for w in workers {
        let (l, e) = w.await?;
        all.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1))).copied().unwrap_or_default();
    println!(
        "  {name:<28} {:>8.0} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms   ({} ok, {errors} errors)",
        all.len() as f64 / elapsed,
        pct(0.50).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0,
        all.len()
    );
    Ok(())
}

async fn post(http: &reqwest::Client, url: &str, body: &Value) -> anyhow::Result<Value> {
    let v: Value = http.post(url).json(body).send().await?.json().await?;
    if v["code"] != 10000 {
        bail!("answer {v}");
    }
    Ok(v)
}

async fn token(http: &reqwest::Client, base: &str, appkey: &str, appsecret: &str) -> anyhow::Result<String> {
    let v: Value = http.get(format!("{base}/meeting/api/oapi/gettoken?appkey={appkey}&appsecret={appsecret}")).send().await?.json().await?;
    v["value"]["access_token"].as_str().map(str::to_string).context("no token")
}

fn tempfile_dir() -> anyhow::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("roomd-bench-{}", MeetingId::generate()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
