//! Spec errors: `spec/<file>.json: <json pointer>: <what is wrong>`.

use std::fmt;

/// One thing wrong with a spec file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SpecError {
    /// The file, as named in messages (`spec/set_role.json`).
    pub file: String,
    /// A JSON pointer into the file (`/parameters/2/enum`); `""` for the
    /// whole file.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

impl SpecError {
    /// An error at `pointer` in `file`.
    pub fn new(file: &str, pointer: &str, message: impl Into<String>) -> Self {
        SpecError {
            file: file.to_owned(),
            pointer: pointer.to_owned(),
            message: message.into(),
        }
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "{}: {}: {}", self.file, pointer, self.message)
    }
}

/// Every error found, in the order found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics {
    /// The errors.
    pub errors: Vec<SpecError>,
}

impl Diagnostics {
    /// Adds one error.
    pub fn push(&mut self, error: SpecError) {
        self.errors.push(error);
    }

    /// Adds several errors.
    pub fn extend(&mut self, errors: impl IntoIterator<Item = SpecError>) {
        self.errors.extend(errors);
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok(value)` when nothing was found.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}
