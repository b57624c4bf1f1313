//! The only module that names miette: findings and input errors as miette
//! diagnostics with spans into the real files, and their rendering.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity,
    SourceCode,
};

use crate::Lang;
use crate::catalog;
use crate::report::{Finding, InputError, Location, Report};

/// A finding or an input error, ready for miette.
#[derive(Debug)]
struct Rendered {
    code: Option<String>,
    message: String,
    help: Option<String>,
    severity: Severity,
    label: Option<LabeledSpan>,
    source: Option<NamedSource<String>>,
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

/// A named source of the location's file, with the submission's path in
/// the name so the reader knows which file it is.
fn named(submission: &str, location: &Location) -> NamedSource<String> {
    let name = format!("{submission}/{}", location.file.name());
    NamedSource::new(name, location.file.text().to_owned())
}

fn label(location: &Location, text: String) -> LabeledSpan {
    LabeledSpan::new_primary_with_span(Some(text), location.span.start..location.span.end)
}

fn finding_diagnostic(
    report: &Report,
    submission: &str,
    finding: &Finding,
    lang: Lang,
) -> Rendered {
    let label_text = match lang {
        Lang::ZhTw => "依據",
        Lang::En => "evidence",
    };
    Rendered {
        code: Some(format!("{} ({})", finding.requirement, finding.cite)),
        message: report.mask(finding.message.get(lang)).into_owned(),
        help: Some(report.mask(finding.help.get(lang)).into_owned()).filter(|h| !h.is_empty()),
        severity: match finding.severity {
            catalog::Severity::Error => Severity::Error,
            catalog::Severity::Warning => Severity::Warning,
            catalog::Severity::Info => Severity::Advice,
        },
        label: finding
            .location
            .as_ref()
            .map(|l| label(l, label_text.to_owned())),
        source: finding.location.as_ref().map(|l| named(submission, l)),
    }
}

fn error_diagnostic(submission: &str, error: &InputError, lang: Lang) -> Rendered {
    let here = match lang {
        Lang::ZhTw => "此處",
        Lang::En => "here",
    };
    let message = match &error.file {
        Some(file) if error.location.is_none() => {
            format!("{submission}/{file}: {}", error.message.get(lang))
        }
        _ => error.message.get(lang).to_owned(),
    };
    Rendered {
        code: None,
        message,
        help: error.help.as_ref().map(|h| h.get(lang).to_owned()),
        severity: Severity::Error,
        label: error.location.as_ref().map(|l| label(l, here.to_owned())),
        source: error.location.as_ref().map(|l| named(submission, l)),
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

/// Render one finding as miette draws it.
#[must_use]
pub fn render_finding(
    report: &Report,
    submission: &str,
    finding: &Finding,
    lang: Lang,
    style: Style,
) -> String {
    let mut out = String::new();
    let _ = handler(style).render_report(
        &mut out,
        &finding_diagnostic(report, submission, finding, lang),
    );
    out
}

/// Render one input error as miette draws it.
#[must_use]
pub fn render_error(submission: &str, error: &InputError, lang: Lang, style: Style) -> String {
    let mut out = String::new();
    let _ = handler(style).render_report(&mut out, &error_diagnostic(submission, error, lang));
    out
}
