//! Reference data about NIA's side of the service: the functions it offers
//! (`data/functions.toml`) and the agencies that may forward an application
//! (`data/agencies.toml`).

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

/// One function offered through the platform.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Function {
    /// Stable id used in `access.yaml`.
    pub id: String,
    /// Name in Traditional Chinese.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FunctionsFile {
    function: Vec<Function>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgenciesFile {
    central: Vec<String>,
    local: Vec<String>,
    #[serde(default)]
    aliases: BTreeMap<String, String>,
}

/// Functions and forwarding agencies.
#[derive(Debug, Clone)]
pub struct Reference {
    functions: Vec<Function>,
    central: BTreeSet<String>,
    local: BTreeSet<String>,
    aliases: BTreeMap<String, String>,
}

/// An error in the reference data.
#[derive(Debug, thiserror::Error)]
#[error("invalid reference data: {0}")]
pub struct ReferenceError(String);

impl Reference {
    /// Parse `data/functions.toml` and `data/agencies.toml`.
    ///
    /// # Errors
    /// When either does not parse.
    pub fn from_toml(functions: &str, agencies: &str) -> Result<Self, ReferenceError> {
        let functions: FunctionsFile =
            toml::from_str(functions).map_err(|e| ReferenceError(e.to_string()))?;
        let agencies: AgenciesFile =
            toml::from_str(agencies).map_err(|e| ReferenceError(e.to_string()))?;
        Ok(Self {
            functions: functions.function,
            central: agencies.central.into_iter().collect(),
            local: agencies.local.into_iter().collect(),
            aliases: agencies.aliases,
        })
    }

    /// The functions, in file order.
    #[must_use]
    pub fn functions(&self) -> &[Function] {
        &self.functions
    }

    /// The function with this id.
    #[must_use]
    pub fn function(&self, id: &str) -> Option<&Function> {
        self.functions.iter().find(|f| f.id == id)
    }

    /// The forwarding channel an agency belongs to: `central`, `local`, or
    /// `unknown` for an agency not in the data file.
    #[must_use]
    pub fn channel(&self, agency: &str) -> &'static str {
        let name = agency.trim();
        let name = self.aliases.get(name).map_or(name, String::as_str);
        if self.central.contains(name) {
            "central"
        } else if self.local.contains(name) {
            "local"
        } else {
            "unknown"
        }
    }
}
