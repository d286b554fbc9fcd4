//! The README's coverage table: every operation in a Markdown table,
//! written between two marker lines that the README provides.

use std::collections::BTreeMap;

use crate::spec::{AuthKind, Spec, SpecFile};

/// The line after which the table goes.
pub const BEGIN: &str = "<!-- BEGIN GENERATED: operations (cargo xtask codegen) -->";

/// The line before which the table ends.
pub const END: &str = "<!-- END GENERATED: operations -->";

/// How the table names a credential.
fn credential(kind: AuthKind) -> &'static str {
    match kind {
        AuthKind::None => "none",
        AuthKind::Basic => "account and password (Basic)",
        AuthKind::AppSignature => "App ID signature",
        AuthKind::AccessToken => "access token",
        AuthKind::ConferenceToken => "meeting control token",
    }
}

/// Text made safe for a table cell: `|` escaped, line breaks as spaces.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

fn row(spec: &Spec) -> String {
    format!(
        "| {} | `{}` | {} | `{}` | {} | {} | {} |",
        cell(&spec.group),
        spec.id,
        spec.method,
        spec.path,
        cell(&spec.summary),
        credential(spec.auth.kind),
        if spec.idempotent { "yes" } else { "no" },
    )
}

/// The table of every operation, sorted by group and then by id, ending
/// with a newline.
pub fn table(files: &[SpecFile]) -> String {
    let sorted: BTreeMap<(&str, &str), &Spec> = files
        .iter()
        .map(|f| ((f.spec.group.as_str(), f.spec.id.as_str()), &f.spec))
        .collect();
    let mut out = String::from(
        "| group | operation | method | path | summary | credential | idempotent |\n\
         | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for spec in sorted.values() {
        out.push_str(&row(spec));
        out.push('\n');
    }
    out
}

/// The README with the text between the marker lines replaced by `table`.
/// Everything else, line endings included, is kept as it is. Fails when a
/// marker line is missing, repeated, or out of order.
pub fn splice(readme: &str, table: &str) -> Result<String, String> {
    let find = |marker: &str| -> Result<(usize, usize), String> {
        let mut found = None;
        let mut offset = 0;
        for line in readme.split_inclusive('\n') {
            if line.trim_end_matches(['\n', '\r']).trim() == marker {
                if found.is_some() {
                    return Err(format!("the marker line `{marker}` appears more than once"));
                }
                found = Some((offset, offset + line.len()));
            }
            offset += line.len();
        }
        found.ok_or_else(|| {
            format!(
                "the marker line `{marker}` is missing; the README must hold the lines `{BEGIN}` and `{END}` where the operations table goes"
            )
        })
    };
    let (_, begin_end) = find(BEGIN)?;
    let (end_start, _) = find(END)?;
    if end_start < begin_end {
        return Err(format!("the marker line `{END}` comes before `{BEGIN}`"));
    }
    // A README whose BEGIN line is its last line without a newline cannot
    // hold an END line after it, so `begin_end` ends with a newline here.
    let newline = if readme[..begin_end].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut out = String::with_capacity(readme.len() + table.len());
    out.push_str(&readme[..begin_end]);
    for line in table.lines() {
        out.push_str(line);
        out.push_str(newline);
    }
    out.push_str(&readme[end_start..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(id: &str, group: &str, kind: &str, idempotent: bool, summary: &str) -> SpecFile {
        let json = serde_json::json!({
            "$schema": "./schema.json", "id": id, "group": group, "method": "PUT",
            "path": format!("/v1/{id}"), "summary": summary, "description": "x",
            "auth": {"kind": kind}, "idempotent": idempotent, "parameters": [],
            "response": null, "examples": []
        });
        SpecFile {
            stem: id.into(),
            label: format!("spec/{id}.json"),
            spec: serde_json::from_value(json).unwrap(),
        }
    }

    #[test]
    fn rows_are_sorted_by_group_then_id() {
        let files = [
            spec("b_op", "meeting_control", "none", true, "B."),
            spec("z_login", "auth", "access_token", false, "Z | pipe."),
            spec("a_op", "meeting_control", "conference_token", false, "A."),
        ];
        let t = table(&files);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 5);
        assert!(
            lines[2].starts_with(
                "| auth | `z_login` | PUT | `/v1/z_login` | Z \\| pipe. | access token | no |"
            ),
            "{}",
            lines[2]
        );
        assert!(
            lines[3].contains("`a_op`") && lines[3].ends_with("| meeting control token | no |")
        );
        assert!(lines[4].contains("`b_op`") && lines[4].ends_with("| none | yes |"));
    }

    #[test]
    fn replaces_only_what_is_between_the_markers() {
        let readme = format!("# T\n\nintro\n{BEGIN}\nold row\n{END}\n\nrest\n");
        let out = splice(&readme, "| a |\n| b |\n").unwrap();
        assert_eq!(
            out,
            format!("# T\n\nintro\n{BEGIN}\n| a |\n| b |\n{END}\n\nrest\n")
        );
        // Splicing again changes nothing.
        assert_eq!(splice(&out, "| a |\n| b |\n").unwrap(), out);
        // CRLF files stay CRLF.
        let crlf = format!("x\r\n{BEGIN}\r\n{END}\r\ny\r\n");
        assert_eq!(
            splice(&crlf, "| a |\n").unwrap(),
            format!("x\r\n{BEGIN}\r\n| a |\r\n{END}\r\ny\r\n")
        );
    }

    #[test]
    fn missing_repeated_or_swapped_markers_are_errors() {
        let no_end = format!("{BEGIN}\n");
        assert!(splice(&no_end, "").unwrap_err().contains("is missing"));
        assert!(splice("nothing\n", "").unwrap_err().contains(BEGIN));
        let twice = format!("{BEGIN}\n{BEGIN}\n{END}\n");
        assert!(splice(&twice, "").unwrap_err().contains("more than once"));
        let swapped = format!("{END}\n{BEGIN}\n");
        assert!(splice(&swapped, "").unwrap_err().contains("comes before"));
    }
}
