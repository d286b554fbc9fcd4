//! Exit codes and the errors that lead to them.
//!
//! - `0`: success;
//! - `1`: a call failed (the service answered with an error, the network
//!   failed, a time limit ran out);
//! - `2`: a usage error: a bad flag or value, a missing parameter, a
//!   configuration that cannot work. Nothing was sent. (clap's own errors
//!   also exit with 2.)

use std::fmt;
use std::process::ExitCode;

/// Exit code of a failed call.
pub const CALL_FAILED: u8 = 1;
/// Exit code of a usage error.
pub const USAGE: u8 = 2;

/// Why the command did not succeed.
#[derive(Debug)]
pub enum Failure {
    /// The command line or configuration is wrong; nothing was sent.
    Usage {
        /// What is wrong.
        message: String,
        /// The subcommand whose `--help` may help, if any.
        help_for: Option<String>,
    },
    /// A call failed.
    Call(String),
}

impl Failure {
    /// A usage error.
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure::Usage {
            message: message.into(),
            help_for: None,
        }
    }

    /// A failed call.
    pub fn call(message: impl Into<String>) -> Failure {
        Failure::Call(message.into())
    }

    /// Points the user to this subcommand's `--help`.
    pub fn with_help_for(self, subcommand: &str) -> Failure {
        match self {
            Failure::Usage { message, .. } => Failure::Usage {
                message,
                help_for: Some(subcommand.to_owned()),
            },
            other => other,
        }
    }

    /// The process exit code.
    pub fn code(&self) -> u8 {
        match self {
            Failure::Usage { .. } => USAGE,
            Failure::Call(_) => CALL_FAILED,
        }
    }

    /// Prints the error to stderr and returns the exit code.
    pub fn report(&self) -> ExitCode {
        eprintln!("error: {self}");
        if let Failure::Usage {
            help_for: Some(sub),
            ..
        } = self
        {
            eprintln!("\nFor more information, try 'hwmeeting {sub} --help'.");
        }
        ExitCode::from(self.code())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage { message, .. } => f.write_str(message),
            Failure::Call(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Failure {}
