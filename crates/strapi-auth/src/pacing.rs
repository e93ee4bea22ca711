//! How often this browser may ask Strapi for a new access token: the ceiling on
//! `POST /auth/refresh` that holds whatever the clock, the tokens or Strapi's answers (pure).
//!
//! Renewal is scheduled from the token ([`crate::expiry`]): once per access-token lifetime while
//! Strapi answers. This is the backstop for everything else: a failed refresh is retried after a
//! growing, randomised wait counted from its answer (so many browsers do not all return at once
//! after an outage), a `Retry-After` is honoured, and however the waits are cut short (tokens that
//! say nonsense, the network coming back), no window of one access-token lifetime holds more than
//! [`MAX_PER_LIFETIME`] attempts. An attempt counts from the moment it leaves, so one still in
//! flight (a reload while it hangs) holds the next back too. Tabs share one [`Pacing`] through
//! storage; a clock set back moves the record back with it ([`Pacing::rebased`]).

/// The most refresh requests a browser sends within one access-token lifetime (at most ten
/// minutes, at least ten seconds; a minute for a token that does not say how long it lives).
pub const MAX_PER_LIFETIME: usize = 6;

/// The wait after the first failure in a row; each further failure waits three times longer, up
/// to [`MAX_BACKOFF_MS`].
pub const FIRST_BACKOFF_MS: u64 = 5_000;
/// The longest wait after failures in a row.
pub const MAX_BACKOFF_MS: u64 = 5 * 60 * 1000;
/// The longest `Retry-After` honoured; a longer one is taken as this.
pub const MAX_RETRY_AFTER_MS: u64 = 60 * 60 * 1000;
/// Back online after failures: the next attempt within this long, at random.
pub const ONLINE_SPREAD_MS: u64 = 5_000;
/// While an attempt is in flight: no other before this long after it left (longer than the
/// transport's timeout, so an answer always comes first).
pub const IN_FLIGHT_MS: u64 = 20_000;

const MIN_WINDOW_MS: u64 = 10_000;
const MAX_WINDOW_MS: u64 = 10 * 60 * 1000;
/// The window and the gap after a success, for a token that does not say how long it lives.
const UNKNOWN_LIFE_MS: u64 = 60_000;

/// What a browser has asked lately, and how long it must wait before asking again. Times are
/// the local clock's milliseconds since the Unix epoch: tabs compare them with each other, so not
/// a monotonic clock (see [`Pacing::rebased`] for a clock set back).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pacing {
    /// No attempt before this.
    not_before: u64,
    /// Failures in a row since the last success.
    failures: u32,
    /// When the latest attempts left, newest first (0: none).
    recent: [u64; MAX_PER_LIFETIME],
}

/// How an attempt ended, as pacing needs to know it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A new token, living `life_ms` if it says.
    Renewed {
        /// How long the new token lives, in milliseconds, if it says.
        life_ms: Option<u64>,
    },
    /// No new token; wait at least `retry_after_ms` if the answer said so.
    Failed {
        /// The server's `Retry-After`, in milliseconds.
        retry_after_ms: Option<u64>,
    },
}

impl Pacing {
    /// How long to wait from `now`, for the session's current token living `life_ms`, before the
    /// next attempt may leave; 0: now.
    pub fn wait_ms(&self, now: u64, life_ms: Option<u64>) -> u64 {
        let oldest = self.recent[MAX_PER_LIFETIME - 1];
        let full_until = if oldest == 0 {
            0
        } else {
            oldest.saturating_add(window_ms(life_ms))
        };
        self.not_before.max(full_until).saturating_sub(now)
    }

    /// The record as of `now`, when the clock has been set back since its newest attempt: every
    /// time in it moved back by as much, so its waits keep their length rather than growing by
    /// the step (or a long-past attempt counting as a future one). A clock set forward only
    /// makes waits end sooner: by one window's worth of attempts at most.
    pub fn rebased(&self, now: u64) -> Pacing {
        let step = self.recent[0].saturating_sub(now);
        if step == 0 {
            return *self;
        }
        let back = |at: u64| {
            if at == 0 {
                0
            } else {
                at.saturating_sub(step).max(1)
            }
        };
        Pacing {
            not_before: self.not_before.saturating_sub(step),
            failures: self.failures,
            recent: self.recent.map(back),
        }
    }

    /// An attempt leaves at `at`: it counts from now, and nothing else leaves while it is in
    /// flight (up to [`IN_FLIGHT_MS`]). [`Pacing::finish`] records how it ended.
    pub fn start(&mut self, at: u64) {
        self.recent.rotate_right(1);
        self.recent[0] = at.max(1);
        self.not_before = self.not_before.max(at.saturating_add(IN_FLIGHT_MS));
    }

    /// The attempt [`Pacing::start`] began ended at `at` in `outcome`: the next waits from this
    /// answer. `jitter` (0 to 1, at random) stretches a backoff by up to a half.
    pub fn finish(&mut self, at: u64, outcome: Outcome, jitter: f64) {
        match outcome {
            Outcome::Renewed { life_ms } => {
                self.failures = 0;
                self.not_before = at.saturating_add(gap_after_success_ms(life_ms));
            }
            Outcome::Failed { retry_after_ms } => {
                self.failures = self.failures.saturating_add(1);
                let backoff = backoff_ms(self.failures, jitter);
                let asked = retry_after_ms.unwrap_or(0).min(MAX_RETRY_AFTER_MS);
                self.not_before = at.saturating_add(backoff.max(asked));
            }
        }
    }

    /// [`Pacing::start`] and [`Pacing::finish`] of an attempt that left and ended at `at`.
    #[cfg(test)]
    fn record(&mut self, at: u64, outcome: Outcome, jitter: f64) {
        self.start(at);
        self.finish(at, outcome, jitter);
    }

    /// The network came back at `now` after failures: the next attempt soon (within
    /// [`ONLINE_SPREAD_MS`], at random), rather than at the end of a long backoff. The window
    /// still holds. `false` if nothing changed.
    pub fn back_online(&mut self, now: u64, jitter: f64) -> bool {
        let soon = now.saturating_add((ONLINE_SPREAD_MS as f64 * jitter.clamp(0.0, 1.0)) as u64);
        if self.failures == 0 || self.not_before <= soon {
            return false;
        }
        self.not_before = soon;
        true
    }

    /// This and `other`, another tab's record of the same browser's attempts: every attempt of
    /// both, and the wait and failures of whichever saw the newest attempt (a success there
    /// resets what an older failure here said).
    pub fn merge(&self, other: &Pacing) -> Pacing {
        // Both lists are newest first: the newest of the two, in turn, without repeats.
        let (mut mine, mut theirs) = (
            self.recent.iter().peekable(),
            other.recent.iter().peekable(),
        );
        let mut recent = [0; MAX_PER_LIFETIME];
        for slot in &mut recent {
            let next = match (mine.peek(), theirs.peek()) {
                (Some(a), Some(b)) if a >= b => mine.next(),
                (_, Some(_)) => theirs.next(),
                (Some(_), None) => mine.next(),
                (None, None) => None,
            };
            let Some(&at) = next else { break };
            if mine.peek() == Some(&&at) {
                mine.next();
            }
            if theirs.peek() == Some(&&at) {
                theirs.next();
            }
            *slot = at;
        }
        let newest = match self.recent[0].cmp(&other.recent[0]) {
            std::cmp::Ordering::Greater => *self,
            std::cmp::Ordering::Less => *other,
            std::cmp::Ordering::Equal => Pacing {
                not_before: self.not_before.max(other.not_before),
                failures: self.failures.max(other.failures),
                recent,
            },
        };
        Pacing { recent, ..newest }
    }

    /// As kept in storage: numbers separated by spaces.
    pub fn encode(&self) -> String {
        let mut text = format!("{} {}", self.not_before, self.failures);
        for at in self.recent {
            text.push(' ');
            text.push_str(&at.to_string());
        }
        text
    }

    /// What [`Pacing::encode`] wrote; anything else is `None` (and no record at all is kept).
    pub fn decode(text: &str) -> Option<Self> {
        let mut numbers = text.split(' ').map(|n| n.parse::<u64>().ok());
        let not_before = numbers.next()??;
        let failures = u32::try_from(numbers.next()??).ok()?;
        let mut recent = [0; MAX_PER_LIFETIME];
        for slot in &mut recent {
            *slot = numbers.next()??;
        }
        numbers.next().is_none().then_some(Self {
            not_before,
            failures,
            recent,
        })
    }
}

/// The span within which at most [`MAX_PER_LIFETIME`] attempts leave: the token's lifetime,
/// within bounds.
fn window_ms(life_ms: Option<u64>) -> u64 {
    life_ms.map_or(UNKNOWN_LIFE_MS, |life| {
        life.clamp(MIN_WINDOW_MS, MAX_WINDOW_MS)
    })
}

/// After a success, no attempt for half the new token's life (at most a minute): a token that
/// claims to be due at once is not renewed at once again.
fn gap_after_success_ms(life_ms: Option<u64>) -> u64 {
    match life_ms {
        Some(life) if life >= 2_000 => (life / 2).min(UNKNOWN_LIFE_MS),
        _ => UNKNOWN_LIFE_MS,
    }
}

/// The wait after `failures` in a row (at least one): 5 s, 15 s, 45 s, … up to 5 minutes, each
/// stretched by `jitter` × a half.
pub fn backoff_ms(failures: u32, jitter: f64) -> u64 {
    let steps = failures.saturating_sub(1).min(10);
    let base = FIRST_BACKOFF_MS
        .saturating_mul(3u64.pow(steps))
        .min(MAX_BACKOFF_MS);
    base + (base as f64 / 2.0 * jitter.clamp(0.0, 1.0)) as u64
}

/// A `Retry-After` header's wait, in milliseconds: its delta-seconds form (what rate limiters
/// send). The HTTP-date form is not read: a date would be judged by the wrong clock, and the
/// backoff applies anyway.
pub fn retry_after_ms(header: &str) -> Option<u64> {
    let seconds = header.trim();
    if seconds.is_empty() || !seconds.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(seconds.parse::<u64>().map_or(MAX_RETRY_AFTER_MS, |s| {
        s.saturating_mul(1000).min(MAX_RETRY_AFTER_MS)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: u64 = 60_000;
    const TEN_MINUTES: Option<u64> = Some(10 * MINUTE);
    const START: u64 = 1_800_000_000_000;

    fn failed() -> Outcome {
        Outcome::Failed {
            retry_after_ms: None,
        }
    }

    /// Attempts as soon as pacing allows, each ending as `outcomes` says; their times.
    fn attempts_while(outcomes: impl Iterator<Item = Outcome>, life: Option<u64>) -> Vec<u64> {
        let mut pacing = Pacing::default();
        let mut now = START;
        let mut times = Vec::new();
        for outcome in outcomes {
            now += pacing.wait_ms(now, life);
            times.push(now - START);
            pacing.record(now, outcome, 0.0);
        }
        times
    }

    #[test]
    fn failures_back_off_three_times_longer_each_time_up_to_five_minutes() {
        let times = attempts_while(std::iter::repeat_n(failed(), 8), None);
        let gaps: Vec<u64> = times.windows(2).map(|w| (w[1] - w[0]) / 1000).collect();
        // The backoff alone would be 5, 15, 45, 135, 300, 300 … s; with a token that does not
        // say its life the window is a minute, so six attempts fill it first.
        assert_eq!(&gaps[..3], &[5, 15, 45]);
        assert_eq!(backoff_ms(4, 0.0), 135_000);
        assert_eq!(backoff_ms(5, 0.0), 300_000);
        assert_eq!(backoff_ms(50, 0.0), 300_000);
        assert_eq!(
            backoff_ms(1, 1.0),
            7_500,
            "jitter stretches by up to a half"
        );
        assert_eq!(backoff_ms(1, f64::NAN), 5_000);
    }

    #[test]
    fn an_outage_of_ten_minutes_costs_at_most_six_requests() {
        let times = attempts_while(std::iter::repeat_n(failed(), 6), TEN_MINUTES);
        assert_eq!(times, [0, 5_000, 20_000, 65_000, 200_000, 500_000]);
        // The seventh waits for the window: ten minutes after the first.
        let mut pacing = Pacing::default();
        for at in &times {
            pacing.record(START + at, failed(), 0.0);
        }
        assert_eq!(pacing.wait_ms(START + 500_000, TEN_MINUTES), 300_000);
        assert_eq!(pacing.wait_ms(START + 600_000, TEN_MINUTES), 200_000);
    }

    #[test]
    fn a_success_resets_the_backoff_and_keeps_the_next_attempt_away() {
        let mut pacing = Pacing::default();
        pacing.record(START, failed(), 0.0);
        pacing.record(START + 5_000, failed(), 0.0);
        pacing.record(
            START + 20_000,
            Outcome::Renewed {
                life_ms: TEN_MINUTES,
            },
            0.0,
        );
        assert_eq!(pacing.wait_ms(START + 20_000, TEN_MINUTES), MINUTE);
        pacing.record(START + 80_000, failed(), 0.0);
        assert_eq!(
            pacing.wait_ms(START + 80_000, TEN_MINUTES),
            5_000,
            "backoff from the start"
        );
        // A 5-second token (the end-to-end tests' Strapi) is renewed every 4 s: never held back.
        let mut short = Pacing::default();
        for i in 0..20 {
            let at = START + i * 4_000;
            assert_eq!(short.wait_ms(at, Some(5_000)), 0, "{i}");
            short.record(
                at,
                Outcome::Renewed {
                    life_ms: Some(5_000),
                },
                0.0,
            );
        }
    }

    #[test]
    fn retry_after_is_honoured_up_to_an_hour() {
        let mut pacing = Pacing::default();
        let asked = |s: u64| Outcome::Failed {
            retry_after_ms: Some(s * 1000),
        };
        pacing.record(START, asked(120), 0.0);
        assert_eq!(pacing.wait_ms(START, TEN_MINUTES), 120_000);
        pacing.record(START + 120_000, asked(1), 0.0);
        assert_eq!(
            pacing.wait_ms(START + 120_000, TEN_MINUTES),
            15_000,
            "backoff is longer"
        );
        pacing.record(START + 135_000, asked(86_400), 0.0);
        assert_eq!(
            pacing.wait_ms(START + 135_000, TEN_MINUTES),
            MAX_RETRY_AFTER_MS
        );

        assert_eq!(retry_after_ms("120"), Some(120_000));
        assert_eq!(retry_after_ms(" 0 "), Some(0));
        assert_eq!(
            retry_after_ms("99999999999999999999999"),
            Some(MAX_RETRY_AFTER_MS)
        );
        for unread in ["", "-1", "1.5", "Wed, 21 Oct 2026 07:28:00 GMT", "soon"] {
            assert_eq!(retry_after_ms(unread), None, "{unread:?}");
        }
    }

    #[test]
    fn back_online_the_next_attempt_comes_soon_but_the_window_holds() {
        let mut pacing = Pacing::default();
        for at in [0, 5_000, 20_000, 65_000] {
            pacing.record(START + at, failed(), 0.0);
        }
        let now = START + 100_000; // 35 s into a 135-s backoff
        assert!(pacing.back_online(now, 0.5));
        assert_eq!(pacing.wait_ms(now, TEN_MINUTES), 2_500);
        assert!(!pacing.back_online(now, 1.0), "never later than it was");
        // After a success there is nothing to hurry.
        let mut fine = Pacing::default();
        fine.record(
            START,
            Outcome::Renewed {
                life_ms: TEN_MINUTES,
            },
            0.0,
        );
        assert!(!fine.back_online(START + 1_000, 0.0));
    }

    #[test]
    fn a_clock_set_back_keeps_the_waits_as_they_were() {
        let mut pacing = Pacing::default();
        pacing.record(
            START,
            Outcome::Failed {
                retry_after_ms: Some(30 * MINUTE),
            },
            0.0,
        );
        for back in [30 * MINUTE, 2 * 24 * 60 * MINUTE] {
            // Ten minutes after the attempt, the clock is set back before it: the time since the
            // attempt is unknown now, so the wait is counted again in full, never longer.
            let now = START + 10 * MINUTE - back;
            let rebased = pacing.rebased(now);
            assert_eq!(rebased.wait_ms(now, TEN_MINUTES), 30 * MINUTE, "{back}");
            assert_eq!(
                rebased.rebased(now),
                rebased,
                "rebasing twice changes nothing"
            );
        }
        assert_eq!(
            pacing.rebased(START + 1),
            pacing,
            "a clock going on changes nothing"
        );
    }

    #[test]
    fn a_backoff_counts_from_the_answer_and_an_attempt_in_flight_holds_the_next() {
        let mut pacing = Pacing::default();
        pacing.start(START);
        // A reload while it hangs (or another tab without Web Locks) finds it in the record.
        assert_eq!(
            pacing.wait_ms(START + 1_000, TEN_MINUTES),
            IN_FLIGHT_MS - 1_000
        );
        // Given up after the transport's 15 s: the backoff starts then.
        pacing.finish(START + 15_000, failed(), 0.0);
        assert_eq!(
            pacing.wait_ms(START + 15_000, TEN_MINUTES),
            FIRST_BACKOFF_MS
        );
    }

    #[test]
    fn tabs_merge_to_the_record_of_the_newest_attempt() {
        let mut one = Pacing::default();
        one.record(START, failed(), 0.0);
        let mut two = Pacing::default();
        two.record(START + 1_000, failed(), 0.0);
        two.record(START + 6_000, failed(), 0.0);
        let merged = one.merge(&two);
        assert_eq!(merged.failures, 2);
        assert_eq!(merged.recent[..4], [START + 6_000, START + 1_000, START, 0]);
        assert_eq!(merged.wait_ms(START + 6_000, TEN_MINUTES), 15_000);
        assert_eq!(merged, two.merge(&one));
        // A success in one tab is news to the other, whose older failures no longer count.
        let mut renewed = merged;
        renewed.record(
            START + 21_000,
            Outcome::Renewed {
                life_ms: TEN_MINUTES,
            },
            0.0,
        );
        let after = two.merge(&renewed);
        assert_eq!(after.failures, 0);
        assert_eq!(after.wait_ms(START + 21_000, TEN_MINUTES), MINUTE);
    }

    #[test]
    fn pacing_survives_storage_and_nonsense_does_not() {
        let mut pacing = Pacing::default();
        pacing.record(START, failed(), 0.3);
        pacing.record(START + 9_000, Outcome::Renewed { life_ms: None }, 0.0);
        assert_eq!(Pacing::decode(&pacing.encode()), Some(pacing));
        assert_eq!(
            Pacing::decode(&Pacing::default().encode()),
            Some(Pacing::default())
        );
        for text in [
            "",
            "1 2",
            "1 2 3 4 5 6 7 8 9",
            "a 0 0 0 0 0 0 0",
            "1 99999999999 0 0 0 0 0 0",
        ] {
            assert_eq!(Pacing::decode(text), None, "{text:?}");
        }
    }

    /// A tiny deterministic random source for the property below (no clock, no crate).
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.0 >> 33
        }
        fn unit(&mut self) -> f64 {
            (self.next() % 10_000) as f64 / 10_000.0
        }
    }

    #[test]
    fn no_lifetime_ever_holds_more_than_six_attempts_whatever_happens() {
        // Three tabs sharing one storage, each also keeping its own copy; whatever Strapi answers
        // (success with tokens of any claimed life, failure, Retry-After of any size, an answer
        // after up to 15 s), the network coming back at any moment, the clock set back by up to
        // a day at any moment, and a tab asking the moment it is allowed: count the attempts in
        // every window of one lifetime, on the real clock.
        for seed in 0..300 {
            let mut random = Lcg(seed);
            let life = [
                None,
                Some(0),
                Some(1_000),
                Some(5_000),
                Some(600_000),
                Some(86_400_000),
            ][(random.next() % 6) as usize];
            let window = window_ms(life);
            let (mut real, mut offset) = (START, 0u64);
            let mut stored = Pacing::default();
            let mut tabs = [Pacing::default(); 3];
            let mut times = Vec::new();
            for _ in 0..400 {
                let tab = (random.next() % 3) as usize;
                if random.next().is_multiple_of(20) {
                    offset += random.next() % (24 * 60 * MINUTE); // set back
                }
                let local = |real: u64| real - offset;
                let now = local(real);
                let mut pacing = tabs[tab].rebased(now).merge(&stored.rebased(now));
                if random.next().is_multiple_of(3) {
                    pacing.back_online(local(real), random.unit());
                }
                real += pacing.wait_ms(local(real), life) + random.next() % 50;
                let mut pacing = pacing.rebased(local(real));
                times.push(real);
                pacing.start(local(real));
                stored = pacing;
                let flight = random.next() % 15_000;
                // Meanwhile another tab (a reload, or a browser without Web Locks) may ask.
                let other = (tab + 1) % 3;
                let asks = local(real + random.next() % (flight + 1));
                let seen = tabs[other].rebased(asks).merge(&stored.rebased(asks));
                assert!(
                    seen.wait_ms(asks, life) > 0,
                    "seed {seed}: a second attempt in flight"
                );
                real += flight;
                let outcome = match random.next() % 4 {
                    0 => Outcome::Renewed { life_ms: life },
                    1 => Outcome::Failed {
                        retry_after_ms: Some(random.next() % 100_000),
                    },
                    _ => failed(),
                };
                pacing.finish(local(real), outcome, random.unit());
                stored = pacing;
                tabs[tab] = pacing;
            }
            for (i, first) in times.iter().enumerate() {
                let within = times[i..]
                    .iter()
                    .take_while(|t| **t < first + window)
                    .count();
                assert!(
                    within <= MAX_PER_LIFETIME,
                    "seed {seed}, life {life:?}: {within}"
                );
            }
        }
    }
}
