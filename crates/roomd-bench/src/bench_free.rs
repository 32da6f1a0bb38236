//! `--free`: `room/free` over every room against one room's day through `meeting/list`,
//! side by side in alternating rounds (the scheduling issue's target: at least a quarter
//! of the day's rate, and a p99 under 20 ms, with 2,000 rooms and 1,000,000 meetings).
//! Each search is an hour of a loaded day still ahead, when every room holds a meeting.

use std::net::SocketAddr;

use roomd_core::time::DAY_MS;
use serde_json::{Value, json};

use crate::bench_ab::{Schedule, Side, alternate};
use crate::bench_measure::Call;
use crate::bench_setup::{day_call, non_empty_day};

pub(crate) async fn against_a_day(
    schedule: Schedule,
    target: SocketAddr,
    rooms: &[String],
    token: &str,
    (first_day, days): (i64, i64),
) -> anyhow::Result<()> {
    let today = roomd_core::Clock::now_ms(&roomd_core::SystemClock) / DAY_MS;
    let ahead: Vec<i64> = (today + 1..first_day + days).collect();
    anyhow::ensure!(!ahead.is_empty(), "no loaded day ahead: load more meetings");
    let free = format!("/meeting/api/open/room/free?access_token={token}");
    let list = format!("/meeting/api/open/meeting/list?access_token={token}");
    // 02:00–03:00 UTC: 10:00–11:00 in Shanghai, inside the loaded hours.
    let search = |i: u64| {
        let day = ahead[(i as usize).wrapping_mul(7) % ahead.len()];
        let begin = day * DAY_MS + 2 * 3_600_000;
        Call::post(&free, json!({"beginTime": begin, "endTime": begin + 3_600_000}))
    };
    let answered = |answer: &[u8]| {
        let v: Value = serde_json::from_slice(answer)?;
        anyhow::ensure!(v["code"] == 10000, "room/free answered {v}");
        Ok(())
    };
    let (found, listed) = alternate(
        schedule,
        Side { target, make: &search, check: &answered },
        Side { target, make: &|i| day_call(&list, rooms, (first_day, days), i), check: &non_empty_day },
    )
    .await?;
    let (ratio, p99) = (found.rate() / listed.rate().max(f64::EPSILON) * 100.0, found.percentile_ms(0.99));
    found.print("room/free (every room)");
    listed.print("meeting/list (a room's day)");
    println!("  room/free / a room's day      {ratio:>7.1} %   (target ≥ 25 %; p99 {p99:.2} ms, target < 20 ms)");
    Ok(())
}
