//! Decisions cached by exactly what the policies read.
//!
//! Requests repeat their inputs heavily: fifty users of one agency, and
//! thousands of agencies, mostly differ in values no policy looks at (a
//! personnel number, a line of the file). So the policies of each action
//! are read once, through Cedar's own syntax tree (`Policy::to_pst`, the
//! public syntax tree built from the parsed policy), for the attribute paths they use (`resource.certificate.expires_on`,
//! `principal.as_of`); a request's key is the value of each path in its
//! entities, with the principal's and resource's types. Two requests with
//! the same key are decided alike by those policies, so the decision of one
//! serves the other.
//!
//! The reading is a whitelist: a policy that uses anything whose result
//! depends on more than the values of its paths — `in` (ancestors), tags,
//! template slots, the context, an operator this reader does not know —
//! makes its action uncacheable, and those requests are always evaluated
//! over the whole store. A request whose key cannot be read (an entity it
//! names is missing, an attribute is not a value) is evaluated and not
//! cached, and no evaluation error is ever cached. A test compares cached
//! and uncached verdicts over every sample and a generated corpus.

use std::collections::HashSet;
use std::hash::BuildHasher as _;
use std::sync::Mutex;

use cedar_policy::{EntityTypeName, EntityUid, PolicyId};

use super::reads::Var;
pub use super::reads::{Reads, reads};
use super::value::{Node, Value};

/// Past this many cached decisions the cache starts again, so memory stays
/// bounded on any corpus.
const LIMIT: usize = 1 << 16;

/// A request's key: what its action's policies read of it, borrowed from
/// its entities — the uids compared, and the value at every path (`None`
/// where an attribute is absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key<'e> {
    uids: (Option<&'e EntityUid>, Option<&'e EntityUid>),
    values: Vec<Option<&'e Value>>,
}

/// The uids by their ids alone, as values hash them (see [`Value`]).
impl std::hash::Hash for Key<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        for uid in [self.uids.0, self.uids.1] {
            uid.is_some().hash(state);
            if let Some(uid) = uid {
                super::value::hash_uid(uid, state);
            }
        }
        self.values.hash(state);
    }
}

/// A cached decision: its full key, owned, and the policies that forbid.
#[derive(Debug)]
struct Decision {
    hash: u64,
    version: usize,
    action: &'static str,
    types: (EntityTypeName, EntityTypeName),
    uids: (Option<EntityUid>, Option<EntityUid>),
    values: Vec<Option<Value>>,
    denied: Vec<PolicyId>,
}

impl Decision {
    fn answers(&self, version: usize, action: &str, ask: Ask<'_>, key: &Key<'_>) -> bool {
        self.version == version
            && self.action == action
            && self.types.0 == *ask.0.type_name()
            && self.types.1 == *ask.1.type_name()
            && self.uids.0.as_ref() == key.uids.0
            && self.uids.1.as_ref() == key.uids.1
            && self.values.len() == key.values.len()
            && self
                .values
                .iter()
                .zip(&key.values)
                .all(|(own, read)| own.as_ref() == *read)
    }
}

/// A request's principal and resource.
pub type Ask<'a> = (&'a EntityUid, &'a EntityUid);

/// The entities a request can reach by its attributes, from `start`:
/// what an evaluation of policies that never ask for ancestors can read.
pub fn reachable<'e>(
    start: &[&EntityUid],
    lookup: &dyn Fn(&EntityUid) -> Option<&'e Node>,
) -> Vec<&'e Node> {
    fn uids<'v>(value: &'v Value, out: &mut Vec<&'v EntityUid>) {
        match value {
            Value::Entity(uid) => out.push(uid),
            Value::Set(items) => items.iter().for_each(|v| uids(v, out)),
            Value::Record(fields) => fields.iter().for_each(|(_, v)| uids(v, out)),
            _ => {}
        }
    }
    let mut seen: HashSet<&EntityUid> = HashSet::new();
    let mut todo: Vec<&EntityUid> = start.to_vec();
    let mut out = Vec::new();
    while let Some(uid) = todo.pop() {
        let Some(node) = lookup(uid) else {
            continue;
        };
        if !seen.insert(node.uid()) {
            continue;
        }
        for (_, value) in node.attrs() {
            uids(value, &mut todo);
        }
        out.push(node);
    }
    out
}

impl Reads {
    /// The paths read, as `resource.a.b` (for tests and `explain`).
    #[must_use]
    pub fn paths(&self) -> Vec<String> {
        self.paths
            .iter()
            .map(|(var, attrs)| {
                let var = match var {
                    Var::Principal => "principal",
                    Var::Resource => "resource",
                };
                std::iter::once(var)
                    .chain(attrs.iter().map(String::as_str))
                    .collect::<Vec<_>>()
                    .join(".")
            })
            .collect()
    }

    /// Whether the resource's uid itself is part of the key.
    #[must_use]
    pub fn keys_resource_uid(&self) -> bool {
        self.resource_uid
    }

    /// The key of a request, or `None` when it cannot be read (then the
    /// request is evaluated, not cached).
    #[must_use]
    pub fn key<'e>(
        &self,
        principal: &EntityUid,
        resource: &EntityUid,
        lookup: &dyn Fn(&EntityUid) -> Option<&'e Node>,
    ) -> Option<Key<'e>> {
        if !self.cacheable {
            return None;
        }
        let principal = lookup(principal)?;
        let resource = lookup(resource)?;
        let mut values = Vec::with_capacity(self.paths.len());
        for (var, attrs) in &self.paths {
            let start = match var {
                Var::Principal => principal,
                Var::Resource => resource,
            };
            values.push(value(start, attrs, lookup)?);
        }
        Some(Key {
            uids: (
                self.principal_uid.then(|| principal.uid()),
                self.resource_uid.then(|| resource.uid()),
            ),
            values,
        })
    }
}

/// The value at `start.attrs…` (at least one attribute), by reference:
/// `Some(None)` when an attribute is absent, `None` when the path cannot
/// be followed (a missing entity, a value that is not an entity or a
/// record).
fn value<'e>(
    start: &'e Node,
    attrs: &[String],
    lookup: &dyn Fn(&EntityUid) -> Option<&'e Node>,
) -> Option<Option<&'e Value>> {
    let mut current: Option<&'e Value> = None;
    for attr in attrs {
        let next = match current {
            None => start.attr(attr),
            Some(Value::Entity(uid)) => lookup(uid)?.attr(attr),
            Some(record @ Value::Record(_)) => record.field(attr),
            Some(_) => return None,
        };
        match next {
            Some(next) => current = Some(next),
            None => return Some(None),
        }
    }
    // No attribute: not a path of `paths` (the variable itself is keyed
    // by its uid), so not readable here.
    current.map(Some)
}

/// The cache itself, shared by every worker: decisions by version, action,
/// the request's types and its key, as the ids of the policies that
/// forbid. A request is looked up by its borrowed key (nothing is copied
/// for the 97 % of requests it answers); a key is copied only when a new
/// decision is kept.
#[derive(Debug, Default)]
pub struct Cache {
    hasher: foldhash::fast::RandomState,
    decisions: Mutex<hashbrown::HashTable<Decision>>,
}

impl Cache {
    /// The hash of a request's key: of its version, action and key, not
    /// of its types, which an action all but fixes and which hashing
    /// (Cedar's names, their namespaces) cost a third of the hash.
    /// A decision is still found only for the same types:
    /// [`Decision::answers`] compares them too.
    #[must_use]
    pub fn hash(&self, version: usize, action: &str, _ask: Ask<'_>, key: &Key<'_>) -> u64 {
        self.hasher.hash_one((version, action, key))
    }

    /// The cached decision of a request whose full key hashes to `hash`.
    #[must_use]
    pub fn get(
        &self,
        hash: u64,
        version: usize,
        action: &str,
        ask: Ask<'_>,
        key: &Key<'_>,
    ) -> Option<Vec<PolicyId>> {
        let table = self.decisions.lock().ok()?;
        table
            .find(hash, |d| d.answers(version, action, ask, key))
            .map(|d| d.denied.clone())
    }

    /// Remember a decision.
    pub fn insert(
        &self,
        hash: u64,
        version: usize,
        action: &'static str,
        ask: Ask<'_>,
        key: &Key<'_>,
        denied: Vec<PolicyId>,
    ) {
        let Ok(mut table) = self.decisions.lock() else {
            return;
        };
        if table.len() >= LIMIT {
            table.clear();
        }
        if table
            .find(hash, |d| d.answers(version, action, ask, key))
            .is_some()
        {
            // Another worker decided the same request meanwhile.
            return;
        }
        let decision = Decision {
            hash,
            version,
            action,
            types: (ask.0.type_name().clone(), ask.1.type_name().clone()),
            uids: (key.uids.0.cloned(), key.uids.1.cloned()),
            values: key.values.iter().map(|v| v.cloned()).collect(),
            denied,
        };
        table.insert_unique(hash, decision, |d| d.hash);
    }
}
