//! `hwmeeting-sim`: runs the Huawei Cloud Meeting API simulator until
//! Ctrl-C. See `hwmeeting-sim --help`.

use clap::Parser as _;
use hwmeeting_sim::cli::{SimArgs, init_logging};

fn main() -> std::process::ExitCode {
    let args = SimArgs::parse();
    init_logging();
    match args.run_blocking() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hwmeeting-sim: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
