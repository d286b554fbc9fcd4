//! 100 concurrent `set_role` calls on one client: one login, one control
//! token, a shared connection pool. Prints the calls per second.
//!
//! ```text
//! cargo run -p hwmeeting-async --example fan_out [-- CALLS]
//! ```
//!
//! Without `HWMEETING_ENDPOINT` it runs against the simulator started in
//! process; with it, against the service configured from the environment,
//! on the meeting `HWMEETING_CONFERENCE_ID` (host password
//! `HWMEETING_HOST_PASSWORD`, participant `HWMEETING_PARTICIPANT_ID`).

use std::time::Instant;

use hwmeeting_async::model::{ApplyChair, SetRoleRequest, StartMeetingRequest};
use hwmeeting_async::{Client, Credentials};
use hwmeeting_sim::{SimConfig, Simulator};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let calls: usize = match std::env::args().nth(1) {
        Some(n) => n.parse()?,
        None => 100,
    };

    let mut _simulator = None;
    let (client, conference_id, host_password, participant_id) =
        if std::env::var_os("HWMEETING_ENDPOINT").is_some() {
            let var = |name: &str| {
                std::env::var(name).map_err(|_| format!("{name} is not set: the meeting to use"))
            };
            (
                Client::from_env()?,
                var("HWMEETING_CONFERENCE_ID")?,
                var("HWMEETING_HOST_PASSWORD")?,
                var("HWMEETING_PARTICIPANT_ID")?,
            )
        } else {
            let sim = Simulator::start(SimConfig::default().demo(true)).await?;
            let client = Client::builder()
                .endpoint(sim.url())
                .add_root_certificate_pem(sim.ca_pem().unwrap_or_default())
                .credentials(Credentials::app_id(
                    hwmeeting_sim::DEFAULT_APP_ID,
                    hwmeeting_sim::DEFAULT_APP_KEY,
                ))
                .build()?;
            println!("using the simulator at {}", sim.url());
            _simulator = Some(sim);
            (
                client,
                hwmeeting_sim::DEMO_CONFERENCE_ID.to_owned(),
                hwmeeting_sim::DEMO_HOST_PASSWORD.to_owned(),
                "p-alice".to_owned(),
            )
        };

    client
        .start_meeting(StartMeetingRequest::new(
            conference_id.as_str(),
            host_password.as_str(),
        ))
        .await?;
    let meeting = client.conference(conference_id, host_password);

    // Cold handle: the first calls share one control-token request.
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..calls {
        let meeting = meeting.clone();
        let participant = participant_id.clone();
        tasks.spawn(async move {
            meeting
                .execute(SetRoleRequest::new(participant, ApplyChair::Relinquish))
                .await
        });
    }
    let (mut ok, mut failed, mut attempts) = (0usize, 0usize, 0u32);
    while let Some(result) = tasks.join_next().await {
        match result? {
            Ok(reply) => {
                ok += 1;
                attempts += reply.attempts;
            }
            Err(err) => {
                failed += 1;
                eprintln!("call failed: {err}");
            }
        }
    }
    let elapsed = started.elapsed();
    println!(
        "{calls} concurrent set_role calls: {ok} ok, {failed} failed, {attempts} attempts in {:.3}s = {:.0} calls/s",
        elapsed.as_secs_f64(),
        calls as f64 / elapsed.as_secs_f64()
    );
    Ok(())
}
