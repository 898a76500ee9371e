//! Time spent in each stage of a run: parsing and ordering schema files,
//! loading them into the sandbox, reading catalogs, diffing, planning and
//! rendering. `scripts/bench.py` sets `GEN_TIMINGS=1`, and gen prints one
//! line on stderr at the end of the run, so that a stage that grows faster
//! than the schema shows.
//!
//! A stage's time is summed over the run: the two sides load and are read
//! at the same time, so stages may add up to more than the wall time. Off
//! unless switched on, when timing a stage costs one atomic load.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A stage of a run, in the order a run goes through them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Finding statements in schema files and building their parse trees.
    Parse,
    /// Putting statements in load order.
    Order,
    /// Running schema files or migrations in the sandbox.
    Load,
    /// Reading a database's catalog.
    Introspect,
    /// Comparing two catalogs into changes.
    Diff,
    /// Ordering changes into steps, with their hazards and locks.
    Plan,
    /// Writing the plan out as SQL, Markdown or JSON.
    Render,
}

impl Stage {
    const ALL: [Stage; 7] = [
        Stage::Parse,
        Stage::Order,
        Stage::Load,
        Stage::Introspect,
        Stage::Diff,
        Stage::Plan,
        Stage::Render,
    ];

    /// The stage's name in the report.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Parse => "parse",
            Stage::Order => "order",
            Stage::Load => "load",
            Stage::Introspect => "introspect",
            Stage::Diff => "diff",
            Stage::Plan => "plan",
            Stage::Render => "render",
        }
    }
}

static ON: AtomicBool = AtomicBool::new(false);
static NANOS: [AtomicU64; 7] = [const { AtomicU64::new(0) }; 7];

/// Starts recording (the CLI does, when `GEN_TIMINGS` is set).
pub fn enable() {
    ON.store(true, Ordering::Relaxed);
}

/// Adds `elapsed` to `stage`.
pub fn record(stage: Stage, elapsed: Duration) {
    if ON.load(Ordering::Relaxed) {
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        NANOS[stage as usize].fetch_add(nanos, Ordering::Relaxed);
    }
}

/// Runs `work`, counting its time to `stage`.
pub fn time<T>(stage: Stage, work: impl FnOnce() -> T) -> T {
    if !ON.load(Ordering::Relaxed) {
        return work();
    }
    let started = Instant::now();
    let out = work();
    record(stage, started.elapsed());
    out
}

/// Awaits `work`, counting its time to `stage`.
pub async fn time_async<T>(stage: Stage, work: impl Future<Output = T>) -> T {
    if !ON.load(Ordering::Relaxed) {
        return work.await;
    }
    let started = Instant::now();
    let out = work.await;
    record(stage, started.elapsed());
    out
}

/// `parse 0.012 s, order 0.003 s, …`: every stage's time so far, when
/// recording is on.
pub fn report() -> Option<String> {
    ON.load(Ordering::Relaxed).then(|| {
        Stage::ALL
            .iter()
            .map(|&stage| {
                let nanos = NANOS[stage as usize].load(Ordering::Relaxed);
                format!(
                    "{} {:.3} s",
                    stage.name(),
                    Duration::from_nanos(nanos).as_secs_f64()
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_summed_and_reported_in_run_order() {
        assert_eq!(report(), None);
        time(Stage::Diff, || ());
        enable();
        record(Stage::Load, Duration::from_millis(1500));
        record(Stage::Load, Duration::from_millis(250));
        assert_eq!(time(Stage::Render, || 7), 7);
        let line = report().expect("on");
        assert!(
            line.starts_with("parse 0.000 s, order 0.000 s, load 1.750 s, introspect 0.000 s, diff 0.000 s, plan 0.000 s, render 0.0"),
            "{line}"
        );
    }
}
