//! `cargo xtask codegen`: generates the Rust code of hwmeeting from the
//! endpoint specs in `spec/`.
//!
//! - [`spec`]: the spec files' typed form, loading and schema validation;
//! - [`rules`]: the checks a JSON Schema cannot express;
//! - [`catalog`]: enums and nested models, deduplicated across files;
//! - [`naming`]: Rust names of wire names;
//! - [`emit`]: Rust emission (models, operations, `META`, clients);
//! - [`readme`]: the README's table of operations;
//! - [`openapi`]: `openapi.json`, an OpenAPI 3.0.3 document of the spec;
//! - [`codegen`]: the whole run, writing files or checking them;
//! - [`facts`]: `cargo xtask facts`, spec/ held against the official SDKs'
//!   facts.

pub mod catalog;
pub mod cli;
pub mod codegen;
pub mod emit;
pub mod error;
pub mod facts;
pub mod layout;
pub mod naming;
pub mod openapi;
pub mod readme;
pub mod rules;
pub mod spec;
