//! The `X-RateLimit-*` headers some APIs send on every answer (IONOS:
//! `-Limit`, `-Burst`, `-Remaining`; others `-Reset`).

use reqwest::header::HeaderMap;

/// What the server said about its rate limit; each field is `None` when its
/// header is absent or not a number.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// `X-RateLimit-Limit`: requests allowed per window.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`: requests left in this window.
    pub remaining: Option<u64>,
    /// `X-RateLimit-Burst`: requests allowed in a burst.
    pub burst: Option<u64>,
    /// `X-RateLimit-Reset`: as sent (seconds until reset, or a Unix time,
    /// depending on the API).
    pub reset: Option<u64>,
}

impl RateLimit {
    /// The rate-limit headers in `headers`; `None` when there are none.
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let number =
            |name: &str| -> Option<u64> { headers.get(name)?.to_str().ok()?.trim().parse().ok() };
        let found = RateLimit {
            limit: number("x-ratelimit-limit"),
            remaining: number("x-ratelimit-remaining"),
            burst: number("x-ratelimit-burst"),
            reset: number("x-ratelimit-reset"),
        };
        (found != RateLimit::default()).then_some(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_is_there() {
        let mut headers = HeaderMap::new();
        assert_eq!(RateLimit::from_headers(&headers), None);
        headers.insert("X-RateLimit-Limit", "120".parse().unwrap());
        headers.insert("X-RateLimit-Remaining", " 7 ".parse().unwrap());
        headers.insert("X-RateLimit-Burst", "many".parse().unwrap());
        assert_eq!(
            RateLimit::from_headers(&headers),
            Some(RateLimit {
                limit: Some(120),
                remaining: Some(7),
                burst: None,
                reset: None
            })
        );
    }
}
