//! The measuring itself: a call, sent from many clients in loops over keep-alive
//! connections, each answer checked, and what a phase (or its rounds) measured: latency
//! percentiles, errors, and CPU time a request of the process and of SQLite's writer.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Method;
use hyper_util::rt::TokioIo;
use serde_json::Value;

use crate::bench_cpu::CpuTime;

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
