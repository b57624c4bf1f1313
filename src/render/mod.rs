//! Output formats: one renderer per format, each over the one report model,
//! each writing to an [`io::Write`]. Renderers format; they never decide.
//!
//! A renderer is told of the run, then of each submission as soon as it is
//! judged (in input order), then of the summary, so every format streams and
//! a batch never holds all its reports. Adding a format is one file here
//! and one line in [`formats!`].

pub mod authorization;
pub mod csv;
pub mod github;
pub mod gitlab;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod migration;
pub mod sarif;

use std::io::{self, Write};

use crate::lang::Lang;
use crate::report::{Report, Run, SubmissionReport, Summary};

/// What every renderer needs besides the report.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// Language of messages.
    pub lang: Lang,
    /// Draw with colours (human only).
    pub color: bool,
    /// Width of the terminal (human only).
    pub width: usize,
    /// Add a `pass` result for every requirement met (SARIF only).
    pub include_pass: bool,
    /// Only the summary (human only).
    pub quiet: bool,
    /// Show each date of a message also as its 民國 year
    /// (`2024-03-20（民國113年3月20日）`): human output in zh-TW only.
    pub roc_dates: bool,
}

impl RenderOptions {
    /// Plain output in `lang`: no colours, 100 columns, no pass results.
    #[must_use]
    pub fn new(lang: Lang) -> Self {
        Self {
            lang,
            color: false,
            width: 100,
            include_pass: false,
            quiet: false,
            roc_dates: false,
        }
    }
}

/// One output format's renderer.
pub trait Renderer {
    /// Before the first submission (nothing, unless the format has a header).
    ///
    /// # Errors
    /// When the output cannot be written.
    fn start(&mut self, out: &mut dyn Write, run: &Run) -> io::Result<()> {
        let _ = (out, run);
        Ok(())
    }

    /// One submission, as soon as it is judged.
    ///
    /// # Errors
    /// When the output cannot be written.
    fn submission(
        &mut self,
        out: &mut dyn Write,
        run: &Run,
        submission: &SubmissionReport,
    ) -> io::Result<()>;

    /// After the last submission (nothing, unless the format has a footer).
    ///
    /// # Errors
    /// When the output cannot be written.
    fn finish(&mut self, out: &mut dyn Write, run: &Run, summary: &Summary) -> io::Result<()> {
        let _ = (out, run, summary);
        Ok(())
    }
}

/// The formats: each `Variant => "name", constructor` line defines one.
macro_rules! formats {
    ($($(#[$doc:meta])* $variant:ident => $name:literal, $make:expr;)*) => {
        /// An output format of `check`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Format {
            $($(#[$doc])* $variant,)*
        }

        impl Format {
            /// Every format, in the order `--help` lists them.
            pub const ALL: &[Format] = &[$(Format::$variant,)*];

            /// The name given to `--format`.
            #[must_use]
            pub fn name(self) -> &'static str {
                match self {
                    $(Format::$variant => $name,)*
                }
            }

            /// A fresh renderer of this format.
            #[must_use]
            pub fn renderer(self, options: RenderOptions) -> Box<dyn Renderer> {
                match self {
                    $(Format::$variant => Box::new(($make)(options)),)*
                }
            }
        }
    };
}

formats! {
    /// miette diagnostics with spans into the files.
    Human => "human", human::Human::new;
    /// The JSON report of the specification.
    Json => "json", json::Json::new;
    /// SARIF 2.1.0, for code scanning.
    Sarif => "sarif", sarif::Sarif::new;
    /// JUnit XML, for a CI's test tab.
    Junit => "junit", junit::Junit::new;
    /// GitHub Actions workflow commands (annotations).
    Github => "github", github::Github::new;
    /// GitLab Code Quality.
    Gitlab => "gitlab", gitlab::Gitlab::new;
    /// The Markdown gap report.
    Markdown => "markdown", markdown::Markdown::new;
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .copied()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|f| f.name()).collect();
                format!("`{s}` is not a format; use one of {}", names.join(", "))
            })
    }
}

/// Render a whole report at once.
///
/// # Errors
/// When the output cannot be written.
pub fn render(
    format: Format,
    report: &Report,
    options: RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut renderer = format.renderer(options);
    renderer.start(out, &report.run)?;
    for s in &report.submissions {
        renderer.submission(out, &report.run, s)?;
    }
    renderer.finish(out, &report.run, &report.summary())
}

/// Render a whole report into a string (tests, snapshots).
#[must_use]
pub fn render_to_string(format: Format, report: &Report, options: RenderOptions) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = render(format, report, options, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}
