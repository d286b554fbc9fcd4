//! Blank lines between items, which prettyplease leaves out: after the
//! module docs, between groups of `mod` / `pub use` / `use` lines, between
//! top-level items, and between the items of an `impl`.

/// Which kind of top-level statement a line starts.
fn kind(line: &str) -> &'static str {
    if line.starts_with("//!") {
        "inner-doc"
    } else if line.starts_with("mod ") || line.starts_with("pub mod ") {
        "mod"
    } else if line.starts_with("pub use ") {
        "pub-use"
    } else if line.starts_with("use ") {
        "use"
    } else {
        "item"
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Whether a line closes what came before rather than starting something.
fn closes(trimmed: &str) -> bool {
    trimmed.starts_with(['}', ')', ']', '.']) || trimmed.starts_with("else")
}

/// Whether a line ends a statement or item.
fn ends(trimmed: &str) -> bool {
    !trimmed.starts_with("//") && (closes_block(trimmed) || trimmed.ends_with(';'))
}

/// Whether a line ends a block (`}`, or an empty `{}`).
fn closes_block(trimmed: &str) -> bool {
    !trimmed.starts_with("//") && trimmed == "}" || trimmed.ends_with("{}")
}

/// Whether a line inside an `impl` or `mod` starts an item.
fn starts_item(trimmed: &str) -> bool {
    [
        "///",
        "#[",
        "pub ",
        "fn ",
        "const ",
        "type ",
        "async fn ",
        "impl",
    ]
    .iter()
    .any(|p| trimmed.starts_with(p))
}

/// Adds the blank lines.
pub fn space_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / 20);
    let mut prev: Option<&str> = None;
    let mut top_kind = "";
    for line in code.lines() {
        let trimmed = line.trim();
        if let Some(p) = prev {
            let pt = p.trim();
            let blank = if trimmed.is_empty() || pt.is_empty() || closes(trimmed) {
                false
            } else if indent(line) == 0 && indent(p) == 0 {
                let k = kind(line);
                let p_done = ends(pt) || pt.starts_with("//!");
                p_done && (k != top_kind || k == "item")
            } else {
                indent(line) == indent(p)
                    && (closes_block(pt) || (ends(pt) && starts_item(trimmed)))
            };
            if blank {
                out.push('\n');
            }
        }
        if indent(line) == 0 && !trimmed.is_empty() && !closes(trimmed) {
            let k = kind(line);
            // A statement starts where the previous one ended.
            if prev.is_none_or(|p| indent(p) != 0 || ends(p.trim()) || p.starts_with("//!")) {
                top_kind = k;
            }
        }
        out.push_str(line);
        out.push('\n');
        prev = Some(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separates_groups_and_items() {
        let code = "//! Doc.\nmod a;\nmod b;\npub use a::*;\nuse x::{\n    Y,\n};\nuse z;\n/// S.\npub struct S {}\nimpl S {\n    const A: u8 = 1;\n    /// F.\n    fn f() {\n        g();\n    }\n    fn h() {}\n}\n";
        let want = "//! Doc.\n\nmod a;\nmod b;\n\npub use a::*;\n\nuse x::{\n    Y,\n};\nuse z;\n\n/// S.\npub struct S {}\n\nimpl S {\n    const A: u8 = 1;\n\n    /// F.\n    fn f() {\n        g();\n    }\n\n    fn h() {}\n}\n";
        assert_eq!(space_items(code), want);
    }
}
