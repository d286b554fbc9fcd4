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
