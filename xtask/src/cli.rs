//! The command line: `cargo xtask codegen [--check] [--spec-dir DIR]
//! [--schema FILE] [--out-dir DIR] [--core-path PATH]`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::codegen::{self, Options};

const USAGE: &str = "\
usage: cargo xtask codegen [--check] [--spec-dir DIR] [--schema FILE] [--out-dir DIR]
                           [--core-path PATH] [--readme FILE]

  Generates the Rust code of every operation in spec/*.json.

  --check           write nothing; exit 1 naming each file that is stale,
                    missing or left over
  --spec-dir DIR    read the spec files from DIR (default: <workspace>/spec)
  --schema FILE     the JSON Schema of the spec files (default: DIR/schema.json)
  --out-dir DIR     write under DIR instead of the workspace root (the same
                    layout: crates/hwmeeting-api/src/generated/, ...)
  --core-path PATH  path of the runtime crate in the generated code
                    (default `hwmeeting_core`)
  --readme FILE     generate the table of operations in FILE, between its
                    lines `<!-- BEGIN GENERATED: operations (cargo xtask
                    codegen) -->` and `<!-- END GENERATED: operations -->`;
                    it is an error when FILE lacks them (default: the
                    workspace's README.md, none with --out-dir)";

/// The workspace root (the parent of `xtask/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Runs the command line `args` (without the program name).
pub fn run(args: &[String]) -> ExitCode {
    match args.first().map(String::as_str) {
        Some("codegen") => codegen_command(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("unknown task `{other}`\n\n{USAGE}");
            ExitCode::from(2)
        }
        None => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn codegen_command(args: &[String]) -> ExitCode {
    let root = workspace_root();
    let mut check = false;
    let mut spec_dir: Option<String> = None;
    let mut out_dir: Option<PathBuf> = None;
    let mut core_path: Option<String> = None;
    let mut schema: Option<PathBuf> = None;
    let mut readme: Option<PathBuf> = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| -> Result<String, ExitCode> {
            iter.next().cloned().ok_or_else(|| {
                eprintln!("{name} needs a value\n\n{USAGE}");
                ExitCode::from(2)
            })
        };
        let parsed = match arg.as_str() {
            "--check" => {
                check = true;
                Ok(())
            }
            "--spec-dir" => value("--spec-dir").map(|v| spec_dir = Some(v)),
            "--out-dir" => value("--out-dir").map(|v| out_dir = Some(PathBuf::from(v))),
            "--core-path" => value("--core-path").map(|v| core_path = Some(v)),
            "--schema" => value("--schema").map(|v| schema = Some(PathBuf::from(v))),
            "--readme" => value("--readme").map(|v| readme = Some(PathBuf::from(v))),
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("unknown option `{other}`\n\n{USAGE}");
                Err(ExitCode::from(2))
            }
        };
        if let Err(code) = parsed {
            return code;
        }
    }

    let (spec_path, spec_label) = match spec_dir {
        Some(dir) => {
            let label = dir.trim_end_matches('/').to_owned();
            (PathBuf::from(dir), label)
        }
        None => (root.join("spec"), "spec".to_owned()),
    };
    // The README's table belongs to the workspace: a run into another
    // directory writes it only when `--readme` names a file.
    let into_workspace = out_dir.is_none();
    let out_root = out_dir.unwrap_or_else(|| root.clone());
    let mut options = Options::workspace(&out_root, spec_path, spec_label);
    if !into_workspace {
        options.readme_file = None;
    }
    if let Some(path) = schema {
        options.schema_file = path;
    }
    if let Some(path) = core_path {
        options.core_path = path;
    }
    if let Some(path) = readme {
        options.readme_file = Some(path);
    }

    let generated = match codegen::generate(&options) {
        Ok(g) => g,
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            eprintln!(
                "codegen: {} error(s); nothing was written",
                diagnostics.errors.len()
            );
            return ExitCode::FAILURE;
        }
    };
    if check {
        let drift = codegen::check(&options, &generated);
        if drift.is_empty() {
            println!(
                "codegen: {} generated files are up to date",
                generated.len()
            );
            ExitCode::SUCCESS
        } else {
            for d in &drift {
                eprintln!("{}", d.describe(&out_root));
            }
            eprintln!("codegen: generated code is out of date; run `cargo xtask codegen`");
            ExitCode::FAILURE
        }
    } else {
        match codegen::write(&options, &generated) {
            Ok(changed) => {
                for d in &changed {
                    println!(
                        "{}",
                        d.describe(&out_root)
                            .replacen("stale", "updated", 1)
                            .replacen("missing", "created", 1)
                            .replacen("extra", "removed", 1)
                    );
                }
                println!(
                    "codegen: {} files generated, {} changed",
                    generated.len(),
                    changed.len()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("codegen: cannot write: {e}");
                ExitCode::FAILURE
            }
        }
    }
}
