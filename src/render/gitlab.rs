//! GitLab Code Quality (`--format gitlab`): a JSON array of issues with
//! `description`, `check_name`, `fingerprint`, `severity` and
//! `location.path` / `location.lines.begin`. Waived findings are left out
//! (Code Quality has no notion of an accepted exception); an unreadable
//! submission is a `critical` issue.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::json::pretty;
use super::{RenderOptions, Renderer};
use crate::baseline;
use crate::catalog::Severity;
use crate::report::{Run, SubmissionReport, Summary};

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
            let line = e.location.as_ref().map_or(1, |l| l.line_column().line);
            let issue = json!({
                "description": masker.apply(e.message.get(lang)),
                "check_name": "input-error",
                "fingerprint": baseline::fingerprint_of(&["input-error", &s.path, &i.to_string()]),
                "severity": "critical",
                "location": {"path": format!("{}/{file}", s.path), "lines": {"begin": line}},
            });
            self.write(out, &issue)?;
        }
        for f in s.findings.iter().filter(|f| f.counts()) {
            let line = f.location.as_ref().map_or(1, |l| l.line_column().line);
            let issue = json!({
                "description": format!("{} ({}): {}", f.requirement, f.cite, masker.apply(f.message.get(lang))),
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
