//! The state Meeting Control calls change in the simulator, driven through
//! the typed generated methods of the clients' `Conference` handle.

use hwmeeting_core::model::{
    AllowGuestUnmuteRequest, AllowWaitingParticipantRequest, Attendee, AttendeeToDelete,
    AttendeeType, BatchHandRequest, BatchMoveToWaitingRoomRequest, BroadcastParticipantRequest,
    CancelBroadcastRequest, CheckTokenRequest, CohostAction, DeleteAttendeesRequest, HandRequest,
    HandState, InviteParticipantRequest, LiveRequest, LiveSwitch, LockMeetingRequest, MeetingLock,
    MmrRecordAction, MoveToWaitingRoomRequest, MuteMeetingRequest, MuteParticipantRequest,
    MuteState, PauseConferenceRequest, PauseState, ProlongMeetingRequest, ProlongMode,
    RecordRequest, RecordSwitch, RenameParticipantRequest, RollcallParticipantRequest,
    SelfUnmutePermission, SetCohostRequest, SetMmrRecordRequest, ShowRealTimeInfoOfMeetingRequest,
    StartMeetingRequest, StopMeetingRequest,
};
use hwmeeting_sim::{RecordingState, codes};
use hwmeeting_tests::{CONFERENCE, HOST_PASSWORD, async_client, blocking_client, simulator};
use serde_json::json;

/// The demo meeting, started, and a handle on it.
fn started(client: &hwmeeting_blocking::Client) -> hwmeeting_blocking::Conference {
    client
        .start_meeting(StartMeetingRequest::new(CONFERENCE, HOST_PASSWORD))
        .expect("the meeting starts");
    client.conference(CONFERENCE, HOST_PASSWORD)
}

fn api_code(e: &hwmeeting_core::Error) -> Option<(u16, String)> {
    e.api_error()
        .map(|a| (a.status, a.error_code.clone().unwrap_or_default()))
}

#[test]
fn mute_lock_record_live_pause_and_prolong() {
    let sim = simulator();
    let client = blocking_client(&sim);
    let meeting = started(&client);
    meeting
        .set_role(
            hwmeeting_core::model::SetRoleRequest::new(
                "p-alice",
                hwmeeting_core::model::ApplyChair::Apply,
            )
            .chairman_pwd(HOST_PASSWORD),
        )
        .unwrap();

    meeting
        .mute_meeting(
            MuteMeetingRequest::new(MuteState::Muted)
                .allow_unmute_by_oneself(SelfUnmutePermission::Forbidden),
        )
        .unwrap();
    let s = sim.conference(CONFERENCE).unwrap();
    assert!(s.muted);
    assert!(
        !s.participant("p-alice").unwrap().muted,
        "the host stays open"
    );
    assert!(s.participant("p-bob").unwrap().muted);
    assert_eq!(s.settings["allowUnmuteByOneself"], json!(0));

    meeting
        .mute_participant(MuteParticipantRequest::new("p-bob", MuteState::Unmuted))
        .unwrap();
    meeting
        .allow_guest_unmute(AllowGuestUnmuteRequest::new(SelfUnmutePermission::Allowed))
        .unwrap();
    meeting
        .lock_meeting(LockMeetingRequest::new(MeetingLock::Locked))
        .unwrap();
    meeting
        .record(RecordRequest::new(RecordSwitch::Start))
        .unwrap();
    meeting.live(LiveRequest::new(LiveSwitch::Start)).unwrap();
    meeting
        .pause_conference(PauseConferenceRequest::new(PauseState::Paused))
        .unwrap();
    meeting
        .prolong_meeting(ProlongMeetingRequest::new(ProlongMode::Manual).duration(30))
        .unwrap();
    let s = sim.conference(CONFERENCE).unwrap();
    assert!(!s.participant("p-bob").unwrap().muted);
    assert!(s.participant("p-carol").unwrap().muted);
    assert_eq!(s.settings["allowUnmuteByOneself"], json!(1));
    assert!(s.locked);
    assert_eq!(s.recording, RecordingState::Recording);
    assert!(s.live);
    assert!(s.paused);
    assert_eq!(s.duration_minutes, 90);

    meeting
        .set_mmr_record(SetMmrRecordRequest::new(MmrRecordAction::Pause))
        .unwrap();
    assert_eq!(
        sim.conference(CONFERENCE).unwrap().recording,
        RecordingState::Paused
    );
    meeting
        .lock_meeting(LockMeetingRequest::new(MeetingLock::Unlocked))
        .unwrap();
    assert!(!sim.conference(CONFERENCE).unwrap().locked);
}

#[test]
fn names_cohosts_hands_broadcast_and_roll_call() {
    let sim = simulator();
    let client = blocking_client(&sim);
    let meeting = started(&client);
    meeting
        .rename_participant(
            RenameParticipantRequest::new("+990002", "Robert").participant_id("p-bob"),
        )
        .unwrap();
    meeting
        .set_cohost(SetCohostRequest::new("p-bob", CohostAction::Grant))
        .unwrap();
    meeting
        .hand(HandRequest::new("p-carol", HandState::Raised))
        .unwrap();
    meeting
        .batch_hand(BatchHandRequest::new(
            HandState::Raised,
            ["p-alice", "p-bob"],
        ))
        .unwrap();
    meeting
        .broadcast_participant(BroadcastParticipantRequest::new("p-carol"))
        .unwrap();
    let s = sim.conference(CONFERENCE).unwrap();
    let bob = s.participant("p-bob").unwrap();
    assert_eq!(bob.name, "Robert");
    assert!(bob.is_cohost);
    assert!(bob.hand_raised);
    assert!(s.participant("p-carol").unwrap().hand_raised);
    assert_eq!(s.broadcast.as_deref(), Some("p-carol"));
    assert_eq!(s.roll_call, None);

    meeting
        .rollcall_participant(RollcallParticipantRequest::new("p-alice"))
        .unwrap();
    let s = sim.conference(CONFERENCE).unwrap();
    assert_eq!(s.roll_call.as_deref(), Some("p-alice"));
    assert!(!s.participant("p-alice").unwrap().muted);
    assert!(s.participant("p-bob").unwrap().muted);
    meeting
        .cancel_broadcast(CancelBroadcastRequest::new())
        .unwrap();
    let s = sim.conference(CONFERENCE).unwrap();
    assert_eq!((s.broadcast, s.roll_call), (None, None));

    // The real-time info says the same.
    let info = meeting
        .show_real_time_info_of_meeting(ShowRealTimeInfoOfMeetingRequest::new())
        .unwrap();
    let participants = info.participants.unwrap();
    assert_eq!(participants.len(), 3);
    let bob = participants
        .iter()
        .find(|p| p.pid.as_deref() == Some("p-bob"))
        .unwrap();
    assert_eq!(bob.name.as_deref(), Some("Robert"));
    assert_eq!(bob.mute, Some(MuteState::Muted));
    assert_eq!(bob.hand, Some(HandState::Raised));
    let conf = info.conf_info.unwrap();
    assert_eq!(conf.co_hosts, Some(vec!["p-bob".to_owned()]));

    let unknown = meeting
        .mute_participant(MuteParticipantRequest::new("nobody", MuteState::Muted))
        .unwrap_err();
    assert_eq!(
        api_code(&unknown),
        Some((404, codes::MMC_PARTICIPANT_NOT_FOUND.to_owned()))
    );
}

#[test]
fn the_waiting_room_invitations_and_attendees() {
    let sim = simulator();
    let client = blocking_client(&sim);
    let meeting = started(&client);
    meeting
        .move_to_waiting_room(MoveToWaitingRoomRequest::new("p-bob"))
        .unwrap();
    meeting
        .batch_move_to_waiting_room(BatchMoveToWaitingRoomRequest::new(["p-carol"]))
        .unwrap();
    let s = sim.conference(CONFERENCE).unwrap();
    assert!(s.participant("p-bob").is_none());
    assert_eq!(
        s.waiting_room
            .iter()
            .map(|p| p.participant_id.as_str())
            .collect::<Vec<_>>(),
        ["p-bob", "p-carol"]
    );
    meeting
        .allow_waiting_participant(
            AllowWaitingParticipantRequest::new()
                .participant_id("p-carol")
                .allow_all(false),
        )
        .unwrap();
    let s = sim.conference(CONFERENCE).unwrap();
    assert!(s.participant("p-carol").is_some());
    assert!(s.waiting("p-bob").is_some());
    let not_waiting = meeting
        .allow_waiting_participant(
            AllowWaitingParticipantRequest::new()
                .participant_id("p-alice")
                .allow_all(false),
        )
        .unwrap_err();
    assert_eq!(
        api_code(&not_waiting),
        Some((404, codes::MMC_PARTICIPANT_NOT_FOUND.to_owned()))
    );
    meeting
        .allow_waiting_participant(AllowWaitingParticipantRequest::new().allow_all(true))
        .unwrap();
    assert!(sim.conference(CONFERENCE).unwrap().waiting_room.is_empty());

    meeting
        .invite_participant(InviteParticipantRequest::new(vec![Attendee::new(
            "Dave",
            "+990001",
            AttendeeType::Normal,
        )]))
        .unwrap();
    let s = sim.conference(CONFERENCE).unwrap();
    let dave = s.participants.iter().find(|p| p.name == "Dave").unwrap();
    assert_eq!(dave.phone.as_deref(), Some("+990001"));
    assert!(s.attendees.iter().any(|a| a.name == "Dave"));
    meeting
        .delete_attendees(DeleteAttendeesRequest::new(vec![AttendeeToDelete::new(
            "+990001",
        )]))
        .unwrap();
    let s = sim.conference(CONFERENCE).unwrap();
    assert!(s.participants.iter().all(|p| p.name != "Dave"));
    assert!(s.attendees.iter().all(|a| a.name != "Dave"));
}

#[test]
fn stopping_the_meeting_ends_its_control() {
    let sim = simulator();
    let client = blocking_client(&sim);
    let meeting = started(&client);
    meeting.stop_meeting(StopMeetingRequest::new()).unwrap();
    assert!(!sim.conference(CONFERENCE).unwrap().active);
    // The handle's token is revoked; renewing it fails: not running.
    let error = meeting
        .mute_meeting(MuteMeetingRequest::new(MuteState::Muted))
        .unwrap_err();
    assert_eq!(
        api_code(&error),
        Some((400, codes::MMC_CONFERENCE_NOT_STARTED.to_owned())),
        "{error}"
    );
    assert!(!sim.conference(CONFERENCE).unwrap().muted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_async_client_drives_the_same_state_and_checks_its_token() {
    let sim = simulator();
    let client = async_client(&sim);
    client
        .start_meeting(StartMeetingRequest::new(CONFERENCE, HOST_PASSWORD))
        .await
        .unwrap();
    let meeting = client.conference(CONFERENCE, HOST_PASSWORD);
    meeting
        .mute_participant(MuteParticipantRequest::new("p-carol", MuteState::Muted))
        .await
        .unwrap();
    meeting
        .set_cohost(SetCohostRequest::new("p-alice", CohostAction::Grant))
        .await
        .unwrap();
    let s = sim.conference(CONFERENCE).unwrap();
    assert!(s.participant("p-carol").unwrap().muted);
    assert!(s.participant("p-alice").unwrap().is_cohost);

    let token = client.access_token().await.unwrap();
    let checked = client
        .check_token(CheckTokenRequest::new(token.clone(), false))
        .await
        .unwrap();
    assert_eq!(
        checked.access_token.as_ref().map(|t| t.expose().to_owned()),
        Some(token.expose().to_owned())
    );
    let bogus = client
        .check_token(CheckTokenRequest::new("sim-at-bogus", false))
        .await
        .unwrap_err();
    assert_eq!(bogus.api_error().map(|e| e.status), Some(401));

    meeting
        .stop_meeting(StopMeetingRequest::new())
        .await
        .unwrap();
    let error = meeting
        .hand(HandRequest::new("p-bob", HandState::Raised))
        .await
        .unwrap_err();
    assert_eq!(
        api_code(&error),
        Some((400, codes::MMC_CONFERENCE_NOT_STARTED.to_owned())),
        "{error}"
    );
}
