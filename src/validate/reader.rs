//! Reading typed values out of YAML nodes, one field at a time, collecting diagnostics.
//!
//! Every function here reports what is wrong and returns `None` instead of failing, so the
//! caller goes on with the next field and one run shows every mistake.

use jiff::civil::Date;

use crate::diagnostics::{Code, Diagnostic, Span, did_you_mean};
use crate::load::yaml::{Key, Node, Value};
use crate::registry::vocab::Vocab;
use crate::registry::{MuniCode, Sp, muni_code::MuniCodeError};

/// The context of decoding one file: where diagnostics go, the file's text (to find the
/// first character inside quotes) and today's date (for stale and expired dates).
pub struct Cx<'a> {
    pub diags: &'a mut Vec<Diagnostic>,
    pub text: &'a str,
    pub today: Date,
    /// Parsed `hours` by their text: registries repeat the same few strings thousands of times.
    pub hours:
        std::collections::HashMap<String, Result<crate::hours::Hours, crate::hours::HoursError>>,
    /// A municipality of the site (code, name) for examples in help texts, so that they speak
    /// of the council's own prefecture.
    pub example: Option<(String, String)>,
}

impl<'a> Cx<'a> {
    pub fn new(diags: &'a mut Vec<Diagnostic>, text: &'a str, today: Date) -> Self {
        Cx {
            diags,
            text,
            today,
            hours: std::collections::HashMap::new(),
            example: None,
        }
    }

    /// "e.g. "362018" for 徳島市", from the site's own municipalities, or a general hint.
    pub fn example_municipality(&self) -> String {
        match &self.example {
            Some((code, name)) => format!("e.g. \"{code}\" for {name}"),
            None => "6 digits with the check digit".to_owned(),
        }
    }
}

impl Cx<'_> {
    pub fn report(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }
}

/// A mapping whose keys have been checked against the allowed field names, with optional
/// fallbacks (a registry file's `defaults:`) for the keys it does not set itself.
pub struct MapReader<'n> {
    pub node: &'n Node,
    entries: &'n [(Key, Node)],
    defaults: &'n [(Key, Node)],
}

impl<'n> MapReader<'n> {
    /// Opens `node` as a mapping of `what` (e.g. "a record"), reporting a wrong type if it is
    /// not one and an unknown field (with a "did you mean" hint) for each key not in `allowed`.
    pub fn open(node: &'n Node, allowed: &[&str], what: &str, cx: &mut Cx) -> Option<Self> {
        let Value::Map(entries) = &node.value else {
            cx.report(
                Diagnostic::new(
                    Code::WrongType,
                    node.span,
                    format!(
                        "{what} must be a mapping of `key: value` lines, found {}",
                        node.describe()
                    ),
                )
                .label("expected a mapping"),
            );
            return None;
        };
        for (key, _) in entries {
            if !allowed.contains(&key.name.as_str()) {
                cx.report(unknown_field(key, allowed, what));
            }
        }
        Some(MapReader {
            node,
            entries,
            defaults: &[],
        })
    }

    /// Falls back to `defaults` (already checked) for the keys the mapping does not set.
    pub fn with_defaults(mut self, defaults: &'n [(Key, Node)]) -> Self {
        self.defaults = defaults;
        self
    }

    fn entry(&self, name: &str) -> Option<&'n (Key, Node)> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == name)
            .or_else(|| self.defaults.iter().find(|(k, _)| k.name == name))
    }

    /// The value of `name`, or `None` when it is absent or written as an empty value.
    pub fn get(&self, name: &str) -> Option<&'n Node> {
        self.entry(name).map(|(_, v)| v).filter(|v| !v.is_null())
    }

    pub fn key_span(&self, name: &str) -> Option<Span> {
        self.entry(name).map(|(k, _)| k.span)
    }

    /// Like [`get`](Self::get), reporting a missing required field.
    pub fn require(&self, name: &str, what: &str, cx: &mut Cx) -> Option<&'n Node> {
        let node = self.get(name);
        if node.is_none() {
            let message = if self.key_span(name).is_some() {
                format!("`{name}` of {what} is empty; it is required")
            } else {
                format!("{what} has no `{name}`; it is required")
            };
            cx.report(
                Diagnostic::new(
                    Code::MissingField,
                    self.key_span(name).unwrap_or(self.node.span),
                    message,
                )
                .help(format!("add a line `{name}: …` to {what}")),
            );
        }
        node
    }

    pub fn entries(&self) -> &'n [(Key, Node)] {
        self.entries
    }
}

pub fn unknown_field(key: &Key, allowed: &[&str], what: &str) -> Diagnostic {
    let d = Diagnostic::new(
        Code::UnknownField,
        key.span,
        format!("unknown field `{}` in {what}", key.name),
    )
    .label("not a field of this schema");
    match did_you_mean(&key.name, allowed.iter().copied()) {
        Some(suggestion) => d.help(format!("did you mean `{suggestion}`?")),
        None => d.help(format!("allowed fields: {}", allowed.join(", "))),
    }
}

fn wrong_type(node: &Node, field: &str, expected: &str) -> Diagnostic {
    Diagnostic::new(
        Code::WrongType,
        node.span,
        format!("`{field}` must be {expected}, found {}", node.describe()),
    )
    .label(format!("expected {expected}"))
}

/// Text. Numbers and booleans are read as written (`phone: 0878392860`, `code: 011002`), since
/// YAML would otherwise drop leading zeros.
pub fn text(node: &Node, field: &str, cx: &mut Cx) -> Option<Sp<String>> {
    let value = match &node.value {
        Value::Str(s) => s.trim().to_owned(),
        Value::Number { raw, .. } | Value::Bool { raw, .. } => raw.to_string(),
        _ => {
            cx.report(wrong_type(node, field, "text"));
            return None;
        }
    };
    if value.is_empty() {
        cx.report(
            Diagnostic::new(Code::WrongType, node.span, format!("`{field}` is empty"))
                .help(format!("write a value or remove the `{field}` line")),
        );
        return None;
    }
    if let Some(c) = crate::validate::formats::control_char(&value) {
        cx.report(control_character(node.span, field, c));
    }
    Some(Sp::new(value, node.span))
}

/// W0403: an invisible character that pages show as a box and that would make the feeds and
/// sitemaps ill-formed XML (the exporters leave it out). Every text passes here, so names,
/// addresses, descriptions, labels and site.yaml are all covered.
fn control_character(span: Span, field: &str, c: char) -> Diagnostic {
    Diagnostic::new(
        Code::ControlCharacter,
        span,
        format!(
            "`{field}` contains the control character U+{:04X}, which pages cannot show and feeds leave out",
            c as u32
        ),
    )
    .label(format!("contains U+{:04X}", c as u32))
    .help("delete it: it is invisible, and usually comes from copying out of another program (write line breaks as a `|` block)")
}

pub fn boolean(node: &Node, field: &str, cx: &mut Cx) -> Option<bool> {
    match &node.value {
        Value::Bool { value, .. } => Some(*value),
        _ => {
            cx.report(wrong_type(node, field, "true or false"));
            None
        }
    }
}

pub fn number(node: &Node, field: &str, cx: &mut Cx) -> Option<f64> {
    match &node.value {
        Value::Number { value, .. } if value.is_finite() => Some(*value),
        Value::Str(s) if s.trim().parse::<f64>().is_ok_and(f64::is_finite) => {
            cx.report(
                wrong_type(node, field, "a number")
                    .help(format!("remove the quotes: `{field}: {}`", s.trim())),
            );
            None
        }
        _ => {
            cx.report(wrong_type(node, field, "a number"));
            None
        }
    }
}

/// A non-negative number of things (beds, employees, yen).
pub fn count(node: &Node, field: &str, cx: &mut Cx) -> Option<u32> {
    match &node.value {
        Value::Number { value, .. }
            if *value >= 0.0 && value.fract() == 0.0 && *value <= u32::MAX as f64 =>
        {
            Some(*value as u32)
        }
        _ => {
            cx.report(wrong_type(node, field, "a whole number (0 or more)"));
            None
        }
    }
}

pub fn amount(node: &Node, field: &str, cx: &mut Cx) -> Option<f64> {
    let value = number(node, field, cx)?;
    if value < 0.0 {
        cx.report(wrong_type(node, field, "a number of 0 or more"));
        return None;
    }
    Some(value)
}

pub fn date(node: &Node, field: &str, cx: &mut Cx) -> Option<Sp<Date>> {
    let raw = text(node, field, cx)?;
    match raw.value.parse::<Date>() {
        Ok(date) if raw.value.len() == 10 => Some(Sp::new(date, node.span)),
        _ => {
            cx.report(
                Diagnostic::new(
                    Code::BadDate,
                    node.span,
                    format!(
                        "`{field}` must be a date written YYYY-MM-DD, found \"{}\"",
                        raw.value
                    ),
                )
                .label("not a date")
                .help("for example 2025-06-01"),
            );
            None
        }
    }
}

pub fn list<T>(
    node: &Node,
    field: &str,
    cx: &mut Cx,
    mut item: impl FnMut(&Node, &mut Cx) -> Option<T>,
) -> Vec<T> {
    match &node.value {
        Value::Seq(items) => items.iter().filter_map(|n| item(n, cx)).collect(),
        _ => {
            let d = wrong_type(node, field, "a list");
            let d = match &node.value {
                Value::Str(s) => d.help(format!("write a list: `{field}: [{s}]`")),
                _ => d,
            };
            cx.report(d);
            Vec::new()
        }
    }
}

/// One word of a controlled vocabulary.
pub fn vocab<V: Vocab>(node: &Node, field: &str, cx: &mut Cx) -> Option<V> {
    let raw = text(node, field, cx)?;
    one_of(
        &raw,
        field,
        V::WHAT,
        &V::names().collect::<Vec<_>>(),
        Code::UnknownValue,
        cx,
    )?;
    V::parse(&raw.value)
}

/// Checks that `raw` is one of `allowed`, with a "did you mean" hint.
pub fn one_of(
    raw: &Sp<String>,
    field: &str,
    what: &str,
    allowed: &[&str],
    code: Code,
    cx: &mut Cx,
) -> Option<()> {
    if allowed.contains(&raw.value.as_str()) {
        return Some(());
    }
    let d = Diagnostic::new(
        code,
        raw.span,
        format!("`{}` is not a known {what} (field `{field}`)", raw.value),
    )
    .label(format!("unknown {what}"));
    let d = match did_you_mean(&raw.value, allowed.iter().copied()) {
        Some(s) => d.help(format!(
            "did you mean `{s}`? allowed: {}",
            allowed.join(", ")
        )),
        None => d.help(format!("allowed: {}", allowed.join(", "))),
    };
    cx.report(d);
    None
}

pub fn muni_code(node: &Node, field: &str, cx: &mut Cx) -> Option<Sp<MuniCode>> {
    let raw = text(node, field, cx)?;
    match MuniCode::parse(&raw.value) {
        Ok(code) => Some(Sp::new(code, raw.span)),
        Err(MuniCodeError::CheckDigit { expected }) => {
            let corrected = format!("{}{expected}", &raw.value[..5]);
            cx.report(
                Diagnostic::new(
                    Code::BadCheckDigit,
                    raw.span,
                    format!("municipality code {} has a wrong check digit", raw.value),
                )
                .label(format!(
                    "the check digit of {} is {expected}",
                    &raw.value[..5]
                ))
                .help(format!(
                    "write \"{corrected}\" (or the 5-digit \"{}\")",
                    &raw.value[..5]
                )),
            );
            None
        }
        Err(MuniCodeError::Format) => {
            cx.report(
                Diagnostic::new(
                    Code::BadCheckDigit,
                    raw.span,
                    format!(
                        "municipality code \"{}\" must be 6 digits (with check digit) or 5 digits",
                        raw.value
                    ),
                )
                .label("not a municipality code")
                .help(format!(
                    "use the 全国地方公共団体コード, {}; write it with half-width digits",
                    cx.example_municipality()
                )),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::FileId;
    use crate::load::yaml::parse;

    fn with_cx<T>(text: &str, f: impl FnOnce(&Node, &mut Cx) -> T) -> (T, Vec<Diagnostic>) {
        let node = parse(text, FileId(0)).unwrap();
        let mut diags = Vec::new();
        let mut cx = Cx::new(&mut diags, text, jiff::civil::date(2026, 11, 21));
        let out = f(&node, &mut cx);
        (out, diags)
    }

    #[test]
    fn unknown_fields_get_a_hint() {
        let (_, diags) = with_cx("nmae: x\nid: a\n", |n, cx| {
            MapReader::open(n, &["id", "name"], "a record", cx).map(|_| ())
        });
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, Code::UnknownField);
        assert_eq!(diags[0].help.as_deref(), Some("did you mean `name`?"));
    }

    #[test]
    fn numbers_read_as_text_keep_zeros() {
        let (v, diags) = with_cx("phone: 0878392860\n", |n, cx| {
            text(n.get("phone").unwrap(), "phone", cx)
        });
        assert!(diags.is_empty());
        assert_eq!(v.unwrap().value, "0878392860");
    }

    #[test]
    fn dates_must_be_iso() {
        let (v, diags) = with_cx("d: 2025/06/01\n", |n, cx| {
            date(n.get("d").unwrap(), "verified", cx)
        });
        assert!(v.is_none());
        assert_eq!(diags[0].code, Code::BadDate);
    }

    #[test]
    fn check_digit_errors_suggest_the_right_code() {
        let (_, diags) = with_cx("m: \"372014\"\n", |n, cx| {
            muni_code(n.get("m").unwrap(), "municipality", cx)
        });
        assert_eq!(diags[0].code, Code::BadCheckDigit);
        assert!(diags[0].help.as_deref().unwrap().contains("372013"));
    }
}
