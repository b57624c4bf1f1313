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

/// The most findings of one requirement shown per submission; the rest are
/// counted in one "and N more" line (the JSON report lists them all).
pub const MAX_SHOWN_PER_REQUIREMENT: usize = 20;

/// The replay summary of a usage log, as one paragraph.
fn log_summary(log: &LogSummary, lang: Lang) -> String {
    let none = match lang {
        Lang::ZhTw => "無",
        Lang::En => "none",
    };
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
    let mut text = match lang {
        Lang::ZhTw => format!(
            "使用紀錄：讀取 {} 筆（無法讀取 {} 筆），判斷成功存取 {} 筆；不應允許者依要求：{denials}；最早 {earliest}，最晚 {latest}",
            log.records, log.malformed, log.successes
        ),
        Lang::En => format!(
            "usage log: {} records read ({} unreadable), {} successes judged; denied by requirement: {denials}; earliest {earliest}, latest {latest}",
            log.records, log.malformed, log.successes
        ),
    };
    for warning in &log.warnings {
        text.push_str("\n  ⚠ ");
        text.push_str(warning.get(lang));
    }
    text.push('\n');
    text
}

/// A notice as one paragraph: `  ⓘ file:line:column: message`, its help
/// indented below.
fn notice_text(notice: &Notice, lang: Lang, masker: &CompiledMasker<'_>) -> String {
    let label = match lang {
        Lang::ZhTw => "注意",
        Lang::En => "note",
    };
    let place = notice.location.as_ref().map_or_else(String::new, |l| {
        let lc = l.line_column();
        format!("{}:{}:{}: ", l.file.name(), lc.line, lc.column)
    });
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
        let agency = visible(s.agency.as_deref().unwrap_or("?"));
        let path = visible(&s.path);
        let (errors, warnings) = (s.count(Severity::Error), s.count(Severity::Warning));
        match lang {
            Lang::ZhTw => writeln!(
                out,
                "{path} — {agency}：{}（錯誤 {errors}、警告 {warnings}；依{}規定）",
                s.verdict.text(lang),
                if s.regulation == Version::Amended {
                    "修正"
                } else {
                    "現行（修正前）"
                },
            )?,
            Lang::En => writeln!(
                out,
                "{path} — {agency}: {} ({errors} errors, {warnings} warnings; {} regulation)",
                s.verdict.text(lang),
                s.regulation,
            )?,
        }
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
                let requirement = &first.requirement;
                match lang {
                    Lang::ZhTw => writeln!(
                        out,
                        "  …{requirement} 另有 {more} 項未列出（完整清單請用 --format json）\n"
                    )?,
                    Lang::En => writeln!(
                        out,
                        "  … and {more} more findings of {requirement} (--format json lists them all)\n"
                    )?,
                }
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
        match self.lang {
            Lang::ZhTw => writeln!(
                out,
                "共檢查 {} 件：通過 {}、未通過 {}、無法檢查 {}（判斷基準日 {}）",
                summary.submissions, summary.pass, summary.fail, summary.error, run.as_of
            ),
            Lang::En => writeln!(
                out,
                "{} checked: {} pass, {} fail, {} error (as of {})",
                summary.submissions, summary.pass, summary.fail, summary.error, run.as_of
            ),
        }
    }
}
