//! Cedar entities built from extracted facts, and the requests that ask the
//! policies about them. Each entity keeps the place in the file it came from
//! on the Rust side, so a decision can be reported at its source.
#![deny(clippy::arithmetic_side_effects)]

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

use cedar_policy::{Entities, Entity, EntityUid, RestrictedExpression};

use super::config::{self as config_entities, Located};
use super::{Ask, Engine, EvalError};
use crate::calendar::Calendar;
use crate::date::Date;
use crate::extract::citation::Laws;
use crate::extract::config::AccessConfig;
use crate::extract::document::{DocumentFacts, PartFacts};
use crate::extract::reference::Reference;
use crate::source::Span;

/// What a request is about, for locating its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// The rules document as a whole.
    Document,
    /// The citation at this index of [`DocumentFacts::citations`].
    Citation(usize),
    /// The near-miss law name at this index of [`DocumentFacts::near_misses`].
    LawName(usize),
    /// The body of a merged county at this index of [`DocumentFacts::merged_names`].
    MergedName(usize),
    /// The configuration element at this index of [`Facts::located`].
    Config(usize),
}

/// Entities and requests for one submission.
///
/// The entities are kept as a list: most requests are decided from the
/// decision cache by the values their policies read, so the whole store
/// (with its transitive closure) is built only when a request needs it.
#[derive(Debug)]
pub struct Facts {
    /// The entities, each once.
    entities: Vec<Entity>,
    /// Index of each entity in `entities`.
    index: HashMap<EntityUid, usize>,
    /// The whole store, once built.
    store: OnceLock<Entities>,
    /// The requests, each with what it is about.
    pub asks: Vec<(Ask, Subject)>,
    /// Where each configuration element lies.
    pub located: Vec<Located>,
}

impl Facts {
    /// The entities, each once, in the order they were built.
    #[must_use]
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// The entity with this uid.
    #[must_use]
    pub fn entity(&self, uid: &EntityUid) -> Option<&Entity> {
        self.index.get(uid).and_then(|&i| self.entities.get(i))
    }

    /// The whole entity store. Entities are built by this module alone, in
    /// the types of the schema, so they are not re-checked against it for
    /// every submission; the tests check that every sample's and a
    /// generated corpus's entities validate.
    ///
    /// # Errors
    /// When the store cannot be built (a duplicate entity): a defect.
    pub fn store(&self) -> Result<&Entities, EvalError> {
        if let Some(store) = self.store.get() {
            return Ok(store);
        }
        let store = Entities::from_entities(self.entities.iter().cloned(), None)
            .map_err(|e| EvalError(e.to_string()))?;
        Ok(self.store.get_or_init(|| store))
    }

    /// The whole entity store, checked against `schema` (the tests, and
    /// callers that add entities of their own).
    ///
    /// # Errors
    /// When an entity does not fit the schema: a defect.
    pub fn validated_store(&self, schema: &cedar_policy::Schema) -> Result<Entities, EvalError> {
        Entities::from_entities(self.entities.iter().cloned(), Some(schema))
            .map_err(|e| EvalError(e.to_string()))
    }
}

/// Everything a submission's entities are built from.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The agency's name.
    pub agency: &'a str,
    /// The date expiries and deadlines are judged on.
    pub as_of: Date,
    /// Facts of the rules document.
    pub document: &'a DocumentFacts,
    /// The configuration and the span of its whole file, if read.
    pub config: Option<(&'a AccessConfig, Span)>,
    /// Laws.
    pub laws: &'a Laws,
    /// Functions and forwarding agencies.
    pub reference: &'a Reference,
    /// Working days and time limits.
    pub calendar: &'a Calendar,
}

fn strings(set: &BTreeSet<String>) -> RestrictedExpression {
    RestrictedExpression::new_set(set.iter().cloned().map(RestrictedExpression::new_string))
}

fn long(n: usize) -> RestrictedExpression {
    RestrictedExpression::new_long(i64::try_from(n).unwrap_or(i64::MAX))
}

fn evidence(facts: &PartFacts) -> Result<RestrictedExpression, EvalError> {
    RestrictedExpression::new_record([
        (
            "found".to_owned(),
            RestrictedExpression::new_bool(facts.found),
        ),
        (
            "titled".to_owned(),
            RestrictedExpression::new_bool(facts.titled),
        ),
        (
            "content_chars".to_owned(),
            RestrictedExpression::new_long(facts.content_chars),
        ),
        (
            "placeholder".to_owned(),
            RestrictedExpression::new_bool(facts.placeholder),
        ),
        (
            "negated".to_owned(),
            RestrictedExpression::new_bool(facts.negated),
        ),
        (
            "stated".to_owned(),
            RestrictedExpression::new_bool(facts.stated),
        ),
        (
            "restated".to_owned(),
            RestrictedExpression::new_bool(facts.restated),
        ),
        (
            "omitted".to_owned(),
            RestrictedExpression::new_bool(facts.omitted),
        ),
        ("laws".to_owned(), strings(&facts.laws)),
    ])
    .map_err(|e| EvalError(e.to_string()))
}

fn entity(
    uid: EntityUid,
    attrs: HashMap<String, RestrictedExpression>,
    parent: Option<&EntityUid>,
) -> Result<Entity, EvalError> {
    let parents: HashSet<EntityUid> = parent.into_iter().cloned().collect();
    Entity::new(uid, attrs, parents).map_err(|e| EvalError(e.to_string()))
}

/// Build the entities and requests of a submission whose rules document
/// gave `document`.
///
/// # Errors
/// When the facts do not fit the schema: a defect, reported as internal.
pub fn build(engine: &Engine, inputs: &Inputs<'_>) -> Result<Facts, EvalError> {
    let Inputs {
        agency,
        document,
        laws,
        ..
    } = *inputs;
    let submission = Engine::uid("Submission", "submission")?;
    let doc = Engine::uid("Document", "rules")?;
    let mut list = Vec::new();
    list.push(entity(
        submission.clone(),
        HashMap::from([
            (
                "agency".to_owned(),
                RestrictedExpression::new_string(agency.to_owned()),
            ),
            (
                "as_of".to_owned(),
                RestrictedExpression::new_long(inputs.as_of.day_number()),
            ),
            (
                "as_of_date".to_owned(),
                RestrictedExpression::new_long(inputs.as_of.ymd_number()),
            ),
        ]),
        None,
    )?);

    let mut attrs = HashMap::new();
    for (key, facts) in &document.parts {
        attrs.insert(key.clone(), evidence(facts)?);
    }
    attrs.insert("laws".to_owned(), strings(&document.laws));
    attrs.insert("articles".to_owned(), strings(&document.articles));
    list.push(entity(doc.clone(), attrs, Some(&submission))?);

    let mut asks = vec![(
        Ask {
            principal: submission.clone(),
            action: "review-document",
            resource: doc.clone(),
        },
        Subject::Document,
    )];
    for (index, citation) in document.citations.iter().enumerate() {
        let Some(law) = laws.get(citation.law) else {
            continue;
        };
        let uid = Engine::uid("Citation", &index.to_string())?;
        let articles: BTreeSet<u32> = citation.articles.iter().copied().collect();
        let renumbered = laws
            .renumbering(citation)
            .is_some_and(|r| Date::parse(&r.since).is_ok_and(|since| since <= inputs.as_of));
        list.push(entity(
            uid.clone(),
            HashMap::from([
                (
                    "law".to_owned(),
                    RestrictedExpression::new_string(law.id.clone()),
                ),
                (
                    "superseded".to_owned(),
                    RestrictedExpression::new_bool(law.superseded_by.is_some()),
                ),
                (
                    "historical".to_owned(),
                    RestrictedExpression::new_bool(citation.historical),
                ),
                (
                    "articles".to_owned(),
                    RestrictedExpression::new_set(articles.iter().map(|&a| long(a as usize))),
                ),
                (
                    "renumbered".to_owned(),
                    RestrictedExpression::new_bool(renumbered),
                ),
            ]),
            Some(&doc),
        )?);
        asks.push((
            Ask {
                principal: submission.clone(),
                action: "review-citation",
                resource: uid,
            },
            Subject::Citation(index),
        ));
    }
    for (index, miss) in document.near_misses.iter().enumerate() {
        let uid = Engine::uid("LawName", &index.to_string())?;
        list.push(entity(
            uid.clone(),
            HashMap::from([
                ("distance".to_owned(), long(miss.distance)),
                ("length".to_owned(), long(miss.length)),
            ]),
            Some(&doc),
        )?);
        asks.push((
            Ask {
                principal: submission.clone(),
                action: "review-law-name",
                resource: uid,
            },
            Subject::LawName(index),
        ));
    }
    // The application's forwarding agency, to tell a document that still
    // names the merged county from one whose application is forwarded by
    // its successor.
    let forwarded_by = inputs
        .config
        .and_then(|(c, _)| c.application.as_ref())
        .and_then(|a| a.value().forwarded_by.as_ref())
        .map_or("", |f| inputs.reference.canonical(f.value()));
    for (index, name) in document.merged_names.iter().enumerate() {
        let merged = &name.county;
        let uid = Engine::uid("MergedName", &index.to_string())?;
        list.push(entity(
            uid.clone(),
            HashMap::from([
                (
                    "historical".to_owned(),
                    RestrictedExpression::new_bool(name.historical),
                ),
                (
                    "successor_government".to_owned(),
                    RestrictedExpression::new_string(merged.successor_government()),
                ),
                (
                    "forwarded_by".to_owned(),
                    RestrictedExpression::new_string(forwarded_by.to_owned()),
                ),
            ]),
            Some(&doc),
        )?);
        asks.push((
            Ask {
                principal: submission.clone(),
                action: "review-merged-name",
                resource: uid,
            },
            Subject::MergedName(index),
        ));
    }
    let mut located = Vec::new();
    if let Some((config, whole)) = inputs.config {
        let built = config_entities::build(
            config,
            whole,
            &submission,
            inputs.reference,
            inputs.calendar,
            laws,
        )?;
        list.extend(built.entities);
        asks.extend(
            built
                .asks
                .into_iter()
                .map(|(ask, index)| (ask, Subject::Config(index))),
        );
        located = built.located;
    }
    // Debug builds (every test) check each submission's entities against
    // the schema; release builds trust the construction above.
    if cfg!(debug_assertions) {
        Entities::from_entities(list.iter().cloned(), Some(engine.schema()?))
            .map_err(|e| EvalError(format!("entities do not fit the schema: {e}")))?;
    }
    let mut index = HashMap::with_capacity(list.len());
    for (i, entity) in list.iter().enumerate() {
        if index.insert(entity.uid(), i).is_some() {
            return Err(EvalError(format!("duplicate entity {}", entity.uid())));
        }
    }
    Ok(Facts {
        entities: list,
        index,
        store: OnceLock::new(),
        asks,
        located,
    })
}
