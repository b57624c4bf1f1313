//! Accesses as Cedar requests: a usage-log record, or an access asked by
//! `niacheck authorize`, is the `access` action of a user of `access.yaml`
//! (or of an unregistered person) on the agency's application, with the
//! function, the day and whether it touches protected persons in the
//! context. The policies that judge the configuration judge it; Rust only
//! builds the request.
//!
//! Records with the same inputs get the same decision, so decisions are
//! cached by exactly what the request carries (principal, function, day,
//! protected person; the five "filled" flags of a record): the cache can
//! change speed, never a verdict (a test compares it with no cache).

use std::collections::HashMap;

use cedar_policy::{Context, Entities, Entity, EntityUid, RestrictedExpression};

use super::{Engine, EvalError, PolicyMeta};
use crate::catalog::Version;
use crate::extract::config::AccessConfig;

/// The action of one access.
pub const ACCESS: &str = "access";
/// The action of one record's fields.
pub const RECORD: &str = "review-record";
/// The action of the log as a whole.
pub const LOG: &str = "review-usage-log";

/// Past this many cached decisions the cache starts again, so memory stays
/// flat on any log (logs are in time order, so old days are rarely asked again).
const CACHE_LIMIT: usize = 1 << 18;

/// One access, as the request carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Access<'f> {
    /// The index in `access.yaml` `users` of the user with that personnel
    /// number (the first, if several), or `None` when none has it.
    pub user: Option<usize>,
    /// The function's id.
    pub function: &'f str,
    /// The day (number) of the access, in Taiwan time.
    pub day: i64,
    /// Its content names important and specific persons.
    pub protected_person: bool,
}

/// Which of a record's five fields are filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Filled {
    /// `user`.
    pub user: bool,
    /// `time`.
    pub time: bool,
    /// `type`.
    pub function: bool,
    /// `content`.
    pub content: bool,
    /// `result`.
    pub result: bool,
}

/// What the usage log as a whole gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogFacts {
    /// The day (number) of the earliest record with a readable time.
    pub earliest: Option<i64>,
    /// The same day as yyyymmdd.
    pub earliest_date: i64,
}

/// What an access request carries: user index, function index, day,
/// protected person.
type AccessKey = (Option<usize>, usize, i64, bool);

/// Asks the policies of one version about the accesses of one submission.
#[derive(Debug)]
pub struct Judge<'e> {
    engine: &'e Engine,
    version: Version,
    entities: Entities,
    submission: EntityUid,
    application: EntityUid,
    log: EntityUid,
    unregistered: EntityUid,
    users: Vec<EntityUid>,
    by_personnel_id: HashMap<String, usize>,
    /// Function names seen, so a cache key holds an index, not a string.
    functions: Vec<String>,
    cache: Option<HashMap<AccessKey, Vec<&'e PolicyMeta>>>,
    /// An `access` request has been validated against the schema.
    accessed: bool,
    /// A `review-record` request has been validated against the schema.
    recorded: bool,
    record_cache: HashMap<Filled, Vec<&'e PolicyMeta>>,
    /// Cedar requests evaluated (cache misses), for the benchmark.
    pub evaluated: u64,
}

impl Judge<'_> {
    /// Whether the next request of `action` is checked against the schema:
    /// the first of each action is (they are all built by one function).
    fn validate(&self, action: &str) -> bool {
        match action {
            ACCESS => !self.accessed,
            _ => !self.recorded,
        }
    }
}

fn err(e: impl std::fmt::Display) -> EvalError {
    EvalError(e.to_string())
}

impl<'e> Judge<'e> {
    /// A judge over the entities of a submission (`entities::build`), with
    /// the decision cache on or off.
    ///
    /// # Errors
    /// When the entities do not fit the schema: a defect.
    pub fn new(
        engine: &'e Engine,
        version: Version,
        entities: Entities,
        config: &AccessConfig,
        cached: bool,
    ) -> Result<Self, EvalError> {
        let submission = Engine::uid("Submission", "submission")?;
        let unregistered = Engine::uid("Unregistered", "unregistered")?;
        let parents = std::iter::once(submission.clone()).collect();
        let entities = entities
            .add_entities(
                [Entity::new_no_attrs(unregistered.clone(), parents)],
                Some(engine.schema().map_err(|e| err(e.0))?),
            )
            .map_err(err)?;
        let mut by_personnel_id = HashMap::new();
        let mut users = Vec::with_capacity(config.users.len());
        for (i, user) in config.users.iter().enumerate() {
            users.push(Engine::uid("User", &i.to_string())?);
            if let Some(id) = user.value().personnel_id.get() {
                let id = id.trim();
                if !id.is_empty() {
                    by_personnel_id.entry(id.to_owned()).or_insert(i);
                }
            }
        }
        Ok(Self {
            engine,
            version,
            entities,
            submission,
            application: Engine::uid("Application", "application")?,
            log: Engine::uid("UsageLog", "log")?,
            unregistered,
            users,
            by_personnel_id,
            functions: Vec::new(),
            cache: cached.then(HashMap::new),
            accessed: false,
            recorded: false,
            record_cache: HashMap::new(),
            evaluated: 0,
        })
    }

    /// The index of the user with this personnel number, if registered.
    #[must_use]
    pub fn user(&self, personnel_id: &str) -> Option<usize> {
        self.by_personnel_id.get(personnel_id.trim()).copied()
    }

    /// The policies that forbid `access`, in policy order.
    ///
    /// # Errors
    /// On a Cedar error: a defect, never a pass.
    pub fn access(&mut self, access: Access<'_>) -> Result<Vec<&'e PolicyMeta>, EvalError> {
        let function = match self.functions.iter().position(|f| f == access.function) {
            Some(i) => i,
            None => {
                self.functions.push(access.function.to_owned());
                self.functions.len() - 1
            }
        };
        let key = (access.user, function, access.day, access.protected_person);
        if let Some(hit) = self.cache.as_ref().and_then(|c| c.get(&key)) {
            return Ok(hit.clone());
        }
        let principal = match access.user.and_then(|i| self.users.get(i)) {
            Some(uid) => uid.clone(),
            None => self.unregistered.clone(),
        };
        let context = Context::from_pairs([
            (
                "function".to_owned(),
                RestrictedExpression::new_string(access.function.to_owned()),
            ),
            ("day".to_owned(), RestrictedExpression::new_long(access.day)),
            (
                "protected_person".to_owned(),
                RestrictedExpression::new_bool(access.protected_person),
            ),
        ])
        .map_err(err)?;
        self.evaluated += 1;
        let denied = self.engine.decide(
            self.version,
            &self.entities,
            &principal,
            ACCESS,
            &self.application,
            context,
            self.validate(ACCESS),
        )?;
        self.accessed = true;
        if let Some(cache) = self.cache.as_mut() {
            if cache.len() >= CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(key, denied.clone());
        }
        Ok(denied)
    }

    /// The policies that forbid a record with these fields filled.
    ///
    /// # Errors
    /// On a Cedar error: a defect, never a pass.
    pub fn record(&mut self, filled: Filled) -> Result<Vec<&'e PolicyMeta>, EvalError> {
        if self.cache.is_some()
            && let Some(hit) = self.record_cache.get(&filled)
        {
            return Ok(hit.clone());
        }
        let flag =
            |name: &str, value: bool| (name.to_owned(), RestrictedExpression::new_bool(value));
        let context = Context::from_pairs([
            flag("has_user", filled.user),
            flag("has_time", filled.time),
            flag("has_type", filled.function),
            flag("has_content", filled.content),
            flag("has_result", filled.result),
        ])
        .map_err(err)?;
        self.evaluated += 1;
        let denied = self.engine.decide(
            self.version,
            &self.entities,
            &self.submission,
            RECORD,
            &self.log,
            context,
            self.validate(RECORD),
        )?;
        self.recorded = true;
        if self.cache.is_some() {
            self.record_cache.insert(filled, denied.clone());
        }
        Ok(denied)
    }

    /// The policies that forbid the log as a whole.
    ///
    /// # Errors
    /// On a Cedar error: a defect, never a pass.
    pub fn log(&self, facts: LogFacts) -> Result<Vec<&'e PolicyMeta>, EvalError> {
        let parents = std::iter::once(self.submission.clone()).collect();
        let attrs = HashMap::from([
            (
                "application".to_owned(),
                RestrictedExpression::new_entity_uid(self.application.clone()),
            ),
            (
                "has_records".to_owned(),
                RestrictedExpression::new_bool(facts.earliest.is_some()),
            ),
            (
                "earliest".to_owned(),
                RestrictedExpression::new_long(facts.earliest.unwrap_or(0)),
            ),
            (
                "earliest_date".to_owned(),
                RestrictedExpression::new_long(facts.earliest_date),
            ),
        ]);
        let entity = Entity::new(self.log.clone(), attrs, parents).map_err(err)?;
        let entities = self
            .entities
            .clone()
            .add_entities([entity], Some(self.engine.schema()?))
            .map_err(err)?;
        self.engine.decide(
            self.version,
            &entities,
            &self.submission,
            LOG,
            &self.log,
            Context::empty(),
            true,
        )
    }
}
