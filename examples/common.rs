//! What the examples share: a client configured from the environment.
//!
//! * `DIXA_API_KEY`: the API token (any text works against a mock server).
//! * `DIXA_BASE_URL`: where to send requests; Dixa's server unless set, e.g. `http://127.0.0.1:4010`
//!   for a local Prism mock.

/// A client from `DIXA_API_KEY` and `DIXA_BASE_URL`.
pub fn client_from_env() -> Result<dixa::Client, dixa::Error> {
    let key = std::env::var("DIXA_API_KEY").unwrap_or_else(|_| "example-key".to_owned());
    let mut builder = dixa::Client::builder()
        .api_key(key)
        .rate_limit(dixa::RateLimit::DIXA);
    if let Ok(base_url) = std::env::var("DIXA_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    builder.build()
}
