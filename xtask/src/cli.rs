//! The command line: `cargo xtask codegen [--check] [--spec-dir DIR]
//! [--schema FILE] [--out-dir DIR] [--core-path PATH] [--readme FILE]
//! [--openapi FILE]`, and `cargo xtask openapi [--check] [--spec-dir DIR]
//! [--schema FILE] [--out FILE]`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::codegen::{self, Options};

const USAGE: &str = "\
usage: cargo xtask codegen [--check] [--spec-dir DIR] [--schema FILE] [--out-dir DIR]
                           [--core-path PATH] [--readme FILE] [--openapi FILE]
       cargo xtask openapi [--check] [--spec-dir DIR] [--schema FILE] [--out FILE]
       cargo xtask facts [--facts FILE]

  facts holds spec/ against the official SDKs' facts (default:
  ../shared/reference/meeting-api.json beside the checkout): method, path,
  every parameter's location, name, type and required-ness, nested fields
  included; the differences made on purpose are in xtask/facts_deviations.json.

  codegen generates the Rust code of every operation in spec/*.json, the
  README's table of operations and openapi.json; openapi generates only
  openapi.json, the OpenAPI 3.0.3 document of spec/*.json.

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
                    workspace's README.md, none with --out-dir)
  --openapi FILE    write the OpenAPI document to FILE (default: the
                    workspace's openapi.json, none with --out-dir)
  --out FILE        (openapi) write the OpenAPI document to FILE (default:
                    <workspace>/openapi.json)";

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
        Some("codegen") => codegen_command(&args[1..], Task::Codegen),
        Some("openapi") => codegen_command(&args[1..], Task::OpenApi),
        Some("facts") => facts_command(&args[1..]),
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

/// `cargo xtask facts [--facts FILE]`: holds spec/ against the facts of
/// the official SDKs (see [`crate::facts`]).
fn facts_command(args: &[String]) -> ExitCode {
    let root = workspace_root();
    let mut facts = root.join("../shared/reference/meeting-api.json");
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match (arg.as_str(), rest.next()) {
            ("--facts", Some(path)) => facts = PathBuf::from(path),
            _ => {
                eprintln!("usage: cargo xtask facts [--facts FILE]");
                return ExitCode::from(2);
            }
        }
    }
    match crate::facts::check(
        &root.join("spec"),
        &facts,
        &root.join("xtask/facts_deviations.json"),
    ) {
        Ok(summary) => {
            print!("{summary}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprint!("{error}");
            ExitCode::FAILURE
        }
    }
}

/// What a command generates.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Task {
    /// Everything: the Rust code, the README's table, openapi.json.
    Codegen,
    /// Only openapi.json.
    OpenApi,
}

fn codegen_command(args: &[String], task: Task) -> ExitCode {
    let root = workspace_root();
    let mut check = false;
    let mut spec_dir: Option<String> = None;
    let mut out_dir: Option<PathBuf> = None;
    let mut core_path: Option<String> = None;
    let mut schema: Option<PathBuf> = None;
    let mut readme: Option<PathBuf> = None;
    let mut openapi: Option<PathBuf> = None;
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
            "--schema" => value("--schema").map(|v| schema = Some(PathBuf::from(v))),
            "--out-dir" if task == Task::Codegen => {
                value("--out-dir").map(|v| out_dir = Some(PathBuf::from(v)))
            }
            "--core-path" if task == Task::Codegen => {
                value("--core-path").map(|v| core_path = Some(v))
            }
            "--readme" if task == Task::Codegen => {
                value("--readme").map(|v| readme = Some(PathBuf::from(v)))
            }
            "--openapi" if task == Task::Codegen => {
                value("--openapi").map(|v| openapi = Some(PathBuf::from(v)))
            }
            "--out" if task == Task::OpenApi => {
                value("--out").map(|v| openapi = Some(PathBuf::from(v)))
            }
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
        options.openapi_file = None;
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
    if let Some(path) = openapi {
        options.openapi_file = Some(path);
    }
    if task == Task::OpenApi {
        return openapi_command(&options, check, &out_root);
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

/// `cargo xtask openapi`: only the OpenAPI document.
fn openapi_command(options: &Options, check: bool, root: &Path) -> ExitCode {
    let path = options
        .openapi_file
        .clone()
        .unwrap_or_else(|| root.join(crate::openapi::FILE));
    let generated = match codegen::generate_openapi(options, &path) {
        Ok(g) => [g],
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            eprintln!(
                "openapi: {} error(s); nothing was written",
                diagnostics.errors.len()
            );
            return ExitCode::FAILURE;
        }
    };
    let shown = path
        .strip_prefix(root)
        .unwrap_or(&path)
        .display()
        .to_string();
    if check {
        let drift = codegen::check_files(&generated);
        if drift.is_empty() {
            println!("openapi: {shown} is up to date");
            ExitCode::SUCCESS
        } else {
            for d in &drift {
                eprintln!("{}", d.describe(root));
            }
            eprintln!("openapi: {shown} is out of date; run `cargo xtask openapi`");
            ExitCode::FAILURE
        }
    } else {
        match codegen::write_files(&generated) {
            Ok(changed) if changed.is_empty() => {
                println!("openapi: {shown} is up to date");
                ExitCode::SUCCESS
            }
            Ok(_) => {
                println!("openapi: {shown} written");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("openapi: cannot write {shown}: {e}");
                ExitCode::FAILURE
            }
        }
    }
}
