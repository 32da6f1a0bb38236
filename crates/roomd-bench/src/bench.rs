//! `roomd-bench`: loads a data set, starts an in-process server on 127.0.0.1:0, and drives
//! it over HTTP with C concurrent clients (a do-nothing baseline first): durable bookings,
//! `meeting/get` (side by side with a bare axum handler), and one room's day through
//! `meeting/list`. Prints throughput and p50/p99 latency per phase. With `--against`, two
//! databases side by side instead (`bench_pair.rs`).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::bail;
use bytes::Bytes;
use clap::Args;
use http_body_util::{BodyExt, Full};
use hyper::Method;
use hyper_util::rt::TokioIo;
use roomd_core::SystemClock;
use roomd_core::time::DAY_MS;
use serde_json::Value;

use crate::bench_ab::Side;
use crate::bench_cpu::CpuTime;
use crate::bench_setup::{Served, day_call, get_call, load, loaded_days, non_empty_day, token};

#[derive(Args)]
pub struct BenchArgs {
    /// Rooms to create.
    #[arg(long, default_value_t = 100)]
    pub(crate) rooms: usize,
    /// Meetings to load before measuring (8 a day per room, in the past and future).
    #[arg(long, default_value_t = 100_000)]
    pub(crate) meetings: usize,
    /// Concurrent HTTP clients.
    #[arg(long, default_value_t = 16)]
    pub(crate) clients: usize,
    /// Seconds per phase.
    #[arg(long, default_value_t = 10)]
    pub(crate) seconds: u64,
    /// Length of one round, in milliseconds, where two sides alternate (`--outbox-ab`,
    /// `--against`, `meeting/get` beside the bare handler). Shorter rounds make more
    /// pairs, and a drift of the machine's speed falls more evenly on both sides.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(50..))]
    pub(crate) round_ms: u64,
    /// Database to measure; default a fresh SQLite file in a temporary folder.
    #[arg(long)]
    pub(crate) bench_database_url: Option<String>,
    /// Subscribe the company to an in-process receiver: bookings then write the outbox,
    /// and the delivery rate is printed after the booking phase.
    #[arg(long)]
    events: bool,
    /// With `--events`: the receiver answers HTTP 503, so events are recorded and held;
    /// the bookings pay for the outbox write alone.
    #[arg(long, requires = "events")]
    events_held: bool,
    /// With `--events`: bookings alternate, a round at a time, between a subscribed
    /// company and one without a subscription, and the difference is printed. Halfway the
    /// two companies swap roles, so what sets one company apart from the other falls on
    /// both sides alike.
    #[arg(long, requires = "events")]
    outbox_ab: bool,
    /// A second database (e.g. postgres://…) measured against the first (SQLite by
    /// default) in alternating rounds: same data, same clients, and the ratio of each
    /// phase printed.
    #[arg(long, conflicts_with = "events")]
    against: Option<String>,
    /// Instead of the usual phases: weekly series of 52 against single bookings, in
    /// alternating rounds (`bench_series.rs`).
    #[arg(long, conflicts_with_all = ["events", "against"])]
    series: bool,
    /// Instead of the usual phases: `room/free` over every room against one room's day,
    /// in alternating rounds (`bench_free.rs`).
    #[arg(long, conflicts_with_all = ["events", "against", "series"])]
    free: bool,
    /// Instead of the usual phases: a room's calendar feed of 2,500 events against one
    /// room's day, then the feed answered 304 (`bench_feed.rs`).
    #[arg(long, conflicts_with_all = ["events", "against", "series", "free"])]
    feed: bool,
}

impl BenchArgs {
    pub(crate) fn schedule(&self) -> crate::bench_ab::Schedule {
        crate::bench_ab::Schedule {
            clients: self.clients,
            length: Duration::from_secs(self.seconds),
            round: Duration::from_millis(self.round_ms),
        }
    }
}

pub async fn run(args: BenchArgs) -> anyhow::Result<()> {
    if let Some(url) = &args.against {
        return crate::bench_pair::run(&args, url.clone()).await;
    }
    let served = Served::start(args.bench_database_url.clone()).await?;
    let (store, caller, first_credential, app_addr) =
        (served.store.clone(), served.caller.clone(), served.credential.clone(), served.addr);
    let base = format!("http://{app_addr}");
    println!(
        "roomd-bench: {:?}, {} rooms, {} meetings, {} clients, {} s a phase",
        store.kind(),
        args.rooms,
        args.meetings,
        args.clients,
        args.seconds
    );

    let rooms = load(&store, &caller, args.rooms, args.meetings).await?;
    let token = token(&base, &first_credential.appkey, &first_credential.appsecret).await?;
    let path = |name: &str| format!("/meeting/api/open/{name}?access_token={token}");
    let target = app_addr;
    let receiver = match args.events {
        true => {
            let receiver = crate::bench_events::Receiver::subscribe(&base, &token, &first_credential.appkey).await?;
            if args.events_held {
                receiver.go_down();
            }
            Some(receiver)
        }
        false => None,
    };

    if args.free {
        let days = loaded_days(args.rooms, args.meetings);
        crate::bench_free::against_a_day(args.schedule(), target, &rooms, &token, days).await?;
        served.stop().await;
        return Ok(());
    }
    if args.feed {
        let days = loaded_days(args.rooms, args.meetings);
        crate::bench_feed::against_a_day(args.schedule(), target, (&store, &caller), &rooms, &token, days).await?;
        served.stop().await;
        return Ok(());
    }
    if args.series {
        let base_day = (roomd_core::Clock::now_ms(&SystemClock) / DAY_MS + 400) * DAY_MS;
        crate::bench_series::against_singles(args.schedule(), target, rooms, token, base_day).await?;
        served.stop().await;
        return Ok(());
    }
    // The floor: the same clients against a handler that does nothing (`/healthz`).
    phase("baseline: GET /healthz", &args, target, |_| Call::get("/healthz"), |_| Ok(())).await?;

    // Bookings, durable and each in a free slot; with `--outbox-ab`, alternating with a
    // company that has no subscription.
    let base_day = (roomd_core::Clock::now_ms(&SystemClock) / DAY_MS + 400) * DAY_MS;
    let booker = crate::bench_ab::Booker::new(rooms.clone(), token.clone(), base_day);
    let booking_started = Instant::now();
    let (ids, recorded) = match args.outbox_ab {
        true => {
            let second = crate::bench_ab::second_company(&store, &base, (args.rooms, args.meetings), base_day).await?;
            if let Some(receiver) = &receiver {
                receiver.subscribe_another(&base, &second.booker.token, &second.appkey).await?;
            }
            let appkey = first_credential.appkey.clone();
            let first = crate::bench_ab::Company { booker, caller: caller.clone(), appkey };
            crate::bench_ab::compare(args.schedule(), target, &store, [&first, &second]).await?
        }
        false => {
            let booked = std::sync::Mutex::new(Vec::new());
            let check = |answer: &[u8]| crate::bench_ab::keep_id(&booked, answer);
            match store.kind() {
                // Beside the bare SQLite commits the target is set against (not while
                // events are delivered: their writes would share the disk with it).
                roomd_store::Kind::Sqlite if args.bench_database_url.is_none() && !args.events => {
                    let bookings = Side { target, make: &|_| booker.call(), check: &check };
                    let dir = &served.dir;
                    crate::bench_sqlite::beside_bookings(args.schedule(), bookings, dir, args.meetings).await?;
                }
                _ => phase("meeting/book", &args, target, |_| booker.call(), check).await?,
            }
            let ids = booked.into_inner().unwrap_or_default();
            let recorded = ids.len();
            (ids, recorded)
        }
    };
    if ids.is_empty() {
        bail!("no booking succeeded");
    }
    match &receiver {
        Some(_) if args.events_held => println!("  events held (receiver down)    {recorded} recorded"),
        Some(receiver) => receiver.report(recorded as u64, booking_started, Instant::now()).await?,
        None => {}
    }
    // `meeting/get` side by side with the bare axum handler the issue's target is set
    // against (20,000/s where that handler answers 89,000/s: 22.5 %).
    let get = path("meeting/get");
    let bare = crate::bench_ab::bare_axum().await?;
    let (gets, bares) = crate::bench_ab::alternate(
        args.schedule(),
        Side { target, make: &|i| get_call(&get, &ids, i), check: &|_| Ok(()) },
        Side { target: bare, make: &|_| Call::get("/bare"), check: &|_| Ok(()) },
    )
    .await?;
    let ratio = gets.rate() / bares.rate().max(f64::EPSILON) * 100.0;
    let paired = crate::bench_ab::Paired::of(&gets, &bares, |r| r.rate)
        .map(|p| format!(", round by round {:.1} % ({} pairs)", p.ratios()[0] * 100.0, p.pairs));
    bares.print("baseline: bare axum JSON");
    gets.print("meeting/get");
    println!(
        "  meeting/get / bare axum       {ratio:>7.1} %{}   (target 20,000 / 89,000 = 22.5 %)",
        paired.unwrap_or_default()
    );

    let list = path("meeting/list");
    let days = loaded_days(args.rooms, args.meetings);
    phase("meeting/list (a room's day)", &args, target, |i| day_call(&list, &rooms, days, i), non_empty_day).await?;
    served.stop().await;
    Ok(())
}

/// One request of a phase.
pub(crate) struct Call {
    method: Method,
    path: String,
    body: Bytes,
    if_none_match: Option<String>,
}

impl Call {
    pub(crate) fn get(path: &str) -> Call {
        Call { method: Method::GET, path: path.to_string(), body: Bytes::new(), if_none_match: None }
    }

    pub(crate) fn post(path: &str, body: Value) -> Call {
        Call { method: Method::POST, path: path.to_string(), body: Bytes::from(body.to_string()), if_none_match: None }
    }

    /// The same call, revalidating what `etag` names (answered 304 when unchanged).
    pub(crate) fn if_none_match(mut self, etag: &str) -> Call {
        self.if_none_match = Some(etag.to_string());
        self
    }
}

/// The `ETag` a GET of `path` answers.
pub(crate) async fn etag_of(target: SocketAddr, path: &str) -> anyhow::Result<String> {
    let answer = reqwest::get(format!("http://{target}{path}")).await?;
    let etag = answer.headers().get(reqwest::header::ETAG).and_then(|v| v.to_str().ok());
    etag.map(str::to_string).ok_or_else(|| anyhow::anyhow!("no ETag on {path}"))
}

/// Runs `make` from `args.clients` loops for `args.seconds` and prints the numbers.
async fn phase<M, C>(name: &str, args: &BenchArgs, target: SocketAddr, make: M, check: C) -> anyhow::Result<()>
where
    M: Fn(u64) -> Call + Sync,
    C: Fn(&[u8]) -> anyhow::Result<()> + Sync,
{
    measure(args.clients, Duration::from_secs(args.seconds), target, make, check).await?.print(name);
    Ok(())
}

/// What one phase (or several rounds of one) measured.
#[derive(Default)]
pub(crate) struct Measured {
    latencies: Vec<Duration>,
    errors: u64,
    seconds: f64,
    process_cpu_ns: u64,
    writer_cpu_ns: u64,
    /// One entry per round added (`add`), in order.
    pub(crate) rounds: Vec<Round>,
}

/// What one round of an alternation measured.
#[derive(Clone, Copy)]
pub(crate) struct Round {
    pub rate: f64,
    pub mean_latency_ms: f64,
    pub writer_us: f64,
}

impl Measured {
    /// Work measured outside HTTP: one latency for each thing done, over `length`.
    pub(crate) fn of(latencies: Vec<Duration>, length: Duration) -> Measured {
        Measured { latencies, seconds: length.as_secs_f64(), ..Measured::default() }
    }

    pub(crate) fn add(&mut self, other: Measured) {
        let round = Round {
            rate: other.rate(),
            mean_latency_ms: other.mean_latency_ms(),
            writer_us: other.writer_per_request(),
        };
        self.join(Measured { rounds: vec![round], ..other });
    }

    /// How many calls succeeded.
    pub(crate) fn count(&self) -> usize {
        self.latencies.len()
    }

    /// `other`'s rounds after these, as if measured in one go.
    pub(crate) fn join(&mut self, other: Measured) {
        self.rounds.extend(other.rounds);
        self.latencies.extend(other.latencies);
        self.errors += other.errors;
        self.seconds += other.seconds;
        self.process_cpu_ns += other.process_cpu_ns;
        self.writer_cpu_ns += other.writer_cpu_ns;
    }

    pub(crate) fn rate(&self) -> f64 {
        self.latencies.len() as f64 / self.seconds.max(f64::EPSILON)
    }

    pub(crate) fn mean_latency_ms(&self) -> f64 {
        let total: Duration = self.latencies.iter().sum();
        total.as_secs_f64() * 1000.0 / self.latencies.len().max(1) as f64
    }

    pub(crate) fn writer_per_request(&self) -> f64 {
        self.writer_cpu_ns as f64 / self.latencies.len().max(1) as f64 / 1000.0
    }

    /// The latency at `p` (0.5: the median), in milliseconds.
    pub(crate) fn percentile_ms(&self, p: f64) -> f64 {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        let n = sorted.len();
        sorted.get(((n as f64 * p) as usize).min(n.saturating_sub(1))).copied().unwrap_or_default().as_secs_f64()
            * 1000.0
    }

    pub(crate) fn print(mut self, name: &str) {
        self.latencies.sort();
        let n = self.latencies.len();
        let pct = |p: f64| self.latencies.get(((n as f64 * p) as usize).min(n.saturating_sub(1))).copied();
        let ms = |d: Option<Duration>| d.unwrap_or_default().as_secs_f64() * 1000.0;
        let per = |ns: u64| ns as f64 / n.max(1) as f64 / 1000.0;
        let writer = match per(self.writer_cpu_ns) {
            w if w >= 0.5 => format!(", writer {w:.0} µs/req"),
            _ => String::new(),
        };
        println!(
            "  {name:<28} {:>8.0} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms   ({n} ok, {} errors)   cpu {:.0} µs/req{writer}",
            self.rate(),
            ms(pct(0.50)),
            ms(pct(0.99)),
            self.errors,
            per(self.process_cpu_ns),
        );
    }
}

/// Runs `make` from `clients` loops for `length`, each on its own keep-alive connection
/// (hyper's bare HTTP/1 client: the load generator shares the two cores, so it must be
/// light), and checks every answer is a success with `check`.
pub(crate) async fn measure<M, C>(
    clients: usize,
    length: Duration,
    target: SocketAddr,
    make: M,
    check: C,
) -> anyhow::Result<Measured>
where
    M: Fn(u64) -> Call + Sync,
    C: Fn(&[u8]) -> anyhow::Result<()> + Sync,
{
    let deadline = Instant::now() + length;
    let counter = AtomicU64::new(0);
    let (started, cpu_before) = (Instant::now(), CpuTime::now());
    let workers = (0..clients).map(|_| async {
        let stream = tokio::net::TcpStream::connect(target).await?;
        stream.set_nodelay(true)?;
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        let driver = tokio::spawn(connection);
        let (mut latencies, mut errors) = (Vec::new(), 0u64);
        while Instant::now() < deadline {
            let call = make(counter.fetch_add(1, Ordering::Relaxed));
            let t = Instant::now();
            let mut request = hyper::Request::builder();
            if let Some(etag) = &call.if_none_match {
                request = request.header(hyper::header::IF_NONE_MATCH, etag);
            }
            let request = request
                .method(call.method)
                .uri(call.path)
                .header(hyper::header::HOST, "bench")
                .header(hyper::header::CONTENT_TYPE, "application/json")
                .body(Full::new(call.body))?;
            sender.ready().await?;
            let response = sender.send_request(request).await?;
            let ok = response.status().is_success() || response.status() == hyper::StatusCode::NOT_MODIFIED;
            let body = response.into_body().collect().await?.to_bytes();
            match (ok && success(&body)).then(|| check(&body)) {
                Some(Ok(())) => latencies.push(t.elapsed()),
                _ => errors += 1,
            }
        }
        driver.abort();
        anyhow::Ok((latencies, errors))
    });
    let mut measured = Measured::default();
    for outcome in futures::future::join_all(workers).await {
        let (latencies, errors) = outcome?;
        measured.latencies.extend(latencies);
        measured.errors += errors;
    }
    measured.seconds = started.elapsed().as_secs_f64();
    if let (Some(before), Some(after)) = (cpu_before, CpuTime::now()) {
        measured.process_cpu_ns = after.process_ns.saturating_sub(before.process_ns);
        measured.writer_cpu_ns = after.writer_ns.saturating_sub(before.writer_ns);
    }
    Ok(measured)
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
