//! The generator as a whole: load and check the specs, emit every file,
//! then write them or compare them with what is on disk.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use proc_macro2::TokenStream;
use quote::quote;

use crate::catalog::Catalog;
use crate::emit::clients::Flavor;
use crate::emit::{self, Ctx};
use crate::error::Diagnostics;
use crate::{readme, rules, spec};

/// Where the generator reads and writes.
#[derive(Clone, Debug)]
pub struct Options {
    /// The directory of the spec files and `schema.json`.
    pub spec_dir: PathBuf,
    /// How that directory is named in messages and headers (`spec`).
    pub spec_label: String,
    /// The JSON Schema of the spec files (`spec/schema.json`).
    pub schema_file: PathBuf,
    /// The directory of `mod.rs`, `models.rs` and one file per operation.
    pub core_dir: PathBuf,
    /// The blocking client's `generated.rs`, if generated.
    pub blocking_file: Option<PathBuf>,
    /// The async client's `generated.rs`, if generated.
    pub async_file: Option<PathBuf>,
    /// The path of the core crate in the generated code: `crate`, or
    /// `hwmeeting_core` for code compiled outside the core crate.
    pub core_path: String,
    /// The command that regenerates the files, for their header.
    pub regenerate: String,
    /// The README whose operations table (between the lines
    /// [`readme::BEGIN`] and [`readme::END`]) is generated, if any.
    pub readme_file: Option<PathBuf>,
}

impl Options {
    /// The workspace layout under `root`, reading `spec_dir`.
    pub fn workspace(root: &Path, spec_dir: PathBuf, spec_label: String) -> Options {
        Options {
            schema_file: spec_dir.join(spec::SCHEMA_FILE),
            spec_dir,
            spec_label,
            core_dir: root.join("crates/hwmeeting-core/src/generated"),
            blocking_file: Some(root.join("crates/hwmeeting-blocking/src/generated.rs")),
            async_file: Some(root.join("crates/hwmeeting-async/src/generated.rs")),
            core_path: "crate".into(),
            regenerate: "`cargo xtask codegen`".into(),
            // The coverage table between the README's markers is generated
            // and checked like the code.
            readme_file: Some(root.join("README.md")),
        }
    }
}

/// One file the generator produces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    /// Where it goes.
    pub path: PathBuf,
    /// Its full text.
    pub contents: String,
}

/// Reads and checks the specs and produces every file, in a fixed order.
/// Nothing is written.
pub fn generate(options: &Options) -> Result<Vec<Generated>, Diagnostics> {
    let files = spec::load_dir(&options.spec_dir, &options.spec_label, &options.schema_file)?;
    let mut diagnostics = Diagnostics::default();
    let catalog = Catalog::build(&files, &mut diagnostics);
    rules::check(&files, &catalog, &mut diagnostics);
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }

    let core: TokenStream = options.core_path.parse().unwrap_or_else(|_| quote!(crate));
    let ctx = Ctx {
        catalog: &catalog,
        core,
    };
    let all = format!("{}/*.json", options.spec_label);
    let mut out = Vec::new();
    let mut add = |path: PathBuf, source: &str, tokens: TokenStream| -> Result<(), Diagnostics> {
        let contents =
            render(tokens, source, &options.regenerate).map_err(|message| Diagnostics {
                errors: vec![crate::error::SpecError::new(source, "", message)],
            })?;
        out.push(Generated { path, contents });
        Ok(())
    };
    add(
        options.core_dir.join("mod.rs"),
        &all,
        emit::module::file(&ctx, &files),
    )?;
    add(
        options.core_dir.join("models.rs"),
        &all,
        emit::models::file(&ctx),
    )?;
    for file in &files {
        add(
            options.core_dir.join(format!("{}.rs", file.spec.id)),
            &file.label,
            emit::operation::file(&ctx, &file.spec),
        )?;
    }
    if let Some(path) = &options.blocking_file {
        add(
            path.clone(),
            &all,
            emit::clients::file(&files, Flavor::Blocking),
        )?;
    }
    if let Some(path) = &options.async_file {
        add(
            path.clone(),
            &all,
            emit::clients::file(&files, Flavor::Async),
        )?;
    }
    if let Some(path) = &options.readme_file {
        out.push(readme_table(path, &files)?);
    }
    Ok(out)
}

/// The README at `path` with its operations table regenerated.
fn readme_table(path: &Path, files: &[spec::SpecFile]) -> Result<Generated, Diagnostics> {
    let label = path.display().to_string();
    let fail = |message: String| Diagnostics {
        errors: vec![crate::error::SpecError::new(&label, "", message)],
    };
    let text =
        fs::read_to_string(path).map_err(|e| fail(format!("cannot read the README: {e}")))?;
    let contents = readme::splice(&text, &readme::table(files)).map_err(fail)?;
    Ok(Generated {
        path: path.to_path_buf(),
        contents,
    })
}

/// The first line of every generated file.
pub const MARKER: &str = "// @generated by `cargo xtask codegen`";

/// Formats tokens as a file with the generated-file header: prettyplease
/// prints it, blank lines separate the items, and rustfmt gives it the
/// layout `cargo fmt --check` (run by CI) expects.
pub fn render(tokens: TokenStream, source: &str, regenerate: &str) -> Result<String, String> {
    let file = syn::parse2::<syn::File>(tokens)
        .map_err(|e| format!("the generator produced code that does not parse: {e}"))?;
    let code = crate::layout::space_items(&prettyplease::unparse(&file));
    rustfmt(&format!(
        "{MARKER} from {source}.\n// Do not edit by hand: change the spec and run {regenerate}.\n\n{code}"
    ))
}

/// Runs rustfmt (`$RUSTFMT`, or `rustfmt` on the `PATH`) over `code`, with
/// the workspace's edition and the configuration of the workspace root.
fn rustfmt(code: &str) -> Result<String, String> {
    let program = std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into());
    let mut child = Command::new(&program)
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .current_dir(crate::cli::workspace_root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!(
                "cannot run {}: {e}; the generated code is formatted with rustfmt (`rustup component add rustfmt`)",
                program.to_string_lossy()
            )
        })?;
    let mut stdin = child.stdin.take().ok_or("rustfmt has no stdin")?;
    let input = code.to_owned();
    // Write from another thread so a large output cannot block the pipe.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt failed: {e}"))?;
    writer
        .join()
        .map_err(|_| "rustfmt input thread panicked".to_owned())?
        .map_err(|e| format!("cannot write to rustfmt: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt refused the generated code: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("rustfmt printed invalid UTF-8: {e}"))
}

/// How a file on disk differs from what the generator would write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Drift {
    /// Its content differs.
    Stale(PathBuf),
    /// It does not exist.
    Missing(PathBuf),
    /// A generated file of an operation that no longer exists.
    Extra(PathBuf),
}

impl Drift {
    /// Describes it, with paths relative to `root`.
    pub fn describe(&self, root: &Path) -> String {
        let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
        match self {
            Drift::Stale(p) => format!("stale: {}", rel(p)),
            Drift::Missing(p) => format!("missing: {}", rel(p)),
            Drift::Extra(p) => format!("extra: {} (its operation is gone)", rel(p)),
        }
    }
}

/// Generated files in `core_dir` that the generator no longer produces.
fn extra_files(options: &Options, generated: &[Generated]) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(&options.core_dir) else {
        return Vec::new();
    };
    let mut extra: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .filter(|p| !generated.iter().any(|g| &g.path == p))
        .filter(|p| fs::read_to_string(p).is_ok_and(|text| text.starts_with(MARKER)))
        .collect();
    extra.sort();
    extra
}

/// What differs between `generated` and the disk.
pub fn check(options: &Options, generated: &[Generated]) -> Vec<Drift> {
    let mut drift = Vec::new();
    for g in generated {
        match fs::read_to_string(&g.path) {
            Ok(text) if text == g.contents => {}
            Ok(_) => drift.push(Drift::Stale(g.path.clone())),
            Err(_) => drift.push(Drift::Missing(g.path.clone())),
        }
    }
    drift.extend(
        extra_files(options, generated)
            .into_iter()
            .map(Drift::Extra),
    );
    drift
}

/// Writes the files that changed, and removes generated files of
/// operations that are gone. Returns what it changed.
pub fn write(options: &Options, generated: &[Generated]) -> std::io::Result<Vec<Drift>> {
    let drift = check(options, generated);
    for d in &drift {
        match d {
            Drift::Stale(path) | Drift::Missing(path) => {
                let g = generated
                    .iter()
                    .find(|g| &g.path == path)
                    .expect("generated file");
                if let Some(dir) = path.parent() {
                    fs::create_dir_all(dir)?;
                }
                fs::write(path, &g.contents)?;
            }
            Drift::Extra(path) => fs::remove_file(path)?,
        }
    }
    Ok(drift)
}
