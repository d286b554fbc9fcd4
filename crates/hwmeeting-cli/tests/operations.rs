//! Every operation through the command line against the simulator over
//! TLS: the answer on stdout and the meeting's state in the simulator.

mod common;

use common::{APP_ID, APP_KEY, Sim};
use hwmeeting_sim::{NewConference, NewParticipant};

/// A started meeting with three participants, for control calls.
fn active_meeting(sim: &Sim, id: &str) {
    sim.handle
        .create_conference(
            NewConference::new(id, "host-pw-1")
                .active(true)
                .participant(NewParticipant::new("p-1", "One"))
                .participant(NewParticipant::new("p-2", "Two"))
                .participant(NewParticipant::new("p-3", "Three")),
        )
        .expect("create meeting");
}

#[test]
fn app_auth_and_account_auth() {
    let sim = Sim::start();
    let run = sim.hw(&["app-auth"]).expect(0);
    let json = run.json();
    assert_eq!(json["accessToken"], "***", "masked by default");
    assert!(run.stderr.contains("accessToken"), "{}", run.stderr);
    assert!(json["validPeriod"].as_i64().unwrap() > 0, "{json}");

    let run = sim.hw(&["--show-secrets", "app-auth"]).expect(0);
    let token = run.json()["accessToken"].as_str().unwrap().to_owned();
    assert!(token.len() > 8 && token != "***");

    let mut args = sim.endpoint_args();
    args.extend(
        [
            "--account",
            "demo@example.com",
            "--account-password",
            "demo-password",
            "--output",
            "json",
            "--show-secrets",
            "account-auth",
        ]
        .map(String::from),
    );
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = common::hw(&refs).expect(0);
    assert_eq!(run.stdout.trim().lines().count(), 1, "compact JSON");
    assert!(run.json()["accessToken"].as_str().unwrap().len() > 8);
}

#[test]
fn start_meeting_activates_it() {
    let sim = Sim::start();
    assert!(!sim.handle.conference("900000001").unwrap().active);
    let run = sim
        .hw(&[
            "start-meeting",
            "--conference-id",
            "900000001",
            "--password",
            "123456",
        ])
        .expect(0);
    assert!(run.json().is_object(), "{}", run.stdout);
    assert!(sim.handle.conference("900000001").unwrap().active);
}

#[test]
fn access_token_from_the_environment() {
    let sim = Sim::start();
    let token = sim.hw(&["--show-secrets", "app-auth"]).expect(0).json()["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let ca = sim.ca.display().to_string();
    let run = common::hw_env(
        &["start-meeting", "--password", "123456"],
        &[
            ("HWMEETING_ENDPOINT", sim.handle.url()),
            ("HWMEETING_CA_CERT", &ca),
            ("HWMEETING_ACCESS_TOKEN", &token),
            ("HWMEETING_CONFERENCE_ID", "900000001"),
        ],
    )
    .expect(0);
    assert!(run.json().is_object());
    assert!(sim.handle.conference("900000001").unwrap().active);
}

#[test]
fn create_conf_token_then_use_it() {
    let sim = Sim::start();
    active_meeting(&sim, "700000001");
    let run = sim
        .hw(&[
            "create-conf-token",
            "--conference-id",
            "700000001",
            "--password",
            "host-pw-1",
        ])
        .expect(0);
    assert_eq!(run.json()["data"]["token"], "***");

    let run = sim
        .hw(&[
            "--show-secrets",
            "create-conf-token",
            "--conference-id",
            "700000001",
            "--password",
            "host-pw-1",
        ])
        .expect(0);
    let token = run.json()["data"]["token"].as_str().unwrap().to_owned();
    assert_ne!(token, "***");

    // A control call with the token given explicitly.
    sim.hw(&[
        "--conference-authorization",
        &token,
        "invite-operate-video",
        "--conference-id",
        "700000001",
        "--participant-id",
        "p-2",
        "--status",
        "enable",
    ])
    .expect(0);
    let state = sim.handle.conference("700000001").unwrap();
    assert_eq!(state.participant("p-2").unwrap().video_request, Some(0));
}

#[test]
fn control_calls_with_the_host_password() {
    let sim = Sim::start();
    active_meeting(&sim, "700000002");
    let base = ["--host-password", "host-pw-1"];
    let run = |extra: &[&str]| {
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        sim.hw(&args).expect(0)
    };

    let out = run(&[
        "set-role",
        "--conference-id",
        "700000002",
        "--participant-id",
        "p-1",
        "--apply-chair",
        "apply",
        "--chairman-pwd",
        "host-pw-1",
    ]);
    // An empty answer: a one-line confirmation (see also messages.rs).
    assert!(
        out.stdout
            .starts_with("set_role: done (HTTP 200, request id "),
        "{}",
        out.stdout
    );
    let state = sim.handle.conference("700000002").unwrap();
    assert_eq!(state.chair(), Some("p-1"));

    run(&[
        "invite-operate-video",
        "--conference-id",
        "700000002",
        "--participant-id",
        "p-2",
        "--status",
        "1",
    ]);
    let state = sim.handle.conference("700000002").unwrap();
    assert_eq!(state.participant("p-2").unwrap().video_request, Some(1));

    run(&[
        "update-started-conf-config",
        "--conference-id",
        "700000002",
        "--lock-sharing",
        "locked",
        "--call-in-restriction",
        "enterprise_users",
        "--chat-permission",
        "3",
    ]);
    let state = sim.handle.conference("700000002").unwrap();
    assert_eq!(state.settings["lockSharing"], 1);
    assert_eq!(state.settings["callInRestriction"], 2);
    assert_eq!(state.settings["chatPermission"], 3);

    run(&[
        "hang-up",
        "--conference-id",
        "700000002",
        "--bulk-hang-up-participants",
        "p-2,p-3",
    ]);
    let state = sim.handle.conference("700000002").unwrap();
    assert!(state.participant("p-2").is_none());
    assert!(state.participant("p-3").is_none());
    assert!(state.participant("p-1").is_some());

    // The host gives the role up again.
    run(&[
        "set-role",
        "--conference-id",
        "700000002",
        "--participant-id",
        "p-1",
        "--apply-chair",
        "relinquish",
    ]);
    assert_eq!(sim.handle.conference("700000002").unwrap().chair(), None);
}

#[test]
fn conference_id_from_the_environment_and_table_output() {
    let sim = Sim::start();
    active_meeting(&sim, "700000003");
    let mut args = sim.login_args();
    args.extend(
        [
            "--output",
            "table",
            "--show-secrets",
            "create-conf-token",
            "--password",
            "host-pw-1",
        ]
        .map(String::from),
    );
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = common::hw_env(&refs, &[("HWMEETING_CONFERENCE_ID", "700000003")]).expect(0);
    assert!(run.stdout.starts_with("KEY"), "{}", run.stdout);
    assert!(
        run.stdout.lines().any(|l| l.starts_with("data.token ")),
        "{}",
        run.stdout
    );
}

#[test]
fn failed_calls_exit_1_with_the_service_error() {
    let sim = Sim::start();
    active_meeting(&sim, "700000004");
    // Wrong host password: the control token cannot be had.
    let run = sim
        .hw(&[
            "--host-password",
            "sentinel-wrong-host-pw",
            "--retries",
            "1",
            "hang-up",
            "--conference-id",
            "700000004",
            "--bulk-hang-up-participants",
            "p-1",
        ])
        .expect(1);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr
            .starts_with("error: create_conf_token failed: HTTP "),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("request id"), "{}", run.stderr);
    assert!(!run.all().contains("sentinel-wrong-host-pw"));

    // Wrong app key: the login fails.
    let mut args = sim.endpoint_args();
    args.extend(
        [
            "--app-id",
            APP_ID,
            "--app-key",
            "sentinel-wrong-app-key",
            "start-meeting",
            "--conference-id",
            "900000001",
            "--password",
            "123456",
        ]
        .map(String::from),
    );
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = common::hw(&refs).expect(1);
    assert!(
        run.stderr.contains("app_auth failed: HTTP 401"),
        "{}",
        run.stderr
    );
    assert!(!run.all().contains("sentinel-wrong-app-key"));

    // A meeting that does not exist.
    let run = sim
        .hw(&["start-meeting", "--conference-id", "123", "--password", "x"])
        .expect(1);
    assert!(
        run.stderr.starts_with("error: start_meeting failed: HTTP "),
        "{}",
        run.stderr
    );
    let _ = APP_KEY;
}

#[test]
fn untrusted_certificate_is_refused() {
    let sim = Sim::start();
    // Without --ca-cert the simulator's certificate is not trusted.
    let run = common::hw(&[
        "--endpoint",
        sim.handle.url(),
        "--app-id",
        APP_ID,
        "--app-key",
        APP_KEY,
        "--retries",
        "1",
        "app-auth",
    ])
    .expect(1);
    assert!(run.stderr.contains("app_auth"), "{}", run.stderr);
}
