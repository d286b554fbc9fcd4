//! Figure 8: what the SDK costs a user at build time. A small downstream
//! crate is generated in a temporary directory, once per configuration:
//!
//! - on `hwmeeting-blocking` (a path dependency on this workspace's crate)
//!   with (a) meeting control only (`default-features = false, features =
//!   ["ring", "meeting_control"]`), (b) the default features, (c) `full`;
//!   and the baseline: the same program's transport alone, ureq with the
//!   features the blocking client uses, rustls with ring, the web roots and
//!   serde_json;
//! - the same on `hwmeeting-async`, whose baseline is reqwest with our
//!   features, tokio, rustls with ring, the web roots and serde_json.
//!
//! Each `main.rs` does something small but real: it builds a client from
//! the command line's endpoint and makes one call (`mute_meeting` through
//! a meeting handle; the baseline sends that request by hand and parses
//! the answer), so the client's code is type-checked and instantiated, not
//! left out.
//!
//! The SDK's crates are path dependencies, built as cargo builds them from
//! crates.io, which is how a user outside this repository gets them: not
//! incremental (cargo compiles only workspace members and path
//! dependencies incrementally; the manifest says `incremental = false`
//! for the SDK's packages). `--sdk-incremental` builds them incrementally
//! instead, as a path dependency normally is; the incremental bookkeeping
//! of the big generated crates costs time that no crates.io user pays.
//!
//! *Cold* is `cargo build --offline` (debug; the downstream crate
//! incremental, as cargo's default has it) into a fresh target directory, with every dependency already fetched (`cargo
//! fetch` once, at set-up; the workspace's `Cargo.lock` pins the same
//! versions the workspace builds with). *Incremental* is the rebuild after
//! an edit of `main.rs` (a constant it prints changes), in the target
//! directory of that configuration's last cold build. Configurations are
//! interleaved, the order reversed every other run, so that a busy machine
//! slows all of them alike. Ratios: (a) / baseline (goal <= 1.5), (b) / (a)
//! (goal <= 1.3), (c) / (a) (goal <= 2).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::codegen::workspace_root;
use crate::report::{Goal, Row};
use crate::{BenchError, progress};

/// The figure's label.
pub const FIGURE: &str = "8 compile";

/// Which client a downstream crate uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Client {
    /// `hwmeeting-blocking` (baseline: ureq).
    Blocking,
    /// `hwmeeting-async` (baseline: reqwest and tokio).
    Async,
}

/// What a downstream crate depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Features {
    /// The transport alone, and serde_json.
    Baseline,
    /// (a) `default-features = false, features = ["ring", "meeting_control"]`.
    Control,
    /// (b) the default features.
    Default,
    /// (c) `features = ["full"]`.
    Full,
}

/// One downstream crate to build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// The client.
    pub client: Client,
    /// Its features, or the baseline.
    pub features: Features,
}

/// Every configuration, blocking first; in each, the baseline, (a), (b),
/// (c).
pub const CONFIGS: [Config; 8] = {
    const fn c(client: Client, features: Features) -> Config {
        Config { client, features }
    }
    [
        c(Client::Blocking, Features::Baseline),
        c(Client::Blocking, Features::Control),
        c(Client::Blocking, Features::Default),
        c(Client::Blocking, Features::Full),
        c(Client::Async, Features::Baseline),
        c(Client::Async, Features::Control),
        c(Client::Async, Features::Default),
        c(Client::Async, Features::Full),
    ]
};

impl Config {
    /// The package name of its crate (`dl-blocking-control`).
    pub fn package(self) -> String {
        let client = match self.client {
            Client::Blocking => "blocking",
            Client::Async => "async",
        };
        let features = match self.features {
            Features::Baseline => "baseline",
            Features::Control => "control",
            Features::Default => "default",
            Features::Full => "full",
        };
        format!("dl-{client}-{features}")
    }

    /// How the report names it.
    pub fn label(self) -> &'static str {
        match (self.client, self.features) {
            (Client::Blocking, Features::Baseline) => "ureq + rustls + serde_json",
            (Client::Async, Features::Baseline) => "reqwest + tokio + rustls + serde_json",
            (_, Features::Control) => "(a) control only",
            (_, Features::Default) => "(b) default features",
            (_, Features::Full) => "(c) full",
        }
    }

    /// The `[dependencies]` table of its `Cargo.toml`; `crates` is the
    /// workspace's `crates/` directory.
    pub fn dependencies(self, crates: &Path) -> String {
        let sdk = |name: &str| {
            let path = toml_string(&crates.join(name).to_string_lossy());
            match self.features {
                Features::Control => format!(
                    "{name} = {{ path = {path}, default-features = false, features = [\"ring\", \"meeting_control\"] }}\n"
                ),
                Features::Default => format!("{name} = {{ path = {path} }}\n"),
                Features::Full => format!("{name} = {{ path = {path}, features = [\"full\"] }}\n"),
                Features::Baseline => String::new(),
            }
        };
        // The versions and features of the workspace's own dependencies.
        let rustls = "rustls = { version = \"0.23\", default-features = false, features = [\"std\", \"tls12\", \"logging\", \"ring\"] }\n";
        let json = "serde_json = \"1\"\n";
        let tokio = "tokio = { version = \"1\", default-features = false, features = [\"rt-multi-thread\", \"macros\", \"sync\", \"time\"] }\n";
        match (self.client, self.features) {
            (Client::Blocking, Features::Baseline) => format!(
                "ureq = {{ version = \"3\", default-features = false, features = [\"rustls-no-provider\"] }}\n{rustls}webpki-root-certs = \"1\"\n{json}"
            ),
            (Client::Async, Features::Baseline) => format!(
                "reqwest = {{ version = \"0.13\", default-features = false, features = [\"rustls-no-provider\", \"http2\"] }}\n{tokio}{rustls}webpki-roots = \"1\"\n{json}"
            ),
            (Client::Blocking, _) => sdk("hwmeeting-blocking"),
            (Client::Async, _) => format!("{}{tokio}", sdk("hwmeeting-async")),
        }
    }

    /// The SDK's packages it builds (naming one it does not build in a
    /// profile would make cargo warn).
    pub fn sdk_packages(self) -> [&'static str; 3] {
        let client = match self.client {
            Client::Blocking => "hwmeeting-blocking",
            Client::Async => "hwmeeting-async",
        };
        ["hwmeeting-core", "hwmeeting-api", client]
    }

    /// Its `Cargo.toml`; with `sdk_incremental` false, the SDK's packages
    /// are built as a crates.io dependency is, not incrementally.
    pub fn manifest(self, crates: &Path, sdk_incremental: bool) -> String {
        let mut manifest = format!(
            "[package]\nname = \"{}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             # Its own workspace, so no enclosing one claims it.\n[workspace]\n\n\
             [dependencies]\n{}",
            self.package(),
            self.dependencies(crates)
        );
        if !sdk_incremental && self.features != Features::Baseline {
            manifest
                .push_str("\n# As cargo builds a dependency from crates.io: not incrementally.\n");
            for package in self.sdk_packages() {
                manifest.push_str(&format!(
                    "[profile.dev.package.{package}]\nincremental = false\n"
                ));
            }
        }
        manifest
    }

    /// Its `src/main.rs` at edit number `edit` (the incremental runs
    /// change it).
    pub fn main_rs(self, edit: u32) -> String {
        let body = match (self.client, self.features) {
            (Client::Blocking, Features::Baseline) => BLOCKING_BASELINE,
            (Client::Async, Features::Baseline) => ASYNC_BASELINE,
            (Client::Blocking, _) => BLOCKING_SDK,
            (Client::Async, _) => ASYNC_SDK,
        };
        format!(
            "//! Generated by hwmeeting-bench (figure 8).\n\nconst EDIT: u32 = {edit};\n\n{body}"
        )
    }
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let escaped: String = text
        .chars()
        .flat_map(|c| match c {
            '\\' => vec!['\\', '\\'],
            '"' => vec!['\\', '"'],
            c => vec![c],
        })
        .collect();
    format!("\"{escaped}\"")
}

const BLOCKING_SDK: &str = r#"use hwmeeting_blocking::model::{MuteMeetingRequest, MuteState};
use hwmeeting_blocking::{Client, Credentials};

fn main() {
    let endpoint = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "https://127.0.0.1:9".to_owned());
    eprintln!("edit {EDIT}");
    let client = match Client::builder()
        .endpoint(endpoint)
        .credentials(Credentials::app_id("app-id", "app-key"))
        .build()
    {
        Ok(client) => client,
        Err(e) => return eprintln!("{e}"),
    };
    let meeting = client.conference("900000001", "host-password");
    match meeting.mute_meeting(MuteMeetingRequest::new(MuteState::Muted)) {
        Ok(answer) => println!("{answer:?}"),
        Err(e) => eprintln!("{e}"),
    }
}
"#;

const ASYNC_SDK: &str = r#"use hwmeeting_async::model::{MuteMeetingRequest, MuteState};
use hwmeeting_async::{Client, Credentials};

#[tokio::main]
async fn main() {
    let endpoint = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "https://127.0.0.1:9".to_owned());
    eprintln!("edit {EDIT}");
    let client = match Client::builder()
        .endpoint(endpoint)
        .credentials(Credentials::app_id("app-id", "app-key"))
        .build()
    {
        Ok(client) => client,
        Err(e) => return eprintln!("{e}"),
    };
    let meeting = client.conference("900000001", "host-password");
    match meeting
        .mute_meeting(MuteMeetingRequest::new(MuteState::Muted))
        .await
    {
        Ok(answer) => println!("{answer:?}"),
        Err(e) => eprintln!("{e}"),
    }
}
"#;

const BLOCKING_BASELINE: &str = r#"use std::sync::Arc;

use ureq::tls::{Certificate, RootCerts, TlsConfig, TlsProvider};

fn main() {
    let endpoint = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "https://127.0.0.1:9".to_owned());
    eprintln!("edit {EDIT}");
    let roots: Vec<Certificate<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .map(|der| Certificate::from_der(der.as_ref()).to_owned())
        .collect();
    let tls = TlsConfig::builder()
        .provider(TlsProvider::Rustls)
        .root_certs(RootCerts::Specific(Arc::new(roots)))
        .unversioned_rustls_crypto_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .build();
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .tls_config(tls)
        .build()
        .new_agent();
    let body = serde_json::json!({ "isMute": 1 }).to_string();
    let url = format!("{endpoint}/v1/mmc/control/conferences/mute?conferenceID=900000001");
    let answer = agent
        .put(&url)
        .header("X-Conference-Authorization", "token")
        .content_type("application/json")
        .send(body.as_bytes());
    match answer {
        Ok(mut answer) => match answer.body_mut().read_to_vec() {
            Ok(bytes) => match serde_json::from_slice::<serde_json::Value>(&bytes) {
                Ok(value) => println!("{value}"),
                Err(e) => eprintln!("{e}"),
            },
            Err(e) => eprintln!("{e}"),
        },
        Err(e) => eprintln!("{e}"),
    }
}
"#;

const ASYNC_BASELINE: &str = r#"use std::sync::Arc;

#[tokio::main]
async fn main() {
    let endpoint = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "https://127.0.0.1:9".to_owned());
    eprintln!("edit {EDIT}");
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = match rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
    {
        Ok(builder) => builder.with_root_certificates(roots).with_no_client_auth(),
        Err(e) => return eprintln!("{e}"),
    };
    let client = match reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .build()
    {
        Ok(client) => client,
        Err(e) => return eprintln!("{e}"),
    };
    let body = serde_json::json!({ "isMute": 1 }).to_string();
    let url = format!("{endpoint}/v1/mmc/control/conferences/mute?conferenceID=900000001");
    let answer = client
        .put(url)
        .header("X-Conference-Authorization", "token")
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await;
    match answer {
        Ok(answer) => match answer.bytes().await {
            Ok(bytes) => match serde_json::from_slice::<serde_json::Value>(&bytes) {
                Ok(value) => println!("{value}"),
                Err(e) => eprintln!("{e}"),
            },
            Err(e) => eprintln!("{e}"),
        },
        Err(e) => eprintln!("{e}"),
    }
}
"#;

/// How the builds run.
#[derive(Clone, Debug)]
pub struct CompilePlan {
    /// Cold builds of each configuration.
    pub cold_runs: usize,
    /// Incremental rebuilds of each configuration.
    pub incremental_runs: usize,
    /// `cargo build -j` (`None`: cargo's default, every core).
    pub jobs: Option<usize>,
    /// Build the SDK's crates incrementally (as a path dependency)
    /// rather than as a crates.io dependency.
    pub sdk_incremental: bool,
}

/// A generated crate on disk.
struct Crate {
    config: Config,
    dir: PathBuf,
    /// The target directory of its last cold build.
    target: Option<PathBuf>,
    edits: u32,
}

/// Writes the crate of `config` under `root`, with the workspace's lock
/// file.
fn write_crate(root: &Path, config: Config, sdk_incremental: bool) -> Result<Crate, BenchError> {
    let workspace = workspace_root();
    let dir = root.join(config.package());
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::write(
        dir.join("Cargo.toml"),
        config.manifest(&workspace.join("crates"), sdk_incremental),
    )?;
    std::fs::write(dir.join("src/main.rs"), config.main_rs(0))?;
    let lock = workspace.join("Cargo.lock");
    if lock.is_file() {
        std::fs::copy(&lock, dir.join("Cargo.lock"))?;
    }
    Ok(Crate {
        config,
        dir,
        target: None,
        edits: 0,
    })
}

/// `cargo` with the environment of a downstream build: no target
/// directory or incremental setting inherited from whoever runs us.
/// (`CARGO_INCREMENTAL` would overrule the manifest's per-package
/// setting, so it is removed rather than set: cargo's default compiles
/// the downstream crate incrementally.)
fn cargo(dir: &Path) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(dir)
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .env_remove("CARGO_INCREMENTAL")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// Runs a command; its stderr in the error when it fails.
fn run_command(mut command: Command, what: &str) -> Result<(), BenchError> {
    let output = command.output()?;
    if !output.status.success() {
        return Err(format!(
            "{what} failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok(())
}

/// Fetches the crate's dependencies (nothing to do offline when they are
/// in the registry cache already).
fn fetch(krate: &Crate) -> Result<(), BenchError> {
    let mut offline = cargo(&krate.dir);
    offline.args(["fetch", "--offline"]);
    if run_command(offline, "cargo fetch --offline").is_ok() {
        return Ok(());
    }
    let mut online = cargo(&krate.dir);
    online.arg("fetch");
    run_command(
        online,
        &format!("cargo fetch for {}", krate.config.package()),
    )
}

/// `cargo build --offline` of the crate into `target`; the wall time in
/// seconds.
fn build(krate: &Crate, target: &Path, jobs: Option<usize>) -> Result<f64, BenchError> {
    let mut command = cargo(&krate.dir);
    command
        .args(["build", "--offline", "--quiet"])
        .env("CARGO_TARGET_DIR", target);
    if let Some(jobs) = jobs {
        command.arg("-j").arg(jobs.to_string());
    }
    let started = Instant::now();
    run_command(
        command,
        &format!("cargo build of {}", krate.config.package()),
    )?;
    Ok(started.elapsed().as_secs_f64())
}

/// A cold build of the crate: a fresh target directory, which is kept
/// for its incremental builds (the previous one is removed).
fn cold(
    krate: &mut Crate,
    scratch: &Path,
    run: usize,
    jobs: Option<usize>,
) -> Result<f64, BenchError> {
    if let Some(old) = krate.target.take() {
        std::fs::remove_dir_all(old)?;
    }
    let target = scratch.join(format!("target-{}-{run}", krate.config.package()));
    let seconds = build(krate, &target, jobs)?;
    krate.target = Some(target);
    Ok(seconds)
}

/// An edit of `main.rs` (the constant it prints) and the rebuild.
fn incremental(krate: &mut Crate, jobs: Option<usize>) -> Result<f64, BenchError> {
    let target = krate
        .target
        .clone()
        .ok_or("an incremental build needs a cold build first")?;
    krate.edits += 1;
    std::fs::write(
        krate.dir.join("src/main.rs"),
        krate.config.main_rs(krate.edits),
    )?;
    build(krate, &target, jobs)
}

/// Runs `one` on every crate, `runs` times, the order reversed every
/// other run; each crate's times in run order.
fn interleaved(
    crates: &mut [Crate],
    runs: usize,
    what: &str,
    mut one: impl FnMut(&mut Crate, usize) -> Result<f64, BenchError>,
) -> Result<Vec<Vec<f64>>, BenchError> {
    let mut times = vec![Vec::with_capacity(runs); crates.len()];
    for run in 0..runs {
        let order: Vec<usize> = if run % 2 == 0 {
            (0..crates.len()).collect()
        } else {
            (0..crates.len()).rev().collect()
        };
        for i in order {
            progress(
                FIGURE,
                &format!(
                    "{what} build {}/{runs}: {}",
                    run + 1,
                    crates[i].config.package()
                ),
            );
            let seconds = one(&mut crates[i], run)?;
            progress(FIGURE, &format!("  {seconds:.1} s"));
            times[i].push(seconds);
        }
    }
    Ok(times)
}

/// The rows of one kind of build (`cold` or `incremental`) for one client:
/// the baseline, then (a) against the baseline, (b) and (c) against (a).
fn rows(client: Client, kind: &str, times: &[(Config, Vec<f64>)]) -> Vec<Row> {
    let of = |features: Features| {
        times
            .iter()
            .find(|(c, _)| c.client == client && c.features == features)
            .map(|(c, runs)| (*c, runs.clone()))
    };
    let name = match client {
        Client::Blocking => "hwmeeting-blocking",
        Client::Async => "hwmeeting-async",
    };
    let (Some((base, base_runs)), Some((control, control_runs))) =
        (of(Features::Baseline), of(Features::Control))
    else {
        return Vec::new();
    };
    let mut out = vec![
        Row::single(
            FIGURE,
            format!("{kind} build, {}", base.label()),
            "s",
            base_runs.clone(),
        ),
        Row::paired(
            FIGURE,
            format!("{kind} build, {name} {}", control.label()),
            "s",
            control_runs.clone(),
            base.label(),
            base_runs.clone(),
        )
        .goal(Goal::RatioAtMost(1.5)),
    ];
    let base_median = crate::stats::median(&base_runs);
    for (features, goal) in [(Features::Default, 1.3), (Features::Full, 2.0)] {
        if let Some((config, runs)) = of(features) {
            let versus_base = crate::stats::median(&runs) / base_median;
            out.push(
                Row::paired(
                    FIGURE,
                    format!("{kind} build, {name} {}", config.label()),
                    "s",
                    runs,
                    control.label(),
                    control_runs.clone(),
                )
                .goal(Goal::RatioAtMost(goal))
                .note(format!("{versus_base:.2}x the baseline")),
            );
        }
    }
    out
}

/// Figure 8: cold and incremental builds of the eight downstream crates.
pub fn run(plan: &CompilePlan) -> Result<Vec<Row>, BenchError> {
    let scratch = tempfile::tempdir()?;
    let mut crates = Vec::new();
    for config in CONFIGS {
        crates.push(write_crate(scratch.path(), config, plan.sdk_incremental)?);
    }
    progress(FIGURE, "cargo fetch (once: the builds are offline)");
    for krate in &crates {
        fetch(krate)?;
    }
    let dir = scratch.path().to_owned();
    let cold_times = interleaved(&mut crates, plan.cold_runs.max(1), "cold", |k, run| {
        cold(k, &dir, run, plan.jobs)
    })?;
    let incremental_times =
        interleaved(&mut crates, plan.incremental_runs, "incremental", |k, _| {
            incremental(k, plan.jobs)
        })?;
    let sdk = if plan.sdk_incremental {
        "incremental (path dependency)"
    } else {
        "as from crates.io (not incremental)"
    };
    let jobs = plan
        .jobs
        .map_or_else(|| "every core".to_owned(), |j| format!("-j {j}"));
    let mut out = Vec::new();
    for (kind, times) in [("cold", cold_times), ("incremental", incremental_times)] {
        if times.iter().any(Vec::is_empty) {
            continue;
        }
        let times: Vec<(Config, Vec<f64>)> = CONFIGS.iter().copied().zip(times).collect();
        for client in [Client::Blocking, Client::Async] {
            out.extend(rows(client, kind, &times));
        }
    }
    if let Some(first) = out.first_mut() {
        *first = first
            .clone()
            .note(format!("debug profile, {jobs}, the SDK {sdk}"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_name_the_features_of_each_configuration() {
        let crates = Path::new("/w/crates");
        let control = Config {
            client: Client::Blocking,
            features: Features::Control,
        };
        assert_eq!(
            control.dependencies(crates),
            "hwmeeting-blocking = { path = \"/w/crates/hwmeeting-blocking\", default-features = false, features = [\"ring\", \"meeting_control\"] }\n"
        );
        let full = Config {
            client: Client::Async,
            features: Features::Full,
        };
        let deps = full.dependencies(crates);
        assert!(deps.starts_with(
            "hwmeeting-async = { path = \"/w/crates/hwmeeting-async\", features = [\"full\"] }\n"
        ));
        assert!(deps.contains("tokio = "), "{deps}");
        let base = Config {
            client: Client::Blocking,
            features: Features::Baseline,
        };
        let deps = base.dependencies(crates);
        assert!(!deps.contains("hwmeeting"), "{deps}");
        assert!(deps.contains("ureq = { version = \"3\", default-features = false, features = [\"rustls-no-provider\"] }"));
        assert!(base.manifest(crates, false).contains("\n[workspace]\n"));
        // The SDK is built as from crates.io, unless asked otherwise; the
        // baseline has no SDK package to set.
        let registry = control.manifest(crates, false);
        for package in control.sdk_packages() {
            assert!(
                registry.contains(&format!(
                    "[profile.dev.package.{package}]\nincremental = false\n"
                )),
                "{registry}"
            );
        }
        assert!(!registry.contains("hwmeeting-async"), "{registry}");
        assert!(!control.manifest(crates, true).contains("[profile"));
        assert!(!base.manifest(crates, false).contains("[profile"));
        // Every package name is different.
        let mut names: Vec<String> = CONFIGS.iter().map(|c| c.package()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), CONFIGS.len());
    }

    #[test]
    fn an_edit_changes_main_rs() {
        let c = CONFIGS[1];
        assert_ne!(c.main_rs(0), c.main_rs(1));
        assert!(c.main_rs(3).contains("const EDIT: u32 = 3;"));
        assert!(CONFIGS[0].main_rs(0).contains("ureq::Agent"));
    }

    #[test]
    fn paths_are_quoted_for_toml() {
        assert_eq!(toml_string(r#"C:\a "b""#), r#""C:\\a \"b\"""#);
    }
}
