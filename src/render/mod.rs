//! Output formats: one renderer per format, each over the one report model.
//! Renderers format; they never decide.

pub mod human;
pub mod json;

use crate::Lang;

/// An output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// miette diagnostics with spans into the files.
    Human,
    /// The JSON report of the specification.
    Json,
}

/// What every renderer needs besides the report.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// Language of messages.
    pub lang: Lang,
    /// Draw with colours (human only).
    pub color: bool,
    /// Width of the terminal (human only).
    pub width: usize,
}
