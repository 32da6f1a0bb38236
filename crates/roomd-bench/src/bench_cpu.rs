//! CPU time spent during a phase, read from `/proc/self/task/*/schedstat` (Linux): the whole
//! process (server and load generator together), and the SQLite writer thread alone. Per
//! request it is steadier than the request rate on a machine shared with other work, so
//! A/B comparisons read it next to the rate.

use std::path::Path;

/// CPU nanoseconds so far: of every thread of this process, and of the thread named
/// `roomd-writer`. `None` where `/proc` has no schedstat.
#[derive(Debug, Clone, Copy)]
pub struct CpuTime {
    pub process_ns: u64,
    pub writer_ns: u64,
}

impl CpuTime {
    pub fn now() -> Option<CpuTime> {
        let mut time = CpuTime { process_ns: 0, writer_ns: 0 };
        for task in std::fs::read_dir("/proc/self/task").ok()?.flatten() {
            let Some(ns) = run_ns(&task.path()) else { continue };
            time.process_ns += ns;
            if std::fs::read_to_string(task.path().join("comm")).is_ok_and(|c| c.trim() == "roomd-writer") {
                time.writer_ns += ns;
            }
        }
        Some(time)
    }
}

/// The first field of schedstat: nanoseconds on a CPU.
fn run_ns(task: &Path) -> Option<u64> {
    std::fs::read_to_string(task.join("schedstat")).ok()?.split_whitespace().next()?.parse().ok()
}
