//! The architecture's record: which top-level module of `src/` may import which.
//!
//! Every `crate::module` path in the code of `src/` (in `use` declarations and in expressions,
//! comments and string literals left out), and every `super::` path that climbs to the crate
//! root, is an edge from the module of its file to `module`. An edge missing from [`ALLOWED`]
//! fails the test: to add one, add it here, and only if it points down (the test also checks
//! that the table has no cycle). The README's "Architecture" section is this table in words.
//!
//! Modules are listed bottom-up; a module may import only modules listed above it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// (module, the modules it may import). Bottom-up: foundations, the phases in the order of
/// the pipeline, then the commands that run them.
const ALLOWED: &[(&str, &[&str])] = &[
    // Foundations: nothing of the crate, or only each other.
    ("text", &[]),
    ("diagnostics", &[]),
    ("fold", &[]),
    ("holidays", &[]),
    ("finder", &[]),
    ("readings", &[]),
    ("write", &[]),
    ("hours", &["holidays", "text"]),
    ("registry", &["diagnostics", "fold", "hours"]),
    // The front half: load -> config -> validate -> geo, run by `site`.
    ("load", &["diagnostics", "registry"]),
    (
        "validate",
        &["diagnostics", "fold", "hours", "load", "registry", "text"],
    ),
    ("geo", &["diagnostics", "load", "registry"]),
    (
        "config",
        &["diagnostics", "load", "registry", "text", "validate"],
    ),
    (
        "site",
        &[
            "config",
            "diagnostics",
            "geo",
            "load",
            "registry",
            "validate",
        ],
    ),
    // The back half: model -> views -> export and render (siblings) -> write, run by `build`.
    (
        "model",
        &[
            "fold", "geo", "hours", "readings", "registry", "site", "text",
        ],
    ),
    ("views", &["config", "hours", "model", "registry", "text"]),
    ("cells", &["registry", "validate"]),
    (
        "export",
        &[
            "cells", "finder", "fold", "geo", "hours", "model", "readings", "registry", "text",
            "views", "write",
        ],
    ),
    (
        "render",
        &[
            "config",
            "diagnostics",
            "fold",
            "load",
            "model",
            "registry",
            "text",
            "views",
        ],
    ),
    (
        "build",
        &["diagnostics", "export", "model", "render", "site", "write"],
    ),
    // On top: serving, importing, starting a site, and the CLI's commands.
    (
        "serve",
        &[
            "diagnostics",
            "export",
            "load",
            "model",
            "render",
            "site",
            "text",
            "write",
        ],
    ),
    (
        "import",
        &[
            "cells", "geo", "hours", "registry", "site", "text", "validate",
        ],
    ),
    ("init", &["import"]),
    // The CLI is a leaf: nothing imports `commands` (main.rs is its own crate).
    (
        "commands",
        &[
            "build",
            "diagnostics",
            "import",
            "init",
            "registry",
            "serve",
            "site",
            "text",
            "write",
        ],
    ),
];

#[test]
fn every_edge_between_modules_is_allowed() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let allowed: BTreeMap<&str, BTreeSet<&str>> = ALLOWED
        .iter()
        .map(|(m, to)| (*m, to.iter().copied().collect()))
        .collect();
    let modules = top_level_modules(&src);
    let unlisted: Vec<&String> = modules
        .iter()
        .filter(|m| !allowed.contains_key(m.as_str()))
        .collect();
    assert!(
        unlisted.is_empty(),
        "modules of src/ missing from ALLOWED (place them in the layers): {unlisted:?}"
    );

    let mut wrong = Vec::new();
    for file in rust_files(&src) {
        let rel = file.strip_prefix(&src).expect("under src");
        let Some((module, depth)) = module_of(rel) else {
            continue; // lib.rs and main.rs are crate roots, not modules
        };
        let text = std::fs::read_to_string(&file).expect("readable");
        for (line, target) in edges(&code_tokens(&text), depth) {
            if target == module || !modules.contains(&target) {
                continue;
            }
            if !allowed[module.as_str()].contains(target.as_str()) {
                wrong.push(format!("{}:{line}: {module} -> {target}", rel.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that ALLOWED does not list (an edge pointing up the pipeline or sideways; move \
         the code to the layer both sides may import instead):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_table_is_layered() {
    // Each module imports only modules listed before it: the table itself has no cycle.
    let mut seen = BTreeSet::new();
    for (module, to) in ALLOWED {
        for t in *to {
            assert!(
                seen.contains(t),
                "{module} may import {t}, which is not below it in ALLOWED"
            );
        }
        assert!(seen.insert(*module), "{module} is listed twice");
    }
    assert!(
        !ALLOWED.iter().any(|(_, to)| to.contains(&"commands")),
        "the CLI is a leaf"
    );
}

#[test]
fn the_readme_lists_the_same_table() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let section = readme
        .split("## Architecture")
        .nth(1)
        .and_then(|s| s.split("```text\n").nth(1))
        .and_then(|s| s.split("```").next())
        .expect("README has an Architecture section with a text block");
    // Pairs of lines: `module  what it owns`, then `  may import [a, b]`.
    let lines: Vec<&str> = section.lines().collect();
    let listed: Vec<(String, String)> = lines
        .chunks(2)
        .map(|pair| {
            let module = pair[0].split_whitespace().next().unwrap_or("").to_owned();
            let imports = pair.get(1).map_or("", |l| l.trim());
            (module, imports.to_owned())
        })
        .collect();
    let expected: Vec<(String, String)> = ALLOWED
        .iter()
        .map(|(m, to)| ((*m).to_owned(), format!("may import [{}]", to.join(", "))))
        .collect();
    assert_eq!(
        listed, expected,
        "the README's Architecture list and ALLOWED differ"
    );
}

#[test]
fn the_scanner_finds_paths_and_skips_comments_and_strings() {
    let code = r##"
use crate::a::B;
use crate::{c, d::E};
// crate::comment
/* crate::block /* nested crate::x */ */
let s = "crate::string"; let r = r#"crate::raw"#; let c = 'x'; fn f<'a>() {}
mod tests { use super::super::g; }
let v = crate::h::i();
"##;
    let found: Vec<String> = edges(&code_tokens(code), 1)
        .into_iter()
        .map(|(_, m)| m)
        .collect();
    assert_eq!(found, ["a", "c", "d", "g", "h"]);
}

/// The top-level modules: `src/x.rs` and `src/x/mod.rs`.
fn top_level_modules(src: &Path) -> BTreeSet<String> {
    std::fs::read_dir(src)
        .expect("src/")
        .filter_map(|e| {
            let path = e.ok()?.path();
            if path.is_dir() && path.join("mod.rs").is_file() {
                return Some(path.file_name()?.to_str()?.to_owned());
            }
            let name = path.file_name()?.to_str()?.strip_suffix(".rs")?.to_owned();
            (!matches!(name.as_str(), "lib" | "main")).then_some(name)
        })
        .collect()
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable directory") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The top-level module of a file under `src/`, and the file's module depth (`x.rs` and
/// `x/mod.rs` are 1, `x/y.rs` is 2): how many `super::` reach the crate root.
fn module_of(rel: &Path) -> Option<(String, usize)> {
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let first = parts.first()?;
    if parts.len() == 1 {
        let name = first.strip_suffix(".rs")?;
        return (!matches!(name, "lib" | "main")).then(|| (name.to_owned(), 1));
    }
    let last = parts.last()?;
    let depth = if last == "mod.rs" {
        parts.len() - 1
    } else {
        parts.len()
    };
    Some((first.clone(), depth))
}

#[derive(Debug, PartialEq)]
enum Tok {
    Ident(String),
    PathSep,
    Open,
    Close,
    Comma,
    Other,
}

/// The tokens of Rust code that matter for paths, with their lines: identifiers, `::`, braces
/// and commas. Comments, strings and character literals are skipped.
fn code_tokens(text: &str) -> Vec<(usize, Tok)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if c == '"' || ((c == 'r' || c == 'b') && raw_string_start(&chars, i).is_some()) {
            // "…", b"…", r"…", r#"…"#, br#"…"#
            let (hashes, body) = raw_string_start(&chars, i).unwrap_or((None, i + 1));
            i = body;
            while let Some(&ch) = chars.get(i) {
                if ch == '\n' {
                    line += 1;
                }
                match hashes {
                    None if ch == '\\' => i += 2,
                    None if ch == '"' => {
                        i += 1;
                        break;
                    }
                    Some(n) if ch == '"' && (1..=n).all(|k| at(i + k) == '#') => {
                        i += 1 + n;
                        break;
                    }
                    _ => i += 1,
                }
            }
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{1F600}') or a lifetime ('a).
            if at(i + 1) == '\\' {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1;
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((line, Tok::Ident(chars[start..i].iter().collect())));
        } else if c == ':' && at(i + 1) == ':' {
            out.push((line, Tok::PathSep));
            i += 2;
        } else {
            out.push((
                line,
                match c {
                    '{' => Tok::Open,
                    '}' => Tok::Close,
                    ',' => Tok::Comma,
                    _ if c.is_whitespace() => {
                        i += 1;
                        continue;
                    }
                    _ => Tok::Other,
                },
            ));
            i += 1;
        }
    }
    out
}

/// Where a string literal starting at `i` begins its body: `Some((Some(hashes), body))` for a
/// raw string, `Some((None, body))` for `b"`; `None` when `i` starts no string.
fn raw_string_start(chars: &[char], i: usize) -> Option<(Option<usize>, usize)> {
    let mut j = i;
    if chars.get(j) == Some(&'b') {
        j += 1;
    }
    let raw = chars.get(j) == Some(&'r');
    if raw {
        j += 1;
    }
    let mut hashes = 0;
    while raw && chars.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    // An identifier such as `br` or `rb` must not be taken for a string.
    if j == i || chars.get(j) != Some(&'"') || (i > 0 && is_ident_char(chars[i - 1])) {
        return None;
    }
    Some((raw.then_some(hashes), j + 1))
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The modules that paths from the crate root name: `crate::x`, `crate::{x, y::z}`, and
/// `super::…::x` with as many `super` as the module is deep (inline `mod m { … }` blocks
/// counted), with their lines.
fn edges(tokens: &[(usize, Tok)], file_depth: usize) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    // Brace depths at which an inline module opened.
    let mut inline_mods: Vec<usize> = Vec::new();
    let mut braces = 0usize;
    let ident = |k: usize| match tokens.get(k) {
        Some((_, Tok::Ident(s))) => Some(s.as_str()),
        _ => None,
    };
    let sep = |k: usize| matches!(tokens.get(k), Some((_, Tok::PathSep)));
    let mut k = 0;
    while k < tokens.len() {
        let (line, tok) = &tokens[k];
        match tok {
            Tok::Open => braces += 1,
            Tok::Close => {
                if inline_mods.last() == Some(&braces) {
                    inline_mods.pop();
                }
                braces = braces.saturating_sub(1);
            }
            Tok::Ident(w)
                if w == "mod"
                    && ident(k + 1).is_some()
                    && matches!(tokens.get(k + 2), Some((_, Tok::Open))) =>
            {
                inline_mods.push(braces + 1);
            }
            Tok::Ident(w) if w == "crate" && sep(k + 1) && !(k > 0 && sep(k - 1)) => {
                out.extend(roots_after(tokens, k + 2, *line));
            }
            Tok::Ident(w) if w == "super" && !(k > 0 && sep(k - 1)) => {
                let mut n = 0;
                let mut j = k;
                while ident(j) == Some("super") && sep(j + 1) {
                    n += 1;
                    j += 2;
                }
                if n > 0 && n == file_depth + inline_mods.len() {
                    out.extend(roots_after(tokens, j, *line));
                }
            }
            _ => {}
        }
        k += 1;
    }
    out
}

/// The first segments of the paths at `k` (one, or a `{…}` group's), with `line`.
fn roots_after(tokens: &[(usize, Tok)], k: usize, line: usize) -> Vec<(usize, String)> {
    match tokens.get(k) {
        Some((_, Tok::Ident(s))) => vec![(line, s.clone())],
        Some((_, Tok::Open)) => {
            let mut out = Vec::new();
            let mut depth = 0;
            let mut expect_root = true;
            for (l, t) in &tokens[k..] {
                match t {
                    Tok::Open => depth += 1,
                    Tok::Close => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    Tok::Comma if depth == 1 => expect_root = true,
                    Tok::Ident(s) if depth == 1 && expect_root => {
                        out.push((*l, s.clone()));
                        expect_root = false;
                    }
                    _ => {}
                }
            }
            out
        }
        _ => Vec::new(),
    }
}
