//! The generator as a whole: load and check the specs, emit every file,
//! then write them or compare them with what is on disk.

use std::fs;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;

use crate::catalog::Catalog;
use crate::emit::clients::Flavor;
use crate::emit::{self, Ctx};
use crate::error::Diagnostics;
use crate::{openapi, readme, rules, spec};

/// Where the generator reads and writes.
#[derive(Clone, Debug)]
pub struct Options {
    /// The directory of the spec files and `schema.json`.
    pub spec_dir: PathBuf,
    /// How that directory is named in messages and headers (`spec`).
    pub spec_label: String,
    /// The JSON Schema of the spec files (`spec/schema.json`).
    pub schema_file: PathBuf,
    /// The directory of `mod.rs`, one file per operation and `models/`
    /// (one file per shared type).
    pub core_dir: PathBuf,
    /// The blocking client's `generated.rs`, if generated.
    pub blocking_file: Option<PathBuf>,
    /// The async client's `generated.rs`, if generated.
    pub async_file: Option<PathBuf>,
    /// The path of the runtime crate in the generated code:
    /// `hwmeeting_core` (the generated code is a crate of its own), or
    /// `crate` for code compiled inside the runtime.
    pub core_path: String,
    /// The command that regenerates the files, for their header.
    pub regenerate: String,
    /// The README whose operations table (between the lines
    /// [`readme::BEGIN`] and [`readme::END`]) is generated, if any.
    pub readme_file: Option<PathBuf>,
    /// The OpenAPI document of the spec ([`openapi::FILE`]), if generated.
    pub openapi_file: Option<PathBuf>,
}

impl Options {
    /// The workspace layout under `root`, reading `spec_dir`.
    pub fn workspace(root: &Path, spec_dir: PathBuf, spec_label: String) -> Options {
        Options {
            schema_file: spec_dir.join(spec::SCHEMA_FILE),
            spec_dir,
            spec_label,
            core_dir: root.join("crates/hwmeeting-api/src/generated"),
            blocking_file: Some(root.join("crates/hwmeeting-blocking/src/generated.rs")),
            async_file: Some(root.join("crates/hwmeeting-async/src/generated.rs")),
            core_path: "hwmeeting_core".into(),
            regenerate: "`cargo xtask codegen`".into(),
            // The coverage table between the README's markers is generated
            // and checked like the code.
            readme_file: Some(root.join("README.md")),
            // So is the OpenAPI document.
            openapi_file: Some(root.join(openapi::FILE)),
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
    let files = load(options)?;
    let catalog = checked(&files)?;

    let core: TokenStream = options.core_path.parse().unwrap_or_else(|_| quote!(crate));
    let ctx = Ctx {
        catalog: &catalog,
        core,
        groups: files
            .iter()
            .map(|f| (f.spec.id.clone(), emit::feature_of(&f.spec).to_owned()))
            .collect(),
    };
    let all = format!("{}/*.json", options.spec_label);
    let mut out = Vec::new();
    // The spec file each generated file comes from, for error messages.
    let mut sources = Vec::new();
    let mut add = |path: PathBuf, source: &str, tokens: TokenStream| -> Result<(), Diagnostics> {
        let contents =
            render(tokens, source, &options.regenerate).map_err(|message| Diagnostics {
                errors: vec![crate::error::SpecError::new(source, "", message)],
            })?;
        out.push(Generated { path, contents });
        sources.push(source.to_owned());
        Ok(())
    };
    add(
        options.core_dir.join("mod.rs"),
        &all,
        emit::module::file(&ctx, &files),
    )?;
    if !catalog.enums.is_empty() || !catalog.models.is_empty() {
        let models_dir = options.core_dir.join(emit::models::DIR);
        add(models_dir.join("mod.rs"), &all, emit::models::module(&ctx))?;
        for (stem, tokens) in emit::models::files(&ctx) {
            add(models_dir.join(format!("{stem}.rs")), &all, tokens)?;
        }
    }
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
    if let Some(path) = &options.openapi_file {
        out.push(openapi_document(path, options, &files, &catalog)?);
    }
    Ok(out)
}

/// Reads the spec files and checks them against the schema.
fn load(options: &Options) -> Result<Vec<spec::SpecFile>, Diagnostics> {
    spec::load_dir(&options.spec_dir, &options.spec_label, &options.schema_file)
}

/// The catalog of `files`, once the checks the schema cannot make pass.
fn checked(files: &[spec::SpecFile]) -> Result<Catalog<'_>, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let catalog = Catalog::build(files, &mut diagnostics);
    rules::check(files, &catalog, &mut diagnostics);
    diagnostics.into_result(catalog)
}

/// Reads and checks the specs and produces only the OpenAPI document, at
/// `path`. Nothing is written.
pub fn generate_openapi(options: &Options, path: &Path) -> Result<Generated, Diagnostics> {
    let files = load(options)?;
    let catalog = checked(&files)?;
    openapi_document(path, options, &files, &catalog)
}

/// The OpenAPI document of `files` as the file at `path`, with the
/// workspace's version.
fn openapi_document(
    path: &Path,
    options: &Options,
    files: &[spec::SpecFile],
    catalog: &Catalog<'_>,
) -> Result<Generated, Diagnostics> {
    let manifest = crate::cli::workspace_root().join("Cargo.toml");
    let fail = |file: &str, message: String| Diagnostics {
        errors: vec![crate::error::SpecError::new(file, "", message)],
    };
    let version = openapi::workspace_version(&manifest)
        .map_err(|e| fail(&manifest.display().to_string(), e))?;
    let all = format!("{}/*.json", options.spec_label);
    let contents = openapi::render(files, catalog, &version).map_err(|e| fail(&all, e))?;
    Ok(Generated {
        path: path.to_path_buf(),
        contents,
    })
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

/// Prints tokens as a file with the generated-file header: prettyplease
/// prints it and blank lines separate the items. That is the final layout:
/// the crates declare their generated modules `#[rustfmt::skip]`, so
/// `cargo fmt` leaves it as it is, and codegen needs no rustfmt process
/// (most of what it cost).
pub fn render(tokens: TokenStream, source: &str, regenerate: &str) -> Result<String, String> {
    let file = syn::parse2::<syn::File>(tokens)
        .map_err(|e| format!("the generator produced code that does not parse: {e}"))?;
    let code = crate::layout::space_items(&prettyplease::unparse(&file));
    Ok(format!(
        "{MARKER} from {source}.\n// Do not edit by hand: change the spec and run {regenerate}.\n\n{code}"
    ))
}

/// How a file on disk differs from what the generator would write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Drift {
    /// Its content differs.
    Stale(PathBuf),
    /// It does not exist.
    Missing(PathBuf),
    /// A generated file of an operation or shared type that no longer exists.
    Extra(PathBuf),
}

impl Drift {
    /// Describes it, with paths relative to `root`.
    pub fn describe(&self, root: &Path) -> String {
        let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
        match self {
            Drift::Stale(p) => format!("stale: {}", rel(p)),
            Drift::Missing(p) => format!("missing: {}", rel(p)),
            Drift::Extra(p) => format!(
                "extra: {} (no longer generated: its operation or type is gone)",
                rel(p)
            ),
        }
    }
}

/// Generated files in `core_dir` and its `models/` that the generator no
/// longer produces (the old single `models.rs` among them).
fn extra_files(options: &Options, generated: &[Generated]) -> Vec<PathBuf> {
    let dirs = [
        options.core_dir.clone(),
        options.core_dir.join(emit::models::DIR),
    ];
    let mut extra: Vec<PathBuf> = dirs
        .iter()
        .filter_map(|dir| fs::read_dir(dir).ok())
        .flatten()
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
    let mut drift = check_files(generated);
    drift.extend(
        extra_files(options, generated)
            .into_iter()
            .map(Drift::Extra),
    );
    drift
}

/// Which of `generated` differ from the disk (stale or missing).
pub fn check_files(generated: &[Generated]) -> Vec<Drift> {
    let mut drift = Vec::new();
    for g in generated {
        match fs::read_to_string(&g.path) {
            Ok(text) if text == g.contents => {}
            Ok(_) => drift.push(Drift::Stale(g.path.clone())),
            Err(_) => drift.push(Drift::Missing(g.path.clone())),
        }
    }
    drift
}

/// Writes the files of `generated` that differ from the disk. Returns what
/// it changed.
pub fn write_files(generated: &[Generated]) -> std::io::Result<Vec<Drift>> {
    let drift = check_files(generated);
    for d in &drift {
        if let Drift::Stale(path) | Drift::Missing(path) = d
            && let Some(g) = generated.iter().find(|g| &g.path == path)
        {
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir)?;
            }
            fs::write(path, &g.contents)?;
        }
    }
    Ok(drift)
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
