//! The wire form of typed requests (`Operation::to_wire`), pinned: the
//! examples of `spec/` rebuilt as typed requests give exactly the
//! example's parameters, and a few requests, scalar and nested, give the
//! exact `WireRequest` written out below. The CLI, the simulator and every
//! call the fast path declines go through this form.

use std::path::PathBuf;

use hwmeeting_api::model::*;
use hwmeeting_core::meta::{Location, Type};
use hwmeeting_core::wire::WireRequest;
use hwmeeting_core::{Operation, OperationMeta, Secret};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

/// The examples' requests of one spec file.
fn examples(id: &str) -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../spec/{id}.json"));
    let spec: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    spec["examples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["request"].clone())
        .collect()
}

/// The wire form an example stands for: its query, headers (but the
/// credential) and body, text converted to the parameter's type.
fn expected(meta: &OperationMeta, request: &Value) -> WireRequest {
    let mut wire = WireRequest::new();
    for (location, key) in [
        (Location::Path, "path_params"),
        (Location::Query, "query"),
        (Location::Header, "headers"),
        (Location::Body, "body"),
    ] {
        for (name, value) in request[key].as_object().cloned().unwrap_or_default() {
            if meta
                .auth
                .header()
                .is_some_and(|h| h.eq_ignore_ascii_case(&name))
            {
                continue;
            }
            let param = meta.param(&name).unwrap();
            let value = match (param.ty, &value) {
                (Type::Integer, Value::String(s)) => Value::from(s.parse::<i64>().unwrap()),
                (Type::Boolean, Value::String(s)) => Value::from(s == "true"),
                _ => value,
            };
            wire.location_mut(location).insert(name, value);
        }
    }
    wire
}

/// A parameter of an example read as the typed field (`Option` for an
/// optional one: a missing parameter reads as `None`).
fn field<T: DeserializeOwned>(request: &Value, name: &str) -> T {
    let value = ["query", "headers", "body"]
        .iter()
        .find_map(|key| request[*key].get(name).cloned())
        .unwrap_or(Value::Null);
    serde_json::from_value(value).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Rebuilds every example of `id` with `typed` and compares the wire forms.
fn check<O: Operation>(id: &str, typed: impl Fn(&Value) -> O) {
    let all = examples(id);
    assert!(!all.is_empty(), "{id}: no example");
    for request in all {
        let op = typed(&request);
        assert_eq!(op.meta().id, id);
        assert_eq!(
            op.to_wire(),
            expected(op.meta(), &request),
            "{id}: {request}"
        );
    }
}

#[test]
fn examples_rebuilt_as_typed_requests_give_their_wire_form() {
    check("set_role", |r| {
        let mut op =
            SetRoleRequest::new(field::<String>(r, "participantID"), field(r, "applyChair"));
        op.conference_id = field(r, "conferenceID");
        op.chairman_pwd = field(r, "chairmanPwd");
        op
    });
    check("hang_up", |r| {
        let mut op = HangUpRequest::new(field::<Vec<String>>(r, "bulkHangUpParticipants"));
        op.conference_id = field(r, "conferenceID");
        op
    });
    check("check_token", |r| {
        let mut op =
            CheckTokenRequest::new(field::<Secret>(r, "token"), field(r, "needGenNewToken"));
        op.request_id = field(r, "X-Request-ID");
        op.accept_language = field(r, "Accept-Language");
        op.need_account_info = field(r, "needAccountInfo");
        op
    });
    check("delete_attendees", |r| {
        let mut op = DeleteAttendeesRequest::new(field(r, "bulkDelAttendInfo"));
        op.conference_id = field(r, "conferenceID");
        op
    });
    check("invite_participant", |r| {
        let mut op = InviteParticipantRequest::new(field(r, "attendees"));
        op.conference_id = field(r, "conferenceID");
        op
    });
    check("save_layout", |r| {
        let mut op = SaveLayoutRequest::new();
        op.conference_id = field(r, "conferenceID");
        op.rest_pic_layout = field(r, "restPicLayout");
        op
    });
    check("set_custom_multi_picture", |r| {
        let mut op = SetCustomMultiPictureRequest::new(field(r, "manualSet"));
        op.conference_id = field(r, "conferenceID");
        op.pic_layout_info = field(r, "picLayoutInfo");
        op.image_type = field(r, "imageType");
        op.subscriber_in_pics = field(r, "subscriberInPics");
        op.switch_time = field(r, "switchTime");
        op.multi_pic_save_only = field(r, "multiPicSaveOnly");
        op
    });
    check("set_interpreter_group", |r| {
        let mut op = SetInterpreterGroupRequest::new(field(r, "interpreterGroups"));
        op.conference_id = field(r, "conferenceID");
        op
    });
    check("set_multi_picture", |r| {
        let mut op = SetMultiPictureRequest::new(field(r, "manualSet"));
        op.conference_id = field(r, "conferenceID");
        op.image_type = field(r, "imageType");
        op.subscriber_in_pics = field(r, "subscriberInPics");
        op.switch_time = field(r, "switchTime");
        op
    });
}

fn wire(query: Value, headers: Value, body: Value) -> WireRequest {
    let map = |v: Value| -> Map<String, Value> {
        match v {
            Value::Object(map) => map,
            _ => unreachable!(),
        }
    };
    WireRequest {
        path: Map::new(),
        query: map(query),
        headers: map(headers),
        body: map(body),
        files: Default::default(),
    }
}

#[test]
fn scalar_requests_have_this_exact_wire_form() {
    assert_eq!(
        SetRoleRequest::new("p 1", ApplyChair::Apply)
            .conference_id("914083136")
            .chairman_pwd("pw\"\\")
            .to_wire(),
        wire(
            json!({"conferenceID": "914083136", "participantID": "p 1"}),
            json!({}),
            json!({"applyChair": 1, "chairmanPwd": "pw\"\\"}),
        )
    );
    // Unset optional parameters are left out; an unknown code is sent as
    // it is.
    assert_eq!(
        SetRoleRequest::new("", ApplyChair::Unknown(-7)).to_wire(),
        wire(
            json!({"participantID": ""}),
            json!({}),
            json!({"applyChair": -7}),
        )
    );
    assert_eq!(
        HangUpRequest::new(["a", "b c", "会议"])
            .conference_id("1")
            .to_wire(),
        wire(
            json!({"conferenceID": "1"}),
            json!({}),
            json!({"bulkHangUpParticipants": ["a", "b c", "会议"]}),
        )
    );
    assert_eq!(
        HangUpRequest::new(Vec::<String>::new()).to_wire(),
        wire(json!({}), json!({}), json!({"bulkHangUpParticipants": []}))
    );
    assert_eq!(
        CheckTokenRequest::new("tok", true)
            .request_id("r-1")
            .accept_language(Language::EnUs)
            .need_account_info(false)
            .to_wire(),
        wire(
            json!({}),
            json!({"X-Request-ID": "r-1", "Accept-Language": "en-US"}),
            json!({"token": "tok", "needGenNewToken": true, "needAccountInfo": false}),
        )
    );
    assert_eq!(DeleteTokenRequest::new().to_wire(), WireRequest::new());
}

#[test]
fn nested_requests_have_this_exact_wire_form() {
    let mut custom = SetCustomMultiPictureRequest::new(MultiPictureMode::Unknown(9));
    custom.conference_id = Some("c".into());
    custom.pic_layout_info = Some(serde_json::from_value(json!({"x": 1, "y": 2})).unwrap());
    custom.subscriber_in_pics = Some(Vec::new());
    custom.switch_time = Some(-1);
    custom.multi_pic_save_only = Some(true);
    let wire_of_custom = custom.to_wire();
    assert_eq!(wire_of_custom.query, map(json!({"conferenceID": "c"})));
    assert_eq!(
        wire_of_custom.body.keys().collect::<Vec<_>>(),
        [
            "manualSet",
            "multiPicSaveOnly",
            "picLayoutInfo",
            "subscriberInPics",
            "switchTime"
        ]
    );
    assert_eq!(wire_of_custom.body["manualSet"], json!(9));
    assert_eq!(wire_of_custom.body["subscriberInPics"], json!([]));
    assert_eq!(wire_of_custom.body["switchTime"], json!(-1));
    assert_eq!(wire_of_custom.body["multiPicSaveOnly"], json!(true));
    assert_eq!(
        wire_of_custom.body["picLayoutInfo"],
        json!({"x": 1, "y": 2})
    );

    let attendees: Vec<Attendee> = serde_json::from_value(json!([
        {"name": "Dave", "phone": "+99111283020385678", "type": "normal"},
        {"name": "Erin", "phone": "+8613800000000", "type": "mobile", "role": 0}
    ]))
    .unwrap();
    // Keys sorted (as in every `Value` map), unset fields left out.
    assert_eq!(
        serde_json::to_string(&InviteParticipantRequest::new(attendees).to_wire().body).unwrap(),
        r#"{"attendees":[{"name":"Dave","phone":"+99111283020385678","type":"normal"},{"name":"Erin","phone":"+8613800000000","role":0,"type":"mobile"}]}"#
    );
    assert_eq!(
        SaveLayoutRequest::new().conference_id("1").to_wire(),
        wire(json!({"conferenceID": "1"}), json!({}), json!({}))
    );
}

fn map(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => unreachable!(),
    }
}
