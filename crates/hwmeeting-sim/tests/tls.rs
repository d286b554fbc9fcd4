//! HTTPS with the simulator's certificate authority, hostname
//! verification on; starting and stopping in process.

mod common;

use std::time::Duration;

use common::*;
use hwmeeting_sim::{SimConfig, Simulator};
use ureq::tls::{Certificate, RootCerts, TlsConfig};

fn trusting_agent(pem: &str) -> ureq::Agent {
    let ca = Certificate::from_pem(pem.as_bytes()).expect("CA PEM parses");
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .tls_config(
            TlsConfig::builder()
                .root_certs(RootCerts::new_with_certs(&[ca]))
                // The workspace's ureq has no provider of its own.
                .unversioned_rustls_crypto_provider(std::sync::Arc::new(
                    rustls::crypto::ring::default_provider(),
                ))
                .build(),
        )
        .build()
        .into()
}

#[test]
fn https_with_the_ca_as_root_for_ip_and_localhost() {
    let sim = Simulator::spawn(SimConfig::default().demo(true)).unwrap();
    assert!(sim.url().starts_with("https://127.0.0.1:"));
    let pem = sim.ca_pem().unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
    let path = sim.ca_pem_path().unwrap().to_owned();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), pem);

    let agent = trusting_agent(pem);
    for base in [sim.url().to_owned(), sim.localhost_url()] {
        let a = app_login(&agent, &base);
        assert_eq!(a.status, 200, "{base}: {}", a.text);
        let token = a.json["accessToken"].as_str().unwrap().to_owned();
        assert_eq!(start(&agent, &base, &token, DEMO, HOST_PW).status, 200);
    }

    // Without the CA, the certificate is refused.
    let plain: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .tls_config(
            TlsConfig::builder()
                .root_certs(RootCerts::new_with_certs(&[]))
                .unversioned_rustls_crypto_provider(std::sync::Arc::new(
                    rustls::crypto::ring::default_provider(),
                ))
                .build(),
        )
        .build()
        .into();
    assert!(
        plain
            .get(format!("{}/_sim/health", sim.url()))
            .call()
            .is_err()
    );

    let dir = std::env::temp_dir().join(format!("sim-ca-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("ca.pem");
    sim.write_ca_pem(&out).unwrap();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), pem);
    std::fs::remove_dir_all(&dir).unwrap();

    sim.shutdown();
    assert!(!path.exists(), "the CA file is removed at stop");
}

#[test]
fn plain_http_has_no_ca() {
    let sim = sim();
    assert!(sim.ca_pem().is_none());
    assert!(sim.ca_pem_path().is_none());
    assert!(sim.write_ca_pem("/tmp/never.pem").is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_and_stop_in_process_frees_the_port() {
    let sim = Simulator::start(SimConfig::http()).await.unwrap();
    let addr = sim.addr();
    tokio::net::TcpStream::connect(addr).await.unwrap();
    sim.stop().await;
    // The port is closed: connecting fails (allow a moment for the kernel).
    let mut refused = false;
    for _ in 0..20 {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(refused);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_a_simulator_stops_it() {
    let sim = Simulator::start(SimConfig::http()).await.unwrap();
    let addr = sim.addr();
    drop(sim);
    let mut refused = false;
    for _ in 0..40 {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(refused);
}
