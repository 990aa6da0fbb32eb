//! The spec's YAML read on several threads.
//!
//! Reading the YAML is the largest single step of a run (half of the instructions before
//! rendering), and one YAML parser reads one text from start to end. A spec written in block style
//! is a mapping whose entries start at a known indentation, though: the text of `paths`' entries,
//! or of `components.schemas`' entries, is a YAML document of its own once cut at the lines where
//! those keys start. This module cuts the text there (descending into an entry only when it is large
//! and its value is a block mapping), parses the pieces on the machine's cores and puts the
//! mappings back together.
//!
//! Cutting never decides what the YAML means; the parser does, on every piece. Anything the cutting
//! rules do not expect (a document marker, a flow collection, a complex key, a line less indented
//! than its siblings, a piece that does not parse, a key twice) makes [`parse`] answer `None`, and
//! the caller parses the text whole, which is also what reports errors with their line and column.
//! In block YAML a value's continuation lines are more indented than its key, so a line at a key's
//! indentation starts a new key (or, after a `key:` line, a sequence item at the key's
//! indentation, which the cutting keeps with its key); a cut inside a quoted or flow scalar would
//! leave it unterminated and fail that piece's parse.

use serde_json::{Map, Value};
use std::ops::Range;

/// Texts smaller than this are parsed whole: starting threads would cost more than they save.
const MIN_LEN: usize = 64 * 1024;

/// How many pieces of about equal size the text is cut into (a fixed number, so that the cuts do
/// not depend on the machine; the pool spreads them over its cores).
const PIECES: usize = 16;

/// Parses `text` as a YAML mapping in pieces on several threads, or answers `None` when it is small
/// or not written the way the cutting expects (see the module documentation).
pub fn parse(text: &str) -> Option<Value> {
    if text.len() < MIN_LEN {
        return None;
    }
    parse_in_pieces_of(text, (text.len() / PIECES).max(1))
}

/// [`parse`] with pieces of at most `target` bytes where the text allows.
fn parse_in_pieces_of(text: &str, target: usize) -> Option<Value> {
    let lines = Lines::of(text);
    let root = lines.entries(0..lines.starts.len(), 0)?;
    let pieces = lines.pieces(&root, target);
    let mut ranges = Vec::new();
    collect_ranges(&pieces, &mut ranges);
    if ranges.len() < 2 {
        return None;
    }
    let parsed = crate::parallel::map(&ranges, |range| {
        serde_yaml::from_str::<Value>(&text[range.clone()]).ok()
    })?;
    let mut parsed = parsed.into_iter();
    let map = assemble(&pieces, &mut parsed)?;
    Some(Value::Object(map))
}

/// The lines of the text: where each starts, its indentation, and whether it holds anything but
/// spaces and a comment.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    indents: Vec<usize>,
    content: Vec<bool>,
}

/// One entry of a block mapping: the line of its key and its text (from the previous entry's end,
/// so comments before a key travel with it, to the next entry's start).
struct Entry {
    key_line: usize,
    lines: Range<usize>,
}

/// The text, cut: a run of whole entries parsed as one piece, or a large entry whose value is
/// assembled from pieces of its own.
enum Piece {
    Text(Range<usize>),
    Nested { key: String, pieces: Vec<Piece> },
}

impl<'a> Lines<'a> {
    fn of(text: &'a str) -> Self {
        let mut lines = Lines {
            text,
            starts: Vec::new(),
            indents: Vec::new(),
            content: Vec::new(),
        };
        // Only the start of a line decides its indentation and whether it holds anything; the
        // rest is skipped.
        let bytes = text.as_bytes();
        // The line ends are found with SIMD (`memchr`, already built for serde_json): this scan
        // is the one part of reading the spec that runs on one core.
        let mut ends = memchr::memchr_iter(b'\n', bytes);
        let mut start = 0;
        while start < bytes.len() {
            let indent = bytes[start..].iter().take_while(|&&b| b == b' ').count();
            let first = bytes.get(start + indent).copied();
            lines.starts.push(start);
            lines.indents.push(indent);
            lines
                .content
                .push(!matches!(first, None | Some(b'\n' | b'\r' | b'#')));
            // Indentation is spaces, so the next line end is the first after `start`.
            start = ends.next().map_or(bytes.len(), |end| end + 1);
        }
        lines
    }

    /// Byte offset where line `i` starts (the text's end for the line after the last).
    fn offset(&self, i: usize) -> usize {
        self.starts.get(i).copied().unwrap_or(self.text.len())
    }

    /// Line `i` without its indentation and line end.
    fn rest(&self, i: usize) -> &'a str {
        self.text[self.offset(i)..self.offset(i + 1)][self.indents[i]..].trim_end()
    }

    /// The entries of the block mapping written on `lines` with its keys at `indent`, or `None`
    /// when the lines are not such a mapping.
    fn entries(&self, lines: Range<usize>, indent: usize) -> Option<Vec<Entry>> {
        let mut keys = Vec::new();
        for i in lines.clone().filter(|&i| self.content[i]) {
            if self.indents[i] < indent {
                return None;
            }
            if self.indents[i] > indent {
                continue;
            }
            let rest = self.rest(i);
            let sequence_item = rest == "-" || rest.starts_with("- ");
            if sequence_item && !keys.is_empty() {
                // A sequence may sit at its key's indentation: it belongs to the key above.
                continue;
            }
            if sequence_item || !starts_plain_key(rest) {
                return None;
            }
            keys.push(i);
        }
        let first = *keys.first()?;
        let mut entries = Vec::with_capacity(keys.len());
        for (n, &key_line) in keys.iter().enumerate() {
            let start = if n == 0 {
                lines.start.min(first)
            } else {
                key_line
            };
            let end = keys.get(n + 1).copied().unwrap_or(lines.end);
            entries.push(Entry {
                key_line,
                lines: start..end,
            });
        }
        Some(entries)
    }

    /// The byte range of some lines.
    fn bytes(&self, lines: &Range<usize>) -> Range<usize> {
        self.offset(lines.start)..self.offset(lines.end)
    }

    /// Cuts a run of entries into pieces of at most `target` bytes where it can.
    fn pieces(&self, entries: &[Entry], target: usize) -> Vec<Piece> {
        let mut out = Vec::new();
        let mut run: Option<Range<usize>> = None;
        for entry in entries {
            let bytes = self.bytes(&entry.lines);
            if bytes.len() > target {
                if let Some(nested) = self.nested(entry, target) {
                    out.extend(run.take().map(Piece::Text));
                    out.push(nested);
                    continue;
                }
            }
            run = match run.take() {
                Some(r) if bytes.end - r.start <= target => Some(r.start..bytes.end),
                Some(r) => {
                    out.push(Piece::Text(r));
                    Some(bytes)
                }
                None => Some(bytes),
            };
        }
        out.extend(run.map(Piece::Text));
        out
    }

    /// A large entry whose value is a block mapping, cut into the pieces of that mapping; `None`
    /// when its value is anything else (it is then parsed as one piece).
    fn nested(&self, entry: &Entry, target: usize) -> Option<Piece> {
        let rest = self.rest(entry.key_line);
        if !rest.ends_with(':') {
            return None;
        }
        // The key is whatever the parser makes of the key line alone, quoting included.
        let Ok(Value::Object(key_line)) = serde_yaml::from_str::<Value>(rest) else {
            return None;
        };
        let (key, value) = key_line.into_iter().next()?;
        if !value.is_null() {
            return None;
        }
        let body = entry.key_line + 1..entry.lines.end;
        let first = body.clone().find(|&i| self.content[i])?;
        let indent = self.indents[first];
        if indent <= self.indents[entry.key_line] {
            return None;
        }
        let entries = self.entries(body, indent)?;
        Some(Piece::Nested {
            key,
            pieces: self.pieces(&entries, target),
        })
    }
}

/// Whether a line that starts at its mapping's indentation can start a key: not a document marker,
/// directive, flow collection, anchor, alias, tag, block scalar or complex key, which the cutting
/// leaves to a whole parse.
fn starts_plain_key(rest: &str) -> bool {
    if rest.starts_with("---") || rest.starts_with("...") || rest.starts_with("? ") || rest == "?" {
        return false;
    }
    !rest.starts_with([
        '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', '%', '@', '`', '\t',
    ])
}

fn collect_ranges(pieces: &[Piece], out: &mut Vec<Range<usize>>) {
    for piece in pieces {
        match piece {
            Piece::Text(range) => out.push(range.clone()),
            Piece::Nested { pieces, .. } => collect_ranges(pieces, out),
        }
    }
}

/// Puts the parsed pieces back together in the text's order; `None` when a piece did not parse to
/// a mapping or a key appears in two pieces.
fn assemble(
    pieces: &[Piece],
    parsed: &mut impl Iterator<Item = Option<Value>>,
) -> Option<Map<String, Value>> {
    let mut map = Map::new();
    for piece in pieces {
        let entries = match piece {
            Piece::Text(_) => match parsed.next()?? {
                Value::Object(entries) => entries,
                _ => return None,
            },
            Piece::Nested { key, pieces } => {
                let value = Value::Object(assemble(pieces, parsed)?);
                Map::from_iter([(key.clone(), value)])
            }
        };
        for (key, value) in entries {
            if map.insert(key, value).is_some() {
                return None;
            }
        }
    }
    Some(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text large enough to be cut, with `body` repeated under many keys of `paths` and of
    /// `components.schemas`.
    fn big(body: &str) -> String {
        let mut text = String::from("openapi: 3.0.3\ninfo:\n  title: t\n  version: v\npaths:\n");
        for i in 0..400 {
            text.push_str(&format!("  /p{i}:\n    get:\n{body}"));
        }
        text.push_str("components:\n  schemas:\n");
        for i in 0..400 {
            text.push_str(&format!("    S{i}:\n      type: object\n      description: |\n        line one: not a key\n\n        line two\n"));
        }
        text
    }

    fn whole(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    const BODY: &str = "      summary: \"a quoted: value\"\n      responses:\n        '200':\n          description: ok\n      tags:\n      - one\n      - two\n";

    #[test]
    fn pieces_assemble_to_the_whole_parse() {
        let text = big(BODY);
        assert!(text.len() > MIN_LEN);
        let lines = Lines::of(&text);
        let root = lines.entries(0..lines.starts.len(), 0).unwrap();
        let pieces = lines.pieces(&root, text.len() / PIECES);
        let mut ranges = Vec::new();
        collect_ranges(&pieces, &mut ranges);
        assert!(ranges.len() >= PIECES / 2, "{} pieces", ranges.len());
        assert_eq!(parse(&text), Some(whole(&text)));
        assert_eq!(parse_in_pieces_of(&text, 1), Some(whole(&text)));
    }

    #[test]
    fn small_texts_are_left_to_the_whole_parse() {
        assert_eq!(parse("openapi: 3.0.3\npaths: {}\n"), None);
    }

    #[test]
    fn texts_the_rules_do_not_expect_are_left_to_the_whole_parse() {
        let text = big(BODY);
        let anchored = text
            .replacen("  /p0:\n    get:\n", "  /p0:\n    get: &op\n", 1)
            .replacen("components:\n", "  /q:\n    get: *op\ncomponents:\n", 1);
        // The anchor is defined in one piece and used in another: the whole parse reads it.
        assert!(serde_yaml::from_str::<Value>(&anchored).is_ok());
        for odd in [
            format!("---\n{text}"),
            format!("{{a: 1}}\n{text}"),
            anchored,
        ] {
            assert_eq!(parse(&odd), None, "{}", &odd[..40]);
        }
    }

    #[test]
    fn a_cut_inside_a_quoted_scalar_fails_that_piece_and_the_whole() {
        // A double-quoted value whose continuation sits at a key's indentation, which libyaml
        // reads as part of the string: the cut there leaves the quote unterminated.
        let text = big(BODY).replacen(
            "  /p200:\n    get:\n      summary: \"a quoted: value\"\n",
            "  /p200:\n    get:\n      summary: \"a quoted\n  /looks_like: a key\"\n",
            1,
        );
        let whole = whole(&text);
        assert_eq!(
            whole["paths"]["/p200"]["get"]["summary"],
            "a quoted /looks_like: a key"
        );
        // Pieces of one byte cut at every line that looks like a key, that one included.
        assert_eq!(parse_in_pieces_of(&text, 1), None);
        assert!(parse(&text).is_none() || parse(&text) == Some(whole));
    }

    #[test]
    fn a_key_in_two_pieces_is_left_to_the_whole_parse() {
        let text = format!("{}paths:\n  /again:\n    get: {{}}\n", big(BODY));
        assert_eq!(parse(&text), None);
    }

    #[test]
    fn a_sequence_at_its_keys_indentation_stays_with_its_key() {
        let text = format!("servers:\n- url: a\n- url: b\n{}", big(BODY));
        assert_eq!(parse_in_pieces_of(&text, 1), Some(whole(&text)));
    }

    #[test]
    fn the_beta_spec_parses_the_same_in_pieces() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/dixa-api.yaml");
        let text = std::fs::read_to_string(path).unwrap();
        assert_eq!(parse(&text), Some(whole(&text)));
        assert_eq!(parse_in_pieces_of(&text, 1), Some(whole(&text)));
    }
}
