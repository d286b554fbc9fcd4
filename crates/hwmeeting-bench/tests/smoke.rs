//! The benchmark program end to end with tiny sizes against the in-process
//! simulator: it runs, prints a table of the expected shape and writes the
//! JSON. Timings are never checked.

use std::process::Command;

use serde_json::Value;

fn cells(line: &str) -> Vec<String> {
    line.trim()
        .trim_start_matches('|')
        .trim_end_matches('|')
        .split('|')
        .map(|c| c.trim().to_owned())
        .collect()
}

#[test]
fn quick_run_prints_a_table_and_writes_json() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("figures.json");
    let output = Command::new(env!("CARGO_BIN_EXE_hwmeeting-bench"))
        .args([
            "blocking",
            "async",
            "fanout",
            "cold",
            "cpu",
            "sim",
            "--quick",
            "--calls",
            "3",
            "--runs",
            "1",
            "--levels",
            "1,3",
            "--fanout-calls",
            "6",
            "--cold-calls",
            "12",
            "--sim-levels",
            "2",
            "--sim-requests",
            "6",
            "--json",
        ])
        .arg(&json)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );

    // The header, the machine and the command come first.
    assert!(stdout.contains("machine: "), "{stdout}");
    assert!(stdout.contains("in-process hwmeeting-sim"), "{stdout}");

    // The table: a header, a rule, and rows of eight cells.
    let table: Vec<&str> = stdout.lines().filter(|l| l.starts_with('|')).collect();
    assert!(table.len() > 2, "{stdout}");
    assert_eq!(
        cells(table[0]),
        [
            "figure",
            "case",
            "unit",
            "SDK",
            "baseline",
            "ratio",
            "goal",
            "vs / note"
        ]
    );
    assert!(
        cells(table[1])
            .iter()
            .all(|c| c.chars().all(|ch| ch == '-' || ch == ':'))
    );
    let rows: Vec<Vec<String>> = table[2..].iter().map(|l| cells(l)).collect();
    for row in &rows {
        assert_eq!(row.len(), 8, "{row:?}");
    }
    for figure in [
        "1 blocking",
        "2 async",
        "3 fanout",
        "4 cold",
        "5 cpu",
        "7 sim",
    ] {
        assert!(
            rows.iter().any(|r| r[0] == figure),
            "no row of figure {figure}:\n{stdout}"
        );
    }
    // Every SDK figure with a goal has its baseline and ratio beside it.
    for row in rows.iter().filter(|r| r[6].starts_with("ratio")) {
        assert!(!row[4].is_empty() && !row[5].is_empty(), "{row:?}");
    }
    // The cold start made one login and one control-token request.
    for row in rows
        .iter()
        .filter(|r| r[0] == "4 cold" && r[2] == "requests")
    {
        assert_eq!(row[3], "1.00", "{row:?}");
        assert!(row[6].ends_with("met"), "{row:?}");
    }

    // The JSON holds the same rows, with the machine and the command.
    let report: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert!(report["machine"]["cpus"].as_u64().unwrap() >= 1);
    assert!(
        report["command"]
            .as_str()
            .unwrap()
            .starts_with("cargo run --release -p hwmeeting-bench --")
    );
    let json_rows = report["rows"].as_array().unwrap();
    assert_eq!(json_rows.len(), rows.len());
    for row in json_rows {
        for key in ["figure", "case", "unit", "value", "runs"] {
            assert!(row.get(key).is_some(), "{key} missing in {row}");
        }
    }
}

#[test]
fn unknown_figures_are_refused() {
    let output = Command::new(env!("CARGO_BIN_EXE_hwmeeting-bench"))
        .arg("everything")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("everything"));
}
