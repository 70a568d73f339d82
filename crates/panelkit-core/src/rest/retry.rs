//! When a failed request is sent again: only idempotent ones (unless the
//! caller says otherwise), on 429/502/503/504 and timeouts, waiting what
//! `Retry-After` asks (seconds or an HTTP date) or an exponential backoff
//! with jitter, within a bounded number of attempts and total time.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;
use reqwest::Method;

use crate::Error;

/// How failed requests are retried.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1: never retry).
    pub max_attempts: u32,
    /// Longest time from the first attempt to the start of the last one,
    /// waits included; a `Retry-After` reaching past it is not waited for
    /// (the [`Error::RateLimited`] is returned with its `retry_after`).
    pub max_elapsed: Duration,
    /// The first backoff when the server does not say how long to wait.
    pub initial_backoff: Duration,
    /// The longest backoff.
    pub max_backoff: Duration,
    /// Statuses worth another try.
    pub statuses: Vec<u16>,
    /// Also retry methods that are not idempotent (POST, PATCH). Off by
    /// default: a POST that timed out may have been done.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            max_elapsed: Duration::from_secs(60),
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(10),
            statuses: vec![429, 502, 503, 504],
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Whether `method` may be sent twice with the same effect (RFC 9110
    /// §9.2.2: GET, HEAD, PUT, DELETE, OPTIONS, TRACE).
    pub fn is_idempotent(method: &Method) -> bool {
        matches!(
            *method,
            Method::GET
                | Method::HEAD
                | Method::PUT
                | Method::DELETE
                | Method::OPTIONS
                | Method::TRACE
        )
    }

    /// Whether a request may be retried at all: its method (or the caller's
    /// `idempotent` override) and the policy allow it.
    pub fn allows(&self, method: &Method, idempotent: Option<bool>) -> bool {
        self.max_attempts > 1
            && (self.retry_non_idempotent
                || idempotent.unwrap_or_else(|| Self::is_idempotent(method)))
    }

    /// How long to wait before attempt `attempt + 1` after `error` ended
    /// attempt `attempt` (1-based), `elapsed` after the first one started;
    /// `None`: do not retry. `server_wait` is the answer's `Retry-After`
    /// (a 503 may carry one too), else the error's own.
    pub fn delay_after(
        &self,
        attempt: u32,
        elapsed: Duration,
        error: &Error,
        server_wait: Option<Duration>,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let retryable = match error {
            Error::Timeout { .. } | Error::Transport { .. } => true,
            other => other.status().is_some_and(|s| self.statuses.contains(&s)),
        };
        if !retryable {
            return None;
        }
        let wait = server_wait
            .or_else(|| error.retry_after())
            .unwrap_or_else(|| self.backoff(attempt));
        (elapsed + wait <= self.max_elapsed).then_some(wait)
    }

    /// Exponential backoff for attempt `attempt` (1-based), with jitter:
    /// a random point in the upper half of the step, so callers that failed
    /// together do not come back together.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let step = self
            .initial_backoff
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(20))
            .min(self.max_backoff);
        let half = step / 2;
        half + half.mul_f64(jitter())
    }
}

/// A number in [0, 1) that differs between calls and processes; not for
/// cryptography.
fn jitter() -> f64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static STATE: AtomicU64 = AtomicU64::new(0);
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let mut x = STATE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed) ^ seed;
    // splitmix64 finalizer
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

/// The `Retry-After` header as a wait from `now`.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get("retry-after")?.to_str().ok()?;
    parse_retry_after(value, now)
}

/// Longest wait a `Retry-After` is read as (a day); larger values are
/// clamped, not trusted to overflow anything.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(86_400);

/// Parses a `Retry-After` value: delay-seconds (`120`; a decimal `1.5` is
/// also read as seconds, never as milliseconds) or an HTTP date (a date in
/// the past means now). Anything else is `None`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        let secs = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(secs).min(MAX_RETRY_AFTER));
    }
    if value.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let secs: f64 = value.parse().ok()?;
        return Some(Duration::from_secs_f64(
            secs.min(MAX_RETRY_AFTER.as_secs_f64()),
        ));
    }
    let at = parse_http_date(value)?;
    Some(
        at.duration_since(now)
            .unwrap_or(Duration::ZERO)
            .min(MAX_RETRY_AFTER),
    )
}

/// Parses the three HTTP date forms (RFC 9110 §5.6.7): IMF-fixdate
/// `Sun, 06 Nov 1994 08:49:37 GMT`, RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT`
/// and asctime `Sun Nov  6 08:49:37 1994`.
pub fn parse_http_date(text: &str) -> Option<SystemTime> {
    let tokens: Vec<&str> = text
        .split(|c: char| c.is_ascii_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .collect();
    let (day, month, year, time) = match tokens.as_slice() {
        [_, day, month, year, time, "GMT"] => (*day, *month, year.parse::<i64>().ok()?, *time),
        [_, date, time, "GMT"] => {
            let mut parts = date.split('-');
            let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some() || year.len() != 2 {
                return None;
            }
            let yy: i64 = year.parse().ok()?;
            // RFC 9110: a two-digit year more than 50 years ahead is in the past.
            (
                day,
                month,
                if yy < 70 { 2000 + yy } else { 1900 + yy },
                *time,
            )
        }
        [_, month, day, time, year] => (*day, *month, year.parse::<i64>().ok()?, *time),
        _ => return None,
    };
    if !day.bytes().all(|b| b.is_ascii_digit()) || day.len() > 2 {
        return None;
    }
    let day: u32 = day.parse().ok()?;
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| *m == month)? as u32
        + 1;
    let mut hms = time.split(':');
    let (h, m, s) = (hms.next()?, hms.next()?, hms.next()?);
    if hms.next().is_some() || [h, m, s].iter().any(|p| p.len() != 2) {
        return None;
    }
    let (h, m, s): (u64, u64, u64) = (h.parse().ok()?, m.parse().ok()?, s.parse().ok()?);
    if !(1970..=9999).contains(&year)
        || day == 0
        || day > days_in_month(year, month)
        || h > 23
        || m > 59
        || s > 60
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let secs = days as u64 * 86_400 + h * 3600 + m * 60 + s;
    Some(UNIX_EPOCH + Duration::from_secs(secs))
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// algorithm).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn seconds_and_dates() {
        let now = at(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("1.5", now),
            Some(Duration::from_millis(1500))
        );
        // A big number is seconds (clamped), never milliseconds.
        assert_eq!(
            parse_retry_after("1500", now),
            Some(Duration::from_secs(1500))
        );
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            Some(MAX_RETRY_AFTER)
        );
        for date in [
            "Sun, 06 Nov 1994 08:50:07 GMT",
            "Sunday, 06-Nov-94 08:50:07 GMT",
            "Sun Nov  6 08:50:07 1994",
        ] {
            assert_eq!(
                parse_retry_after(date, now),
                Some(Duration::from_secs(30)),
                "{date}"
            );
        }
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO),
            "past dates mean now"
        );
        for bad in [
            "",
            "soon",
            "-5",
            "Sun, 31 Feb 1994 08:00:00 GMT",
            "Sun, 06 Nov 1994 25:00:00 GMT",
            "1.2.3",
        ] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad}");
        }
    }

    #[test]
    fn dates_match_the_calendar() {
        assert_eq!(
            parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"),
            Some(at(0))
        );
        assert_eq!(
            parse_http_date("Tue, 29 Feb 2028 12:00:00 GMT"),
            Some(at(1_835_438_400))
        );
        assert_eq!(
            parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(at(1_445_412_480))
        );
    }

    #[test]
    fn policy_decisions() {
        let policy = RetryPolicy::default();
        assert!(policy.allows(&Method::GET, None));
        assert!(policy.allows(&Method::PUT, None));
        assert!(!policy.allows(&Method::POST, None));
        assert!(!policy.allows(&Method::PATCH, None));
        assert!(policy.allows(&Method::POST, Some(true)));
        assert!(!RetryPolicy::none().allows(&Method::GET, None));
        let busy = Error::from_status(503, "503", "busy", vec![], None);
        let limited = Error::from_status(429, "429", "slow", vec![], Some(Duration::from_secs(2)));
        let missing = Error::from_status(404, "404", "gone", vec![], None);
        assert!(policy.delay_after(1, Duration::ZERO, &busy, None).is_some());
        assert_eq!(
            policy.delay_after(1, Duration::ZERO, &limited, None),
            Some(Duration::from_secs(2))
        );
        assert_eq!(policy.delay_after(1, Duration::ZERO, &missing, None), None);
        assert_eq!(
            policy.delay_after(1, Duration::ZERO, &busy, Some(Duration::from_secs(3))),
            Some(Duration::from_secs(3)),
            "a 503's Retry-After is honoured"
        );
        assert_eq!(
            policy.delay_after(4, Duration::ZERO, &busy, None),
            None,
            "attempts bounded"
        );
        assert_eq!(
            policy.delay_after(1, Duration::from_secs(59), &limited, None),
            None,
            "total time bounded"
        );
    }

    #[test]
    fn backoff_grows_with_jitter_and_is_capped() {
        let policy = RetryPolicy::default();
        for attempt in 1..30 {
            let step = policy
                .initial_backoff
                .saturating_mul(1 << (attempt - 1).min(20))
                .min(policy.max_backoff);
            let d = policy.backoff(attempt);
            assert!(d >= step / 2 && d <= step, "{attempt}: {d:?} vs {step:?}");
        }
    }
}
