//! Rustdoc from the spec's summaries and descriptions.
//!
//! Dixa's descriptions are CommonMark with some HTML (`<br/>`, `\<em\>`), bracketed value lists and
//! bare URLs. Rustdoc would read `[A, B]` as an intra-doc link, `<em>` as an unclosed HTML tag and an
//! indented line as a Rust doc-test, so every line is rewritten into plain, warning-free markdown.

use crate::ir::{Docs, Operation};
use proc_macro2::{Delimiter, Group, Literal, Punct, Spacing, TokenStream, TokenTree};
use quote::quote;
use std::cell::RefCell;

// Doc comments are most of the generated text, and carrying each line through tokens costs three
// times: escaping it into a string literal, `syn` parsing the literal back and prettyplease printing
// it. So a block of doc lines travels as one short placeholder attribute, `#[doc = "\u{E000}<n>"]`,
// and its lines are put back where the file is rendered (`emit::unparse`): into the text
// prettyplease printed (each line as `///` + line, exactly as prettyplease prints a one-line doc
// attribute, see [`expand_text`]), or, for the runtime's macro invocations, whose layout has rules
// of its own for doc lines, back into attributes before they are laid out ([`expand_tokens`]).
// The blocks of a file are kept on the thread that builds and renders it.
thread_local! {
    static BLOCKS: RefCell<Vec<Vec<String>>> = const { RefCell::new(Vec::new()) };
}

/// The character that starts a placeholder (a private-use code point no description contains).
const MARK: char = '\u{E000}';

/// Forgets the doc blocks of the previous file rendered on this thread.
pub fn start_file() {
    BLOCKS.with(|b| b.borrow_mut().clear());
}

/// One placeholder attribute for the doc lines `lines` (each `""` or `" text"`), or nothing.
fn block(lines: Vec<String>) -> TokenStream {
    if lines.is_empty() {
        return TokenStream::new();
    }
    let index = BLOCKS.with(|b| {
        let mut b = b.borrow_mut();
        b.push(lines);
        b.len() - 1
    });
    // The literal is read from its text rather than built with `Literal::string`, which escapes
    // the private-use mark as `\u{e000}` after looking it up in the table of printable characters:
    // a thousand instructions for each of the thousands of blocks of a spec.
    let mark: Literal = format!("\"{MARK}{index}\"")
        .parse()
        .unwrap_or_else(|_| Literal::string(&format!("{MARK}{index}")));
    quote!(#[doc = #mark])
}

/// The doc lines of block `index`.
fn lines_of(index: &str) -> Option<Vec<String>> {
    let index: usize = index.parse().ok()?;
    BLOCKS.with(|b| b.borrow().get(index).cloned())
}

/// Puts the lines of every placeholder in `text` (as prettyplease printed it) back: a line
/// `<indent>///\u{E000}<n>` becomes `<indent>///<line>` for each line of block `n`, with trailing
/// spaces trimmed as prettyplease trims a doc comment's.
pub fn expand_text(text: &str) -> String {
    expand_lines(text, |out, head, doc| {
        out.push_str(head);
        out.push_str(doc.trim_end_matches(' '));
    })
}

/// Puts the lines of every placeholder back into a laid-out macro invocation (`layout`, which
/// printed each placeholder attribute as a `///` comment), as the layout writes a doc attribute:
/// a `///` comment where the comment reads back as the same attribute (`keeps`), else the
/// attribute itself. Expanding the text rather than the tokens saves escaping every line into a
/// string literal that the layout would only read back.
pub fn expand_macro_text(text: &str, keeps: fn(&str) -> bool) -> String {
    expand_lines(text, |out, head, doc| {
        if keeps(doc) {
            out.push_str(head);
            out.push_str(doc);
        } else {
            out.push_str(head.strip_suffix("///").unwrap_or(head));
            out.push_str("#[doc = ");
            out.push_str(&Literal::string(doc).to_string());
            out.push(']');
        }
    })
}

/// Replaces every line `<indent>///\u{E000}<n>` of `text` with one line per doc line of block
/// `n`, written by `write(out, "<indent>///", line)` (which writes all but the line's end).
fn expand_lines(text: &str, write: impl Fn(&mut String, &str, &str)) -> String {
    if !text.contains(MARK) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() * 2);
    // `text[..copied]` is in `out`. The marks are found in one scan of the text rather than line
    // by line (a rendered file is tens of thousands of lines, a few thousand of them placeholders),
    // and the text between them is copied whole.
    let mut copied = 0;
    for (at, _) in text.match_indices(MARK) {
        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
        // Only the first mark of a line can make it a placeholder (`head` holds the others').
        let head = &text[start..at];
        if start < copied || head.trim_start() != "///" {
            continue;
        }
        let Some(lines) = lines_of(text[at + MARK.len_utf8()..end].trim_end()) else {
            continue;
        };
        out.push_str(&text[copied..start]);
        for doc in lines {
            write(&mut out, head, &doc);
            out.push('\n');
        }
        copied = end;
    }
    out.push_str(&text[copied..]);
    out
}

/// Whether `text` still holds a placeholder: a doc attribute that neither prettyplease printed as a
/// `///` line nor a macro invocation carried, which the renderer refuses as a generator bug
/// rather than write.
pub fn has_placeholder(text: &str) -> bool {
    text.contains(MARK)
}

/// Puts the attributes of every placeholder in `tokens` (a macro invocation) back, at any depth.
pub fn expand_tokens(tokens: Vec<TokenTree>) -> Vec<TokenTree> {
    let mut out = Vec::with_capacity(tokens.len());
    for tree in tokens {
        match tree {
            TokenTree::Group(group) => {
                if let Some(lines) = placeholder_of(&group) {
                    // The `#` before the bracket is already in `out`; each line brings its own.
                    out.pop();
                    for line in lines {
                        out.push(TokenTree::Punct(Punct::new('#', Spacing::Alone)));
                        out.push(TokenTree::Group(Group::new(
                            Delimiter::Bracket,
                            quote!(doc = #line),
                        )));
                    }
                    continue;
                }
                let inner = expand_tokens(group.stream().into_iter().collect());
                let mut expanded = Group::new(group.delimiter(), inner.into_iter().collect());
                expanded.set_span(group.span());
                out.push(TokenTree::Group(expanded));
            }
            other => out.push(other),
        }
    }
    out
}

/// The lines of the placeholder `[doc = "\u{E000}<n>"]`, when `group` is one.
fn placeholder_of(group: &Group) -> Option<Vec<String>> {
    if group.delimiter() != Delimiter::Bracket {
        return None;
    }
    let mut trees = group.stream().into_iter();
    match (trees.next(), trees.next(), trees.next(), trees.next()) {
        (
            Some(TokenTree::Ident(doc)),
            Some(TokenTree::Punct(eq)),
            Some(TokenTree::Literal(lit)),
            None,
        ) if doc == "doc" && eq.as_char() == '=' => {
            let text = literal_text(&lit)?;
            lines_of(text.strip_prefix(MARK)?)
        }
        _ => None,
    }
}

/// The value of a placeholder's string literal, which holds only the mark and digits (printed
/// escaped, `"\u{e000}12"`, or as is).
fn literal_text(lit: &Literal) -> Option<String> {
    let printed = lit.to_string();
    let inner = printed.strip_prefix('"')?.strip_suffix('"')?;
    let digits = inner
        .strip_prefix("\\u{e000}")
        .or_else(|| inner.strip_prefix(MARK))?;
    digits
        .chars()
        .all(|c| c.is_ascii_digit())
        .then(|| format!("{MARK}{digits}"))
}

/// `#[doc]` attributes for an item (and `#[deprecated]` when the spec says so). `fallback` is used when
/// the spec documents nothing; an empty `fallback` means the item has nothing worth saying beyond its
/// name and type (a field the spec leaves undescribed), and it gets `#[allow(missing_docs)]` instead
/// of a sentence that restates the name.
pub fn attrs(docs: &Docs, fallback: &str) -> TokenStream {
    attrs_with_tail(docs, fallback, None)
}

/// Like [`attrs`], with a last paragraph written by the generator (kept as is).
pub fn attrs_with_tail(docs: &Docs, fallback: &str, tail: Option<&str>) -> TokenStream {
    let mut paragraphs: Vec<String> = Vec::new();
    if let Some(summary) = docs.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        paragraphs.push(summary.trim().to_owned());
    }
    if let Some(description) = docs.description.as_deref().filter(|s| !s.trim().is_empty()) {
        if docs.summary.as_deref().map(str::trim) != Some(description.trim()) {
            paragraphs.push(description.trim().to_owned());
        }
    }
    if paragraphs.is_empty() && !fallback.is_empty() {
        paragraphs.push(fallback.to_owned());
    }
    let mut out = if paragraphs.is_empty() && tail.is_none() {
        quote!(#[allow(missing_docs)])
    } else {
        lines(&paragraphs.join("\n\n"))
    };
    if let Some(tail) = tail {
        // Without paragraphs before it, the tail is the whole doc, not one after a blank line.
        if paragraphs.is_empty() {
            out = raw(tail);
        } else {
            out.extend(raw(&format!("\n{tail}")));
        }
    }
    out.extend(deprecated(docs));
    out
}

/// `#[deprecated]` when the spec marks the item so, with a note made of the sentences of its
/// summary and description that give the reason or the replacement (`Use '/ratings'.`); without
/// such a sentence, the attribute has no note rather than one that says nothing.
pub fn deprecated(docs: &Docs) -> TokenStream {
    if !docs.deprecated {
        return quote!();
    }
    match deprecation_note(docs) {
        Some(note) => quote!(#[deprecated(note = #note)]),
        None => quote!(#[deprecated]),
    }
}

/// Words that mark a sentence as the reason for a deprecation or the name of a replacement.
const DEPRECATION_WORDS: &[&str] = &[
    "deprecat",
    "replaced",
    "no longer",
    "instead",
    "prefer",
    "use ",
];

fn deprecation_note(docs: &Docs) -> Option<String> {
    let text = [docs.summary.as_deref(), docs.description.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(". ");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut sentences = Vec::new();
    for sentence in text.split_inclusive(". ") {
        let sentence = sentence.trim();
        let sentence = sentence.strip_prefix("NOTE:").unwrap_or(sentence).trim();
        let lower = sentence.to_lowercase();
        if DEPRECATION_WORDS.iter().any(|w| lower.contains(w)) {
            let mut sentence = sentence.trim_end_matches('.').to_owned();
            sentence.push('.');
            if !sentences.contains(&sentence) {
                sentences.push(sentence);
            }
        }
    }
    (!sentences.is_empty()).then(|| sentences.join(" "))
}

/// The `# Errors` section of an operation: how it fails, and the error statuses the spec declares
/// with their descriptions, or where a status has none, what it means for this call.
pub fn errors_section(op: &Operation) -> String {
    let errors = &op.response.errors;
    let mut out = String::from(
        "# Errors\n\nFails with [`Error`](crate::Error) when the request cannot be sent, when Dixa \
         answers with a status other than 2xx, or when the answer does not decode.",
    );
    if errors.is_empty() {
        out.push_str(" The spec declares no error status for this operation.");
        return out;
    }
    out.push_str(" The spec declares:\n");
    for error in errors {
        let description = sanitize(&error.description)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let description = if description.is_empty() {
            status_meaning(&error.status, op)
        } else {
            description
        };
        out.push_str(&format!("\n* `{}`: {description}", error.status));
    }
    out
}

/// What an error status the spec declares without a description means for `op`: the HTTP meaning,
/// said of this call's arguments.
fn status_meaning(status: &str, op: &Operation) -> String {
    let params: Vec<String> = op
        .path_params
        .iter()
        .map(|p| format!("`{}`", p.wire))
        .collect();
    let sent = match (params.is_empty(), op.body.is_some()) {
        (true, false) => "the request's parameters".to_owned(),
        (true, true) => "the body".to_owned(),
        (false, false) => params.join(" or "),
        (false, true) => format!("{} or the body", params.join(", ")),
    };
    match status {
        "400" => format!("Dixa refused the request as invalid: check {sent}."),
        "401" => "The API key is missing or not valid.".to_owned(),
        "403" => "The API key may not make this call.".to_owned(),
        "404" if params.is_empty() => "Dixa found nothing to act on.".to_owned(),
        "404" => format!("Nothing was found for the given {}.", params.join(" and ")),
        "409" => "The request conflicts with the current state of what it acts on (it exists \
                  already, or it changed meanwhile)."
            .to_owned(),
        "422" => format!("Dixa understood the request but could not process {sent}."),
        "429" => "Too many requests: the rate limit was exceeded (the client waits and retries as \
                  its retry policy allows)."
            .to_owned(),
        status if status.starts_with('5') => {
            "Dixa failed to process the request; it may succeed when sent again later.".to_owned()
        }
        status if status.starts_with('4') => {
            format!("Dixa refused the request (client error {status}).")
        }
        _ => "Any other status Dixa answers with.".to_owned(),
    }
}

/// `#[doc]` attributes for text the generator wrote itself (trusted markdown, kept as is). A blank
/// line is an empty attribute, which prints as a bare `///`.
pub fn raw(text: &str) -> TokenStream {
    block(text.lines().map(doc_line).collect())
}

/// A line of text as a doc attribute holds it: after a space, or empty.
fn doc_line(line: &str) -> String {
    if line.is_empty() {
        return String::new();
    }
    let mut out = String::with_capacity(line.len() + 1);
    out.push(' ');
    out.push_str(line);
    out
}

/// Inner `#![doc]` attributes (module documentation) for text the generator wrote itself.
pub fn inner(text: &str) -> TokenStream {
    text.lines()
        .map(|line| {
            let line = format!(" {line}");
            quote!(#![doc = #line])
        })
        .collect()
}

fn lines(text: &str) -> TokenStream {
    block(sanitize(text).lines().map(doc_line).collect())
}

/// Rewrites spec prose into markdown rustdoc renders without warnings or doc-tests.
pub fn sanitize(text: &str) -> String {
    // Most descriptions have no markup at all; they skip the rewriting, a dozen passes over the
    // text.
    let text = if text.contains(['<', '\\', '\r']) {
        std::borrow::Cow::Owned(html_to_markdown(text))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_fence = false;
    for line in text.lines() {
        // Indentation would make a code block, which rustdoc compiles as a test.
        let line = line.trim();
        if line.starts_with("```") {
            out.push_str(if in_fence { "```" } else { "```text" });
            in_fence = !in_fence;
        } else if in_fence {
            out.push_str(line);
        } else {
            out.push_str(&escape_line(line));
        }
        out.push('\n');
    }
    if in_fence {
        out.push_str("```\n");
    }
    out.trim_end().to_owned()
}

/// Inline HTML as its markdown equivalent; tags written with backslash escapes (`\<em\>`) are
/// text about tags and stay visible. Every pattern replaced has a `<`, a `\` or a `\r`.
fn html_to_markdown(text: &str) -> String {
    let mut text = text
        .replace("<br/>", "\n")
        .replace("<br />", "\n")
        .replace("<br>", "\n");
    for (tag, markdown) in [
        ("b", "**"),
        ("strong", "**"),
        ("i", "*"),
        ("em", "*"),
        ("code", "`"),
    ] {
        text = text
            .replace(&format!("<{tag}>"), markdown)
            .replace(&format!("</{tag}>"), markdown);
    }
    text.replace("\\<", "<")
        .replace("\\>", ">")
        .replace("\r\n", "\n")
}

/// Escapes what rustdoc would misread in one line of prose, and wraps bare URLs in `<...>`.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while !rest.is_empty() {
        let url_start = ["https://", "http://"]
            .iter()
            .filter_map(|scheme| rest.find(scheme))
            .min();
        let (before, url) = match url_start {
            Some(start) => {
                let end = rest[start..]
                    .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | ')' | ']'))
                    .map_or(rest.len(), |e| start + e);
                (&rest[..start], Some(&rest[start..end]))
            }
            None => (rest, None),
        };
        for c in before.chars() {
            match c {
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '[' => out.push_str("\\["),
                ']' => out.push_str("\\]"),
                '\\' => out.push_str("\\\\"),
                _ => out.push(c),
            }
        }
        match url {
            Some(url) => {
                let url = url.trim_end_matches(['.', ',', ';', ':']);
                out.push('<');
                out.push_str(url);
                out.push('>');
                rest = &rest[before.len() + url.len()..];
            }
            None => rest = "",
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deprecated_docs(description: &str) -> Docs {
        Docs {
            summary: None,
            description: Some(description.to_owned()),
            deprecated: true,
        }
    }

    #[test]
    fn deprecation_notes_keep_the_reason_or_the_replacement() {
        let note = |d: &str| deprecation_note(&deprecated_docs(d));
        assert_eq!(
            note("Deprecated rating endpoint. Use '/ratings'.").as_deref(),
            Some("Deprecated rating endpoint. Use '/ratings'.")
        );
        assert_eq!(
            note("NOTE: This endpoint is deprecated and is replaced with POST\n/search/conversations. Search for conversations containing a particular text.").as_deref(),
            Some("This endpoint is deprecated and is replaced with POST /search/conversations.")
        );
        assert_eq!(
            note("Replaced by _type field").as_deref(),
            Some("Replaced by _type field.")
        );
        assert_eq!(note("List of sub-entities where a match was found"), None);
        assert_eq!(
            deprecated(&deprecated_docs("Listed.")).to_string(),
            quote!(#[deprecated]).to_string()
        );
        assert!(deprecated(&Docs::default()).is_empty());
    }

    #[test]
    fn doc_blocks_come_back_as_prettyplease_prints_doc_lines() {
        start_file();
        let docs = raw("First line.  \n\nSecond line.");
        let item: syn::File = syn::parse2(quote!(#docs pub struct A;)).unwrap();
        let text = expand_text(&prettyplease::unparse(&item));
        let docs = quote!(#[doc = " First line.  "] #[doc = ""] #[doc = " Second line."]);
        let plain: syn::File = syn::parse2(quote!(#docs pub struct A;)).unwrap();
        assert_eq!(text, prettyplease::unparse(&plain));
        assert!(!has_placeholder(&text));
    }

    #[test]
    fn only_lines_that_are_placeholders_are_expanded() {
        start_file();
        let first = block(vec![" One.".to_owned(), String::new()]);
        let second = block(vec![" Two.  ".to_owned()]);
        let index = |tokens: TokenStream| {
            let text = tokens.to_string();
            let at = text.find(MARK).expect("a placeholder") + MARK.len_utf8();
            text[at..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        };
        let (first, second) = (index(first), index(second));
        let text = format!(
            "a\n    ///{MARK}{first}\n///{MARK}{second}\nx = \"{MARK}{first}\";\n/// ///{MARK}{first}\n//{MARK}{first}\n///{MARK}99\n///{MARK}{second}"
        );
        assert_eq!(
            expand_text(&text),
            format!(
                "a\n    /// One.\n    ///\n/// Two.\nx = \"{MARK}{first}\";\n/// ///{MARK}{first}\n//{MARK}{first}\n///{MARK}99\n/// Two.\n"
            )
        );
    }

    #[test]
    fn doc_blocks_of_laid_out_macros_come_back_as_the_layout_writes_doc_attributes() {
        start_file();
        let docs = raw("Trailing space.  \n\nA / slash.\nLast.");
        let trees: Vec<TokenTree> = quote!(m!(S { #docs a: u8; })).into_iter().collect();
        let in_text = expand_macro_text(
            &super::super::layout::item_macro(trees.clone()),
            super::super::layout::comment_keeps,
        );
        let in_tokens = super::super::layout::item_macro(expand_tokens(trees));
        assert_eq!(in_text, in_tokens);
        assert!(
            in_text.contains("    #[doc = \" Trailing space.  \"]\n    ///\n    /// A / slash.\n")
        );
        assert!(!has_placeholder(&in_text));
    }

    #[test]
    fn doc_blocks_inside_macro_invocations_become_attributes_again() {
        start_file();
        let docs = raw("A field.");
        let trees: Vec<TokenTree> = quote!(m!(S { #docs a: u8; })).into_iter().collect();
        let expanded: TokenStream = expand_tokens(trees).into_iter().collect();
        assert_eq!(
            expanded.to_string(),
            quote!(m!(S { #[doc = " A field."] a: u8; })).to_string()
        );
    }

    #[test]
    fn an_undescribed_item_is_allowed_to_lack_docs_instead_of_restating_its_name() {
        let out = attrs(&Docs::default(), "").to_string();
        assert_eq!(out, quote!(#[allow(missing_docs)]).to_string());
        let described = attrs(&Docs::default(), "The type.");
        let expanded: TokenStream = expand_tokens(described.into_iter().collect())
            .into_iter()
            .collect();
        assert_eq!(
            expanded.to_string(),
            quote!(#[doc = " The type."]).to_string()
        );
    }

    #[test]
    fn brackets_html_and_urls_are_made_safe() {
        assert_eq!(
            sanitize("values: [Away, Working]"),
            "values: \\[Away, Working\\]"
        );
        assert_eq!(
            sanitize("wrapped in \\<em\\> tags"),
            "wrapped in &lt;em&gt; tags"
        );
        assert_eq!(sanitize("a<br/>b"), "a\nb");
        assert_eq!(
            sanitize("<b>Note:</b> see <code>x</code>"),
            "**Note:** see `x`"
        );
        assert_eq!(
            sanitize("see https://docs.dixa.io/x."),
            "see <https://docs.dixa.io/x>."
        );
        assert_eq!(sanitize("    indented"), "indented");
        assert_eq!(sanitize("```\ncode\n```"), "```text\ncode\n```");
    }
}
