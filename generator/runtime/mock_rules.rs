//! The rules of [`MockDixa`](crate::runtime::mock::MockDixa): what a request must look like
//! (matchers on its path, query and body), what the fake answers (a sequence of replies), how
//! often, and what it received.
//!
//! Rules are typed by operation: the generated code implements [`MockOperation`] for each
//! operation's request builder (its body and result types, and how a result is put on the wire)
//! and adds a typed matcher per parameter (`with_agent_id`) to that operation's [`RuleBuilder`].

use crate::runtime::mock::MockDixa;
use std::fmt::Display;
use std::marker::PhantomData;
use std::time::Duration;

/// An operation rules can be set for, implemented by the generated code for each operation's
/// request builder (`dixa::apis::agents::GetAgentRequest`).
pub trait MockOperation {
    /// The spec's operationId.
    const ID: &'static str;
    /// The request body as recorded: the operation's body type for JSON bodies, `()` otherwise.
    type Body: serde::de::DeserializeOwned;
    /// What [`RuleBuilder::returns`] takes: what awaiting the request yields, or the JSON body for
    /// an operation whose success statuses answer different bodies.
    type Output: ?Sized;
    /// The success answer carrying `value`, encoded as Dixa would send it (in the operation's
    /// `{"data": ...}` envelope where it has one).
    fn encode(value: &Self::Output) -> Reply;
}

/// One answer of the fake: status, headers and body bytes.
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    /// Answer from the fake's stored resources instead ([`Reply::from_state`]).
    from_state: bool,
}

impl Reply {
    /// A JSON body encoded by the value's serializer (for the SDK's types, the SDK's encoder).
    pub fn json<T: serde::Serialize + ?Sized>(status: u16, value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => Self {
                status,
                headers: vec![("content-type", "application/json".to_owned())],
                body,
                from_state: false,
            },
            Err(e) => Self::error(500, &format!("MockDixa could not encode the answer: {e}")),
        }
    }

    /// `value` in Dixa's `{"data": value}` envelope.
    pub fn data<T: serde::Serialize + ?Sized>(status: u16, value: &T) -> Self {
        #[derive(serde::Serialize)]
        struct Envelope<'a, T: ?Sized> {
            data: &'a T,
        }
        Self::json(status, &Envelope { data: value })
    }

    /// No body.
    pub fn empty(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            from_state: false,
        }
    }

    /// A `text/plain` body.
    pub fn text(status: u16, text: &str) -> Self {
        Self {
            status,
            headers: vec![("content-type", "text/plain; charset=utf-8".to_owned())],
            body: text.as_bytes().to_vec(),
            from_state: false,
        }
    }

    /// An `application/octet-stream` body.
    pub fn bytes(status: u16, bytes: &[u8]) -> Self {
        Self {
            status,
            headers: vec![("content-type", "application/octet-stream".to_owned())],
            body: bytes.to_vec(),
            from_state: false,
        }
    }

    /// The answer the fake's stored resources give (what the request creates, reads, changes or
    /// deletes), or where they do not decide it the spec's example: for a rule that only records,
    /// or a sequence that fails before it succeeds. Outside the resources it is the example.
    pub fn from_state() -> Self {
        Self {
            from_state: true,
            ..Self::empty(200)
        }
    }

    /// Whether this is [`Reply::from_state`].
    pub(crate) fn is_from_state(&self) -> bool {
        self.from_state
    }

    /// An error as Dixa sends one: `{"message": message}`.
    pub fn error(status: u16, message: &str) -> Self {
        Self::json(status, &serde_json::json!({ "message": message }))
    }

    /// Dixa's 429, with a `Retry-After` of `retry_after` (whole seconds, rounded up).
    pub fn rate_limited(retry_after: Duration) -> Self {
        let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
        let mut reply = Self::error(429, "Rate limit exceeded");
        reply.headers.push(("retry-after", seconds.to_string()));
        reply
    }

    /// Adds a response header.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// The status.
    pub fn status(&self) -> u16 {
        self.status
    }

    #[cfg(test)]
    pub(crate) fn into_body(self) -> Vec<u8> {
        self.body
    }

    pub(crate) fn into_response(self) -> hyper::Response<http_body_util::Full<bytes::Bytes>> {
        let mut response =
            hyper::Response::new(http_body_util::Full::new(bytes::Bytes::from(self.body)));
        *response.status_mut() =
            hyper::StatusCode::from_u16(self.status).unwrap_or(hyper::StatusCode::OK);
        for (name, value) in self.headers {
            if let Ok(value) = hyper::header::HeaderValue::from_str(&value) {
                response.headers_mut().append(name, value);
            }
        }
        response
    }
}

/// A request as the fake received it, routed to its operation.
#[derive(Debug, Clone)]
pub(crate) struct Incoming {
    pub(crate) operation: String,
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) path_params: Vec<(String, String)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

/// One condition of a rule, with its description for strict mode's messages.
struct Matcher {
    what: String,
    test: Box<dyn Fn(&Incoming) -> bool + Send + Sync>,
}

/// A rule as the fake keeps it.
pub(crate) struct RuleState {
    pub(crate) operation: &'static str,
    matchers: Vec<Matcher>,
    replies: Vec<Reply>,
    times: Option<usize>,
    received: Vec<Incoming>,
}

impl RuleState {
    /// Whether this rule answers `incoming`: every matcher passes and it is not used up.
    pub(crate) fn accepts(&self, incoming: &Incoming) -> bool {
        !self.used_up() && self.matchers.iter().all(|m| (m.test)(incoming))
    }

    fn used_up(&self) -> bool {
        self.times.is_some_and(|times| self.received.len() >= times)
    }

    /// The conditions `incoming` fails, for strict mode's messages.
    pub(crate) fn failures(&self, incoming: &Incoming) -> Vec<String> {
        let mut failures: Vec<String> = self
            .matchers
            .iter()
            .filter(|m| !(m.test)(incoming))
            .map(|m| m.what.clone())
            .collect();
        if self.used_up() {
            failures.push(format!("times({}), used up", self.received.len()));
        }
        failures
    }

    /// The rule as a test would read it: `getAgentsAgentid where agentId = "..."`.
    pub(crate) fn describe(&self) -> String {
        if self.matchers.is_empty() {
            return format!("{} (any request)", self.operation);
        }
        let what: Vec<&str> = self.matchers.iter().map(|m| m.what.as_str()).collect();
        format!("{} where {}", self.operation, what.join(" and "))
    }

    /// Records `incoming` and gives the next reply of the sequence (the last one repeats).
    pub(crate) fn answer(&mut self, incoming: Incoming) -> Reply {
        let next = self
            .received
            .len()
            .min(self.replies.len().saturating_sub(1));
        self.received.push(incoming);
        self.replies
            .get(next)
            .cloned()
            .unwrap_or_else(|| Reply::error(500, "MockDixa: a rule without a reply"))
    }
}

/// The conditions of a rule being set for operation `Op`, reached through the fake's groups
/// (`mock.agents().get_agent()`). Every condition must hold for the rule to answer; a finishing
/// method ([`returns`](Self::returns), [`fails`](Self::fails), ...) sets the rule.
///
/// Rules are tried in the order they were set; the first whose conditions hold and that is not
/// used up ([`Rule::times`]) answers.
#[must_use = "a rule is set by one of its finishing methods (`returns`, `fails`, ...)"]
pub struct RuleBuilder<'a, Op> {
    mock: &'a MockDixa,
    matchers: Vec<Matcher>,
    operation: PhantomData<fn() -> Op>,
}

impl<Op> std::fmt::Debug for RuleBuilder<'_, Op> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what: Vec<&str> = self.matchers.iter().map(|m| m.what.as_str()).collect();
        f.debug_struct("RuleBuilder")
            .field("matchers", &what)
            .finish_non_exhaustive()
    }
}

impl<'a, Op: MockOperation> RuleBuilder<'a, Op> {
    /// A rule for `Op` without conditions yet.
    #[allow(
        dead_code,
        reason = "the generated rule groups call it; a spec or feature set may have no operation"
    )]
    pub(crate) fn new(mock: &'a MockDixa) -> Self {
        Self {
            mock,
            matchers: Vec::new(),
            operation: PhantomData,
        }
    }

    fn matcher(
        mut self,
        what: String,
        test: impl Fn(&Incoming) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.matchers.push(Matcher {
            what,
            test: Box::new(test),
        });
        self
    }

    /// Requires the path parameter `name` (its name in the spec) to be `value` as the SDK writes it.
    pub fn with_path_param(self, name: &'static str, value: impl Display) -> Self {
        let value = value.to_string();
        self.matcher(format!("{name} = {value:?}"), move |incoming| {
            incoming
                .path_params
                .iter()
                .any(|(n, v)| n == name && *v == value)
        })
    }

    /// Requires the query parameter `name` (its name in the spec) to have `value` among its values.
    pub fn with_query_param(self, name: &'static str, value: impl Display) -> Self {
        let value = value.to_string();
        self.matcher(format!("?{name}={value:?}"), move |incoming| {
            incoming.query.iter().any(|(n, v)| n == name && *v == value)
        })
    }

    /// Requires the query parameter `name` to have exactly `values`, in order (a list parameter).
    pub fn with_query_values<T: Display>(
        self,
        name: &'static str,
        values: impl IntoIterator<Item = T>,
    ) -> Self {
        let values: Vec<String> = values.into_iter().map(|v| v.to_string()).collect();
        self.matcher(format!("?{name}={values:?}"), move |incoming| {
            let got: Vec<&String> = incoming
                .query
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v)
                .collect();
            got.len() == values.len() && got.iter().zip(&values).all(|(g, v)| *g == v)
        })
    }

    /// Requires the query parameter `name`, which the SDK writes as JSON text, to be `value`.
    pub fn with_query_json<T: serde::Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Self {
        let value = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
        self.matcher(format!("?{name}={value}"), move |incoming| {
            incoming.query.iter().any(|(n, v)| {
                n == name
                    && serde_json::from_str::<serde_json::Value>(v).ok() == Some(value.clone())
            })
        })
    }

    /// Requires the request body, decoded into the operation's body type, to satisfy `test`.
    pub fn with_body(self, test: impl Fn(&Op::Body) -> bool + Send + Sync + 'static) -> Self {
        self.matcher("the body test".to_owned(), move |incoming| {
            serde_json::from_slice::<Op::Body>(&incoming.body).is_ok_and(|body| test(&body))
        })
    }

    /// Requires the request body, decoded into the operation's body type, to equal `body`.
    pub fn with_body_eq(self, body: Op::Body) -> Self
    where
        Op::Body: PartialEq + std::fmt::Debug + Send + Sync + 'static,
    {
        self.matcher(format!("body = {body:?}"), move |incoming| {
            serde_json::from_slice::<Op::Body>(&incoming.body).is_ok_and(|got| got == body)
        })
    }

    /// Sets the rule: it answers with `value`, encoded as the operation's success response.
    pub fn returns(self, value: &Op::Output) -> Rule<'a, Op> {
        self.replies(Op::encode(value))
    }

    /// Sets the rule: it answers with an error status and Dixa's `{"message": ...}`.
    pub fn fails(self, status: u16, message: &str) -> Rule<'a, Op> {
        self.replies(Reply::error(status, message))
    }

    /// Sets the rule: it answers 429 with a `Retry-After` header.
    pub fn rate_limited(self, retry_after: Duration) -> Rule<'a, Op> {
        self.replies(Reply::rate_limited(retry_after))
    }

    /// Sets the rule: it answers as the fake's stored resources do ([`Reply::from_state`]), and
    /// records what it answered, for assertions on the requests of a stateful test.
    pub fn from_state(self) -> Rule<'a, Op> {
        self.replies(Reply::from_state())
    }

    /// Sets the rule: it answers `reply` as it is (any status, header or body, also one the SDK's
    /// decoder refuses).
    pub fn replies(self, reply: Reply) -> Rule<'a, Op> {
        let mut inner = self.mock.state.lock();
        inner.rules.push(RuleState {
            operation: Op::ID,
            matchers: self.matchers,
            replies: vec![reply],
            times: None,
            received: Vec::new(),
        });
        Rule {
            mock: self.mock,
            index: inner.rules.len() - 1,
            operation: PhantomData,
        }
    }
}

/// A rule that is set: more replies in sequence, a limit on how often it answers, and what it
/// received.
pub struct Rule<'a, Op> {
    mock: &'a MockDixa,
    index: usize,
    operation: PhantomData<fn() -> Op>,
}

impl<Op> std::fmt::Debug for Rule<'_, Op> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule")
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

impl<Op: MockOperation> Rule<'_, Op> {
    fn edit(&self, f: impl FnOnce(&mut RuleState)) {
        if let Some(rule) = self.mock.state.lock().rules.get_mut(self.index) {
            f(rule);
        }
    }

    /// Answers at most `n` requests; later ones go to the next rule that matches (or the default).
    pub fn times(self, n: usize) -> Self {
        self.edit(|rule| rule.times = Some(n));
        self
    }

    /// After the replies so far, answers `reply` (the last reply of a sequence repeats).
    pub fn then_replies(self, reply: Reply) -> Self {
        self.edit(|rule| rule.replies.push(reply));
        self
    }

    /// After the replies so far, answers with `value` as the operation's success response.
    pub fn then_returns(self, value: &Op::Output) -> Self {
        self.then_replies(Op::encode(value))
    }

    /// After the replies so far, answers with an error status and message.
    pub fn then_fails(self, status: u16, message: &str) -> Self {
        self.then_replies(Reply::error(status, message))
    }

    /// After the replies so far, answers 429 with a `Retry-After` header.
    pub fn then_rate_limited(self, retry_after: Duration) -> Self {
        self.then_replies(Reply::rate_limited(retry_after))
    }

    /// How many requests this rule answered.
    pub fn calls(&self) -> usize {
        self.mock
            .state
            .lock()
            .rules
            .get(self.index)
            .map_or(0, |rule| rule.received.len())
    }

    /// The requests this rule answered, in order, with their bodies decoded.
    pub fn requests(&self) -> Vec<Recorded<Op::Body>> {
        self.mock
            .state
            .lock()
            .rules
            .get(self.index)
            .map(|rule| {
                rule.received
                    .iter()
                    .map(|incoming| Recorded {
                        body: serde_json::from_slice(&incoming.body).ok(),
                        incoming: incoming.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A request a rule answered.
#[derive(Debug, Clone)]
pub struct Recorded<B> {
    incoming: Incoming,
    body: Option<B>,
}

impl<B> Recorded<B> {
    /// The body decoded into the operation's body type (`None` without a JSON body).
    pub fn body(&self) -> Option<&B> {
        self.body.as_ref()
    }

    /// The raw body.
    pub fn raw_body(&self) -> &[u8] {
        &self.incoming.body
    }

    /// The HTTP method.
    pub fn method(&self) -> &str {
        &self.incoming.method
    }

    /// The path as sent (percent-encoded).
    pub fn path(&self) -> &str {
        &self.incoming.path
    }

    /// The path parameter `name` (its name in the spec), decoded.
    pub fn path_param(&self, name: &str) -> Option<&str> {
        self.incoming
            .path_params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The values of query parameter `name`, in order.
    pub fn query(&self, name: &str) -> Vec<&str> {
        self.incoming
            .query
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The path or (first) query parameter `name` decoded into `T`: the JSON the SDK wrote it
    /// from, or a string (ids, enums, date-times).
    pub fn param<T: serde::de::DeserializeOwned>(&self, name: &str) -> Option<T> {
        let raw = self
            .path_param(name)
            .or_else(|| self.query(name).first().copied())?;
        serde_json::from_str(raw)
            .or_else(|_| serde_json::from_value(serde_json::Value::String(raw.to_owned())))
            .ok()
    }
}

/// The rules struct of an operation group (`src/mock/<group>.rs`) and its method per operation,
/// each starting a [`RuleBuilder`] for the request builder it names in the group's module of
/// `crate::apis`. The invocation names the module, then the struct with its docs, then each
/// method with its docs and request builder: the generated file stays a list of what the spec
/// decides.
#[allow(
    unused_macros,
    reason = "generated code invokes it; a spec or feature set may not need it"
)]
macro_rules! mock_rules {
    ($module:ident {
        $(#[$attr:meta])* pub struct $rules:ident;
        $($(#[$doc:meta])* $name:ident: $builder:ident;)*
    }) => {
        $(#[$attr])*
        #[derive(Debug, Clone, Copy)]
        pub struct $rules<'a> {
            pub(crate) mock: &'a $crate::runtime::mock::MockDixa,
        }

        impl<'a> $rules<'a> {
            $(
                $(#[$doc])*
                pub fn $name(
                    &self,
                ) -> $crate::runtime::mock_rules::RuleBuilder<'a, $crate::apis::$module::$builder> {
                    $crate::runtime::mock_rules::RuleBuilder::new(self.mock)
                }
            )*
        }
    };
}
#[allow(
    unused_imports,
    reason = "generated code invokes it; a spec or feature set may not need it"
)]
pub(crate) use mock_rules;

/// The [`MockOperation`] impl of one operation's request builder (`module::Builder`) and its typed
/// matchers. The invocation gives the operationId; the recorded body type (`body T;`, left out
/// for `()`); what the operation answers, `empty 204;` or `output T = data 200;` (the output
/// type, the [`Reply`] constructor that puts it on the wire: `json`, `data`, `text` or `bytes`,
/// and the success status); then one line per matcher: its kind, its name, the parameter's name
/// in the spec and the Rust type it takes. The kinds: `path` and `query` (a value the SDK writes
/// with `Display`), `query_values` (a list, one value per item) and `query_json` (a value the SDK
/// writes as JSON text).
#[allow(
    unused_macros,
    reason = "generated code invokes it; a spec or feature set may not need it"
)]
macro_rules! mock_operation {
    ($module:ident::$builder:ident = $id:literal {
        $(body $body:ty;)?
        empty $status:literal;
        $($matchers:tt)*
    }) => {
        impl $crate::runtime::mock_rules::MockOperation for $crate::apis::$module::$builder {
            const ID: &'static str = $id;
            type Body = $crate::runtime::mock_rules::mock_operation!(@body $($body)?);
            type Output = ();
            fn encode(_value: &Self::Output) -> $crate::runtime::mock_rules::Reply {
                $crate::runtime::mock_rules::Reply::empty($status)
            }
        }

        $crate::runtime::mock_rules::mock_operation!(@matchers $module::$builder { $($matchers)* });
    };
    ($module:ident::$builder:ident = $id:literal {
        $(body $body:ty;)?
        output $output:ty = $encode:ident $status:literal;
        $($matchers:tt)*
    }) => {
        impl $crate::runtime::mock_rules::MockOperation for $crate::apis::$module::$builder {
            const ID: &'static str = $id;
            type Body = $crate::runtime::mock_rules::mock_operation!(@body $($body)?);
            type Output = $output;
            fn encode(value: &Self::Output) -> $crate::runtime::mock_rules::Reply {
                $crate::runtime::mock_rules::Reply::$encode($status, value)
            }
        }

        $crate::runtime::mock_rules::mock_operation!(@matchers $module::$builder { $($matchers)* });
    };
    (@body) => { () };
    (@body $body:ty) => { $body };
    (@matchers $module:ident::$builder:ident {}) => {};
    (@matchers $module:ident::$builder:ident {
        $($kind:ident $matcher:ident $wire:literal: $ty:ty;)+
    }) => {
        impl $crate::runtime::mock_rules::RuleBuilder<'_, $crate::apis::$module::$builder> {
            $($crate::runtime::mock_rules::mock_operation!(@matcher $kind $matcher $wire: $ty);)+
        }
    };
    (@matcher path $matcher:ident $wire:literal: $ty:ty) => {
        #[doc = concat!("Requires the `", $wire, "` path parameter to be `value`.")]
        pub fn $matcher(self, value: impl ::std::convert::Into<$ty>) -> Self {
            self.with_path_param($wire, value.into())
        }
    };
    (@matcher query $matcher:ident $wire:literal: $ty:ty) => {
        #[doc = concat!("Requires the `", $wire, "` query parameter to be `value`.")]
        pub fn $matcher(self, value: impl ::std::convert::Into<$ty>) -> Self {
            self.with_query_param($wire, value.into())
        }
    };
    (@matcher query_values $matcher:ident $wire:literal: $ty:ty) => {
        #[doc = concat!("Requires the `", $wire, "` query parameter to be `value`.")]
        pub fn $matcher(
            self,
            value: impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<$ty>>,
        ) -> Self {
            self.with_query_values(
                $wire,
                value.into_iter().map(::std::convert::Into::<$ty>::into),
            )
        }
    };
    (@matcher query_json $matcher:ident $wire:literal: $ty:ty) => {
        #[doc = concat!("Requires the `", $wire, "` query parameter to be `value`.")]
        pub fn $matcher(self, value: impl ::std::convert::Into<$ty>) -> Self {
            self.with_query_json($wire, &value.into())
        }
    };
}
#[allow(
    unused_imports,
    reason = "generated code invokes it; a spec or feature set may not need it"
)]
pub(crate) use mock_operation;
