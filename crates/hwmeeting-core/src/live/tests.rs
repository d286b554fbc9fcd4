//! The documented examples (events.md 2.3, 2.4), their spelling variants,
//! the fold's numbering rules, and hostile input.

use proptest::prelude::*;

use super::push::{EntryMode, MeetingState, MsgMode, Push, parse};
use super::view::{Fold, Folded, Role};
use super::{LiveError, Topic};

const BASIC: &str = r#"{"displayID":"900487914","title":"张三的会议","startTime":"1611988484164","guestJoinUri":"https://100.95.188.184:443/#/j/900487914/29a3","pwds":[{"role":"chair","pwd":"112233"},{"role":"general","pwd":"445566"}],"recType":1,"media":2,"owner":"张三","orgID":"44252","confID":"900487914","msgID":"239fbd1662d111eb980abbd127030a68","msgMode":0,"version":1611993595029,"createTime":1611993595029,"action":"ConfBasicInfoNotify"}"#;

const DYNAMIC: &str = r#"{"state":"Created","endTime":"1611994784164","mode":"FREE","vas":1,"picNum":16,"lock":0,"mute":1,"lockSharing":0,"canUnmute":1,"chairView":0,"recState":0,"confID":"900487914","msgID":"23a1dff762d111eb980a9172a5e3d682","msgMode":0,"version":1611993595043,"createTime":1611993595043,"action":"ConfDynamicInfoNotify"}"#;

const PARTICIPANTS: &str = r#"{"data":[{"pid":"uzr571a9brwu11cvcibvru5a7r7rryiy","mode":0,"pinfoMap":{"CAMERASTATE":"1","MUTE":"1","TEL":"+86571299676493248","STATE":"0","SHARE":"0","ADDTIME":"1611988486336","NAME":"张三","CLIENT_LOGIN_TYPE":"Desktop","HAND":"0","ROLE":"1","IS_COHOST":"0"}}],"confID":"900487914","msgID":"23a429e862d111eb980a11b5be5aab3c","msgMode":0,"version":1611993595058,"createTime":1611993595058,"action":"ParticipantsNotify"}"#;

fn delta(version: i64, body: &str) -> String {
    format!(
        r#"{{"data":[{body}],"confID":"900487914","msgID":"x","msgMode":1,"version":{version},"createTime":1611993596126,"action":"ParticipantsNotify"}}"#
    )
}

fn fold_all(fold: &mut Fold, frames: &[&str]) -> Vec<Folded> {
    frames
        .iter()
        .map(|f| fold.apply(&parse(f.as_bytes()).unwrap()))
        .collect()
}

#[test]
fn the_documented_snapshots_fold_into_the_view() {
    let mut fold = Fold::new();
    let got = fold_all(&mut fold, &[BASIC, DYNAMIC, PARTICIPANTS]);
    assert_eq!(got, vec![Folded::Snapshot; 3]);
    let view = fold.view();
    assert_eq!(view.conference_id(), Some("900487914"));
    let basic = view.basic().unwrap();
    assert_eq!(basic.title(), Some("张三的会议"));
    assert_eq!(basic.start_time(), Some(1_611_988_484_164));
    assert_eq!(basic.passwords.len(), 2);
    assert_eq!(basic.passwords[0].pwd.expose(), "112233");
    // The plain-text passwords never show.
    assert!(!format!("{view:?}").contains("112233"));
    let mut frame: serde_json::Value = serde_json::from_str(BASIC).unwrap();
    super::push::redact(&mut frame);
    assert_eq!(
        frame["pwds"][1],
        serde_json::json!({"role": "general", "pwd": "******"})
    );
    assert!(!frame.to_string().contains("445566"));
    assert_eq!(view.dynamic().state(), Some(MeetingState::Running));
    assert_eq!(view.dynamic().end_time(), Some(1_611_994_784_164));
    assert!(!view.locked() && !view.recording() && !view.ended());
    let p = &view.participants()["uzr571a9brwu11cvcibvru5a7r7rryiy"];
    assert_eq!(p.name(), Some("张三"));
    assert_eq!(p.role(), Some(Role::Host));
    assert!(p.muted() && !p.hand_raised() && !p.being_called());
    assert_eq!(p.joined_at(), Some(1_611_988_486_336));
    assert_eq!(p.login_type(), Some("Desktop"));
    assert_eq!(view.host().map(|h| h.pid.as_str()), Some(p.pid.as_str()));
}

#[test]
fn increments_merge_by_pid_and_key_and_the_end_is_seen() {
    let mut fold = Fold::new();
    let join = delta(
        1,
        r#"{"pid":"p2","mode":0,"pinfoMap":{"NAME":"Bob","ROLE":"0","MUTE":"0"}}"#,
    );
    let mute = delta(2, r#"{"pid":"p2","mode":0,"pinfoMap":{"MUTE":"1"}}"#);
    let host = delta(
        3,
        r#"{"pid":"p2","mode":0,"pinfoMap":{"ROLE":"1"}},{"pid":"uzr571a9brwu11cvcibvru5a7r7rryiy","mode":0,"pinfoMap":{"ROLE":"0"}}"#,
    );
    let leave = delta(4, r#"{"pid":"uzr571a9brwu11cvcibvru5a7r7rryiy","mode":1}"#);
    let lock = r#"{"lock":1,"recState":"1","confID":"900487914","msgMode":1,"version":1,"action":"ConfDynamicInfoNotify"}"#;
    let end = r#"{"state":"Destroyed","confID":"900487914","msgMode":1,"version":2,"action":"ConfDynamicInfoNotify"}"#;
    let got = fold_all(
        &mut fold,
        &[DYNAMIC, PARTICIPANTS, &join, &mute, &host, &leave, lock],
    );
    assert_eq!(got[2..], [Folded::Applied; 5]);
    let view = fold.view();
    assert_eq!(view.participants().len(), 1);
    let bob = &view.participants()["p2"];
    assert_eq!(
        (bob.name(), bob.muted(), bob.is_host()),
        (Some("Bob"), true, true)
    );
    assert!(view.locked() && view.recording());
    // The partial update kept the snapshot's other fields.
    assert_eq!(view.dynamic().mode(), Some("FREE"));
    assert_eq!(fold_all(&mut fold, &[end]), vec![Folded::Ended]);
    assert!(fold.view().ended());
}

#[test]
fn repeats_are_ignored_and_gaps_ask_for_a_resync() {
    let mut fold = Fold::new();
    let d = |v, name: &str| {
        delta(
            v,
            &format!(r#"{{"pid":"p{v}","mode":0,"pinfoMap":{{"NAME":"{name}"}}}}"#),
        )
    };
    let got = fold_all(
        &mut fold,
        &[
            PARTICIPANTS,
            &d(5, "a"),
            &d(6, "b"),
            &d(6, "b again"),
            &d(8, "c"),
        ],
    );
    assert_eq!(
        got[1..],
        [
            Folded::Applied,
            Folded::Applied,
            Folded::Repeat,
            Folded::ResyncNeeded {
                topic: Topic::Participants,
                expected: 7,
                received: 8
            }
        ]
    );
    assert!(fold.needs_resync());
    assert_eq!(fold.view().participants()["p6"].name(), Some("b"));
    assert!(!fold.view().participants().contains_key("p8"));
    // Later increments of the stale topic wait for the snapshot.
    assert_eq!(fold_all(&mut fold, &[&d(9, "d")]), vec![Folded::Stale]);
    // A step back is a resync too (after a fresh subscription).
    fold.resubscribed();
    assert!(!fold.needs_resync());
    let got = fold_all(&mut fold, &[PARTICIPANTS, &d(3, "x"), &d(2, "y")]);
    assert_eq!(
        got,
        vec![
            Folded::Snapshot,
            Folded::Applied,
            Folded::ResyncNeeded {
                topic: Topic::Participants,
                expected: 4,
                received: 2
            }
        ]
    );
    // The snapshot replaces the topic and clears the flag.
    assert_eq!(fold_all(&mut fold, &[PARTICIPANTS]), vec![Folded::Snapshot]);
    assert!(!fold.needs_resync());
    assert_eq!(fold.view().participants().len(), 1);
}

#[test]
fn replies_and_spelling_variants_are_read() {
    let reply = parse(
        br#"{"action":"Subscribe","sequence":"000000000000000001611747313677","data":{"returnCode":0,"returnDesc ":"SUCCESS"}}"#,
    )
    .unwrap();
    assert_eq!(
        reply,
        Push::SubscribeReply {
            sequence: Some("000000000000000001611747313677".into()),
            return_code: 0,
            return_desc: Some("SUCCESS".into())
        }
    );
    let echo =
        parse(br#"{"sequence":"000000000000000001611993655770","action":"HeartBeat"}"#).unwrap();
    assert_eq!(
        echo,
        Push::HeartBeat {
            sequence: Some("000000000000000001611993655770".into())
        }
    );
    // resultCode (example) and errorCode (table).
    for key in ["resultCode", "errorCode"] {
        let frame = format!(
            r#"{{"data":[{{"callNumber":"+86571299676493248","{key}":"0"}}],"confID":"900487914","msgMode":0,"version":1,"action":"InviteResultNotify"}}"#
        );
        let Push::InviteResult { results, .. } = parse(frame.as_bytes()).unwrap() else {
            panic!("not an invite result")
        };
        assert_eq!(results[0].code.as_deref(), Some("0"));
    }
    // interpreterGroups + groupID (example) and data + groupId (table).
    for (list, id) in [("interpreterGroups", "groupID"), ("data", "groupId")] {
        let frame = format!(
            r#"{{"{list}":[{{"{id}":"g1","firstLanguage":"en","secondLanguage":"zh","interpreters":[{{"userID":"u1","name":"mmrcorp28"}}]}}],"confID":"969997441","msgMode":0,"version":1702438732271,"action":"InterpreterGroupNotify"}}"#
        );
        let Push::InterpreterGroup { groups, .. } = parse(frame.as_bytes()).unwrap() else {
            panic!("not interpreter groups")
        };
        assert_eq!(groups[0].group_id.as_deref(), Some("g1"));
        assert_eq!(groups[0].interpreters[0].name.as_deref(), Some("mmrcorp28"));
    }
    // Captions: string version/createTime and keys with trailing spaces.
    let captions = r#"{"action":"RealTimeSubtitleNotify","version":"1614936396556","createTime":"1614936396556","msgID":"e2","msgMode":0,"confID":"981112355","data":{"msgs ":[{"subtitleLang":"Mandarin","translateText":"实时字幕。 ","id ":"c0196fb9"}],"isFinal ":false,"timestamp ":1614936396553,"beginTime":1528680,"endTime":1530900,"participantID":"984r8z9f"}}"#;
    let Push::RealTimeSubtitle { header, subtitle } = parse(captions.as_bytes()).unwrap() else {
        panic!("not captions")
    };
    assert_eq!(header.version, Some(1_614_936_396_556));
    assert_eq!(subtitle.msgs[0].id.as_deref(), Some("c0196fb9"));
    assert_eq!(subtitle.is_final, Some(false));
    assert_eq!(subtitle.timestamp, Some(1_614_936_396_553));
    // orgID (example) for orgId (table); CLICENT_LOGIN_TYPE (table).
    let attendees = r#"{"data":[{"mode":0,"orgID":"44252","userUUID":"u1","name":"张三","role":1}],"confID":"1","msgMode":0,"version":1,"action":"AttendeesNotify"}"#;
    let Push::Attendees { entries, .. } = parse(attendees.as_bytes()).unwrap() else {
        panic!("not attendees")
    };
    assert_eq!(entries[0].org_id.as_deref(), Some("44252"));
    let waiting = r#"{"data":[{"pid":"w1","mode":0,"delType":0,"pinfoMap":{"NAME":"yangtest05","CLICENT_LOGIN_TYPE":"Mobile","ADDTIME":1668754928397}}],"confID":"995261590","msgMode":1,"version":1,"action":"WaitingListNotify"}"#;
    let mut fold = Fold::new();
    assert_eq!(
        fold.apply(&parse(waiting.as_bytes()).unwrap()),
        Folded::Applied
    );
    let w = &fold.view().waiting()["w1"];
    assert_eq!(w.login_type(), Some("Mobile"));
    assert_eq!(w.joined_at(), Some(1_668_754_928_397));
    // No data: nobody speaks.
    let silence = r#"{"confID":"1","msgMode":0,"version":1,"action":"SpeakerChangeNotify"}"#;
    assert_eq!(
        parse(silence.as_bytes()).unwrap(),
        Push::SpeakerChange {
            header: super::Header {
                version: Some(1),
                conf_id: Some("1".into()),
                ..Default::default()
            },
            speakers: vec![]
        }
    );
    // NetCondition: the only published increment with a small version.
    let net = r#"{"data":[{"mode":0,"participantID":"uzr5","netInfo":"good","delay":"37","jitter":"0","bandwidth":61440}],"confID":"900487914","msgMode":1,"version":39,"action":"NetConditionNotify"}"#;
    let Push::NetCondition { header, entries } = parse(net.as_bytes()).unwrap() else {
        panic!("not net condition")
    };
    assert_eq!(header.mode, MsgMode::Incremental);
    assert_eq!(entries[0].delay, Some(37));
    assert_eq!(entries[0].mode, EntryMode::Refresh);
}

#[test]
fn unknown_actions_are_kept_whole() {
    let frame = br#"{"action":"CustomMultiPicNotify","data":{"x":[1,2]},"version":3}"#;
    let push = parse(frame).unwrap();
    assert_eq!(push.action(), "CustomMultiPicNotify");
    let Push::Unknown { action, raw } = &push else {
        panic!("not unknown")
    };
    assert_eq!(action, "CustomMultiPicNotify");
    assert_eq!(raw["data"]["x"][1], 2);
    assert_eq!(Fold::new().apply(&push), Folded::Passed);
}

#[test]
fn malformed_frames_are_errors_that_say_why() {
    let err = |frame: &str| parse(frame.as_bytes()).unwrap_err().to_string();
    assert_eq!(
        err("[1]"),
        "malformed WebSocket frame: the frame is not a JSON object"
    );
    assert_eq!(
        err(r#"{"data":1}"#),
        "malformed WebSocket frame: the frame has no `action`"
    );
    assert!(
        err(r#"{"action":7}"#)
            .starts_with("malformed WebSocket frame: not a JSON object with a string `action`")
    );
    assert!(
        err(
            r#"{"action":"ParticipantsNotify","data":[{"pid":"p","mode":0,"pinfoMap":{"A":[1]}}]}"#
        )
        .starts_with("malformed WebSocket frame `ParticipantsNotify`: ")
    );
    assert_eq!(
        err(r#"{"action":"ParticipantsNotify","msgMode":4,"data":[]}"#),
        "malformed WebSocket frame `ParticipantsNotify`: `msgMode` 4 is neither 0 nor 1"
    );
    assert_eq!(
        err(r#"{"action":"ConfDynamicInfoNotify","version":"soon"}"#),
        "malformed WebSocket frame `ConfDynamicInfoNotify`: `version` is not an integer"
    );
    assert!(matches!(
        parse(br#"{"action":"Subscribe","data":"{}"}"#),
        Err(LiveError::Malformed { .. })
    ));
    assert!(parse(b"").is_err());
    assert!(parse(b"{\"action\":\"HeartBeat\"").is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any bytes: an answer or an error, never a panic; and the fold takes
    /// whatever parses.
    #[test]
    fn any_bytes_parse_or_fail_cleanly(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let mut fold = Fold::new();
        if let Ok(push) = parse(&bytes) {
            let _ = fold.apply(&push);
        }
    }

    /// Frames that look like pushes, with fields of random shapes.
    #[test]
    fn push_shaped_frames_never_panic(
        action in prop::sample::select(vec![
            "ParticipantsNotify", "WaitingListNotify", "ConfDynamicInfoNotify",
            "ConfBasicInfoNotify", "AttendeesNotify", "SpeakerChangeNotify",
            "InviteResultNotify", "RealTimeSubtitleNotify", "InterpreterGroupNotify",
            "NetConditionNotify", "Subscribe", "HeartBeat", "Other",
        ]),
        mode in prop::sample::select(vec!["0", "1", "\"1\"", "2", "null", "-1", "\"x\"", "1.5"]),
        version in prop::sample::select(vec!["1", "\"2\"", "null", "9223372036854775807", "-3", "[]", "1e30"]),
        data in prop::sample::select(vec![
            "null", "[]", "{}", "\"s\"", "[null]", "[{}]", "[{\"pid\":1}]",
            "[{\"pid\":\"p\",\"mode\":1}]", "[{\"pid\":\"p\",\"pinfoMap\":{\"NAME\":null,\"ROLE\":1}}]",
            "{\"msgs \":[{}],\"isFinal \":\"no\"}",
        ]),
    ) {
        let frame = format!(
            r#"{{"action":"{action}","msgMode":{mode},"version":{version},"data":{data},"state":{data},"pwds":{data}}}"#
        );
        let mut fold = Fold::new();
        for _ in 0..2 {
            if let Ok(push) = parse(frame.as_bytes()) {
                prop_assert_eq!(push.action(), action);
                let _ = fold.apply(&push);
            }
        }
    }

    /// Any run of increments: the fold's answer follows the numbering.
    #[test]
    fn numbering_decides(versions in proptest::collection::vec(0i64..12, 1..20)) {
        let mut fold = Fold::new();
        let mut last: Option<i64> = None;
        let mut stale = false;
        for v in versions {
            let f = delta(v, r#"{"pid":"p","mode":0,"pinfoMap":{"MUTE":"1"}}"#);
            let got = fold.apply(&parse(f.as_bytes()).unwrap());
            let want = match last {
                _ if stale => Folded::Stale,
                Some(l) if v == l => Folded::Repeat,
                Some(l) if v != l + 1 => {
                    stale = true;
                    Folded::ResyncNeeded { topic: Topic::Participants, expected: l + 1, received: v }
                }
                _ => { last = Some(v); Folded::Applied }
            };
            prop_assert_eq!(got, want);
        }
    }
}
