//! Route matching and session roles over the generated operation table.

use hwmeeting_api::{find_by_id, find_by_route, operations};
use hwmeeting_core::meta::*;

/// An operation with this method and path and no parameters.
const fn op(method: &'static str, path: &'static str) -> OperationMeta {
    OperationMeta {
        id: "test_op",
        group: "meeting_control",
        method,
        path,
        summary: "",
        description: "",
        auth: Auth::None,
        idempotent: true,
        role: SessionRole::None,
        params: &[],
        response: None,
        response_is_list: false,
        pagination: None,
    }
}

static ROOM: OperationMeta = op("PUT", "/v1/rooms/{room}/seats/{seat}/mute");
const MUTE: &str = "/v1/mmc/control/conferences/mute";

fn params(op: &OperationMeta, path: &str) -> Option<Vec<(&'static str, String)>> {
    path_params(op, path)
}

#[test]
fn session_roles_come_from_the_spec() {
    let role = |id: &str| find_by_id(id).unwrap().role;
    assert_eq!(role("app_auth"), SessionRole::Login);
    assert_eq!(role("account_auth"), SessionRole::Login);
    assert_eq!(role("delete_token"), SessionRole::Logout);
    assert_eq!(role("update_token"), SessionRole::ExtendsAccessToken);
    assert_eq!(role("create_conf_token"), SessionRole::ControlToken);
    let others = operations()
        .iter()
        .filter(|op| op.role != SessionRole::None)
        .count();
    assert_eq!(others, 5, "only those five play a part in a session");
}

#[test]
fn a_literal_path_matches_its_operation() {
    let found = find_by_route("PUT", MUTE).map(|op| op.id);
    assert_eq!(found, Some("mute_meeting"));
    let mute = find_by_id("mute_meeting").unwrap();
    assert!(path_matches(mute, MUTE));
    assert_eq!(path_params(mute, MUTE), Some(Vec::new()));
    // Literal segments compare exactly: no decoding, no case folding.
    assert!(!path_matches(mute, "/v1/mmc/control/conferences/MUTE"));
    assert!(!path_matches(mute, "/v1/mmc/control/conferences/m%75te"));
    // The method is matched without regard to case.
    assert_eq!(
        find_by_route("put", MUTE).map(|op| op.id),
        Some("mute_meeting")
    );
}

#[test]
fn a_param_segment_matches_any_segment_and_is_percent_decoded() {
    let path = "/v1/rooms/r%201/seats/%E4%BC%9A/mute";
    assert!(path_matches(&ROOM, path));
    assert_eq!(
        params(&ROOM, path),
        Some(vec![("room", "r 1".to_owned()), ("seat", "会".to_owned())])
    );
    assert_eq!(
        params(&ROOM, "/v1/rooms/a+b/seats/%7Bseat%7D/mute"),
        Some(vec![
            ("room", "a+b".to_owned()),
            ("seat", "{seat}".to_owned())
        ])
    );
    // A segment that does not decode to UTF-8 is not a value.
    for bad in [
        "%FF",
        "%C0%AF",
        "%E4%BC",
        "%ED%A0%80",
        "%F4%90%80%80",
        "a%80",
    ] {
        let path = format!("/v1/rooms/{bad}/seats/1/mute");
        assert!(!path_matches(&ROOM, &path), "{path}");
        assert_eq!(params(&ROOM, &path), None, "{path}");
    }
    // A stray `%` is kept as it is, as the decoder does.
    assert_eq!(
        params(&ROOM, "/v1/rooms/100%/seats/%zz/mute"),
        Some(vec![
            ("room", "100%".to_owned()),
            ("seat", "%zz".to_owned())
        ])
    );
}

#[test]
fn trailing_slashes_do_not_count() {
    assert_eq!(
        find_by_route("PUT", &format!("{MUTE}/")).map(|op| op.id),
        Some("mute_meeting")
    );
    assert_eq!(
        find_by_route("PUT", &format!("{MUTE}///")).map(|op| op.id),
        Some("mute_meeting")
    );
    assert_eq!(
        params(&ROOM, "/v1/rooms/7/seats/8/mute/"),
        Some(vec![("room", "7".to_owned()), ("seat", "8".to_owned())])
    );
    static SLASHED: OperationMeta = op("GET", "/v1/things/");
    assert!(path_matches(&SLASHED, "/v1/things"));
    assert!(path_matches(&SLASHED, "/v1/things/"));
    // An inner empty segment is a segment.
    assert!(find_by_route("PUT", "/v1/mmc/control//conferences/mute").is_none());
}

#[test]
fn a_wrong_method_matches_nothing() {
    assert!(find_by_route("POST", MUTE).is_none());
    assert!(find_by_route("PATCH", "/v1/mmc/control/conferences/layOut").is_none());
    // One path, several methods.
    let layout = "/v1/mmc/control/conferences/layOut";
    assert_eq!(
        find_by_route("GET", layout).map(|op| op.id),
        Some("show_layout")
    );
    assert_eq!(
        find_by_route("PUT", layout).map(|op| op.id),
        Some("save_layout")
    );
    assert_eq!(
        find_by_route("DELETE", layout).map(|op| op.id),
        Some("delete_layout")
    );
}

#[test]
fn an_empty_segment_is_not_a_param() {
    assert!(!path_matches(&ROOM, "/v1/rooms//seats/1/mute"));
    assert!(!path_matches(&ROOM, "/v1/rooms/1/seats//mute"));
    assert_eq!(params(&ROOM, "/v1/rooms//seats/1/mute"), None);
    // Trailing slashes go before the segments are counted, so a last
    // param segment cannot be empty either.
    static LAST: OperationMeta = op("GET", "/v1/rooms/{room}");
    assert!(!path_matches(&LAST, "/v1/rooms/"));
    assert!(path_matches(&LAST, "/v1/rooms/r"));
}

#[test]
fn no_operation_is_served_at_an_unknown_path() {
    assert!(find_by_route("GET", "/").is_none());
    assert!(find_by_route("GET", "").is_none());
    assert!(find_by_route("PUT", "/v1/mmc/control/conferences").is_none());
    assert!(find_by_route("PUT", &format!("{MUTE}/more")).is_none());
    assert!(find_by_route("PUT", "v1/mmc/control/conferences/mute").is_none());
    assert!(!path_matches(&ROOM, "/v1/rooms/1/seats/2"));
    assert!(!path_matches(&ROOM, "/v1/rooms/1/seats/2/mute/now"));
    assert!(!path_matches(&ROOM, "/v2/rooms/1/seats/2/mute"));
    assert_eq!(params(&ROOM, "/v1/rooms/1/seats/2"), None);
}

/// The matcher before it stopped allocating, kept to compare against.
fn reference(op: &OperationMeta, path: &str) -> Option<Vec<(&'static str, String)>> {
    let template: &'static str = op.path;
    let mut t = template.trim_end_matches('/').split('/');
    let mut p = path.trim_end_matches('/').split('/');
    let mut values = Vec::new();
    loop {
        match (t.next(), p.next()) {
            (None, None) => return Some(values),
            (Some(ts), Some(ps)) => match ts.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
                Some(name) if !ps.is_empty() => {
                    let value = percent_encoding::percent_decode_str(ps)
                        .decode_utf8()
                        .ok()?;
                    values.push((name, value.into_owned()));
                }
                _ if ts == ps => {}
                _ => return None,
            },
            _ => return None,
        }
    }
}

proptest::proptest! {
    #[test]
    fn the_matcher_agrees_with_the_allocating_one(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "/", "v1", "rooms", "seats", "mute", "%", "%E4", "%BC", "%9A", "%FF",
                "%C3", "%A9", "%20", "x", "{room}", "",
            ]),
            0..12,
        )
    ) {
        let path: String = parts.concat();
        for op in [&ROOM, find_by_id("mute_meeting").unwrap()] {
            let expected = reference(op, &path);
            proptest::prop_assert_eq!(path_matches(op, &path), expected.is_some());
            proptest::prop_assert_eq!(path_params(op, &path), expected);
        }
    }
}
