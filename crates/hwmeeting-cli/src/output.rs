//! How an answer is printed on stdout: pretty JSON (the default), compact
//! JSON, or a two-column table of the flattened JSON. Fields the spec marks
//! secret (tokens in login and control-token answers) are shown as `***`
//! unless `--show-secrets`.

use std::fmt::Write as _;

use hwmeeting_core::meta::OperationMeta;
use serde_json::Value;

/// The `--output` format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OutputFormat {
    /// Indented JSON.
    #[default]
    Pretty,
    /// JSON on one line.
    Json,
    /// `key  value` lines of the flattened JSON.
    Table,
}

/// Masks the answer's secret fields (per the operation's response spec)
/// unless `show_secrets`; returns the dotted paths that were masked.
pub fn mask_response(meta: &OperationMeta, value: &mut Value, show_secrets: bool) -> Vec<String> {
    if show_secrets {
        return Vec::new();
    }
    let Some(fields) = meta.response else {
        return Vec::new();
    };
    let before = value.clone();
    crate::dry_run::mask_json(fields, value);
    let mut changed = Vec::new();
    diff_paths("", &before, value, &mut changed);
    changed
}

fn diff_paths(prefix: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                if let Some(vb) = y.get(k) {
                    diff_paths(&join(prefix, k), va, vb, out);
                }
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                diff_paths(&format!("{prefix}[{i}]"), va, vb, out);
            }
        }
        _ if a != b => out.push(prefix.to_owned()),
        _ => {}
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

/// Flattens JSON into `(path, value)` rows: `data.token`, `items[0].id`.
/// Scalars are shown as text (strings without quotes); empty objects and
/// lists as `{}` and `[]`.
pub fn flatten(value: &Value) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    flatten_into("", value, &mut rows);
    rows
}

fn flatten_into(prefix: &str, value: &Value, rows: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                flatten_into(&join(prefix, k), v, rows);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, v) in items.iter().enumerate() {
                flatten_into(&format!("{prefix}[{i}]"), v, rows);
            }
        }
        Value::String(s) => rows.push((prefix.to_owned(), s.clone())),
        other => rows.push((prefix.to_owned(), other.to_string())),
    }
}

/// The line printed instead of an empty answer (`{}` or nothing, as most
/// meeting control calls answer) in the formats meant for people (pretty
/// and table): the operation, the HTTP status and the request id. `None`
/// for an answer with content, and for `--output json`, which keeps the
/// answer as it is.
pub fn confirmation(
    operation: &str,
    answer: &Value,
    status: u16,
    request_id: Option<&str>,
    format: OutputFormat,
) -> Option<String> {
    let empty = match answer {
        Value::Null => true,
        Value::Object(map) => map.is_empty(),
        _ => false,
    };
    if !empty || format == OutputFormat::Json {
        return None;
    }
    let request_id = match request_id {
        Some(id) => format!("request id {id}"),
        None => "no request id".to_owned(),
    };
    Some(format!("{operation}: done (HTTP {status}, {request_id})"))
}

/// The text printed for an answer.
pub fn render(value: &Value, format: OutputFormat) -> String {
    match format {
        OutputFormat::Pretty => {
            serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
        }
        OutputFormat::Json => value.to_string(),
        OutputFormat::Table => {
            let rows = flatten(value);
            let width = rows
                .iter()
                .map(|(k, _)| k.chars().count())
                .max()
                .unwrap_or(0)
                .max(3);
            let mut out = String::new();
            let _ = writeln!(out, "{:<width$}  VALUE", "KEY");
            for (k, v) in rows {
                let key = if k.is_empty() { "." } else { k.as_str() };
                let _ = writeln!(out, "{key:<width$}  {v}");
            }
            out.trim_end().to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn table_flattens() {
        let v = json!({"data": {"token": "t", "role": 1, "list": ["a", "b"], "e": {}}, "ok": true});
        let t = render(&v, OutputFormat::Table);
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines[0].starts_with("KEY"));
        assert!(t.contains("data.token    t"), "{t}");
        assert!(t.contains("data.list[1]  b"), "{t}");
        assert!(t.contains("data.e        {}"), "{t}");
        assert!(t.contains("ok            true"), "{t}");
        assert_eq!(
            render(&json!(null), OutputFormat::Table),
            "KEY  VALUE\n.    null"
        );
    }

    #[test]
    fn empty_answers_are_confirmed_for_people_only() {
        let line = confirmation(
            "set_role",
            &json!({}),
            200,
            Some("r-1"),
            OutputFormat::Pretty,
        );
        assert_eq!(
            line.as_deref(),
            Some("set_role: done (HTTP 200, request id r-1)")
        );
        let line = confirmation("hang_up", &Value::Null, 200, None, OutputFormat::Table);
        assert_eq!(
            line.as_deref(),
            Some("hang_up: done (HTTP 200, no request id)")
        );
        assert_eq!(
            confirmation("x", &json!({}), 200, None, OutputFormat::Json),
            None
        );
        assert_eq!(
            confirmation("x", &json!({"a": 1}), 200, None, OutputFormat::Pretty),
            None
        );
    }

    #[test]
    fn json_formats() {
        let v = json!({"a": [1, 2]});
        assert_eq!(render(&v, OutputFormat::Json), r#"{"a":[1,2]}"#);
        assert!(render(&v, OutputFormat::Pretty).contains("\n"));
    }
}
