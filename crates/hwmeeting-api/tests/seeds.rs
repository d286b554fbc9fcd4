//! The five seed endpoints through their typed builders: the request built
//! from the seed page's parameters is the page's request, the page's answer
//! decodes into the typed output, and bad input fails before any byte exists
//! with an error naming the parameter.

use hwmeeting_api::model::*;
use hwmeeting_core::{Credential, Endpoint, Error, Operation, Secret};
use serde_json::{Value, json};

const TOKEN: &str = "stbaf8fa2ea8a1b0e3ab2e007a85a75f88c55d5f6d5c1912dfb";

fn query_pairs(req: &http::Request<Vec<u8>>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(req.uri().query().unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

fn body(req: &http::Request<Vec<u8>>) -> Value {
    serde_json::from_slice(req.body()).unwrap()
}

fn control<O: Operation>(op: &O) -> http::Request<Vec<u8>> {
    let token = Secret::new(TOKEN);
    op.to_http(&Endpoint::default(), Credential::ConferenceToken(&token))
        .unwrap()
}

fn build_error<O: Operation>(op: &O) -> String {
    let token = Secret::new(TOKEN);
    match op.to_http(&Endpoint::default(), Credential::ConferenceToken(&token)) {
        Err(e @ Error::Build { .. }) => e.to_string(),
        other => panic!("expected a build error, got {other:?}"),
    }
}

#[test]
fn seed_000_set_role() {
    let req = SetRoleRequest::new("d2c3ae64216e11eabc510dc9b62e3a80", ApplyChair::Apply)
        .conference_id("914083136")
        .chairman_pwd("157599");
    let http = control(&req);
    assert_eq!(http.method(), "PUT");
    assert_eq!(
        http.uri().path(),
        "/v1/mmc/control/conferences/participants/role"
    );
    assert_eq!(
        query_pairs(&http),
        [
            ("conferenceID".into(), "914083136".into()),
            (
                "participantID".into(),
                "d2c3ae64216e11eabc510dc9b62e3a80".into()
            )
        ]
    );
    assert_eq!(http.headers()["x-conference-authorization"], TOKEN);
    assert_eq!(http.headers()["content-type"], "application/json");
    assert_eq!(
        body(&http),
        json!({"applyChair": 1, "chairmanPwd": "157599"})
    );

    // The curl example relinquishes: no password needed.
    let http = control(
        &SetRoleRequest::new("d2c3ae64216e11eabc510dc9b62e3a80", ApplyChair::Relinquish)
            .conference_id("914083136"),
    );
    assert_eq!(body(&http), json!({"applyChair": 0}));
}

#[test]
fn seed_001_hang_up() {
    let http = control(
        &HangUpRequest::new(["ba9acb1e216d11eabc5165c2b91ad427"]).conference_id("914083136"),
    );
    assert_eq!(http.method(), "POST");
    assert_eq!(
        http.uri().path(),
        "/v1/mmc/control/conferences/participants/delete"
    );
    assert_eq!(
        query_pairs(&http),
        [("conferenceID".into(), "914083136".into())]
    );
    assert_eq!(
        body(&http),
        json!({"bulkHangUpParticipants": ["ba9acb1e216d11eabc5165c2b91ad427"]})
    );
    assert!(
        !HangUpRequest::META.idempotent,
        "hang_up must not be retried blindly"
    );
}

#[test]
fn seed_002_invite_operate_video() {
    let http = control(
        &InviteOperateVideoRequest::new(
            "4a5rg64ag5p8pvvnam1rr6m8lqra6a61",
            CameraInvitation::Disable,
        )
        .conference_id("986947855"),
    );
    assert_eq!(http.method(), "PUT");
    assert_eq!(
        http.uri().path(),
        "/v1/mmc/control/conferences/participants/video"
    );
    assert_eq!(
        query_pairs(&http),
        [
            ("conferenceID".into(), "986947855".into()),
            (
                "participantID".into(),
                "4a5rg64ag5p8pvvnam1rr6m8lqra6a61".into()
            )
        ]
    );
    assert_eq!(body(&http), json!({"status": 1}));
    assert_eq!(CameraInvitation::Enable.code(), 0, "0 enables the camera");
}

#[test]
fn seed_003_update_started_conf_config_is_a_put() {
    let http = control(
        &UpdateStartedConfConfigRequest::new()
            .conference_id("900244663")
            .lock_sharing(SharingLock::Unlocked),
    );
    assert_eq!(
        http.method(),
        "PUT",
        "the prototype table is right, the curl's POST is not"
    );
    assert_eq!(
        http.uri().path(),
        "/v1/mmc/control/conferences/updateStartedConfConfig"
    );
    assert_eq!(
        query_pairs(&http),
        [("conferenceID".into(), "900244663".into())]
    );
    assert_eq!(body(&http), json!({"lockSharing": 0}));

    let http = control(
        &UpdateStartedConfConfigRequest::new()
            .conference_id("900244663")
            .call_in_restriction(CallInRestriction::InvitedUsers)
            .chat_permission(ChatPermission::PublicOnly),
    );
    assert_eq!(
        body(&http),
        json!({"callInRestriction": 3, "chatPermission": 3})
    );
}

#[test]
fn seed_004_start_meeting() {
    let token = Secret::new("stbX5ElstO5QwOwPB9KGQWUZ1DHoFrTsQjjC");
    let http = StartMeetingRequest::new("986030665", "******")
        .to_http(&Endpoint::default(), Credential::AccessToken(&token))
        .unwrap();
    assert_eq!(http.method(), "POST");
    assert_eq!(
        http.uri(),
        "https://api.meeting.huaweicloud.com/v1/mmc/management/conferences/start"
    );
    assert_eq!(
        http.headers()["x-access-token"],
        "stbX5ElstO5QwOwPB9KGQWUZ1DHoFrTsQjjC"
    );
    assert_eq!(
        body(&http),
        json!({"conferenceID": "986030665", "password": "******"})
    );

    let answer = br#"{"uuid": "stb7fe307f8971e44acc5cf8be2112575ff8387ff6ddea68a5e", "regionIP": "100.94.23.40"}"#;
    let out = StartMeetingRequest::new("986030665", "******")
        .decode(200, &http::HeaderMap::new(), answer)
        .unwrap();
    assert_eq!(out.region_ip.as_deref(), Some("100.94.23.40"));
}

#[test]
fn control_answers_accept_empty_braces_or_any_object() {
    let op = SetRoleRequest::new("p", ApplyChair::Relinquish).conference_id("1");
    let headers = http::HeaderMap::new();
    for body in [
        &b""[..],
        b"{}",
        b"  {\"result\": 0, \"extra\": [1,2]} ",
        b"{\"returnCode\":0,\"returnDesc\":\"ok\"}",
    ] {
        op.decode(200, &headers, body).unwrap();
    }
    let err = op.decode(200, &headers, b"<html>oops</html>").unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[test]
fn login_answer_without_access_token_is_a_clear_error() {
    let op = AccountAuthRequest::new("alice");
    let err = op
        .decode(200, &http::HeaderMap::new(), br#"{"validPeriod": 3600}"#)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("account_auth") && err.contains("accessToken"),
        "{err}"
    );
}

#[test]
fn unknown_enum_values_in_answers_decode_as_unknown() {
    let op = CreateConfTokenRequest::new("pw").conference_id("1");
    let out = op
        .decode(
            200,
            &http::HeaderMap::new(),
            br#"{"data": {"token": "t", "role": 42}}"#,
        )
        .unwrap();
    assert_eq!(out.data.role, Some(ConferenceRole::Unknown(42)));
    assert_eq!(format!("{:?}", out.data.token), "Secret(***)");
}

#[test]
fn error_answers_in_every_key_spelling() {
    let op = SetRoleRequest::new("p", ApplyChair::Relinquish).conference_id("1");
    let mut headers = http::HeaderMap::new();
    headers.insert("x-request-id", "hdr-id".parse().unwrap());
    for (body, code, msg, rid) in [
        (
            r#"{"error_code":"MMC.111070005","error_msg":"token expired","request_id":"body-id"}"#,
            "MMC.111070005",
            "token expired",
            "body-id",
        ),
        (
            r#"{"errorCode":"USG.000000004","errorMsg":"bad"}"#,
            "USG.000000004",
            "bad",
            "hdr-id",
        ),
        (r#"{"code":"MMC.1","message":"m"}"#, "MMC.1", "m", "hdr-id"),
    ] {
        let err = op.decode(401, &headers, body.as_bytes()).unwrap_err();
        let api = err.api_error().unwrap();
        assert_eq!(
            (
                api.error_code.as_deref(),
                api.error_msg.as_deref(),
                api.request_id.as_deref()
            ),
            (Some(code), Some(msg), Some(rid))
        );
        assert_eq!(api.body, body, "the raw body is kept");
        assert!(err.to_string().contains(rid), "{err}");
    }
    let err = op
        .decode(502, &headers, b"<html><body>Bad Gateway</body></html>")
        .unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert!(err.is_retryable());
    assert!(err.to_string().contains("request id hdr-id"), "{err}");
    let err = op
        .decode(503, &http::HeaderMap::new(), b"")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("empty body") && err.contains("no request id"),
        "{err}"
    );
}

#[test]
fn validation_errors_name_the_parameter() {
    // chairmanPwd when applying for the host role.
    let e = build_error(&SetRoleRequest::new("p1", ApplyChair::Apply).conference_id("914083136"));
    assert_eq!(
        e,
        "set_role: parameter `chairmanPwd` is required when `applyChair = 1`"
    );
    // Missing meeting id.
    let e = build_error(&SetRoleRequest::new("p1", ApplyChair::Relinquish));
    assert_eq!(
        e,
        "set_role: missing required parameter `conferenceID`: set it before sending"
    );
    // Empty ID.
    let e =
        build_error(&SetRoleRequest::new("", ApplyChair::Relinquish).conference_id("914083136"));
    assert_eq!(
        e,
        "set_role: invalid parameter `participantID`: must not be empty"
    );
    // Empty hang-up list.
    let e = build_error(&HangUpRequest::new(Vec::<String>::new()).conference_id("914083136"));
    assert_eq!(
        e,
        "hang_up: invalid parameter `bulkHangUpParticipants`: must not be empty: give at least 1 item"
    );
    let e = build_error(&HangUpRequest::new([""]).conference_id("914083136"));
    assert_eq!(
        e,
        "hang_up: invalid parameter `bulkHangUpParticipants[0]`: must not be empty"
    );
    // CR / LF in a header value.
    let op = CreateConfTokenRequest::new("pw\r\nX-Evil: 1").conference_id("914083136");
    let e = op
        .to_http(&Endpoint::default(), Credential::None)
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "create_conf_token: invalid parameter `X-Password`: contains a carriage return (CR), which cannot travel in an HTTP header"
    );
    assert!(!e.contains("pw"), "the secret is not in the error");
    let op = CreateConfTokenRequest::new("pw")
        .conference_id("914083136")
        .nonce("a\nb");
    let e = op
        .to_http(&Endpoint::default(), Credential::None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("`X-Nonce`") && e.contains("line feed"), "{e}");
    // A control token with a line break.
    let token = Secret::new("tok\nen");
    let e = SetRoleRequest::new("p", ApplyChair::Relinquish)
        .conference_id("1")
        .to_http(&Endpoint::default(), Credential::ConferenceToken(&token))
        .unwrap_err()
        .to_string();
    assert!(e.contains("X-Conference-Authorization"), "{e}");
    // The wrong kind of credential.
    let e = SetRoleRequest::new("p", ApplyChair::Relinquish)
        .conference_id("1")
        .to_http(&Endpoint::default(), Credential::None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("conference_token"), "{e}");
}

#[test]
fn query_values_are_percent_encoded_and_cannot_add_parameters() {
    let http =
        control(&SetRoleRequest::new("a&b=c#d %e/é", ApplyChair::Relinquish).conference_id("9 1"));
    assert_eq!(
        http.uri().query(),
        Some("conferenceID=9%201&participantID=a%26b%3Dc%23d%20%25e%2F%C3%A9")
    );
    assert_eq!(
        query_pairs(&http)[1],
        ("participantID".into(), "a&b=c#d %e/é".into())
    );
}

#[test]
fn printing_a_request_never_prints_a_secret() {
    let req = SetRoleRequest::new("p", ApplyChair::Apply)
        .conference_id("1")
        .chairman_pwd("sentinel-host-pw");
    assert!(!format!("{req:?}").contains("sentinel-host-pw"));
    let req = StartMeetingRequest::new("1", "sentinel-pw");
    assert!(!format!("{req:?}").contains("sentinel-pw"));
}
