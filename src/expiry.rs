//! When a token stops working and when to renew it: pure decisions on times in milliseconds since
//! the Unix epoch, so they are tested without a clock.

use crate::jwt::Lifetime;

/// Browsers fire a longer `setTimeout` at once (the delay overflows 2^31 - 1 ms); a timer that is
/// further away wakes after this long and decides again.
pub const MAX_TIMER_MS: u64 = 24 * 60 * 60 * 1000;

/// The token no longer works (its `exp` has passed).
pub fn is_expired(lifetime: Lifetime, now_ms: u64) -> bool {
    now_ms >= lifetime.expires_at.saturating_mul(1000)
}

/// When to renew an access token: ahead of its expiry by a fifth of its life, at least one second
/// (so a request sent just before is not refused) and at most a minute. Strapi's default 10-minute
/// token is renewed after 9 minutes; a 5-second one after 4.
pub fn renew_at_ms(lifetime: Lifetime) -> u64 {
    let expires_ms = lifetime.expires_at.saturating_mul(1000);
    let life_ms = lifetime
        .issued_at
        .map_or(0, |iat| expires_ms.saturating_sub(iat.saturating_mul(1000)));
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

    #[test]
    fn timer_delays_never_go_negative_or_overflow() {
        assert_eq!(timer_delay_ms(1_000, 5_000), 0);
        assert_eq!(timer_delay_ms(5_000, 1_000), 4_000);
        let thirty_days = 30 * 24 * 60 * 60 * 1000;
        assert_eq!(timer_delay_ms(thirty_days, 0), MAX_TIMER_MS);
        assert_eq!(timer_delay_ms(u64::MAX, 0), MAX_TIMER_MS);
    }
}
