//! When a token stops working and when to renew it, on Strapi's clock rather than the browser's:
//! pure decisions on times in milliseconds since the Unix epoch, so they are tested without a clock.
//!
//! A browser's clock can be hours off (a dead CMOS battery, a hand-set clock, a virtual machine
//! resumed from a snapshot). Read against such a clock, a fresh token looks expired for ever (and
//! renewal asks Strapi again and again) or a dead one alive. So every decision about a token's time
//! is taken on Strapi's clock, through the [`Skew`] learned when a token arrives.

use crate::jwt::Lifetime;

/// How far this browser's clock runs ahead of Strapi's (negative: behind), in milliseconds.
///
/// It belongs to the browser's clock, not to a token: every tab shares it, and it stays right for a
/// token another tab stored or an earlier visit left, as long as the clock is not reset meanwhile.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Skew(i64);

/// Skews beyond this (about ten years) are taken for a broken token or storage, not a clock.
const MAX_SKEW_MS: i64 = 10 * 366 * 24 * 60 * 60 * 1000;

impl Skew {
    /// Learned from a token that has just arrived from Strapi: its `iat` against the local clock.
    /// Strapi's `iat` is in whole seconds, so the token is taken as signed at the end of its
    /// second: the estimate errs towards renewing early, by up to a second less the time the
    /// answer took to arrive (a slower answer than that makes renewal as much late, which the
    /// lead before expiry absorbs). Without an `iat` the local clock is trusted.
    pub fn learned(lifetime: Lifetime, arrived_ms: u64) -> Self {
        match lifetime.issued_at {
            Some(iat) => Self::clamped(arrived_ms as i128 - (iat as i128 * 1000 + 999)),
            None => Self::default(),
        }
    }

    /// A skew known from before, bounded by what `lifetime` proves at `now_ms`: a token is never
    /// issued after Strapi's present, so a token "from the future" shows the clock is behind.
    pub fn bounded(self, lifetime: Lifetime, now_ms: u64) -> Self {
        match lifetime.issued_at {
            Some(iat) => Self::clamped((self.0 as i128).min(now_ms as i128 - iat as i128 * 1000)),
            None => self,
        }
    }

    fn clamped(ms: i128) -> Self {
        Self(ms.clamp(-(MAX_SKEW_MS as i128), MAX_SKEW_MS as i128) as i64)
    }

    /// Strapi's time when the local clock reads `local_ms`.
    pub fn server_time(self, local_ms: u64) -> u64 {
        local_ms.saturating_add_signed(-self.0)
    }

    /// The local clock's reading when Strapi's reads `server_ms`.
    pub fn local_time(self, server_ms: u64) -> u64 {
        server_ms.saturating_add_signed(self.0)
    }

    /// As kept in storage: milliseconds, in decimal.
    pub fn encode(self) -> String {
        self.0.to_string()
    }

    /// What [`Skew::encode`] wrote; anything else (a broken or hostile value) is `None`.
    pub fn decode(text: &str) -> Option<Self> {
        let ms = text.parse::<i64>().ok()?;
        (-MAX_SKEW_MS..=MAX_SKEW_MS)
            .contains(&ms)
            .then_some(Self(ms))
    }
}

/// Browsers fire a longer `setTimeout` at once (the delay overflows 2^31 - 1 ms); a timer that is
/// further away wakes after this long and decides again.
pub const MAX_TIMER_MS: u64 = 24 * 60 * 60 * 1000;

/// The token no longer works: its `exp` has passed at `server_ms` (Strapi's time).
pub fn is_expired(lifetime: Lifetime, server_ms: u64) -> bool {
    server_ms >= lifetime.expires_at.saturating_mul(1000)
}

/// When to renew an access token, on Strapi's clock: ahead of its expiry by a fifth of its life, at least one second
/// (so a request sent just before is not refused) and at most a minute. Strapi's default 10-minute
/// token is renewed after 9 minutes; a 5-second one after 4.
pub fn renew_at_ms(lifetime: Lifetime) -> u64 {
    let expires_ms = lifetime.expires_at.saturating_mul(1000);
    let life_ms = lifetime.life_ms().unwrap_or(0);
    let lead_ms = (life_ms / 5).clamp(1_000, 60_000);
    expires_ms.saturating_sub(lead_ms)
}

/// When this tab's timer renews: `renew_at_ms` moved later by `spread` (0 to 1) of half the lead.
/// Tabs sharing one token would otherwise all wake at the same millisecond and race to Strapi with
/// it; spread apart, the first renews and the others find its tokens in storage before they ask.
pub fn spread_renew_at_ms(lifetime: Lifetime, spread: f64) -> u64 {
    let at = renew_at_ms(lifetime);
    let lead = lifetime.expires_at.saturating_mul(1000).saturating_sub(at);
    at + (lead as f64 / 2.0 * spread.clamp(0.0, 1.0)) as u64
}

/// How long to wait, from `now_ms`, for something due at `at_ms`, as a timer can wait.
pub fn timer_delay_ms(at_ms: u64, now_ms: u64) -> u64 {
    at_ms.saturating_sub(now_ms).min(MAX_TIMER_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn life(iat: u64, exp: u64) -> Lifetime {
        Lifetime {
            issued_at: Some(iat),
            expires_at: exp,
        }
    }

    #[test]
    fn expiry_is_at_exp_exactly() {
        let l = life(100, 200);
        assert!(!is_expired(l, 199_999));
        assert!(is_expired(l, 200_000));
        assert!(is_expired(l, 300_000));
    }

    #[test]
    fn renewal_comes_a_fifth_of_the_life_early_within_bounds() {
        // (issued, expires) -> renew at, in seconds
        let cases = [
            ((0, 600), 540),       // Strapi's default 10 minutes: one minute early (capped)
            ((0, 100), 80),        // a fifth: 20 s early
            ((0, 5), 4),           // at least one second early
            ((0, 1), 0),           // never before issue... nor negative
            ((0, 86_400), 86_340), // a day: one minute early
        ];
        for ((iat, exp), expected) in cases {
            assert_eq!(renew_at_ms(life(iat, exp)), expected * 1000, "{iat}..{exp}");
        }
    }

    #[test]
    fn without_iat_renewal_is_one_second_early() {
        let l = Lifetime {
            issued_at: None,
            expires_at: 50,
        };
        assert_eq!(renew_at_ms(l), 49_000);
    }

    #[test]
    fn spread_renewal_stays_in_the_first_half_of_the_lead() {
        let l = life(0, 100); // renew at 80 s, expires at 100 s
        assert_eq!(spread_renew_at_ms(l, 0.0), 80_000);
        assert_eq!(spread_renew_at_ms(l, 0.5), 85_000);
        assert_eq!(spread_renew_at_ms(l, 1.0), 90_000);
        assert_eq!(spread_renew_at_ms(l, 7.0), 90_000);
        assert_eq!(spread_renew_at_ms(l, f64::NAN), 80_000);
        let short = life(0, 5); // renew at 4 s: at most half a second later
        assert_eq!(spread_renew_at_ms(short, 1.0), 4_500);
    }

    const HOUR_MS: u64 = 60 * 60 * 1000;

    #[test]
    fn a_skew_is_learned_from_iat_and_errs_towards_early() {
        let token = life(100_000, 100_600); // issued at 100,000 s on Strapi's clock
        let arrived: u64 = 100_000_400; // 0.4 s into that second, on a right clock
        for offset in [0, 2 * HOUR_MS as i64, -2 * HOUR_MS as i64] {
            let local = arrived.saturating_add_signed(offset);
            let skew = Skew::learned(token, local);
            // Strapi's time comes out the same whatever the clock: the end of iat's second.
            assert_eq!(skew.server_time(local), 100_000_999, "{offset}");
            assert_eq!(skew.local_time(100_000_999), local, "{offset}");
        }
        // Without iat the local clock is all there is.
        let blind = Lifetime {
            issued_at: None,
            expires_at: 1_600,
        };
        assert_eq!(Skew::learned(blind, 5 * HOUR_MS), Skew::default());
    }

    #[test]
    fn under_a_wrong_clock_a_fresh_token_is_renewed_at_its_time() {
        // Strapi's default: a 10-minute access token, renewed a minute before it expires.
        let token = life(1_795_500_000, 1_795_500_600);
        for offset in [
            -3 * HOUR_MS as i64,
            -2 * HOUR_MS as i64,
            0,
            2 * HOUR_MS as i64,
            26 * HOUR_MS as i64,
        ] {
            let arrived = (1_795_500_000_000u64 + 200).saturating_add_signed(offset);
            let skew = Skew::learned(token, arrived);
            let renew_local = skew.local_time(renew_at_ms(token));
            // Nine minutes after it arrived (less the second of iat's rounding), whatever the clock.
            let after = renew_local as i64 - arrived as i64;
            assert!((538_000..=540_000).contains(&after), "{offset}: {after}");
            assert!(!is_expired(token, skew.server_time(arrived)), "{offset}");
            assert!(
                is_expired(token, skew.server_time(arrived + 600_000)),
                "{offset}"
            );
        }
    }

    #[test]
    fn a_token_from_the_future_shows_the_clock_is_behind() {
        let token = life(10_000, 10_600);
        // Nothing known (skew 0), and the local clock reads 2 h before the token's iat.
        let now = 10_000_000 - 2 * HOUR_MS;
        let skew = Skew::default().bounded(token, now);
        assert!(skew.server_time(now) >= 10_000_000);
        // A skew that already explains the token is kept.
        let known = Skew::learned(token, now);
        assert_eq!(known.bounded(token, now + 1_000), known);
    }

    #[test]
    fn skews_survive_storage_and_nonsense_does_not() {
        for skew in [Skew(0), Skew(7_200_123), Skew(-7_200_123)] {
            assert_eq!(Skew::decode(&skew.encode()), Some(skew));
        }
        for text in [
            "",
            "x",
            "1.5",
            "99999999999999999999",
            "-99999999999999999",
            "-9223372036854775808",
        ] {
            assert_eq!(Skew::decode(text), None, "{text:?}");
        }
        // Absurd tokens cannot push times out of range.
        let absurd = Skew::learned(life(u64::MAX / 1000, u64::MAX / 1000), 0);
        assert_eq!(absurd.server_time(0), MAX_SKEW_MS as u64);
        assert_eq!(Skew(MAX_SKEW_MS).server_time(0), 0);
    }

    #[test]
    fn timer_delays_never_go_negative_or_overflow() {
        assert_eq!(timer_delay_ms(1_000, 5_000), 0);
        assert_eq!(timer_delay_ms(5_000, 1_000), 4_000);
        let thirty_days = 30 * 24 * 60 * 60 * 1000;
        assert_eq!(timer_delay_ms(thirty_days, 0), MAX_TIMER_MS);
        assert_eq!(timer_delay_ms(u64::MAX, 0), MAX_TIMER_MS);
    }
}
