//! Prints the HTTP request of each seed call as the core builds it, with no
//! network: `cargo run -p hwmeeting-core --example seed_requests`.
//!
//! Credential headers and secret parameters are shown as `***`.

use hwmeeting_api::model::*;
use hwmeeting_core::{Credential, Endpoint, Error, Operation, Secret, redact};

fn show<O: Operation>(op: &O, credential: Credential<'_>) -> Result<(), Error> {
    let meta = op.meta();
    let http = op.to_http(&Endpoint::default(), credential)?;
    println!("# {} — {}", meta.id, meta.summary);
    println!("{} {}", http.method(), http.uri());
    for (name, value) in http.headers() {
        let shown = if redact::is_secret_header(Some(meta), name.as_str()) {
            "***"
        } else {
            value.to_str().unwrap_or("<binary>")
        };
        println!("{name}: {shown}");
    }
    if !http.body().is_empty() {
        let mut body: serde_json::Value =
            serde_json::from_slice(http.body()).expect("we built JSON");
        redact::redact_body(meta, &mut body);
        println!("\n{body}");
    }
    println!();
    Ok(())
}

fn main() -> Result<(), Error> {
    let access_token = Secret::new("access-token");
    let control_token = Secret::new("control-token");
    show(
        &StartMeetingRequest::new("986030665", "host-password"),
        Credential::AccessToken(&access_token),
    )?;
    show(
        &CreateConfTokenRequest::new("host-password").conference_id("914083136"),
        Credential::None,
    )?;
    let control = Credential::ConferenceToken(&control_token);
    show(
        &SetRoleRequest::new("d2c3ae64216e11eabc510dc9b62e3a80", ApplyChair::Apply)
            .conference_id("914083136")
            .chairman_pwd("157599"),
        control,
    )?;
    show(
        &HangUpRequest::new(["ba9acb1e216d11eabc5165c2b91ad427"]).conference_id("914083136"),
        control,
    )?;
    show(
        &InviteOperateVideoRequest::new(
            "4a5rg64ag5p8pvvnam1rr6m8lqra6a61",
            CameraInvitation::Disable,
        )
        .conference_id("986947855"),
        control,
    )?;
    show(
        &UpdateStartedConfConfigRequest::new()
            .conference_id("900244663")
            .lock_sharing(SharingLock::Locked),
        control,
    )?;
    Ok(())
}
