//! One submission's pipeline, as pure functions of what the [`Checker`]
//! loaded: read the files → extract facts → build entities → let Cedar
//! decide → assemble findings. No threads, no output: the driver
//! (`check`) runs this per submission and the renderers format the result.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::baseline::{self, Baseline};
use crate::catalog::{Severity, Version};
use crate::cedar::EvalError;
use crate::checker::Checker;
use crate::date::Date;
use crate::extract::config::{self, AccessConfig};
use crate::extract::document::{self, DocumentFacts};
use crate::extract::log;
use crate::findings::{self, Submitted};
use crate::replay::{self, Replayed};
use crate::report::{Finding, InputError, Location, Notice, SubmissionReport, Verdict};
use crate::source::SourceFile;
use crate::submission;
use crate::tr;
use crate::waivers::{WAIVERS_FILE, Waivers};

/// A submission read and its facts extracted, ready to be judged under
/// any version: `migrate` judges one [`Read`] twice.
#[derive(Debug)]
pub struct Read {
    /// The folder, as given joined with the folder found.
    pub path: String,
    /// The parsed configuration.
    pub config: AccessConfig,
    /// The configuration's file.
    pub access: Arc<SourceFile>,
    /// The rules document's file (empty when it could not be read).
    pub rules: Arc<SourceFile>,
    /// Why the rules document could not be read, if it could not: the
    /// configuration is judged all the same, and the requirements checked
    /// from the document are `not-checked` (unless the configuration
    /// already shows a gap of theirs).
    pub rules_unread: Option<InputError>,
    /// Facts of the rules document.
    pub facts: DocumentFacts,
    /// The submission's own `waivers.yaml`, if it has one.
    pub waivers: Option<Waivers>,
    /// The usage log's path when the folder has one (read as it is
    /// judged, never held), or why it cannot be used.
    pub log: Option<Result<PathBuf, Box<InputError>>>,
    /// How the files were read, for the reader: encodings other than
    /// UTF-8, dates normalised from 民國 forms.
    pub notices: Vec<Notice>,
}

/// What the review of a run brings besides the policies: a central waivers
/// file and a baseline.
#[derive(Debug, Clone, Copy, Default)]
pub struct Review<'a> {
    /// `--waivers FILE`.
    pub waivers: Option<&'a Waivers>,
    /// `--baseline FILE`.
    pub baseline: Option<&'a Baseline>,
}

impl Read {
    /// The parts of the submission that the judge reads.
    #[must_use]
    pub fn submitted(&self) -> Submitted<'_> {
        Submitted {
            config: &self.config,
            access: &self.access,
            facts: &self.facts,
            rules: &self.rules,
        }
    }

    /// The version to judge by: `regulation` if given, else the
    /// configuration's own `regulation:`, else the amended text.
    #[must_use]
    pub fn version(&self, regulation: Option<Version>) -> Version {
        regulation
            .or_else(|| self.config.regulation.as_ref().map(|r| *r.value()))
            .unwrap_or(Version::Amended)
    }

    /// The agency's tier as the configuration spells it.
    #[must_use]
    pub fn tier(&self) -> Option<String> {
        let tier = self.config.agency.value().tier.get()?;
        serde_json::to_value(tier)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
    }

    /// The personal values the configuration declares (personnel numbers,
    /// certificate serials, names): what reports mask unless personal data
    /// are shown.
    #[must_use]
    pub fn personal_values(&self) -> Vec<String> {
        crate::privacy::personal_values(&self.config)
    }
}

/// Why a submission could not be read: every input error found, and the
/// agency's name when the configuration gave it (an unreadable rules
/// document does not hide who submitted it).
#[derive(Debug, Clone)]
pub struct Unread {
    /// The input errors, in the order of the files and of their text.
    pub errors: Vec<InputError>,
    /// The agency, if the configuration could be read.
    pub agency: Option<String>,
}

impl From<InputError> for Unread {
    fn from(error: InputError) -> Self {
        Self {
            errors: vec![error],
            agency: None,
        }
    }
}

impl From<Vec<InputError>> for Unread {
    fn from(errors: Vec<InputError>) -> Self {
        Self {
            errors,
            agency: None,
        }
    }
}

/// Read a submission folder: its configuration, its rules document, and
/// the facts of the document.
///
/// # Errors
/// Every input error that stops the submission from being judged: all the
/// configuration's at once, with the agency's name and every unknown
/// function name. A rules document that cannot be read does not stop it
/// when the configuration has no error ([`Read::rules_unread`]).
pub fn read(checker: &Checker, path: &Path) -> Result<Read, Box<Unread>> {
    let access_name = submission::ACCESS_FILE;
    let access = submission::read_in(path, access_name)
        .map_err(|e| Box::new(Unread::from(InputError::unreadable(access_name, *e))))?;
    let access = Arc::new(access);
    let mut notices: Vec<Notice> = decoded(&access).into_iter().collect();
    let (config, dates) = crate::date::collect_normalised(|| config::parse(access.text()));
    let config =
        config.map_err(|e| Box::new(Unread::from(InputError::config_syntax(&access, e))))?;
    notices.extend(normalised(&access, &dates));
    let mut errors = unknown_functions(checker, &config, &access);
    let (rules_name, rules_span) = match config.rules.as_ref() {
        Some(rules) => (rules.value().clone(), Some(rules.span())),
        None => {
            let present = submission::rules_present(path);
            let read = present.first().copied().unwrap_or("rules.md");
            if present.len() > 1 {
                notices.push(Notice {
                    message: tr!(
                        "pipeline.several-rules",
                        found = crate::i18n::list(&present),
                        read = read
                    ),
                    help: Some(tr!("pipeline.several-rules-help")),
                    location: None,
                });
            }
            (read.to_owned(), None)
        }
    };
    let rules = match submission::open_plain(path, &rules_name) {
        Some((_, file)) => submission::read_rules_opened(&file, &rules_name)
            .map_err(|e| Box::new(InputError::unreadable(&rules_name, *e))),
        None => submission::confine(path, &rules_name)
            .map_err(|e| Box::new(InputError::rules_path(&access, rules_span, *e)))
            .and_then(|rules_path| {
                submission::read_rules(&rules_path, &rules_name)
                    .map_err(|e| Box::new(InputError::unreadable(&rules_name, *e)))
            }),
    };
    let agency = Some(config.agency.value().name.value().clone());
    let (rules, rules_unread) = match rules {
        Ok(rules) if errors.is_empty() => (Arc::new(rules), None),
        Ok(_) => return Err(Box::new(Unread { errors, agency })),
        Err(error) if errors.is_empty() => (
            Arc::new(SourceFile::new(rules_name.as_str(), "")),
            Some(*error),
        ),
        Err(error) => {
            errors.push(*error);
            return Err(Box::new(Unread { errors, agency }));
        }
    };
    notices.extend(decoded(&rules));
    // An unread document is judged as empty text, whose requests are not
    // asked (`decide_on`): its facts only keep the entities whole.
    let facts = document::extract(rules.text(), checker.vocabulary(), checker.laws());
    if let Some((span, _, _)) = crate::extract::citation::too_many(&facts.citations) {
        let message = crate::tr!(
            "errors.too-many-citations",
            max = crate::extract::citation::MAX_CITATIONS,
            count = facts.citations.len()
        );
        return Err(Box::new(Unread {
            errors: vec![InputError::too_many_citations(&rules, span, message)],
            agency,
        }));
    }
    let waivers = read_waivers(checker, path, &mut notices).map_err(|e| {
        Box::new(Unread {
            errors: vec![*e],
            agency: agency.clone(),
        })
    })?;
    Ok(Read {
        path: path.display().to_string(),
        config,
        access,
        rules,
        rules_unread,
        facts,
        waivers,
        log: usage_log(path),
        notices,
    })
}

/// The notice that `file` was decoded from another encoding than UTF-8,
/// with how to save it as UTF-8.
#[must_use]
pub fn decoded(file: &Arc<SourceFile>) -> Option<Notice> {
    let encoding = file.encoding()?;
    let name = file.name();
    Some(Notice {
        message: tr!("pipeline.decoded", name = name, encoding = encoding),
        help: Some(tr!("pipeline.decoded-help")),
        location: None,
    })
}

/// One notice for the dates of `file` written otherwise than as ISO:
/// where the first is, what it was read as, and how many there are.
#[must_use]
pub fn normalised(file: &Arc<SourceFile>, dates: &[crate::date::Normalised]) -> Option<Notice> {
    let first = dates.first()?;
    let name = file.name();
    let count = dates.len();
    let (written, iso) = (&first.written, first.date);
    let span = file
        .text()
        .find(written.as_str())
        .map(|at| crate::source::Span::new(at, at.saturating_add(written.len())));
    let others = count.saturating_sub(1);
    Some(Notice {
        message: if others > 0 {
            tr!(
                "pipeline.normalised-more",
                name = name,
                written = written,
                iso = iso,
                others = others
            )
        } else {
            tr!(
                "pipeline.normalised",
                name = name,
                written = written,
                iso = iso
            )
        },
        help: None,
        location: span.map(|span| Location {
            file: Arc::clone(file),
            span,
        }),
    })
}

/// A notice for each deadline of the configuration whose deciding days
/// fall in a year `data/holidays.toml` does not cover: it was counted with
/// weekends only.
fn uncovered_deadlines(checker: &Checker, read: &Read) -> Vec<Notice> {
    use crate::calendar::{FAX_DOCUMENT, INQUIRY, LOST_CERTIFICATE};
    let calendar = checker.calendar();
    let config = &read.config;
    let lost = config
        .users
        .iter()
        .filter_map(|u| u.value().certificate.as_ref())
        .filter_map(|c| c.value().lost_on.as_ref())
        .map(|d| (LOST_CERTIFICATE, d));
    let inquiries = config.inquiries.iter().flat_map(|i| {
        let i = i.value();
        [
            i.data_obtained_on.as_ref().map(|d| (INQUIRY, d)),
            i.faxed_on.as_ref().map(|d| (FAX_DOCUMENT, d)),
        ]
        .into_iter()
        .flatten()
    });
    lost.chain(inquiries)
        .filter_map(|(id, date)| {
            let start = *date.value();
            // A year the data lacks, else one it has only as computed.
            let (message, year) = match calendar.uncovered_year(id, start) {
                Some(year) => (
                    tr!("pipeline.uncovered", id = id, from = start, year = year),
                    year,
                ),
                None => {
                    let year = calendar.unverified_year(id, start)?;
                    let message = tr!("pipeline.unverified", id = id, from = start, year = year);
                    (message, year)
                }
            };
            Some(Notice {
                message,
                help: Some(tr!("pipeline.uncovered-help", year = year)),
                location: Some(Location {
                    file: Arc::clone(&read.access),
                    span: date.span(),
                }),
            })
        })
        .collect()
}

/// The submission's `waivers.yaml`, if there is one.
fn read_waivers(
    checker: &Checker,
    path: &Path,
    notices: &mut Vec<Notice>,
) -> Result<Option<Waivers>, Box<InputError>> {
    let name = WAIVERS_FILE;
    // One look: a name that is not there at all (not even as a dangling
    // link, which is read and refused below).
    if std::fs::symlink_metadata(path.join(name)).is_err() {
        return Ok(None);
    }
    let file = submission::confine(path, name)
        .and_then(|p| submission::read_text(&p, name))
        .map_err(|e| Box::new(InputError::unreadable(name, *e)))?;
    let file = Arc::new(file);
    notices.extend(decoded(&file));
    let (waivers, dates) = crate::date::collect_normalised(|| {
        Waivers::parse(Arc::clone(&file), checker.catalog(), false)
    });
    notices.extend(normalised(&file, &dates));
    waivers.map(Some)
}

/// The usage log of a folder, if it has one, confined to the folder.
fn usage_log(path: &Path) -> Option<Result<PathBuf, Box<InputError>>> {
    let log_path = path.join(log::LOG_FILE);
    std::fs::symlink_metadata(&log_path).ok()?;
    Some(
        submission::confine(path, log::LOG_FILE)
            .map_err(|e| Box::new(InputError::unreadable(log::LOG_FILE, *e))),
    )
}

/// Replay the usage log, if there is one: `None` when the folder has none.
///
/// # Errors
/// On any Cedar error: a defect, never a pass.
pub fn replay(
    checker: &Checker,
    read: &Read,
    version: Version,
    as_of: Date,
) -> Result<Option<Replayed>, EvalError> {
    match &read.log {
        None => Ok(None),
        Some(Err(error)) => Ok(Some(Replayed {
            errors: vec![(**error).clone()],
            ..Replayed::default()
        })),
        Some(Ok(path)) => {
            replay::replay(checker, version, as_of, &read.submitted(), path, true).map(Some)
        }
    }
}

/// Every function name that is not one of NIA's, each at its place.
fn unknown_functions(
    checker: &Checker,
    config: &AccessConfig,
    access: &Arc<SourceFile>,
) -> Vec<InputError> {
    let reference = checker.reference();
    let application = config
        .application
        .as_ref()
        .into_iter()
        .flat_map(|a| a.value().functions.iter());
    let users = config.users.iter().flat_map(|u| u.value().functions.iter());
    let known: Vec<&str> = reference
        .functions()
        .iter()
        .map(|f| f.id.as_str())
        .collect();
    application
        .chain(users)
        .filter(|f| reference.function(f.value()).is_none())
        .map(|unknown| {
            let closest = known
                .iter()
                .min_by_key(|k| config::edit_distance(unknown.value(), k))
                .copied()
                .unwrap_or_default();
            InputError::unknown_function(access, unknown.span(), unknown.value(), closest, &known)
        })
        .collect()
}

/// Let the policies of `version` judge a submission's facts: the findings,
/// sorted.
///
/// # Errors
/// On any Cedar error: a defect, never a pass.
pub fn decide(
    checker: &Checker,
    version: Version,
    as_of: Date,
    submitted: &Submitted<'_>,
) -> Result<Vec<Finding>, EvalError> {
    decide_on(checker, version, as_of, submitted, true)
}

/// [`decide`], asking about the rules document only when it was read
/// (`document`): without it, only the configuration's requests are asked.
fn decide_on(
    checker: &Checker,
    version: Version,
    as_of: Date,
    submitted: &Submitted<'_>,
    document: bool,
) -> Result<Vec<Finding>, EvalError> {
    let mut built = checker.entities(submitted, as_of)?;
    if !document {
        built
            .asks
            .retain(|(_, subject)| matches!(subject, crate::cedar::entities::Subject::Config(_)));
    }
    let asks: Vec<_> = built.asks.iter().map(|(a, _)| a.clone()).collect();
    let decisions = checker.engine().evaluate(version, &built, &asks)?;
    Ok(assemble(checker, as_of, submitted, &built, decisions))
}

/// The findings of the decisions on `built`'s requests (one list of
/// forbidding policies per request, in request order), sorted.
#[must_use]
pub fn assemble(
    checker: &Checker,
    as_of: Date,
    submitted: &Submitted<'_>,
    built: &crate::cedar::entities::Facts,
    decisions: Vec<Vec<&crate::cedar::PolicyMeta>>,
) -> Vec<Finding> {
    let cx = findings::Context {
        vocabulary: checker.vocabulary(),
        laws: checker.laws(),
        templates: checker.templates(),
        as_of,
    };
    let located = |index| {
        built.located(
            index,
            submitted.config,
            checker.reference(),
            checker.calendar(),
        )
    };
    let mut out = Vec::new();
    for ((_, subject), denied) in built.asks.iter().zip(decisions) {
        for meta in denied {
            out.push(findings::finding(&cx, meta, *subject, submitted, &located));
        }
    }
    findings::sort(checker.catalog(), &mut out);
    out
}

/// Judge a submission under `version`: its report. Waivers mark the
/// findings they cover; a baseline leaves out the findings it knows.
#[must_use]
pub fn judge(
    checker: &Checker,
    read: &Read,
    version: Version,
    as_of: Date,
    review: Review<'_>,
) -> SubmissionReport {
    let agency = Some(read.config.agency.value().name.value().clone());
    let document = read.rules_unread.is_none();
    let judged = decide_on(checker, version, as_of, &read.submitted(), document)
        .and_then(|findings| Ok((findings, replay(checker, read, version, as_of)?)));
    let (mut findings, replayed) = match judged {
        Ok(judged) => judged,
        Err(error) => {
            let mut report =
                unreadable(checker, &read.path, version, InputError::internal(&error.0));
            report.agency = agency;
            report.personal = read.personal_values();
            return report;
        }
    };
    let mut personal = read.personal_values();
    // An unreadable rules document is the submission's first input error.
    let mut errors: Vec<InputError> = read.rules_unread.iter().cloned().collect();
    let mut usage_log = None;
    if let Some(replayed) = replayed {
        findings.extend(replayed.findings);
        errors.extend(replayed.errors);
        usage_log = replayed.summary;
        personal.extend(replayed.personal);
        personal.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        personal.dedup();
    }
    let central = review.waivers.map(|w| w.for_submission(&read.path));
    for waivers in read.waivers.iter().chain(central.as_ref()) {
        waivers.apply(checker.catalog(), version, as_of, &mut findings);
    }
    findings::sort(checker.catalog(), &mut findings);
    baseline::assign(&read.path, &mut findings);
    let baseline = review.baseline.map(|b| b.apply(&read.path, &mut findings));
    // A rules document or rows of the usage log that could not be read
    // make the submission unreadable in part: its findings are still
    // reported.
    let verdict = if !errors.is_empty() {
        Verdict::Error
    } else if findings
        .iter()
        .any(|f| f.severity == Severity::Error && f.counts())
    {
        Verdict::Fail
    } else {
        Verdict::Pass
    };
    SubmissionReport {
        path: read.path.clone(),
        agency,
        tier: read.tier(),
        regulation: version,
        verdict,
        requirements: findings::statuses(
            checker.catalog(),
            checker.engine(),
            version,
            &findings,
            true,
            document,
            usage_log.is_some(),
        ),
        findings,
        errors,
        personal,
        masker_cache: crate::privacy::AutomatonCache::default(),
        baseline,
        rules: Some(read.rules.name().to_owned()),
        usage_log,
        notices: read
            .notices
            .iter()
            .cloned()
            .chain(uncovered_deadlines(checker, read))
            .collect(),
    }
}

/// The report of a submission that could not be judged.
#[must_use]
pub fn unreadable(
    checker: &Checker,
    path: &str,
    version: Version,
    unread: impl Into<Unread>,
) -> SubmissionReport {
    let Unread { errors, agency } = unread.into();
    // A configuration that did not parse has its personal values read line
    // by line, so the error and the line it shows are masked too.
    let personal = errors
        .iter()
        .filter_map(|e| e.location.as_ref())
        .find(|l| l.file.name() == submission::ACCESS_FILE)
        .map(|l| crate::privacy::declared_in_yaml(l.file.text()))
        .unwrap_or_default();
    SubmissionReport {
        path: path.to_owned(),
        agency,
        tier: None,
        regulation: version,
        verdict: Verdict::Error,
        requirements: findings::statuses(
            checker.catalog(),
            checker.engine(),
            version,
            &[],
            false,
            false,
            false,
        ),
        findings: Vec::new(),
        errors,
        personal,
        masker_cache: crate::privacy::AutomatonCache::default(),
        baseline: None,
        rules: None,
        usage_log: None,
        notices: Vec::new(),
    }
}

/// Read and judge one submission folder.
#[must_use]
pub fn check_submission(
    checker: &Checker,
    path: &Path,
    regulation: Option<Version>,
    as_of: Date,
    review: Review<'_>,
) -> SubmissionReport {
    match read(checker, path) {
        Ok(read) => judge(checker, &read, read.version(regulation), as_of, review),
        Err(error) => unreadable(
            checker,
            &path.display().to_string(),
            regulation.unwrap_or(Version::Amended),
            *error,
        ),
    }
}
