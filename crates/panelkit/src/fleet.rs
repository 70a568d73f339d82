//! Running one task on many panels at once: a [`Fleet`] of named members
//! (clients, profiles, anything), a closure run per member with at most
//! `parallel` of them in flight, and every member's `Result` handed back in
//! member order with the member's name.
//!
//! Operators run many panels; "the same verb on each" should neither run one
//! panel after the other (slow) nor all at once (a hundred panels, a hundred
//! connections and logins, and the lockout counters of whoever shares an IP).
//! One member's failure never stops the others: each [`Outcome`] holds its own
//! `Result`, and whether "some failed" is an error is the caller's choice.
//!
//! The fleet needs no runtime of its own and no `Send` or `'static` futures:
//! it polls the in-flight futures itself inside the caller's task, so a
//! closure may borrow from its surroundings and a current-thread runtime
//! is enough.
//!
//! ```
//! # async fn demo() {
//! use std::num::NonZeroUsize;
//! use panelkit::fleet::Fleet;
//!
//! let fleet = Fleet::new(
//!     vec![("web1".to_owned(), 1), ("web2".to_owned(), 2)],
//!     NonZeroUsize::new(4).unwrap(),
//! );
//! let outcomes = fleet
//!     .run(|_name, n| async move { Ok::<_, panelkit::Error>(n * 10) })
//!     .await;
//! assert_eq!(outcomes[1].name, "web2");
//! assert_eq!(outcomes[1].result.as_ref().ok(), Some(&20));
//! # }
//! ```

use std::future::{poll_fn, Future};
use std::num::NonZeroUsize;
use std::pin::Pin;
use std::task::Poll;

/// How many members are worked on at once unless told otherwise: enough to
/// hide a slow panel's latency, few enough not to look like a flood.
pub const DEFAULT_PARALLEL: NonZeroUsize = match NonZeroUsize::new(4) {
    Some(n) => n,
    None => unreachable!(),
};

/// Named members and how many of them may be worked on at once.
#[derive(Clone, Debug)]
pub struct Fleet<M> {
    members: Vec<(String, M)>,
    parallel: NonZeroUsize,
}

/// What one member's run gave.
#[derive(Clone, Debug)]
pub struct Outcome<T, E> {
    /// The member's name.
    pub name: String,
    /// What the closure returned for it.
    pub result: Result<T, E>,
}

impl<M> Fleet<M> {
    /// A fleet of `members` (name, member), run at most `parallel` at a time.
    pub fn new(members: Vec<(String, M)>, parallel: NonZeroUsize) -> Self {
        Fleet { members, parallel }
    }

    /// The members' names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.members.iter().map(|(name, _)| name.as_str())
    }

    /// How many members the fleet has.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether the fleet has no members.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Runs `task` once per member, at most `parallel` at a time, starting
    /// them in member order (the next one as soon as one finishes), and
    /// returns every member's outcome in member order, whatever order they
    /// finished in.
    pub async fn run<'a, F, Fut, T, E>(&'a self, mut task: F) -> Vec<Outcome<T, E>>
    where
        F: FnMut(&'a str, &'a M) -> Fut,
        Fut: Future<Output = Result<T, E>> + 'a,
    {
        let mut results: Vec<Option<Result<T, E>>> = std::iter::repeat_with(|| None)
            .take(self.members.len())
            .collect();
        let mut waiting = self.members.iter().enumerate();
        let mut running: Vec<(usize, Pin<Box<Fut>>)> = Vec::with_capacity(self.parallel.get());
        poll_fn(|cx| loop {
            while running.len() < self.parallel.get() {
                match waiting.next() {
                    Some((index, (name, member))) => {
                        running.push((index, Box::pin(task(name, member))));
                    }
                    None => break,
                }
            }
            if running.is_empty() {
                return Poll::Ready(());
            }
            // One waker serves every in-flight future: whichever wakes, all
            // are polled again (cheap for a bound of a few).
            let before = running.len();
            running.retain_mut(|(index, future)| match future.as_mut().poll(cx) {
                Poll::Ready(result) => {
                    results[*index] = Some(result);
                    false
                }
                Poll::Pending => true,
            });
            if running.len() == before {
                return Poll::Pending;
            }
            // Some finished: start the next members and poll them at once.
        })
        .await;
        self.members
            .iter()
            .zip(results)
            .map(|((name, _), result)| Outcome {
                name: name.clone(),
                result: result.expect("every started member ran to its result"),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// Yields to the runtime `n` times, so members interleave.
    async fn yield_times(n: usize) {
        for _ in 0..n {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test]
    async fn outcomes_come_in_member_order_and_the_bound_holds() {
        let members: Vec<(String, usize)> = (0..9).map(|i| (format!("p{i}"), i)).collect();
        let fleet = Fleet::new(members, NonZeroUsize::new(3).unwrap());
        let inside = AtomicUsize::new(0);
        let most_inside = AtomicUsize::new(0);
        let started = AtomicUsize::new(0);
        let outcomes = fleet
            .run(|name, &i| {
                let (inside, most_inside, started) = (&inside, &most_inside, &started);
                async move {
                    started.fetch_add(1, Ordering::SeqCst);
                    let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                    most_inside.fetch_max(now, Ordering::SeqCst);
                    // Later members finish first: order must not follow finishing.
                    yield_times(20 - 2 * i).await;
                    inside.fetch_sub(1, Ordering::SeqCst);
                    if i % 4 == 1 {
                        Err(format!("{name} failed"))
                    } else {
                        Ok(i * 10)
                    }
                }
            })
            .await;
        assert_eq!(started.load(Ordering::SeqCst), 9);
        assert_eq!(
            most_inside.load(Ordering::SeqCst),
            3,
            "the bound is reached and never passed"
        );
        let names: Vec<&str> = outcomes.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(
            names,
            ["p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"]
        );
        let results: Vec<Result<usize, String>> = outcomes.into_iter().map(|o| o.result).collect();
        assert_eq!(
            results,
            [
                Ok(0),
                Err("p1 failed".to_owned()),
                Ok(20),
                Ok(30),
                Ok(40),
                Err("p5 failed".to_owned()),
                Ok(60),
                Ok(70),
                Ok(80)
            ]
        );
    }

    #[tokio::test]
    async fn a_bound_of_one_runs_members_one_after_the_other() {
        let fleet = Fleet::new(
            vec![("a".to_owned(), ()), ("b".to_owned(), ())],
            NonZeroUsize::new(1).unwrap(),
        );
        let inside = AtomicUsize::new(0);
        let most_inside = AtomicUsize::new(0);
        let outcomes = fleet
            .run(|name, ()| {
                let (inside, most_inside) = (&inside, &most_inside);
                async move {
                    let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                    most_inside.fetch_max(now, Ordering::SeqCst);
                    yield_times(5).await;
                    inside.fetch_sub(1, Ordering::SeqCst);
                    Ok::<_, ()>(name.to_uppercase())
                }
            })
            .await;
        assert_eq!(most_inside.load(Ordering::SeqCst), 1);
        assert_eq!(outcomes[0].result, Ok("A".to_owned()));
        assert_eq!(outcomes[1].result, Ok("B".to_owned()));
    }

    #[tokio::test]
    async fn an_empty_fleet_gives_no_outcomes() {
        let fleet: Fleet<()> = Fleet::new(Vec::new(), DEFAULT_PARALLEL);
        assert!(fleet.is_empty());
        let outcomes = fleet.run(|_, ()| async { Ok::<(), ()>(()) }).await;
        assert!(outcomes.is_empty());
    }
}
