//! Points in time as the service writes them: checked before sending
//! always, and, with the `time` feature, as values of the `time`
//! crate.
//!
//! The two text layouts are fixed (digits at fixed places), so they are
//! read and written here directly: checking a field needs no date
//! library, and the typed values need no format macros.
//!
//! The service uses three ways (the spec marks each field with its
//! [`TimeFormat`]):
//!
//! - a meeting's start and end: a string `yyyy-MM-dd HH:mm`, always in UTC
//!   whatever the meeting's `timeZoneID` (which only decides how
//!   invitations show it): `format_minute_utc`, `parse_minute_utc`;
//! - the days of a recurring series: a string `yyyy-MM-dd`: `format_date`,
//!   `parse_date`;
//! - history, attendance and recordings: milliseconds since 1970-01-01
//!   UTC: `unix_millis`, `from_unix_millis`.
//!
//! A typed request checks such a field before sending, so a start time
//! written `2026-12-24T09:30` fails with the parameter's name, not with
//! the service's error. With the `time` feature (in the clients' default
//! features) the functions above convert from and to `OffsetDateTime`
//! and `Date`, and the generated requests have setters that take the
//! typed value (`CreateMeetingRequest::start_time_at`).
//!
//! ```
//! # #[cfg(feature = "time")] {
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
//! # }
//! ```

#[cfg(feature = "time")]
use std::fmt::Write as _;

use crate::meta::TimeFormat;

#[cfg(feature = "time")]
#[cfg_attr(docsrs, doc(cfg(feature = "time")))]
pub use ::time::{Date, Duration, Month, OffsetDateTime, UtcOffset};

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

/// The last millisecond of the year 9999, the latest time accepted (and
/// the latest an `OffsetDateTime` holds).
const MAX_UNIX_MILLIS: i64 = 253_402_300_799_999;

/// A day that exists on the calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Day {
    year: u16,
    month: u8,
    day: u8,
}

/// Reads `yyyy-MM-dd HH:mm`: the day, the hour and the minute.
fn read_minute(text: &str) -> Result<(Day, u8, u8), TimeError> {
    let format = TimeFormat::MinuteUtc;
    let bytes = text.as_bytes();
    // ASCII first: the fixed places below are then char boundaries.
    if !text.is_ascii() || bytes.len() != 16 || bytes[10] != b' ' || bytes[13] != b':' {
        return Err(not_written_so(format));
    }
    let day = read_day(&text[..10], format)?;
    let hour = number(&text[11..13], format)?;
    let minute = number(&text[14..16], format)?;
    if hour > 23 || minute > 59 {
        return Err(TimeError::new(format, "that hour or minute does not exist"));
    }
    Ok((day, hour as u8, minute as u8))
}

/// Reads `yyyy-MM-dd`, for either format's errors.
fn read_day(text: &str, format: TimeFormat) -> Result<Day, TimeError> {
    let bytes = text.as_bytes();
    if !text.is_ascii() || bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return Err(not_written_so(format));
    }
    let year = number(&text[..4], format)?;
    let month = number(&text[5..7], format)?;
    let day = number(&text[8..10], format)?;
    if !(1..=12).contains(&month) {
        return Err(TimeError::new(
            format,
            format!("month {month} does not exist"),
        ));
    }
    // Four digits and two: the casts keep every value.
    let (year, month) = (year as u16, month as u8);
    if day == 0 || day > u32::from(days_in_month(year, month)) {
        return Err(TimeError::new(format, "that day does not exist"));
    }
    Ok(Day {
        year,
        month,
        day: day as u8,
    })
}

/// The days of `month` (1 to 12) of `year` (proleptic Gregorian).
fn days_in_month(year: u16, month: u8) -> u8 {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 31,
    }
}

fn not_written_so(format: TimeFormat) -> TimeError {
    TimeError::new(format, "the text is not written so")
}

/// The value of a fixed run of ASCII digits (at most four).
fn number(digits: &str, format: TimeFormat) -> Result<u32, TimeError> {
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_written_so(format));
    }
    digits.parse().map_err(|_| not_written_so(format))
}

/// Checks a text against a string format. An empty meeting time passes:
/// the service takes it for "now".
pub(crate) fn check_text(format: TimeFormat, text: &str) -> Result<(), TimeError> {
    match format {
        // The service reads an empty start time as "start now".
        TimeFormat::MinuteUtc if text.is_empty() => Ok(()),
        TimeFormat::MinuteUtc => read_minute(text).map(drop),
        TimeFormat::Date => read_day(text, format).map(drop),
        TimeFormat::UnixMillis => Err(TimeError::new(format, "got a text")),
    }
}

/// Checks an integer against a number format.
pub(crate) fn check_int(format: TimeFormat, value: i64) -> Result<(), TimeError> {
    match format {
        TimeFormat::UnixMillis if value < 0 => {
            Err(TimeError::new(format, "a time before 1970 is not accepted"))
        }
        TimeFormat::UnixMillis if value > MAX_UNIX_MILLIS => Err(TimeError::new(
            format,
            "a time after the year 9999 is not accepted",
        )),
        TimeFormat::UnixMillis => Ok(()),
        _ => Err(TimeError::new(format, "got a number")),
    }
}

/// `at` as the service writes a meeting's start time: in UTC, to the
/// minute (seconds are dropped).
#[cfg(feature = "time")]
#[cfg_attr(docsrs, doc(cfg(feature = "time")))]
pub fn format_minute_utc(at: OffsetDateTime) -> String {
    let utc = at.to_offset(UtcOffset::UTC);
    let mut text = format_date(utc.date());
    // Writing to a `String` cannot fail.
    let _ = write!(text, " {:02}:{:02}", utc.hour(), utc.minute());
    text
}

/// Reads a meeting time `yyyy-MM-dd HH:mm` (UTC).
#[cfg(feature = "time")]
#[cfg_attr(docsrs, doc(cfg(feature = "time")))]
pub fn parse_minute_utc(text: &str) -> Result<OffsetDateTime, TimeError> {
    let format = TimeFormat::MinuteUtc;
    let (day, hour, minute) = read_minute(text)?;
    to_date(day, format)?
        .with_hms(hour, minute, 0)
        .map(|at| at.assume_utc())
        .map_err(|_| TimeError::new(format, "that hour or minute does not exist"))
}

/// A day as the service writes the days of a series.
#[cfg(feature = "time")]
#[cfg_attr(docsrs, doc(cfg(feature = "time")))]
pub fn format_date(day: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        day.year(),
        u8::from(day.month()),
        day.day()
    )
}

/// Reads a day `yyyy-MM-dd`.
#[cfg(feature = "time")]
#[cfg_attr(docsrs, doc(cfg(feature = "time")))]
pub fn parse_date(text: &str) -> Result<Date, TimeError> {
    to_date(read_day(text, TimeFormat::Date)?, TimeFormat::Date)
}

/// A checked day as a `Date` (which holds every one of them).
#[cfg(feature = "time")]
fn to_date(day: Day, format: TimeFormat) -> Result<Date, TimeError> {
    let month = Month::try_from(day.month)
        .map_err(|_| TimeError::new(format, format!("month {} does not exist", day.month)))?;
    Date::from_calendar_date(i32::from(day.year), month, day.day)
        .map_err(|_| TimeError::new(format, "that day does not exist"))
}

/// `at` in milliseconds since 1970-01-01 UTC.
#[cfg(feature = "time")]
#[cfg_attr(docsrs, doc(cfg(feature = "time")))]
pub fn unix_millis(at: OffsetDateTime) -> i64 {
    // Every `OffsetDateTime` is within ±10^4 years: the milliseconds fit.
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// The point in time `ms` milliseconds after 1970-01-01 UTC.
#[cfg(feature = "time")]
#[cfg_attr(docsrs, doc(cfg(feature = "time")))]
pub fn from_unix_millis(ms: i64) -> Result<OffsetDateTime, TimeError> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map_err(|e| TimeError::new(TimeFormat::UnixMillis, e.to_string()))
}

#[cfg(all(test, feature = "time"))]
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
            "2026-02-30 00:00",
            "2026-12-24 24:00",
            "2026-12-24 +1:00",
            "2026-12-24 16:15 ",
            "２０２６-12-24 16:15",
            "2026-12-24 1é:5",
            "2026-1é-24",
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
        // Ten bytes, not ten ASCII characters: refused, not sliced.
        assert!(parse_date("2026-1é-4").is_err());
        assert_eq!(
            parse_date("2027-02-29").unwrap_err().to_string(),
            "that day does not exist: expected a day written yyyy-MM-dd, such as 2026-12-24"
        );
        assert_eq!(format_date(date!(0033 - 04 - 03)), "0033-04-03");
        assert_eq!(unix_millis(datetime!(1970-01-01 0:00:01 UTC)), 1000);
        assert_eq!(
            from_unix_millis(1_798_104_600_000).unwrap(),
            datetime!(2026-12-24 9:30 UTC)
        );
        assert!(from_unix_millis(i64::MAX).is_err());
        // The hand-written check stops where `OffsetDateTime` does.
        assert!(from_unix_millis(MAX_UNIX_MILLIS).is_ok());
        assert!(from_unix_millis(MAX_UNIX_MILLIS + 1).is_err());
        assert!(check_int(TimeFormat::UnixMillis, -1).is_err());
        assert!(check_text(TimeFormat::Date, "2027-01-05").is_ok());
        assert!(check_text(TimeFormat::MinuteUtc, "").is_ok());
        assert!(check_text(TimeFormat::Date, "").is_err());
    }
}

#[cfg(test)]
mod checks {
    use super::*;

    #[test]
    fn texts_are_checked_without_a_date_library() {
        let minute = |t| check_text(TimeFormat::MinuteUtc, t);
        let day = |t| check_text(TimeFormat::Date, t);
        assert!(minute("2026-12-24 09:30").is_ok());
        assert!(minute("").is_ok());
        assert!(minute("2028-02-29 23:59").is_ok());
        assert!(minute("2000-02-29 00:00").is_ok());
        for bad in [
            "2027-02-29 00:00",
            "1900-02-29 00:00",
            "2026-04-31 00:00",
            "2026-12-24 24:00",
            "2026-12-24 23:60",
            "2026-00-10 00:00",
            "2026-12-00 00:00",
            "2026-12-24T09:30",
        ] {
            assert!(minute(bad).is_err(), "{bad}");
        }
        assert_eq!(
            minute("2026-13-01 00:00").unwrap_err().to_string(),
            "month 13 does not exist: expected a UTC time written yyyy-MM-dd HH:mm, such as 2026-12-24 09:30"
        );
        assert!(day("0000-02-29").is_ok());
        assert!(day("9999-12-31").is_ok());
        assert_eq!(
            day("2027-02-29").unwrap_err().to_string(),
            "that day does not exist: expected a day written yyyy-MM-dd, such as 2026-12-24"
        );
        assert!(day("").is_err());
        assert!(check_text(TimeFormat::UnixMillis, "1").is_err());
    }

    #[test]
    fn milliseconds_are_checked_within_1970_to_9999() {
        let ms = |v| check_int(TimeFormat::UnixMillis, v);
        assert!(ms(0).is_ok());
        assert!(ms(MAX_UNIX_MILLIS).is_ok());
        assert_eq!(
            ms(MAX_UNIX_MILLIS + 1).unwrap_err().to_string(),
            "a time after the year 9999 is not accepted: expected milliseconds since 1970-01-01 UTC, such as 1798104600000 for 2026-12-24 09:30 UTC"
        );
        assert!(ms(-1).is_err());
        assert!(check_int(TimeFormat::Date, 1).is_err());
    }
}
