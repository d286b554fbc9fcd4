//! Usage errors (exit 2, naming the flag), `--help` and completions.

mod common;

use common::hw;

#[test]
fn unknown_flag() {
    let run = hw(&["set-role", "--conference-id", "1", "--no-such-flag", "x"]).expect(2);
    assert!(run.stderr.contains("--no-such-flag"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

#[test]
fn bad_enum_value_lists_the_allowed_values() {
    let run = hw(&[
        "--dry-run",
        "set-role",
        "--conference-id",
        "1",
        "--participant-id",
        "p",
        "--apply-chair",
        "7",
    ])
    .expect(2);
    assert!(run.stderr.contains("--apply-chair"), "{}", run.stderr);
    assert!(run.stderr.contains("1 (apply)"), "{}", run.stderr);
    assert!(run.stderr.contains("0 (relinquish)"), "{}", run.stderr);

    let run = hw(&[
        "--dry-run",
        "invite-operate-video",
        "--conference-id",
        "1",
        "--participant-id",
        "p",
        "--status",
        "off",
    ])
    .expect(2);
    assert!(run.stderr.contains("--status"), "{}", run.stderr);
    assert!(run.stderr.contains("1 (disable)"), "{}", run.stderr);
}

#[test]
fn missing_required_parameter() {
    let run = hw(&[
        "--dry-run",
        "set-role",
        "--conference-id",
        "1",
        "--apply-chair",
        "0",
    ])
    .expect(2);
    assert!(run.stderr.contains("--participant-id"), "{}", run.stderr);

    let run = hw(&["--dry-run", "hang-up", "--conference-id", "1"]).expect(2);
    assert!(
        run.stderr.contains("--bulk-hang-up-participants"),
        "{}",
        run.stderr
    );

    // Required by the spec only under a condition: chairmanPwd when
    // applying for the host role.
    let run = hw(&[
        "--dry-run",
        "set-role",
        "--conference-id",
        "1",
        "--participant-id",
        "p",
        "--apply-chair",
        "apply",
    ])
    .expect(2);
    assert!(
        run.stderr
            .contains("--chairman-pwd is required when --apply-chair is 1"),
        "{}",
        run.stderr
    );

    // With --body, body flags are not required by the parser, but the
    // request is still checked, naming the flag.
    let run = hw(&[
        "--dry-run",
        "set-role",
        "--conference-id",
        "1",
        "--participant-id",
        "p",
        "--body",
        "{}",
    ])
    .expect(2);
    assert!(run.stderr.contains("--apply-chair"), "{}", run.stderr);

    // An empty list, given in --body: the field in --body is named.
    let run = hw(&[
        "--dry-run",
        "hang-up",
        "--conference-id",
        "1",
        "--body",
        r#"{"bulkHangUpParticipants": []}"#,
    ])
    .expect(2);
    assert!(
        run.stderr
            .contains("invalid value for `bulkHangUpParticipants` in --body"),
        "{}",
        run.stderr
    );
}

#[test]
fn control_call_without_a_way_to_get_a_token() {
    let run = hw(&[
        "--endpoint",
        "https://127.0.0.1:9",
        "lock-sharing-does-not-exist",
    ])
    .expect(2);
    assert!(
        run.stderr.contains("lock-sharing-does-not-exist"),
        "{}",
        run.stderr
    );

    let run = hw(&[
        "--endpoint",
        "https://127.0.0.1:9",
        "update-started-conf-config",
        "--conference-id",
        "1",
        "--lock-sharing",
        "1",
    ])
    .expect(2);
    assert!(run.stderr.contains("--host-password"), "{}", run.stderr);
}

#[test]
fn bad_global_options() {
    let run = hw(&[
        "--endpoint",
        "http://127.0.0.1:9",
        "--dry-run",
        "app-auth",
        "--app-id",
        "a",
        "--app-key",
        "k",
    ])
    .expect(2);
    assert!(run.stderr.contains("http://"), "{}", run.stderr);
    let hang_up = [
        "hang-up",
        "--conference-id",
        "1",
        "--bulk-hang-up-participants",
        "p",
    ];
    let mut args = vec!["--timeout", "soon", "--host-password", "x"];
    args.extend(hang_up);
    let run = hw(&args).expect(2);
    assert!(run.stderr.contains("--timeout"), "{}", run.stderr);
    let mut args = vec!["--output", "xml"];
    args.extend(hang_up);
    let run = hw(&args).expect(2);
    assert!(run.stderr.contains("xml"), "{}", run.stderr);
    let run = hw(&[
        "--app-id",
        "only-the-id",
        "start-meeting",
        "--conference-id",
        "1",
        "--password",
        "p",
    ])
    .expect(2);
    assert!(run.stderr.contains("--app-key"), "{}", run.stderr);
}

#[test]
fn top_help_lists_every_operation() {
    let run = hw(&["--help"]).expect(0);
    // Long summaries wrap across lines: compare with white space folded.
    let folded = run.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    for op in hwmeeting_api::operations() {
        let name = op.id.replace('_', "-");
        assert!(
            run.stdout.contains(&name),
            "{name} missing from:\n{}",
            run.stdout
        );
        assert!(folded.contains(op.summary), "{} summary missing", op.id);
    }
    for extra in ["demo", "sim", "completions"] {
        assert!(run.stdout.contains(extra), "{extra}");
    }
    // Without a subcommand: help on stderr, exit 2.
    hw(&[]).expect(2);
}

#[test]
fn set_role_help_shows_the_values() {
    let run = hw(&["set-role", "--help"]).expect(0);
    let out = &run.stdout;
    assert!(out.contains("--apply-chair"), "{out}");
    assert!(
        out.contains("apply = 1: Make the participant the host."),
        "{out}"
    );
    assert!(
        out.contains("relinquish = 0: The host gives the role up."),
        "{out}"
    );
    assert!(out.contains("--chairman-pwd"), "{out}");
    assert!(
        out.contains("Required when --apply-chair is 1 (apply)."),
        "{out}"
    );
    assert!(out.contains("--conference-id"), "{out}");
    assert!(out.contains("Required."), "{out}");
    assert!(
        out.contains("PUT /v1/mmc/control/conferences/participants/role"),
        "{out}"
    );
    // Short help too.
    let run = hw(&["set-role", "-h"]).expect(0);
    assert!(run.stdout.contains("apply = 1"), "{}", run.stdout);

    // Headers lose their X- prefix.
    let run = hw(&["create-conf-token", "--help"]).expect(0);
    assert!(run.stdout.contains("--login-type"), "{}", run.stdout);
    assert!(run.stdout.contains("--password"), "{}", run.stdout);
}

#[test]
fn every_operation_has_help() {
    for op in hwmeeting_api::operations() {
        let name = op.id.replace('_', "-");
        let run = hw(&[&name, "--help"]).expect(0);
        let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            words(&run.stdout).contains(&words(op.description)),
            "{name}"
        );
    }
}

#[test]
fn completions_cover_the_dynamic_tree() {
    let run = hw(&["completions", "bash"]).expect(0);
    assert!(run.stdout.contains("_hwmeeting"), "no bash function");
    assert!(run.stdout.contains("set-role"));
    assert!(run.stdout.contains("--apply-chair"));
    assert!(run.stdout.contains("--bulk-hang-up-participants"));
    for shell in ["zsh", "fish"] {
        let run = hw(&["completions", shell]).expect(0);
        assert!(run.stdout.contains("set-role"), "{shell}");
    }
    hw(&["completions", "cmd.exe"]).expect(2);
}

#[test]
fn missing_credentials_name_the_options() {
    let run = hw(&["start-meeting", "--conference-id", "1", "--password", "p"]).expect(2);
    assert!(run.stderr.contains("--access-token"), "{}", run.stderr);
    assert!(run.stderr.contains("--app-id"), "{}", run.stderr);
    let run = hw(&["--access-token", "t", "account-auth", "--account", "me"]).expect(2);
    assert!(run.stderr.contains("--account-password"), "{}", run.stderr);
    let run = hw(&["--dry-run", "demo"]).expect(2);
    assert!(run.stderr.contains("--dry-run"), "{}", run.stderr);
}
