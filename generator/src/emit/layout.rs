//! Lays out the invocations of the runtime's macros (`model!`, `tagged_union!`,
//! `request_builder!`, ...) as a person would write them, which `prettyplease` cannot: it does not
//! know a macro's grammar, so it prints the tokens as they come, wrapped wherever the line is full.
//!
//! The printer spaces tokens as rustfmt spaces Rust (`crate::DateTime`, `Option<&Id>`,
//! `name: Type`, `A = "a"`), puts each entry of a `{ ... }` group on its own line (entries end at a
//! `;` or a nested `{ ... }` group; in a group with neither, at a `,`), indents nested groups by 4,
//! and writes `#[doc = "..."]` attributes as `///` comments. An entry longer than [`MAX_WIDTH`] has
//! its widest comma-separated group broken (one item per line in `(...)`, as rustfmt writes
//! arguments, filled in `[...]`), or else is filled at its commas and before `=`, `=>` and `->`,
//! continued 4 columns further in.
//!
//! Only whitespace is chosen: the printed invocation is the same tokens, which
//! [`item_macro`]'s caller checks by reading it back ([`same_tokens`]).

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// The width lines are kept within where the tokens allow it.
pub const MAX_WIDTH: usize = 100;

/// A file's tokens as the renderer prints them, in order.
pub enum Piece {
    /// An invocation of a macro as an item, `path!(...);` with its outer attributes, which
    /// [`item_macro`] lays out.
    Macro(Vec<TokenTree>),
    /// A struct or enum definition, `pub struct Name { ... }` or `pub enum Name { ... }` with its
    /// outer attributes, which `definitions` prints where its shape is plain.
    Definition(Vec<TokenTree>),
    /// The file's inner attributes (`#![...]`), or a run of other items, which prettyplease
    /// prints.
    Rust(TokenStream),
}

/// Cuts a file's tokens into the invocations of macros as items and the runs of Rust between
/// them, reading only the top level of the tokens: most of a generated file is invocations, and
/// parsing them into `syn` items only to print their tokens again was a large part of rendering.
///
/// An item starts at the start of the file (after its inner attributes), after a `;` and after a
/// `{ ... }` group, where every item that does not end in `;` ends; it is an invocation when it is
/// outer attributes, a path, `!`, a `( ... )` group and `;`. A `{ ... }` group also ends
/// expressions inside an item (a struct expression in a constant), but no Rust follows one with
/// a path and `!` directly, so no invocation is ever found there.
pub fn pieces(tokens: TokenStream) -> Vec<Piece> {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut start = 0;
    while is_punct(trees.get(start), '#')
        && is_punct(trees.get(start + 1), '!')
        && is_group(trees.get(start + 2), Delimiter::Bracket)
    {
        start += 3;
    }
    // The invocations and definitions, as ranges of `trees` with the piece each becomes.
    let mut invocations = Vec::new();
    let mut i = start;
    let mut item_starts = true;
    while i < trees.len() {
        if item_starts {
            if let Some(end) = invocation_end(&trees, i) {
                invocations.push((i, end, Piece::Macro as fn(_) -> _));
                i = end;
                continue;
            }
            if let Some(end) = definition_end(&trees, i) {
                invocations.push((i, end, Piece::Definition));
                i = end;
                continue;
            }
        }
        item_starts = is_punct(trees.get(i), ';') || is_group(trees.get(i), Delimiter::Brace);
        i += 1;
    }
    // The trees are moved into the pieces, not copied.
    let mut pieces = Vec::new();
    let mut trees = trees.into_iter();
    let rust = |trees: &mut std::vec::IntoIter<TokenTree>, n: usize, pieces: &mut Vec<_>| {
        let run: TokenStream = trees.take(n).collect();
        if !run.is_empty() {
            pieces.push(Piece::Rust(run));
        }
    };
    rust(&mut trees, start, &mut pieces);
    let mut at = start;
    for (lo, hi, piece) in invocations {
        rust(&mut trees, lo - at, &mut pieces);
        pieces.push(piece(trees.by_ref().take(hi - lo).collect()));
        at = hi;
    }
    rust(&mut trees, usize::MAX, &mut pieces);
    pieces
}

/// The end of the invocation of a macro as an item starting at `trees[i]`, if one does.
fn invocation_end(trees: &[TokenTree], mut i: usize) -> Option<usize> {
    while is_punct(trees.get(i), '#') && is_group(trees.get(i + 1), Delimiter::Bracket) {
        i += 2;
    }
    if is_path_sep(trees, i) {
        i += 2;
    }
    matches!(trees.get(i), Some(TokenTree::Ident(_))).then_some(())?;
    i += 1;
    while is_path_sep(trees, i) && matches!(trees.get(i + 2), Some(TokenTree::Ident(_))) {
        i += 3;
    }
    (is_punct(trees.get(i), '!')
        && is_group(trees.get(i + 1), Delimiter::Parenthesis)
        && is_punct(trees.get(i + 2), ';'))
    .then_some(i + 3)
}

/// The end of the struct or enum definition starting at `trees[i]`, if one does: outer
/// attributes, `pub`, `struct` or `enum`, a name and a `{ ... }` body (so no generics).
fn definition_end(trees: &[TokenTree], mut i: usize) -> Option<usize> {
    while is_punct(trees.get(i), '#') && is_group(trees.get(i + 1), Delimiter::Bracket) {
        i += 2;
    }
    let word = |i: usize, words: &[&str]| matches!(trees.get(i), Some(TokenTree::Ident(w)) if words.iter().any(|word| w == word));
    (word(i, &["pub"])
        && word(i + 1, &["struct", "enum"])
        && matches!(trees.get(i + 2), Some(TokenTree::Ident(_)))
        && is_group(trees.get(i + 3), Delimiter::Brace))
    .then_some(i + 4)
}

fn is_punct(tree: Option<&TokenTree>, c: char) -> bool {
    matches!(tree, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

fn is_group(tree: Option<&TokenTree>, delimiter: Delimiter) -> bool {
    matches!(tree, Some(TokenTree::Group(g)) if g.delimiter() == delimiter)
}

/// Whether `trees[i..]` starts with `::`.
fn is_path_sep(trees: &[TokenTree], i: usize) -> bool {
    matches!(trees.get(i), Some(TokenTree::Punct(p)) if p.as_char() == ':' && p.spacing() == Spacing::Joint)
        && is_punct(trees.get(i + 1), ':')
}

/// Prints the invocation of a macro as an item (`path!(...);`, a [`Piece::Macro`]) with its
/// attributes, ending in a newline.
pub fn item_macro(trees: Vec<TokenTree>) -> String {
    let mut out = String::new();
    let mut trees = trees.into_iter().peekable();
    while let Some(hash) = trees.next_if(|t| is_punct(Some(t), '#')) {
        let printer = Printer::new([hash].into_iter().chain(trees.next()).collect());
        printer.attribute(0, printer.atoms.len(), 0, &mut out);
    }
    let path = Printer::new(
        trees
            .by_ref()
            .take_while(|t| !is_punct(Some(t), '!'))
            .collect(),
    );
    let path = path.flat(0, path.atoms.len());
    let args = match trees.next() {
        Some(TokenTree::Group(g)) => g.stream(),
        _ => TokenStream::new(),
    };
    Printer::new(args).invocation(&path, &mut out);
    out
}

/// Whether two token streams are the same tokens as rustc reads them: the same identifiers,
/// literals and groups, and the same operators. Two punctuation characters form one operator
/// (`::`, `->`) when the first is joint to the second; joint before anything else (the `>` of
/// `Vec<T>;`, written without a space) means nothing, so it is not compared. Nor is it between
/// two `>`, which close generics alike whether written `>>` or `> >`.
///
/// The streams are walked token by token and compared as they go, without printing them: the
/// renderer checks every laid-out macro with this, so it is on the generator's hot path.
pub fn same_tokens(a: TokenStream, b: TokenStream) -> bool {
    Canonical::new(a).eq(Canonical::new(b))
}

/// A token of a stream as [`same_tokens`] compares it.
#[derive(Debug, PartialEq)]
enum Canon {
    Open(Delimiter),
    Close(Delimiter),
    Ident(proc_macro2::Ident),
    /// A literal as written (`"a\"b"`, `1u8`): literals have no equality of their own.
    Literal(String),
    /// A punctuation character, and whether it continues the operator of the one before it.
    Punct(char, bool),
}

/// The tokens of a stream in order, groups as their delimiters around their contents, with
/// invisible groups (interpolated fragments) reduced to their contents as printing does.
struct Canonical {
    /// The groups being walked, innermost last, each with its delimiter.
    stack: Vec<(proc_macro2::token_stream::IntoIter, Delimiter)>,
    /// The character of the punctuation just read when it was joint to the next one.
    joint: Option<char>,
}

impl Canonical {
    fn new(tokens: TokenStream) -> Self {
        Self {
            stack: vec![(tokens.into_iter(), Delimiter::None)],
            joint: None,
        }
    }
}

impl Iterator for Canonical {
    type Item = Canon;

    fn next(&mut self) -> Option<Canon> {
        const OPERATORS: &[[char; 2]] = &[
            [':', ':'],
            ['-', '>'],
            ['=', '>'],
            ['=', '='],
            ['!', '='],
            ['<', '='],
            ['>', '='],
            ['&', '&'],
            ['|', '|'],
            ['+', '='],
            ['-', '='],
            ['*', '='],
            ['/', '='],
            ['%', '='],
            ['^', '='],
            ['&', '='],
            ['|', '='],
            ['<', '<'],
            ['.', '.'],
            ['.', '='],
            ['<', '-'],
        ];
        loop {
            let prev = self.joint.take();
            let (trees, _) = self.stack.last_mut()?;
            let Some(tree) = trees.next() else {
                let (_, delimiter) = self.stack.pop()?;
                if self.stack.is_empty() {
                    return None;
                }
                match delimiter {
                    Delimiter::None => continue,
                    d => return Some(Canon::Close(d)),
                }
            };
            return Some(match tree {
                TokenTree::Group(g) => {
                    let delimiter = g.delimiter();
                    // The group is dropped before its contents are walked, so they are moved out
                    // of the stream rather than copied.
                    let contents = g.stream();
                    drop(g);
                    self.stack.push((contents.into_iter(), delimiter));
                    match delimiter {
                        Delimiter::None => continue,
                        d => Canon::Open(d),
                    }
                }
                TokenTree::Punct(p) => {
                    let c = p.as_char();
                    self.joint = (p.spacing() == Spacing::Joint).then_some(c);
                    Canon::Punct(c, prev.is_some_and(|a| OPERATORS.contains(&[a, c])))
                }
                TokenTree::Ident(i) => Canon::Ident(i),
                TokenTree::Literal(l) => Canon::Literal(l.to_string()),
            });
        }
    }
}

/// What a token is, for spacing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Ident,
    Literal,
    /// An operator, its joint characters merged (`::`, `->`, `=>`).
    Punct,
    Open(Delimiter),
    Close(Delimiter),
}

/// How a `<`, `>` or `&` is used, which decides its spacing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Plain,
    GenericOpen,
    GenericClose,
    /// A prefix operator (`&T`, `-1`, `!x`): no space after it.
    Prefix,
}

/// One token as printed: its text is `text[start..end]` of the [`Printer`]'s buffer, which holds
/// every atom's text in order (one string for all of them rather than one allocation each).
#[derive(Debug, Clone, Copy)]
struct Atom {
    start: usize,
    end: usize,
    kind: Kind,
    role: Role,
    /// Whether a space separates this atom from the one before when both are on one line.
    space: bool,
}

struct Printer {
    /// The atoms' texts, one after another.
    text: String,
    atoms: Vec<Atom>,
    /// For each opening atom, the index of its closing atom (itself for other atoms).
    close: Vec<usize>,
}

/// The atoms and the buffer of their texts.
struct Atoms<'a> {
    text: &'a str,
    atoms: &'a [Atom],
}

impl Atoms<'_> {
    fn text(&self, i: usize) -> &str {
        &self.text[self.atoms[i].start..self.atoms[i].end]
    }

    /// Whether atom `i` is the operator `op`. (Compared as bytes: the spacing rules ask this of
    /// every pair of atoms many times, and slicing a `str` checks char boundaries each time.)
    fn is(&self, i: usize, op: &str) -> bool {
        let atom = &self.atoms[i];
        atom.kind == Kind::Punct
            && atom.end - atom.start == op.len()
            && self.text.as_bytes()[atom.start..atom.end] == *op.as_bytes()
    }
}

impl Printer {
    fn new(tokens: TokenStream) -> Self {
        let (mut text, mut atoms) = (String::new(), Vec::new());
        flatten(tokens, &mut text, &mut atoms);
        space(&text, &mut atoms);
        let mut close: Vec<usize> = (0..atoms.len()).collect();
        let mut open = Vec::new();
        for (i, atom) in atoms.iter().enumerate() {
            match atom.kind {
                Kind::Open(_) => open.push(i),
                Kind::Close(_) => {
                    if let Some(o) = open.pop() {
                        close[o] = i;
                    }
                }
                _ => {}
            }
        }
        Self { text, atoms, close }
    }

    /// The atoms `lo..hi` on one line.
    fn flat(&self, lo: usize, hi: usize) -> String {
        let mut s =
            String::with_capacity(self.atoms[lo..hi].iter().map(|a| a.end - a.start + 1).sum());
        for (i, atom) in self.atoms[lo..hi].iter().enumerate() {
            if i > 0 && atom.space {
                s.push(' ');
            }
            s.push_str(&self.text[atom.start..atom.end]);
        }
        s
    }

    fn view(&self) -> Atoms<'_> {
        Atoms {
            text: &self.text,
            atoms: &self.atoms,
        }
    }

    /// Whether atom `i` is the operator `op`.
    fn is(&self, i: usize, op: &str) -> bool {
        self.view().is(i, op)
    }

    /// The index after the atom or group starting at `i`.
    fn next(&self, i: usize) -> usize {
        self.close[i] + 1
    }

    /// The whole invocation: `path!(args);`, with a trailing `{ ... }` group of the arguments
    /// opened on the first line and its entries below.
    fn invocation(&self, path: &str, out: &mut String) {
        let n = self.atoms.len();
        let last_group = (0..n).rev().find(|&i| self.close[i] == n - 1 && i != n - 1);
        if let Some(open) = last_group.filter(|&o| self.is_block(o)) {
            let head = self.flat(0, open + 1);
            push_line(out, 0, &format!("{path}!({head}"));
            self.block(open + 1, n - 1, 4, out);
            push_line(out, 0, "});");
            return;
        }
        let one = format!("{path}!({});", self.flat(0, n));
        if one.chars().count() <= MAX_WIDTH {
            push_line(out, 0, &one);
        } else {
            push_line(out, 0, &format!("{path}!("));
            self.inline(0, n, 4, out);
            push_line(out, 0, ");");
        }
    }

    /// Whether the atom at `i` opens a non-empty `{ ... }` group, which is laid out as a block.
    fn is_block(&self, i: usize) -> bool {
        self.atoms[i].kind == Kind::Open(Delimiter::Brace) && self.close[i] > i + 1
    }

    /// The entries of a `{ ... }` group's contents `lo..hi`, one per line at `indent`.
    fn block(&self, lo: usize, hi: usize, indent: usize, out: &mut String) {
        let top: Vec<usize> = self.top_level(lo, hi).collect();
        // An entry ends at a `;`, or with a `{ ... }` group that no `;` or `,` follows.
        let ends_entry = |i: usize| {
            let after = self.next(i);
            self.is(i, ";")
                || (self.atoms[i].kind == Kind::Open(Delimiter::Brace)
                    && (after >= hi || !(self.is(after, ";") || self.is(after, ","))))
        };
        let by_statement = top.iter().any(|&i| ends_entry(i));
        let mut start = lo;
        for &i in &top {
            let end = if by_statement {
                ends_entry(i)
            } else {
                self.is(i, ",")
            };
            if end {
                let stop = self.next(i).min(hi);
                self.entry(start, stop, indent, out);
                start = stop;
            }
        }
        if start < hi {
            self.entry(start, hi, indent, out);
        }
    }

    /// The indices of the atoms and groups of `lo..hi` at its own nesting level.
    fn top_level(&self, lo: usize, hi: usize) -> impl Iterator<Item = usize> + '_ {
        let mut i = lo;
        std::iter::from_fn(move || {
            (i < hi).then(|| {
                let at = i;
                i = self.next(i);
                at
            })
        })
    }

    /// One entry of a block: its attributes on lines of their own, then the entry, whose final
    /// `{ ... }` group (if any) is opened at the end of its first line.
    fn entry(&self, mut lo: usize, hi: usize, indent: usize, out: &mut String) {
        while lo + 1 < hi
            && self.is(lo, "#")
            && self.atoms[lo + 1].kind == Kind::Open(Delimiter::Bracket)
        {
            let end = self.next(lo + 1);
            self.attribute(lo, end, indent, out);
            lo = end;
        }
        if lo >= hi {
            return;
        }
        let last = self.top_level(lo, hi).last().unwrap_or(lo);
        let group = if self.is(last, ";") || self.is(last, ",") {
            self.top_level(lo, last).last()
        } else {
            Some(last)
        };
        if let Some(open) = group.filter(|&o| o > lo && self.is_block(o)) {
            push_line(out, indent, &self.flat(lo, open + 1));
            self.block(open + 1, self.close[open], indent + 4, out);
            push_line(out, indent, &self.flat(self.close[open], hi));
        } else {
            self.inline(lo, hi, indent, out);
        }
    }

    /// An attribute `#[...]` (atoms `lo..hi`) on its own line: a doc attribute as a `///`
    /// comment where the comment reads back as the same attribute.
    fn attribute(&self, lo: usize, hi: usize, indent: usize, out: &mut String) {
        let view = self.view();
        let doc = match &self.atoms[lo..hi] {
            [_hash, open, name, _eq, lit, _close]
                if view.is(lo, "#")
                    && open.kind == Kind::Open(Delimiter::Bracket)
                    && name.kind == Kind::Ident
                    && view.text(lo + 2) == "doc"
                    && view.is(lo + 3, "=")
                    && lit.kind == Kind::Literal =>
            {
                syn::parse_str::<syn::LitStr>(view.text(lo + 4))
                    .ok()
                    .map(|l| l.value())
            }
            _ => None,
        };
        if let Some(doc) = doc.filter(|d| comment_keeps(d)) {
            return push_line(out, indent, &format!("///{doc}"));
        }
        // `#[name(...)]` too long for its line has its arguments on lines of their own.
        let args = lo + 3;
        let text = self.flat(lo, hi);
        if indent + text.chars().count() > MAX_WIDTH
            && hi - lo > 5
            && self.atoms[args].kind == Kind::Open(Delimiter::Parenthesis)
            && self.close[args] == hi - 2
        {
            self.break_group(lo, args, hi, indent, out);
        } else {
            push_line(out, indent, &text);
        }
    }

    /// Atoms `lo..hi` within [`MAX_WIDTH`] where they can be: on one line if they fit, else with
    /// their widest comma-separated `(...)` or `[...]` group broken, else filled.
    fn inline(&self, lo: usize, hi: usize, indent: usize, out: &mut String) {
        let text = self.flat(lo, hi);
        if indent + text.chars().count() <= MAX_WIDTH {
            push_line(out, indent, &text);
            return;
        }
        let widest = self
            .top_level(lo, hi)
            .filter(|&i| {
                matches!(
                    self.atoms[i].kind,
                    Kind::Open(Delimiter::Parenthesis | Delimiter::Bracket)
                ) && self
                    .top_level(i + 1, self.close[i])
                    .any(|j| self.is(j, ","))
            })
            .max_by_key(|&i| self.close[i] - i);
        match widest {
            Some(open) => self.break_group(lo, open, hi, indent, out),
            None => self.fill(lo, hi, indent, 4, out),
        }
    }

    /// Atoms `lo..hi` with the group opened at `open` broken over lines: its contents 4 columns
    /// further in, one item per line in `(...)` (as rustfmt writes arguments), filled in `[...]`
    /// (as it writes a list of short items); the closing delimiter starts the last line.
    fn break_group(&self, lo: usize, open: usize, hi: usize, indent: usize, out: &mut String) {
        let close = self.close[open];
        push_line(out, indent, &self.flat(lo, open + 1));
        if self.atoms[open].kind == Kind::Open(Delimiter::Bracket) {
            self.fill(open + 1, close, indent + 4, 0, out);
        } else {
            let mut start = open + 1;
            for i in self.top_level(open + 1, close) {
                if self.is(i, ",") {
                    self.inline(start, i + 1, indent + 4, out);
                    start = i + 1;
                }
            }
            if start < close {
                self.inline(start, close, indent + 4, out);
            }
        }
        self.inline(close, hi, indent, out);
    }

    /// Atoms `lo..hi` filled into lines: broken after a comma or before `=`, `=>` or `->` of
    /// their own level, continuation lines `hang` columns further in. A piece too long for a line
    /// of its own stays where it is.
    fn fill(&self, lo: usize, hi: usize, indent: usize, hang: usize, out: &mut String) {
        let mut chunks = Vec::new();
        let mut start = lo;
        for i in self.top_level(lo, hi) {
            if i > start && (self.is(i, "=") || self.is(i, "=>") || self.is(i, "->")) {
                chunks.push((start, i));
                start = i;
            }
            if self.is(i, ",") {
                chunks.push((start, i + 1));
                start = i + 1;
            }
        }
        if start < hi {
            chunks.push((start, hi));
        }
        let mut line = String::new();
        let mut line_indent = indent;
        for (a, b) in chunks {
            let text = self.flat(a, b);
            if line.is_empty() {
                line = text;
                continue;
            }
            let sep = if self.atoms[a].space { " " } else { "" };
            let width = text.chars().count();
            if line_indent + line.chars().count() + sep.len() + width <= MAX_WIDTH
                || indent + hang + width > MAX_WIDTH
            {
                line.push_str(sep);
                line.push_str(&text);
            } else {
                push_line(out, line_indent, &line);
                line = text;
                line_indent = indent + hang;
            }
        }
        if !line.is_empty() {
            push_line(out, line_indent, &line);
        }
    }
}

/// Whether `///{doc}` reads back as `#[doc = "{doc}"]`, and looks it: one line, without the
/// fourth `/` of an ordinary comment or trailing whitespace a reader cannot see.
pub fn comment_keeps(doc: &str) -> bool {
    !doc.starts_with('/')
        && !doc.ends_with(char::is_whitespace)
        && !doc.chars().any(|c| c.is_control() && c != '\t')
}

fn push_line(out: &mut String, indent: usize, text: &str) {
    out.extend(std::iter::repeat_n(' ', indent));
    out.push_str(text);
    out.push('\n');
}

/// The tokens as a flat list: groups become their delimiters around their contents, and
/// punctuation joined to the next character (`::`, `->`, `=>`) one operator. Each atom's text is
/// appended to `text`.
fn flatten(tokens: TokenStream, text: &mut String, atoms: &mut Vec<Atom>) {
    use std::fmt::Write;
    let push = |text: &mut String, atoms: &mut Vec<Atom>, start: usize, kind| {
        atoms.push(Atom {
            start,
            end: text.len(),
            kind,
            role: Role::Plain,
            space: false,
        });
    };
    let mut joint = false;
    for tree in tokens {
        let was_joint = std::mem::take(&mut joint);
        let start = text.len();
        match tree {
            TokenTree::Group(g) => {
                let delimiter = g.delimiter();
                // The group is dropped before its contents are walked, so that they are moved
                // out of the stream rather than copied where nothing else holds them.
                let contents = g.stream();
                drop(g);
                let (open, close) = match delimiter {
                    Delimiter::Parenthesis => ('(', ')'),
                    Delimiter::Brace => ('{', '}'),
                    Delimiter::Bracket => ('[', ']'),
                    Delimiter::None => {
                        flatten(contents, text, atoms);
                        continue;
                    }
                };
                text.push(open);
                push(text, atoms, start, Kind::Open(delimiter));
                flatten(contents, text, atoms);
                let start = text.len();
                text.push(close);
                push(text, atoms, start, Kind::Close(delimiter));
            }
            TokenTree::Ident(i) => {
                let _ = write!(text, "{i}");
                push(text, atoms, start, Kind::Ident);
            }
            TokenTree::Literal(l) => {
                let _ = write!(text, "{l}");
                push(text, atoms, start, Kind::Literal);
            }
            TokenTree::Punct(p) => {
                joint = p.spacing() == Spacing::Joint && p.as_char() != '\'';
                text.push(p.as_char());
                // The previous atom's text ends where this one starts: a joint operator grows.
                match atoms.last_mut() {
                    Some(last) if was_joint && last.kind == Kind::Punct => last.end = text.len(),
                    _ => push(text, atoms, start, Kind::Punct),
                }
                if p.as_char() == '\'' {
                    // A lifetime's quote and name are printed together.
                    if let Some(last) = atoms.last_mut() {
                        last.role = Role::Prefix;
                    }
                }
            }
        }
    }
}

/// Decides the roles of `<`, `>`, `&`, `-`, `!` and `*` and the space before every atom, as
/// rustfmt spaces the types and expressions these macros take.
fn space(text: &str, atoms: &mut Vec<Atom>) {
    let mut depth = 0usize;
    let mut i = 0;
    while i < atoms.len() {
        let prev = i.checked_sub(1).map(|p| (atoms[p].kind, atoms[p].role));
        if atoms[i].kind == Kind::Punct {
            let op = &text[atoms[i].start..atoms[i].end];
            if op.starts_with('>') && depth > 0 {
                // An operator starting with `>` (`>>`, `>=`) closes an open generic with its
                // first character; the rest is looked at as an atom of its own.
                depth -= 1;
                let rest = Atom {
                    start: atoms[i].start + 1,
                    ..atoms[i]
                };
                atoms[i].end = rest.start;
                atoms[i].role = Role::GenericClose;
                if rest.start < rest.end {
                    atoms.insert(i + 1, rest);
                }
            } else if op == "<" && !matches!(prev, Some((Kind::Literal | Kind::Close(_), _))) {
                // In a macro's arguments `<` opens the generics of a type (`Vec<T>`), and is
                // taken for a comparison only after a value.
                depth += 1;
                atoms[i].role = Role::GenericOpen;
            } else if matches!(op, "&" | "&&" | "-" | "!" | "*")
                && match prev {
                    None | Some((Kind::Open(_), _)) => true,
                    Some((Kind::Punct, role)) => role != Role::GenericClose,
                    // After a word of the macro's grammar (`pages of &T`) `&` is a reference.
                    Some((Kind::Ident, _)) => op.starts_with('&'),
                    _ => false,
                }
            {
                atoms[i].role = Role::Prefix;
            }
        }
        i += 1;
    }
    for i in 1..atoms.len() {
        let view = Atoms { text, atoms };
        let space = space_between(&view, i - 1, i);
        atoms[i].space = space;
    }
}

fn space_between(atoms: &Atoms, p: usize, c: usize) -> bool {
    use Kind::*;
    let (prev, cur) = (&atoms.atoms[p], &atoms.atoms[c]);
    let prev_punct = |t: &str| atoms.is(p, t);
    let cur_is = |t: &str| atoms.is(c, t);
    match (prev.kind, cur.kind) {
        (Open(Delimiter::Brace), Close(Delimiter::Brace)) => false,
        (Open(Delimiter::Brace), _) | (_, Close(Delimiter::Brace)) => true,
        (Open(_), _) | (_, Close(_)) => false,
        _ if prev.role == Role::Prefix || prev.role == Role::GenericOpen => false,
        _ if cur.role == Role::GenericOpen || cur.role == Role::GenericClose => false,
        _ if prev_punct("::") || prev_punct("#") || prev_punct("$") || prev_punct("@") => false,
        _ if prev_punct(".") || cur_is(".") => false,
        _ if prev_punct("!") && prev.role == Role::Plain => false,
        (_, Punct) if cur_is(",") || cur_is(";") || cur_is(":") || cur_is("?") => false,
        (Ident, Punct) if cur_is("!") => false,
        (Ident | Close(_), Punct) if cur_is("::") => false,
        (Punct, Punct) if prev.role == Role::GenericClose && cur_is("::") => false,
        (Ident, Open(Delimiter::Parenthesis)) => false,
        (Punct, Open(Delimiter::Parenthesis)) if prev.role == Role::GenericClose => false,
        (Punct, Open(Delimiter::Parenthesis | Delimiter::Bracket)) if prev_punct("!") => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::{quote, ToTokens};

    fn layout(tokens: TokenStream) -> String {
        let mut found = pieces(tokens.clone());
        let (Some(Piece::Macro(trees)), None) = (found.pop(), found.pop()) else {
            panic!("not one invocation")
        };
        let text = item_macro(trees);
        let back: syn::ItemMacro = syn::parse_str(&text).expect("parses back");
        assert!(
            same_tokens(back.to_token_stream(), tokens),
            "same tokens:\n{text}"
        );
        text
    }

    #[test]
    fn types_and_paths_are_spaced_as_rustfmt_spaces_them() {
        let ty = quote!(Option<&crate::models::ConversationId>);
        let text = layout(quote! {
            crate::runtime::call::request_builder!(X -> Vec<Vec<#ty>>, pages of &[u8]);
        });
        assert_eq!(
            text,
            "crate::runtime::call::request_builder!(
    X -> Vec<Vec<Option<&crate::models::ConversationId>>>, pages of &[u8]
);
"
        );
        let text = layout(quote! {
            crate::runtime::macros::id!(AgentId(uuid::Uuid));
        });
        assert_eq!(text, "crate::runtime::macros::id!(AgentId(uuid::Uuid));\n");
    }

    #[test]
    fn a_block_has_one_entry_per_line_and_doc_comments() {
        let doc = " Sets it.";
        let text = layout(quote! {
            #[cfg(any(feature = "a", feature = "b"))]
            crate::runtime::macros::model!(Agent {
                new(created_at: crate::DateTime, id: AgentId);
                #[doc = #doc]
                #[deprecated]
                with_emails emails: Vec<String>;
                with_name name: Box<Name>;
            });
        });
        assert_eq!(
            text,
            r#"#[cfg(any(feature = "a", feature = "b"))]
crate::runtime::macros::model!(Agent {
    new(created_at: crate::DateTime, id: AgentId);
    /// Sets it.
    #[deprecated]
    with_emails emails: Vec<String>;
    with_name name: Box<Name>;
});
"#
        );
    }

    #[test]
    fn nested_blocks_are_indented_and_comma_lists_split_at_commas() {
        let text = layout(quote! {
            crate::runtime::macros::tagged_union_helpers!(U {
                from { A(A); B(Box<B>); }
                fields { id -> Option<&Id> = ref [A some, B opt]; }
                new {}
            });
        });
        assert_eq!(
            text,
            "crate::runtime::macros::tagged_union_helpers!(U {
    from {
        A(A);
        B(Box<B>);
    }
    fields {
        id -> Option<&Id> = ref [A some, B opt];
    }
    new {}
});
"
        );
        let text = layout(quote! {
            crate::runtime::macros::string_enum!(E { A = "a", B = "b" });
        });
        assert_eq!(
            text,
            "crate::runtime::macros::string_enum!(E {\n    A = \"a\",\n    B = \"b\"\n});\n"
        );
    }

    #[test]
    fn long_entries_break_their_widest_list_or_fill() {
        let long = "A".repeat(40);
        let v = proc_macro2::Ident::new(&long, proc_macro2::Span::call_site());
        let text = layout(quote! {
            m!(N {
                new(first_argument: crate::DateTime, second_argument: String, third: Vec<String>, fourth_one: u8);
                #v(#v) = "a rather long tag of this variant", is_a_variant, as_a_variant;
            });
        });
        assert_eq!(
            text,
            format!(
                "m!(N {{
    new(
        first_argument: crate::DateTime,
        second_argument: String,
        third: Vec<String>,
        fourth_one: u8
    );
    {long}({long})
        = \"a rather long tag of this variant\", is_a_variant, as_a_variant;
}});
"
            )
        );
    }

    #[test]
    fn docs_that_a_comment_would_change_stay_attributes() {
        let text = layout(quote! {
            m!(N { #[doc = " trailing "] #[doc = "/ four slashes"] #[doc = "two\nlines"] a; });
        });
        assert_eq!(
            text,
            "m!(N {
    #[doc = \" trailing \"]
    #[doc = \"/ four slashes\"]
    #[doc = \"two\\nlines\"]
    a;
});
"
        );
    }

    #[test]
    fn same_tokens_compares_operators_but_not_meaningless_jointness() {
        let parse = |s: &str| s.parse::<TokenStream>().expect("tokens");
        assert!(same_tokens(
            parse("Vec<Vec<T>>;"),
            parse("Vec < Vec < T > > ;")
        ));
        assert!(same_tokens(parse("a -> b"), parse("a->b")));
        assert!(!same_tokens(parse("a -> b"), parse("a - > b")));
        assert!(!same_tokens(parse("a::b"), parse("a: :b")));
        assert!(!same_tokens(parse("m!(a)"), parse("m!(b)")));
        assert!(!same_tokens(parse("m!(a)"), parse("m![a]")));
    }

    #[test]
    fn a_file_is_cut_into_invocations_and_runs_of_other_items() {
        let file = quote! {
            #![doc = " A module."]
            #![allow(deprecated)]
            #[cfg(feature = "a")]
            crate::runtime::macros::id!(AgentId(uuid::Uuid));
            pub struct S { a: u8 }
            m!(S { a; });
            use a::{b, c};
            n!(x);
            const X: S = S { a: 1 };
            impl S { fn f() { g!(1); } }
            macro_rules! m { () => {}; }
            m! { a }
            o![a];
            ::p!(1);
            q!(1)
        };
        let cut = pieces(file.clone());
        let kinds: Vec<&str> = cut
            .iter()
            .map(|p| match p {
                Piece::Macro(_) => "macro",
                Piece::Definition(_) => "definition",
                Piece::Rust(_) => "rust",
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "rust",
                "macro",
                "definition",
                "macro",
                "rust",
                "macro",
                "rust",
                "macro",
                "rust"
            ]
        );
        // Nothing is lost or reordered.
        let joined: TokenStream = cut
            .into_iter()
            .flat_map(|p| match p {
                Piece::Macro(trees) | Piece::Definition(trees) => trees.into_iter().collect(),
                Piece::Rust(run) => run,
            })
            .collect();
        assert_eq!(joined.to_string(), file.to_string());
        let Some(Piece::Macro(trees)) = pieces(quote!(#[cfg(x)] a::b!(1);)).pop() else {
            panic!("an invocation")
        };
        assert_eq!(item_macro(trees), "#[cfg(x)]\na::b!(1);\n");
    }
}
