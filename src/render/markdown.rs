//! The Markdown gap report (`--format markdown`), for a reviewer to paste
//! into a review: per submission, one table of every requirement with its
//! status, citation, the evidence quoted or what is missing, and the fix;
//! then the totals. Agency text is escaped so it cannot break the table or
//! inject markup. The same totals table is GitHub's step summary.

use std::io::{self, Write};

use super::{RenderOptions, Renderer};
use crate::i18n;
use crate::lang::Lang;
use crate::report::{Run, Status, SubmissionReport, Summary};

/// The longest evidence quote shown, in characters.
const QUOTE_CHARS: usize = 60;

/// The Markdown renderer.
#[derive(Debug)]
pub struct Markdown {
    options: RenderOptions,
}

impl Markdown {
    /// A Markdown renderer.
    #[must_use]
    pub fn new(options: RenderOptions) -> Self {
        Self { options }
    }
}

/// `text` safe inside a Markdown table cell: the punctuation that makes
/// emphasis, code, links or a cell border backslash-escaped, HTML's
/// `<`, `>` and `&` as entities, line breaks as spaces.
#[must_use]
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' | '\n' => out.push(' '),
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

fn quote(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = flat.chars();
    let head: String = chars.by_ref().take(QUOTE_CHARS).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

fn status_text(status: Status, waived: bool, lang: Lang) -> &'static str {
    i18n::static_text(
        lang,
        match (status, waived) {
            (Status::Met, _) => "markdown.met",
            (Status::Gap, true) => "markdown.waived",
            (Status::Gap, false) => "markdown.gap",
            (Status::NotChecked, _) => "markdown.not-checked",
            (Status::NotApplicable, _) => "markdown.not-applicable",
        },
    )
}

/// The totals table.
///
/// # Errors
/// When the output cannot be written.
pub fn summary_table(
    out: &mut dyn Write,
    run: &Run,
    summary: &Summary,
    lang: Lang,
) -> io::Result<()> {
    let regulation = if run.regulation == crate::catalog::Version::Amended {
        crate::tr!("authorize.regulation-amended")
    } else {
        crate::tr!("authorize.regulation-previous")
    };
    let table = crate::tr!(
        "markdown.summary",
        submissions = summary.submissions,
        pass = summary.pass,
        fail = summary.fail,
        error = summary.error,
        waived = summary.waived,
        as_of = run.as_of,
        regulation = regulation
    );
    writeln!(out, "{}", table.get(lang))
}

impl Renderer for Markdown {
    fn start(&mut self, out: &mut dyn Write, _run: &Run) -> io::Result<()> {
        let title = i18n::static_text(self.options.lang, "markdown.title");
        writeln!(out, "# {title}\n")
    }

    fn submission(
        &mut self,
        out: &mut dyn Write,
        run: &Run,
        s: &SubmissionReport,
    ) -> io::Result<()> {
        let lang = self.options.lang;
        let masker = run.masker(s);
        let cell = |t: &str| escape(&masker.apply(t));
        writeln!(
            out,
            "## {} — {}：{}\n",
            escape(&s.path),
            cell(s.agency.as_deref().unwrap_or("?")),
            s.verdict.text(lang)
        )?;
        for e in &s.errors {
            writeln!(out, "- ⚠ {}", cell(e.message.get(lang)))?;
            if let Some(help) = &e.help {
                writeln!(out, "  {}", cell(help.get(lang)))?;
            }
        }
        if !s.errors.is_empty() {
            writeln!(out)?;
        }
        writeln!(out, "{}", i18n::static_text(lang, "markdown.header"))?;
        writeln!(out, "|---|---|---|---|---|")?;
        for r in &s.requirements {
            let own: Vec<_> = s
                .findings
                .iter()
                .filter(|f| f.requirement == r.name)
                .collect();
            let waived = !own.is_empty() && own.iter().all(|f| !f.counts());
            let what: Vec<String> = own
                .iter()
                .map(|f| {
                    let place = f.location.as_ref().map(|l| {
                        let at = l.line_label(lang);
                        let text = quote(&masker.apply(l.file.slice(l.span)));
                        // No quote when the message quotes it already.
                        if text.is_empty() || f.message.get(lang).contains(text.as_str()) {
                            format!("{at} ")
                        } else {
                            format!("{at} 「{text}」 ")
                        }
                    });
                    escape(&format!(
                        "{}{}",
                        place.unwrap_or_default(),
                        masker.apply(f.message.get(lang))
                    ))
                })
                .collect();
            let mut fixes: Vec<String> = own.iter().map(|f| cell(f.help.get(lang))).collect();
            fixes.dedup();
            writeln!(
                out,
                "| `{}` | {} | {} | {} | {} |",
                r.name,
                r.cite.as_deref().unwrap_or("—"),
                status_text(r.status, waived, lang),
                what.join("<br>"),
                fixes.join("<br>")
            )?;
        }
        writeln!(out)
    }

    fn finish(&mut self, out: &mut dyn Write, run: &Run, summary: &Summary) -> io::Result<()> {
        summary_table(out, run, summary, self.options.lang)
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn table_breaking_text_is_escaped() {
        assert_eq!(
            escape("a|b <script>x</script>\n[link](y) =1"),
            "a\\|b &lt;script&gt;x&lt;/script&gt; \\[link\\](y) =1"
        );
    }
}
