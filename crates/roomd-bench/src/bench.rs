//! `roomd-bench`: loads a data set, starts an in-process server on 127.0.0.1:0, and drives
//! it over HTTP with C concurrent clients (a do-nothing baseline first): durable bookings,
//! `meeting/get` (side by side with a bare axum handler), and one room's day through
//! `meeting/list`. Prints throughput and p50/p99 latency per phase. With `--against`, two
//! databases side by side instead (`bench_pair.rs`).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::bail;
use clap::Args;
use roomd_core::SystemClock;
use roomd_core::time::DAY_MS;

use crate::bench_ab::Side;
use crate::bench_measure::{Call, measure};
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
    // `meeting/get` side by side with the bare axum handler the target is set
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

/// Runs `make` from `args.clients` loops for `args.seconds` and prints the numbers.
async fn phase<M, C>(name: &str, args: &BenchArgs, target: SocketAddr, make: M, check: C) -> anyhow::Result<()>
where
    M: Fn(u64) -> Call + Sync,
    C: Fn(&[u8]) -> anyhow::Result<()> + Sync,
{
    measure(args.clients, Duration::from_secs(args.seconds), target, make, check).await?.print(name);
    Ok(())
}
