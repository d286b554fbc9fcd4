//! The README's quick start, as a user outside the repository writes it,
//! against the simulator (started in process). Exits non-zero on any
//! failure.

use hwmeeting_blocking::model::{ApplyChair, SetRoleRequest, StartMeetingRequest};
use hwmeeting_blocking::{Client, Credentials};
use hwmeeting_sim::{
    DEFAULT_APP_ID, DEFAULT_APP_KEY, DEMO_CONFERENCE_ID, DEMO_HOST_PASSWORD, SimConfig, Simulator,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sim = Simulator::spawn(SimConfig::default().demo(true))?;
    let client = Client::builder()
        .endpoint(sim.url())
        .add_root_certificate_pem(sim.ca_pem().ok_or("the simulator has no CA")?)
        .credentials(Credentials::app_id(DEFAULT_APP_ID, DEFAULT_APP_KEY))
        .build()?;
    client.send(StartMeetingRequest::new(DEMO_CONFERENCE_ID, DEMO_HOST_PASSWORD))?;
    let meeting = client.conference(DEMO_CONFERENCE_ID, DEMO_HOST_PASSWORD);
    let reply = meeting.execute(
        SetRoleRequest::new("p-alice", ApplyChair::Apply).chairman_pwd(DEMO_HOST_PASSWORD),
    )?;
    let host = sim
        .conference(DEMO_CONFERENCE_ID)
        .and_then(|c| c.chair().map(str::to_owned));
    println!(
        "downstream: set_role HTTP {} (request id {}); host is now {}",
        reply.status,
        reply.request_id.as_deref().unwrap_or("-"),
        host.as_deref().unwrap_or("nobody")
    );
    if host.as_deref() != Some("p-alice") {
        return Err("the host role did not change".into());
    }
    sim.shutdown();
    Ok(())
}
