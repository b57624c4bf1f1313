//! `niacheck explain`: the catalogue, or one requirement's documentation
//! and policies, from the same files the checks use, as a table for people
//! or as JSON for tools (`schemas/explain.schema.json`).

use std::fmt::Write as _;

use serde::Serialize;
use unicode_width::UnicodeWidthStr as _;

use crate::catalog::{Evidence, Requirement, Severity, Version};
use crate::checker::Checker;
use crate::embedded;
use crate::extract::config::edit_distance;
use crate::lang::{Lang, Localized};
use crate::tr;

/// The output formats of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A table (the catalogue) or the requirement's README and policies.
    Human,
    /// JSON described by `schemas/explain.schema.json`.
    Json,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 2] = [Format::Human, Format::Json];

    /// The `--format` name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Human => "human",
            Self::Json => "json",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .copied()
            .find(|f| f.name() == s)
            .ok_or_else(|| format!("`{s}` is not a format of explain; use `human` or `json`"))
    }
}

/// How far a requirement is enforced.
enum Enforcement {
    /// NIA's own duty: never checked against the agency.
    NiaSide,
    /// Enforced in every version that has it.
    Enforced,
    /// Enforced in some of the versions that have it.
    Only(Version),
    /// Not enforced in any version yet.
    NotYet,
}

impl Enforcement {
    fn of(checker: &Checker, r: &Requirement) -> Self {
        if r.is_nia_side() {
            return Self::NiaSide;
        }
        let versions: Vec<Version> = Version::ALL
            .into_iter()
            .filter(|v| r.cite(*v).is_some())
            .collect();
        let enforced: Vec<Version> = versions
            .iter()
            .copied()
            .filter(|v| checker.engine().enforces(*v, &r.name))
            .collect();
        match enforced.as_slice() {
            [] => Self::NotYet,
            [one] if versions.len() > 1 => Self::Only(*one),
            _ => Self::Enforced,
        }
    }

    fn text(&self) -> Localized {
        match self {
            Self::NiaSide => tr!("explain.status.nia-side"),
            Self::Enforced => tr!("explain.status.enforced"),
            Self::Only(Version::Amended) => tr!("explain.status.amended-only"),
            Self::Only(Version::Previous) => tr!("explain.status.previous-only"),
            Self::NotYet => tr!("explain.status.not-yet"),
        }
    }
}

fn evidence_name(e: Evidence) -> &'static str {
    match e {
        Evidence::Doc => "doc",
        Evidence::Config => "config",
        Evidence::Log => "log",
        Evidence::NiaSide => "nia-side",
    }
}

/// `text` followed by spaces up to `width` terminal columns (a Chinese
/// character takes two), and one space between columns.
fn pad(out: &mut String, text: &str, width: usize) {
    out.push_str(text);
    let used = text.width();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used) + 1));
}

/// The catalogue as a table: name, citations in both versions, severity,
/// where the evidence lives, how far it is enforced, and its one-line title.
#[must_use]
pub fn catalogue(checker: &Checker, lang: Lang) -> String {
    let header: [Localized; 7] = [
        tr!("explain.header.name"),
        tr!("explain.header.amended"),
        tr!("explain.header.previous"),
        tr!("explain.header.severity"),
        tr!("explain.header.from"),
        tr!("explain.header.status"),
        tr!("explain.header.summary"),
    ];
    let rows: Vec<[String; 7]> = checker
        .catalog()
        .requirements()
        .iter()
        .map(|r| {
            let from: Vec<&str> = r.checked_from.iter().copied().map(evidence_name).collect();
            [
                r.name.clone(),
                r.cite(Version::Amended).unwrap_or("—").to_owned(),
                r.cite(Version::Previous).unwrap_or("—").to_owned(),
                r.severity.as_str().to_owned(),
                from.join(","),
                Enforcement::of(checker, r).text().get(lang).to_owned(),
                r.title(lang).to_owned(),
            ]
        })
        .collect();
    let header: Vec<String> = header.iter().map(|h| h.get(lang).to_owned()).collect();
    let mut widths = [0usize; 7];
    for row in rows.iter().map(|r| r.as_slice()).chain([header.as_slice()]) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let mut out = String::new();
    for row in [header.as_slice()]
        .into_iter()
        .chain(rows.iter().map(|r| r.as_slice()))
    {
        let mut line = String::new();
        let last = row.len().saturating_sub(1);
        for (i, (cell, width)) in row.iter().zip(widths).enumerate() {
            if i == last {
                line.push_str(cell);
            } else {
                pad(&mut line, cell, width);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push('\n');
    out.push_str(tr!("explain.footer").get(lang));
    out
}

/// The requirement of that name, or an error naming the closest one.
fn find<'c>(checker: &'c Checker, name: &str) -> Result<&'c Requirement, Localized> {
    checker.catalog().get(name).ok_or_else(|| {
        let closest = checker
            .catalog()
            .requirements()
            .iter()
            .min_by_key(|r| edit_distance(name, &r.name))
            .map(|r| r.name.as_str())
            .unwrap_or_default();
        tr!(
            "explain.unknown-requirement",
            name = name,
            closest = closest
        )
    })
}

/// Both languages of a message, as the bilingual READMEs write them.
fn both(text: &Localized) -> String {
    format!("{} / {}", text.zh, text.en)
}

/// What a concept matches: its terms from `data/vocabulary.toml`, or for
/// the concepts the reader makes itself, what gives them.
fn concept_terms(checker: &Checker, name: &str) -> String {
    let terms = checker.vocabulary().concept_terms(name, usize::MAX);
    if !terms.is_empty() {
        return terms.join("、");
    }
    match name {
        "law" => both(&tr!("explain.vocabulary.any-law")),
        "form_name" => both(&tr!("explain.vocabulary.form-name")),
        "system_name" => both(&tr!("explain.vocabulary.system-name")),
        _ => {
            let law = name
                .strip_prefix("law:")
                .and_then(|id| checker.laws().by_id(id))
                .map_or(name, |l| l.name.as_str());
            both(&tr!("explain.vocabulary.one-law", law = law))
        }
    }
}

/// The document parts of a requirement as `data/vocabulary.toml` defines
/// them: each part's topic, its content patterns and every term of their
/// concepts, and the shared negation and placeholder cues. Empty when the
/// requirement has no document part.
fn vocabulary_section(checker: &Checker, requirement: &str) -> String {
    let vocabulary = checker.vocabulary();
    let parts: Vec<_> = vocabulary
        .parts()
        .iter()
        .filter(|p| p.def.requirement == requirement)
        .collect();
    if parts.is_empty() {
        return String::new();
    }
    let mut out = format!("\n## {}\n\n", both(&tr!("explain.vocabulary.heading")));
    let mut concepts: Vec<&str> = Vec::new();
    for part in &parts {
        let def = &part.def;
        let _ = writeln!(
            out,
            "- `{}`（{} / {}）",
            def.key, def.describe_zh, def.describe_en
        );
        let topic: Vec<String> = def.topic.iter().map(|t| format!("`{t}`")).collect();
        let _ = writeln!(
            out,
            "  - {}: {}",
            both(&tr!("explain.vocabulary.topic")),
            topic.join("、")
        );
        for c in &def.content {
            let all: Vec<String> = c.all.iter().map(|t| format!("`{t}`")).collect();
            let mut line = all.join(" + ");
            if c.ordered {
                let _ = write!(line, "；{}", both(&tr!("explain.vocabulary.ordered")));
            }
            if let Some(n) = c.within {
                let _ = write!(line, "；{}", both(&tr!("explain.vocabulary.within", n = n)));
            }
            match c.scope {
                crate::extract::document::vocabulary::Scope::Sentence => {}
                crate::extract::document::vocabulary::Scope::Clause => {
                    let _ = write!(line, "；{}", both(&tr!("explain.vocabulary.clause")));
                }
                crate::extract::document::vocabulary::Scope::Phrase => {
                    let _ = write!(line, "；{}", both(&tr!("explain.vocabulary.phrase")));
                }
            }
            if !c.not.is_empty() {
                let not: Vec<String> = c.not.iter().map(|t| format!("`{t}`")).collect();
                let _ = write!(
                    line,
                    "；{}",
                    both(&tr!("explain.vocabulary.not", concepts = not.join("、")))
                );
            }
            let _ = writeln!(
                out,
                "  - {}: {line}",
                both(&tr!("explain.vocabulary.stated-by"))
            );
        }
        for name in def
            .topic
            .iter()
            .chain(def.content.iter().flat_map(|c| c.all.iter().chain(&c.not)))
        {
            if !concepts.contains(&name.as_str()) {
                concepts.push(name);
            }
        }
    }
    let _ = writeln!(out, "\n{}\n", both(&tr!("explain.vocabulary.concepts")));
    for name in concepts {
        let _ = writeln!(out, "- `{name}`: {}", concept_terms(checker, name));
    }
    let _ = writeln!(out, "\n{}\n", both(&tr!("explain.vocabulary.cues")));
    for cue in [
        "negation",
        "not_negation",
        "regulating",
        "placeholder",
        "omitted",
    ] {
        let _ = writeln!(out, "- `{cue}`: {}", vocabulary.cue_terms(cue).join("、"));
    }
    out
}

/// One requirement: its README, the document parts it checks (from
/// `data/vocabulary.toml`) and its policy files.
///
/// # Errors
/// When no requirement has that name (with the closest name as a hint).
pub fn requirement(checker: &Checker, name: &str) -> Result<String, Localized> {
    let r = find(checker, name)?;
    let mut out = embedded::readme(&r.name).unwrap_or_default().to_owned();
    out.push_str(&vocabulary_section(checker, &r.name));
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

/// A value per regulation version.
#[derive(Debug, Serialize)]
struct PerVersion<T> {
    amended: T,
    previous: T,
}

#[derive(Debug, Serialize)]
struct Title<'a> {
    zh: &'a str,
    en: &'a str,
}

/// One policy of a requirement and the versions whose policy set holds it.
#[derive(Debug, Serialize)]
struct PolicyEntry {
    id: String,
    severity: Severity,
    versions: Vec<Version>,
}

/// One requirement as `explain --format json` writes it.
#[derive(Debug, Serialize)]
struct Entry<'a> {
    name: &'a str,
    cite: PerVersion<Option<&'a str>>,
    severity: Severity,
    checked_from: &'a [Evidence],
    title: Title<'a>,
    enforced: PerVersion<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    readme: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    policies: Option<Vec<PolicyEntry>>,
}

fn entry<'a>(checker: &Checker, r: &'a Requirement) -> Entry<'a> {
    Entry {
        name: &r.name,
        cite: PerVersion {
            amended: r.cite(Version::Amended),
            previous: r.cite(Version::Previous),
        },
        severity: r.severity,
        checked_from: &r.checked_from,
        title: Title {
            zh: &r.title_zh,
            en: &r.title_en,
        },
        enforced: PerVersion {
            amended: checker.engine().enforces(Version::Amended, &r.name),
            previous: checker.engine().enforces(Version::Previous, &r.name),
        },
        readme: None,
        policies: None,
    }
}

/// The policies of a requirement, in policy order (the amended version's
/// first), each with the versions that hold it.
fn policies(checker: &Checker, requirement: &str) -> Vec<PolicyEntry> {
    let mut out: Vec<PolicyEntry> = Vec::new();
    for version in Version::ALL {
        for meta in checker.engine().policies(version) {
            if meta.requirement != requirement {
                continue;
            }
            match out.iter_mut().find(|p| p.id == meta.id) {
                Some(p) => p.versions.push(version),
                None => out.push(PolicyEntry {
                    id: meta.id.clone(),
                    severity: meta.severity,
                    versions: vec![version],
                }),
            }
        }
    }
    out
}

fn to_json<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// The catalogue as JSON: an array of every requirement, in regulation order.
#[must_use]
pub fn catalogue_json(checker: &Checker) -> String {
    let entries: Vec<Entry<'_>> = checker
        .catalog()
        .requirements()
        .iter()
        .map(|r| entry(checker, r))
        .collect();
    to_json(&entries)
}

/// One requirement as JSON: an array of one entry, which also carries the
/// README and the policy ids.
///
/// # Errors
/// When no requirement has that name (with the closest name as a hint).
pub fn requirement_json(checker: &Checker, name: &str) -> Result<String, Localized> {
    let r = find(checker, name)?;
    let mut one = entry(checker, r);
    one.readme = Some(embedded::readme(&r.name).unwrap_or_default());
    one.policies = Some(policies(checker, &r.name));
    Ok(to_json(&[one]))
}
