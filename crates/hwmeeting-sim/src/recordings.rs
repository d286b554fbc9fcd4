//! Cloud recordings: the spans a running meeting was recorded
//! (`record`, `set_mmr_record`), and the [`Recording`] its run leaves when
//! it ends, with files the simulator serves itself under
//! `/_sim/recordings/{confUUID}/{file}`.

use serde::{Deserialize, Serialize};

use crate::RecordingState;
use crate::conferences::Conference;
use crate::times::format_minute;

/// A span during which the meeting was recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Segment {
    /// When recording started (or resumed), Unix milliseconds.
    pub start_ms: u64,
    /// When it stopped or paused; `None` while recording.
    #[serde(default)]
    pub end_ms: Option<u64>,
}

/// The recording of one run of a meeting, as `search_recordings` lists it
/// and `GET /_sim/recordings` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Recording {
    /// The UUID of the run (what the recording calls take).
    #[serde(rename = "confUUID")]
    pub conf_uuid: String,
    /// The meeting ID.
    #[serde(rename = "conferenceID")]
    pub conference_id: String,
    /// The meeting's subject.
    pub subject: String,
    /// Who scheduled the meeting.
    pub scheduser_name: String,
    /// When the run started, UTC `yyyy-MM-dd HH:mm`.
    pub start_time: String,
    /// When the run started, Unix milliseconds.
    pub start_ms: u64,
    /// When the run ended, Unix milliseconds.
    pub end_ms: u64,
    /// The recorded spans, in order (each one a manual segment).
    pub segments: Vec<Segment>,
    /// Who may watch it (`recordAuthType` of the meeting; 0 by default).
    pub record_auth_type: i64,
    /// Whether the shared screen was recorded as its own file
    /// (`recordAuxStream` 1).
    pub aux: bool,
}

impl Recording {
    /// The recording of the run from `start_ms` to `end_ms`, if any span
    /// was recorded.
    pub(crate) fn of_run(c: &Conference, start_ms: u64, end_ms: u64) -> Option<Recording> {
        if c.segments.is_empty() {
            return None;
        }
        Some(Recording {
            conf_uuid: c.uuid.clone(),
            conference_id: c.id.clone(),
            subject: c.plan.subject.clone(),
            scheduser_name: c.plan.booker.name.clone(),
            start_time: format_minute(start_ms),
            start_ms,
            end_ms,
            segments: c.segments.clone(),
            record_auth_type: c.plan.extra_int("recordAuthType").unwrap_or(0),
            aux: c.plan.extra_int("recordAuxStream") == Some(1),
        })
    }

    /// Recorded length in whole seconds (at least 1: a span shorter than a
    /// second still makes a file).
    pub fn seconds(&self) -> u64 {
        let ms: u64 = self
            .segments
            .iter()
            .map(|s| s.end_ms.unwrap_or(s.start_ms).saturating_sub(s.start_ms))
            .sum();
        ms.div_ceil(1000).max(1)
    }

    /// The file types it has: `Hd` and `Sd`, and `Aux` when the shared
    /// screen was recorded.
    pub fn file_types(&self) -> Vec<&'static str> {
        let mut files = vec!["Hd", "Sd"];
        if self.aux {
            files.push("Aux");
        }
        files
    }

    /// The name of a file type's file under `/_sim/recordings/{confUUID}/`.
    pub fn file_name(file_type: &str) -> String {
        format!("{file_type}.mp4")
    }

    /// The bytes the simulator serves for a file (not a real video: a
    /// short text that names the recording, so a test can check it).
    pub fn file_bytes(&self, file_type: &str) -> Vec<u8> {
        format!(
            "hwmeeting-sim recording {} of meeting {}: {} ({} s)\n",
            self.conf_uuid,
            self.conference_id,
            file_type,
            self.seconds()
        )
        .into_bytes()
    }
}

impl Conference {
    /// Opens a span when recording starts, closes it when recording stops
    /// or pauses (called after every call on a running meeting).
    pub(crate) fn sync_recording(&mut self, now: u64) {
        let open = self.segments.iter().any(|s| s.end_ms.is_none());
        match (self.recording == RecordingState::Recording, open) {
            (true, false) => self.segments.push(Segment {
                start_ms: now,
                end_ms: None,
            }),
            (false, true) => self.close_segments(now),
            _ => {}
        }
    }

    /// Closes the open span, if any.
    pub(crate) fn close_segments(&mut self, now: u64) {
        for s in self.segments.iter_mut().filter(|s| s.end_ms.is_none()) {
            s.end_ms = Some(now);
        }
    }
}

/// Every recording not deleted, oldest first.
#[derive(Debug, Default)]
pub(crate) struct Recordings {
    pub all: Vec<Recording>,
}

impl Recordings {
    /// The recording of a run.
    pub(crate) fn get(&self, conf_uuid: &str) -> Option<&Recording> {
        self.all.iter().find(|r| r.conf_uuid == conf_uuid)
    }
}
