//! What the runtime needs from the platform it runs on: a timer, the clocks, randomness for the
//! retry jitter, and what a transport error says about the connection.
//!
//! On native targets these are tokio's timer, `std`'s clock and `fastrand`, exactly as the runtime
//! used them before this seam existed. On `wasm32` (the SDK in a browser, a web worker or another
//! JavaScript host, through reqwest's fetch backend) there is no tokio runtime to drive a timer, and
//! `std::time::Instant::now`/`SystemTime::now` panic, so the JavaScript host's `setTimeout`,
//! `Date.now()` and `Math.random()` stand in, through `js-sys`, which reqwest's fetch backend
//! already builds on.

use std::time::{Duration, SystemTime};

/// A point in time for measuring how long passed, such as the rate limiter's last refill. Native
/// targets use tokio's, which tests can pause and advance.
#[cfg(not(target_arch = "wasm32"))]
pub use tokio::time::Instant;

/// Waits for `duration` without blocking the thread.
#[cfg(not(target_arch = "wasm32"))]
pub async fn sleep(duration: Duration) {
    tokio::time::sleep(duration).await;
}

/// The wall-clock time now, for `Retry-After` dates and webhook timestamps.
#[cfg(not(target_arch = "wasm32"))]
pub fn now() -> SystemTime {
    SystemTime::now()
}

/// A random number in `[0, 1)`, for the retry jitter.
#[cfg(not(target_arch = "wasm32"))]
pub fn random_unit() -> f64 {
    fastrand::f64()
}

/// Whether no connection could be made.
#[cfg(not(target_arch = "wasm32"))]
pub fn is_connect(error: &reqwest::Error) -> bool {
    error.is_connect()
}

/// A point in time for measuring how long passed: milliseconds of the host's clock (`Date.now()`).
/// It is not monotonic; a clock set back reads as no time passed, never as negative time.
#[cfg(target_arch = "wasm32")]
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Instant(f64);

#[cfg(target_arch = "wasm32")]
impl Instant {
    /// The host's clock now.
    pub fn now() -> Self {
        Self(js_sys::Date::now())
    }

    /// How long passed from `earlier` to `self`; zero if the clock went back in between.
    pub fn duration_since(self, earlier: Self) -> Duration {
        Duration::from_secs_f64(((self.0 - earlier.0) / 1000.0).max(0.0))
    }
}

/// Waits for `duration` with the host's `setTimeout`, looked up on the global object so that it
/// works in a window, a web worker and Node alike.
#[cfg(target_arch = "wasm32")]
pub async fn sleep(duration: Duration) {
    use js_sys::wasm_bindgen::{JsCast, JsValue};
    // `setTimeout` takes a signed 32-bit delay (about 24.8 days) and fires at once beyond it.
    let millis = i32::try_from(duration.as_millis()).unwrap_or(i32::MAX);
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let global = js_sys::global();
        let set_timeout = js_sys::Reflect::get(&global, &JsValue::from_str("setTimeout"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        let scheduled =
            set_timeout.is_some_and(|f| f.call2(&global, &resolve, &JsValue::from(millis)).is_ok());
        // A host without a timer cannot wait; going on at once (retrying early) beats waiting
        // forever.
        if !scheduled {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    });
    // The promise only ever resolves.
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The wall-clock time now, from the host's `Date.now()` (milliseconds since the Unix epoch).
#[cfg(target_arch = "wasm32")]
pub fn now() -> SystemTime {
    // `Date.now()` is a whole, non-negative number of milliseconds well within `u64`.
    SystemTime::UNIX_EPOCH + Duration::from_millis(js_sys::Date::now().max(0.0) as u64)
}

/// A random number in `[0, 1)` from the host's `Math.random()`, which needs no seeding (fastrand
/// cannot seed itself on wasm32 without extra features).
#[cfg(target_arch = "wasm32")]
pub fn random_unit() -> f64 {
    js_sys::Math::random()
}

/// Whether no connection could be made: fetch does not say, so a failed fetch counts as a request
/// error (retried only for methods that may be repeated), never as a connection error.
#[cfg(target_arch = "wasm32")]
pub fn is_connect(_error: &reqwest::Error) -> bool {
    false
}
