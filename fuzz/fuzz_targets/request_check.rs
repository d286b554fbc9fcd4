//! The request checks, on any input: the spec validator the SDK runs
//! before sending and the simulator runs on what arrives
//! (`hwmeeting_core::validate`, strict and lenient), and the building of a
//! `DynamicOperation` into an `http::Request`. Whatever the parameters, a
//! value or a Build error naming a parameter; never a panic.
//!
//! Input: JSON `{"op": id, "path": {..}, "query": {..}, "headers": {..},
//! "body": {..}}`; without `op`, every operation is tried. Anything else
//! is also read as a raw query string, as the simulator reads one.

#![no_main]

use hwmeeting_api::operations;
use hwmeeting_core::meta::{Location};
use hwmeeting_core::validate::{EnumCheck, validate};
use hwmeeting_core::wire::WireRequest;
use hwmeeting_core::{Credential, DynamicOperation, Endpoint, Error, Operation, Secret};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

fn map(value: &Value, key: &str) -> Map<String, Value> {
    value
        .get(key)
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

fuzz_target!(|data: &[u8]| {
    // As a raw query string.
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(data).into_owned().collect();
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let wire = WireRequest {
        path: map(&value, "path"),
        query: map(&value, "query"),
        headers: map(&value, "headers"),
        body: map(&value, "body"),
    };
    let wanted = value.get("op").and_then(Value::as_str);
    let secret = Secret::new("fuzz-credential");
    let endpoint = Endpoint::default();
    for meta in operations() {
        if wanted.is_some_and(|id| id != meta.id) {
            continue;
        }
        let _ = validate(meta, &wire, EnumCheck::Strict);
        let _ = validate(meta, &wire, EnumCheck::Lenient);
        let mut op = DynamicOperation::new(meta);
        for (location, params) in [
            (Location::Path, &wire.path),
            (Location::Query, &wire.query),
            (Location::Header, &wire.headers),
            (Location::Body, &wire.body),
        ] {
            for (name, v) in params {
                let _ = op.set_in(location, name, v.clone());
            }
        }
        for (name, v) in &pairs {
            let _ = op.set(name, Value::String(v.clone()));
        }
        let credential = match meta.auth {
            hwmeeting_core::meta::Auth::None => Credential::None,
            hwmeeting_core::meta::Auth::Basic { .. } => Credential::Password(&secret),
            hwmeeting_core::meta::Auth::AppSignature { .. } => Credential::AppKey(&secret),
            hwmeeting_core::meta::Auth::AccessToken { .. } => Credential::AccessToken(&secret),
            hwmeeting_core::meta::Auth::ConferenceToken { .. } => {
                Credential::ConferenceToken(&secret)
            }
        };
        match op.to_http(&endpoint, credential) {
            Ok(request) => {
                let _ = format!("{request:?} {op:?}");
            }
            Err(Error::Build { source, .. }) => {
                let _ = source.to_string();
            }
            Err(other) => panic!("{}: not a Build error: {other:?}", meta.id),
        }
    }
});
