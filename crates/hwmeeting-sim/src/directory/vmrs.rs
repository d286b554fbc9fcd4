//! Cloud meeting rooms and personal meeting IDs (VMRs). Every user has a
//! personal meeting ID; cloud meeting rooms are bought with a package,
//! which the simulator's test API stands for
//! ([`SimControl::add_cloud_meeting_room`](crate::SimControl::add_cloud_meeting_room)).
//! Room passwords are shown only to the room's owner.

use hwmeeting_core::Secret;
use serde_json::{Map, Value, json};

use super::users::User;
use super::{Directory, bool_of, text_of};
use crate::codes::{
    Failure, MMC_PARAM_INVALID, USG_ACCOUNT_EXISTS, USG_VMR_ASSIGNED, USG_VMR_NOT_FOUND,
};
use crate::random_hex;

/// A personal meeting ID.
pub(crate) const PERSONAL: i64 = 0;
/// A cloud meeting room.
pub(crate) const CLOUD_ROOM: i64 = 1;
/// The package the simulator's cloud meeting rooms come with.
const PACKAGE: (&str, &str, i64) = ("sim-pkg-50", "Cloud meeting room (50 participants)", 50);

/// A room.
#[derive(Clone, Debug)]
pub(crate) struct Vmr {
    /// The room's ID (`vmrID` of `create_meeting`).
    pub id: String,
    /// Its fixed meeting ID.
    pub vmr_id: String,
    pub name: String,
    /// [`PERSONAL`] or [`CLOUD_ROOM`].
    pub mode: i64,
    /// 0 in use, 1 disabled, 2 not assigned.
    pub status: i64,
    /// The user ID of the owner.
    pub owner: Option<String>,
    pub guest_pwd: Secret,
    pub chair_pwd: Secret,
    pub allow_guest_first: bool,
    pub guest_first_notice: bool,
}

/// A six-digit meeting password.
fn new_password() -> Secret {
    let digits: String = random_hex(8)
        .bytes()
        .map(|b| char::from(b'0' + b % 10))
        .take(6)
        .collect();
    Secret::new(digits)
}

impl Vmr {
    /// The personal meeting ID of a new user.
    pub(crate) fn personal(directory: &mut Directory, user: &User) -> Self {
        Vmr {
            id: random_hex(16),
            vmr_id: format!("98{:08}", directory.next_number()),
            name: format!("{}'s meeting room", user.name),
            mode: PERSONAL,
            status: 0,
            owner: Some(user.id.clone()),
            guest_pwd: new_password(),
            chair_pwd: new_password(),
            allow_guest_first: false,
            guest_first_notice: false,
        }
    }
}

/// 404 for a room that does not exist (or is not the caller's).
pub(crate) fn not_found(id: &str) -> Failure {
    Failure::new(
        404,
        USG_VMR_NOT_FOUND,
        format!("no cloud meeting room or personal meeting ID `{id}` is assigned to you"),
    )
}

/// 404 for an ID no cloud meeting room of the enterprise has (a personal
/// meeting ID is not one: it cannot be assigned or taken back).
fn no_cloud_room(id: &str) -> Failure {
    Failure::new(
        404,
        USG_VMR_NOT_FOUND,
        format!("the enterprise has no cloud meeting room with the ID `{id}`"),
    )
}

impl Directory {
    /// The index of the cloud meeting room with this ID.
    fn cloud_room_index(&self, id: &str) -> Result<usize, Failure> {
        self.vmrs
            .iter()
            .position(|r| r.id == id && r.mode == CLOUD_ROOM)
            .ok_or_else(|| no_cloud_room(id))
    }

    /// `associate_vmr`: assigns the cloud meeting rooms to the user (one
    /// the user has already stays theirs). Every room must exist and be
    /// unassigned or the user's; otherwise nothing changes.
    pub(crate) fn assign_rooms(
        &mut self,
        user_index: usize,
        ids: &[String],
    ) -> Result<(), Failure> {
        let (user_id, account) = {
            let u = &self.users[user_index];
            (u.id.clone(), u.account.clone())
        };
        let mut rooms = Vec::with_capacity(ids.len());
        for id in ids {
            let i = self.cloud_room_index(id)?;
            if let Some(owner) = self.vmrs[i].owner.as_deref()
                && owner != user_id
            {
                let holder = self
                    .users
                    .iter()
                    .find(|u| u.id == owner)
                    .map_or(owner, |u| u.account.as_str());
                return Err(Failure::new(
                    400,
                    USG_VMR_ASSIGNED,
                    format!(
                        "the cloud meeting room `{id}` is assigned to `{holder}`: take it back \
                         from them (disassociate_vmr) before assigning it to `{account}`"
                    ),
                ));
            }
            rooms.push(i);
        }
        for i in rooms {
            self.vmrs[i].owner = Some(user_id.clone());
            self.vmrs[i].status = 0;
        }
        Ok(())
    }

    /// `disassociate_vmr`: takes the cloud meeting rooms back from the
    /// user, to the enterprise's pool. Every room must exist and be the
    /// user's; otherwise nothing changes.
    pub(crate) fn take_back_rooms(
        &mut self,
        user_index: usize,
        ids: &[String],
    ) -> Result<(), Failure> {
        let (user_id, account) = {
            let u = &self.users[user_index];
            (u.id.clone(), u.account.clone())
        };
        let mut rooms = Vec::with_capacity(ids.len());
        for id in ids {
            let i = self.cloud_room_index(id)?;
            if self.vmrs[i].owner.as_deref() != Some(user_id.as_str()) {
                return Err(Failure::new(
                    400,
                    USG_VMR_ASSIGNED,
                    format!("the cloud meeting room `{id}` is not assigned to `{account}`"),
                ));
            }
            rooms.push(i);
        }
        for i in rooms {
            self.vmrs[i].owner = None;
            self.vmrs[i].status = 2;
        }
        Ok(())
    }

    /// `delete_corp_vmr`: deletes the cloud meeting rooms with these IDs
    /// (an unknown ID, or a personal meeting ID, is skipped); how many.
    pub(crate) fn delete_cloud_rooms(&mut self, ids: &[String]) -> usize {
        let before = self.vmrs.len();
        self.vmrs
            .retain(|r| !(r.mode == CLOUD_ROOM && ids.contains(&r.id)));
        before - self.vmrs.len()
    }

    /// What deleting users does to their rooms: their personal meeting IDs
    /// go with them, their cloud meeting rooms back to the pool.
    pub(crate) fn release_rooms_of(&mut self, user_ids: &[String]) {
        self.vmrs.retain(|r| {
            !(r.mode == PERSONAL && r.owner.as_ref().is_some_and(|o| user_ids.contains(o)))
        });
        for room in &mut self.vmrs {
            if room.owner.as_ref().is_some_and(|o| user_ids.contains(o)) {
                room.owner = None;
                room.status = 2;
            }
        }
    }

    /// Rooms assigned to a user: the personal meeting ID first.
    pub(crate) fn rooms_of(&self, user_id: &str) -> Vec<&Vmr> {
        let mut rooms: Vec<&Vmr> = self
            .vmrs
            .iter()
            .filter(|r| r.owner.as_deref() == Some(user_id))
            .collect();
        rooms.sort_by_key(|r| r.mode);
        rooms
    }

    /// A user's personal meeting ID.
    pub(crate) fn personal_room(&self, user_id: &str) -> Option<&Vmr> {
        self.vmrs
            .iter()
            .find(|r| r.mode == PERSONAL && r.owner.as_deref() == Some(user_id))
    }

    /// Gives a user a new personal meeting ID (no other room may have it).
    pub(crate) fn set_personal_meeting_id(
        &mut self,
        user_id: &str,
        vmr_id: &str,
    ) -> Result<(), Failure> {
        if !vmr_id.chars().all(|c| c.is_ascii_digit()) {
            return Err(Failure::new(
                400,
                MMC_PARAM_INVALID,
                "invalid parameter `vmrId`: a meeting ID has digits only",
            ));
        }
        if self
            .vmrs
            .iter()
            .any(|r| r.vmr_id == vmr_id && r.owner.as_deref() != Some(user_id))
        {
            return Err(Failure::new(
                400,
                USG_ACCOUNT_EXISTS,
                format!("the meeting ID `{vmr_id}` belongs to another room"),
            ));
        }
        if let Some(room) = self
            .vmrs
            .iter_mut()
            .find(|r| r.mode == PERSONAL && r.owner.as_deref() == Some(user_id))
        {
            room.vmr_id = vmr_id.to_owned();
        }
        Ok(())
    }

    /// Adds a cloud meeting room, assigned to the user with this account
    /// or to nobody; its ID.
    pub(crate) fn add_cloud_room(
        &mut self,
        name: &str,
        owner_account: Option<&str>,
    ) -> Result<String, String> {
        let owner = match owner_account {
            Some(account) => Some(
                self.users
                    .iter()
                    .find(|u| u.account == account)
                    .map(|u| u.id.clone())
                    .ok_or_else(|| format!("no user has the account `{account}`"))?,
            ),
            None => None,
        };
        let room = Vmr {
            id: random_hex(16),
            vmr_id: format!("97{:08}", self.next_number()),
            name: name.to_owned(),
            mode: CLOUD_ROOM,
            status: if owner.is_some() { 0 } else { 2 },
            owner,
            guest_pwd: new_password(),
            chair_pwd: new_password(),
            allow_guest_first: false,
            guest_first_notice: false,
        };
        let id = room.id.clone();
        self.vmrs.push(room);
        Ok(id)
    }

    /// The package fields of a cloud meeting room.
    fn package(room: &Vmr, map: &mut Map<String, Value>) {
        if room.mode == CLOUD_ROOM {
            map.insert("vmrPkgId".into(), Value::from(PACKAGE.0));
            map.insert("vmrPkgName".into(), Value::from(PACKAGE.1));
            map.insert("vmrPkgParties".into(), Value::from(PACKAGE.2));
        }
    }

    /// A room in a user's detail (`UserVmrDto`).
    pub(crate) fn vmr_of_user_json(&self, room: &Vmr) -> Value {
        let mut out = json!({
            "id": room.id,
            "vmrId": room.vmr_id,
            "vmrName": room.name,
            "vmrMode": room.mode,
            "status": room.status,
        });
        if let Some(map) = out.as_object_mut() {
            Self::package(room, map);
            if room.mode == CLOUD_ROOM {
                map.insert("vmrPkgLength".into(), Value::from(0));
            }
        }
        out
    }

    /// A room in the administrator's list (`QueryOrgVmrResultDto`): who
    /// it is assigned to, no password.
    pub(crate) fn corp_vmr_json(&self, room: &Vmr) -> Value {
        let mut out = json!({
            "id": room.id,
            "vmrId": room.vmr_id,
            "vmrName": room.name,
            "vmrPkgName": PACKAGE.1,
            "vmrPkgParties": PACKAGE.2,
            "status": room.status,
        });
        if let Some(map) = out.as_object_mut()
            && let Some(owner) = room
                .owner
                .as_deref()
                .and_then(|id| self.users.iter().find(|u| u.id == id))
        {
            map.insert(
                "member".into(),
                json!({ "id": owner.id, "mark": owner.name }),
            );
        }
        out
    }

    /// A room in its owner's list (`QueryVmrResultDTO`), passwords
    /// included: they are the owner's.
    pub(crate) fn member_vmr_json(&self, room: &Vmr) -> Value {
        let join = |role: &str| {
            format!(
                "https://meeting.example.com/join/{}?role={role}",
                room.vmr_id
            )
        };
        let mut out = json!({
            "id": room.id,
            "vmrId": room.vmr_id,
            "vmrName": room.name,
            "gustJoinUrl": join("guest"),
            "chairPwd": room.chair_pwd.expose(),
            "chairJoinUrl": join("chair"),
            "allowGustFirst": room.allow_guest_first,
            "gustFirstNotice": room.guest_first_notice,
            "vmrMode": room.mode,
            "status": room.status,
        });
        if let Some(map) = out.as_object_mut() {
            Self::package(room, map);
            if !room.guest_pwd.expose().is_empty() {
                map.insert("gustPwd".into(), Value::from(room.guest_pwd.expose()));
            }
        }
        out
    }

    /// `update_member_vmr`: the owner changes a room's name, passwords and
    /// guest settings.
    pub(crate) fn update_member_vmr(
        &mut self,
        user_id: &str,
        id: &str,
        body: &Map<String, Value>,
    ) -> Result<(), Failure> {
        // Both passwords are checked before anything changes. An empty
        // guest password removes it.
        let mut passwords = Vec::new();
        for field in ["gustPwd", "chairPwd"] {
            let Some(pwd) = body.get(field).and_then(Value::as_str).map(str::trim) else {
                continue;
            };
            let removes = pwd.is_empty() && field == "gustPwd";
            let digits = (4..=16).contains(&pwd.len()) && pwd.chars().all(|c| c.is_ascii_digit());
            if !removes && !digits {
                return Err(Failure::new(
                    400,
                    MMC_PARAM_INVALID,
                    format!("invalid parameter `{field}`: a room password is 4 to 16 digits"),
                ));
            }
            passwords.push((field, Secret::new(pwd)));
        }
        let room = self
            .vmrs
            .iter_mut()
            .find(|r| r.id == id && r.owner.as_deref() == Some(user_id))
            .ok_or_else(|| not_found(id))?;
        for (field, pwd) in passwords {
            if field == "gustPwd" {
                room.guest_pwd = pwd;
            } else {
                room.chair_pwd = pwd;
            }
        }
        if let Some(name) = text_of(body, "vmrName") {
            room.name = name;
        }
        if let Some(v) = bool_of(body, "allowGustFirst") {
            room.allow_guest_first = v;
        }
        if let Some(v) = bool_of(body, "gustFirstNotice") {
            room.guest_first_notice = v;
        }
        Ok(())
    }
}
