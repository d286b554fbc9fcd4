//! A handle on one meeting: its shared surface (written once in
//! `hwmeeting_core::conference_surface!`) and the calls made through it.

use hwmeeting_core::engine::bind_to_meeting;
use hwmeeting_core::{Error, Operation, Reply, Secret};

use crate::call::{self, Waiter};

hwmeeting_core::conference_surface! { waiter: Waiter }

impl Conference {
    /// The meeting control token, obtaining or renewing it if needed.
    /// Concurrent callers share one renewal.
    pub async fn control_token(&self) -> Result<Secret, Error> {
        call::control_token(&self.client, &self.meeting).await
    }

    /// Sends an operation for this meeting: its meeting id is filled in (a
    /// request naming another meeting fails with [`Error::Build`] before
    /// anything is sent), and a meeting control operation carries this
    /// handle's control token.
    pub async fn send<O: Operation>(&self, op: O) -> Result<O::Output, Error> {
        self.execute(op).await.map(|reply| reply.output)
    }

    /// Like [`Conference::send`], with the status, request id, attempts
    /// and time taken.
    pub async fn execute<O: Operation>(&self, mut op: O) -> Result<Reply<O::Output>, Error> {
        bind_to_meeting(&mut op, self.meeting.id())?;
        call::execute(&self.client, &op, Some(&self.meeting)).await
    }
}

#[cfg(feature = "live")]
impl Conference {
    /// The meeting's control WebSocket as a stream of typed events, with
    /// the live view readable at any time (see [`crate::live`]); default
    /// options. Must be called within a tokio runtime (the connection
    /// runs on a task of its own).
    pub fn events(&self) -> crate::live::LiveEvents {
        self.events_with(crate::live::LiveOptions::default())
    }

    /// Like [`Conference::events`], with options (heartbeat, backoff,
    /// topics).
    pub fn events_with(&self, options: crate::live::LiveOptions) -> crate::live::LiveEvents {
        let session = &self.client.inner.session;
        let link = crate::live::Link {
            conference: self.clone(),
            tls: self.client.inner.transport.ws_tls(),
            endpoint_base: session.endpoint().as_str().to_owned(),
            connect_timeout: session.timeouts().connect,
        };
        crate::live::start(link, options)
    }

    /// The `wsURL` of the last control-token answer.
    pub(crate) fn ws_url(&self) -> Option<String> {
        self.meeting.ws_url()
    }
}
