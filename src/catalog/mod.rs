//! The requirement catalogue and everything embedded at build time: the
//! catalogue (`policies/catalog.toml`), the policy files, the Cedar schema
//! and the data files. One registry, in regulation order.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::embedded;

/// A version of the regulation.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Version {
    /// The amended text (修正規定), the default.
    Amended,
    /// The previous text (現行規定).
    Previous,
}

impl Version {
    /// Both versions.
    pub const ALL: [Version; 2] = [Version::Amended, Version::Previous];

    /// The name used in files and reports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Amended => "amended",
            Self::Previous => "previous",
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Fails the submission.
    Error,
    /// Reported; does not fail the submission.
    Warning,
    /// For information.
    Info,
}

impl Severity {
    /// The name used in files and reports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
        }
    }

    /// Parse a policy's `@severity`.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "error" => Some(Self::Error),
            "warning" => Some(Self::Warning),
            "info" => Some(Self::Info),
            _ => None,
        }
    }
}

/// Where a requirement's evidence lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Evidence {
    /// The management rules document.
    Doc,
    /// The access configuration.
    Config,
    /// The usage log.
    Log,
    /// NIA's own duty: never checked against the agency.
    NiaSide,
}

/// One requirement of the catalogue.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// Stable name.
    pub name: String,
    /// Citation in the amended text, empty if absent.
    pub amended: String,
    /// Citation in the previous text, empty if absent.
    pub previous: String,
    /// Where the evidence lives.
    pub checked_from: Vec<Evidence>,
    /// Default severity.
    pub severity: Severity,
    /// Title in Traditional Chinese.
    pub title_zh: String,
    /// Title in English.
    pub title_en: String,
}

impl Requirement {
    /// The citation in `version`, or `None` if the version lacks it.
    #[must_use]
    pub fn cite(&self, version: Version) -> Option<&str> {
        let cite = match version {
            Version::Amended => &self.amended,
            Version::Previous => &self.previous,
        };
        (!cite.is_empty()).then_some(cite.as_str())
    }

    /// Whether the requirement is NIA's own duty.
    #[must_use]
    pub fn is_nia_side(&self) -> bool {
        self.checked_from.contains(&Evidence::NiaSide)
    }

    /// The title in a language.
    #[must_use]
    pub fn title(&self, lang: crate::lang::Lang) -> &str {
        match lang {
            crate::lang::Lang::ZhTw => &self.title_zh,
            crate::lang::Lang::En => &self.title_en,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    requirement: Vec<Requirement>,
}

/// The catalogue.
#[derive(Debug, Clone)]
pub struct Catalog {
    requirements: Vec<Requirement>,
}

/// An error in the embedded catalogue.
#[derive(Debug, thiserror::Error)]
#[error("invalid catalogue: {0}")]
pub struct CatalogError(pub String);

impl Catalog {
    /// Parse a catalogue.
    ///
    /// # Errors
    /// When the text does not parse or a name appears twice.
    pub fn from_toml(text: &str) -> Result<Self, CatalogError> {
        let file: CatalogFile = toml::from_str(text).map_err(|e| CatalogError(e.to_string()))?;
        Self::from_file(file)
    }

    fn from_file(file: CatalogFile) -> Result<Self, CatalogError> {
        let mut seen = std::collections::BTreeSet::new();
        for r in &file.requirement {
            if !seen.insert(r.name.as_str()) {
                return Err(CatalogError(format!("`{}` appears twice", r.name)));
            }
        }
        Ok(Self {
            requirements: file.requirement,
        })
    }

    /// The embedded catalogue.
    ///
    /// # Errors
    /// When the embedded file is invalid (a build defect, caught by tests).
    pub fn embedded() -> Result<Self, CatalogError> {
        // The JSON `build.rs` wrote from the file: serde_json reads it in
        // a third of the TOML's instructions, on the start-up's main
        // thread. Without it, the TOML (and its error) itself.
        match embedded::CATALOG_JSON.map(serde_json::from_str::<CatalogFile>) {
            Some(Ok(file)) => Self::from_file(file),
            _ => Self::from_toml(embedded::CATALOG_TOML),
        }
    }

    /// Requirements in regulation order.
    #[must_use]
    pub fn requirements(&self) -> &[Requirement] {
        &self.requirements
    }

    /// The requirement with this name.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Requirement> {
        self.requirements.iter().find(|r| r.name == name)
    }
}

pub use crate::embedded::PolicyFiles;

/// The policy files of `requirement` that apply to `version`:
/// `policy.cedar` (both versions) and `<version>.cedar`.
pub fn policy_files<'a>(
    files: PolicyFiles<'a>,
    requirement: &'a str,
    version: Version,
) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
    let own = format!("{}.cedar", version.as_str());
    files
        .iter()
        .filter(move |(dir, name, _)| {
            *dir == requirement && (*name == "policy.cedar" || *name == own)
        })
        .map(|(_, name, text)| (*name, *text))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::panic, reason = "tests fail loudly")]

    use super::*;

    /// The JSON `build.rs` wrote is the catalogue file: read from it, the
    /// catalogue is the one read from the TOML.
    #[test]
    fn the_embedded_json_is_the_catalogue_file() {
        assert!(embedded::CATALOG_JSON.is_some());
        let from_json = Catalog::embedded().unwrap_or_else(|e| panic!("{e}"));
        let from_toml =
            Catalog::from_toml(embedded::CATALOG_TOML).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(format!("{from_json:?}"), format!("{from_toml:?}"));
        assert!(from_json.requirements().len() >= 30);
    }
}
