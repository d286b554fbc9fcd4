//! Every example in `spec/` — the seed pages' requests among them — is
//! rebuilt from its parameters and compared with the example: method, path,
//! decoded query pairs, headers and parsed JSON body. Every example answer
//! decodes. New spec files are covered with no new test code.

use std::collections::BTreeMap;
use std::path::PathBuf;

use hwmeeting_core::meta::{Auth, Location};
use hwmeeting_core::{Credential, DynamicOperation, Endpoint, Operation, Secret};
use serde_json::{Map, Value};

/// The app key of the known-answer vectors in api-notes.md.
const VECTOR_APP_KEY: &str = "7c1d9a5b2e4f4c3a9e8d7b6a5f4e3d2c";
/// The account password of the account_auth example.
const EXAMPLE_ACCOUNT_PASSWORD: &str = "p4ssw0rd!";

fn spec_files() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../spec");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("schema.json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                serde_json::from_str(&text).unwrap(),
            )
        })
        .collect()
}

fn typed_value(op: &hwmeeting_core::OperationMeta, name: &str, text: &Value) -> Value {
    // Query and header values are text in the examples; the parameter's
    // type says what they are.
    let param = op
        .param(name)
        .unwrap_or_else(|| panic!("{}: example names unknown parameter {name}", op.id));
    match (param.ty, text) {
        (hwmeeting_core::meta::Type::Integer, Value::String(s)) => {
            Value::from(s.parse::<i64>().unwrap())
        }
        (hwmeeting_core::meta::Type::Boolean, Value::String(s)) => Value::from(s == "true"),
        (_, v) => v.clone(),
    }
}

fn decoded_query(uri: &http::Uri) -> BTreeMap<String, String> {
    url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

#[test]
fn every_example_request_is_rebuilt_exactly() {
    let mut checked = 0;
    for (file, spec) in spec_files() {
        let id = spec["id"].as_str().unwrap();
        let meta = hwmeeting_api::find_by_id(id).unwrap_or_else(|| {
            panic!("{file}: no generated operation {id}: run cargo xtask codegen")
        });
        for example in spec["examples"].as_array().unwrap() {
            let name = format!("{file} example {}", example["name"]);
            let req = &example["request"];
            let mut op = DynamicOperation::new(meta);
            let credential_header = meta.auth.header();
            let mut expected_headers = Map::new();
            for (loc, key) in [
                (Location::Path, "path_params"),
                (Location::Query, "query"),
                (Location::Header, "headers"),
            ] {
                for (k, v) in req[key].as_object().cloned().unwrap_or_default() {
                    if loc == Location::Header
                        && credential_header.is_some_and(|h| h.eq_ignore_ascii_case(&k))
                    {
                        expected_headers.insert(k, v);
                        continue;
                    }
                    if loc == Location::Header {
                        expected_headers.insert(k.clone(), v.clone());
                    }
                    let value = typed_value(meta, &k, &v);
                    op.set(&k, value).unwrap();
                }
            }
            if let Some(whole) = meta.whole_body() {
                // The body is one list or dictionary: that parameter.
                if !req["body"].is_null() {
                    op.set_in(Location::Body, whole.name, req["body"].clone())
                        .unwrap();
                }
            } else if let Some(body) = req["body"].as_object() {
                op.set_body(body.clone()).unwrap();
            }
            // An upload's example shows no file: one is given here.
            for file in meta
                .params
                .iter()
                .filter(|p| matches!(p.ty, hwmeeting_core::meta::Type::File))
            {
                let part = hwmeeting_core::upload::FilePart::from_bytes(b"PNG".to_vec(), "a.png");
                op.set_file(file.name, part).unwrap();
            }
            let token_text = credential_header
                .and_then(|h| {
                    expected_headers
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(h))
                })
                .and_then(|(_, v)| v.as_str())
                .unwrap_or("placeholder-token")
                .to_owned();
            let token = Secret::new(token_text);
            let key = Secret::new(VECTOR_APP_KEY);
            let password = Secret::new(EXAMPLE_ACCOUNT_PASSWORD);
            let credential = match meta.auth {
                Auth::None => Credential::None,
                Auth::Basic { .. } => Credential::Password(&password),
                Auth::AppSignature { .. } => Credential::AppKey(&key),
                Auth::AccessToken { .. } => Credential::AccessToken(&token),
                Auth::ConferenceToken { .. } => Credential::ConferenceToken(&token),
            };
            let http = op
                .to_http(&Endpoint::default(), credential)
                .unwrap_or_else(|e| panic!("{name}: {e}"));

            assert_eq!(
                http.method().as_str(),
                spec["method"].as_str().unwrap(),
                "{name}: method"
            );
            let mut expected_path = spec["path"].as_str().unwrap().to_owned();
            for (k, v) in req["path_params"].as_object().cloned().unwrap_or_default() {
                expected_path = expected_path.replace(&format!("{{{k}}}"), v.as_str().unwrap());
            }
            assert_eq!(http.uri().path(), expected_path, "{name}: path");
            assert_eq!(
                http.uri().host(),
                Some("api.meeting.huaweicloud.com"),
                "{name}: host"
            );
            let expected_query: BTreeMap<String, String> = req["query"]
                .as_object()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| {
                    (
                        k,
                        v.as_str()
                            .map(str::to_owned)
                            .unwrap_or_else(|| v.to_string()),
                    )
                })
                .collect();
            assert_eq!(decoded_query(http.uri()), expected_query, "{name}: query");
            for (k, v) in &expected_headers {
                let got = http
                    .headers()
                    .get(k.as_str())
                    .unwrap_or_else(|| panic!("{name}: header {k} missing"));
                assert_eq!(
                    got.to_str().unwrap(),
                    v.as_str().unwrap(),
                    "{name}: header {k}"
                );
            }
            let expected_body = req["body"].clone();
            if meta.is_multipart() {
                let content_type = http.headers()["content-type"].to_str().unwrap();
                assert!(
                    content_type.starts_with("multipart/form-data; boundary="),
                    "{name}: content type {content_type}"
                );
            } else if expected_body.is_null() {
                assert!(http.body().is_empty(), "{name}: no body expected");
                assert!(
                    http.headers().get("content-type").is_none(),
                    "{name}: no content type without a body"
                );
            } else {
                let got: Value = serde_json::from_slice(http.body()).unwrap();
                assert_eq!(got, expected_body, "{name}: body");
                assert_eq!(
                    http.headers()["content-type"],
                    "application/json",
                    "{name}: content type"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} examples checked");
}

#[test]
fn every_example_answer_decodes() {
    for (file, spec) in spec_files() {
        let meta = hwmeeting_api::find_by_id(spec["id"].as_str().unwrap()).unwrap();
        for example in spec["examples"].as_array().unwrap() {
            let resp = &example["response"];
            let status = resp["status"].as_u64().unwrap() as u16;
            let mut headers = http::HeaderMap::new();
            for (k, v) in resp["headers"].as_object().cloned().unwrap_or_default() {
                headers.insert(
                    http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                    v.as_str().unwrap().parse().unwrap(),
                );
            }
            let body = if resp["body"].is_null() {
                Vec::new()
            } else {
                serde_json::to_vec(&resp["body"]).unwrap()
            };
            let op = DynamicOperation::new(meta);
            let out = op.decode(status, &headers, &body);
            if (200..300).contains(&status) {
                let out = out.unwrap_or_else(|e| panic!("{file} {}: {e}", example["name"]));
                if !resp["body"].is_null() {
                    assert_eq!(out, resp["body"], "{file}");
                }
            } else {
                assert!(
                    out.is_err(),
                    "{file}: an error status must decode as an error"
                );
            }
        }
    }
}
