//! Walking a paginated search page by page, without I/O.
//!
//! A search the spec marks paginated (its `pagination`) takes the index of
//! the page's first item and the page size in its request, and answers with
//! the total count and the page's items. The generated request implements
//! [`Paginated`]; a [`PageWalk`] decides which page to ask for next and when
//! to stop, and the transports turn it into an `Iterator` (blocking) or a
//! `Stream` (async) of items.
//!
//! The walk stops at the first of: a page with no items; the total count
//! reached; a page shorter than the page size when the answer has no count.
//! It advances by the number of items received, so a service that answers
//! more or fewer items than asked for is neither skipped nor repeated.

use std::collections::VecDeque;
use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::meta::OperationMeta;
use crate::operation::Operation;

/// The page size a walk asks for when the request sets none (lowered to
/// the most the spec allows, if it says).
pub const DEFAULT_PAGE_SIZE: i64 = 100;

/// The most pages one walk asks for: a guard against a service that never
/// reports an end (10,000 pages of at least one item each).
pub const MAX_PAGES: u32 = 10_000;

/// A request of a paginated search (generated for every operation the spec
/// marks so).
pub trait Paginated: Operation + Clone {
    /// One item of a page.
    type Item: Serialize + DeserializeOwned + fmt::Debug + Send + 'static;

    /// The index of the first item the caller asked for, if set.
    fn page_offset(&self) -> Option<i64>;

    /// The page size the caller asked for, if set.
    fn page_limit(&self) -> Option<i64>;

    /// Asks for the page of `limit` items that starts at item `offset`.
    fn set_page(&mut self, offset: i64, limit: i64);

    /// The total count and the items of an answer.
    fn into_page(output: Self::Output) -> Page<Self::Item>;
}

/// One page of an answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// How many items all pages hold, when the answer says.
    pub count: Option<i64>,
    /// The items of this page.
    pub items: Vec<T>,
}

/// Where a walk is: the page to ask for next, and whether it is over. The
/// one place that decides when a walk stops, for typed requests
/// ([`PageWalk`]) and for any other (the CLI's `--all` walks JSON).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageCursor {
    next_offset: i64,
    limit: i64,
    total: Option<i64>,
    pages: u32,
    done: bool,
}

impl PageCursor {
    /// A walk from item `offset` (negative is taken as 0) with pages of
    /// `limit` items (one at least).
    pub fn new(offset: i64, limit: i64) -> Self {
        PageCursor {
            next_offset: offset.max(0),
            limit: limit.max(1),
            total: None,
            pages: 0,
            done: false,
        }
    }

    /// The offset and limit of the next page, or `None` when the walk is
    /// over.
    pub fn next_page(&self) -> Option<(i64, i64)> {
        (!self.done).then_some((self.next_offset, self.limit))
    }

    /// Takes in a page of `received` items, with the total `count` when
    /// the answer gives one.
    pub fn received(&mut self, count: Option<i64>, received: usize) {
        let received = i64::try_from(received).unwrap_or(i64::MAX);
        self.pages += 1;
        if count.is_some() {
            self.total = count;
        }
        self.next_offset = self.next_offset.saturating_add(received);
        self.done = received == 0
            || self.pages >= MAX_PAGES
            || match count {
                Some(count) => self.next_offset >= count,
                None => received < self.limit,
            };
    }

    /// Ends the walk (after an error).
    pub fn stop(&mut self) {
        self.done = true;
    }

    /// The total count of the last answer that gave one.
    pub fn total(&self) -> Option<i64> {
        self.total
    }

    /// The page size asked for.
    pub fn page_size(&self) -> i64 {
        self.limit
    }

    /// How many pages were received.
    pub fn pages(&self) -> u32 {
        self.pages
    }
}

/// Which typed request to send next, and when to stop.
#[derive(Clone, Debug)]
pub struct PageWalk<R> {
    request: R,
    cursor: PageCursor,
}

impl<R: Paginated> PageWalk<R> {
    /// A walk from the request's offset (or the first item) with the
    /// request's page size (or [`DEFAULT_PAGE_SIZE`], within the spec's
    /// limits).
    pub fn new(request: R) -> Self {
        let limit = request
            .page_limit()
            .unwrap_or_else(|| default_page_size(request.meta()));
        PageWalk {
            cursor: PageCursor::new(request.page_offset().unwrap_or(0), limit),
            request,
        }
    }

    /// The request of the next page, or `None` when the walk is over.
    pub fn next_request(&self) -> Option<R> {
        let (offset, limit) = self.cursor.next_page()?;
        let mut request = self.request.clone();
        request.set_page(offset, limit);
        Some(request)
    }

    /// Takes the answer to the last [`next_request`](Self::next_request)
    /// and returns its items.
    pub fn accept(&mut self, output: R::Output) -> Vec<R::Item> {
        let page = R::into_page(output);
        self.cursor.received(page.count, page.items.len());
        page.items
    }

    /// Ends the walk (after an error).
    pub fn stop(&mut self) {
        self.cursor.stop();
    }

    /// The total count of the last answer that gave one.
    pub fn total(&self) -> Option<i64> {
        self.cursor.total()
    }

    /// The page size asked for.
    pub fn page_size(&self) -> i64 {
        self.cursor.page_size()
    }
}

/// The default page size of an operation: [`DEFAULT_PAGE_SIZE`], lowered
/// to the maximum of its limit parameter when the spec gives one.
pub fn default_page_size(meta: &OperationMeta) -> i64 {
    let maximum = meta.pagination.and_then(|p| {
        meta.params
            .iter()
            .find(|f| f.name == p.limit)
            .and_then(|f| f.constraints.maximum)
    });
    match maximum {
        Some(max) if max >= 1.0 && max < DEFAULT_PAGE_SIZE as f64 => max as i64,
        _ => DEFAULT_PAGE_SIZE,
    }
}

/// The items of a walk not yet handed out: what both transports buffer
/// between pages.
#[derive(Debug)]
pub struct Pending<R: Paginated> {
    /// The walk.
    pub walk: PageWalk<R>,
    /// Items received and not yet handed out.
    pub buffer: VecDeque<R::Item>,
}

impl<R: Paginated> Pending<R> {
    /// A walk with nothing received yet.
    pub fn new(request: R) -> Self {
        Pending {
            walk: PageWalk::new(request),
            buffer: VecDeque::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::{Auth, SessionRole};

    static META: OperationMeta = OperationMeta {
        id: "search_things",
        group: "meeting_management",
        method: "GET",
        path: "/things",
        summary: "",
        description: "",
        auth: Auth::None,
        idempotent: true,
        role: SessionRole::None,
        params: &[],
        response: None,
        response_is_list: false,
        pagination: None,
    };

    #[derive(Clone, Debug, Default)]
    struct Search {
        offset: Option<i64>,
        limit: Option<i64>,
    }

    #[derive(Debug, Serialize, serde::Deserialize)]
    struct Answer {
        count: Option<i64>,
        data: Vec<u32>,
    }

    impl Operation for Search {
        type Output = Answer;
        fn meta(&self) -> &'static OperationMeta {
            &META
        }
    }

    impl Paginated for Search {
        type Item = u32;
        fn page_offset(&self) -> Option<i64> {
            self.offset
        }
        fn page_limit(&self) -> Option<i64> {
            self.limit
        }
        fn set_page(&mut self, offset: i64, limit: i64) {
            self.offset = Some(offset);
            self.limit = Some(limit);
        }
        fn into_page(output: Answer) -> Page<u32> {
            Page {
                count: output.count,
                items: output.data,
            }
        }
    }

    /// Walks `total` items served `served` at a time (whatever was asked),
    /// with or without a count; returns the offsets asked for and the items.
    fn walk(request: Search, total: u32, served: usize, counted: bool) -> (Vec<i64>, Vec<u32>) {
        let mut walk = PageWalk::new(request);
        let (mut offsets, mut items) = (Vec::new(), Vec::new());
        while let Some(next) = walk.next_request() {
            let offset = next.offset.unwrap();
            offsets.push(offset);
            let data: Vec<u32> = (offset as u32..total).take(served).collect();
            items.extend(walk.accept(Answer {
                count: counted.then_some(i64::from(total)),
                data,
            }));
        }
        (offsets, items)
    }

    #[test]
    fn seven_items_by_three_are_three_pages() {
        let request = Search {
            limit: Some(3),
            ..Search::default()
        };
        let (offsets, items) = walk(request.clone(), 7, 3, true);
        assert_eq!(offsets, [0, 3, 6]);
        assert_eq!(items, (0..7).collect::<Vec<_>>());
        // Without a count, a short page ends the walk.
        let (offsets, items) = walk(request, 7, 3, false);
        assert_eq!(offsets, [0, 3, 6]);
        assert_eq!(items.len(), 7);
    }

    #[test]
    fn the_walk_follows_what_the_service_sends() {
        // Fewer items than asked: nothing is skipped.
        let request = Search {
            limit: Some(3),
            ..Search::default()
        };
        let (offsets, items) = walk(request, 5, 2, true);
        assert_eq!(offsets, [0, 2, 4]);
        assert_eq!(items, [0, 1, 2, 3, 4]);
        // An empty search is one request; a start offset is kept.
        assert_eq!(walk(Search::default(), 0, 3, true).0, [0]);
        let from = Search {
            offset: Some(4),
            limit: Some(2),
        };
        assert_eq!(walk(from, 7, 2, true), (vec![4, 6], vec![4, 5, 6]));
    }

    #[test]
    fn the_default_page_size_applies_when_none_is_set() {
        let walk = PageWalk::new(Search::default());
        assert_eq!(walk.page_size(), DEFAULT_PAGE_SIZE);
        assert_eq!(walk.next_request().unwrap().limit, Some(DEFAULT_PAGE_SIZE));
    }
}
