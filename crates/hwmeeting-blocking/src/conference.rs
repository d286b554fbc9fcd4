//! A handle on one meeting: its id and its meeting control token.

use std::fmt;
use std::sync::Arc;

use hwmeeting_core::engine::{Meeting, bind_to_meeting};
use hwmeeting_core::{Error, Operation, Reply, Secret};

use crate::call::{self, Waiter};
use crate::client::Client;

/// A handle on a meeting, made with [`Client::conference`] or
/// [`Client::conference_with_token`].
///
/// It fills in the meeting's id and sends the meeting control token,
/// which it obtains with `create_conf_token`, caches, and renews before it
/// expires (passing the live token in `X-Conference-Authorization`; if
/// that is refused, with the host password alone) and after the service
/// rejects it. Concurrent calls share one renewal. Cheap to clone, `Send`
/// and `Sync`.
///
/// Every meeting control operation has a method (`conference.set_role(..)`,
/// `conference.hang_up(..)`, ...).
#[derive(Clone)]
pub struct Conference {
    client: Client,
    meeting: Arc<Meeting<Waiter>>,
}

impl fmt::Debug for Conference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Conference")
            .field("id", &self.meeting.id())
            .field("renewable", &self.meeting.can_renew())
            .finish_non_exhaustive()
    }
}

impl Conference {
    pub(crate) fn new(client: Client, meeting: Arc<Meeting<Waiter>>) -> Self {
        Conference { client, meeting }
    }

    /// The meeting ID.
    pub fn id(&self) -> &str {
        self.meeting.id()
    }

    /// The meeting control token, obtaining or renewing it if needed.
    /// Concurrent callers share one renewal.
    pub fn control_token(&self) -> Result<Secret, Error> {
        call::control_token(&self.client, &self.meeting)
    }

    /// Sends an operation for this meeting: its meeting id is filled in (a
    /// request naming another meeting fails with [`Error::Build`] before
    /// anything is sent), and a meeting control operation carries this
    /// handle's control token.
    pub fn send<O: Operation>(&self, op: O) -> Result<O::Output, Error> {
        self.execute(op).map(|reply| reply.output)
    }

    /// Like [`Conference::send`], with the status, request id, attempts
    /// and time taken.
    pub fn execute<O: Operation>(&self, mut op: O) -> Result<Reply<O::Output>, Error> {
        bind_to_meeting(&mut op, self.meeting.id())?;
        call::execute(&self.client, &op, Some(&self.meeting))
    }
}
