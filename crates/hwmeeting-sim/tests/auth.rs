//! Logins: app signature and account, token lifetimes and revocation.

mod common;

use std::time::Duration;

use common::*;
use hwmeeting_core::Secret;
use hwmeeting_core::auth::basic_header;
use hwmeeting_sim::{DEFAULT_APP_KEY, SimConfig, Simulator, codes};
use serde_json::json;

#[test]
fn good_app_signature_issues_a_token() {
    let sim = sim();
    let a = app_login(&agent(), sim.url());
    assert_eq!(a.status, 200, "{}", a.text);
    let token = a.json["accessToken"].as_str().unwrap();
    assert!(token.starts_with(hwmeeting_sim::ACCESS_TOKEN_PREFIX));
    assert_eq!(a.json["validPeriod"], 43200);
    let expire = a.json["expireTime"].as_i64().unwrap();
    assert!((expire - now_s() - 43200).abs() <= 2, "{expire}");
    let created = a.json["createTime"].as_i64().unwrap();
    assert!((created / 1000 - now_s()).abs() <= 2);
    assert_eq!(a.json["tokenIp"], "127.0.0.1");
    assert_eq!(a.json["user"]["ucloginAccount"], "alice@example.com");
    assert_eq!(a.json["user"]["appId"], hwmeeting_sim::DEFAULT_APP_ID);
    assert!(
        a.header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
}

#[test]
fn signature_in_service_provider_mode_and_future_expiry_are_accepted() {
    let sim = sim();
    let expire = now_s() + 600;
    let header = hwmeeting_core::auth::app_auth_header(
        hwmeeting_sim::DEFAULT_APP_ID,
        Some("corp-42"),
        None,
        expire,
        NONCE,
        &Secret::new(DEFAULT_APP_KEY),
    );
    let body = json!({"appId": hwmeeting_sim::DEFAULT_APP_ID, "clientType": 72,
        "expireTime": expire, "nonce": NONCE, "corpId": "corp-42", "userId": null});
    let a = send(
        &agent(),
        "POST",
        &format!("{}{APP_AUTH}", sim.url()),
        &[("authorization", header.expose())],
        Some(&body.to_string()),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json["user"]["companyId"], "corp-42");
}

#[test]
fn bad_signature_is_401_with_usg_code() {
    let sim = sim();
    let (auth, body) = app_auth_request(Some("alice@example.com"), 0, NONCE, "wrong-key");
    let a = send(
        &agent(),
        "POST",
        &format!("{}{APP_AUTH}", sim.url()),
        &[("Authorization", &auth)],
        Some(&body),
    );
    assert_eq!(a.status, 401, "{}", a.text);
    assert_eq!(a.code(), codes::USG_AUTH_FAILED);
    assert!(a.code().starts_with("USG."));
    assert_eq!(a.json["request_id"], a.request_id());
}

#[test]
fn signature_of_other_fields_is_rejected() {
    let sim = sim();
    // Signed for alice, sent for bob.
    let (auth, _) = app_auth_request(Some("alice@example.com"), 0, NONCE, DEFAULT_APP_KEY);
    let (_, body) = app_auth_request(Some("bob@example.com"), 0, NONCE, DEFAULT_APP_KEY);
    let a = send(
        &agent(),
        "POST",
        &format!("{}{APP_AUTH}", sim.url()),
        &[("Authorization", &auth)],
        Some(&body),
    );
    assert_eq!(a.status, 401);
    assert_eq!(a.code(), codes::USG_AUTH_FAILED);
}

#[test]
fn expired_signature_is_401() {
    let sim = sim();
    let (auth, body) = app_auth_request(None, now_s() - 60, NONCE, DEFAULT_APP_KEY);
    let a = send(
        &agent(),
        "POST",
        &format!("{}{APP_AUTH}", sim.url()),
        &[("Authorization", &auth)],
        Some(&body),
    );
    assert_eq!(a.status, 401, "{}", a.text);
    assert_eq!(a.code(), codes::USG_SIGNATURE_EXPIRED);
}

#[test]
fn short_and_long_nonces_are_400_naming_nonce() {
    let sim = sim();
    for nonce in ["short-nonce".to_owned(), "n".repeat(65)] {
        let (auth, body) = app_auth_request(None, 0, &nonce, DEFAULT_APP_KEY);
        let a = send(
            &agent(),
            "POST",
            &format!("{}{APP_AUTH}", sim.url()),
            &[("Authorization", &auth)],
            Some(&body),
        );
        assert_eq!(a.status, 400, "{}", a.text);
        assert_eq!(a.code(), codes::USG_PARAM_INVALID);
        assert!(a.msg().contains("`nonce`"), "{}", a.msg());
    }
}

#[test]
fn unknown_app_and_malformed_header_are_401() {
    let sim = Simulator::spawn(SimConfig::http().app("other-app", "other-key")).unwrap();
    let (auth, body) = app_auth_request(None, 0, NONCE, DEFAULT_APP_KEY);
    let url = format!("{}{APP_AUTH}", sim.url());
    let a = send(
        &agent(),
        "POST",
        &url,
        &[("Authorization", &auth)],
        Some(&body),
    );
    assert_eq!(a.status, 401);
    assert!(a.msg().contains("unknown app ID"), "{}", a.msg());
    for bad in [
        "",
        "Bearer x",
        "HMAC-SHA256 signature=AB",
        "HMAC-SHA256 nonsense",
    ] {
        let a = send(
            &agent(),
            "POST",
            &url,
            &[("Authorization", bad)],
            Some(&body),
        );
        assert_eq!(a.status, 401, "{bad}: {}", a.text);
        assert_eq!(a.code(), codes::USG_AUTH_FAILED);
    }
}

#[test]
fn missing_required_field_is_400_naming_it() {
    let sim = sim();
    let (auth, _) = app_auth_request(None, 0, NONCE, DEFAULT_APP_KEY);
    let body = json!({"appId": hwmeeting_sim::DEFAULT_APP_ID, "expireTime": 0, "nonce": NONCE});
    let a = send(
        &agent(),
        "POST",
        &format!("{}{APP_AUTH}", sim.url()),
        &[("Authorization", &auth)],
        Some(&body.to_string()),
    );
    assert_eq!(a.status, 400, "{}", a.text);
    assert!(a.msg().contains("`clientType`"), "{}", a.msg());
}

#[test]
fn account_auth_good_and_bad() {
    let sim = sim();
    let agent = agent();
    let token = access_token(&agent, sim.url());
    assert!(token.starts_with("sim-at-"));

    let url = format!("{}{ACCOUNT_AUTH}", sim.url());
    let body = json!({"account": "demo@example.com", "clientType": 72}).to_string();
    let wrong = basic_header("demo@example.com", &Secret::new("nope"));
    let a = send(
        &agent,
        "POST",
        &url,
        &[("Authorization", wrong.expose())],
        Some(&body),
    );
    assert_eq!(a.status, 401);
    assert_eq!(a.code(), codes::USG_AUTH_FAILED);

    let a = send(&agent, "POST", &url, &[], Some(&body));
    assert_eq!(a.status, 401);

    // The body names another account than the credentials.
    let good = basic_header("demo@example.com", &Secret::new("demo-password"));
    let other = json!({"account": "eve@example.com", "clientType": 72}).to_string();
    let a = send(
        &agent,
        "POST",
        &url,
        &[("Authorization", good.expose())],
        Some(&other),
    );
    assert_eq!(a.status, 401);
}

#[test]
fn short_access_token_lifetime_and_revocation_give_401() {
    let sim = Simulator::spawn(
        SimConfig::http()
            .demo(true)
            .access_token_ttl(Duration::from_millis(200)),
    )
    .unwrap();
    let agent = agent();
    let token = access_token(&agent, sim.url());
    assert_eq!(start(&agent, sim.url(), &token, DEMO, HOST_PW).status, 200);
    std::thread::sleep(Duration::from_millis(300));
    let a = start(&agent, sim.url(), &token, DEMO, HOST_PW);
    assert_eq!(a.status, 401, "{}", a.text);
    assert_eq!(a.code(), codes::ACCESS_TOKEN_INVALID);

    // Back to long tokens, over /_sim/config; then revoke them all.
    let c = send(
        &agent,
        "POST",
        &format!("{}/_sim/config", sim.url()),
        &[],
        Some(r#"{"accessTokenTtlMs": 60000}"#),
    );
    assert_eq!(c.status, 200);
    assert_eq!(c.json["accessTokenTtlMs"], 60000);
    let token = access_token(&agent, sim.url());
    assert_eq!(start(&agent, sim.url(), &token, DEMO, HOST_PW).status, 200);
    let e = send(
        &agent,
        "POST",
        &format!("{}/_sim/tokens/expire", sim.url()),
        &[],
        None,
    );
    assert_eq!(e.status, 200);
    assert!(e.json["expired"].as_u64().unwrap() >= 1);
    let a = start(&agent, sim.url(), &token, DEMO, HOST_PW);
    assert_eq!(a.status, 401);
    assert_eq!(a.code(), codes::ACCESS_TOKEN_INVALID);
}
