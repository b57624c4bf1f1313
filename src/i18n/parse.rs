//! A catalogue file read into its entries: the TOML of `data/i18n/`,
//! nested tables flattened to dotted keys. `build.rs` includes this file by
//! its path to read the catalogues when the binary is built, so it uses
//! nothing of the crate but `toml`.

use std::collections::BTreeMap;

/// One entry of a catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// The same text whatever the count.
    Text(String),
    /// English plural forms.
    Plural {
        /// For a count of 1.
        one: String,
        /// For any other count.
        other: String,
    },
}

impl Entry {
    /// The text for `count` (or the only text).
    #[must_use]
    pub fn for_count(&self, count: Option<u64>) -> &str {
        match self {
            Self::Text(text) => text,
            Self::Plural { one, other } => {
                if count == Some(1) {
                    one
                } else {
                    other
                }
            }
        }
    }

    /// Every text of the entry.
    #[must_use]
    pub fn texts(&self) -> Vec<&str> {
        match self {
            Self::Text(text) => vec![text],
            Self::Plural { one, other } => vec![one, other],
        }
    }
}

/// A parsed catalogue: key → entry.
pub type Catalogue = BTreeMap<String, Entry>;

/// Parse a catalogue file.
///
/// # Errors
/// When the file is not TOML or holds a value that is neither a string nor
/// a `{ one, other }` table.
pub fn parse(text: &str) -> Result<Catalogue, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut out = Catalogue::new();
    flatten("", &table, &mut out)?;
    Ok(out)
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut Catalogue) -> Result<(), String> {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::String(text) => {
                out.insert(full, Entry::Text(text.clone()));
            }
            toml::Value::Table(inner) if is_plural(inner) => {
                let get = |k: &str| {
                    inner
                        .get(k)
                        .and_then(toml::Value::as_str)
                        .map(str::to_owned)
                        .ok_or_else(|| format!("{full}.{k}: not a string"))
                };
                out.insert(
                    full.clone(),
                    Entry::Plural {
                        one: get("one")?,
                        other: get("other")?,
                    },
                );
            }
            toml::Value::Table(inner) => flatten(&full, inner, out)?,
            _ => return Err(format!("{full}: neither text nor a table")),
        }
    }
    Ok(())
}

fn is_plural(table: &toml::Table) -> bool {
    table.len() == 2 && table.contains_key("one") && table.contains_key("other")
}
