//! Fingerprints and baselines. A finding's fingerprint is made of what
//! stays the same when a document is edited elsewhere — the requirement,
//! the policy, the submission, the config subject and the evidence text
//! with whitespace and punctuation folded away — never of line numbers or
//! offsets. `--write-baseline` records the fingerprints of a run;
//! `--baseline` then reports only findings that are not in it, and counts
//! the baseline's findings that are gone.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::report::{BaselineCount, Finding, SubmissionReport};

/// The version of the fingerprint recipe, part of every fingerprint's name
/// (SARIF `partialFingerprints` key `niacheck/v1`).
pub const FINGERPRINT_VERSION: &str = "niacheck/v1";

/// FNV-1a, 64 bits: small, stable across platforms and releases, enough to
/// tell a submission's findings apart (a collision only merges two findings
/// in a baseline).
fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0x1f)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// A fingerprint of `parts` (for what is not a finding, such as an input
/// error), in the same form as a finding's.
#[must_use]
pub fn fingerprint_of(parts: &[&str]) -> String {
    format!("{:016x}", fnv1a(parts))
}

/// The text with everything but letters and digits folded away, so a
/// reflowed line or changed punctuation keeps its fingerprint.
#[must_use]
pub fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Give each finding of a submission its fingerprint. Findings that would
/// share one (the same citation three times) are told apart by their order.
pub fn assign(path: &str, findings: &mut [Finding]) {
    let mut seen: BTreeMap<u64, u32> = BTreeMap::new();
    for finding in findings {
        let evidence = finding
            .location
            .as_ref()
            .map(|l| normalise(l.file.slice(l.span)))
            .unwrap_or_default();
        let base = fnv1a(&[
            &finding.requirement,
            &finding.policy,
            path,
            finding.subject.as_deref().unwrap_or(""),
            &evidence,
        ]);
        let ordinal = seen.entry(base).or_insert(0);
        let hash = fnv1a(&[&format!("{base:016x}"), &ordinal.to_string()]);
        *ordinal += 1;
        finding.fingerprint = format!("{hash:016x}");
    }
}

/// One finding as a baseline records it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    /// The submission's path, as reported.
    pub submission: String,
    /// The fingerprint.
    pub fingerprint: String,
    /// The requirement (for a person reading the file).
    pub requirement: String,
    /// The policy (for a person reading the file).
    pub policy: String,
    /// The config subject, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

/// Why a file is not a baseline: where its JSON stops being one (or does
/// not have the shape of one), or the fingerprint recipe it was written with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaselineError {
    /// Not JSON, or not a baseline's fields, at this place (1-based).
    Syntax {
        /// Line.
        line: usize,
        /// Column.
        column: usize,
    },
    /// Fingerprints of another recipe than [`FINGERPRINT_VERSION`].
    Recipe(String),
}

/// A baseline file (`--write-baseline`, `--baseline`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// The fingerprint recipe (`niacheck/v1`).
    pub fingerprints: String,
    /// The findings, sorted.
    pub findings: Vec<Entry>,
}

impl Baseline {
    /// An empty baseline of this recipe.
    #[must_use]
    pub fn new() -> Self {
        Self {
            fingerprints: FINGERPRINT_VERSION.to_owned(),
            findings: Vec::new(),
        }
    }

    /// Record a submission's findings (waived ones too: they are known).
    pub fn record(&mut self, submission: &SubmissionReport) {
        self.findings
            .extend(submission.findings.iter().map(|f| Entry {
                submission: submission.path.clone(),
                fingerprint: f.fingerprint.clone(),
                requirement: f.requirement.clone(),
                policy: f.policy.clone(),
                subject: f.subject.clone(),
            }));
    }

    /// The file's text: pretty JSON, sorted, ending with a newline.
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut sorted = self.clone();
        sorted.findings.sort();
        sorted.findings.dedup();
        let mut text = serde_json::to_string_pretty(&sorted).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Read a baseline file's text.
    ///
    /// # Errors
    /// When it is not a baseline of this fingerprint recipe.
    pub fn from_json(text: &str) -> Result<Self, BaselineError> {
        let baseline: Self = serde_json::from_str(text).map_err(|e| BaselineError::Syntax {
            line: e.line(),
            column: e.column(),
        })?;
        if baseline.fingerprints != FINGERPRINT_VERSION {
            return Err(BaselineError::Recipe(baseline.fingerprints));
        }
        Ok(baseline)
    }

    /// The fingerprints recorded for one submission.
    #[must_use]
    pub fn of(&self, submission: &str) -> BTreeSet<&str> {
        self.findings
            .iter()
            .filter(|e| e.submission == submission)
            .map(|e| e.fingerprint.as_str())
            .collect()
    }

    /// Leave out of a submission's findings those the baseline knows, and
    /// count them and the baseline's findings that are gone.
    pub fn apply(&self, path: &str, findings: &mut Vec<Finding>) -> BaselineCount {
        let known = self.of(path);
        let before = findings.len();
        let mut found = BTreeSet::new();
        findings.retain(|f| {
            if known.contains(f.fingerprint.as_str()) {
                found.insert(f.fingerprint.clone());
                false
            } else {
                true
            }
        });
        BaselineCount {
            unchanged: before - findings.len(),
            fixed: known.len().saturating_sub(found.len()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn normalising_folds_space_and_punctuation() {
        assert_eq!(
            normalise("一、目的：\n本局 為辦理，刑案偵查。"),
            normalise("一 目的 本局為辦理刑案偵查")
        );
        assert_eq!(normalise("Annex-1"), "annex1");
    }
}
