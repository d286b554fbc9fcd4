//! ureq-proto, under the blocking client, writes every request and answer
//! as hex at TRACE through the `log` crate, credentials included. The SDK
//! cannot turn that off, so the blocking client warns, once and without a
//! secret, when it is built while that target is enabled. (tests/secrets.rs
//! checks every log record with the target off.)

use std::io::Write;
use std::sync::{Arc, Mutex};

use hwmeeting_blocking::{Client, Credentials};

const SENTINEL_KEY: &str = "sentinel-app-key-5c1e";

#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn building_a_blocking_client_warns_once_when_the_wire_dump_is_on() {
    let logs = Logs::default();
    let writer = logs.clone();
    // Every target at TRACE, `log` records bridged: the dump is on.
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .try_init()
        .unwrap();
    for _ in 0..3 {
        Client::builder()
            .credentials(Credentials::app_id("app", SENTINEL_KEY))
            .build()
            .unwrap();
    }
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let warnings: Vec<_> = text
        .lines()
        .filter(|l| l.contains(" WARN ") && l.contains("ureq_proto::util"))
        .collect();
    assert_eq!(warnings.len(), 1, "{text}");
    assert!(
        warnings[0].contains("RUST_LOG=trace,ureq_proto=debug"),
        "the warning says how to turn it off: {}",
        warnings[0]
    );
    assert!(!text.contains(SENTINEL_KEY), "{text}");
}
