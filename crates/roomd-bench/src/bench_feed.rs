//! `--feed`: a room's calendar feed holding a year of meetings (2,500 events) against one
//! room's day through `meeting/list`, side by side in alternating rounds (the calendars
//! issue's target: at least a tenth of the day's rate); then the same feed asked with
//! its `ETag`, answered 304 without writing the calendar.

use std::net::SocketAddr;

use roomd_core::Caller;
use roomd_core::meeting::Meeting;
use roomd_core::room::RoomPatch;
use roomd_core::time::{DAY_MS, TimeSpan};
use roomd_store::Store;

use crate::bench_ab::{Schedule, Side, alternate};
use crate::bench_measure::Call;
use crate::bench_setup::{day_call, loaded_meeting, non_empty_day};

/// The feed's meetings: 7 a day from 30 days ago, within the feed's window.
const EVENTS: i64 = 2_500;

/// A room of its own with `EVENTS` meetings over the feed's year.
async fn feed_room(store: &Store, caller: &Caller) -> anyhow::Result<String> {
    let room = store.add_room(caller, None, RoomPatch { name: Some("feed room".into()), ..Default::default() }).await?;
    let first_day = roomd_core::Clock::now_ms(&roomd_core::SystemClock) / DAY_MS - 30;
    let meetings = (0..EVENTS).map(|i| {
        let begin = (first_day + i / 7) * DAY_MS + 3_600_000 + (i % 7) * 3_600_000;
        let span = TimeSpan::new(begin, begin + 3_600_000).expect("a span");
        Meeting {
            subject: format!("周例会, week {}", i / 35),
            address: "3F, Building A".into(),
            memo: "Agenda: numbers; risks\nNotes in the doc".into(),
            ..loaded_meeting(room.id.clone(), span, caller.tz)
        }
    });
    store.import_meetings(caller, meetings.collect()).await?;
    Ok(room.id.into_string())
}

pub(crate) async fn against_a_day(
    schedule: Schedule,
    target: SocketAddr,
    (store, caller): (&Store, &Caller),
    rooms: &[String],
    token: &str,
    days: (i64, i64),
) -> anyhow::Result<()> {
    let room = feed_room(store, caller).await?;
    let owner = roomd_core::ical::FeedOwner::Room(roomd_core::RoomId::from_stored(room));
    let secret = store.calendar_feed(caller, owner, false).await?;
    let feed = format!("/calendar/{secret}.ics");
    let list = format!("/meeting/api/open/meeting/list?access_token={token}");
    // The first answer is read whole; the rest must be the same length and whole (a
    // scan of every answer would cost this process more than the server's write).
    let first = reqwest::get(format!("http://{target}{feed}")).await?.bytes().await?;
    let events = first.windows(12).filter(|w| w == b"BEGIN:VEVENT").count();
    anyhow::ensure!(events as i64 == EVENTS, "a feed of {events} events");
    let whole = |answer: &[u8]| {
        anyhow::ensure!(answer.len() == first.len() && answer.ends_with(b"END:VCALENDAR\r\n"), "a feed cut short");
        Ok(())
    };
    let day = |i| day_call(&list, rooms, days, i);
    let (fed, listed) = alternate(
        schedule,
        Side { target, make: &|_| Call::get(&feed), check: &whole },
        Side { target, make: &day, check: &non_empty_day },
    )
    .await?;
    let ratio = fed.rate() / listed.rate().max(f64::EPSILON) * 100.0;
    fed.print("GET feed (2,500 events)");
    listed.print("meeting/list (a room's day)");
    println!("  feed / a room's day            {ratio:>7.1} %   (target ≥ 10 %)");

    let etag = crate::bench_measure::etag_of(target, &feed).await?;
    let unchanged = |answer: &[u8]| {
        anyhow::ensure!(answer.is_empty(), "a 304 with a body");
        Ok(())
    };
    let (same, listed) = alternate(
        schedule,
        Side { target, make: &|_| Call::get(&feed).if_none_match(&etag), check: &unchanged },
        Side { target, make: &day, check: &non_empty_day },
    )
    .await?;
    let ratio = same.rate() / listed.rate().max(f64::EPSILON) * 100.0;
    same.print("GET feed, If-None-Match (304)");
    listed.print("meeting/list (a room's day)");
    println!("  304 / a room's day             {ratio:>7.1} %");
    Ok(())
}
