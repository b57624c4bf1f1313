//! GitHub Actions workflow commands (`--format github`): one
//! `::error`/`::warning`/`::notice` line per finding and input error, with
//! the file and region, escaped as GitHub documents (`%`, CR and LF in the
//! message; also `:` and `,` in properties). A finding in a `.docx`/`.odt`
//! names the file with no line (its lines in the repository are a zip
//! container's) and its paragraph in the title. The Markdown step summary
//! is written by the command, from the Markdown renderer.

use std::io::{self, Write};

use super::{RenderOptions, Renderer};
use crate::catalog::Severity;
use crate::lang::Lang;
use crate::report::{Location, Run, SubmissionReport};

/// The GitHub renderer.
#[derive(Debug)]
pub struct Github {
    options: RenderOptions,
}

impl Github {
    /// A GitHub renderer.
    #[must_use]
    pub fn new(options: RenderOptions) -> Self {
        Self { options }
    }
}

/// A workflow command's message.
#[must_use]
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value.
#[must_use]
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The `line`/`col` properties of a place in `file` (with their leading
/// comma): the region in a text file; nothing in an office document, whose
/// lines in the repository are those of a zip container (the paragraph goes
/// into the title); `line=1` for a finding with no place in a text file (a
/// missing document item).
fn region(location: Option<&Location>, file: &str) -> String {
    if crate::office::Format::of(file).is_some() {
        return String::new();
    }
    match location {
        Some(l) if l.paragraph().is_some() => String::new(),
        Some(l) => {
            let (a, b) = (l.line_column(), l.file.line_column(l.span.end));
            format!(
                ",line={},col={},endLine={},endColumn={}",
                a.line, a.column, b.line, b.column
            )
        }
        None => ",line=1".to_owned(),
    }
}

/// The title, with the paragraph of an office document after it.
fn titled(title: &str, location: Option<&Location>, lang: Lang) -> String {
    match location {
        Some(l) if l.paragraph().is_some() => format!("{title} — {}", l.label(lang)),
        _ => title.to_owned(),
    }
}

fn command(
    out: &mut dyn Write,
    kind: &str,
    file: &str,
    location: Option<&Location>,
    title: &str,
    message: &str,
    lang: Lang,
) -> io::Result<()> {
    writeln!(
        out,
        "::{kind} file={}{},title={}::{}",
        escape_property(file),
        region(location, file),
        escape_property(&titled(title, location, lang)),
        escape_data(message)
    )
}

impl Renderer for Github {
    fn submission(
        &mut self,
        out: &mut dyn Write,
        run: &Run,
        s: &SubmissionReport,
    ) -> io::Result<()> {
        let lang = self.options.lang;
        let masker = run.masker(s);
        for e in &s.errors {
            let file = e.file_name().to_owned();
            let mut message = masker.apply(e.message.get(lang)).into_owned();
            if let Some(help) = &e.help {
                message.push('\n');
                message.push_str(&masker.apply(help.get(lang)));
            }
            let title = crate::i18n::static_text(lang, "github.unreadable");
            command(
                out,
                "error",
                &format!("{}/{file}", s.path),
                e.location.as_ref(),
                title,
                &message,
                lang,
            )?;
        }
        for f in &s.findings {
            let kind = match (f.counts(), f.severity) {
                (false, _) | (true, Severity::Info) => "notice",
                (true, Severity::Error) => "error",
                (true, Severity::Warning) => "warning",
            };
            let mut message = masker.apply(f.message.get(lang)).into_owned();
            if !f.counts() {
                message = crate::tr!("github.waived", message = message)
                    .get(lang)
                    .to_owned();
            }
            let help = masker.apply(f.help.get(lang));
            if !help.is_empty() {
                message.push('\n');
                message.push_str(&help);
            }
            let title = format!("{} ({})", f.requirement, f.cite);
            command(
                out,
                kind,
                &format!("{}/{}", s.path, s.file_of(f)),
                f.location.as_ref(),
                &title,
                &message,
                lang,
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{escape_data, escape_property};

    #[test]
    fn escaping_follows_the_workflow_command_rules() {
        assert_eq!(escape_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
