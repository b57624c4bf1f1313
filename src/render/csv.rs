//! The CSV of the compliance report (`report.csv`): one row per agency ×
//! requirement, UTF-8 with a BOM so Excel shows Chinese, written with the
//! `csv` crate. Each message of the `messages` cell follows its place
//! (`rules.md:12:5: …`; in a `.docx`/`.odt`, `rules.docx 第 3 段: …`). A
//! cell that a spreadsheet would run as a formula (starting with `=`, `+`,
//! `-`, `@`, a tab or a carriage return) is prefixed with `'`.

use std::io::{self, Write};

use super::{RenderOptions, Renderer};
use crate::i18n;
use crate::lang::Lang;
use crate::report::{Location, Run, SubmissionReport};

/// The CSV renderer.
#[derive(Debug)]
pub struct Csv {
    options: RenderOptions,
}

impl Csv {
    /// A CSV renderer.
    #[must_use]
    pub fn new(options: RenderOptions) -> Self {
        Self { options }
    }
}

/// A cell a spreadsheet shows as text, never runs as a formula.
#[must_use]
pub fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn write_row(out: &mut dyn Write, row: &[&str]) -> io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
    writer.write_record(&cells).map_err(io::Error::other)?;
    let bytes = writer
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))?;
    out.write_all(&bytes)
}

/// A message of the `messages` cell, after its place when it has one
/// (`rules.md:12:5: …`, 「rules.docx 第 3 段: …」): the columns stay as
/// documented, and a finding in an office document names its paragraph.
fn placed(location: Option<&Location>, message: &str, lang: Lang) -> String {
    match location {
        Some(l) => format!("{}: {message}", l.label(lang)),
        None => message.to_owned(),
    }
}

impl Renderer for Csv {
    fn start(&mut self, out: &mut dyn Write, _run: &Run) -> io::Result<()> {
        out.write_all("\u{feff}".as_bytes())?;
        let lang = self.options.lang;
        let header = [
            i18n::static_text(lang, "csv.submission"),
            i18n::static_text(lang, "csv.agency"),
            i18n::static_text(lang, "csv.tier"),
            i18n::static_text(lang, "csv.verdict"),
            i18n::static_text(lang, "csv.requirement"),
            i18n::static_text(lang, "csv.cite"),
            i18n::static_text(lang, "csv.status"),
            i18n::static_text(lang, "csv.errors"),
            i18n::static_text(lang, "csv.warnings"),
            i18n::static_text(lang, "csv.waived"),
            i18n::static_text(lang, "csv.messages"),
        ];
        write_row(out, &header)
    }

    fn submission(
        &mut self,
        out: &mut dyn Write,
        run: &Run,
        s: &SubmissionReport,
    ) -> io::Result<()> {
        let lang = self.options.lang;
        let masker = run.masker(s);
        let agency = masker.apply(s.agency.as_deref().unwrap_or("")).into_owned();
        let tier = s.tier.as_deref().unwrap_or("");
        if !s.errors.is_empty() {
            let messages: Vec<String> = s
                .errors
                .iter()
                .map(|e| {
                    placed(
                        e.location.as_ref(),
                        &masker.apply(e.message.get(lang)),
                        lang,
                    )
                })
                .collect();
            write_row(
                out,
                &[
                    &s.path,
                    &agency,
                    tier,
                    s.verdict.as_str(),
                    "",
                    "",
                    "error",
                    "",
                    "",
                    "",
                    &messages.join("\n"),
                ],
            )?;
        }
        for r in &s.requirements {
            let own: Vec<_> = s
                .findings
                .iter()
                .filter(|f| f.requirement == r.name)
                .collect();
            let count = |severity| {
                own.iter()
                    .filter(|f| f.counts() && f.severity == severity)
                    .count()
                    .to_string()
            };
            let waived = own.iter().filter(|f| !f.counts()).count().to_string();
            let messages: Vec<String> = own
                .iter()
                .map(|f| {
                    placed(
                        f.location.as_ref(),
                        &masker.apply(f.message.get(lang)),
                        lang,
                    )
                })
                .collect();
            write_row(
                out,
                &[
                    &s.path,
                    &agency,
                    tier,
                    s.verdict.as_str(),
                    &r.name,
                    r.cite.as_deref().unwrap_or(""),
                    r.status.as_str(),
                    &count(crate::catalog::Severity::Error),
                    &count(crate::catalog::Severity::Warning),
                    &waived,
                    &messages.join("\n"),
                ],
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("臺北市"), "臺北市");
    }
}
