//! The generator's tests: the checked-in generated code is up to date, the
//! fixture endpoint generates the checked-in golden files, and broken specs
//! fail with the file, the JSON pointer and what is wrong.

use std::fs;
use std::path::{Path, PathBuf};

mod common;
use common::{on_fixture, root, text, xtask};

use xtask::codegen::{self, Options};

/// `cargo xtask codegen` itself.
#[test]
fn generated_code_is_up_to_date() {
    let root = root();
    let options = Options::workspace(&root, root.join("spec"), "spec".into());
    let generated = codegen::generate(&options).unwrap_or_else(|e| panic!("spec errors:\n{e}"));
    let drift = codegen::check(&options, &generated);
    let lines: Vec<String> = drift.iter().map(|d| d.describe(&root)).collect();
    assert!(
        drift.is_empty(),
        "generated code differs from spec/ (run `cargo xtask codegen`):\n{}",
        lines.join("\n")
    );
}

/// Where the fixture's generated files are checked in: the core files are
/// compiled by `crates/hwmeeting-api/tests/fixture_endpoint.rs`.
fn golden_path(generated_rel: &Path) -> PathBuf {
    let root = root();
    let core = Path::new("crates/hwmeeting-api/src/generated");
    match generated_rel.to_str().unwrap() {
        p if p.starts_with("crates/hwmeeting-api/") => root
            .join("crates/hwmeeting-api/tests/fixture_generated")
            .join(generated_rel.strip_prefix(core).unwrap()),
        p if p.starts_with("crates/hwmeeting-blocking/") => {
            root.join("xtask/tests/golden/blocking_generated.rs")
        }
        p if p.starts_with("crates/hwmeeting-async/") => {
            root.join("xtask/tests/golden/async_generated.rs")
        }
        other => panic!("unexpected generated file {other}"),
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Generates the fixture endpoint into a temp dir with the command line and
/// compares every file with its checked-in copy. `UPDATE_GOLDEN=1`
/// rewrites the copies.
#[test]
fn fixture_endpoint_matches_the_golden_files() {
    let out = tempfile::tempdir().unwrap();
    let run = xtask(&[
        "codegen",
        "--spec-dir",
        "xtask/tests/fixtures/spec",
        "--schema",
        "spec/schema.json",
        "--core-path",
        "hwmeeting_core",
        "--out-dir",
        out.path().to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let generated = files_under(out.path());
    // mod.rs, the four operations, models/mod.rs with one file per enum
    // and model (2 + 3), and the two clients.
    assert_eq!(generated.len(), 13, "{generated:?}");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for file in &generated {
        let rel = file.strip_prefix(out.path()).unwrap();
        let golden = golden_path(rel);
        let fresh = fs::read_to_string(file).unwrap();
        if fs::read_to_string(&golden).ok().as_deref() != Some(fresh.as_str()) {
            if update {
                fs::create_dir_all(golden.parent().unwrap()).unwrap();
                fs::write(&golden, &fresh).unwrap();
            } else {
                stale.push(golden.strip_prefix(root()).unwrap().display().to_string());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "golden files differ from the generator's output (UPDATE_GOLDEN=1 cargo test -p xtask):\n{}",
        stale.join("\n")
    );
}

/// Runs the generator on `xtask/tests/fixtures/invalid/<case>/` (with the
/// real schema) and returns its error lines.
fn errors_of(case: &str) -> Vec<String> {
    let root = root();
    let mut options = Options::workspace(
        Path::new("/nonexistent"),
        root.join("xtask/tests/fixtures/invalid").join(case),
        "spec".into(),
    );
    options.schema_file = root.join("spec/schema.json");
    match codegen::generate(&options) {
        Ok(_) => panic!("{case}: the broken spec was accepted"),
        Err(d) => d.errors.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn broken_specs_name_the_file_the_pointer_and_the_mistake() {
    let cases = [
        (
            "unknown_key",
            "spec/unknown_key.json: /owner: unknown key `owner`",
        ),
        (
            "bad_type",
            r#"spec/bad_type.json: /parameters/1/type: "int" is not one of "string", "integer" or 5 other candidates"#,
        ),
        (
            "duplicate_enum_value",
            "spec/duplicate_enum_value.json: /parameters/1/enum/values/1/value: the value 0 is already listed at /parameters/1/enum/values/0",
        ),
        (
            "required_if_missing",
            "spec/required_if_missing.json: /parameters/2/required_if/parameter: `modus` names no sibling parameter or field",
        ),
        (
            "id_mismatch",
            "spec/id_mismatch.json: /id: the id `something_else` differs from the file name `id_mismatch.json`",
        ),
        (
            "path_parameter_missing",
            "spec/path_parameter_missing.json: /path: the path segment `{roomID}` has no parameter `roomID` in the path",
        ),
        (
            "default_not_in_enum",
            "spec/default_not_in_enum.json: /parameters/1/default: the default 7 is not one of the values of `FixtureMode`",
        ),
        (
            "conflicting_enum",
            "spec/b_second.json: /parameters/1/enum: enum `FixtureMode` is already defined differently in spec/a_first.json at /parameters/1/enum",
        ),
        (
            "conflicting_response_model",
            "spec/b_second.json: /response: model `FixtureAnswer` is already defined differently in spec/a_first.json at /response",
        ),
        (
            "response_model_undescribed",
            r#"spec/response_model_undescribed.json: /response: "model_description" is a required property"#,
        ),
        (
            "rust_name_collision",
            "spec/rust_name_collision.json: /parameters/2/name: the Rust name `conference_id` is already the name of /parameters/0 (`conferenceID`)",
        ),
        (
            "time_on_boolean",
            "spec/time_on_boolean.json: /parameters/2/time: `minute_utc` needs a plain string field",
        ),
        (
            "pagination_without_count",
            "spec/pagination_without_count.json: /pagination/count: `total` is not an integer field of the answer (an object)",
        ),
        (
            "list_without_model",
            r#"spec/list_without_model.json: /response: "model" is a required property"#,
        ),
        (
            "too_many_parameters",
            "spec/too_many_parameters.json: /parameters: 33 parameters; an operation may have at most 32",
        ),
        (
            "whole_body_not_alone",
            "spec/whole_body_not_alone.json: /parameters/0/whole_body: the whole body must be the only body parameter",
        ),
        (
            "file_in_body",
            r#"spec/file_in_body.json: /parameters/0/in: "form" was expected"#,
        ),
        (
            "upload_with_get",
            "spec/upload_with_get.json: /method: an upload is sent with POST, PUT or PATCH",
        ),
    ];
    for (case, want) in cases {
        assert_eq!(errors_of(case), vec![want.to_owned()], "{case}");
    }
}

#[test]
fn a_broken_spec_exits_1_and_writes_nothing() {
    let out = tempfile::tempdir().unwrap();
    let run = xtask(&[
        "codegen",
        "--spec-dir",
        "xtask/tests/fixtures/invalid/unknown_key",
        "--schema",
        "spec/schema.json",
        "--out-dir",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        text(&run.stderr).contains(
            "xtask/tests/fixtures/invalid/unknown_key/unknown_key.json: /owner: unknown key `owner`"
        ),
        "{}",
        text(&run.stderr)
    );
    assert!(files_under(out.path()).is_empty());
}

#[test]
fn check_mode_names_stale_missing_and_extra_files() {
    let out = tempfile::tempdir().unwrap();
    let args = |check: bool| {
        let mut a = vec![
            "codegen",
            "--spec-dir",
            "xtask/tests/fixtures/spec",
            "--schema",
            "spec/schema.json",
            "--out-dir",
            out.path().to_str().unwrap(),
        ];
        if check {
            a.push("--check");
        }
        a.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let run = |check: bool| {
        let a = args(check);
        xtask(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };

    // Nothing there yet: every file is missing, and nothing is written.
    let first = run(true);
    assert_eq!(first.status.code(), Some(1));
    assert!(text(&first.stderr).contains("missing: crates/hwmeeting-api/src/generated/mod.rs"));
    assert!(files_under(out.path()).is_empty());

    assert!(run(false).status.success());
    assert!(run(true).status.success());

    let core = out.path().join("crates/hwmeeting-api/src/generated");
    let op = core.join("rename_participant_fixture.rs");
    fs::write(&op, fs::read_to_string(&op).unwrap() + "// edited\n").unwrap();
    let gone = core.join("removed_operation.rs");
    fs::write(
        &gone,
        format!("{} from spec/removed_operation.json.\n", codegen::MARKER),
    )
    .unwrap();
    let handwritten = core.join("notes.rs");
    fs::write(&handwritten, "// not generated\n").unwrap();

    let stale = run(true);
    assert_eq!(stale.status.code(), Some(1));
    let err = text(&stale.stderr);
    assert!(
        err.contains("stale: crates/hwmeeting-api/src/generated/rename_participant_fixture.rs"),
        "{err}"
    );
    assert!(
        err.contains("extra: crates/hwmeeting-api/src/generated/removed_operation.rs"),
        "{err}"
    );
    assert!(!err.contains("notes.rs"), "{err}");

    // Writing fixes both, and leaves files it did not generate alone.
    assert!(run(false).status.success());
    assert!(run(true).status.success());
    assert!(!gone.exists());
    assert!(handwritten.exists());
}

#[test]
fn generation_is_deterministic() {
    let root = root();
    let options = Options::workspace(&root, root.join("spec"), "spec".into());
    let a = codegen::generate(&options).unwrap();
    let b = codegen::generate(&options).unwrap();
    assert_eq!(a, b);
}

/// `--readme`: the table of operations is written between the README's
/// marker lines and checked like the code; without the markers both modes
/// fail, saying what is missing, and write nothing.
#[test]
fn readme_table_is_generated_and_checked() {
    let out = tempfile::tempdir().unwrap();
    let readme = out.path().join("README.md");
    let out_dir = out.path().to_str().unwrap();
    let readme_path = readme.to_str().unwrap();
    let run = |check: bool| {
        on_fixture(
            "codegen",
            &["--out-dir", out_dir, "--readme", readme_path],
            check,
        )
    };

    let original = format!(
        "# Title\n\nBefore.\n\n{}\nanything old\n{}\n\nAfter.\n",
        xtask::readme::BEGIN,
        xtask::readme::END
    );
    fs::write(&readme, &original).unwrap();
    let stale = run(true);
    assert_eq!(stale.status.code(), Some(1));
    assert!(
        text(&stale.stderr).contains("stale: README.md"),
        "{}",
        text(&stale.stderr)
    );
    assert_eq!(fs::read_to_string(&readme).unwrap(), original);

    assert!(run(false).status.success());
    let written = fs::read_to_string(&readme).unwrap();
    let want_table = "| group | operation | method | path | summary | credential | idempotent |\n\
        | --- | --- | --- | --- | --- | --- | --- |\n\
        | meeting_control | `batch_fixture` | POST | `/v1/fixture/{room}/items/delete` | A fixture of the generator's tests. | access token | yes |\n\
        | meeting_control | `labels_fixture` | PUT | `/v1/fixture/labels` | A fixture of the generator's tests. | access token | yes |\n\
        | meeting_control | `rename_participant_fixture` | PUT | `/v1/fixture/rooms/{roomID}/participants/name` | Rename a participant (a made-up endpoint that tests the generator). | meeting control token | yes |\n\
        | meeting_control | `upload_fixture` | POST | `/v1/fixture/{owner}/pictures` | A fixture of the generator's tests. | access token | yes |\n";
    assert_eq!(
        written,
        format!(
            "# Title\n\nBefore.\n\n{}\n{want_table}{}\n\nAfter.\n",
            xtask::readme::BEGIN,
            xtask::readme::END
        )
    );
    assert!(run(true).status.success());

    // Without the markers: an error naming them, in both modes.
    fs::write(&readme, "# Title\n\nNo table here.\n").unwrap();
    for check in [true, false] {
        let failed = run(check);
        assert_eq!(failed.status.code(), Some(1));
        let err = text(&failed.stderr);
        assert!(err.contains("README.md"), "{err}");
        assert!(err.contains(xtask::readme::BEGIN), "{err}");
        assert!(err.contains("is missing"), "{err}");
    }
    assert_eq!(
        fs::read_to_string(&readme).unwrap(),
        "# Title\n\nNo table here.\n"
    );
}

/// The generator's parameter limit is the runtime's: past the runtime's,
/// `Views::new` gives `None` and a request would lose its parameters.
#[test]
fn the_parameter_limit_is_the_runtimes() {
    let view = fs::read_to_string(root().join("crates/hwmeeting-core/src/view.rs")).unwrap();
    let line = format!(
        "pub const MAX_PARAMS: usize = {};",
        xtask::rules::MAX_PARAMS
    );
    assert!(
        view.contains(&line),
        "crates/hwmeeting-core/src/view.rs must say `{line}`"
    );
}

/// The features a manifest declares (the keys of its `[features]` table)
/// and the members of its `full` feature: read line by line, as the
/// manifests write one feature a line.
fn features(manifest: &Path) -> (Vec<String>, Vec<String>) {
    let text = fs::read_to_string(manifest).unwrap();
    let mut in_features = false;
    let (mut declared, mut full) = (Vec::new(), Vec::new());
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_features = line == "[features]";
            continue;
        }
        if !in_features || line.starts_with('#') {
            continue;
        }
        if let Some((name, value)) = line.split_once(" = ") {
            declared.push(name.to_owned());
            if name == "full" {
                full = value
                    .trim_matches(['[', ']'])
                    .split(',')
                    .map(|v| v.trim().trim_matches('"').to_owned())
                    .filter(|v| !v.is_empty())
                    .collect();
            }
        }
    }
    (declared, full)
}

/// Every chapter of `spec/` (but `auth`, always compiled) is a feature of
/// hwmeeting-api and of both clients, and part of their `full`: a chapter
/// without its feature would be generated behind a `#[cfg]` nobody can
/// turn on.
#[test]
fn every_chapter_is_a_feature_of_the_generated_crate_and_both_clients() {
    let root = root();
    let mut chapters: Vec<String> = fs::read_dir(root.join("spec"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter(|p| p.file_name().is_some_and(|n| n != "schema.json"))
        .map(|p| {
            let spec: serde_json::Value =
                serde_json::from_str(&fs::read_to_string(&p).unwrap()).unwrap();
            spec["group"].as_str().unwrap().to_owned()
        })
        .filter(|g| g != "auth")
        .collect();
    chapters.sort();
    chapters.dedup();
    assert!(chapters.contains(&"meeting_control".to_owned()));
    for krate in ["hwmeeting-api", "hwmeeting-blocking", "hwmeeting-async"] {
        let (declared, full) = features(&root.join("crates").join(krate).join("Cargo.toml"));
        for chapter in &chapters {
            assert!(
                declared.contains(chapter),
                "{krate}: no feature `{chapter}` (add `{chapter} = [..]` to its Cargo.toml)"
            );
            assert!(full.contains(chapter), "{krate}: `full` lacks `{chapter}`");
        }
    }
}
