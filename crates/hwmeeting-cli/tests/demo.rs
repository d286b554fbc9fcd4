//! `hwmeeting demo`: the main job against the in-process simulator.

mod common;

use common::hw;

/// The operations of the demo's steps, in order.
const STEPS: &[&str] = &[
    "app_auth",
    "create_meeting",
    "search_meetings",
    "update_meeting",
    "start_meeting",
    "show_online_meeting_detail",
    "create_conf_token",
    "set_role",
    "invite_operate_video",
    "update_started_conf_config",
    "record",
    "hang_up",
    "record",
    "stop_meeting",
    "show_his_meeting_detail",
    "search_attendance_records_of_his_meeting",
    "search_ctl_records_of_his_meeting",
    "search_recordings",
    "show_recording_file_download_urls",
];

/// The step lines of a demo's output: (operation, line).
fn step_lines(out: &str) -> Vec<(String, String)> {
    out.lines()
        .filter(|l| l.len() > 4 && l.as_bytes()[2] == b'.' && l[..2].trim().parse::<u32>().is_ok())
        .map(|l| {
            // `NN. STEP(20) OPERATION(40) ...`
            let op = l.get(25..65).unwrap_or("").trim().to_owned();
            (op, l.to_owned())
        })
        .collect()
}

/// Every step of `STEPS`, in order, answered 200 with a request id and a
/// time.
fn assert_steps(out: &str) {
    let lines: Vec<(String, String)> = step_lines(out)
        .into_iter()
        .filter(|(op, _)| STEPS.contains(&op.as_str()))
        .collect();
    let ops: Vec<&str> = lines.iter().map(|(op, _)| op.as_str()).collect();
    assert_eq!(ops, STEPS, "{out}");
    for (_, line) in &lines {
        assert!(line.contains(" 200 "), "{line}");
        assert!(line.contains(" ms"), "{line}");
    }
}

#[test]
fn demo_runs_a_meetings_whole_life() {
    let run = hw(&["demo"]).expect(0);
    let out = &run.stdout;
    assert_steps(out);
    let lines = step_lines(out);
    // The steps say what they acted on.
    let line = |op: &str| {
        lines
            .iter()
            .find(|(o, _)| o == op)
            .map(|(_, l)| l.as_str())
            .unwrap()
    };
    let id = line("create_meeting")
        .split_whitespace()
        .last()
        .map(|_| {
            out.lines()
                .find_map(|l| l.trim().strip_prefix("meeting "))
                .and_then(|rest| rest.split(':').next())
                .unwrap()
                .to_owned()
        })
        .unwrap();
    assert_eq!(id.len(), 9, "{out}");
    assert!(
        line("start_meeting").ends_with(&format!("meeting {id}")),
        "{out}"
    );
    assert!(line("set_role").ends_with("p-alice"), "{out}");
    assert!(line("invite_operate_video").ends_with("p-bob"), "{out}");
    assert!(line("hang_up").ends_with("p-carol"), "{out}");
    assert!(
        line("show_his_meeting_detail").contains("confUUID "),
        "{out}"
    );
    // The simulated participants joined.
    let joined: Vec<&str> = lines
        .iter()
        .filter(|(op, _)| op == "(simulator)")
        .map(|(_, l)| l.as_str())
        .collect();
    assert_eq!(joined.len(), 3, "{out}");
    assert!(joined[0].contains("p-alice"), "{out}");

    // The summary of the history.
    let (_, summary) = out
        .split_once(&format!("\nMeeting {id} (confUUID "))
        .unwrap_or_else(|| panic!("no summary:\n{out}"));
    assert!(
        summary.contains("subject     \"hwmeeting demo (edited)\""),
        "{summary}"
    );
    assert!(summary.contains("attendees   3"), "{summary}");
    for name in ["Alice", "Bob", "Carol"] {
        let row = summary
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("{name} missing:\n{summary}"));
        assert!(row.contains(" joined ") && row.contains(" left "), "{row}");
    }
    assert!(summary.contains("control     "), "{summary}");
    assert!(summary.contains("set_role 1"), "{summary}");
    assert!(summary.contains("record 2"), "{summary}");
    assert!(summary.contains("hang_up 1"), "{summary}");
    let recording = summary
        .lines()
        .find(|l| l.trim_start().starts_with("recording"))
        .unwrap();
    assert!(recording.contains("2 download links"), "{recording}");
    assert!(!recording.contains("none"), "{recording}");
    // No raw JSON dump, and no password or token.
    assert!(!out.contains('{'), "{out}");
    assert!(
        !run.all().to_lowercase().contains("password\""),
        "{}",
        run.all()
    );
}

#[test]
fn demo_against_a_given_service() {
    // The simulator stands in for a real service: the same flow, given
    // credentials and an endpoint; no participant joins, so the steps
    // that need one are skipped.
    let sim = common::Sim::with(hwmeeting_sim::SimConfig::default());
    let mut args: Vec<String> = vec!["demo".into()];
    args.extend(sim.login_args());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = hw(&refs).expect(0);
    let out = &run.stdout;
    for (op, line) in step_lines(out) {
        if ["set_role", "invite_operate_video", "hang_up"].contains(&op.as_str()) {
            assert!(line.contains("(skipped: no --"), "{line}");
        } else if op != "-" {
            assert!(line.contains(" 200 "), "{line}");
        }
    }
    assert!(!out.contains("(simulator)"), "{out}");
    let history = sim.handle.history();
    assert_eq!(history.len(), 1);
    let run_ = &history[0];
    assert_eq!(run_.subject, "hwmeeting demo (edited)");
    assert!(run_.has_record);
    assert!(
        out.contains(&format!("confUUID {}", run_.conf_uuid)),
        "{out}"
    );
    // Neither password of the meeting is printed.
    for entry in run_.info["passwordEntry"].as_array().unwrap() {
        let pw = entry["password"].as_str().unwrap();
        assert!(!run.all().contains(pw), "{} leaked:\n{}", entry, run.all());
    }

    // History not written yet (a real service may take a while): said on
    // the line, not a failure.
    sim.handle
        .push_fault(
            hwmeeting_sim::FaultRule::new(
                "/v1/mmc/management/conferences/history/confAttendeeRecord",
                hwmeeting_sim::Fault::status(404),
            )
            .count(1),
        )
        .unwrap();
    let run = hw(&[&refs[..], &["--retries", "1"]].concat()).expect(0);
    let line = step_lines(&run.stdout)
        .into_iter()
        .find(|(op, _)| op == "search_attendance_records_of_his_meeting")
        .unwrap()
        .1;
    assert!(line.contains("not available yet"), "{line}");
    assert!(
        run.stdout.contains("not available yet: attendance"),
        "{}",
        run.stdout
    );

    // A failing step: exit 1 with the error.
    sim.handle
        .push_fault(
            hwmeeting_sim::FaultRule::new(
                "/v1/mmc/management/conferences",
                hwmeeting_sim::Fault::status(400),
            )
            .method("POST")
            .count(1),
        )
        .unwrap();
    let run = hw(&[&refs[..], &["--retries", "1"]].concat()).expect(1);
    assert!(run.stdout.contains("FAILED"), "{}", run.stdout);
    assert!(
        run.stderr.starts_with("error: create_meeting"),
        "{}",
        run.stderr
    );
}

#[test]
fn demo_lists_every_missing_input_at_once() {
    // HWMEETING_APP_ID alone: demo is pointed at the real service, and
    // says so, with everything it still needs, before any call.
    let run = common::hw_env(&["demo"], &[("HWMEETING_APP_ID", "my-app")]).expect(2);
    assert!(run.stdout.is_empty(), "nothing ran: {}", run.stdout);
    let err = &run.stderr;
    assert!(
        err.starts_with(
            "error: demo: HWMEETING_APP_ID is set, so demo runs against the service at https://"
        ),
        "{err}"
    );
    assert!(
        err.contains("not the built-in simulator (for the simulator, give no endpoint, region or credentials); that also needs:"),
        "{err}"
    );
    let line = "\n  - the app key that goes with HWMEETING_APP_ID: --app-key (HWMEETING_APP_KEY)";
    assert!(err.contains(line), "{line:?} missing from:\n{err}");

    // Only what is missing is listed; the meeting is created, so neither
    // a meeting ID nor its host password is asked for.
    let run = hw(&["demo", "--endpoint", "https://127.0.0.1:9", "--app-id", "a"]).expect(2);
    assert!(
        run.stderr.starts_with(
            "error: demo: --endpoint is given, so demo runs against the service at https://127.0.0.1:9"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--app-key"), "{}", run.stderr);
    assert!(!run.stderr.contains("--conference-id"), "{}", run.stderr);
    assert!(!run.stderr.contains("--host-password"), "{}", run.stderr);
}
