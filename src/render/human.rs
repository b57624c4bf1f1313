//! The human format: per submission, a heading line, then each finding and
//! input error as miette draws it (at most [`MAX_SHOWN_PER_REQUIREMENT`]
//! findings of one requirement), then a summary. Everything printed is
//! made safe for a terminal ([`crate::terminal`]).

use std::io::{self, Write};

use super::{RenderOptions, Renderer};
use crate::catalog::{Severity, Version};
use crate::date::with_roc_years;
use crate::diagnostic::{Style, SubmissionRenderer};
use crate::lang::Lang;
use crate::privacy::CompiledMasker;
use crate::report::{LogSummary, Notice, Run, SubmissionReport, Summary};
use crate::terminal::visible;
use crate::{i18n, tr, tr_n};

/// The most findings of one requirement shown per submission; the rest are
/// counted in one "and N more" line (the JSON report lists them all).
pub const MAX_SHOWN_PER_REQUIREMENT: usize = 20;

/// The replay summary of a usage log, as one paragraph.
fn log_summary(log: &LogSummary, lang: Lang) -> String {
    let none = i18n::static_text(lang, "human.none");
    let denials: Vec<String> = log
        .denials
        .iter()
        .map(|(name, n)| format!("{name} {n}"))
        .collect();
    let denials = if denials.is_empty() {
        none.to_owned()
    } else {
        denials.join(", ")
    };
    let earliest = log.earliest.as_deref().unwrap_or(none);
    let latest = log.latest.as_deref().unwrap_or(none);
    let mut text = tr!(
        "human.log-summary",
        records = log.records,
        malformed = log.malformed,
        successes = log.successes,
        denials = denials,
        earliest = earliest,
        latest = latest
    )
    .get(lang)
    .to_owned();
    for warning in &log.warnings {
        text.push_str("\n  ⚠ ");
        text.push_str(warning.get(lang));
    }
    text.push('\n');
    text
}

/// The heading line of a submission: its verdict and what it counts. A
/// submission that could not be read says which files and how many input
/// errors, never "0 errors" beside its verdict.
#[must_use]
pub fn heading(s: &SubmissionReport, lang: Lang) -> String {
    let agency = match s.agency.as_deref() {
        Some(agency) => visible(agency).into_owned(),
        None => i18n::static_text(lang, "human.agency-unknown").to_owned(),
    };
    let path = visible(&s.path);
    let (errors, warnings) = (s.count(Severity::Error), s.count(Severity::Warning));
    // Beside input errors, only the counts that are not zero.
    let mut counts = Vec::new();
    if s.errors.is_empty() || errors > 0 {
        counts.push(tr_n!("human.errors", errors));
    }
    if s.errors.is_empty() || warnings > 0 {
        counts.push(tr_n!("human.warnings", warnings));
    }
    if !s.errors.is_empty() {
        let mut files: Vec<&str> = s.errors.iter().filter_map(|e| e.file.as_deref()).collect();
        files.sort_unstable();
        files.dedup();
        let files: Vec<String> = files.iter().map(|f| visible(f).into_owned()).collect();
        counts.push(if files.is_empty() {
            tr_n!("human.input-errors", s.errors.len())
        } else {
            tr_n!(
                "human.input-errors-in",
                s.errors.len(),
                files = i18n::list(&files)
            )
        });
    }
    let regulation = if s.regulation == Version::Amended {
        tr!("human.regulation-amended")
    } else {
        tr!("human.regulation-previous")
    };
    let counts: Vec<&str> = counts.iter().map(|c| c.get(lang)).collect();
    tr!(
        "human.heading",
        path = path,
        agency = agency,
        verdict = s.verdict.text(lang),
        counts = i18n::list(&counts),
        regulation = regulation
    )
    .get(lang)
    .to_owned()
}

/// A notice as one paragraph: `  ⓘ file:line:column: message`, its help
/// indented below.
fn notice_text(notice: &Notice, lang: Lang, masker: &CompiledMasker<'_>) -> String {
    let label = i18n::static_text(lang, "human.note");
    let place = notice
        .location
        .as_ref()
        .map_or_else(String::new, |l| format!("{}: ", l.label(lang)));
    let mut text = format!(
        "  ⓘ {label}: {place}{}",
        masker.apply(notice.message.get(lang))
    );
    if let Some(help) = &notice.help {
        text.push_str(
            "
    ",
        );
        text.push_str(&masker.apply(help.get(lang)));
    }
    text
}

/// The human renderer.
#[derive(Debug)]
pub struct Human {
    lang: Lang,
    quiet: bool,
    style: Style,
    /// Add the 民國 year beside each date of a message (zh-TW only).
    roc_dates: bool,
}

impl Human {
    /// A renderer for a person reading a terminal.
    #[must_use]
    pub fn new(options: RenderOptions) -> Self {
        Self {
            lang: options.lang,
            quiet: options.quiet,
            style: Style {
                color: options.color,
                width: options.width,
            },
            roc_dates: options.roc_dates && options.lang == Lang::ZhTw,
        }
    }
}

impl Renderer for Human {
    fn submission(
        &mut self,
        out: &mut dyn Write,
        run: &Run,
        s: &SubmissionReport,
    ) -> io::Result<()> {
        let lang = self.lang;
        if self.quiet {
            return Ok(());
        }
        writeln!(out, "{}", heading(s, lang))?;
        for notice in &s.notices {
            let text = notice_text(notice, lang, &run.masker(s));
            let text = if self.roc_dates {
                with_roc_years(&text)
            } else {
                text.into()
            };
            writeln!(out, "{}", crate::terminal::visible_lines(&text))?;
        }
        let mut renderer = SubmissionRenderer::new(run.masking(s), &s.path, lang, self.style);
        for error in &s.errors {
            writeln!(out, "{}", renderer.error(error))?;
        }
        // Findings come sorted by requirement: each run of one requirement
        // shows its first few and counts the rest.
        for group in s.findings.chunk_by(|a, b| a.requirement == b.requirement) {
            for finding in group.iter().take(MAX_SHOWN_PER_REQUIREMENT) {
                if self.roc_dates {
                    let mut shown = finding.clone();
                    shown.message.zh = with_roc_years(&shown.message.zh).into_owned();
                    shown.help.zh = with_roc_years(&shown.help.zh).into_owned();
                    writeln!(out, "{}", renderer.finding(&shown))?;
                } else {
                    writeln!(out, "{}", renderer.finding(finding))?;
                }
            }
            let more = group.len().saturating_sub(MAX_SHOWN_PER_REQUIREMENT);
            if let Some(first) = group.first()
                && more > 0
            {
                let line = tr_n!("human.more", more, requirement = &first.requirement);
                writeln!(out, "  {}\n", line.get(lang))?;
            }
        }
        if let Some(log) = &s.usage_log {
            writeln!(
                out,
                "{}",
                crate::terminal::visible_lines(&log_summary(log, lang))
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, run: &Run, summary: &Summary) -> io::Result<()> {
        let line = tr_n!(
            "human.summary",
            summary.submissions,
            pass = summary.pass,
            fail = summary.fail,
            error = summary.error,
            as_of = run.as_of
        );
        writeln!(out, "{}", line.get(self.lang))
    }
}
