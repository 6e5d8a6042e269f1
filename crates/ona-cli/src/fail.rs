//! The one error type of the CLI: a message for the user and the exit code it maps to.

use std::fmt::Display;
use std::process::ExitCode;

/// A failure to report on stderr with its exit code.
#[derive(Debug)]
pub struct Fail {
    code: u8,
    message: String,
}

impl Fail {
    /// The input is invalid or did not verify (exit 1).
    #[allow(dead_code, reason = "used by the commands that verify input")]
    pub fn invalid(message: impl Display) -> Self {
        Self { code: 1, message: message.to_string() }
    }

    /// Bad usage, unreadable input or an I/O failure (exit 2).
    pub fn usage(message: impl Display) -> Self {
        Self { code: 2, message: message.to_string() }
    }

    /// A failure of the core's error class `class`, with that class's exit code (the core
    /// decides: 2 for I/O and bad arguments, 1 for input that is invalid or does not verify).
    pub fn of_class(class: ona_core::error_class::ErrorClass, message: impl Display) -> Self {
        Self { code: class.exit_code(), message: message.to_string() }
    }

    /// A failure with the exit code the core gave it (e.g. `ReportError::exit_code`).
    pub fn with_code(code: u8, message: impl Display) -> Self {
        Self { code, message: message.to_string() }
    }

    /// An I/O failure on `path` while doing `what`.
    pub fn io(what: &str, path: &std::path::Path, err: std::io::Error) -> Self {
        Self::usage(format!("cannot {what} {}: {err}", path.display()))
    }

    /// Prints the message and returns the exit code.
    pub fn report(self) -> ExitCode {
        eprintln!("ona: error: {}", self.message);
        ExitCode::from(self.code)
    }
}

/// Result of a CLI command.
pub type CmdResult = Result<ExitCode, Fail>;
