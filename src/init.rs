//! `niacheck init DIR`: a starter submission that passes `check` as written
//! (rules.md, access.yaml, waivers.yaml), filled from the templates and the
//! defaults under `data/init/`, never overwriting a file.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::date::Date;
use crate::embedded;
use crate::extract::config::edit_distance;
use crate::lang::Localized;
use crate::{i18n, tr};

/// About five years: how long after `init` the example certificate expires
/// (a citizen certificate is issued for several years; the officer replaces
/// the date with the card's own).
const CERTIFICATE_DAYS: i64 = 5 * 365;

/// Where editors find the access schema, relative to a folder tree's root.
const SCHEMA: &str = "schemas/access.schema.json";

/// What `niacheck init` writes, in the order it writes them.
pub const FILES: [&str; 3] = ["rules.md", "access.yaml", "waivers.yaml"];

/// The options of `niacheck init`.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The agency's name (`--agency`); a placeholder when `None`.
    pub agency: Option<String>,
    /// The agency's tier (`--tier`, as `agency.tier` spells it); the default when `None`.
    pub tier: Option<String>,
    /// The day of `init`: approval and start dates, and the certificate's expiry, count from it.
    pub today: Date,
}

/// Why `init` wrote nothing (or stopped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitError {
    /// What went wrong, in both languages.
    pub message: Localized,
}

impl InitError {
    fn new(message: Localized) -> Self {
        Self { message }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Defaults {
    default_agency: String,
    default_tier: String,
    schema_found: String,
    schema_missing: String,
    tier: Vec<TierDefaults>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TierDefaults {
    tier: String,
    forwarded_by: String,
}

fn defaults() -> Result<Defaults, InitError> {
    toml::from_str(embedded::INIT_TOML)
        .map_err(|e| InitError::new(tr!("init.bad-defaults", detail = e.to_string())))
}

/// The tiers `--tier` accepts, as `agency.tier` spells them.
#[must_use]
pub fn tiers() -> Vec<String> {
    defaults()
        .map(|d| d.tier.into_iter().map(|t| t.tier).collect())
        .unwrap_or_default()
}

/// The three files of a starter submission as (file name, contents), with
/// `schema` the path from the submission to `schemas/access.schema.json`
/// when there is one.
///
/// # Errors
/// When the agency name is empty or holds control characters, or the tier is
/// not one of [`tiers`].
pub fn render(
    options: &InitOptions,
    schema: Option<&str>,
) -> Result<Vec<(&'static str, String)>, InitError> {
    let defaults = defaults()?;
    let agency = options
        .agency
        .as_deref()
        .unwrap_or(&defaults.default_agency)
        .trim();
    if agency.is_empty() || agency.chars().any(char::is_control) {
        return Err(InitError::new(tr!("init.bad-agency")));
    }
    let tier = options.tier.as_deref().unwrap_or(&defaults.default_tier);
    let Some(tier_defaults) = defaults.tier.iter().find(|t| t.tier == tier) else {
        let names: Vec<&str> = defaults.tier.iter().map(|t| t.tier.as_str()).collect();
        let closest = names
            .iter()
            .min_by_key(|n| edit_distance(tier, n))
            .copied()
            .unwrap_or_default();
        return Err(InitError::new(tr!(
            "init.bad-tier",
            tier = tier,
            closest = closest,
            names = i18n::list(&names)
        )));
    };
    let schema_line = match schema {
        Some(path) => fill(&defaults.schema_found, &[("path", path)]),
        None => defaults.schema_missing.clone(),
    };
    let today = options.today.to_string();
    let expires_on = Date::from_day_number(options.today.day_number() + CERTIFICATE_DAYS)
        .unwrap_or(options.today)
        .to_string();
    let agency_yaml = yaml_scalar(agency);
    let access = fill(
        embedded::INIT_ACCESS_YAML,
        &[
            ("schema_line", &schema_line),
            ("agency", &agency_yaml),
            ("tier", tier),
            ("forwarded_by", &tier_defaults.forwarded_by),
            ("today", &today),
            ("expires_on", &expires_on),
        ],
    );
    let rules = fill(embedded::INIT_RULES_MD, &[("agency", agency)]);
    Ok(vec![
        ("rules.md", rules),
        ("access.yaml", access),
        ("waivers.yaml", embedded::INIT_WAIVERS_YAML.to_owned()),
    ])
}

/// Write a starter submission into `dir` (created if needed). Nothing is
/// written when any of the files already exists.
///
/// # Errors
/// When a file exists already, `dir` is not a folder, a file cannot be
/// written, or [`render`] refuses the options.
pub fn init(dir: &Path, options: &InitOptions) -> Result<Vec<PathBuf>, InitError> {
    if dir.exists() && !dir.is_dir() {
        return Err(InitError::new(tr!(
            "init.not-a-folder",
            path = dir.display()
        )));
    }
    for name in FILES {
        let path = dir.join(name);
        // A dangling symbolic link counts as a file: writing through it
        // would create a file elsewhere.
        if path.symlink_metadata().is_ok() {
            return Err(exists(&path));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| cannot_write(dir, &e))?;
    let files = render(options, schema_path(dir).as_deref())?;
    let mut written = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| {
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    exists(&path)
                } else {
                    cannot_write(&path, &e)
                }
            })?;
        file.write_all(text.as_bytes())
            .map_err(|e| cannot_write(&path, &e))?;
        written.push(path);
    }
    Ok(written)
}

/// What `init` tells the officer: the files written and what to do next.
#[must_use]
pub fn done(dir: &Path, files: &[PathBuf]) -> Localized {
    let list: String = files
        .iter()
        .map(|f| format!("  {}\n", f.display()))
        .collect();
    let dir = dir.display();
    tr!("init.created", list = list, dir = dir)
}

fn exists(path: &Path) -> InitError {
    InitError::new(tr!("init.exists", path = path.display()))
}

fn cannot_write(path: &Path, err: &std::io::Error) -> InitError {
    InitError::new(tr!(
        "init.cannot-write",
        path = path.display(),
        reason = crate::submission::os_reason(err)
    ))
}

/// The path from `dir` to the nearest `schemas/access.schema.json` in `dir`
/// or a folder above it, with `/` separators (`../../schemas/…`).
fn schema_path(dir: &Path) -> Option<String> {
    let dir = std::fs::canonicalize(dir).ok()?;
    dir.ancestors()
        .position(|a| a.join(SCHEMA).is_file())
        .map(|depth| format!("{}{SCHEMA}", "../".repeat(depth)))
}

/// `{key}` in `template` replaced by its value, in one pass (a value is
/// never scanned again); any other `{…}` is kept as written.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let (before, from_brace) = rest.split_at(open);
        out.push_str(before);
        let value = from_brace.get(1..).and_then(|after| {
            let close = after.find('}')?;
            let key = after.get(..close)?;
            let (_, value) = values.iter().find(|(k, _)| *k == key)?;
            Some((*value, close + 2))
        });
        match value {
            Some((value, used)) => {
                out.push_str(value);
                rest = from_brace.get(used..).unwrap_or_default();
            }
            None => {
                out.push('{');
                rest = from_brace.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

/// A YAML scalar holding `text`: as written when it is only non-ASCII
/// letters and digits (as agency names are), else double-quoted (JSON
/// escaping is valid YAML), so that `null`, `123` or `a: b` stay text.
fn yaml_scalar(text: &str) -> String {
    let plain = text
        .chars()
        .all(|c| (c.is_alphanumeric() && !c.is_ascii()) || "（）〇・".contains(c));
    if plain {
        text.to_owned()
    } else {
        serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::indexing_slicing,
        reason = "tests fail loudly"
    )]
    use super::*;

    #[test]
    fn names_that_need_quotes_get_them() {
        assert_eq!(yaml_scalar("臺北市政府警察局"), "臺北市政府警察局");
        assert_eq!(yaml_scalar("a: b"), "\"a: b\"");
        assert_eq!(yaml_scalar("#1"), "\"#1\"");
        assert_eq!(yaml_scalar("null"), "\"null\"");
    }

    #[test]
    fn fill_replaces_every_occurrence() {
        assert_eq!(fill("{a}-{a}-{b}", &[("a", "1"), ("b", "2")]), "1-1-2");
        assert_eq!(fill("{a}{b}", &[("a", "{b}"), ("b", "2")]), "{b}2");
        assert_eq!(fill("{x} {a", &[("a", "1")]), "{x} {a");
    }
}
