//! The client: its shared surface (written once in
//! `hwmeeting_core::client_surface!`), the calls, and how it is built.

use std::sync::Arc;

use hwmeeting_core::engine::Session;
use hwmeeting_core::{Config, Error, FromConfig, Operation, Reply, Secret};

use crate::call::{self, Waiter};
use crate::transport::Transport;

hwmeeting_core::client_surface! {
    waiter: Waiter,
    transport: Transport,
    doc: "An async client of the Huawei Cloud Meeting API, `Send` and `Sync`."
}

impl Client {
    /// Sends any operation (a typed request or a
    /// [`DynamicOperation`](crate::DynamicOperation)) and returns its
    /// answer.
    ///
    /// The credential comes from the client: the access token (logging in
    /// first if needed), the account password or app key for the logins,
    /// or, for a meeting control operation, the control token of the handle
    /// registered for its meeting id with [`Client::conference`] or
    /// [`Client::conference_with_token`].
    pub async fn send<O: Operation>(&self, op: O) -> Result<O::Output, Error> {
        self.execute(op).await.map(|reply| reply.output)
    }

    /// Like [`Client::send`], with the status, request id, attempts and
    /// time taken.
    pub async fn execute<O: Operation>(&self, op: O) -> Result<Reply<O::Output>, Error> {
        call::execute(self, &op, None).await
    }

    /// The cached access token, logging in first if there is none or it is
    /// about to expire. However many tasks ask at once, one login runs.
    pub async fn access_token(&self) -> Result<Secret, Error> {
        call::access_token(self).await
    }
}

impl FromConfig for Client {
    fn from_config(config: Config) -> Result<Client, Error> {
        let transport = Transport::new(&config)?;
        Ok(Client {
            inner: Arc::new(Inner {
                session: Session::new(&config, hwmeeting_api::OPERATIONS)?,
                transport,
            }),
        })
    }
}
