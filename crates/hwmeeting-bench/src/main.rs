//! `hwmeeting-bench`: the benchmarks of issue 6 (see the library's docs).

use std::process::ExitCode;

use clap::Parser;
use hwmeeting_bench::options::Options;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let options = Options::parse_from(&args);
    let command = format!(
        "cargo run --release -p hwmeeting-bench --{}",
        args.iter()
            .skip(1)
            .map(|a| format!(" {a}"))
            .collect::<String>()
    );
    let report = match hwmeeting_bench::run(&options, command) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("hwmeeting-bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!();
    println!("machine: {}", report.machine.summary());
    println!(
        "server: {}{}",
        report.endpoint,
        if report.in_process_simulator {
            " (in-process hwmeeting-sim, TLS, keep-alive)"
        } else {
            ""
        }
    );
    println!("command: {}", report.command);
    println!();
    print!("{}", report.table());
    let missed = report.missed();
    if !missed.is_empty() {
        println!();
        println!("goals missed: {}", missed.len());
        for row in missed {
            println!("  [{}] {}", row.figure, row.case);
        }
    }
    if let Some(path) = &options.json {
        let text = match serde_json::to_string_pretty(&report) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("hwmeeting-bench: cannot write JSON: {e}");
                return ExitCode::FAILURE;
            }
        };
        if let Err(e) = std::fs::write(path, text + "\n") {
            eprintln!("hwmeeting-bench: {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        eprintln!("figures written to {}", path.display());
    }
    ExitCode::SUCCESS
}
