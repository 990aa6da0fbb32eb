//! A request as the generated methods describe it, before the client sends it.
//!
//! Generated code fills in the path parameters, query parameters and body; the client adds the base
//! URL, the API key and the headers. Keeping the description as plain data means the same request can
//! be sent again (the body is bytes, not a stream).

use crate::runtime::binary::Binary;
use crate::runtime::error::Error;
use crate::runtime::retry::RetryPolicy;
use std::borrow::Cow;
use std::fmt::{Display, Write};
use std::time::Duration;

/// One API request.
#[derive(Debug, Clone)]
pub struct Request {
    /// The spec's operationId, for logs and errors.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: reqwest::Method,
    /// The path template (`/beta/agents/{agentId}`); for a raw call, the path as given.
    pub template: Cow<'static, str>,
    /// The path with parameters filled in and percent-encoded.
    pub path: String,
    /// Query parameters in order; a key may repeat. Names are static for generated requests and
    /// owned for the ones pagination builds from a server's link.
    pub query: Vec<(Cow<'static, str>, String)>,
    /// The body.
    pub body: Body,
    /// Settings of this call that override the client's.
    pub options: CallOptions,
}

/// What one call may set differently from its client. Pagination copies them to every page.
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    /// The time limit of each attempt, instead of the client's.
    pub timeout: Option<Duration>,
    /// The retry policy, instead of the client's.
    pub retry: Option<RetryPolicy>,
    /// Extra headers, checked when the request is sent.
    pub headers: Vec<(String, String)>,
}

/// A request body.
#[derive(Debug, Clone, Default)]
pub enum Body {
    /// No body.
    #[default]
    None,
    /// JSON bytes.
    Json(Vec<u8>),
    /// A `multipart/form-data` form.
    Multipart(Multipart),
}

impl Request {
    /// A request for an operation, with the path template not yet filled in.
    pub fn new(operation: &'static str, method: reqwest::Method, template: &'static str) -> Self {
        Self {
            operation,
            method,
            template: Cow::Borrowed(template),
            path: template.to_owned(),
            query: Vec::new(),
            body: Body::None,
            options: CallOptions::default(),
        }
    }

    /// Fills the `{name}` placeholder with `value`, percent-encoded as one path segment (so an ID
    /// containing `/` or `?` cannot change which endpoint is called).
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    pub fn path_param(&mut self, name: &str, value: &dyn Display) {
        let placeholder = format!("{{{name}}}");
        let encoded = encode_segment(&value.to_string());
        self.path = self.path.replace(&placeholder, &encoded);
    }

    /// Adds a query parameter; the client percent-encodes it.
    pub fn query(&mut self, name: &'static str, value: &dyn Display) {
        self.query.push((Cow::Borrowed(name), value.to_string()));
    }

    /// Removes every value of a query parameter.
    pub fn remove_query(&mut self, name: &str) {
        self.query.retain(|(n, _)| n != name);
    }

    /// Adds a query parameter whose value is not a plain string, written as JSON text.
    pub fn query_json<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let text = serde_json::to_string(value).map_err(Error::Encode)?;
        self.query.push((Cow::Borrowed(name), text));
        Ok(())
    }

    /// Sets a JSON body.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        self.body = Body::Json(serde_json::to_vec(body).map_err(Error::Encode)?);
        Ok(())
    }

    /// Sets a multipart body.
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    pub fn multipart(&mut self, form: Multipart) {
        self.body = Body::Multipart(form);
    }

    /// `METHOD /path`, for messages.
    pub fn describe(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn encode_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// A `multipart/form-data` form under construction.
#[derive(Debug, Clone, Default)]
pub struct Multipart {
    parts: Vec<(String, Part)>,
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    File(Binary),
}

impl Multipart {
    /// Adds a text part.
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    pub fn text(&mut self, name: &str, value: &dyn Display) {
        self.parts
            .push((name.to_owned(), Part::Text(value.to_string())));
    }

    /// Adds a part holding JSON text.
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    pub fn json<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), Error> {
        let text = serde_json::to_string(value).map_err(Error::Encode)?;
        self.parts.push((name.to_owned(), Part::Text(text)));
        Ok(())
    }

    /// Adds a file part.
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    pub fn file(&mut self, name: &str, file: &Binary) {
        self.parts.push((name.to_owned(), Part::File(file.clone())));
    }

    /// The reqwest form for one attempt (a reqwest form can be sent only once).
    pub fn to_form(&self) -> Result<reqwest::multipart::Form, Error> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in &self.parts {
            form = match part {
                Part::Text(text) => form.text(name.clone(), text.clone()),
                Part::File(file) => {
                    let mut part = reqwest::multipart::Part::bytes(file.bytes().to_vec())
                        .file_name(file.file_name().unwrap_or("file").to_owned());
                    let content_type = file.content_type().unwrap_or("application/octet-stream");
                    part = part.mime_str(content_type).map_err(|e| {
                        Error::Config(format!("invalid content type {content_type:?}: {e}"))
                    })?;
                    form.part(name.clone(), part)
                }
            };
        }
        Ok(form)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameters_are_encoded_as_one_segment() {
        let mut r = Request::new("op", reqwest::Method::GET, "/beta/agents/{agentId}/teams");
        r.path_param("agentId", &"a/b?c d");
        assert_eq!(r.path, "/beta/agents/a%2Fb%3Fc%20d/teams");
        assert_eq!(r.template, "/beta/agents/{agentId}/teams");
    }

    #[test]
    fn query_parameters_keep_order_and_repeat() {
        let mut r = Request::new("op", reqwest::Method::GET, "/x");
        r.query("a", &1);
        r.query("a", &true);
        r.query_json("b", &serde_json::json!({"k": 1})).unwrap();
        let query: Vec<(&str, &str)> = r.query.iter().map(|(n, v)| (&**n, v.as_str())).collect();
        assert_eq!(query, [("a", "1"), ("a", "true"), ("b", r#"{"k":1}"#)]);
    }

    #[test]
    fn multipart_forms_can_be_built_repeatedly() {
        let mut form = Multipart::default();
        form.file(
            "files",
            &Binary::new(b"x".to_vec()).with_content_type("text/plain"),
        );
        form.text("name", &"n");
        assert!(form.to_form().is_ok());
        assert!(form.to_form().is_ok());
        let mut bad = Multipart::default();
        bad.file(
            "files",
            &Binary::new(vec![]).with_content_type("not a type"),
        );
        assert!(matches!(bad.to_form(), Err(Error::Config(_))));
    }
}
