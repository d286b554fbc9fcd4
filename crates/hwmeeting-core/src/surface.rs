//! The part of a client's API that is the same on every transport, written
//! once. Each transport crate must define its own `Client` and `Conference`
//! types (an inherent method cannot be added to a type of another crate),
//! so the shared part is a macro the transports expand; what differs (the
//! calls, blocking or `async`) each transport writes beside it.

/// Expands, in a transport crate, its `Client` type (shared state: a
/// [`Session`](crate::engine::Session) and the transport), the methods
/// that do no I/O, and the `ClientBuilder` alias. `$waiter` is how the
/// transport waits for a token another call is fetching; `$transport` its
/// HTTP side; `$table` the generated operation table; `$doc` the type's
/// first paragraph.
// `crate::` is meant: the paths name the calling transport crate's types.
#[allow(clippy::crate_in_macro_def)]
#[doc(hidden)]
#[macro_export]
macro_rules! client_surface {
    (waiter: $waiter:ty, transport: $transport:ty, table: $table:expr, doc: $doc:literal) => {
        #[doc = $doc]
        ///
        /// Cheap to clone: the clones share one connection pool, one
        /// access-token cache and one registry of meeting handles. Build it
        /// with [`Client::builder`] or [`Client::from_env`].
        ///
        /// Every operation has a method (`client.start_meeting(..)`,
        /// `client.set_role(..)`, ...); [`Client::send`] sends any
        /// [`Operation`](crate::Operation), including a
        /// [`DynamicOperation`](crate::DynamicOperation).
        #[derive(Clone)]
        pub struct Client {
            pub(crate) inner: ::std::sync::Arc<Inner>,
        }

        /// What the clones of a client share.
        pub(crate) struct Inner {
            pub(crate) session: $crate::engine::Session<$waiter>,
            pub(crate) transport: $transport,
        }

        impl ::std::fmt::Debug for Client {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Client")
                    .field("session", &self.inner.session)
                    .finish_non_exhaustive()
            }
        }

        /// Builds a [`Client`]: the builder both transports share, see
        /// [`hwmeeting_core::ClientBuilder`] for every setting.
        pub type ClientBuilder = $crate::ClientBuilder<Client>;

        impl Client {
            /// A client sending through `transport`, with the settings of
            /// `config` and the operations of the generated table.
            pub(crate) fn assemble(
                config: &$crate::Config,
                transport: $transport,
            ) -> Result<Client, $crate::Error> {
                Ok(Client {
                    inner: ::std::sync::Arc::new(Inner {
                        session: $crate::engine::Session::new(config, $table)?,
                        transport,
                    }),
                })
            }

            /// A builder with the default settings: region `cn-north-4`, no
            /// credentials, 5 s to connect, 30 s per attempt, 90 s per call,
            /// 3 attempts.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }

            /// A client configured from the environment
            /// ([`Config::from_env_with`](crate::Config::from_env_with)):
            /// `HWMEETING_ENDPOINT` or `HWMEETING_REGION`,
            /// `HWMEETING_APP_ID` + `HWMEETING_APP_KEY` (with optional
            /// `HWMEETING_USER_ID`, `HWMEETING_CORP_ID`), or
            /// `HWMEETING_ACCOUNT` + `HWMEETING_PASSWORD`, or
            /// `HWMEETING_ACCESS_TOKEN`; `HWMEETING_ALLOW_HTTP=1` for a
            /// plain `http://` simulator. Errors name the variable at fault.
            pub fn from_env() -> Result<Client, $crate::Error> {
                ClientBuilder::from_env()?.build()
            }

            /// Where requests go.
            pub fn endpoint(&self) -> &$crate::Endpoint {
                self.inner.session.endpoint()
            }

            /// Drops the cached access token: the next call that needs one
            /// logs in again. (A token given with
            /// [`Credentials::AccessToken`](crate::Credentials::AccessToken)
            /// is kept.)
            pub fn invalidate_access_token(&self) {
                self.inner.session.invalidate_access_token();
            }

            /// A handle on a meeting: it obtains the meeting control token
            /// with `create_conf_token` (the host password goes in
            /// `X-Password`), caches it and renews it before it expires.
            ///
            /// The handle is also registered in the client, so that
            /// `client.set_role(..)` and the other control calls naming
            /// this meeting id use it; a later call for the same id
            /// replaces it, and [`Client::forget_conference`] removes it.
            pub fn conference(
                &self,
                conference_id: impl Into<String>,
                host_password: impl Into<$crate::Secret>,
            ) -> crate::Conference {
                let session = &self.inner.session;
                let meeting =
                    session.meeting_with_password(conference_id.into(), host_password.into());
                crate::Conference::new(self.clone(), meeting)
            }

            /// A handle on a meeting with a control token the caller
            /// already has.
            ///
            /// When a host password is known for this meeting (a handle
            /// made with [`Client::conference`] is registered for it), the
            /// token is renewed by passing it in
            /// `X-Conference-Authorization` together with that password;
            /// otherwise it is used until the service rejects it.
            pub fn conference_with_token(
                &self,
                conference_id: impl Into<String>,
                control_token: impl Into<$crate::Secret>,
            ) -> crate::Conference {
                let session = &self.inner.session;
                let meeting =
                    session.meeting_with_token(conference_id.into(), control_token.into());
                crate::Conference::new(self.clone(), meeting)
            }

            /// Removes the meeting's registered handle, with its host
            /// password and cached control token, from the client: control
            /// calls sent through the client for this meeting id fail
            /// again until a new handle is made. Handles already held keep
            /// working. Returns whether one was registered.
            ///
            /// A long-running service that controls many meetings calls
            /// this when a meeting ends, so the client does not keep every
            /// meeting it ever controlled.
            pub fn forget_conference(&self, conference_id: &str) -> bool {
                self.inner.session.forget_meeting(conference_id)
            }
        }
    };
}

/// Expands, in a transport crate, its `Conference` handle type and the
/// methods that do no I/O. `$waiter` is the transport's waiter.
// `crate::` is meant: the paths name the calling transport crate's types.
#[allow(clippy::crate_in_macro_def)]
#[doc(hidden)]
#[macro_export]
macro_rules! conference_surface {
    (waiter: $waiter:ty) => {
        /// A handle on a meeting, made with
        /// [`Client::conference`](crate::Client::conference) or
        /// [`Client::conference_with_token`](crate::Client::conference_with_token).
        ///
        /// It fills in the meeting's id and sends the meeting control
        /// token, which it obtains with `create_conf_token`, caches, and
        /// renews before it expires (passing the live token in
        /// `X-Conference-Authorization`; if that is refused, with the host
        /// password alone) and after the service rejects it. Concurrent
        /// calls share one renewal. Cheap to clone, `Send` and `Sync`.
        ///
        /// Every meeting control operation has a method
        /// (`conference.set_role(..)`, `conference.hang_up(..)`, ...).
        #[derive(Clone)]
        pub struct Conference {
            client: crate::Client,
            meeting: ::std::sync::Arc<$crate::engine::Meeting<$waiter>>,
        }

        impl ::std::fmt::Debug for Conference {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Conference")
                    .field("id", &self.meeting.id())
                    .field("renewable", &self.meeting.can_renew())
                    .finish_non_exhaustive()
            }
        }

        impl Conference {
            pub(crate) fn new(
                client: crate::Client,
                meeting: ::std::sync::Arc<$crate::engine::Meeting<$waiter>>,
            ) -> Self {
                Conference { client, meeting }
            }

            /// The meeting ID.
            pub fn id(&self) -> &str {
                self.meeting.id()
            }
        }
    };
}
