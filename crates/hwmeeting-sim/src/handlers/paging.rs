//! What every search shares: the page asked for (`offset`, `limit`), the
//! answer (`count` of all matches, `data` the page), the search key and
//! the order.

use hwmeeting_core::meta::Location;
use serde_json::{Value, json};

use super::Call;
use crate::checking::text;
use crate::codes::{Failure, MMC_PARAM_INVALID};

/// The page size when none is asked for.
pub(crate) const DEFAULT_LIMIT: i64 = 20;
/// The largest page the service gives.
pub(crate) const MAX_LIMIT: i64 = 500;

/// The page a search asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Page {
    pub offset: usize,
    pub limit: usize,
}

/// An integer parameter of the query or body (checked against the spec
/// before; a number sent as text is read too).
pub(crate) fn int_param(call: &Call<'_>, location: Location, name: &str) -> Option<i64> {
    let value = call.wire.location(location).get(name)?;
    value
        .as_i64()
        .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
}

impl Page {
    /// The page of the query parameters `offset` and `limit` (0 and 20
    /// when absent); 400 for a negative offset or a limit outside 1 to
    /// 500.
    pub(crate) fn of(call: &Call<'_>, offset: &str, limit: &str) -> Result<Page, Failure> {
        Page::at(call, Location::Query, offset, limit)
    }

    /// The page of two integer parameters at `location`.
    pub(crate) fn at(
        call: &Call<'_>,
        location: Location,
        offset: &str,
        limit: &str,
    ) -> Result<Page, Failure> {
        Page::at_with_default(call, location, offset, limit, DEFAULT_LIMIT)
    }

    /// The page of the query parameters `offset` and `limit`, of
    /// `default_limit` items when no limit is asked for.
    pub(crate) fn with_default(
        call: &Call<'_>,
        offset: &str,
        limit: &str,
        default_limit: i64,
    ) -> Result<Page, Failure> {
        Page::at_with_default(call, Location::Query, offset, limit, default_limit)
    }

    fn at_with_default(
        call: &Call<'_>,
        location: Location,
        offset: &str,
        limit: &str,
        default_limit: i64,
    ) -> Result<Page, Failure> {
        let first = int_param(call, location, offset).unwrap_or(0);
        let size = int_param(call, location, limit).unwrap_or(default_limit);
        if first < 0 {
            return Err(Failure::new(
                400,
                MMC_PARAM_INVALID,
                format!("invalid parameter `{offset}`: must not be negative"),
            ));
        }
        if !(1..=MAX_LIMIT).contains(&size) {
            return Err(Failure::new(
                400,
                MMC_PARAM_INVALID,
                format!("invalid parameter `{limit}`: must be 1 to {MAX_LIMIT}"),
            ));
        }
        Ok(Page {
            offset: usize::try_from(first).unwrap_or(usize::MAX),
            limit: usize::try_from(size).unwrap_or(usize::MAX),
        })
    }

    /// The items of this page.
    pub(crate) fn slice<T: Clone>(&self, items: &[T]) -> Vec<T> {
        items
            .iter()
            .skip(self.offset)
            .take(self.limit)
            .cloned()
            .collect()
    }

    /// `{"offset", "limit", "count", "data"}`: `count` is every match,
    /// `data` this page of them.
    pub(crate) fn answer(&self, items: &[Value]) -> Value {
        json!({
            "offset": self.offset,
            "limit": self.limit,
            "count": items.len(),
            "data": self.slice(items),
        })
    }
}

/// The search key of a query parameter (`None` when absent or blank),
/// lower-cased.
pub(crate) fn search_key(call: &Call<'_>, name: &str) -> Option<String> {
    text(&call.wire, Location::Query, name)
        .map(|k| k.trim().to_lowercase())
        .filter(|k| !k.is_empty())
}

/// Whether any of `fields` contains the key (case-insensitively); no key
/// matches everything.
pub(crate) fn matches_key(key: Option<&str>, fields: &[&str]) -> bool {
    match key {
        None => true,
        Some(key) => fields.iter().any(|f| f.to_lowercase().contains(key)),
    }
}

/// Whether the query's `sortType` asks for descending order (`DSC_…`),
/// or `default` when it names none.
pub(crate) fn descending(call: &Call<'_>, default: bool) -> bool {
    match text(&call.wire, Location::Query, "sortType") {
        Some(sort) if sort.starts_with("DSC") => true,
        Some(sort) if sort.starts_with("ASC") => false,
        _ => default,
    }
}

/// Whether the query's `sortType` orders by having a recording first.
pub(crate) fn by_record(call: &Call<'_>) -> bool {
    text(&call.wire, Location::Query, "sortType").is_some_and(|s| s.ends_with("RecordTYPE"))
}

/// An integer query parameter.
pub(crate) fn query_int(call: &Call<'_>, name: &str) -> Option<i64> {
    int_param(call, Location::Query, name)
}

/// A required integer query parameter (400 naming it when absent).
pub(crate) fn required_int(call: &Call<'_>, name: &str) -> Result<i64, Failure> {
    query_int(call, name).ok_or_else(|| {
        Failure::new(
            400,
            MMC_PARAM_INVALID,
            format!("missing required parameter `{name}`"),
        )
    })
}

/// A required text parameter of the query (400 naming it when absent or
/// empty).
pub(crate) fn required_text(
    call: &Call<'_>,
    location: Location,
    name: &str,
) -> Result<String, Failure> {
    text(&call.wire, location, name)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| {
            Failure::new(
                400,
                MMC_PARAM_INVALID,
                format!("missing required parameter `{name}`"),
            )
        })
}
