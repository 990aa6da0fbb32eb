//! Retries with exponential backoff and jitter, `Retry-After`, and the optional client-side rate
//! limiter.
//!
//! Dixa limits each API token (10 requests per second, bursts of 4) and answers 429 above that; its
//! servers may also answer 502/503/504 during deploys. A production client should wait and try again
//! rather than fail, but only where trying again is safe: by default only idempotent methods are
//! retried after a response or timeout, while a connection that never opened is retried for any
//! method, because the request was never sent.

use crate::runtime::platform;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// When and how often a failed request is tried again.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// How many times a request is sent at most, the first attempt included (1 disables retries).
    pub max_attempts: u32,
    /// The wait before the first retry; it doubles with each further retry.
    pub initial_backoff: Duration,
    /// The longest wait between two attempts computed by backoff.
    pub max_backoff: Duration,
    /// The longest `Retry-After` the client waits for; a longer one ends the retries, and the error
    /// carries the server's wait so the caller can schedule the work.
    pub max_retry_after: Duration,
    /// Whether POST and PATCH requests are retried after a response or a timeout too (they may have
    /// taken effect already; only enable this when the operations are safe to repeat).
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The default policy with another maximum number of attempts.
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// The default policy with other backoff bounds.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Retry POST and PATCH requests too.
    pub fn with_retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// The wait before retry number `retry` (1 for the first retry): exponential backoff with "equal
    /// jitter", a random wait between half and all of the exponential value, so that many clients
    /// failing together do not retry together.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(16);
        let full = self
            .initial_backoff
            .saturating_mul(1u32 << exponent)
            .min(self.max_backoff);
        let half = full / 2;
        half + full.saturating_sub(half).mul_f64(platform::random_unit())
    }
}

/// Whether a request with this method may be sent twice without changing the outcome (RFC 9110).
pub fn is_idempotent(method: &reqwest::Method) -> bool {
    matches!(
        *method,
        reqwest::Method::GET
            | reqwest::Method::HEAD
            | reqwest::Method::PUT
            | reqwest::Method::DELETE
            | reqwest::Method::OPTIONS
            | reqwest::Method::TRACE
    )
}

/// Whether a response status is worth retrying: rate limiting and transient server trouble.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

/// Reads a `Retry-After` header: a number of seconds, or an HTTP date.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let date = SystemTime::UNIX_EPOCH
        + Duration::from_millis(u64::try_from(date.timestamp_millis()).ok()?);
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The client-side rate limit: a token bucket that lets `burst` requests go at once and refills at
/// `per_second`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Sustained requests per second.
    pub per_second: f64,
    /// Requests that may go at once after a quiet period.
    pub burst: u32,
}

impl RateLimit {
    /// Dixa's documented limit per API token: 10 requests per second, bursts of 4.
    pub const DIXA: RateLimit = RateLimit {
        per_second: 10.0,
        burst: 4,
    };
}

/// The token bucket shared by clones of a client.
#[derive(Debug)]
pub struct RateLimiter {
    limit: RateLimit,
    state: Mutex<Bucket>,
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    updated: platform::Instant,
}

impl RateLimiter {
    /// A full bucket.
    pub fn new(limit: RateLimit) -> Self {
        Self {
            limit,
            state: Mutex::new(Bucket {
                tokens: f64::from(limit.burst),
                updated: platform::Instant::now(),
            }),
        }
    }

    /// Waits until a request may be sent.
    pub async fn acquire(&self) {
        loop {
            let wait = {
                // A poisoned lock only means another task panicked mid-update; the bucket is still
                // usable, so recover it rather than spread the panic.
                let mut bucket = self.state.lock().unwrap_or_else(|e| e.into_inner());
                let now = platform::Instant::now();
                let elapsed = now.duration_since(bucket.updated).as_secs_f64();
                bucket.tokens = (bucket.tokens + elapsed * self.limit.per_second)
                    .min(f64::from(self.limit.burst));
                bucket.updated = now;
                if bucket.tokens >= 1.0 {
                    bucket.tokens -= 1.0;
                    return;
                }
                Duration::from_secs_f64((1.0 - bucket.tokens) / self.limit.per_second)
            };
            platform::sleep(wait).await;
        }
    }
}

/// The total time limit of one call, counted from when it started. The clock is the platform's
/// (tokio's natively, so tests with paused time see it advance; the host's on wasm32).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    start: platform::Instant,
    limit: Duration,
}

impl Deadline {
    /// A deadline `limit` from now.
    pub(crate) fn start(limit: Duration) -> Self {
        Self {
            start: platform::Instant::now(),
            limit,
        }
    }

    /// The limit as it was set.
    pub(crate) fn limit(&self) -> Duration {
        self.limit
    }

    /// The time left; zero once it has passed.
    pub(crate) fn remaining(&self) -> Duration {
        let elapsed = platform::Instant::now().duration_since(self.start);
        self.limit.saturating_sub(elapsed)
    }

    /// Runs `work` until it ends or the deadline passes, whichever comes first; `None` when the
    /// deadline passed (the work is dropped, which cancels a request in flight). The timer is the
    /// platform's `sleep`, so this works where tokio's `timeout` does not (wasm32).
    pub(crate) async fn run<F: std::future::Future>(&self, work: F) -> Option<F::Output> {
        let work = std::pin::pin!(work);
        let timer = std::pin::pin!(platform::sleep(self.remaining()));
        match futures_util::future::select(work, timer).await {
            futures_util::future::Either::Left((output, _)) => Some(output),
            futures_util::future::Either::Right(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_deadline_ends_work_that_outlasts_it_and_lets_quicker_work_finish() {
        let deadline = Deadline::start(Duration::from_secs(10));
        assert_eq!(deadline.run(async { 7 }).await, Some(7));
        tokio::time::advance(Duration::from_secs(4)).await;
        assert_eq!(deadline.remaining(), Duration::from_secs(6));
        let quick = deadline.run(async {
            platform::sleep(Duration::from_secs(5)).await;
            "done"
        });
        assert_eq!(quick.await, Some("done"));
        let slow = deadline.run(platform::sleep(Duration::from_secs(5)));
        assert_eq!(slow.await, None, "1 s was left");
        assert_eq!(deadline.remaining(), Duration::ZERO);
        assert_eq!(deadline.limit(), Duration::from_secs(10));
        // Past the deadline, work that is ready at once still ends; anything that waits does not.
        assert_eq!(deadline.run(async { 1 }).await, Some(1));
        let late = deadline.run(platform::sleep(Duration::from_millis(1)));
        assert_eq!(late.await, None);
    }

    #[test]
    fn backoff_grows_exponentially_within_bounds() {
        let policy =
            RetryPolicy::default().with_backoff(Duration::from_millis(100), Duration::from_secs(1));
        for _ in 0..100 {
            let first = policy.backoff(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let third = policy.backoff(3);
            assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400));
            let late = policy.backoff(30);
            assert!(late >= Duration::from_millis(500) && late <= Duration::from_secs(1));
        }
    }

    #[test]
    fn retry_after_in_seconds_and_as_a_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        // 1_700_000_030 seconds after the epoch.
        assert_eq!(
            parse_retry_after("Tue, 14 Nov 2023 22:13:50 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Tue, 14 Nov 2023 22:13:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn idempotency_and_retryable_statuses() {
        assert!(is_idempotent(&reqwest::Method::GET));
        assert!(is_idempotent(&reqwest::Method::PUT));
        assert!(!is_idempotent(&reqwest::Method::POST));
        assert!(!is_idempotent(&reqwest::Method::PATCH));
        assert!(is_retryable_status(429) && is_retryable_status(503));
        assert!(!is_retryable_status(400) && !is_retryable_status(404));
        assert_eq!(RetryPolicy::none().max_attempts, 1);
    }

    #[tokio::test(start_paused = true)]
    async fn the_limiter_allows_a_burst_then_the_rate() {
        let limiter = RateLimiter::new(RateLimit::DIXA);
        let start = tokio::time::Instant::now();
        for _ in 0..4 {
            limiter.acquire().await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO, "the burst goes at once");
        for _ in 0..10 {
            limiter.acquire().await;
        }
        let elapsed = start.elapsed();
        assert!(
            elapsed >= Duration::from_millis(990) && elapsed <= Duration::from_millis(1010),
            "ten more at 10/s take a second: {elapsed:?}"
        );
    }
}
