//! An upload's `multipart/form-data` body as one reader: the parts the
//! core wrote, and each file on disk opened anew at every attempt and
//! streamed, never read into memory.

use std::fs::File;
use std::io::{self, Cursor, Read};

use hwmeeting_core::BuildError;
use hwmeeting_core::attempt::AttemptFailure;
use hwmeeting_core::upload::{Multipart, Segment, check_size};

/// The body's reader and its length in bytes (sent as `Content-Length`).
/// A file that cannot be opened, or is larger than its parameter allows,
/// fails the attempt before any byte is sent, naming the parameter.
pub(crate) fn body(
    upload: &Multipart,
) -> Result<(Box<dyn Read + Send + Sync>, u64), AttemptFailure> {
    let mut reader: Box<dyn Read + Send + Sync> = Box::new(io::empty());
    let mut len = 0u64;
    for segment in upload.segments() {
        match segment {
            Segment::Bytes(bytes) => {
                len += bytes.len() as u64;
                reader = Box::new(reader.chain(Cursor::new(bytes.clone())));
            }
            Segment::File {
                path,
                parameter,
                max_bytes,
            } => {
                let unreadable = |e: io::Error| {
                    AttemptFailure::input(BuildError::Invalid {
                        parameter: (*parameter).to_owned(),
                        reason: format!("cannot read the file {}: {e}", path.display()),
                    })
                };
                let file = File::open(path).map_err(unreadable)?;
                let size = file.metadata().map_err(unreadable)?.len();
                check_size(parameter, size, *max_bytes).map_err(AttemptFailure::input)?;
                len += size;
                // Never more than the length announced, should it grow.
                reader = Box::new(reader.chain(file.take(size)));
            }
        }
    }
    Ok((reader, len))
}
