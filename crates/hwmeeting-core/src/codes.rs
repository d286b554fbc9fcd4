//! Error codes of the service that the SDK acts on.

/// The access token is missing, invalid or expired.
pub const ACCESS_TOKEN_INVALID: &str = "USG.000000004";
/// The meeting control token is missing, invalid or expired.
pub const CONFERENCE_TOKEN_INVALID: &str = "MMC.111070005";

/// Codes of a 401 answer that a fresh token may fix.
pub const TOKEN_REJECTED: &[&str] = &[ACCESS_TOKEN_INVALID, CONFERENCE_TOKEN_INVALID];
