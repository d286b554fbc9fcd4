//! `hwmeeting`: the Huawei Cloud Meeting server API on the command line.
//!
//! Every operation of the SDK's spec is a subcommand whose flags are its
//! parameters, built at run time from `hwmeeting_core::meta` (see
//! [`cli`]), with `--all` on paginated searches (see [`pages`]); `demo`
//! runs a meeting's whole life (schedule, edit, start, control, record,
//! stop, history) against the built-in simulator (or a real service);
//! `events` prints the live pushes of a running meeting ([`events`]);
//! `webhook serve` receives the event push; `sim` runs the simulator;
//! `completions` prints shell completions.

#![warn(missing_docs)]

/// `println!` that does not panic when stdout is closed early (as with
/// `hwmeeting ... | head -1`): what cannot be written is dropped.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

mod args;
mod attempts;
mod cli;
mod demo;
mod dry_run;
mod events;
mod exit;
mod explain;
mod global;
mod output;
mod pages;
mod run;
mod webhook;

fn main() -> std::process::ExitCode {
    run::main_with(std::env::args_os())
}
