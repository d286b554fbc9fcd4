//! Points in time as the service writes them: a meeting's start and end
//! as UTC `yyyy-MM-dd HH:mm`, a series' first and last day as
//! `yyyy-MM-dd`, everything else in Unix milliseconds. The calendar is the
//! [`time`] crate's (through `hwmeeting_core::time`, so the simulator reads
//! times exactly as the SDK checks them); every date is read as a UTC date,
//! since the simulator has no time-zone data. Days are counted from
//! 1970-01-01, milliseconds from the Unix epoch.

use hwmeeting_core::time::{self as hwtime, Date, OffsetDateTime};
use time::{Duration, Month};

/// Milliseconds in a minute.
pub(crate) const MINUTE_MS: u64 = 60_000;
/// Milliseconds in a day.
pub(crate) const DAY_MS: u64 = 86_400_000;

/// 1970-01-01.
const EPOCH: Date = OffsetDateTime::UNIX_EPOCH.date();

/// The day `days` after 1970-01-01 (saturating at the calendar's ends).
fn date_of(days: i64) -> Date {
    EPOCH
        .checked_add(Duration::days(days))
        .unwrap_or(if days < 0 { Date::MIN } else { Date::MAX })
}

/// Days since 1970-01-01 of a date.
fn days_of(date: Date) -> i64 {
    i64::from(date.to_julian_day() - EPOCH.to_julian_day())
}

/// Days since 1970-01-01 of a date of the Gregorian calendar; a day past
/// the end of its month is taken as the month's last day.
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .unwrap_or(Month::January);
    let year = i32::try_from(year).unwrap_or(i32::MAX);
    let last = time::util::days_in_month(month, year);
    let day = u8::try_from(day).unwrap_or(u8::MAX).clamp(1, last);
    Date::from_calendar_date(year, month, day).map_or(0, days_of)
}

/// The date (year, month, day) of a number of days since 1970-01-01.
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let (year, month, day) = date_of(days).to_calendar_date();
    (i64::from(year), u32::from(u8::from(month)), u32::from(day))
}

/// The number of days of a month.
pub(crate) fn days_in_month(year: i64, month: u32) -> u32 {
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .unwrap_or(Month::January);
    u32::from(time::util::days_in_month(
        month,
        i32::try_from(year).unwrap_or(i32::MAX),
    ))
}

/// The day of the week of a day since 1970-01-01: 0 Sunday to 6 Saturday,
/// as the service counts them.
pub(crate) fn weekday(days: i64) -> u32 {
    u32::from(date_of(days).weekday().number_days_from_sunday())
}

/// A `yyyy-MM-dd` date as days since 1970-01-01; `None` unless it is one
/// (exact shape, a real day, from 1970 on).
pub(crate) fn parse_date(text: &str) -> Option<i64> {
    let days = days_of(hwtime::parse_date(text).ok()?);
    (days >= 0).then_some(days)
}

/// Days since 1970-01-01 as `yyyy-MM-dd`.
pub(crate) fn format_date(days: i64) -> String {
    hwtime::format_date(date_of(days))
}

/// A UTC `yyyy-MM-dd HH:mm` as Unix milliseconds; `None` unless it is one
/// (from 1970 on).
pub(crate) fn parse_minute(text: &str) -> Option<u64> {
    let at = hwtime::parse_minute_utc(text).ok()?;
    u64::try_from(hwtime::unix_millis(at)).ok()
}

/// Unix milliseconds as a UTC `yyyy-MM-dd HH:mm` (seconds dropped).
pub(crate) fn format_minute(ms: u64) -> String {
    let at = i64::try_from(ms)
        .ok()
        .and_then(|ms| hwtime::from_unix_millis(ms).ok())
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    hwtime::format_minute_utc(at)
}

/// Unix milliseconds cut to the minute (the precision of a start time).
pub(crate) fn to_minute(ms: u64) -> u64 {
    ms - ms % MINUTE_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(parse_date("2024-02-29"), Some(days_from_civil(2024, 2, 29)));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("2024-1-01"), None);
        assert_eq!(parse_date("1969-12-31"), None);
        for days in [0, 59, 365, 10_957, 19_782, 20_000, 30_000] {
            assert_eq!(parse_date(&format_date(days)), Some(days));
        }
        // 2024-01-01 was a Monday.
        assert_eq!(weekday(days_from_civil(2024, 1, 1)), 1);
        assert_eq!(days_in_month(2100, 2), 28);
        assert_eq!(days_in_month(2000, 2), 29);
    }

    #[test]
    fn minutes_round_trip() {
        let ms = parse_minute("2030-05-17 09:30").unwrap();
        assert_eq!(format_minute(ms), "2030-05-17 09:30");
        assert_eq!(format_minute(ms + 59_999), "2030-05-17 09:30");
        assert_eq!(to_minute(ms + 59_999), ms);
        assert_eq!(parse_minute("2030-05-17 24:00"), None);
        assert_eq!(parse_minute("2030-05-17T09:30"), None);
        assert_eq!(parse_minute("2030-05-17 9:30"), None);
        assert_eq!(parse_minute(""), None);
        assert_eq!(parse_minute("２０30-05-17 09:30"), None);
    }
}
