//! Generated answers are read tolerantly (core `lenient`): numbers written as
//! strings and the like decode, an unreadable optional field is absent, an
//! unreadable required field fails naming it. Requests stay strict.

use std::time::SystemTime;

use hwmeeting_api::model::*;
use hwmeeting_core::response::decode;
use hwmeeting_core::{Error, Operation, Secret};
use serde_json::{Value, json};

fn answer<O: Operation>(request: &O, body: &Value) -> Result<O::Output, Error>
where
    O::Output: serde::de::DeserializeOwned,
{
    let body = serde_json::to_vec(body).unwrap();
    decode(
        request.meta(),
        200,
        &http::HeaderMap::new(),
        &body,
        SystemTime::now(),
    )
}

fn conf_token(data: Value) -> Result<CreateConfTokenResponse, Error> {
    let request = CreateConfTokenRequest::new("157599").conference_id("914083136");
    answer(&request, &json!({ "data": data }))
}

#[test]
fn numbers_as_strings_and_strings_as_numbers_decode() {
    let read = conf_token(json!({
        "token": "control-token",
        "confTokenExpireTime": "1800",
        "expireTime": " 1700000000 ",
        "role": "1",
        "userID": 8613800000000_i64,
        "supportNotifyType": [1, "b", true],
    }))
    .unwrap();
    let data = read.data;
    assert_eq!(data.token, Secret::new("control-token"));
    assert_eq!(data.conf_token_expire_time, Some(1800));
    assert_eq!(data.expire_time, Some(1_700_000_000));
    // A numeric-coded enum accepts a numeric string too.
    assert_eq!(data.role, Some(ConferenceRole::Host));
    assert_eq!(data.user_id.as_deref(), Some("8613800000000"));
    assert_eq!(
        data.support_notify_type,
        Some(vec!["1".to_owned(), "b".to_owned(), "true".to_owned()])
    );
}

#[test]
fn an_unreadable_optional_field_is_absent() {
    let read = conf_token(json!({
        "token": "control-token",
        "confTokenExpireTime": "soon",
        "role": {"code": 1},
        "wsURL": null,
    }))
    .unwrap();
    assert_eq!(read.data.conf_token_expire_time, None);
    assert_eq!(read.data.role, None);
    assert_eq!(read.data.ws_url, None);
    assert_eq!(read.data.token, Secret::new("control-token"));
}

#[test]
fn an_unknown_coded_value_is_kept() {
    let read = conf_token(json!({ "token": "t", "role": "7" })).unwrap();
    assert_eq!(read.data.role, Some(ConferenceRole::Unknown(7)));
}

#[test]
fn an_unreadable_required_field_fails_naming_it() {
    let err = conf_token(json!({ "token": ["control-token-value"] })).unwrap_err();
    let Error::Decode { message, .. } = &err else {
        panic!("expected a decode error, got {err:?}");
    };
    assert_eq!(
        message,
        "field `data`: field `token`: expected a string, found a list"
    );
    // The reason does not show the value.
    assert!(!err.to_string().contains("control-token-value"), "{err}");

    let err = conf_token(json!({ "confTokenExpireTime": 1800 })).unwrap_err();
    assert!(err.to_string().contains("missing field `token`"), "{err}");
}

#[test]
fn lists_of_nested_answers_are_read_with_the_same_rules() {
    let request = ShowRealTimeInfoOfMeetingRequest::new().conference_id("914083136");
    let read = answer(
        &request,
        &json!({
            "participants": [{ "pid": 123, "mute": "1", "hand": " 0 " }],
            "attendees": "none",
        }),
    )
    .unwrap();
    assert_eq!(read.attendees, None);
    let participants = read.participants.unwrap();
    assert_eq!(participants.len(), 1);
    assert_eq!(participants[0].pid.as_deref(), Some("123"));
    assert_eq!(participants[0].mute, Some(MuteState::from_code(1)));
    assert_eq!(participants[0].hand, Some(HandState::from_code(0)));
}

#[test]
fn requests_and_request_models_stay_strict() {
    // A model only requests use is still read with the documented types
    // (the simulator reads request bodies): a role given as a string fails.
    let strict: Result<Attendee, _> = serde_json::from_value(
        json!({ "name": "Ann", "phone": "+861", "type": "normal", "role": "1" }),
    );
    assert!(strict.is_err());
    let read: Attendee = serde_json::from_value(
        json!({ "name": "Ann", "phone": "+861", "type": "normal", "role": 1 }),
    )
    .unwrap();
    assert_eq!(read.role, Some(ConferenceRole::Host));

    // Requests are only written, and are written as before: numbers as
    // numbers, the codes of enums as numbers.
    let request = SetRoleRequest::new("p1", ApplyChair::Apply)
        .conference_id("914083136")
        .chairman_pwd("157599");
    let wire = request.to_wire();
    assert_eq!(wire.body["applyChair"], json!(1));
    assert_eq!(wire.body["chairmanPwd"], json!("157599"));
}
