//! What the meeting shows: terminal views (`lock_view`,
//! `set_participant_view`), the host's view (`set_host_view`), the video
//! strategy (`switch_mode`) and the multi-picture (`set_multi_picture`,
//! `set_custom_multi_picture`). Every handler runs on the call's meeting
//! (404 for an unknown meeting, 400 when it is not running), answers 404
//! for a participant who is not in the meeting, and changes nothing when
//! it fails.

use hwmeeting_core::meta::Location;
use serde_json::{Map, Value};

use super::Call;
use super::meeting::{
    body_participant, flag, int, invalid, participant, query_participant, update,
};
use crate::checking::text;
use crate::codes::{Failure, MMC_PARTICIPANT_NOT_FOUND};
use crate::conferences::Conference;
use crate::display::{HostView, MultiPicture, Picture, VideoMode, picture_count};

/// The two participants of a terminal call: the terminal (query
/// `participantID`) and the one it shows (body `participantID`); both must
/// be in the meeting.
fn terminal_and_source(call: &Call<'_>) -> (String, String) {
    let source = text(&call.wire, Location::Body, "participantID")
        .unwrap_or_default()
        .to_owned();
    (query_participant(call), source)
}

/// `lock_view`: the terminal's video source is locked to the body's
/// participant (`status` 1), or unlocked (0).
pub(crate) fn lock_view(call: &Call<'_>) -> Result<Value, Failure> {
    let (terminal, source) = terminal_and_source(call);
    let lock = flag(call, "status");
    update(call, |c| {
        participant(c, &source)?;
        participant(c, &terminal)?.locked_view = lock.then_some(source);
        Ok(())
    })
}

/// `set_participant_view`: the terminal watches the body's participant.
pub(crate) fn set_participant_view(call: &Call<'_>) -> Result<Value, Failure> {
    let (terminal, viewed) = terminal_and_source(call);
    update(call, |c| {
        participant(c, &viewed)?;
        participant(c, &terminal)?.watching = Some(viewed);
        Ok(())
    })
}

/// `set_host_view`: the host's view cycles (`viewType` 0, `status` 1 starts
/// and 0 stops, every `switchTime` seconds), shows the multi-picture (1;
/// refused, 400, while the meeting broadcasts the multi-picture or is
/// voice-activated) or one participant (2, `participantID`).
pub(crate) fn set_host_view(call: &Call<'_>) -> Result<Value, Failure> {
    let view_type = int(call, "viewType").unwrap_or_default();
    let pid = body_participant(call);
    let switch_time = int(call, "switchTime");
    let polling = flag(call, "status");
    update(call, |c| {
        let view = match view_type {
            0 => HostView {
                view_type,
                participant_id: None,
                switch_time,
                polling,
            },
            1 => {
                if let Some(mode) = &c.video_mode {
                    let busy = if mode.voice_activated() {
                        "is voice-activated"
                    } else if mode.broadcasts_multi_picture() {
                        "broadcasts the multi-picture"
                    } else {
                        ""
                    };
                    if !busy.is_empty() {
                        return Err(invalid(format!(
                            "the host cannot watch the multi-picture while meeting `{}` {busy}",
                            c.id
                        )));
                    }
                }
                HostView {
                    view_type,
                    participant_id: None,
                    switch_time: None,
                    polling: false,
                }
            }
            _ => {
                let Some(pid) = pid else {
                    return Err(invalid(
                        "missing required parameter `participantID`: give it when `viewType` is 2",
                    ));
                };
                participant(c, &pid)?;
                HostView {
                    view_type,
                    participant_id: Some(pid),
                    switch_time: None,
                    polling: false,
                }
            }
        };
        c.host_view = Some(view);
        Ok(())
    })
}

/// `switch_mode`: the video strategy (`switchMode` `Fixed` or `VAS`,
/// `imageType` 0 one picture, 1 several).
pub(crate) fn switch_mode(call: &Call<'_>) -> Result<Value, Failure> {
    let mode = VideoMode {
        switch_mode: text(&call.wire, Location::Body, "switchMode")
            .unwrap_or_default()
            .to_owned(),
        image_type: int(call, "imageType").unwrap_or_default(),
    };
    update(call, |c| {
        c.video_mode = Some(mode);
        Ok(())
    })
}

/// A picture of `subscriberInPics` as sent: number, who (as sent), and
/// whether it shows the auxiliary stream.
struct SentPicture {
    index: i64,
    subscribers: Vec<String>,
    assist_stream: bool,
}

fn sent_pictures(call: &Call<'_>) -> Vec<SentPicture> {
    let Some(list) = call
        .wire
        .body
        .get("subscriberInPics")
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    list.iter()
        .filter_map(Value::as_object)
        .map(|pic| SentPicture {
            index: pic.get("index").and_then(Value::as_i64).unwrap_or(1),
            subscribers: pic
                .get("subscriber")
                .and_then(Value::as_array)
                .map(|s| {
                    s.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
            assist_stream: pic.get("isAssistStream").and_then(Value::as_i64) == Some(1),
        })
        .collect()
}

/// The multi-picture a call sets. By hand (`manualSet` 1), every picture's
/// number must be within the arrangement (`imageType`, else the custom
/// grid's pictures; 400) and every subscriber a participant of the meeting,
/// found by `find` (404); automatic, no picture is kept.
fn multi_picture(
    call: &Call<'_>,
    c: &Conference,
    find: impl Fn(&Conference, &str) -> Result<String, Failure>,
) -> Result<MultiPicture, Failure> {
    let manual = flag(call, "manualSet");
    let grid = call
        .wire
        .body
        .get("picLayoutInfo")
        .and_then(Value::as_object)
        .cloned();
    let image_type = text(&call.wire, Location::Body, "imageType").map(str::to_owned);
    let mut pictures = Vec::new();
    if manual {
        let limit = match (&image_type, &grid) {
            (Some(name), _) => picture_count(name).map(|n| (n, name.clone())),
            (None, Some(grid)) => grid_pictures(grid).map(|n| (n, "custom".to_owned())),
            (None, None) => None,
        };
        for sent in sent_pictures(call) {
            if let Some((n, name)) = &limit
                && sent.index > *n
            {
                return Err(invalid(format!(
                    "invalid parameter `subscriberInPics`: picture {} is not in the {name} \
                     layout of {n} picture(s)",
                    sent.index
                )));
            }
            let participants = sent
                .subscribers
                .iter()
                .map(|s| find(c, s))
                .collect::<Result<Vec<_>, _>>()?;
            pictures.push(Picture {
                index: sent.index,
                participants,
                assist_stream: sent.assist_stream,
            });
        }
    }
    Ok(MultiPicture {
        manual,
        image_type: image_type.filter(|_| manual),
        pictures,
        switch_time: int(call, "switchTime"),
        pic_layout_info: grid.filter(|_| manual).map(Value::Object),
        saved_only: false,
    })
}

/// How many pictures a custom grid defines, if it lists any.
fn grid_pictures(grid: &Map<String, Value>) -> Option<i64> {
    let n = grid.get("subPicLayoutInfoList")?.as_array()?.len();
    (n > 0).then(|| i64::try_from(n).unwrap_or(i64::MAX))
}

/// `set_multi_picture` (deprecated): the multi-picture, its subscribers by
/// participant ID. The video strategy stays as it is.
pub(crate) fn set_multi_picture(call: &Call<'_>) -> Result<Value, Failure> {
    update(call, |c| {
        let layout = multi_picture(call, c, |c, pid| {
            if c.has_participant(pid) {
                Ok(pid.to_owned())
            } else {
                Err(Failure::new(
                    404,
                    MMC_PARTICIPANT_NOT_FOUND,
                    format!("participant `{pid}` is not in meeting `{}`", c.id),
                ))
            }
        })?;
        c.multi_picture = Some(layout);
        Ok(())
    })
}

/// `set_custom_multi_picture`: the multi-picture, its subscribers by number
/// (kept as participant IDs). Only saved with `multiPicSaveOnly` true;
/// otherwise applied: a meeting that broadcasts the multi-picture, is
/// voice-activated or whose host watches the multi-picture keeps its
/// strategy; any other switches to broadcasting the multi-picture (a
/// broadcast or roll call ends).
pub(crate) fn set_custom_multi_picture(call: &Call<'_>) -> Result<Value, Failure> {
    let save_only = call
        .wire
        .body
        .get("multiPicSaveOnly")
        .and_then(Value::as_bool)
        == Some(true);
    update(call, |c| {
        let mut layout = multi_picture(call, c, |c, number| {
            c.participants
                .iter()
                .find(|p| p.phone.as_deref() == Some(number))
                .map(|p| p.participant_id.clone())
                .ok_or_else(|| {
                    Failure::new(
                        404,
                        MMC_PARTICIPANT_NOT_FOUND,
                        format!(
                            "no participant of meeting `{}` has the number `{number}`",
                            c.id
                        ),
                    )
                })
        })?;
        layout.saved_only = save_only;
        if !save_only {
            let keeps = c
                .video_mode
                .as_ref()
                .is_some_and(|m| m.voice_activated() || m.broadcasts_multi_picture())
                || c.host_view
                    .as_ref()
                    .is_some_and(HostView::watches_multi_picture);
            if !keeps {
                c.video_mode = Some(VideoMode::fixed_multi_picture());
                c.broadcast = None;
                c.roll_call = None;
            }
        }
        c.multi_picture = Some(layout);
        Ok(())
    })
}
