//! niacheck checks what a government agency submits to Taiwan's National
//! Immigration Agency (NIA) to use entry/exit electronic data: its
//! management rules document (管理規範) and its access configuration.
//!
//! The regulation's requirements are Cedar policies under `policies/`.
//! Rust reads the files and extracts facts with their source spans; Cedar
//! decides; every decision is reported back at the place it came from.
//!
//! ```
//! use niacheck::{Checker, CheckOptions, Date};
//! let checker = Checker::new().expect("the embedded policies validate");
//! let options = CheckOptions {
//!     regulation: None,
//!     as_of: Date::parse("2026-11-27").expect("a date"),
//!     jobs: 1,
//!     show_personal_data: false,
//! };
//! let report = checker.check_paths(&["agency-rules/taipei-city-police".into()], &options);
//! assert_eq!(report.submissions[0].verdict.as_str(), "pass");
//! ```

pub mod calendar;
pub mod catalog;
pub mod cedar;
pub mod check;
pub mod date;
pub mod diagnostic;
pub mod explain;
pub mod extract;
pub mod fix;
pub mod migrate;
pub mod privacy;
pub mod render;
pub mod report;
pub mod source;
pub mod submission;
pub mod terminal;

pub use check::{CheckOptions, Checker};
pub use date::Date;
pub use report::Report;

/// The language of messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Traditional Chinese (the default).
    #[default]
    ZhTw,
    /// English.
    En,
}

impl Lang {
    /// Parse `zh-TW` or `en` (case-insensitive; `zh`, `zh_TW` accepted).
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "zh-tw" | "zh" | "zh-hant" => Some(Self::ZhTw),
            "en" | "en-us" | "en-gb" => Some(Self::En),
            _ => None,
        }
    }
}
