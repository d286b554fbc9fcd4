//! Simultaneous interpretation: interpreter groups, the participants'
//! language channels, interpretation on and off. Every handler runs on the
//! call's meeting (404 for an unknown meeting, 400 when it is not running)
//! and changes nothing when it fails.

use hwmeeting_core::meta::Location;
use serde_json::{Map, Value};

use super::Call;
use super::meeting::{all_present, flag, int, invalid, strings, update};
use crate::checking::text;
use crate::codes::Failure;
use crate::interpretation::{Interpreter, InterpreterGroup, LanguageChannel};

/// Interpretation by people, the default kind of group and interpreter.
const MANUAL: &str = "MANUAL";

fn field(object: &Map<String, Value>, name: &str) -> Option<String> {
    object.get(name).and_then(Value::as_str).map(str::to_owned)
}

/// The groups of `interpreterGroups`: 400 if two share a `groupID`, if a
/// group's two languages are one, or if an interpreter is named by neither
/// `loginAccount` nor `userID`.
fn groups(call: &Call<'_>) -> Result<Vec<InterpreterGroup>, Failure> {
    let sent = call
        .wire
        .body
        .get("interpreterGroups")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Value::as_object).collect::<Vec<_>>())
        .unwrap_or_default();
    let mut groups: Vec<InterpreterGroup> = Vec::with_capacity(sent.len());
    for g in sent {
        let group_id = field(g, "groupID").unwrap_or_default();
        if groups.iter().any(|known| known.group_id == group_id) {
            return Err(invalid(format!(
                "invalid parameter `interpreterGroups`: group `{group_id}` is given twice"
            )));
        }
        let first_language = field(g, "firstLanguage").unwrap_or_default();
        let second_language = field(g, "secondLanguage").unwrap_or_default();
        if first_language == second_language {
            return Err(invalid(format!(
                "invalid parameter `interpreterGroups`: group `{group_id}` must interpret \
                 between two languages, not `{first_language}` and itself"
            )));
        }
        let mut interpreters = Vec::new();
        for i in g
            .get("interpreters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
        {
            let login_account = field(i, "loginAccount").unwrap_or_default();
            let user_id = field(i, "userID").filter(|u| !u.is_empty());
            if login_account.is_empty() && user_id.is_none() {
                return Err(invalid(format!(
                    "invalid parameter `interpreterGroups`: an interpreter of group \
                     `{group_id}` is named by neither `loginAccount` nor `userID`"
                )));
            }
            interpreters.push(Interpreter {
                login_account,
                user_id,
                name: field(i, "name"),
                interpreter_type: field(i, "interpreterType").unwrap_or_else(|| MANUAL.into()),
            });
        }
        groups.push(InterpreterGroup {
            group_id,
            group_name: field(g, "groupName"),
            group_type: field(g, "groupType").unwrap_or_else(|| MANUAL.into()),
            first_language,
            second_language,
            interpreters,
        });
    }
    Ok(groups)
}

/// `set_interpreter_group`: the meeting's interpreter groups become the
/// ones sent.
pub(crate) fn set_interpreter_group(call: &Call<'_>) -> Result<Value, Failure> {
    let groups = groups(call);
    update(call, |c| {
        c.interpreter_groups = groups?;
        Ok(())
    })
}

/// `set_attendee_lan_channel`: every participant of `participantIDs` (all
/// in the meeting, else 404) hears and speaks on the channel; the two
/// channels must be one (400). With no `participantIDs` nobody changes.
pub(crate) fn set_attendee_lan_channel(call: &Call<'_>) -> Result<Value, Failure> {
    let ids = strings(call, "participantIDs");
    let body = |name: &str| {
        text(&call.wire, Location::Body, name)
            .unwrap_or_default()
            .to_owned()
    };
    let channel = LanguageChannel {
        listen: body("listenLanChannel"),
        speak: body("speakLanChannel"),
        include_original_voice: int(call, "includeOriginalVoice").map(|v| v == 1),
    };
    update(call, |c| {
        if channel.listen != channel.speak {
            return Err(invalid(format!(
                "invalid parameter `speakLanChannel`: a participant speaks on the channel they \
                 hear (`{}`), not `{}`",
                channel.listen, channel.speak
            )));
        }
        all_present(c, &ids)?;
        for p in c
            .participants
            .iter_mut()
            .filter(|p| ids.contains(&p.participant_id))
        {
            p.language_channel = Some(channel.clone());
        }
        Ok(())
    })
}

/// `resume_simultaneous_interpretation`: interpretation on
/// (`simultaneousInterpretation` 1) or off.
pub(crate) fn resume(call: &Call<'_>) -> Result<Value, Failure> {
    let on = flag(call, "simultaneousInterpretation");
    update(call, |c| {
        c.interpretation = on;
        Ok(())
    })
}
