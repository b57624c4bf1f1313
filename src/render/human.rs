//! The human format: per submission, a heading line, then each finding and
//! input error as miette draws it (at most [`MAX_SHOWN_PER_REQUIREMENT`]
//! findings of one requirement), then a summary. Everything printed is
//! made safe for a terminal ([`crate::terminal`]).

use std::fmt::Write as _;

use super::RenderOptions;
use crate::Lang;
use crate::catalog::Severity;
use crate::diagnostic::{Style, SubmissionRenderer};
use crate::terminal::visible;

/// The most findings of one requirement shown per submission; the rest are
/// counted in one "and N more" line (the JSON report lists them all).
pub const MAX_SHOWN_PER_REQUIREMENT: usize = 20;
use crate::report::{Report, Verdict};

fn verdict_text(verdict: Verdict, lang: Lang) -> &'static str {
    match (verdict, lang) {
        (Verdict::Pass, Lang::ZhTw) => "通過",
        (Verdict::Fail, Lang::ZhTw) => "未通過",
        (Verdict::Error, Lang::ZhTw) => "無法檢查",
        (Verdict::Pass, Lang::En) => "pass",
        (Verdict::Fail, Lang::En) => "fail",
        (Verdict::Error, Lang::En) => "error",
    }
}

/// Render the report for a person reading a terminal.
#[must_use]
pub fn render(report: &Report, options: RenderOptions) -> String {
    let style = Style {
        color: options.color,
        width: options.width,
    };
    let lang = options.lang;
    let mut out = String::new();
    for s in &report.submissions {
        let agency = visible(s.agency.as_deref().unwrap_or("?"));
        let path = visible(&s.path);
        let (errors, warnings) = (s.count(Severity::Error), s.count(Severity::Warning));
        let _ = match lang {
            Lang::ZhTw => writeln!(
                out,
                "{path} — {agency}：{}（錯誤 {errors}、警告 {warnings}；依{}規定）",
                verdict_text(s.verdict, lang),
                if s.regulation == crate::catalog::Version::Amended {
                    "修正"
                } else {
                    "現行（修正前）"
                },
            ),
            Lang::En => writeln!(
                out,
                "{path} — {agency}: {} ({errors} errors, {warnings} warnings; {} regulation)",
                verdict_text(s.verdict, lang),
                s.regulation,
            ),
        };
        let mut renderer = SubmissionRenderer::new(report.masker(s), &s.path, lang, style);
        for error in &s.errors {
            out.push_str(&renderer.error(error));
            out.push('\n');
        }
        // Findings come sorted by requirement: each run of one requirement
        // shows its first few and counts the rest.
        for group in s.findings.chunk_by(|a, b| a.requirement == b.requirement) {
            for finding in group.iter().take(MAX_SHOWN_PER_REQUIREMENT) {
                out.push_str(&renderer.finding(finding));
                out.push('\n');
            }
            let more = group.len().saturating_sub(MAX_SHOWN_PER_REQUIREMENT);
            if let Some(first) = group.first()
                && more > 0
            {
                let requirement = &first.requirement;
                let _ = match lang {
                    Lang::ZhTw => writeln!(
                        out,
                        "  …{requirement} 另有 {more} 項未列出（完整清單請用 --format json）\n"
                    ),
                    Lang::En => writeln!(
                        out,
                        "  … and {more} more findings of {requirement} (--format json lists them all)\n"
                    ),
                };
            }
        }
    }
    let summary = report.summary();
    let _ = match lang {
        Lang::ZhTw => writeln!(
            out,
            "共檢查 {} 件：通過 {}、未通過 {}、無法檢查 {}（判斷基準日 {}）",
            summary.submissions, summary.pass, summary.fail, summary.error, report.as_of
        ),
        Lang::En => writeln!(
            out,
            "{} checked: {} pass, {} fail, {} error (as of {})",
            summary.submissions, summary.pass, summary.fail, summary.error, report.as_of
        ),
    };
    out
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "a test fails loudly")]
mod tests {
    use super::{MAX_SHOWN_PER_REQUIREMENT, render};
    use crate::Lang;
    use crate::catalog::{Severity, Version};
    use crate::date::Date;
    use crate::render::RenderOptions;
    use crate::report::{Finding, Localized, Report, SubmissionReport, Verdict};

    #[test]
    fn findings_past_the_cap_are_counted_and_names_are_escaped() {
        let finding = |i: usize| Finding {
            requirement: "personnel-register".into(),
            cite: "5.2".into(),
            severity: Severity::Error,
            policy: "personnel-register/missing".into(),
            message: Localized::same(format!("finding {i}")),
            help: Localized::same(""),
            location: None,
            subject: None,
            fix: None,
        };
        let submission = SubmissionReport {
            path: "agencies/a\u{1b}]0;x\u{7}".into(),
            agency: Some("臺北\u{202e}局\r共檢查 0 件".into()),
            regulation: Version::Amended,
            verdict: Verdict::Fail,
            requirements: Vec::new(),
            findings: (0..MAX_SHOWN_PER_REQUIREMENT + 5).map(finding).collect(),
            errors: Vec::new(),
            personal: Vec::new(),
        };
        let report = Report {
            regulation: Version::Amended,
            as_of: Date::parse("2026-11-27").unwrap(),
            submissions: vec![submission],
            show_personal_data: false,
        };
        let out = render(
            &report,
            RenderOptions {
                lang: Lang::En,
                color: false,
                width: 100,
            },
        );
        assert!(out.contains(&format!("finding {}", MAX_SHOWN_PER_REQUIREMENT - 1)));
        assert!(!out.contains(&format!("finding {MAX_SHOWN_PER_REQUIREMENT}")));
        assert!(
            out.contains("… and 5 more findings of personnel-register"),
            "{out}"
        );
        assert!(
            out.contains("agencies/a\\u{1b}]0;x\\u{7} — 臺北\\u{202e}局\\u{d}共檢查"),
            "{out}"
        );
        assert!(!out.contains(['\u{1b}', '\u{7}', '\r', '\u{202e}']));
    }
}
