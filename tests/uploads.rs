//! Uploads (`multipart/form-data`) through both clients against the
//! simulator: the file arrives byte for byte with its name and media type,
//! a file on disk is streamed and read again on a retry, and a missing or
//! too large file fails before any byte is sent, naming the parameter.

use std::io::Write as _;

use hwmeeting_blocking::model::{SetUserProfileImageRequest, UploadFileRequest};
use hwmeeting_blocking::upload::FilePart;
use hwmeeting_blocking::{BuildError, Error};
use hwmeeting_sim::{Fault, FaultRule, SimConfig, SimHandle, Simulator};
use hwmeeting_tests::{async_client, blocking_client, count_operation};

const PROFILE_IMAGES: &str = "/v1/usg/abs/profile-images/u-1";

fn sim() -> SimHandle {
    Simulator::spawn(SimConfig::default().demo(false)).expect("the simulator starts")
}

/// A picture-like file of `len` bytes, every byte known.
fn picture(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 251) as u8).collect()
}

fn temp_file(bytes: &[u8], name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("hwmeeting-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::File::create(&path)
        .unwrap()
        .write_all(bytes)
        .unwrap();
    path
}

#[test]
fn a_file_on_disk_arrives_byte_for_byte_and_is_read_again_on_a_retry() {
    let sim = sim();
    let client = blocking_client(&sim);
    // 300 KiB: several chunks of any reader.
    let bytes = picture(300 * 1024);
    let path = temp_file(&bytes, "me.jpg");
    // The first attempt is answered 503: the idempotent call is retried
    // and the file streamed again from the start.
    sim.push_fault(FaultRule::new(PROFILE_IMAGES, Fault::status(503)))
        .unwrap();
    client
        .set_user_profile_image(SetUserProfileImageRequest::new(
            "u-1",
            FilePart::from_path(&path),
        ))
        .expect("the upload succeeds after a retry");
    assert_eq!(count_operation(&sim, "set_user_profile_image"), 2);
    let uploads = sim.uploads();
    assert_eq!(uploads.len(), 1, "the 503 attempt is not kept");
    let upload = &uploads[0];
    assert_eq!(upload.operation, "set_user_profile_image");
    assert_eq!(upload.parameter, "file");
    assert_eq!(
        upload.path_params,
        vec![("user_id".to_owned(), "u-1".to_owned())]
    );
    assert_eq!(upload.file_name, "me.jpg");
    assert_eq!(upload.content_type, "image/jpeg");
    assert!(upload.bytes == bytes, "the bytes differ");

    // The test route gives the same bytes back.
    let agent = hwmeeting_tests::sim_agent(&sim);
    let mut answer = agent
        .get(format!("{}/_sim/uploads/0", sim.url()))
        .call()
        .unwrap();
    assert_eq!(answer.headers()["content-type"], "image/jpeg");
    let body = answer
        .body_mut()
        .with_config()
        .limit(1 << 20)
        .read_to_vec()
        .unwrap();
    assert!(body == bytes);
}

#[test]
fn a_file_too_large_or_missing_fails_before_sending_naming_the_parameter() {
    let sim = sim();
    let client = blocking_client(&sim);
    // 10 MiB is the spec's limit of a profile picture: one byte more.
    let path = temp_file(&[], "huge.png");
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(10 * 1024 * 1024 + 1)
        .unwrap();
    let err = client
        .set_user_profile_image(SetUserProfileImageRequest::new(
            "u-1",
            FilePart::from_path(&path),
        ))
        .unwrap_err();
    let Error::Build { source, .. } = &err else {
        panic!("expected a build error, got {err:?}");
    };
    assert_eq!(
        source,
        &BuildError::Invalid {
            parameter: "file".into(),
            reason: "the file has 10485761 bytes, more than the 10485760 this call accepts".into(),
        }
    );
    let missing = temp_file(&[], "x.png").with_file_name("not-there.png");
    let err = client
        .set_user_profile_image(SetUserProfileImageRequest::new(
            "u-1",
            FilePart::from_path(&missing),
        ))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("invalid parameter `file`: cannot read the file")
            && err.contains("not-there.png"),
        "{err}"
    );
    assert_eq!(
        count_operation(&sim, "set_user_profile_image"),
        0,
        "nothing was sent"
    );
    assert!(sim.uploads().is_empty());
}

#[tokio::test]
async fn the_async_client_streams_uploads_too_and_reads_the_answer() {
    let sim = sim();
    let client = async_client(&sim);
    let bytes = picture(200 * 1024 + 3);
    let path = temp_file(&bytes, "cover.png");
    let answer = client
        .upload_file(UploadFileRequest::new(FilePart::from_path(&path)))
        .await
        .expect("the upload succeeds");
    assert_eq!(answer.file_id.as_deref(), Some("sim-file-1"));
    let in_memory =
        FilePart::from_bytes(b"tiny".to_vec(), "note.bin").with_content_type("application/x-test");
    client
        .set_user_profile_image(SetUserProfileImageRequest::new("u-1", in_memory))
        .await
        .expect("an in-memory file uploads");
    let uploads = sim.uploads();
    assert_eq!(uploads.len(), 2);
    assert_eq!(uploads[0].file_name, "cover.png");
    assert_eq!(uploads[0].content_type, "image/png");
    assert!(uploads[0].bytes == bytes);
    assert_eq!(uploads[1].bytes, b"tiny");
    assert_eq!(uploads[1].content_type, "application/x-test");
}
