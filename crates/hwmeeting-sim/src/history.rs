//! Ended meetings: every run of a meeting (from `start_meeting` to
//! `stop_meeting`, or to a cancel that ends it) leaves one
//! [`HistoricMeeting`], addressed by the run's `confUUID`, with who joined
//! and left when, and the calls made on it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::conferences::{CallRecord, Conference};
use crate::recordings::Recording;
use crate::schedule::{self, View};

/// One stay of a participant in a running meeting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attendance {
    /// The participant ID.
    #[serde(rename = "participantID")]
    pub participant_id: String,
    /// The display name when they joined.
    pub name: String,
    /// The participant's number, if known.
    #[serde(default)]
    pub phone: Option<String>,
    /// When they joined (or the meeting started, if they were in it
    /// already), Unix milliseconds.
    pub join_ms: u64,
    /// When they left (or the meeting ended); `None` while still in.
    #[serde(default)]
    pub left_ms: Option<u64>,
}

/// A run of a meeting that has ended, as `search_his_meetings` lists it
/// and `GET /_sim/history` shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoricMeeting {
    /// The run's UUID (what the history calls take).
    #[serde(rename = "confUUID")]
    pub conf_uuid: String,
    /// The meeting ID.
    #[serde(rename = "conferenceID")]
    pub conference_id: String,
    /// The subject.
    pub subject: String,
    /// Who scheduled it (`scheduserName`).
    pub scheduser_name: String,
    /// When it started, Unix milliseconds.
    pub start_ms: u64,
    /// When it ended, Unix milliseconds.
    pub end_ms: u64,
    /// Who was in it, and when, in the order they joined.
    pub attendance: Vec<Attendance>,
    /// The calls made on it while it ran, oldest first (secrets masked).
    pub calls: Vec<CallRecord>,
    /// Whether it was recorded (a recording exists or existed).
    pub has_record: bool,
    /// The meeting information (`ConferenceInfo`) as the history calls
    /// answer it.
    pub info: Value,
    /// The invited attendees, as the history details page them.
    pub attendees: Vec<Value>,
}

impl Conference {
    /// Brings the attendance of the running meeting up to date: whoever is
    /// in it and has no open stay gets one from `now`; an open stay of
    /// someone no longer in it ends at `now`. Every call that may move
    /// participants ends with it, so no handler tracks joins itself.
    pub(crate) fn sync_attendance(&mut self, now: u64) {
        if !self.active {
            return;
        }
        let participants = &self.participants;
        for stay in self.attendance.iter_mut().filter(|s| s.left_ms.is_none()) {
            if !participants
                .iter()
                .any(|p| p.participant_id == stay.participant_id)
            {
                stay.left_ms = Some(now);
            }
        }
        for p in &self.participants {
            let open = self
                .attendance
                .iter()
                .any(|s| s.left_ms.is_none() && s.participant_id == p.participant_id);
            if !open {
                self.attendance.push(Attendance {
                    participant_id: p.participant_id.clone(),
                    name: p.name.clone(),
                    phone: p.phone.clone(),
                    join_ms: now,
                    left_ms: None,
                });
            }
        }
        self.sync_recording(now);
    }

    /// Stops the meeting: no longer running, and what holds only while it
    /// runs (pause, live, recording, broadcast, roll call, interpretation)
    /// is over.
    pub(crate) fn halt(&mut self) {
        self.active = false;
        self.paused = false;
        self.live = false;
        self.recording = crate::RecordingState::Stopped;
        self.broadcast = None;
        self.roll_call = None;
        self.interpretation = false;
    }

    /// Begins a run: a new `confUUID` if an earlier run ended, empty
    /// attendance and recording, and everyone already in joins now.
    pub(crate) fn begin_run(&mut self, now: u64) {
        if self.started_ms.is_some() {
            return;
        }
        if self.runs > 0 {
            self.uuid = crate::conferences::new_conf_uuid();
        }
        self.started_ms = Some(now);
        self.ended = false;
        self.attendance.clear();
        self.segments.clear();
        self.active = true;
        if self.plan.extra_int("isAutoRecord") == Some(1)
            && matches!(self.plan.extra_int("recordType"), Some(2 | 3))
        {
            self.recording = crate::RecordingState::Recording;
        }
        self.sync_attendance(now);
    }

    /// Ends the run at `now` (the meeting must no longer be active): every
    /// stay and recording span closes, and the run becomes history (with
    /// its recording, if it was recorded). A one-off meeting is then over;
    /// a series moves on to its next sub-meeting.
    pub(crate) fn end_run(
        &mut self,
        now: u64,
        base_url: &str,
    ) -> Option<(HistoricMeeting, Option<Recording>)> {
        let start_ms = self.started_ms.take()?;
        for stay in self.attendance.iter_mut().filter(|s| s.left_ms.is_none()) {
            stay.left_ms = Some(now);
        }
        self.close_segments(now);
        let recording = Recording::of_run(self, start_ms, now);
        let view = View::History {
            start_ms,
            end_ms: now,
            has_record: recording.is_some(),
        };
        let info = schedule::info(self, base_url, view);
        let history = HistoricMeeting {
            conf_uuid: self.uuid.clone(),
            conference_id: self.id.clone(),
            subject: self.plan.subject.clone(),
            scheduser_name: self.plan.booker.name.clone(),
            start_ms,
            end_ms: now,
            attendance: std::mem::take(&mut self.attendance),
            calls: self
                .calls
                .iter()
                .filter(|c| c.time_ms >= start_ms)
                .cloned()
                .collect(),
            has_record: recording.is_some(),
            info,
            attendees: schedule::attendee_rows(self),
        };
        self.runs += 1;
        match &mut self.plan.series {
            Some(series) => {
                // The sub-meeting held is the earliest one left.
                if !series.subs.is_empty() {
                    series.subs.remove(0);
                }
                self.ended = series.subs.is_empty();
            }
            None => self.ended = true,
        }
        Some((history, recording))
    }
}

/// Every ended run, oldest first.
#[derive(Debug, Default)]
pub(crate) struct History {
    pub runs: Vec<HistoricMeeting>,
}

impl History {
    /// The run with this UUID.
    pub(crate) fn get(&self, conf_uuid: &str) -> Option<&HistoricMeeting> {
        self.runs.iter().find(|r| r.conf_uuid == conf_uuid)
    }
}
