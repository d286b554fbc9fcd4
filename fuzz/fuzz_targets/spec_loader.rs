//! The spec loader and generator of `cargo xtask codegen` on any file:
//! `xtask::spec::load_dir` (JSON, the JSON Schema, the typed form), the
//! catalog and the rules, then, for a spec they accept, every emitter, up
//! to the Rust that rustfmt would format. Whatever the file, an error or
//! Rust that parses; never a panic.
//!
//! The loader reads a directory, so each input is written as
//! `<id>.json` (the file name must equal the id) next to the real
//! `schema.json`, in a directory of this process.

#![no_main]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use quote::quote;
use xtask::catalog::Catalog;
use xtask::emit::{self, Ctx, clients::Flavor};
use xtask::error::Diagnostics;
use xtask::{rules, spec};

static DIR: LazyLock<PathBuf> = LazyLock::new(|| {
    let dir = std::env::temp_dir().join(format!("hwmeeting-fuzz-spec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/schema.json");
    std::fs::copy(schema, dir.join(spec::SCHEMA_FILE)).expect("the schema is copied");
    dir
});

/// The file name the loader expects for this input: its `id`, when that
/// can be a file name.
fn stem(data: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(data)
        .ok()
        .and_then(|v| v.get("id")?.as_str().map(str::to_owned))
        .filter(|id| {
            !id.is_empty()
                && id.len() < 100
                && id != "schema"
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
        .unwrap_or_else(|| "fuzz".to_owned())
}

fuzz_target!(|data: &[u8]| {
    let dir = &*DIR;
    for entry in std::fs::read_dir(dir)
        .expect("the scratch directory")
        .flatten()
    {
        if entry.file_name() != spec::SCHEMA_FILE {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    std::fs::write(dir.join(format!("{}.json", stem(data))), data).expect("the input is written");

    let files = match spec::load_dir(dir, "spec", &dir.join(spec::SCHEMA_FILE)) {
        Ok(files) => files,
        Err(diagnostics) => {
            let _ = diagnostics.to_string();
            return;
        }
    };
    let mut diagnostics = Diagnostics::default();
    let catalog = Catalog::build(&files, &mut diagnostics);
    rules::check(&files, &catalog, &mut diagnostics);
    if !diagnostics.is_empty() {
        let _ = diagnostics.to_string();
        return;
    }
    // Accepted: every emitter must produce Rust that parses.
    let ctx = Ctx {
        catalog: &catalog,
        core: quote!(crate),
    };
    let mut outputs = vec![
        emit::module::file(&ctx, &files),
        emit::models::module(&ctx),
        emit::clients::file(&files, Flavor::Blocking),
        emit::clients::file(&files, Flavor::Async),
    ];
    outputs.extend(emit::models::files(&ctx).into_iter().map(|(_, tokens)| tokens));
    outputs.extend(files.iter().map(|f| emit::operation::file(&ctx, &f.spec)));
    for tokens in outputs {
        let file = syn::parse2::<syn::File>(tokens)
            .unwrap_or_else(|e| panic!("an accepted spec made Rust that does not parse: {e}"));
        let _ = prettyplease::unparse(&file);
    }
});
