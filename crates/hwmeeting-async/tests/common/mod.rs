//! Helpers shared by the integration tests: a simulator on 127.0.0.1 over
//! TLS and clients that trust it.

#![allow(dead_code)]

use std::time::Duration;

use hwmeeting_async::model::StartMeetingRequest;
use hwmeeting_async::{Client, ClientBuilder, Conference, Credentials, RetryPolicy};
use hwmeeting_sim::{
    DEFAULT_APP_ID, DEFAULT_APP_KEY, DEMO_CONFERENCE_ID, DEMO_HOST_PASSWORD, SimConfig, SimControl,
    Simulator,
};

/// A simulator over TLS with the demo meeting (not started).
pub async fn sim() -> Simulator {
    sim_with(SimConfig::default()).await
}

/// A simulator with this set-up plus the demo meeting.
pub async fn sim_with(config: SimConfig) -> Simulator {
    Simulator::start(config.demo(true))
        .await
        .expect("the simulator starts")
}

/// Quick retries so the tests do not wait long.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(20))
        .with_max_backoff(Duration::from_millis(200))
}

/// A builder for the simulator: its URL, its CA trusted, App ID
/// credentials, quick retries.
pub fn builder(sim: &SimControl) -> ClientBuilder {
    let builder = Client::builder()
        .endpoint(sim.url())
        .credentials(Credentials::app_id(DEFAULT_APP_ID, DEFAULT_APP_KEY))
        .retry_policy(fast_retries());
    match sim.ca_pem() {
        Some(pem) => builder.add_root_certificate_pem(pem),
        None => builder.allow_http(true),
    }
}

/// A client of the simulator.
pub fn client(sim: &SimControl) -> Client {
    builder(sim).build().expect("the client builds")
}

/// Starts the demo meeting and returns a handle on it.
pub async fn started(client: &Client) -> Conference {
    client
        .start_meeting(StartMeetingRequest::new(
            DEMO_CONFERENCE_ID,
            DEMO_HOST_PASSWORD,
        ))
        .await
        .expect("the demo meeting starts");
    client.conference(DEMO_CONFERENCE_ID, DEMO_HOST_PASSWORD)
}

/// How many requests of this operation the simulator received.
pub fn count(sim: &SimControl, operation: &str) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.operation.as_deref() == Some(operation))
        .count()
}

/// How many requests the simulator received at this method and path
/// (faulted ones included).
pub fn count_path(sim: &SimControl, method: &str, path: &str) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.method.eq_ignore_ascii_case(method) && r.path == path)
        .count()
}

/// Log lines captured from `tracing`, to check what the client logs.
#[derive(Clone, Default)]
pub struct Logs(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Logs {
    /// A subscriber writing every event (TRACE and up) here.
    pub fn subscriber(&self) -> impl tracing::Subscriber + Send + Sync + 'static {
        let logs = self.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || logs.clone())
            .finish()
    }

    /// What was logged.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    /// How many lines contain `needle`.
    pub fn lines_with(&self, needle: &str) -> usize {
        self.text().lines().filter(|l| l.contains(needle)).count()
    }
}

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
