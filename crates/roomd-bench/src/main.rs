//! `roomd-bench`: roomd's lab, apart from the product. Loads a data set into an
//! in-process server and drives it over HTTP, side by side with the baselines a target
//! names (`docs/performance.md` gives the commands and the current figures).

mod bench;
mod bench_ab;
mod bench_cpu;
mod bench_events;
mod bench_feed;
mod bench_free;
mod bench_measure;
mod bench_pair;
mod bench_series;
mod bench_setup;
mod bench_sqlite;

use clap::Parser;

/// The allocator `roomd` itself runs with, so that what is measured is what ships.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "roomd-bench",
    version,
    about = "Load generator: bookings and reads over HTTP against an in-process roomd"
)]
struct Cli {
    #[command(flatten)]
    args: bench::BenchArgs,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    roomd_server::install_tls();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(bench::run(cli.args))
}
