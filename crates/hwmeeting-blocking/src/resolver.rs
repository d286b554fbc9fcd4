//! Name resolution for the ureq agent.
//!
//! ureq 3 resolves the host on every call, before it looks for a pooled
//! connection, and, since a time limit is always set, on a new thread each
//! time. With keep-alive that lookup is most of a call's client-side cost
//! (4 to 9 times the rest against 127.0.0.1, see BENCHMARKS.md). This
//! resolver answers an IP address in the URL at once, on the calling
//! thread, and remembers a host name's addresses for a short while.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use hwmeeting_core::attempt::Stage;
use ureq::http::Uri;

use crate::transport::Opening;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long a host name's addresses are reused before they are looked up
/// again: short, so a moved service is found soon, and long enough that a
/// busy client looks up once per stretch of calls, not once per call.
const NAME_TTL: Duration = Duration::from_secs(30);

/// IP literals at once; host names through ureq's own resolver, remembered
/// for 30 seconds.
#[derive(Debug, Default)]
pub struct LiteralFirstResolver {
    fallback: DefaultResolver,
    names: Mutex<HashMap<String, (ResolvedSocketAddrs, Instant)>>,
}

impl LiteralFirstResolver {
    /// A resolver with an empty cache.
    pub fn new() -> Self {
        Self::default()
    }
}

/// The port of `uri`: the one written, or the scheme's default.
fn port_of(uri: &Uri) -> Option<u16> {
    let authority = uri.authority()?;
    authority.port_u16().or(match uri.scheme_str()? {
        "https" => Some(443),
        "http" => Some(80),
        _ => None,
    })
}

impl Resolver for LiteralFirstResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let (Some(authority), Some(port)) = (uri.authority(), port_of(uri)) else {
            // Let ureq report what is wrong with the URL.
            return self.fallback.resolve(uri, config, timeout);
        };
        let host = authority.host();
        let literal = host.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = literal.parse::<IpAddr>() {
            let mut out = self.empty();
            out.push(SocketAddr::new(ip, port));
            return Ok(out);
        }
        let key = format!("{host}:{port}");
        let now = Instant::now();
        if let Ok(names) = self.names.lock()
            && let Some((addrs, at)) = names.get(&key)
            && now.duration_since(*at) < NAME_TTL
        {
            return Ok(addrs.clone());
        }
        // A failed lookup is marked, so it is known that nothing was sent.
        let addrs = self
            .fallback
            .resolve(uri, config, timeout)
            .map_err(|e| Opening::mark(Stage::Resolve, e))?;
        if let Ok(mut names) = self.names.lock() {
            // Bounded: a client talks to one endpoint, but a caller could
            // point requests anywhere.
            if names.len() >= 64 {
                names.retain(|_, (_, at)| now.duration_since(*at) < NAME_TTL);
                if names.len() >= 64 {
                    names.clear();
                }
            }
            names.insert(key, (addrs.clone(), now));
        }
        Ok(addrs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(resolver: &LiteralFirstResolver, url: &str) -> Vec<SocketAddr> {
        let uri: Uri = url.parse().unwrap();
        let config = ureq::config::Config::default();
        resolver
            .resolve(&uri, &config, NextTimeout::default())
            .unwrap()
            .iter()
            .copied()
            .collect()
    }

    #[test]
    fn ip_literals_are_answered_as_written() {
        let resolver = LiteralFirstResolver::new();
        assert_eq!(
            resolve(&resolver, "https://127.0.0.1:8443/v1/x"),
            vec!["127.0.0.1:8443".parse::<SocketAddr>().unwrap()]
        );
        assert_eq!(
            resolve(&resolver, "https://[::1]/v1/x"),
            vec!["[::1]:443".parse::<SocketAddr>().unwrap()]
        );
        assert_eq!(
            resolve(&resolver, "http://10.1.2.3/"),
            vec!["10.1.2.3:80".parse::<SocketAddr>().unwrap()]
        );
        assert!(resolver.names.lock().unwrap().is_empty());
    }

    #[test]
    fn host_names_are_looked_up_once_then_remembered() {
        let resolver = LiteralFirstResolver::new();
        let first = resolve(&resolver, "http://localhost:9/");
        assert!(!first.is_empty());
        assert!(first.iter().all(|a| a.ip().is_loopback() && a.port() == 9));
        assert_eq!(
            resolver.names.lock().unwrap().keys().collect::<Vec<_>>(),
            vec!["localhost:9"]
        );
        assert_eq!(resolve(&resolver, "http://localhost:9/other"), first);
    }

    #[test]
    fn a_bad_url_is_an_error_not_a_panic() {
        let resolver = LiteralFirstResolver::new();
        let uri: Uri = "/relative/only".parse().unwrap();
        let config = ureq::config::Config::default();
        assert!(
            resolver
                .resolve(&uri, &config, NextTimeout::default())
                .is_err()
        );
    }
}
