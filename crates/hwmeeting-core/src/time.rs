//! Points in time as the service writes them, read and written with the
//! [`time`] crate instead of by hand.
//!
//! The service uses three ways (the spec marks each field with its
//! [`TimeFormat`]):
//!
//! - a meeting's start and end: a string `yyyy-MM-dd HH:mm`, always in UTC
//!   whatever the meeting's `timeZoneID` (which only decides how
//!   invitations show it): [`format_minute_utc`], [`parse_minute_utc`];
//! - the days of a recurring series: a string `yyyy-MM-dd`: [`format_date`],
//!   [`parse_date`];
//! - history, attendance and recordings: milliseconds since 1970-01-01
//!   UTC: [`unix_millis`], [`from_unix_millis`].
//!
//! A typed request checks such a field before sending, so a start time
//! written `2026-12-24T09:30` fails with the parameter's name, not with
//! the service's error. The generated requests also have setters that take
//! the typed value (`CreateMeetingRequest::start_time_at`).
//!
//! ```
//! use hwmeeting_core::time::{self, Date, Month, UtcOffset};
//!
//! let day = Date::from_calendar_date(2026, Month::December, 24).unwrap();
//! let at = day
//!     .with_hms(10, 30, 0)
//!     .unwrap()
//!     .assume_offset(UtcOffset::from_hms(1, 0, 0).unwrap());
//! assert_eq!(time::format_minute_utc(at), "2026-12-24 09:30");
//! assert_eq!(time::parse_minute_utc("2026-12-24 09:30").unwrap(), at);
//! assert_eq!(time::unix_millis(at), 1_798_104_600_000);
//! ```

use ::time::format_description::BorrowedFormatItem;
use ::time::macros::format_description;

use crate::meta::TimeFormat;

pub use ::time::{Date, Duration, Month, OffsetDateTime, UtcOffset};

/// `yyyy-MM-dd HH:mm`.
const MINUTE: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day] [hour]:[minute]");
/// `yyyy-MM-dd`.
const DAY: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]");

/// A text or number that is not a point in time of the expected format.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{reason}: expected {expected}")]
pub struct TimeError {
    reason: String,
    expected: &'static str,
}

impl TimeError {
    fn new(format: TimeFormat, reason: impl Into<String>) -> TimeError {
        TimeError {
            reason: reason.into(),
            expected: expected(format),
        }
    }
}

/// How a format is explained in errors.
fn expected(format: TimeFormat) -> &'static str {
    match format {
        TimeFormat::MinuteUtc => "a UTC time written yyyy-MM-dd HH:mm, such as 2026-12-24 09:30",
        TimeFormat::Date => "a day written yyyy-MM-dd, such as 2026-12-24",
        TimeFormat::UnixMillis => {
            "milliseconds since 1970-01-01 UTC, such as 1798104600000 for 2026-12-24 09:30 UTC"
        }
    }
}

/// `at` as the service writes a meeting's start time: in UTC, to the
/// minute (seconds are dropped).
pub fn format_minute_utc(at: OffsetDateTime) -> String {
    let utc = at.to_offset(UtcOffset::UTC);
    // Formatting a valid date with a fixed description cannot fail for
    // years 0 to 9999; beyond them the service has no meaning either, and
    // the check before sending reports it.
    utc.format(MINUTE).unwrap_or_default()
}

/// Reads a meeting time `yyyy-MM-dd HH:mm` (UTC).
pub fn parse_minute_utc(text: &str) -> Result<OffsetDateTime, TimeError> {
    ::time::PrimitiveDateTime::parse(text, MINUTE)
        .map(|t| t.assume_utc())
        .map_err(|e| TimeError::new(TimeFormat::MinuteUtc, e.to_string()))
}

/// A day as the service writes the days of a series.
pub fn format_date(day: Date) -> String {
    day.format(DAY).unwrap_or_default()
}

/// Reads a day `yyyy-MM-dd`.
pub fn parse_date(text: &str) -> Result<Date, TimeError> {
    Date::parse(text, DAY).map_err(|e| TimeError::new(TimeFormat::Date, e.to_string()))
}

/// `at` in milliseconds since 1970-01-01 UTC.
pub fn unix_millis(at: OffsetDateTime) -> i64 {
    // Every `OffsetDateTime` is within ±10^4 years: the milliseconds fit.
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// The point in time `ms` milliseconds after 1970-01-01 UTC.
pub fn from_unix_millis(ms: i64) -> Result<OffsetDateTime, TimeError> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map_err(|e| TimeError::new(TimeFormat::UnixMillis, e.to_string()))
}

/// Checks a text against a string format. An empty meeting time passes:
/// the service takes it for "now".
pub(crate) fn check_text(format: TimeFormat, text: &str) -> Result<(), TimeError> {
    match format {
        // The service reads an empty start time as "start now".
        TimeFormat::MinuteUtc if text.is_empty() => Ok(()),
        TimeFormat::MinuteUtc => parse_minute_utc(text).map(drop),
        TimeFormat::Date => parse_date(text).map(drop),
        TimeFormat::UnixMillis => Err(TimeError::new(format, "got a text")),
    }
}

/// Checks an integer against a number format.
pub(crate) fn check_int(format: TimeFormat, value: i64) -> Result<(), TimeError> {
    match format {
        TimeFormat::UnixMillis if value < 0 => {
            Err(TimeError::new(format, "a time before 1970 is not accepted"))
        }
        TimeFormat::UnixMillis => from_unix_millis(value).map(drop),
        _ => Err(TimeError::new(format, "got a number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::time::macros::{date, datetime};

    #[test]
    fn meeting_times_are_utc_minutes() {
        assert_eq!(
            format_minute_utc(datetime!(2026-12-24 9:30:59 UTC)),
            "2026-12-24 09:30"
        );
        assert_eq!(
            format_minute_utc(datetime!(2026-12-25 00:15 +08:00)),
            "2026-12-24 16:15"
        );
        assert_eq!(
            parse_minute_utc("2026-12-24 16:15").unwrap(),
            datetime!(2026-12-24 16:15 UTC)
        );
        for bad in [
            "2026-12-24T16:15",
            "2026-12-24 16:15:00",
            "2026-13-01 00:00",
            "",
            "24/12/2026 16:15",
        ] {
            let e = parse_minute_utc(bad).unwrap_err().to_string();
            assert!(
                e.ends_with(
                    "expected a UTC time written yyyy-MM-dd HH:mm, such as 2026-12-24 09:30"
                ),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn days_and_milliseconds() {
        assert_eq!(format_date(date!(2027 - 01 - 05)), "2027-01-05");
        assert_eq!(parse_date("2027-01-05").unwrap(), date!(2027 - 01 - 05));
        assert!(parse_date("2027-1-5").is_err());
        assert_eq!(unix_millis(datetime!(1970-01-01 0:00:01 UTC)), 1000);
        assert_eq!(
            from_unix_millis(1_798_104_600_000).unwrap(),
            datetime!(2026-12-24 9:30 UTC)
        );
        assert!(from_unix_millis(i64::MAX).is_err());
        assert!(check_int(TimeFormat::UnixMillis, -1).is_err());
        assert!(check_text(TimeFormat::Date, "2027-01-05").is_ok());
        assert!(check_text(TimeFormat::MinuteUtc, "").is_ok());
        assert!(check_text(TimeFormat::Date, "").is_err());
    }
}
