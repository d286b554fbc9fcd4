//! The directory chapters over the API: users, departments, the address
//! book, cloud meeting rooms and app IDs (state in [`crate::directory`]).
//! Lists are paged as the service pages them: `offset` and `limit` (10 by
//! default) in the query, `offset`, `limit`, `count` and `data` in the
//! answer.

use std::sync::MutexGuard;

use hwmeeting_core::meta::Location;
use serde_json::{Value, json};

use super::paging::{Page, query_int, required_text, search_key};
use super::{Call, caller};
use crate::checking::text;
use crate::codes::{Failure, MMC_PARAM_INVALID};
use crate::directory::users::{self, User};
use crate::directory::{Directory, departments, vmrs};
use crate::lock;

/// The page size of these chapters when none is asked for.
const DEFAULT_LIMIT: i64 = 10;

fn directory<'a>(call: &'a Call<'_>) -> MutexGuard<'a, Directory> {
    lock(&call.state.directory)
}

fn page(call: &Call<'_>) -> Result<Page, Failure> {
    Page::with_default(call, "offset", "limit", DEFAULT_LIMIT)
}

/// A boolean query parameter.
fn query_bool(call: &Call<'_>, name: &str) -> Option<bool> {
    match call.wire.query.get(name)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The index of the user the path's `account` names (`accountType` 1: a
/// third-party account).
fn user_index(call: &Call<'_>, dir: &Directory) -> Result<usize, Failure> {
    let account = required_text(call, Location::Path, "account")?;
    let third_party = query_int(call, "accountType") == Some(1);
    dir.user_index(&account, third_party)
        .ok_or_else(|| users::not_found(&account))
}

/// The strings of a whole-body list parameter (the checks before the
/// handler made sure it is a list of non-empty strings).
fn body_list(call: &Call<'_>, name: &str) -> Result<Vec<String>, Failure> {
    match call.wire.body.get(name) {
        Some(Value::Array(items)) => Ok(items
            .iter()
            .filter_map(Value::as_str)
            .map(|s| s.trim().to_owned())
            .collect()),
        _ => Err(Failure::new(
            400,
            MMC_PARAM_INVALID,
            format!("missing required parameter `{name}`: the body must be a JSON list"),
        )),
    }
}

/// Whether the query's `accountType` says third-party accounts (1).
fn third_party(call: &Call<'_>) -> bool {
    query_int(call, "accountType") == Some(1)
}

/// Ends every session of these users: a deleted or disabled user's
/// access tokens stop working at once, as their logins are refused.
fn end_sessions(call: &Call<'_>, gone: &[User]) {
    if gone.is_empty() {
        return;
    }
    lock(&call.state.tokens).revoke_users(|key| gone.iter().any(|u| u.owns_token_of(key)));
}

/// `batch_delete_users`: no body. Unknown accounts are skipped.
pub(crate) fn batch_delete_users(call: &Call<'_>) -> Result<Value, Failure> {
    let accounts = body_list(call, "accounts")?;
    let deleted = directory(call).delete_users(&accounts, third_party(call))?;
    end_sessions(call, &deleted);
    Ok(json!({}))
}

/// `batch_update_user_status`: no body. Every account must exist (404
/// naming the first that does not, and nothing changes).
pub(crate) fn batch_update_user_status(call: &Call<'_>) -> Result<Value, Failure> {
    let status = super::paging::int_param(call, Location::Path, "value").ok_or_else(|| {
        Failure::new(400, MMC_PARAM_INVALID, "missing required parameter `value`")
    })?;
    let accounts = body_list(call, "accounts")?;
    let changed = directory(call).set_users_status(&accounts, third_party(call), status)?;
    if status != 0 {
        end_sessions(call, &changed);
    }
    Ok(json!({}))
}

/// `associate_vmr`: no body.
pub(crate) fn associate_vmr(call: &Call<'_>) -> Result<Value, Failure> {
    let ids = body_list(call, "vmrIds")?;
    let mut dir = directory(call);
    let i = user_index(call, &dir)?;
    dir.assign_rooms(i, &ids)?;
    Ok(json!({}))
}

/// `disassociate_vmr`: no body.
pub(crate) fn disassociate_vmr(call: &Call<'_>) -> Result<Value, Failure> {
    let ids = body_list(call, "vmrIds")?;
    let mut dir = directory(call);
    let i = user_index(call, &dir)?;
    dir.take_back_rooms(i, &ids)?;
    Ok(json!({}))
}

/// `delete_corp_vmr`: no body. Unknown IDs are skipped.
pub(crate) fn delete_corp_vmr(call: &Call<'_>) -> Result<Value, Failure> {
    let ids = body_list(call, "vmrIds")?;
    directory(call).delete_cloud_rooms(&ids);
    Ok(json!({}))
}

/// `batch_show_user_details`: a list with one entry per requested user, in
/// order. `idType` absent or `userId`: user IDs; `thirdAccount`:
/// third-party accounts.
pub(crate) fn batch_show_user_details(call: &Call<'_>) -> Result<Value, Failure> {
    let third_party = match text(&call.wire, Location::Query, "idType").map(str::trim) {
        None | Some("" | "userId") => false,
        Some("thirdAccount") => true,
        Some(other) => {
            return Err(Failure::new(
                400,
                MMC_PARAM_INVALID,
                format!(
                    "invalid parameter `idType`: `{other}` is neither `userId` (user IDs, \
                     the default) nor `thirdAccount` (third-party accounts)"
                ),
            ));
        }
    };
    let requested = match call.wire.body.get("users") {
        Some(Value::Array(items)) => items,
        _ => {
            return Err(Failure::new(
                400,
                MMC_PARAM_INVALID,
                "missing required parameter `users`: the body must be a JSON list",
            ));
        }
    };
    let dir = directory(call);
    let found = requested
        .iter()
        .map(|item| {
            let id = item.get("id").and_then(Value::as_str).map(str::trim);
            dir.address_book_lookup(id.unwrap_or_default(), third_party)
        })
        .collect();
    Ok(Value::Array(found))
}

/// `add_user`: the new user's details.
pub(crate) fn add_user(call: &Call<'_>) -> Result<Value, Failure> {
    let mut dir = directory(call);
    let i = dir.create_user(&call.wire.body)?;
    Ok(dir.user_detail(&dir.users[i]))
}

/// `show_user_detail`.
pub(crate) fn show_user_detail(call: &Call<'_>) -> Result<Value, Failure> {
    let dir = directory(call);
    let i = user_index(call, &dir)?;
    Ok(dir.user_detail(&dir.users[i]))
}

/// `update_user`: the user after the change.
pub(crate) fn update_user(call: &Call<'_>) -> Result<Value, Failure> {
    let mut dir = directory(call);
    let i = user_index(call, &dir)?;
    dir.update_user(i, &call.wire.body)?;
    Ok(dir.user_detail(&dir.users[i]))
}

/// `invite_user`: `userExist`.
pub(crate) fn invite_user(call: &Call<'_>) -> Result<Value, Failure> {
    let exists = directory(call).invite_user(&call.wire.body)?;
    Ok(json!({ "userExist": exists }))
}

/// A sort key of `search_users`.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum SortKey {
    Number(i64),
    Text(String),
}

fn sort_key(user: &User, field: &str) -> SortKey {
    match field {
        "userType" => SortKey::Number(2),
        "adminType" => SortKey::Number(user.admin_type),
        "ldapAccount" => SortKey::Text(user.account.clone()),
        "deptCode" => SortKey::Text(user.dept_code.clone()),
        "status" => SortKey::Number(user.status),
        _ => SortKey::Number(user.sort_level),
    }
}

/// `search_users`: the administrator's user list, filtered and sorted.
pub(crate) fn search_users(call: &Call<'_>) -> Result<Value, Failure> {
    let page = page(call)?;
    let key = search_key(call, "searchKey");
    let dept = text(&call.wire, Location::Query, "deptCode").map(str::to_owned);
    let sub_depts = query_bool(call, "enableSubDept").unwrap_or(true);
    let admin_type = query_int(call, "adminType");
    let status = query_int(call, "status");
    // Every simulated user is an ordinary one (type 2).
    let ordinary = match call.wire.query.get("userType") {
        Some(Value::Array(kinds)) => kinds
            .iter()
            .any(|k| k.as_i64() == Some(2) || k.as_str().is_some_and(|s| s.trim() == "2")),
        _ => true,
    };
    let dir = directory(call);
    if let Some(dept) = &dept {
        dir.existing_department(dept)?;
    }
    let mut found: Vec<&User> = dir
        .users
        .iter()
        .filter(|_| ordinary)
        .filter(|u| u.matches(key.as_deref()))
        .filter(|u| match &dept {
            None => true,
            Some(d) if sub_depts => dir.is_within(&u.dept_code, d),
            Some(d) => &u.dept_code == d,
        })
        // Level 1 means every administrator, the default one included.
        .filter(|u| match admin_type {
            Some(1) => u.admin_type <= 1,
            Some(level) => u.admin_type == level,
            None => true,
        })
        .filter(|u| status.is_none_or(|s| u.status == s))
        .collect();
    let field = text(&call.wire, Location::Query, "sortField").unwrap_or("sortLevel");
    let ascending = query_bool(call, "isAsc").unwrap_or(true);
    found.sort_by(|a, b| {
        let order = sort_key(a, field).cmp(&sort_key(b, field));
        if ascending { order } else { order.reverse() }
    });
    let items: Vec<Value> = found.into_iter().map(|u| dir.user_list_item(u)).collect();
    Ok(page.answer(&items))
}

/// `add_department`: `{"value": code}`.
pub(crate) fn add_department(call: &Call<'_>) -> Result<Value, Failure> {
    let code = directory(call).add_department(&call.wire.body)?;
    Ok(json!({ "value": code }))
}

/// `update_department`: no body.
pub(crate) fn update_department(call: &Call<'_>) -> Result<Value, Failure> {
    let code = required_text(call, Location::Path, "dept_code")?;
    directory(call).update_department(&code, &call.wire.body)?;
    Ok(json!({}))
}

/// `delete_department`: no body.
pub(crate) fn delete_department(call: &Call<'_>) -> Result<Value, Failure> {
    let code = required_text(call, Location::Path, "dept_code")?;
    directory(call).delete_department(&code)?;
    Ok(json!({}))
}

/// `search_department_by_name`: every department whose name contains the
/// text (a JSON list, not paged), in tree order.
pub(crate) fn search_department_by_name(call: &Call<'_>) -> Result<Value, Failure> {
    let name = required_text(call, Location::Query, "deptName")?.to_lowercase();
    let dir = directory(call);
    let found: Vec<Value> = dir
        .departments
        .iter()
        .filter(|d| d.name.to_lowercase().contains(&name))
        .map(|d| dir.department_json(d))
        .collect();
    Ok(Value::Array(found))
}

/// `show_dept_and_child_dept`: the department and its direct
/// sub-departments.
pub(crate) fn show_dept_and_child_dept(call: &Call<'_>) -> Result<Value, Failure> {
    let code = required_text(call, Location::Path, "dept_code")?;
    let dir = directory(call);
    let d = dir.existing_department(&code)?;
    let mut out = dir.department_json(d);
    let children: Vec<Value> = dir
        .children(&code)
        .into_iter()
        .map(|c| dir.department_json(c))
        .collect();
    if let Some(map) = out.as_object_mut() {
        map.insert("childDepts".into(), Value::Array(children));
    }
    Ok(out)
}

/// `search_corp_dir`: the address book's users.
pub(crate) fn search_corp_dir(call: &Call<'_>) -> Result<Value, Failure> {
    let page = page(call)?;
    let key = search_key(call, "searchKey");
    let dept = text(&call.wire, Location::Query, "deptCode").map(str::to_owned);
    let sub_depts = query_bool(call, "querySubDept").unwrap_or(true);
    // The simulated enterprise has no hardware terminal.
    let terminals_only = text(&call.wire, Location::Query, "searchScope") == Some("HARD_TERMINAL");
    let dir = directory(call);
    if let Some(dept) = &dept {
        dir.existing_department(dept)?;
    }
    let items: Vec<Value> = if terminals_only {
        Vec::new()
    } else {
        dir.address_book_users(key.as_deref(), dept.as_deref(), sub_depts)
            .into_iter()
            .map(|u| dir.address_book_user_json(u))
            .collect()
    };
    Ok(page.answer(&items))
}

/// `search_corp_external_dir`: the simulator keeps no external contacts
/// (no operation adds one), so every page is empty; the page asked for is
/// checked all the same.
pub(crate) fn search_corp_external_dir(call: &Call<'_>) -> Result<Value, Failure> {
    Ok(page(call)?.answer(&[]))
}

/// `show_department`: the address book's view of a department.
pub(crate) fn show_department(call: &Call<'_>) -> Result<Value, Failure> {
    let code = required_text(call, Location::Path, "dept_code")?;
    directory(call)
        .address_book_department_json(&code)
        .ok_or_else(|| departments::not_found(&code))
}

/// `search_corp_vmr`: the enterprise's cloud meeting rooms (webinar rooms
/// with `vmrMode` 2; the simulator has none).
pub(crate) fn search_corp_vmr(call: &Call<'_>) -> Result<Value, Failure> {
    let page = page(call)?;
    let key = search_key(call, "searchKey");
    let mode = query_int(call, "vmrMode").unwrap_or(vmrs::CLOUD_ROOM);
    let status = query_int(call, "status");
    let dir = directory(call);
    let items: Vec<Value> = dir
        .vmrs
        .iter()
        .filter(|r| r.mode == mode && mode != vmrs::PERSONAL)
        .filter(|r| status.is_none_or(|s| r.status == s))
        .filter(|r| {
            let owner = r
                .owner
                .as_deref()
                .and_then(|id| dir.users.iter().find(|u| u.id == id))
                .map(|u| u.name.as_str())
                .unwrap_or_default();
            crate::directory::matches(key.as_deref(), &[&r.name, &r.vmr_id, owner])
        })
        .map(|r| dir.corp_vmr_json(r))
        .collect();
    Ok(page.answer(&items))
}

/// `search_member_vmr`: the caller's rooms (`specialVmr` true: cloud
/// meeting rooms only, false: the personal meeting ID only).
pub(crate) fn search_member_vmr(call: &Call<'_>) -> Result<Value, Failure> {
    let page = page(call)?;
    let key = search_key(call, "searchKey");
    let special = query_bool(call, "specialVmr");
    let me = caller(call).unwrap_or_default();
    let dir = directory(call);
    let items: Vec<Value> = match dir.user_of_caller(&me) {
        // A caller who is not a user of the directory has no room.
        None => Vec::new(),
        Some(user) => dir
            .rooms_of(&user.id)
            .into_iter()
            .filter(|r| special.is_none_or(|s| s == (r.mode != vmrs::PERSONAL)))
            .filter(|r| crate::directory::matches(key.as_deref(), &[&r.name, &r.vmr_id]))
            .map(|r| dir.member_vmr_json(r))
            .collect(),
    };
    Ok(page.answer(&items))
}

/// `update_member_vmr`: only a room of the caller's; no body.
pub(crate) fn update_member_vmr(call: &Call<'_>) -> Result<Value, Failure> {
    let id = required_text(call, Location::Path, "id")?;
    let me = caller(call).unwrap_or_default();
    let mut dir = directory(call);
    let user_id = dir
        .user_of_caller(&me)
        .map(|u| u.id.clone())
        .ok_or_else(|| vmrs::not_found(&id))?;
    dir.update_member_vmr(&user_id, &id, &call.wire.body)?;
    Ok(json!({}))
}

/// `add_app_id`: the new application, its key included.
pub(crate) fn add_app_id(call: &Call<'_>) -> Result<Value, Failure> {
    let mut dir = directory(call);
    Ok(dir.add_app(&call.wire.body)?.to_json(true))
}

/// `batch_search_app_id`: the applications, oldest first, keys left out.
pub(crate) fn batch_search_app_id(call: &Call<'_>) -> Result<Value, Failure> {
    let page = page(call)?;
    let dir = directory(call);
    let items: Vec<Value> = dir.apps.iter().map(|a| a.to_json(false)).collect();
    Ok(page.answer(&items))
}

/// `update_app_id`: the application after the change, key left out.
pub(crate) fn update_app_id(call: &Call<'_>) -> Result<Value, Failure> {
    let app_id = required_text(call, Location::Path, "app_id")?;
    directory(call).update_app(&app_id, &call.wire.body)
}

/// `reset_app_key`: the application with its new key.
pub(crate) fn reset_app_key(call: &Call<'_>) -> Result<Value, Failure> {
    let app_id = required_text(call, Location::Path, "app_id")?;
    directory(call).reset_app_key(&app_id)
}

/// `delete_app_id`: no body.
pub(crate) fn delete_app_id(call: &Call<'_>) -> Result<Value, Failure> {
    let app_id = required_text(call, Location::Path, "app_id")?;
    directory(call).delete_app(&app_id)?;
    Ok(json!({}))
}
