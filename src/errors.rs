//! The input errors of one submission's pipeline, each built by one
//! constructor so that every message a user sees is written once, in both
//! languages. (Errors of reading a file are built in `submission`.)

use std::sync::Arc;

use crate::extract::config::ConfigError;
use crate::lang::Localized;
use crate::report::{InputError, Location};
use crate::source::{SourceFile, Span};
use crate::submission::{self, ReadError};

impl InputError {
    /// A file of the submission could not be read (`name` as the
    /// submission calls it).
    #[must_use]
    pub fn unreadable(name: &str, error: ReadError) -> Self {
        let location = error.place.map(|(source, span)| Location {
            file: Arc::new(source),
            span,
        });
        Self {
            message: error.message,
            help: error.help,
            file: Some(name.to_owned()),
            location,
        }
    }

    /// A path given on the command line that is not a submission.
    #[must_use]
    pub fn not_a_submission(message: Localized) -> Self {
        Self {
            message,
            help: None,
            file: None,
            location: None,
        }
    }

    /// `access.yaml` does not parse or does not fit its schema.
    #[must_use]
    pub fn config_syntax(access: &Arc<SourceFile>, error: ConfigError) -> Self {
        Self {
            message: Localized::new(
                format!("設定檔格式錯誤：{}", error.message_zh),
                error.message,
            ),
            help: error
                .help
                .zip(error.help_zh)
                .map(|(en, zh)| Localized::new(zh, en)),
            file: Some(submission::ACCESS_FILE.to_owned()),
            location: error.span.map(|span| Location {
                file: Arc::clone(access),
                span,
            }),
        }
    }

    /// A function name that is not one of NIA's, at its place (a typo must
    /// not silently narrow a check).
    #[must_use]
    pub fn unknown_function(
        access: &Arc<SourceFile>,
        span: Span,
        name: &str,
        closest: &str,
        known: &[&str],
    ) -> Self {
        Self {
            message: Localized::new(
                format!("設定檔格式錯誤：未知的作業功能 `{name}`"),
                format!("unknown function `{name}`"),
            ),
            help: Some(Localized::new(
                format!("是否為 `{closest}`？可用的作業功能：{}", known.join("、")),
                format!(
                    "did you mean `{closest}`? NIA's functions: {}",
                    known.join(", ")
                ),
            )),
            file: Some(submission::ACCESS_FILE.to_owned()),
            location: Some(Location {
                file: Arc::clone(access),
                span,
            }),
        }
    }

    /// `rules:` names a file that cannot be used.
    #[must_use]
    pub fn rules_path(access: &Arc<SourceFile>, span: Option<Span>, error: ReadError) -> Self {
        Self {
            message: error.message,
            help: Some(Localized::new(
                "`rules:` 應指向送審資料夾內的管理規範（.md、.docx 或 .odt），例如 `rules: rules.md`",
                "`rules:` must name the rules document (.md, .docx or .odt) inside the submission folder, e.g. `rules: rules.md`",
            )),
            file: Some(submission::ACCESS_FILE.to_owned()),
            location: span.map(|span| Location {
                file: Arc::clone(access),
                span,
            }),
        }
    }

    /// A rules document with more citations than any real one (an input
    /// that would only make the check slow), at the first one over.
    #[must_use]
    pub fn too_many_citations(rules: &Arc<SourceFile>, span: Span, message: Localized) -> Self {
        Self {
            message,
            help: Some(Localized::new(
                "請送審機關實際的管理規範",
                "submit the agency's actual rules document",
            )),
            file: Some(rules.name().to_owned()),
            location: Some(Location {
                file: Arc::clone(rules),
                span,
            }),
        }
    }

    /// A defect of niacheck met while checking this submission (a Cedar
    /// evaluation error, a panic): never a pass.
    #[must_use]
    pub fn internal(detail: &str) -> Self {
        Self {
            message: Localized::new(
                format!("niacheck 內部錯誤：{detail}"),
                format!("internal error: {detail}"),
            ),
            help: Some(Localized::new(
                "這是 niacheck 的缺陷，不是送審資料的問題；請附上送審資料回報",
                "this is a defect of niacheck, not of the submission; please report it with the submission attached",
            )),
            file: None,
            location: None,
        }
    }
}
