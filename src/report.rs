//! The report model: what every renderer formats. Renderers never decide;
//! everything they show is decided here or by the policies.

use std::sync::Arc;

use crate::Lang;
use crate::catalog::{Severity, Version};
use crate::date::Date;
use crate::source::{SourceFile, Span};

/// Text in both languages of the tool.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Localized {
    /// Traditional Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Localized {
    /// The same text in both languages (such as a parser's own message).
    #[must_use]
    pub fn same(text: impl Into<String>) -> Self {
        let text = text.into();
        Self {
            zh: text.clone(),
            en: text,
        }
    }

    /// Text in two languages.
    #[must_use]
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    #[must_use]
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhTw => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// A place in a file of the submission.
#[derive(Debug, Clone)]
pub struct Location {
    /// The file, relative to the submission folder.
    pub file: Arc<SourceFile>,
    /// Byte span into the file's text (BOM excluded).
    pub span: Span,
}

impl Location {
    /// 1-based line and character column of the start.
    #[must_use]
    pub fn line_column(&self) -> crate::source::LineColumn {
        self.file.line_column(self.span.start)
    }

    /// Byte offsets into the file as stored (BOM included).
    #[must_use]
    pub fn file_offsets(&self) -> (usize, usize) {
        (
            self.file.file_offset(self.span.start),
            self.file.file_offset(self.span.end),
        )
    }
}

/// One finding: a policy that forbade something, at its place.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The requirement's stable name.
    pub requirement: String,
    /// Its citation in the version checked.
    pub cite: String,
    /// Severity.
    pub severity: Severity,
    /// The policy that decided (`requirement/local-id`).
    pub policy: String,
    /// What is wrong.
    pub message: Localized,
    /// How to fix it.
    pub help: Localized,
    /// Where, if it has a place.
    pub location: Option<Location>,
    /// The config element concerned (`users[2].certificate.expires_on`).
    pub subject: Option<String>,
    /// A safe rewrite of the finding's span, for `check --fix`.
    pub fix: Option<String>,
}

/// An input that could not be read or parsed.
#[derive(Debug, Clone)]
pub struct InputError {
    /// What is wrong.
    pub message: Localized,
    /// What to do.
    pub help: Option<Localized>,
    /// The file, when the error is in one.
    pub file: Option<String>,
    /// The place, when known.
    pub location: Option<Location>,
}

/// A requirement's status for one submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// No finding of its own.
    Met,
    /// At least one finding of its own.
    Gap,
    /// Not checked: NIA-side, not yet enforced, or no evidence supplied.
    NotChecked,
    /// Not in this version.
    NotApplicable,
}

impl Status {
    /// The name used in reports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Met => "met",
            Self::Gap => "gap",
            Self::NotChecked => "not-checked",
            Self::NotApplicable => "not-applicable",
        }
    }
}

/// One requirement's line of a submission's report.
#[derive(Debug, Clone)]
pub struct RequirementStatus {
    /// Stable name.
    pub name: String,
    /// Citation in the version checked, if any.
    pub cite: Option<String>,
    /// Status.
    pub status: Status,
}

/// The verdict on one submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// No finding of severity error.
    Pass,
    /// Some finding of severity error.
    Fail,
    /// Could not be read.
    Error,
}

impl Verdict {
    /// The name used in reports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Error => "error",
        }
    }
}

/// The report on one submission.
#[derive(Debug, Clone)]
pub struct SubmissionReport {
    /// The folder, as given on the command line joined with the folder found.
    pub path: String,
    /// The agency's name, once the configuration is read.
    pub agency: Option<String>,
    /// The version checked.
    pub regulation: Version,
    /// The verdict.
    pub verdict: Verdict,
    /// Every requirement of the catalogue, in order.
    pub requirements: Vec<RequirementStatus>,
    /// Findings, sorted.
    pub findings: Vec<Finding>,
    /// Input errors.
    pub errors: Vec<InputError>,
    /// Personnel numbers and certificate serials of the submission, masked
    /// in output unless personal data are shown.
    pub personal: Vec<String>,
}

impl SubmissionReport {
    /// Count of findings of a severity.
    #[must_use]
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// The report on every submission checked.
#[derive(Debug, Clone)]
pub struct Report {
    /// The version asked for on the command line, or the default.
    pub regulation: Version,
    /// The date expiries and deadlines are judged on.
    pub as_of: Date,
    /// Submissions, sorted by path.
    pub submissions: Vec<SubmissionReport>,
    /// Whether personal data are shown unmasked.
    pub show_personal_data: bool,
}

/// Counts for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Submissions checked.
    pub submissions: usize,
    /// Passed.
    pub pass: usize,
    /// Failed.
    pub fail: usize,
    /// Could not be read.
    pub error: usize,
}

impl Report {
    /// The summary counts.
    #[must_use]
    pub fn summary(&self) -> Summary {
        let mut summary = Summary {
            submissions: self.submissions.len(),
            ..Summary::default()
        };
        for s in &self.submissions {
            match s.verdict {
                Verdict::Pass => summary.pass += 1,
                Verdict::Fail => summary.fail += 1,
                Verdict::Error => summary.error += 1,
            }
        }
        summary
    }

    /// The process exit code: 2 if any submission could not be read, else
    /// 1 if any finding is of severity error, else 0.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        let summary = self.summary();
        if summary.error > 0 {
            2
        } else if summary.fail > 0 {
            1
        } else {
            0
        }
    }

    /// What to mask in the output of one submission.
    #[must_use]
    pub fn masker<'a>(&self, submission: &'a SubmissionReport) -> crate::privacy::Masker<'a> {
        crate::privacy::Masker {
            show: self.show_personal_data,
            values: &submission.personal,
        }
    }
}
