//! [`Page`] values as the list decoder fills them: items, and the links to the next and previous
//! pages from the body's `meta`.
//!
//! ```
//! use dixa::testing::pages;
//!
//! // A page of a longer list, and the last page.
//! let first = pages::page(vec![1, 2]).next_page_key("b2Zmc2V0PTI=").build();
//! assert_eq!(first.items, [1, 2]);
//! assert_eq!(first.next.as_deref(), Some("?pageKey=b2Zmc2V0PTI%3D"));
//! let last = pages::page(vec![3]).build();
//! assert_eq!(last.next, None);
//! ```

use crate::runtime::client::decode_body;
use crate::runtime::error::Error;
use crate::runtime::pages::{page_of, Page, RawPage};
use serde::de::DeserializeOwned;

/// A page holding `items`, the last one unless [`next`](PageBuilder::next) links another.
pub fn page<T>(items: Vec<T>) -> PageBuilder<T> {
    PageBuilder {
        items,
        next: None,
        previous: None,
    }
}

/// A page being built; see [`page`].
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build`"]
pub struct PageBuilder<T> {
    items: Vec<T>,
    next: Option<String>,
    previous: Option<String>,
}

impl<T> PageBuilder<T> {
    /// The link to the next page, as Dixa writes `meta.next` (a URL or a path with a query, such
    /// as `/v1/agents?pageKey=...`). A blank link means no next page, as in the decoder.
    pub fn next(mut self, link: impl Into<String>) -> Self {
        self.next = Some(link.into());
        self
    }

    /// A next page with this opaque `pageKey`: the link `?pageKey=<key>`, the key percent-encoded.
    /// [`Pages`](crate::Pages) follows only a link's query, so this is what the client would ask
    /// for next.
    pub fn next_page_key(self, key: &str) -> Self {
        let query: String = url_query(&[("pageKey", key)]);
        self.next(format!("?{query}"))
    }

    /// The link to the previous page, as Dixa writes `meta.previous`.
    pub fn previous(mut self, link: impl Into<String>) -> Self {
        self.previous = Some(link.into());
        self
    }

    /// The page, as the decoder makes it from `{"data": items, "meta": {"next": ..., "previous":
    /// ...}}`.
    pub fn build(self) -> Page<T> {
        page_of(RawPage {
            data: self.items,
            meta: Some(crate::runtime::pages::Meta {
                next: self.next,
                previous: self.previous,
            }),
        })
    }
}

/// Decodes a list body as Dixa sends it, `{"data": [...], "meta": {"next": ...}}`, into the
/// [`Page`] a call would yield, with the client's own decoder: or the [`Error::Decode`] a call
/// would get, naming the JSON path that did not decode.
///
/// ```
/// use dixa::testing::pages;
///
/// let page = pages::page_from_json::<String>(
///     r#"{"data": ["a", "b"], "meta": {"next": "/v1/tags?pageKey=x", "previous": null}}"#,
/// )?;
/// assert_eq!(page.items, ["a", "b"]);
/// assert_eq!(page.next.as_deref(), Some("/v1/tags?pageKey=x"));
///
/// let error = pages::page_from_json::<String>(r#"{"data": ["a", 2]}"#).unwrap_err();
/// assert!(matches!(&error, dixa::Error::Decode(d) if d.path == "data[1]"), "{error:?}");
/// # Ok::<(), dixa::Error>(())
/// ```
pub fn page_from_json<T: DeserializeOwned>(body: impl AsRef<[u8]>) -> Result<Page<T>, Error> {
    let raw: RawPage<T> = decode_body(
        200,
        body.as_ref(),
        super::errors::DEFAULT_REQUEST.to_owned(),
    )?;
    Ok(page_of(raw))
}

/// `name=value&...` with both percent-encoded as a URL's query is.
fn url_query(pairs: &[(&str, &str)]) -> String {
    let mut url = reqwest::Url::parse("http://placeholder.invalid/").ok();
    if let Some(url) = url.as_mut() {
        url.query_pairs_mut().extend_pairs(pairs);
    }
    url.and_then(|u| u.query().map(str::to_owned))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_keys_are_percent_encoded_into_the_link() {
        assert_eq!(url_query(&[("pageKey", "a b/+=")]), "pageKey=a+b%2F%2B%3D");
        let page = page(vec![1]).next_page_key("x").previous("/p").build();
        assert_eq!(
            (page.next.as_deref(), page.previous.as_deref()),
            (Some("?pageKey=x"), Some("/p"))
        );
    }
}
