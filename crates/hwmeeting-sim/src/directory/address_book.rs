//! The address book: what every user of the enterprise sees of its users
//! and departments. A hidden mobile number stays hidden here; users not
//! active yet (invitations) are not listed.

use serde_json::{Value, json};

use super::Directory;
use super::users::User;

/// `statusCode` of a user the address book does not have.
const NOT_FOUND: i64 = 2;

impl Directory {
    /// The active users of the address book that match, in address book
    /// order (`sortLevel`, then age): within `dept` (and below it when
    /// `sub_depts`), the key in the account, SIP number, name, phone or
    /// email.
    pub(crate) fn address_book_users(
        &self,
        key: Option<&str>,
        dept: Option<&str>,
        sub_depts: bool,
    ) -> Vec<&User> {
        let mut users: Vec<&User> = self
            .users
            .iter()
            .filter(|u| u.active_ms.is_some())
            .filter(|u| match dept {
                None => true,
                Some(d) if sub_depts => self.is_within(&u.dept_code, d),
                Some(d) => u.dept_code == d,
            })
            .filter(|u| {
                let mut fields = vec![u.account.as_str(), u.sip_num.as_str(), u.name.as_str()];
                fields.extend(u.email.as_deref());
                if !u.hide_phone {
                    fields.extend(u.phone.as_deref());
                }
                super::matches(key, &fields)
            })
            .collect();
        users.sort_by_key(|u| u.sort_level);
        users
    }

    /// A user as the address book shows them (`UserDTO` of
    /// `search_corp_dir`).
    pub(crate) fn address_book_user_json(&self, u: &User) -> Value {
        let mut out = json!({
            "id": u.id,
            // Found, every field returned (`UserLookupStatus` 0); the
            // address book keeps no caller's copy to be "unchanged" from.
            "statusCode": 0,
            "account": u.account,
            "name": u.name,
            "deptName": self.department(&u.dept_code).map(|d| d.name.clone()).unwrap_or_default(),
            "number": u.sip_num,
            "updateTime": u.active_ms.unwrap_or_default(),
            "isHardTerminal": false,
            "hidePhone": u.hide_phone,
            "type": "NORMAL_USER",
            "deptCodes": [u.dept_code],
        });
        if let Some(map) = out.as_object_mut() {
            let phone = if u.hide_phone { &None } else { &u.phone };
            let optional = [
                ("englishName", &u.english_name),
                ("email", &u.email),
                ("phone", phone),
                ("signature", &u.signature),
                ("title", &u.title),
                ("description", &u.desc),
            ];
            for (name, value) in optional {
                if let Some(value) = value {
                    map.insert(name.to_owned(), Value::from(value.as_str()));
                }
            }
            if let Some(room) = self.personal_room(&u.id) {
                map.insert("vmrId".into(), Value::from(room.vmr_id.as_str()));
            }
        }
        out
    }

    /// `batch_show_user_details`: the user with this user ID (or, with
    /// `third_party`, this third-party account) as the address book shows
    /// them (`id` is the user ID either way), or only the ID with `statusCode` 2 when the address book has
    /// no such user (invitations not yet accepted are not in it).
    pub(crate) fn address_book_lookup(&self, id: &str, third_party: bool) -> Value {
        let found = self.users.iter().find(|u| {
            u.active_ms.is_some()
                && if third_party {
                    u.third_account.as_deref() == Some(id)
                } else {
                    u.id == id
                }
        });
        match found {
            Some(u) => self.address_book_user_json(u),
            None => json!({ "id": id, "statusCode": NOT_FOUND }),
        }
    }

    /// A department of the address book with its direct sub-departments
    /// (`show_department`).
    pub(crate) fn address_book_department_json(&self, code: &str) -> Option<Value> {
        let d = self.department(code)?;
        let children = self.children(code);
        Some(json!({
            "deptCode": d.code,
            "deptName": d.name,
            "isLeafNodes": children.is_empty(),
            "childDepts": children.iter().map(|c| json!({
                "deptCode": c.code,
                "deptName": c.name,
                "isLeafNodes": self.children(&c.code).is_empty(),
            })).collect::<Vec<_>>(),
        }))
    }
}
