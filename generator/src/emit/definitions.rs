//! Struct and enum definitions printed as prettyplease prints them, without parsing them.
//!
//! Most items of the generated files that are not macro invocations are definitions of a plain
//! shape: outer attributes, then `pub struct Name { fields }` or `pub enum Name { variants }`,
//! each field or variant on its own line below its attributes. Parsing them into `syn` items only
//! for prettyplease to print them again was the larger half of rendering the models, so [`print()`]
//! writes such a definition directly in the text prettyplease gives: one line per attribute, field
//! and variant, indented by 4, doc placeholders as `///` lines for `docs::expand_text`. The tokens
//! of a line are spaced by [`Tokens`], a printer for the few shapes definitions hold (paths,
//! generics, `key = "value"`, argument lists) that writes as it walks; `layout`'s printer, which
//! knows every shape of the macros' arguments, first copies the tokens into a list of atoms, which
//! cost more than prettyplease saved here. A definition outside that shape (generics, a variant with
//! named fields, an attribute or line that prettyplease would break) gets `None`, and the renderer
//! hands it to prettyplease.
//!
//! Debug builds check every definition printed here against prettyplease's text for the same
//! tokens (`emit::unparse` does), so each definition the spec and the fixtures give is proven to
//! print as prettyplease prints it; release builds (the benchmarks) skip the check.

use proc_macro2::{Delimiter, Spacing, TokenTree};
use std::fmt::Write;

/// The longest line printed here. prettyplease breaks a line when it passes its margin (89
/// columns, its indentation included); below this width it never does, so a longer line makes
/// the definition prettyplease's to print.
const WIDTH: usize = 89;

/// The text of the definition `trees` (a `layout::Piece::Definition`), ending in a newline, or
/// `None` when its shape is one that prettyplease prints (see the module documentation). The
/// trees are taken by value, since proc-macro2 walks a group's tokens only by value.
pub fn print(trees: Vec<TokenTree>) -> Option<String> {
    let mut out = String::new();
    let mut trees = trees.into_iter();
    let mut head = Vec::with_capacity(4);
    while let Some(tree) = trees.next() {
        match tree {
            TokenTree::Punct(hash) if hash.as_char() == '#' => {
                let Some(TokenTree::Group(attr)) = trees.next() else {
                    return None;
                };
                line(&mut out, 0, &attribute(attr)?)?;
            }
            other => {
                head.push(other);
                head.extend(trees.by_ref());
            }
        }
    }
    let [TokenTree::Ident(vis), TokenTree::Ident(keyword), TokenTree::Ident(name), TokenTree::Group(body)] =
        <[TokenTree; 4]>::try_from(head).ok()?
    else {
        return None;
    };
    let body = body.stream();
    if body.is_empty() {
        line(&mut out, 0, &format!("{vis} {keyword} {name} {{}}"))?;
        return Some(out);
    }
    line(&mut out, 0, &format!("{vis} {keyword} {name} {{"))?;
    let mut entry = String::new();
    let mut tokens = Tokens::default();
    let mut body = body.into_iter().peekable();
    while let Some(tree) = body.next() {
        match tree {
            TokenTree::Punct(hash) if hash.as_char() == '#' && tokens.is_empty() => {
                let Some(TokenTree::Group(attr)) = body.next() else {
                    return None;
                };
                line(&mut out, 4, &attribute(attr)?)?;
            }
            TokenTree::Punct(comma) if comma.as_char() == ',' && tokens.depth == 0 => {
                end_entry(&mut out, &mut tokens, &mut entry)?;
            }
            // A variant with named fields is laid out over several lines.
            TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => return None,
            other => tokens.push(other, &mut entry)?,
        }
        if body.peek().is_none() && !tokens.is_empty() {
            end_entry(&mut out, &mut tokens, &mut entry)?;
        }
    }
    line(&mut out, 0, "}")?;
    Some(out)
}

/// Writes the field or variant printed into `entry` as its line, and starts the next.
fn end_entry(out: &mut String, tokens: &mut Tokens, entry: &mut String) -> Option<()> {
    entry.push(',');
    line(out, 4, entry)?;
    entry.clear();
    *tokens = Tokens::default();
    Some(())
}

/// The text of the attribute whose `[...]` group is `group`: a doc attribute as its `///` line
/// (a placeholder's too, whose literal holds the mark and digits unescaped, `docs::block`),
/// anything else as `#[...]`.
fn attribute(group: proc_macro2::Group) -> Option<String> {
    if group.delimiter() != Delimiter::Bracket {
        return None;
    }
    let contents = group.stream();
    drop(group);
    let mut text = String::from("#[");
    let mut tokens = Tokens {
        attribute: true,
        ..Tokens::default()
    };
    let mut contents = contents.into_iter();
    while let Some(tree) = contents.next() {
        if matches!(&tree, TokenTree::Ident(name) if name == "doc") && tokens.is_empty() {
            return doc_comment(contents);
        }
        tokens.push(tree, &mut text)?;
    }
    text.push(']');
    Some(text)
}

/// The `///` line of a doc attribute whose tokens after `doc` are `rest`, written as prettyplease
/// writes it: the string's value with trailing spaces trimmed. A string with escapes, several
/// lines or a leading `/` is left to prettyplease (`None`).
fn doc_comment(mut rest: impl Iterator<Item = TokenTree>) -> Option<String> {
    let (Some(TokenTree::Punct(eq)), Some(TokenTree::Literal(literal)), None) =
        (rest.next(), rest.next(), rest.next())
    else {
        return None;
    };
    if eq.as_char() != '=' {
        return None;
    }
    let literal = literal.to_string();
    let value = match literal.strip_prefix('r') {
        Some(raw) => raw.strip_prefix('"')?.strip_suffix('"')?,
        None => literal
            .strip_prefix('"')?
            .strip_suffix('"')
            .filter(|value| !value.contains('\\'))?,
    };
    if value.contains('\n') || value.starts_with('/') {
        return None;
    }
    Some(format!("///{}", value.trim_end_matches(' ')))
}

/// What comes before a token, which decides the space between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Prev {
    /// Nothing on the line yet, an opening delimiter, `::`, `<` or `&`: no space follows.
    #[default]
    Tight,
    /// A word, a literal, a closing delimiter or `>`.
    Word,
    /// `,`, `:` or `=`: a space follows.
    Separator,
}

/// Prints a run of tokens on one line as prettyplease prints the attributes, fields and variants
/// of definitions: `a::b`, `Vec<Option<T>>`, `name: Type`, `key = "value"`, `f(a, b)`, `&'a T`.
/// Any other punctuation is refused (`None`).
#[derive(Default)]
struct Tokens {
    prev: Prev,
    /// How deep in `(...)` and `<...>` the printer is.
    depth: usize,
    /// A `:` joint to the next `:`, or a `'` to its lifetime's name, is waiting for it.
    joined: bool,
    /// The tokens are an attribute's, whose groups' trailing commas prettyplease leaves out.
    attribute: bool,
}

impl Tokens {
    fn is_empty(&self) -> bool {
        self.prev == Prev::Tight && self.depth == 0
    }

    fn space(&self, out: &mut String) {
        if self.prev != Prev::Tight {
            out.push(' ');
        }
    }

    fn push(&mut self, tree: TokenTree, out: &mut String) -> Option<()> {
        match tree {
            TokenTree::Ident(ident) => {
                if !std::mem::take(&mut self.joined) {
                    self.space(out);
                }
                write!(out, "{ident}").ok()?;
                self.prev = Prev::Word;
            }
            TokenTree::Literal(literal) => {
                self.space(out);
                write!(out, "{literal}").ok()?;
                self.prev = Prev::Word;
            }
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ('(', ')'),
                    _ => return None,
                };
                // `f(...)`, `Name(Type)`: no space after a word.
                if self.prev == Prev::Separator {
                    out.push(' ');
                }
                out.push(open);
                let contents = group.stream();
                drop(group);
                let outer = std::mem::replace(
                    self,
                    Tokens {
                        attribute: self.attribute,
                        ..Tokens::default()
                    },
                );
                self.depth = 1;
                for tree in contents {
                    self.push(tree, out)?;
                }
                if self.attribute && out.ends_with(", ") {
                    return None;
                }
                if self.attribute && out.ends_with(',') {
                    out.pop();
                }
                *self = Tokens {
                    prev: Prev::Word,
                    ..outer
                };
                out.push(close);
            }
            TokenTree::Punct(punct) => {
                let c = punct.as_char();
                let joint = punct.spacing() == Spacing::Joint;
                match c {
                    ':' if joint || self.joined => {
                        // The two halves of `::`.
                        out.push(':');
                        self.joined = joint;
                        self.prev = Prev::Tight;
                    }
                    ':' | ',' => {
                        out.push(c);
                        self.prev = Prev::Separator;
                    }
                    '=' if !joint => {
                        self.space(out);
                        out.push('=');
                        self.prev = Prev::Separator;
                    }
                    '<' if !joint => {
                        out.push('<');
                        self.depth += 1;
                        self.prev = Prev::Tight;
                    }
                    '>' => {
                        self.depth = self.depth.checked_sub(1)?;
                        out.push('>');
                        self.prev = Prev::Word;
                    }
                    '&' if !joint => {
                        self.space(out);
                        out.push('&');
                        self.prev = Prev::Tight;
                    }
                    '\'' if joint => {
                        self.space(out);
                        out.push('\'');
                        self.joined = true;
                        self.prev = Prev::Tight;
                    }
                    _ => return None,
                }
            }
        }
        Some(())
    }
}

/// Appends `text` as a line indented by `indent`, or answers `None` when it is wider than
/// [`WIDTH`]; prettyplease never breaks a doc comment, which may be as wide as it is.
fn line(out: &mut String, indent: usize, text: &str) -> Option<()> {
    if indent + text.len() > WIDTH && !text.starts_with("///") {
        return None;
    }
    out.extend(std::iter::repeat_n(' ', indent));
    out.push_str(text);
    out.push('\n');
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proc_macro2::TokenStream;
    use quote::quote;

    /// prettyplease's text for one item.
    fn pretty(tokens: TokenStream) -> String {
        prettyplease::unparse(&syn::parse2(tokens).unwrap())
    }

    fn trees(tokens: TokenStream) -> Vec<TokenTree> {
        tokens.into_iter().collect()
    }

    #[test]
    fn plain_structs_and_enums_print_as_prettyplease_prints_them() {
        let items = [
            quote! {
                #[cfg(any(feature = "a", feature = "b"))]
                #[derive(Debug, Clone, PartialEq, serde::Serialize)]
                #[non_exhaustive]
                pub struct S {
                    #[serde(rename = "_type",)]
                    pub r#type: crate::DateTime,
                    #[serde(default, skip_serializing_if = "Option::is_none")]
                    pub list: Option<Vec<std::collections::BTreeMap<String, u8>>>,
                    #[allow(missing_docs)]
                    #[deprecated]
                    pub id: uuid::Uuid,
                }
            },
            quote! {
                #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub enum E {
                    A,
                    #[serde(rename = "b")]
                    B(Box<S>),
                    Unknown(String),
                }
            },
            quote! {
                /// A doc comment.
                #[doc = " Trailing spaces.  "]
                #[doc = ""]
                pub struct S { #[doc = r" Raw."] pub a: &'static str }
            },
            quote!(
                pub struct Empty {}
            ),
        ];
        for item in items {
            assert_eq!(print(trees(item.clone())).as_deref(), Some(&*pretty(item)));
        }
    }

    #[test]
    fn lines_about_as_wide_as_prettyplease_allows_print_as_it_prints_them_or_are_left_to_it() {
        let mut widest = 0;
        for n in 60..100 {
            let long = "x".repeat(n);
            let field = quote::format_ident!("{}", "f".repeat(n - 20));
            let items = [
                quote!(
                    #[serde(rename = #long)]
                    pub struct S {
                        pub a: u8,
                    }
                ),
                quote!(
                    pub struct S {
                        #[serde(rename = #long)]
                        pub a: u8,
                    }
                ),
                quote!(pub struct S { pub #field: Option<Vec<u8>> }),
                quote!(pub enum E { #field(Box<S>) }),
            ];
            for item in items {
                if let Some(text) = print(trees(item.clone())) {
                    assert_eq!(text, pretty(item));
                    widest = widest.max(text.lines().map(str::len).max().unwrap_or(0));
                }
            }
        }
        // Lines as wide as prettyplease leaves them are printed here, none wider.
        assert_eq!(widest, WIDTH);
    }

    #[test]
    fn shapes_prettyplease_lays_out_otherwise_are_left_to_it() {
        let long = "x".repeat(90);
        let items = [
            quote!(
                pub enum E {
                    A { a: u8 },
                }
            ),
            quote!(
                pub struct S<T> {
                    a: T,
                }
            ),
            quote!(
                pub struct S(u8);
            ),
            quote!(
                #[doc = " Two\nlines."]
                pub struct S {}
            ),
            quote!(
                #[doc = " An \"escape\"."]
                pub struct S {}
            ),
            quote!(
                #[doc = "/ A fourth slash."]
                pub struct S {}
            ),
            quote!(
                pub struct S {
                    #[serde(rename = #long)]
                    a: u8,
                }
            ),
            quote!(
                pub struct S {
                    a: fn() -> u8,
                }
            ),
        ];
        for item in items {
            assert_eq!(print(trees(item.clone())), None, "{item}");
        }
    }
}
