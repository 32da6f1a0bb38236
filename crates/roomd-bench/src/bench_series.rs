//! `--series`: a weekly series of 52 occurrences against single bookings, side by side in
//! alternating rounds (the scheduling issue's target: one series costs at most as much as
//! five single bookings, by median latency). Every series and every single booking lands
//! in free slots, so each is a full check and insert, committed before the answer.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};

use roomd_core::time::DAY_MS;
use serde_json::{Value, json};

use crate::bench_ab::{Booker, Schedule, Side, alternate};
use crate::bench_measure::Call;

/// Weekly slots of 30 minutes a room offers: 26 from 09:00 Shanghai, seven days.
const WEEKLY_SLOTS: i64 = 26 * 7;

struct SeriesBooker {
    rooms: Vec<String>,
    token: String,
    base_day: i64,
    next: AtomicU64,
}

impl SeriesBooker {
    /// The next series: its own weekly slot of its own room, 52 weeks from `base_day`
    /// (a year-long block each time the slots run out).
    fn call(&self) -> Call {
        let i = self.next.fetch_add(1, Ordering::Relaxed) as i64;
        let n = self.rooms.len() as i64;
        let (slot, block) = ((i / n) % WEEKLY_SLOTS, (i / n) / WEEKLY_SLOTS);
        let begin =
            self.base_day + block * 53 * 7 * DAY_MS + (slot / 26) * DAY_MS + 3_600_000 + (slot % 26) * 1_800_000;
        Call::post(
            &format!("/meeting/api/open/meeting/book?access_token={}", self.token),
            json!({"roomId": self.rooms[(i % n) as usize], "speaker": "bench", "subject": "weekly",
                   "beginTime": begin, "endTime": begin + 1_800_000, "createdId": "1",
                   "attendances": [{"userId": "1"}], "recurrence": "FREQ=WEEKLY;COUNT=52"}),
        )
    }
}

/// A series answer that booked all 52.
fn all_booked(answer: &[u8]) -> anyhow::Result<()> {
    let v: Value = serde_json::from_slice(answer)?;
    match v["value"]["occurrences"].as_array().map(Vec::len) {
        Some(52) => Ok(()),
        _ => anyhow::bail!("a series did not book 52: {v}"),
    }
}

pub(crate) async fn against_singles(
    schedule: Schedule,
    target: SocketAddr,
    rooms: Vec<String>,
    token: String,
    base_day: i64,
) -> anyhow::Result<()> {
    let singles = Booker::new(rooms.clone(), token.clone(), base_day);
    // Series far after the singles' days, so the two never meet.
    let series = SeriesBooker { rooms, token, base_day: base_day + 1_000 * DAY_MS, next: AtomicU64::new(0) };
    let (s, one) = alternate(
        schedule,
        Side { target, make: &|_| series.call(), check: &all_booked },
        Side { target, make: &|_| singles.call(), check: &|_| Ok(()) },
    )
    .await?;
    let (series_p50, single_p50) = (s.percentile_ms(0.5), one.percentile_ms(0.5));
    s.print("meeting/book weekly × 52");
    one.print("meeting/book (single)");
    println!(
        "  series p50 / 5 × single p50   {:>7.1} %   (target ≤ 100 %: {series_p50:.2} ms against 5 × {single_p50:.2} ms)",
        series_p50 / (5.0 * single_p50).max(f64::EPSILON) * 100.0
    );
    Ok(())
}
