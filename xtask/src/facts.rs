//! `cargo xtask facts`: holds `spec/` against the facts of the official
//! SDKs (`meeting-api.json`: every operation with its method, path and
//! parameters), mechanically, so a spec file cannot drift from what the
//! official SDKs send.
//!
//! Compared, for every spec file: that the operation exists in the facts,
//! its method and path, and every parameter's location, wire name, type
//! and required-ness, nested object fields and list items included. The
//! credential header of the spec's `auth` is left out (the SDK sends it
//! from its credential, not as a parameter). Each difference is a line
//! `operation: what`; the ones made on purpose are listed, with why, in
//! `xtask/facts_deviations.json`. The check fails on a difference that is
//! not listed, and on a listed one that no longer occurs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

/// A difference made on purpose.
#[derive(Debug, Deserialize)]
pub struct Deviation {
    /// The difference, as [`compare`] words it.
    pub difference: String,
    /// Why the spec differs.
    pub why: String,
}

/// What a comparison found.
#[derive(Debug, Default)]
pub struct Report {
    /// Every difference, `operation: what`.
    pub differences: Vec<String>,
    /// Operations of the facts no spec file covers, by chapter.
    pub uncovered: BTreeMap<String, Vec<String>>,
    /// Operations of the facts the spec covers, by chapter.
    pub covered: BTreeMap<String, usize>,
}

/// Compares the spec files (their JSON) with the facts' operations.
pub fn compare(specs: &[Value], facts: &[Value]) -> Report {
    let mut report = Report::default();
    let by_id: BTreeMap<&str, &Value> = facts
        .iter()
        .filter_map(|op| Some((op.get("operation")?.as_str()?, op)))
        .collect();
    let mut seen = BTreeSet::new();
    for spec in specs {
        let id = text(spec, "id");
        let Some(fact) = by_id.get(id) else {
            report.differences.push(format!("{id}: not in the facts"));
            continue;
        };
        seen.insert(id);
        let mut out = Vec::new();
        for key in ["method", "path"] {
            if text(fact, key) != text(spec, key) {
                out.push(format!(
                    "{key} is {} in the facts, {} in the spec",
                    text(fact, key),
                    text(spec, key)
                ));
            }
        }
        let credential = spec
            .pointer("/auth/header")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_ascii_lowercase();
        let params = list(spec, "parameters");
        // Form parts are the fields of the facts' body (a multipart one).
        let (body, outside): (Vec<&Value>, Vec<&Value>) = params.into_iter().partition(|p| {
            matches!(
                p.get("in").and_then(Value::as_str).unwrap_or("body"),
                "body" | "form"
            )
        });
        let fact_params: Vec<&Value> = list(fact, "parameters")
            .into_iter()
            .filter(|p| text(p, "name").to_ascii_lowercase() != credential)
            .collect();
        compare_fields("", &fact_params, &outside, true, &mut out);
        let whole = body
            .iter()
            .find(|p| p.get("whole_body").and_then(Value::as_bool) == Some(true));
        match (whole, fact.get("body")) {
            // A body that is one value: compared with the facts' body
            // itself. Its required-ness is not: the Go SDK types every body
            // as an optional pointer (the facts' `conventions`).
            (Some(whole), Some(fact_body)) => {
                compare_field("the body", fact_body, whole, false, &mut out);
                let map_of = text(fact_body, "model").strip_prefix("map[string]");
                if let (Some(fact_values), Some(values)) = (map_of, whole.get("values")) {
                    let ty = text(values, "type");
                    if fact_values != ty {
                        out.push(format!(
                            "the body's values are {fact_values} in the facts, {ty} in the spec"
                        ));
                    }
                }
            }
            (Some(_), None) => out.push("the body is in the spec, not in the facts".into()),
            (None, fact_body) => {
                let fact_body = fact_body.map(|b| list(b, "fields")).unwrap_or_default();
                compare_fields("body ", &fact_body, &body, false, &mut out);
            }
        }
        report
            .differences
            .extend(out.into_iter().map(|what| format!("{id}: {what}")));
    }
    for fact in facts {
        let id = text(fact, "operation");
        let chapter = text(fact, "chapter").to_owned();
        if seen.contains(id) {
            *report.covered.entry(chapter).or_default() += 1;
        } else {
            report
                .uncovered
                .entry(chapter)
                .or_default()
                .push(id.to_owned());
        }
    }
    report
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

fn list<'a>(value: &'a Value, key: &str) -> Vec<&'a Value> {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

/// Compares two lists of fields by wire name; `located` compares their
/// `in` too (request parameters outside the body).
fn compare_fields(
    prefix: &str,
    facts: &[&Value],
    spec: &[&Value],
    located: bool,
    out: &mut Vec<String>,
) {
    let index = |list: &[&Value]| -> BTreeMap<String, Value> {
        list.iter()
            .map(|v| (text(v, "name").to_owned(), (*v).clone()))
            .collect()
    };
    let (facts, spec) = (index(facts), index(spec));
    for name in facts.keys().chain(spec.keys()).collect::<BTreeSet<_>>() {
        let at = format!("{prefix}`{name}`");
        match (facts.get(name), spec.get(name)) {
            (Some(_), None) => out.push(format!("{at} is in the facts, not in the spec")),
            (None, Some(_)) => out.push(format!("{at} is in the spec, not in the facts")),
            (Some(f), Some(s)) => {
                if located && text(f, "in") != text(s, "in") {
                    out.push(format!(
                        "{at} travels in {} in the facts, in {} in the spec",
                        text(f, "in"),
                        text(s, "in")
                    ));
                }
                compare_field(&at, f, s, true, out);
            }
            (None, None) => {}
        }
    }
}

/// Compares one field: type, required-ness (unless it is a list item),
/// nested fields and list items.
fn compare_field(at: &str, facts: &Value, spec: &Value, required: bool, out: &mut Vec<String>) {
    let (ft, st) = (text(facts, "type"), text(spec, "type"));
    if ft != st {
        out.push(format!("{at} is {ft} in the facts, {st} in the spec"));
        return;
    }
    let is_required = |v: &Value| v.get("required").and_then(Value::as_bool).unwrap_or(false);
    if required && is_required(facts) != is_required(spec) {
        out.push(format!(
            "{at} is {} in the facts, {} in the spec",
            if is_required(facts) {
                "required"
            } else {
                "optional"
            },
            if is_required(spec) {
                "required"
            } else {
                "optional"
            },
        ));
    }
    match ft {
        "object" => compare_fields(
            &format!("{at}."),
            &list(facts, "fields"),
            &list(spec, "fields"),
            false,
            out,
        ),
        "array" => {
            // The facts write a list of scalars as `"items": "string"`.
            let item = |v: &Value| match v.get("items") {
                Some(Value::String(ty)) => serde_json::json!({ "type": ty }),
                Some(other) => other.clone(),
                None => Value::Null,
            };
            compare_field(&format!("{at}[]"), &item(facts), &item(spec), false, out);
        }
        _ => {}
    }
}

/// Runs the check over the workspace's `spec/`, the facts file and the
/// deviations file; `Err` holds what to print when it fails.
pub fn check(spec_dir: &Path, facts_file: &Path, deviations_file: &Path) -> Result<String, String> {
    let listed_in = deviations_file
        .file_name()
        .map(|n| format!("xtask/{}", n.to_string_lossy()))
        .unwrap_or_default();
    let read = |path: &Path| -> Result<Value, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read it: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))
    };
    let mut specs = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(spec_dir)
        .map_err(|e| format!("{}: {e}", spec_dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "json")
                && p.file_name().is_some_and(|n| n != crate::spec::SCHEMA_FILE)
        })
        .collect();
    entries.sort();
    for path in &entries {
        specs.push(read(path)?);
    }
    let facts = read(facts_file)?;
    let operations: Vec<Value> = facts
        .get("operations")
        .and_then(Value::as_array)
        .cloned()
        .ok_or_else(|| format!("{}: no `operations` list", facts_file.display()))?;
    let deviations: BTreeMap<String, Deviation> =
        serde_json::from_value::<Vec<Deviation>>(read(deviations_file)?)
            .map_err(|e| format!("{}: {e}", deviations_file.display()))?
            .into_iter()
            .map(|d| (d.difference.clone(), d))
            .collect();
    let report = compare(&specs, &operations);
    let found: BTreeSet<&String> = report.differences.iter().collect();
    let unlisted: Vec<&String> = report
        .differences
        .iter()
        .filter(|d| !deviations.contains_key(*d))
        .collect();
    let stale: Vec<&String> = deviations.keys().filter(|d| !found.contains(d)).collect();
    let mut summary = format!(
        "facts: {} spec files checked against {} operations of the official SDKs; {} differences, all listed with why in {}\n",
        specs.len(),
        operations.len(),
        report.differences.len(),
        listed_in
    );
    for (chapter, covered) in &report.covered {
        let missing = report.uncovered.get(chapter).map_or(0, Vec::len);
        summary.push_str(&format!(
            "  {chapter}: {covered} of {} covered\n",
            covered + missing
        ));
    }
    let untouched: Vec<_> = report
        .uncovered
        .iter()
        .filter(|(chapter, _)| !report.covered.contains_key(*chapter))
        .map(|(chapter, ops)| format!("{chapter} ({})", ops.len()))
        .collect();
    if !untouched.is_empty() {
        summary.push_str(&format!("  not yet in spec/: {}\n", untouched.join(", ")));
    }
    if unlisted.is_empty() && stale.is_empty() {
        return Ok(summary);
    }
    let mut error = String::new();
    for d in unlisted {
        error.push_str(&format!(
            "differs from the facts: {d}\n  (fix the spec, or list it with why in {listed_in})\n"
        ));
    }
    for d in stale {
        error.push_str(&format!(
            "listed in {listed_in} but no longer a difference: {d}\n"
        ));
    }
    Err(error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fact() -> Value {
        json!({
            "operation": "op", "chapter": "c", "method": "PUT", "path": "/v1/x",
            "parameters": [
                {"name": "conferenceID", "in": "query", "type": "string", "required": true},
                {"name": "X-Conference-Authorization", "in": "header", "type": "string", "required": true}
            ],
            "body": {"fields": [
                {"name": "list", "type": "array", "required": false, "items": "string"},
                {"name": "obj", "type": "object", "required": false, "fields": [
                    {"name": "n", "type": "integer", "required": true}
                ]}
            ]}
        })
    }

    fn spec() -> Value {
        json!({
            "id": "op", "method": "PUT", "path": "/v1/x",
            "auth": {"kind": "conference_token", "header": "X-Conference-Authorization"},
            "parameters": [
                {"name": "conferenceID", "in": "query", "type": "string", "required": true},
                {"name": "list", "in": "body", "type": "array", "required": false, "items": {"type": "string"}},
                {"name": "obj", "in": "body", "type": "object", "required": false, "fields": [
                    {"name": "n", "type": "integer", "required": true}
                ]}
            ]
        })
    }

    #[test]
    fn agreeing_files_have_no_difference() {
        let report = compare(&[spec()], &[fact()]);
        assert!(report.differences.is_empty(), "{:?}", report.differences);
        assert_eq!(report.covered["c"], 1);
    }

    #[test]
    fn every_kind_of_difference_is_found() {
        let mut s = spec();
        s["method"] = json!("POST");
        s["parameters"][0]["in"] = json!("header");
        s["parameters"][1]["items"] = json!({"type": "integer"});
        s["parameters"][2]["fields"][0]["required"] = json!(false);
        s["parameters"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "extra", "in": "body", "type": "string"}));
        let report = compare(&[s, json!({"id": "ghost"})], &[fact()]);
        assert_eq!(
            report.differences,
            vec![
                "op: method is PUT in the facts, POST in the spec",
                "op: `conferenceID` travels in query in the facts, in header in the spec",
                "op: body `extra` is in the spec, not in the facts",
                "op: body `list`[] is string in the facts, integer in the spec",
                "op: body `obj`.`n` is required in the facts, optional in the spec",
                "ghost: not in the facts",
            ]
        );
    }
}
