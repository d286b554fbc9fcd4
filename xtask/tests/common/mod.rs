//! What the xtask integration tests share: the workspace, running the
//! built `xtask` binary, and running it on the fixture spec.

use std::path::PathBuf;
use std::process::{Command, Output};

/// The workspace root.
pub fn root() -> PathBuf {
    xtask::cli::workspace_root()
}

/// Runs `cargo xtask ARGS` (the built binary) in the workspace root.
pub fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("run xtask")
}

/// Output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `task` (`codegen`, `openapi`) on the fixture spec with the
/// workspace's schema, then `rest`, then `--check` when `check` is set.
pub fn on_fixture(task: &str, rest: &[&str], check: bool) -> Output {
    let mut args = vec![
        task,
        "--spec-dir",
        "xtask/tests/fixtures/spec",
        "--schema",
        "spec/schema.json",
    ];
    args.extend_from_slice(rest);
    if check {
        args.push("--check");
    }
    xtask(&args)
}
