//! Reading answers of generated operations.

use std::time::SystemTime;

use hwmeeting_api::model::{CreateConfTokenRequest, CreateConfTokenResponse};
use hwmeeting_core::Error;
use hwmeeting_core::response::*;

fn decode_token(body: &[u8]) -> Result<CreateConfTokenResponse, Error> {
    let mut headers = http::HeaderMap::new();
    headers.insert(REQUEST_ID_HEADER, "req-1".parse().unwrap());
    decode(
        CreateConfTokenRequest::META,
        200,
        &headers,
        body,
        SystemTime::now(),
    )
}

#[test]
fn a_success_status_over_an_error_body_is_an_api_error() {
    for body in [
        &br#"{"error_code":"MMC.111070005","error_msg":"conference not exist"}"#[..],
        br#"{"errorCode":"MMC.111070005","errorMsg":"conference not exist"}"#,
        br#"{"code":"MMC.111070005","message":"conference not exist"}"#,
    ] {
        let error = decode_token(body).unwrap_err();
        let api = error.api_error().unwrap_or_else(|| panic!("{error:?}"));
        assert_eq!(api.status, 200);
        assert_eq!(api.error_code.as_deref(), Some("MMC.111070005"));
        assert_eq!(api.error_msg.as_deref(), Some("conference not exist"));
        assert_eq!(api.request_id.as_deref(), Some("req-1"));
        assert_eq!(
            error.to_string(),
            "create_conf_token failed: HTTP 200 MMC.111070005: conference not exist (request id req-1)"
        );
    }
}

#[test]
fn an_undecodable_success_without_error_fields_stays_a_decode_error() {
    for body in [
        &br#"{"unexpected":true}"#[..],
        br#"{"code":"0","message":"ok"}"#,
    ] {
        let error = decode_token(body).unwrap_err();
        assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    }
}
