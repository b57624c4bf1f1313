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
//! let options = CheckOptions::new(Date::parse("2026-11-27").expect("a date"));
//! let report = checker.check_paths(&["agency-rules/taipei-city-police".into()], &options);
//! assert_eq!(report.submissions[0].verdict.as_str(), "pass");
//! ```

pub mod baseline;
pub mod calendar;
pub mod catalog;
pub mod cedar;
pub mod check;
pub mod checker;
pub mod compliance;
pub mod date;
pub mod diagnostic;
pub mod embedded;
pub mod errors;
pub mod explain;
pub mod extract;
pub mod findings;
pub mod fix;
pub mod i18n;
pub mod init;
pub mod lang;
pub mod migrate;
pub mod office;
pub mod pipeline;
pub mod privacy;
pub mod render;
pub mod replay;
pub mod report;
pub mod source;
pub mod submission;
pub mod terminal;
pub mod waivers;

pub use check::CheckOptions;
pub use checker::{Checker, StartupError};
pub use date::Date;
pub use lang::{Lang, Localized};
pub use report::{ExitStatus, Report};
