//! Ranges for every number labrun reads from content, `labrun.yaml` and the
//! command line, in one place so that every command gives the same verdict
//! (`check` refuses exactly what `run`, `plan`, `render` and `time` refuse),
//! and duration arithmetic that cannot overflow.
//!
//! A timeout of 0 is an error, not "no limit": a block that may run forever
//! is what a timeout exists to prevent, and 0 seconds would end every block
//! before it starts. Timeouts and waits stop at a week, which no real lab
//! needs and which keeps every sum of them far from overflowing.

use std::ops::RangeInclusive;
use std::time::{Duration, Instant};

use crate::t;

/// The longest timeout or wait, in seconds: one week.
pub const MAX_SECONDS: u64 = 7 * 24 * 60 * 60;
/// The longest `estimatedLabExecutionTimeMinutes`: one week.
pub const MAX_ESTIMATE_MINUTES: f64 = (MAX_SECONDS / 60) as f64;
/// The largest `render.time-factor`.
pub const MAX_TIME_FACTOR: f64 = 100.0;
/// The most shards `run --shard K/N` splits a workshop into.
pub const MAX_SHARDS: usize = 1000;

/// What a number of seconds is for, which decides its range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seconds {
    /// `timeout=`, `hookTimeout=`, `timeouts.block|hook`, `--timeout`,
    /// `--hook-timeout`: at least one second.
    Timeout,
    /// `wait=`: 0 means no wait.
    Wait,
}

/// A number outside its range, or no number at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutOfRange {
    /// The value as written.
    pub value: String,
    /// What is allowed, in the message language ("whole seconds from 1 to 604800").
    pub expected: String,
}

impl std::fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&t!(
            "limits-out-of-range",
            value = self.value.as_str(),
            expected = self.expected.as_str()
        ))
    }
}

impl std::error::Error for OutOfRange {}

impl Seconds {
    pub fn range(self) -> RangeInclusive<u64> {
        match self {
            Seconds::Timeout => 1..=MAX_SECONDS,
            Seconds::Wait => 0..=MAX_SECONDS,
        }
    }

    /// What is allowed, for messages.
    pub fn expected(self) -> String {
        let r = self.range();
        t!("limits-expected-seconds", min = *r.start(), max = *r.end())
    }

    /// A number already read (from YAML) checked against the range.
    pub fn check(self, n: u64) -> Result<u64, OutOfRange> {
        if self.range().contains(&n) {
            Ok(n)
        } else {
            Err(OutOfRange {
                value: n.to_string(),
                expected: self.expected(),
            })
        }
    }

    /// Text (an annotation value, a flag) read as whole seconds in range.
    /// Digits only: `+5`, ` 5`, `5.0` and `5s` are refused, as the
    /// workshop site would not read them either.
    pub fn parse(self, text: &str) -> Result<u64, OutOfRange> {
        let bad = || OutOfRange {
            value: text.to_owned(),
            expected: self.expected(),
        };
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        // Too many digits for u64 is simply out of range.
        let n = text.parse::<u64>().map_err(|_| bad())?;
        self.check(n).map_err(|_| bad())
    }
}

/// clap value parser of `--timeout` and `--hook-timeout`.
pub fn timeout_flag(text: &str) -> Result<u64, String> {
    Seconds::Timeout
        .parse(text)
        .map_err(|e| t!("limits-expected", expected = e.expected))
}

/// `estimatedLabExecutionTimeMinutes`: a number of minutes from 0 to a week,
/// fractions allowed (`7.5`). `check`, `render` and `time` all read it here.
pub fn estimate_minutes(text: &str) -> Result<f64, OutOfRange> {
    let t = text.trim();
    let plain = !t.is_empty()
        && t.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && t.bytes().filter(|&b| b == b'.').count() <= 1;
    match t.parse::<f64>() {
        Ok(m) if plain && (0.0..=MAX_ESTIMATE_MINUTES).contains(&m) => Ok(m),
        _ => Err(OutOfRange {
            value: text.to_owned(),
            expected: t!("limits-expected-minutes", max = MAX_ESTIMATE_MINUTES),
        }),
    }
}

/// `start + d`, or a moment so far ahead that it never comes when the sum
/// does not fit (a library caller may pass any duration).
pub fn deadline(start: Instant, d: Duration) -> Instant {
    start
        .checked_add(d)
        .or_else(|| start.checked_add(Duration::from_secs(100 * 365 * 24 * 3600)))
        .unwrap_or(start)
}

/// Seconds to milliseconds, saturating.
pub fn secs_to_ms(s: u64) -> u64 {
    s.saturating_mul(1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_are_at_least_a_second_and_at_most_a_week() {
        assert_eq!(Seconds::Timeout.parse("1"), Ok(1));
        assert_eq!(Seconds::Timeout.parse("604800"), Ok(604800));
        for bad in [
            "0",
            "604801",
            "18446744073709551615",
            "99999999999999999999999",
            "-1",
            "+5",
            " 5",
            "5s",
            "",
            "1e3",
        ] {
            let e = Seconds::Timeout.parse(bad).unwrap_err();
            assert_eq!(e.value, bad);
            assert!(e.expected.contains("604800"), "{}", e.expected);
        }
        assert_eq!(Seconds::Wait.parse("0"), Ok(0));
        assert!(Seconds::Wait.parse("604801").is_err());
        assert!(Seconds::Timeout.check(0).is_err());
        assert!(timeout_flag("0").is_err());
        assert_eq!(timeout_flag("30"), Ok(30));
    }

    #[test]
    fn estimates_allow_fractions_within_a_week() {
        assert_eq!(estimate_minutes("25"), Ok(25.0));
        assert_eq!(estimate_minutes(" 7.5 "), Ok(7.5));
        assert_eq!(estimate_minutes("0"), Ok(0.0));
        assert_eq!(estimate_minutes("10080"), Ok(10080.0));
        for bad in [
            "soon", "-3", "inf", "NaN", "1e400", "10081", "1.2.3", "", "0x10",
        ] {
            assert!(estimate_minutes(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn deadlines_never_overflow() {
        let now = Instant::now();
        assert!(deadline(now, Duration::MAX) > now);
        assert_eq!(
            deadline(now, Duration::from_secs(1)),
            now + Duration::from_secs(1)
        );
        assert_eq!(secs_to_ms(u64::MAX), u64::MAX);
    }
}
