//! `roomd-bench --against postgres://…`: the same phases on two databases at once. Two
//! servers in this process, loaded with the same rooms and meetings, answer the same
//! clients in alternating rounds (A B B A …), so both see the same background load; each
//! phase prints both sides, their ratio, and the median ratio of neighbouring rounds.
//! The "PostgreSQL within 2× of SQLite" is such a ratio, and on a shared machine
//! two runs minutes apart differ more than that.

use std::sync::Mutex;

use roomd_core::time::DAY_MS;
use roomd_core::{Clock, SystemClock};

use crate::bench::BenchArgs;
use crate::bench_ab::{Booker, Paired, Side, alternate, keep_id};
use crate::bench_measure::Measured;
use crate::bench_setup::{Served, day_call, get_call, load, loaded_days, non_empty_day, token};

/// One database under measurement: its server, a company's token and rooms.
struct Subject {
    served: Served,
    token: String,
    rooms: Vec<String>,
}

impl Subject {
    async fn start(url: Option<String>, args: &BenchArgs) -> anyhow::Result<Subject> {
        let served = Served::start(url).await?;
        let rooms = load(&served.store, &served.caller, args.rooms, args.meetings).await?;
        let base = format!("http://{}", served.addr);
        let token = token(&base, &served.credential.appkey, &served.credential.appsecret).await?;
        Ok(Subject { served, token, rooms })
    }

    fn path(&self, name: &str) -> String {
        format!("/meeting/api/open/{name}?access_token={}", self.token)
    }
}

pub(crate) async fn run(args: &BenchArgs, against: String) -> anyhow::Result<()> {
    let a = Subject::start(args.bench_database_url.clone(), args).await?;
    let b = Subject::start(Some(against), args).await?;
    let (kind_a, kind_b) = (a.served.store.kind(), b.served.store.kind());
    println!(
        "roomd-bench: {kind_a:?} (A) against {kind_b:?} (B), {} rooms, {} meetings each, {} clients, {} s a phase",
        args.rooms, args.meetings, args.clients, args.seconds
    );
    let compare = |name: &str, (ma, mb): (Measured, Measured)| {
        let ratio = ma.rate() / mb.rate().max(f64::EPSILON);
        let paired = Paired::of(&ma, &mb, |r| r.rate).map(|p| {
            let [median, low, high] = p.ratios();
            format!(", round by round {median:.2} (quartiles {low:.2} to {high:.2}, {} pairs)", p.pairs)
        });
        ma.print(&format!("{name}, A"));
        mb.print(&format!("{name}, B"));
        println!("  {name}: A / B = {ratio:.2}{}", paired.unwrap_or_default());
    };

    let base_day = (SystemClock.now_ms() / DAY_MS + 400) * DAY_MS;
    let (book_a, book_b) = (
        Booker::new(a.rooms.clone(), a.token.clone(), base_day),
        Booker::new(b.rooms.clone(), b.token.clone(), base_day),
    );
    let (ids_a, ids_b) = (Mutex::new(Vec::new()), Mutex::new(Vec::new()));
    let booked = alternate(
        args.schedule(),
        Side { target: a.served.addr, make: &|_| book_a.call(), check: &|x| keep_id(&ids_a, x) },
        Side { target: b.served.addr, make: &|_| book_b.call(), check: &|x| keep_id(&ids_b, x) },
    )
    .await?;
    compare("meeting/book", booked);

    let (ids_a, ids_b) = (ids_a.into_inner().unwrap_or_default(), ids_b.into_inner().unwrap_or_default());
    anyhow::ensure!(!ids_a.is_empty() && !ids_b.is_empty(), "no booking succeeded");
    let (get_a, get_b) = (a.path("meeting/get"), b.path("meeting/get"));
    let gets = alternate(
        args.schedule(),
        Side { target: a.served.addr, make: &|i| get_call(&get_a, &ids_a, i), check: &|_| Ok(()) },
        Side { target: b.served.addr, make: &|i| get_call(&get_b, &ids_b, i), check: &|_| Ok(()) },
    )
    .await?;
    compare("meeting/get", gets);

    let days = loaded_days(args.rooms, args.meetings);
    let (list_a, list_b) = (a.path("meeting/list"), b.path("meeting/list"));
    let lists = alternate(
        args.schedule(),
        Side { target: a.served.addr, make: &|i| day_call(&list_a, &a.rooms, days, i), check: &non_empty_day },
        Side { target: b.served.addr, make: &|i| day_call(&list_b, &b.rooms, days, i), check: &non_empty_day },
    )
    .await?;
    compare("meeting/list (a room's day)", lists);

    a.served.stop().await;
    b.served.stop().await;
    Ok(())
}
