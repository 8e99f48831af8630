//! Worker threads under a watchdog, results handed over in item order.
//!
//! Each item's work comes in two stages (for a document: reading it, then extracting
//! and rendering it). A worker takes a small group of items and runs the first stage on
//! all of them, then the second: the code of one stage stays warm in the caches and the
//! branch predictors across the group, where alternating stages item by item evicted it
//! each time. The calling thread receives the results, hands them on in item order and
//! is the watchdog. An item still running past the time limit (counted over its own
//! stages) gets its failure result, its worker is abandoned (threads cannot be killed: it
//! exits when it finishes, its results discarded), the other items of its group go back
//! to be taken again, and a fresh worker takes its place. An item that finishes but took
//! longer than the limit is failed the same way, so the limit means one thing. Workers
//! never run more than a window of items (at least [`WINDOW`]) ahead of the oldest one
//! not yet handed over, which bounds the results waiting for their turn whatever the
//! number of items.

use std::collections::BTreeMap;
use std::io;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// Most items taken but not yet handed over, for a few workers; more workers get room
/// for two groups each.
const WINDOW: usize = 128;

/// Why an item has no result of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// Still running, or finished, past this time limit.
    TimeLimit(Duration),
    /// The work panicked (a bug, reported in the log).
    Panicked,
}

/// Items a worker takes at once, each stage running over all of them.
const GROUP: usize = 32;

/// A group is closed early once its first stages hold this many bytes (a large document
/// goes alone).
const GROUP_BYTES: usize = 8 << 20;

/// What the first stage leaves of an item.
pub(crate) enum Stage<P, O> {
    /// Half done, for the second stage; `bytes` is about what it holds in memory.
    Started { part: P, bytes: usize },
    /// Done already (a cached result, an unreadable file).
    Done(O),
}

/// The work done on each item, in two stages.
pub(crate) trait Job: Send + Sync + 'static {
    type Part: Send + 'static;
    type Output: Send + 'static;
    /// The first stage; may name the item's id early through `watch`.
    fn start(&self, index: usize, watch: &Watch) -> Stage<Self::Part, Self::Output>;
    /// The second stage, on what the first left.
    fn finish(&self, index: usize, part: Self::Part, watch: &Watch) -> Self::Output;
    /// The result of an item that failed; `id` is what its stages named, if they got so
    /// far.
    fn failed(&self, index: usize, id: Option<&str>, why: Failure) -> Self::Output;
}

/// A worker's current item, as the watchdog sees it.
#[derive(Default)]
pub(crate) struct Watch {
    state: Mutex<Running>,
}

#[derive(Default)]
struct Running {
    /// The item in a stage now, and when it would have started had its earlier stages
    /// run just before.
    item: Option<(usize, Instant)>,
    id: Option<String>,
    /// The items of the group taken and not yet handed over, the one in a stage
    /// among them.
    held: Vec<usize>,
    abandoned: bool,
}

impl Watch {
    /// Names the running item (its failure row needs an id if it gets stuck).
    pub(crate) fn identify(&self, id: &str) {
        lock(&self.state).id = Some(id.to_string());
    }

    /// Abandons the worker if its item is past `limit`: the item, its id and the other
    /// items of its group, to be taken again.
    fn abandon_if_overdue(&self, limit: Duration) -> Option<Abandoned> {
        let mut running = lock(&self.state);
        let (index, started) = running.item?;
        if started.elapsed() <= limit {
            return None;
        }
        running.abandoned = true;
        running.item = None;
        let others = std::mem::take(&mut running.held)
            .into_iter()
            .filter(|&i| i != index)
            .collect();
        Some(Abandoned {
            index,
            id: running.id.take(),
            others,
        })
    }
}

/// What the watchdog takes back from an abandoned worker.
struct Abandoned {
    index: usize,
    id: Option<String>,
    others: Vec<usize>,
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
    /// Items of an abandoned worker's group, to be taken before `next`.
    again: Vec<usize>,
    handed_over: usize,
    waiting: BTreeMap<usize, T>,
    /// Results put in `waiting` since the caller last took from it.
    fresh: usize,
    closed: bool,
}

struct Shared<J: Job> {
    job: J,
    count: usize,
    /// Most items taken but not yet handed over.
    window: usize,
    limit: Duration,
    state: Mutex<State<J::Output>>,
    /// Signalled when the window moves on (for workers).
    turn: Condvar,
    /// Signalled when results are worth handing over (for the caller).
    ready: Condvar,
}

impl<J: Job> Shared<J> {
    /// The next item to work on, waiting while the window is full if `wait`; `None`
    /// when done (or, without `wait`, when the window is full).
    fn claim(&self, wait: bool) -> Option<usize> {
        let mut state = lock(&self.state);
        loop {
            if state.closed {
                return None;
            }
            if let Some(index) = state.again.pop() {
                return Some(index);
            }
            if state.next >= self.count {
                return None;
            }
            if state.next < state.handed_over + self.window {
                state.next += 1;
                return Some(state.next - 1);
            }
            if !wait {
                return None;
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
            || state.next >= state.handed_over + self.window
        {
            self.ready.notify_one();
        }
    }
}

/// An item between its stages.
struct Pending<P> {
    index: usize,
    part: P,
    /// The time its first stage took.
    spent: Duration,
    id: Option<String>,
}

fn work<J: Job>(shared: Arc<Shared<J>>, watch: Arc<Watch>) {
    // A worker holding items never waits for the window: the items it waits for could
    // be its own.
    while let Some(first) = shared.claim(true) {
        let mut group: Vec<Pending<J::Part>> = Vec::new();
        let mut bytes = 0;
        let mut next = Some(first);
        while let Some(index) = next {
            lock(&watch.state).held.push(index);
            let Some(ran) = run_stage(&shared, &watch, index, Duration::ZERO, None, |watch| {
                shared.job.start(index, watch)
            }) else {
                return; // abandoned: the watchdog has the group back
            };
            match ran {
                Ok((Stage::Started { part, bytes: held }, spent, id)) => {
                    bytes += held;
                    group.push(Pending {
                        index,
                        part,
                        spent,
                        id,
                    });
                }
                Ok((Stage::Done(output), ..)) => hand_in(&shared, &watch, index, output),
                Err((why, id)) => {
                    let output = shared.job.failed(index, id.as_deref(), why);
                    hand_in(&shared, &watch, index, output);
                }
            }
            let room = group.len() < GROUP && bytes < GROUP_BYTES;
            next = if room { shared.claim(false) } else { None };
        }
        for pending in group {
            let Pending {
                index,
                part,
                spent,
                id,
            } = pending;
            let Some(ran) = run_stage(&shared, &watch, index, spent, id, |watch| {
                shared.job.finish(index, part, watch)
            }) else {
                return;
            };
            let output = match ran {
                Ok((output, ..)) => output,
                Err((why, id)) => shared.job.failed(index, id.as_deref(), why),
            };
            hand_in(&shared, &watch, index, output);
        }
    }
}

/// What a stage gave, with the time the item has taken so far and its id; or why it
/// failed, with its id.
type Ran<T> = Result<(T, Duration, Option<String>), (Failure, Option<String>)>;

/// Runs one stage of item `index` under the watchdog, `spent` and `id` being what its
/// earlier stage took and named; `None` if the worker was abandoned meanwhile.
fn run_stage<J: Job, T>(
    shared: &Shared<J>,
    watch: &Watch,
    index: usize,
    spent: Duration,
    id: Option<String>,
    stage: impl FnOnce(&Watch) -> T,
) -> Option<Ran<T>> {
    let started = Instant::now();
    {
        let mut running = lock(&watch.state);
        // As if the earlier stage had just run: the limit counts the item's own time.
        running.item = Some((index, started.checked_sub(spent).unwrap_or(started)));
        running.id = id;
    }
    let outcome = catch_unwind(AssertUnwindSafe(|| stage(watch)));
    let mut running = lock(&watch.state);
    if running.abandoned {
        return None;
    }
    running.item = None;
    let id = running.id.take();
    let spent = spent + started.elapsed();
    Some(match outcome {
        Ok(value) if spent <= shared.limit => Ok((value, spent, id)),
        Ok(_) => Err((Failure::TimeLimit(shared.limit), id)),
        Err(_) => Err((Failure::Panicked, id)),
    })
}

/// Hands in an item's result: it is no longer this worker's to give back.
fn hand_in<J: Job>(shared: &Shared<J>, watch: &Watch, index: usize, output: J::Output) {
    lock(&watch.state).held.retain(|&i| i != index);
    shared.deposit(index, output);
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
    let threads = threads.clamp(1, count);
    let shared = Arc::new(Shared {
        job,
        count,
        window: WINDOW.max(2 * GROUP * threads),
        limit,
        state: Mutex::new(State {
            next: 0,
            again: Vec::new(),
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
    for _ in 0..threads {
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
        let mut again = Vec::new();
        let mut replace = Vec::new();
        for (slot, watch) in watches.iter().enumerate() {
            if let Some(abandoned) = watch.abandon_if_overdue(limit) {
                let index = abandoned.index;
                tracing::error!(index, "item still running after the time limit; abandoned");
                let failure =
                    shared
                        .job
                        .failed(index, abandoned.id.as_deref(), Failure::TimeLimit(limit));
                overdue.push((index, failure));
                again.extend(abandoned.others);
                replace.push(slot);
            }
        }
        if !again.is_empty() {
            let mut state = lock(&shared.state);
            // Taken from the end: the oldest first.
            state.again.extend(again);
            state.again.sort_unstable_by(|a, b| b.cmp(a));
            shared.turn.notify_all();
        }
        // Only now, so that the fresh worker finds the items given back.
        for slot in replace {
            watches[slot] = spawn(&shared)?;
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

    /// Squares its index over two stages: done in the first stage for indices ending in
    /// 9; stuck (past any small limit) in the first stage on 3 and in the second on 20;
    /// panics at the indices told, in the first stage if even, the second if odd.
    struct Squares {
        panic_at: &'static [usize],
    }

    impl Job for Squares {
        type Part = usize;
        type Output = Result<usize, (Option<String>, Failure)>;
        fn start(&self, index: usize, watch: &Watch) -> Stage<usize, Self::Output> {
            watch.identify(&format!("item{index}"));
            if index == 3 {
                std::thread::sleep(Duration::from_millis(400));
            }
            let panics = self.panic_at.contains(&index) && index.is_multiple_of(2);
            assert!(!panics, "a bug");
            if index % 10 == 9 {
                return Stage::Done(Ok(index * index));
            }
            Stage::Started {
                part: index * index,
                bytes: 1,
            }
        }
        fn finish(&self, index: usize, part: usize, _: &Watch) -> Self::Output {
            if index == 20 {
                std::thread::sleep(Duration::from_millis(400));
            }
            let panics = self.panic_at.contains(&index) && !index.is_multiple_of(2);
            assert!(!panics, "a bug");
            Ok(part)
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

    /// Items 3 and 20 are stuck in either stage, with others of their groups taken
    /// around them: those are given back and done by the fresh worker.
    #[test]
    fn results_come_in_order_and_a_stuck_item_is_failed_in_its_place() {
        const { assert!(GROUP > 4, "each stuck item shares a group") };
        for threads in [1, 2, 7] {
            let count = 2 * WINDOW + 9;
            let seen = run(
                Squares { panic_at: &[] },
                count,
                threads,
                Duration::from_millis(100),
            );
            let expected: Vec<String> = (0..count)
                .map(|n| match n {
                    3 | 20 => format!(r#"Err((Some("item{n}"), TimeLimit(100ms)))"#),
                    _ => format!("Ok({})", n * n),
                })
                .collect();
            assert_eq!(seen, expected, "{threads} threads");
        }
    }

    #[test]
    fn under_a_generous_limit_the_slow_items_finish_and_a_panic_is_one_failure() {
        let job = Squares { panic_at: &[5, 6] };
        let seen = run(job, 30, 2, Duration::from_secs(30));
        assert_eq!(seen[3], "Ok(9)");
        assert_eq!(seen[5], r#"Err((Some("item5"), Panicked))"#);
        assert_eq!(seen[6], r#"Err((Some("item6"), Panicked))"#);
        assert_eq!(seen[7], "Ok(49)");
        assert_eq!(seen[20], "Ok(400)");
        assert_eq!(seen[29], "Ok(841)");
    }

    #[test]
    fn a_failed_hand_over_stops_the_run_with_its_error() {
        let job = Squares { panic_at: &[] };
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
