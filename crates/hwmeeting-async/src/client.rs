//! The client: its shared surface (written once in
//! `hwmeeting_core::client_surface!`), the calls, and how it is built.

use hwmeeting_core::{Config, Error, FromConfig, Operation, Reply, Secret};

use crate::call::{self, Waiter};
use crate::transport::Transport;

hwmeeting_core::client_surface! {
    waiter: Waiter,
    transport: Transport,
    table: hwmeeting_api::OPERATIONS,
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

impl Client {
    /// A client that sends through `http`, a reqwest client of yours: for a
    /// proxy, a resolver, middleware or TLS settings of your own. (This
    /// exposes `reqwest::Client` on purpose.)
    ///
    /// The SDK then does **not** configure `http`'s TLS (trust roots, the
    /// extra CA certificates of `builder`, the crypto provider), proxy,
    /// resolver, connect timeout, connection pool or **redirect policy**:
    /// build it with `redirect(reqwest::redirect::Policy::none())`, as the
    /// SDK does, or a redirect could carry a token to another host. The
    /// SDK still does: its `User-Agent`, the per-attempt and total time
    /// limits, retries, token caching and renewal, checking every request
    /// against the spec, and the answer size limit.
    pub fn with_reqwest(builder: ClientBuilder, http: reqwest::Client) -> Result<Client, Error> {
        let config = builder.checked_config()?;
        let transport = Transport::with_client(http, &config)?;
        Client::assemble(&config, transport)
    }
}

impl FromConfig for Client {
    fn from_config(config: Config) -> Result<Client, Error> {
        let transport = Transport::new(&config)?;
        Client::assemble(&config, transport)
    }
}
