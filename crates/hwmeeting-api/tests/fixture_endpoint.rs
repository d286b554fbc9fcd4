//! The generator's fixture endpoint (`xtask/tests/fixtures/spec/`), compiled
//! against this crate: proves that a new endpoint needs only a JSON file, and
//! that the generated code builds the right request.
//!
//! `fixture_generated/` is written by the generator (with `--core-path
//! hwmeeting_core`); xtask's golden test fails when it is stale
//! (`UPDATE_GOLDEN=1 cargo test -p xtask` regenerates it).

// The fixture's generated API is larger than what this test calls.
#[allow(dead_code)]
#[rustfmt::skip]
#[path = "fixture_generated/mod.rs"]
mod fixture;

use fixture::{
    FixtureContact, FixtureProfile, FixtureRenameAnswer, NameSource, NameVisibility,
    RenameParticipantFixtureRequest, RenameParticipantFixtureResponse,
};
use hwmeeting_core::meta::{Location, Type};
use hwmeeting_core::{Credential, Endpoint, Error, Operation, Secret};
use serde_json::json;

fn request() -> RenameParticipantFixtureRequest {
    RenameParticipantFixtureRequest::new(
        "room 1/a",
        "p1",
        "Ann",
        NameVisibility::Hosts,
        FixtureProfile::new("ann")
            .age(30)
            .contacts(vec![FixtureContact::new("mail", "ann@example.invalid")]),
    )
    .conference_id("914083136")
    .labels(["a", "b&c"])
    .request_tag("t-1")
    .name_source(NameSource::HostAssigned)
    .host_pwd("157599")
    .aliases(["Annie"])
    .scores(vec![1.5, 2.0])
    .muted(true)
}

fn headers(http: &http::Request<Vec<u8>>) -> Vec<(String, String)> {
    http.headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap().to_owned()))
        .collect()
}

#[test]
fn builds_method_path_query_headers_and_body() {
    let token = Secret::new("control-token");
    let http = request()
        .to_http(&Endpoint::default(), Credential::ConferenceToken(&token))
        .unwrap();
    assert_eq!(http.method(), "PUT");
    assert_eq!(
        http.uri().path(),
        "/v1/fixture/rooms/room%201%2Fa/participants/name"
    );
    assert_eq!(
        http.uri().query(),
        Some("conferenceID=914083136&participantID=p1&labels=a&labels=b%26c")
    );
    let headers = headers(&http);
    for (name, value) in [
        ("x-request-tag", "t-1"),
        ("x-retry-count", "0"),
        ("x-conference-authorization", "control-token"),
        ("content-type", "application/json"),
    ] {
        assert!(
            headers.contains(&(name.to_owned(), value.to_owned())),
            "{name}: {value} not in {headers:?}"
        );
    }
    let body: serde_json::Value = serde_json::from_slice(http.body()).unwrap();
    assert_eq!(
        body,
        json!({
            "displayName": "Ann",
            "nameSource": "host-assigned",
            "visibility": 1,
            "hostPwd": "157599",
            "aliases": ["Annie"],
            "scores": [1.5, 2.0],
            "muted": true,
            "profile": {
                "nickName": "ann",
                "age": 30,
                "contacts": [{ "kind": "mail", "value": "ann@example.invalid" }]
            }
        })
    );
}

#[test]
fn the_meeting_id_is_filled_in_only_when_missing() {
    let mut r = RenameParticipantFixtureRequest::new(
        "r",
        "p",
        "n",
        NameVisibility::Everyone,
        FixtureProfile::new("x"),
    );
    assert_eq!(r.target_conference_id(), None);
    r.fill_conference_id("1");
    r.fill_conference_id("2");
    assert_eq!(r.target_conference_id(), Some("1"));
}

#[test]
fn the_spec_rules_are_checked_before_sending() {
    // `hostPwd` is required when `visibility` is 1.
    let r = RenameParticipantFixtureRequest::new(
        "r",
        "p",
        "n",
        NameVisibility::Hosts,
        FixtureProfile::new("x"),
    )
    .conference_id("1");
    let err = r.validate().unwrap_err();
    assert!(matches!(err, Error::Build { .. }));
    assert_eq!(
        err.to_string(),
        "rename_participant_fixture: parameter `hostPwd` is required when `visibility = 1`"
    );
    // Limits of nested fields and of array items.
    let r = r.host_pwd("x").profile(FixtureProfile::new(""));
    assert!(
        r.validate()
            .unwrap_err()
            .to_string()
            .contains("profile.nickName")
    );
    let r = r.profile(FixtureProfile::new("x")).aliases([""]);
    assert!(r.validate().unwrap_err().to_string().contains("aliases[0]"));
    // A header out of range.
    let r = r.aliases(["ok"]).retry_count(6);
    assert!(
        r.validate()
            .unwrap_err()
            .to_string()
            .contains("X-Retry-Count")
    );
    assert!(r.retry_count(5).validate().is_ok());
}

#[test]
fn enums_keep_unknown_values() {
    assert_eq!(NameVisibility::from_code(-1), NameVisibility::Nobody);
    assert_eq!(NameVisibility::from_code(7), NameVisibility::Unknown(7));
    assert_eq!(i64::from(NameVisibility::Nobody), -1);
    assert_eq!(
        NameSource::from_wire("host-assigned"),
        NameSource::HostAssigned
    );
    assert_eq!(
        NameSource::from("robot"),
        NameSource::Unknown("robot".into())
    );
    assert_eq!(String::from(NameSource::User), "user");
    assert_eq!(
        serde_json::to_value(NameSource::Unknown("x".into())).unwrap(),
        json!("x")
    );
}

#[test]
fn decodes_the_answer() {
    let r = request();
    let body = br#"{"oldName":"Anna","profile":{"nickName":"an","nameSource":"user","extra":1},"renamedAt":5}"#;
    let answer: RenameParticipantFixtureResponse =
        r.decode(200, &http::HeaderMap::new(), body).unwrap();
    assert_eq!(answer.old_name, "Anna");
    assert_eq!(answer.renamed_at, Some(5));
    let profile = answer.profile.unwrap();
    assert_eq!(profile.nick_name, "an");
    assert_eq!(profile.name_source, Some(NameSource::User));
    assert_eq!(profile.contacts, None);
    // A required answer field that is missing is a decode error.
    assert!(r.decode(200, &http::HeaderMap::new(), b"{}").is_err());
}

/// The answer names a shared model: the response type is that struct under
/// the operation's own name.
#[test]
fn the_response_type_is_the_shared_answer() {
    let answer: RenameParticipantFixtureResponse = FixtureRenameAnswer::new("Anna").renamed_at(5);
    let shared: FixtureRenameAnswer = answer.clone();
    assert_eq!(
        shared,
        RenameParticipantFixtureResponse::new("Anna").renamed_at(5)
    );
    fn output<O: Operation<Output = FixtureRenameAnswer>>(_: &O) {}
    output(&request());
}

#[test]
fn meta_describes_the_operation() {
    let ids: Vec<&str> = fixture::OPERATIONS.iter().map(|m| m.id).collect();
    assert_eq!(
        ids,
        [
            "batch_fixture",
            "labels_fixture",
            "rename_participant_fixture",
            "upload_fixture"
        ]
    );
    let meta = RenameParticipantFixtureRequest::META;
    assert_eq!(meta.id, "rename_participant_fixture");
    assert_eq!(meta.conference_id_param().unwrap().name, "conferenceID");
    let profile = meta.param("profile").unwrap();
    let Type::Object(object) = profile.ty else {
        panic!("profile is an object")
    };
    assert_eq!(object.model, "FixtureProfile");
    let contacts = object.fields.iter().find(|f| f.name == "contacts").unwrap();
    assert!(matches!(contacts.ty, Type::Array(item) if matches!(item.ty, Type::Object(_))));
    assert_eq!(
        meta.param("X-Retry-Count").unwrap().location,
        Location::Header
    );
    assert_eq!(meta.response.unwrap().len(), 3);
}

mod bodies {
    //! The fixture endpoints of the body shapes: a bare JSON list, a
    //! dictionary, and a `multipart/form-data` upload.

    use super::fixture::{BatchFixtureRequest, LabelsFixtureRequest, UploadFixtureRequest};
    use hwmeeting_core::upload::FilePart;
    use hwmeeting_core::{Credential, Endpoint, Error, Operation, Secret};
    use std::collections::BTreeMap;

    fn send<O: Operation>(op: &O) -> Result<http::Request<Vec<u8>>, Error> {
        let token = Secret::new("access-token");
        op.to_http(&Endpoint::default(), Credential::AccessToken(&token))
    }

    fn build_error<O: Operation>(op: &O) -> String {
        match send(op) {
            Err(Error::Build { source, .. }) => source.to_string(),
            other => panic!("expected a build error, got {other:?}"),
        }
    }

    #[test]
    fn a_whole_body_list_is_sent_as_the_bare_list() {
        let request = BatchFixtureRequest::new("r 1", ["a", "b\"c"]);
        let http = send(&request).unwrap();
        assert_eq!(http.uri().path(), "/v1/fixture/r%201/items/delete");
        assert_eq!(http.body(), br#"["a","b\"c"]"#);
        assert_eq!(http.headers()["content-type"], "application/json");
        // The wire form (the generic path) writes the same bytes.
        let prepared = hwmeeting_core::operation::prepare_wire(&request).unwrap();
        let wire = prepared.wire().unwrap();
        assert_eq!(wire.body["items"], serde_json::json!(["a", "b\"c"]));
    }

    #[test]
    fn a_whole_body_list_keeps_its_limits() {
        let none: [&str; 0] = [];
        assert_eq!(
            build_error(&BatchFixtureRequest::new("r", none)),
            "invalid parameter `items`: must not be empty: give at least 1 item"
        );
        assert_eq!(
            build_error(&BatchFixtureRequest::new("r", ["1", "2", "3", "4"])),
            "invalid parameter `items`: must have at most 3 items, got 4"
        );
        assert_eq!(
            build_error(&BatchFixtureRequest::new("r", ["1", ""])),
            "invalid parameter `items[1]`: must not be empty"
        );
    }

    #[test]
    fn a_dictionary_body_is_sent_as_one_object_with_its_values_checked() {
        let labels = BTreeMap::from([
            ("b".to_owned(), "2".to_owned()),
            ("a".to_owned(), "1".to_owned()),
        ]);
        let http = send(&LabelsFixtureRequest::new(labels)).unwrap();
        assert_eq!(http.body(), br#"{"a":"1","b":"2"}"#);
        let long = BTreeMap::from([("k".to_owned(), "123456789".to_owned())]);
        assert_eq!(
            build_error(&LabelsFixtureRequest::new(long)),
            "invalid parameter `labels.k`: must be at most 8 characters long, got 9"
        );
    }

    #[test]
    fn an_upload_is_a_multipart_body_with_its_parts_in_spec_order() {
        let picture = FilePart::from_bytes(b"\x89PNG\r\n".to_vec(), "me.png");
        let request = UploadFixtureRequest::new("ann", picture).caption("Hello");
        let http = send(&request).unwrap();
        assert_eq!(http.method(), "POST");
        assert_eq!(http.uri().path(), "/v1/fixture/ann/pictures");
        let content_type = http.headers()["content-type"].to_str().unwrap().to_owned();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .expect("a multipart content type");
        assert!(
            boundary.starts_with("hwmeeting-") && boundary.len() == 42,
            "{boundary}"
        );
        let mut want = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nHello\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"picture\"; filename=\"me.png\"\r\n\
             Content-Type: image/png\r\n\r\n"
        )
        .into_bytes();
        want.extend_from_slice(b"\x89PNG\r\n");
        want.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        assert_eq!(http.body(), &want);
        assert_eq!(http.headers()["x-access-token"], "access-token");
    }

    #[test]
    fn an_upload_is_refused_before_sending_when_its_file_breaks_a_rule() {
        let big = FilePart::from_bytes(vec![0; 17], "big.png");
        assert_eq!(
            build_error(&UploadFixtureRequest::new("ann", big)),
            "invalid parameter `picture`: the file has 17 bytes, more than the 16 this call accepts"
        );
        let sneaky = FilePart::from_bytes(vec![1], "a\"\r\nX-Evil: 1.png");
        assert!(
            build_error(&UploadFixtureRequest::new("ann", sneaky))
                .starts_with("invalid parameter `picture`: file name")
        );
        // A file on disk is streamed by the clients: it has no in-memory form.
        let on_disk = FilePart::from_path("/nonexistent/me.png");
        let err = send(&UploadFixtureRequest::new("ann", on_disk)).unwrap_err();
        assert!(err.to_string().contains("send it with a client"), "{err}");
    }
}
