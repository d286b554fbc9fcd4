//! Log in, start a meeting, take its control token and give a participant
//! the host role.
//!
//! ```text
//! cargo run -p hwmeeting-async --example async_quickstart
//! ```
//!
//! Without `HWMEETING_ENDPOINT` it starts the simulator in process and talks
//! to it over TLS. With it, the client is configured from the environment
//! (`Client::from_env`: `HWMEETING_APP_ID` + `HWMEETING_APP_KEY`, ...) and
//! the meeting from `HWMEETING_CONFERENCE_ID`, `HWMEETING_HOST_PASSWORD` and
//! `HWMEETING_PARTICIPANT_ID`. `RUST_LOG=hwmeeting_async=debug` shows the
//! calls.

use hwmeeting_async::model::{ApplyChair, SetRoleRequest, StartMeetingRequest};
use hwmeeting_async::{Client, Credentials, Error};
use hwmeeting_sim::{SimConfig, Simulator};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();

    // Where to connect: the real service from the environment, or a
    // simulator started here.
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
            println!(
                "no HWMEETING_ENDPOINT: using the simulator at {}",
                sim.url()
            );
            let client = Client::builder()
                .endpoint(sim.url())
                .add_root_certificate_pem(sim.ca_pem().unwrap_or_default())
                .credentials(Credentials::app_id(
                    hwmeeting_sim::DEFAULT_APP_ID,
                    hwmeeting_sim::DEFAULT_APP_KEY,
                ))
                .build()?;
            _simulator = Some(sim);
            (
                client,
                hwmeeting_sim::DEMO_CONFERENCE_ID.to_owned(),
                hwmeeting_sim::DEMO_HOST_PASSWORD.to_owned(),
                "p-alice".to_owned(),
            )
        };
    println!("endpoint: {}", client.endpoint());

    // 1. Log in (App ID signature); the token is cached for later calls.
    let token = client.access_token().await?;
    println!("logged in (access token {token})");

    // 2. Activate the meeting.
    let reply = client
        .execute(StartMeetingRequest::new(
            conference_id.as_str(),
            host_password.as_str(),
        ))
        .await?;
    println!(
        "meeting {conference_id} started: region {:?} (HTTP {}, request id {}, {} attempt(s), {:?})",
        reply.output.region_ip,
        reply.status,
        reply.request_id.as_deref().unwrap_or("none"),
        reply.attempts,
        reply.elapsed,
    );

    // 3. A handle on the meeting: it gets the control token with the host
    //    password and keeps it fresh.
    let meeting = client.conference(conference_id.as_str(), host_password.as_str());
    meeting.control_token().await?;
    println!("control token obtained for meeting {}", meeting.id());

    // 4. Give a participant the host role.
    let request = SetRoleRequest::new(participant_id.as_str(), ApplyChair::Apply)
        .chairman_pwd(host_password.as_str());
    match meeting.set_role(request).await {
        Ok(_) => println!("{participant_id} is now the host"),
        Err(Error::Api { source, .. }) => {
            println!("the service refused: {source}");
        }
        Err(other) => return Err(other.into()),
    }

    // A wrong request fails before anything is sent, naming the parameter.
    let err = meeting
        .set_role(SetRoleRequest::new(
            participant_id.as_str(),
            ApplyChair::Apply,
        ))
        .await
        .unwrap_err();
    println!("checked before sending: {err}");
    Ok(())
}
