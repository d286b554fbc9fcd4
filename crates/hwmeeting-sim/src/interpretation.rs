//! Simultaneous interpretation: the interpreter groups
//! (`set_interpreter_group`) and a participant's language channel
//! (`set_attendee_lan_channel`), as [`ConferenceSnapshot`] shows them;
//! `resume_simultaneous_interpretation` switches it on and off.
//!
//! [`ConferenceSnapshot`]: crate::ConferenceSnapshot

use serde::{Deserialize, Serialize};

/// One interpreter group: two languages and who interprets between them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InterpreterGroup {
    /// Its number.
    #[serde(rename = "groupID")]
    pub group_id: String,
    /// Its name, if given.
    #[serde(default)]
    pub group_name: Option<String>,
    /// `MANUAL` (people, the default) or `AI`.
    pub group_type: String,
    /// The first language.
    pub first_language: String,
    /// The second language.
    pub second_language: String,
    /// Its interpreters.
    #[serde(default)]
    pub interpreters: Vec<Interpreter>,
}

/// One interpreter of a group (the digital asset of an AI interpreter,
/// which may hold credentials, is not kept).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Interpreter {
    /// The login account (may be empty when `userID` names the
    /// interpreter).
    pub login_account: String,
    /// The user UUID, if given.
    #[serde(default, rename = "userID")]
    pub user_id: Option<String>,
    /// The name, if given.
    #[serde(default)]
    pub name: Option<String>,
    /// `MANUAL` (a person, the default) or `AI`.
    pub interpreter_type: String,
}

/// The language channel a participant hears and speaks on
/// (`set_attendee_lan_channel`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LanguageChannel {
    /// The channel heard.
    pub listen: String,
    /// The channel spoken on (the same as `listen`).
    pub speak: String,
    /// Whether the original voice is heard too (`includeOriginalVoice`),
    /// if said.
    #[serde(default)]
    pub include_original_voice: Option<bool>,
}
