//! Worker threads under a watchdog, results handed over in item order.
//!
//! Each worker takes the next item and does all of its work on its own thread; the
//! calling thread receives the results, hands them on in item order and is the
//! watchdog. An item still running past the time limit gets its failure result, its
//! worker is abandoned (threads cannot be killed: it exits when it finishes, its result
//! discarded) and a fresh worker takes its place. An item that finishes but took longer
//! than the limit is failed the same way, so the limit means one thing. Workers never run
//! more than [`WINDOW`] items ahead of the oldest one not yet handed over, which bounds
//! the results waiting for their turn whatever the number of items.

use std::collections::BTreeMap;
use std::io;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// Most items taken but not yet handed over.
pub(crate) const WINDOW: usize = 128;

/// Why an item has no result of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// Still running, or finished, past this time limit.
    TimeLimit(Duration),
    /// The work panicked (a bug, reported in the log).
    Panicked,
}

/// The work done on each item.
pub(crate) trait Job: Send + Sync + 'static {
    type Output: Send + 'static;
    /// Does the item's work; may name the item's id early through `watch`.
    fn run(&self, index: usize, watch: &Watch) -> Self::Output;
    /// The result of an item that failed; `id` is what `run` named, if it got so far.
    fn failed(&self, index: usize, id: Option<&str>, why: Failure) -> Self::Output;
}

/// A worker's current item, as the watchdog sees it.
#[derive(Default)]
pub(crate) struct Watch {
    state: Mutex<Running>,
}

#[derive(Default)]
struct Running {
    item: Option<(usize, Instant)>,
    id: Option<String>,
    abandoned: bool,
}

impl Watch {
    /// Names the running item (its failure row needs an id if it gets stuck).
    pub(crate) fn identify(&self, id: &str) {
        lock(&self.state).id = Some(id.to_string());
    }

    /// Abandons the worker if its item is past `limit`: the item and its id.
    fn abandon_if_overdue(&self, limit: Duration) -> Option<(usize, Option<String>)> {
        let mut running = lock(&self.state);
        let (index, started) = running.item?;
        if started.elapsed() <= limit {
            return None;
        }
        running.abandoned = true;
        running.item = None;
        Some((index, running.id.take()))
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic is caught around each item, so no lock is held across one; poisoning
    // would not leave any of these states half-written either.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Results finished since the caller last looked that make it worth waking it: waking
/// it for every one would cost a system call and a context switch per item.
const BATCH: usize = 16;

/// Which items are taken, which results wait for their turn, how far results have
/// been handed over.
struct State<T> {
    next: usize,
    handed_over: usize,
    waiting: BTreeMap<usize, T>,
    /// Results put in `waiting` since the caller last took from it.
    fresh: usize,
    closed: bool,
}

struct Shared<J: Job> {
    job: J,
    count: usize,
    limit: Duration,
    state: Mutex<State<J::Output>>,
    /// Signalled when the window moves on (for workers).
    turn: Condvar,
    /// Signalled when results are worth handing over (for the caller).
    ready: Condvar,
}

impl<J: Job> Shared<J> {
    /// The next item to work on, waiting while the window is full; `None` when done.
    fn claim(&self) -> Option<usize> {
        let mut state = lock(&self.state);
        loop {
            if state.closed || state.next >= self.count {
                return None;
            }
            if state.next < state.handed_over + WINDOW {
                state.next += 1;
                return Some(state.next - 1);
            }
            state = self
                .turn
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Leaves a result for the caller, waking it when a batch is ready, when nothing is
    /// left to claim (the last results), or when the window is full (workers wait).
    fn deposit(&self, index: usize, output: J::Output) {
        let mut state = lock(&self.state);
        state.waiting.insert(index, output);
        state.fresh += 1;
        if state.fresh >= BATCH
            || state.next >= self.count
            || state.next >= state.handed_over + WINDOW
        {
            self.ready.notify_one();
        }
    }
}

fn work<J: Job>(shared: Arc<Shared<J>>, watch: Arc<Watch>) {
    while let Some(index) = shared.claim() {
        let started = Instant::now();
        {
            let mut running = lock(&watch.state);
            running.item = Some((index, started));
            running.id = None;
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| shared.job.run(index, &watch)));
        let output = {
            let mut running = lock(&watch.state);
            if running.abandoned {
                return; // the watchdog has given this item its failure result
            }
            running.item = None;
            let id = running.id.as_deref();
            match outcome {
                Ok(output) if started.elapsed() <= shared.limit => output,
                Ok(_) => shared
                    .job
                    .failed(index, id, Failure::TimeLimit(shared.limit)),
                Err(_) => shared.job.failed(index, id, Failure::Panicked),
            }
        };
        shared.deposit(index, output);
    }
}

fn spawn<J: Job>(shared: &Arc<Shared<J>>) -> io::Result<Arc<Watch>> {
    let watch = Arc::new(Watch::default());
    let (shared, worker_watch) = (shared.clone(), watch.clone());
    std::thread::Builder::new()
        .name("nianbao-worker".into())
        .spawn(move || work(shared, worker_watch))?;
    Ok(watch)
}

/// Closes the claims when the caller returns, early or not, so no worker waits forever.
struct CloseOnDrop<'a, J: Job>(&'a Shared<J>);

impl<J: Job> Drop for CloseOnDrop<'_, J> {
    fn drop(&mut self) {
        lock(&self.0.state).closed = true;
        self.0.turn.notify_all();
    }
}

/// Runs `job` on items `0..count` with `threads` workers, each item limited to
/// `limit`, and calls `hand_over` with every result in item order on this thread.
pub(crate) fn run_in_order<J: Job>(
    job: J,
    count: usize,
    threads: usize,
    limit: Duration,
    mut hand_over: impl FnMut(usize, J::Output) -> io::Result<()>,
) -> io::Result<()> {
    if count == 0 {
        return Ok(());
    }
    let shared = Arc::new(Shared {
        job,
        count,
        limit,
        state: Mutex::new(State {
            next: 0,
            handed_over: 0,
            waiting: BTreeMap::new(),
            fresh: 0,
            closed: false,
        }),
        turn: Condvar::new(),
        ready: Condvar::new(),
    });
    let _close = CloseOnDrop(&shared);
    let mut watches = Vec::new();
    for _ in 0..threads.clamp(1, count) {
        watches.push(spawn(&shared)?);
    }
    // How often the watchdog looks at items still running.
    let tick = (limit / 4).clamp(Duration::from_millis(1), Duration::from_millis(250));
    let mut next = 0;
    let mut turn: Vec<J::Output> = Vec::new();
    while next < count {
        {
            let state = lock(&shared.state);
            if state
                .waiting
                .first_key_value()
                .is_none_or(|(i, _)| *i != next)
            {
                // Woken by a batch of results, or after a tick for the watchdog.
                let _ = shared.ready.wait_timeout(state, tick);
            }
        }
        // The watchdog: an overdue item's failure takes the place of its result.
        let mut overdue = Vec::new();
        for watch in &mut watches {
            if let Some((index, id)) = watch.abandon_if_overdue(limit) {
                tracing::error!(index, "item still running after the time limit; abandoned");
                let failure = shared
                    .job
                    .failed(index, id.as_deref(), Failure::TimeLimit(limit));
                overdue.push((index, failure));
                *watch = spawn(&shared)?;
            }
        }
        {
            let mut state = lock(&shared.state);
            state.fresh = 0;
            state.waiting.extend(overdue);
            while let Some(output) = state.waiting.remove(&(next + turn.len())) {
                turn.push(output);
            }
        }
        // Handed over without the lock, so workers go on meanwhile.
        let moved = !turn.is_empty();
        for output in turn.drain(..) {
            hand_over(next, output)?;
            next += 1;
        }
        if moved {
            lock(&shared.state).handed_over = next;
            shared.turn.notify_all();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Squares its index; sleeps on 3 (past any small limit) and panics where told.
    struct Squares {
        panic_at: Option<usize>,
    }

    impl Job for Squares {
        type Output = Result<usize, (Option<String>, Failure)>;
        fn run(&self, index: usize, watch: &Watch) -> Self::Output {
            watch.identify(&format!("item{index}"));
            if index == 3 {
                std::thread::sleep(Duration::from_millis(400));
            }
            assert_ne!(Some(index), self.panic_at, "a bug");
            Ok(index * index)
        }
        fn failed(&self, _: usize, id: Option<&str>, why: Failure) -> Self::Output {
            Err((id.map(str::to_string), why))
        }
    }

    fn run(job: Squares, count: usize, threads: usize, limit: Duration) -> Vec<String> {
        let mut seen = Vec::new();
        run_in_order(job, count, threads, limit, |i, out| {
            assert_eq!(i, seen.len(), "out of order");
            seen.push(format!("{out:?}"));
            Ok(())
        })
        .unwrap();
        seen
    }

    #[test]
    fn results_come_in_order_and_a_stuck_item_is_failed_in_its_place() {
        for threads in [1, 2, 7] {
            let count = 2 * WINDOW + 9;
            let seen = run(
                Squares { panic_at: None },
                count,
                threads,
                Duration::from_millis(100),
            );
            let expected: Vec<String> = (0..count)
                .map(|n| match n {
                    3 => r#"Err((Some("item3"), TimeLimit(100ms)))"#.to_string(),
                    _ => format!("Ok({})", n * n),
                })
                .collect();
            assert_eq!(seen, expected, "{threads} threads");
        }
    }

    #[test]
    fn under_a_generous_limit_the_slow_item_finishes_and_a_panic_is_one_failure() {
        let seen = run(Squares { panic_at: Some(5) }, 8, 2, Duration::from_secs(30));
        assert_eq!(seen[3], "Ok(9)");
        assert_eq!(seen[5], r#"Err((Some("item5"), Panicked))"#);
        assert_eq!(seen[7], "Ok(49)");
    }

    #[test]
    fn a_failed_hand_over_stops_the_run_with_its_error() {
        let job = Squares { panic_at: None };
        let result = run_in_order(job, 2000, 2, Duration::from_secs(30), |i, _| {
            if i == 10 {
                Err(io::Error::other("disk full"))
            } else {
                Ok(())
            }
        });
        assert_eq!(result.unwrap_err().to_string(), "disk full");
    }
}
