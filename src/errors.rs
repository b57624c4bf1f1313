//! The input errors of one submission's pipeline, each built by one
//! constructor so that every message a user sees is written once, in both
//! languages. (Errors of reading a file are built in `submission`.)

use std::sync::Arc;

use crate::extract::config::ConfigError;
use crate::lang::Localized;
use crate::report::{InputError, Location};
use crate::source::{SourceFile, Span};
use crate::submission::{self, ReadError};
use crate::{i18n, tr};

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

    /// `access.yaml` does not parse or does not fit its schema: one input
    /// error per problem found.
    #[must_use]
    pub fn config_syntax(access: &Arc<SourceFile>, errors: Vec<ConfigError>) -> Vec<Self> {
        errors
            .into_iter()
            .map(|error| Self {
                message: tr!("errors.config-syntax", message = &error.message),
                help: error.help,
                file: Some(submission::ACCESS_FILE.to_owned()),
                location: error.span.map(|span| Location {
                    file: Arc::clone(access),
                    span,
                }),
            })
            .collect()
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
            message: tr!("errors.unknown-function", name = name),
            help: Some(tr!(
                "errors.unknown-function-help",
                closest = closest,
                known = i18n::list(known)
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
            help: Some(tr!("errors.rules-path-help")),
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
            help: Some(tr!("errors.too-many-citations-help")),
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
            message: tr!("errors.internal", detail = detail),
            help: Some(tr!("errors.internal-help")),
            file: None,
            location: None,
        }
    }
}
