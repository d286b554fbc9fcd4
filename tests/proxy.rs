//! Both clients go through the proxy that `HTTPS_PROXY` names, as their HTTP
//! libraries do. The environment is the process's, so each client runs in
//! a child process (this test binary again, one ignored test) with the
//! variables set; the proxy and the simulator run here.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::sync::{Arc, Mutex};

use hwmeeting_api::model::StartMeetingRequest;
use hwmeeting_tests::{AnyClient, CONFERENCE, Flavor, HOST_PASSWORD, Settings};

/// A minimal HTTP CONNECT proxy on 127.0.0.1: it records each target and
/// relays the tunnel's bytes both ways.
struct ConnectProxy {
    port: u16,
    targets: Arc<Mutex<Vec<String>>>,
}

impl ConnectProxy {
    fn start() -> ConnectProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let targets = Arc::new(Mutex::new(Vec::new()));
        let seen = targets.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let seen = seen.clone();
                std::thread::spawn(move || {
                    let _ = tunnel(client, &seen);
                });
            }
        });
        ConnectProxy { port, targets }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn targets(&self) -> Vec<String> {
        self.targets.lock().unwrap().clone()
    }
}

fn tunnel(client: TcpStream, seen: &Mutex<Vec<String>>) -> io::Result<()> {
    let mut reader = BufReader::new(client.try_clone()?);
    let mut first = String::new();
    reader.read_line(&mut first)?;
    // The rest of the head, up to the blank line.
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
    }
    let target = match first.split_whitespace().collect::<Vec<_>>().as_slice() {
        ["CONNECT", target, _] => (*target).to_owned(),
        _ => return Ok(()),
    };
    seen.lock().unwrap().push(target.clone());
    let upstream = TcpStream::connect(&target)?;
    let mut writer = client.try_clone()?;
    writer.write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")?;
    let mut up_read = upstream.try_clone()?;
    let mut up_write = upstream;
    let back = std::thread::spawn(move || io::copy(&mut up_read, &mut writer));
    // Bytes the reader buffered past the head belong to the tunnel.
    let buffered = reader.buffer().to_vec();
    up_write.write_all(&buffered)?;
    let mut rest = reader.into_inner();
    let _ = io::copy(&mut rest, &mut up_write);
    let _ = up_write.shutdown(std::net::Shutdown::Write);
    let _ = back.join();
    Ok(())
}

#[test]
fn both_clients_use_the_proxy_of_the_environment() {
    let sim = hwmeeting_tests::simulator();
    let proxy = ConnectProxy::start();
    let ca = std::env::temp_dir().join(format!("hwmeeting-proxy-ca-{}.pem", std::process::id()));
    std::fs::write(&ca, sim.ca_pem().unwrap()).unwrap();
    let sim_target = sim.url().trim_start_matches("https://").to_owned();
    for flavor in ["blocking", "async"] {
        let before = proxy.targets().len();
        let out = Command::new(std::env::current_exe().unwrap())
            .args(["--ignored", "--exact", "proxied_call", "--nocapture"])
            .env("HWMEETING_TEST_FLAVOR", flavor)
            .env("HWMEETING_TEST_ENDPOINT", sim.url())
            .env("HWMEETING_TEST_CA", &ca)
            .env("HTTPS_PROXY", proxy.url())
            .env("https_proxy", proxy.url())
            .env_remove("NO_PROXY")
            .env_remove("no_proxy")
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{flavor}: {text}");
        assert!(text.contains("1 passed"), "{flavor}: the child ran: {text}");
        let targets = proxy.targets();
        assert!(
            targets[before..].contains(&sim_target),
            "{flavor}: the call went through the proxy to {sim_target}: {targets:?}"
        );
    }
    let _ = std::fs::remove_file(&ca);
}

/// The child: one call through the client named in the environment. Run
/// by the test above, with the proxy in `HTTPS_PROXY`.
#[test]
#[ignore = "run by both_clients_use_the_proxy_of_the_environment in a child process"]
fn proxied_call() {
    let var = |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("{name} is set"));
    let flavor = match var("HWMEETING_TEST_FLAVOR").as_str() {
        "blocking" => Flavor::Blocking,
        _ => Flavor::Async,
    };
    let mut settings = Settings::endpoint(var("HWMEETING_TEST_ENDPOINT"));
    settings.ca_pem = Some(std::fs::read_to_string(var("HWMEETING_TEST_CA")).unwrap());
    let client_settings = settings.with_credentials(hwmeeting_core::Credentials::app_id(
        hwmeeting_sim::DEFAULT_APP_ID,
        hwmeeting_sim::DEFAULT_APP_KEY,
    ));
    let client = AnyClient::build(flavor, &client_settings).unwrap();
    let reply = client
        .execute(StartMeetingRequest::new(CONFERENCE, HOST_PASSWORD))
        .unwrap();
    assert_eq!(reply.status, 200);
}
