//! The access-token cache and the meeting control token handle.

use std::sync::{Arc, Barrier};
use std::time::Duration;

use hwmeeting_blocking::model::{
    ApplyChair, CameraInvitation, CreateConfTokenRequest, InviteOperateVideoRequest,
    SetRoleRequest, StartMeetingRequest,
};
use hwmeeting_sim::{Fault, FaultRule, SimConfig};

use crate::common::*;

#[test]
fn many_calls_make_one_login() {
    let sim = sim();
    let client = client(&sim);
    for _ in 0..5 {
        client
            .send(StartMeetingRequest::new(MEETING, HOST_PASSWORD))
            .unwrap();
    }
    let clone = client.clone();
    clone.access_token().unwrap();
    assert_eq!(count(&sim, "start_meeting"), 5);
    assert_eq!(count(&sim, "app_auth"), 1);
}

#[test]
fn sixteen_threads_on_a_cold_client_make_one_login() {
    let sim = sim();
    let client = client(&sim);
    let barrier = Arc::new(Barrier::new(16));
    let threads: Vec<_> = (0..16)
        .map(|_| {
            let client = client.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                client
                    .send(StartMeetingRequest::new(MEETING, HOST_PASSWORD))
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap().unwrap();
    }
    assert_eq!(count(&sim, "app_auth"), 1);
    assert_eq!(count(&sim, "start_meeting"), 16);
}

#[test]
fn the_access_token_is_renewed_when_it_expires() {
    let sim = sim_with(SimConfig::default().access_token_ttl(Duration::from_secs(2)));
    let client = client(&sim);
    let first = client.access_token().unwrap();
    assert_eq!(client.access_token().unwrap(), first);
    assert_eq!(count(&sim, "app_auth"), 1);
    // validPeriod is 2 s: renewed a tenth before, at 1.8 s.
    std::thread::sleep(Duration::from_millis(1900));
    start(&client);
    assert_eq!(count(&sim, "app_auth"), 2);
    assert_ne!(client.access_token().unwrap(), first);
    assert_eq!(count(&sim, "app_auth"), 2);
}

#[test]
fn invalidate_access_token_logs_in_again() {
    let sim = sim();
    let client = client(&sim);
    client.access_token().unwrap();
    client.invalidate_access_token();
    client.access_token().unwrap();
    assert_eq!(count(&sim, "app_auth"), 2);
}

#[test]
fn a_rejected_access_token_is_renewed_and_the_call_retried_once() {
    let sim = sim();
    let client = client(&sim);
    start(&client);
    assert!(sim.expire_tokens() > 0);
    let reply = client
        .execute(StartMeetingRequest::new(MEETING, HOST_PASSWORD))
        .unwrap();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.attempts, 2, "the rejected try and the one after");
    assert_eq!(count(&sim, "app_auth"), 2);
    let starts = requests_for(&sim, "start_meeting");
    let statuses: Vec<_> = starts.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(200), Some(401), Some(200)]);
}

#[test]
fn the_control_token_is_obtained_once_and_reused() {
    let sim = sim();
    let client = client(&sim);
    start(&client);
    let meeting = client.conference(MEETING, HOST_PASSWORD);
    let first = meeting.control_token().unwrap();
    for _ in 0..3 {
        meeting
            .send(InviteOperateVideoRequest::new(
                "p-bob",
                CameraInvitation::Enable,
            ))
            .unwrap();
    }
    // Clones share the token.
    assert_eq!(meeting.clone().control_token().unwrap(), first);
    assert_eq!(count(&sim, "create_conf_token"), 1);
    let token_request = &requests_for(&sim, "create_conf_token")[0];
    assert_eq!(
        token_request.headers.get("x-password").map(String::as_str),
        Some("***")
    );
    assert!(
        !token_request
            .headers
            .contains_key("x-conference-authorization"),
        "the first request has no token to keep alive"
    );
}

#[test]
fn concurrent_threads_share_one_control_token_request() {
    let sim = sim();
    let client = client(&sim);
    start(&client);
    let meeting = client.conference(MEETING, HOST_PASSWORD);
    let barrier = Arc::new(Barrier::new(8));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let meeting = meeting.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                meeting.control_token().unwrap()
            })
        })
        .collect();
    let tokens: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(tokens.windows(2).all(|w| w[0] == w[1]));
    assert_eq!(count(&sim, "create_conf_token"), 1);
}

#[test]
fn the_control_token_is_renewed_near_expiry_with_the_live_token() {
    // Control tokens live 4 s: renewed from 3.6 s, expired at 4 s.
    let sim = sim_with(SimConfig::default().conf_token_ttl(Duration::from_secs(4)));
    let client = client(&sim);
    start(&client);
    let meeting = client.conference(MEETING, HOST_PASSWORD);
    let first = meeting.control_token().unwrap();
    std::thread::sleep(Duration::from_millis(3700));
    meeting
        .send(SetRoleRequest::new("p-alice", ApplyChair::Apply).chairman_pwd(HOST_PASSWORD))
        .unwrap();
    let token_requests = requests_for(&sim, "create_conf_token");
    assert_eq!(token_requests.len(), 2);
    assert!(
        !token_requests[0]
            .headers
            .contains_key("x-conference-authorization")
    );
    assert_eq!(
        token_requests[1]
            .headers
            .get("x-conference-authorization")
            .map(String::as_str),
        Some("***"),
        "the renewal passes the live token"
    );
    // The simulator keeps the live token alive: the same token, still good.
    assert_eq!(meeting.control_token().unwrap(), first);
    assert_eq!(sim.conference(MEETING).unwrap().chair(), Some("p-alice"));
}

#[test]
fn an_expired_control_token_is_replaced_with_the_password() {
    let sim = sim_with(SimConfig::default().conf_token_ttl(Duration::from_secs(1)));
    let client = client(&sim);
    start(&client);
    let meeting = client.conference(MEETING, HOST_PASSWORD);
    let first = meeting.control_token().unwrap();
    std::thread::sleep(Duration::from_millis(1100));
    let second = meeting.control_token().unwrap();
    assert_ne!(first, second);
    let token_requests = requests_for(&sim, "create_conf_token");
    assert_eq!(token_requests.len(), 2);
    assert!(
        !token_requests[1]
            .headers
            .contains_key("x-conference-authorization"),
        "an expired token is not passed on"
    );
}

#[test]
fn a_rejected_control_token_is_renewed_and_the_call_retried_once() {
    let sim = sim();
    let client = client(&sim);
    start(&client);
    let meeting = client.conference(MEETING, HOST_PASSWORD);
    let first = meeting.control_token().unwrap();
    sim.expire_tokens();
    let reply = meeting
        .execute(InviteOperateVideoRequest::new(
            "p-carol",
            CameraInvitation::Enable,
        ))
        .unwrap();
    assert_eq!(reply.attempts, 2);
    assert_ne!(meeting.control_token().unwrap(), first);
    assert_eq!(count(&sim, "create_conf_token"), 2);
    let token_requests = requests_for(&sim, "create_conf_token");
    assert!(
        !token_requests[1]
            .headers
            .contains_key("x-conference-authorization"),
        "a rejected token is not passed on"
    );
}

#[test]
fn a_refused_renewal_with_the_live_token_falls_back_to_the_password() {
    let sim = sim_with(SimConfig::default().conf_token_ttl(Duration::from_secs(4)));
    let client = client(&sim);
    start(&client);
    let meeting = client.conference(MEETING, HOST_PASSWORD);
    meeting.control_token().unwrap();
    std::thread::sleep(Duration::from_millis(3700));
    // The renewal that passes the live token is refused once.
    sim.push_fault(FaultRule::new(
        CreateConfTokenRequest::META.path,
        Fault::Status {
            status: 401,
            body: Some(serde_json::json!({
                "error_code": "MMC.111070005",
                "error_msg": "token invalid"
            })),
            headers: Default::default(),
        },
    ))
    .unwrap();
    meeting.control_token().unwrap();
    let token_requests = requests_for(&sim, "create_conf_token");
    let shape: Vec<_> = token_requests
        .iter()
        .map(|r| {
            (
                r.status,
                r.headers.contains_key("x-conference-authorization"),
            )
        })
        .collect();
    assert_eq!(
        shape,
        [(Some(200), false), (Some(401), true), (Some(200), false)]
    );
}

#[test]
fn conference_with_token_renews_when_the_password_is_known() {
    let sim = sim();
    let client = client(&sim);
    start(&client);
    let token = client
        .conference(MEETING, HOST_PASSWORD)
        .control_token()
        .unwrap();
    // A new handle from a token: it takes the host password of the handle
    // registered before, so a rejected token is renewed.
    let meeting = client.conference_with_token(MEETING, token);
    sim.expire_tokens();
    meeting
        .send(InviteOperateVideoRequest::new(
            "p-alice",
            CameraInvitation::Disable,
        ))
        .unwrap();
    assert_eq!(count(&sim, "create_conf_token"), 2);
}
