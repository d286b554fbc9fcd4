//! `hwmeeting demo`: the main job against the in-process simulator.

mod common;

use common::hw;
use serde_json::Value;

#[test]
fn demo_runs_the_whole_flow() {
    let run = hw(&["demo"]).expect(0);
    let out = &run.stdout;
    for op in [
        "app_auth",
        "start_meeting",
        "create_conf_token",
        "set_role",
        "invite_operate_video",
        "update_started_conf_config",
        "hang_up",
    ] {
        let line = out
            .lines()
            .find(|l| l.contains(op))
            .unwrap_or_else(|| panic!("no step line for {op}:\n{out}"));
        assert!(line.contains(" 200 "), "{line}");
        assert!(line.trim_end().ends_with(" ms"), "{line}");
    }
    let (_, state) = out
        .split_once("Meeting state in the simulator:\n")
        .unwrap_or_else(|| panic!("no final state:\n{out}"));
    let state: Value = serde_json::from_str(state).expect("state is JSON");
    assert_eq!(state["active"], true);
    assert_eq!(state["settings"]["lockSharing"], 1);
    let participants = state["participants"].as_array().unwrap();
    let find = |id: &str| participants.iter().find(|p| p["participantID"] == id);
    assert_eq!(find("p-alice").unwrap()["isChair"], true);
    assert_eq!(find("p-bob").unwrap()["videoRequest"], 1);
    assert!(find("p-carol").is_none(), "p-carol was hung up");
    // The host password of the demo meeting is not printed.
    assert!(!run.all().contains("\"123456\""), "{}", run.all());
}

#[test]
fn demo_against_a_service_needs_the_meeting() {
    let run = hw(&[
        "demo",
        "--endpoint",
        "https://127.0.0.1:9",
        "--app-id",
        "a",
        "--app-key",
        "k",
    ])
    .expect(2);
    assert!(run.stderr.contains("--conference-id"), "{}", run.stderr);
}

#[test]
fn demo_against_a_given_service() {
    // The simulator stands in for a real service: the flow is the same,
    // given credentials, endpoint, meeting and participants.
    let sim = common::Sim::start();
    let mut args: Vec<String> = vec!["demo".into()];
    args.extend(sim.login_args());
    args.extend(
        [
            "--conference-id",
            "900000001",
            "--host-password",
            "123456",
            "--participant-id",
            "p-bob",
            "--hang-up-participant-id",
            "p-alice",
        ]
        .map(String::from),
    );
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = hw(&refs).expect(0);
    assert!(!run.stdout.contains("Meeting state"), "{}", run.stdout);
    let state = sim.handle.conference("900000001").unwrap();
    assert_eq!(state.chair(), Some("p-bob"));
    assert_eq!(state.participant("p-bob").unwrap().video_request, Some(1));
    assert!(state.participant("p-alice").is_none());
    assert_eq!(state.settings["lockSharing"], 1);

    // A failing step: exit 1 with the error.
    let mut args: Vec<String> = vec!["demo".into()];
    args.extend(sim.login_args());
    args.extend(
        [
            "--conference-id",
            "900000001",
            "--host-password",
            "sentinel-bad-pw",
            "--retries",
            "1",
        ]
        .map(String::from),
    );
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = hw(&refs).expect(1);
    assert!(run.stdout.contains("FAILED"), "{}", run.stdout);
    assert!(
        run.stderr.starts_with("error: start_meeting failed"),
        "{}",
        run.stderr
    );
    assert!(!run.all().contains("sentinel-bad-pw"));
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
    for line in [
        "\n  - the app key that goes with HWMEETING_APP_ID: --app-key (HWMEETING_APP_KEY)\n",
        "\n  - the meeting: --conference-id (HWMEETING_CONFERENCE_ID)\n",
        "\n  - the meeting's host password: --host-password (HWMEETING_HOST_PASSWORD)\n",
    ] {
        assert!(err.contains(line), "{line:?} missing from:\n{err}");
    }

    // Only what is missing is listed.
    let run = hw(&[
        "demo",
        "--endpoint",
        "https://127.0.0.1:9",
        "--access-token",
        "t",
        "--conference-id",
        "1",
    ])
    .expect(2);
    assert!(
        run.stderr.starts_with(
            "error: demo: --endpoint is given, so demo runs against the service at https://127.0.0.1:9"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--host-password"), "{}", run.stderr);
    assert!(!run.stderr.contains("--conference-id ("), "{}", run.stderr);
    assert!(!run.stderr.contains("--app-key"), "{}", run.stderr);
}
