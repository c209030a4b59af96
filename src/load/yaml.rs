//! YAML with a span on every value and every key.
//!
//! Files are parsed by serde-saphyr into `Spanned` values and turned into a small tree of
//! [`Node`]s. Typed decoding happens afterwards (see `registry::decode`), field by field, so
//! that one run reports every wrong field of every record instead of stopping at the first
//! error as a derived `Deserialize` would.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::diagnostics::{Code, Diagnostic, FileId, InternalValue, Span};

/// A YAML value with where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    /// `raw` keeps the text as written: `yes` is a boolean to YAML but may be meant as text.
    Bool {
        value: bool,
        raw: Box<str>,
    },
    /// `raw` keeps the text as written, so `0878392860` or `011002` can still be read as text.
    Number {
        value: f64,
        raw: Box<str>,
    },
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Span,
}

impl Node {
    /// What the value is, in words, for "expected X, found Y" messages.
    pub fn describe(&self) -> &'static str {
        match self.value {
            Value::Null => "nothing",
            Value::Bool { .. } => "a true/false value",
            Value::Number { .. } => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    pub fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }
}

/// What serde-saphyr hands us: the same tree, with its own location type.
enum RawValue {
    Null,
    Bool(bool),
    Number(f64),
    Str(String),
    Seq(Vec<Spanned<RawValue>>),
    Map(Vec<(Spanned<String>, Spanned<RawValue>)>),
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RawVisitor;
        impl<'de> Visitor<'de> for RawVisitor {
            type Value = RawValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E>(self) -> Result<RawValue, E> {
                Ok(RawValue::Null)
            }
            fn visit_none<E>(self) -> Result<RawValue, E> {
                Ok(RawValue::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawValue, D::Error> {
                RawValue::deserialize(d)
            }
            fn visit_bool<E>(self, v: bool) -> Result<RawValue, E> {
                Ok(RawValue::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<RawValue, E> {
                Ok(RawValue::Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<RawValue, E> {
                Ok(RawValue::Number(v as f64))
            }
            fn visit_i128<E>(self, v: i128) -> Result<RawValue, E> {
                Ok(RawValue::Number(v as f64))
            }
            fn visit_u128<E>(self, v: u128) -> Result<RawValue, E> {
                Ok(RawValue::Number(v as f64))
            }
            fn visit_f64<E>(self, v: f64) -> Result<RawValue, E> {
                Ok(RawValue::Number(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<RawValue, E> {
                Ok(RawValue::Str(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<RawValue, E> {
                Ok(RawValue::Str(v))
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<RawValue, E> {
                Ok(RawValue::Str(String::from_utf8_lossy(v).into_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawValue, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(RawValue::Seq(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawValue, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(key) = map.next_key::<Spanned<KeyText>>()? {
                    let value = map.next_value()?;
                    let key = Spanned::new(key.value.0, key.referenced, key.defined);
                    entries.push((key, value));
                }
                Ok(RawValue::Map(entries))
            }
        }
        deserializer.deserialize_any(RawVisitor)
    }
}

/// A mapping key read as text whatever its YAML type (`1:` or `yes:` are keys too).
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = KeyText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping key")
            }
            fn visit_str<E>(self, v: &str) -> Result<KeyText, E> {
                Ok(KeyText(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<KeyText, E> {
                Ok(KeyText(v))
            }
            fn visit_bool<E>(self, v: bool) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<KeyText, E> {
                Ok(KeyText(String::new()))
            }
            fn visit_none<E>(self) -> Result<KeyText, E> {
                Ok(KeyText(String::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<KeyText, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(KeyText("[…]".to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeyText, A::Error> {
                while map
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(KeyText("{…}".to_owned()))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

/// Options for every YAML file we read. The budgets grow with the file (a registry may hold
/// tens of thousands of records: each node takes at least a byte of input), while the parser's
/// nesting and alias limits stay on, so hostile input gives a diagnostic instead of exhausting
/// memory or the stack. Comments are not needed and not kept.
fn options(input_len: usize) -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    if let Some(budget) = options.budget.as_mut() {
        budget.max_events = budget.max_events.max(input_len.saturating_mul(2));
        budget.max_nodes = budget.max_nodes.max(input_len);
        budget.max_total_scalar_bytes = budget
            .max_total_scalar_bytes
            .max(input_len.saturating_mul(2));
        budget.max_reader_input_bytes = None;
    }
    options.emit_comments = false;
    options.with_snippet = false;
    options
}

/// Parses `text` into a [`Node`] tree. An empty document is `Null`.
pub fn parse(text: &str, file: FileId) -> Result<Node, Diagnostic> {
    let raw: Option<Spanned<RawValue>> =
        serde_saphyr::from_str_with_options(text, options(text.len()))
            .map_err(|e| syntax_error(e.without_snippet(), text, file))?;
    let Some(raw) = raw else {
        return Ok(Node {
            value: Value::Null,
            span: Span {
                file,
                line: 1,
                col: 1,
                len: 0,
            },
        });
    };
    let lines = LineIndex::new(text);
    Ok(convert(raw, file, text, &lines))
}

/// The diagnostic for a file serde-saphyr refused, in the words of [`StaffMessages`].
fn syntax_error(e: &serde_saphyr::Error, text: &str, file: FileId) -> Diagnostic {
    let span = e.location().map(|l| Span {
        file,
        line: l.line().max(1) as u32,
        col: l.column().max(1) as u32,
        len: 1,
    });
    if let serde_saphyr::Error::DuplicateMappingKey { key, .. } = e {
        return duplicate_key(key.as_deref(), span, text, file);
    }
    let message = clean_error_message(&e.render_with_formatter(&StaffMessages));
    Diagnostic::new(Code::YamlSyntax, span, format!("YAML syntax error: {message}"))
        .help("check the indentation and the quotes around this place; values that contain `: ` or start with `{`, `[`, `*`, `&`, `!`, `|`, `>`, `%` or `@` need quotes")
}

/// A key written twice in one mapping, with a note at its first occurrence when it can be found.
fn duplicate_key(key: Option<&str>, span: Option<Span>, text: &str, file: FileId) -> Diagnostic {
    let message = match key {
        // Field names are ASCII; any other key (say a person's name inside `internal:`)
        // is not repeated in a message that CI logs may show.
        Some(k) if k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') => {
            format!("key `{k}` appears twice in this mapping")
        }
        _ => "a key appears twice in this mapping".to_owned(),
    };
    let span = span.map(|s| Span {
        len: key.map_or(1, |k| k.chars().count() as u32),
        ..s
    });
    let mut d = Diagnostic::new(Code::YamlSyntax, span, message)
        .label("second time")
        .help("a mapping holds each key once: delete one of the two lines, or, if the second belongs to the next record, start that record with `- `");
    if let Some(first) = span.and_then(|at| first_occurrence(text, file, at)) {
        d = d.note(first, "first here");
    }
    d
}

/// Where the key duplicated at `at` was first written. serde-saphyr's error names only the
/// second place, so the file is parsed again keeping both entries (`LastWins` passes
/// duplicate text keys through to our visitor); only files with this error pay for it.
fn first_occurrence(text: &str, file: FileId, at: Span) -> Option<Span> {
    let mut options = options(text.len());
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::LastWins;
    let raw: Option<Spanned<RawValue>> = serde_saphyr::from_str_with_options(text, options).ok()?;
    let node = convert(raw?, file, text, &LineIndex::new(text));
    earlier_key(&node, at)
}

/// The span of the earlier key with the same name in the mapping that has a key at `at`.
fn earlier_key(node: &Node, at: Span) -> Option<Span> {
    match &node.value {
        Value::Seq(items) => items.iter().find_map(|n| earlier_key(n, at)),
        Value::Map(entries) => {
            let here = entries
                .iter()
                .position(|(k, _)| (k.span.line, k.span.col) == (at.line, at.col));
            let earlier = here.and_then(|i| {
                let name = &entries[i].0.name;
                entries[..i].iter().find(|(k, _)| &k.name == name)
            });
            match earlier {
                Some((k, _)) => Some(k.span),
                None => entries.iter().find_map(|(_, v)| earlier_key(v, at)),
            }
        }
        _ => None,
    }
}

/// serde-saphyr's messages in words for council staff: its defaults name its own API
/// ("set DuplicateKeyPolicy in Options", "use from_str_multiple") and internals
/// ("budget breached: Nodes { nodes: 250001 }"), which mean nothing to someone editing a file.
struct StaffMessages;

impl serde_saphyr::MessageFormatter for StaffMessages {
    fn format_message<'a>(&self, err: &'a serde_saphyr::Error) -> std::borrow::Cow<'a, str> {
        use serde_saphyr::Error as E;
        match err {
            E::Budget { .. }
            | E::AliasReplayCounterOverflow { .. }
            | E::AliasReplayLimitExceeded { .. }
            | E::AliasExpansionLimitExceeded { .. }
            | E::AliasReplayStackDepthExceeded { .. } => {
                "this file has too many values, or repeats anchors (`&`, `*`) too often, to be read safely; split it into several files".into()
            }
            E::Message { msg, .. } if msg.contains("recursion limit") => {
                "the values are nested too deeply (lists or mappings inside each other)".into()
            }
            E::NonFiniteFloat { value, .. } => {
                format!("`{value}` is not a usable number; write a number or quote it as text")
                    .into()
            }
            E::MultipleDocuments { .. } => {
                "the file holds more than one YAML document (a `---` line in the middle); keep one per file".into()
            }
            E::UnknownAnchor { .. } => {
                "`*…` refers to an anchor (`&…`) that is not defined before it".into()
            }
            _ => serde_saphyr::UserMessageFormatter.format_message(err),
        }
    }
}

/// serde-saphyr prefixes its messages with "error: line X column Y: "; we print the location
/// ourselves.
fn clean_error_message(message: &str) -> String {
    let first_line = message.lines().next().unwrap_or(message);
    let mut rest = first_line.trim_start_matches("error: ");
    if rest.starts_with("line ")
        && let Some(idx) = rest.find(": ")
    {
        rest = &rest[idx + 2..];
    }
    // …and sometimes suffixes them with " at line X, column Y".
    if let Some(idx) = rest.rfind(" at line ") {
        rest = &rest[..idx];
    }
    // The key is left out: the snippet shows it, except where it is an `internal:` value's
    // (`internal: { 山田太郎: … }`), which no diagnostic may show. What follows it is advice
    // to programmers using serde-saphyr.
    if rest.starts_with("duplicate mapping key") {
        return "the same key is written twice in this mapping".to_owned();
    }
    rest.trim().to_owned()
}

/// Byte offsets of line starts, to recover the raw text of scalars from line and column when
/// serde-saphyr has no byte span (aliases, some block scalars).
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }
}

fn span_of(location: &serde_saphyr::Location, file: FileId) -> Span {
    Span {
        file,
        line: location.line().max(1) as u32,
        col: location.column().max(1) as u32,
        len: location.span().len() as u32,
    }
}

/// The source text of a scalar, as written, from its byte span.
fn raw_text<'t>(text: &'t str, location: &serde_saphyr::Location, lines: &LineIndex) -> &'t str {
    let span = location.span();
    if let (Some(offset), Some(len)) = (span.byte_offset(), span.byte_len()) {
        let (start, end) = (offset as usize, (offset + len) as usize);
        if let Some(raw) = text.get(start..end) {
            return raw.trim();
        }
    }
    // Fall back to the rest of the line from the column: good enough for plain scalars.
    let line = location.line().saturating_sub(1) as usize;
    let Some(&line_start) = lines.starts.get(line) else {
        return "";
    };
    let line_text = text[line_start..].lines().next().unwrap_or("");
    let from = line_text
        .char_indices()
        .nth(location.column().saturating_sub(1) as usize)
        .map(|(i, _)| i)
        .unwrap_or(line_text.len());
    let rest = &line_text[from..];
    rest.split(" #").next().unwrap_or(rest).trim()
}

fn convert(raw: Spanned<RawValue>, file: FileId, text: &str, lines: &LineIndex) -> Node {
    let mut span = span_of(&raw.referenced, file);
    let value = match raw.value {
        RawValue::Null => Value::Null,
        RawValue::Bool(value) => {
            let raw_text = raw_text(text, &raw.defined, lines);
            span.len = raw_text.chars().count() as u32;
            Value::Bool {
                value,
                raw: raw_text.into(),
            }
        }
        RawValue::Number(value) => {
            let raw_text = raw_text(text, &raw.defined, lines);
            span.len = raw_text.chars().count() as u32;
            Value::Number {
                value,
                raw: raw_text.into(),
            }
        }
        RawValue::Str(s) => {
            if span.len == 0 {
                span.len = s.chars().count() as u32;
            }
            Value::Str(s)
        }
        RawValue::Seq(items) => Value::Seq(
            items
                .into_iter()
                .map(|item| convert(item, file, text, lines))
                .collect(),
        ),
        RawValue::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let mut key_span = span_of(&k.referenced, file);
                    key_span.len = k.value.chars().count() as u32;
                    (
                        Key {
                            name: k.value,
                            span: key_span,
                        },
                        convert(v, file, text, lines),
                    )
                })
                .collect(),
        ),
    };
    if matches!(value, Value::Seq(_) | Value::Map(_)) {
        span.len = 1;
    }
    Node { value, span }
}

/// The `internal` keys of the tree, at any depth, with the last line a node of their value
/// starts on, so that diagnostics can hide those lines.
pub fn internal_values(node: &Node) -> Vec<InternalValue> {
    let mut found = Vec::new();
    collect_internal(node, &mut found);
    found
}

fn collect_internal(node: &Node, found: &mut Vec<InternalValue>) {
    match &node.value {
        Value::Map(entries) => {
            for (key, value) in entries {
                if key.name == "internal" {
                    found.push(InternalValue {
                        line: key.span.line,
                        col: key.span.col,
                        last_line: last_line(value),
                    });
                } else {
                    collect_internal(value, found);
                }
            }
        }
        Value::Seq(items) => items.iter().for_each(|item| collect_internal(item, found)),
        _ => {}
    }
}

/// The last line on which `node` or a node inside it starts.
fn last_line(node: &Node) -> u32 {
    let inner = match &node.value {
        Value::Map(entries) => entries
            .iter()
            .map(|(k, v)| k.span.line.max(last_line(v)))
            .max(),
        Value::Seq(items) => items.iter().map(last_line).max(),
        _ => None,
    };
    inner.unwrap_or(0).max(node.span.line)
}

/// The column offset of the first character of a string value's content: 1 when the value is
/// written in quotes, so positions inside the string (an `hours` syntax error) land on the
/// right character.
pub fn content_offset(text: &str, span: Span) -> u32 {
    let line = text.lines().nth(span.line.saturating_sub(1) as usize);
    match line.and_then(|l| l.chars().nth(span.col.saturating_sub(1) as usize)) {
        Some('"') | Some('\'') => 1,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Node {
        parse(text, FileId(0)).expect("parses")
    }

    #[test]
    fn keys_and_values_have_character_columns() {
        let node = parse_ok("records:\n  - name: 高松市保健所\n    phone: 087-839-2860\n");
        let record = &match &node.get("records").unwrap().value {
            Value::Seq(items) => items.clone(),
            _ => panic!(),
        }[0];
        let phone = record.get("phone").unwrap();
        assert_eq!((phone.span.line, phone.span.col), (3, 12));
        let name_key = &record.as_map().unwrap()[0].0;
        assert_eq!((name_key.span.line, name_key.span.col), (2, 5));
        let name = record.get("name").unwrap();
        assert_eq!((name.span.col, name.span.len), (11, 6));
    }

    #[test]
    fn numbers_keep_their_raw_text() {
        let node = parse_ok("phone: 0878392860\ncode: 011002\nok: yes\n");
        assert!(
            matches!(&node.get("phone").unwrap().value, Value::Number { raw, .. } if &**raw == "0878392860")
        );
        assert!(
            matches!(&node.get("code").unwrap().value, Value::Number { raw, .. } if &**raw == "011002")
        );
        assert!(
            matches!(&node.get("ok").unwrap().value, Value::Bool { value: true, raw } if &**raw == "yes")
        );
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let err = parse("records:\n  - id: a\n   name: x\n", FileId(0)).unwrap_err();
        assert_eq!(err.code, Code::YamlSyntax);
        assert_eq!(err.span.unwrap().line, 3);
        assert!(!err.message.contains("line 3"), "{}", err.message);
    }

    #[test]
    fn duplicate_keys_are_syntax_errors() {
        let err = parse("a: 1\na: 2\n", FileId(0)).unwrap_err();
        assert_eq!(err.code, Code::YamlSyntax);
        assert_eq!(err.span.unwrap().line, 2);
        let err = parse("internal: { 山田太郎: 1, 山田太郎: 2 }\n", FileId(0)).unwrap_err();
        assert!(!err.message.contains("山田太郎"), "{}", err.message);
    }

    /// The message speaks to the person editing the file (not about serde-saphyr's options)
    /// and points at both places.
    #[test]
    fn duplicate_keys_name_the_key_and_both_places() {
        let text = "records:\n  - id: a\n    name: x\n    type: park\n    name: y\n";
        let err = parse(text, FileId(0)).unwrap_err();
        assert_eq!(err.message, "key `name` appears twice in this mapping");
        let span = err.span.unwrap();
        assert_eq!((span.line, span.col, span.len), (5, 5, 4));
        let first = err.notes[0].span.unwrap();
        assert_eq!((first.line, first.col), (3, 5));
        // In a flow mapping, and inside a nested one (the outer mapping's keys are not it).
        let err = parse("r:\n  - { name: x, id: a, name: y }\n", FileId(0)).unwrap_err();
        let first = err.notes[0].span.unwrap();
        assert_eq!((first.line, first.col), (2, 7));
        let err = parse("a:\n  k: 1\n  b:\n    k: 2\n  k: 3\n", FileId(0)).unwrap_err();
        assert_eq!(err.span.unwrap().line, 5);
        assert_eq!(err.notes[0].span.unwrap().line, 2);
    }

    #[test]
    fn syntax_errors_do_not_mention_the_parser_library() {
        let deep = format!("a: {}{}", "[".repeat(10_000), "]".repeat(10_000));
        let mut anchors = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..6 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            anchors.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        for text in [
            "a: 1\na: 2\n",
            deep.as_str(),
            anchors.as_str(),
            "a: .nan\n",
            "a: 1\n---\nb: 2\n",
            "a: *nope\n",
        ] {
            let err = parse(text, FileId(0)).unwrap_err();
            for internal in ["Options", "Policy", "from_str", "budget", "{ ", "policy"] {
                assert!(
                    !err.message.contains(internal),
                    "{:.30?}: {}",
                    text,
                    err.message
                );
            }
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("a: {}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(&text, FileId(0)).is_err());
    }

    #[test]
    fn large_files_fit_the_budget() {
        let mut text = String::from("records:\n");
        for i in 0..60_000 {
            text.push_str(&format!(
                "  - {{ id: r{i}, name: n, location: {{ lat: 34.1, lon: 134.1 }} }}\n"
            ));
        }
        let node = parse_ok(&text);
        assert!(
            matches!(&node.get("records").unwrap().value, Value::Seq(items) if items.len() == 60_000)
        );
    }

    #[test]
    fn empty_document_is_null() {
        assert!(parse_ok("").is_null());
        assert!(parse_ok("# only a comment\n").is_null());
    }

    #[test]
    fn internal_keys_are_found_at_any_depth() {
        let text = "records:\n  - id: a\n    internal:\n      contact: x\n      more: [1,\n        2]\n  - { id: b, internal: { c: y } }\n";
        let found = internal_values(&parse_ok(text));
        assert_eq!(
            found,
            vec![
                InternalValue {
                    line: 3,
                    col: 5,
                    last_line: 6
                },
                InternalValue {
                    line: 7,
                    col: 14,
                    last_line: 7
                }
            ]
        );
    }

    #[test]
    fn quoted_values_report_their_content_offset() {
        let text = "hours: 'Mo-Fr'\n";
        let node = parse_ok(text);
        let hours = node.get("hours").unwrap();
        assert_eq!(content_offset(text, hours.span), 1);
    }
}
