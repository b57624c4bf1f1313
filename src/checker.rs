//! What is loaded once and shared by every check: the catalogue, the Cedar
//! engine (policies validated in strict mode) and the reference data. A
//! [`Checker`] holds nothing about any one submission.

use crate::calendar::{Calendar, CalendarError};
use crate::catalog::{Catalog, CatalogError, Version};
use crate::cedar::{Engine, EngineError, EvalError, entities};
use crate::date::Date;
use crate::embedded;
use crate::extract::citation::{Laws, LawsError};
use crate::extract::document::vocabulary::Vocabulary;
use crate::extract::reference::{Reference, ReferenceError};
use crate::findings::Submitted;
use crate::findings::{Templates, TemplatesError};
use crate::replay::{LogTerms, LogTermsError};
use crate::source::Span;

/// An error at start-up: the embedded catalogue, policies or data are
/// invalid. A defect of the build, never of the user's input; the tests
/// build a [`Checker`] so that no such binary is released.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// `policies/catalog.toml`.
    #[error("internal error: {0}")]
    Catalog(#[from] CatalogError),
    /// The Cedar schema or a policy.
    #[error("internal error: {0}")]
    Engine(#[from] EngineError),
    /// `data/vocabulary.toml`.
    #[error("internal error: data/vocabulary.toml: {0}")]
    Vocabulary(String),
    /// `data/laws.toml`.
    #[error("internal error: {0}")]
    Laws(#[from] LawsError),
    /// `data/functions.toml` or `data/agencies.toml`.
    #[error("internal error: {0}")]
    Reference(#[from] ReferenceError),
    /// `data/deadlines.toml` or `data/holidays.toml`.
    #[error("internal error: {0}")]
    Calendar(#[from] CalendarError),
    /// `data/messages.toml`, or a policy's message that uses a placeholder
    /// no finding can fill.
    #[error("internal error: {0}")]
    Templates(#[from] TemplatesError),
    /// `data/usage-log.toml`.
    #[error("internal error: {0}")]
    LogTerms(#[from] LogTermsError),
}

/// Everything loaded once and shared by every check.
#[derive(Debug)]
pub struct Checker {
    catalog: Catalog,
    engine: Engine,
    vocabulary: Vocabulary,
    laws: Laws,
    reference: Reference,
    calendar: Calendar,
    templates: Templates,
    log_terms: LogTerms,
}

impl Checker {
    /// Load the embedded catalogue, policies (validated in strict mode) and data.
    ///
    /// # Errors
    /// When any embedded file is invalid.
    pub fn new() -> Result<Self, StartupError> {
        // The vocabulary's automaton is the costliest piece after the
        // engine: built on a second thread meanwhile with the other data
        // files (start-up is most of a single check).
        let (catalog, engine, data) = std::thread::scope(|scope| {
            let data = scope.spawn(|| -> Result<_, StartupError> {
                let vocabulary =
                    Vocabulary::embedded().map_err(|e| StartupError::Vocabulary(e.to_string()))?;
                let reference =
                    Reference::from_toml(embedded::FUNCTIONS_TOML, embedded::AGENCIES_TOML)?;
                let vocabulary = vocabulary.with_merged(reference.merged());
                let laws = Laws::embedded()?;
                let calendar =
                    Calendar::from_toml(embedded::DEADLINES_TOML, embedded::HOLIDAYS_TOML)?;
                let log_terms = LogTerms::from_toml(embedded::USAGE_LOG_TOML)?;
                Ok((vocabulary, reference, laws, calendar, log_terms))
            });
            let engine = Catalog::embedded()
                .map_err(StartupError::from)
                .and_then(|catalog| Ok((Engine::new(&catalog)?, catalog)));
            let data = data.join().unwrap_or_else(|_| {
                Err(StartupError::Vocabulary(
                    "building the vocabulary failed".to_owned(),
                ))
            });
            engine.and_then(|(engine, catalog)| Ok((catalog, engine, data?)))
        })?;
        let (vocabulary, reference, laws, calendar, log_terms) = data;
        let templates = Templates::from_toml(embedded::MESSAGES_TOML)?;
        // Whether every policy's message can be filled is a fact of the
        // build, like the policies' validation: the tests check it
        // (`every_policy_message_can_be_filled`) and so does every start of
        // a debug build; a release start does not load both versions for it.
        if cfg!(debug_assertions) {
            templates.check_policies(&engine)?;
        }
        Ok(Self {
            catalog,
            engine,
            vocabulary,
            laws,
            reference,
            calendar,
            templates,
            log_terms,
        })
    }

    /// Load `version`'s policies on another thread while the caller reads
    /// its submissions (a version is otherwise loaded by its first
    /// evaluation; loading it twice is impossible, a check that needs it
    /// sooner waits for it).
    pub fn preload(&'static self, version: Version) {
        std::thread::spawn(move || self.engine.preload(version));
    }

    /// The catalogue.
    #[must_use]
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The Cedar engine.
    #[must_use]
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The vocabulary.
    #[must_use]
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// The laws.
    #[must_use]
    pub fn laws(&self) -> &Laws {
        &self.laws
    }

    /// Functions and forwarding agencies.
    #[must_use]
    pub fn reference(&self) -> &Reference {
        &self.reference
    }

    /// Working days and time limits.
    #[must_use]
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// The Cedar entities and requests of a submission's facts, judged as
    /// of `as_of` (the check and the usage-log replay build them alike).
    ///
    /// # Errors
    /// When the facts do not fit the schema: a defect, reported as internal.
    pub fn entities(
        &self,
        submitted: &Submitted<'_>,
        as_of: Date,
    ) -> Result<entities::Facts, EvalError> {
        let inputs = entities::Inputs {
            agency: submitted.config.agency.value().name.value(),
            as_of,
            document: submitted.facts,
            // A missing top-level key points at the start of the file.
            config: Some((submitted.config, Span::new(0, 0))),
            laws: &self.laws,
            reference: &self.reference,
            calendar: &self.calendar,
        };
        entities::build(&self.engine, &inputs)
    }

    /// Message templates.
    #[must_use]
    pub fn templates(&self) -> &Templates {
        &self.templates
    }

    /// What the usage log's records are read for.
    #[must_use]
    pub fn log_terms(&self) -> &LogTerms {
        &self.log_terms
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]
    use super::*;

    /// Every message and help of every policy of both versions uses only
    /// placeholders its findings fill (a release start does not check it).
    #[test]
    fn every_policy_message_can_be_filled() {
        let checker = Checker::new().unwrap();
        checker
            .templates()
            .check_policies(checker.engine())
            .unwrap();
    }
}
