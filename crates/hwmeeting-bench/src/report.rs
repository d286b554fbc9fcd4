//! The figures: rows of a table (printed) and of a JSON document
//! (`--json FILE`).

use std::fmt::Write as _;

use serde::Serialize;

use crate::machine::Machine;
use crate::stats::{PerCall, median};

/// What a ratio must be for a goal to be met.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Goal {
    /// `ratio <= x`.
    RatioAtMost(f64),
    /// `ratio >= x`.
    RatioAtLeast(f64),
    /// The measured value equals `x` in every run.
    ValueEquals(f64),
    /// The measured value (the median) is at least `x`.
    ValueAtLeast(f64),
}

impl Goal {
    /// The goal as text, e.g. `<= 1.05`.
    pub fn describe(&self) -> String {
        match self {
            Goal::RatioAtMost(x) => format!("ratio <= {x}"),
            Goal::RatioAtLeast(x) => format!("ratio >= {x}"),
            Goal::ValueEquals(x) => format!("= {x} every run"),
            Goal::ValueAtLeast(x) => format!(">= {x}"),
        }
    }
}

/// One figure: a measured value (the median of its runs), with its
/// baseline from the same runs and their ratio when there is one.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// The figure of issue 6 it belongs to: `1 blocking`, `3 fanout`, ...
    pub figure: String,
    /// What was measured.
    pub case: String,
    /// The unit of `value` and `baseline`.
    pub unit: String,
    /// The median of `runs`.
    pub value: f64,
    /// The value of every run.
    pub runs: Vec<f64>,
    /// What the baseline is (`plain ureq`, ...), if there is one.
    pub baseline_label: Option<String>,
    /// The median of `baseline_runs`.
    pub baseline: Option<f64>,
    /// The baseline's value in every run.
    pub baseline_runs: Vec<f64>,
    /// `value / baseline`.
    pub ratio: Option<f64>,
    /// The goal, if the issue sets one.
    pub goal: Option<Goal>,
    /// Whether the goal is met.
    pub met: Option<bool>,
    /// Anything a reader must know (errors seen, how it was measured).
    pub note: Option<String>,
}

impl Row {
    /// A row without a baseline.
    pub fn single(figure: &str, case: impl Into<String>, unit: &str, runs: Vec<f64>) -> Row {
        Row {
            figure: figure.to_owned(),
            case: case.into(),
            unit: unit.to_owned(),
            value: median(&runs),
            runs,
            baseline_label: None,
            baseline: None,
            baseline_runs: Vec::new(),
            ratio: None,
            goal: None,
            met: None,
            note: None,
        }
    }

    /// A row with a baseline measured in the same runs; the ratio is
    /// `median(runs) / median(baseline_runs)`.
    pub fn paired(
        figure: &str,
        case: impl Into<String>,
        unit: &str,
        runs: Vec<f64>,
        baseline_label: &str,
        baseline_runs: Vec<f64>,
    ) -> Row {
        let mut row = Row::single(figure, case, unit, runs);
        let baseline = median(&baseline_runs);
        row.baseline_label = Some(baseline_label.to_owned());
        row.baseline = Some(baseline);
        row.baseline_runs = baseline_runs;
        row.ratio = Some(row.value / baseline);
        row
    }

    /// Sets the goal and whether it is met.
    pub fn goal(mut self, goal: Goal) -> Row {
        self.met = Some(match goal {
            Goal::RatioAtMost(x) => self.ratio.is_some_and(|r| r <= x),
            Goal::RatioAtLeast(x) => self.ratio.is_some_and(|r| r >= x),
            Goal::ValueEquals(x) => !self.runs.is_empty() && self.runs.iter().all(|v| *v == x),
            Goal::ValueAtLeast(x) => !self.runs.is_empty() && self.value >= x,
        });
        self.goal = Some(goal);
        self
    }

    /// Adds a note.
    pub fn note(mut self, note: impl Into<String>) -> Row {
        let note = note.into();
        self.note = Some(match self.note.take() {
            Some(old) => format!("{old}; {note}"),
            None => note,
        });
        self
    }
}

/// The rows of a per-call comparison: wall time (with the goal), then the
/// client side's CPU time and the simulator's CPU time per call, each SDK
/// against the baseline of the same runs.
pub fn per_call_rows(
    figure: &str,
    case: &str,
    sdk: &[PerCall],
    baseline_label: &str,
    baseline: &[PerCall],
    goal: Goal,
) -> Vec<Row> {
    let pick = |runs: &[PerCall], f: fn(&PerCall) -> f64| runs.iter().map(f).collect::<Vec<_>>();
    let mut rows = vec![
        Row::paired(
            figure,
            case,
            "us/call",
            pick(sdk, |r| r.wall_us),
            baseline_label,
            pick(baseline, |r| r.wall_us),
        )
        .goal(goal),
        Row::paired(
            figure,
            format!("{case}: client CPU"),
            "us/call",
            pick(sdk, |r| r.client_cpu_us),
            baseline_label,
            pick(baseline, |r| r.client_cpu_us),
        ),
    ];
    // Only the in-process simulator's CPU time can be read.
    if sdk.iter().chain(baseline).any(|r| r.sim_cpu_us > 0.0) {
        rows.push(Row::paired(
            figure,
            format!("{case}: simulator CPU"),
            "us/call",
            pick(sdk, |r| r.sim_cpu_us),
            baseline_label,
            pick(baseline, |r| r.sim_cpu_us),
        ));
    }
    rows
}

/// Every figure of one invocation, with the machine and the command.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The command line that produced it.
    pub command: String,
    /// Where it ran.
    pub machine: Machine,
    /// The server measured against.
    pub endpoint: String,
    /// Whether that server is the in-process simulator.
    pub in_process_simulator: bool,
    /// The sizes used (calls, runs, levels, ...).
    pub plan: serde_json::Value,
    /// The figures, in the order they ran.
    pub rows: Vec<Row>,
}

/// A number with a precision that suits its size.
pub fn number(x: f64) -> String {
    if x.is_nan() {
        "-".into()
    } else if x == 0.0 {
        "0".into()
    } else if x.abs() >= 1000.0 {
        // Thousands separated by commas.
        let rounded = x.round() as i64;
        let digits = rounded.unsigned_abs().to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        if rounded < 0 { format!("-{out}") } else { out }
    } else if x.abs() >= 100.0 {
        format!("{x:.0}")
    } else if x.abs() >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// The header of [`Report::table`].
pub const TABLE_HEADER: [&str; 8] = [
    "figure",
    "case",
    "unit",
    "SDK",
    "baseline",
    "ratio",
    "goal",
    "vs / note",
];

impl Report {
    /// The figures as a Markdown table (which also reads well in a
    /// terminal).
    pub fn table(&self) -> String {
        let mut lines: Vec<[String; 8]> = Vec::new();
        for row in &self.rows {
            let goal = match (row.goal, row.met) {
                (Some(goal), Some(met)) => {
                    format!("{} {}", goal.describe(), if met { "met" } else { "MISSED" })
                }
                _ => String::new(),
            };
            let mut vs = row.baseline_label.clone().unwrap_or_default();
            if let Some(note) = &row.note {
                if !vs.is_empty() {
                    vs.push_str("; ");
                }
                vs.push_str(note);
            }
            lines.push([
                row.figure.clone(),
                row.case.clone(),
                row.unit.clone(),
                number(row.value),
                row.baseline.map(number).unwrap_or_default(),
                row.ratio.map(|r| format!("{r:.3}")).unwrap_or_default(),
                goal,
                vs,
            ]);
        }
        let mut widths = TABLE_HEADER.map(|h| h.chars().count());
        for line in &lines {
            for (w, cell) in widths.iter_mut().zip(line) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let mut out = String::new();
        let mut push = |cells: &[String]| {
            out.push('|');
            for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
                let pad = w - cell.chars().count();
                // Numbers right-aligned, text left-aligned.
                if (3..=5).contains(&i) {
                    let _ = write!(out, " {}{} |", " ".repeat(pad), cell);
                } else {
                    let _ = write!(out, " {}{} |", cell, " ".repeat(pad));
                }
            }
            out.push('\n');
        };
        push(&TABLE_HEADER.map(String::from));
        let rule: Vec<String> = widths
            .iter()
            .enumerate()
            .map(|(i, w)| {
                if (3..=5).contains(&i) {
                    format!("{}:", "-".repeat(w - 1))
                } else {
                    "-".repeat(*w)
                }
            })
            .collect();
        push(&rule);
        for line in &lines {
            push(line);
        }
        out
    }

    /// The goals that are missed.
    pub fn missed(&self) -> Vec<&Row> {
        self.rows.iter().filter(|r| r.met == Some(false)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(number(f64::NAN), "-");
        assert_eq!(number(1234567.4), "1,234,567");
        assert_eq!(number(123.4), "123");
        assert_eq!(number(12.34), "12.3");
        assert_eq!(number(1.234), "1.23");
    }

    #[test]
    fn goals() {
        let row = Row::paired("1", "c", "us", vec![105.0], "b", vec![100.0])
            .goal(Goal::RatioAtMost(1.05));
        assert_eq!(row.met, Some(true));
        let row =
            Row::paired("3", "c", "/s", vec![80.0], "b", vec![100.0]).goal(Goal::RatioAtLeast(0.9));
        assert_eq!(row.met, Some(false));
        let row = Row::single("4", "c", "n", vec![1.0, 1.0]).goal(Goal::ValueEquals(1.0));
        assert_eq!(row.met, Some(true));
        let row = Row::single("4", "c", "n", vec![1.0, 2.0]).goal(Goal::ValueEquals(1.0));
        assert_eq!(row.met, Some(false));
    }
}
