//! Property tests of request building and answer decoding: any input
//! gives a value or an error, never a panic; what is built parses back to
//! the parameters it was built from (the query pairs, the headers and the
//! JSON body of the `http::Request`); and the same over `DynamicOperation`
//! for every operation of the spec, with arbitrary JSON for every
//! parameter.

use hwmeeting_api::model::{
    ApplyChair, CreateConfTokenRequest, HangUpRequest, LoginType, SetRoleRequest,
};
use hwmeeting_api::operations;
use hwmeeting_core::meta::{Field, Location, OperationMeta, Type};
use hwmeeting_core::wire::WireRequest;
use hwmeeting_core::{Credential, DynamicOperation, Endpoint, Error, Operation, Secret};
use hwmeeting_tests::{typed_decode, valid_value, with_credential};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Map, Value};

/// Cases per property (`PROPTEST_CASES` overrides it).
const CASES: u32 = 256;

fn endpoint() -> Endpoint {
    Endpoint::parse("https://api.example.com:8443/base", false).unwrap()
}

/// The query of a built request, percent-decoded, in order.
fn query_pairs(request: &http::Request<Vec<u8>>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(request.uri().query().unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

/// A header of a built request, as bytes.
fn header<'a>(request: &'a http::Request<Vec<u8>>, name: &str) -> Option<&'a [u8]> {
    request.headers().get(name).map(|v| v.as_bytes())
}

/// The JSON body of a built request (`{}` when there is none).
fn body(request: &http::Request<Vec<u8>>) -> Value {
    if request.body().is_empty() {
        Value::Object(Map::new())
    } else {
        serde_json::from_slice(request.body()).expect("the body is JSON")
    }
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Whether a string can go in a header parameter, by the spec's rules
/// (no control character but tab).
fn header_safe(s: &str) -> bool {
    s.chars().all(|c| !c.is_control() || c == '\t')
}

/// Whether a credential can go in its header: HTTP's rule (no byte below
/// 32 but tab, no DEL); other text travels as its UTF-8 bytes.
fn credential_safe(s: &str) -> bool {
    s.bytes().all(|b| (b >= 32 && b != 127) || b == b'\t')
}

/// Any text, often short, with control and non-ASCII characters and the
/// characters a URL gives meaning to.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-Z0-9 &=#%+?/\\\\:;@é中🙂\"'<>\\[\\]{}\t\r\n\u{0}\u{7f}\u{85}-]{0,12}",
        1 => any::<String>(),
        1 => "[a-z0-9]{1,200}",
    ]
}

fn config() -> Config {
    Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(CASES),
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// `set_role`: built exactly when the spec allows the input, and the
    /// request carries the input unchanged.
    #[test]
    fn set_role_builds_and_parses_back(
        conference in text(),
        participant in text(),
        code in prop_oneof![Just(0i64), Just(1), any::<i64>()],
        password in proptest::option::of(text()),
        token in text(),
    ) {
        let mut request = SetRoleRequest::new(participant.clone(), ApplyChair::from_code(code))
            .conference_id(conference.clone());
        if let Some(p) = &password {
            request = request.chairman_pwd(p.as_str());
        }
        let secret = Secret::new(token.clone());
        let built = request.to_http(&endpoint(), Credential::ConferenceToken(&secret));
        let allowed = (1..=64).contains(&chars(&conference))
            && (1..=128).contains(&chars(&participant))
            && password.as_ref().map_or(code != 1, |p| (1..=32).contains(&chars(p)))
            && credential_safe(&token);
        match built {
            Ok(http) => {
                prop_assert!(allowed, "built although the spec forbids it");
                prop_assert_eq!(http.method(), "PUT");
                prop_assert_eq!(
                    http.uri().path(),
                    "/base/v1/mmc/control/conferences/participants/role"
                );
                prop_assert_eq!(
                    query_pairs(&http),
                    vec![
                        ("conferenceID".to_owned(), conference.clone()),
                        ("participantID".to_owned(), participant.clone()),
                    ]
                );
                prop_assert_eq!(header(&http, "x-conference-authorization"), Some(token.as_bytes()));
                prop_assert!(http.headers()["x-conference-authorization"].is_sensitive());
                let mut expected = serde_json::json!({"applyChair": code});
                if let Some(p) = &password {
                    expected["chairmanPwd"] = Value::from(p.clone());
                }
                prop_assert_eq!(body(&http), expected);
            }
            Err(Error::Build { operation, source }) => {
                prop_assert_eq!(operation, "set_role");
                prop_assert!(!allowed, "refused although the spec allows it: {}", source);
            }
            Err(other) => prop_assert!(false, "not a Build error: {:?}", other),
        }
    }

    /// `hang_up`: a list of IDs, any count.
    #[test]
    fn hang_up_builds_and_parses_back(
        conference in "[0-9]{1,10}",
        ids in proptest::collection::vec(text(), 0..6),
    ) {
        let request = HangUpRequest::new(ids.clone()).conference_id(conference.clone());
        let secret = Secret::new("t");
        let built = request.to_http(&endpoint(), Credential::ConferenceToken(&secret));
        let allowed = !ids.is_empty() && ids.iter().all(|i| (1..=128).contains(&chars(i)));
        match built {
            Ok(http) => {
                prop_assert!(allowed);
                prop_assert_eq!(query_pairs(&http), vec![("conferenceID".to_owned(), conference)]);
                prop_assert_eq!(body(&http), serde_json::json!({"bulkHangUpParticipants": ids}));
            }
            Err(Error::Build { source, .. }) => {
                prop_assert!(!allowed);
                prop_assert!(source.parameter().is_some_and(|p| p.starts_with("bulkHangUpParticipants")));
            }
            Err(other) => prop_assert!(false, "{:?}", other),
        }
    }

    /// `create_conf_token`: everything travels in headers.
    #[test]
    fn create_conf_token_builds_and_parses_back(
        conference in text(),
        password in text(),
        nonce in proptest::option::of(text()),
        live in proptest::option::of(text()),
        login_type in proptest::option::of(prop_oneof![Just(1i64), any::<i64>()]),
    ) {
        let mut request = CreateConfTokenRequest::new(password.as_str()).conference_id(conference.clone());
        if let Some(n) = &nonce {
            request = request.nonce(n.as_str());
        }
        if let Some(l) = &live {
            request = request.conference_authorization(l.as_str());
        }
        if let Some(code) = login_type {
            request = request.login_type(LoginType::from_code(code));
        }
        let built = request.to_http(&endpoint(), Credential::None);
        let allowed = (1..=64).contains(&chars(&conference))
            && (1..=32).contains(&chars(&password))
            && header_safe(&password)
            && nonce.as_ref().is_none_or(|n| !n.is_empty() && header_safe(n))
            && live.as_ref().is_none_or(|l| !l.is_empty() && header_safe(l));
        match built {
            Ok(http) => {
                prop_assert!(allowed);
                prop_assert_eq!(query_pairs(&http), vec![("conferenceID".to_owned(), conference)]);
                prop_assert_eq!(header(&http, "x-password"), Some(password.as_bytes()));
                prop_assert!(http.headers()["x-password"].is_sensitive());
                let login = login_type.unwrap_or(1).to_string();
                prop_assert_eq!(header(&http, "x-login-type"), Some(login.as_bytes()));
                prop_assert_eq!(header(&http, "x-nonce"), nonce.as_deref().map(str::as_bytes));
                prop_assert_eq!(
                    header(&http, "x-conference-authorization"),
                    live.as_deref().map(str::as_bytes)
                );
                prop_assert!(http.body().is_empty());
            }
            Err(Error::Build { .. }) => prop_assert!(!allowed),
            Err(other) => prop_assert!(false, "{:?}", other),
        }
    }

    /// Any bytes with any status, for every operation: a value or a typed
    /// error, never a panic; an error status is an `Api` error with it.
    #[test]
    fn any_answer_decodes_or_fails_cleanly(
        op in 0..operations().len(),
        status in prop_oneof![200u16..300, 100u16..1000],
        body in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..300),
            json_value().prop_map(|v| v.to_string().into_bytes()),
        ],
    ) {
        let meta = operations()[op];
        let result = typed_decode(meta.id, status, &http::HeaderMap::new(), &body).unwrap();
        match (&result, (200..300).contains(&status)) {
            (Ok(_), true) | (Err(Error::Decode { .. }), true) => {}
            (Err(Error::Api { source, .. }), false) => prop_assert_eq!(source.status, status),
            _ => prop_assert!(false, "{} {}: {:?}", meta.id, status, result),
        }
        if let Err(err) = &result {
            prop_assert_eq!(err.operation(), Some(meta.id));
            let _ = format!("{err} {err:?}");
        }
    }

    /// Every operation of the spec, with arbitrary JSON (or a valid value,
    /// or nothing) for every parameter: built or refused with a Build
    /// error, never a panic; when built, the query, the headers and the
    /// body are exactly the parameters given (and the spec's defaults).
    #[test]
    fn every_dynamic_operation_builds_and_parses_back(
        (meta, values) in any_operation(),
    ) {
        let mut op = DynamicOperation::new(meta);
        for (param, value) in meta.params.iter().zip(&values) {
            if let Some(v) = value {
                op.set_in(param.location, param.name, v.clone()).unwrap();
            }
        }
        let secret = Secret::new("credential");
        let built = with_credential(meta, &secret, |c| op.to_http(&endpoint(), c));
        let http = match built {
            Ok(http) => http,
            Err(Error::Build { operation, source }) => {
                prop_assert_eq!(operation, meta.id);
                let _ = source.to_string();
                return Ok(());
            }
            Err(other) => {
                prop_assert!(false, "{}: not a Build error: {:?}", meta.id, other);
                unreachable!()
            }
        };
        let mut wire = op.wire().clone();
        wire.apply_defaults(meta);
        check_parses_back(meta, &wire, &http)?;
    }

    /// The redaction of raw answers never panics, and hides what it must.
    #[test]
    fn redacting_raw_answers_never_panics(
        before in text(),
        token in "[a-zA-Z0-9]{8,20}",
        after in text(),
        cut in 0usize..60,
    ) {
        let meta = hwmeeting_api::find_by_id("create_conf_token").unwrap();
        let whole = format!("{before}{{\"data\": {{\"token\": \"{token}\"}}}}{after}");
        let shown = hwmeeting_core::redact::redact_response_text(meta, &whole);
        prop_assert!(!shown.contains(&format!("\"{token}\"")), "{}", shown);
        let cut_at = whole.char_indices().map(|(i, _)| i).nth(cut).unwrap_or(whole.len());
        let _ = hwmeeting_core::redact::redact_response_text(meta, &whole[..cut_at]);
        let _ = hwmeeting_core::redact::redact_json_strings(&before, &["token", ""]);
    }
}

/// Checks that `http` carries exactly the parameters of `wire`.
fn check_parses_back(
    meta: &OperationMeta,
    wire: &WireRequest,
    http: &http::Request<Vec<u8>>,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(http.method().as_str(), meta.method);
    // The path, segment by segment.
    let path = http.uri().path().strip_prefix("/base").unwrap_or_default();
    let got: Vec<String> = path.split('/').map(percent_decode).collect();
    let want: Vec<String> = meta
        .path
        .split('/')
        .map(
            |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => scalar(&wire.path[name]),
                None => s.to_owned(),
            },
        )
        .collect();
    prop_assert_eq!(got, want);
    // The query: every parameter in spec order, lists repeated.
    let mut want = Vec::new();
    for p in meta.params_in(Location::Query) {
        match wire.query.get(p.name) {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                want.extend(items.iter().map(|v| (p.name.to_owned(), scalar(v))))
            }
            Some(v) => want.push((p.name.to_owned(), scalar(v))),
        }
    }
    prop_assert_eq!(query_pairs(http), want);
    // The headers: every parameter, byte for byte.
    for p in meta.params_in(Location::Header) {
        let want = wire
            .headers
            .get(p.name)
            .filter(|v| !v.is_null())
            .map(scalar);
        prop_assert_eq!(
            header(http, p.name),
            want.as_deref().map(str::as_bytes),
            "header {}",
            p.name
        );
    }
    // The body: exactly the body parameters given.
    if meta.is_multipart() {
        // Each file part, byte for byte, under the boundary announced.
        let content_type =
            String::from_utf8_lossy(header(http, "content-type").unwrap_or_default());
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap_or_default();
        prop_assert!(!boundary.is_empty(), "{}", content_type);
        let sent = http.body();
        let (first, last) = (
            format!("--{boundary}\r\n"),
            format!("\r\n--{boundary}--\r\n"),
        );
        prop_assert!(sent.starts_with(first.as_bytes()), "{}", content_type);
        prop_assert!(sent.ends_with(last.as_bytes()), "{}", content_type);
        for (name, part) in &wire.files {
            let head = format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
                part.file_name(),
                part.content_type()
            );
            let at = sent
                .windows(head.len())
                .position(|w| w == head.as_bytes())
                .ok_or_else(|| TestCaseError::fail(format!("no part `{name}`")))?;
            let hwmeeting_core::upload::FileSource::Bytes(bytes) = part.source() else {
                return Err(TestCaseError::fail("a file on disk has no in-memory body"));
            };
            prop_assert_eq!(
                &sent[at + head.len()..at + head.len() + bytes.len()],
                &bytes[..]
            );
        }
    } else if let Some(whole) = meta.whole_body() {
        // The one parameter is the body.
        match wire.body.get(whole.name).filter(|v| !v.is_null()) {
            Some(value) => prop_assert_eq!(&body(http), value),
            None => prop_assert!(http.body().is_empty()),
        }
        prop_assert_eq!(header(http, "content-type"), Some(&b"application/json"[..]));
    } else if meta.has_body() {
        let want: Map<String, Value> = wire
            .body
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        prop_assert_eq!(body(http), Value::Object(want));
        prop_assert_eq!(header(http, "content-type"), Some(&b"application/json"[..]));
    } else {
        prop_assert!(http.body().is_empty());
    }
    Ok(())
}

fn scalar(v: &Value) -> String {
    WireRequest::scalar_text(v, "x").expect("a scalar")
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Any JSON value: scalars of every kind (numbers exact in binary), lists
/// and objects two levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<i32>().prop_map(|n| Value::from(f64::from(n) / 4.0)),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(2, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-zA-Z]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A value for one parameter: mostly valid ones (so requests get built),
/// some arbitrary JSON, some absent.
fn param_value(field: &'static Field) -> BoxedStrategy<Option<Value>> {
    let valid = valid_value(field);
    let near: BoxedStrategy<Value> = match field.ty {
        Type::String if field.enumeration.is_none() => {
            let max = field.constraints.max_length.unwrap_or(20).min(20) as usize;
            let min = field.constraints.min_length.unwrap_or(1).max(1) as usize;
            if min <= max {
                proptest::string::string_regex(&format!("[a-zA-Z0-9 &=#%+é🙂-]{{{min},{max}}}"))
                    .unwrap()
                    .prop_map(Value::from)
                    .boxed()
            } else {
                Just(valid.clone()).boxed()
            }
        }
        Type::Integer if field.enumeration.is_none() => {
            let c = field.constraints;
            let lo = c.minimum.unwrap_or(-1000.0) as i64;
            let hi = c.maximum.unwrap_or(1000.0) as i64;
            (lo..=hi.max(lo)).prop_map(Value::from).boxed()
        }
        Type::Array(item) => proptest::collection::vec(param_value_item(item), 0..4)
            .prop_map(Value::Array)
            .boxed(),
        _ => Just(valid.clone()).boxed(),
    };
    prop_oneof![
        4 => Just(Some(valid)),
        3 => near.prop_map(Some),
        2 => json_value().prop_map(Some),
        1 => Just(None),
    ]
    .boxed()
}

fn param_value_item(item: &'static Field) -> BoxedStrategy<Value> {
    let valid = valid_value(item);
    prop_oneof![3 => Just(valid), 1 => json_value()].boxed()
}

/// An operation of the spec and a value (or none) for each of its
/// parameters.
fn any_operation() -> impl Strategy<Value = (&'static OperationMeta, Vec<Option<Value>>)> {
    proptest::sample::select(operations().to_vec()).prop_flat_map(|meta| {
        let values: Vec<BoxedStrategy<Option<Value>>> =
            meta.params.iter().map(param_value).collect();
        (Just(meta), values)
    })
}

#[test]
fn the_properties_reach_every_operation_and_build_most() {
    // The strategy of the dynamic property builds a request for every
    // operation with valid values: the property checks more than errors.
    let secret = Secret::new("credential");
    for meta in operations() {
        let op = hwmeeting_tests::valid_request(meta);
        let http = with_credential(meta, &secret, |c| op.to_http(&endpoint(), c))
            .unwrap_or_else(|e| panic!("{}: valid values are refused: {e}", meta.id));
        let mut wire = op.wire().clone();
        wire.apply_defaults(meta);
        check_parses_back(meta, &wire, &http).unwrap();
    }
}
