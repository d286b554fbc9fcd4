//! `--all` on the commands of paginated searches (operations whose spec has
//! a `pagination`): every page is asked for in turn, and the items of all
//! pages are printed as one JSON list.
//!
//! The walk is the SDK's (`hwmeeting_core::page::PageCursor`, which the
//! clients' iterators use too): it starts at the given offset (or the first
//! item), asks for pages of the given limit (or the default page size, 100
//! or less where the spec allows less), advances by the number of items
//! received, and stops at the first of: an empty page, the total count
//! reached, a page shorter than the page size when the answer has no count,
//! or `MAX_PAGES` pages. The offset and limit are
//! set by their wire names from the operation's metadata, so nothing here
//! names an operation.
//!
//! A failure on any page fails the command: nothing is printed on stdout,
//! so a partial list is never shown as if it were complete.

use clap::{Arg, ArgAction, ArgMatches};
use hwmeeting_core::DynamicOperation;
use hwmeeting_core::meta::{Location, OperationMeta, Pagination};
use hwmeeting_core::page::{PageCursor, default_page_size};
use serde_json::Value;

/// The clap id and long name of the flag.
pub const ALL_ID: &str = "all";

/// The `--all` flag, for an operation with pagination whose offset and
/// limit are given by these flags.
pub fn arg(pagination: &Pagination, offset_flag: &str, limit_flag: &str) -> Arg {
    Arg::new(ALL_ID)
        .long("all")
        .action(ArgAction::SetTrue)
        .help(format!(
            "Ask for every page and print the items of all pages as one JSON list (from {offset_flag} or the first item, {limit_flag} items a page or 100)"
        ))
        .long_help(format!(
            "Ask for one page after another and print the items (`{items}` of each answer) of all pages as one JSON list. \
             The walk starts at the offset given (`{offset}`) or at the first item, asks for pages of the limit given \
             (`{limit}`) or of 100 items (less where the service allows less), and stops at the total count \
             (`{count}`) or at an empty page. If any page fails, the command fails and prints no list.",
            items = pagination.items,
            offset = pagination.offset,
            limit = pagination.limit,
            count = pagination.count,
        ))
}

/// Whether `--all` was given (false for commands without the flag).
pub fn wanted(m: &ArgMatches) -> bool {
    matches!(m.try_get_one::<bool>(ALL_ID), Ok(Some(true)))
}

/// An integer query parameter as set on the request (number or text).
fn query_int(op: &DynamicOperation, name: &str) -> Option<i64> {
    match op.wire().query.get(name)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Sets the page's offset and limit on a copy of the request.
pub fn page_request(
    op: &DynamicOperation,
    pagination: &Pagination,
    offset: i64,
    limit: i64,
) -> DynamicOperation {
    let mut page = op.clone();
    // Both are integer query parameters of the spec: setting them cannot
    // fail; if it did, the request keeps what it had and the walk still
    // ends (at an empty page or the count).
    let _ = page.set_in(Location::Query, pagination.offset, Value::from(offset));
    let _ = page.set_in(Location::Query, pagination.limit, Value::from(limit));
    page
}

/// The first page's offset and the page size of a walk of `op`.
pub fn start(meta: &OperationMeta, op: &DynamicOperation, pagination: &Pagination) -> (i64, i64) {
    let offset = query_int(op, pagination.offset).unwrap_or(0).max(0);
    let limit = query_int(op, pagination.limit)
        .filter(|l| *l > 0)
        .unwrap_or_else(|| default_page_size(meta));
    (offset, limit)
}

/// What a walk received.
#[derive(Debug, Default)]
pub struct Walk {
    /// The items of all pages, in order.
    pub items: Vec<Value>,
    /// The number of pages asked for.
    pub pages: u32,
    /// The total count of the last answer that gave one.
    pub total: Option<i64>,
}

/// Why a walk ended early.
#[derive(Debug)]
pub struct WalkError<E> {
    /// The error of the failed page.
    pub error: E,
    /// The number of the failed page (from 1).
    pub page: u32,
    /// The offset it asked for.
    pub offset: i64,
    /// How many items the pages before it gave.
    pub received: usize,
}

impl<E> WalkError<E> {
    /// What to add to the error's message.
    pub fn note(&self) -> String {
        format!(
            " (--all: page {} from item {} failed after {} item{} received; no list printed)",
            self.page,
            self.offset,
            self.received,
            if self.received == 1 { "" } else { "s" }
        )
    }
}

/// Walks every page of `op`: `send` makes the call of one page and returns
/// its answer.
pub fn walk<E>(
    meta: &'static OperationMeta,
    op: &DynamicOperation,
    mut send: impl FnMut(DynamicOperation) -> Result<Value, E>,
) -> Result<Walk, WalkError<E>> {
    let Some(pagination) = meta.pagination else {
        // Not a paginated search: one call, its answer the one item.
        let answer = send(op.clone()).map_err(|error| WalkError {
            error,
            page: 1,
            offset: 0,
            received: 0,
        })?;
        return Ok(Walk {
            items: vec![answer],
            pages: 1,
            total: None,
        });
    };
    let (offset, limit) = start(meta, op, &pagination);
    let mut cursor = PageCursor::new(offset, limit);
    let mut walk = Walk::default();
    while let Some((offset, limit)) = cursor.next_page() {
        let request = page_request(op, &pagination, offset, limit);
        let mut answer = send(request).map_err(|error| WalkError {
            error,
            page: cursor.pages() + 1,
            offset,
            received: walk.items.len(),
        })?;
        let count = answer.get(pagination.count).and_then(Value::as_i64);
        let items = match answer.get_mut(pagination.items).map(Value::take) {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        };
        cursor.received(count, items.len());
        walk.items.extend(items);
    }
    walk.pages = cursor.pages();
    walk.total = cursor.total();
    Ok(walk)
}

/// A masked path of a page's answer as it applies to the list printed:
/// `data[4].token` → `[].token`.
pub fn item_path(pagination: &Pagination, path: &str) -> String {
    match path.strip_prefix(pagination.items) {
        Some(rest) if rest.starts_with('[') => match rest.find(']') {
            Some(end) => format!("[]{}", &rest[end + 1..]),
            None => path.to_owned(),
        },
        _ => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search_meetings() -> &'static OperationMeta {
        hwmeeting_api::operations()
            .iter()
            .find(|m| m.id == "search_meetings")
            .expect("search_meetings is in the spec")
    }

    /// Serves `total` items, `served` at most a page, with or without a
    /// count; returns the (offset, limit) asked for and the items.
    fn serve(
        op: &DynamicOperation,
        total: i64,
        served: i64,
        counted: bool,
    ) -> (Vec<(i64, i64)>, Vec<Value>) {
        let mut asked = Vec::new();
        let walk = walk(hwmeeting_core::Operation::meta(op), op, |page| {
            let offset = query_int(&page, "offset").unwrap();
            let limit = query_int(&page, "limit").unwrap();
            asked.push((offset, limit));
            let data: Vec<Value> = (offset..total)
                .take(limit.min(served) as usize)
                .map(Value::from)
                .collect();
            let mut answer = serde_json::json!({ "data": data });
            if counted {
                answer["count"] = Value::from(total);
            }
            Ok::<_, ()>(answer)
        })
        .unwrap();
        (asked, walk.items)
    }

    #[test]
    fn seven_by_three_is_three_pages_and_the_default_is_100() {
        let meta = search_meetings();
        let mut op = DynamicOperation::new(meta);
        op.set_in(Location::Query, "limit", Value::from(3)).unwrap();
        let (asked, items) = serve(&op, 7, 100, true);
        assert_eq!(asked, [(0, 3), (3, 3), (6, 3)]);
        assert_eq!(items, (0..7).map(Value::from).collect::<Vec<_>>());
        // Without a count, a short page ends it.
        let (asked, items) = serve(&op, 7, 100, false);
        assert_eq!(asked.len(), 3);
        assert_eq!(items.len(), 7);
        // Fewer items than asked: nothing skipped.
        let (asked, items) = serve(&op, 5, 2, true);
        assert_eq!(asked, [(0, 3), (2, 3), (4, 3)]);
        assert_eq!(items.len(), 5);
        // A start offset is kept; no limit is 100 a page.
        let mut op = DynamicOperation::new(meta);
        op.set_in(Location::Query, "offset", Value::from(4))
            .unwrap();
        let (asked, items) = serve(&op, 7, 1000, true);
        assert_eq!(asked, [(4, 100)]);
        assert_eq!(items.len(), 3);
        // Nothing found: one request.
        let (asked, items) = serve(&op, 0, 100, true);
        assert_eq!(asked, [(4, 100)]);
        assert!(items.is_empty());
    }

    #[test]
    fn a_failed_page_fails_the_walk() {
        let meta = search_meetings();
        let mut op = DynamicOperation::new(meta);
        op.set_in(Location::Query, "limit", Value::from(2)).unwrap();
        let mut calls = 0;
        let err = walk(meta, &op, |_| {
            calls += 1;
            if calls == 2 {
                return Err("boom");
            }
            Ok(serde_json::json!({"count": 5, "data": [1, 2]}))
        })
        .unwrap_err();
        assert_eq!((err.page, err.offset, err.received), (2, 2, 2));
        assert!(err.note().contains("page 2 from item 2"), "{}", err.note());
    }

    #[test]
    fn masked_paths_name_the_items() {
        let p = search_meetings().pagination.unwrap();
        assert_eq!(item_path(&p, "data[12].token"), "[].token");
        assert_eq!(item_path(&p, "data[0]"), "[]");
        assert_eq!(item_path(&p, "count"), "count");
    }
}
