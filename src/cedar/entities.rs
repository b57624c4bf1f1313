//! Cedar entities built from extracted facts, and the requests that ask the
//! policies about them. Each entity keeps the place in the file it came from
//! on the Rust side, so a decision can be reported at its source.
#![deny(clippy::arithmetic_side_effects)]

use std::sync::OnceLock;

use cedar_policy::{Entities, Entity, EntityUid};

use super::config::{self as config_entities, Located, Place};
use super::value::{Name, Node, Value};
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
    /// The configuration element at this index of [`Facts::places`].
    Config(usize),
}

/// Entities and requests for one submission.
///
/// The entities are kept as [`Node`]s: most requests are decided from the
/// decision cache by the values their policies read, so a Cedar entity is
/// built only for a request the cache cannot answer, and the whole store
/// (with its transitive closure) only when a request needs it.
#[derive(Debug)]
pub struct Facts {
    /// The entities, each once.
    nodes: Vec<Node>,
    /// Index of each entity in `entities`.
    index: foldhash::HashMap<EntityUid, usize>,
    /// The whole store, once built.
    store: OnceLock<Entities>,
    /// The requests, each with what it is about.
    pub asks: Vec<(Ask, Subject)>,
    /// What each configuration request is about.
    pub places: Vec<Place>,
    /// The span of the whole configuration file.
    whole_file: Span,
    /// The users by personnel number, once a finding needs them.
    personnel: OnceLock<config_entities::Personnel>,
}

impl Facts {
    /// Where the configuration element of [`Subject::Config`]`(index)`
    /// lies in `config` (the configuration these facts were built from),
    /// with its messages' placeholder values.
    #[must_use]
    pub fn located(
        &self,
        index: usize,
        config: &AccessConfig,
        reference: &Reference,
        calendar: &Calendar,
    ) -> Option<Located> {
        let place = *self.places.get(index)?;
        let personnel = || {
            self.personnel
                .get_or_init(|| config_entities::Personnel::of(config))
        };
        config_entities::locate(
            config,
            self.whole_file,
            place,
            reference,
            calendar,
            &personnel,
        )
    }

    /// The entities, each once, in the order they were built.
    #[must_use]
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The entity with this uid.
    #[must_use]
    pub fn node(&self, uid: &EntityUid) -> Option<&Node> {
        self.index.get(uid).and_then(|&i| self.nodes.get(i))
    }

    /// The Cedar entities, each once, in the order they were built.
    ///
    /// # Errors
    /// When Cedar refuses one: a defect.
    pub fn entities(&self) -> Result<Vec<Entity>, EvalError> {
        self.nodes.iter().map(Node::to_entity).collect()
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
        let store = Entities::from_entities(self.entities()?, None)
            .map_err(|e| EvalError(e.to_string()))?;
        Ok(self.store.get_or_init(|| store))
    }

    /// The whole entity store, checked against `schema` (the tests, and
    /// callers that add entities of their own).
    ///
    /// # Errors
    /// When an entity does not fit the schema: a defect.
    pub fn validated_store(&self, schema: &cedar_policy::Schema) -> Result<Entities, EvalError> {
        Entities::from_entities(self.entities()?, Some(schema))
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

fn long(n: usize) -> Value {
    Value::Long(i64::try_from(n).unwrap_or(i64::MAX))
}

fn attr(name: &'static str, value: Value) -> (Name, Value) {
    (Name::Borrowed(name), value)
}

fn evidence(facts: &PartFacts) -> Value {
    Value::record([
        attr("found", Value::Bool(facts.found)),
        attr("titled", Value::Bool(facts.titled)),
        attr("content_chars", Value::Long(facts.content_chars)),
        attr("placeholder", Value::Bool(facts.placeholder)),
        attr("negated", Value::Bool(facts.negated)),
        attr("stated", Value::Bool(facts.stated)),
        attr("restated", Value::Bool(facts.restated)),
        attr("omitted", Value::Bool(facts.omitted)),
        attr("laws", Value::strings(&facts.laws)),
    ])
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
    list.push(Node::new(
        submission.clone(),
        [
            attr("agency", Value::String(agency.to_owned())),
            attr("as_of", Value::Long(inputs.as_of.day_number())),
            attr("as_of_date", Value::Long(inputs.as_of.ymd_number())),
        ],
        None,
    ));

    let attrs = document
        .parts
        .iter()
        .map(|(key, facts)| (Name::Owned(key.clone()), evidence(facts)))
        .chain([
            attr("laws", Value::strings(&document.laws)),
            attr("articles", Value::strings(&document.articles)),
        ]);
    list.push(Node::new(doc.clone(), attrs, Some(submission.clone())));

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
        let renumbered = laws
            .renumbering(citation)
            .is_some_and(|r| Date::parse(&r.since).is_ok_and(|since| since <= inputs.as_of));
        list.push(Node::new(
            uid.clone(),
            [
                attr("law", Value::String(law.id.clone())),
                attr("superseded", Value::Bool(law.superseded_by.is_some())),
                attr("historical", Value::Bool(citation.historical)),
                attr(
                    "articles",
                    Value::set(citation.articles.iter().map(|&a| Value::Long(a.into()))),
                ),
                attr("renumbered", Value::Bool(renumbered)),
            ],
            Some(doc.clone()),
        ));
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
        list.push(Node::new(
            uid.clone(),
            [
                attr("distance", long(miss.distance)),
                attr("length", long(miss.length)),
            ],
            Some(doc.clone()),
        ));
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
        list.push(Node::new(
            uid.clone(),
            [
                attr("historical", Value::Bool(name.historical)),
                attr(
                    "successor_government",
                    Value::String(merged.successor_government()),
                ),
                attr("forwarded_by", Value::String(forwarded_by.to_owned())),
            ],
            Some(doc.clone()),
        ));
        asks.push((
            Ask {
                principal: submission.clone(),
                action: "review-merged-name",
                resource: uid,
            },
            Subject::MergedName(index),
        ));
    }
    let mut places = Vec::new();
    let mut whole_file = Span::new(0, 0);
    if let Some((config, whole)) = inputs.config {
        whole_file = whole;
        let built =
            config_entities::build(config, &submission, inputs.reference, inputs.calendar, laws)?;
        list.extend(built.entities);
        asks.extend(
            built
                .asks
                .into_iter()
                .map(|(ask, index)| (ask, Subject::Config(index))),
        );
        places = built.places;
    }
    // Debug builds (every test) check each submission's entities against
    // the schema; release builds trust the construction above.
    if cfg!(debug_assertions) {
        let entities = list
            .iter()
            .map(Node::to_entity)
            .collect::<Result<Vec<_>, _>>()?;
        Entities::from_entities(entities, Some(engine.schema()?))
            .map_err(|e| EvalError(format!("entities do not fit the schema: {e}")))?;
    }
    let mut index = foldhash::HashMap::with_capacity_and_hasher(
        list.len(),
        foldhash::fast::RandomState::default(),
    );
    for (i, entity) in list.iter().enumerate() {
        if index.insert(entity.uid().clone(), i).is_some() {
            return Err(EvalError(format!("duplicate entity {}", entity.uid())));
        }
    }
    Ok(Facts {
        nodes: list,
        index,
        store: OnceLock::new(),
        asks,
        places,
        whole_file,
        personnel: OnceLock::new(),
    })
}
