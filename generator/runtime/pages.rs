//! Pagination: Dixa's list endpoints answer `{"data": [...], "meta": {"next": url}}` and take an
//! opaque `pageKey`. [`Pages`] follows `meta.next` until it is absent, page by page or item by item.
//!
//! The next request is the first one with the query parameters of `meta.next` laid over it: filters
//! of the first request (`email`, `pageLimit`, a search query) are kept even if the server leaves them
//! out of its link, and the path and host stay the client's own (the link may name another host, or a
//! placeholder such as `/<api-version>/...`).

use crate::runtime::client::Client;
use crate::runtime::error::Error;
use crate::runtime::request::Request;
use futures_util::stream::Stream;
use serde::de::DeserializeOwned;
use std::collections::VecDeque;
use std::marker::PhantomData;

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The page's items.
    pub items: Vec<T>,
    /// The link to the next page, when there is one.
    pub next: Option<String>,
    /// The link to the previous page, when there is one.
    pub previous: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct RawPage<T> {
    #[serde(default = "Vec::new")]
    data: Vec<T>,
    #[serde(default)]
    meta: Option<Meta>,
}

#[derive(serde::Deserialize)]
struct Meta {
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    previous: Option<String>,
}

/// The pages of a list operation, fetched one request at a time as they are asked for.
///
/// ```no_run
/// # async fn example(client: dixa::Client) -> Result<(), dixa::Error> {
/// use futures_util::StreamExt;
///
/// // Item by item, across pages:
/// let mut agents = std::pin::pin!(client.agents().list_agents().items());
/// while let Some(agent) = agents.next().await {
///     println!("{}", agent?.display_name);
/// }
///
/// // Page by page:
/// let mut pages = client.agents().list_agents().page_limit(100).pages();
/// while let Some(page) = pages.next_page().await {
///     println!("{} agents", page?.items.len());
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Pages<T> {
    client: Client,
    next: Option<Result<Request, Error>>,
    _items: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> Pages<T> {
    /// The pages starting with `first` (or the error that prevented building it).
    pub(crate) fn new(client: Client, first: Result<Request, Error>) -> Self {
        Self {
            client,
            next: Some(first),
            _items: PhantomData,
        }
    }

    /// Fetches the next page; `None` after the last one (or after an error).
    pub async fn next_page(&mut self) -> Option<Result<Page<T>, Error>> {
        let request = match self.next.take()? {
            Ok(request) => request,
            Err(e) => return Some(Err(e)),
        };
        let result = async {
            let raw: RawPage<T> = self.client.send(request.clone()).await?.json()?;
            let meta = raw.meta.unwrap_or(Meta {
                next: None,
                previous: None,
            });
            let next = meta.next.filter(|n| !n.trim().is_empty());
            if let Some(link) = &next {
                let following = next_request(&request, link)?;
                // A server that links a page to itself would make this loop forever.
                if following.query != request.query {
                    self.next = Some(Ok(following));
                }
            }
            Ok(Page {
                items: raw.data,
                next,
                previous: meta.previous,
            })
        }
        .await;
        Some(result)
    }

    /// Every item of every page, in order, as a stream; an error ends the stream after it is
    /// yielded.
    pub fn items(self) -> impl Stream<Item = Result<T, Error>> + Send + 'static
    where
        T: Send + 'static,
    {
        futures_util::stream::unfold(
            (self, VecDeque::new()),
            |(mut pages, mut buffer)| async move {
                loop {
                    if let Some(item) = buffer.pop_front() {
                        return Some((Ok(item), (pages, buffer)));
                    }
                    match pages.next_page().await? {
                        Ok(page) => buffer.extend(page.items),
                        Err(e) => return Some((Err(e), (pages, buffer))),
                    }
                }
            },
        )
    }

    /// Every item of every page, collected; the first error is returned instead.
    pub async fn collect_all(mut self) -> Result<Vec<T>, Error> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await {
            all.extend(page?.items);
        }
        Ok(all)
    }
}

/// The request for the page `link` points to: `first` with the link's query parameters replacing
/// those of the same name.
fn next_request(first: &Request, link: &str) -> Result<Request, Error> {
    let base = reqwest::Url::parse("http://placeholder.invalid/")
        .map_err(|e| Error::Config(format!("internal URL: {e}")))?;
    let url = base.join(link.trim()).map_err(|e| {
        Error::Decode(crate::runtime::error::DecodeError {
            status: 200,
            path: "meta.next".to_owned(),
            message: format!("not a URL: {e}"),
            body: link.to_owned(),
            request: first.describe(),
        })
    })?;
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let mut next = first.clone();
    next.query
        .retain(|(name, _)| !pairs.iter().any(|(n, _)| n == name));
    next.query
        .extend(pairs.into_iter().map(|(n, v)| (n.into(), v)));
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_s_parameters_replace_the_first_request_s() {
        let mut first = Request::new("op", reqwest::Method::GET, "/beta/agents");
        first.query("email", &"a@b.c");
        first.query("pageLimit", &2);
        let next =
            next_request(&first, "/<api-version>/agents?pageKey=abc%3D&pageLimit=2").unwrap();
        let query: Vec<(String, String)> = next
            .query
            .iter()
            .map(|(n, v)| (n.to_string(), v.clone()))
            .collect();
        assert_eq!(
            query,
            [
                ("email".to_owned(), "a@b.c".to_owned()),
                ("pageKey".to_owned(), "abc=".to_owned()),
                ("pageLimit".to_owned(), "2".to_owned()),
            ]
        );
        assert_eq!(next.path, "/beta/agents");
        let absolute = next_request(&first, "https://dev.dixa.io/beta/agents?pageKey=x").unwrap();
        assert!(absolute
            .query
            .iter()
            .any(|(n, v)| n == "pageKey" && v == "x"));
    }
}
