//! `niacheck migrate`: what a submission written for the previous text must
//! change to pass under the amended one. Both versions' policy sets judge the
//! same facts; the difference is the migration.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

use crate::catalog::{Severity, Version};
use crate::privacy::Masker;
use crate::render::json::Place;
use crate::report::{Finding, InputError, Verdict};
use crate::{CheckOptions, Checker, Lang};

/// The migration of one submission.
#[derive(Debug, Clone)]
pub struct Migration {
    /// The submission folder.
    pub path: String,
    /// The agency, once read.
    pub agency: Option<String>,
    /// Findings under `amended` that `previous` does not have.
    pub changes: Vec<Finding>,
    /// Requirements whose citation changes: (name, previous, amended).
    pub renumbered: Vec<(String, String, String)>,
    /// Requirements that only the amended text has.
    pub new_requirements: Vec<String>,
    /// Input errors.
    pub errors: Vec<InputError>,
    /// Personal values to mask in the output.
    pub personal: Vec<String>,
}

impl Migration {
    fn masker(&self) -> Masker<'_> {
        Masker {
            show: false,
            values: &self.personal,
        }
    }
}

fn key(f: &Finding) -> (String, String, Option<(String, usize)>, Option<String>) {
    (
        f.requirement.clone(),
        f.message.en.clone(),
        f.location
            .as_ref()
            .map(|l| (l.file.name().to_owned(), l.span.start)),
        f.subject.clone(),
    )
}

/// Work out the migration of every submission under `paths`.
#[must_use]
pub fn migrate(checker: &Checker, paths: &[PathBuf], options: &CheckOptions) -> Vec<Migration> {
    let previous = checker.check_paths(
        paths,
        &CheckOptions {
            regulation: Some(Version::Previous),
            ..options.clone()
        },
    );
    let amended = checker.check_paths(
        paths,
        &CheckOptions {
            regulation: Some(Version::Amended),
            ..options.clone()
        },
    );
    let mut renumbered = Vec::new();
    let mut new_requirements = Vec::new();
    for r in checker.catalog().requirements() {
        match (r.cite(Version::Previous), r.cite(Version::Amended)) {
            (Some(p), Some(a)) if p != a => {
                renumbered.push((r.name.clone(), p.to_owned(), a.to_owned()))
            }
            (None, Some(_)) => new_requirements.push(r.name.clone()),
            _ => {}
        }
    }
    previous
        .submissions
        .iter()
        .zip(&amended.submissions)
        .map(|(before, after)| {
            let old: Vec<_> = before.findings.iter().map(key).collect();
            Migration {
                path: after.path.clone(),
                agency: after.agency.clone(),
                changes: after
                    .findings
                    .iter()
                    .filter(|f| !old.contains(&key(f)))
                    .cloned()
                    .collect(),
                renumbered: renumbered.clone(),
                new_requirements: new_requirements.clone(),
                errors: if after.verdict == Verdict::Error {
                    after.errors.clone()
                } else {
                    Vec::new()
                },
                personal: after.personal.clone(),
            }
        })
        .collect()
}

/// 2 if a submission could not be read, 1 if one must change, else 0.
#[must_use]
pub fn exit_code(migrations: &[Migration]) -> u8 {
    if migrations.iter().any(|m| !m.errors.is_empty()) {
        2
    } else if migrations
        .iter()
        .any(|m| m.changes.iter().any(|f| f.severity == Severity::Error))
    {
        1
    } else {
        0
    }
}

/// The migration for a person.
#[must_use]
pub fn render_human(migrations: &[Migration], lang: Lang) -> String {
    let mut out = String::new();
    for m in migrations {
        let agency = m.agency.as_deref().unwrap_or("?");
        let _ = match lang {
            Lang::ZhTw => writeln!(
                out,
                "{} — {agency}：由現行規定改依修正規定，須修改 {} 處",
                m.path,
                m.changes.len()
            ),
            Lang::En => writeln!(
                out,
                "{} — {agency}: {} change(s) to pass under the amended text",
                m.path,
                m.changes.len()
            ),
        };
        for e in &m.errors {
            let _ = writeln!(out, "  ! {}", e.message.get(lang));
        }
        for f in &m.changes {
            let place = f.location.as_ref().map_or_else(String::new, |l| {
                let lc = l.line_column();
                format!("{}:{}:{} ", l.file.name(), lc.line, lc.column)
            });
            let _ = writeln!(
                out,
                "  - {place}{} ({}): {}",
                f.requirement,
                f.cite,
                m.masker().apply(f.message.get(lang))
            );
            let help = m.masker().apply(f.help.get(lang));
            if !help.is_empty() {
                let _ = writeln!(out, "    → {help}");
            }
        }
    }
    if let Some(m) = migrations.first() {
        let _ = match lang {
            Lang::ZhTw => writeln!(out, "\n款次變更（現行 → 修正）："),
            Lang::En => writeln!(out, "\nRenumbered items (previous → amended):"),
        };
        for (name, p, a) in &m.renumbered {
            let _ = writeln!(out, "  {name}: {p} → {a}");
        }
        let _ = match lang {
            Lang::ZhTw => writeln!(out, "修正規定新增：{}", m.new_requirements.join("、")),
            Lang::En => writeln!(
                out,
                "New in the amended text: {}",
                m.new_requirements.join(", ")
            ),
        };
    }
    out
}

#[derive(Serialize)]
struct JsonMigration<'a> {
    path: &'a str,
    agency: Option<&'a str>,
    from: &'static str,
    to: &'static str,
    changes: Vec<JsonChange<'a>>,
    errors: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonChange<'a> {
    name: &'a str,
    cite: &'a str,
    severity: &'static str,
    message: String,
    help: String,
    #[serde(flatten)]
    place: Place,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonRenumbered<'a> {
    name: &'a str,
    previous: &'a str,
    amended: &'a str,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: u32,
    tool: &'static str,
    migrations: Vec<JsonMigration<'a>>,
    renumbered: Vec<JsonRenumbered<'a>>,
    new_requirements: Vec<&'a str>,
}

/// The migration as JSON.
#[must_use]
pub fn render_json(migrations: &[Migration], lang: Lang) -> String {
    let first = migrations.first();
    let report = JsonReport {
        schema_version: 1,
        tool: "niacheck",
        migrations: migrations
            .iter()
            .map(|m| JsonMigration {
                path: &m.path,
                agency: m.agency.as_deref(),
                from: Version::Previous.as_str(),
                to: Version::Amended.as_str(),
                changes: m
                    .changes
                    .iter()
                    .map(|f| JsonChange {
                        name: &f.requirement,
                        cite: &f.cite,
                        severity: f.severity.as_str(),
                        message: m.masker().apply(f.message.get(lang)).into_owned(),
                        help: m.masker().apply(f.help.get(lang)).into_owned(),
                        place: Place::of(f.location.as_ref()),
                        subject: f.subject.as_deref(),
                    })
                    .collect(),
                errors: m.errors.iter().map(|e| e.message.get(lang)).collect(),
            })
            .collect(),
        renumbered: first
            .map(|m| {
                m.renumbered
                    .iter()
                    .map(|(name, previous, amended)| JsonRenumbered {
                        name,
                        previous,
                        amended,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        new_requirements: first
            .map(|m| m.new_requirements.iter().map(String::as_str).collect())
            .unwrap_or_default(),
    };
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}
