//! Where requests go: a region's endpoint or a URL of the caller's.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// A region of the service with its own endpoint.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Region {
    /// `cn-north-4`, the default: `https://api.meeting.huaweicloud.com`.
    #[default]
    CnNorth4,
    /// `ap-southeast-1`, international: `https://api-intl.meeting.huaweicloud.com`.
    ApSoutheast1,
}

impl Region {
    /// All regions.
    pub const ALL: [Region; 2] = [Region::CnNorth4, Region::ApSoutheast1];

    /// The region's name.
    pub fn name(self) -> &'static str {
        match self {
            Region::CnNorth4 => "cn-north-4",
            Region::ApSoutheast1 => "ap-southeast-1",
        }
    }

    /// The region's base URL.
    pub fn base_url(self) -> &'static str {
        match self {
            Region::CnNorth4 => "https://api.meeting.huaweicloud.com",
            Region::ApSoutheast1 => "https://api-intl.meeting.huaweicloud.com",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Region {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Region::ALL
            .into_iter()
            .find(|r| r.name() == s)
            .ok_or_else(|| {
                Error::Config(format!(
                    "unknown region `{s}`: use one of {}",
                    Region::ALL.map(Region::name).join(", ")
                ))
            })
    }
}

/// A base URL requests are sent to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// Scheme, host and any base path, without a trailing slash.
    base: String,
    plain_http: bool,
}

impl Endpoint {
    /// The endpoint of a region.
    pub fn region(region: Region) -> Self {
        Endpoint {
            base: region.base_url().to_owned(),
            plain_http: false,
        }
    }

    /// Parses a base URL. `https://` is required; `http://` only when
    /// `allow_http` is set (for a local simulator). The URL must not carry a
    /// query, fragment or credentials.
    pub fn parse(url: &str, allow_http: bool) -> Result<Self, Error> {
        let invalid = |why: &str| Error::Config(format!("invalid endpoint URL `{url}`: {why}"));
        if url.contains('#') {
            return Err(Error::Config(format!(
                "endpoint `{url}` must be a plain base URL without query, fragment or credentials"
            )));
        }
        let parsed: http::Uri = url
            .parse()
            .map_err(|e: http::uri::InvalidUri| invalid(&e.to_string()))?;
        let scheme = parsed
            .scheme_str()
            .ok_or_else(|| invalid("relative URL without a base: write it as https://host"))?
            .to_ascii_lowercase();
        match scheme.as_str() {
            "https" => {}
            "http" if allow_http => {}
            "http" => {
                return Err(Error::Config(format!(
                    "endpoint `{url}` is plain http://: the connection would not be encrypted; use https://, or opt in to plain HTTP (allow_http) for a local simulator"
                )));
            }
            other => {
                return Err(Error::Config(format!(
                    "endpoint `{url}` has scheme `{other}`: use https://"
                )));
            }
        }
        let authority = parsed.authority().map(|a| a.as_str()).unwrap_or("");
        if parsed.host().is_none_or(str::is_empty) {
            return Err(Error::Config(format!("endpoint `{url}` has no host")));
        }
        if parsed.query().is_some() || authority.contains('@') {
            return Err(Error::Config(format!(
                "endpoint `{url}` must be a plain base URL without query, fragment or credentials"
            )));
        }
        // Scheme and host are case-insensitive: written in lower case, as
        // the signature and the logs show them.
        let base = format!(
            "{scheme}://{}{}",
            authority.to_ascii_lowercase(),
            parsed.path().trim_end_matches('/')
        );
        Ok(Endpoint {
            base,
            plain_http: scheme == "http",
        })
    }

    /// The base URL as text, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.base
    }

    /// Whether this is plain `http://`.
    pub fn is_plain_http(&self) -> bool {
        self.plain_http
    }
}

impl Default for Endpoint {
    fn default() -> Self {
        Endpoint::region(Region::default())
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_have_their_urls() {
        assert_eq!(
            Endpoint::default().as_str(),
            "https://api.meeting.huaweicloud.com"
        );
        assert_eq!(
            "ap-southeast-1".parse::<Region>().unwrap(),
            Region::ApSoutheast1
        );
        let err = "eu-west-0".parse::<Region>().unwrap_err().to_string();
        assert!(err.contains("unknown region `eu-west-0`"), "{err}");
    }

    #[test]
    fn plain_http_needs_opt_in() {
        let err = Endpoint::parse("http://127.0.0.1:8080", false)
            .unwrap_err()
            .to_string();
        assert!(err.contains("plain http://"), "{err}");
        assert!(
            Endpoint::parse("http://127.0.0.1:8080", true)
                .unwrap()
                .is_plain_http()
        );
        assert!(Endpoint::parse("ftp://x", true).is_err());
        assert!(Endpoint::parse("https://h/?a=b", false).is_err());
        assert!(Endpoint::parse("https://user:pw@h/", false).is_err());
        assert!(Endpoint::parse("https://h/#top", false).is_err());
        assert!(Endpoint::parse("h.example", false).is_err());
        assert!(Endpoint::parse("https://", false).is_err());
        assert!(Endpoint::parse("https://bad host/", false).is_err());
    }

    #[test]
    fn base_urls_are_kept_without_a_trailing_slash() {
        let e = Endpoint::parse("HTTPS://API.Example.com:8443/base/", false).unwrap();
        assert_eq!(e.as_str(), "https://api.example.com:8443/base");
        assert!(!e.is_plain_http());
        let e = Endpoint::parse("http://127.0.0.1:8080", true).unwrap();
        assert_eq!(e.as_str(), "http://127.0.0.1:8080");
        assert_eq!(e.to_string(), "http://127.0.0.1:8080");
    }
}
