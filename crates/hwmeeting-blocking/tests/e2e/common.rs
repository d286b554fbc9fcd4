//! What the end-to-end tests share: a simulator with the demo meeting and a
//! client that trusts its CA.

use std::time::Duration;

use hwmeeting_blocking::model::StartMeetingRequest;
use hwmeeting_blocking::{Client, ClientBuilder, Credentials, RetryPolicy};
use hwmeeting_sim::{
    DEFAULT_APP_ID, DEFAULT_APP_KEY, DEMO_CONFERENCE_ID, DEMO_HOST_PASSWORD, RecordedRequest,
    SimConfig, SimHandle, Simulator,
};

pub const MEETING: &str = DEMO_CONFERENCE_ID;
pub const HOST_PASSWORD: &str = DEMO_HOST_PASSWORD;

/// A TLS simulator with the demo meeting (not started).
pub fn sim() -> SimHandle {
    sim_with(SimConfig::default())
}

pub fn sim_with(config: SimConfig) -> SimHandle {
    Simulator::spawn(config.demo(true)).expect("the simulator starts")
}

/// Fast retries, so the tests do not wait long.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(20))
        .with_max_backoff(Duration::from_secs(3))
}

/// A builder for the simulator: its URL, its CA trusted, the default app
/// credentials, fast retries.
pub fn builder(sim: &SimHandle) -> ClientBuilder {
    let mut b = Client::builder()
        .endpoint(sim.url())
        .credentials(Credentials::app_id(DEFAULT_APP_ID, DEFAULT_APP_KEY))
        .retry_policy(fast_retries());
    if let Some(pem) = sim.ca_pem() {
        b = b.add_root_certificate_pem(pem);
    } else {
        b = b.allow_http(true);
    }
    b
}

pub fn client(sim: &SimHandle) -> Client {
    builder(sim).build().expect("the client builds")
}

/// Starts the demo meeting through the client.
pub fn start(client: &Client) {
    client
        .send(StartMeetingRequest::new(MEETING, HOST_PASSWORD))
        .expect("the meeting starts");
}

/// The logged requests routed to `operation`.
pub fn requests_for(sim: &SimHandle, operation: &str) -> Vec<RecordedRequest> {
    sim.requests()
        .into_iter()
        .filter(|r| r.operation.as_deref() == Some(operation))
        .collect()
}

pub fn count(sim: &SimHandle, operation: &str) -> usize {
    requests_for(sim, operation).len()
}

/// A port on 127.0.0.1 where nothing listens.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    port
}
