//! Shared helpers of the workspace integration tests: a simulator over TLS
//! with the demo meeting, and clients of both kinds that trust it.

use hwmeeting_sim::{SimConfig, SimHandle, Simulator, demo_conference};

/// The demo meeting's id.
pub const CONFERENCE: &str = hwmeeting_sim::DEMO_CONFERENCE_ID;
/// The demo meeting's host password.
pub const HOST_PASSWORD: &str = hwmeeting_sim::DEMO_HOST_PASSWORD;

/// A simulator over TLS, on its own thread, with the demo meeting created.
pub fn simulator() -> SimHandle {
    let sim = Simulator::spawn(SimConfig::default()).expect("the simulator starts");
    sim.create_conference(demo_conference())
        .expect("the demo meeting is created");
    sim
}

/// App ID credentials the simulator accepts.
pub fn credentials(sim: &SimHandle) -> hwmeeting_core::Credentials {
    hwmeeting_core::Credentials::app_id(sim.app_id(), sim.app_key().clone())
}

/// A blocking client that trusts the simulator's certificate.
pub fn blocking_client(sim: &SimHandle) -> hwmeeting_blocking::Client {
    hwmeeting_blocking::Client::builder()
        .endpoint(sim.url())
        .add_root_certificate_pem(sim.ca_pem().expect("TLS is on"))
        .credentials(credentials(sim))
        .build()
        .expect("the client builds")
}

/// An async client that trusts the simulator's certificate.
pub fn async_client(sim: &SimHandle) -> hwmeeting_async::Client {
    hwmeeting_async::Client::builder()
        .endpoint(sim.url())
        .add_root_certificate_pem(sim.ca_pem().expect("TLS is on"))
        .credentials(credentials(sim))
        .build()
        .expect("the client builds")
}

/// The wire facts of the API requests the simulator received (method,
/// path, query, body), in order, without the login and control-token
/// calls, whose nonces and times differ between runs.
pub fn control_requests(sim: &SimHandle) -> Vec<serde_json::Value> {
    sim.requests()
        .into_iter()
        .filter(|r| !matches!(r.operation.as_deref(), Some("app_auth") | Some("create_conf_token") | None))
        .map(|r| serde_json::json!({"method": r.method, "path": r.path, "query": r.query, "body": r.body}))
        .collect()
}
