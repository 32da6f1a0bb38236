//! `roomd bench`: loads a data set, starts an in-process server on 127.0.0.1:0, and drives
//! it over HTTP with C concurrent clients (a do-nothing baseline first): durable bookings, `meeting/get`, and one room's
//! day through `meeting/list`. Prints throughput and p50/p99 latency per phase.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use bytes::Bytes;
use clap::Args;
use http_body_util::{BodyExt, Full};
use hyper::Method;
use hyper_util::rt::TokioIo;
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
    /// Subscribe the company to an in-process receiver: bookings then write the outbox,
    /// and the delivery rate is printed after the booking phase.
    #[arg(long)]
    events: bool,
    /// With `--events`: the receiver answers HTTP 503, so events are recorded and held;
    /// the bookings pay for the outbox write alone.
    #[arg(long, requires = "events")]
    events_held: bool,
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
    let app_addr = app.local_addr()?;
    let base = format!("http://{app_addr}");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(app.run(async move {
        let _ = stopped.await;
    }));
    println!(
        "roomd bench: {:?}, {} rooms, {} meetings, {} clients, {} s a phase",
        store.kind(),
        args.rooms,
        args.meetings,
        args.clients,
        args.seconds
    );

    let rooms = load(&store, &caller, args.rooms, args.meetings).await?;
    let token = token(&base, &first.credential.appkey, &first.credential.appsecret).await?;
    let path = |name: &str| format!("/meeting/api/open/{name}?access_token={token}");
    let target = app_addr;
    let receiver = match args.events {
        true => {
            let receiver = crate::bench_events::Receiver::subscribe(&base, &token, &first.credential.appkey).await?;
            if args.events_held {
                receiver.go_down();
            }
            Some(receiver)
        }
        false => None,
    };

    // The floor: the same clients against a handler that does nothing (`/healthz`).
    phase("baseline: GET /healthz", &args, target, |_| Call::get("/healthz"), |_| Ok(())).await?;

    // Bookings: every request a distinct 15-minute slot far in the future, so each one is
    // a full check-and-insert that succeeds and is committed before the answer.
    let next = AtomicU64::new(0);
    let base_day = (roomd_core::Clock::now_ms(&SystemClock) / DAY_MS + 400) * DAY_MS;
    let booked = std::sync::Mutex::new(Vec::new());
    let book = path("meeting/book");
    let booking_started = Instant::now();
    phase(
        "meeting/book",
        &args,
        target,
        |_| {
            let i = next.fetch_add(1, Ordering::Relaxed) as i64;
            let n = rooms.len() as i64;
            // 01:00 UTC = 09:00 Shanghai; 48 slots of 15 minutes inside the bookable hours.
            let begin = base_day + (i / n / 48) * DAY_MS + 3_600_000 + (i / n % 48) * 900_000;
            Call::post(
                &book,
                json!({"roomId": rooms[(i % n) as usize], "speaker": "bench", "subject": "load",
                "beginTime": begin, "endTime": begin + 900_000, "createdId": "1", "attendances": [{"userId": "1"}]}),
            )
        },
        |answer| {
            let v: Value = serde_json::from_slice(answer)?;
            let id = v["value"]["id"].as_str().with_context(|| format!("no meeting id in {v}"))?;
            booked.lock().map_err(|_| anyhow::anyhow!("poisoned"))?.push(id.to_string());
            Ok(())
        },
    )
    .await?;

    let ids: Vec<String> = booked.lock().map(|b| b.clone()).unwrap_or_default();
    if ids.is_empty() {
        bail!("no booking succeeded");
    }
    match &receiver {
        Some(_) if args.events_held => println!("  events held (receiver down)    {} recorded", ids.len()),
        Some(receiver) => receiver.report(ids.len() as u64, booking_started, Instant::now()).await?,
        None => {}
    }
    let get = path("meeting/get");
    phase(
        "meeting/get",
        &args,
        target,
        |i| Call::post(&get, json!({"meetingId": ids[(i as usize).wrapping_mul(7919) % ids.len()]})),
        |_| Ok(()),
    )
    .await?;

    let list = path("meeting/list");
    let days = (args.meetings / args.rooms.max(1) / 8).max(1) as i64;
    let first_day = roomd_core::Clock::now_ms(&SystemClock) / DAY_MS - days * 3 / 4;
    phase(
        "meeting/list (a room's day)",
        &args,
        target,
        |i| {
            let i = i as i64;
            let noon = (first_day + i.wrapping_mul(31) % days) * DAY_MS + 12 * 3_600_000;
            let day = chrono::DateTime::from_timestamp_millis(noon).map(|d| d.format("%Y-%m-%d").to_string());
            Call::post(&list, json!({"roomId": rooms[(i.wrapping_mul(17) as usize) % rooms.len()], "reverseDate": day}))
        },
        |answer| {
            let v: Value = serde_json::from_slice(answer)?;
            match v["value"].as_array() {
                Some(meetings) if !meetings.is_empty() => Ok(()),
                _ => bail!("an empty day: {v}"),
            }
        },
    )
    .await?;
    let _ = stop.send(());
    let _ = serving.await;
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
            release_reason: None,
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

/// One request of a phase.
struct Call {
    method: Method,
    path: String,
    body: Bytes,
}

impl Call {
    fn get(path: &str) -> Call {
        Call { method: Method::GET, path: path.to_string(), body: Bytes::new() }
    }

    fn post(path: &str, body: Value) -> Call {
        Call { method: Method::POST, path: path.to_string(), body: Bytes::from(body.to_string()) }
    }
}

/// Runs `make` from `clients` loops for `seconds`, each on its own keep-alive connection
/// (hyper's bare HTTP/1 client: the load generator shares the two cores, so it must be
/// light), checks every answer is a success with `check`, then prints the numbers.
async fn phase<M, C>(name: &str, args: &BenchArgs, target: SocketAddr, make: M, check: C) -> anyhow::Result<()>
where
    M: Fn(u64) -> Call + Sync,
    C: Fn(&[u8]) -> anyhow::Result<()> + Sync,
{
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let counter = AtomicU64::new(0);
    let started = Instant::now();
    let workers = (0..args.clients).map(|_| async {
        let stream = tokio::net::TcpStream::connect(target).await?;
        stream.set_nodelay(true)?;
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        let driver = tokio::spawn(connection);
        let (mut latencies, mut errors) = (Vec::new(), 0u64);
        while Instant::now() < deadline {
            let call = make(counter.fetch_add(1, Ordering::Relaxed));
            let t = Instant::now();
            let request = hyper::Request::builder()
                .method(call.method)
                .uri(call.path)
                .header(hyper::header::HOST, "bench")
                .header(hyper::header::CONTENT_TYPE, "application/json")
                .body(Full::new(call.body))?;
            sender.ready().await?;
            let response = sender.send_request(request).await?;
            let ok = response.status().is_success();
            let body = response.into_body().collect().await?.to_bytes();
            match (ok && success(&body)).then(|| check(&body)) {
                Some(Ok(())) => latencies.push(t.elapsed()),
                _ => errors += 1,
            }
        }
        driver.abort();
        anyhow::Ok((latencies, errors))
    });
    let (mut all, mut errors) = (Vec::new(), 0);
    for outcome in futures::future::join_all(workers).await {
        let (l, e) = outcome?;
        all.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1))).copied().unwrap_or_default()
    };
    println!(
        "  {name:<28} {:>8.0} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms   ({} ok, {errors} errors)",
        all.len() as f64 / elapsed,
        pct(0.50).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0,
        all.len()
    );
    Ok(())
}

/// A plain-text answer (`/healthz`), or an h5 envelope with code 10000.
fn success(body: &[u8]) -> bool {
    !body.starts_with(b"{") || body.starts_with(br#"{"code":10000"#) || {
        #[derive(serde::Deserialize)]
        struct Envelope {
            code: i64,
        }
        serde_json::from_slice::<Envelope>(body).is_ok_and(|e| e.code == 10000)
    }
}

async fn token(base: &str, appkey: &str, appsecret: &str) -> anyhow::Result<String> {
    let url = format!("{base}/meeting/api/oapi/gettoken?appkey={appkey}&appsecret={appsecret}");
    let v: Value = reqwest::get(url).await?.json().await?;
    v["value"]["access_token"].as_str().map(str::to_string).context("no token")
}

fn tempfile_dir() -> anyhow::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("roomd-bench-{}", MeetingId::generate()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
