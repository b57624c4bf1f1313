//! GitLab Code Quality (`--format gitlab`): a JSON array of issues with
//! `description`, `check_name`, `fingerprint`, `severity` and
//! `location.path` / `location.lines.begin` (1 for a `.docx`/`.odt`, whose
//! lines in the repository are a zip container's: the paragraph is named in
//! the description instead). Waived findings are left out
//! (Code Quality has no notion of an accepted exception); an unreadable
//! submission is a `critical` issue.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::json::pretty;
use super::{RenderOptions, Renderer};
use crate::baseline;
use crate::catalog::Severity;
use crate::lang::Lang;
use crate::report::{Location, Run, SubmissionReport, Summary};

/// The GitLab renderer.
#[derive(Debug)]
pub struct Gitlab {
    options: RenderOptions,
    written: usize,
}

impl Gitlab {
    /// A GitLab Code Quality renderer.
    #[must_use]
    pub fn new(options: RenderOptions) -> Self {
        Self {
            options,
            written: 0,
        }
    }

    fn write(&mut self, out: &mut dyn Write, issue: &Value) -> io::Result<()> {
        let separator = if self.written == 0 { "\n  " } else { ",\n  " };
        self.written += 1;
        write!(out, "{separator}{}", pretty(issue, 2)?)
    }
}

/// `location.lines.begin`: the line in a text file; 1 for an office
/// document (its lines in the repository are a zip container's) and for a
/// finding with no place.
fn begin(location: Option<&Location>) -> usize {
    match location {
        Some(l) if l.paragraph().is_none() => l.line_column().line,
        _ => 1,
    }
}

/// What the description says of the place before the message: the
/// paragraph of an office document (`rules.docx 第 3 段: `), else nothing.
fn paragraph(location: Option<&Location>, lang: Lang) -> String {
    match location {
        Some(l) if l.paragraph().is_some() => format!("{}: ", l.label(lang)),
        _ => String::new(),
    }
}

impl Renderer for Gitlab {
    fn start(&mut self, out: &mut dyn Write, _run: &Run) -> io::Result<()> {
        write!(out, "[")
    }

    fn submission(
        &mut self,
        out: &mut dyn Write,
        run: &Run,
        s: &SubmissionReport,
    ) -> io::Result<()> {
        let lang = self.options.lang;
        let masker = run.masker(s);
        for (i, e) in s.errors.iter().enumerate() {
            let file = e.file_name().to_owned();
            let line = begin(e.location.as_ref());
            let issue = json!({
                "description": format!("{}{}", paragraph(e.location.as_ref(), lang), masker.apply(e.message.get(lang))),
                "check_name": "input-error",
                "fingerprint": baseline::fingerprint_of(&["input-error", &s.path, &i.to_string()]),
                "severity": "critical",
                "location": {"path": format!("{}/{file}", s.path), "lines": {"begin": line}},
            });
            self.write(out, &issue)?;
        }
        for f in s.findings.iter().filter(|f| f.counts()) {
            let line = begin(f.location.as_ref());
            let issue = json!({
                "description": format!(
                    "{} ({}): {}{}",
                    f.requirement,
                    f.cite,
                    paragraph(f.location.as_ref(), lang),
                    masker.apply(f.message.get(lang))
                ),
                "check_name": f.requirement,
                "fingerprint": f.fingerprint,
                "severity": match f.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                },
                "location": {
                    "path": format!("{}/{}", s.path, s.file_of(f)),
                    "lines": {"begin": line},
                },
            });
            self.write(out, &issue)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _run: &Run, _summary: &Summary) -> io::Result<()> {
        let close = if self.written == 0 { "]" } else { "\n]" };
        writeln!(out, "{close}")
    }
}
