//! Both clients through the whole flow against the simulator over TLS,
//! trusting the certificate it made: log in, activate the meeting, get a
//! control token, make a participant host, invite one to turn the camera
//! off, lock sharing, hang one up — checking the simulator's state after
//! each step, and that both clients put the same requests on the wire.

use hwmeeting_api::model::{
    ApplyChair, CallInRestriction, CameraInvitation, HangUpRequest, InviteOperateVideoRequest,
    SetRoleRequest, SharingLock, StartMeetingRequest, UpdateStartedConfConfigRequest,
};
use hwmeeting_tests::{
    CONFERENCE, HOST_PASSWORD, async_client, blocking_client, control_requests, simulator,
};

fn set_role() -> SetRoleRequest {
    SetRoleRequest::new("p-alice", ApplyChair::Apply).chairman_pwd(HOST_PASSWORD)
}

fn camera_off() -> InviteOperateVideoRequest {
    InviteOperateVideoRequest::new("p-bob", CameraInvitation::Disable)
}

fn lock_sharing() -> UpdateStartedConfConfigRequest {
    UpdateStartedConfConfigRequest::new()
        .lock_sharing(SharingLock::Locked)
        .call_in_restriction(CallInRestriction::EnterpriseUsers)
}

fn hang_up() -> HangUpRequest {
    HangUpRequest::new(["p-carol"])
}

fn check_final_state(sim: &hwmeeting_sim::SimHandle) {
    let state = sim.conference(CONFERENCE).expect("the meeting exists");
    assert!(state.active);
    assert_eq!(state.chair(), Some("p-alice"));
    assert_eq!(
        state.participant("p-bob").and_then(|p| p.video_request),
        Some(1)
    );
    assert!(
        state.participant("p-carol").is_none(),
        "p-carol was hung up"
    );
    assert_eq!(
        state.settings.get("lockSharing"),
        Some(&serde_json::json!(1))
    );
    assert_eq!(
        state.settings.get("callInRestriction"),
        Some(&serde_json::json!(2))
    );
}

#[test]
fn blocking_client_runs_the_whole_flow_over_tls() {
    let sim = simulator();
    let client = blocking_client(&sim);

    client
        .start_meeting(StartMeetingRequest::new(CONFERENCE, HOST_PASSWORD))
        .unwrap();
    assert!(sim.conference(CONFERENCE).unwrap().active);

    let meeting = client.conference(CONFERENCE, HOST_PASSWORD);
    let reply = meeting.execute(set_role()).unwrap();
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.request_id.as_deref().map(str::len),
        Some(32),
        "every answer has a request id"
    );
    assert_eq!(sim.conference(CONFERENCE).unwrap().chair(), Some("p-alice"));

    meeting.invite_operate_video(camera_off()).unwrap();
    meeting.update_started_conf_config(lock_sharing()).unwrap();
    meeting.hang_up(hang_up()).unwrap();
    check_final_state(&sim);

    // One login and one control token served the whole flow.
    let ops: Vec<String> = sim
        .requests()
        .into_iter()
        .filter_map(|r| r.operation)
        .collect();
    assert_eq!(
        ops.iter().filter(|o| *o == "app_auth").count(),
        1,
        "{ops:?}"
    );
    assert_eq!(
        ops.iter().filter(|o| *o == "create_conf_token").count(),
        1,
        "{ops:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_client_runs_the_whole_flow_over_tls() {
    let sim = simulator();
    let client = async_client(&sim);

    client
        .start_meeting(StartMeetingRequest::new(CONFERENCE, HOST_PASSWORD))
        .await
        .unwrap();
    let meeting = client.conference(CONFERENCE, HOST_PASSWORD);
    let reply = meeting.execute(set_role()).await.unwrap();
    assert_eq!(reply.status, 200);
    meeting.invite_operate_video(camera_off()).await.unwrap();
    meeting
        .update_started_conf_config(lock_sharing())
        .await
        .unwrap();
    meeting.hang_up(hang_up()).await.unwrap();
    check_final_state(&sim);
}

#[test]
fn both_clients_send_the_same_requests() {
    let blocking_sim = simulator();
    let client = blocking_client(&blocking_sim);
    client
        .start_meeting(StartMeetingRequest::new(CONFERENCE, HOST_PASSWORD))
        .unwrap();
    let meeting = client.conference(CONFERENCE, HOST_PASSWORD);
    meeting.set_role(set_role()).unwrap();
    meeting.invite_operate_video(camera_off()).unwrap();
    meeting.update_started_conf_config(lock_sharing()).unwrap();
    meeting.hang_up(hang_up()).unwrap();

    let async_sim = simulator();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = async_client(&async_sim);
        client
            .start_meeting(StartMeetingRequest::new(CONFERENCE, HOST_PASSWORD))
            .await
            .unwrap();
        let meeting = client.conference(CONFERENCE, HOST_PASSWORD);
        meeting.set_role(set_role()).await.unwrap();
        meeting.invite_operate_video(camera_off()).await.unwrap();
        meeting
            .update_started_conf_config(lock_sharing())
            .await
            .unwrap();
        meeting.hang_up(hang_up()).await.unwrap();
    });

    let blocking = control_requests(&blocking_sim);
    assert_eq!(blocking.len(), 5, "{blocking:#?}");
    assert_eq!(blocking, control_requests(&async_sim));
}

#[test]
fn errors_from_the_simulator_carry_code_and_request_id() {
    let sim = simulator();
    let client = blocking_client(&sim);
    // The meeting was never started: no control token can be had.
    let err = client
        .conference(CONFERENCE, HOST_PASSWORD)
        .set_role(set_role())
        .unwrap_err();
    let api = err
        .api_error()
        .unwrap_or_else(|| panic!("an API error expected, got {err:?}"));
    assert!(
        api.error_code
            .as_deref()
            .is_some_and(|c| c.starts_with("MMC.")),
        "{api:?}"
    );
    let text = err.to_string();
    assert!(text.contains(api.request_id.as_deref().unwrap()), "{text}");
    assert!(!text.contains(HOST_PASSWORD), "{text}");
}
