//! The report model: what every renderer formats. Renderers never decide;
//! everything they show is decided here or by the policies.

use std::sync::Arc;

use crate::lang::{Lang, Localized};
use crate::privacy::{CompiledMasker, Masker};

use crate::catalog::{Severity, Version};
use crate::date::Date;
use crate::source::{SourceFile, Span};

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

    /// The place as a person reads it, in `lang`: `rules.md:12:5` in a
    /// text file; in an office document, whose text view no officer sees,
    /// the paragraph: 「rules.docx 第 3 段」, "rules.docx paragraph 3".
    #[must_use]
    pub fn label(&self, lang: Lang) -> String {
        self.label_as(self.file.name(), lang, true)
    }

    /// [`Location::label`] with the line only in a text file
    /// (`rules.md:12`), for a table cell.
    #[must_use]
    pub fn line_label(&self, lang: Lang) -> String {
        self.label_as(self.file.name(), lang, false)
    }

    /// The place with the file shown as `name` (a path, or the name made
    /// safe for a terminal): `name:line:column` (`name:line` without
    /// `column`), or the paragraph of an office document.
    #[must_use]
    pub fn label_as(&self, name: &str, lang: Lang, column: bool) -> String {
        if let Some(number) = self.paragraph() {
            return crate::tr!("place.paragraph", file = name, n = number)
                .get(lang)
                .to_owned();
        }
        let lc = self.line_column();
        if column {
            format!("{name}:{}:{}", lc.line, lc.column)
        } else {
            format!("{name}:{}", lc.line)
        }
    }

    /// The 1-based paragraph of the start, in an office document.
    #[must_use]
    pub fn paragraph(&self) -> Option<usize> {
        self.file.paragraph_place(self.span).map(|p| p.number)
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
    /// What identifies this finding across runs and edits elsewhere in the
    /// files (requirement, submission, subject, normalised evidence text):
    /// baselines, SARIF and GitLab use it. Set by the pipeline.
    pub fingerprint: String,
    /// The reviewer-approved waiver that covers it, if any: a waived finding
    /// is reported but never fails.
    pub waived: Option<Waived>,
    /// For a finding about a part of the rules document: what the document
    /// showed of the part.
    pub evidence: Option<PartEvidence>,
}

/// What the rules document showed of one part: the concepts of the content
/// pattern that matched, or, when no text addresses the part, the sentence
/// that came closest and the concepts it lacks.
#[derive(Debug, Clone, Default)]
pub struct PartEvidence {
    /// The part's key in the vocabulary (`audit`).
    pub part: String,
    /// The concepts of the pattern that matched (empty when none did).
    pub matched: Vec<String>,
    /// The sentence that came closest to stating the part, when it is missing.
    pub closest: Option<Location>,
    /// The concepts that closest sentence lacks.
    pub lacks: Vec<String>,
}

impl Finding {
    /// Whether the finding counts against the submission: not waived.
    #[must_use]
    pub fn counts(&self) -> bool {
        self.waived.is_none()
    }
}

/// A waiver that covers a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waived {
    /// Why the exception is granted.
    pub reason: String,
    /// Who approved it.
    pub approver: String,
    /// The approval document's number.
    pub approval_ref: String,
    /// The last day it applies.
    pub expires_on: Date,
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

impl InputError {
    /// The file, relative to the submission, where the error belongs: its
    /// place's, or the file it names, or the configuration.
    #[must_use]
    pub fn file_name(&self) -> &str {
        self.location
            .as_ref()
            .map(|l| l.file.name())
            .or(self.file.as_deref())
            .unwrap_or(crate::submission::ACCESS_FILE)
    }
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
    /// The verdict as a person reads it, in `lang`.
    #[must_use]
    pub fn text(self, lang: crate::lang::Lang) -> &'static str {
        crate::i18n::static_text(
            lang,
            match self {
                Self::Pass => "verdict.pass",
                Self::Fail => "verdict.fail",
                Self::Error => "verdict.error",
            },
        )
    }

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
    /// The agency's tier (`municipal-subordinate`), when the configuration gives it.
    pub tier: Option<String>,
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
    /// The compiled masker of `personal`, kept for the next renderer.
    pub masker_cache: crate::privacy::AutomatonCache,
    /// With `--baseline`: the baseline's findings of this submission found
    /// again (and left out of `findings`) and no longer found.
    pub baseline: Option<BaselineCount>,
    /// The rules document's file name, once the configuration is read: where
    /// a missing document item belongs.
    pub rules: Option<String>,
    /// The replay of the usage log, when the submission has one.
    pub usage_log: Option<LogSummary>,
    /// What the reader should know that is no finding: dates read from
    /// 民國 forms, a file decoded from Big5 or UTF-16, a deadline counted
    /// without holiday data. Shown by the human format.
    pub notices: Vec<Notice>,
}

/// A note for the reader of a report, about how an input was read.
#[derive(Debug, Clone)]
pub struct Notice {
    /// What happened.
    pub message: Localized,
    /// What to do about it, if anything.
    pub help: Option<Localized>,
    /// Where, if it has a place.
    pub location: Option<Location>,
}

/// What the replay of a usage log read and judged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogSummary {
    /// `utf-8` or `big5`.
    pub encoding: &'static str,
    /// Rows after the header (well-formed or not).
    pub records: u64,
    /// Rows that could not be read (each an input error).
    pub malformed: u64,
    /// Records with result `success`, each judged as an access.
    pub successes: u64,
    /// Successes denied, by requirement (a record counts once per
    /// requirement that denies it), in catalogue order.
    pub denials: Vec<(String, u64)>,
    /// The earliest record's time, in Taiwan time (ISO 8601).
    pub earliest: Option<String>,
    /// The latest record's time.
    pub latest: Option<String>,
    /// Notes about how the log was read (a Big5 file).
    pub warnings: Vec<Localized>,
}

impl SubmissionReport {
    /// The file, relative to the submission, where a finding belongs: its
    /// location's, or for a missing document item the rules document.
    #[must_use]
    pub fn file_of<'a>(&'a self, finding: &'a Finding) -> &'a str {
        finding.location.as_ref().map_or_else(
            || self.rules.as_deref().unwrap_or("rules.md"),
            |l| l.file.name(),
        )
    }
}

/// What a baseline did to one submission's findings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BaselineCount {
    /// Findings in the baseline found again: not reported.
    pub unchanged: usize,
    /// Findings in the baseline no longer found: fixed.
    pub fixed: usize,
}

impl SubmissionReport {
    /// Count of the findings of a severity that count (not waived).
    #[must_use]
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity && f.counts())
            .count()
    }

    /// Count of the waived findings.
    #[must_use]
    pub fn waived(&self) -> usize {
        self.findings.iter().filter(|f| !f.counts()).count()
    }
}

/// What every submission of one run shares: the header of every format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    /// The version asked for on the command line, or the default.
    pub regulation: Version,
    /// The date expiries and deadlines are judged on.
    pub as_of: Date,
    /// Whether personal data are shown unmasked.
    pub show_personal_data: bool,
}

impl Run {
    /// What to mask in the output of one submission.
    #[must_use]
    pub fn masking<'a>(&self, submission: &'a SubmissionReport) -> Masker<'a> {
        Masker {
            show: self.show_personal_data,
            values: &submission.personal,
        }
    }

    /// The masker of one submission, compiled once: a renderer takes it
    /// once per submission and masks every text of it with it; the next
    /// renderer of the same submission reuses it.
    #[must_use]
    pub fn masker<'a>(&self, submission: &'a SubmissionReport) -> CompiledMasker<'a> {
        self.masking(submission)
            .compile_cached(&submission.masker_cache)
    }
}

/// The report on every submission checked.
#[derive(Debug, Clone)]
pub struct Report {
    /// What the submissions share.
    pub run: Run,
    /// Submissions, sorted by path.
    pub submissions: Vec<SubmissionReport>,
}

/// Counts for the summary, kept as reports stream by.
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
    /// Submissions with a warning that counts (for `--fail-on warning`).
    pub warned: usize,
    /// Waived findings.
    pub waived: usize,
    /// With `--baseline`: findings left out as already known, and baseline
    /// findings no longer found.
    pub baseline: Option<BaselineCount>,
}

/// What makes a check exit with 1 (`--fail-on`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FailOn {
    /// A finding of severity error (the default).
    #[default]
    Error,
    /// A finding of severity error or warning.
    Warning,
    /// Nothing: only unreadable input (2) changes the exit code.
    Never,
}

impl FailOn {
    /// Every value, as `--fail-on` names it.
    pub const ALL: [(&'static str, FailOn); 3] = [
        ("error", FailOn::Error),
        ("warning", FailOn::Warning),
        ("never", FailOn::Never),
    ];
}

impl Summary {
    /// Count one more submission.
    pub fn add(&mut self, submission: &SubmissionReport) {
        self.submissions += 1;
        if submission.count(Severity::Warning) > 0 {
            self.warned += 1;
        }
        self.waived += submission.waived();
        if let Some(b) = submission.baseline {
            let total = self.baseline.get_or_insert_with(BaselineCount::default);
            total.unchanged += b.unchanged;
            total.fixed += b.fixed;
        }
        match submission.verdict {
            Verdict::Pass => self.pass += 1,
            Verdict::Fail => self.fail += 1,
            Verdict::Error => self.error += 1,
        }
    }

    /// The outcome: [`ExitStatus::Failure`] if any submission could not be
    /// read, else [`ExitStatus::Findings`] if any has an error finding.
    #[must_use]
    pub fn exit_status(&self) -> ExitStatus {
        self.exit_status_on(FailOn::Error)
    }

    /// The outcome when `fail_on` decides what makes exit code 1.
    #[must_use]
    pub fn exit_status_on(&self, fail_on: FailOn) -> ExitStatus {
        let findings = match fail_on {
            FailOn::Error => self.fail > 0,
            FailOn::Warning => self.fail > 0 || self.warned > 0,
            FailOn::Never => false,
        };
        if self.error > 0 {
            ExitStatus::Failure
        } else if findings {
            ExitStatus::Findings
        } else {
            ExitStatus::Clean
        }
    }
}

/// The outcome of a command, as its documented exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    /// 0: no finding of severity error.
    Clean,
    /// 1: at least one finding of severity error.
    Findings,
    /// 2: a usage error, an input that could not be read, or output that
    /// could not be written.
    Failure,
}

impl ExitStatus {
    /// The exit code.
    #[must_use]
    pub fn code(self) -> u8 {
        match self {
            Self::Clean => 0,
            Self::Findings => 1,
            Self::Failure => 2,
        }
    }

    /// The worse of two outcomes (2 wins over 1 wins over 0).
    #[must_use]
    pub fn worst(self, other: Self) -> Self {
        self.max(other)
    }
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        Self::from(status.code())
    }
}

impl Report {
    /// The summary counts.
    #[must_use]
    pub fn summary(&self) -> Summary {
        let mut summary = Summary::default();
        for s in &self.submissions {
            summary.add(s);
        }
        summary
    }

    /// The outcome of the check.
    #[must_use]
    pub fn exit_status(&self) -> ExitStatus {
        self.summary().exit_status()
    }

    /// The process exit code: 2 if any submission could not be read, else
    /// 1 if any finding is of severity error, else 0.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        self.exit_status().code()
    }
}
