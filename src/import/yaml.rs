//! YAML output: deterministic, one key per line, strings quoted only when YAML needs it.
//!
//! Scalars go through serde_saphyr's serialiser, which quotes exactly what a YAML 1.2 (or 1.1)
//! reader would otherwise take for something else: `"372013"`, `"yes"`, `"null"`, `"~"`,
//! `"12:30"`, leading `#`/`-`/`&`, `": "`, ... Phone numbers such as `087-839-2860` stay plain
//! because no YAML reader takes them for a number. Two cases are handled here instead:
//! - multi-line text: serde_saphyr writes a block scalar, which would need re-indenting; we write
//!   a double-quoted JSON string (JSON strings are valid YAML double-quoted scalars).
//! - flow context (`{ code: "372013", name: 高松市 }`): plain scalars there must not contain
//!   `,[]{}`, so such values are double-quoted.

use std::fmt::Write as _;

use super::{Contact, Extra, Imported, Record};

/// A string scalar for block context (`key: value`, `- value`).
pub fn scalar(s: &str) -> String {
    if s.contains(['\n', '\r', '\t']) || s.chars().any(char::is_control) {
        return double_quoted(s);
    }
    match serde_saphyr::to_string(&s) {
        Ok(out) => {
            let out = out.strip_suffix('\n').unwrap_or(&out);
            if out.contains('\n') {
                double_quoted(s)
            } else {
                out.to_owned()
            }
        }
        Err(_) => double_quoted(s),
    }
}

/// A string scalar for flow context (inside `{ }` or `[ ]`).
pub fn flow_scalar(s: &str) -> String {
    let out = scalar(s);
    if !out.starts_with(['"', '\'']) && out.contains([',', '[', ']', '{', '}']) {
        double_quoted(s)
    } else {
        out
    }
}

fn double_quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
}

/// A number that always reads back as a float: `134` -> `134.0`.
pub fn float(x: f64) -> String {
    let s = format!("{x}");
    if s.contains(['.', 'e', 'E']) || !x.is_finite() {
        s
    } else {
        format!("{s}.0")
    }
}

/// A comment line's text: no line breaks.
fn comment(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

fn contact(out: &mut String, key: &str, label_key: &str, c: &Contact) {
    match c {
        Contact::One(v) => {
            let _ = writeln!(out, "    {key}: {}", scalar(v));
        }
        Contact::Many(list) => {
            let _ = writeln!(out, "    {key}:");
            for item in list {
                match &item.label {
                    Some(l) => {
                        let _ = writeln!(
                            out,
                            "      - {{ {label_key}: {}, label: {} }}",
                            flow_scalar(&item.value),
                            flow_scalar(l)
                        );
                    }
                    None => {
                        let _ = writeln!(
                            out,
                            "      - {{ {label_key}: {} }}",
                            flow_scalar(&item.value)
                        );
                    }
                }
            }
        }
    }
}

fn kv(out: &mut String, k: &str, v: Option<&str>) {
    if let Some(v) = v {
        let _ = writeln!(out, "    {k}: {}", scalar(v));
    }
}

fn record(out: &mut String, r: &Record) {
    for c in &r.checks {
        let _ = writeln!(out, "  # CHECK: {}", comment(c));
    }
    let _ = writeln!(out, "  - id: {}", scalar(&r.id));
    // A supplement (see `merge`) has no name and type of its own.
    kv(out, "name", Some(r.name.as_str()).filter(|n| !n.is_empty()));
    kv(out, "name_kana", r.name_kana.as_deref());
    kv(out, "name_en", r.name_en.as_deref());
    kv(
        out,
        "type",
        Some(r.kind_type.as_str()).filter(|t| !t.is_empty()),
    );
    kv(out, "municipality", r.municipality.as_deref());
    kv(out, "address", r.address.as_deref());
    if let Some(p) = &r.phone {
        contact(out, "phone", "number", p);
    }
    kv(out, "fax", r.fax.as_deref());
    kv(out, "email", r.email.as_deref());
    if let Some(u) = &r.url {
        contact(out, "url", "url", u);
    }
    if let Some(l) = &r.location {
        let _ = writeln!(
            out,
            "    location: {{ lat: {}, lon: {} }}",
            float(l.lat),
            float(l.lon)
        );
    }
    kv(out, "hours", r.hours.as_deref());
    kv(out, "hours_note", r.hours_note.as_deref());
    // Kind fields.
    if !r.departments.is_empty() {
        let _ = writeln!(out, "    departments:");
        for d in &r.departments {
            let _ = writeln!(out, "      - {}", scalar(d));
        }
    }
    if let Some(b) = r.beds {
        let _ = writeln!(out, "    beds: {b}");
    }
    if !r.amenities.is_empty() {
        let items: Vec<String> = r.amenities.iter().map(|a| flow_scalar(a)).collect();
        let _ = writeln!(out, "    amenities: [{}]", items.join(", "));
    }
    for (k, v) in &r.extra {
        match v {
            Extra::Inline(v) => {
                let _ = writeln!(out, "    {k}: {v}");
            }
            Extra::Block(items) => {
                let _ = writeln!(out, "    {k}:");
                for item in items {
                    let _ = writeln!(out, "      - {item}");
                }
            }
        }
    }
    if !r.codes.is_empty() {
        let entries: Vec<(&str, String)> = r
            .codes
            .iter()
            .map(|(k, v)| (k.as_str(), double_quoted(v)))
            .collect();
        let _ = writeln!(out, "    codes: {}", flow_map(&entries));
    }
    // The rest.
    kv(out, "status", r.status.as_deref());
    kv(out, "description", r.description.as_deref());
    kv(out, "description_en", r.description_en.as_deref());
}

impl Extra {
    /// A text value.
    pub fn text(s: &str) -> Extra {
        Extra::Inline(scalar(s))
    }

    /// A value written as it is: numbers, `true`/`false`, dates (`2026-10-01`).
    pub fn plain(s: impl Into<String>) -> Extra {
        Extra::Inline(s.into())
    }

    /// A flow list of strings: `[wheelchair, parking]`, `["372013", "372021"]`.
    pub fn flow_list<S: AsRef<str>>(items: &[S]) -> Extra {
        Extra::Inline(flow_list(items))
    }

    /// A flow map of already-written values: `{ name: 認証, until: 2028-03-31 }`.
    pub fn flow_map(entries: &[(&str, String)]) -> Extra {
        Extra::Inline(flow_map(entries))
    }
}

/// `[a, b]` with each item quoted as flow context needs.
pub fn flow_list<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<String> = items.iter().map(|s| flow_scalar(s.as_ref())).collect();
    format!("[{}]", items.join(", "))
}

/// `{ k: v, … }` of values already written for flow context.
pub fn flow_map(entries: &[(&str, String)]) -> String {
    let items: Vec<String> = entries.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    format!("{{ {} }}", items.join(", "))
}

/// Renders a registry file: header comments, `defaults:`, `records:`.
pub fn render_records(imp: &Imported) -> String {
    let mut out = String::new();
    for line in &imp.header {
        let _ = writeln!(out, "# {}", comment(line));
    }
    if !imp.defaults.is_empty() || !imp.raw_defaults.is_empty() {
        let _ = writeln!(out, "defaults:");
        for (k, v) in &imp.defaults {
            let _ = writeln!(out, "  {k}: {}", scalar(v));
        }
        for (k, v) in &imp.raw_defaults {
            let _ = writeln!(out, "  {k}: {v}");
        }
    }
    if imp.records.is_empty() {
        let _ = writeln!(out, "records: []");
        supplements(&mut out, imp);
        return out;
    }
    let _ = writeln!(out, "records:");
    for r in &imp.records {
        record(&mut out, r);
    }
    supplements(&mut out, imp);
    out
}

/// `supplements:` (after the records): the fields rows give records of other files.
fn supplements(out: &mut String, imp: &Imported) {
    if imp.supplements.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "# The same places in other files: these fields fill in what those records lack (never what they have)."
    );
    let _ = writeln!(out, "supplements:");
    for s in &imp.supplements {
        let _ = writeln!(out, "  # {}", comment(&s.comment));
        record(out, &s.record);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(scalar("087-839-2860"), "087-839-2860");
        assert_eq!(scalar("372013"), "\"372013\"");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("~"), "\"~\"");
        assert_eq!(scalar("null"), "\"null\"");
        assert_eq!(scalar("高松市保健所"), "高松市保健所");
        assert_eq!(scalar("a\nb"), "\"a\\nb\"");
        assert_eq!(
            scalar("Mo-Fr 08:30-17:00; PH off"),
            "Mo-Fr 08:30-17:00; PH off"
        );
        assert_eq!(flow_scalar("a, b"), "\"a, b\"");
        assert_eq!(flow_scalar("{x"), "\"{x\"");
        assert_eq!(float(134.0), "134.0");
        assert_eq!(
            flow_list(&["372013", "a, b", "x"]),
            r#"["372013", "a, b", x]"#
        );
        assert_eq!(
            flow_map(&[
                ("name", flow_scalar("認証")),
                ("until", "2028-03-31".into())
            ]),
            "{ name: 認証, until: 2028-03-31 }"
        );
        assert_eq!(float(34.330488), "34.330488");
        for s in [
            "yes", "a: b", "#c", "- d", " e", "'f'", "\"g\"", "1e3", "a\nb", "x, y",
        ] {
            let doc = format!("k: {}\nf: {{ v: {} }}\n", scalar(s), flow_scalar(s));
            let v: serde_json::Value = serde_saphyr::from_str(&doc).unwrap();
            assert_eq!(v["k"], s, "{doc}");
            assert_eq!(v["f"]["v"], s, "{doc}");
        }
    }
}
