//! How a run fails: the one message that explains it and the exit status
//! a command line gives it.
//!
//! Exit statuses are a contract (ARCHITECTURE.md, `crates/cli`): 2 for bad usage or bad
//! input (an invalid model, including a model error found at run time, or an
//! unusable `--out`), 130 when interrupted, 1 for anything else.

use std::fmt;

/// A failed command: what to print on stderr and the exit status.
#[derive(Debug)]
pub struct Failure {
    /// The process exit status.
    pub status: u8,
    /// The message, printed once.
    pub message: String,
    /// Whether the message still needs the `error: ` prefix (rendered model
    /// diagnostics carry their own).
    pub prefixed: bool,
}

impl Failure {
    /// Bad usage or bad input: exit status 2.
    pub fn input(message: impl Into<String>) -> Failure {
        Failure {
            status: 2,
            message: message.into(),
            prefixed: true,
        }
    }

    /// Model diagnostics, already rendered as `path:line:col: error: ...`: exit status 2.
    pub fn diagnostics(rendered: impl fmt::Display) -> Failure {
        Failure {
            status: 2,
            message: rendered.to_string(),
            prefixed: false,
        }
    }

    /// Anything else that went wrong: exit status 1.
    pub fn other(message: impl Into<String>) -> Failure {
        Failure {
            status: 1,
            message: message.into(),
            prefixed: true,
        }
    }

    /// The user pressed Ctrl-C: exit status 130.
    pub fn interrupted() -> Failure {
        Failure {
            status: 130,
            message: "interrupted".into(),
            prefixed: true,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.prefixed {
            f.write_str("error: ")?;
        }
        f.write_str(&self.message)
    }
}

/// A report that cannot be written: a bad `--out` is the user's input,
/// other write failures are not.
pub fn report_failure(error: uchronia_report::ReportError) -> Failure {
    if error.is_bad_input() {
        Failure::input(error.to_string())
    } else {
        Failure::other(error.to_string())
    }
}
