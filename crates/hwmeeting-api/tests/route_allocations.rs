//! Route lookup allocates nothing: `find_by_route` runs for every request
//! the simulator serves, over every operation.
//!
//! The allocator counts for the whole process, so this binary holds this
//! one test only.

use std::alloc::System;

use hwmeeting_core::meta::{self, Auth, OperationMeta};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// An operation with path parameters (the spec has none yet).
static ROOM: OperationMeta = OperationMeta {
    id: "mute_room",
    group: "meeting_control",
    method: "PUT",
    path: "/v1/rooms/{room}/seats/{seat}/mute",
    summary: "",
    description: "",
    auth: Auth::None,
    idempotent: true,
    role: meta::SessionRole::None,
    params: &[],
    response: None,
    response_is_list: false,
    pagination: None,
};

#[test]
fn looking_up_a_route_allocates_nothing() {
    let routes: Vec<(&str, String)> = hwmeeting_api::operations()
        .iter()
        .map(|op| (op.method, format!("{}/", op.path)))
        .chain([
            ("GET", "/v1/no/such/path".to_owned()),
            ("POST", "/v1/mmc/control/conferences/mute".to_owned()),
            ("PUT", "/v1/mmc/control/conferences/%E4%BC%9A".to_owned()),
        ])
        .collect();
    let room_paths = [
        "/v1/rooms/r%201/seats/%E4%BC%9A/mute/",
        "/v1/rooms/plain/seats/7/mute",
        "/v1/rooms/%FF/seats/7/mute",
        "/v1/rooms//seats/7/mute",
    ];
    let mut rooms = Vec::with_capacity(room_paths.len());
    let mut found = 0;
    let region = Region::new(GLOBAL);
    for (method, path) in &routes {
        found += usize::from(hwmeeting_api::find_by_route(method, path).is_some());
    }
    let matched = hwmeeting_api::operations()
        .iter()
        .filter(|op| meta::path_matches(op, op.path))
        .count();
    for path in room_paths {
        rooms.push(meta::path_matches(&ROOM, path));
    }
    let stats = region.change();
    assert_eq!(stats.allocations, 0, "{stats:?}");
    assert_eq!(stats.reallocations, 0, "{stats:?}");
    assert_eq!(found, hwmeeting_api::operations().len());
    assert_eq!(matched, hwmeeting_api::operations().len());
    assert_eq!(rooms, [true, true, false, false]);
}
