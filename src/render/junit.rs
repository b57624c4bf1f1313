//! JUnit XML (`--format junit`), for a CI's test tab: one `testsuite` per
//! submission, one `testcase` per requirement. A gap is a `failure` listing
//! its findings; a gap whose findings are all waived, and a requirement not
//! checked or not applicable, is `skipped`; an unreadable submission is one
//! `error`. Valid against Jenkins' `junit-10.xsd` (checked with xmllint).

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{RenderOptions, Renderer};
use crate::report::{Run, Status, SubmissionReport, Summary};

/// The JUnit renderer.
#[derive(Debug)]
pub struct Junit {
    options: RenderOptions,
}

impl Junit {
    /// A JUnit renderer.
    #[must_use]
    pub fn new(options: RenderOptions) -> Self {
        Self { options }
    }
}

/// `text` for an XML attribute or text node: markup escaped, and the
/// characters XML 1.0 forbids (most C0 controls) replaced.
#[must_use]
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

impl Renderer for Junit {
    fn start(&mut self, out: &mut dyn Write, _run: &Run) -> io::Result<()> {
        writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(out, "<testsuites name=\"niacheck\">")
    }

    fn submission(
        &mut self,
        out: &mut dyn Write,
        run: &Run,
        s: &SubmissionReport,
    ) -> io::Result<()> {
        let lang = self.options.lang;
        let masker = run.masker(s);
        let mask = |t: &str| escape(&masker.apply(t));
        let classname = mask(s.agency.as_deref().unwrap_or(&s.path));
        let mut cases = String::new();
        let (mut failures, mut skipped, mut errors) = (0, 0, 0);
        let mut tests = 0;
        if !s.errors.is_empty() {
            tests += 1;
            errors += 1;
            let text: Vec<String> = s
                .errors
                .iter()
                .map(|e| {
                    let place = e
                        .location
                        .as_ref()
                        .map_or_else(|| e.file.clone().unwrap_or_default(), |l| l.label(lang));
                    format!("{place}: {}", masker.apply(e.message.get(lang)))
                })
                .collect();
            let first = s.errors.first().map(|e| e.message.get(lang)).unwrap_or("");
            let _ = writeln!(
                cases,
                "    <testcase classname=\"{classname}\" name=\"input\">\n      <error type=\"input-error\" message=\"{}\">{}</error>\n    </testcase>",
                mask(first),
                escape(&text.join("\n"))
            );
        }
        for r in &s.requirements {
            tests += 1;
            let name = escape(&match &r.cite {
                Some(cite) => format!("{} ({cite})", r.name),
                None => r.name.clone(),
            });
            let own: Vec<_> = s
                .findings
                .iter()
                .filter(|f| f.requirement == r.name)
                .collect();
            let body = match r.status {
                Status::Met => String::new(),
                Status::NotChecked | Status::NotApplicable => {
                    skipped += 1;
                    format!("\n      <skipped message=\"{}\"/>", r.status.as_str())
                }
                Status::Gap if own.iter().all(|f| !f.counts()) => {
                    skipped += 1;
                    let waived = crate::i18n::static_text(lang, "junit.waived");
                    format!("\n      <skipped message=\"{waived}\"/>")
                }
                Status::Gap => {
                    failures += 1;
                    let counting: Vec<_> = own.iter().filter(|f| f.counts()).collect();
                    let severity = counting
                        .iter()
                        .map(|f| f.severity)
                        .min()
                        .map_or("error", |s| s.as_str());
                    let first = counting.first().map(|f| f.message.get(lang)).unwrap_or("");
                    let lines: Vec<String> = counting
                        .iter()
                        .map(|f| {
                            let place = f
                                .location
                                .as_ref()
                                .map_or_else(|| s.file_of(f).to_owned(), |l| l.label(lang));
                            format!(
                                "{place}: {} [{}]\n  {}",
                                masker.apply(f.message.get(lang)),
                                f.severity.as_str(),
                                masker.apply(f.help.get(lang))
                            )
                        })
                        .collect();
                    format!(
                        "\n      <failure type=\"{severity}\" message=\"{}\">{}</failure>",
                        mask(first),
                        escape(&lines.join("\n"))
                    )
                }
            };
            if body.is_empty() {
                let _ = writeln!(
                    cases,
                    "    <testcase classname=\"{classname}\" name=\"{name}\"/>"
                );
            } else {
                let _ = writeln!(
                    cases,
                    "    <testcase classname=\"{classname}\" name=\"{name}\">{body}\n    </testcase>"
                );
            }
        }
        writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">\n{cases}  </testsuite>",
            escape(&s.path)
        )
    }

    fn finish(&mut self, out: &mut dyn Write, _run: &Run, _summary: &Summary) -> io::Result<()> {
        writeln!(out, "</testsuites>")
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_and_forbidden_characters_are_escaped() {
        assert_eq!(
            escape("<a & \"b\">\u{1b}[31m"),
            "&lt;a &amp; &quot;b&quot;&gt;\u{fffd}[31m"
        );
    }
}
