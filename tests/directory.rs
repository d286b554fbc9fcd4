//! The directory chapters through the blocking client, typed requests
//! only: users, departments, the address book, cloud meeting rooms and
//! app IDs, each created, found, listed a page at a time (and with the
//! `_all` iterators), changed and deleted where the API can; the errors
//! the service gives for what does not exist or exists already; secrets
//! that are never answered back.

// The simulator's own test helpers (raw requests to it), shared.
#[path = "../crates/hwmeeting-sim/tests/common/mod.rs"]
mod common;

use hwmeeting_blocking::model::{
    AccountType, AddAppIdRequest, AddDepartmentRequest, AddUserRequest, AdminType, AppIdState,
    AssociateVmrRequest, BatchDeleteUsersRequest, BatchSearchAppIdRequest,
    BatchShowUserDetailsRequest, BatchUpdateUserStatusRequest, DeleteAppIdRequest,
    DeleteCorpVmrRequest, DeleteDepartmentRequest, DisassociateVmrRequest, InviteUserRequest,
    QueryOrgVmrResultDto, ResetAppKeyRequest, SearchCorpDirRequest, SearchCorpVmrRequest,
    SearchDepartmentByNameRequest, SearchMemberVmrRequest, SearchUsersRequest,
    ShowDepartmentRequest, ShowDeptAndChildDeptRequest, ShowUserDetailRequest, ShowUserRequestDto,
    UpdateAppIdRequest, UpdateDepartmentRequest, UpdateMemberVmrRequest, UpdateUserRequest,
    UserLookupStatus, UserStatus, UserStatusValue, VmrMode, VmrStatus,
};
use hwmeeting_blocking::{AppIdCredentials, Client, Credentials, Error};
use hwmeeting_sim::{
    DEFAULT_ACCOUNT, DEFAULT_ACCOUNT_PASSWORD, DEFAULT_APP_ID, DEFAULT_APP_KEY, SimConfig,
    SimHandle, Simulator, codes,
};

/// A simulator over TLS with no meeting; its one login account is the
/// enterprise's default administrator.
fn sim() -> SimHandle {
    Simulator::spawn(SimConfig::default().demo(false)).expect("the simulator starts")
}

/// A blocking client with every chapter, logged in with these credentials.
fn client_as(sim: &SimHandle, credentials: Credentials) -> Client {
    Client::builder()
        .endpoint(sim.url())
        .add_root_certificate_pem(sim.ca_pem().expect("TLS is on"))
        .credentials(credentials)
        .build()
        .expect("the client builds")
}

/// A client of the default administrator.
fn admin(sim: &SimHandle) -> Client {
    client_as(
        sim,
        Credentials::account(DEFAULT_ACCOUNT, DEFAULT_ACCOUNT_PASSWORD),
    )
}

/// The service's error answer: status, code, message.
fn api_error(err: Error) -> (u16, String, String) {
    match err {
        Error::Api { source, .. } => (
            source.status,
            source.error_code.clone().unwrap_or_default(),
            source.error_msg.clone().unwrap_or_default(),
        ),
        other => panic!("expected an error answer, got {other}"),
    }
}

#[test]
fn a_user_is_added_found_listed_and_changed_and_its_password_is_never_answered() {
    let sim = sim();
    let client = admin(&sim);
    let added = client
        .add_user(
            AddUserRequest::new("Alice Zhang")
                .account("alice_z")
                .pwd("Secret-pass-42")
                .email("alice@example.com")
                .phone("+8613800000001")
                .country("chinaPR")
                .title("Engineer"),
        )
        .expect("the user is added");
    assert_eq!(added.user_account.as_deref(), Some("alice_z"));
    assert_eq!(added.name.as_deref(), Some("Alice Zhang"));
    assert_eq!(added.dept_code.as_deref(), Some("1"), "the root department");
    assert_eq!(added.admin_type, Some(AdminType::Member));
    assert_eq!(added.status, Some(UserStatus::Active));
    let rooms = added.vmr_list.clone().expect("a personal meeting ID");
    assert_eq!(rooms.len(), 1);
    assert_eq!(rooms[0].vmr_mode, Some(VmrMode::PersonalMeetingId));
    let id = added.id.clone().expect("a user ID");
    assert_eq!(id.len(), 32);

    // The password was stored, never answered: not in the detail, not in
    // the simulator's request log.
    let detail = client
        .show_user_detail(ShowUserDetailRequest::new("alice_z"))
        .expect("the user is found");
    assert_eq!(detail.id.as_deref(), Some(id.as_str()));
    assert_eq!(detail.email.as_deref(), Some("alice@example.com"));
    assert_eq!(detail.title.as_deref(), Some("Engineer"));
    for request in sim.requests() {
        assert!(
            !request.body.to_string().contains("Secret-pass-42"),
            "{request:?}"
        );
    }
    // ...but it is the user's: they can log in with it.
    let alice = client_as(&sim, Credentials::account("alice_z", "Secret-pass-42"));
    let mine = alice
        .search_member_vmr(SearchMemberVmrRequest::new())
        .expect("alice lists her rooms");
    assert_eq!(mine.count, Some(1));

    let updated = client
        .update_user(
            UpdateUserRequest::new("alice_z")
                .title("Lead engineer")
                .status(UserStatus::Disabled)
                .hide_phone(true),
        )
        .expect("the user is changed");
    assert_eq!(updated.title.as_deref(), Some("Lead engineer"));
    assert_eq!(updated.status, Some(UserStatus::Disabled));
    assert_eq!(
        updated.email.as_deref(),
        Some("alice@example.com"),
        "unchanged"
    );
    let again = client
        .show_user_detail(ShowUserDetailRequest::new("alice_z"))
        .expect("the user is found");
    assert_eq!(again.title.as_deref(), Some("Lead engineer"));
    assert_eq!(again.hide_phone, Some(true));

    // A disabled user cannot log in any more.
    let locked_out = client_as(&sim, Credentials::account("alice_z", "Secret-pass-42"))
        .search_member_vmr(SearchMemberVmrRequest::new())
        .unwrap_err();
    assert_eq!(api_error(locked_out).1, codes::USG_AUTH_FAILED);

    // The same account again is refused, and names the account.
    let twice = client
        .add_user(AddUserRequest::new("Another Alice").account("alice_z"))
        .unwrap_err();
    let (status, code, msg) = api_error(twice);
    assert_eq!((status, code.as_str()), (400, codes::USG_ACCOUNT_EXISTS));
    assert!(msg.contains("`alice_z`"), "{msg}");

    // A weak password is refused before anything is added.
    let weak = client
        .add_user(AddUserRequest::new("Bob").account("bob").pwd("password"))
        .unwrap_err();
    let (status, code, msg) = api_error(weak);
    assert_eq!((status, code.as_str()), (400, codes::MMC_PARAM_INVALID));
    assert!(msg.contains("`pwd`"), "{msg}");
    let bob = client
        .show_user_detail(ShowUserDetailRequest::new("bob"))
        .unwrap_err();
    assert_eq!(api_error(bob).0, 404);
}

#[test]
fn an_unknown_user_is_not_found() {
    let sim = sim();
    let err = admin(&sim)
        .show_user_detail(ShowUserDetailRequest::new("nobody"))
        .unwrap_err();
    let (status, code, msg) = api_error(err);
    assert_eq!(status, 404);
    assert_eq!(code, codes::USG_USER_NOT_FOUND);
    assert_eq!(msg, "no user of the enterprise has the account `nobody`");
    let err = admin(&sim)
        .update_user(UpdateUserRequest::new("nobody").title("x"))
        .unwrap_err();
    assert_eq!(api_error(err).1, codes::USG_USER_NOT_FOUND);
}

#[test]
fn users_are_listed_a_page_at_a_time_and_every_one_once_with_the_iterator() {
    let sim = sim();
    let client = admin(&sim);
    for i in 0..23 {
        client
            .add_user(
                AddUserRequest::new(format!("Pager {i:02}"))
                    .account(format!("pager{i:02}"))
                    .sort_level(i),
            )
            .expect("the user is added");
    }
    // The administrator's own account is a user too: 24 in all.
    let first = client
        .search_users(SearchUsersRequest::new().limit(10))
        .expect("a page");
    assert_eq!(
        (first.offset, first.limit, first.count),
        (Some(0), Some(10), Some(24))
    );
    assert_eq!(first.data.as_ref().map(Vec::len), Some(10));
    let last = client
        .search_users(SearchUsersRequest::new().offset(20).limit(10))
        .expect("the last page");
    assert_eq!(last.count, Some(24));
    assert_eq!(last.data.as_ref().map(Vec::len), Some(4));

    let before = sim.requests().len();
    let all: Vec<String> = client
        .search_users_all(SearchUsersRequest::new().search_key("PAGER").limit(5))
        .map(|u| u.expect("a user").user_account.expect("an account"))
        .collect();
    let expected: Vec<String> = (0..23).map(|i| format!("pager{i:02}")).collect();
    assert_eq!(all, expected, "every match once, by sortLevel");
    let pages = sim.requests().len() - before;
    assert_eq!(pages, 5, "one request a page of five (23 users)");

    // Sorted the other way.
    let desc = client
        .search_users(
            SearchUsersRequest::new()
                .search_key("pager")
                .is_asc(false)
                .limit(2),
        )
        .expect("a page");
    let names: Vec<_> = desc
        .data
        .unwrap_or_default()
        .into_iter()
        .filter_map(|u| u.user_account)
        .collect();
    assert_eq!(names, ["pager22", "pager21"]);
}

#[test]
fn departments_form_a_tree_that_is_changed_and_pruned() {
    let sim = sim();
    let client = admin(&sim);
    let sales = client
        .add_department(AddDepartmentRequest::new("Sales").dept_code("sales"))
        .expect("added")
        .value
        .expect("a code");
    assert_eq!(sales, "sales");
    let east = client
        .add_department(AddDepartmentRequest::new("East").parent_dept_code("sales"))
        .expect("added")
        .value
        .expect("a made-up code");
    assert!(!east.is_empty());

    let shown = client
        .show_dept_and_child_dept(ShowDeptAndChildDeptRequest::new("sales"))
        .expect("found");
    assert_eq!(shown.dept_name.as_deref(), Some("Sales"));
    assert_eq!(shown.dept_level, Some(2));
    assert_eq!(shown.parent_dept_code.as_deref(), Some("1"));
    assert_eq!(shown.is_leaf_node, Some(false));
    let children = shown.child_depts.expect("sub-departments");
    assert_eq!(children.len(), 1);
    assert_eq!(children[0].dept_code.as_deref(), Some(east.as_str()));
    assert_eq!(
        children[0].dept_name_path.as_deref(),
        Some("Simulated enterprise/Sales/East")
    );

    client
        .update_department(UpdateDepartmentRequest::new(east.as_str()).dept_name("East coast"))
        .expect("renamed");
    let found = client
        .search_department_by_name(SearchDepartmentByNameRequest::new("coast"))
        .expect("searched");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].dept_code.as_deref(), Some(east.as_str()));
    assert_eq!(
        found[0].dept_code_path.as_deref(),
        Some(format!("1/sales/{east}").as_str())
    );

    // A department cannot move below itself.
    let cycle = client
        .update_department(UpdateDepartmentRequest::new("sales").parent_dept_code(east.as_str()))
        .unwrap_err();
    assert_eq!(api_error(cycle).0, 400);

    // Not while it has a sub-department; then it goes.
    let busy = client
        .delete_department(DeleteDepartmentRequest::new("sales"))
        .unwrap_err();
    assert_eq!(api_error(busy).1, codes::USG_DEPT_NOT_EMPTY);
    client
        .delete_department(DeleteDepartmentRequest::new(east.as_str()))
        .expect("deleted");
    client
        .delete_department(DeleteDepartmentRequest::new("sales"))
        .expect("deleted");
    let gone = client
        .show_dept_and_child_dept(ShowDeptAndChildDeptRequest::new("sales"))
        .unwrap_err();
    let (status, code, msg) = api_error(gone);
    assert_eq!((status, code.as_str()), (404, codes::USG_DEPT_NOT_FOUND));
    assert_eq!(msg, "no department has the code `sales`");
    let root = client
        .delete_department(DeleteDepartmentRequest::new("1"))
        .unwrap_err();
    assert_eq!(api_error(root).1, codes::USG_DEPT_NOT_EMPTY);
}

#[test]
fn the_address_book_shows_active_users_by_department_and_hides_hidden_phones() {
    let sim = sim();
    let client = admin(&sim);
    client
        .add_department(AddDepartmentRequest::new("Support").dept_code("support"))
        .expect("added");
    client
        .add_department(
            AddDepartmentRequest::new("Night shift")
                .dept_code("night")
                .parent_dept_code("support"),
        )
        .expect("added");
    for (account, dept, hide) in [("carol", "support", false), ("dave", "night", true)] {
        client
            .add_user(
                AddUserRequest::new(account.to_uppercase())
                    .account(account)
                    .dept_code(dept)
                    .phone(format!("+86138000000{}", account.len()))
                    .country("chinaPR")
                    .hide_phone(hide),
            )
            .expect("added");
    }
    // An invited person is not in the address book until they register.
    let invited = client
        .invite_user(InviteUserRequest::new("Erin", "erin@example.com").dept_code("support"))
        .expect("invited");
    assert_eq!(invited.user_exist, Some(false));
    let again = client
        .invite_user(InviteUserRequest::new("Erin", "erin@example.com"))
        .expect("invited");
    assert_eq!(again.user_exist, Some(true));

    let support = client
        .search_corp_dir(SearchCorpDirRequest::new().dept_code("support"))
        .expect("listed");
    let accounts: Vec<_> = support
        .data
        .clone()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|u| u.account)
        .collect();
    assert_eq!(accounts, ["carol", "dave"], "sub-departments included");
    let dave = support
        .data
        .unwrap_or_default()
        .into_iter()
        .find(|u| u.account.as_deref() == Some("dave"))
        .expect("dave");
    assert_eq!(dave.phone, None, "dave hides his phone");
    assert_eq!(dave.dept_name.as_deref(), Some("Night shift"));

    let only_support = client
        .search_corp_dir(
            SearchCorpDirRequest::new()
                .dept_code("support")
                .query_sub_dept(false),
        )
        .expect("listed");
    assert_eq!(only_support.count, Some(1));

    let all: Vec<_> = client
        .search_corp_dir_all(SearchCorpDirRequest::new().limit(1))
        .map(|u| u.expect("a user").account.expect("an account"))
        .collect();
    assert_eq!(all.len(), 3, "{all:?}: the administrator, carol and dave");

    let dept = client
        .show_department(ShowDepartmentRequest::new("support"))
        .expect("found");
    assert_eq!(dept.is_leaf_nodes, Some(false));
    let children = dept.child_depts.expect("sub-departments");
    assert_eq!(children[0].dept_code.as_deref(), Some("night"));
    let missing = client
        .show_department(ShowDepartmentRequest::new("nowhere"))
        .unwrap_err();
    assert_eq!(api_error(missing).1, codes::USG_DEPT_NOT_FOUND);
}

#[test]
fn cloud_meeting_rooms_are_listed_for_the_enterprise_and_changed_by_their_owner() {
    let sim = sim();
    let client = admin(&sim);
    let room = sim
        .add_cloud_meeting_room("Board room", Some(DEFAULT_ACCOUNT))
        .expect("a room");
    sim.add_cloud_meeting_room("Spare room", None)
        .expect("a room");
    assert!(
        sim.add_cloud_meeting_room("Lost room", Some("nobody"))
            .is_err()
    );

    let corp = client
        .search_corp_vmr(SearchCorpVmrRequest::new())
        .expect("listed");
    assert_eq!(corp.count, Some(2), "cloud meeting rooms, not personal IDs");
    let board = corp
        .data
        .unwrap_or_default()
        .into_iter()
        .find(|r| r.id.as_deref() == Some(room.as_str()))
        .expect("the board room");
    assert_eq!(board.vmr_name.as_deref(), Some("Board room"));
    assert_eq!(board.member.and_then(|m| m.id).map(|id| id.len()), Some(32));

    let mine = client
        .search_member_vmr(SearchMemberVmrRequest::new().special_vmr(true))
        .expect("listed");
    assert_eq!(mine.count, Some(1));
    let before = mine.data.unwrap_or_default().remove(0);
    assert_eq!(before.vmr_mode, Some(VmrMode::CloudMeetingRoom));
    client
        .update_member_vmr(
            UpdateMemberVmrRequest::new(room.as_str())
                .vmr_name("Boardroom 2")
                .gust_pwd("123456")
                .allow_gust_first(true),
        )
        .expect("changed");
    let after = client
        .search_member_vmr_all(SearchMemberVmrRequest::new().limit(1))
        .map(|r| r.expect("a room"))
        .find(|r| r.id.as_deref() == Some(room.as_str()))
        .expect("still mine");
    assert_eq!(after.vmr_name.as_deref(), Some("Boardroom 2"));
    assert_eq!(after.gust_pwd.as_ref().map(|p| p.expose()), Some("123456"));
    assert_eq!(after.allow_gust_first, Some(true));
    assert_eq!(
        after.chair_pwd.as_ref().map(|p| p.expose().to_owned()),
        before.chair_pwd.as_ref().map(|p| p.expose().to_owned()),
        "unchanged"
    );

    // A room that is not the caller's is not found for them.
    let spare = client
        .search_corp_vmr(SearchCorpVmrRequest::new().search_key("spare"))
        .expect("listed")
        .data
        .unwrap_or_default()
        .remove(0)
        .id
        .expect("an id");
    let err = client
        .update_member_vmr(UpdateMemberVmrRequest::new(spare.as_str()).vmr_name("Mine now"))
        .unwrap_err();
    let (status, code, _) = api_error(err);
    assert_eq!((status, code.as_str()), (404, codes::USG_VMR_NOT_FOUND));
}

#[test]
fn an_app_id_is_added_used_listed_changed_reset_and_deleted_and_its_key_shown_only_when_made() {
    let sim = sim();
    let client = admin(&sim);
    let added = client
        .add_app_id(AddAppIdRequest::new("Room booking").description("books rooms"))
        .expect("added");
    let app_id = added.app_id.clone().expect("an app ID");
    let key = added.app_key.clone().expect("the new key");
    assert_eq!(added.status, Some(AppIdState::Enabled));
    assert_eq!(key.expose().len(), 64);

    // The new app logs in with its own ID and key.
    let app = client_as(&sim, Credentials::app_id(app_id.as_str(), key.clone()));
    app.batch_search_app_id(BatchSearchAppIdRequest::new())
        .expect("the new app logs in");

    for i in 0..4 {
        client
            .add_app_id(AddAppIdRequest::new(format!("App {i}")))
            .expect("added");
    }
    let all: Vec<_> = client
        .batch_search_app_id_all(BatchSearchAppIdRequest::new().limit(2))
        .map(|a| a.expect("an app"))
        .collect();
    assert_eq!(all.len(), 5);
    assert!(all.iter().all(|a| a.app_key.is_none()), "no key in a list");
    assert_eq!(all[0].app_id.as_deref(), Some(app_id.as_str()));

    let updated = client
        .update_app_id(
            UpdateAppIdRequest::new(app_id.as_str())
                .app_name("Room booking v2")
                .status(AppIdState::Disabled),
        )
        .expect("changed");
    assert_eq!(updated.app_name.as_deref(), Some("Room booking v2"));
    assert_eq!(updated.status, Some(AppIdState::Disabled));
    assert!(updated.app_key.is_none());
    let taken = client
        .update_app_id(UpdateAppIdRequest::new(app_id.as_str()).app_name("App 0"))
        .unwrap_err();
    assert_eq!(api_error(taken).1, codes::USG_APP_EXISTS);

    client
        .update_app_id(UpdateAppIdRequest::new(app_id.as_str()).status(AppIdState::Enabled))
        .expect("enabled again");
    let reset = client
        .reset_app_key(ResetAppKeyRequest::new(app_id.as_str()))
        .expect("reset");
    let new_key = reset.app_key.expect("the new key");
    assert_ne!(new_key.expose(), key.expose());
    // The old key signs nothing any more; the new one does.
    let stale = client_as(&sim, Credentials::app_id(app_id.as_str(), key))
        .batch_search_app_id(BatchSearchAppIdRequest::new())
        .unwrap_err();
    assert_eq!(api_error(stale).1, codes::USG_AUTH_FAILED);
    client_as(&sim, Credentials::app_id(app_id.as_str(), new_key))
        .batch_search_app_id(BatchSearchAppIdRequest::new())
        .expect("the new key logs in");

    client
        .delete_app_id(DeleteAppIdRequest::new(app_id.as_str()))
        .expect("deleted");
    let gone = client
        .delete_app_id(DeleteAppIdRequest::new(app_id.as_str()))
        .unwrap_err();
    let (status, code, msg) = api_error(gone);
    assert_eq!((status, code.as_str()), (404, codes::USG_APP_NOT_FOUND));
    assert!(msg.contains(&app_id), "{msg}");
    let listed = client
        .batch_search_app_id(BatchSearchAppIdRequest::new())
        .expect("listed");
    assert_eq!(listed.count, Some(4));
}

#[test]
fn a_cloud_meeting_room_is_added_over_the_test_routes_and_the_directory_is_reset() {
    let sim = Simulator::spawn(SimConfig::http().demo(false)).expect("the simulator starts");
    let base = sim.url().to_owned();
    let agent = common::agent();
    let body = serde_json::json!({ "name": "Room 7", "assignTo": DEFAULT_ACCOUNT }).to_string();
    let added = common::send(
        &agent,
        "POST",
        &format!("{base}/_sim/vmrs"),
        &[],
        Some(&body),
    );
    assert_eq!(added.status, 201, "{}", added.text);
    let id = added.json["id"].as_str().expect("the room's id").to_owned();
    let unknown = serde_json::json!({ "name": "Room 8", "assignTo": "nobody" }).to_string();
    let refused = common::send(
        &agent,
        "POST",
        &format!("{base}/_sim/vmrs"),
        &[],
        Some(&unknown),
    );
    assert_eq!(refused.status, 400);
    assert_eq!(refused.json["error_code"], codes::SIM_BAD_REQUEST);
    assert!(
        refused.json["error_msg"]
            .as_str()
            .is_some_and(|m| m.contains("`nobody`")),
        "{}",
        refused.text
    );

    let token = common::access_token(&agent, &base);
    let list = |agent: &ureq::Agent| {
        common::send(
            agent,
            "GET",
            &format!("{base}/v1/usg/dcs/corp/vmr?offset=0&limit=5"),
            &[("X-Access-Token", token.as_str())],
            None,
        )
    };
    let listed = list(&agent);
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_eq!(listed.json["count"], 1);
    assert_eq!(listed.json["limit"], 5);
    assert_eq!(listed.json["data"][0]["id"], id.as_str());
    assert_eq!(listed.json["data"][0]["vmrName"], "Room 7");
    assert_eq!(listed.json["data"][0]["status"], 0, "assigned: in use");

    // A reset forgets the room (and the token).
    sim.reset();
    let token = common::access_token(&agent, &base);
    let after = common::send(
        &agent,
        "GET",
        &format!("{base}/v1/usg/dcs/corp/vmr"),
        &[("X-Access-Token", token.as_str())],
        None,
    );
    assert_eq!(after.json["count"], 0, "{}", after.text);
    assert_eq!(after.json["limit"], 10, "the default page size");
}

/// The accounts `search_users` finds for a search key.
fn user_accounts(client: &Client, key: &str) -> Vec<String> {
    client
        .search_users_all(SearchUsersRequest::new().search_key(key))
        .map(|u| u.expect("a user").user_account.expect("an account"))
        .collect()
}

/// The accounts the address book (`search_corp_dir`) finds for a key.
fn address_book_accounts(client: &Client, key: &str) -> Vec<String> {
    client
        .search_corp_dir_all(SearchCorpDirRequest::new().search_key(key))
        .map(|u| u.expect("a user").account.expect("an account"))
        .collect()
}

/// Whether a new client can log in with this account and password (and
/// make a call); the error answer when it cannot.
fn log_in(sim: &SimHandle, account: &str, password: &str) -> Result<(), (u16, String, String)> {
    client_as(sim, Credentials::account(account, password))
        .search_member_vmr(SearchMemberVmrRequest::new())
        .map(drop)
        .map_err(api_error)
}

/// The enterprise's cloud meeting room with this ID, as the
/// administrator's list shows it.
fn corp_room(client: &Client, id: &str) -> Option<QueryOrgVmrResultDto> {
    client
        .search_corp_vmr_all(SearchCorpVmrRequest::new())
        .map(|r| r.expect("a room"))
        .find(|r| r.id.as_deref() == Some(id))
}

/// The IDs of the cloud meeting rooms assigned to the user of `client`.
fn my_cloud_rooms(client: &Client) -> Vec<String> {
    client
        .search_member_vmr_all(SearchMemberVmrRequest::new().special_vmr(true))
        .map(|r| r.expect("a room").id.expect("an id"))
        .collect()
}

#[test]
fn users_deleted_in_a_batch_cannot_log_in_are_not_found_and_give_their_rooms_back() {
    let sim = sim();
    let client = admin(&sim);
    for (account, third) in [("gone_a", "ext-a"), ("gone_b", "ext-b"), ("stays", "ext-s")] {
        client
            .add_user(
                AddUserRequest::new(account.to_uppercase())
                    .account(account)
                    .third_account(third)
                    .pwd("Secret-pass-42"),
            )
            .expect("added");
    }
    let room = sim
        .add_cloud_meeting_room("Room of A", Some("gone_a"))
        .expect("a room");
    let a = client_as(&sim, Credentials::account("gone_a", "Secret-pass-42"));
    assert_eq!(my_cloud_rooms(&a), [room.as_str()]);
    assert_eq!(user_accounts(&client, "gone"), ["gone_a", "gone_b"]);
    assert_eq!(address_book_accounts(&client, "gone"), ["gone_a", "gone_b"]);

    // An account nobody has is skipped.
    client
        .batch_delete_users(BatchDeleteUsersRequest::new(["gone_a", "gone_b", "nobody"]))
        .expect("deleted");
    assert!(user_accounts(&client, "gone").is_empty());
    assert!(address_book_accounts(&client, "gone").is_empty());
    let err = client
        .show_user_detail(ShowUserDetailRequest::new("gone_a"))
        .unwrap_err();
    assert_eq!(api_error(err).1, codes::USG_USER_NOT_FOUND);
    // A deleted user cannot log in, and the session they had is over.
    let (status, code, _) = log_in(&sim, "gone_a", "Secret-pass-42").unwrap_err();
    assert_eq!((status, code.as_str()), (401, codes::USG_AUTH_FAILED));
    let ended = a
        .search_member_vmr(SearchMemberVmrRequest::new())
        .unwrap_err();
    assert_eq!(api_error(ended).1, codes::USG_AUTH_FAILED);
    // Their cloud meeting room is the enterprise's again, unassigned.
    let back = corp_room(&client, &room).expect("the room is kept");
    assert_eq!(back.status, Some(VmrStatus::Unassigned));
    assert_eq!(back.member, None);

    // Repeating the call changes nothing and succeeds.
    client
        .batch_delete_users(BatchDeleteUsersRequest::new(["gone_a", "gone_b"]))
        .expect("deleted again");

    // Third-party accounts with `accountType` 1.
    client
        .batch_delete_users(
            BatchDeleteUsersRequest::new(["stays"]).account_type(AccountType::ThirdPartyUserId),
        )
        .expect("no user has that third-party account");
    assert_eq!(user_accounts(&client, "stays"), ["stays"]);

    // The default administrator cannot be deleted, and then nobody is.
    let err = client
        .batch_delete_users(BatchDeleteUsersRequest::new(["ext-s", DEFAULT_ACCOUNT]))
        .unwrap_err();
    let (status, code, msg) = api_error(err);
    assert_eq!((status, code.as_str()), (400, codes::USG_DEFAULT_ADMIN));
    assert_eq!(
        msg,
        format!(
            "`{DEFAULT_ACCOUNT}` is the enterprise's default administrator, who cannot be \
             deleted: leave it out of the list"
        )
    );
    log_in(&sim, DEFAULT_ACCOUNT, DEFAULT_ACCOUNT_PASSWORD).expect("still there");

    client
        .batch_delete_users(
            BatchDeleteUsersRequest::new(["ext-s"]).account_type(AccountType::ThirdPartyUserId),
        )
        .expect("deleted by third-party account");
    assert!(user_accounts(&client, "stays").is_empty());
}

#[test]
fn a_disabled_user_cannot_log_in_until_enabled_again() {
    let sim = sim();
    let client = admin(&sim);
    client
        .add_user(
            AddUserRequest::new("Dora")
                .account("dora")
                .third_account("ext-dora")
                .pwd("Secret-pass-42"),
        )
        .expect("added");
    let dora = client_as(&sim, Credentials::account("dora", "Secret-pass-42"));
    dora.search_member_vmr(SearchMemberVmrRequest::new())
        .expect("dora logs in");

    client
        .batch_update_user_status(BatchUpdateUserStatusRequest::new(
            UserStatusValue::Disable,
            ["dora"],
        ))
        .expect("disabled");
    let shown = client
        .show_user_detail(ShowUserDetailRequest::new("dora"))
        .expect("still a user");
    assert_eq!(shown.status, Some(UserStatus::Disabled));
    let (status, code, _) = log_in(&sim, "dora", "Secret-pass-42").unwrap_err();
    assert_eq!((status, code.as_str()), (401, codes::USG_AUTH_FAILED));
    let ended = dora
        .search_member_vmr(SearchMemberVmrRequest::new())
        .unwrap_err();
    assert_eq!(
        api_error(ended).1,
        codes::USG_AUTH_FAILED,
        "her session ended"
    );
    // Nor can an app log in as her (by her third-party account).
    let app = client_as(
        &sim,
        Credentials::AppId(
            AppIdCredentials::new(DEFAULT_APP_ID, DEFAULT_APP_KEY).user_id("ext-dora"),
        ),
    );
    let (status, code, msg) = api_error(
        app.search_member_vmr(SearchMemberVmrRequest::new())
            .unwrap_err(),
    );
    assert_eq!((status, code.as_str()), (401, codes::USG_AUTH_FAILED));
    assert!(msg.contains("`ext-dora` is disabled"), "{msg}");

    // An unknown account: 404 naming the first one, and nothing changes.
    let err = client
        .batch_update_user_status(BatchUpdateUserStatusRequest::new(
            UserStatusValue::Enable,
            ["dora", "nobody", "ghost"],
        ))
        .unwrap_err();
    let (status, code, msg) = api_error(err);
    assert_eq!((status, code.as_str()), (404, codes::USG_USER_NOT_FOUND));
    assert_eq!(msg, "no user of the enterprise has the account `nobody`");
    assert!(
        log_in(&sim, "dora", "Secret-pass-42").is_err(),
        "still disabled"
    );

    // Enabled again (by third-party account), she logs in.
    client
        .batch_update_user_status(
            BatchUpdateUserStatusRequest::new(UserStatusValue::Enable, ["ext-dora"])
                .account_type(AccountType::ThirdPartyUserId),
        )
        .expect("enabled");
    log_in(&sim, "dora", "Secret-pass-42").expect("dora logs in again");
    dora.search_member_vmr(SearchMemberVmrRequest::new())
        .expect("her client logs in again");
    app.search_member_vmr(SearchMemberVmrRequest::new())
        .expect("the app logs in as her again");

    // The default administrator cannot be disabled.
    let err = client
        .batch_update_user_status(BatchUpdateUserStatusRequest::new(
            UserStatusValue::Disable,
            [DEFAULT_ACCOUNT],
        ))
        .unwrap_err();
    let (status, code, msg) = api_error(err);
    assert_eq!((status, code.as_str()), (400, codes::USG_DEFAULT_ADMIN));
    assert!(msg.contains("cannot be disabled"), "{msg}");
    log_in(&sim, DEFAULT_ACCOUNT, DEFAULT_ACCOUNT_PASSWORD).expect("still enabled");
}

#[test]
fn cloud_meeting_rooms_are_assigned_taken_back_and_deleted() {
    let sim = sim();
    let client = admin(&sim);
    client
        .add_user(
            AddUserRequest::new("Erin")
                .account("erin")
                .pwd("Secret-pass-42"),
        )
        .expect("added");
    let erin = client_as(&sim, Credentials::account("erin", "Secret-pass-42"));
    let r1 = sim.add_cloud_meeting_room("Room 1", None).expect("a room");
    let r2 = sim.add_cloud_meeting_room("Room 2", None).expect("a room");
    let r3 = sim.add_cloud_meeting_room("Room 3", None).expect("a room");
    let taken = sim
        .add_cloud_meeting_room("Admin's room", Some(DEFAULT_ACCOUNT))
        .expect("a room");
    assert!(my_cloud_rooms(&erin).is_empty());

    client
        .associate_vmr(AssociateVmrRequest::new("erin", [r1.as_str(), r2.as_str()]))
        .expect("assigned");
    assert_eq!(my_cloud_rooms(&erin), [r1.as_str(), r2.as_str()]);
    let listed = corp_room(&client, &r1).expect("listed");
    assert_eq!(listed.status, Some(VmrStatus::Normal));
    assert_eq!(listed.member.and_then(|m| m.mark).as_deref(), Some("Erin"));

    // A room someone else has is refused, and then none is assigned.
    let err = client
        .associate_vmr(AssociateVmrRequest::new(
            "erin",
            [r3.as_str(), taken.as_str()],
        ))
        .unwrap_err();
    let (status, code, msg) = api_error(err);
    assert_eq!((status, code.as_str()), (400, codes::USG_VMR_ASSIGNED));
    assert!(
        msg.contains(&format!("`{taken}` is assigned to `{DEFAULT_ACCOUNT}`")),
        "{msg}"
    );
    assert_eq!(
        corp_room(&client, &r3).and_then(|r| r.status),
        Some(VmrStatus::Unassigned)
    );
    // An unknown room or user.
    let err = client
        .associate_vmr(AssociateVmrRequest::new("erin", ["no-such-room"]))
        .unwrap_err();
    let (status, code, msg) = api_error(err);
    assert_eq!((status, code.as_str()), (404, codes::USG_VMR_NOT_FOUND));
    assert_eq!(
        msg,
        "the enterprise has no cloud meeting room with the ID `no-such-room`"
    );
    let err = client
        .associate_vmr(AssociateVmrRequest::new("nobody", [r3.as_str()]))
        .unwrap_err();
    assert_eq!(api_error(err).1, codes::USG_USER_NOT_FOUND);
    // A personal meeting ID is not a cloud meeting room.
    let personal = erin
        .search_member_vmr(SearchMemberVmrRequest::new().special_vmr(false))
        .expect("listed")
        .data
        .unwrap_or_default()
        .remove(0)
        .id
        .expect("an id");
    let err = client
        .associate_vmr(AssociateVmrRequest::new(
            DEFAULT_ACCOUNT,
            [personal.as_str()],
        ))
        .unwrap_err();
    assert_eq!(api_error(err).0, 404);

    // Taken back: the room is the enterprise's again.
    client
        .disassociate_vmr(DisassociateVmrRequest::new("erin", [r1.as_str()]))
        .expect("taken back");
    assert_eq!(my_cloud_rooms(&erin), [r2.as_str()]);
    let back = corp_room(&client, &r1).expect("listed");
    assert_eq!(back.status, Some(VmrStatus::Unassigned));
    assert_eq!(back.member, None);
    let err = client
        .disassociate_vmr(DisassociateVmrRequest::new("erin", [r1.as_str()]))
        .unwrap_err();
    let (status, code, msg) = api_error(err);
    assert_eq!((status, code.as_str()), (400, codes::USG_VMR_ASSIGNED));
    assert_eq!(
        msg,
        format!("the cloud meeting room `{r1}` is not assigned to `erin`")
    );
    let err = client
        .disassociate_vmr(DisassociateVmrRequest::new("erin", ["no-such-room"]))
        .unwrap_err();
    assert_eq!(api_error(err).1, codes::USG_VMR_NOT_FOUND);

    // Deleted (an unknown ID and a personal meeting ID are skipped).
    client
        .delete_corp_vmr(DeleteCorpVmrRequest::new([
            r2.as_str(),
            "no-such-room",
            personal.as_str(),
        ]))
        .expect("deleted");
    assert!(corp_room(&client, &r2).is_none());
    assert!(my_cloud_rooms(&erin).is_empty());
    let corp = client
        .search_corp_vmr(SearchCorpVmrRequest::new())
        .expect("listed");
    assert_eq!(corp.count, Some(3), "rooms 1 and 3 and the administrator's");
    let mine = erin
        .search_member_vmr(SearchMemberVmrRequest::new())
        .expect("listed");
    assert_eq!(mine.count, Some(1), "erin keeps her personal meeting ID");
}

#[test]
fn user_details_are_read_in_a_batch_one_answer_per_id_in_order() {
    let sim = sim();
    let client = admin(&sim);
    let fay = client
        .add_user(
            AddUserRequest::new("Fay")
                .account("fay")
                .third_account("ext-fay")
                .email("fay@example.com")
                .title("Buyer"),
        )
        .expect("added")
        .id
        .expect("an id");
    let admin_id = client
        .show_user_detail(ShowUserDetailRequest::new(DEFAULT_ACCOUNT))
        .expect("found")
        .id
        .expect("an id");

    let ids = [fay.as_str(), "missing", admin_id.as_str()];
    let read = client
        .batch_show_user_details(BatchShowUserDetailsRequest::new(
            ids.iter()
                .map(|id| ShowUserRequestDto::new().id(*id))
                .collect(),
        ))
        .expect("read");
    let answered: Vec<_> = read
        .iter()
        .map(|u| (u.id.as_deref(), u.status_code))
        .collect();
    assert_eq!(
        answered,
        [
            (Some(fay.as_str()), Some(UserLookupStatus::Changed)),
            (Some("missing"), Some(UserLookupStatus::NotFound)),
            (Some(admin_id.as_str()), Some(UserLookupStatus::Changed)),
        ]
    );
    assert_eq!(read[0].account.as_deref(), Some("fay"));
    assert_eq!(read[0].name.as_deref(), Some("Fay"));
    assert_eq!(read[0].email.as_deref(), Some("fay@example.com"));
    assert_eq!(read[0].title.as_deref(), Some("Buyer"));
    assert_eq!(read[0].dept_name.as_deref(), Some("Simulated enterprise"));
    assert!(
        read[0]
            .number
            .as_deref()
            .is_some_and(|n| n.starts_with('+'))
    );
    assert_eq!(read[2].account.as_deref(), Some(DEFAULT_ACCOUNT));
    // Not found: only the ID.
    assert_eq!(
        serde_json::to_value(&read[1]).expect("serialisable"),
        serde_json::json!({ "id": "missing", "statusCode": 2 })
    );

    // By third-party account.
    let by_third = client
        .batch_show_user_details(
            BatchShowUserDetailsRequest::new(vec![ShowUserRequestDto::new().id("ext-fay")])
                .id_type("thirdAccount"),
        )
        .expect("read");
    assert_eq!(by_third[0].id.as_deref(), Some(fay.as_str()));
    assert_eq!(by_third[0].status_code, Some(UserLookupStatus::Changed));
    let err = client
        .batch_show_user_details(
            BatchShowUserDetailsRequest::new(vec![ShowUserRequestDto::new().id("fay")])
                .id_type("nickname"),
        )
        .unwrap_err();
    let (status, _, msg) = api_error(err);
    assert_eq!(status, 400);
    assert!(msg.contains("`idType`"), "{msg}");

    // A deleted user is not found any more.
    client
        .batch_delete_users(BatchDeleteUsersRequest::new(["fay"]))
        .expect("deleted");
    let after = client
        .batch_show_user_details(BatchShowUserDetailsRequest::new(vec![
            ShowUserRequestDto::new().id(fay.as_str()),
        ]))
        .expect("read");
    assert_eq!(after[0].status_code, Some(UserLookupStatus::NotFound));
}
