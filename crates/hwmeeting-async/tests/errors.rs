//! What errors say, and what the client refuses: secrets, plain HTTP,
//! untrusted certificates, oversized answers.

mod common;

use hwmeeting_async::model::{
    ApplyChair, SetRoleRequest, StartMeetingRequest, UpdateStartedConfConfigRequest,
};
use hwmeeting_async::{Client, Credentials, Error, RetryPolicy};
use hwmeeting_sim::{
    DEFAULT_APP_ID, DEMO_CONFERENCE_ID, DEMO_HOST_PASSWORD, Fault, FaultRule, NewConference,
    NewParticipant, SimConfig,
};
use tracing::instrument::WithSubscriber;

use common::{Logs, sim, sim_with};

const SENTINEL_KEY: &str = "SENTINEL-app-key-7f3a";
const SENTINEL_HOST_PW: &str = "SENTINEL-host-pw-9c1e";

#[tokio::test(flavor = "multi_thread")]
async fn errors_carry_the_request_id_and_no_secret() {
    let sim = sim_with(SimConfig::default().app("sentinel-app", SENTINEL_KEY)).await;
    sim.create_conference(
        NewConference::new("555000555", SENTINEL_HOST_PW)
            .participant(NewParticipant::new("p-dan", "Dan")),
    )
    .unwrap();
    let client = Client::builder()
        .endpoint(sim.url())
        .add_root_certificate_pem(sim.ca_pem().unwrap())
        .credentials(Credentials::app_id("sentinel-app", SENTINEL_KEY))
        .build()
        .unwrap();
    let logs = Logs::default();
    let run = async {
        client
            .start_meeting(StartMeetingRequest::new("555000555", SENTINEL_HOST_PW))
            .await
            .unwrap();
        let meeting = client.conference("555000555", SENTINEL_HOST_PW);
        let control = meeting.control_token().await.unwrap();
        let access = client.access_token().await.unwrap();
        // An unknown participant: 404 from the service.
        let err = meeting
            .set_role(
                SetRoleRequest::new("p-nobody", ApplyChair::Apply).chairman_pwd(SENTINEL_HOST_PW),
            )
            .await
            .unwrap_err();
        (err, control, access)
    }
    .with_subscriber(logs.subscriber())
    .await;
    let (err, control, access) = run;
    let request_id = err.request_id().expect("a request id").to_owned();
    assert_eq!(request_id.len(), 32);
    let shown = err.to_string();
    let debug = format!("{err:?}");
    assert!(shown.contains(&request_id), "{shown}");
    assert!(shown.contains("MMC.111070004"), "{shown}");
    let logged = logs.text();
    assert!(logged.contains("hwmeeting.call"), "{logged}");
    assert!(logged.contains("set_role"), "{logged}");
    // The span has the status and request id, the path template without
    // the query.
    assert!(logged.contains("status=404"), "{logged}");
    assert!(
        logged.contains(&format!("request_id=\"{request_id}\"")),
        "{logged}"
    );
    assert!(
        logged.contains("path=\"/v1/mmc/control/conferences/participants/role\""),
        "{logged}"
    );
    assert!(!logged.contains("participantID="), "{logged}");
    for secret in [
        SENTINEL_KEY,
        SENTINEL_HOST_PW,
        control.expose(),
        access.expose(),
    ] {
        assert!(!shown.contains(secret), "{shown}");
        assert!(!debug.contains(secret), "{debug}");
        assert!(!logged.contains(secret), "{logged}");
    }
    // Nor the Debug of the client or the handle.
    let client_debug = format!("{client:?} {:?}", client.conference("1", SENTINEL_HOST_PW));
    assert!(!client_debug.contains(SENTINEL_KEY) && !client_debug.contains(SENTINEL_HOST_PW));
}

#[test]
fn plain_http_needs_allow_http() {
    let err = Client::builder()
        .endpoint("http://127.0.0.1:8080")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err}");
    assert!(err.to_string().contains("plain http://"), "{err}");
    let client = Client::builder()
        .endpoint("http://127.0.0.1:8080")
        .allow_http(true)
        .build()
        .unwrap();
    assert!(client.endpoint().is_plain_http());
    // An Endpoint in a Config was opted in when it was parsed.
    let mut config = hwmeeting_async::Config::default();
    config.endpoint = hwmeeting_async::Endpoint::parse("http://127.0.0.1:8080", true).unwrap();
    assert!(Client::builder().config(config).build().is_ok());
}

#[test]
fn bad_settings_fail_at_build() {
    let err = Client::builder()
        .add_root_certificate_pem("not a pem")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err}");
    let err = Client::builder().endpoint("ftp://x").build().unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err}");
    let err = Client::builder()
        .user_agent("bad\nagent")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err}");
    let err = Client::builder()
        .attempt_timeout(std::time::Duration::ZERO)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("attempt_timeout"), "{err}");
    let err = Client::builder()
        .max_response_body_size(0)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("max_response_body_size"), "{err}");
    let client = Client::builder()
        .region(hwmeeting_async::Region::ApSoutheast1)
        .build()
        .unwrap();
    assert_eq!(
        client.endpoint().as_str(),
        "https://api-intl.meeting.huaweicloud.com"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn calls_that_need_credentials_say_so() {
    let client = Client::builder().build().unwrap();
    let err = client
        .start_meeting(StartMeetingRequest::new("1", "2"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err}");
    assert!(err.to_string().contains("no credentials"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_http_works_when_allowed() {
    let sim = sim_with(SimConfig::http()).await;
    let client = common::client(&sim);
    assert!(client.endpoint().is_plain_http());
    let meeting = common::started(&client).await;
    meeting
        .set_role(SetRoleRequest::new("p-bob", ApplyChair::Apply).chairman_pwd(DEMO_HOST_PASSWORD))
        .await
        .unwrap();
    assert_eq!(
        sim.conference(DEMO_CONFERENCE_ID).unwrap().chair(),
        Some("p-bob")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_untrusted_certificate_is_a_connect_error_not_retried() {
    let sim = sim().await;
    // The simulator's CA is not trusted: public roots only.
    let client = Client::builder()
        .endpoint(sim.url())
        .credentials(Credentials::app_id(DEFAULT_APP_ID, "k"))
        .retry_policy(common::fast_retries())
        .build()
        .unwrap();
    let logs = Logs::default();
    let err = client
        .access_token()
        .with_subscriber(logs.subscriber())
        .await
        .unwrap_err();
    match &err {
        Error::Connect { operation, .. } => assert_eq!(*operation, "app_auth"),
        other => panic!("{other:?}"),
    }
    assert_eq!(logs.lines_with("retrying"), 0, "{}", logs.text());
    // The certificate problem is in the chain of sources.
    let mut chain = String::new();
    let mut source: Option<&dyn std::error::Error> = Some(&err);
    while let Some(s) = source {
        chain.push_str(&format!("{s} / "));
        source = s.source();
    }
    assert!(chain.to_lowercase().contains("certificate"), "{chain}");
    // Nothing reached the service.
    assert!(sim.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn another_ca_does_not_help() {
    let sim = sim().await;
    let other = sim_with(SimConfig::default()).await;
    let client = Client::builder()
        .endpoint(sim.url())
        .add_root_certificate_pem(other.ca_pem().unwrap())
        .credentials(Credentials::app_id(DEFAULT_APP_ID, "k"))
        .build()
        .unwrap();
    let err = client.access_token().await.unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_over_the_limit_is_body_too_large() {
    let sim = sim().await;
    let client = common::builder(&sim)
        .max_response_body_size(1000)
        .build()
        .unwrap();
    let meeting = common::started(&client).await;
    meeting.control_token().await.unwrap();
    sim.push_fault(FaultRule::new(
        "/v1/mmc/control/conferences/updateStartedConfConfig",
        Fault::LargeBody { bytes: 1_000_000 },
    ))
    .unwrap();
    let err = meeting
        .update_started_conf_config(UpdateStartedConfConfigRequest::new())
        .await
        .unwrap_err();
    match err {
        Error::BodyTooLarge {
            operation,
            status,
            limit,
        } => {
            assert_eq!(operation, "update_started_conf_config");
            assert_eq!(status, 200);
            assert_eq!(limit, 1000);
        }
        other => panic!("{other:?}"),
    }
    // Under the limit, the same client reads answers as usual.
    meeting
        .update_started_conf_config(UpdateStartedConfConfigRequest::new())
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_success_that_is_not_json_is_a_decode_error() {
    let sim = sim().await;
    let client = common::builder(&sim)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    client.access_token().await.unwrap();
    sim.push_fault(FaultRule::new(
        "/v1/mmc/management/conferences/start",
        Fault::MalformedJson { status: 200 },
    ))
    .unwrap();
    let err = client
        .start_meeting(StartMeetingRequest::new(
            DEMO_CONFERENCE_ID,
            DEMO_HOST_PASSWORD,
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { status: 200, .. }), "{err:?}");
    assert!(err.request_id().is_some(), "{err}");
}
