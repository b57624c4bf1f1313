//! The only module that names miette: findings and input errors as miette
//! diagnostics with spans into the real files, and their rendering.
#![deny(clippy::arithmetic_side_effects)]

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, Severity, SourceCode, SourceSpan, SpanContents,
};

use crate::catalog;
use crate::lang::Lang;
use crate::privacy::{CompiledMasker, Masker};
use crate::report::{Finding, InputError, Location};
use crate::source::{SourceFile, Span};

/// A finding or an input error, ready for miette.
#[derive(Debug)]
struct Rendered {
    code: Option<String>,
    message: String,
    help: Option<String>,
    severity: Severity,
    label: Option<LabeledSpan>,
    source: Option<Window>,
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

/// The longest part of a line a snippet shows, in characters: a longer
/// line is cut to a window around the evidence, with `…` where it is cut.
pub const MAX_SHOWN_LINE_CHARS: usize = 160;

/// The most lines of one span a snippet shows; a longer span is shown from
/// its start.
pub const MAX_SHOWN_SPAN_LINES: usize = 12;

/// The longest message or help shown, in characters (a message quoting a
/// huge value is cut with `…`).
pub const MAX_MESSAGE_CHARS: usize = 1_000;

/// Lines of context shown before and after the evidence.
const CONTEXT_LINES: usize = 1;

/// A window of a file for miette: the lines around one span, each cut to
/// at most [`MAX_SHOWN_LINE_CHARS`], unsafe characters escaped, named with
/// the submission's path. miette is never given a whole file, so a line of
/// any length cannot reach its renderer, and the cost of a snippet does not
/// grow with the file. The reported line and column are those of the real
/// file: the column in characters, as the specification counts them.
#[derive(Debug)]
struct Window {
    name: String,
    text: String,
    /// 0-based line of the file where the window starts.
    first_line: usize,
    /// 0-based character column of the span's start in its real line.
    column: usize,
}

impl SourceCode for Window {
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
        let column = if context_lines_before == 0 && context_lines_after == 0 {
            self.column
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line().saturating_add(self.first_line),
            column,
            inner.line_count(),
        )))
    }
}

/// `n` characters back from `from`, not before `floor`.
fn back(text: &str, from: usize, floor: usize, n: usize) -> usize {
    text.get(floor..from)
        .and_then(|t| t.char_indices().rev().nth(n.saturating_sub(1)))
        .map_or(floor, |(i, _)| floor.saturating_add(i))
}

/// `n` characters on from `from`, not past `ceiling`.
fn forward(text: &str, from: usize, ceiling: usize, n: usize) -> usize {
    text.get(from..ceiling)
        .and_then(|t| t.char_indices().nth(n))
        .map_or(ceiling, |(i, _)| from.saturating_add(i))
}

/// The largest character boundary of `text` not after `offset`.
fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    while at > 0 && !text.is_char_boundary(at) {
        at = at.saturating_sub(1);
    }
    at
}

/// The window of `masked` (the file's text, masked) around `span`, and the
/// span inside the window.
fn window(file: &SourceFile, masked: &str, span: Span, name: String) -> (Window, Span) {
    let start = floor_boundary(masked, span.start);
    let mut end = floor_boundary(masked, span.end.max(start));
    let first = file.line_index(start);
    let mut last = file.line_index(if end > start {
        end.saturating_sub(1)
    } else {
        end
    });
    let span_lines_cap = first.saturating_add(MAX_SHOWN_SPAN_LINES.saturating_sub(1));
    if last > span_lines_cap {
        last = span_lines_cap;
        end = file.line_range(last).map_or(end, |r| r.end);
    }
    let from = first.saturating_sub(CONTEXT_LINES);
    let to = last
        .saturating_add(CONTEXT_LINES)
        .min(file.line_count().saturating_sub(1));
    let mut text = String::new();
    let (mut window_start, mut window_end) = (None, None);
    for line in from..=to {
        let Some(range) = file.line_range(line) else {
            break;
        };
        if line > from {
            text.push('\n');
        }
        let (ls, le) = (range.start, range.end);
        let long = forward(masked, ls, le, MAX_SHOWN_LINE_CHARS) < le;
        let (a, b) = if !long {
            (ls, le)
        } else if line == first {
            let a = back(masked, start, ls, MAX_SHOWN_LINE_CHARS / 4);
            (a, forward(masked, a, le, MAX_SHOWN_LINE_CHARS))
        } else if line == last {
            let b = forward(masked, end, le, MAX_SHOWN_LINE_CHARS / 4);
            (back(masked, b, ls, MAX_SHOWN_LINE_CHARS), b)
        } else {
            (ls, forward(masked, ls, le, MAX_SHOWN_LINE_CHARS))
        };
        if a > ls {
            text.push('…');
        }
        for (i, c) in masked.get(a..b).unwrap_or("").char_indices() {
            let at = a.saturating_add(i);
            if at == start && window_start.is_none() {
                window_start = Some(text.len());
            }
            if at == end && window_end.is_none() && window_start.is_some() {
                window_end = Some(text.len());
            }
            crate::terminal::push_visible(&mut text, c, false);
        }
        if line == first && window_start.is_none() {
            window_start = Some(text.len());
        }
        if line == last && window_end.is_none() {
            window_end = Some(text.len());
        }
        if b < le {
            text.push('…');
        }
    }
    // The last line keeps its line end when another line follows, as miette
    // would see it in the whole file.
    if to.saturating_add(1) < file.line_count() {
        text.push('\n');
    }
    let ws = window_start.unwrap_or(0);
    let we = window_end.unwrap_or(ws).max(ws);
    let column = file.line_column(start).column.saturating_sub(1);
    (
        Window {
            name,
            text,
            // An excerpt (a usage log's row) counts the lines before it.
            first_line: from.saturating_add(file.first_line()),
            column,
        },
        Span::new(ws, we),
    )
}

/// `text` cut to [`MAX_MESSAGE_CHARS`] characters, unsafe characters escaped.
fn shown(text: &str) -> String {
    let cut = forward(text, 0, text.len(), MAX_MESSAGE_CHARS);
    let mut out = crate::terminal::visible_lines(text.get(..cut).unwrap_or("")).into_owned();
    if cut < text.len() {
        out.push('…');
    }
    out
}

/// Renders the findings and input errors of one submission: the masker is
/// compiled once and each file is masked once, however many diagnostics
/// point into it.
#[derive(Debug)]
pub struct SubmissionRenderer<'a> {
    masker: CompiledMasker<'a>,
    submission: String,
    lang: Lang,
    style: Style,
    masked: Vec<(Arc<SourceFile>, Arc<str>)>,
}

impl<'a> SubmissionRenderer<'a> {
    /// A renderer for the submission at `submission` (its path as reported).
    #[must_use]
    pub fn new(masker: Masker<'a>, submission: &str, lang: Lang, style: Style) -> Self {
        Self {
            masker: masker.compile(),
            submission: submission.to_owned(),
            lang,
            style,
            masked: Vec::new(),
        }
    }

    fn mask(&self, text: &str) -> String {
        shown(&self.masker.apply(text))
    }

    fn masked_text(&mut self, file: &Arc<SourceFile>) -> Arc<str> {
        if let Some((_, text)) = self.masked.iter().find(|(f, _)| Arc::ptr_eq(f, file)) {
            return Arc::clone(text);
        }
        let text = match self.masker.apply(file.text()) {
            Cow::Borrowed(_) => file.shared_text(),
            Cow::Owned(masked) => Arc::from(masked),
        };
        self.masked.push((Arc::clone(file), Arc::clone(&text)));
        text
    }

    fn source(&mut self, location: &Location, label_text: &str) -> (Window, LabeledSpan) {
        let name = format!(
            "{}/{}",
            crate::terminal::visible(&self.submission),
            crate::terminal::visible(location.file.name())
        );
        // An office document shows the paragraph, numbered as its line.
        let (window, span) = if let Some(place) = location.file.paragraph_place(location.span) {
            let name = location.label_as(&name, self.lang, false);
            let paragraph = SourceFile::excerpt(location.file.name(), place.text, place.number, 0);
            let masked = self.masker.apply(place.text).into_owned();
            window(&paragraph, &masked, place.bytes, name)
        } else {
            let masked = self.masked_text(&location.file);
            window(&location.file, &masked, location.span, name)
        };
        let label =
            LabeledSpan::new_primary_with_span(Some(label_text.to_owned()), span.start..span.end);
        (window, label)
    }

    /// Render one finding as miette draws it.
    #[must_use]
    pub fn finding(&mut self, finding: &Finding) -> String {
        let label_text = crate::i18n::static_text(self.lang, "diagnostic.evidence");
        let (source, label) = match finding.location.as_ref() {
            Some(l) => {
                let (w, s) = self.source(l, label_text);
                (Some(w), Some(s))
            }
            None => (None, None),
        };
        let message = self.mask(finding.message.get(self.lang));
        let help = self.mask(finding.help.get(self.lang));
        let (message, help, severity) = match &finding.waived {
            None => (
                message,
                help,
                match finding.severity {
                    catalog::Severity::Error => Severity::Error,
                    catalog::Severity::Warning => Severity::Warning,
                    catalog::Severity::Info => Severity::Advice,
                },
            ),
            // A waived finding is shown, as advice that does not fail.
            Some(w) => {
                let (reason, approver) = (self.mask(&w.reason), self.mask(&w.approver));
                let reference = self.mask(&w.approval_ref);
                (
                    crate::tr!("github.waived", message = message)
                        .get(self.lang)
                        .to_owned(),
                    crate::tr!(
                        "diagnostic.waiver",
                        reason = reason,
                        approver = approver,
                        reference = reference,
                        expires_on = w.expires_on
                    )
                    .get(self.lang)
                    .to_owned(),
                    Severity::Advice,
                )
            }
        };
        let diagnostic = Rendered {
            code: Some(format!("{} ({})", finding.requirement, finding.cite)),
            message,
            help: Some(help).filter(|h| !h.is_empty()),
            severity,
            label,
            source,
        };
        render(&diagnostic, self.style)
    }

    /// Render one input error as miette draws it.
    #[must_use]
    pub fn error(&mut self, error: &InputError) -> String {
        let here = crate::i18n::static_text(self.lang, "diagnostic.here");
        let message = match &error.file {
            Some(file) if error.location.is_none() => format!(
                "{}/{}: {}",
                crate::terminal::visible(&self.submission),
                crate::terminal::visible(file),
                self.mask(error.message.get(self.lang))
            ),
            _ => self.mask(error.message.get(self.lang)),
        };
        let (source, label) = match error.location.as_ref() {
            Some(l) => {
                let (w, s) = self.source(l, here);
                (Some(w), Some(s))
            }
            None => (None, None),
        };
        let diagnostic = Rendered {
            code: None,
            message,
            help: error.help.as_ref().map(|h| self.mask(h.get(self.lang))),
            severity: Severity::Error,
            label,
            source,
        };
        render(&diagnostic, self.style)
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

/// Render one finding as miette draws it (see [`SubmissionRenderer`] for
/// many findings of one submission).
#[must_use]
pub fn render_finding(
    masker: Masker<'_>,
    submission: &str,
    finding: &Finding,
    lang: Lang,
    style: Style,
) -> String {
    SubmissionRenderer::new(masker, submission, lang, style).finding(finding)
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
    SubmissionRenderer::new(masker, submission, lang, style).error(error)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::{MAX_MESSAGE_CHARS, MAX_SHOWN_LINE_CHARS, Style, SubmissionRenderer};
    use crate::catalog::Severity;
    use crate::lang::Lang;
    use crate::lang::Localized;
    use crate::privacy::Masker;
    use crate::report::{Finding, Location};
    use crate::source::{SourceFile, Span};

    fn finding(file: &Arc<SourceFile>, span: Span, message: &str) -> Finding {
        Finding {
            requirement: "superseded-law".into(),
            cite: "7.5".into(),
            severity: Severity::Error,
            policy: "superseded-law/cppdpa".into(),
            message: Localized::same(message),
            help: Localized::same("cite the law in force"),
            location: Some(Location {
                file: Arc::clone(file),
                span,
            }),
            subject: None,
            fix: None,
            fingerprint: String::new(),
            waived: None,
            evidence: None,
        }
    }

    fn render(file: &Arc<SourceFile>, span: Span, message: &str) -> String {
        let values = Vec::new();
        let masker = Masker {
            show: false,
            values: &values,
        };
        let style = Style {
            color: false,
            width: 100,
        };
        SubmissionRenderer::new(masker, "agency", Lang::En, style)
            .finding(&finding(file, span, message))
    }

    #[test]
    fn a_line_of_any_length_is_shown_as_a_window_with_the_real_column() {
        let long = "中".repeat(300_000);
        let text = format!("first\n{long}電腦處理個人資料保護法{long}\r\nlast\rtail\n");
        let file = Arc::new(SourceFile::new("rules.md", &text));
        let start = text.find('電').unwrap_or_default();
        let span = Span::new(start, start + "電腦處理個人資料保護法".len());
        let out = render(&file, span, "superseded");
        assert!(out.contains("[agency/rules.md:2:300001]"), "{out}");
        assert!(out.contains("…中中"), "{out}");
        assert!(out.contains("電腦處理個人資料保護法中"), "{out}");
        assert!(out.contains(" 3 │ last"), "{out}");
        for line in out.lines() {
            assert!(
                line.chars().count() < MAX_SHOWN_LINE_CHARS + 20,
                "line too long: {} chars",
                line.chars().count()
            );
        }
    }

    #[test]
    fn messages_are_capped_and_controls_escaped() {
        let file = Arc::new(SourceFile::new("rules.md", "a\u{1b}[31mb\u{202e}c\n"));
        let message = format!("\u{7}{}", "x".repeat(MAX_MESSAGE_CHARS * 3));
        let out = render(&file, Span::new(0, 1), &message);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\u{202e}'));
        assert!(out.contains("a\\u{1b}[31mb\\u{202e}c"), "{out}");
        assert!(out.contains("x…"), "{out}");
        assert!(out.len() < MAX_MESSAGE_CHARS * 2, "{}", out.len());
    }
}
