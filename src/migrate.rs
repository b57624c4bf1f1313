//! `niacheck migrate`: what a submission written for the previous text must
//! change to pass under the amended one. Each submission is read once and
//! judged by both versions' policy sets; the findings that only the amended
//! set gives (matched by policy, subject and place, never by message text)
//! are the migration.

use std::path::PathBuf;

use crate::catalog::{Catalog, Severity, Version};
use crate::check::{CheckOptions, run_ordered};
use crate::checker::Checker;
use crate::pipeline;
use crate::report::{ExitStatus, Finding, InputError, Run, Verdict};
use crate::submission::{self, Found};

/// The migration of one submission.
#[derive(Debug, Clone)]
pub struct Migration {
    /// The submission folder.
    pub path: String,
    /// The agency, once read.
    pub agency: Option<String>,
    /// Findings under `amended` that `previous` does not have.
    pub changes: Vec<Finding>,
    /// Input errors.
    pub errors: Vec<InputError>,
    /// Personal values to mask in the output.
    pub personal: Vec<String>,
}

/// What changes between the versions for every submission alike.
#[derive(Debug, Clone, Default)]
pub struct Renumbering {
    /// Requirements whose citation changes: (name, previous, amended).
    pub renumbered: Vec<(String, String, String)>,
    /// Requirements that only the amended text has.
    pub new_requirements: Vec<String>,
}

impl Renumbering {
    /// Read off the catalogue.
    #[must_use]
    pub fn of(catalog: &Catalog) -> Self {
        let mut out = Self::default();
        for r in catalog.requirements() {
            match (r.cite(Version::Previous), r.cite(Version::Amended)) {
                (Some(p), Some(a)) if p != a => {
                    out.renumbered
                        .push((r.name.clone(), p.to_owned(), a.to_owned()));
                }
                (None, Some(_)) => out.new_requirements.push(r.name.clone()),
                _ => {}
            }
        }
        out
    }
}

/// The migrations of one run, with what they share.
#[derive(Debug, Clone)]
pub struct Migrations {
    /// The run (its regulation is the target, `amended`).
    pub run: Run,
    /// One per submission, in input order.
    pub migrations: Vec<Migration>,
    /// Renumbered and new items.
    pub renumbering: Renumbering,
}

impl Migrations {
    /// 2 if a submission could not be read, 1 if one must change, else 0.
    #[must_use]
    pub fn exit_status(&self) -> ExitStatus {
        if self.migrations.iter().any(|m| !m.errors.is_empty()) {
            ExitStatus::Failure
        } else if self
            .migrations
            .iter()
            .any(|m| m.changes.iter().any(|f| f.severity == Severity::Error))
        {
            ExitStatus::Findings
        } else {
            ExitStatus::Clean
        }
    }
}

/// What identifies one finding across versions: the policy that decided
/// (shared policies have the same id in both), the config subject and the
/// place in the file.
fn key(f: &Finding) -> (&str, Option<&str>, Option<(&str, usize)>) {
    (
        f.policy.as_str(),
        f.subject.as_deref(),
        f.location.as_ref().map(|l| (l.file.name(), l.span.start)),
    )
}

fn migrate_one(checker: &Checker, item: &Found, options: &CheckOptions) -> Migration {
    let failed = |path: String, unread: pipeline::Unread| Migration {
        path,
        agency: unread.agency,
        changes: Vec::new(),
        errors: unread.errors,
        personal: Vec::new(),
    };
    let path = match item {
        Found::Submission(path) => path,
        Found::Problem(path, message) => {
            return failed(
                path.display().to_string(),
                InputError::not_a_submission(message.clone()).into(),
            );
        }
    };
    let read = match pipeline::read(checker, path) {
        // What must change in a document that cannot be read is unknown:
        // the submission is reported as unread, with the agency's name.
        Ok(read) if read.rules_unread.is_some() => {
            let agency = Some(read.config.agency.value().name.value().clone());
            let errors = read.rules_unread.into_iter().collect();
            return failed(
                path.display().to_string(),
                pipeline::Unread { errors, agency },
            );
        }
        Ok(read) => read,
        Err(error) => return failed(path.display().to_string(), *error),
    };
    let review = pipeline::Review::default();
    let before = pipeline::judge(checker, &read, Version::Previous, options.as_of, review);
    let after = pipeline::judge(checker, &read, Version::Amended, options.as_of, review);
    let mut errors = after.errors;
    if before.verdict == Verdict::Error {
        errors.extend(before.errors);
    }
    let old: Vec<_> = before.findings.iter().map(key).collect();
    Migration {
        path: after.path,
        agency: after.agency,
        changes: after
            .findings
            .into_iter()
            .filter(|f| !old.contains(&key(f)))
            .collect(),
        errors,
        personal: after.personal,
    }
}

/// Work out the migration of every submission under `paths`.
#[must_use]
pub fn migrate(checker: &Checker, paths: &[PathBuf], options: &CheckOptions) -> Migrations {
    let found = submission::discover(paths);
    let mut migrations = Vec::with_capacity(found.len());
    run_ordered(
        &found,
        options.jobs,
        |item| migrate_one(checker, item, options),
        |item, detail| Migration {
            path: match item {
                Found::Submission(p) | Found::Problem(p, _) => p.display().to_string(),
            },
            agency: None,
            changes: Vec::new(),
            errors: vec![InputError::internal(detail)],
            personal: Vec::new(),
        },
        |m| migrations.push(m),
    );
    Migrations {
        run: Run {
            regulation: Version::Amended,
            ..options.run()
        },
        migrations,
        renumbering: Renumbering::of(checker.catalog()),
    }
}
