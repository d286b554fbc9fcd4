//! What a meeting shows: the video strategy (`switch_mode`), the host's
//! view (`set_host_view`) and the multi-picture layout (`set_multi_picture`,
//! `set_custom_multi_picture`), as [`ConferenceSnapshot`] shows them.
//!
//! [`ConferenceSnapshot`]: crate::ConferenceSnapshot

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `switchMode` of a fixed broadcast.
pub const FIXED: &str = "Fixed";
/// `switchMode` of voice activation.
pub const VOICE_ACTIVATED: &str = "VAS";

/// How the meeting picks what everyone sees (`switch_mode`; applying a
/// custom multi-picture may switch it to a fixed multi-picture).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VideoMode {
    /// [`FIXED`] (a fixed broadcast) or [`VOICE_ACTIVATED`] (the picture
    /// follows whoever speaks).
    pub switch_mode: String,
    /// `0` one picture, `1` several.
    pub image_type: i64,
}

impl VideoMode {
    /// A fixed broadcast of the multi-picture.
    pub fn fixed_multi_picture() -> Self {
        VideoMode {
            switch_mode: FIXED.to_owned(),
            image_type: 1,
        }
    }

    /// Whether the pictures follow whoever speaks.
    pub fn voice_activated(&self) -> bool {
        self.switch_mode == VOICE_ACTIVATED
    }

    /// Whether the meeting broadcasts the multi-picture (fixed, several
    /// pictures).
    pub fn broadcasts_multi_picture(&self) -> bool {
        self.switch_mode == FIXED && self.image_type == 1
    }
}

/// What the host watches (`set_host_view`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HostView {
    /// `0` cycling through the participants, `1` the multi-picture, `2` one
    /// participant.
    pub view_type: i64,
    /// The participant watched (`viewType` 2).
    #[serde(default, rename = "participantID")]
    pub participant_id: Option<String>,
    /// Seconds between two participants (`viewType` 0).
    #[serde(default)]
    pub switch_time: Option<i64>,
    /// Whether the view cycles (`viewType` 0 with `status` 1).
    #[serde(default)]
    pub polling: bool,
}

impl HostView {
    /// Whether the host watches the multi-picture.
    pub fn watches_multi_picture(&self) -> bool {
        self.view_type == 1
    }
}

/// The multi-picture layout: the one last set, applied or only saved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MultiPicture {
    /// Whether it is arranged by hand (`manualSet` 1) rather than by the
    /// service.
    pub manual: bool,
    /// The arrangement (`imageType`: `Four`, `Three-2`, ...), if given.
    #[serde(default)]
    pub image_type: Option<String>,
    /// The pictures set by hand, in the order given.
    #[serde(default)]
    pub pictures: Vec<Picture>,
    /// Seconds a participant stays in a picture that cycles.
    #[serde(default)]
    pub switch_time: Option<i64>,
    /// The custom grid (`picLayoutInfo` of `set_custom_multi_picture`).
    #[serde(default)]
    pub pic_layout_info: Option<Value>,
    /// Whether it was only saved (`multiPicSaveOnly` true), not applied.
    #[serde(default)]
    pub saved_only: bool,
}

/// One picture of a layout set by hand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Picture {
    /// Its number in the layout, from 1.
    pub index: i64,
    /// Who it shows, by participant ID (`set_custom_multi_picture` names
    /// them by number; several take turns).
    #[serde(default)]
    pub participants: Vec<String>,
    /// Whether it shows their auxiliary stream (shared content) rather than
    /// their main video.
    #[serde(default)]
    pub assist_stream: bool,
}

/// How many pictures an arrangement has: `Four` and `Four-2` four,
/// `Twenty-Five` twenty-five; `None` for a name it does not know.
pub(crate) fn picture_count(image_type: &str) -> Option<i64> {
    let base = match image_type.rsplit_once('-') {
        Some((base, variant)) if variant.bytes().all(|b| b.is_ascii_digit()) => base,
        _ => image_type,
    };
    let count = match base {
        "Single" => 1,
        "Two" => 2,
        "Three" => 3,
        "Four" => 4,
        "Five" => 5,
        "Six" => 6,
        "Seven" => 7,
        "Eight" => 8,
        "Nine" => 9,
        "Ten" => 10,
        "Thirteen" => 13,
        "Sixteen" => 16,
        "Seventeen" => 17,
        "Twenty-Five" => 25,
        _ => return None,
    };
    Some(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrangements_count_their_pictures() {
        assert_eq!(picture_count("Single"), Some(1));
        assert_eq!(picture_count("Four"), Some(4));
        assert_eq!(picture_count("Three-4"), Some(3));
        assert_eq!(picture_count("Thirteen-5"), Some(13));
        assert_eq!(picture_count("Twenty-Five"), Some(25));
        assert_eq!(picture_count("Eleven"), None);
        assert_eq!(picture_count("Four-x"), None);
    }

    #[test]
    fn every_arrangement_of_the_spec_is_known() {
        for id in ["set_multi_picture", "set_custom_multi_picture"] {
            let op = hwmeeting_api::find_by_id(id).unwrap();
            let field = op.param("imageType").unwrap();
            for value in field.enumeration.unwrap().values {
                let hwmeeting_core::meta::Literal::Str(name) = value.value else {
                    panic!("{id}: `imageType` {value:?} is not a string");
                };
                assert!(picture_count(name).is_some(), "{id}: {name}");
            }
        }
    }
}
