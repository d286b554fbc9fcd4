//! `hwmeeting events` against the simulator over TLS: the snapshots, an
//! increment per change, `Destroyed` on stop, exit 0; passwords masked.

mod common;

use std::io::{BufRead as _, BufReader};
use std::process::Stdio;

use hwmeeting_sim::{DEMO_CONFERENCE_ID, DEMO_HOST_PASSWORD, NewParticipant};
use serde_json::Value;

#[test]
fn events_prints_the_pushes_and_exits_0_when_the_meeting_ends() {
    let sim = common::Sim::start();
    sim.hw(&[
        "start-meeting",
        "--conference-id",
        DEMO_CONFERENCE_ID,
        "--password",
        DEMO_HOST_PASSWORD,
    ])
    .expect(0);
    let mut args = sim.login_args();
    args.extend(
        [
            "events",
            "--conference-id",
            DEMO_CONFERENCE_ID,
            "--host-password",
            DEMO_HOST_PASSWORD,
        ]
        .map(String::from),
    );
    let mut child = common::command()
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start hwmeeting events");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut next = || -> Value {
        let line = lines
            .next()
            .expect("a line before the end")
            .expect("read a line");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
    };

    // The snapshots, one per topic, the passwords masked.
    let mut snapshots = Vec::new();
    while snapshots.len() < 6 {
        let push = next();
        assert_eq!(push["msgMode"], 0, "{push}");
        assert_eq!(push["confID"], DEMO_CONFERENCE_ID);
        snapshots.push(push);
    }
    let actions: Vec<&str> = snapshots
        .iter()
        .map(|p| p["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "ConfBasicInfoNotify",
            "ConfDynamicInfoNotify",
            "ParticipantsNotify",
            "WaitingListNotify",
            "AttendeesNotify",
            "SpeakerChangeNotify"
        ]
    );
    assert_eq!(snapshots[0]["pwds"][0]["pwd"], "******");
    assert_eq!(snapshots[2]["data"].as_array().unwrap().len(), 3);

    // A join: one increment.
    sim.handle
        .join_participant(DEMO_CONFERENCE_ID, NewParticipant::new("p-dave", "Dave"))
        .unwrap();
    let join = next();
    assert_eq!(join["action"], "ParticipantsNotify");
    assert_eq!(join["msgMode"], 1);
    assert_eq!(join["version"], 1);
    assert_eq!(join["data"][0]["pid"], "p-dave");
    assert_eq!(join["data"][0]["pinfoMap"]["NAME"], "Dave");

    // The stop: Destroyed, then the command ends with 0.
    sim.hw(&[
        "stop-meeting",
        "--conference-id",
        DEMO_CONFERENCE_ID,
        "--host-password",
        DEMO_HOST_PASSWORD,
    ])
    .expect(0);
    let end = loop {
        let push = next();
        if push["action"] == "ConfDynamicInfoNotify" {
            break push;
        }
    };
    assert_eq!(end["state"], "Destroyed");
    assert!(lines.next().is_none(), "nothing after the end");
    let status = child.wait().expect("wait for hwmeeting events");
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(0), "stderr: {stderr}");
    assert!(!stderr.contains(DEMO_HOST_PASSWORD), "{stderr}");
}

#[test]
fn events_needs_the_host_password() {
    let sim = common::Sim::start();
    let run = sim
        .hw(&["events", "--conference-id", DEMO_CONFERENCE_ID])
        .expect(2);
    assert!(
        run.stderr
            .contains("events: the host password is needed for the meeting control token: give --host-password (HWMEETING_HOST_PASSWORD)"),
        "{}",
        run.stderr
    );
}
