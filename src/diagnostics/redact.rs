//! Which source lines hold `internal:` values, so that diagnostics never show them.
//!
//! `internal:` holds what a council must not publish (contact persons' names). Records are
//! read from the YAML tree, which drops it, but a diagnostic prints the source line it points
//! at, and that line may be the `internal:` line itself (`internal: 山田太郎` is the wrong
//! type; a flow record `- { id: Bad_Id, internal: { contact: 山田太郎 } }` has a bad id on it)
//! or a line inside a block (a duplicate key there is a syntax error). Those lines are
//! replaced by a placeholder when rendered. GitHub annotations are public, and the `serve`
//! banner shows in a browser.
//!
//! The places come from the text, so that files that fail to parse are covered too, and
//! from the parsed tree when there is one ([`InternalValue`]), for keys the text scan cannot
//! recognise (`? internal`, escapes). Masking too much only hides context; too little leaks,
//! so every rule errs on the side of masking.

use std::collections::BTreeMap;

/// An `internal` key found in the parsed YAML tree: where the key is and the last line any
/// node of its value starts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InternalValue {
    pub line: u32,
    pub col: u32,
    pub last_line: u32,
}

/// For each masked line (1-based), the character column (1-based) from which it is hidden.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Masks {
    from: BTreeMap<u32, u32>,
}

impl Masks {
    /// The column from which line `line` is hidden, if it is.
    pub fn masked_from(&self, line: u32) -> Option<u32> {
        self.from.get(&line).copied()
    }

    fn mask(&mut self, line: u32, col: u32) {
        let col = col.max(1);
        self.from
            .entry(line)
            .and_modify(|c| *c = (*c).min(col))
            .or_insert(col);
    }
}

/// The masks of a file with `text`, given the `internal` keys its parsed tree has (if any).
pub fn masks(text: &str, tree: &[InternalValue]) -> Masks {
    let lines: Vec<&str> = text.lines().collect();
    let mut masks = Masks::default();
    let mut keys: Vec<(usize, usize)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        keys.extend(keys_in(line).into_iter().map(|b| (i, b)));
    }
    for (i, byte) in keys {
        let last = value_end(&lines, i, byte);
        mask_value(&mut masks, &lines, i, byte, last);
    }
    for value in tree {
        let i = value.line.saturating_sub(1) as usize;
        let Some(line) = lines.get(i) else { continue };
        let byte = char_to_byte(line, value.col);
        let last = value_end(&lines, i, byte).max(value.last_line.saturating_sub(1) as usize);
        mask_value(&mut masks, &lines, i, byte, last);
    }
    masks
}

/// Hides the key line from its value on (when a value or comment follows the colon there;
/// the key's name is no secret) and every line after it up to `last` (0-based indices) from
/// its indentation on.
fn mask_value(masks: &mut Masks, lines: &[&str], i: usize, key_byte: usize, last: usize) {
    let line = lines[i];
    let value_byte = match line[key_byte..].find(':') {
        Some(c) => {
            let after = &line[key_byte + c + 1..];
            line.len() - after.trim_start().len()
        }
        // `? internal` puts the colon on a later line: hide from the key.
        None => key_byte,
    };
    if value_byte < line.len() {
        masks.mask(i as u32 + 1, line[..value_byte].chars().count() as u32 + 1);
    }
    for (n, line) in lines.iter().enumerate().take(last + 1).skip(i + 1) {
        masks.mask(n as u32 + 1, indent_of(line) as u32 + 1);
    }
}

/// Byte offsets in `line` where a key `internal` (maybe quoted) followed by `:` starts. A word
/// that merely ends in "internal" is not one; anything else that looks like it is, even in a
/// string, is taken as one.
fn keys_in(line: &str) -> Vec<usize> {
    let mut found = Vec::new();
    for (at, _) in line.match_indices("internal") {
        let before = line[..at].chars().next_back();
        let quoted = matches!(before, Some('"' | '\''));
        let start = if quoted { at - 1 } else { at };
        let word_char = |c: char| c.is_alphanumeric() || c == '_';
        if line[..start].chars().next_back().is_some_and(word_char) {
            continue;
        }
        let mut rest = &line[at + "internal".len()..];
        if quoted {
            rest = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
        }
        if rest.trim_start().starts_with(':') {
            found.push(start);
        }
    }
    found
}

/// The 0-based index of the last line of the value of the key at `key_byte` in line `i`.
fn value_end(lines: &[&str], i: usize, key_byte: usize) -> usize {
    let line = lines[i];
    let Some(colon) = line[key_byte..].find(':').map(|c| key_byte + c + 1) else {
        return block_end(lines, i, indent_of(line));
    };
    let value = line[colon..].trim_start();
    let flow_end = || flow_end(lines, i, colon);
    if starts_block_key(line, key_byte) {
        let block = block_end(lines, i, line[..key_byte].chars().count());
        if value.starts_with(['{', '[', '"', '\'']) {
            block.max(flow_end())
        } else {
            block
        }
    } else {
        // A key inside a flow collection (`{ id: x, internal: … }`): its value, even a plain
        // scalar over several lines, ends at the next `,` or closing bracket.
        flow_end()
    }
}

/// Whether the key at `key_byte` is the first thing on its line but indentation and `- ` or
/// `? ` indicators: a key of a block mapping.
fn starts_block_key(line: &str, key_byte: usize) -> bool {
    line[..key_byte]
        .chars()
        .all(|c| c == ' ' || c == '-' || c == '?' || c == '\t')
}

fn indent_of(line: &str) -> usize {
    line.chars().take_while(|&c| c == ' ').count()
}

/// The last line of a block value whose key is at column `key_col` (0-based): YAML ends it
/// at the first line with content indented no further than the key, but a `- ` sequence may
/// sit at the key's own indentation. Blank lines and comments do not end it.
fn block_end(lines: &[&str], i: usize, key_col: usize) -> usize {
    let mut last = i;
    for (n, line) in lines.iter().enumerate().skip(i + 1) {
        let content = line.trim_start();
        if content.is_empty() {
            continue;
        }
        let indent = indent_of(line);
        let sequence_item = content == "-" || content.starts_with("- ");
        let comment = content.starts_with('#');
        if !comment && (indent < key_col || (indent == key_col && !sequence_item)) {
            break;
        }
        last = n;
    }
    last
}

/// The last line of a flow value (or quoted scalar) starting at `byte` of line `i`: where a
/// `,`, `}` or `]` closes it at depth 0, outside quotes and comments. An unclosed value runs
/// to the end of the file.
fn flow_end(lines: &[&str], i: usize, byte: usize) -> usize {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (n, line) in lines.iter().enumerate().skip(i) {
        let text = if n == i { &line[byte..] } else { line };
        let mut chars = text.chars().peekable();
        let mut previous = ' ';
        while let Some(c) = chars.next() {
            match (quote, c) {
                (Some('"'), '\\') => {
                    chars.next();
                }
                (Some(q), c) if c == q => {
                    // '' inside a single-quoted scalar is an escaped quote.
                    if q == '\'' && chars.peek() == Some(&'\'') {
                        chars.next();
                    } else {
                        quote = None;
                        if depth == 0 {
                            return n;
                        }
                    }
                }
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') if previous.is_whitespace() => break,
                (None, '{' | '[') => depth += 1,
                (None, '}' | ']') if depth <= 1 => return n,
                (None, '}' | ']') => depth -= 1,
                (None, ',') if depth == 0 => return n,
                _ => {}
            }
            previous = c;
        }
    }
    lines.len().saturating_sub(1)
}

fn char_to_byte(line: &str, col: u32) -> usize {
    line.char_indices()
        .nth(col.saturating_sub(1) as usize)
        .map_or(line.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str) -> Vec<(u32, u32)> {
        masks(text, &[]).from.into_iter().collect()
    }

    #[test]
    fn an_inline_value_is_hidden_from_the_value_on() {
        let text = "records:\n  - id: x\n    internal: { contact: 山田 }\n    name: y\n";
        assert_eq!(masked(text), vec![(3, 15)]);
    }

    #[test]
    fn a_block_value_is_hidden_to_its_end() {
        let text = "records:\n  - id: x\n    internal:\n      contact: 山田\n\n      note: |\n        山田\n\n    name: y\n  - id: z\n";
        // The key line itself holds nothing and stays; blank lines inside the block are
        // hidden too, which shows nothing anyway.
        assert_eq!(masked(text), vec![(4, 7), (5, 1), (6, 7), (7, 9)]);
    }

    #[test]
    fn a_sequence_at_the_keys_indentation_belongs_to_it() {
        let text = "internal:\n- 山田\n# a comment\n- 田中\nname: y\n";
        assert_eq!(masked(text), vec![(2, 1), (3, 1), (4, 1)]);
    }

    #[test]
    fn a_flow_record_is_hidden_from_the_internal_value_on() {
        let text = "records:\n  - { id: Bad, internal: { contact: 山田 } }\n  - { id: next }\n";
        assert_eq!(masked(text), vec![(2, 26)]);
        let text =
            "records:\n  - { id: Bad, internal: {\n      contact: 山田 } }\n  - { id: next }\n";
        assert_eq!(masked(text), vec![(2, 26), (3, 7)]);
        let text = "records:\n  - { id: Bad, \"internal\": {\n      contact: '山田, }' } }\n  - { id: next }\n";
        assert_eq!(masked(text), vec![(2, 28), (3, 7)]);
    }

    #[test]
    fn a_flow_value_of_a_block_key_may_span_lines() {
        let text = "a:\n  internal: { contact: 山田,\n  note: x }\n  name: y\n";
        assert_eq!(masked(text), vec![(2, 13), (3, 3)]);
    }

    #[test]
    fn words_ending_in_internal_are_not_keys() {
        assert!(masked("uninternal: x\nname: internal\nnote: the internal rule\n").is_empty());
        assert_eq!(masked("x_internal: 1\n-internal: 2\n"), vec![(2, 12)]);
    }

    #[test]
    fn the_tree_adds_keys_the_text_does_not_show() {
        let text = "? internal\n: 山田\nname: y\n";
        let tree = [InternalValue {
            line: 1,
            col: 3,
            last_line: 2,
        }];
        assert_eq!(
            masks(text, &tree).from.into_iter().collect::<Vec<_>>(),
            vec![(1, 3), (2, 1)]
        );
    }

    proptest::proptest! {
        /// Any text, any tree position: masks are made without panicking.
        #[test]
        fn any_text_is_masked_without_panicking(
            text in "(internal|[ \n{}\\[\\],:'\"#\\\\a-]|山田){0,40}",
            line in 0u32..12,
            col in 0u32..30,
        ) {
            let _ = masks(&text, &[InternalValue { line, col, last_line: line + 1 }]);
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "internal",
            "internal:",
            "\"internal\":",
            "internal: {",
            "internal: '",
            "内internal: x",
            "- internal: \"\\",
        ] {
            let _ = masks(
                text,
                &[InternalValue {
                    line: 9,
                    col: 99,
                    last_line: 0,
                }],
            );
        }
    }
}
