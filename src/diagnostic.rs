//! The only module that names miette: findings and input errors as miette
//! diagnostics with spans into the real files, and their rendering.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, Severity, SourceCode, SourceSpan, SpanContents,
};

use crate::catalog;
use crate::lang::Lang;
use crate::privacy::Masker;
use crate::report::{Finding, InputError, Location};

/// A finding or an input error, ready for miette.
#[derive(Debug)]
struct Rendered {
    code: Option<String>,
    message: String,
    help: Option<String>,
    severity: Severity,
    label: Option<LabeledSpan>,
    source: Option<CharColumns>,
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.label
            .as_ref()
            .map(|l| Box::new(std::iter::once(l.clone())) as Box<dyn Iterator<Item = LabeledSpan>>)
    }
}

/// A file's text for miette, named with the submission's path so the reader
/// knows which file it is. miette counts the header's column in bytes; the
/// specification counts characters (as editors do), so the column of a
/// span's own position is recomputed here.
#[derive(Debug)]
struct CharColumns {
    name: String,
    text: std::sync::Arc<str>,
    /// Lines before the text in its file (an excerpt of a usage log).
    first_line: usize,
}

impl SourceCode for CharColumns {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner =
            self.text
                .as_bytes()
                .read_span(span, context_lines_before, context_lines_after)?;
        let mut column = inner.column();
        if context_lines_before == 0 && context_lines_after == 0 {
            let offset = span.offset().min(self.text.len());
            let before = self.text.get(..offset).unwrap_or("");
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            column = before.get(line_start..).map_or(0, |l| l.chars().count());
        }
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            column,
            inner.line_count(),
        )))
    }
}

fn named(submission: &str, location: &Location, masker: Masker<'_>) -> CharColumns {
    let text = location.file.shared_text();
    // Masking keeps every byte offset, so the spans still fit.
    let text = match masker.apply(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(masked) => std::sync::Arc::from(masked),
    };
    CharColumns {
        name: format!("{submission}/{}", location.file.name()),
        text,
        first_line: location.file.first_line(),
    }
}

fn label(location: &Location, text: String) -> LabeledSpan {
    LabeledSpan::new_primary_with_span(Some(text), location.span.start..location.span.end)
}

fn finding_diagnostic(
    masker: Masker<'_>,
    submission: &str,
    finding: &Finding,
    lang: Lang,
) -> Rendered {
    let mask = |text: &str| masker.apply(text).into_owned();
    let label_text = match lang {
        Lang::ZhTw => "依據",
        Lang::En => "evidence",
    };
    let (message, help, severity) = match &finding.waived {
        None => (
            mask(finding.message.get(lang)),
            mask(finding.help.get(lang)),
            match finding.severity {
                catalog::Severity::Error => Severity::Error,
                catalog::Severity::Warning => Severity::Warning,
                catalog::Severity::Info => Severity::Advice,
            },
        ),
        // A waived finding is shown, as advice that does not fail.
        Some(w) => (
            match lang {
                Lang::ZhTw => format!("（已豁免）{}", mask(finding.message.get(lang))),
                Lang::En => format!("(waived) {}", mask(finding.message.get(lang))),
            },
            match lang {
                Lang::ZhTw => format!(
                    "豁免理由：{}；核准：{}（{}），{} 到期",
                    mask(&w.reason),
                    mask(&w.approver),
                    w.approval_ref,
                    w.expires_on
                ),
                Lang::En => format!(
                    "waived: {}; approved by {} ({}), until {}",
                    mask(&w.reason),
                    mask(&w.approver),
                    w.approval_ref,
                    w.expires_on
                ),
            },
            Severity::Advice,
        ),
    };
    Rendered {
        code: Some(format!("{} ({})", finding.requirement, finding.cite)),
        message,
        help: Some(help).filter(|h| !h.is_empty()),
        severity,
        label: finding
            .location
            .as_ref()
            .map(|l| label(l, label_text.to_owned())),
        source: finding
            .location
            .as_ref()
            .map(|l| named(submission, l, masker)),
    }
}

fn error_diagnostic(
    masker: Masker<'_>,
    submission: &str,
    error: &InputError,
    lang: Lang,
) -> Rendered {
    let mask = |text: &str| masker.apply(text).into_owned();
    let here = match lang {
        Lang::ZhTw => "此處",
        Lang::En => "here",
    };
    let message = match &error.file {
        Some(file) if error.location.is_none() => {
            format!("{submission}/{file}: {}", mask(error.message.get(lang)))
        }
        _ => mask(error.message.get(lang)),
    };
    Rendered {
        code: None,
        message,
        help: error.help.as_ref().map(|h| mask(h.get(lang))),
        severity: Severity::Error,
        label: error.location.as_ref().map(|l| label(l, here.to_owned())),
        source: error
            .location
            .as_ref()
            .map(|l| named(submission, l, masker)),
    }
}

/// How diagnostics are drawn.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Use colours.
    pub color: bool,
    /// Terminal width.
    pub width: usize,
}

fn handler(style: Style) -> GraphicalReportHandler {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
}

fn render(diagnostic: &Rendered, style: Style) -> String {
    let mut out = String::new();
    let _ = handler(style).render_report(&mut out, diagnostic);
    out
}

/// Render one finding as miette draws it.
#[must_use]
pub fn render_finding(
    masker: Masker<'_>,
    submission: &str,
    finding: &Finding,
    lang: Lang,
    style: Style,
) -> String {
    render(
        &finding_diagnostic(masker, submission, finding, lang),
        style,
    )
}

/// Render one input error as miette draws it.
#[must_use]
pub fn render_error(
    masker: Masker<'_>,
    submission: &str,
    error: &InputError,
    lang: Lang,
    style: Style,
) -> String {
    render(&error_diagnostic(masker, submission, error, lang), style)
}
