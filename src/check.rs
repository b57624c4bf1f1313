//! The check pipeline: read a submission, extract facts, let Cedar decide,
//! and turn each decision into a finding at its source.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde::Deserialize;

use crate::calendar::Calendar;
use crate::catalog::{Catalog, MESSAGES_TOML, Version};
use crate::cedar::config::Located;
use crate::cedar::entities::{self, Subject};
use crate::cedar::{Engine, PolicyMeta};
use crate::date::Date;
use crate::extract::citation::Laws;
use crate::extract::config::{self, AccessConfig};
use crate::extract::document::vocabulary::Vocabulary;
use crate::extract::document::{self, DocumentFacts};
use crate::extract::reference::Reference;
use crate::report::{
    Finding, InputError, Localized, Location, Report, RequirementStatus, Status, SubmissionReport,
    Verdict,
};
use crate::source::{SourceFile, Span};
use crate::submission::{self, Found, ReadError};

/// Options of a check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Overrides each configuration's own `regulation`.
    pub regulation: Option<Version>,
    /// The date expiries and deadlines are judged on.
    pub as_of: Date,
    /// Parallel workers.
    pub jobs: usize,
    /// Show personal data unmasked.
    pub show_personal_data: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Template {
    message_zh: String,
    message_en: String,
    help_zh: String,
    help_en: String,
}

/// A submission as read: its configuration, its rules document and the
/// facts extracted from it.
#[derive(Debug, Clone, Copy)]
pub struct Submitted<'a> {
    /// The parsed configuration.
    pub config: &'a AccessConfig,
    /// The configuration's file.
    pub access: &'a Arc<SourceFile>,
    /// Facts of the rules document.
    pub facts: &'a DocumentFacts,
    /// The rules document's file.
    pub rules: &'a Arc<SourceFile>,
}

/// An error at start-up: the embedded catalogue, policies or data are
/// invalid. A defect of the build, never of the user's input.
#[derive(Debug, thiserror::Error)]
#[error("internal error: {0}")]
pub struct StartupError(pub String);

/// Everything loaded once and shared by every check.
#[derive(Debug)]
pub struct Checker {
    catalog: Catalog,
    engine: Engine,
    vocabulary: Vocabulary,
    laws: Laws,
    reference: Reference,
    calendar: Calendar,
    templates: BTreeMap<String, Template>,
}

impl Checker {
    /// Load the embedded catalogue, policies (validated in strict mode) and data.
    ///
    /// # Errors
    /// When any embedded file is invalid.
    pub fn new() -> Result<Self, StartupError> {
        let catalog = Catalog::embedded().map_err(|e| StartupError(e.to_string()))?;
        let engine = Engine::new(&catalog).map_err(|e| StartupError(e.to_string()))?;
        let vocabulary = Vocabulary::from_toml(crate::catalog::VOCABULARY_TOML)
            .map_err(|e| StartupError(e.to_string()))?;
        let laws =
            Laws::from_toml(crate::catalog::LAWS_TOML).map_err(|e| StartupError(e.to_string()))?;
        let reference = Reference::from_toml(
            crate::catalog::FUNCTIONS_TOML,
            crate::catalog::AGENCIES_TOML,
        )
        .map_err(|e| StartupError(e.to_string()))?;
        let calendar = Calendar::from_toml(
            crate::catalog::DEADLINES_TOML,
            crate::catalog::HOLIDAYS_TOML,
        )
        .map_err(|e| StartupError(e.to_string()))?;
        let templates: BTreeMap<String, Template> =
            toml::from_str(MESSAGES_TOML).map_err(|e| StartupError(format!("messages: {e}")))?;
        Ok(Self {
            catalog,
            engine,
            vocabulary,
            laws,
            reference,
            calendar,
            templates,
        })
    }

    /// The catalogue.
    #[must_use]
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The Cedar engine.
    #[must_use]
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The vocabulary.
    #[must_use]
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// The laws.
    #[must_use]
    pub fn laws(&self) -> &Laws {
        &self.laws
    }

    /// Functions and forwarding agencies.
    #[must_use]
    pub fn reference(&self) -> &Reference {
        &self.reference
    }

    /// Working days and time limits.
    #[must_use]
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// Check every submission under `paths`.
    #[must_use]
    pub fn check_paths(&self, paths: &[PathBuf], options: &CheckOptions) -> Report {
        let found = submission::discover(paths);
        let next = AtomicUsize::new(0);
        let results: Mutex<Vec<(usize, SubmissionReport)>> =
            Mutex::new(Vec::with_capacity(found.len()));
        let workers = options.jobs.clamp(1, found.len().max(1));
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| {
                    let mut local = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = found.get(i) else { break };
                        let report = match item {
                            Found::Submission(path) => self.check_submission(path, options),
                            Found::Problem(path, message) => self.unreadable(
                                path,
                                options,
                                InputError {
                                    message: message.clone(),
                                    help: None,
                                    file: None,
                                    location: None,
                                },
                            ),
                        };
                        local.push((i, report));
                    }
                    if let Ok(mut all) = results.lock() {
                        all.extend(local);
                    }
                });
            }
        });
        let mut results = results.into_inner().unwrap_or_default();
        results.sort_by_key(|(i, _)| *i);
        Report {
            regulation: options.regulation.unwrap_or(Version::Amended),
            as_of: options.as_of,
            submissions: results.into_iter().map(|(_, r)| r).collect(),
            show_personal_data: options.show_personal_data,
        }
    }

    fn statuses(
        &self,
        version: Version,
        findings: &[Finding],
        checked: bool,
    ) -> Vec<RequirementStatus> {
        self.catalog
            .requirements()
            .iter()
            .map(|r| {
                let cite = r.cite(version).map(str::to_owned);
                let status = if cite.is_none() {
                    Status::NotApplicable
                } else if !checked || r.is_nia_side() || !self.engine.enforces(version, &r.name) {
                    Status::NotChecked
                } else if findings.iter().any(|f| f.requirement == r.name) {
                    Status::Gap
                } else {
                    Status::Met
                };
                RequirementStatus {
                    name: r.name.clone(),
                    cite,
                    status,
                }
            })
            .collect()
    }

    fn unreadable(
        &self,
        path: &Path,
        options: &CheckOptions,
        error: InputError,
    ) -> SubmissionReport {
        let regulation = options.regulation.unwrap_or(Version::Amended);
        SubmissionReport {
            path: path.display().to_string(),
            agency: None,
            regulation,
            verdict: Verdict::Error,
            requirements: self.statuses(regulation, &[], false),
            findings: Vec::new(),
            // The configuration did not parse: its personal values are read
            // line by line, so the error and the line it shows are masked.
            personal: error
                .location
                .as_ref()
                .filter(|l| l.file.name() == submission::ACCESS_FILE)
                .map(|l| crate::privacy::declared_in_yaml(l.file.text()))
                .unwrap_or_default(),
            errors: vec![error],
        }
    }

    /// The first function name that is not one of NIA's, as an input error
    /// at its place (a typo must not silently narrow a check).
    fn unknown_function(
        &self,
        config: &AccessConfig,
        access: &Arc<SourceFile>,
    ) -> Option<Box<InputError>> {
        let application = config
            .application
            .as_ref()
            .into_iter()
            .flat_map(|a| a.value().functions.iter());
        let users = config.users.iter().flat_map(|u| u.value().functions.iter());
        let unknown = application
            .chain(users)
            .find(|f| self.reference.function(f.value()).is_none())?;
        let known: Vec<&str> = self
            .reference
            .functions()
            .iter()
            .map(|f| f.id.as_str())
            .collect();
        let closest = known
            .iter()
            .min_by_key(|k| config::edit_distance(unknown.value(), k))
            .copied()
            .unwrap_or_default();
        Some(Box::new(InputError {
            message: Localized::new(
                format!("設定檔格式錯誤：未知的作業功能 `{}`", unknown.value()),
                format!("unknown function `{}`", unknown.value()),
            ),
            help: Some(Localized::new(
                format!("是否為 `{closest}`？可用的作業功能：{}", known.join("、")),
                format!(
                    "did you mean `{closest}`? NIA's functions: {}",
                    known.join(", ")
                ),
            )),
            file: Some(submission::ACCESS_FILE.to_owned()),
            location: Some(Location {
                file: Arc::clone(access),
                span: unknown.span(),
            }),
        }))
    }

    fn read_error(name: &str, error: ReadError) -> Box<InputError> {
        let (location, file) = match error.place {
            Some((source, span)) => (
                Some(Location {
                    file: Arc::new(source),
                    span,
                }),
                Some(name.to_owned()),
            ),
            None => (None, Some(name.to_owned())),
        };
        Box::new(InputError {
            message: error.message,
            help: error.help,
            file,
            location,
        })
    }

    /// Check one submission folder.
    #[must_use]
    pub fn check_submission(&self, path: &Path, options: &CheckOptions) -> SubmissionReport {
        match self.try_check(path, options) {
            Ok(report) => report,
            Err(error) => self.unreadable(path, options, *error),
        }
    }

    fn try_check(
        &self,
        path: &Path,
        options: &CheckOptions,
    ) -> Result<SubmissionReport, Box<InputError>> {
        let access_name = submission::ACCESS_FILE;
        let access = submission::read_in(path, access_name)
            .map_err(|e| Self::read_error(access_name, *e))?;
        let access = Arc::new(access);
        let config: AccessConfig = config::parse(access.text()).map_err(|e| {
            Box::new(InputError {
                message: Localized::new(format!("設定檔格式錯誤：{}", e.message_zh), e.message),
                help: e.help.zip(e.help_zh).map(|(en, zh)| Localized::new(zh, en)),
                file: Some(access_name.to_owned()),
                location: e.span.map(|span| Location {
                    file: Arc::clone(&access),
                    span,
                }),
            })
        })?;
        if let Some(error) = self.unknown_function(&config, &access) {
            return Err(error);
        }
        let version = options
            .regulation
            .or_else(|| config.regulation.as_ref().map(|r| *r.value()))
            .unwrap_or(Version::Amended);
        let agency = config.agency.value().name.value().clone();

        let (rules_name, rules_span) = match config.rules.as_ref() {
            Some(rules) => (rules.value().clone(), Some(rules.span())),
            None => ("rules.md".to_owned(), None),
        };
        let located = |e: Box<ReadError>| {
            Box::new(InputError {
                message: e.message,
                help: Some(Localized::new(
                    "`rules:` 應指向送審資料夾內的管理規範 Markdown 檔，例如 `rules: rules.md`",
                    "`rules:` must name the rules document inside the submission folder, e.g. `rules: rules.md`",
                )),
                file: Some(access_name.to_owned()),
                location: rules_span.map(|span| Location {
                    file: Arc::clone(&access),
                    span,
                }),
            })
        };
        let rules_path = submission::confine(path, &rules_name).map_err(located)?;
        let rules = submission::read_text(&rules_path, &rules_name)
            .map_err(|e| Self::read_error(&rules_name, *e))?;
        let rules = Arc::new(rules);

        let facts = document::extract(rules.text(), &self.vocabulary, &self.laws);
        if let Some((span, zh, en)) = crate::extract::citation::too_many(&facts.citations) {
            return Err(Box::new(InputError {
                message: Localized::new(zh, en),
                help: Some(Localized::new(
                    "請送審機關實際的管理規範",
                    "submit the agency's actual rules document",
                )),
                file: Some(rules_name.clone()),
                location: Some(Location {
                    file: Arc::clone(&rules),
                    span,
                }),
            }));
        }
        let submitted = Submitted {
            config: &config,
            access: &access,
            facts: &facts,
            rules: &rules,
        };
        let findings = self
            .judge(version, options.as_of, &submitted)
            .map_err(|e| {
                Box::new(InputError {
                    message: Localized::new(
                        format!("niacheck 內部錯誤：{}", e.0),
                        format!("internal error: {}", e.0),
                    ),
                    help: Some(Localized::same(
                        "please report this defect with the submission attached",
                    )),
                    file: None,
                    location: None,
                })
            })?;
        let verdict = if findings
            .iter()
            .any(|f| f.severity == crate::catalog::Severity::Error)
        {
            Verdict::Fail
        } else {
            Verdict::Pass
        };
        Ok(SubmissionReport {
            path: path.display().to_string(),
            agency: Some(agency),
            regulation: version,
            verdict,
            requirements: self.statuses(version, &findings, true),
            findings,
            errors: Vec::new(),
            personal: crate::privacy::personal_values(&config),
        })
    }

    /// Let the policies of `version` judge a submission's facts.
    ///
    /// # Errors
    /// On any Cedar error: a defect, never a pass.
    pub fn judge(
        &self,
        version: Version,
        as_of: Date,
        submitted: &Submitted<'_>,
    ) -> Result<Vec<Finding>, crate::cedar::EvalError> {
        let inputs = entities::Inputs {
            agency: submitted.config.agency.value().name.value(),
            as_of,
            document: submitted.facts,
            // A missing top-level key points at the start of the file.
            config: Some((submitted.config, Span::new(0, 0))),
            laws: &self.laws,
            reference: &self.reference,
            calendar: &self.calendar,
        };
        let built = entities::build(&self.engine, &inputs)?;
        let asks: Vec<_> = built.asks.iter().map(|(a, _)| a.clone()).collect();
        let decisions = self.engine.evaluate(version, &built.entities, &asks)?;
        let mut findings = Vec::new();
        for ((_, subject), denied) in built.asks.iter().zip(decisions) {
            for meta in denied {
                findings.push(self.finding(meta, *subject, submitted, &built.located, as_of));
            }
        }
        let order = |name: &str| {
            self.catalog
                .requirements()
                .iter()
                .position(|r| r.name == name)
                .unwrap_or(usize::MAX)
        };
        findings.sort_by(|a, b| {
            let place = |f: &Finding| {
                f.location.as_ref().map_or((String::new(), 0), |l| {
                    (l.file.name().to_owned(), l.span.start)
                })
            };
            (order(&a.requirement), place(a), &a.policy).cmp(&(
                order(&b.requirement),
                place(b),
                &b.policy,
            ))
        });
        Ok(findings)
    }

    fn finding(
        &self,
        meta: &PolicyMeta,
        subject: Subject,
        submitted: &Submitted<'_>,
        located: &[Located],
        as_of: Date,
    ) -> Finding {
        let facts = submitted.facts;
        let part = meta
            .evidence
            .as_deref()
            .and_then(|key| self.vocabulary.part(key));
        let mut vars: BTreeMap<String, String> = BTreeMap::new();
        vars.insert("as_of".into(), as_of.to_string());
        let mut subject_path = None;
        let location: Option<Location> = match subject {
            Subject::Document => meta
                .evidence
                .as_deref()
                .and_then(|key| facts.part(key))
                .and_then(|p| p.evidence)
                .map(|span| Location {
                    file: Arc::clone(submitted.rules),
                    span,
                }),
            Subject::Citation(i) => facts.citations.get(i).map(|c| Location {
                file: Arc::clone(submitted.rules),
                span: c.span,
            }),
            Subject::LawName(i) => facts.near_misses.get(i).map(|m| {
                if let Some(law) = self.laws.get(m.law) {
                    vars.insert("closest".into(), law.name.clone());
                }
                Location {
                    file: Arc::clone(submitted.rules),
                    span: m.span,
                }
            }),
            Subject::Config(i) => located.get(i).map(|l| {
                let (path, span) = l.locate(meta.subject.as_deref());
                subject_path = Some(path);
                vars.extend(l.vars.clone());
                Location {
                    file: Arc::clone(submitted.access),
                    span,
                }
            }),
        };
        let text = location
            .as_ref()
            .map(|l| l.file.slice(l.span).to_owned())
            .unwrap_or_default();
        if let Subject::Citation(i) = subject
            && let Some(citation) = facts.citations.get(i)
        {
            if let Some(replacement) = self.laws.replacement(citation) {
                vars.insert("replacement".into(), replacement.clone());
                vars.insert("safe_replacement".into(), replacement);
            } else if let Some(next) = self.laws.successor(citation) {
                // Articles only a person can map: name the law, fix nothing.
                vars.insert("replacement".into(), format!("{}之對應條文", next.name));
            }
            if let Some(r) = self.laws.renumbering(citation) {
                vars.insert("since".into(), r.since.clone());
                vars.insert("now_zh".into(), r.now_zh.clone());
                vars.insert("now_en".into(), r.now_en.clone());
                vars.insert("old_article".into(), r.article.to_string());
                vars.insert(
                    "old_article_zh".into(),
                    crate::extract::citation::to_chinese(r.article),
                );
            }
        }
        let (part_zh, part_en, example) =
            part.map_or((String::new(), String::new(), String::new()), |p| {
                (
                    p.def.describe_zh.clone(),
                    p.def.describe_en.clone(),
                    p.def.example_zh.clone(),
                )
            });
        let fill = |template: &str, part: &str| {
            let mut out = template
                .replace("{part}", part)
                .replace("{text}", &text)
                .replace("{value}", &text)
                .replace("{subject}", subject_path.as_deref().unwrap_or(""))
                .replace("{example}", &example);
            for (key, value) in &vars {
                out = out.replace(&format!("{{{key}}}"), value);
            }
            out
        };
        let template = meta.gap.as_deref().and_then(|g| self.templates.get(g));
        let pick = |own: &Option<String>, from_template: Option<&String>, part: &str| {
            own.as_deref()
                .or(from_template.map(String::as_str))
                .map(|t| fill(t, part))
                .unwrap_or_default()
        };
        Finding {
            requirement: meta.requirement.clone(),
            cite: meta.cite.clone(),
            severity: meta.severity,
            policy: meta.id.clone(),
            message: Localized::new(
                pick(&meta.message_zh, template.map(|t| &t.message_zh), &part_zh),
                pick(&meta.message_en, template.map(|t| &t.message_en), &part_en),
            ),
            help: Localized::new(
                pick(&meta.help_zh, template.map(|t| &t.help_zh), &part_zh),
                pick(&meta.help_en, template.map(|t| &t.help_en), &part_en),
            ),
            fix: meta
                .fix
                .as_deref()
                .and_then(|var| vars.get(var))
                .filter(|replacement| !replacement.is_empty())
                .cloned(),
            location,
            subject: subject_path,
        }
    }
}
