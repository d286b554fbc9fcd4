//! Meeting management: `start_meeting` activates a meeting (the
//! scheduling calls are in `schedule`).

use hwmeeting_core::meta::Location;
use serde_json::{Value, json};

use super::Call;
use crate::checking::text;
use crate::codes::{Failure, MMC_PASSWORD_WRONG};

/// Activates a meeting with its host password (or its guest password, if
/// the meeting lets guests start it). The access token was checked before.
pub(crate) fn start_meeting(call: &Call<'_>) -> Result<Value, Failure> {
    let password = text(&call.wire, Location::Body, "password").unwrap_or_default();
    call.with_conference(|conference| {
        let host = password == conference.host_password;
        let guest =
            conference.allow_guest_start && conference.guest_password.as_deref() == Some(password);
        if !host && !guest {
            return Err(Failure::new(
                403,
                MMC_PASSWORD_WRONG,
                format!(
                    "wrong password for meeting `{}`: give the host password{}",
                    conference.id,
                    if conference.allow_guest_start {
                        " or the guest password"
                    } else {
                        ""
                    }
                ),
            ));
        }
        // Starting a running meeting changes nothing; starting one that
        // has ended begins a new run, under a new UUID.
        let begins = conference.started_ms.is_none();
        conference.begin_run(crate::now_ms());
        if begins {
            crate::event_push::started(call.state, conference);
        }
        Ok(json!({ "uuid": conference.uuid, "regionIP": "127.0.0.1" }))
    })
}
