//! Every operation's typed `decode` over any bytes and any status: a value
//! or a typed error, never a panic. An error status is an `Api` error with
//! that status; a 2xx that does not fit is a `Decode` error. The raw body
//! an error keeps goes through the redaction of tokens, which must not
//! panic either; so does `Retry-After` parsing.
//!
//! Input: two bytes of status, then the body. A body that starts with
//! `RA:` gives its next line as the `Retry-After` header.

#![no_main]

use hwmeeting_core::Error;
use libfuzzer_sys::fuzz_target;

fn typed_decode(
    id: &str,
    status: u16,
    headers: &http::HeaderMap,
    body: &[u8],
) -> Option<Result<serde_json::Value, Error>> {
    fn run<T: serde::de::DeserializeOwned + serde::Serialize>(
        id: &str,
        status: u16,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<serde_json::Value, Error> {
        let meta = hwmeeting_api::find_by_id(id).expect("generated");
        hwmeeting_core::response::decode::<T>(
            meta,
            status,
            headers,
            body,
            std::time::SystemTime::now(),
        )
        .map(|output| serde_json::to_value(output).expect("an output serializes"))
    }
    include!(concat!(env!("OUT_DIR"), "/typed_decode.rs"))
}

fuzz_target!(|data: &[u8]| {
    let [a, b, body @ ..] = data else { return };
    let status = u16::from_le_bytes([*a, *b]) % 1000;
    let mut headers = http::HeaderMap::new();
    headers.insert("x-request-id", http::HeaderValue::from_static("fuzz"));
    if let Some(rest) = body.strip_prefix(b"RA:") {
        let line = rest.split(|b| *b == b'\n').next().unwrap_or_default();
        if let Ok(value) = http::HeaderValue::from_bytes(line) {
            if let Ok(text) = value.to_str() {
                let _ =
                    hwmeeting_core::response::parse_retry_after(text, std::time::SystemTime::now());
            }
            headers.insert(http::header::RETRY_AFTER, value);
        }
    }
    let text = String::from_utf8_lossy(body);
    for meta in hwmeeting_api::operations() {
        let result =
            typed_decode(meta.id, status, &headers, body).expect("every operation has a decoder");
        match (&result, (200..300).contains(&status)) {
            (Ok(_), true) | (Err(Error::Decode { .. }), true) => {}
            (Err(Error::Api { source, .. }), false) => assert_eq!(source.status, status),
            _ => panic!("{} {status}: {result:?}", meta.id),
        }
        if let Err(err) = &result {
            let _ = format!("{err} {err:?}");
        }
        let _ = hwmeeting_core::redact::redact_response_text(meta, &text);
    }
});
