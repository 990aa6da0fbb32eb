//! Deprecation notes that name the SDK method to call instead of an HTTP route.
//!
//! Dixa's deprecations point at the replacement by its route ("replaced with POST
//! /search/conversations", "Use '/ratings'"), which a user of the SDK must then look up among the
//! methods. Once every operation is named, each route a deprecated item's docs mention is found
//! among the operations by method and path and written as the call that sends it
//! (`client.search().search_conversations_with_filters()`), the route kept beside it for readers of
//! Dixa's reference. The deprecation note is made of these sentences (`emit::docs::deprecated`), so
//! the compiler's warning names the method too.

use crate::ir::{Api, Docs, HttpMethod, TypeKind};

/// A route a text can point at: its method, path template, and the call that sends it.
struct Route {
    method: HttpMethod,
    path: String,
    call: String,
}

/// Rewrites the route mentions in the docs of every deprecated operation, type, field and
/// parameter of `api` into the calls of the operations they name.
pub fn name_replacements(api: &mut Api) {
    let routes: Vec<Route> = api
        .groups
        .iter()
        .flat_map(|g| {
            g.operations.iter().map(|op| Route {
                method: op.method,
                path: op.path.clone(),
                call: format!("client.{}().{}()", g.accessor.as_str(), op.name.as_str()),
            })
        })
        .collect();
    for op in api.groups.iter_mut().flat_map(|g| &mut g.operations) {
        let own = (op.method, op.path.clone());
        rewrite_docs(&mut op.docs, &routes, Some(&own));
        let params = op
            .path_params
            .iter_mut()
            .chain(&mut op.required_query)
            .chain(&mut op.optional_query);
        for param in params {
            rewrite_docs(&mut param.docs, &routes, Some(&own));
        }
    }
    for def in &mut api.types {
        rewrite_docs(&mut def.docs, &routes, None);
        if let TypeKind::Struct { fields } = &mut def.kind {
            for field in fields {
                rewrite_docs(&mut field.docs, &routes, None);
            }
        }
    }
}

fn rewrite_docs(docs: &mut Docs, routes: &[Route], own: Option<&(HttpMethod, String)>) {
    if !docs.deprecated {
        return;
    }
    for text in [&mut docs.summary, &mut docs.description]
        .into_iter()
        .flatten()
    {
        *text = name_calls(text, routes, own);
    }
}

/// `text` with each route it mentions (`POST /search/conversations`, `'/ratings'`) replaced by the
/// call of the one operation it names, the route following in parentheses. A
/// route without a method is taken to have the method of the item's own operation (`own`). A route
/// names the operations whose path is it or ends with it (Dixa's prose leaves out the `/beta`
/// prefix and writes a sibling of the operation as its last segment); among several, the one whose
/// path shares the longest start with the item's own is meant, and a tie leaves the text as written.
fn name_calls(text: &str, routes: &[Route], own: Option<&(HttpMethod, String)>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let tokens = tokens(text);
    for (i, &(start, end)) in tokens.iter().enumerate() {
        let Some(mention) = route_in(&text[start..end]) else {
            continue;
        };
        let method = i
            .checked_sub(1)
            .and_then(|p| tokens.get(p))
            .and_then(|&(s, e)| {
                HttpMethod::ALL
                    .into_iter()
                    .find(|m| m.as_str() == &text[s..e])
                    .map(|m| (m, s))
            });
        let Some(wanted) = method.map(|(m, _)| m).or(own.map(|o| o.0)) else {
            continue;
        };
        let Some(route) = find(routes, wanted, mention.path, own.map(|o| o.1.as_str())) else {
            continue;
        };
        let from = method.map_or(start, |(_, s)| s);
        if from < copied {
            continue;
        }
        let written = match method {
            Some((m, _)) => format!("{m} {}", mention.path),
            None => mention.path.to_owned(),
        };
        out.push_str(&text[copied..from]);
        out.push_str(&format!("`{}` (`{written}`)", route.call));
        copied = start + mention.to;
    }
    out.push_str(&text[copied..]);
    out
}

/// The byte ranges of the words of `text` (runs of non-whitespace).
fn tokens(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// A route in a word: its path, and where in the word it ends (after its closing quote, before the
/// punctuation that follows it).
struct Mention<'a> {
    path: &'a str,
    to: usize,
}

fn route_in(word: &str) -> Option<Mention<'_>> {
    const QUOTES: &[char] = &['\'', '"', '`'];
    const AFTER: &[char] = &['.', ',', ';', ':', ')', '!', '?'];
    let to = word.trim_end_matches(AFTER).len();
    let path = word[..to].trim_matches(QUOTES);
    let valid = path.len() > 1
        && path.starts_with('/')
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/-_{}.".contains(c));
    valid.then_some(Mention { path, to })
}

/// The route `path` names with `method`: see [`name_calls`].
fn find<'a>(
    routes: &'a [Route],
    method: HttpMethod,
    path: &str,
    own: Option<&str>,
) -> Option<&'a Route> {
    let path = template(path);
    let named: Vec<&Route> = routes
        .iter()
        .filter(|r| r.method == method)
        .filter(|r| {
            let candidate = template(&r.path);
            candidate == path || candidate.ends_with(&path)
        })
        .collect();
    let shared = |r: &Route| {
        own.map_or(0, |own| {
            own.bytes()
                .zip(r.path.bytes())
                .take_while(|(a, b)| a == b)
                .count()
        })
    };
    let best = named.iter().map(|r| shared(r)).max()?;
    let mut closest = named.into_iter().filter(|r| shared(r) == best);
    let route = closest.next()?;
    closest.next().is_none().then_some(route)
}

/// A path template with its parameters' names left out (`/a/{id}` -> `/a/{}`), so that prose
/// naming a parameter otherwise finds the route.
fn template(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push('{');
            }
            '}' => {
                in_param = false;
                out.push('}');
            }
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{name_calls, Route};
    use crate::ir::HttpMethod;

    fn routes() -> Vec<Route> {
        let route = |method, path: &str, call: &str| Route {
            method,
            path: path.to_owned(),
            call: call.to_owned(),
        };
        vec![
            route(
                HttpMethod::Get,
                "/beta/search/conversations",
                "client.search().search_conversations()",
            ),
            route(
                HttpMethod::Post,
                "/beta/search/conversations",
                "client.search().search_conversations_with_filters()",
            ),
            route(
                HttpMethod::Get,
                "/beta/conversations/{conversationId}/rating",
                "client.conversations().list_rating()",
            ),
            route(
                HttpMethod::Get,
                "/beta/conversations/{conversationId}/ratings",
                "client.conversations().list_ratings()",
            ),
            route(
                HttpMethod::Get,
                "/beta/analytics/ratings",
                "client.analytics().list_ratings()",
            ),
            route(HttpMethod::Get, "/beta/a/items", "client.a().list_items()"),
            route(HttpMethod::Get, "/beta/b/items", "client.b().list_items()"),
        ]
    }

    #[test]
    fn a_route_with_its_method_becomes_the_call_that_sends_it() {
        let own = (HttpMethod::Get, "/beta/search/conversations".to_owned());
        assert_eq!(
            name_calls(
                "NOTE: This endpoint is deprecated and is replaced with POST /search/conversations. Search for conversations.",
                &routes(),
                Some(&own),
            ),
            "NOTE: This endpoint is deprecated and is replaced with \
             `client.search().search_conversations_with_filters()` (`POST /search/conversations`). \
             Search for conversations."
        );
    }

    #[test]
    fn a_route_without_method_is_the_closest_operation_of_the_same_method() {
        let own = (
            HttpMethod::Get,
            "/beta/conversations/{conversationId}/rating".to_owned(),
        );
        assert_eq!(
            name_calls(
                "Deprecated rating endpoint. Use '/ratings'.",
                &routes(),
                Some(&own)
            ),
            "Deprecated rating endpoint. Use `client.conversations().list_ratings()` (`/ratings`)."
        );
    }

    #[test]
    fn an_unknown_or_ambiguous_route_is_left_as_written() {
        for text in [
            "Use GET /nowhere instead.",
            // Two operations end with it and neither is closer to a field, which has no route.
            "Use GET /items instead.",
            // Without a method, an item that is no operation has none to lend.
            "Use '/ratings'.",
            "Values are 1/2 or a/b.",
        ] {
            assert_eq!(name_calls(text, &routes(), None), text);
        }
    }
}
