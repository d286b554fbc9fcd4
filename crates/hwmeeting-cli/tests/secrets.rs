//! Secrets never appear on stdout or stderr unless `--show-secrets`:
//! dry runs, real calls, verbose logs, help and error cases.

mod common;

use common::{APP_ID, Sim, hw, hw_env};

const SENTINELS: &[&str] = &[
    "SENTINEL-app-key-1",
    "SENTINEL-host-pw-2",
    "SENTINEL-token-3",
    "SENTINEL-chair-4",
    "SENTINEL-account-pw-5",
    "SENTINEL-access-6",
];

fn assert_clean(run: &common::Run) {
    let all = run.all();
    for s in SENTINELS {
        assert!(!all.contains(s), "{s} leaked:\n{all}");
    }
}

#[test]
fn dry_runs_mask_every_secret() {
    let cases: &[&[&str]] = &[
        &[
            "--conference-authorization",
            "SENTINEL-token-3",
            "set-role",
            "--conference-id",
            "1",
            "--participant-id",
            "p",
            "--apply-chair",
            "1",
            "--chairman-pwd",
            "SENTINEL-chair-4",
        ],
        &[
            "create-conf-token",
            "--conference-id",
            "1",
            "--password",
            "SENTINEL-host-pw-2",
            "--conference-authorization",
            "SENTINEL-token-3",
        ],
        &[
            "--app-id",
            "a",
            "--app-key",
            "SENTINEL-app-key-1",
            "app-auth",
        ],
        &[
            "--account",
            "me",
            "--account-password",
            "SENTINEL-account-pw-5",
            "account-auth",
        ],
        &[
            "--access-token",
            "SENTINEL-access-6",
            "start-meeting",
            "--conference-id",
            "1",
            "--password",
            "SENTINEL-host-pw-2",
        ],
    ];
    for args in cases {
        let mut all = vec!["--dry-run", "-vvv"];
        all.extend_from_slice(args);
        let run = hw(&all).expect(0);
        assert_clean(&run);
        assert!(run.stdout.contains("***"), "{}", run.stdout);

        // With --show-secrets they are shown.
        let mut shown = vec!["--dry-run", "--show-secrets"];
        shown.extend_from_slice(args);
        let run = hw(&shown).expect(0);
        let all = run.all();
        assert!(
            SENTINELS.iter().any(|s| all.contains(s)) || all.contains("Authorization"),
            "{all}"
        );
    }
}

#[test]
fn secrets_from_the_environment_stay_hidden() {
    let env = [
        ("HWMEETING_APP_KEY", "SENTINEL-app-key-1"),
        ("HWMEETING_APP_ID", "app"),
        ("HWMEETING_HOST_PASSWORD", "SENTINEL-host-pw-2"),
        ("HWMEETING_CONFERENCE_AUTHORIZATION", "SENTINEL-token-3"),
    ];
    let run = hw_env(&["set-role", "--help"], &env).expect(0);
    assert_clean(&run);
    let run = hw_env(&["--help"], &env).expect(0);
    assert_clean(&run);
    let run = hw_env(
        &[
            "--dry-run",
            "invite-operate-video",
            "--conference-id",
            "1",
            "--participant-id",
            "p",
            "--status",
            "1",
        ],
        &env,
    )
    .expect(0);
    assert_clean(&run);
}

#[test]
fn real_calls_and_errors_do_not_leak() {
    let sim = Sim::start();
    sim.handle
        .create_conference(
            hwmeeting_sim::NewConference::new("800000001", "SENTINEL-host-pw-2")
                .active(true)
                .participant(hwmeeting_sim::NewParticipant::new("p-1", "One")),
        )
        .unwrap();
    // A successful control call, logged verbosely.
    let run = sim
        .hw(&[
            "-vvv",
            "--host-password",
            "SENTINEL-host-pw-2",
            "set-role",
            "--conference-id",
            "800000001",
            "--participant-id",
            "p-1",
            "--apply-chair",
            "apply",
            "--chairman-pwd",
            "SENTINEL-host-pw-2",
        ])
        .expect(0);
    assert_clean(&run);
    assert!(!run.stderr.is_empty(), "-vvv logs something");

    // The control token in the answer is masked.
    let run = sim
        .hw(&[
            "create-conf-token",
            "--conference-id",
            "800000001",
            "--password",
            "SENTINEL-host-pw-2",
        ])
        .expect(0);
    assert_clean(&run);
    assert_eq!(run.json()["data"]["token"], "***");

    // Errors: a wrong chairman password, a wrong app key, a wrong host
    // password, a value too long for the spec.
    let run = sim
        .hw(&[
            "-vv",
            "--host-password",
            "SENTINEL-host-pw-2",
            "set-role",
            "--conference-id",
            "800000001",
            "--participant-id",
            "p-1",
            "--apply-chair",
            "apply",
            "--chairman-pwd",
            "SENTINEL-chair-4",
        ])
        .expect(1);
    assert_clean(&run);

    let mut args = sim.endpoint_args();
    args.extend(
        [
            "-vvv",
            "--app-id",
            APP_ID,
            "--app-key",
            "SENTINEL-app-key-1",
            "--retries",
            "1",
            "start-meeting",
            "--conference-id",
            "800000001",
            "--password",
            "SENTINEL-host-pw-2",
        ]
        .map(String::from),
    );
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = hw(&refs).expect(1);
    assert_clean(&run);

    let run = sim
        .hw(&[
            "--host-password",
            "SENTINEL-chair-4",
            "--retries",
            "1",
            "hang-up",
            "--conference-id",
            "800000001",
            "--bulk-hang-up-participants",
            "p-1",
        ])
        .expect(1);
    assert_clean(&run);

    let long = format!("SENTINEL-chair-4{}", "x".repeat(40));
    let run = sim
        .hw(&[
            "--host-password",
            "SENTINEL-host-pw-2",
            "set-role",
            "--conference-id",
            "800000001",
            "--participant-id",
            "p-1",
            "--apply-chair",
            "apply",
            "--chairman-pwd",
            &long,
        ])
        .expect(2);
    assert!(run.stderr.contains("--chairman-pwd"), "{}", run.stderr);
    assert_clean(&run);
}
