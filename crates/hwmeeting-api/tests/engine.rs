//! The call engine driven by hand, with no network: every decision of a
//! call (credential, attempts, retries, renewal, deadline) is visible in
//! the steps it asks for.

use std::sync::{Arc, Condvar};
use std::time::Duration;

use hwmeeting_api::OPERATIONS;
use hwmeeting_api::model::{
    DeleteTokenRequest, HangUpRequest, SetRoleRequest, StartMeetingRequest,
};
use hwmeeting_core::attempt::{AttemptFailure, Stage};
use hwmeeting_core::engine::{AccessSource, Answer, Call, Meeting, Session, Step, bind_to_meeting};
use hwmeeting_core::operation::AnyOutput;
use hwmeeting_core::{
    Config, Credentials, Error, Operation, Reply, RetryPolicy, Secret, TimeoutPhase,
};

type TestSession = Session<Condvar>;

fn session(retry: RetryPolicy) -> TestSession {
    let mut config = Config::default();
    config.credentials = Some(Credentials::app_id("app", "key"));
    config.retry = retry
        .with_initial_backoff(Duration::from_millis(10))
        .with_max_backoff(Duration::from_millis(20));
    Session::new(&config, OPERATIONS).unwrap()
}

fn answer(status: u16, body: &str) -> Answer {
    let mut headers = http::HeaderMap::new();
    headers.insert("x-request-id", "req-1".parse().unwrap());
    Answer {
        status,
        headers,
        body: body.as_bytes().to_vec(),
    }
}

fn rejected() -> Answer {
    answer(
        401,
        r#"{"error_code":"MMC.111070005","error_msg":"token invalid"}"#,
    )
}

/// The request of the next step, which must be a `Send`.
fn send<W>(call: &mut Call<'_, W>) -> hwmeeting_core::HttpRequest
where
    W: hwmeeting_core::token_cell::Wake,
{
    match call.step() {
        Step::Send { request, timeout } => {
            assert!(timeout > Duration::ZERO);
            request
        }
        other => panic!("expected Send, got {}", name(&other)),
    }
}

fn done<W>(step: Step<W>) -> Result<Reply<AnyOutput>, Error> {
    match step {
        Step::Done(result) => result,
        other => panic!("expected Done, got {}", name(&other)),
    }
}

fn name<W>(step: &Step<W>) -> &'static str {
    match step {
        Step::AccessToken => "AccessToken",
        Step::ControlToken(_) => "ControlToken",
        Step::Send { .. } => "Send",
        Step::Wait(_) => "Wait",
        Step::Done(_) => "Done",
    }
}

#[test]
fn an_access_token_call_asks_for_the_token_then_sends_it() {
    let session = session(RetryPolicy::default());
    let op = StartMeetingRequest::new("914083136", "157599");
    let mut call = Call::new(&session, &op, None);
    assert!(matches!(call.step(), Step::AccessToken));
    call.credential(Ok(Secret::new("access-1")));
    let request = send(&mut call);
    assert_eq!(request.headers["x-access-token"], "access-1");
    call.answer(answer(200, "{}"));
    let reply = done(call.step()).unwrap();
    assert_eq!(reply.attempts, 1);
    assert_eq!(reply.request_id.as_deref(), Some("req-1"));
    // The engine keeps the answer's type erased; the driver gets it back.
    let typed = reply
        .downcast::<<StartMeetingRequest as Operation>::Output>()
        .unwrap();
    assert_eq!(typed.status, 200);
    assert_eq!(typed.attempts, 1);
}

#[test]
fn an_answer_read_back_at_another_type_is_an_error_not_a_panic() {
    let session = session(RetryPolicy::default());
    let op = StartMeetingRequest::new("914083136", "157599");
    let mut call = Call::new(&session, &op, None);
    call.step();
    call.credential(Ok(Secret::new("access-1")));
    send(&mut call);
    call.answer(answer(200, "{}"));
    let err = done(call.step()).unwrap().downcast::<String>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "configuration: the answer is not of type alloc::string::String"
    );
}

#[test]
fn wrong_input_is_done_before_any_token_or_byte() {
    let session = session(RetryPolicy::default());
    // `chairmanPwd` is required when applying for the host role.
    let op = SetRoleRequest::new("p", hwmeeting_api::model::ApplyChair::Apply).conference_id("1");
    let mut call = Call::new(&session, &op, None);
    let err = done(call.step()).unwrap_err();
    assert!(matches!(err, Error::Build { .. }), "{err:?}");
}

#[test]
fn a_503_of_an_idempotent_call_waits_and_goes_again() {
    let session = session(RetryPolicy::default());
    let meeting = session.meeting_with_token("1".into(), Secret::new("control"));
    let op =
        SetRoleRequest::new("p", hwmeeting_api::model::ApplyChair::Relinquish).conference_id("1");
    let mut call = Call::new(&session, &op, Some(&meeting));
    assert!(matches!(call.step(), Step::ControlToken(_)));
    call.credential(Ok(Secret::new("control")));
    send(&mut call);
    call.answer(answer(503, ""));
    let Step::Wait(wait) = call.step() else {
        panic!("a retry waits")
    };
    assert!(wait <= Duration::from_millis(20), "{wait:?}");
    let again = send(&mut call);
    assert_eq!(again.headers["x-conference-authorization"], "control");
    call.answer(answer(200, "{}"));
    assert_eq!(done(call.step()).unwrap().attempts, 2);
}

#[test]
fn a_non_idempotent_call_is_retried_only_when_it_never_left() {
    let session = session(RetryPolicy::default());
    let meeting = session.meeting_with_token("1".into(), Secret::new("control"));
    let mut op = HangUpRequest::new(["p"]);
    // What a meeting handle does first: fill in its meeting id.
    bind_to_meeting(&mut op, "1").unwrap();
    // A failed lookup: never sent, so tried again.
    let mut call = Call::new(&session, &op, Some(&meeting));
    call.step();
    call.credential(Ok(Secret::new("control")));
    send(&mut call);
    call.failed(AttemptFailure::failed(Stage::Resolve, "no such host"));
    assert!(matches!(call.step(), Step::Wait(_)));
    send(&mut call);
    // Broken after the request was written: maybe sent, so not again.
    call.failed(AttemptFailure::failed(Stage::Wait, "reset"));
    let err = done(call.step()).unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    // A timeout once the request is out is the attempt's, and final too.
    let mut call = Call::new(&session, &op, Some(&meeting));
    call.step();
    call.credential(Ok(Secret::new("control")));
    send(&mut call);
    call.timed_out();
    let err = done(call.step()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                phase: TimeoutPhase::Attempt,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn a_rejected_control_token_is_renewed_once() {
    let session = session(RetryPolicy::default());
    let meeting: Arc<Meeting<Condvar>> =
        session.meeting_with_password("1".into(), Secret::new("host-pw"));
    let mut op = SetRoleRequest::new("p", hwmeeting_api::model::ApplyChair::Relinquish);
    bind_to_meeting(&mut op, "1").unwrap();
    let mut call = Call::new(&session, &op, Some(&meeting));
    assert!(matches!(call.step(), Step::ControlToken(_)));
    call.credential(Ok(Secret::new("old")));
    send(&mut call);
    call.answer(rejected());
    // Asks for a new token, then sends with it.
    assert!(matches!(call.step(), Step::ControlToken(_)));
    call.credential(Ok(Secret::new("new")));
    assert_eq!(send(&mut call).headers["x-conference-authorization"], "new");
    // Rejected again: no second renewal.
    call.answer(rejected());
    let err = done(call.step()).unwrap_err();
    assert_eq!(err.status(), Some(401));
}

#[test]
fn a_logout_is_not_renewed_and_drops_the_cached_token() {
    let session = session(RetryPolicy::default());
    let AccessSource::Cached(cell) = session.access_source().unwrap() else {
        panic!("App ID credentials log in")
    };
    cell.replace_if(
        &Secret::new(""),
        hwmeeting_core::token::CachedToken::new(
            Secret::new("access-1"),
            Duration::from_secs(600),
            std::time::Instant::now(),
        ),
    );
    let op = DeleteTokenRequest::new();
    // Rejected: a logout is never renewed.
    let mut call = Call::new(&session, &op, None);
    call.step();
    call.credential(Ok(Secret::new("access-1")));
    send(&mut call);
    call.answer(rejected());
    assert!(matches!(call.step(), Step::Done(Err(_))));
    // Accepted: the cached token is gone.
    let mut call = Call::new(&session, &op, None);
    call.step();
    call.credential(Ok(Secret::new("access-1")));
    send(&mut call);
    call.answer(answer(200, "{}"));
    done(call.step()).unwrap();
    assert!(cell.current().is_none());
}

#[test]
fn the_total_time_limit_ends_the_call() {
    let mut config = Config::default();
    config.credentials = Some(Credentials::access_token("given"));
    config.timeouts.total = Duration::from_millis(30);
    let session: TestSession = Session::new(&config, OPERATIONS).unwrap();
    let op = StartMeetingRequest::new("914083136", "157599");
    let mut call = Call::new(&session, &op, None);
    // A token given by the caller needs no fetch.
    assert_eq!(send(&mut call).headers["x-access-token"], "given");
    call.answer(answer(503, ""));
    std::thread::sleep(Duration::from_millis(40));
    let err = done(call.step()).unwrap_err();
    // The wait would pass the limit: the 503 is the answer.
    assert_eq!(err.status(), Some(503), "{err:?}");
}

#[test]
fn a_control_call_for_an_unknown_meeting_names_it() {
    let session = session(RetryPolicy::default());
    let op =
        SetRoleRequest::new("p", hwmeeting_api::model::ApplyChair::Relinquish).conference_id("77");
    let mut call = Call::new(&session, &op, None);
    let err = done(call.step()).unwrap_err();
    assert!(matches!(err, Error::NoControlToken { .. }), "{err:?}");
    assert!(err.to_string().contains("conference 77"), "{err}");
}
