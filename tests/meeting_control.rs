//! The state Meeting Control calls change in the simulator, driven through
//! the typed generated methods of the clients' `Conference` handle.

use hwmeeting_api::model::{
    AllowAudienceJoinRequest, AllowClientRecordRequest, AllowGuestUnmuteRequest,
    AllowWaitingParticipantRequest, AssistStream, Attendee, AttendeeToDelete, AttendeeType,
    AudienceAdmission, BatchHandRequest, BatchMoveToWaitingRoomRequest,
    BroadcastParticipantRequest, CancelBroadcastRequest, CheckTokenRequest, ClientRecordPermission,
    CohostAction, CustomPictureLayout, CustomSubscriberInPic, DeleteAttendeesRequest, HandRequest,
    HandState, HostViewType, InterpretationKind, InterpretationSwitch, InterpreterGroupInfo,
    InterpreterInfo, InviteParticipantRequest, InviteShareRequest, LiveRequest, LiveSwitch,
    LockMeetingRequest, LockViewRequest, MeetingLock, MmrRecordAction, MoveToWaitingRoomRequest,
    MultiPictureMode, MuteMeetingRequest, MuteParticipantRequest, MuteState, OriginalVoice,
    ParticipantViewType, PauseConferenceRequest, PauseState, PictureCount, PictureLayout,
    PollingSwitch, ProlongMeetingRequest, ProlongMode, RecordRequest, RecordSwitch,
    RenameParticipantRequest, ResumeSimultaneousInterpretationRequest, RollcallParticipantRequest,
    SelfUnmutePermission, SetAttendeeLanChannelRequest, SetCohostRequest,
    SetCustomMultiPictureRequest, SetHostViewRequest, SetInterpreterGroupRequest,
    SetMmrLiveRequest, SetMmrRecordRequest, SetMultiPictureRequest, SetParticipantViewRequest,
    ShareInvitation, ShowRealTimeInfoOfMeetingRequest, StartMeetingRequest, StopMeetingRequest,
    SubscriberInPic, SwitchModeRequest, VideoSourceLock, VideoSwitchMode,
};
use hwmeeting_sim::{
    HostView, Interpreter, InterpreterGroup, LanguageChannel, MultiPicture, NewConference,
    NewParticipant, Picture, RecordingState, VideoMode, codes,
};
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

/// Asserts that a call failed with this status and code.
#[track_caller]
fn refused<T: std::fmt::Debug>(
    result: Result<T, hwmeeting_core::Error>,
    status: u16,
    code: &str,
) -> String {
    let error = result.expect_err("the call is refused");
    assert_eq!(api_code(&error), Some((status, code.to_owned())), "{error}");
    error.to_string()
}

/// Refused: no such participant in the meeting.
#[track_caller]
fn unknown_participant<T: std::fmt::Debug>(result: Result<T, hwmeeting_core::Error>) -> String {
    refused(result, 404, codes::MMC_PARTICIPANT_NOT_FOUND)
}

/// Refused: a parameter the simulator's state rejects.
#[track_caller]
fn invalid<T: std::fmt::Debug>(result: Result<T, hwmeeting_core::Error>) -> String {
    refused(result, 400, codes::MMC_PARAM_INVALID)
}

#[test]
fn mute_lock_record_live_pause_and_prolong() {
    let sim = simulator();
    let client = blocking_client(&sim);
    let meeting = started(&client);
    meeting
        .set_role(
            hwmeeting_api::model::SetRoleRequest::new(
                "p-alice",
                hwmeeting_api::model::ApplyChair::Apply,
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
    meeting
        .invite_share(InviteShareRequest::new("p-bob", ShareInvitation::Invite))
        .await
        .unwrap();
    meeting
        .switch_mode(SwitchModeRequest::new(
            VideoSwitchMode::VoiceActivated,
            PictureCount::Multiple,
        ))
        .await
        .unwrap();
    let s = sim.conference(CONFERENCE).unwrap();
    assert!(s.participant("p-carol").unwrap().muted);
    assert!(s.participant("p-alice").unwrap().is_cohost);
    assert!(s.participant("p-bob").unwrap().share_invited);
    assert!(s.video_mode.unwrap().voice_activated());
    let unknown = meeting
        .lock_view(LockViewRequest::new(
            "p-alice",
            VideoSourceLock::Locked,
            "nobody",
        ))
        .await
        .unwrap_err();
    assert_eq!(
        api_code(&unknown),
        Some((404, codes::MMC_PARTICIPANT_NOT_FOUND.to_owned()))
    );

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

#[test]
fn mmr_live_local_recording_share_invitations_and_the_audience() {
    let sim = simulator();
    let client = blocking_client(&sim);
    let meeting = started(&client);
    let s = sim.conference(CONFERENCE).unwrap();
    assert!(!s.live);
    assert!(
        s.audience_allowed,
        "the audience may join until told not to"
    );

    meeting
        .set_mmr_live(SetMmrLiveRequest::new(LiveSwitch::Start))
        .unwrap();
    meeting
        .allow_client_record(AllowClientRecordRequest::new(
            "p-bob",
            ClientRecordPermission::Allowed,
        ))
        .unwrap();
    meeting
        .invite_share(InviteShareRequest::new("p-carol", ShareInvitation::Invite))
        .unwrap();
    meeting
        .allow_audience_join(AllowAudienceJoinRequest::new(AudienceAdmission::Closed))
        .unwrap();
    let s = sim.conference(CONFERENCE).unwrap();
    assert!(s.live);
    assert!(s.participant("p-bob").unwrap().client_record_allowed);
    assert!(!s.participant("p-carol").unwrap().client_record_allowed);
    assert!(s.participant("p-carol").unwrap().share_invited);
    assert!(!s.participant("p-bob").unwrap().share_invited);
    assert!(!s.audience_allowed);

    // Unknown participants are refused and change nothing.
    unknown_participant(meeting.allow_client_record(AllowClientRecordRequest::new(
        "nobody",
        ClientRecordPermission::Revoked,
    )));
    unknown_participant(
        meeting.invite_share(InviteShareRequest::new("nobody", ShareInvitation::Invite)),
    );
    assert_eq!(
        sim.conference(CONFERENCE).unwrap().participants,
        s.participants
    );

    // And back.
    meeting
        .set_mmr_live(SetMmrLiveRequest::new(LiveSwitch::Stop))
        .unwrap();
    meeting
        .allow_client_record(AllowClientRecordRequest::new(
            "p-bob",
            ClientRecordPermission::Revoked,
        ))
        .unwrap();
    meeting
        .invite_share(InviteShareRequest::new("p-carol", ShareInvitation::Cancel))
        .unwrap();
    meeting
        .allow_audience_join(AllowAudienceJoinRequest::new(AudienceAdmission::Open))
        .unwrap();
    let s = sim.conference(CONFERENCE).unwrap();
    assert!(!s.live);
    assert!(!s.participant("p-bob").unwrap().client_record_allowed);
    assert!(!s.participant("p-carol").unwrap().share_invited);
    assert!(s.audience_allowed);

    // `live` and `set_mmr_live` drive the same stream.
    meeting.live(LiveRequest::new(LiveSwitch::Start)).unwrap();
    meeting
        .set_mmr_live(SetMmrLiveRequest::new(LiveSwitch::Stop))
        .unwrap();
    assert!(!sim.conference(CONFERENCE).unwrap().live);

    // A participant sent to the waiting room loses what held in the meeting.
    meeting
        .allow_client_record(AllowClientRecordRequest::new(
            "p-bob",
            ClientRecordPermission::Allowed,
        ))
        .unwrap();
    meeting
        .invite_share(InviteShareRequest::new("p-bob", ShareInvitation::Invite))
        .unwrap();
    meeting
        .move_to_waiting_room(MoveToWaitingRoomRequest::new("p-bob"))
        .unwrap();
    let bob = sim
        .conference(CONFERENCE)
        .unwrap()
        .waiting("p-bob")
        .cloned()
        .unwrap();
    assert!(!bob.client_record_allowed && !bob.share_invited);
    // Waiting is not being in the meeting.
    unknown_participant(
        meeting.invite_share(InviteShareRequest::new("p-bob", ShareInvitation::Invite)),
    );
}

#[test]
fn terminal_views_and_the_host_view() {
    let sim = simulator();
    let client = blocking_client(&sim);
    let meeting = started(&client);

    meeting
        .lock_view(LockViewRequest::new(
            "p-alice",
            VideoSourceLock::Locked,
            "p-bob",
        ))
        .unwrap();
    meeting
        .set_participant_view(SetParticipantViewRequest::new(
            "p-carol",
            ParticipantViewType::Participant,
            "p-alice",
        ))
        .unwrap();
    let s = sim.conference(CONFERENCE).unwrap();
    let alice = s.participant("p-alice").unwrap();
    assert_eq!(alice.locked_view.as_deref(), Some("p-bob"));
    assert_eq!(alice.watching, None);
    let carol = s.participant("p-carol").unwrap();
    assert_eq!(carol.watching.as_deref(), Some("p-alice"));
    assert_eq!(carol.locked_view, None);

    // Either participant unknown: refused, nothing changes.
    unknown_participant(meeting.lock_view(LockViewRequest::new(
        "nobody",
        VideoSourceLock::Locked,
        "p-bob",
    )));
    let message = unknown_participant(meeting.lock_view(LockViewRequest::new(
        "p-carol",
        VideoSourceLock::Locked,
        "nobody",
    )));
    assert!(message.contains("nobody"), "{message}");
    unknown_participant(meeting.set_participant_view(SetParticipantViewRequest::new(
        "p-alice",
        ParticipantViewType::Participant,
        "nobody",
    )));
    unknown_participant(meeting.set_participant_view(SetParticipantViewRequest::new(
        "nobody",
        ParticipantViewType::Participant,
        "p-alice",
    )));
    assert_eq!(
        sim.conference(CONFERENCE).unwrap().participants,
        s.participants
    );

    meeting
        .lock_view(LockViewRequest::new(
            "p-alice",
            VideoSourceLock::Unlocked,
            "p-bob",
        ))
        .unwrap();
    assert_eq!(
        sim.conference(CONFERENCE)
            .unwrap()
            .participant("p-alice")
            .unwrap()
            .locked_view,
        None
    );

    // The host's view: one participant, cycling, the multi-picture.
    assert_eq!(s.host_view, None);
    meeting
        .set_host_view(SetHostViewRequest::new(HostViewType::Participant).participant_id("p-bob"))
        .unwrap();
    assert_eq!(
        sim.conference(CONFERENCE).unwrap().host_view,
        Some(HostView {
            view_type: 2,
            participant_id: Some("p-bob".into()),
            switch_time: None,
            polling: false,
        })
    );
    unknown_participant(meeting.set_host_view(
        SetHostViewRequest::new(HostViewType::Participant).participant_id("nobody"),
    ));
    meeting
        .set_host_view(
            SetHostViewRequest::new(HostViewType::Polling)
                .switch_time(20)
                .status(PollingSwitch::Start),
        )
        .unwrap();
    assert_eq!(
        sim.conference(CONFERENCE).unwrap().host_view,
        Some(HostView {
            view_type: 0,
            participant_id: None,
            switch_time: Some(20),
            polling: true,
        })
    );
    meeting
        .set_host_view(SetHostViewRequest::new(HostViewType::MultiPicture))
        .unwrap();
    let view = sim.conference(CONFERENCE).unwrap().host_view.unwrap();
    assert!(view.watches_multi_picture());

    // Not while the meeting is voice-activated or broadcasts the
    // multi-picture.
    for (mode, what) in [
        (VideoSwitchMode::VoiceActivated, "voice-activated"),
        (VideoSwitchMode::Fixed, "broadcasts the multi-picture"),
    ] {
        meeting
            .set_host_view(
                SetHostViewRequest::new(HostViewType::Participant).participant_id("p-alice"),
            )
            .unwrap();
        meeting
            .switch_mode(SwitchModeRequest::new(mode, PictureCount::Multiple))
            .unwrap();
        let message =
            invalid(meeting.set_host_view(SetHostViewRequest::new(HostViewType::MultiPicture)));
        assert!(message.contains(what), "{message}");
        let view = sim.conference(CONFERENCE).unwrap().host_view.unwrap();
        assert_eq!(view.participant_id.as_deref(), Some("p-alice"));
    }
    // A fixed single picture allows it.
    meeting
        .switch_mode(SwitchModeRequest::new(
            VideoSwitchMode::Fixed,
            PictureCount::Single,
        ))
        .unwrap();
    meeting
        .set_host_view(SetHostViewRequest::new(HostViewType::MultiPicture))
        .unwrap();
}

/// A started meeting whose participants have numbers (the custom
/// multi-picture names them so), and a handle on it.
fn numbered(
    sim: &hwmeeting_sim::SimHandle,
    client: &hwmeeting_blocking::Client,
) -> hwmeeting_blocking::Conference {
    const ID: &str = "900000077";
    let mut new = NewConference::new(ID, HOST_PASSWORD).active(true);
    for (pid, name, number) in [
        ("p-dana", "Dana", "+990010"),
        ("p-emil", "Emil", "+990011"),
        ("p-fay", "Fay", "+990012"),
    ] {
        new = new.participant(NewParticipant::new(pid, name).phone(number));
    }
    sim.create_conference(new).unwrap();
    client.conference(ID, HOST_PASSWORD)
}

#[test]
fn the_video_strategy_and_the_multi_picture() {
    let sim = simulator();
    let client = blocking_client(&sim);
    let meeting = started(&client);
    assert_eq!(sim.conference(CONFERENCE).unwrap().video_mode, None);
    meeting
        .switch_mode(SwitchModeRequest::new(
            VideoSwitchMode::VoiceActivated,
            PictureCount::Single,
        ))
        .unwrap();
    assert_eq!(
        sim.conference(CONFERENCE).unwrap().video_mode,
        Some(VideoMode {
            switch_mode: "VAS".into(),
            image_type: 0
        })
    );
    meeting
        .switch_mode(SwitchModeRequest::new(
            VideoSwitchMode::Fixed,
            PictureCount::Multiple,
        ))
        .unwrap();
    assert_eq!(
        sim.conference(CONFERENCE).unwrap().video_mode,
        Some(VideoMode::fixed_multi_picture())
    );

    // The deprecated call: subscribers by participant ID.
    meeting
        .set_multi_picture(
            SetMultiPictureRequest::new(MultiPictureMode::Manual)
                .image_type(PictureLayout::Four)
                .subscriber_in_pics(vec![
                    SubscriberInPic::new(1).subscriber(["p-alice"]),
                    SubscriberInPic::new(2)
                        .subscriber(["p-bob", "p-carol"])
                        .is_assist_stream(AssistStream::Auxiliary),
                ])
                .switch_time(30),
        )
        .unwrap();
    let set = MultiPicture {
        manual: true,
        image_type: Some("Four".into()),
        pictures: vec![
            Picture {
                index: 1,
                participants: vec!["p-alice".into()],
                assist_stream: false,
            },
            Picture {
                index: 2,
                participants: vec!["p-bob".into(), "p-carol".into()],
                assist_stream: true,
            },
        ],
        switch_time: Some(30),
        pic_layout_info: None,
        saved_only: false,
    };
    assert_eq!(
        sim.conference(CONFERENCE).unwrap().multi_picture,
        Some(set.clone())
    );
    let message = unknown_participant(
        meeting.set_multi_picture(
            SetMultiPictureRequest::new(MultiPictureMode::Manual)
                .image_type(PictureLayout::Two)
                .subscriber_in_pics(vec![SubscriberInPic::new(1).subscriber(["nobody"])]),
        ),
    );
    assert!(message.contains("nobody"), "{message}");
    // Picture 5 of four.
    invalid(
        meeting.set_multi_picture(
            SetMultiPictureRequest::new(MultiPictureMode::Manual)
                .image_type(PictureLayout::Four)
                .subscriber_in_pics(vec![SubscriberInPic::new(5).subscriber(["p-alice"])]),
        ),
    );
    assert_eq!(sim.conference(CONFERENCE).unwrap().multi_picture, Some(set));
    meeting
        .set_multi_picture(SetMultiPictureRequest::new(MultiPictureMode::Automatic))
        .unwrap();
    let automatic = sim.conference(CONFERENCE).unwrap().multi_picture.unwrap();
    assert!(!automatic.manual);
    assert!(automatic.pictures.is_empty());
    assert_eq!(automatic.image_type, None);

    // The custom multi-picture: subscribers by number.
    let numbered_meeting = numbered(&sim, &client);
    let id = "900000077";
    numbered_meeting
        .broadcast_participant(BroadcastParticipantRequest::new("p-dana"))
        .unwrap();
    let two = || {
        SetCustomMultiPictureRequest::new(MultiPictureMode::Manual)
            .image_type(CustomPictureLayout::Two)
            .subscriber_in_pics(vec![
                CustomSubscriberInPic::new()
                    .index(1)
                    .subscriber(["+990010"]),
                CustomSubscriberInPic::new()
                    .index(2)
                    .subscriber(["+990011", "+990012"]),
            ])
            .switch_time(15)
    };
    // Only saved: the layout is kept, nothing else changes.
    numbered_meeting
        .set_custom_multi_picture(two().multi_pic_save_only(true))
        .unwrap();
    let s = sim.conference(id).unwrap();
    let saved = s.multi_picture.unwrap();
    assert!(saved.saved_only);
    assert_eq!(saved.image_type.as_deref(), Some("Two"));
    assert_eq!(saved.pictures[0].participants, ["p-dana"]);
    assert_eq!(saved.pictures[1].participants, ["p-emil", "p-fay"]);
    assert_eq!(saved.switch_time, Some(15));
    assert_eq!(s.video_mode, None);
    assert_eq!(s.broadcast.as_deref(), Some("p-dana"));
    // Applied: a broadcast participant gives way to the multi-picture.
    numbered_meeting
        .set_custom_multi_picture(two().multi_pic_save_only(false))
        .unwrap();
    let s = sim.conference(id).unwrap();
    assert!(!s.multi_picture.unwrap().saved_only);
    assert_eq!(s.video_mode, Some(VideoMode::fixed_multi_picture()));
    assert_eq!(s.broadcast, None);
    // A voice-activated meeting stays so.
    numbered_meeting
        .switch_mode(SwitchModeRequest::new(
            VideoSwitchMode::VoiceActivated,
            PictureCount::Multiple,
        ))
        .unwrap();
    numbered_meeting
        .set_custom_multi_picture(SetCustomMultiPictureRequest::new(
            MultiPictureMode::Automatic,
        ))
        .unwrap();
    let s = sim.conference(id).unwrap();
    assert!(s.video_mode.unwrap().voice_activated());
    assert!(!s.multi_picture.as_ref().unwrap().manual);

    // A number nobody in the meeting has; a picture past the layout.
    let message = unknown_participant(
        numbered_meeting.set_custom_multi_picture(
            SetCustomMultiPictureRequest::new(MultiPictureMode::Manual)
                .image_type(CustomPictureLayout::Two)
                .subscriber_in_pics(vec![
                    CustomSubscriberInPic::new()
                        .index(1)
                        .subscriber(["+990099"]),
                ]),
        ),
    );
    assert!(message.contains("+990099"), "{message}");
    invalid(
        numbered_meeting.set_custom_multi_picture(
            SetCustomMultiPictureRequest::new(MultiPictureMode::Manual)
                .image_type(CustomPictureLayout::Three2)
                .subscriber_in_pics(vec![
                    CustomSubscriberInPic::new()
                        .index(4)
                        .subscriber(["+990010"]),
                ]),
        ),
    );
    assert_eq!(sim.conference(id).unwrap().multi_picture, s.multi_picture);
}

#[test]
fn interpreter_groups_language_channels_and_interpretation() {
    let sim = simulator();
    let client = blocking_client(&sim);
    let meeting = started(&client);
    let english_chinese = || {
        InterpreterGroupInfo::new("1", "en-US", "zh-CN")
            .group_name("English-Chinese")
            .interpreters(vec![
                InterpreterInfo::new("bob@example.com").name("Bob"),
                InterpreterInfo::new("")
                    .user_id("7c6b5a4938271605f4e3d2c1b0a99887")
                    .interpreter_type(InterpretationKind::Ai),
            ])
    };
    meeting
        .set_interpreter_group(SetInterpreterGroupRequest::new(vec![
            english_chinese(),
            InterpreterGroupInfo::new("2", "en-US", "fr-FR").group_type(InterpretationKind::Ai),
        ]))
        .unwrap();
    let groups = sim.conference(CONFERENCE).unwrap().interpreter_groups;
    assert_eq!(
        groups[0],
        InterpreterGroup {
            group_id: "1".into(),
            group_name: Some("English-Chinese".into()),
            group_type: "MANUAL".into(),
            first_language: "en-US".into(),
            second_language: "zh-CN".into(),
            interpreters: vec![
                Interpreter {
                    login_account: "bob@example.com".into(),
                    user_id: None,
                    name: Some("Bob".into()),
                    interpreter_type: "MANUAL".into(),
                },
                Interpreter {
                    login_account: String::new(),
                    user_id: Some("7c6b5a4938271605f4e3d2c1b0a99887".into()),
                    name: None,
                    interpreter_type: "AI".into(),
                },
            ],
        }
    );
    assert_eq!(groups[1].group_type, "AI");
    assert_eq!(groups.len(), 2);

    // Groups the service cannot use are refused, and the groups stay.
    let message = invalid(
        meeting.set_interpreter_group(SetInterpreterGroupRequest::new(vec![
            InterpreterGroupInfo::new("1", "en-US", "en-US"),
        ])),
    );
    assert!(message.contains("two languages"), "{message}");
    let message = invalid(
        meeting.set_interpreter_group(SetInterpreterGroupRequest::new(vec![
            english_chinese(),
            InterpreterGroupInfo::new("1", "de-DE", "fr-FR"),
        ])),
    );
    assert!(message.contains("twice"), "{message}");
    let message = invalid(
        meeting.set_interpreter_group(SetInterpreterGroupRequest::new(vec![
            InterpreterGroupInfo::new("3", "de-DE", "fr-FR")
                .interpreters(vec![InterpreterInfo::new("")]),
        ])),
    );
    assert!(message.contains("neither"), "{message}");
    assert_eq!(
        sim.conference(CONFERENCE).unwrap().interpreter_groups,
        groups
    );

    // Channels.
    meeting
        .set_attendee_lan_channel(
            SetAttendeeLanChannelRequest::new("en-US", "en-US")
                .participant_ids(["p-alice", "p-bob"])
                .include_original_voice(OriginalVoice::Included),
        )
        .unwrap();
    let s = sim.conference(CONFERENCE).unwrap();
    let english = LanguageChannel {
        listen: "en-US".into(),
        speak: "en-US".into(),
        include_original_voice: Some(true),
    };
    assert_eq!(
        s.participant("p-alice").unwrap().language_channel,
        Some(english.clone())
    );
    assert_eq!(
        s.participant("p-bob").unwrap().language_channel,
        Some(english)
    );
    assert_eq!(s.participant("p-carol").unwrap().language_channel, None);
    unknown_participant(meeting.set_attendee_lan_channel(
        SetAttendeeLanChannelRequest::new("zh-CN", "zh-CN").participant_ids(["p-carol", "nobody"]),
    ));
    let message = invalid(meeting.set_attendee_lan_channel(
        SetAttendeeLanChannelRequest::new("zh-CN", "en-US").participant_ids(["p-carol"]),
    ));
    assert!(message.contains("speakLanChannel"), "{message}");
    assert_eq!(
        sim.conference(CONFERENCE).unwrap().participants,
        s.participants
    );

    // On, off, and off when the meeting ends.
    assert!(!s.interpretation);
    meeting
        .resume_simultaneous_interpretation(ResumeSimultaneousInterpretationRequest::new(
            InterpretationSwitch::Start,
        ))
        .unwrap();
    assert!(sim.conference(CONFERENCE).unwrap().interpretation);
    meeting
        .resume_simultaneous_interpretation(ResumeSimultaneousInterpretationRequest::new(
            InterpretationSwitch::Stop,
        ))
        .unwrap();
    assert!(!sim.conference(CONFERENCE).unwrap().interpretation);
    meeting
        .resume_simultaneous_interpretation(ResumeSimultaneousInterpretationRequest::new(
            InterpretationSwitch::Start,
        ))
        .unwrap();
    meeting.stop_meeting(StopMeetingRequest::new()).unwrap();
    assert!(!sim.conference(CONFERENCE).unwrap().interpretation);
}

/// Each of these calls is refused once the meeting has ended, and changes
/// nothing.
#[test]
fn views_pictures_interpretation_and_grants_need_a_running_meeting() {
    let sim = simulator();
    let client = blocking_client(&sim);
    let meeting = started(&client);
    meeting.stop_meeting(StopMeetingRequest::new()).unwrap();
    let before = sim.conference(CONFERENCE).unwrap();
    fn not_started(result: Result<(), hwmeeting_core::Error>) {
        refused(result, 400, codes::MMC_CONFERENCE_NOT_STARTED);
    }
    fn unit<T>(result: Result<T, hwmeeting_core::Error>) -> Result<(), hwmeeting_core::Error> {
        result.map(|_| ())
    }
    not_started(unit(
        meeting.set_mmr_live(SetMmrLiveRequest::new(LiveSwitch::Start)),
    ));
    not_started(unit(meeting.allow_client_record(
        AllowClientRecordRequest::new("p-bob", ClientRecordPermission::Allowed),
    )));
    not_started(unit(meeting.invite_share(InviteShareRequest::new(
        "p-bob",
        ShareInvitation::Invite,
    ))));
    not_started(unit(meeting.allow_audience_join(
        AllowAudienceJoinRequest::new(AudienceAdmission::Closed),
    )));
    not_started(unit(meeting.lock_view(LockViewRequest::new(
        "p-alice",
        VideoSourceLock::Locked,
        "p-bob",
    ))));
    not_started(unit(meeting.set_participant_view(
        SetParticipantViewRequest::new("p-alice", ParticipantViewType::Participant, "p-bob"),
    )));
    not_started(unit(
        meeting.set_host_view(SetHostViewRequest::new(HostViewType::MultiPicture)),
    ));
    not_started(unit(meeting.switch_mode(SwitchModeRequest::new(
        VideoSwitchMode::VoiceActivated,
        PictureCount::Multiple,
    ))));
    not_started(unit(meeting.set_multi_picture(
        SetMultiPictureRequest::new(MultiPictureMode::Automatic),
    )));
    not_started(unit(meeting.set_custom_multi_picture(
        SetCustomMultiPictureRequest::new(MultiPictureMode::Automatic),
    )));
    not_started(unit(meeting.set_interpreter_group(
        SetInterpreterGroupRequest::new(vec![InterpreterGroupInfo::new("1", "en-US", "zh-CN")]),
    )));
    not_started(unit(meeting.set_attendee_lan_channel(
        SetAttendeeLanChannelRequest::new("en-US", "en-US").participant_ids(["p-bob"]),
    )));
    not_started(unit(meeting.resume_simultaneous_interpretation(
        ResumeSimultaneousInterpretationRequest::new(InterpretationSwitch::Start),
    )));
    let after = sim.conference(CONFERENCE).unwrap();
    assert_eq!(after.calls.len(), before.calls.len());
    assert_eq!(
        serde_json::to_value(&after).unwrap(),
        serde_json::to_value(&before).unwrap()
    );
}
