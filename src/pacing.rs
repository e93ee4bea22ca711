//! How often this browser may ask Strapi for a new access token: the ceiling on
//! `POST /auth/refresh` that holds whatever the clock, the tokens or Strapi's answers (pure).
//!
//! Renewal is scheduled from the token ([`crate::expiry`]): once per access-token lifetime while
//! Strapi answers. This is the backstop for everything else: a failed refresh is retried after a
//! growing, randomised wait (so many browsers do not all return at once after an outage), a
//! `Retry-After` is honoured, and however the waits are cut short (tokens that say nonsense, a
//! clock set back or forward, the network coming back), no window of one access-token lifetime
//! holds more than [`MAX_PER_LIFETIME`] attempts. Tabs share one [`Pacing`] through storage.

/// The most refresh requests a browser sends within one access-token lifetime (at most ten
/// minutes, at least ten seconds; a minute for a token that does not say how long it lives).
pub const MAX_PER_LIFETIME: usize = 6;

/// The wait after the first failure in a row; each further failure waits three times longer, up
/// to [`MAX_BACKOFF_MS`].
pub const FIRST_BACKOFF_MS: u64 = 5_000;
pub const MAX_BACKOFF_MS: u64 = 5 * 60 * 1000;
/// The longest `Retry-After` honoured; a longer one is taken as this.
pub const MAX_RETRY_AFTER_MS: u64 = 60 * 60 * 1000;
/// Back online after failures: the next attempt within this long, at random.
pub const ONLINE_SPREAD_MS: u64 = 5_000;

const MIN_WINDOW_MS: u64 = 10_000;
const MAX_WINDOW_MS: u64 = 10 * 60 * 1000;
/// The window and the gap after a success, for a token that does not say how long it lives.
const UNKNOWN_LIFE_MS: u64 = 60_000;

/// What a browser has asked lately, and how long it must wait before asking again. Times are
/// the local clock's milliseconds since the Unix epoch: tabs compare them with each other, so not
/// a monotonic clock, and a wait longer than any this module sets is taken for a clock set back.
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
    Renewed { life_ms: Option<u64> },
    /// No new token; wait at least `retry_after_ms` if the answer said so.
    Failed { retry_after_ms: Option<u64> },
}

impl Pacing {
    /// How long to wait from `now`, for the session's current token living `life_ms`, before the
    /// next attempt may leave; 0: now.
    pub fn wait_ms(&self, now: u64, life_ms: Option<u64>) -> u64 {
        let window = window_ms(life_ms);
        let oldest = self.recent[MAX_PER_LIFETIME - 1];
        let full_until = if oldest == 0 {
            0
        } else {
            oldest.saturating_add(window)
        };
        let until = self.not_before.max(full_until);
        let wait = until.saturating_sub(now);
        // Nothing here sets a wait this long: the clock was set back since. Ask, rather than wait
        // for ever; the attempt is recorded at the new time and pacing goes on from there.
        if wait > MAX_RETRY_AFTER_MS + MAX_WINDOW_MS {
            0
        } else {
            wait
        }
    }

    /// Records an attempt that left at `at` and ended in `outcome`. `jitter` (0 to 1, at random)
    /// stretches a backoff by up to a half.
    pub fn record(&mut self, at: u64, outcome: Outcome, jitter: f64) {
        self.recent.rotate_right(1);
        self.recent[0] = at.max(1);
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

    /// The more cautious of this and `other`: another tab's record of the same browser's attempts.
    pub fn merge(&self, other: &Pacing) -> Pacing {
        let mut recent: Vec<u64> = self.recent.iter().chain(&other.recent).copied().collect();
        recent.sort_unstable_by(|a, b| b.cmp(a));
        recent.dedup();
        let mut merged = Pacing {
            not_before: self.not_before.max(other.not_before),
            failures: self.failures.max(other.failures),
            recent: [0; MAX_PER_LIFETIME],
        };
        for (slot, at) in merged.recent.iter_mut().zip(recent) {
            *slot = at;
        }
        merged
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
    fn a_clock_set_back_does_not_freeze_renewal() {
        let mut pacing = Pacing::default();
        pacing.record(START, failed(), 0.0);
        // Two days back: the recorded attempt lies in the "future".
        let now = START - 2 * 24 * 60 * MINUTE;
        assert_eq!(pacing.wait_ms(now, TEN_MINUTES), 0);
        // …and pacing goes on from the new time.
        pacing.record(now, failed(), 0.0);
        assert_eq!(pacing.wait_ms(now, TEN_MINUTES), 15_000);
    }

    #[test]
    fn tabs_merge_to_the_more_cautious_record() {
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
        // Whatever Strapi answers (success with tokens of any claimed life, failure, Retry-After
        // of any size), the network coming back at any moment, and a caller asking again the
        // moment it is allowed: count the attempts in every window of one lifetime.
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
            let mut pacing = Pacing::default();
            let mut now = START;
            let mut times = Vec::new();
            for _ in 0..400 {
                if random.next().is_multiple_of(3) {
                    pacing.back_online(now, random.unit());
                }
                now += pacing.wait_ms(now, life) + random.next() % 50;
                times.push(now);
                let outcome = match random.next() % 4 {
                    0 => Outcome::Renewed { life_ms: life },
                    1 => Outcome::Failed {
                        retry_after_ms: Some(random.next() % 100_000),
                    },
                    _ => failed(),
                };
                pacing.record(now, outcome, random.unit());
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
