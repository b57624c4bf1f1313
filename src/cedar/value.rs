//! Entities in a form of our own, made Cedar entities only when a request
//! has to be evaluated.
//!
//! Most requests are answered from the decision cache ([`super::cache`])
//! by the values their policies read, so building a Cedar [`Entity`] for
//! every user and element of every submission (Cedar evaluates each
//! attribute's restricted expression) would be work for the few requests
//! the cache cannot answer. A [`Node`] holds the same attributes as plain
//! values: the cache keys are read from it, and [`Node::to_entity`] makes
//! the Cedar entity, with exactly these values, when an evaluation needs
//! it. The one conversion is the only way a value reaches Cedar, so what a
//! key holds is what the evaluation sees.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use cedar_policy::{Entity, EntityUid, RestrictedExpression};

use super::EvalError;

/// An attribute's or a record field's name: the schema's names are static,
/// a rules-document part's key is not.
pub type Name = Cow<'static, str>;

/// A value of an attribute: the Cedar types the schema uses.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Value {
    /// A boolean.
    Bool(bool),
    /// A long.
    Long(i64),
    /// A string.
    String(String),
    /// An entity reference (another node, or a member of an enumerated
    /// type), shared: a uid is large, and most values are not one.
    Entity(Arc<EntityUid>),
    /// A set: sorted, each member once (Cedar's sets are unordered).
    Set(Vec<Value>),
    /// A record, its fields in the order given. Two records with the same
    /// fields in another order are different values here, though equal in
    /// Cedar: a key that tells apart what Cedar does not only costs an
    /// evaluation, never a wrong decision.
    Record(Vec<(Name, Value)>),
}

/// As the derived hash, except that an entity is hashed by its id alone:
/// equal uids have equal ids, so equal values still hash alike, and a
/// uid's type name (its namespace, its name) was most of a decision key's
/// hash.
impl std::hash::Hash for Value {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            Self::Bool(b) => b.hash(state),
            Self::Long(n) => n.hash(state),
            Self::String(s) => s.hash(state),
            Self::Entity(uid) => hash_uid(uid, state),
            Self::Set(items) => items.hash(state),
            Self::Record(fields) => fields.hash(state),
        }
    }
}

/// A uid hashed by its id alone (see the hash of [`Value`]).
pub fn hash_uid<H: std::hash::Hasher>(uid: &EntityUid, state: &mut H) {
    std::hash::Hash::hash(AsRef::<str>::as_ref(uid.id()), state);
}

impl Value {
    /// A reference to the entity `uid`.
    #[must_use]
    pub fn entity(uid: EntityUid) -> Self {
        Self::Entity(Arc::new(uid))
    }

    /// A set of `items`, in a canonical order (equal sets are equal values).
    pub fn set(items: impl IntoIterator<Item = Value>) -> Self {
        let mut items: Vec<Value> = items.into_iter().collect();
        items.sort_unstable();
        items.dedup();
        Self::Set(items)
    }

    /// A set of strings.
    pub fn strings<'s>(items: impl IntoIterator<Item = &'s String>) -> Self {
        Self::set(items.into_iter().map(|s| Self::String(s.clone())))
    }

    /// A record of `fields` (each name once: Cedar refuses a record with a
    /// name twice).
    pub fn record(fields: impl IntoIterator<Item = (Name, Value)>) -> Self {
        Self::Record(fields.into_iter().collect())
    }

    /// The field `name` of a record.
    #[must_use]
    pub fn field(&self, name: &str) -> Option<&Value> {
        match self {
            Self::Record(fields) => get(fields, name),
            _ => None,
        }
    }

    /// The restricted expression Cedar builds this value from.
    ///
    /// # Errors
    /// Never for the values built here (a record's names are unique); a
    /// defect otherwise.
    pub fn to_cedar(&self) -> Result<RestrictedExpression, EvalError> {
        Ok(match self {
            Self::Bool(b) => RestrictedExpression::new_bool(*b),
            Self::Long(n) => RestrictedExpression::new_long(*n),
            Self::String(s) => RestrictedExpression::new_string(s.clone()),
            Self::Entity(uid) => RestrictedExpression::new_entity_uid(EntityUid::clone(uid)),
            Self::Set(items) => RestrictedExpression::new_set(
                items
                    .iter()
                    .map(Self::to_cedar)
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            Self::Record(fields) => RestrictedExpression::new_record(
                fields
                    .iter()
                    .map(|(name, value)| Ok((name.to_string(), value.to_cedar()?)))
                    .collect::<Result<Vec<_>, EvalError>>()?,
            )
            .map_err(|e| EvalError(e.to_string()))?,
        })
    }
}

/// The value of `name` among `fields`: the last one given, as Cedar's
/// map of attributes keeps it. Entities and records have a few dozen
/// names at most, given in a fixed order: a scan is cheaper than keeping
/// them sorted.
fn get<'v>(fields: &'v [(Name, Value)], name: &str) -> Option<&'v Value> {
    // Many names have the same length (`has_…`, `…_chars`): their last
    // bytes are compared before the whole names, which costs a call.
    let last = name.as_bytes().last();
    fields
        .iter()
        .rev()
        .find(|(n, _)| n.len() == name.len() && n.as_bytes().last() == last && n.as_ref() == name)
        .map(|(_, v)| v)
}

/// An entity: its uid, attributes and parent.
#[derive(Debug, Clone)]
pub struct Node {
    uid: EntityUid,
    attrs: Vec<(Name, Value)>,
    parent: Option<EntityUid>,
}

impl Node {
    /// The entity `uid` with `attrs` (of a name given twice, the last
    /// value, as in Cedar) and `parent`.
    pub fn new(
        uid: EntityUid,
        attrs: impl IntoIterator<Item = (Name, Value)>,
        parent: Option<EntityUid>,
    ) -> Self {
        Self {
            uid,
            attrs: attrs.into_iter().collect(),
            parent,
        }
    }

    /// Its uid.
    #[must_use]
    pub fn uid(&self) -> &EntityUid {
        &self.uid
    }

    /// The attribute `name`.
    #[must_use]
    pub fn attr(&self, name: &str) -> Option<&Value> {
        get(&self.attrs, name)
    }

    /// Its attributes, in the order given.
    #[must_use]
    pub fn attrs(&self) -> &[(Name, Value)] {
        &self.attrs
    }

    /// The Cedar entity with exactly these attributes and parent.
    ///
    /// # Errors
    /// When Cedar refuses it: a defect.
    pub fn to_entity(&self) -> Result<Entity, EvalError> {
        let attrs = self
            .attrs
            .iter()
            .map(|(name, value)| Ok((name.to_string(), value.to_cedar()?)))
            .collect::<Result<HashMap<String, RestrictedExpression>, EvalError>>()?;
        let parents: HashSet<EntityUid> = self.parent.iter().cloned().collect();
        Entity::new(self.uid.clone(), attrs, parents).map_err(|e| EvalError(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic, reason = "tests fail loudly")]

    use cedar_policy::EvalResult;

    use super::*;
    use crate::cedar::Engine;

    /// What Cedar makes of a value, read back through an entity.
    fn through_cedar(value: &Value) -> EvalResult {
        let uid = Engine::uid("Submission", "s").unwrap();
        let node = Node::new(uid, [(Name::Borrowed("v"), value.clone())], None);
        node.to_entity().unwrap().attr("v").unwrap().unwrap()
    }

    #[test]
    fn sets_are_canonical_and_values_reach_cedar_unchanged() {
        let a = Value::set([Value::Long(2), Value::Long(1), Value::Long(2)]);
        let b = Value::set([Value::Long(1), Value::Long(2)]);
        assert_eq!(a, b);
        assert_eq!(through_cedar(&a), through_cedar(&b));
        let r = Value::record([
            (Name::Borrowed("b"), Value::Bool(false)),
            (Name::Borrowed("a"), Value::Long(1)),
        ]);
        assert_eq!(r.field("b"), Some(&Value::Bool(false)));
        assert_eq!(r.field("a"), Some(&Value::Long(1)));
        assert_eq!(r.field("c"), None);
        let EvalResult::Record(record) = through_cedar(&r) else {
            panic!("not a record");
        };
        assert_eq!(record.get("b"), Some(&EvalResult::Bool(false)));
        assert_eq!(record.get("a"), Some(&EvalResult::Long(1)));
        let uid = Engine::uid("Tier", "central").unwrap();
        assert_eq!(
            through_cedar(&Value::entity(uid.clone())),
            EvalResult::EntityUid(uid)
        );
        assert_eq!(
            through_cedar(&Value::String("科".into())),
            EvalResult::String("科".into())
        );
    }

    #[test]
    fn an_attribute_given_twice_is_the_last_one_in_the_key_and_in_cedar() {
        let uid = Engine::uid("Submission", "s").unwrap();
        let node = Node::new(
            uid,
            [
                (Name::Borrowed("as_of"), Value::Long(1)),
                (Name::Borrowed("as_of"), Value::Long(2)),
            ],
            None,
        );
        assert_eq!(node.attr("as_of"), Some(&Value::Long(2)));
        assert_eq!(
            node.to_entity().unwrap().attr("as_of").unwrap().unwrap(),
            EvalResult::Long(2)
        );
    }

    #[test]
    fn different_values_stay_different() {
        // A key tells apart whatever Cedar would tell apart.
        let values = [
            Value::Bool(false),
            Value::Long(0),
            Value::String(String::new()),
            Value::set([]),
            Value::record([]),
            Value::set([Value::String("0".into())]),
            Value::record([(Name::Borrowed("x"), Value::Long(0))]),
        ];
        for (i, a) in values.iter().enumerate() {
            for (j, b) in values.iter().enumerate() {
                assert_eq!(i == j, a == b);
                assert_eq!(i == j, through_cedar(a) == through_cedar(b));
            }
        }
    }
}
