//! Errors and diagnostics.
//!
//! An [`Error`] stops the run (exit 2): a file that cannot be read, a scenario
//! key that is wrong, a CRS that cannot be. Each variant carries where: the
//! path, the layer, the feature index and id, the scenario key.
//! A [`Diagnostic`] is a data problem in one feature of an otherwise good
//! file; the run goes on (unless `--strict`) and the report lists it.

use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where a feature sits in its file: index in the FeatureCollection and id when known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeatureRef {
    /// 0-based index of the feature in its collection.
    pub index: usize,
    /// The feature's id, when it has one.
    pub id: Option<String>,
}

impl fmt::Display for FeatureRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.id {
            Some(id) => write!(f, "feature {} (id {})", self.index, id),
            None => write!(f, "feature {}", self.index),
        }
    }
}

/// Everything that stops a run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{}: {action}: {os}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What was being done ("cannot read", "cannot create").
        action: &'static str,
        /// The OS error (in the message; not a `source`, so a printed error
        /// chain does not say it twice).
        os: std::io::Error,
    },
    /// A whole file is unusable (not JSON, not a FeatureCollection, wrong CRS ...).
    #[error("{}: {message}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// The problem.
        message: String,
    },
    /// One feature makes the file unusable (only with `--strict`, or where no
    /// recovery makes sense such as coordinates in the wrong CRS).
    #[error("{}: {feature}: {message}", path.display())]
    Feature {
        /// The file.
        path: PathBuf,
        /// Which feature.
        feature: FeatureRef,
        /// The problem.
        message: String,
    },
    /// The scenario file has a wrong, missing or unknown key.
    #[error("{}: {key}: {message}", path.display())]
    Scenario {
        /// The scenario file.
        path: PathBuf,
        /// The key (dotted path, e.g. `groups.gezinnen.walk_speed_kmh`).
        key: String,
        /// The problem.
        message: String,
    },
    /// A CRS that cannot be parsed or used.
    #[error("CRS {crs}: {message}")]
    Crs {
        /// The CRS as given.
        crs: String,
        /// The problem.
        message: String,
    },
    /// Wrong use of a command (bad flag value, unknown id).
    #[error("{0}")]
    Usage(String),
    /// An output could not be rendered (the map SVG did not parse, the PNG
    /// could not be encoded).
    #[error("cannot render {what}: {message}")]
    Render {
        /// What was being rendered (`map.png`).
        what: &'static str,
        /// The problem.
        message: String,
    },
}

impl Error {
    /// Shorthand for [`Error::File`].
    pub fn file(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::File {
            path: path.into(),
            message: message.into(),
        }
    }
    /// Shorthand for [`Error::Io`].
    pub fn io(path: impl Into<PathBuf>, action: &'static str, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            action,
            os: source,
        }
    }
}

/// How bad a data problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; results are still sound.
    Warning,
    /// The feature was skipped or a result is missing; `check` exits 1.
    Error,
}

/// A data problem in one feature (or one layer) of a readable file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// The layer (`buildings`, `streets` ...).
    pub layer: String,
    /// The file the feature came from, when it came from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Which feature, when the problem belongs to one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature: Option<FeatureRef>,
    /// A short machine-readable code (`invalid_geometry`, `duplicate_id` ...).
    pub code: &'static str,
    /// The problem in words.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", crate::labels::severity(self.severity))?;
        match &self.file {
            Some(file) => write!(f, "{file}: ")?,
            None => write!(f, "{}: ", crate::labels::layer(&self.layer))?,
        }
        if let Some(feature) = &self.feature {
            write!(f, "{feature}: ")?;
        }
        write!(f, "{}", self.message)
    }
}
