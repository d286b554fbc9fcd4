//! The enterprise event push over real sockets: the simulator pushes to
//! the axum receiver of `hwmeeting-async` (feature `webhook-axum`) on
//! 127.0.0.1. Enabling sends `meeting.verify` and enables the settings
//! only when the nonce comes back; each state change then arrives, in
//! order, signed, at exactly the configured URL with the documented
//! headers; a 500 is retried (the delivery log shows both attempts); a
//! receiver that echoes a wrong nonce leaves the settings disabled; an
//! `https://` receiver is reached when its CA is given to the simulator
//! (`webhook_ca_pem`) and refused otherwise. Also
//! the receiver's answers: the published verify vector, 401 for a bad
//! signature or appID, 400 for a malformed body, 405 for a GET.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hwmeeting_async::Secret;
use hwmeeting_async::model::{
    CreateMeetingRequest, PasswordRole, RecordRequest, RecordSwitch, SetWebHookConfigRequest,
    ShowWebHookConfigRequest, StartMeetingRequest, StopMeetingRequest, UpdateMeetingRequest,
    UpdateWebHookConfigStatusRequest, WebHookState, WebHookStatusChange,
};
use hwmeeting_async::webhook::{Delivery, Event, WebhookConfig};
use hwmeeting_sim::{DeliveryAttempt, NewParticipant, SimConfig, Simulator};
use tokio::sync::mpsc;

const SUBSCRIBER: &str = "sub-1";
const KEY: &str = "push-key-ü";
const PATH: &str = "/openapi/meetingevent";
/// Upper bound on waiting for something asynchronous (not a timing assert:
/// the tests wait for an event, this only stops a broken run).
const PATIENCE: Duration = Duration::from_secs(20);

/// What the receiver saw of one request: path and the headers checked.
#[derive(Clone, Debug)]
struct Seen {
    path: String,
    content_type: Option<String>,
    request_id: Option<String>,
    date: bool,
    pragma: Option<String>,
    cache_control: Option<String>,
}

#[derive(Clone, Default)]
struct Tap {
    seen: Arc<Mutex<Vec<Seen>>>,
    /// How many of the next pushes to answer with 500 before the receiver.
    fail: Arc<AtomicUsize>,
}

fn record(tap: &Tap, seen: Seen) {
    tap.seen.lock().unwrap().push(seen);
}

fn seen(request: &Request) -> Seen {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    Seen {
        path: request.uri().to_string(),
        content_type: header("content-type"),
        request_id: header("x-request-id"),
        date: header("date").is_some(),
        pragma: header("pragma"),
        cache_control: header("cache-control"),
    }
}

async fn tap(State(tap): State<Tap>, request: Request, next: Next) -> Response {
    record(&tap, seen(&request));
    let failing = tap
        .fail
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    if failing {
        return (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "busy").into_response();
    }
    next.run(request).await
}

/// Serves `app` on 127.0.0.1; its base URL.
async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

/// The axum receiver behind the tap; its base URL, the tap and the
/// deliveries handed on.
async fn receiver() -> (String, Tap, mpsc::UnboundedReceiver<Delivery>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let config = WebhookConfig::new(SUBSCRIBER, Secret::new(KEY));
    let app = hwmeeting_async::webhook::axum::router(config, move |d: Delivery| {
        let tx = tx.clone();
        async move {
            let _ = tx.send(d);
        }
    });
    let t = Tap::default();
    let app = app.layer(axum::middleware::from_fn_with_state(t.clone(), tap));
    (serve(app).await, t, rx)
}

fn client(sim: &Simulator) -> hwmeeting_async::Client {
    hwmeeting_async::Client::builder()
        .endpoint(sim.url())
        .add_root_certificate_pem(sim.ca_pem().expect("TLS is on"))
        .credentials(hwmeeting_core::Credentials::app_id(
            sim.app_id(),
            sim.app_key().clone(),
        ))
        .build()
        .expect("the client builds")
}

async fn next(rx: &mut mpsc::UnboundedReceiver<Delivery>) -> Delivery {
    tokio::time::timeout(PATIENCE, rx.recv())
        .await
        .expect("an event arrives")
        .expect("the receiver runs")
}

/// Sets and enables the push settings for `url`; the settings' id.
async fn enable(client: &hwmeeting_async::Client, url: &str) -> String {
    client
        .set_web_hook_config(SetWebHookConfigRequest::new(SUBSCRIBER, KEY, url))
        .await
        .expect("set_web_hook_config");
    let shown = client
        .show_web_hook_config(ShowWebHookConfigRequest::new())
        .await
        .expect("show_web_hook_config");
    assert_eq!(
        shown.status,
        Some(WebHookState::Disabled),
        "stored, not enabled: {shown:?}"
    );
    let id = shown.id.expect("an id");
    client
        .update_web_hook_config_status(UpdateWebHookConfigStatusRequest::new(
            &id,
            WebHookStatusChange::Enable,
        ))
        .await
        .expect("change-status 0");
    id
}

/// The settings' status once the verify handshake is over.
async fn status_after_verify(
    sim: &Simulator,
    client: &hwmeeting_async::Client,
) -> Option<WebHookState> {
    wait_for(sim, |a| a.iter().any(|a| a.event == "meeting.verify")).await;
    let shown = client
        .show_web_hook_config(ShowWebHookConfigRequest::new())
        .await
        .expect("show_web_hook_config");
    shown.status
}

/// Waits until the delivery log satisfies `done`.
async fn wait_for(
    sim: &Simulator,
    done: impl Fn(&[DeliveryAttempt]) -> bool,
) -> Vec<DeliveryAttempt> {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let attempts = sim.webhook_deliveries();
        if done(&attempts) {
            return attempts;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "delivery log never got there: {attempts:#?}"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn meeting_of(event: &Event) -> &hwmeeting_async::webhook::MeetingInfo {
    match event {
        Event::Started(m)
        | Event::End(m)
        | Event::Conclude(m)
        | Event::RecordFinish(m)
        | Event::Create(m)
        | Event::Modify(m)
        | Event::Cancel(m) => m,
        Event::Join { meeting, .. } | Event::Left { meeting, .. } => meeting,
        other => panic!("no meeting in {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_state_change_arrives_in_order_signed_at_the_configured_url() {
    let sim = Simulator::start(SimConfig::default().webhook_retry_ms(5))
        .await
        .expect("the simulator starts");
    let (base, tap, mut rx) = receiver().await;
    let client = client(&sim);
    let url = format!("{base}{PATH}?tenant=a");
    let hook_id = enable(&client, &url).await;

    let verify = next(&mut rx).await;
    assert!(matches!(verify.event, Event::Verify), "{verify:?}");
    assert_eq!(verify.app_id, SUBSCRIBER);
    assert_eq!(
        status_after_verify(&sim, &client).await,
        Some(WebHookState::Enabled)
    );

    let created = client
        .create_meeting(CreateMeetingRequest::new("Voice").subject("Push"))
        .await
        .expect("create_meeting");
    let id = created[0].conference_id.clone().expect("an id");
    let host = created[0]
        .password_entry
        .as_ref()
        .and_then(|p| {
            p.iter()
                .find(|p| p.conference_role.as_ref() == Some(&PasswordRole::Chair))
        })
        .and_then(|p| p.password.clone())
        .expect("a host password");
    client
        .update_meeting(
            UpdateMeetingRequest::new("Voice")
                .conference_id(&id)
                .subject("Push (moved)"),
        )
        .await
        .expect("update_meeting");
    client
        .start_meeting(StartMeetingRequest::new(&id, host.clone()))
        .await
        .expect("start_meeting");
    sim.join_participant(&id, NewParticipant::new("p-1", "Zoë 张").chair())
        .expect("p-1 joins");
    sim.join_participant(
        &id,
        NewParticipant::new("p-2", "Bob").phone("+8613800000002"),
    )
    .expect("p-2 joins");
    sim.leave_participant(&id, "p-1").expect("p-1 leaves");
    let meeting = client.conference(&id, host.clone());
    meeting
        .record(RecordRequest::new(RecordSwitch::Start))
        .await
        .expect("record on");
    meeting
        .record(RecordRequest::new(RecordSwitch::Stop))
        .await
        .expect("record off");
    meeting
        .stop_meeting(StopMeetingRequest::new())
        .await
        .expect("stop_meeting");

    let expected = [
        "meeting.create",
        "meeting.modify",
        "meeting.started",
        "meeting.join",
        "meeting.join",
        "meeting.left",
        "meeting.end",
        "meeting.conclude",
        "record.finish",
    ];
    let mut got = Vec::new();
    for _ in expected {
        got.push(next(&mut rx).await);
    }
    let names: Vec<&str> = got.iter().map(|d| d.event_name.as_str()).collect();
    assert_eq!(names, expected);
    let uuid = meeting_of(&got[2].event).meeting_uuid.clone();
    for d in &got {
        assert_eq!(d.app_id, SUBSCRIBER);
        let m = meeting_of(&d.event);
        assert_eq!(m.meeting_id, id, "{d:?}");
        assert_eq!(m.meeting_uuid, uuid, "{d:?}");
        // Compact bytes, in the service's key order.
        assert!(
            d.event_info
                .get()
                .starts_with(&format!(r#"{{"event":"{}","timestamp":"#, d.event_name)),
            "{}",
            d.event_info.get()
        );
        assert!(!d.event_info.get().contains(": "), "{}", d.event_info.get());
        assert_eq!(d.timestamp, d.event_timestamp);
    }
    // Three fields for start, end, conclude and record; two otherwise.
    for (i, cycle) in [
        (0, false),
        (1, false),
        (2, true),
        (3, false),
        (6, true),
        (7, true),
        (8, true),
    ] {
        assert_eq!(
            meeting_of(&got[i].event).meeting_cycle_sub_id.is_some(),
            cycle,
            "{:?}",
            got[i]
        );
    }
    let Event::Join { attendee, .. } = &got[3].event else {
        panic!("{:?}", got[3])
    };
    assert_eq!(attendee.participant_id.as_deref(), Some("p-1"));
    assert_eq!(attendee.display_name.as_deref(), Some("Zoë 张"));
    assert_eq!(attendee.role.as_deref(), Some("CHAIR"));
    assert_eq!(attendee.left_time, Some(0));
    assert!(got[3].event_info.get().contains("Zoë 张"), "raw UTF-8");
    let Event::Join { attendee, .. } = &got[4].event else {
        panic!("{:?}", got[4])
    };
    assert_eq!(attendee.call_number.as_deref(), Some("+8613800000002"));
    let Event::Left { attendee, .. } = &got[5].event else {
        panic!("{:?}", got[5])
    };
    assert_eq!(attendee.participant_id.as_deref(), Some("p-1"));
    let join_time = attendee.join_time.expect("a join time");
    assert!(attendee.left_time.expect("a leave time") >= join_time);

    // Exactly the URL configured, with the documented headers.
    let seen = tap.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1 + expected.len());
    for s in &seen {
        assert_eq!(s.path, format!("{PATH}?tenant=a"));
        assert_eq!(
            s.content_type.as_deref(),
            Some("application/json;charset=UTF-8")
        );
        assert_eq!(s.request_id.as_ref().map(String::len), Some(32));
        assert!(s.date);
        assert_eq!(s.pragma.as_deref(), Some("No-cache"));
        assert_eq!(s.cache_control.as_deref(), Some("no-cache"));
    }
    // The last attempt is logged once its answer is read.
    let log = wait_for(&sim, |a| a.len() == 1 + expected.len()).await;
    assert!(
        log.iter()
            .all(|a| a.delivered && a.status == Some(200) && a.attempt == 1)
    );
    assert!(log.iter().all(|a| a.url == url && a.config_id == hook_id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_500_is_retried_and_both_attempts_are_logged() {
    let sim = Simulator::start(SimConfig::default().webhook_retry_ms(2))
        .await
        .expect("the simulator starts");
    let (base, tap, mut rx) = receiver().await;
    let client = client(&sim);
    enable(&client, &format!("{base}{PATH}")).await;
    assert!(matches!(next(&mut rx).await.event, Event::Verify));
    assert_eq!(
        status_after_verify(&sim, &client).await,
        Some(WebHookState::Enabled)
    );

    tap.fail.store(2, Ordering::SeqCst);
    client
        .create_meeting(CreateMeetingRequest::new("Voice"))
        .await
        .expect("create_meeting");
    let d = next(&mut rx).await;
    assert_eq!(d.event_name, "meeting.create");
    let log = wait_for(&sim, |a| {
        a.iter().any(|a| a.delivered && a.event == "meeting.create")
    })
    .await;
    let tries: Vec<_> = log.iter().filter(|a| a.event == "meeting.create").collect();
    assert_eq!(tries.len(), 3, "{tries:#?}");
    for (i, t) in tries.iter().enumerate() {
        assert_eq!(t.attempt, i as u32 + 1);
        // A retry resends the same message.
        assert_eq!(t.nonce, d.nonce);
        assert_eq!(t.timestamp, d.timestamp);
    }
    assert_eq!((tries[0].status, tries[0].delivered), (Some(500), false));
    assert_eq!((tries[1].status, tries[1].delivered), (Some(500), false));
    assert_eq!((tries[2].status, tries[2].delivered), (Some(200), true));
    // The event was handed on once: the next one is the next meeting's.
    client
        .create_meeting(CreateMeetingRequest::new("Voice"))
        .await
        .expect("create_meeting");
    let second = next(&mut rx).await;
    assert_eq!(second.event_name, "meeting.create");
    assert_ne!(second.nonce, d.nonce);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_nonce_leaves_the_settings_disabled() {
    let sim = Simulator::start(SimConfig::default().webhook_retry_ms(2))
        .await
        .expect("the simulator starts");
    let wrong = axum::Router::new().fallback(|| async {
        (
            [("content-type", "application/json;charset=UTF-8")],
            r#"{"event":"meeting.verify","nonce":"00000000"}"#,
        )
    });
    let base = serve(wrong).await;
    let client = client(&sim);
    enable(&client, &format!("{base}/hook")).await;
    assert_eq!(
        status_after_verify(&sim, &client).await,
        Some(WebHookState::Disabled)
    );
    let log = sim.webhook_deliveries();
    assert_eq!(log.len(), 1, "{log:#?}");
    assert_eq!(log[0].status, Some(200));
    assert!(!log[0].delivered);
    let error = log[0].error.as_deref().unwrap_or_default();
    assert!(
        error.starts_with("verify answer echoes nonce `00000000`, not `"),
        "{error}"
    );
    // Nothing is pushed to disabled settings.
    client
        .create_meeting(CreateMeetingRequest::new("Voice"))
        .await
        .expect("create_meeting");
    assert_eq!(sim.webhook_deliveries().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_axum_receiver_answers_each_case() {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let config = WebhookConfig::new("1988692299", Secret::new("123456"));
    let app = hwmeeting_async::webhook::axum::router(config, move |d: Delivery| {
        let tx = tx.clone();
        async move {
            let _ = tx.send(d);
        }
    });
    let base = serve(app).await;
    let verify = r#"{"appID":"1988692299","timestamp":1629183619116,"nonce":"85262798","signature":"262ccb5f8854f824c41ea5854ba1798bfa850706fbc85b2be9fd7535ed6b8ff3","eventInfo":{"event":"meeting.verify","timestamp":1629183619116}}"#;
    let post = |body: String| raw(&base, "POST", body);
    assert_eq!(
        post(verify.to_owned()).await,
        (
            200,
            Some("application/json;charset=UTF-8".to_owned()),
            r#"{"event":"meeting.verify","nonce":"85262798"}"#.to_owned()
        )
    );
    assert!(matches!(next(&mut rx).await.event, Event::Verify));
    let tampered = verify.replace("1629183619116}", "1629183619117}");
    assert_eq!(post(tampered).await.0, 401);
    let (status, _, text) = post(verify.replace("1988692299\"", "1988692290\"")).await;
    assert_eq!((status, text.as_str()), (401, "unknown appID"));
    let (status, _, text) = post("{\"appID\":".to_owned()).await;
    assert_eq!((status, text.as_str()), (400, "malformed body"));
    assert_eq!(raw(&base, "GET", String::new()).await.0, 405);
    // Nothing refused was handed on.
    assert!(rx.try_recv().is_err());
}

/// One HTTP/1.1 request over a plain socket: status, content type, body.
async fn raw(base: &str, method: &str, body: String) -> (u16, Option<String>, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://");
    let mut socket = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connects");
    let request = format!(
        "{method} /any/path HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    socket.write_all(request.as_bytes()).await.expect("sends");
    let mut answer = Vec::new();
    socket.read_to_end(&mut answer).await.expect("reads");
    let text = String::from_utf8(answer).expect("UTF-8 answer");
    let (head, body) = text.split_once("\r\n\r\n").expect("a head");
    let status = head[9..12].parse().expect("a status");
    let content_type = head.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("content-type")
            .then(|| value.trim().to_owned())
    });
    (status, content_type, body.to_owned())
}

/// Accepts TLS connections for `axum::serve`.
struct TlsListener {
    tcp: tokio::net::TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((tcp, addr)) = self.tcp.accept().await else {
                continue;
            };
            // A handshake the client gave up on is just skipped.
            if let Ok(tls) = self.acceptor.accept(tcp).await {
                return (tls, addr);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

/// A CA of our own and the receiver over HTTPS for 127.0.0.1 signed by
/// it; the CA PEM, the base URL and the deliveries handed on.
async fn https_receiver() -> (String, String, mpsc::UnboundedReceiver<Delivery>) {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .unwrap()
        .signed_by(&leaf_key, &issuer)
        .unwrap();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![leaf.der().clone()], key)
    .unwrap();
    let (tx, rx) = mpsc::unbounded_channel();
    let app = hwmeeting_async::webhook::axum::router(
        WebhookConfig::new(SUBSCRIBER, Secret::new(KEY)),
        move |d: Delivery| {
            let tx = tx.clone();
            async move {
                let _ = tx.send(d);
            }
        },
    );
    let tcp = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = tcp.local_addr().unwrap();
    let listener = TlsListener {
        tcp,
        acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(config)),
    };
    tokio::spawn(async move { axum::serve(listener, app).await });
    (ca_cert.pem(), format!("https://{addr}"), rx)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_urls_are_pushed_to_when_their_ca_is_trusted() {
    let (ca, base, mut rx) = https_receiver().await;
    let sim = Simulator::start(
        SimConfig::default()
            .webhook_retry_ms(2)
            .webhook_ca_pem(ca.into_bytes()),
    )
    .await
    .expect("the simulator starts");
    let client = client(&sim);
    enable(&client, &format!("{base}/secure/hook")).await;
    assert!(matches!(next(&mut rx).await.event, Event::Verify));
    assert_eq!(
        status_after_verify(&sim, &client).await,
        Some(WebHookState::Enabled)
    );
    client
        .create_meeting(CreateMeetingRequest::new("Voice"))
        .await
        .expect("create_meeting");
    assert_eq!(next(&mut rx).await.event_name, "meeting.create");

    // Without the CA the receiver's certificate is refused: not enabled.
    let untrusting = Simulator::start(SimConfig::default().webhook_retry_ms(2))
        .await
        .expect("the simulator starts");
    let client = client_of(&untrusting);
    enable(&client, &format!("{base}/secure/hook")).await;
    assert_eq!(
        status_after_verify(&untrusting, &client).await,
        Some(WebHookState::Disabled)
    );
    let log = untrusting.webhook_deliveries();
    assert_eq!((log[0].status, log[0].delivered), (None, false));
    let error = log[0].error.as_deref().unwrap_or_default();
    assert!(error.contains("certificate"), "{error}");
}

/// [`client`], where a variable of that name hides the function.
fn client_of(sim: &Simulator) -> hwmeeting_async::Client {
    client(sim)
}
