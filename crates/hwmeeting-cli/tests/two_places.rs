//! One wire name in two places: `lock_view` and `set_participant_view`
//! carry a `participantID` in the query (the terminal) and another in the
//! body (the participant watched); each flag goes where its parameter
//! travels.

mod common;

use common::{Curl, hw};
use serde_json::json;

fn dry_run(args: &[&str]) -> Curl {
    let run = hw(args).expect(0);
    Curl::parse(run.stdout.trim())
}

#[test]
fn lock_view_sends_the_body_participant_in_the_body() {
    let curl = dry_run(&[
        "lock-view",
        "--conference-id",
        "914083136",
        "--participant-id",
        "terminal-1",
        "--status",
        "locked",
        "--body-participant-id",
        "source-2",
        "--conference-authorization",
        "ct",
        "--dry-run",
    ]);
    let (path, query) = curl.path_and_query();
    assert_eq!(path, "/v1/mmc/control/conferences/lockView");
    assert!(
        query.contains(&("participantID".into(), "terminal-1".into())),
        "{query:?}"
    );
    assert!(!query.iter().any(|(_, v)| v == "source-2"), "{query:?}");
    assert_eq!(
        curl.body(),
        Some(json!({"participantID": "source-2", "status": 1}))
    );
}

#[test]
fn set_participant_view_sends_each_participant_where_it_travels() {
    let curl = dry_run(&[
        "set-participant-view",
        "--conference-id",
        "914083136",
        "--participant-id",
        "terminal-1",
        "--view-type",
        "2",
        "--body-participant-id",
        "watched-2",
        "--conference-authorization",
        "ct",
        "--dry-run",
    ]);
    let (_, query) = curl.path_and_query();
    assert!(
        query.contains(&("participantID".into(), "terminal-1".into())),
        "{query:?}"
    );
    assert_eq!(
        curl.body(),
        Some(json!({"participantID": "watched-2", "viewType": 2}))
    );
}

#[test]
fn the_body_flag_overrides_the_field_of_body_json_not_the_query() {
    let curl = dry_run(&[
        "lock-view",
        "--conference-id",
        "914083136",
        "--participant-id",
        "terminal-1",
        "--body",
        r#"{"status": 0, "participantID": "from-json"}"#,
        "--body-participant-id",
        "from-flag",
        "--conference-authorization",
        "ct",
        "--dry-run",
    ]);
    let (_, query) = curl.path_and_query();
    assert!(
        query.contains(&("participantID".into(), "terminal-1".into())),
        "{query:?}"
    );
    assert_eq!(
        curl.body(),
        Some(json!({"participantID": "from-flag", "status": 0}))
    );
}
