//! End-to-end tests of the blocking client against the simulator
//! (`hwmeeting-sim`), over TLS with its CA trusted unless a test needs
//! plain HTTP.

mod common;
mod limits;
mod logout;
mod operations;
mod retries;
mod tokens;
