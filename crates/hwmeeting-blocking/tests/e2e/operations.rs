//! Every operation end to end against the simulator over TLS, checking the
//! meeting's state after each.

use hwmeeting_blocking::model::{
    AccountAuthRequest, AppAuthRequest, ApplyChair, CameraInvitation, ChatPermission,
    CreateConfTokenRequest, HangUpRequest, InviteOperateVideoRequest, MeetingLock, SetRoleRequest,
    StartMeetingRequest, UpdateStartedConfConfigRequest,
};
use hwmeeting_blocking::{Client, Credentials, Error};
use hwmeeting_sim::{DEFAULT_ACCOUNT, DEFAULT_ACCOUNT_PASSWORD, DEFAULT_APP_ID};
use serde_json::json;

use crate::common::*;

#[test]
fn the_whole_call_chain_over_tls() {
    let sim = sim();
    let client = client(&sim);
    assert!(client.endpoint().as_str().starts_with("https://127.0.0.1:"));

    // Log in (app_auth) and start the meeting.
    let token = client.access_token().unwrap();
    assert!(!token.expose().is_empty());
    assert_eq!(count(&sim, "app_auth"), 1);
    let reply = client
        .execute(StartMeetingRequest::new(MEETING, HOST_PASSWORD))
        .unwrap();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.attempts, 1);
    assert!(reply.request_id.is_some());
    assert!(sim.conference(MEETING).unwrap().active);
    // The generated method does the same.
    client
        .start_meeting(StartMeetingRequest::new(MEETING, HOST_PASSWORD))
        .unwrap();

    // The control token through the meeting handle (create_conf_token).
    let meeting = client.conference(MEETING, HOST_PASSWORD);
    assert_eq!(meeting.id(), MEETING);
    let control = meeting.control_token().unwrap();
    assert!(!control.expose().is_empty());
    assert_eq!(count(&sim, "create_conf_token"), 1);

    // set_role: Bob becomes the host (the generated method on the handle).
    meeting
        .set_role(SetRoleRequest::new("p-bob", ApplyChair::Apply).chairman_pwd(HOST_PASSWORD))
        .unwrap();
    assert_eq!(sim.conference(MEETING).unwrap().chair(), Some("p-bob"));

    // invite_operate_video: ask Alice to turn her camera on.
    meeting
        .send(InviteOperateVideoRequest::new(
            "p-alice",
            CameraInvitation::Enable,
        ))
        .unwrap();
    let snapshot = sim.conference(MEETING).unwrap();
    assert_eq!(
        snapshot.participant("p-alice").unwrap().video_request,
        Some(CameraInvitation::Enable.code())
    );

    // update_started_conf_config: lock the meeting, public chat only.
    meeting
        .send(
            UpdateStartedConfConfigRequest::new()
                .is_lock(MeetingLock::Locked)
                .chat_permission(ChatPermission::PublicOnly),
        )
        .unwrap();
    let settings = sim.conference(MEETING).unwrap().settings;
    assert_eq!(settings["isLock"], json!(MeetingLock::Locked.code()));
    assert_eq!(
        settings["chatPermission"],
        json!(ChatPermission::PublicOnly.code())
    );

    // hang_up: Carol leaves.
    meeting.hang_up(HangUpRequest::new(["p-carol"])).unwrap();
    let snapshot = sim.conference(MEETING).unwrap();
    assert!(snapshot.participant("p-carol").is_none());
    assert_eq!(snapshot.participants.len(), 2);

    // Bob gives the host role up.
    meeting
        .send(SetRoleRequest::new("p-bob", ApplyChair::Relinquish))
        .unwrap();
    assert_eq!(sim.conference(MEETING).unwrap().chair(), None);

    // One login and one control token for all of it.
    assert_eq!(count(&sim, "app_auth"), 1);
    assert_eq!(count(&sim, "create_conf_token"), 1);
    // The control token went in X-Conference-Authorization (masked in the log).
    let set_role = requests_for(&sim, "set_role");
    assert_eq!(set_role.len(), 2);
    assert_eq!(
        set_role[0]
            .headers
            .get("x-conference-authorization")
            .map(String::as_str),
        Some("***")
    );
    assert!(set_role[0].headers["user-agent"].starts_with("hwmeeting-rust/"));
}

#[test]
fn control_calls_through_the_client_use_the_registered_handle() {
    let sim = sim();
    let client = client(&sim);
    start(&client);

    // No handle yet: a clear error of its own, nothing sent.
    let err = client
        .send(SetRoleRequest::new("p-bob", ApplyChair::Relinquish).conference_id(MEETING))
        .unwrap_err();
    assert!(matches!(err, Error::NoControlToken { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("no meeting control token for conference 900000001"),
        "{err}"
    );
    assert_eq!(count(&sim, "set_role"), 0);

    let meeting = client.conference(MEETING, HOST_PASSWORD);
    client
        .send(
            SetRoleRequest::new("p-alice", ApplyChair::Apply)
                .conference_id(MEETING)
                .chairman_pwd(HOST_PASSWORD),
        )
        .unwrap();
    assert_eq!(sim.conference(MEETING).unwrap().chair(), Some("p-alice"));

    // Forgotten: the client refuses again, the handle still works.
    assert!(client.forget_conference(MEETING));
    assert!(!client.forget_conference(MEETING));
    let err = client
        .send(SetRoleRequest::new("p-alice", ApplyChair::Relinquish).conference_id(MEETING))
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("no meeting control token for conference 900000001"),
        "{err}"
    );
    assert_eq!(count(&sim, "set_role"), 1);
    meeting
        .send(SetRoleRequest::new("p-alice", ApplyChair::Relinquish))
        .unwrap();
    assert_eq!(count(&sim, "set_role"), 2);
}

#[test]
fn a_handle_refuses_a_request_for_another_meeting() {
    let sim = sim();
    let client = client(&sim);
    let meeting = client.conference(MEETING, HOST_PASSWORD);
    let err = meeting
        .send(SetRoleRequest::new("p-bob", ApplyChair::Relinquish).conference_id("123"))
        .unwrap_err();
    match &err {
        Error::Build { operation, source } => {
            assert_eq!(*operation, "set_role");
            assert_eq!(source.parameter(), Some("conferenceID"));
        }
        other => panic!("{other:?}"),
    }
    assert!(sim.requests().is_empty(), "nothing is sent");
}

#[test]
fn conference_with_token_uses_the_given_token() {
    let sim = sim();
    let client = client(&sim);
    start(&client);
    // A token obtained elsewhere (create_conf_token sent by hand: it needs
    // no access token).
    let token = client
        .send(CreateConfTokenRequest::new(HOST_PASSWORD).conference_id(MEETING))
        .unwrap()
        .data
        .token;
    let other = Client::builder()
        .endpoint(sim.url())
        .add_root_certificate_pem(sim.ca_pem().unwrap())
        .build()
        .unwrap();
    let meeting = other.conference_with_token(MEETING, token.clone());
    assert_eq!(meeting.control_token().unwrap(), token);
    meeting
        .send(InviteOperateVideoRequest::new(
            "p-bob",
            CameraInvitation::Disable,
        ))
        .unwrap();
    assert_eq!(
        sim.conference(MEETING)
            .unwrap()
            .participant("p-bob")
            .unwrap()
            .video_request,
        Some(1)
    );
    assert_eq!(count(&sim, "create_conf_token"), 1, "no new token fetched");

    // Once the service rejects it, nothing can renew it: the error comes
    // back as it is.
    sim.expire_tokens();
    let err = meeting
        .send(InviteOperateVideoRequest::new(
            "p-bob",
            CameraInvitation::Enable,
        ))
        .unwrap_err();
    assert_eq!(err.status(), Some(401), "{err}");
    assert!(err.api_error().unwrap().is_token_rejected());
}

#[test]
fn account_login_and_explicit_login_calls() {
    let sim = sim();
    let client = builder(&sim)
        .credentials(Credentials::account(
            DEFAULT_ACCOUNT,
            DEFAULT_ACCOUNT_PASSWORD,
        ))
        .build()
        .unwrap();
    start(&client);
    assert_eq!(count(&sim, "account_auth"), 1);
    // account_auth sent by hand carries the client's password.
    let answer = client
        .send(AccountAuthRequest::new(DEFAULT_ACCOUNT))
        .unwrap();
    assert!(!answer.access_token.expose().is_empty());
    // app_auth needs App ID credentials: named in the error.
    let err = client
        .send(AppAuthRequest::new(DEFAULT_APP_ID, 0, "0".repeat(32)))
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(err.to_string().contains("App ID credentials"), "{err}");
}

#[test]
fn dynamic_operations_are_sent_too() {
    let sim = sim();
    let client = client(&sim);
    let mut op = hwmeeting_api::dynamic("start_meeting").unwrap();
    op.set("conferenceID", json!(MEETING))
        .unwrap()
        .set("password", json!(HOST_PASSWORD))
        .unwrap();
    let answer = client.send(op).unwrap();
    assert!(answer.is_object());
    assert!(sim.conference(MEETING).unwrap().active);
}

#[test]
fn a_service_error_is_an_api_error_with_its_code() {
    let sim = sim();
    let client = client(&sim);
    start(&client);
    let meeting = client.conference(MEETING, HOST_PASSWORD);
    let err = meeting
        .send(SetRoleRequest::new("p-nobody", ApplyChair::Relinquish))
        .unwrap_err();
    let api = err.api_error().expect("an API error");
    assert_eq!(api.status, 404);
    assert_eq!(api.error_code.as_deref(), Some("MMC.111070004"));
    assert!(api.request_id.is_some());
    assert_eq!(count(&sim, "set_role"), 1, "a 404 is not retried");
}

/// A ureq agent of the caller's: its TLS (here trusting the simulator's CA)
/// is used as it is, and every request still reads error statuses as
/// answers (the agent's own default would turn them into errors without
/// the service's code) and carries the SDK's time limits.
#[test]
fn a_ureq_agent_of_the_callers_is_used_as_it_is() {
    use std::sync::Arc;
    use ureq::tls::{Certificate, RootCerts, TlsConfig};

    let sim = sim();
    let ca = Certificate::from_pem(sim.ca_pem().unwrap().as_bytes()).unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .tls_config(
            TlsConfig::builder()
                .root_certs(RootCerts::new_with_certs(&[ca]))
                .unversioned_rustls_crypto_provider(Arc::new(
                    rustls::crypto::ring::default_provider(),
                ))
                .build(),
        )
        .build()
        .into();
    // The builder without the CA: the agent's TLS is what counts.
    let builder = Client::builder()
        .endpoint(sim.url())
        .credentials(Credentials::app_id(
            hwmeeting_sim::DEFAULT_APP_ID,
            hwmeeting_sim::DEFAULT_APP_KEY,
        ));
    let client = Client::with_agent(builder, agent).unwrap();
    start(&client);
    let err = client
        .send(StartMeetingRequest::new("no-such-meeting", HOST_PASSWORD))
        .unwrap_err();
    let api = err.api_error().unwrap_or_else(|| panic!("{err:?}"));
    assert!(
        api.error_code.is_some(),
        "the service's code is kept: {err}"
    );
    let log = requests_for(&sim, "start_meeting");
    assert!(log[0].headers["user-agent"].starts_with("hwmeeting-rust/"));
}
