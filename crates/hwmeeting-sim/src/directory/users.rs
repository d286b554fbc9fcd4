//! The enterprise's users: accounts added by an administrator (or by an
//! invitation), their details, and the administrator's user list. A
//! user's password is stored and never answered.

use hwmeeting_core::Secret;
use serde_json::{Map, Value, json};

use super::{CORP_ID, CORP_NAME, Directory, ROOT_DEPT, bool_of, int_of, text_of};
use crate::codes::{
    Failure, MMC_PARAM_INVALID, USG_ACCOUNT_EXISTS, USG_DEFAULT_ADMIN, USG_USER_NOT_FOUND,
};
use crate::{now_ms, random_hex};

/// A user of the enterprise.
#[derive(Clone, Debug)]
pub(crate) struct User {
    /// UUID (32 hex digits).
    pub id: String,
    pub account: String,
    pub third_account: Option<String>,
    pub name: String,
    pub english_name: Option<String>,
    pub phone: Option<String>,
    pub country: Option<String>,
    pub email: Option<String>,
    pub dept_code: String,
    pub signature: Option<String>,
    pub title: Option<String>,
    pub desc: Option<String>,
    /// 0 in use, 1 disabled.
    pub status: i64,
    pub sort_level: i64,
    pub hide_phone: bool,
    pub enable_room: bool,
    /// 0 default administrator, 1 administrator, 2 member.
    pub admin_type: i64,
    pub sip_num: String,
    /// Never answered.
    pub password: Secret,
    /// When the user became active; `None` for an invitation not yet
    /// accepted.
    pub active_ms: Option<u64>,
}

impl User {
    /// Whether an access token's user key (`account:NAME`,
    /// `app:APP:CORP:USER`) is this user's.
    pub(crate) fn owns_token_of(&self, key: &str) -> bool {
        if let Some(name) = key.strip_prefix("account:") {
            return name == self.account;
        }
        key.strip_prefix("app:")
            .and_then(|rest| rest.splitn(3, ':').nth(2))
            .is_some_and(|user| {
                !user.is_empty()
                    && (user == self.account || self.third_account.as_deref() == Some(user))
            })
    }

    /// An active member of the root department.
    pub(crate) fn new(
        directory: &mut Directory,
        account: String,
        name: String,
        password: Secret,
    ) -> Self {
        User {
            id: random_hex(16),
            account,
            third_account: None,
            name,
            english_name: None,
            phone: None,
            country: None,
            email: None,
            dept_code: ROOT_DEPT.to_owned(),
            signature: None,
            title: None,
            desc: None,
            status: 0,
            sort_level: 10000,
            hide_phone: false,
            enable_room: false,
            admin_type: 2,
            sip_num: format!("+99111{:07}", directory.next_number()),
            password,
            active_ms: Some(now_ms()),
        }
    }

    /// Whether the search key is in the name, phone, email, account or
    /// third-party account.
    pub(crate) fn matches(&self, key: Option<&str>) -> bool {
        let fields = [
            Some(self.name.as_str()),
            self.phone.as_deref(),
            self.email.as_deref(),
            Some(self.account.as_str()),
            self.third_account.as_deref(),
            Some(self.sip_num.as_str()),
        ];
        let fields: Vec<&str> = fields.into_iter().flatten().collect();
        super::matches(key, &fields)
    }
}

/// 404 for an account nobody has.
pub(crate) fn not_found(account: &str) -> Failure {
    Failure::new(
        404,
        USG_USER_NOT_FOUND,
        format!("no user of the enterprise has the account `{account}`"),
    )
}

/// 400 for an administrator call that would delete or disable the
/// enterprise's default administrator: the enterprise would lose the one
/// account that can manage it.
fn default_admin(account: &str, what: &str) -> Failure {
    Failure::new(
        400,
        USG_DEFAULT_ADMIN,
        format!(
            "`{account}` is the enterprise's default administrator, who cannot be {what}: \
             leave it out of the list"
        ),
    )
}

fn invalid(name: &str, why: &str) -> Failure {
    Failure::new(
        400,
        MMC_PARAM_INVALID,
        format!("invalid parameter `{name}`: {why}"),
    )
}

/// The service's rule for an account name: letters, digits, `_`, `-`,
/// `.` and `@`; not digits only; no `.` after the `@`.
fn check_account(account: &str) -> Result<(), Failure> {
    let allowed = account
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'));
    if !allowed {
        return Err(invalid(
            "account",
            "only letters, digits, `_`, `-`, `.` and `@` are allowed",
        ));
    }
    if account.chars().all(|c| c.is_ascii_digit()) {
        return Err(invalid("account", "must not be digits only"));
    }
    if account
        .split_once('@')
        .is_some_and(|(_, after)| after.contains('.'))
    {
        return Err(invalid("account", "must not have a `.` after the `@`"));
    }
    Ok(())
}

/// The service's rule for a password: 8 to 32 characters of at least two
/// kinds, and not the account forwards or backwards.
fn check_password(password: &str, account: &str) -> Result<(), Failure> {
    let len = password.chars().count();
    if !(8..=32).contains(&len) {
        return Err(invalid("pwd", "must be 8 to 32 characters long"));
    }
    let kinds = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if kinds.iter().filter(|k| **k).count() < 2 {
        return Err(invalid(
            "pwd",
            "must mix at least two of lower case, upper case, digits and special characters",
        ));
    }
    let backwards: String = account.chars().rev().collect();
    if password == account || password == backwards {
        return Err(invalid(
            "pwd",
            "must not be the account, forwards or backwards",
        ));
    }
    Ok(())
}

impl Directory {
    /// The user an account names: its Huawei Cloud Meeting account, or
    /// with `accountType` 1 its third-party account.
    pub(crate) fn user_index(&self, account: &str, third_party: bool) -> Option<usize> {
        self.users.iter().position(|u| {
            if third_party {
                u.third_account.as_deref() == Some(account)
            } else {
                u.account == account
            }
        })
    }

    /// `batch_delete_users`: deletes the users these accounts name (an
    /// account nobody has is skipped, so a repeat changes nothing), their
    /// personal meeting IDs with them; their cloud meeting rooms go back to
    /// the enterprise's pool. Nothing is deleted when the list names the
    /// default administrator. Answers the deleted users.
    pub(crate) fn delete_users(
        &mut self,
        accounts: &[String],
        third_party: bool,
    ) -> Result<Vec<User>, Failure> {
        let doomed: Vec<usize> = accounts
            .iter()
            .filter_map(|a| self.user_index(a, third_party))
            .collect();
        if let Some(admin) = doomed.iter().find(|&&i| self.users[i].admin_type == 0) {
            return Err(default_admin(&self.users[*admin].account, "deleted"));
        }
        let ids: Vec<String> = doomed.iter().map(|&i| self.users[i].id.clone()).collect();
        let (deleted, kept) = std::mem::take(&mut self.users)
            .into_iter()
            .partition(|u| ids.contains(&u.id));
        self.users = kept;
        self.release_rooms_of(&ids);
        Ok(deleted)
    }

    /// `batch_update_user_status`: gives every user these accounts name the
    /// status (0 enabled, 1 disabled). Every account must exist (404
    /// naming the first one that does not) and the default administrator
    /// cannot be disabled; either way nothing changes. Answers the users.
    pub(crate) fn set_users_status(
        &mut self,
        accounts: &[String],
        third_party: bool,
        status: i64,
    ) -> Result<Vec<User>, Failure> {
        let mut indexes = Vec::with_capacity(accounts.len());
        for account in accounts {
            let i = self
                .user_index(account, third_party)
                .ok_or_else(|| not_found(account))?;
            if status != 0 && self.users[i].admin_type == 0 {
                return Err(default_admin(&self.users[i].account, "disabled"));
            }
            indexes.push(i);
        }
        for &i in &indexes {
            self.users[i].status = status;
        }
        Ok(indexes.into_iter().map(|i| self.users[i].clone()).collect())
    }

    /// The user an access token's user key names (`account:NAME`, or
    /// `app:APP:CORP:USER` for the user ID of app authentication). An app
    /// login without a user ID acts as the enterprise's default
    /// administrator.
    pub(crate) fn user_of_caller(&self, caller: &str) -> Option<&User> {
        if let Some(name) = caller.strip_prefix("account:") {
            return self.users.iter().find(|u| u.account == name);
        }
        let user = caller.strip_prefix("app:")?.splitn(3, ':').nth(2)?;
        if user.is_empty() {
            return self.users.iter().find(|u| u.admin_type == 0);
        }
        self.users
            .iter()
            .find(|u| u.third_account.as_deref() == Some(user))
            .or_else(|| self.users.iter().find(|u| u.account == user))
    }

    /// Whether the user an app login names (third-party account, else
    /// account) is disabled.
    pub(crate) fn is_disabled(&self, user: &str) -> bool {
        self.users
            .iter()
            .find(|u| u.third_account.as_deref() == Some(user))
            .or_else(|| self.users.iter().find(|u| u.account == user))
            .is_some_and(|u| u.status != 0)
    }

    /// Whether an active, enabled user has this account and password
    /// (for `account_auth`).
    pub(crate) fn can_log_in(&self, account: &str, password: &str) -> bool {
        self.users.iter().any(|u| {
            u.account == account
                && u.password.expose() == password
                && u.status == 0
                && u.active_ms.is_some()
        })
    }

    /// `add_user`: checks the account and password (made up when absent)
    /// and adds an active user.
    pub(crate) fn create_user(&mut self, body: &Map<String, Value>) -> Result<usize, Failure> {
        let name = text_of(body, "name").ok_or_else(|| {
            Failure::new(400, MMC_PARAM_INVALID, "missing required parameter `name`")
        })?;
        let account = match text_of(body, "account") {
            Some(account) => {
                check_account(&account)?;
                account
            }
            None => format!("user{}", random_hex(6)),
        };
        if self.user_index(&account, false).is_some() {
            return Err(Failure::new(
                400,
                USG_ACCOUNT_EXISTS,
                format!("the account `{account}` already exists: choose another one"),
            ));
        }
        if let Some(third) = text_of(body, "thirdAccount")
            && self.user_index(&third, true).is_some()
        {
            return Err(Failure::new(
                400,
                USG_ACCOUNT_EXISTS,
                format!("the third-party account `{third}` already belongs to a user"),
            ));
        }
        self.check_contacts(body, None)?;
        let password = match text_of(body, "pwd") {
            Some(pwd) => {
                check_password(&pwd, &account)?;
                Secret::new(pwd)
            }
            None => Secret::new(format!("Sim-{}", random_hex(8))),
        };
        let mut user = User::new(self, account, name, password);
        user.third_account = text_of(body, "thirdAccount");
        if let Some(function) = body.get("function").and_then(Value::as_object) {
            user.enable_room = bool_of(function, "enableRoom").unwrap_or(false);
        }
        self.apply_user(&mut user, body)?;
        self.add_user(user);
        Ok(self.users.len() - 1)
    }

    /// A phone number and email address no other user has (`except`: the
    /// user being changed).
    fn check_contacts(
        &self,
        body: &Map<String, Value>,
        except: Option<usize>,
    ) -> Result<(), Failure> {
        for (field, get) in [
            (
                "phone",
                (|u: &User| u.phone.clone()) as fn(&User) -> Option<String>,
            ),
            ("email", |u: &User| u.email.clone()),
        ] {
            let Some(value) = text_of(body, field) else {
                continue;
            };
            let taken = self
                .users
                .iter()
                .enumerate()
                .any(|(i, u)| Some(i) != except && get(u).as_deref() == Some(value.as_str()));
            if taken {
                return Err(Failure::new(
                    400,
                    USG_ACCOUNT_EXISTS,
                    format!("another user of the enterprise already has the {field} `{value}`"),
                ));
            }
        }
        if text_of(body, "phone").is_some() && text_of(body, "country").is_none() {
            return Err(invalid("country", "needed with `phone`"));
        }
        Ok(())
    }

    /// Copies the changeable fields of a body into a user.
    fn apply_user(&self, user: &mut User, body: &Map<String, Value>) -> Result<(), Failure> {
        if let Some(code) = text_of(body, "deptCode") {
            self.existing_department(&code)?;
            user.dept_code = code;
        }
        let texts: [(&str, &mut Option<String>); 7] = [
            ("englishName", &mut user.english_name),
            ("phone", &mut user.phone),
            ("country", &mut user.country),
            ("email", &mut user.email),
            ("signature", &mut user.signature),
            ("title", &mut user.title),
            ("desc", &mut user.desc),
        ];
        for (name, slot) in texts {
            if let Some(value) = text_of(body, name) {
                *slot = Some(value);
            }
        }
        if let Some(name) = text_of(body, "name") {
            user.name = name;
        }
        if let Some(status) = int_of(body, "status") {
            user.status = status;
        }
        if let Some(level) = int_of(body, "sortLevel") {
            user.sort_level = level;
        }
        if let Some(hide) = bool_of(body, "hidePhone") {
            user.hide_phone = hide;
        }
        Ok(())
    }

    /// `update_user`: changes what the body names; a new `vmrId` becomes
    /// the user's personal meeting ID.
    pub(crate) fn update_user(
        &mut self,
        index: usize,
        body: &Map<String, Value>,
    ) -> Result<(), Failure> {
        self.check_contacts(body, Some(index))?;
        let Some(mut user) = self.users.get(index).cloned() else {
            return Err(not_found(""));
        };
        self.apply_user(&mut user, body)?;
        if let Some(vmr_id) = text_of(body, "vmrId") {
            self.set_personal_meeting_id(&user.id, &vmr_id)?;
        }
        self.users[index] = user;
        Ok(())
    }

    /// `invite_user`: whether someone with this phone or email is a user
    /// already; if not, they are added, not active until they register.
    pub(crate) fn invite_user(&mut self, body: &Map<String, Value>) -> Result<bool, Failure> {
        let name = text_of(body, "name").ok_or_else(|| {
            Failure::new(400, MMC_PARAM_INVALID, "missing required parameter `name`")
        })?;
        let contact = text_of(body, "contact").ok_or_else(|| {
            Failure::new(
                400,
                MMC_PARAM_INVALID,
                "missing required parameter `contact`",
            )
        })?;
        let exists = self.users.iter().any(|u| {
            u.phone.as_deref() == Some(contact.as_str())
                || u.email.as_deref() == Some(contact.as_str())
        });
        if exists {
            return Ok(true);
        }
        let mut user = User::new(
            self,
            format!("user{}", random_hex(6)),
            name,
            Secret::new(format!("Sim-{}", random_hex(8))),
        );
        if contact.contains('@') {
            user.email = Some(contact);
        } else {
            user.phone = Some(contact);
            user.country = text_of(body, "country").or_else(|| Some("chinaPR".to_owned()));
        }
        user.active_ms = None;
        let mut settings = body.clone();
        // `country` went with the phone; the rest are the user's settings.
        settings.remove("country");
        self.apply_user(&mut user, &settings)?;
        self.add_user(user);
        Ok(false)
    }

    /// A user as `add_user`, `show_user_detail` and `update_user` answer
    /// (`UserDto`), without the password.
    pub(crate) fn user_detail(&self, u: &User) -> Value {
        let mut out = self.user_common(u);
        if let Some(map) = out.as_object_mut() {
            map.insert("sipNum".into(), Value::from(u.sip_num.as_str()));
            map.insert(
                "vmrList".into(),
                Value::from(
                    self.rooms_of(&u.id)
                        .into_iter()
                        .map(|r| self.vmr_of_user_json(r))
                        .collect::<Vec<_>>(),
                ),
            );
            map.insert(
                "deptName".into(),
                Value::from(
                    self.department(&u.dept_code)
                        .map(|d| d.name.clone())
                        .unwrap_or_default(),
                ),
            );
            map.insert(
                "corp".into(),
                json!({ "id": CORP_ID, "name": CORP_NAME, "corpType": 0 }),
            );
            map.insert("function".into(), json!({ "enableRoom": u.enable_room }));
        }
        out
    }

    /// A user as the administrator's list shows them
    /// (`SearchUserResultDto`).
    pub(crate) fn user_list_item(&self, u: &User) -> Value {
        let mut out = self.user_common(u);
        if let Some(map) = out.as_object_mut()
            && let Some(room) = self.personal_room(&u.id)
        {
            map.insert("vmrId".into(), Value::from(room.vmr_id.as_str()));
        }
        out
    }

    /// The fields the detail and the list share.
    fn user_common(&self, u: &User) -> Value {
        let mut out = json!({
            "id": u.id,
            "userAccount": u.account,
            "name": u.name,
            "deptCode": u.dept_code,
            "deptNamePath": self.name_path(&u.dept_code),
            "userType": 2,
            "adminType": u.admin_type,
            "status": u.status,
            "sortLevel": u.sort_level,
            "hidePhone": u.hide_phone,
            "license": 0,
        });
        if let Some(map) = out.as_object_mut() {
            let optional = [
                ("englishName", &u.english_name),
                ("phone", &u.phone),
                ("country", &u.country),
                ("email", &u.email),
                ("signature", &u.signature),
                ("title", &u.title),
                ("desc", &u.desc),
                ("thirdAccount", &u.third_account),
            ];
            for (name, value) in optional {
                if let Some(value) = value {
                    map.insert(name.to_owned(), Value::from(value.as_str()));
                }
            }
            if let Some(ms) = u.active_ms {
                map.insert("activeTime".into(), Value::from(ms));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Account;

    fn body(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn accounts_and_passwords_follow_the_service_rules() {
        assert!(check_account("alice.w@corp").is_ok());
        assert!(
            check_account("12345")
                .unwrap_err()
                .msg
                .contains("digits only")
        );
        assert!(
            check_account("a@b.com")
                .unwrap_err()
                .msg
                .contains("after the `@`")
        );
        assert!(
            check_account("a b")
                .unwrap_err()
                .msg
                .contains("only letters")
        );
        assert!(check_password("Abcdefg1", "bob").is_ok());
        assert!(
            check_password("short1A", "bob")
                .unwrap_err()
                .msg
                .contains("8 to 32")
        );
        assert!(
            check_password("abcdefgh", "bob")
                .unwrap_err()
                .msg
                .contains("two of")
        );
        assert!(
            check_password("alice_1234", "4321_ecila")
                .unwrap_err()
                .msg
                .contains("backwards")
        );
    }

    #[test]
    fn the_configured_accounts_are_users_and_the_first_is_the_default_administrator() {
        let dir = Directory::new(&[Account::new("root", "pw"), Account::new("bob", "pw")]);
        assert_eq!(dir.users.len(), 2);
        assert_eq!(dir.users[0].admin_type, 0);
        assert_eq!(dir.users[1].admin_type, 2);
        assert_eq!(dir.vmrs.len(), 2, "a personal meeting ID each");
        assert_eq!(
            dir.user_of_caller("app:someapp::")
                .map(|u| u.account.as_str()),
            Some("root"),
            "an app login without a user ID is the default administrator"
        );
        assert_eq!(
            dir.user_of_caller("account:bob")
                .map(|u| u.account.as_str()),
            Some("bob")
        );
        assert!(dir.user_of_caller("account:nobody").is_none());
    }

    #[test]
    fn a_user_owns_the_tokens_of_their_account_and_of_app_logins_as_them() {
        let mut dir = Directory::new(&[Account::new("root", "pw")]);
        let i = dir
            .create_user(&body(
                json!({"name": "Gil", "account": "gil", "thirdAccount": "ext-gil"}),
            ))
            .unwrap();
        let gil = &dir.users[i];
        assert!(gil.owns_token_of("account:gil"));
        assert!(gil.owns_token_of("app:someapp::ext-gil"));
        assert!(gil.owns_token_of("app:someapp:corp:gil"));
        assert!(!gil.owns_token_of("account:gilbert"));
        assert!(
            !gil.owns_token_of("app:someapp::"),
            "the app's default user"
        );
        assert!(!gil.owns_token_of("app:gil::other"));
    }

    #[test]
    fn a_batch_that_names_the_default_administrator_deletes_nobody() {
        let mut dir = Directory::new(&[Account::new("root", "pw"), Account::new("bob", "pw")]);
        let err = dir
            .delete_users(&["bob".to_owned(), "root".to_owned()], false)
            .unwrap_err();
        assert_eq!(err.code, USG_DEFAULT_ADMIN);
        assert_eq!(dir.users.len(), 2);
        let deleted = dir.delete_users(&["bob".to_owned()], false).unwrap();
        assert_eq!(deleted.len(), 1);
        assert_eq!(dir.users.len(), 1);
        assert_eq!(dir.vmrs.len(), 1, "bob's personal meeting ID went with him");
    }

    #[test]
    fn an_invitation_is_a_user_who_cannot_log_in_until_active() {
        let mut dir = Directory::new(&[]);
        let existed = dir
            .invite_user(&body(json!({"name": "Erin", "contact": "+8613800000009"})))
            .unwrap();
        assert!(!existed);
        let erin = &dir.users[0];
        assert_eq!(erin.phone.as_deref(), Some("+8613800000009"));
        assert!(erin.active_ms.is_none());
        let password = erin.password.expose().to_owned();
        assert!(!dir.can_log_in(&erin.account.clone(), &password));
        assert!(dir.address_book_users(None, None, true).is_empty());
        assert!(
            dir.invite_user(&body(json!({"name": "Erin", "contact": "+8613800000009"})))
                .unwrap()
        );
    }

    #[test]
    fn a_phone_or_email_in_use_is_refused_and_changes_nothing() {
        let mut dir = Directory::new(&[]);
        dir.create_user(&body(
            json!({"name": "A", "account": "a", "email": "x@example.com"}),
        ))
        .unwrap();
        let b = dir
            .create_user(&body(json!({"name": "B", "account": "b"})))
            .unwrap();
        let err = dir
            .update_user(b, &body(json!({"email": "x@example.com", "title": "T"})))
            .unwrap_err();
        assert_eq!(err.code, USG_ACCOUNT_EXISTS);
        assert_eq!(dir.users[b].title, None);
        let err = dir
            .create_user(&body(json!({"name": "C", "phone": "+861"})))
            .unwrap_err();
        assert!(err.msg.contains("`country`"), "{}", err.msg);
    }
}
