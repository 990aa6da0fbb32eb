//! `MockDixa`, a fake Dixa served over HTTP on loopback for the tests of code that uses the SDK
//! (cargo feature `testing`).
//!
//! The fake answers real HTTP: a rule's value is encoded by the SDK's own serializers into bytes,
//! and the client the fake hands out decodes them with the SDK's decoder, so `_type` tags, the
//! `{"data": ...}` envelopes and Dixa's date-time forms are exercised as in production. Requests are
//! routed to their operation by method and path template (the generated table of every operation,
//! which also holds each operation's success status and the spec's example of its answer); the
//! rules of `mock_rules.rs` decide the answer, and an operation without a matching rule answers the
//! spec's example, or in strict mode an error naming the closest rule.

use crate::runtime::client::Client;
use crate::runtime::mock_rules::{Incoming, Reply, RuleState};
use crate::runtime::mock_state::{Resources, Stored};
use crate::runtime::retry::RetryPolicy;
use std::fmt::Write;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// A fake Dixa in process: an HTTP server on `127.0.0.1` that answers the SDK's requests from typed
/// rules, or else from the spec's examples, and records what it received.
///
/// ```no_run
/// # async fn example() -> Result<(), Box<dyn std::error::Error>> {
/// let mock = dixa::testing::MockDixa::start().await?;
/// let client = mock.client();
/// let agents = client.agents().list_agents().await?; // the spec's example
/// # let _ = agents;
/// # Ok(())
/// # }
/// ```
///
/// The server stops when the `MockDixa` is dropped. In [strict](Self::strict) mode, dropping it
/// fails the test (outside a panic already under way) when a request matched no rule.
pub struct MockDixa {
    pub(crate) state: Arc<State>,
    client: Client,
    base_url: String,
    server: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for MockDixa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockDixa")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

/// What the server and the rules share.
pub(crate) struct State {
    routes: Vec<Route>,
    /// The collections whose items the fake keeps (`mock_state.rs`).
    resources: Resources,
    inner: Mutex<Inner>,
}

/// The mutable part of the state.
#[derive(Default)]
pub(crate) struct Inner {
    pub(crate) rules: Vec<RuleState>,
    strict: bool,
    unmatched: Vec<String>,
    /// What tests created in the stateful collections.
    stored: Stored,
}

impl State {
    /// The state, also after a test thread panicked while holding it (the rules stay readable, so
    /// the panic that matters is the one reported).
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One operation of the spec as the server routes it.
struct Route {
    operation: String,
    method: String,
    segments: Vec<Segment>,
    /// The answer without a rule: the spec's example with the success status.
    default: Reply,
}

enum Segment {
    Literal(String),
    Param(String),
}

/// An entry of the generated table of operations.
#[derive(serde::Deserialize)]
struct TableEntry {
    operation: String,
    method: String,
    path: String,
    status: u16,
    /// `empty`, `json` (the body is JSON, an envelope or not), `text` or `bytes`.
    body: String,
    #[serde(default)]
    example: Option<serde_json::Value>,
}

impl Route {
    fn new(entry: TableEntry) -> Self {
        let segments = entry
            .path
            .trim_start_matches('/')
            .split('/')
            .map(
                |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) => Segment::Param(name.to_owned()),
                    None => Segment::Literal(s.to_owned()),
                },
            )
            .collect();
        let default = match (entry.body.as_str(), entry.example) {
            ("empty", _) => Reply::empty(entry.status),
            ("text", Some(serde_json::Value::String(text))) => Reply::text(entry.status, &text),
            ("json", Some(example)) => Reply::json(entry.status, &example),
            _ => Reply::error(
                501,
                &format!(
                    "MockDixa has no default answer for {}: the spec gives no example of its \
                     {} response; add a rule for it",
                    entry.operation, entry.status
                ),
            ),
        };
        Self {
            operation: entry.operation,
            method: entry.method,
            segments,
            default,
        }
    }

    /// The path parameters when `path` (percent-encoded segments) is this route's.
    fn matches(&self, segments: &[&str]) -> Option<Vec<(String, String)>> {
        if segments.len() != self.segments.len() {
            return None;
        }
        let mut params = Vec::new();
        for (segment, pattern) in segments.iter().zip(&self.segments) {
            match pattern {
                Segment::Literal(literal) if literal == segment => {}
                Segment::Literal(_) => return None,
                Segment::Param(_) if segment.is_empty() => return None,
                Segment::Param(name) => params.push((name.clone(), percent_decode(segment))),
            }
        }
        Some(params)
    }

    fn literals(&self) -> usize {
        self.segments
            .iter()
            .filter(|s| matches!(s, Segment::Literal(_)))
            .count()
    }
}

impl MockDixa {
    /// Starts a fake serving the operations of `table` (the generated JSON table of operations)
    /// and keeping the collections of `resources` (the generated JSON table of resources).
    #[allow(
        dead_code,
        reason = "the generated `MockDixa::start` calls it with the spec's tables"
    )]
    pub(crate) async fn start_with(table: &str, resources: &str) -> Result<Self, std::io::Error> {
        let invalid = |e| std::io::Error::new(std::io::ErrorKind::InvalidData, e);
        let entries: Vec<TableEntry> = serde_json::from_str(table).map_err(invalid)?;
        let routes = entries.into_iter().map(Route::new).collect();
        let state = Arc::new(State {
            routes,
            resources: Resources::parse(resources).map_err(invalid)?,
            inner: Mutex::new(Inner::default()),
        });
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let server = tokio::spawn(serve(listener, Arc::clone(&state)));
        let client = Client::builder()
            .api_key("mock-dixa-api-key")
            .base_url(base_url.clone())
            // Retries stay on (code under test may rely on them) but do not make tests wait.
            .retry(
                RetryPolicy::default()
                    .with_backoff(Duration::from_millis(1), Duration::from_millis(10)),
            )
            .build()
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(Self {
            state,
            client,
            base_url,
            server,
        })
    }

    /// A client of this fake: no rate limit, retries after a millisecond or two. Clones share the
    /// fake.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The fake's base URL (`http://127.0.0.1:<port>`), for a client built by the code under test.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Strict mode: a request that no rule matches is answered with status 501 and a message naming
    /// the closest rule, instead of the stored resources or the spec's example, and dropping the
    /// fake fails the test (unless [`take_unmatched`](Self::take_unmatched) took the failures
    /// first). The stored resources still answer through rules set with `from_state()`.
    pub fn strict(&self) -> &Self {
        self.state.lock().strict = true;
        self
    }

    /// The requests no rule matched in strict mode, described with the closest rule, and forgets
    /// them (so dropping the fake no longer fails).
    pub fn take_unmatched(&self) -> Vec<String> {
        std::mem::take(&mut self.state.lock().unmatched)
    }

    /// Answers one request: the first rule that matches and is not used up, else the default.
    fn answer(state: &State, method: &str, path: &str, query: &str, body: Vec<u8>) -> Reply {
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let route = state
            .routes
            .iter()
            .filter(|r| r.method == method)
            .filter_map(|r| r.matches(&segments).map(|params| (r, params)))
            .max_by_key(|(r, _)| r.literals());
        let mut inner = state.lock();
        let Some((route, path_params)) = route else {
            let message = format!("MockDixa: no operation of the spec is {method} {path}");
            inner.unmatched.push(message.clone());
            return Reply::error(404, &message);
        };
        let incoming = Incoming {
            operation: route.operation.clone(),
            method: method.to_owned(),
            path: path.to_owned(),
            path_params,
            query: parse_query(query),
            body,
        };
        let Inner {
            rules,
            strict,
            stored,
            ..
        } = &mut *inner;
        // Rules come first; a rule may hand the request on to the stored resources
        // (`Reply::from_state`), which then answer as without it.
        if let Some(rule) = rules
            .iter_mut()
            .find(|r| r.operation == incoming.operation && r.accepts(&incoming))
        {
            let reply = rule.answer(incoming.clone());
            if !reply.is_from_state() {
                return reply;
            }
            return state
                .resources
                .answer(stored, &incoming)
                .unwrap_or_else(|| route.default.clone());
        }
        // Without a rule, the stored resources answer what they hold, else the spec's example. In
        // strict mode every request needs a rule, the state's included (`from_state`), so a test
        // that expects no write to a collection sees one it did not plan as unmatched.
        if !*strict {
            return state
                .resources
                .answer(stored, &incoming)
                .unwrap_or_else(|| route.default.clone());
        }
        let message = unmatched_message(&inner.rules, &incoming);
        inner.unmatched.push(message.clone());
        Reply::error(501, &message)
    }
}

/// Why no rule matched `incoming`, naming the closest rule: of the rules of its operation, the one
/// with the fewest failed conditions (a used-up rule counts as one more).
fn unmatched_message(rules: &[RuleState], incoming: &Incoming) -> String {
    let mut message = format!(
        "MockDixa (strict): no rule matches {} {} ({})",
        incoming.method, incoming.path, incoming.operation
    );
    let closest = rules
        .iter()
        .filter(|r| r.operation == incoming.operation)
        .map(|r| (r, r.failures(incoming)))
        .min_by_key(|(_, failures)| failures.len());
    match closest {
        Some((rule, failures)) => {
            let _ = write!(
                message,
                "; closest rule: {}, which fails on {}",
                rule.describe(),
                failures.join(", ")
            );
        }
        None => {
            let mut others: Vec<&str> = rules.iter().map(|r| r.operation).collect();
            others.dedup();
            if others.is_empty() {
                message.push_str("; no rule is set");
            } else {
                let _ = write!(
                    message,
                    "; no rule is set for {}, only for {}",
                    incoming.operation,
                    others.join(", ")
                );
            }
        }
    }
    message
}

impl Drop for MockDixa {
    fn drop(&mut self) {
        self.server.abort();
        let unmatched = std::mem::take(&mut self.state.lock().unmatched);
        let strict = self.state.lock().strict;
        // Strict mode is an assertion of the test: fail it, unless it is failing already (a second
        // panic while unwinding would abort the test binary and hide the first).
        if strict && !std::thread::panicking() {
            assert!(
                unmatched.is_empty(),
                "MockDixa (strict) received requests no rule matched:\n{}",
                unmatched.join("\n")
            );
        }
    }
}

/// Accepts connections until the task is aborted; each connection is served on its own task.
async fn serve(listener: tokio::net::TcpListener, state: Arc<State>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let state = Arc::clone(&state);
                async move { Ok::<_, std::convert::Infallible>(handle(&state, request).await) }
            });
            // A connection the client drops mid-request ends here; the client reports it.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(
    state: &State,
    request: hyper::Request<hyper::body::Incoming>,
) -> hyper::Response<http_body_util::Full<bytes::Bytes>> {
    use http_body_util::BodyExt;
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().unwrap_or("").to_owned();
    let reply = match request.into_body().collect().await {
        Ok(body) => MockDixa::answer(state, &method, &path, &query, body.to_bytes().to_vec()),
        Err(e) => Reply::error(
            400,
            &format!("MockDixa could not read the request body: {e}"),
        ),
    };
    reply.into_response()
}

/// The query's pairs, percent-decoded (`+` is a space, as form encoding writes it).
fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                percent_decode(&name.replace('+', " ")),
                percent_decode(&value.replace('+', " ")),
            )
        })
        .collect()
}

/// Decodes `%XX` escapes; an escape that is not one stays as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_queries_are_decoded() {
        assert_eq!(percent_decode("a%2Fb%20c%zz"), "a/b c%zz");
        assert_eq!(
            parse_query("a=1&b=x+y&a=%C3%A9&c"),
            vec![
                ("a".to_owned(), "1".to_owned()),
                ("b".to_owned(), "x y".to_owned()),
                ("a".to_owned(), "é".to_owned()),
                ("c".to_owned(), String::new()),
            ]
        );
    }

    #[test]
    fn the_most_literal_route_wins() {
        let table = r#"[
            {"operation": "one", "method": "GET", "path": "/items/{id}", "status": 200, "body": "empty"},
            {"operation": "bulk", "method": "GET", "path": "/items/bulk", "status": 200, "body": "empty"},
            {"operation": "make", "method": "POST", "path": "/items", "status": 201, "body": "json"}
        ]"#;
        let entries: Vec<TableEntry> = serde_json::from_str(table).unwrap();
        let routes: Vec<Route> = entries.into_iter().map(Route::new).collect();
        let state = State {
            routes,
            resources: Resources::default(),
            inner: Mutex::new(Inner::default()),
        };
        let reply = MockDixa::answer(&state, "GET", "/items/bulk", "", Vec::new());
        assert_eq!(reply.status(), 200);
        let reply = MockDixa::answer(&state, "GET", "/items/a%2Fb", "", Vec::new());
        assert_eq!(reply.status(), 200);
        let reply = MockDixa::answer(&state, "POST", "/items/bulk", "", Vec::new());
        assert_eq!(reply.status(), 404);
        assert_eq!(state.lock().unmatched.len(), 1);
        // Without an example there is no default: the answer names the operation.
        let reply = MockDixa::answer(&state, "POST", "/items", "", Vec::new());
        assert_eq!(reply.status(), 501);
        assert!(String::from_utf8_lossy(&reply.into_body()).contains("make"));
    }
}
