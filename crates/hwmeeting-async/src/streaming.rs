//! An upload's `multipart/form-data` body as a stream: the parts the core
//! wrote, and each file on disk opened anew at every attempt and read in
//! chunks, never into memory whole.

use std::path::PathBuf;

use futures_util::stream::{self, Stream, StreamExt};
use hwmeeting_core::BuildError;
use hwmeeting_core::attempt::AttemptFailure;
use hwmeeting_core::upload::{Multipart, Segment, check_size};
use tokio::io::AsyncReadExt;

/// How much of a file is read at a time.
const CHUNK: usize = 64 * 1024;

/// One piece of the body, with a file already opened (and its size checked).
enum Piece {
    Bytes(std::sync::Arc<[u8]>),
    File(tokio::fs::File, u64),
}

/// The body's stream and its length in bytes (sent as `Content-Length`).
/// A file that cannot be opened, or is larger than its parameter allows,
/// fails the attempt before any byte is sent, naming the parameter.
pub(crate) async fn body(
    upload: &Multipart,
) -> Result<
    (
        impl Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static,
        u64,
    ),
    AttemptFailure,
> {
    let mut pieces = Vec::with_capacity(upload.segments().len());
    let mut len = 0u64;
    for segment in upload.segments() {
        match segment {
            Segment::Bytes(bytes) => {
                len += bytes.len() as u64;
                pieces.push(Piece::Bytes(bytes.clone()));
            }
            Segment::File {
                path,
                parameter,
                max_bytes,
            } => {
                let unreadable = |path: &PathBuf, e: std::io::Error| {
                    AttemptFailure::input(BuildError::Invalid {
                        parameter: (*parameter).to_owned(),
                        reason: format!("cannot read the file {}: {e}", path.display()),
                    })
                };
                let file = tokio::fs::File::open(path)
                    .await
                    .map_err(|e| unreadable(path, e))?;
                let size = file
                    .metadata()
                    .await
                    .map_err(|e| unreadable(path, e))?
                    .len();
                check_size(parameter, size, *max_bytes).map_err(AttemptFailure::input)?;
                len += size;
                pieces.push(Piece::File(file, size));
            }
        }
    }
    let stream = stream::iter(pieces).flat_map(|piece| match piece {
        Piece::Bytes(bytes) => stream::once(async move { Ok(bytes.to_vec()) }).boxed(),
        // Never more than the length announced, should the file grow.
        Piece::File(file, size) => stream::unfold(file.take(size), |mut file| async move {
            let mut chunk = vec![0; CHUNK];
            match file.read(&mut chunk).await {
                Ok(0) => None,
                Ok(n) => {
                    chunk.truncate(n);
                    Some((Ok(chunk), file))
                }
                Err(e) => Some((Err(e), file)),
            }
        })
        .boxed(),
    });
    Ok((stream, len))
}
