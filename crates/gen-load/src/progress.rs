//! One short line on stderr for each step that takes over a second
//! (starting the sandbox's server or container, loading a side, reading a
//! catalog), so that a long run says what it is doing. Only where stderr
//! is a terminal and the CLI has switched it on: never in a pipe, a log or
//! a test's captured output.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

static ON: AtomicBool = AtomicBool::new(false);

/// How long a step runs before it is announced.
const AFTER: Duration = Duration::from_secs(1);

/// Switches progress lines on (the CLI does, when stderr is a terminal).
pub fn enable() {
    ON.store(true, Ordering::Relaxed);
}

/// Runs `work`; if it is still running after a second, says `what` it is
/// doing, and how long it took once it is done.
pub async fn step<T>(what: &str, work: impl Future<Output = T>) -> T {
    if !ON.load(Ordering::Relaxed) {
        return work.await;
    }
    let started = Instant::now();
    let mut work = std::pin::pin!(work);
    tokio::select! {
        out = &mut work => return out,
        () = tokio::time::sleep(AFTER) => {}
    }
    eprintln!("gen: {what}…");
    let out = work.await;
    eprintln!("gen: {what}: {:.1} s", started.elapsed().as_secs_f64());
    out
}
