//! Masking secrets in requests and answers, over real operations.

use hwmeeting_api::find_by_id;
use hwmeeting_core::redact::*;
use hwmeeting_core::wire::WireRequest;
use serde_json::json;

#[test]
fn masks_secret_body_fields_and_headers() {
    let meta = find_by_id("set_role").unwrap();
    let mut body = json!({"applyChair": 1, "chairmanPwd": "157599"});
    redact_body(meta, &mut body);
    assert_eq!(body, json!({"applyChair": 1, "chairmanPwd": "***"}));
    assert!(is_secret_header(Some(meta), "X-CONFERENCE-AUTHORIZATION"));
    assert!(is_secret_header(None, "authorization"));
    assert!(!is_secret_header(Some(meta), "content-type"));
}

#[test]
fn masks_secret_strings_in_raw_answers() {
    let meta = find_by_id("create_conf_token").unwrap();
    let cut = r#"{"data": {"token" : "t0k\"en", "role": 1, "tmpWsToken":"ws"#;
    assert_eq!(
        redact_response_text(meta, cut),
        r#"{"data": {"token" : "***", "role": 1, "tmpWsToken":"***"#
    );
    let whole = r#"{"addressToken":"a","gloablPublicIP":"1.2.3.4","data":{"token":"é"}}"#;
    assert_eq!(
        redact_response_text(meta, whole),
        r#"{"addressToken":"***","gloablPublicIP":"1.2.3.4","data":{"token":"***"}}"#
    );
    // Operations without secret answers keep their text as it is.
    let meta = find_by_id("set_role").unwrap();
    assert_eq!(
        redact_response_text(meta, r#"{"token":"x"}"#),
        r#"{"token":"x"}"#
    );
    // Never a panic on odd text.
    for text in [
        "\"token\":\"\\",
        "\"token\":\"é\\é",
        "\"token\"",
        "\"token\":",
    ] {
        redact_json_strings(text, &["token"]);
    }
}

#[test]
fn masks_secret_parameters_of_a_wire_request() {
    let meta = find_by_id("create_conf_token").unwrap();
    let mut wire = WireRequest::new();
    wire.query.insert("conferenceID".into(), json!("1"));
    wire.headers.insert("X-Password".into(), json!("pw"));
    wire.headers.insert("X-Nonce".into(), json!("n"));
    let shown = redact_wire(meta, &wire);
    assert_eq!(shown.headers["X-Password"], "***");
    assert_eq!(shown.headers["X-Nonce"], "n");
    assert_eq!(shown.query["conferenceID"], "1");
}

#[test]
fn masks_nested_response_tokens() {
    let meta = find_by_id("create_conf_token").unwrap();
    let mut body = json!({"data": {"token": "t", "role": 1}, "addressToken": "a"});
    redact_response(meta, &mut body);
    assert_eq!(
        body,
        json!({"data": {"token": "***", "role": 1}, "addressToken": "***"})
    );
}
