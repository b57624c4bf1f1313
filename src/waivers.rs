//! Waivers: reviewer-approved exceptions (`waivers.yaml` in a submission, or
//! a central file given with `--waivers`). A waiver is not part of the
//! regulation but of its review, so it is applied after the policies have
//! decided: a finding it covers is reported as waived and does not fail;
//! a waiver past its expiry, or one that covers nothing, is itself a
//! finding (a warning at its line). A waiver without a reason, an approver
//! or an approval number, or naming an unknown requirement, is an input
//! error at its place.

use std::sync::Arc;

use serde::Deserialize;

use crate::catalog::{Catalog, Severity, Version};
use crate::date::Date;
use crate::extract::config::{self, Field, Sp};
use crate::lang::Localized;
use crate::report::{Finding, InputError, Location, Waived};
use crate::source::{SourceFile, Span};
use crate::tr;

/// The waivers file of a submission.
pub const WAIVERS_FILE: &str = "waivers.yaml";

/// One waiver as written.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    /// The submission it belongs to (central file only): its path as
    /// reported, or the submission folder's name.
    #[serde(default)]
    submission: Field<String>,
    requirement: Sp<String>,
    #[serde(default)]
    subject: Field<String>,
    #[serde(default)]
    reason: Field<String>,
    #[serde(default)]
    approver: Field<String>,
    #[serde(default)]
    approval_ref: Field<String>,
    #[serde(default)]
    expires_on: Field<Date>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    waivers: Vec<Sp<RawWaiver>>,
}

/// One valid waiver.
#[derive(Debug, Clone)]
pub struct Waiver {
    /// The submission it belongs to (central file only).
    pub submission: Option<String>,
    /// The requirement waived.
    pub requirement: String,
    /// The config subject waived; `None` waives the whole requirement.
    pub subject: Option<String>,
    /// What the findings it covers record.
    pub waived: Waived,
    /// Where the waiver is (its `requirement:` value).
    pub at: Span,
    /// Where its expiry is.
    pub expires_at: Span,
}

/// The waivers of one file.
#[derive(Debug, Clone)]
pub struct Waivers {
    /// The file they were read from.
    pub file: Arc<SourceFile>,
    /// The waivers, in file order.
    pub waivers: Vec<Waiver>,
}

fn text(field: &Field<String>) -> Option<String> {
    field
        .get()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn missing(file: &Arc<SourceFile>, at: Span, key: &str) -> Box<InputError> {
    Box::new(InputError {
        message: tr!("waivers.missing", key = key),
        help: Some(tr!("waivers.missing-help", key = key)),
        file: Some(file.name().to_owned()),
        location: Some(Location {
            file: Arc::clone(file),
            span: at,
        }),
    })
}

impl Waivers {
    /// Read a waivers file named `file` (as reported). `central` files must
    /// say which submission each waiver belongs to.
    ///
    /// # Errors
    /// A YAML or schema error, a missing required key, or an unknown
    /// requirement: an input error at its place.
    pub fn parse(
        file: Arc<SourceFile>,
        catalog: &Catalog,
        central: bool,
    ) -> Result<Self, Box<InputError>> {
        let raw: RawFile = if file.text().trim().is_empty() {
            RawFile {
                waivers: Vec::new(),
            }
        } else {
            let schema = std::cell::OnceCell::new();
            let schema = || {
                schema.get_or_init(|| {
                    serde_json::to_value(schemars::schema_for!(RawFile)).unwrap_or_default()
                })
            };
            config::checked(file.text(), schema).map_err(|errors| {
                let e = errors.into_iter().next().unwrap_or(config::ConfigError {
                    message: tr!("config.unreadable"),
                    help: None,
                    span: None,
                });
                Box::new(InputError {
                    message: tr!("waivers.syntax", message = &e.message),
                    help: e.help,
                    file: Some(file.name().to_owned()),
                    location: e.span.map(|span| Location {
                        file: Arc::clone(&file),
                        span,
                    }),
                })
            })?
        };
        let mut waivers = Vec::with_capacity(raw.waivers.len());
        for entry in &raw.waivers {
            let w = entry.value();
            let at = w.requirement.span();
            let name = w.requirement.value().trim();
            if catalog.get(name).is_none() {
                let closest = catalog
                    .requirements()
                    .iter()
                    .min_by_key(|r| config::edit_distance(name, &r.name))
                    .map(|r| r.name.as_str())
                    .unwrap_or_default();
                return Err(Box::new(InputError {
                    message: tr!("waivers.unknown-requirement", name = name),
                    help: Some(tr!("waivers.unknown-requirement-help", closest = closest)),
                    file: Some(file.name().to_owned()),
                    location: Some(Location {
                        file: Arc::clone(&file),
                        span: at,
                    }),
                }));
            }
            let whole = entry.span();
            let reason = text(&w.reason).ok_or_else(|| missing(&file, whole, "reason"))?;
            let approver = text(&w.approver).ok_or_else(|| missing(&file, whole, "approver"))?;
            let approval_ref =
                text(&w.approval_ref).ok_or_else(|| missing(&file, whole, "approval_ref"))?;
            let expires = w
                .expires_on
                .as_ref()
                .ok_or_else(|| missing(&file, whole, "expires_on"))?;
            let submission = text(&w.submission);
            if central && submission.is_none() {
                return Err(missing(&file, whole, "submission"));
            }
            waivers.push(Waiver {
                submission,
                requirement: name.to_owned(),
                subject: text(&w.subject),
                waived: Waived {
                    reason,
                    approver,
                    approval_ref,
                    expires_on: *expires.value(),
                },
                at,
                expires_at: expires.span(),
            });
        }
        Ok(Self { file, waivers })
    }

    /// The waivers of a central file that belong to the submission at
    /// `path` (its path as reported, or its folder's name).
    #[must_use]
    pub fn for_submission(&self, path: &str) -> Self {
        let folder = path.rsplit(['/', '\\']).next().unwrap_or(path);
        Self {
            file: Arc::clone(&self.file),
            waivers: self
                .waivers
                .iter()
                .filter(|w| {
                    w.submission
                        .as_deref()
                        .is_some_and(|s| s.trim_end_matches('/') == path || s == folder)
                })
                .cloned()
                .collect(),
        }
    }

    /// Mark the findings these waivers cover, and add a finding for each
    /// waiver that has expired or covers nothing.
    pub fn apply(
        &self,
        catalog: &Catalog,
        version: Version,
        as_of: Date,
        findings: &mut Vec<Finding>,
    ) {
        let mut extra = Vec::new();
        for waiver in &self.waivers {
            // A requirement the version lacks keeps its citation in the
            // other version, so the finding still names where it came from.
            let cite = catalog
                .get(&waiver.requirement)
                .and_then(|r| {
                    r.cite(version)
                        .or_else(|| Version::ALL.iter().find_map(|v| r.cite(*v)))
                })
                .unwrap_or("-")
                .to_owned();
            let place = |span| {
                Some(Location {
                    file: Arc::clone(&self.file),
                    span,
                })
            };
            if waiver.waived.expires_on < as_of {
                extra.push(waiver_finding(
                    waiver,
                    cite,
                    "waivers/expired",
                    tr!("waivers.expired", date = waiver.waived.expires_on),
                    tr!("waivers.expired-help"),
                    place(waiver.expires_at),
                ));
                continue;
            }
            let mut used = false;
            for finding in findings.iter_mut() {
                let covers = finding.requirement == waiver.requirement
                    && waiver
                        .subject
                        .as_ref()
                        .is_none_or(|s| finding.subject.as_ref() == Some(s));
                if covers && finding.waived.is_none() {
                    finding.waived = Some(waiver.waived.clone());
                    used = true;
                }
            }
            if !used {
                extra.push(waiver_finding(
                    waiver,
                    cite,
                    "waivers/unused",
                    match &waiver.subject {
                        Some(subject) => tr!(
                            "waivers.unused-subject",
                            requirement = &waiver.requirement,
                            subject = subject
                        ),
                        None => tr!("waivers.unused", requirement = &waiver.requirement),
                    },
                    tr!("waivers.unused-help"),
                    place(waiver.at),
                ));
            }
        }
        findings.extend(extra);
    }
}

fn waiver_finding(
    waiver: &Waiver,
    cite: String,
    policy: &str,
    message: Localized,
    help: Localized,
    location: Option<Location>,
) -> Finding {
    Finding {
        requirement: waiver.requirement.clone(),
        cite,
        severity: Severity::Warning,
        policy: policy.to_owned(),
        message,
        help,
        location,
        subject: waiver.subject.clone(),
        fix: None,
        fingerprint: String::new(),
        waived: None,
        evidence: None,
    }
}
