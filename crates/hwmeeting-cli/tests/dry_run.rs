//! `--dry-run` against the curl examples of the five seed pages: the same
//! method, path, decoded query, headers and JSON body, apart from the host
//! and the secrets, and never `-k`.

mod common;

use common::{Curl, hw};
use serde_json::Value;

/// One seed page's curl example and the command line that makes the same
/// request.
struct Seed {
    name: &'static str,
    curl: &'static str,
    args: &'static [&'static str],
    /// The method the SDK sends, when the page's curl example is wrong.
    method_fix: Option<&'static str>,
    /// Body fields that are secret (compared by presence only).
    secret_body: &'static [&'static str],
}

const SEEDS: &[Seed] = &[
    Seed {
        name: "000 set_role",
        curl: "curl -k -i -H 'content-type: application/json' -X PUT -H 'X-Conference-Authorization:stb39b3f21898d4972fed86b3f22ac70914a77303def15e126a' -d '{\"applyChair\":0}' https://api.meeting.huaweicloud.com/v1/mmc/control/conferences/participants/role?conferenceID=914083136&participantID=d2c3ae64216e11eabc510dc9b62e3a80",
        args: &[
            "set-role",
            "--conference-id",
            "914083136",
            "--participant-id",
            "d2c3ae64216e11eabc510dc9b62e3a80",
            "--apply-chair",
            "relinquish",
            "--conference-authorization",
            "stb39b3f21898d4972fed86b3f22ac70914a77303def15e126a",
        ],
        method_fix: None,
        secret_body: &["chairmanPwd"],
    },
    Seed {
        name: "001 hang_up",
        curl: "curl -k -i -H 'content-type: application/json' -X POST -H 'X-Conference-Authorization:stb39b3f21898d4972fed86b3f22ac70914a77303def15e126a' -d '{\"bulkHangUpParticipants\":[\"ba9acb1e216d11eabc5165c2b91ad427\"]}' https://api.meeting.huaweicloud.com/v1/mmc/control/conferences/participants/delete?conferenceID=914083136",
        args: &[
            "hang-up",
            "--conference-id",
            "914083136",
            "--bulk-hang-up-participants",
            "ba9acb1e216d11eabc5165c2b91ad427",
            "--conference-authorization",
            "stb39b3f21898d4972fed86b3f22ac70914a77303def15e126a",
        ],
        method_fix: None,
        secret_body: &[],
    },
    Seed {
        // The page's curl example leaves out the control token header that
        // its example request carries (in lower case).
        name: "002 invite_operate_video",
        curl: "curl -k -i -H 'content-type: application/json' -X PUT -d '{\"status\": 1}' https://api.meeting.huaweicloud.com/v1/mmc/control/conferences/participants/video?conferenceID=986947855&participantID=4a5rg64ag5p8pvvnam1rr6m8lqra6a61",
        args: &[
            "invite-operate-video",
            "--conference-id",
            "986947855",
            "--participant-id",
            "4a5rg64ag5p8pvvnam1rr6m8lqra6a61",
            "--status",
            "disable",
            "--conference-authorization",
            "Basic Y25yYjQyNmNhMzgyMWY4YTE4ZTc4ZDU5ZGE1NzJhNDIxNjQ0YzUyZGZkOWE0NzMwMjk4",
        ],
        method_fix: None,
        secret_body: &[],
    },
    Seed {
        // The page's curl example says POST; its prototype table (and the
        // official SDKs) say PUT.
        name: "003 update_started_conf_config",
        curl: "curl -k -i -H 'content-type: application/json' -X POST -d '{\"lockSharing\": 0}' https://api.meeting.huaweicloud.com/v1/mmc/control/conferences/updateStartedConfConfig?conferenceID=900244663",
        args: &[
            "update-started-conf-config",
            "--conference-id",
            "900244663",
            "--lock-sharing",
            "0",
            "--conference-authorization",
            "stb-some-control-token",
        ],
        method_fix: Some("PUT"),
        secret_body: &[],
    },
    Seed {
        name: "004 start_meeting",
        curl: "curl -k -i -H 'content-type: application/json' -X POST -H 'X-Access-Token:stbX5ElstO5QwOwPB9KGQWUZ1DHoFrTsQjjC' -d '{\"conferenceID\": \"986030665\",\"password\": \"******\"}' 'https://api.meeting.huaweicloud.com/v1/mmc/management/conferences/start'",
        args: &[
            "start-meeting",
            "--conference-id",
            "986030665",
            "--password",
            "host-pw-sentinel-4",
            "--access-token",
            "stbX5ElstO5QwOwPB9KGQWUZ1DHoFrTsQjjC",
        ],
        method_fix: None,
        secret_body: &["password"],
    },
];

/// Header names that carry a secret (compared by presence only).
const SECRET_HEADERS: &[&str] = &[
    "x-conference-authorization",
    "x-access-token",
    "authorization",
    "x-password",
];

fn normalize_body(body: Option<Value>, secret: &[&str]) -> Option<Value> {
    body.map(|mut b| {
        if let Value::Object(map) = &mut b {
            for name in secret {
                if let Some(v) = map.get_mut(*name) {
                    *v = Value::String("<secret>".into());
                }
            }
        }
        b
    })
}

fn dry_run(seed: &Seed, show_secrets: bool) -> Curl {
    let mut args = vec!["--dry-run"];
    if show_secrets {
        args.push("--show-secrets");
    }
    args.extend_from_slice(seed.args);
    let run = hw(&args).expect(0);
    assert_eq!(
        run.stdout.trim().lines().count(),
        1,
        "one line: {}",
        run.stdout
    );
    assert!(run.stderr.trim().is_empty(), "stderr: {}", run.stderr);
    Curl::parse(&run.stdout)
}

#[test]
fn dry_run_matches_every_seed_curl_example() {
    for seed in SEEDS {
        let want = Curl::parse(seed.curl);
        let got = dry_run(seed, false);
        let ctx = format!("seed {}: {:?}", seed.name, got);

        assert!(
            !got.flags.iter().any(|f| f == "-k" || f == "--insecure"),
            "{ctx}"
        );
        assert!(got.flags.iter().any(|f| f == "-i"), "{ctx}");
        assert_eq!(
            got.method(),
            seed.method_fix.map_or(want.method(), String::from),
            "{ctx}"
        );
        assert_eq!(got.path_and_query(), want.path_and_query(), "{ctx}");
        assert!(got.url.starts_with("https://"), "{ctx}");

        // Every header of the example is sent, with the same value unless
        // it is a secret (then it is masked).
        for (name, value) in &want.headers {
            let mine = got
                .header(name)
                .unwrap_or_else(|| panic!("{ctx}: header {name} missing"));
            if SECRET_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
                assert_eq!(mine, "***", "{ctx}: {name} is masked");
            } else {
                assert!(
                    mine.eq_ignore_ascii_case(value),
                    "{ctx}: {name}: {mine} != {value}"
                );
            }
        }
        // Nothing but the credential header is added.
        for (name, value) in &got.headers {
            if want.header(name).is_none() {
                assert!(
                    SECRET_HEADERS.contains(&name.to_ascii_lowercase().as_str()),
                    "{ctx}: extra header {name}"
                );
                assert_eq!(value, "***", "{ctx}");
            }
        }
        assert_eq!(
            normalize_body(got.body(), seed.secret_body),
            normalize_body(want.body(), seed.secret_body),
            "{ctx}"
        );
    }
}

#[test]
fn show_secrets_shows_the_given_credentials() {
    for seed in SEEDS {
        let got = dry_run(seed, true);
        let want = Curl::parse(seed.curl);
        for (name, value) in &want.headers {
            if SECRET_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
                assert_eq!(got.header(name), Some(value.as_str()), "{}", seed.name);
            }
        }
    }
    let seed = &SEEDS[4];
    let got = dry_run(seed, true);
    assert_eq!(got.body().unwrap()["password"], "host-pw-sentinel-4");
}

#[test]
fn placeholders_without_a_token() {
    let run = hw(&[
        "--dry-run",
        "set-role",
        "--conference-id",
        "1",
        "--participant-id",
        "p",
        "--apply-chair",
        "apply",
        "--chairman-pwd",
        "sentinel-chair-pw",
    ])
    .expect(0);
    let curl = Curl::parse(&run.stdout);
    assert_eq!(curl.header("X-Conference-Authorization"), Some("***"));
    assert_eq!(curl.body().unwrap()["chairmanPwd"], "***");
    assert!(!run.all().contains("sentinel-chair-pw"));
    // The header names are spelled as the spec spells them.
    assert!(
        run.stdout.contains("-H 'X-Conference-Authorization: ***'"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("-H 'Content-Type: application/json'"),
        "{}",
        run.stdout
    );

    let run = hw(&[
        "--dry-run",
        "--show-secrets",
        "start-meeting",
        "--conference-id",
        "1",
        "--password",
        "pw",
    ])
    .expect(0);
    let curl = Curl::parse(&run.stdout);
    assert_eq!(curl.header("X-Access-Token"), Some("<access-token>"));
    let run = hw(&[
        "--dry-run",
        "--show-secrets",
        "hang-up",
        "--conference-id",
        "1",
        "--bulk-hang-up-participants",
        "a,b",
        "--bulk-hang-up-participants",
        "c",
    ])
    .expect(0);
    let curl = Curl::parse(&run.stdout);
    assert_eq!(
        curl.header("X-Conference-Authorization"),
        Some("<control-token>")
    );
    assert_eq!(
        curl.body().unwrap(),
        serde_json::json!({"bulkHangUpParticipants": ["a", "b", "c"]})
    );
}

#[test]
fn quoting_survives_a_shell() {
    // A value with a single quote, spaces and shell syntax comes back
    // unchanged through shell word splitting.
    let tricky = "it's a $HOME `x` \"y\" \\ z";
    let run = hw(&[
        "--dry-run",
        "set-role",
        "--conference-id",
        "1",
        "--participant-id",
        tricky,
        "--apply-chair",
        "0",
    ])
    .expect(0);
    let curl = Curl::parse(&run.stdout);
    let (_, query) = curl.path_and_query();
    assert_eq!(query[1], ("participantID".to_owned(), tricky.to_owned()));
}

#[test]
fn body_flag_and_region() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("body.json");
    std::fs::write(&file, r#"{"lockSharing": 1, "isLock": 1}"#).unwrap();
    let body_arg = format!("@{}", file.display());
    let run = hw(&[
        "--dry-run",
        "--region",
        "ap-southeast-1",
        "update-started-conf-config",
        "--conference-id",
        "9",
        "--body",
        &body_arg,
        "--is-lock",
        "unlocked",
    ])
    .expect(0);
    let curl = Curl::parse(&run.stdout);
    assert!(
        curl.url
            .starts_with("https://api-intl.meeting.huaweicloud.com/"),
        "{}",
        curl.url
    );
    assert_eq!(curl.method(), "PUT");
    assert_eq!(
        curl.body().unwrap(),
        serde_json::json!({"lockSharing": 1, "isLock": 0})
    );

    // A field the body does not have is refused, naming it.
    let run = hw(&[
        "--dry-run",
        "update-started-conf-config",
        "--conference-id",
        "9",
        "--body",
        r#"{"lockSharing": 1, "nope": 2}"#,
    ])
    .expect(2);
    assert!(run.stderr.contains("`nope`"), "{}", run.stderr);
}

#[test]
fn login_calls_are_signed_and_masked() {
    let run = hw(&[
        "--dry-run",
        "--app-id",
        "my-app",
        "--app-key",
        "sentinel-app-key",
        "app-auth",
    ])
    .expect(0);
    let curl = Curl::parse(&run.stdout);
    assert_eq!(curl.header("Authorization"), Some("***"));
    let body = curl.body().unwrap();
    assert_eq!(body["appId"], "my-app");
    assert_eq!(body["clientType"], 72);
    assert_eq!(body["nonce"].as_str().unwrap().len(), 32);
    assert!(body["expireTime"].as_i64().unwrap() > 0);
    assert!(!run.all().contains("sentinel-app-key"));

    let run = hw(&[
        "--dry-run",
        "--show-secrets",
        "--app-id",
        "my-app",
        "--app-key",
        "k",
        "app-auth",
    ])
    .expect(0);
    let curl = Curl::parse(&run.stdout);
    let auth = curl.header("Authorization").unwrap();
    assert!(auth.starts_with("HMAC-SHA256 signature="), "{auth}");

    let run = hw(&[
        "--dry-run",
        "--account",
        "me@example.com",
        "--account-password",
        "sentinel-account-pw",
        "account-auth",
    ])
    .expect(0);
    let curl = Curl::parse(&run.stdout);
    assert_eq!(curl.header("Authorization"), Some("***"));
    assert_eq!(curl.body().unwrap()["account"], "me@example.com");
    assert!(!run.all().contains("sentinel-account-pw"));
}
