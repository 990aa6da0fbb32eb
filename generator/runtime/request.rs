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
    /// The `Accept` header, when the operation answers with something other than JSON (the client
    /// sends `application/json` otherwise).
    pub accept: Option<&'static str>,
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
    /// The total time limit of the call (all attempts and the pauses between them), instead of
    /// the client's.
    pub deadline: Option<Duration>,
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
    /// Bytes sent as they are with their content type: text, file content, an encoded
    /// `application/x-www-form-urlencoded` form. (`Bytes`, so that each retry sends the same buffer
    /// without copying it.)
    Bytes {
        /// The `Content-Type` header.
        content_type: String,
        /// The body.
        bytes: bytes::Bytes,
    },
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
            accept: None,
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

    /// Sets the `Accept` header (the content types the operation's answers come in).
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    pub fn accept(&mut self, content_types: &'static str) {
        self.accept = Some(content_types);
    }

    /// Sets a text body, sent with `content_type` (`text/plain`, `text/csv`...).
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    pub fn text(&mut self, content_type: &str, text: &str) {
        self.body = Body::Bytes {
            content_type: content_type.to_owned(),
            bytes: bytes::Bytes::copy_from_slice(text.as_bytes()),
        };
    }

    /// Sets a body of bytes, sent with the content type the caller gave them (a `*/*` or
    /// `image/*` operation needs one to say what they are) or else `content_type`, the one the
    /// spec names.
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    pub fn binary(&mut self, content_type: &str, file: Binary) {
        let (bytes, own_type) = file.into_parts();
        self.body = Body::Bytes {
            content_type: own_type.unwrap_or_else(|| content_type.to_owned()),
            bytes: bytes::Bytes::from(bytes),
        };
    }

    /// Sets an `application/x-www-form-urlencoded` body.
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    pub fn form(&mut self, form: Form) {
        self.body = Body::Bytes {
            content_type: "application/x-www-form-urlencoded".to_owned(),
            bytes: bytes::Bytes::from(form.encoded.into_bytes()),
        };
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

/// An `application/x-www-form-urlencoded` body under construction: `name=value` pairs joined with
/// `&`, in the order they are added, a name repeated once per item of a list.
#[derive(Debug, Clone, Default)]
pub struct Form {
    encoded: String,
}

impl Form {
    /// Adds a field whose value is written with `Display` (strings, numbers, enums, ids, dates), as
    /// a query parameter's is.
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    pub fn text(&mut self, name: &str, value: &dyn Display) {
        self.bytes(name, value.to_string().as_bytes());
    }

    /// Adds a field holding bytes (file content).
    pub fn bytes(&mut self, name: &str, value: &[u8]) {
        if !self.encoded.is_empty() {
            self.encoded.push('&');
        }
        encode_form(&mut self.encoded, name.as_bytes());
        self.encoded.push('=');
        encode_form(&mut self.encoded, value);
    }

    /// Adds a field holding JSON text: a form has no standard spelling for objects and lists of
    /// them, so they are written as the SDK writes such query parameters.
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
        self.bytes(name, text.as_bytes());
        Ok(())
    }
}

/// Appends `bytes` as the `application/x-www-form-urlencoded` serializer of the URL standard writes
/// them: ASCII letters, digits and `*-._` as they are, a space as `+`, every other byte as `%XX`.
fn encode_form(out: &mut String, bytes: &[u8]) {
    for &byte in bytes {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
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
    fn forms_are_url_encoded_in_order_with_repeated_names() {
        let mut form = Form::default();
        form.text("name", &"Ada Lovelace & co");
        form.text("tag", &"a");
        form.text("tag", &"b/c");
        form.text("count", &3);
        form.text("ratio", &0.5);
        form.text("on", &true);
        form.text("note", &"é=1?");
        form.bytes("file", &[0, 0xff, b'*', b'~']);
        form.json("meta", &serde_json::json!({"k": [1]})).unwrap();
        let mut r = Request::new("op", reqwest::Method::POST, "/x");
        r.form(form);
        let Body::Bytes {
            content_type,
            bytes,
        } = &r.body
        else {
            panic!("not a form body: {:?}", r.body)
        };
        assert_eq!(content_type, "application/x-www-form-urlencoded");
        assert_eq!(
            std::str::from_utf8(bytes).unwrap(),
            "name=Ada+Lovelace+%26+co&tag=a&tag=b%2Fc&count=3&ratio=0.5&on=true\
             &note=%C3%A9%3D1%3F&file=%00%FF*%7E&meta=%7B%22k%22%3A%5B1%5D%7D"
        );
        // An empty form is an empty body, still of its content type.
        r.form(Form::default());
        assert!(matches!(&r.body, Body::Bytes { bytes, .. } if bytes.is_empty()));
    }

    #[test]
    fn text_and_binary_bodies_carry_their_content_type() {
        let mut r = Request::new("op", reqwest::Method::POST, "/x");
        r.text("text/csv", "a,b\n1,2\n");
        assert!(matches!(
            &r.body,
            Body::Bytes { content_type, bytes } if content_type == "text/csv" && &bytes[..] == b"a,b\n1,2\n"
        ));
        r.binary("application/pdf", Binary::from(vec![1, 2, 3]));
        assert!(matches!(
            &r.body,
            Body::Bytes { content_type, bytes } if content_type == "application/pdf" && bytes[..] == [1, 2, 3]
        ));
        // The caller's content type wins: `image/*` or `*/*` name no type a server could read.
        r.binary(
            "application/octet-stream",
            Binary::new(b"\x89PNG".to_vec()).with_content_type("image/png"),
        );
        assert!(matches!(
            &r.body,
            Body::Bytes { content_type, .. } if content_type == "image/png"
        ));
        assert_eq!(r.accept, None);
        r.accept("text/csv, application/json");
        assert_eq!(r.accept, Some("text/csv, application/json"));
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
