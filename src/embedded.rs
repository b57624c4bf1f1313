//! Everything embedded in the binary at build time: the catalogue, the
//! policy files (with their READMEs), the Cedar schema and the data files, so
//! that an installed `niacheck` carries exactly what its tests validated.

use crate::cedar::reads::StaticReads;

/// A policy file compiled by `build.rs`: its folder, its name, the byte
/// code of its policies' trees without annotations (`policy0`, `policy1`,
/// … in order; `crate::cedar::tree`), and each policy's annotations and
/// what it reads of a request, in the same order.
pub type Compiled = (
    &'static str,
    &'static str,
    &'static [u8],
    &'static [&'static [(&'static str, &'static str)]],
    &'static [StaticReads],
);

mod generated {
    use super::Compiled;
    use crate::cedar::reads::{StaticReads, Var};
    include!(concat!(env!("OUT_DIR"), "/policies.rs"));
}

pub use generated::{
    CATALOG_JSON, I18N_EN, I18N_ZH_TW, LAWS_JSON, LAWS_TABLE, LAWS_TERMS, POLICY_COMPILED,
    POLICY_FILES, VOCABULARY_JSON, VOCABULARY_TABLE, VOCABULARY_TERMS,
};

/// The catalogue file.
pub const CATALOG_TOML: &str = include_str!("../policies/catalog.toml");
/// The Cedar schema.
pub const CEDAR_SCHEMA: &str = include_str!("../schemas/niacheck.cedarschema");
/// The wording vocabulary.
pub const VOCABULARY_TOML: &str = include_str!("../data/vocabulary.toml");
/// The laws and their history.
pub const LAWS_TOML: &str = include_str!("../data/laws.toml");
/// NIA's functions.
pub const FUNCTIONS_TOML: &str = include_str!("../data/functions.toml");
/// Agencies that may forward an application.
pub const AGENCIES_TOML: &str = include_str!("../data/agencies.toml");
/// The regulation's time limits.
pub const DEADLINES_TOML: &str = include_str!("../data/deadlines.toml");
/// Days off besides weekends.
pub const HOLIDAYS_TOML: &str = include_str!("../data/holidays.toml");
/// What the usage log's records are read for.
pub const USAGE_LOG_TOML: &str = include_str!("../data/usage-log.toml");
/// Message templates.
pub const MESSAGES_TOML: &str = include_str!("../data/messages.toml");

/// Policy files as (requirement folder, file name, contents).
pub type PolicyFiles<'a> = &'a [(&'a str, &'a str, &'a str)];

/// The `README.md` of a requirement, if it has one.
#[must_use]
pub fn readme(requirement: &str) -> Option<&'static str> {
    POLICY_FILES
        .iter()
        .find(|(dir, name, _)| *dir == requirement && *name == "README.md")
        .map(|(_, _, text)| *text)
}

/// `niacheck init`: the defaults it fills in.
pub const INIT_TOML: &str = include_str!("../data/init/init.toml");
/// `niacheck init`: the rules document template.
pub const INIT_RULES_MD: &str = include_str!("../data/init/rules.md");
/// `niacheck init`: the access configuration template.
pub const INIT_ACCESS_YAML: &str = include_str!("../data/init/access.yaml");
/// `niacheck init`: the waivers file, all commented out.
pub const INIT_WAIVERS_YAML: &str = include_str!("../data/init/waivers.yaml");
