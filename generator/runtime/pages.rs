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
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};

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

/// A list's body as Dixa sends it, `{"data": [...], "meta": {...}}`.
#[derive(serde::Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
pub(crate) struct RawPage<T> {
    #[serde(default = "Vec::new")]
    pub(crate) data: Vec<T>,
    #[serde(default)]
    pub(crate) meta: Option<Meta>,
}

/// A list body's `meta`: the links to the pages around it.
#[derive(serde::Deserialize)]
pub(crate) struct Meta {
    #[serde(default)]
    pub(crate) next: Option<String>,
    #[serde(default)]
    pub(crate) previous: Option<String>,
}

/// A page being fetched: the page (or the error), and the request for the page after it.
#[cfg(not(target_arch = "wasm32"))]
type Fetch<T> = Pin<Box<dyn Future<Output = (Result<Page<T>, Error>, Option<Request>)> + Send>>;
/// On wasm32 fetch's futures are not `Send` (see `BoxFuture`), and neither is a page's.
#[cfg(target_arch = "wasm32")]
type Fetch<T> = Pin<Box<dyn Future<Output = (Result<Page<T>, Error>, Option<Request>)>>>;

/// The pages of a list operation, fetched one request at a time as they are asked for: a
/// [`Stream`] of pages, which ends after the last page or after an error.
///
/// ```no_run
/// # async fn example(client: dixa::Client) -> Result<(), dixa::Error> {
/// use futures_util::StreamExt;
///
/// // Item by item, across pages:
/// let mut agents = client.agents().list_agents().items();
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
pub struct Pages<T> {
    client: Client,
    next: Option<Result<Request, Error>>,
    // Only ever reached through `&mut self` (`Mutex::get_mut`, which does not lock); the mutex makes
    // `Pages` `Sync` although the boxed future is only `Send`.
    in_flight: Mutex<Option<Fetch<T>>>,
}

impl<T> std::fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("client", &self.client)
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}

// No field is pinned structurally: the future in flight is boxed.
impl<T> Unpin for Pages<T> {}

impl<T: DeserializeOwned + Send + 'static> Pages<T> {
    /// The pages starting with `first` (or the error that prevented building it).
    pub(crate) fn new(client: Client, first: Result<Request, Error>) -> Self {
        Self {
            client,
            next: Some(first),
            in_flight: Mutex::new(None),
        }
    }

    /// Fetches the next page; `None` after the last one (or after an error).
    pub async fn next_page(&mut self) -> Option<Result<Page<T>, Error>> {
        futures_util::StreamExt::next(self).await
    }

    /// Every item of every page, in order, as a stream; an error ends the stream after it is
    /// yielded.
    pub fn items(self) -> Items<T> {
        Items {
            pages: self,
            buffer: VecDeque::new(),
        }
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

impl<T: DeserializeOwned + Send + 'static> Stream for Pages<T> {
    type Item = Result<Page<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let in_flight = this
            .in_flight
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let fetch = match in_flight {
            Some(fetch) => fetch,
            None => match this.next.take() {
                None => return Poll::Ready(None),
                Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                Some(Ok(request)) => {
                    in_flight.insert(Box::pin(fetch::<T>(this.client.clone(), request)))
                }
            },
        };
        match fetch.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready((page, next)) => {
                *in_flight = None;
                this.next = next.map(Ok);
                Poll::Ready(Some(page))
            }
        }
    }
}

/// Fetches the page `request` asks for, and works out the request for the page after it.
async fn fetch<T: DeserializeOwned>(
    client: Client,
    request: Request,
) -> (Result<Page<T>, Error>, Option<Request>) {
    let raw: RawPage<T> = match client.send(request.clone()).await.and_then(|r| r.json()) {
        Ok(raw) => raw,
        Err(e) => return (Err(e), None),
    };
    let page = page_of(raw);
    let mut following = None;
    if let Some(link) = &page.next {
        match next_request(&request, link) {
            // A server that links a page to itself would make this loop forever.
            Ok(request_after) if request_after.query != request.query => {
                following = Some(request_after)
            }
            Ok(_) => {}
            Err(e) => return (Err(e), None),
        }
    }
    (Ok(page), following)
}

/// The page a decoded body holds: a blank `meta.next` means no next page, as an absent one does.
pub(crate) fn page_of<T>(raw: RawPage<T>) -> Page<T> {
    let meta = raw.meta.unwrap_or(Meta {
        next: None,
        previous: None,
    });
    Page {
        items: raw.data,
        next: meta.next.filter(|n| !n.trim().is_empty()),
        previous: meta.previous,
    }
}

/// Every item of every page of a list, in order: a [`Stream`] that can be polled without pinning,
/// and ends after an error.
pub struct Items<T> {
    pages: Pages<T>,
    buffer: VecDeque<T>,
}

impl<T> std::fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

// No field is pinned structurally.
impl<T> Unpin for Items<T> {}

impl<T: DeserializeOwned + Send + 'static> Stream for Items<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => this.buffer.extend(page.items),
            }
        }
    }
}

/// The request for the page `link` points to: `first` with the link's query parameters replacing
/// those of the same name.
fn next_request(first: &Request, link: &str) -> Result<Request, Error> {
    let base = reqwest::Url::parse("http://placeholder.invalid/")
        .map_err(|e| Error::Config(format!("internal URL: {e}")))?;
    let url = base.join(link.trim()).map_err(|e| {
        Error::Decode(crate::runtime::error::DecodeError::new(
            200,
            "meta.next".to_owned(),
            format!("not a URL: {e}"),
            link.as_bytes(),
            first.describe(),
        ))
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
