//! `roomd-bench --events --outbox-ab`: what the outbox costs a booking, measured on a
//! shared machine. Two companies in one server, one subscribed and one not, book in
//! alternating rounds (A B B A …), so both see the same background noise. Halfway they
//! swap roles: the subscription of the first stops and the second's starts, so whatever
//! makes one company's bookings cheaper than the other's is on both sides alike (with
//! neither subscribed, two 20 s runs found the first company's +3.5 % and +0.3 % slower).
//! The rounds of each side are added up and compared, and each round is compared with
//! its neighbour on the other side: the median of those pairs is what a drift of the
//! machine moves least.

use std::net::SocketAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context;
use roomd_core::directory::UserPatch;
use roomd_core::{Actor, Caller, UserId};
use roomd_store::Store;
use serde_json::{Value, json};

use crate::bench_measure::{Call, Measured, Round, measure};

/// A company the bench books for: its rooms, its token, and its next free slot.
pub(crate) struct Booker {
    pub rooms: Vec<String>,
    pub token: String,
    pub base_day: i64,
    next: AtomicU64,
}

impl Booker {
    pub(crate) fn new(rooms: Vec<String>, token: String, base_day: i64) -> Self {
        Booker { rooms, token, base_day, next: AtomicU64::new(0) }
    }

    /// The next booking: every call a distinct 15-minute slot far in the future, so each
    /// one is a full check-and-insert that succeeds and is committed before the answer.
    pub(crate) fn call(&self) -> Call {
        let i = self.next.fetch_add(1, Ordering::Relaxed) as i64;
        let n = self.rooms.len() as i64;
        // 01:00 UTC = 09:00 Shanghai; 48 slots of 15 minutes inside the bookable hours.
        let begin = self.base_day + (i / n / 48) * roomd_core::time::DAY_MS + 3_600_000 + (i / n % 48) * 900_000;
        Call::post(
            &format!("/meeting/api/open/meeting/book?access_token={}", self.token),
            json!({"roomId": self.rooms[(i % n) as usize], "speaker": "bench", "subject": "load",
            "beginTime": begin, "endTime": begin + 900_000, "createdId": "1", "attendances": [{"userId": "1"}]}),
        )
    }
}

/// Keeps the id of each booked meeting.
pub(crate) fn keep_id(booked: &Mutex<Vec<String>>, answer: &[u8]) -> anyhow::Result<()> {
    let v: Value = serde_json::from_slice(answer)?;
    let id = v["value"]["id"].as_str().with_context(|| format!("no meeting id in {v}"))?;
    booked.lock().map_err(|_| anyhow::anyhow!("poisoned"))?.push(id.to_string());
    Ok(())
}

/// A company the bench books for, and what turns its events on and off.
pub(crate) struct Company {
    pub booker: Booker,
    pub caller: Caller,
    /// Its app's appkey (for its receiver's cipher).
    pub appkey: String,
}

/// A second company with the same data as the first: an admin `1` (the bench's booker),
/// `rooms` rooms, `meetings` meetings, and a token from `gettoken`.
pub(crate) async fn second_company(
    store: &Store,
    base: &str,
    (rooms, meetings): (usize, usize),
    base_day: i64,
) -> anyhow::Result<Company> {
    let company = store.create_company(None, "bench, second company".into()).await?;
    let credential = store.create_app(company.clone()).await?;
    let caller = Caller { company, tz: chrono_tz::Asia::Shanghai, actor: Actor::App("bench".into()) };
    let admin = UserPatch {
        name: Some("admin".into()),
        account: Some("admin".into()),
        is_admin: Some(true),
        ..Default::default()
    };
    store.add_user(&caller, Some(UserId::from_stored("1".into())), admin).await?;
    let ids = crate::bench_setup::load(store, &caller, rooms, meetings).await?;
    let token = crate::bench_setup::token(base, &credential.appkey, &credential.appsecret).await?;
    Ok(Company { booker: Booker::new(ids, token, base_day), caller, appkey: credential.appkey })
}

/// Records `subscribed`'s events and not `other`'s (both have saved a subscription).
async fn subscribe_only(store: &Store, subscribed: &Company, other: &Company) -> anyhow::Result<()> {
    store.stop_events(&other.caller).await?;
    let saved = store.event_subscription(&subscribed.caller).await?.context("a saved subscription")?;
    store.save_event_subscription(&subscribed.caller, saved).await?;
    Ok(())
}

/// One side of a comparison: where it sends its calls, what they are, how an answer is checked.
pub(crate) struct Side<'a> {
    pub target: SocketAddr,
    pub make: &'a (dyn Fn(u64) -> Call + Sync),
    pub check: &'a (dyn Fn(&[u8]) -> anyhow::Result<()> + Sync),
}

impl Side<'_> {
    /// One round of this side's calls.
    pub(crate) async fn round(&self, schedule: Schedule) -> anyhow::Result<Measured> {
        measure(schedule.clients, schedule.round, self.target, self.make, self.check).await
    }
}

/// How two sides alternate: `clients` loops for `length` in all, in rounds of `round`.
#[derive(Clone, Copy)]
pub(crate) struct Schedule {
    pub clients: usize,
    pub length: Duration,
    pub round: Duration,
}

/// Alternating rounds of `a` and `b` (A B B A A B B A: a drift in the background load
/// falls on both sides alike), at least one each. Returns each side's sum, with its
/// rounds in order, so that A's i-th round and B's i-th round are neighbours.
pub(crate) async fn alternate(schedule: Schedule, a: Side<'_>, b: Side<'_>) -> anyhow::Result<(Measured, Measured)> {
    let (mut measured_a, mut measured_b) = (Measured::default(), Measured::default());
    // An even count gives both sides as many rounds, so A's i-th round and B's stay
    // neighbours when the rounds of two runs are joined (`compare`'s halves).
    let rounds = (schedule.length.as_millis() / schedule.round.as_millis().max(1)).max(2).next_multiple_of(2);
    for r in 0..rounds {
        let (side, sum) = match r % 4 {
            0 | 3 => (&a, &mut measured_a),
            _ => (&b, &mut measured_b),
        };
        sum.add(side.round(schedule).await?);
    }
    Ok((measured_a, measured_b))
}

/// How a quantity of A's rounds differs from B's neighbouring rounds, in percent: the
/// median and the quartiles over the pairs.
pub(crate) struct Paired {
    pub pairs: usize,
    pub median: f64,
    pub quartiles: (f64, f64),
}

impl Paired {
    pub(crate) fn of(a: &Measured, b: &Measured, quantity: impl Fn(&Round) -> f64) -> Option<Paired> {
        let mut changes: Vec<f64> = (a.rounds.iter().zip(&b.rounds))
            .filter(|(x, y)| quantity(y) > 0.0 && quantity(x) > 0.0)
            .map(|(x, y)| (quantity(x) / quantity(y) - 1.0) * 100.0)
            .collect();
        changes.sort_by(f64::total_cmp);
        // Interpolated between the two nearest pairs (the median of an even count is the
        // mean of the middle two).
        let at = |q: f64| {
            let x = (changes.len() - 1) as f64 * q;
            let (low, high) = (changes[x.floor() as usize], changes[x.ceil() as usize]);
            low + (high - low) * x.fract()
        };
        (!changes.is_empty()).then(|| Paired { pairs: changes.len(), median: at(0.5), quartiles: (at(0.25), at(0.75)) })
    }

    /// The median and the quartiles as ratios of A to B (1.10 for +10 %).
    pub(crate) fn ratios(&self) -> [f64; 3] {
        [self.median, self.quartiles.0, self.quartiles.1].map(|change| 1.0 + change / 100.0)
    }
}

impl std::fmt::Display for Paired {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:+.1} % (quartiles {:+.1} to {:+.1} %)", self.median, self.quartiles.0, self.quartiles.1)
    }
}

/// Bookings alternating between a subscribed and an unsubscribed company, which swap
/// roles halfway; prints both sides and the cost. Returns the ids the first company
/// booked, and how many events were recorded.
pub(crate) async fn compare(
    schedule: Schedule,
    target: SocketAddr,
    store: &Store,
    companies: [&Company; 2],
) -> anyhow::Result<(Vec<String>, usize)> {
    // Both sides check their answers alike, keeping the ids each company booked: reading
    // the answers is work of this process, and it must not fall on one side only.
    let booked = [Mutex::new(Vec::new()), Mutex::new(Vec::new())];
    let half = Schedule { length: schedule.length / 2, ..schedule };
    let (mut with, mut without) = (Measured::default(), Measured::default());
    for [subscribed, other] in [[0, 1], [1, 0]] {
        subscribe_only(store, companies[subscribed], companies[other]).await?;
        let (a, b) = alternate(
            half,
            Side {
                target,
                make: &|_| companies[subscribed].booker.call(),
                check: &|x| keep_id(&booked[subscribed], x),
            },
            Side { target, make: &|_| companies[other].booker.call(), check: &|x| keep_id(&booked[other], x) },
        )
        .await?;
        with.join(a);
        without.join(b);
    }
    // Back as the bench began: the first company subscribed.
    subscribe_only(store, companies[0], companies[1]).await?;
    let recorded = with.count();
    report(with, without);
    let [first, _] = booked;
    Ok((first.into_inner().unwrap_or_default(), recorded))
}

/// Prints both sides and what the outbox costs.
fn report(a: Measured, b: Measured) {
    let (rate_a, rate_b) = (a.rate(), b.rate());
    let (cpu_a, cpu_b) = (a.writer_per_request(), b.writer_per_request());
    let (mean_a, mean_b) = (a.mean_latency_ms(), b.mean_latency_ms());
    let change = |x: f64, y: f64| (x / y.max(f64::EPSILON) - 1.0) * 100.0;
    // PostgreSQL has no writer thread: nothing to compare.
    let writer_cpu = match cpu_b > 0.0 {
        true => format!(", {:>+7.1} % writer CPU a booking", change(cpu_a, cpu_b)),
        false => String::new(),
    };
    let summary = format!(
        "  outbox cost                  {:>+7.1} % req/s, {:>+7.1} % mean latency ({mean_a:.2} ms against {mean_b:.2} ms){writer_cpu}",
        change(rate_a, rate_b),
        change(mean_a, mean_b),
    );
    let latency = Paired::of(&a, &b, |r| r.mean_latency_ms);
    let writer = Paired::of(&a, &b, |r| r.writer_us);
    a.print("meeting/book, subscribed");
    b.print("meeting/book, no subscription");
    println!("{summary}");
    if let Some(latency) = latency {
        let writer = writer.map(|w| format!(", writer CPU {w}")).unwrap_or_default();
        println!("  outbox cost, round by round  {} pairs: mean latency {latency}{writer}", latency.pairs);
    }
}

/// The baseline the foundation issue names: a bare axum JSON handler (`axum::serve`, one
/// route, no middleware), on its own port in this process, so it shares the cores and the
/// load generator with roomd exactly.
pub(crate) async fn bare_axum() -> anyhow::Result<SocketAddr> {
    #[derive(serde::Serialize)]
    struct Answer {
        code: i64,
        message: &'static str,
    }
    let router = axum::Router::new()
        .route("/bare", axum::routing::get(|| async { axum::Json(Answer { code: 10000, message: "ok" }) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok(addr)
}
