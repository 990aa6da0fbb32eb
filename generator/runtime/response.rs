//! What the SDK shows of an HTTP response beyond its decoded body: status, headers and how many
//! attempts it took. The types are the SDK's own, so that no HTTP library's type is part of its API
//! and an upgrade of that library is not a breaking change of the SDK.

use std::fmt;

/// The headers of a response, or of a request a [layer](crate::ClientBuilder::layer) sees. Names are
/// case-insensitive; values that are not visible ASCII (which HTTP allows but Dixa does not send)
/// are skipped by the lookups. `Debug` redacts the values the client marks sensitive (the API key).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Headers(Box<reqwest::header::HeaderMap>);

impl Headers {
    // Boxed, so that errors carrying headers stay small (one allocation per response).
    pub(crate) fn new(map: reqwest::header::HeaderMap) -> Self {
        Self(Box::new(map))
    }

    /// The map itself, for the request reqwest sends.
    pub(crate) fn into_map(self) -> reqwest::header::HeaderMap {
        *self.0
    }

    /// Sets a header, replacing its values. An invalid name or value is an [`Error::Config`].
    ///
    /// [`Error::Config`]: crate::Error::Config
    pub fn insert(&mut self, name: &str, value: &str) -> Result<(), crate::Error> {
        let (name, value) = header(name, value)?;
        self.0.insert(name, value);
        Ok(())
    }

    /// Adds a value to a header, keeping the ones it has. An invalid name or value is an
    /// [`Error::Config`].
    ///
    /// [`Error::Config`]: crate::Error::Config
    pub fn append(&mut self, name: &str, value: &str) -> Result<(), crate::Error> {
        let (name, value) = header(name, value)?;
        self.0.append(name, value);
        Ok(())
    }

    /// Removes every value of a header.
    pub fn remove(&mut self, name: &str) {
        self.0.remove(name);
    }

    /// The first value of a header.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(|v| v.to_str().ok())
    }

    /// Every value of a header, in the order received.
    pub fn get_all<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .get_all(name)
            .into_iter()
            .filter_map(|v| v.to_str().ok())
    }

    /// Every header as (lower-case name, value), grouped by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.0
            .iter()
            .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
    }

    /// Whether the response has this header.
    pub fn contains(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// The number of header values.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no headers.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A header name and value checked for use in a request or response.
fn header(
    name: &str,
    value: &str,
) -> Result<(reqwest::header::HeaderName, reqwest::header::HeaderValue), crate::Error> {
    let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| crate::Error::Config(format!("invalid header name {name:?}")))?;
    let value = reqwest::header::HeaderValue::from_str(value)
        .map_err(|_| crate::Error::Config(format!("invalid value for header {name}")))?;
    Ok((name, value))
}

impl fmt::Debug for Headers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A request's headers carry the API key, which the client marks sensitive.
        let entries = self.0.iter().filter_map(|(name, value)| {
            let shown = if value.is_sensitive() {
                "<redacted>"
            } else {
                value.to_str().ok()?
            };
            Some((name.as_str(), shown))
        });
        f.debug_map().entries(entries).finish()
    }
}

/// The status, headers and attempt count of a successful call, returned with its value by
/// `send_with_meta`.
///
/// Dixa's documentation names no request-id or correlation header, so there is no `request_id()`;
/// read any header you need with [`headers`](Self::headers).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseMeta {
    /// The HTTP status of the response.
    pub status: u16,
    /// The response headers.
    pub headers: Headers,
    /// How many attempts the call took (1 when the first succeeded; more after retries).
    pub attempts: u32,
}

impl ResponseMeta {
    /// The headers of the response.
    pub fn headers(&self) -> &Headers {
        &self.headers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_ignore_case_and_keep_repeated_values() {
        let mut map = reqwest::header::HeaderMap::new();
        map.append("x-a", "1".parse().unwrap());
        map.append("x-a", "2".parse().unwrap());
        map.append("Retry-After", "3".parse().unwrap());
        let headers = Headers::new(map);
        assert_eq!(headers.get("X-A"), Some("1"));
        assert_eq!(headers.get_all("x-a").collect::<Vec<_>>(), ["1", "2"]);
        assert_eq!(headers.get("retry-after"), Some("3"));
        assert!(headers.contains("RETRY-AFTER"));
        assert_eq!(headers.get("missing"), None);
        assert_eq!(headers.len(), 3);
        assert_eq!(
            format!("{headers:?}"),
            r#"{"x-a": "1", "x-a": "2", "retry-after": "3"}"#
        );
    }
}
