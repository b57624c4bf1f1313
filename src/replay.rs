//! The usage log replayed (point 5(3)): each row read as it streams by,
//! each record's fields and each `success` judged by the policies as an
//! access of its user, and every denial a finding at the record's line.
//! Only the rows that are reported are kept (as one-row excerpts), so a log
//! of any length is replayed in flat memory.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use aho_corasick::AhoCorasick;
use serde::Deserialize;

use crate::catalog::{Catalog, Version};
use crate::cedar::access::{Access, Filled, Judge, LogFacts};
use crate::cedar::{EvalError, PolicyMeta};
use crate::checker::Checker;
use crate::date::Date;
use crate::extract::config::{AccessConfig, UserStatus};
use crate::extract::log::{self, COLUMNS, LOG_FILE, Moment, Outcome, Place, Row};
use crate::findings::{self, Submitted};
use crate::report::{Finding, InputError, Location, LogSummary};
use crate::source::Span;
use crate::{tr, tr_n};

/// Rows that could not be read, reported one by one up to this many; the
/// rest are counted in one more error and in the summary.
pub const MAX_ROW_ERRORS: usize = 200;

/// What the usage log's records are read for (`data/usage-log.toml`).
#[derive(Debug, Clone)]
pub struct LogTerms {
    protected: Option<AhoCorasick>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LogTermsFile {
    protected_person_terms: Vec<String>,
}

/// An error in `data/usage-log.toml`.
#[derive(Debug, thiserror::Error)]
#[error("data/usage-log.toml: {0}")]
pub struct LogTermsError(String);

impl LogTerms {
    /// Parse `data/usage-log.toml`.
    ///
    /// # Errors
    /// When it does not parse.
    pub fn from_toml(text: &str) -> Result<Self, LogTermsError> {
        let file: LogTermsFile = toml::from_str(text).map_err(|e| LogTermsError(e.to_string()))?;
        let terms: Vec<String> = file
            .protected_person_terms
            .into_iter()
            .filter(|t| !t.trim().is_empty())
            .collect();
        let protected = if terms.is_empty() {
            None
        } else {
            Some(AhoCorasick::new(&terms).map_err(|e| LogTermsError(e.to_string()))?)
        };
        Ok(Self { protected })
    }

    /// Whether a record's content names important and specific persons.
    #[must_use]
    pub fn protected_person(&self, content: &str) -> bool {
        self.protected
            .as_ref()
            .is_some_and(|ac| ac.is_match(content))
    }
}

/// The replay of one submission's usage log.
#[derive(Debug, Clone, Default)]
pub struct Replayed {
    /// Findings at the log's rows (and about the log as a whole), unsorted.
    pub findings: Vec<Finding>,
    /// Rows that could not be read, or the log itself.
    pub errors: Vec<InputError>,
    /// What was read; `None` when the log could not be read at all.
    pub summary: Option<LogSummary>,
    /// Personnel numbers shown in the reported rows, to be masked.
    pub personal: Vec<String>,
    /// Cedar requests evaluated (the rest came from the decision cache).
    pub evaluated: u64,
}

/// The placeholder values of each user of `access.yaml` that access
/// messages use.
fn user_vars(config: &AccessConfig) -> Vec<BTreeMap<&'static str, String>> {
    let approved = config
        .application
        .get()
        .and_then(|a| a.approved_on.get())
        .map(ToString::to_string)
        .unwrap_or_default();
    config
        .users
        .iter()
        .map(|u| {
            let user = u.value();
            let certificate = user.certificate.get();
            let date = |d: Option<&Date>| d.map(ToString::to_string).unwrap_or_default();
            let status = user.status.get().copied().unwrap_or(UserStatus::Active);
            let status = serde_json::to_value(status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            BTreeMap::from([
                ("approved_on", approved.clone()),
                (
                    "expires_on",
                    date(certificate.and_then(|c| c.expires_on.get())),
                ),
                ("lost_on", date(certificate.and_then(|c| c.lost_on.get()))),
                (
                    "account_ended_on",
                    date(
                        user.termination
                            .get()
                            .and_then(|t| t.account_ended_on.get()),
                    ),
                ),
                ("status_changed_on", date(user.status_changed_on.get())),
                ("status", status),
            ])
        })
        .collect()
}

/// Counts and bounds kept as rows stream by.
#[derive(Default)]
struct Tally {
    records: u64,
    malformed: u64,
    successes: u64,
    denials: BTreeMap<String, u64>,
    earliest: Option<Moment>,
    latest: Option<Moment>,
    earliest_place: Option<(Arc<crate::source::SourceFile>, Span)>,
}

struct Replay<'a, 'e> {
    checker: &'a Checker,
    cx: findings::Context<'a>,
    judge: Judge<'e>,
    vars: Vec<BTreeMap<&'static str, String>>,
    out: Replayed,
    personal: BTreeSet<String>,
    tally: Tally,
    failed: Option<EvalError>,
}

impl Replay<'_, '_> {
    fn row(&mut self, row: &Row<'_>, place: &Place<'_>) {
        if self.failed.is_some() {
            return;
        }
        self.tally.records += 1;
        match row {
            Row::Bad(bad) => {
                self.tally.malformed += 1;
                if self.out.errors.len() < MAX_ROW_ERRORS {
                    let file = place.excerpt();
                    if let Some(first) = file.text().split(',').next() {
                        self.personal.insert(first.trim().to_owned());
                    }
                    self.out.errors.push(InputError {
                        message: bad.message.clone(),
                        help: Some(bad.help.clone()),
                        file: Some(LOG_FILE.to_owned()),
                        location: Some(Location {
                            file,
                            span: bad.span,
                        }),
                    });
                }
            }
            Row::Record(record) => {
                if let Err(e) = self.record(record, place) {
                    self.failed = Some(e);
                }
            }
        }
    }

    fn record(&mut self, record: &log::Record<'_>, place: &Place<'_>) -> Result<(), EvalError> {
        let mut excerpt = None;
        if let Some(time) = record.time {
            if self.tally.earliest.is_none_or(|e| time < e) {
                self.tally.earliest = Some(time);
                let file = place.excerpt();
                let span = record
                    .fields
                    .get(1)
                    .copied()
                    .unwrap_or_else(|| place.whole());
                excerpt = Some(Arc::clone(&file));
                self.tally.earliest_place = Some((file, span));
            }
            if self.tally.latest.is_none_or(|l| time > l) {
                self.tally.latest = Some(time);
            }
        }
        let filled = Filled {
            user: !record.user.is_empty(),
            time: record.time.is_some(),
            function: !record.function.is_empty(),
            content: !record.content.is_empty(),
            result: record.result.is_some(),
        };
        let denied = self.judge.record(filled)?;
        for meta in denied {
            let column = meta
                .column
                .as_deref()
                .and_then(|c| COLUMNS.iter().position(|k| *k == c));
            let span = column
                .and_then(|i| record.fields.get(i).copied())
                .unwrap_or_else(|| place.whole());
            let file = excerpt.get_or_insert_with(|| place.excerpt());
            self.found(
                meta,
                Arc::clone(file),
                span,
                None,
                BTreeMap::new(),
                record.user,
            );
        }
        let (Some(Outcome::Success), Some(time)) = (record.result, record.time) else {
            return Ok(());
        };
        if record.function.is_empty() {
            return Ok(());
        }
        self.tally.successes += 1;
        let user = self.judge.user(record.user);
        let access = Access {
            user,
            function: record.function,
            day: time.day(),
            protected_person: self.checker.log_terms().protected_person(record.content),
        };
        let denied = self.judge.access(access)?;
        let mut requirements: Vec<&str> = denied.iter().map(|m| m.requirement.as_str()).collect();
        requirements.dedup();
        for requirement in requirements {
            *self
                .tally
                .denials
                .entry(requirement.to_owned())
                .or_default() += 1;
        }
        for meta in denied {
            let mut vars = user
                .and_then(|i| self.vars.get(i))
                .cloned()
                .unwrap_or_default();
            vars.insert("user", record.user.to_owned());
            vars.insert("function", record.function.to_owned());
            vars.insert("time", record.time_text.to_owned());
            let file = excerpt.get_or_insert_with(|| place.excerpt());
            let subject = user.map(|i| format!("users[{i}]"));
            self.found(
                meta,
                Arc::clone(file),
                place.whole(),
                subject,
                vars,
                record.user,
            );
        }
        Ok(())
    }

    fn found(
        &mut self,
        meta: &PolicyMeta,
        file: Arc<crate::source::SourceFile>,
        span: Span,
        subject: Option<String>,
        vars: BTreeMap<&'static str, String>,
        user: &str,
    ) {
        if !user.is_empty() {
            self.personal.insert(user.to_owned());
        }
        let location = Some(Location { file, span });
        self.out
            .findings
            .push(findings::at(&self.cx, meta, location, subject, vars));
    }
}

fn denials_in_order(catalog: &Catalog, denials: BTreeMap<String, u64>) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = denials.into_iter().collect();
    out.sort_by_key(|(name, _)| {
        catalog
            .requirements()
            .iter()
            .position(|r| &r.name == name)
            .unwrap_or(usize::MAX)
    });
    out
}

/// Replay the usage log at `path` against a submission's configuration
/// under the policies of `version`, with the decision cache on or off.
///
/// # Errors
/// On a Cedar error: a defect, never a pass.
pub fn replay(
    checker: &Checker,
    version: Version,
    as_of: Date,
    submitted: &Submitted<'_>,
    path: &Path,
    cached: bool,
) -> Result<Replayed, EvalError> {
    let built = checker.entities(submitted, as_of)?;
    let judge = Judge::new(
        checker.engine(),
        version,
        built.validated_store(checker.engine().schema()?)?,
        submitted.config,
        cached,
    )?;
    let mut replay = Replay {
        checker,
        cx: findings::Context {
            vocabulary: checker.vocabulary(),
            laws: checker.laws(),
            templates: checker.templates(),
            as_of,
        },
        judge,
        vars: user_vars(submitted.config),
        out: Replayed::default(),
        personal: BTreeSet::new(),
        tally: Tally::default(),
        failed: None,
    };
    let opened = log::read(path, checker.reference(), |row, place| {
        replay.row(row, place)
    });
    if let Some(error) = replay.failed {
        return Err(error);
    }
    let opened = match opened {
        Ok(opened) => opened,
        Err(error) => {
            return Ok(Replayed {
                errors: vec![InputError {
                    message: error.message,
                    help: error.help,
                    file: Some(LOG_FILE.to_owned()),
                    location: error.place.map(|(file, span)| Location { file, span }),
                }],
                ..Replayed::default()
            });
        }
    };
    let Replay {
        judge,
        mut out,
        personal,
        tally,
        cx,
        ..
    } = replay;
    if tally.malformed > MAX_ROW_ERRORS as u64 {
        let more = tally.malformed - MAX_ROW_ERRORS as u64;
        out.errors.push(InputError {
            message: tr_n!("log.more-unreadable", more),
            help: Some(tr!("log.more-unreadable-help")),
            file: Some(LOG_FILE.to_owned()),
            location: None,
        });
    }
    let earliest_day = tally.earliest.map(Moment::day);
    let facts = LogFacts {
        earliest: earliest_day,
        earliest_date: earliest_day
            .and_then(Date::from_day_number)
            .map_or(0, Date::ymd_number),
    };
    let approved = submitted
        .config
        .application
        .get()
        .and_then(|a| a.approved_on.get())
        .map(ToString::to_string)
        .unwrap_or_default();
    for meta in judge.log(facts)? {
        let vars = BTreeMap::from([
            (
                "earliest",
                tally.earliest.map(Moment::display).unwrap_or_default(),
            ),
            ("approved_on", approved.clone()),
        ]);
        let (file, span) = tally
            .earliest_place
            .clone()
            .unwrap_or_else(|| opened.header.clone());
        let location = Some(Location { file, span });
        out.findings
            .push(findings::at(&cx, meta, location, None, vars));
    }
    let mut warnings = Vec::new();
    if opened.encoding == log::Encoding::Big5 {
        warnings.push(tr!("log.big5-read", file = LOG_FILE));
    }
    out.evaluated = judge.evaluated;
    out.summary = Some(LogSummary {
        encoding: opened.encoding.as_str(),
        records: tally.records,
        malformed: tally.malformed,
        successes: tally.successes,
        denials: denials_in_order(checker.catalog(), tally.denials),
        earliest: tally.earliest.map(Moment::display),
        latest: tally.latest.map(Moment::display),
        warnings,
    });
    out.personal = personal
        .into_iter()
        .filter(|v| v.is_ascii() && v.len() >= 4)
        .collect();
    Ok(out)
}

/// The decision on one access asked by `niacheck authorize`.
#[derive(Debug, Clone)]
pub struct Authorization {
    /// The personnel number asked about.
    pub user: String,
    /// The function asked about.
    pub function: String,
    /// The moment asked about, in Taiwan time.
    pub at: String,
    /// The version judged by.
    pub regulation: Version,
    /// Whether `user` is registered in `access.yaml`.
    pub registered: bool,
    /// One finding (with no place) per policy that denies the access, in
    /// catalogue order; empty when it is allowed.
    pub denials: Vec<Finding>,
}

impl Authorization {
    /// Whether the policies allow the access.
    #[must_use]
    pub fn allowed(&self) -> bool {
        self.denials.is_empty()
    }
}

/// Ask the policies of `version` whether `user` could use `function` at
/// `at`, against a submission's configuration: the same request as a
/// usage-log record with result `success` and content that names no
/// protected person.
///
/// # Errors
/// On a Cedar error: a defect, never an allow.
pub fn authorize(
    checker: &Checker,
    version: Version,
    submitted: &Submitted<'_>,
    user: &str,
    function: &str,
    at: Moment,
) -> Result<Authorization, EvalError> {
    let as_of = Date::from_day_number(at.day()).unwrap_or_else(Date::today);
    let built = checker.entities(submitted, as_of)?;
    let mut judge = Judge::new(
        checker.engine(),
        version,
        built.validated_store(checker.engine().schema()?)?,
        submitted.config,
        false,
    )?;
    let index = judge.user(user);
    let denied = judge.access(Access {
        user: index,
        function,
        day: at.day(),
        protected_person: false,
    })?;
    let cx = findings::Context {
        vocabulary: checker.vocabulary(),
        laws: checker.laws(),
        templates: checker.templates(),
        as_of,
    };
    let all_vars = user_vars(submitted.config);
    let time = at.display();
    let mut denials: Vec<Finding> = denied
        .into_iter()
        .map(|meta| {
            let mut vars = index
                .and_then(|i| all_vars.get(i))
                .cloned()
                .unwrap_or_default();
            vars.insert("user", user.to_owned());
            vars.insert("function", function.to_owned());
            vars.insert("time", time.clone());
            let subject = index.map(|i| format!("users[{i}]"));
            findings::at(&cx, meta, None, subject, vars)
        })
        .collect();
    findings::sort(checker.catalog(), &mut denials);
    Ok(Authorization {
        user: user.to_owned(),
        function: function.to_owned(),
        at: time,
        regulation: version,
        registered: index.is_some(),
        denials,
    })
}
