//! Figure 6: the time of the built `xtask codegen` over spec/, and over
//! spec/ copied N times under new names, which shows how the generator
//! scales with the number of endpoints.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::Value;

use crate::options::Plan;
use crate::report::Row;
use crate::stats::{interleave, millis};
use crate::{BenchError, progress};

/// The figure's label.
pub const FIGURE: &str = "6 codegen";

/// The name of the JSON Schema in a spec directory (not an endpoint).
const SCHEMA_FILE: &str = "schema.json";

/// The workspace root (two levels above this crate).
pub fn workspace_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = here.join("../..");
    root.canonicalize().unwrap_or(root)
}

/// The endpoint files of a spec directory, sorted.
fn endpoint_files(dir: &Path) -> Result<Vec<PathBuf>, BenchError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "json")
                && p.file_name().is_some_and(|n| n != SCHEMA_FILE)
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Renames, in one spec file's value, every Rust type name (an enum's
/// `rust_name`, an object's `model`: the ones that start with a capital;
/// a field's snake_case `rust_name` stays) by appending `suffix`; examples
/// are left alone.
fn rename_types(value: &mut Value, suffix: &str) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match (key.as_str(), &mut *v) {
                    ("examples", _) => {}
                    ("rust_name" | "model", Value::String(name))
                        if name.starts_with(|c: char| c.is_ascii_uppercase()) =>
                    {
                        name.push_str(suffix)
                    }
                    _ => rename_types(v, suffix),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rename_types(v, suffix)),
        _ => {}
    }
}

/// Writes `copies` copies of every endpoint of `spec_dir` into `out` (with
/// the schema), each under a new id (`set_role_c3`), path (`/c3/v1/...`)
/// and enum and model names (`ApplyChairC3`), so that the whole set
/// validates. Returns the number of endpoint files written.
///
/// ```
/// let out = tempfile::tempdir().unwrap();
/// let spec = hwmeeting_bench::codegen::workspace_root().join("spec");
/// let n = hwmeeting_bench::codegen::write_copies(&spec, out.path(), 2).unwrap();
/// assert!(n >= 2 && n % 2 == 0);
/// ```
pub fn write_copies(spec_dir: &Path, out: &Path, copies: usize) -> Result<usize, BenchError> {
    std::fs::create_dir_all(out)?;
    std::fs::copy(spec_dir.join(SCHEMA_FILE), out.join(SCHEMA_FILE))?;
    let mut written = 0;
    for file in endpoint_files(spec_dir)? {
        let spec: Value = serde_json::from_slice(&std::fs::read(&file)?)?;
        let id = spec
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{} has no id", file.display()))?
            .to_owned();
        let path = spec
            .get("path")
            .and_then(Value::as_str)
            .unwrap_or("/")
            .to_owned();
        for k in 1..=copies {
            let mut copy = spec.clone();
            let new_id = format!("{id}_c{k}");
            copy["id"] = Value::String(new_id.clone());
            copy["path"] = Value::String(format!("/c{k}{path}"));
            rename_types(&mut copy, &format!("C{k}"));
            std::fs::write(
                out.join(format!("{new_id}.json")),
                serde_json::to_vec_pretty(&copy)?,
            )?;
            written += 1;
        }
    }
    Ok(written)
}

/// The xtask binary: the one given, or the one cargo builds now (a no-op
/// when it is fresh), in the same profile as this program.
pub fn find_xtask(given: Option<&Path>) -> Result<PathBuf, BenchError> {
    if let Some(path) = given {
        return Ok(path.to_owned());
    }
    progress(FIGURE, "cargo build -p xtask (a no-op when it is fresh)");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args([
            "build",
            "-p",
            "xtask",
            "--bin",
            "xtask",
            "--message-format=json",
        ])
        .current_dir(workspace_root())
        .stderr(Stdio::inherit());
    if !cfg!(debug_assertions) {
        command.arg("--release");
    }
    let output = command.output()?;
    if !output.status.success() {
        return Err("cargo build -p xtask failed".into());
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|m| m.pointer("/target/name").and_then(Value::as_str) == Some("xtask"))
        .find_map(|m| {
            m.get("executable")
                .and_then(Value::as_str)
                .map(PathBuf::from)
        })
        .ok_or_else(|| "cargo built xtask but named no executable".into())
}

/// Runs `xtask codegen --spec-dir SPEC --out-dir <new temp dir>` once;
/// returns the wall time in milliseconds.
fn run_once(xtask: &Path, spec_dir: &Path) -> Result<f64, BenchError> {
    let out = tempfile::tempdir()?;
    // The generator also regenerates the README's table of operations,
    // which it reads from the output root.
    let readme = workspace_root().join("README.md");
    if readme.is_file() {
        std::fs::copy(&readme, out.path().join("README.md"))?;
    }
    let mut command = Command::new(xtask);
    command
        .arg("codegen")
        .arg("--spec-dir")
        .arg(spec_dir)
        .arg("--out-dir")
        .arg(out.path())
        .current_dir(workspace_root())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let output = command.output()?;
    let elapsed = started.elapsed();
    if !output.status.success() {
        return Err(format!(
            "{} codegen --spec-dir {} failed: {}",
            xtask.display(),
            spec_dir.display(),
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok(millis(elapsed))
}

/// Figure 6: `xtask codegen` over spec/ and over `plan.copies` renamed
/// copies of it, alternating, `plan.codegen_runs` runs each (the code is
/// laid out by prettyplease in process: no formatter runs).
pub fn run(plan: &Plan, xtask: Option<&Path>) -> Result<Vec<Row>, BenchError> {
    let xtask = find_xtask(xtask)?;
    let spec = workspace_root().join("spec");
    let scratch = tempfile::tempdir()?;
    let copies_dir = scratch.path().join("spec-copies");
    let endpoints = endpoint_files(&spec)?.len();
    let copied = write_copies(&spec, &copies_dir, plan.copies)?;

    // Warm: the binary, the file cache; and the copies must validate.
    progress(FIGURE, "warming up");
    run_once(&xtask, &spec)?;
    run_once(&xtask, &copies_dir)?;

    let mut rows = Vec::new();
    let (one, many) = interleave(
        plan.codegen_runs,
        |run| {
            progress(
                FIGURE,
                &format!("spec/: run {}/{}", run + 1, plan.codegen_runs),
            );
            run_once(&xtask, &spec)
        },
        |run| {
            progress(
                FIGURE,
                &format!(
                    "spec/ x{}: run {}/{}",
                    plan.copies,
                    run + 1,
                    plan.codegen_runs
                ),
            );
            run_once(&xtask, &copies_dir)
        },
    )?;
    let per_one = crate::stats::median(&one) / endpoints.max(1) as f64;
    let per_many = crate::stats::median(&many) / copied.max(1) as f64;
    rows.push(Row::single(
        FIGURE,
        format!("xtask codegen, spec/ ({endpoints} endpoints)"),
        "ms",
        one.clone(),
    ));
    rows.push(
        Row::paired(
            FIGURE,
            format!("xtask codegen, spec/ x{} ({copied} endpoints)", plan.copies),
            "ms",
            many,
            &format!("spec/ ({endpoints} endpoints)"),
            one,
        )
        .note(format!(
            "{per_one:.1} ms/endpoint at {endpoints}, {per_many:.1} ms/endpoint at {copied}"
        )),
    );
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_get_new_names_everywhere_but_examples() {
        let spec = workspace_root().join("spec");
        let out = tempfile::tempdir().unwrap();
        let n = write_copies(&spec, out.path(), 2).unwrap();
        assert_eq!(n, 2 * endpoint_files(&spec).unwrap().len());
        assert!(out.path().join(SCHEMA_FILE).is_file());
        let copy: Value =
            serde_json::from_slice(&std::fs::read(out.path().join("set_role_c2.json")).unwrap())
                .unwrap();
        assert_eq!(copy["id"], "set_role_c2");
        assert_eq!(
            copy["path"],
            "/c2/v1/mmc/control/conferences/participants/role"
        );
        let text = copy.to_string();
        assert!(text.contains("\"ApplyChairC2\""), "{text}");
        assert!(!text.contains("\"ApplyChair\""), "{text}");
        // Examples keep their wire values.
        assert_eq!(
            copy["examples"][0]["request"]["body"]["applyChair"],
            serde_json::json!(1)
        );
    }
}
