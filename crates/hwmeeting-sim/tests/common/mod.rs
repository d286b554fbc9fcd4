//! Helpers shared by the simulator's tests: a plain HTTP client (ureq),
//! raw TCP requests, logins and control tokens.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hwmeeting_core::Secret;
use hwmeeting_core::auth::{app_auth_header, basic_header};
use hwmeeting_sim::{
    DEFAULT_ACCOUNT, DEFAULT_ACCOUNT_PASSWORD, DEFAULT_APP_ID, DEFAULT_APP_KEY, SimConfig,
    SimHandle, Simulator, demo_conference,
};
use serde_json::{Value, json};

pub const DEMO: &str = "900000001";
pub const HOST_PW: &str = "123456";
pub const GUEST_PW: &str = "654321";
pub const NONCE: &str = "0123456789abcdef0123456789abcdef";

pub const APP_AUTH: &str = "/v2/usg/acs/auth/appauth";
pub const ACCOUNT_AUTH: &str = "/v1/usg/acs/auth/account";
pub const START: &str = "/v1/mmc/management/conferences/start";
pub const CONF_TOKEN: &str = "/v1/mmc/control/conferences/token";
pub const ROLE: &str = "/v1/mmc/control/conferences/participants/role";
pub const HANG_UP: &str = "/v1/mmc/control/conferences/participants/delete";
pub const VIDEO: &str = "/v1/mmc/control/conferences/participants/video";
pub const SETTINGS: &str = "/v1/mmc/control/conferences/updateStartedConfConfig";

/// A plain-HTTP simulator with the demo meeting.
pub fn sim() -> SimHandle {
    Simulator::spawn(SimConfig::http().demo(true)).expect("simulator starts")
}

/// An answer: status, headers (lower-case names), body text and its JSON.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub text: String,
    pub json: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn code(&self) -> &str {
        self.json["error_code"].as_str().unwrap_or("")
    }

    pub fn msg(&self) -> &str {
        self.json["error_msg"].as_str().unwrap_or("")
    }

    /// Checks the request id header (32 hex digits) and returns it.
    pub fn request_id(&self) -> &str {
        let id = self.header("x-request-id").expect("X-Request-Id header");
        assert_eq!(id.len(), 32, "{id}");
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()), "{id}");
        id
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

/// Sends a request; `body` is sent as is (with a JSON content type).
pub fn send(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Answer {
    let mut builder = ureq::http::Request::builder().method(method).uri(url);
    for (n, v) in headers {
        builder = builder.header(*n, *v);
    }
    let mut response = match body {
        Some(b) => {
            builder = builder.header("Content-Type", "application/json");
            agent
                .run(builder.body(b.to_owned()).expect("request"))
                .expect("answer")
        }
        None => agent
            .run(builder.body(()).expect("request"))
            .expect("answer"),
    };
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let text = response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_string()
        .unwrap_or_default();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    let answer = Answer {
        status,
        headers,
        text,
        json,
    };
    answer.request_id();
    answer
}

pub fn now_s() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The app_auth body and header for the default app.
pub fn app_auth_request(
    user_id: Option<&str>,
    expire_time: i64,
    nonce: &str,
    key: &str,
) -> (String, String) {
    let header = app_auth_header(
        DEFAULT_APP_ID,
        None,
        user_id,
        expire_time,
        nonce,
        &Secret::new(key),
    );
    let mut body = json!({
        "appId": DEFAULT_APP_ID,
        "clientType": 72,
        "expireTime": expire_time,
        "nonce": nonce,
    });
    if let Some(u) = user_id {
        body["userId"] = json!(u);
    }
    (header.expose().to_owned(), body.to_string())
}

/// Logs in with the default app and returns the answer.
pub fn app_login(agent: &ureq::Agent, base: &str) -> Answer {
    let (auth, body) = app_auth_request(Some("alice@example.com"), 0, NONCE, DEFAULT_APP_KEY);
    send(
        agent,
        "POST",
        &format!("{base}{APP_AUTH}"),
        &[("Authorization", &auth)],
        Some(&body),
    )
}

/// Logs in with the default account and returns the access token.
pub fn access_token(agent: &ureq::Agent, base: &str) -> String {
    let auth = basic_header(DEFAULT_ACCOUNT, &Secret::new(DEFAULT_ACCOUNT_PASSWORD));
    let a = send(
        agent,
        "POST",
        &format!("{base}{ACCOUNT_AUTH}"),
        &[("Authorization", auth.expose())],
        Some(&json!({"account": DEFAULT_ACCOUNT, "clientType": 72}).to_string()),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    a.json["accessToken"].as_str().unwrap().to_owned()
}

/// Starts a meeting with its host password.
pub fn start(agent: &ureq::Agent, base: &str, token: &str, conference: &str, pw: &str) -> Answer {
    send(
        agent,
        "POST",
        &format!("{base}{START}"),
        &[("X-Access-Token", token)],
        Some(&json!({"conferenceID": conference, "password": pw}).to_string()),
    )
}

/// Asks for a control token.
pub fn conf_token_answer(
    agent: &ureq::Agent,
    base: &str,
    conference: &str,
    headers: &[(&str, &str)],
) -> Answer {
    send(
        agent,
        "GET",
        &format!("{base}{CONF_TOKEN}?conferenceID={conference}"),
        headers,
        None,
    )
}

/// Starts the demo meeting and returns a control token for it.
pub fn control_token(agent: &ureq::Agent, base: &str) -> String {
    let at = access_token(agent, base);
    let s = start(agent, base, &at, DEMO, HOST_PW);
    assert_eq!(s.status, 200, "{}", s.text);
    let a = conf_token_answer(
        agent,
        base,
        DEMO,
        &[("X-Password", HOST_PW), ("X-Login-Type", "1")],
    );
    assert_eq!(a.status, 200, "{}", a.text);
    a.json["data"]["token"].as_str().unwrap().to_owned()
}

/// Creates one more meeting, like the demo one, under another ID.
pub fn create_copy_of_demo(sim: &SimHandle, id: &str) {
    let mut m = demo_conference();
    m.conference_id = id.to_owned();
    sim.create_conference(m).unwrap();
}

/// A raw HTTP/1.1 exchange on a new connection: sends `request`, reads
/// until the server closes or `Content-Length` is met. Returns what was
/// read and whether the read ended in an error.
pub fn raw(addr: SocketAddr, request: &str) -> (Vec<u8>, Option<std::io::Error>) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return (out, None),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) => return (out, Some(e)),
        }
    }
}

/// A request that asks the server to close the connection after answering.
pub fn raw_request(method: &str, path: &str, body: &str) -> String {
    format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// Splits a raw answer into its head (lower-cased) and body.
pub fn split(raw: &[u8]) -> (String, Vec<u8>) {
    let pos = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    (
        String::from_utf8_lossy(&raw[..pos]).to_ascii_lowercase(),
        raw[pos + 4..].to_vec(),
    )
}
