//! The call chain of a meeting controller, end to end: log in, start a
//! meeting, get its control token through a meeting handle, make a
//! participant the host.
//!
//! ```text
//! cargo run -p hwmeeting-blocking --example blocking_quickstart
//! ```
//!
//! Without `HWMEETING_ENDPOINT` it starts the simulator in process (over
//! TLS, trusting its CA) and uses its demo meeting. With it, the client is
//! built from the environment (`Client::from_env`: `HWMEETING_APP_ID` +
//! `HWMEETING_APP_KEY`, or `HWMEETING_ACCOUNT` + `HWMEETING_PASSWORD`, ...)
//! and the meeting from `HWMEETING_CONFERENCE_ID`,
//! `HWMEETING_HOST_PASSWORD` and `HWMEETING_PARTICIPANT_ID`.

use std::process::ExitCode;

use hwmeeting_blocking::model::{ApplyChair, SetRoleRequest, StartMeetingRequest};
use hwmeeting_blocking::{Client, Credentials, Error};
use hwmeeting_sim::{
    DEFAULT_APP_ID, DEFAULT_APP_KEY, DEMO_CONFERENCE_ID, DEMO_HOST_PASSWORD, SimConfig, SimHandle,
    Simulator,
};

struct Meeting {
    conference_id: String,
    host_password: String,
    participant_id: String,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    // Keep the simulator (if any) alive until the end.
    let (client, meeting, sim) = setup()?;
    println!("endpoint: {}", client.endpoint());

    // 1. Log in. The token is cached and renewed by the client; it is a
    //    secret, so only its length is shown.
    let token = client.access_token()?;
    println!(
        "logged in: access token of {} characters",
        token.expose().len()
    );

    // 2. Activate the meeting (meeting control works only on an active one).
    let reply = client.execute(StartMeetingRequest::new(
        meeting.conference_id.as_str(),
        meeting.host_password.as_str(),
    ))?;
    println!(
        "meeting {} started: HTTP {}, request id {}, region IP {}",
        meeting.conference_id,
        reply.status,
        reply.request_id.as_deref().unwrap_or("-"),
        reply.output.region_ip.as_deref().unwrap_or("-"),
    );

    // 3. A handle on the meeting: it obtains the control token with the
    //    host password, caches it and renews it.
    let handle = client.conference(
        meeting.conference_id.as_str(),
        meeting.host_password.as_str(),
    );
    let control = handle.control_token()?;
    println!(
        "control token for meeting {}: {} characters",
        handle.id(),
        control.expose().len()
    );

    // 4. Make a participant the host.
    let reply = handle.execute(
        SetRoleRequest::new(meeting.participant_id.as_str(), ApplyChair::Apply)
            .chairman_pwd(meeting.host_password.as_str()),
    )?;
    println!(
        "{} is now the host: HTTP {} after {} attempt(s) in {:?}",
        meeting.participant_id, reply.status, reply.attempts, reply.elapsed
    );

    // An error says what went wrong, with the request id for support.
    match handle.send(SetRoleRequest::new("nobody", ApplyChair::Relinquish)) {
        Err(e @ Error::Api { .. }) => println!("as expected, a wrong participant fails: {e}"),
        other => println!("unexpected: {other:?}"),
    }

    if let Some(sim) = sim {
        let state = sim
            .conference(&meeting.conference_id)
            .ok_or("the simulator lost the meeting")?;
        println!(
            "simulator: meeting active = {}, host = {}",
            state.active,
            state.chair().unwrap_or("none")
        );
        sim.shutdown();
    }
    Ok(())
}

fn setup() -> Result<(Client, Meeting, Option<SimHandle>), Box<dyn std::error::Error>> {
    if std::env::var_os("HWMEETING_ENDPOINT").is_some() {
        let client = Client::from_env()?;
        let var = |name: &str| {
            std::env::var(name)
                .map_err(|_| format!("{name} is not set: name the meeting to control"))
        };
        let meeting = Meeting {
            conference_id: var("HWMEETING_CONFERENCE_ID")?,
            host_password: var("HWMEETING_HOST_PASSWORD")?,
            participant_id: var("HWMEETING_PARTICIPANT_ID")?,
        };
        return Ok((client, meeting, None));
    }
    let sim = Simulator::spawn(SimConfig::default().demo(true))?;
    println!("started the simulator at {}", sim.url());
    let client = Client::builder()
        .endpoint(sim.url())
        .add_root_certificate_pem(sim.ca_pem().ok_or("the simulator has no CA")?)
        .credentials(Credentials::app_id(DEFAULT_APP_ID, DEFAULT_APP_KEY))
        .build()?;
    let meeting = Meeting {
        conference_id: DEMO_CONFERENCE_ID.to_owned(),
        host_password: DEMO_HOST_PASSWORD.to_owned(),
        participant_id: "p-bob".to_owned(),
    };
    Ok((client, meeting, Some(sim)))
}
