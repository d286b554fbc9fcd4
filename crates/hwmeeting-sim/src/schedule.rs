//! Scheduled meetings and series: what `create_meeting` (or
//! `create_recurring_meeting`) was given, the sub-meetings of a series,
//! and the meeting information (`ConferenceInfo`) the management calls
//! answer with. A scheduled meeting is an ordinary [`Conference`] of the
//! registry with a [`Plan`]; starting and controlling it work as for any
//! other.

use serde_json::{Map, Value, json};

use crate::conferences::Conference;
use crate::times::{
    DAY_MS, MINUTE_MS, civil_from_days, days_from_civil, days_in_month, format_date, format_minute,
    parse_date, weekday,
};

/// Most sub-meetings a series has; later dates are dropped and its end
/// date moved back, as the service does.
pub(crate) const MAX_SUB_MEETINGS: usize = 50;
/// Longest span of a series, in days (one year).
const MAX_SERIES_DAYS: i64 = 366;
/// How many invited attendees `partAttendeeInfo` shows.
const PART_ATTENDEES: usize = 20;

/// How the meeting was scheduled (`confType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ConfType {
    /// A start time was given.
    Future,
    /// No start time: the meeting may start at once.
    Immediately,
    /// A series.
    Cycle,
}

impl ConfType {
    fn wire(self) -> &'static str {
        match self {
            ConfType::Future => "FUTURE",
            ConfType::Immediately => "IMMEDIATELY",
            ConfType::Cycle => "CYCLE",
        }
    }
}

/// Who scheduled a meeting.
#[derive(Clone, Debug, Default)]
pub(crate) struct Booker {
    /// `userUUID`.
    pub user_uuid: String,
    /// `scheduserName`.
    pub name: String,
}

/// What a meeting was scheduled with. Fields the simulator does not act
/// on are kept as sent and answered back.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    pub subject: String,
    /// Scheduled start, Unix ms (whole minutes).
    pub start_ms: u64,
    pub media_types: String,
    pub conf_type: ConfType,
    pub time_zone_id: Option<String>,
    pub language: Option<String>,
    /// `confConfigInfo` as sent (merged by updates).
    pub config: Map<String, Value>,
    /// The other body fields answered back (`recordType`, `isAutoRecord`,
    /// `liveAddress`, ...).
    pub extras: Map<String, Value>,
    pub booker: Booker,
    pub series: Option<Series>,
}

/// The body fields kept as sent and answered back in the meeting info.
pub(crate) const ECHOED: &[&str] = &[
    "isAutoRecord",
    "encryptMode",
    "recordType",
    "liveAddress",
    "auxAddress",
    "recordAuxStream",
    "recordAuthType",
    "vmrFlag",
    "vmrID",
    "concurrentParticipants",
    "supportSimultaneousInterpretation",
    "confResType",
];

impl Plan {
    /// The plan of a meeting made through `/_sim/conferences`: no subject,
    /// starting when it was made.
    pub(crate) fn simple(now_ms: u64) -> Plan {
        Plan {
            subject: String::new(),
            start_ms: now_ms - now_ms % MINUTE_MS,
            media_types: "HDVideo".into(),
            conf_type: ConfType::Future,
            time_zone_id: None,
            language: None,
            config: Map::new(),
            extras: Map::new(),
            booker: Booker {
                user_uuid: String::new(),
                name: "sim".into(),
            },
            series: None,
        }
    }

    /// An integer field kept as sent.
    pub(crate) fn extra_int(&self, name: &str) -> Option<i64> {
        self.extras.get(name).and_then(Value::as_i64)
    }

    /// A boolean of `confConfigInfo`.
    pub(crate) fn config_flag(&self, name: &str) -> bool {
        self.config.get(name).and_then(Value::as_bool) == Some(true)
    }
}

/// A series: its rule as sent and its sub-meetings, earliest first.
#[derive(Clone, Debug)]
pub(crate) struct Series {
    /// `cycleParams` as sent (`endDate` moved back past 50 sub-meetings).
    pub params: Map<String, Value>,
    pub subs: Vec<SubMeeting>,
}

/// One meeting of a series.
#[derive(Clone, Debug)]
pub(crate) struct SubMeeting {
    /// `cycleSubConfID`.
    pub id: String,
    pub start_ms: u64,
    /// Minutes.
    pub length: i64,
    pub media_types: String,
    /// `isAutoRecord`, `confConfigInfo`, `recordAuthType`, `description`
    /// as last sent for it.
    pub extras: Map<String, Value>,
}

/// The repeat of a series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cycle {
    Day,
    Week,
    Month,
}

/// `cycleParams`, read and checked.
#[derive(Debug)]
pub(crate) struct CycleRule {
    start: i64,
    end: i64,
    cycle: Cycle,
    interval: i64,
    points: Vec<i64>,
    raw: Map<String, Value>,
}

impl CycleRule {
    /// Reads `cycleParams`; the error names the field at fault.
    pub(crate) fn parse(value: &Value) -> Result<CycleRule, String> {
        let raw = value
            .as_object()
            .ok_or("invalid parameter `cycleParams`: must be an object")?
            .clone();
        let date = |name: &str| -> Result<i64, String> {
            let text = raw
                .get(name)
                .and_then(Value::as_str)
                .ok_or_else(|| format!("missing required parameter `cycleParams.{name}`"))?;
            parse_date(text).ok_or_else(|| {
                format!("invalid parameter `cycleParams.{name}`: `{text}` is not a yyyy-MM-dd date")
            })
        };
        let start = date("startDate")?;
        let end = date("endDate")?;
        if end < start {
            return Err("invalid parameter `cycleParams.endDate`: before `startDate`".into());
        }
        if end - start > MAX_SERIES_DAYS {
            return Err(
                "invalid parameter `cycleParams.endDate`: a series spans at most one year".into(),
            );
        }
        let (cycle, most) = match raw.get("cycle").and_then(Value::as_str) {
            Some("Day") => (Cycle::Day, 15),
            Some("Week") => (Cycle::Week, 5),
            Some("Month") => (Cycle::Month, 3),
            Some(other) => {
                return Err(format!(
                    "invalid parameter `cycleParams.cycle`: `{other}` is not Day, Week or Month"
                ));
            }
            None => return Err("missing required parameter `cycleParams.cycle`".into()),
        };
        let interval = match raw.get("interval") {
            None => 1,
            Some(v) => v
                .as_i64()
                .filter(|i| (1..=most).contains(i))
                .ok_or_else(|| {
                    format!("invalid parameter `cycleParams.interval`: must be 1 to {most}")
                })?,
        };
        let (low, high) = if cycle == Cycle::Week {
            (0, 6)
        } else {
            (1, 31)
        };
        let mut points = Vec::new();
        if let Some(list) = raw.get("point") {
            let list = list
                .as_array()
                .ok_or("invalid parameter `cycleParams.point`: must be a list")?;
            for p in list {
                let p = p
                    .as_i64()
                    .filter(|p| (low..=high).contains(p))
                    .ok_or_else(|| {
                        format!(
                            "invalid parameter `cycleParams.point`: each must be {low} to {high}"
                        )
                    })?;
                points.push(p);
            }
        }
        if let Some(days) = raw.get("preRemindDays")
            && !days.as_i64().is_some_and(|d| (0..=30).contains(&d))
        {
            return Err("invalid parameter `cycleParams.preRemindDays`: must be 0 to 30".into());
        }
        points.sort_unstable();
        points.dedup();
        Ok(CycleRule {
            start,
            end,
            cycle,
            interval,
            points,
            raw,
        })
    }

    /// The days (since 1970-01-01) of the sub-meetings, earliest first, at
    /// most [`MAX_SUB_MEETINGS`].
    pub(crate) fn days(&self) -> Vec<i64> {
        let mut out: Vec<i64> = Vec::new();
        let keep = |d: i64, out: &mut Vec<i64>| {
            if d >= self.start && d <= self.end && !out.contains(&d) {
                out.push(d);
            }
        };
        match self.cycle {
            Cycle::Day => {
                let mut d = self.start;
                while d <= self.end && out.len() < MAX_SUB_MEETINGS {
                    out.push(d);
                    d += self.interval;
                }
            }
            Cycle::Week => {
                let points = if self.points.is_empty() {
                    vec![i64::from(weekday(self.start))]
                } else {
                    self.points.clone()
                };
                // Weeks start on Sunday (point 0), counted from the week of
                // the first day.
                let mut sunday = self.start - i64::from(weekday(self.start));
                while sunday <= self.end {
                    for p in &points {
                        keep(sunday + p, &mut out);
                    }
                    sunday += 7 * self.interval;
                }
            }
            Cycle::Month => {
                let (mut year, mut month, first_day) = civil_from_days(self.start);
                let points = if self.points.is_empty() {
                    vec![i64::from(first_day)]
                } else {
                    self.points.clone()
                };
                while days_from_civil(year, month, 1) <= self.end {
                    for p in &points {
                        // A day the month lacks is its last day.
                        let day = (*p as u32).min(days_in_month(year, month));
                        keep(days_from_civil(year, month, day), &mut out);
                    }
                    let next = i64::from(month) - 1 + self.interval;
                    year += next / 12;
                    month = (next % 12) as u32 + 1;
                }
            }
        }
        out.sort_unstable();
        out.truncate(MAX_SUB_MEETINGS);
        out
    }

    /// The sub-meetings at `minute_of_day` (ms into the day) lasting
    /// `length` minutes; IDs of `old` sub-meetings on the same day are
    /// kept. Errors when no day matches.
    pub(crate) fn series(
        &self,
        minute_of_day: u64,
        length: i64,
        media_types: &str,
        old: &[SubMeeting],
    ) -> Result<Series, String> {
        let days = self.days();
        let Some(last) = days.last() else {
            return Err(
                "invalid parameter `cycleParams`: no meeting falls between startDate and endDate"
                    .into(),
            );
        };
        let mut params = self.raw.clone();
        params.insert("endDate".into(), json!(format_date(*last)));
        let subs = days
            .iter()
            .map(|d| {
                let start_ms = *d as u64 * DAY_MS + minute_of_day;
                let kept = old
                    .iter()
                    .find(|s| s.start_ms / DAY_MS == start_ms / DAY_MS)
                    .map(|s| s.id.clone());
                SubMeeting {
                    id: kept.unwrap_or_else(new_uuid),
                    start_ms,
                    length,
                    media_types: media_types.to_owned(),
                    extras: Map::new(),
                }
            })
            .collect();
        Ok(Series { params, subs })
    }
}

/// A new UUID-shaped id (8-4-4-4-12 hex digits).
pub(crate) fn new_uuid() -> String {
    let h = crate::random_hex(16);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Which list a meeting is shown in: it decides `conferenceState` and the
/// fields that only some lists have.
#[derive(Clone, Copy, Debug)]
pub(crate) enum View {
    /// Scheduled or running (`search_meetings`, `show_meeting_detail`,
    /// the answers of create and update).
    Scheduled,
    /// Running (`search_online_meetings`, `show_online_meeting_detail`).
    Online,
    /// Ended: the times it actually ran, and whether it left a recording.
    History {
        start_ms: u64,
        end_ms: u64,
        has_record: bool,
    },
}

/// The meeting's `ConferenceInfo` as the service answers it.
pub(crate) fn info(c: &Conference, base_url: &str, view: View) -> Value {
    let p = &c.plan;
    let mut o = Map::new();
    let mut put = |name: &str, value: Value| {
        o.insert(name.to_owned(), value);
    };
    put("conferenceID", json!(c.id));
    put("subject", json!(p.subject));
    put("size", json!(c.attendees.len()));
    if let Some(tz) = &p.time_zone_id {
        put("timeZoneID", json!(tz));
    }
    let (start, end) = match view {
        View::History {
            start_ms, end_ms, ..
        } => (start_ms, end_ms),
        _ => scheduled_span(c),
    };
    put("startTime", json!(format_minute(start)));
    put("endTime", json!(format_minute(end)));
    put("mediaTypes", json!(p.media_types));
    let state = match view {
        View::History { .. } => "Destroyed",
        _ if c.active => "Created",
        _ => "Schedule",
    };
    put("conferenceState", json!(state));
    put(
        "language",
        json!(p.language.clone().unwrap_or_else(|| "zh-CN".into())),
    );
    put("accessNumber", json!("+991117"));
    let mut passwords = vec![json!({"conferenceRole": "chair", "password": c.host_password})];
    if let Some(guest) = &c.guest_password {
        passwords.push(json!({"conferenceRole": "general", "password": guest}));
    }
    put("passwordEntry", Value::Array(passwords));
    if !p.booker.user_uuid.is_empty() {
        put("userUUID", json!(p.booker.user_uuid));
    }
    put("scheduserName", json!(p.booker.name));
    put(
        "conferenceType",
        json!(if p.series.is_some() { 2 } else { 0 }),
    );
    put("confType", json!(p.conf_type.wire()));
    put("isAutoMute", json!(i64::from(p.config_flag("isAutoMute"))));
    put(
        "isAutoRecord",
        json!(p.extra_int("isAutoRecord").unwrap_or(0)),
    );
    put(
        "chairJoinUri",
        json!(format!("{base_url}/j/{}?role=chair", c.id)),
    );
    put(
        "guestJoinUri",
        json!(format!("{base_url}/j/{}?role=general", c.id)),
    );
    for (name, default) in [
        ("recordType", json!(0)),
        ("recordAuxStream", json!(0)),
        ("recordAuthType", json!(0)),
        ("vmrFlag", json!(0)),
        ("concurrentParticipants", json!(0)),
        ("supportSimultaneousInterpretation", json!(false)),
    ] {
        put(name, p.extras.get(name).cloned().unwrap_or(default));
    }
    for name in ["auxAddress", "liveAddress", "vmrID"] {
        if let Some(v) = p.extras.get(name) {
            put(name, v.clone());
        }
    }
    put("confConfigInfo", Value::Object(p.config.clone()));
    // The service gives a future meeting its UUID only once it starts.
    let has_run = c.started_ms.is_some() || c.runs > 0;
    if p.conf_type == ConfType::Immediately || has_run || matches!(view, View::History { .. }) {
        put("confUUID", json!(c.uuid));
    }
    if let View::History { has_record, .. } = view {
        put("isHasRecordFile", json!(has_record));
    }
    let part: Vec<Value> = c
        .attendees
        .iter()
        .take(PART_ATTENDEES)
        .map(|a| {
            let mut row = Map::new();
            row.insert("name".into(), json!(a.name));
            if let Some(phone) = &a.phone {
                row.insert("phone".into(), json!(phone));
            }
            row.insert("type".into(), json!(attendee_type(a)));
            row.insert("role".into(), json!(attendee_role(a)));
            row.insert(
                "isMute".into(),
                a.details.get("isMute").cloned().unwrap_or(json!(0)),
            );
            Value::Object(row)
        })
        .collect();
    put("partAttendeeInfo", Value::Array(part));
    let terminals = c
        .attendees
        .iter()
        .filter(|a| attendee_type(a) == "terminal")
        .count();
    put("terminlCount", json!(terminals));
    put("normalCount", json!(c.attendees.len() - terminals));
    put("webinar", json!(p.extra_int("confResType") == Some(2)));
    if matches!(view, View::Online) {
        put("onlineAttendeeAmount", json!(c.participants.len()));
    }
    put("confMode", json!("RTC"));
    if let Some(series) = &p.series {
        put("cycleParams", Value::Object(series.params.clone()));
        let subs: Vec<Value> = series.subs.iter().map(|s| sub_info(c, s)).collect();
        put("subConfs", Value::Array(subs));
        if let Some(first) = series.subs.first() {
            put("cycleSubConfID", json!(first.id));
        }
    }
    Value::Object(o)
}

/// A sub-meeting as `subConfs` lists it.
fn sub_info(c: &Conference, s: &SubMeeting) -> Value {
    let mut o = Map::new();
    o.insert("cycleSubConfID".into(), json!(s.id));
    o.insert("conferenceID".into(), json!(c.id));
    o.insert("mediaType".into(), json!(s.media_types));
    o.insert("startTime".into(), json!(format_minute(s.start_ms)));
    o.insert(
        "endTime".into(),
        json!(format_minute(end_of(s.start_ms, s.length))),
    );
    for (name, value) in &s.extras {
        o.insert(name.clone(), value.clone());
    }
    Value::Object(o)
}

/// `start` plus `minutes`.
pub(crate) fn end_of(start_ms: u64, minutes: i64) -> u64 {
    start_ms.saturating_add(minutes.max(0) as u64 * MINUTE_MS)
}

/// The scheduled start and end: a series runs from the start of its first
/// sub-meeting to the end of its last.
pub(crate) fn scheduled_span(c: &Conference) -> (u64, u64) {
    let p = &c.plan;
    match p.series.as_ref().map(|s| (s.subs.first(), s.subs.last())) {
        Some((Some(first), Some(last))) => (first.start_ms, end_of(last.start_ms, last.length)),
        _ => (p.start_ms, end_of(p.start_ms, c.duration_minutes)),
    }
}

/// The `type` of an invited attendee (`normal` unless sent).
fn attendee_type(a: &crate::conferences::AttendeeSnapshot) -> String {
    a.details
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("normal")
        .to_owned()
}

/// The `role` of an invited attendee: 1 host, 0 other.
fn attendee_role(a: &crate::conferences::AttendeeSnapshot) -> i64 {
    a.details.get("role").and_then(Value::as_i64).unwrap_or(0)
}

/// The invited attendees as the meeting details page them
/// (`PageParticipant` rows).
pub(crate) fn attendee_rows(c: &Conference) -> Vec<Value> {
    c.attendees
        .iter()
        .map(|a| {
            let mut row = Map::new();
            let number = a.phone.clone().unwrap_or_default();
            row.insert("participantID".into(), json!(number));
            row.insert("name".into(), json!(a.name));
            row.insert("subscriberID".into(), json!(number));
            row.insert("role".into(), json!(attendee_role(a)));
            row.insert("state".into(), json!("MEETTING"));
            row.insert("attendeeType".into(), json!(attendee_type(a)));
            if let Some(account) = &a.account_id {
                row.insert("accountId".into(), json!(account));
            }
            for name in [
                "phone2",
                "phone3",
                "email",
                "sms",
                "deptName",
                "userUUID",
                "appId",
                "isAutoInvite",
            ] {
                if let Some(v) = a.details.get(name) {
                    row.insert(name.into(), v.clone());
                }
            }
            Value::Object(row)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(v: Value) -> CycleRule {
        CycleRule::parse(&v).unwrap()
    }

    fn dates(v: Value) -> Vec<String> {
        rule(v).days().into_iter().map(format_date).collect()
    }

    #[test]
    fn daily_weekly_and_monthly_series() {
        assert_eq!(
            dates(json!({"startDate": "2030-01-01", "endDate": "2030-01-07",
                         "cycle": "Day", "interval": 3, "preRemindDays": 1})),
            ["2030-01-01", "2030-01-04", "2030-01-07"]
        );
        // 2030-01-01 is a Tuesday: Mondays and Wednesdays, every week.
        assert_eq!(
            dates(json!({"startDate": "2030-01-01", "endDate": "2030-01-14",
                         "cycle": "Week", "point": [3, 1]})),
            ["2030-01-02", "2030-01-07", "2030-01-09", "2030-01-14"]
        );
        // Every other week on the start's weekday.
        assert_eq!(
            dates(json!({"startDate": "2030-01-01", "endDate": "2030-01-31",
                         "cycle": "Week", "interval": 2})),
            ["2030-01-01", "2030-01-15", "2030-01-29"]
        );
        // The 31st of a short month is its last day.
        assert_eq!(
            dates(json!({"startDate": "2030-01-31", "endDate": "2030-04-30",
                         "cycle": "Month", "point": [31]})),
            ["2030-01-31", "2030-02-28", "2030-03-31", "2030-04-30"]
        );
        assert_eq!(
            dates(json!({"startDate": "2030-11-15", "endDate": "2031-05-15",
                         "cycle": "Month", "interval": 3})),
            ["2030-11-15", "2031-02-15", "2031-05-15"]
        );
    }

    #[test]
    fn a_series_has_at_most_fifty_meetings_and_its_end_moves_back() {
        let r = rule(json!({"startDate": "2030-01-01", "endDate": "2030-12-31", "cycle": "Day"}));
        let series = r.series(9 * 3_600_000, 30, "Voice", &[]).unwrap();
        assert_eq!(series.subs.len(), MAX_SUB_MEETINGS);
        assert_eq!(series.params["endDate"], "2030-02-19");
        assert_eq!(format_minute(series.subs[1].start_ms), "2030-01-02 09:00");
    }

    #[test]
    fn bad_rules_name_the_field() {
        for (v, field) in [
            (
                json!({"startDate": "2030-01-05", "endDate": "2030-01-01", "cycle": "Day"}),
                "endDate",
            ),
            (
                json!({"startDate": "2030-01-01", "endDate": "2032-01-01", "cycle": "Day"}),
                "endDate",
            ),
            (
                json!({"startDate": "2030/01/01", "endDate": "2030-01-02", "cycle": "Day"}),
                "startDate",
            ),
            (
                json!({"startDate": "2030-01-01", "endDate": "2030-01-02", "cycle": "Year"}),
                "cycle",
            ),
            (
                json!({"startDate": "2030-01-01", "endDate": "2030-01-02", "cycle": "Day", "interval": 16}),
                "interval",
            ),
            (
                json!({"startDate": "2030-01-01", "endDate": "2030-01-02", "cycle": "Week", "point": [7]}),
                "point",
            ),
            (
                json!({"startDate": "2030-01-01", "endDate": "2030-01-02", "cycle": "Month", "point": [0]}),
                "point",
            ),
            (
                json!({"startDate": "2030-01-01", "endDate": "2030-01-02", "cycle": "Day", "preRemindDays": 31}),
                "preRemindDays",
            ),
            (json!("Day"), "cycleParams"),
        ] {
            let err = CycleRule::parse(&v).unwrap_err();
            assert!(err.contains(field), "{field}: {err}");
        }
        // No Sunday between a Monday and a Tuesday.
        let r = rule(json!({"startDate": "2029-12-31", "endDate": "2030-01-01",
                            "cycle": "Week", "point": [0]}));
        assert!(r.series(0, 30, "Voice", &[]).is_err());
    }
}
