//! The baselines' calls, written by hand as a user of plain ureq or plain
//! reqwest would: the URL and JSON body formatted for each call, the
//! credential header, the whole body read and parsed as JSON.

use std::time::SystemTime;

use hwmeeting_api::model::AppAuthRequest;
use hwmeeting_core::session;
use hwmeeting_core::{Credential, Endpoint, Operation, Secret};
use serde_json::{Map, Value, json};

use crate::BenchError;
use crate::target::{CREATE_CONF_TOKEN_PATH, SET_ROLE_PATH, START_MEETING_PATH, Target};

/// Reads an answer as the SDK does: the whole body, parsed as JSON (an
/// empty body counts as `{}`); an error status is an error.
pub fn parse_answer(status: u16, body: &[u8]) -> Result<Value, BenchError> {
    let trimmed = body.trim_ascii();
    let value: Value = if trimmed.is_empty() {
        Value::Object(Map::new())
    } else {
        serde_json::from_slice(trimmed)?
    };
    if !(200..300).contains(&status) {
        return Err(format!("HTTP {status}: {}", String::from_utf8_lossy(body)).into());
    }
    Ok(value)
}

/// Everything a hand-written `set_role` needs; cheap to clone.
#[derive(Clone, Debug)]
pub struct RawSetRole {
    base: String,
    conference_id: String,
    participant: String,
    host_password: String,
    token: String,
}

impl RawSetRole {
    /// `set_role` (apply, with the host password) on `target`'s meeting,
    /// with this control token.
    pub fn new(target: &Target, control_token: &str) -> RawSetRole {
        RawSetRole {
            base: target.url.clone(),
            conference_id: target.conference_id.clone(),
            participant: target.participant.clone(),
            host_password: target.host_password.clone(),
            token: control_token.to_owned(),
        }
    }

    fn url(&self) -> String {
        format!(
            "{}{SET_ROLE_PATH}?conferenceID={}&participantID={}",
            self.base, self.conference_id, self.participant
        )
    }

    fn body(&self) -> Vec<u8> {
        // Serializing a JSON value cannot fail.
        serde_json::to_vec(&json!({ "applyChair": 1, "chairmanPwd": self.host_password }))
            .unwrap_or_default()
    }

    /// One call through a plain ureq agent.
    pub fn ureq(&self, agent: &ureq::Agent) -> Result<(), BenchError> {
        let mut response = agent
            .put(self.url())
            .header("X-Conference-Authorization", &self.token)
            .header("Content-Type", "application/json")
            .send(&self.body()[..])?;
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_vec()?;
        parse_answer(status, &body)?;
        Ok(())
    }

    /// One call through a plain reqwest client.
    pub async fn reqwest(&self, client: &reqwest::Client) -> Result<(), BenchError> {
        let response = client
            .put(self.url())
            .header("X-Conference-Authorization", &self.token)
            .header("Content-Type", "application/json")
            .body(self.body())
            .send()
            .await?;
        let status = response.status().as_u16();
        let body = response.bytes().await?;
        parse_answer(status, &body)?;
        Ok(())
    }
}

/// A control token of `target`'s meeting from a hand-written
/// `create_conf_token` with the host password.
pub async fn create_conf_token(
    client: &reqwest::Client,
    target: &Target,
) -> Result<String, BenchError> {
    let response = client
        .get(format!(
            "{}{CREATE_CONF_TOKEN_PATH}?conferenceID={}",
            target.url, target.conference_id
        ))
        .header("X-Password", &target.host_password)
        .header("X-Login-Type", "1")
        .send()
        .await?;
    let status = response.status().as_u16();
    let body = response.bytes().await?;
    let answer = parse_answer(status, &body)?;
    answer
        .pointer("/data/token")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| "create_conf_token answered no data.token".into())
}

/// An access token from an App ID login sent through plain reqwest (the
/// signed request is made by `hwmeeting-core`; signing is not what the
/// baseline measures).
pub async fn app_login(client: &reqwest::Client, target: &Target) -> Result<String, BenchError> {
    let key = Secret::new(target.app_key.as_str());
    let nonce = session::nonce(rand_bytes());
    let expires = SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
        + session::SIGNATURE_VALIDITY_SECS;
    let login = AppAuthRequest::new(target.app_id.as_str(), expires, nonce);
    let endpoint = Endpoint::parse(&target.url, false)?;
    let request = login.to_http(&endpoint, Credential::AppKey(&key))?;
    let request = reqwest::Request::try_from(request)?;
    let response = client.execute(request).await?;
    let status = response.status().as_u16();
    let body = response.bytes().await?;
    let answer = parse_answer(status, &body)?;
    answer
        .get("accessToken")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| "app_auth answered no accessToken".into())
}

/// A hand-written `start_meeting` with an access token.
pub async fn start_meeting(
    client: &reqwest::Client,
    base: &str,
    conference_id: &str,
    host_password: &str,
    access_token: &str,
) -> Result<(), BenchError> {
    let body = serde_json::to_vec(&json!({
        "conferenceID": conference_id,
        "password": host_password,
    }))?;
    let response = client
        .post(format!("{base}{START_MEETING_PATH}"))
        .header("X-Access-Token", access_token)
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await?;
    let status = response.status().as_u16();
    let body = response.bytes().await?;
    parse_answer(status, &body)?;
    Ok(())
}

/// 16 bytes that differ from call to call (a login nonce only needs to be
/// unique, not secret, in a benchmark).
fn rand_bytes() -> [u8; 16] {
    use std::hash::{BuildHasher, Hasher};
    let mut out = [0u8; 16];
    for (i, chunk) in out.chunks_mut(8).enumerate() {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_usize(i);
        h.write_u128(
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        chunk.copy_from_slice(&h.finish().to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_parse_like_the_sdk() {
        assert_eq!(parse_answer(200, b"").unwrap(), json!({}));
        assert_eq!(parse_answer(200, b" {\"a\":1} ").unwrap(), json!({"a": 1}));
        assert!(parse_answer(200, b"<html>").is_err());
        assert!(parse_answer(401, b"{}").is_err());
    }

    #[test]
    fn nonces_differ() {
        assert_ne!(rand_bytes(), rand_bytes());
    }
}
