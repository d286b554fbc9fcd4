//! The meeting control WebSocket against the simulator, over real sockets
//! (TLS with the simulator's CA, as the HTTP calls): the live view follows
//! the simulator's own state through joins, leaves, hang-ups, role
//! changes, mutes, lock and recording, and after an abrupt disconnect or a
//! lost increment (both resync); heartbeats keep a quiet channel open; a
//! silent server is detected; tokens are single-use.

mod common;

use std::time::Duration;

use futures_util::{FutureExt as _, SinkExt as _, StreamExt as _};
use hwmeeting_async::Conference;
use hwmeeting_async::live::{
    LiveEvent, LiveEvents, LiveOptions, ResyncReason,
    sansio::{Folded, LiveView, Push, Topic, frame},
};
use hwmeeting_async::model::{
    ApplyChair, CreateWebSocketTokenRequest, HangUpRequest, LockMeetingRequest, MeetingLock,
    MuteParticipantRequest, MuteState, RecordRequest, RecordSwitch, SetRoleRequest,
    StopMeetingRequest,
};
use hwmeeting_sim::{
    ConferenceSnapshot, DEMO_CONFERENCE_ID, DEMO_HOST_PASSWORD, LiveFaults, NewParticipant,
    RecordingState, SimConfig, SimControl, Simulator,
};
use tokio_tungstenite::tungstenite::Message;

/// Short intervals, so that the tests take about a second.
fn fast() -> LiveOptions {
    LiveOptions::default()
        .heartbeat(Duration::from_millis(100), Duration::from_secs(3))
        .backoff(Duration::from_millis(20), Duration::from_millis(200))
}

/// A hang guard, not a timing assert: far above what any step takes.
const PATIENCE: Duration = Duration::from_secs(20);

async fn next(events: &mut LiveEvents) -> LiveEvent {
    match tokio::time::timeout(PATIENCE, events.next()).await {
        Ok(Some(Ok(event))) => event,
        Ok(Some(Err(e))) => panic!("the stream failed: {e}"),
        Ok(None) => panic!("the stream ended"),
        Err(_) => panic!("no event in {PATIENCE:?}"),
    }
}

/// The differences between the live view and the simulator's state.
fn differences(view: &LiveView, sim: &ConferenceSnapshot) -> Vec<String> {
    let mut out = Vec::new();
    let pids: Vec<&str> = view.participants().keys().map(String::as_str).collect();
    let mut want: Vec<&str> = sim
        .participants
        .iter()
        .map(|p| p.participant_id.as_str())
        .collect();
    want.sort_unstable();
    if pids != want {
        out.push(format!("participants {pids:?}, simulator {want:?}"));
    }
    for p in &sim.participants {
        if let Some(v) = view.participants().get(&p.participant_id) {
            let got = (
                v.name(),
                v.is_host(),
                v.muted(),
                v.hand_raised(),
                v.is_cohost(),
            );
            let exp = (
                Some(p.name.as_str()),
                p.is_chair,
                p.muted,
                p.hand_raised,
                p.is_cohost,
            );
            if got != exp {
                out.push(format!("{}: {got:?}, simulator {exp:?}", p.participant_id));
            }
        }
    }
    if view.locked() != sim.locked {
        out.push(format!(
            "locked {}, simulator {}",
            view.locked(),
            sim.locked
        ));
    }
    let recording = sim.recording == RecordingState::Recording;
    if view.recording() != recording {
        out.push(format!(
            "recording {}, simulator {recording}",
            view.recording()
        ));
    }
    if view.ended() == sim.active {
        out.push(format!(
            "ended {}, simulator active {}",
            view.ended(),
            sim.active
        ));
    }
    out
}

/// Takes events until the view equals the simulator's state; returns them.
async fn settle(events: &mut LiveEvents, sim: &SimControl) -> Vec<LiveEvent> {
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let state = sim.conference(DEMO_CONFERENCE_ID).unwrap();
        let subscribed = seen
            .iter()
            .any(|e| matches!(e, LiveEvent::Subscribed { .. }))
            || !events.view().participants().is_empty();
        if subscribed && differences(&events.view(), &state).is_empty() {
            // The task folds a push before it queues its event: what led
            // to this view is queued already.
            while let Some(Some(Ok(event))) = events.next().now_or_never() {
                seen.push(event);
            }
            return seen;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the view never matched: {:?}; events {seen:?}",
            differences(&events.view(), &state)
        );
        match tokio::time::timeout(Duration::from_millis(500), events.next()).await {
            Ok(Some(Ok(event))) => seen.push(event),
            Ok(Some(Err(e))) => panic!("the stream failed: {e}; events {seen:?}"),
            Ok(None) => panic!("the stream ended; events {seen:?}"),
            Err(_) => {}
        }
    }
}

/// Takes events until one matches; returns them all.
async fn expect(events: &mut LiveEvents, want: impl Fn(&LiveEvent) -> bool) -> Vec<LiveEvent> {
    let mut seen = Vec::new();
    loop {
        let event = next(events).await;
        let done = want(&event);
        seen.push(event);
        if done {
            return seen;
        }
    }
}

fn quiet(events: &[LiveEvent]) -> bool {
    !events.iter().any(|e| {
        matches!(
            e,
            LiveEvent::Resync { .. } | LiveEvent::Subscribed { resync: true }
        )
    })
}

async fn meeting() -> (Simulator, Conference) {
    let sim = common::sim().await;
    let client = common::client(&sim);
    let meeting = common::started(&client).await;
    (sim, meeting)
}

/// Polls a condition of the simulator (a hang guard, not a timing assert).
async fn wait_until(mut done: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !done() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the condition never held"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn join(sim: &SimControl, pid: &str, name: &str) {
    sim.join_participant(DEMO_CONFERENCE_ID, NewParticipant::new(pid, name))
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_live_view_follows_a_scripted_meeting_and_the_stream_ends_with_it() {
    let (sim, meeting) = meeting().await;
    let mut events = meeting.events_with(fast());
    assert_eq!(
        next(&mut events).await,
        LiveEvent::Subscribed { resync: false }
    );
    let first = expect(&mut events, |e| {
        matches!(
            e,
            LiveEvent::Push {
                push: Push::Participants { .. },
                folded: Folded::Snapshot,
                ..
            }
        )
    })
    .await;
    assert!(quiet(&first));
    settle(&mut events, &sim).await;
    assert_eq!(events.view().conference_id(), Some(DEMO_CONFERENCE_ID));

    join(&sim, "p-dave", "Dave");
    assert!(quiet(&settle(&mut events, &sim).await));
    sim.leave_participant(DEMO_CONFERENCE_ID, "p-carol")
        .unwrap();
    assert!(quiet(&settle(&mut events, &sim).await));
    meeting
        .hang_up(HangUpRequest::new(["p-bob"]))
        .await
        .unwrap();
    assert!(quiet(&settle(&mut events, &sim).await));
    meeting
        .set_role(SetRoleRequest::new("p-dave", ApplyChair::Apply).chairman_pwd(DEMO_HOST_PASSWORD))
        .await
        .unwrap();
    assert!(quiet(&settle(&mut events, &sim).await));
    assert_eq!(events.view().host().map(|h| h.pid.as_str()), Some("p-dave"));
    meeting
        .mute_participant(MuteParticipantRequest::new("p-alice", MuteState::Muted))
        .await
        .unwrap();
    meeting
        .lock_meeting(LockMeetingRequest::new(MeetingLock::Locked))
        .await
        .unwrap();
    meeting
        .record(RecordRequest::new(RecordSwitch::Start))
        .await
        .unwrap();
    let steps = settle(&mut events, &sim).await;
    assert!(quiet(&steps));
    assert!(events.view().locked() && events.view().recording());
    assert!(events.view().participants()["p-alice"].muted());
    // Increments, merged, and not snapshots.
    assert!(steps.iter().all(|e| !matches!(
        e,
        LiveEvent::Push {
            folded: Folded::Snapshot,
            ..
        }
    )));

    meeting
        .stop_meeting(StopMeetingRequest::new())
        .await
        .unwrap();
    loop {
        match next(&mut events).await {
            LiveEvent::Ended => break,
            LiveEvent::Push { .. } => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(events.view().ended());
    assert!(
        tokio::time::timeout(PATIENCE, events.next())
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_abrupt_disconnect_resyncs_with_a_fresh_snapshot() {
    let (sim, meeting) = meeting().await;
    let mut events = meeting.events_with(fast());
    settle(&mut events, &sim).await;
    sim.set_live_faults(LiveFaults {
        disconnect: 1,
        ..LiveFaults::default()
    });
    // The join is not pushed: the channel drops instead.
    join(&sim, "p-dave", "Dave");
    let steps = settle(&mut events, &sim).await;
    let resync = steps
        .iter()
        .position(|e| {
            matches!(
                e,
                LiveEvent::Resync {
                    reason: ResyncReason::Dropped(_),
                    ..
                }
            )
        })
        .unwrap_or_else(|| panic!("no resync in {steps:?}"));
    assert!(steps[resync..].contains(&LiveEvent::Subscribed { resync: true }));
    assert!(events.view().participants().contains_key("p-dave"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_increment_is_seen_as_a_gap_and_resyncs() {
    let (sim, meeting) = meeting().await;
    let mut events = meeting.events_with(fast());
    settle(&mut events, &sim).await;
    join(&sim, "p-dave", "Dave");
    settle(&mut events, &sim).await;
    sim.set_live_faults(LiveFaults {
        gap: 1,
        ..LiveFaults::default()
    });
    // Increment 2 is lost (once the channel has used the fault up, the
    // next change makes increment 3, which shows the gap).
    join(&sim, "p-erin", "Erin");
    wait_until(|| sim.live_faults().gap == 0).await;
    sim.leave_participant(DEMO_CONFERENCE_ID, "p-alice")
        .unwrap();
    let steps = settle(&mut events, &sim).await;
    assert!(
        steps.iter().any(|e| matches!(
            e,
            LiveEvent::Resync {
                reason: ResyncReason::Gap {
                    topic: Topic::Participants,
                    expected: 2,
                    received: 3
                },
                ..
            }
        )),
        "{steps:?}"
    );
    assert!(steps.contains(&LiveEvent::Subscribed { resync: true }));
    assert!(events.view().participants().contains_key("p-erin"));
    assert!(!events.view().participants().contains_key("p-alice"));
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_actions_repeats_and_spelling_variants_pass() {
    let (sim, meeting) = meeting().await;
    let mut events = meeting.events_with(fast());
    settle(&mut events, &sim).await;
    sim.set_live_faults(LiveFaults {
        unknown_actions: 1,
        repeat: 1,
        variants: true,
        ..LiveFaults::default()
    });
    join(&sim, "p-dave", "Dave");
    let mut steps = settle(&mut events, &sim).await;
    // The second copy of the repeated increment.
    if !steps.iter().any(|e| {
        matches!(
            e,
            LiveEvent::Push {
                folded: Folded::Repeat,
                ..
            }
        )
    }) {
        steps.extend(
            expect(&mut events, |e| {
                matches!(
                    e,
                    LiveEvent::Push {
                        folded: Folded::Repeat,
                        ..
                    }
                )
            })
            .await,
        );
    }
    assert!(quiet(&steps), "{steps:?}");
    assert!(
        steps.iter().any(|e| matches!(
            e,
            LiveEvent::Push { push: Push::Unknown { action, .. }, folded: Folded::Passed, .. }
                if action == "OperationResultNotify"
        )),
        "{steps:?}"
    );
    assert!(steps.iter().any(|e| matches!(
        e,
        LiveEvent::Push {
            folded: Folded::Repeat,
            ..
        }
    )));
    let view = events.view();
    let dave = &view.participants()["p-dave"];
    assert_eq!(dave.login_type(), Some("Desktop"));
    assert!(dave.info.contains_key("CLICENT_LOGIN_TYPE"));
}

#[tokio::test(flavor = "multi_thread")]
async fn heartbeats_keep_a_quiet_channel_open() {
    let (sim, meeting) = meeting().await;
    // The simulator closes a channel silent for 600 ms; the client beats
    // every 50 ms.
    sim.set_live_heartbeat_timeout(Duration::from_millis(600));
    let options = fast().heartbeat(Duration::from_millis(50), Duration::from_secs(3));
    let mut events = meeting.events_with(options);
    settle(&mut events, &sim).await;
    let mut echoes = 0;
    let mut seen = Vec::new();
    // Quiet for three times the simulator's limit.
    let until = tokio::time::Instant::now() + Duration::from_millis(1800);
    while let Ok(event) = tokio::time::timeout_at(until, next(&mut events)).await {
        if matches!(
            event,
            LiveEvent::Push {
                push: Push::HeartBeat { .. },
                ..
            }
        ) {
            echoes += 1;
        }
        seen.push(event);
    }
    assert!(quiet(&seen), "{seen:?}");
    assert!(echoes >= 3, "{echoes} echoes: {seen:?}");
    assert_eq!(sim.live_channels(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_silent_server_is_detected_and_left() {
    let (sim, meeting) = meeting().await;
    let options = fast().heartbeat(Duration::from_millis(50), Duration::from_millis(400));
    let mut events = meeting.events_with(options);
    settle(&mut events, &sim).await;
    sim.set_live_faults(LiveFaults {
        silent: true,
        ..LiveFaults::default()
    });
    let silent = loop {
        match next(&mut events).await {
            LiveEvent::Resync {
                reason: ResyncReason::Silent(d),
                ..
            } => break d,
            // The rest of the snapshots, echoes before the fault.
            LiveEvent::Push { .. } => {}
            other => panic!("unexpected {other:?}"),
        }
    };
    assert!(silent >= Duration::from_millis(400), "{silent:?}");
    sim.set_live_faults(LiveFaults::default());
    loop {
        match next(&mut events).await {
            LiveEvent::Subscribed { resync: true } => break,
            LiveEvent::Resync { .. } => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    settle(&mut events, &sim).await;
}

/// Opens the connection URL by hand (plain `ws://`: the simulator without
/// TLS) and reads the first text or close frame.
async fn raw_connect(
    sim: &SimControl,
    conference: &str,
    token: &hwmeeting_async::Secret,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    let url = frame::connection_url(sim.url(), conference, token).unwrap();
    let (socket, _) = tokio_tungstenite::connect_async(url.expose())
        .await
        .unwrap();
    socket
}

async fn first_frame(
    socket: &mut tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
) -> Message {
    loop {
        let message = tokio::time::timeout(PATIENCE, socket.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        if matches!(message, Message::Text(_) | Message::Close(_)) {
            return message;
        }
    }
}

fn close_reason(message: &Message) -> (u16, String) {
    match message {
        Message::Close(Some(frame)) => (u16::from(frame.code), frame.reason.to_string()),
        other => panic!("not a close: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn tokens_are_single_use_and_for_one_meeting() {
    let sim = common::sim_with(SimConfig::http()).await;
    sim.create_conference(hwmeeting_sim::NewConference::new("900000002", "222222").active(true))
        .unwrap();
    let client = common::client(&sim);
    let meeting = common::started(&client).await;
    let control = meeting.control_token().await.unwrap();
    let token = meeting
        .send(CreateWebSocketTokenRequest::new())
        .await
        .unwrap()
        .web_socket_token
        .unwrap();

    // First use: the subscription is answered.
    let mut socket = raw_connect(&sim, DEMO_CONFERENCE_ID, &token).await;
    let subscribe = frame::subscribe(
        "000000000000000001702459164879",
        DEMO_CONFERENCE_ID,
        &control,
        &[Topic::Participants],
    );
    socket
        .send(Message::text(subscribe.expose().to_owned()))
        .await
        .unwrap();
    let Message::Text(reply) = first_frame(&mut socket).await else {
        panic!("no reply")
    };
    assert_eq!(
        hwmeeting_async::live::sansio::parse(reply.as_bytes()).unwrap(),
        Push::SubscribeReply {
            sequence: Some("000000000000000001702459164879".into()),
            return_code: 0,
            return_desc: Some("SUCCESS".into())
        }
    );

    // Second use: refused.
    let mut again = raw_connect(&sim, DEMO_CONFERENCE_ID, &token).await;
    assert_eq!(
        close_reason(&first_frame(&mut again).await),
        (1008, "the tmpToken is unknown or was already used".into())
    );

    // A token of this meeting on another meeting: refused.
    let other = meeting
        .send(CreateWebSocketTokenRequest::new())
        .await
        .unwrap()
        .web_socket_token
        .unwrap();
    let mut foreign = raw_connect(&sim, "900000002", &other).await;
    assert_eq!(
        close_reason(&first_frame(&mut foreign).await),
        (1008, "the tmpToken was issued for another meeting".into())
    );

    // A good WebSocket token with a control token that is not live: the
    // subscription is refused, then the channel closed.
    let fresh = meeting
        .send(CreateWebSocketTokenRequest::new())
        .await
        .unwrap()
        .web_socket_token
        .unwrap();
    let mut refused = raw_connect(&sim, DEMO_CONFERENCE_ID, &fresh).await;
    let bad = frame::subscribe(
        "000000000000000001702459164880",
        DEMO_CONFERENCE_ID,
        &hwmeeting_async::Secret::new("sim-ct-not-a-token"),
        &[Topic::Participants],
    );
    refused
        .send(Message::text(bad.expose().to_owned()))
        .await
        .unwrap();
    let Message::Text(reply) = first_frame(&mut refused).await else {
        panic!("no reply")
    };
    assert_eq!(
        hwmeeting_async::live::sansio::parse(reply.as_bytes()).unwrap(),
        Push::SubscribeReply {
            sequence: Some("000000000000000001702459164880".into()),
            return_code: 1,
            return_desc: Some("`confToken` is not a live control token".into())
        }
    );
    assert_eq!(close_reason(&first_frame(&mut refused).await).0, 1008);
}
