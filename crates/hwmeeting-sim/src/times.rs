//! Points in time as the service writes them: a meeting's start and end
//! as UTC `yyyy-MM-dd HH:mm`, a series' first and last day as
//! `yyyy-MM-dd`, everything else in Unix milliseconds. Plain calendar
//! arithmetic: the simulator has no time-zone data, so it reads every date
//! as a UTC date.

/// Milliseconds in a minute.
pub(crate) const MINUTE_MS: u64 = 60_000;
/// Milliseconds in a day.
pub(crate) const DAY_MS: u64 = 86_400_000;

/// Days since 1970-01-01 of a date of the Gregorian calendar.
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    // Howard Hinnant's algorithm: years start in March, so that the leap
    // day is the last day of a year.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (i64::from(month) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date (year, month, day) of a number of days since 1970-01-01.
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Whether a year has 29 February.
fn leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The number of days of a month.
pub(crate) fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if leap(year) => 29,
        _ => 28,
    }
}

/// The day of the week of a day since 1970-01-01: 0 Sunday to 6 Saturday,
/// as the service counts them.
pub(crate) fn weekday(days: i64) -> u32 {
    // 1970-01-01 was a Thursday.
    (days + 4).rem_euclid(7) as u32
}

/// Reads `n` ASCII digits.
fn digits(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A `yyyy-MM-dd` date as days since 1970-01-01; `None` unless it is one
/// (exact shape, a real day, from 1970 on).
pub(crate) fn parse_date(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = digits(text.get(0..4)?)?;
    let month = digits(text.get(5..7)?)?;
    let day = digits(text.get(8..10)?)?;
    let year = i64::from(year);
    if year < 1970 || !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

/// Days since 1970-01-01 as `yyyy-MM-dd`.
pub(crate) fn format_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A UTC `yyyy-MM-dd HH:mm` as Unix milliseconds; `None` unless it is one.
pub(crate) fn parse_minute(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    if b.len() != 16 || b[10] != b' ' || b[13] != b':' {
        return None;
    }
    let days = parse_date(text.get(0..10)?)?;
    let hour = digits(text.get(11..13)?)?;
    let minute = digits(text.get(14..16)?)?;
    if hour > 23 || minute > 59 {
        return None;
    }
    let ms = days as u64 * DAY_MS + u64::from(hour * 60 + minute) * MINUTE_MS;
    Some(ms)
}

/// Unix milliseconds as a UTC `yyyy-MM-dd HH:mm` (seconds dropped).
pub(crate) fn format_minute(ms: u64) -> String {
    let days = (ms / DAY_MS) as i64;
    let in_day = (ms % DAY_MS) / MINUTE_MS;
    format!(
        "{} {:02}:{:02}",
        format_date(days),
        in_day / 60,
        in_day % 60
    )
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
