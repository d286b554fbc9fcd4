//! Typed requests written straight from their fields (`view::build`) put
//! the same request on the wire as their wire form (built from the same
//! views by the default `Operation::to_wire`), and the fast path never
//! accepts what the wire form's validation refuses: it falls back, and the
//! error is the wire form's.

use hwmeeting_api::model::*;
use hwmeeting_core::operation::prepare_wire;
use hwmeeting_core::{Credential, Endpoint, Error, HttpRequest, Operation, Secret};
use proptest::prelude::*;

/// The request of `op` through the fast path and through the wire form;
/// `Ok(true)` when the fast path was taken.
fn both<O: Operation>(op: &O) -> Result<bool, String> {
    let token = Secret::new("tok-\u{e9}n");
    let endpoint =
        Endpoint::parse("https://meet.example.com:8443/", false).expect("a valid endpoint");
    let credential = match op.meta().auth {
        hwmeeting_core::meta::Auth::AccessToken { .. } => Credential::AccessToken(&token),
        hwmeeting_core::meta::Auth::ConferenceToken { .. } => Credential::ConferenceToken(&token),
        _ => Credential::None,
    };
    let fast = op.prepare();
    let wire = prepare_wire(op);
    let (fast, wire) = match (fast, wire) {
        (Ok(fast), Ok(wire)) => (fast, wire),
        (Err(a), Err(b)) => {
            assert_eq!(a.to_string(), b.to_string());
            return Err(a.to_string());
        }
        (fast, wire) => panic!(
            "{}: the fast path says {:?}, the wire form {:?}",
            op.meta().id,
            fast.map(|_| ()),
            wire.map(|_| ())
        ),
    };
    let direct = fast.wire().is_none();
    let a = op.attempt_request(&fast, &endpoint, credential).unwrap();
    let b = op.attempt_request(&wire, &endpoint, credential).unwrap();
    assert_same(op.meta().id, &a, &b);
    Ok(direct)
}

fn assert_same(id: &str, a: &HttpRequest, b: &HttpRequest) {
    assert_eq!(a.method, b.method, "{id}");
    assert_eq!(a.url, b.url, "{id}");
    assert_eq!(
        String::from_utf8_lossy(&a.body),
        String::from_utf8_lossy(&b.body),
        "{id}"
    );
    let names = |r: &HttpRequest| -> Vec<(String, Vec<u8>, bool)> {
        r.headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.as_bytes().to_vec(), v.is_sensitive()))
            .collect()
    };
    assert_eq!(names(a), names(b), "{id}");
}

fn fast(result: Result<bool, String>) {
    assert_eq!(result, Ok(true));
}

#[test]
fn typed_requests_take_the_fast_path_with_the_same_bytes() {
    fast(both(
        &SetRoleRequest::new("p 1/&x=ü", ApplyChair::Apply)
            .conference_id("914083136")
            .chairman_pwd("pw\"\\"),
    ));
    fast(both(
        &SetRoleRequest::new("p1", ApplyChair::Relinquish).conference_id("1"),
    ));
    fast(both(
        &SetRoleRequest::new("p1", ApplyChair::Unknown(7)).conference_id("1"),
    ));
    fast(both(
        &HangUpRequest::new(["a", "b c", "会议"]).conference_id("914083136"),
    ));
    fast(both(
        &InviteOperateVideoRequest::new("p1", CameraInvitation::Disable).conference_id("1"),
    ));
    fast(both(
        &UpdateStartedConfConfigRequest::new()
            .conference_id("900244663")
            .lock_sharing(SharingLock::Unlocked),
    ));
    fast(both(&StartMeetingRequest::new("986030665", "******")));
    fast(both(
        &RenameParticipantRequest::new("+8612", "名字 \u{1F600}").conference_id("1"),
    ));
    fast(both(
        &MuteParticipantRequest::new("p1", MuteState::Muted).conference_id("1"),
    ));
    fast(both(
        &CheckTokenRequest::new("the-token", true)
            .request_id("r-1")
            .accept_language(Language::EnUs)
            .need_account_info(false),
    ));
    fast(both(&DeleteTokenRequest::new()));
}

#[test]
fn what_the_fast_path_is_not_sure_of_takes_the_wire_form() {
    // Missing, required by a condition, too long, empty, a header with a
    // line feed: the wire form's error, word for word.
    let errors = [
        both(&SetRoleRequest::new("p1", ApplyChair::Apply)),
        both(&SetRoleRequest::new("p1", ApplyChair::Apply).conference_id("1")),
        both(&SetRoleRequest::new("p".repeat(129), ApplyChair::Relinquish).conference_id("1")),
        both(&SetRoleRequest::new("", ApplyChair::Relinquish).conference_id("1")),
        both(&HangUpRequest::new(Vec::<String>::new()).conference_id("1")),
        both(&CheckTokenRequest::new("t", false).request_id("a\nb")),
    ];
    for error in errors {
        assert!(error.is_err(), "{error:?}");
    }
    assert_eq!(
        both(&SetRoleRequest::new("p1", ApplyChair::Apply).conference_id("1")),
        Err("set_role: parameter `chairmanPwd` is required when `applyChair = 1`".into())
    );
    // A default to fill in: the wire form, valid.
    assert_eq!(
        both(&CreateConfTokenRequest::new("157599").conference_id("1")),
        Ok(false)
    );
}

#[test]
fn nested_objects_take_the_wire_form() {
    let attendees: Vec<Attendee> = serde_json::from_value(serde_json::json!([
        {"name": "Dave", "phone": "+99111283020385678", "type": "normal"}
    ]))
    .unwrap();
    assert_eq!(
        both(&InviteParticipantRequest::new(attendees).conference_id("1")),
        Ok(false)
    );
    // With the nested parameters unset, nothing is left to decline.
    assert_eq!(both(&SaveLayoutRequest::new().conference_id("1")), Ok(true));
    assert_eq!(
        both(&SetCustomMultiPictureRequest::new(MultiPictureMode::Unknown(0)).conference_id("1")),
        Ok(true)
    );
}

#[test]
fn only_control_operations_with_nested_objects_lack_a_fast_path() {
    // Meeting control is the chapter called at volume; the others take the
    // wire form whenever they have a nested object, which this same filter
    // finds.
    let without: Vec<&str> = hwmeeting_api::operations()
        .iter()
        .filter(|op| op.group == "meeting_control")
        .filter(|op| {
            op.params.iter().any(|p| {
                !matches!(
                    p.ty,
                    hwmeeting_core::meta::Type::String
                        | hwmeeting_core::meta::Type::Integer
                        | hwmeeting_core::meta::Type::Boolean
                ) && !matches!(p.ty, hwmeeting_core::meta::Type::Array(items) if matches!(items.ty, hwmeeting_core::meta::Type::String | hwmeeting_core::meta::Type::Integer | hwmeeting_core::meta::Type::Boolean))
            })
        })
        .map(|op| op.id)
        .collect();
    // Nested objects keep the wire form (their keys are sorted there): the
    // fast path declines their views (`ParamView::Json`).
    assert_eq!(
        without,
        [
            "delete_attendees",
            "invite_participant",
            "save_layout",
            "set_custom_multi_picture",
            "set_interpreter_group",
            "set_multi_picture",
        ]
    );
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9]{0,8}",
        ".{0,40}",
        "[ -~]{0,140}",
        Just(String::new()),
        "[\\u{0}-\\u{1f}\\u{7f}\\u{80}-\\u{10ffff}]{0,6}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn set_role_is_the_same_either_way(
        conference in proptest::option::of(text()),
        participant in text(),
        chair in prop_oneof![Just(ApplyChair::Apply), Just(ApplyChair::Relinquish), any::<i64>().prop_map(ApplyChair::Unknown)],
        password in proptest::option::of(text()),
    ) {
        let mut request = SetRoleRequest::new(participant, chair);
        request.conference_id = conference;
        request.chairman_pwd = password.map(Secret::new);
        let _ = both(&request);
    }

    #[test]
    fn hang_up_is_the_same_either_way(
        conference in proptest::option::of(text()),
        participants in proptest::collection::vec(text(), 0..4),
    ) {
        let mut request = HangUpRequest::new(participants);
        request.conference_id = conference;
        let _ = both(&request);
    }

    #[test]
    fn check_token_is_the_same_either_way(
        token in text(),
        request_id in proptest::option::of(text()),
        new_token in any::<bool>(),
        account in proptest::option::of(any::<bool>()),
    ) {
        let mut request = CheckTokenRequest::new(token, new_token);
        request.request_id = request_id;
        request.need_account_info = account;
        let _ = both(&request);
    }
}

/// An error from the fast path is an `Error::Build` like the wire form's.
#[test]
fn errors_are_build_errors() {
    let err = SetRoleRequest::new("p1", ApplyChair::Apply)
        .validate()
        .unwrap_err();
    assert!(matches!(err, Error::Build { .. }), "{err:?}");
}
