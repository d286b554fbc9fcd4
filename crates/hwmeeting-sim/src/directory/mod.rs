//! The enterprise directory: its users, its department tree, the cloud
//! meeting rooms and personal meeting IDs, and the applications (app IDs)
//! of the simulator's one enterprise. The address book is a view of the
//! users and departments (see `address_book`).
//!
//! Every login account of the configuration is a user from the start
//! (the first one the enterprise's default administrator), each with a
//! personal meeting ID, so the calls a user makes about themselves
//! (`search_member_vmr`) have something to answer.

pub(crate) mod address_book;
pub(crate) mod app_ids;
pub(crate) mod departments;
pub(crate) mod users;
pub(crate) mod vmrs;

use serde_json::{Map, Value};

use crate::config::Account;
use app_ids::App;
use departments::Department;
use users::User;
use vmrs::Vmr;

/// The code of the root department, which every enterprise has.
pub(crate) const ROOT_DEPT: &str = "1";
/// The enterprise's ID (the one `caller_corp` falls back to).
pub(crate) const CORP_ID: &str = "sim-corp";
/// The enterprise's name, the name of its root department.
pub(crate) const CORP_NAME: &str = "Simulated enterprise";

/// Everything the directory chapters change.
#[derive(Debug)]
pub(crate) struct Directory {
    /// Users in the order they were added.
    pub users: Vec<User>,
    /// Departments in the order they were added, the root first.
    pub departments: Vec<Department>,
    /// Rooms in the order they were made.
    pub vmrs: Vec<Vmr>,
    /// Applications in the order they were added.
    pub apps: Vec<App>,
    /// The last number handed out (SIP numbers, meeting IDs, codes).
    last_number: u64,
}

impl Directory {
    /// The root department, and a user (with a personal meeting ID) for
    /// every login account.
    pub(crate) fn new(accounts: &[Account]) -> Self {
        let mut directory = Directory {
            users: Vec::new(),
            departments: vec![Department::root()],
            vmrs: Vec::new(),
            apps: Vec::new(),
            last_number: 0,
        };
        for (i, account) in accounts.iter().enumerate() {
            let mut user = User::new(
                &mut directory,
                account.account.clone(),
                account.account.clone(),
                account.password.clone(),
            );
            // The first account is the default administrator, who may
            // call every administrator API.
            user.admin_type = if i == 0 { 0 } else { 2 };
            directory.add_user(user);
        }
        directory
    }

    /// A number not handed out before (SIP numbers, meeting IDs and
    /// department codes come from one counter, so none repeats).
    pub(crate) fn next_number(&mut self) -> u64 {
        self.last_number += 1;
        self.last_number
    }

    /// Adds a user with their personal meeting ID.
    pub(crate) fn add_user(&mut self, user: User) {
        let room = Vmr::personal(self, &user);
        self.vmrs.push(room);
        self.users.push(user);
    }
}

/// A text field of a JSON body, trimmed, `None` when absent or blank.
pub(crate) fn text_of(body: &Map<String, Value>, name: &str) -> Option<String> {
    body.get(name)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// An integer field of a JSON body (a number sent as text is read too).
pub(crate) fn int_of(body: &Map<String, Value>, name: &str) -> Option<i64> {
    let value = body.get(name)?;
    value
        .as_i64()
        .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
}

/// A boolean field of a JSON body (`"true"` sent as text is read too).
pub(crate) fn bool_of(body: &Map<String, Value>, name: &str) -> Option<bool> {
    let value = body.get(name)?;
    value.as_bool().or_else(|| match value.as_str()?.trim() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    })
}

/// Unix milliseconds as the service writes a time in the app ID answers:
/// UTC `yyyy-MM-dd HH:mm:ss`.
pub(crate) fn format_time(ms: u64) -> String {
    format!(
        "{}:{:02}",
        crate::times::format_minute(ms),
        (ms / 1000) % 60
    )
}

/// Whether any of `fields` contains the lower-cased search key
/// (case-insensitively); no key matches everything.
pub(crate) fn matches(key: Option<&str>, fields: &[&str]) -> bool {
    match key {
        None => true,
        Some(key) => fields.iter().any(|f| f.to_lowercase().contains(key)),
    }
}
