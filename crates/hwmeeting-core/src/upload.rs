//! Files sent as `multipart/form-data`: the file part a caller gives, and
//! the body's layout, without I/O.
//!
//! The body is written as a sequence of [`Segment`]s: the bytes the core
//! can write itself (part headers, text parts, in-memory files, the
//! closing boundary) and files on disk, which the transport streams from
//! the file at each attempt, so a large file is never held in memory and a
//! retry reads it again from the start.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::BuildError;

/// The largest file sent when the spec gives no limit of its own: 100 MiB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 100 * 1024 * 1024;

/// Where a file's bytes come from.
#[derive(Clone, PartialEq, Eq)]
pub enum FileSource {
    /// Bytes in memory, shared (cloning a part does not copy them).
    Bytes(Arc<[u8]>),
    /// A file on disk, read by the transport at each attempt.
    Path(PathBuf),
}

impl fmt::Debug for FileSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileSource::Bytes(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
            FileSource::Path(path) => f.debug_tuple("Path").field(path).finish(),
        }
    }
}

/// A file to upload: its bytes (in memory or on disk), the file name the
/// service sees and its media type.
///
/// ```
/// use hwmeeting_core::upload::FilePart;
///
/// let logo = FilePart::from_bytes(vec![0x89, b'P', b'N', b'G'], "logo.png");
/// assert_eq!(logo.content_type(), "image/png");
/// let photo = FilePart::from_path("/tmp/me.jpg").with_content_type("image/jpeg");
/// assert_eq!(photo.file_name(), "me.jpg");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilePart {
    source: FileSource,
    file_name: String,
    content_type: String,
}

impl FilePart {
    /// A file held in memory, with the media type its name suggests.
    pub fn from_bytes(bytes: impl Into<Vec<u8>>, file_name: impl Into<String>) -> Self {
        let file_name = file_name.into();
        FilePart {
            source: FileSource::Bytes(Arc::from(bytes.into())),
            content_type: guess_content_type(&file_name).to_owned(),
            file_name,
        }
    }

    /// A file on disk, streamed when the call is sent; the file name is
    /// the path's last component and the media type the one its extension
    /// suggests. A file that cannot be opened fails the call before any
    /// byte is sent.
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".to_owned());
        FilePart {
            content_type: guess_content_type(&file_name).to_owned(),
            source: FileSource::Path(path),
            file_name,
        }
    }

    /// The same part under another file name.
    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = file_name.into();
        self
    }

    /// The same part with another media type (`image/png`).
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }

    /// Where the bytes come from.
    pub fn source(&self) -> &FileSource {
        &self.source
    }

    /// The file name the service sees.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The media type.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The path of a file on disk.
    pub fn path(&self) -> Option<&Path> {
        match &self.source {
            FileSource::Path(path) => Some(path),
            FileSource::Bytes(_) => None,
        }
    }

    /// Checks what can be checked without reading the disk: a file name
    /// and media type that can travel in a part's headers, and the size of
    /// an in-memory file against `max_bytes`.
    pub fn check(&self, parameter: &str, max_bytes: u64) -> Result<(), BuildError> {
        let invalid = |reason: String| BuildError::Invalid {
            parameter: parameter.to_owned(),
            reason,
        };
        if self.file_name.is_empty() {
            return Err(invalid(
                "has an empty file name; give one with `with_file_name`".into(),
            ));
        }
        if self.file_name.chars().any(|c| c.is_control() || c == '"') {
            return Err(invalid(format!(
                "file name {:?} holds a quote or a control character, which cannot travel in a part header",
                self.file_name
            )));
        }
        let token = |c: char| c.is_ascii_alphanumeric() || "!#$&-^_.+/;=, ".contains(c);
        if self.content_type.is_empty() || !self.content_type.chars().all(token) {
            return Err(invalid(format!(
                "media type {:?} is not a valid `type/subtype`",
                self.content_type
            )));
        }
        if let FileSource::Bytes(bytes) = &self.source {
            check_size(parameter, bytes.len() as u64, max_bytes)?;
        }
        Ok(())
    }
}

/// Fails when a file of `len` bytes is over `max_bytes`, naming the
/// parameter: transports call it with the size of a file on disk.
pub fn check_size(parameter: &str, len: u64, max_bytes: u64) -> Result<(), BuildError> {
    if len > max_bytes {
        return Err(BuildError::Invalid {
            parameter: parameter.to_owned(),
            reason: format!(
                "the file has {len} bytes, more than the {max_bytes} this call accepts"
            ),
        });
    }
    Ok(())
}

/// The media type of a file name's extension, for the kinds of file the
/// service takes (images, documents); `application/octet-stream` for the rest.
pub fn guess_content_type(file_name: &str) -> &'static str {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "bmp" => "image/bmp",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}

/// One piece of a multipart body, in order.
#[derive(Clone, PartialEq, Eq)]
pub enum Segment {
    /// Bytes the core wrote (headers, text parts, in-memory files).
    Bytes(Arc<[u8]>),
    /// A file on disk the transport streams; `parameter` and `max_bytes`
    /// are for the error when it is missing or too large.
    File {
        /// The file.
        path: PathBuf,
        /// The parameter it is sent as.
        parameter: &'static str,
        /// The most bytes the part may have.
        max_bytes: u64,
    },
}

impl fmt::Debug for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Segment::Bytes(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
            Segment::File { path, .. } => f.debug_tuple("File").field(path).finish(),
        }
    }
}

/// A `multipart/form-data` body: its boundary and its segments. Cloning
/// it copies no file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Multipart {
    boundary: String,
    segments: Vec<Segment>,
}

/// Writes a multipart body part by part.
#[derive(Debug)]
pub struct MultipartWriter {
    boundary: String,
    segments: Vec<Segment>,
    pending: Vec<u8>,
}

impl MultipartWriter {
    /// A body with this boundary (letters, digits and `-`, at most 70).
    pub fn new(boundary: impl Into<String>) -> Self {
        MultipartWriter {
            boundary: boundary.into(),
            segments: Vec::new(),
            pending: Vec::new(),
        }
    }

    /// A body with a random boundary, which no file will contain by chance.
    pub fn random() -> Self {
        let hex: String = crate::random::bytes16()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Self::new(format!("hwmeeting-{hex}"))
    }

    fn head(&mut self, name: &str, file: Option<(&str, &str)>) {
        self.pending.extend_from_slice(b"--");
        self.pending.extend_from_slice(self.boundary.as_bytes());
        self.pending
            .extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
        self.pending.extend_from_slice(name.as_bytes());
        self.pending.push(b'"');
        if let Some((file_name, content_type)) = file {
            self.pending.extend_from_slice(b"; filename=\"");
            self.pending.extend_from_slice(file_name.as_bytes());
            self.pending.extend_from_slice(b"\"\r\nContent-Type: ");
            self.pending.extend_from_slice(content_type.as_bytes());
        }
        self.pending.extend_from_slice(b"\r\n\r\n");
    }

    /// Adds a text part.
    pub fn text(&mut self, name: &str, value: &str) {
        self.head(name, None);
        self.pending.extend_from_slice(value.as_bytes());
        self.pending.extend_from_slice(b"\r\n");
    }

    /// Adds a file part (checked with [`FilePart::check`] before).
    pub fn file(&mut self, name: &'static str, part: &FilePart, max_bytes: u64) {
        self.head(name, Some((&part.file_name, &part.content_type)));
        match &part.source {
            FileSource::Bytes(bytes) => self.pending.extend_from_slice(bytes),
            FileSource::Path(path) => {
                self.flush();
                self.segments.push(Segment::File {
                    path: path.clone(),
                    parameter: name,
                    max_bytes,
                });
            }
        }
        self.pending.extend_from_slice(b"\r\n");
    }

    fn flush(&mut self) {
        if !self.pending.is_empty() {
            let bytes = std::mem::take(&mut self.pending);
            self.segments.push(Segment::Bytes(Arc::from(bytes)));
        }
    }

    /// Closes the body.
    pub fn finish(mut self) -> Multipart {
        self.pending.extend_from_slice(b"--");
        self.pending.extend_from_slice(self.boundary.as_bytes());
        self.pending.extend_from_slice(b"--\r\n");
        self.flush();
        Multipart {
            boundary: self.boundary,
            segments: self.segments,
        }
    }
}

impl Multipart {
    /// The `Content-Type` header's value.
    pub fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    /// The boundary.
    pub fn boundary(&self) -> &str {
        &self.boundary
    }

    /// The segments, in order.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The whole body when no file is on disk (tests, small uploads).
    pub fn in_memory(&self) -> Option<Vec<u8>> {
        let mut body = Vec::new();
        for segment in &self.segments {
            match segment {
                Segment::Bytes(bytes) => body.extend_from_slice(bytes),
                Segment::File { .. } => return None,
            }
        }
        Some(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_laid_out_as_rfc_7578_says() {
        let mut w = MultipartWriter::new("XyZ");
        w.text("kind", "logo");
        w.file("file", &FilePart::from_bytes(*b"PNG!", "a.png"), 10);
        let body = w.finish();
        assert_eq!(body.content_type(), "multipart/form-data; boundary=XyZ");
        assert_eq!(
            String::from_utf8(body.in_memory().unwrap()).unwrap(),
            "--XyZ\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nlogo\r\n\
             --XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\
             Content-Type: image/png\r\n\r\nPNG!\r\n--XyZ--\r\n"
        );
    }

    #[test]
    fn a_file_on_disk_stays_a_segment_of_its_own() {
        let mut w = MultipartWriter::new("b");
        w.file("file", &FilePart::from_path("/x/y.jpg"), 5);
        let body = w.finish();
        assert_eq!(body.segments().len(), 3);
        assert!(matches!(
            &body.segments()[1],
            Segment::File {
                parameter: "file",
                max_bytes: 5,
                ..
            }
        ));
        assert!(body.in_memory().is_none());
    }

    #[test]
    fn names_and_sizes_are_checked_naming_the_parameter() {
        let part = FilePart::from_bytes(vec![0; 11], "a.png");
        let err = part.check("file", 10).unwrap_err().to_string();
        assert_eq!(
            err,
            "invalid parameter `file`: the file has 11 bytes, more than the 10 this call accepts"
        );
        let bad = FilePart::from_bytes(vec![], "a\"\r\nX: y.png");
        assert!(
            bad.check("file", 10)
                .unwrap_err()
                .to_string()
                .contains("quote or a control")
        );
        let bad = FilePart::from_bytes(vec![], "a.png").with_content_type("image/png\r\nX: y");
        assert!(
            bad.check("file", 10)
                .unwrap_err()
                .to_string()
                .contains("media type")
        );
        assert_eq!(FilePart::from_path("dir/").file_name(), "dir");
        assert_eq!(guess_content_type("A.JPEG"), "image/jpeg");
        assert_eq!(guess_content_type("noext"), "application/octet-stream");
    }

    #[test]
    fn debug_shows_sizes_not_bytes() {
        let part = FilePart::from_bytes(b"secret".to_vec(), "a.txt");
        assert!(!format!("{part:?}").contains("secret"));
    }
}
