//! Reads a `multipart/form-data` body (RFC 7578) strictly, as an upload's
//! wire form: text parts into the body, file parts into the files. Strict
//! on purpose: it is how the tests see that the clients write the layout
//! right (CRLF line ends, the closing boundary, a file name on each file).

use axum::http::HeaderMap;
use hwmeeting_core::meta::{Location, OperationMeta, Type};
use hwmeeting_core::upload::FilePart;
use hwmeeting_core::wire::WireRequest;
use serde_json::Value;

/// Fills `wire` from `body`; the error says what is malformed.
pub(crate) fn parse(
    op: &OperationMeta,
    headers: &HeaderMap,
    body: &[u8],
    wire: &mut WireRequest,
) -> Result<(), String> {
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let boundary = content_type
        .strip_prefix("multipart/form-data")
        .and_then(|rest| {
            rest.split(';')
                .map(str::trim)
                .find_map(|p| p.strip_prefix("boundary="))
        })
        .map(|b| b.trim_matches('"'))
        .filter(|b| !b.is_empty())
        .ok_or_else(|| {
            format!("the body must be multipart/form-data with a boundary, not `{content_type}`")
        })?;
    let delimiter = format!("--{boundary}");
    let mut rest = body
        .strip_prefix(delimiter.as_bytes())
        .ok_or("the body does not start with the boundary")?;
    loop {
        if rest == b"--\r\n" || rest == b"--" {
            return Ok(());
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .ok_or("a boundary line does not end with CRLF")?;
        let head_end = find(rest, b"\r\n\r\n").ok_or("a part's headers do not end")?;
        let head =
            std::str::from_utf8(&rest[..head_end]).map_err(|_| "a part's headers are not UTF-8")?;
        rest = &rest[head_end + 4..];
        let next = format!("\r\n{delimiter}");
        let end = find(rest, next.as_bytes()).ok_or("a part is not closed by the boundary")?;
        let content = &rest[..end];
        rest = &rest[end + next.len()..];
        let (name, file_name, part_type) = part_head(head)?;
        let Some(field) = op.param_in(Location::Form, &name) else {
            continue; // a part the spec does not know is left out
        };
        match (field.ty, file_name) {
            (Type::File, Some(file_name)) => {
                let part = FilePart::from_bytes(content.to_vec(), file_name).with_content_type(
                    part_type.unwrap_or_else(|| "application/octet-stream".into()),
                );
                wire.files.insert(name, part);
            }
            (Type::File, None) => return Err(format!("the file part `{name}` has no file name")),
            (ty, _) => {
                let text = std::str::from_utf8(content)
                    .map_err(|_| format!("the text part `{name}` is not UTF-8"))?;
                wire.body.insert(name, crate::checking::convert(ty, text));
            }
        }
    }
}

/// The name, file name and media type of a part's headers.
fn part_head(head: &str) -> Result<(String, Option<String>, Option<String>), String> {
    let mut name = None;
    let mut file_name = None;
    let mut content_type = None;
    for line in head.split("\r\n") {
        let (key, value) = line.split_once(':').ok_or("a part header has no colon")?;
        match key.trim().to_ascii_lowercase().as_str() {
            "content-disposition" => {
                let mut params = value.split(';').map(str::trim);
                if params.next() != Some("form-data") {
                    return Err("a part is not `form-data`".into());
                }
                for param in params {
                    if let Some((k, v)) = param.split_once('=') {
                        let v = v.trim_matches('"').to_owned();
                        match k {
                            "name" => name = Some(v),
                            "filename" => file_name = Some(v),
                            _ => {}
                        }
                    }
                }
            }
            "content-type" => content_type = Some(value.trim().to_owned()),
            _ => {}
        }
    }
    let name = name.ok_or("a part has no name")?;
    Ok((name, file_name, content_type))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// What the test routes show of an upload.
pub(crate) fn describe(upload: &crate::state::Upload) -> Value {
    serde_json::json!({
        "operation": upload.operation,
        "parameter": upload.parameter,
        "fileName": upload.file_name,
        "contentType": upload.content_type,
        "size": upload.bytes.len(),
    })
}
