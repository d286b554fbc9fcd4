//! Scheduled meetings through the management API: create, search, show,
//! update and cancel (one path, four methods); the lists of running
//! meetings and of who is in one; the region and guest-authentication
//! calls; series and their sub-meetings. A meeting created here lives in
//! the same registry as any other, so `start_meeting`, control tokens and
//! every control call act on it.

use hwmeeting_core::meta::Location;
use serde_json::{Map, Value, json};

use super::history::archive;
use super::paging::{Page, descending, matches_key, query_int, required_text, search_key};
use super::{Call, conference_not_found};
use crate::checking::text;
use crate::codes::{
    Failure, MMC_CONFERENCE_NOT_STARTED, MMC_CONFERENCE_RUNNING, MMC_PARAM_INVALID,
    MMC_PASSWORD_WRONG, MMC_SERIES_MISMATCH, MMC_SUB_CONFERENCE_NOT_FOUND,
};
use crate::conferences::{AttendeeSnapshot, Conference, Conferences};
use crate::schedule::{self, ConfType, CycleRule, ECHOED, Plan, View};
use crate::times::{DAY_MS, parse_minute, to_minute};
use crate::{lock, now_ms, random_hex};

/// A meeting's length when none is given, in minutes.
const DEFAULT_LENGTH: i64 = 30;
/// The media types a meeting may have.
const MEDIA_TYPES: &[&str] = &["Voice", "Video", "HDVideo", "Data"];

fn invalid(msg: impl Into<String>) -> Failure {
    Failure::new(400, MMC_PARAM_INVALID, msg)
}

fn running(c: &Conference) -> Failure {
    Failure::new(
        400,
        MMC_CONFERENCE_RUNNING,
        format!(
            "meeting `{}` has started: it cannot be changed or cancelled now",
            c.id
        ),
    )
}

fn not_a_series(c: &Conference) -> Failure {
    Failure::new(
        400,
        MMC_SERIES_MISMATCH,
        format!("meeting `{}` is not a recurring meeting", c.id),
    )
}

fn a_series(c: &Conference) -> Failure {
    Failure::new(
        400,
        MMC_SERIES_MISMATCH,
        format!(
            "meeting `{}` is a recurring meeting: use the recurring-meeting calls",
            c.id
        ),
    )
}

fn not_started(c: &Conference) -> Failure {
    Failure::new(
        400,
        MMC_CONFERENCE_NOT_STARTED,
        format!("meeting `{}` is not running", c.id),
    )
}

/// The meeting with this ID that is still scheduled or running (one that
/// is over is history only: 404, as for no meeting).
fn scheduled<'c>(
    conferences: &'c mut Conferences,
    id: &str,
) -> Result<&'c mut Conference, Failure> {
    match conferences.by_id.get_mut(id) {
        Some(c) if !c.ended => Ok(c),
        _ => Err(conference_not_found(id)),
    }
}

/// A random password of `n` digits.
fn digits(n: usize) -> String {
    use rand::Rng as _;
    let mut rng = rand::rng();
    (0..n)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

/// The meeting ID of the query (`conferenceID`, or `conf_id` in the
/// snake_case calls).
fn query_conference(call: &Call<'_>) -> Result<String, Failure> {
    match text(&call.wire, Location::Query, "conferenceID") {
        Some(id) if !id.trim().is_empty() => Ok(id.trim().to_owned()),
        _ => required_text(call, Location::Query, "conf_id")
            .map_err(|_| invalid("missing required parameter `conferenceID`")),
    }
}

/// What a create or update body asks for, read and checked before
/// anything changes.
#[derive(Default)]
struct Changes {
    subject: Option<String>,
    /// `Some(None)`: an empty `startTime`, meaning now.
    start: Option<Option<u64>>,
    length: Option<i64>,
    media_types: Option<String>,
    attendees: Option<Vec<AttendeeSnapshot>>,
    config: Option<Map<String, Value>>,
    extras: Map<String, Value>,
    time_zone_id: Option<String>,
    language: Option<String>,
    cycle: Option<CycleRule>,
}

fn body_text(body: &Map<String, Value>, name: &str) -> Result<Option<String>, Failure> {
    match body.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid(format!(
            "invalid parameter `{name}`: must be a string"
        ))),
    }
}

/// A meeting length in minutes: 15 to 1440.
fn check_length(value: &Value) -> Result<i64, Failure> {
    value
        .as_i64()
        .filter(|l| (15..=1440).contains(l))
        .ok_or_else(|| invalid("invalid parameter `length`: must be 15 to 1440 minutes"))
}

/// Comma-separated media types, each one the service knows.
fn check_media(media: &str) -> Result<String, Failure> {
    let parts: Vec<&str> = media.split(',').map(str::trim).collect();
    if parts.iter().any(|p| !MEDIA_TYPES.contains(p)) {
        return Err(invalid(format!(
            "invalid parameter `mediaTypes`: `{media}` is not a list of Voice, Video, HDVideo, Data"
        )));
    }
    Ok(parts.join(","))
}

/// A UTC start time: empty means now.
fn check_start(text: &str) -> Result<Option<u64>, Failure> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    parse_minute(text).map(Some).ok_or_else(|| {
        invalid(format!(
            "invalid parameter `startTime`: `{text}` is not a UTC time yyyy-MM-dd HH:mm"
        ))
    })
}

fn read_attendees(value: &Value) -> Result<Vec<AttendeeSnapshot>, Failure> {
    let list = value
        .as_array()
        .ok_or_else(|| invalid("invalid parameter `attendees`: must be a list"))?;
    let mut out = Vec::new();
    for (i, a) in list.iter().enumerate() {
        let a = a.as_object().ok_or_else(|| {
            invalid(format!(
                "invalid parameter `attendees[{i}]`: must be an object"
            ))
        })?;
        let field = |name: &str| a.get(name).and_then(Value::as_str).map(str::to_owned);
        let name = field("name").unwrap_or_default();
        if name.chars().count() > 96 {
            return Err(invalid(format!(
                "invalid parameter `attendees[{i}].name`: at most 96 characters"
            )));
        }
        if let Some(role) = a.get("role")
            && !matches!(role.as_i64(), Some(0 | 1))
        {
            return Err(invalid(format!(
                "invalid parameter `attendees[{i}].role`: must be 0 or 1"
            )));
        }
        out.push(AttendeeSnapshot {
            name,
            phone: field("phone"),
            account_id: field("accountId"),
            details: a.clone(),
        });
    }
    Ok(out)
}

fn read_config(value: &Value) -> Result<Map<String, Value>, Failure> {
    let config = value
        .as_object()
        .ok_or_else(|| invalid("invalid parameter `confConfigInfo`: must be an object"))?;
    if let Some(pwd) = config.get("guestPwd") {
        let ok = pwd
            .as_str()
            .is_some_and(|p| (4..=16).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
        if !ok {
            return Err(invalid(
                "invalid parameter `confConfigInfo.guestPwd`: 4 to 16 digits",
            ));
        }
    }
    if let Some(v) = config.get("prolongLength")
        && !v.as_i64().is_some_and(|l| (0..=60).contains(&l))
    {
        return Err(invalid(
            "invalid parameter `confConfigInfo.prolongLength`: must be 0 to 60",
        ));
    }
    if let Some(v) = config.get("callInRestriction")
        && !matches!(v.as_i64(), Some(0 | 2 | 3))
    {
        return Err(invalid(
            "invalid parameter `confConfigInfo.callInRestriction`: must be 0, 2 or 3",
        ));
    }
    Ok(config.clone())
}

/// Reads a `RestScheduleConfDto` body.
fn read_changes(body: &Map<String, Value>) -> Result<Changes, Failure> {
    let mut ch = Changes::default();
    if let Some(subject) = body_text(body, "subject")? {
        if subject.chars().count() > 128 {
            return Err(invalid(
                "invalid parameter `subject`: at most 128 characters",
            ));
        }
        ch.subject = Some(subject);
    }
    if let Some(start) = body_text(body, "startTime")? {
        ch.start = Some(check_start(&start)?);
    }
    if let Some(length) = body.get("length") {
        ch.length = Some(check_length(length)?);
    }
    if let Some(media) = body_text(body, "mediaTypes")? {
        ch.media_types = Some(check_media(&media)?);
    }
    if let Some(attendees) = body.get("attendees") {
        ch.attendees = Some(read_attendees(attendees)?);
    }
    if let Some(config) = body.get("confConfigInfo") {
        ch.config = Some(read_config(config)?);
    }
    for name in ECHOED {
        if let Some(v) = body.get(*name) {
            ch.extras.insert((*name).to_owned(), v.clone());
        }
    }
    ch.time_zone_id = body_text(body, "timeZoneID")?;
    ch.language = body_text(body, "language")?;
    if let Some(cycle) = body.get("cycleParams") {
        ch.cycle = Some(CycleRule::parse(cycle).map_err(invalid)?);
    }
    Ok(ch)
}

/// A meeting's scheduled state after changes, made apart so that a
/// refused change leaves the meeting as it was.
struct Draft {
    plan: Plan,
    length: i64,
    attendees: Vec<AttendeeSnapshot>,
    guest_password: Option<String>,
    allow_guest_start: bool,
}

impl Draft {
    fn of(c: &Conference) -> Draft {
        Draft {
            plan: c.plan.clone(),
            length: c.duration_minutes,
            attendees: c.attendees.clone(),
            guest_password: c.guest_password.clone(),
            allow_guest_start: c.allow_guest_start,
        }
    }

    /// Applies the changes; a series whose rule, time or length changes is
    /// laid out anew (from the new rule, or the old one at the new time),
    /// keeping the IDs of sub-meetings that stay on their day; otherwise
    /// its sub-meetings (and their own changes) stay as they are.
    fn apply(mut self, mut ch: Changes, now: u64, series: bool) -> Result<Draft, Failure> {
        let relay = series
            && (ch.cycle.is_some()
                || ch.start.is_some()
                || ch.length.is_some()
                || self.plan.series.is_none());
        let p = &mut self.plan;
        if let Some(subject) = ch.subject.take() {
            p.subject = subject;
        }
        match ch.start {
            Some(Some(ms)) => {
                p.start_ms = ms;
                if p.conf_type == ConfType::Immediately {
                    p.conf_type = ConfType::Future;
                }
            }
            Some(None) => {
                p.start_ms = to_minute(now);
                if p.conf_type == ConfType::Future {
                    p.conf_type = ConfType::Immediately;
                }
            }
            None => {}
        }
        if let Some(length) = ch.length {
            self.length = length;
        }
        if let Some(media) = ch.media_types.take() {
            p.media_types = media;
        }
        if let Some(attendees) = ch.attendees.take() {
            self.attendees = attendees;
        }
        if let Some(config) = ch.config.take() {
            for (name, value) in config {
                p.config.insert(name, value);
            }
            if let Some(pwd) = p.config.get("guestPwd").and_then(Value::as_str) {
                self.guest_password = Some(pwd.to_owned());
            }
            self.allow_guest_start = p.config_flag("allowGuestStartConf");
        }
        p.extras.extend(std::mem::take(&mut ch.extras));
        if let Some(tz) = ch.time_zone_id.take() {
            p.time_zone_id = Some(tz);
        }
        if let Some(language) = ch.language.take() {
            p.language = Some(language);
        }
        if relay {
            let rule = match ch.cycle.take() {
                Some(rule) => rule,
                None => {
                    let params = p.series.as_ref().map(|s| Value::Object(s.params.clone()));
                    let params = params
                        .ok_or_else(|| invalid("missing required parameter `cycleParams`"))?;
                    CycleRule::parse(&params).map_err(invalid)?
                }
            };
            let old = p.series.take().map(|s| s.subs).unwrap_or_default();
            let laid = rule
                .series(p.start_ms % DAY_MS, self.length, &p.media_types, &old)
                .map_err(invalid)?;
            p.series = Some(laid);
            p.conf_type = ConfType::Cycle;
        }
        Ok(self)
    }

    fn commit(self, c: &mut Conference) {
        c.plan = self.plan;
        c.duration_minutes = self.length;
        c.attendees = self.attendees;
        c.guest_password = self.guest_password;
        c.allow_guest_start = self.allow_guest_start;
    }
}

/// Who the call's access token belongs to, as a booker.
fn booker(call: &Call<'_>) -> schedule::Booker {
    let user = super::caller(call).unwrap_or_default();
    schedule::Booker {
        user_uuid: crate::stable_id(&user),
        name: super::tokens::account_of(&user),
    }
}

fn create(call: &Call<'_>, series_call: bool) -> Result<Value, Failure> {
    let mut ch = read_changes(&call.wire.body)?;
    if ch.media_types.is_none() {
        return Err(invalid("missing required parameter `mediaTypes`"));
    }
    if series_call && ch.cycle.is_none() {
        return Err(invalid("missing required parameter `cycleParams`"));
    }
    let series = ch.cycle.is_some();
    if ch.start.is_none() {
        ch.start = Some(None);
    }
    let now = now_ms();
    let booker = booker(call);
    let mut conferences = lock(&call.state.conferences);
    let id = conferences.new_id();
    let mut c = Conference::blank(id.clone(), digits(6), now);
    c.guest_password = Some(digits(6));
    c.duration_minutes = DEFAULT_LENGTH;
    c.plan.booker = booker;
    c.plan.conf_type = ConfType::Immediately;
    Draft::of(&c).apply(ch, now, series)?.commit(&mut c);
    c.record(call.record());
    let info = schedule::info(&c, &call.state.url, View::Scheduled);
    crate::event_push::created(call.state, &c);
    conferences.by_id.insert(id, c);
    Ok(Value::Array(vec![info]))
}

/// `create_meeting`: a new meeting (a series when `cycleParams` is
/// given), not started; answered with a list of one meeting info, with
/// its ID and both passwords.
pub(crate) fn create_meeting(call: &Call<'_>) -> Result<Value, Failure> {
    create(call, false)
}

/// `create_recurring_meeting`: a new series (`cycleParams` required).
pub(crate) fn create_recurring_meeting(call: &Call<'_>) -> Result<Value, Failure> {
    create(call, true)
}

fn update(call: &Call<'_>, series_call: bool) -> Result<Value, Failure> {
    let id = query_conference(call)?;
    let ch = read_changes(&call.wire.body)?;
    let mut conferences = lock(&call.state.conferences);
    let c = scheduled(&mut conferences, &id)?;
    match (series_call, c.plan.series.is_some()) {
        (true, false) => return Err(not_a_series(c)),
        (false, true) => return Err(a_series(c)),
        _ => {}
    }
    if !series_call && ch.cycle.is_some() {
        return Err(invalid(
            "invalid parameter `cycleParams`: a one-off meeting cannot become a series",
        ));
    }
    if c.active {
        return Err(running(c));
    }
    Draft::of(c).apply(ch, now_ms(), series_call)?.commit(c);
    c.record(call.record());
    crate::event_push::modified(call.state, c);
    Ok(Value::Array(vec![schedule::info(
        c,
        &call.state.url,
        View::Scheduled,
    )]))
}

/// `update_meeting`: changes the fields given of a one-off meeting that
/// has not started; answered with a list of one meeting info.
pub(crate) fn update_meeting(call: &Call<'_>) -> Result<Value, Failure> {
    update(call, false)
}

/// `update_recurring_meeting`: changes a series that is not running; its
/// sub-meetings are laid out anew.
pub(crate) fn update_recurring_meeting(call: &Call<'_>) -> Result<Value, Failure> {
    update(call, true)
}

fn cancel(call: &Call<'_>, series_call: bool) -> Result<Value, Failure> {
    let id = query_conference(call)?;
    let end_running = query_int(call, "type") == Some(1);
    let now = now_ms();
    let ended = {
        let mut conferences = lock(&call.state.conferences);
        let c = scheduled(&mut conferences, &id)?;
        if series_call && c.plan.series.is_none() {
            return Err(not_a_series(c));
        }
        let ended = if c.active {
            if !end_running {
                return Err(running(c));
            }
            c.record(call.record());
            c.halt();
            let ended = c.end_run(now, &call.state.url);
            if let Some((_, recording)) = &ended {
                crate::event_push::stopped(call.state, c, recording.as_ref());
            }
            ended
        } else {
            None
        };
        crate::event_push::cancelled(call.state, c);
        conferences.by_id.remove(&id);
        ended
    };
    lock(&call.state.tokens).revoke_conf_of(&id);
    archive(call.state, ended);
    Ok(json!({}))
}

/// `cancel_meeting`: the meeting is gone (a later call on it is 404); a
/// running one only with `type` 1, which ends it first (it becomes
/// history).
pub(crate) fn cancel_meeting(call: &Call<'_>) -> Result<Value, Failure> {
    cancel(call, false)
}

/// `cancel_recurring_meeting`: the whole series is gone.
pub(crate) fn cancel_recurring_meeting(call: &Call<'_>) -> Result<Value, Failure> {
    cancel(call, true)
}

/// `update_recurring_sub_meeting`: one sub-meeting gets a new start,
/// length and media (and the optional fields given); the others stay.
pub(crate) fn update_recurring_sub_meeting(call: &Call<'_>) -> Result<Value, Failure> {
    let id = query_conference(call)?;
    let body = &call.wire.body;
    let sub_id = required_text(call, Location::Body, "cycleSubConfID")?;
    let media = check_media(&required_text(call, Location::Body, "mediaTypes")?)?;
    let start = check_start(&required_text(call, Location::Body, "startTime")?)?
        .ok_or_else(|| invalid("missing required parameter `startTime`"))?;
    let length = check_length(
        body.get("length")
            .ok_or_else(|| invalid("missing required parameter `length`"))?,
    )?;
    let mut conferences = lock(&call.state.conferences);
    let c = scheduled(&mut conferences, &id)?;
    if c.active {
        return Err(running(c));
    }
    let not_series = not_a_series(c);
    let series = c.plan.series.as_mut().ok_or(not_series)?;
    let Some(sub) = series.subs.iter_mut().find(|s| s.id == sub_id) else {
        return Err(Failure::new(
            404,
            MMC_SUB_CONFERENCE_NOT_FOUND,
            format!("meeting `{id}` has no sub-meeting `{sub_id}`"),
        ));
    };
    sub.start_ms = start;
    sub.length = length;
    sub.media_types = media;
    for name in [
        "isAutoRecord",
        "confConfigInfo",
        "recordAuthType",
        "description",
    ] {
        if let Some(v) = body.get(name) {
            sub.extras.insert(name.to_owned(), v.clone());
        }
    }
    series.subs.sort_by_key(|s| s.start_ms);
    c.record(call.record());
    Ok(json!({}))
}

/// `cancel_recurring_sub_meeting`: the sub-meetings named go (every one
/// must exist, else nothing changes); the others stay. A running series
/// only with `type` 1, which ends the run first.
pub(crate) fn cancel_recurring_sub_meeting(call: &Call<'_>) -> Result<Value, Failure> {
    let id = query_conference(call)?;
    let ids: Vec<String> = call
        .wire
        .body
        .get("cycleSubConfIDs")
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if ids.is_empty() {
        return Err(invalid("missing required parameter `cycleSubConfIDs`"));
    }
    let end_running = query_int(call, "type") == Some(1);
    let now = now_ms();
    let ended = {
        let mut conferences = lock(&call.state.conferences);
        let c = scheduled(&mut conferences, &id)?;
        let Some(series) = &c.plan.series else {
            return Err(not_a_series(c));
        };
        if let Some(missing) = ids
            .iter()
            .find(|i| !series.subs.iter().any(|s| &s.id == *i))
        {
            return Err(Failure::new(
                404,
                MMC_SUB_CONFERENCE_NOT_FOUND,
                format!("meeting `{id}` has no sub-meeting `{missing}`"),
            ));
        }
        if c.active && !end_running {
            return Err(running(c));
        }
        c.record(call.record());
        let ended = if c.active {
            c.halt();
            c.end_run(now, &call.state.url)
        } else {
            None
        };
        if let Some(series) = &mut c.plan.series {
            series.subs.retain(|s| !ids.contains(&s.id));
            if series.subs.is_empty() {
                c.ended = true;
            }
        }
        ended
    };
    if ended.is_some() {
        lock(&call.state.tokens).revoke_conf_of(&id);
    }
    archive(call.state, ended);
    Ok(json!({}))
}

/// The invited attendees of a meeting matching the query's `searchKey`.
fn attendee_page(call: &Call<'_>, c: &Conference) -> Result<Value, Failure> {
    let page = Page::of(call, "offset", "limit")?;
    let key = search_key(call, "searchKey");
    let rows: Vec<Value> = schedule::attendee_rows(c)
        .into_iter()
        .filter(|r| {
            let field = |n: &str| {
                r.get(n)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            matches_key(key.as_deref(), &[&field("name"), &field("participantID")])
        })
        .collect();
    Ok(page.answer(&rows))
}

/// `show_meeting_detail`: a scheduled or running meeting and a page of its
/// invited attendees.
pub(crate) fn show_meeting_detail(call: &Call<'_>) -> Result<Value, Failure> {
    let id = query_conference(call)?;
    let mut conferences = lock(&call.state.conferences);
    let c = scheduled(&mut conferences, &id)?;
    Ok(json!({
        "conferenceData": schedule::info(c, &call.state.url, View::Scheduled),
        "data": attendee_page(call, c)?,
    }))
}

/// The meetings a search lists: matching `searchKey` (subject, ID or
/// booker), ordered by start (`sortType`, ascending by default).
fn listed(
    call: &Call<'_>,
    conferences: &Conferences,
    keep: impl Fn(&Conference) -> bool,
    view: View,
) -> Vec<Value> {
    let key = search_key(call, "searchKey");
    let mut list: Vec<&Conference> = conferences
        .by_id
        .values()
        .filter(|c| !c.ended && keep(c))
        .filter(|c| {
            matches_key(
                key.as_deref(),
                &[&c.plan.subject, &c.id, &c.plan.booker.name],
            )
        })
        .collect();
    list.sort_by(|a, b| {
        (schedule::scheduled_span(a).0, &a.id).cmp(&(schedule::scheduled_span(b).0, &b.id))
    });
    if descending(call, false) {
        list.reverse();
    }
    list.iter()
        .map(|c| schedule::info(c, &call.state.url, view))
        .collect()
}

/// `search_meetings`: the meetings scheduled or running, a page of them.
pub(crate) fn search_meetings(call: &Call<'_>) -> Result<Value, Failure> {
    let page = Page::of(call, "offset", "limit")?;
    let conferences = lock(&call.state.conferences);
    Ok(page.answer(&listed(call, &conferences, |_| true, View::Scheduled)))
}

/// `search_online_meetings`: the running meetings, a page of them.
pub(crate) fn search_online_meetings(call: &Call<'_>) -> Result<Value, Failure> {
    let page = Page::of(call, "offset", "limit")?;
    let conferences = lock(&call.state.conferences);
    Ok(page.answer(&listed(call, &conferences, |c| c.active, View::Online)))
}

/// `show_online_meeting_detail`: a running meeting (400 if it is not
/// running) and a page of its invited attendees.
pub(crate) fn show_online_meeting_detail(call: &Call<'_>) -> Result<Value, Failure> {
    let id = query_conference(call)?;
    let mut conferences = lock(&call.state.conferences);
    let c = scheduled(&mut conferences, &id)?;
    if !c.active {
        return Err(not_started(c));
    }
    Ok(json!({
        "conferenceData": schedule::info(c, &call.state.url, View::Online),
        "data": attendee_page(call, c)?,
    }))
}

/// `list_online_conf_attendee`: who is in a running meeting, in the
/// snake_case names of this call.
pub(crate) fn list_online_conf_attendee(call: &Call<'_>) -> Result<Value, Failure> {
    let id = query_conference(call)?;
    let page = Page::of(call, "offset", "limit")?;
    let key = search_key(call, "search_key");
    let mut conferences = lock(&call.state.conferences);
    let c = scheduled(&mut conferences, &id)?;
    if !c.active {
        return Err(not_started(c));
    }
    let rows: Vec<Value> = c
        .participants
        .iter()
        .filter(|p| {
            matches_key(
                key.as_deref(),
                &[
                    &p.name,
                    &p.participant_id,
                    p.phone.as_deref().unwrap_or_default(),
                ],
            )
        })
        .map(|p| {
            let mut row = Map::new();
            row.insert("participant_id".into(), json!(p.participant_id));
            row.insert("name".into(), json!(p.name));
            if let Some(phone) = &p.phone {
                row.insert("call_number".into(), json!(phone));
                let account = c
                    .attendees
                    .iter()
                    .find(|a| a.phone.as_ref() == Some(phone))
                    .and_then(|a| a.account_id.clone());
                if let Some(account) = account {
                    row.insert("account".into(), json!(account));
                }
            }
            row.insert("role".into(), json!(i64::from(p.is_chair)));
            Value::Object(row)
        })
        .collect();
    Ok(page.answer(&rows))
}

/// `show_region_info_of_meeting`: the simulator is the region.
pub(crate) fn show_region_info_of_meeting(call: &Call<'_>) -> Result<Value, Failure> {
    let id = query_conference(call)?;
    let mut conferences = lock(&call.state.conferences);
    scheduled(&mut conferences, &id)?;
    let host = call
        .state
        .url
        .split_once("://")
        .map(|(_, h)| h)
        .unwrap_or("127.0.0.1");
    Ok(json!({ "regionIP": "127.0.0.1", "regionUrl": host }))
}

/// Whether `password` is the host or the guest password.
fn password_ok(c: &Conference, password: &str) -> bool {
    password == c.host_password || c.guest_password.as_deref() == Some(password)
}

fn wrong_password(c: &Conference) -> Failure {
    Failure::new(
        403,
        MMC_PASSWORD_WRONG,
        format!(
            "X-Password is neither the host nor the guest password of meeting `{}`",
            c.id
        ),
    )
}

/// `create_anonymous_auth_random`: with the meeting's host or guest
/// password in `X-Password`, a one-time random.
pub(crate) fn create_anonymous_auth_random(call: &Call<'_>) -> Result<Value, Failure> {
    let id = query_conference(call)?;
    let password = call.header("X-Password").unwrap_or_default();
    let mut conferences = lock(&call.state.conferences);
    let c = scheduled(&mut conferences, &id)?;
    if !password_ok(c, &password) {
        return Err(wrong_password(c));
    }
    Ok(json!({ "siteUrl": call.state.url, "random": random_hex(32) }))
}

/// `create_auth_random`: a one-time random for the meeting, with its host
/// or guest password (none needed when guests need none).
pub(crate) fn create_auth_random(call: &Call<'_>) -> Result<Value, Failure> {
    let id = query_conference(call)?;
    let password = call.header("X-Password").filter(|p| !p.is_empty());
    let mut conferences = lock(&call.state.conferences);
    let c = scheduled(&mut conferences, &id)?;
    let free = c.plan.config_flag("isGuestFreePwd");
    let ok = match &password {
        Some(p) => password_ok(c, p),
        None => free,
    };
    if !ok {
        return Err(wrong_password(c));
    }
    Ok(json!({
        "random": random_hex(32),
        "subject": c.plan.subject,
        "conf_mode": "RTC",
        "webinar": c.plan.extra_int("confResType") == Some(2),
        "need_password": !free,
        "support_applets": false,
    }))
}

/// `check_call_number_in_conf`: whether a number (or participant ID) is in
/// a running meeting, and which.
pub(crate) fn check_call_number_in_conf(call: &Call<'_>) -> Result<Value, Failure> {
    let number = required_text(call, Location::Query, "call_number")?;
    let conferences = lock(&call.state.conferences);
    let found = conferences.by_id.values().filter(|c| c.active).find(|c| {
        c.participants
            .iter()
            .any(|p| p.phone.as_deref() == Some(number.as_str()) || p.participant_id == number)
    });
    Ok(match found {
        Some(c) => json!({ "in_conf": true, "conf_id": c.id }),
        None => json!({ "in_conf": false }),
    })
}
