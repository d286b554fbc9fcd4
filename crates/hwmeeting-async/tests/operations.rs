//! Every operation end to end against the simulator over TLS, checking the
//! meeting's state after each.

mod common;

use hwmeeting_async::model::{
    AccountAuthRequest, AppAuthRequest, ApplyChair, CameraInvitation, HangUpRequest,
    InviteOperateVideoRequest, MeetingLock, SetRoleRequest, SharingLock, StartMeetingRequest,
    UpdateStartedConfConfigRequest,
};
use hwmeeting_async::{BuildError, Client, Conference, Credentials, Error, Operation};
use hwmeeting_sim::{
    DEFAULT_ACCOUNT, DEFAULT_ACCOUNT_PASSWORD, DEFAULT_APP_ID, DEMO_CONFERENCE_ID,
    DEMO_HOST_PASSWORD,
};

use common::{count, sim};

fn assert_send<T: Send>(_: T) {}
fn assert_sync<T: Send + Sync + Clone + 'static>() {}

#[test]
fn clients_and_their_futures_are_send() {
    assert_sync::<Client>();
    assert_sync::<Conference>();
    let client = Client::builder().build().unwrap();
    assert_send(client.send(SetRoleRequest::new("p", ApplyChair::Relinquish)));
    assert_send(client.execute(StartMeetingRequest::new("1", "2")));
    assert_send(client.access_token());
    let meeting = client.conference("1", "2");
    assert_send(meeting.send(SetRoleRequest::new("p", ApplyChair::Relinquish)));
    assert_send(meeting.control_token());
    assert_send(client.set_role(SetRoleRequest::new("p", ApplyChair::Relinquish)));
    assert_send(meeting.hang_up(HangUpRequest::new(["p"])));
}

#[tokio::test(flavor = "multi_thread")]
async fn every_operation_end_to_end() {
    let sim = sim().await;
    let client = common::client(&sim);

    // app_auth through the client's login.
    let token = client.access_token().await.unwrap();
    assert!(token.expose().starts_with("sim-at-"));
    assert_eq!(count(&sim, "app_auth"), 1);

    // start_meeting with the access token.
    let reply = client
        .execute(StartMeetingRequest::new(
            DEMO_CONFERENCE_ID,
            DEMO_HOST_PASSWORD,
        ))
        .await
        .unwrap();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.attempts, 1);
    assert!(reply.request_id.as_deref().is_some_and(|id| id.len() == 32));
    assert!(sim.conference(DEMO_CONFERENCE_ID).unwrap().active);

    // create_conf_token through the handle.
    let meeting = client.conference(DEMO_CONFERENCE_ID, DEMO_HOST_PASSWORD);
    assert_eq!(meeting.id(), DEMO_CONFERENCE_ID);
    let control = meeting.control_token().await.unwrap();
    assert!(control.expose().starts_with("sim-ct-"));
    assert_eq!(count(&sim, "create_conf_token"), 1);

    // set_role on the handle.
    meeting
        .set_role(
            SetRoleRequest::new("p-alice", ApplyChair::Apply).chairman_pwd(DEMO_HOST_PASSWORD),
        )
        .await
        .unwrap();
    assert_eq!(
        sim.conference(DEMO_CONFERENCE_ID).unwrap().chair(),
        Some("p-alice")
    );

    // invite_operate_video on the client (the handle is registered).
    client
        .invite_operate_video(
            InviteOperateVideoRequest::new("p-bob", CameraInvitation::Disable)
                .conference_id(DEMO_CONFERENCE_ID),
        )
        .await
        .unwrap();
    let state = sim.conference(DEMO_CONFERENCE_ID).unwrap();
    assert_eq!(state.participant("p-bob").unwrap().video_request, Some(1));

    // Forgotten by the client: it refuses the same call, nothing sent; the
    // handle still works.
    assert!(client.forget_conference(DEMO_CONFERENCE_ID));
    assert!(!client.forget_conference(DEMO_CONFERENCE_ID));
    let err = client
        .invite_operate_video(
            InviteOperateVideoRequest::new("p-bob", CameraInvitation::Disable)
                .conference_id(DEMO_CONFERENCE_ID),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NoControlToken { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "invite_operate_video: no meeting control token for conference {DEMO_CONFERENCE_ID}: call client.conference(id, host_password) or client.conference_with_token(id, token) first"
        )
    );
    assert_eq!(count(&sim, "invite_operate_video"), 1);

    // update_started_conf_config.
    meeting
        .update_started_conf_config(
            UpdateStartedConfConfigRequest::new()
                .lock_sharing(SharingLock::Locked)
                .is_lock(MeetingLock::Locked),
        )
        .await
        .unwrap();
    let state = sim.conference(DEMO_CONFERENCE_ID).unwrap();
    assert_eq!(state.settings["lockSharing"], 1);
    assert_eq!(state.settings["isLock"], 1);

    // hang_up.
    meeting
        .hang_up(HangUpRequest::new(["p-carol"]))
        .await
        .unwrap();
    let state = sim.conference(DEMO_CONFERENCE_ID).unwrap();
    assert!(state.participant("p-carol").is_none());
    assert_eq!(state.participants.len(), 2);

    // One login and one control token for the whole session.
    assert_eq!(count(&sim, "app_auth"), 1);
    assert_eq!(count(&sim, "create_conf_token"), 1);
    // The credentials never appear in the log in clear.
    for request in sim.requests() {
        for (name, value) in &request.headers {
            assert!(!value.contains("hwmeeting-sim-key"), "{name}");
            assert!(!value.contains(control.expose()), "{name}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn account_login_and_explicit_login_calls() {
    let sim = sim().await;
    let client = common::builder(&sim)
        .credentials(Credentials::account(
            DEFAULT_ACCOUNT,
            DEFAULT_ACCOUNT_PASSWORD,
        ))
        .build()
        .unwrap();
    common::started(&client).await;
    assert_eq!(count(&sim, "account_auth"), 1);
    assert!(sim.conference(DEMO_CONFERENCE_ID).unwrap().active);

    // account_auth sent by hand is signed with the client's password.
    let answer = client
        .account_auth(AccountAuthRequest::new(DEFAULT_ACCOUNT))
        .await
        .unwrap();
    assert!(answer.access_token.expose().starts_with("sim-at-"));

    // app_auth needs App ID credentials: named in the error.
    let err = client
        .app_auth(AppAuthRequest::new(
            DEFAULT_APP_ID,
            0,
            "0123456789abcdef0123456789abcdef",
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err}");
    assert!(err.to_string().contains("App ID credentials"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ready_access_token_is_used_as_it_is() {
    let sim = sim().await;
    let token = common::client(&sim).access_token().await.unwrap();
    let client = common::builder(&sim)
        .credentials(Credentials::access_token(token.clone()))
        .build()
        .unwrap();
    assert_eq!(client.access_token().await.unwrap(), token);
    common::started(&client).await;
    assert_eq!(count(&sim, "app_auth"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn dynamic_operations_go_through_the_same_path() {
    let sim = sim().await;
    let client = common::client(&sim);
    let meeting = common::started(&client).await;
    let mut op = hwmeeting_api::dynamic("invite_operate_video").unwrap();
    op.set("participantID", "p-alice".into())
        .unwrap()
        .set("status", 0.into())
        .unwrap();
    let answer = meeting.send(op).await.unwrap();
    assert!(answer.is_object());
    let state = sim.conference(DEMO_CONFERENCE_ID).unwrap();
    assert_eq!(state.participant("p-alice").unwrap().video_request, Some(0));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_handle_refuses_a_request_for_another_meeting() {
    let sim = sim().await;
    let client = common::client(&sim);
    let meeting = common::started(&client).await;
    let err = meeting
        .set_role(SetRoleRequest::new("p-alice", ApplyChair::Relinquish).conference_id("42"))
        .await
        .unwrap_err();
    match &err {
        Error::Build {
            operation: "set_role",
            source: BuildError::Invalid { parameter, .. },
        } => assert_eq!(parameter, "conferenceID"),
        other => panic!("{other:?}"),
    }
    assert_eq!(count(&sim, "set_role"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn control_calls_need_a_registered_meeting() {
    let sim = sim().await;
    let client = common::client(&sim);
    let err = client
        .set_role(SetRoleRequest::new("p-alice", ApplyChair::Relinquish).conference_id("77"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NoControlToken { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "set_role: no meeting control token for conference 77: call client.conference(id, host_password) or client.conference_with_token(id, token) first"
    );
    // Without any conferenceID, the parameter is named.
    let err = client
        .set_role(SetRoleRequest::new("p-alice", ApplyChair::Relinquish))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Build { source, .. } if source.parameter() == Some("conferenceID")),
        "{err:?}"
    );
    assert!(sim.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_input_fails_before_anything_is_sent() {
    let sim = sim().await;
    let client = common::client(&sim);
    let meeting = client.conference(DEMO_CONFERENCE_ID, DEMO_HOST_PASSWORD);
    // applyChair = 1 needs chairmanPwd.
    let err = meeting
        .set_role(SetRoleRequest::new("p-alice", ApplyChair::Apply))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Build { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "set_role: parameter `chairmanPwd` is required when `applyChair = 1`"
    );
    // Nothing was sent: no login, no control token.
    assert!(sim.requests().is_empty());
    // The request is still checked by the same rules as the core's.
    assert!(
        SetRoleRequest::new("p", ApplyChair::Apply)
            .validate()
            .is_err()
    );
}

/// A reqwest client of the caller's: its TLS (here trusting the
/// simulator's CA) is used as it is; the SDK still adds its User-Agent and
/// reads error answers with the service's code.
#[tokio::test(flavor = "multi_thread")]
async fn a_reqwest_client_of_the_callers_is_used_as_it_is() {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    use std::sync::Arc;

    let sim = sim().await;
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(sim.ca_pem().unwrap().as_bytes()) {
        roots.add(cert.unwrap()).unwrap();
    }
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let http = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // The builder without the CA: the reqwest client's TLS is what counts.
    let builder = Client::builder()
        .endpoint(sim.url())
        .credentials(Credentials::app_id(
            hwmeeting_sim::DEFAULT_APP_ID,
            hwmeeting_sim::DEFAULT_APP_KEY,
        ));
    let client = Client::with_reqwest(builder, http).unwrap();
    client
        .start_meeting(StartMeetingRequest::new(
            DEMO_CONFERENCE_ID,
            DEMO_HOST_PASSWORD,
        ))
        .await
        .unwrap();
    let err = client
        .start_meeting(StartMeetingRequest::new(
            "no-such-meeting",
            DEMO_HOST_PASSWORD,
        ))
        .await
        .unwrap_err();
    let api = err.api_error().unwrap_or_else(|| panic!("{err:?}"));
    assert!(
        api.error_code.is_some(),
        "the service's code is kept: {err}"
    );
    let log = sim.requests();
    let start = log
        .iter()
        .find(|r| r.operation.as_deref() == Some("start_meeting"))
        .unwrap();
    assert!(start.headers["user-agent"].starts_with("hwmeeting-rust/"));
}
