//! 1,000 concurrent keep-alive connections.

use std::sync::Arc;
use std::time::Duration;

use hwmeeting_core::Secret;
use hwmeeting_core::auth::basic_header;
use hwmeeting_sim::{SimConfig, Simulator};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads one answer (head and `Content-Length` body); returns its status.
async fn read_answer(stream: &mut TcpStream, buf: &mut Vec<u8>) -> u16 {
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map(|v| v.trim().parse().unwrap())
                .unwrap_or(0);
            assert!(head.contains("x-request-id:"));
            if buf.len() >= end + 4 + len {
                let status = head[9..12].parse().unwrap();
                buf.drain(..end + 4 + len);
                return status;
            }
        }
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed early");
        buf.extend_from_slice(&chunk[..n]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_connections() {
    const N: usize = 1000;
    let sim = Simulator::spawn(SimConfig::http()).unwrap();
    let addr = sim.addr();
    let auth = basic_header("demo@example.com", &Secret::new("demo-password"));
    let body = r#"{"account": "demo@example.com", "clientType": 72}"#;
    let request = Arc::new(format!(
        "POST /v1/usg/acs/auth/account HTTP/1.1\r\nHost: x\r\nauthorization: {}\r\n\
         content-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        auth.expose(),
        body.len()
    ));
    // Open every connection first, then send on all of them at once.
    let mut streams = Vec::with_capacity(N);
    for _ in 0..N {
        streams.push(TcpStream::connect(addr).await.unwrap());
    }
    let barrier = Arc::new(tokio::sync::Barrier::new(N));
    let mut tasks = tokio::task::JoinSet::new();
    for mut stream in streams {
        let request = request.clone();
        let barrier = barrier.clone();
        tasks.spawn(async move {
            barrier.wait().await;
            let mut buf = Vec::new();
            let mut statuses = Vec::new();
            // Two requests on the same connection: keep-alive.
            for _ in 0..2 {
                stream.write_all(request.as_bytes()).await.unwrap();
                statuses.push(read_answer(&mut stream, &mut buf).await);
            }
            statuses
        });
    }
    let all = tokio::time::timeout(Duration::from_secs(60), async {
        let mut ok = 0;
        while let Some(statuses) = tasks.join_next().await {
            for s in statuses.unwrap() {
                assert_eq!(s, 200);
                ok += 1;
            }
        }
        ok
    })
    .await
    .expect("all answered in time");
    assert_eq!(all, 2 * N);
    assert_eq!(sim.requests().len(), 2 * N);
    sim.shutdown();
}
