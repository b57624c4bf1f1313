//! The human format: per submission, a heading line, then each finding and
//! input error as miette draws it, then a summary.

use std::fmt::Write as _;

use super::RenderOptions;
use crate::Lang;
use crate::catalog::Severity;
use crate::diagnostic::{self, Style};
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
        let agency = s.agency.as_deref().unwrap_or("?");
        let (errors, warnings) = (s.count(Severity::Error), s.count(Severity::Warning));
        let _ = match lang {
            Lang::ZhTw => writeln!(
                out,
                "{} — {agency}：{}（錯誤 {errors}、警告 {warnings}；依{}規定）",
                s.path,
                verdict_text(s.verdict, lang),
                if s.regulation == crate::catalog::Version::Amended {
                    "修正"
                } else {
                    "現行（修正前）"
                },
            ),
            Lang::En => writeln!(
                out,
                "{} — {agency}: {} ({errors} errors, {warnings} warnings; {} regulation)",
                s.path,
                verdict_text(s.verdict, lang),
                s.regulation,
            ),
        };
        for error in &s.errors {
            out.push_str(&diagnostic::render_error(
                report.masker(s),
                &s.path,
                error,
                lang,
                style,
            ));
            out.push('\n');
        }
        for finding in &s.findings {
            out.push_str(&diagnostic::render_finding(
                report.masker(s),
                &s.path,
                finding,
                lang,
                style,
            ));
            out.push('\n');
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
