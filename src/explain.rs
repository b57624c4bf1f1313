//! `niacheck explain`: the catalogue, or one requirement's documentation
//! and policies, from the same files the checks use.

use std::fmt::Write as _;

use crate::catalog::{self, Version};
use crate::checker::Checker;
use crate::embedded;
use crate::extract::config::edit_distance;
use crate::lang::Lang;

fn status(checker: &Checker, name: &str, version: Version, nia_side: bool) -> &'static str {
    if nia_side {
        "nia-side"
    } else if checker.engine().enforces(version, name) {
        "enforced"
    } else {
        "not yet enforced"
    }
}

/// The catalogue as a table: name, citations, evidence, severity, status, title.
#[must_use]
pub fn catalogue(checker: &Checker, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<26} {:<13} {:<9} {:<12} {:<8} {:<17} title",
        "name", "amended", "previous", "from", "severity", "status"
    );
    for r in checker.catalog().requirements() {
        let from: Vec<&str> = r
            .checked_from
            .iter()
            .map(|e| match e {
                catalog::Evidence::Doc => "doc",
                catalog::Evidence::Config => "config",
                catalog::Evidence::Log => "log",
                catalog::Evidence::NiaSide => "nia-side",
            })
            .collect();
        let _ = writeln!(
            out,
            "{:<26} {:<13} {:<9} {:<12} {:<8} {:<17} {}",
            r.name,
            r.cite(Version::Amended).unwrap_or("—"),
            r.cite(Version::Previous).unwrap_or("—"),
            from.join(","),
            r.severity.as_str(),
            status(checker, &r.name, Version::Amended, r.is_nia_side()),
            r.title(lang),
        );
    }
    out.push_str("\n`niacheck explain NAME` shows one requirement.\n");
    out
}

/// One requirement: its README and its policy files.
///
/// # Errors
/// When no requirement has that name (with the closest name as a hint).
pub fn requirement(checker: &Checker, name: &str) -> Result<String, String> {
    let Some(r) = checker.catalog().get(name) else {
        let closest = checker
            .catalog()
            .requirements()
            .iter()
            .min_by_key(|r| edit_distance(name, &r.name))
            .map(|r| r.name.as_str())
            .unwrap_or_default();
        return Err(format!(
            "no requirement named `{name}`; did you mean `{closest}`?"
        ));
    };
    let mut out = embedded::readme(&r.name).unwrap_or_default().to_owned();
    for (folder, file, text) in embedded::POLICY_FILES {
        if *folder == r.name && file.ends_with(".cedar") {
            let _ = write!(
                out,
                "\n## policies/{folder}/{file}\n\n```cedar\n{text}```\n"
            );
        }
    }
    Ok(out)
}
