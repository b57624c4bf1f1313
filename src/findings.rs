//! Finding assembly: a policy's decision about one request becomes a
//! [`Finding`] at its place in the file, with its message filled in from the
//! policy's own text or a template of `data/messages.toml`. Also the
//! requirement statuses of a submission, which only count findings.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;

use crate::catalog::{Catalog, Evidence, Version};
use crate::cedar::config::{self as config_entities, Located};
use crate::cedar::entities::Subject;
use crate::cedar::{Engine, PolicyMeta};
use crate::date::Date;
use crate::extract::citation::{self, Laws};
use crate::extract::config::AccessConfig;
use crate::extract::document::DocumentFacts;
use crate::extract::document::PartFacts;
use crate::extract::document::vocabulary::Vocabulary;
use crate::lang::Localized;
use crate::report::{Finding, Location, PartEvidence, RequirementStatus, Status};
use crate::source::SourceFile;

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

/// Placeholders every message may use: `{part}` and `{example}` (the part's
/// description and example clause, from the vocabulary), `{text}` and
/// `{value}` (the text at the finding's place), `{subject}` (its config path)
/// and `{as_of}`.
pub const COMMON_PLACEHOLDERS: &[&str] = &["part", "text", "value", "subject", "example", "as_of"];

/// Placeholders that only the findings of one action can fill, besides the
/// configuration entities' own ([`config_entities::VARS`]).
pub const ACTION_PLACEHOLDERS: &[(&str, &[&str])] = &[
    (
        "review-citation",
        &[
            "replacement",
            "safe_replacement",
            "since",
            "now_zh",
            "now_en",
            "old_article",
            "old_article_zh",
        ],
    ),
    ("review-law-name", &["closest"]),
    // A body of a merged county named by the document.
    ("review-merged-name", config_entities::MERGED_VARS),
    // A part of the rules document: the sentence that came closest to
    // stating a missing part and what it lacks, as a whole phrase (empty
    // when there is none).
    ("review-document", &["closest_zh", "closest_en"]),
    // A replayed usage-log record (and `niacheck authorize`): the record's
    // own values and the dates of its user in access.yaml.
    (
        "access",
        &[
            "user",
            "function",
            "time",
            "approved_on",
            "expires_on",
            "lost_on",
            "account_ended_on",
            "status_changed_on",
            "status",
        ],
    ),
    ("review-usage-log", &["earliest", "approved_on"]),
];

/// Whether a finding of `action` can fill `{name}`.
#[must_use]
pub fn fills(action: &str, name: &str) -> bool {
    let own = |table: &[(&str, &[&str])]| {
        table
            .iter()
            .any(|(a, names)| *a == action && names.contains(&name))
    };
    COMMON_PLACEHOLDERS.contains(&name) || own(ACTION_PLACEHOLDERS) || own(config_entities::VARS)
}

/// Every `{name}` in a template.
#[must_use]
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = rest.get(open + 1..).unwrap_or("");
        let Some(close) = after.find('}') else { break };
        let name = after.get(..close).unwrap_or("");
        if !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
        {
            out.push(name);
        }
        rest = after.get(close + 1..).unwrap_or("");
    }
    out
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Template {
    message_zh: String,
    message_en: String,
    help_zh: String,
    help_en: String,
}

/// An error in the message templates or in a policy's message.
#[derive(Debug, thiserror::Error)]
pub enum TemplatesError {
    /// `data/messages.toml` does not parse.
    #[error("data/messages.toml: {0}")]
    Parse(String),
    /// A policy names a template that does not exist.
    #[error("policy `{policy}` uses `@gap(\"{gap}\")`, which data/messages.toml does not define")]
    UnknownTemplate {
        /// The policy id.
        policy: String,
        /// The template name.
        gap: String,
    },
    /// A message uses a placeholder that no finding of its policy fills.
    #[error(
        "policy `{policy}`: its message uses `{{{name}}}`, which no finding of action `{action}` fills"
    )]
    UnknownPlaceholder {
        /// The policy id.
        policy: String,
        /// The policy's action.
        action: String,
        /// The placeholder.
        name: String,
    },
}

/// The message templates of `data/messages.toml`, by name (`missing`, …).
#[derive(Debug, Clone, Default)]
pub struct Templates {
    by_name: BTreeMap<String, Template>,
}

impl Templates {
    /// Parse `data/messages.toml`.
    ///
    /// # Errors
    /// When it does not parse.
    pub fn from_toml(text: &str) -> Result<Self, TemplatesError> {
        let by_name = toml::from_str(text).map_err(|e| TemplatesError::Parse(e.to_string()))?;
        Ok(Self { by_name })
    }

    /// Check that every policy's template exists and that every placeholder
    /// of its message and help is one its findings fill: a typo must fail at
    /// start-up, never print `{raise_dedline}` to a user.
    ///
    /// # Errors
    /// On the first policy that breaks the contract.
    pub fn check_policies(&self, engine: &Engine) -> Result<(), TemplatesError> {
        for version in Version::ALL {
            for meta in engine.policies(version) {
                let template = match meta.gap.as_deref() {
                    Some(gap) => Some(self.by_name.get(gap).ok_or_else(|| {
                        TemplatesError::UnknownTemplate {
                            policy: meta.id.clone(),
                            gap: gap.to_owned(),
                        }
                    })?),
                    None => None,
                };
                let texts = [
                    meta.message_zh.as_deref(),
                    meta.message_en.as_deref(),
                    meta.help_zh.as_deref(),
                    meta.help_en.as_deref(),
                    template.map(|t| t.message_zh.as_str()),
                    template.map(|t| t.message_en.as_str()),
                    template.map(|t| t.help_zh.as_str()),
                    template.map(|t| t.help_en.as_str()),
                ];
                for name in texts.into_iter().flatten().flat_map(placeholders) {
                    if !fills(&meta.action, name) {
                        return Err(TemplatesError::UnknownPlaceholder {
                            policy: meta.id.clone(),
                            action: meta.action.clone(),
                            name: name.to_owned(),
                        });
                    }
                }
            }
        }
        Ok(())
    }

    fn get(&self, name: &str) -> Option<&Template> {
        self.by_name.get(name)
    }
}

/// What finding assembly reads besides the decision itself.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The vocabulary (descriptions and examples of parts).
    pub vocabulary: &'a Vocabulary,
    /// Laws (replacements and renumberings of citations).
    pub laws: &'a Laws,
    /// Message templates.
    pub templates: &'a Templates,
    /// The date of the check.
    pub as_of: Date,
}

/// Where a finding is, and the placeholder values its place gives.
struct Placed {
    location: Option<Location>,
    subject: Option<String>,
    vars: BTreeMap<&'static str, String>,
    evidence: Option<PartEvidence>,
}

/// The most characters of the closest sentence a message quotes.
const CLOSEST_CHARS: usize = 40;

/// The terms of a lacking concept a message shows.
const LACK_TERMS: usize = 3;

/// What a part's facts show, for the finding's `evidence`; and, when the
/// part is missing but a sentence came close, the `{closest_zh}` and
/// `{closest_en}` phrases that name it and what it lacks.
fn part_evidence(
    cx: &Context<'_>,
    key: &str,
    p: &PartFacts,
    rules: &Arc<SourceFile>,
    vars: &mut BTreeMap<&'static str, String>,
) -> PartEvidence {
    let closest = p.closest.map(|span| Location {
        file: Arc::clone(rules),
        span,
    });
    let (mut zh, mut en) = (String::new(), String::new());
    if let Some(at) = closest.as_ref().filter(|_| !p.found) {
        // An office document's sentence is named by its paragraph: the
        // lines of its text view are seen by no one.
        let (place_zh, place_en) = match at.paragraph() {
            Some(n) => (format!("第 {n} 段"), format!("paragraph {n}")),
            None => {
                let line = at.line_column().line;
                (format!("第 {line} 行"), format!("line {line}"))
            }
        };
        let text = excerpt(rules.slice(at.span));
        let (lacks_zh, lacks_en) = lacking(cx, &p.lacks);
        zh = format!("；最接近者為{place_zh}「{text}」，惟缺少{lacks_zh}");
        en = format!("; closest: {place_en} 「{text}」 — lacks {lacks_en}");
    }
    vars.insert("closest_zh", zh);
    vars.insert("closest_en", en);
    PartEvidence {
        part: key.to_owned(),
        matched: p.matched.clone(),
        closest,
        lacks: p.lacks.clone(),
    }
}

/// A sentence cut to [`CLOSEST_CHARS`] characters, on one line.
fn excerpt(text: &str) -> String {
    let flat: String = text
        .trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() <= CLOSEST_CHARS {
        return flat;
    }
    let mut out: String = flat.chars().take(CLOSEST_CHARS).collect();
    out.push('…');
    out
}

/// The concepts a sentence lacks, in words: a few of each concept's terms,
/// or the law's name for a `law:<id>` concept.
fn lacking(cx: &Context<'_>, lacks: &[String]) -> (String, String) {
    let mut zh = Vec::new();
    let mut en = Vec::new();
    for concept in lacks {
        let (z, e) = if let Some(id) = concept.strip_prefix("law:") {
            let name = cx.laws.by_id(id).map_or(id, |l| l.name.as_str());
            (format!("引用{name}"), format!("a citation of {name}"))
        } else {
            match concept.as_str() {
                "law" => ("法規名稱".to_owned(), "a law's name".to_owned()),
                "form_name" => (
                    "以「」引述之表單名稱".to_owned(),
                    "a form's name in 「」".to_owned(),
                ),
                "system_name" => (
                    "以「」引述之系統名稱".to_owned(),
                    "a system's name in 「」".to_owned(),
                ),
                _ => {
                    let terms = cx.vocabulary.concept_terms(concept, LACK_TERMS);
                    let quoted: Vec<String> = terms.iter().map(|t| format!("「{t}」")).collect();
                    (
                        format!("如{}等用語", quoted.join("、")),
                        format!("a word such as {}", quoted.join(", ")),
                    )
                }
            }
        };
        zh.push(z);
        en.push(e);
    }
    (zh.join("，及"), en.join(", and "))
}

fn place(
    cx: &Context<'_>,
    meta: &PolicyMeta,
    subject: Subject,
    submitted: &Submitted<'_>,
    located: &dyn Fn(usize) -> Option<Located>,
) -> Placed {
    let facts = submitted.facts;
    let rules_at = |span| Location {
        file: Arc::clone(submitted.rules),
        span,
    };
    let mut vars = BTreeMap::new();
    let mut subject_path = None;
    let mut evidence = None;
    let location = match subject {
        Subject::Document => {
            vars.insert("closest_zh", String::new());
            vars.insert("closest_en", String::new());
            let part = meta
                .evidence
                .as_deref()
                .and_then(|key| facts.part(key).map(|p| (key, p)));
            evidence = part.map(|(key, p)| part_evidence(cx, key, p, submitted.rules, &mut vars));
            part.and_then(|(_, p)| p.evidence).map(rules_at)
        }
        Subject::Citation(i) => facts.citations.get(i).map(|c| {
            if let Some(replacement) = cx.laws.replacement(c) {
                vars.insert("replacement", replacement.clone());
                vars.insert("safe_replacement", replacement);
            } else if let Some(next) = cx.laws.successor(c) {
                // Articles only a person can map: name the law, fix nothing.
                vars.insert("replacement", format!("{}之對應條文", next.name));
            }
            if let Some(r) = cx.laws.renumbering(c) {
                vars.insert("since", r.since.clone());
                vars.insert("now_zh", r.now_zh.clone());
                vars.insert("now_en", r.now_en.clone());
                vars.insert("old_article", r.article.to_string());
                vars.insert("old_article_zh", citation::to_chinese(r.article));
            }
            rules_at(c.span)
        }),
        Subject::LawName(i) => facts.near_misses.get(i).map(|m| {
            if let Some(law) = cx.laws.get(m.law) {
                vars.insert("closest", law.name.clone());
            }
            rules_at(m.span)
        }),
        Subject::MergedName(i) => facts.merged_names.get(i).map(|n| {
            vars.extend(config_entities::merged_vars(&n.county));
            rules_at(n.span)
        }),
        Subject::Config(i) => located(i).map(|l| {
            let (path, span) = l.locate(meta.subject.as_deref());
            subject_path = Some(path);
            vars.extend(l.vars.iter().map(|(k, v)| (*k, v.clone())));
            let lines: Vec<String> = l
                .same_as
                .iter()
                .map(|s| submitted.access.line_column(s.start).line.to_string())
                .collect();
            vars.insert("other_lines", lines.join(", "));
            Location {
                file: Arc::clone(submitted.access),
                span,
            }
        }),
    };
    Placed {
        location,
        subject: subject_path,
        vars,
        evidence,
    }
}

/// The finding that `meta` gives about the request on `subject`.
#[must_use]
pub fn finding(
    cx: &Context<'_>,
    meta: &PolicyMeta,
    subject: Subject,
    submitted: &Submitted<'_>,
    located: &dyn Fn(usize) -> Option<Located>,
) -> Finding {
    let Placed {
        location,
        subject: subject_path,
        vars,
        evidence,
    } = place(cx, meta, subject, submitted, located);
    let mut finding = at(cx, meta, location, subject_path, vars);
    finding.evidence = evidence;
    finding
}

/// The finding that `meta` gives at a place known to the caller (a row of
/// the usage log), with the placeholder values of that place.
#[must_use]
pub fn at(
    cx: &Context<'_>,
    meta: &PolicyMeta,
    location: Option<Location>,
    subject_path: Option<String>,
    mut vars: BTreeMap<&'static str, String>,
) -> Finding {
    let text = location
        .as_ref()
        .map(|l| l.file.slice(l.span).to_owned())
        .unwrap_or_default();
    let part = meta
        .evidence
        .as_deref()
        .and_then(|key| cx.vocabulary.part(key));
    let (part_zh, part_en) = part.map_or((String::new(), String::new()), |p| {
        (p.def.describe_zh.clone(), p.def.describe_en.clone())
    });
    vars.insert("as_of", cx.as_of.to_string());
    vars.insert("text", text.clone());
    vars.insert("value", text);
    vars.insert("subject", subject_path.clone().unwrap_or_default());
    vars.insert(
        "example",
        part.map(|p| p.def.example_zh.clone()).unwrap_or_default(),
    );
    let fill = |template: &str, part: &str| fill(template, part, &vars);
    let template = meta.gap.as_deref().and_then(|g| cx.templates.get(g));
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
        fingerprint: String::new(),
        waived: None,
        evidence: None,
    }
}

/// `template` with each `{name}` replaced, in one pass (a value is never
/// itself scanned for placeholders).
fn fill(template: &str, part: &str, vars: &BTreeMap<&'static str, String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(rest.get(..open).unwrap_or(""));
        let after = rest.get(open + 1..).unwrap_or("");
        let close = after.find('}');
        let name = close.and_then(|c| after.get(..c));
        let value = match name {
            Some("part") => Some(part),
            Some(name) => vars.get(name).map(String::as_str),
            None => None,
        };
        match (value, close) {
            (Some(value), Some(close)) => {
                out.push_str(value);
                rest = after.get(close + 1..).unwrap_or("");
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Sort findings: by requirement in catalogue order, then place, then policy.
pub fn sort(catalog: &Catalog, findings: &mut [Finding]) {
    let order = |name: &str| {
        catalog
            .requirements()
            .iter()
            .position(|r| r.name == name)
            .unwrap_or(usize::MAX)
    };
    findings.sort_by_cached_key(|f| {
        // The offset in the file as stored: an excerpt's spans (a usage-log
        // row) are relative to the row, its file offsets are not.
        let place = f.location.as_ref().map_or((String::new(), 0), |l| {
            (l.file.name().to_owned(), l.file.file_offset(l.span.start))
        });
        (order(&f.requirement), place, f.policy.clone())
    });
}

/// Every requirement's status for a submission: `not-applicable` where the
/// version has no citation, `not-checked` for NIA's duties, unenforced
/// requirements, unread submissions and requirements checked only from a
/// usage log when none was read (`log_read`), else `gap` when it has a
/// finding; a requirement checked from the rules document when the
/// document could not be read (`document_read` false) is `gap` when the
/// configuration shows a finding of its, else `not-checked`.
#[must_use]
pub fn statuses(
    catalog: &Catalog,
    engine: &Engine,
    version: Version,
    findings: &[Finding],
    checked: bool,
    document_read: bool,
    log_read: bool,
) -> Vec<RequirementStatus> {
    catalog
        .requirements()
        .iter()
        .map(|r| {
            let cite = r.cite(version).map(str::to_owned);
            let status = if cite.is_none() {
                Status::NotApplicable
            } else if !checked
                || r.is_nia_side()
                || !engine.enforces(version, &r.name)
                || (!log_read && r.checked_from == [Evidence::Log])
            {
                Status::NotChecked
            } else if findings.iter().any(|f| f.requirement == r.name) {
                Status::Gap
            } else if !document_read && r.checked_from.contains(&Evidence::Doc) {
                Status::NotChecked
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::{fill, placeholders};

    #[test]
    fn fill_replaces_known_placeholders_once() {
        let vars = BTreeMap::from([
            ("text", "{part}".to_owned()),
            ("as_of", "2026-11-27".into()),
        ]);
        assert_eq!(
            fill("「{text}」 as of {as_of}: {part} {unknown", "P", &vars),
            "「{part}」 as of 2026-11-27: P {unknown"
        );
        assert_eq!(fill("{nope} x", "P", &vars), "{nope} x");
    }

    #[test]
    fn placeholders_are_listed() {
        assert_eq!(
            placeholders("a {text} b {raise_deadline} {} {Not}"),
            vec!["text", "raise_deadline"]
        );
    }
}
