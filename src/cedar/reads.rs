//! What a policy reads of a request: the attribute paths and uids its
//! conditions look at, read from Cedar's syntax tree. The decision cache
//! ([`super::cache`]) keys a request by them. `build.rs` includes this file
//! by its path to read the embedded policies when the binary is built, so
//! it uses nothing of the crate but Cedar.

use cedar_policy::pst::{
    self, ActionConstraint, BinaryOp, Clause, Expr, PrincipalConstraint, ResourceConstraint,
    UnaryOp,
};
use cedar_policy::{Policy, PolicySet};

/// A variable of a request that a path starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Var {
    /// `principal`.
    Principal,
    /// `resource`.
    Resource,
}

/// What the policies of one action read of a request.
#[derive(Debug, Clone, Default)]
pub struct Reads {
    /// Whether the decision depends only on what is listed here.
    pub cacheable: bool,
    /// The principal's own uid is compared (`principal == …`).
    pub(super) principal_uid: bool,
    /// The resource's own uid is compared.
    pub(super) resource_uid: bool,
    /// Attribute paths, each from a variable, in the order first read.
    pub(super) paths: Vec<(Var, Vec<String>)>,
}

struct Walker {
    reads: Reads,
    ok: bool,
}

impl Walker {
    /// The variable and attribute chain of `expr`, when it is
    /// `var.a.b…` (possibly with no attribute).
    fn chain(expr: &Expr) -> Option<(Var, Vec<String>)> {
        match expr {
            Expr::Var(pst::Var::Principal) => Some((Var::Principal, Vec::new())),
            Expr::Var(pst::Var::Resource) => Some((Var::Resource, Vec::new())),
            Expr::GetAttr { expr, attr } => {
                let (var, mut attrs) = Self::chain(expr)?;
                attrs.push(attr.to_string());
                Some((var, attrs))
            }
            _ => None,
        }
    }

    fn path(&mut self, var: Var, attrs: Vec<String>) {
        if attrs.is_empty() {
            // The variable itself: its uid is the value.
            match var {
                Var::Principal => self.reads.principal_uid = true,
                Var::Resource => self.reads.resource_uid = true,
            }
        } else if !self
            .reads
            .paths
            .iter()
            .any(|(v, a)| *v == var && *a == attrs)
        {
            self.reads.paths.push((var, attrs));
        }
    }

    /// Record what `expr` reads at `expr.attrs…` (`has` and `.`).
    fn access(&mut self, expr: &Expr, attrs: &[&str]) {
        match Self::chain(expr) {
            Some((var, mut path)) => {
                // `has a.b` reads `a` and `a.b`.
                for attr in attrs {
                    path.push((*attr).to_owned());
                    self.path(var, path.clone());
                }
            }
            // `(if … then a else b).x`, `{…}.x`: the attribute of a value
            // adds nothing the operands do not carry.
            None => self.expr(expr),
        }
    }

    fn expr(&mut self, expr: &Expr) {
        if !self.ok {
            return;
        }
        match expr {
            Expr::Literal(_) => {}
            Expr::Var(pst::Var::Principal) => self.path(Var::Principal, Vec::new()),
            Expr::Var(pst::Var::Resource) => self.path(Var::Resource, Vec::new()),
            // The action is fixed by the policy set asked.
            Expr::Var(pst::Var::Action) => {}
            Expr::GetAttr { expr, attr } => self.access(expr, &[attr.as_str()]),
            Expr::HasAttr { expr, attrs } => {
                let attrs: Vec<&str> = attrs.iter().map(|a| a.as_str()).collect();
                self.access(expr, &attrs);
            }
            Expr::UnaryOp { op, expr } => {
                if matches!(op, UnaryOp::Not | UnaryOp::Neg | UnaryOp::IsEmpty) {
                    self.expr(expr);
                } else {
                    self.ok = false;
                }
            }
            Expr::BinaryOp { op, left, right } => {
                if matches!(
                    op,
                    BinaryOp::Eq
                        | BinaryOp::NotEq
                        | BinaryOp::Less
                        | BinaryOp::LessEq
                        | BinaryOp::Greater
                        | BinaryOp::GreaterEq
                        | BinaryOp::And
                        | BinaryOp::Or
                        | BinaryOp::Add
                        | BinaryOp::Sub
                        | BinaryOp::Mul
                        | BinaryOp::Contains
                        | BinaryOp::ContainsAll
                        | BinaryOp::ContainsAny
                ) {
                    self.expr(left);
                    self.expr(right);
                } else {
                    // `in` (ancestors), tags, extension functions.
                    self.ok = false;
                }
            }
            Expr::Like { expr, .. } => self.expr(expr),
            Expr::Is { expr, in_expr, .. } => {
                if in_expr.is_some() {
                    self.ok = false;
                } else {
                    self.expr(expr);
                }
            }
            Expr::IfThenElse {
                cond,
                then_expr,
                else_expr,
            } => {
                self.expr(cond);
                self.expr(then_expr);
                self.expr(else_expr);
            }
            Expr::Set(items) => items.iter().for_each(|e| self.expr(e)),
            Expr::Record(fields) => fields.values().for_each(|e| self.expr(e)),
            // The context, slots, unknowns, and whatever Cedar adds later.
            _ => self.ok = false,
        }
    }
}

/// What one policy reads of a request, from its syntax tree (Cedar's
/// PST, built from the parsed policy, not from its text).
#[must_use]
pub fn policy(policy: &Policy) -> Reads {
    let mut walker = Walker {
        reads: Reads::default(),
        ok: true,
    };
    let Ok(pst::Policy::Static(policy)) = policy.to_pst() else {
        return Reads::default();
    };
    let body = policy.body();
    match &body.principal {
        PrincipalConstraint::Any | PrincipalConstraint::Is(_) => {}
        PrincipalConstraint::Eq(_) => walker.path(Var::Principal, Vec::new()),
        _ => walker.ok = false,
    }
    match &body.resource {
        ResourceConstraint::Any | ResourceConstraint::Is(_) => {}
        ResourceConstraint::Eq(_) => walker.path(Var::Resource, Vec::new()),
        _ => walker.ok = false,
    }
    match &body.action {
        ActionConstraint::Any | ActionConstraint::Eq(_) => {}
        _ => walker.ok = false,
    }
    for clause in body.clauses() {
        let (Clause::When(e) | Clause::Unless(e)) = clause;
        walker.expr(e);
    }
    walker.reads.cacheable = walker.ok;
    walker.reads
}

impl Reads {
    /// What two sets of policies read together: cacheable when both are,
    /// the paths of `self` first.
    pub fn merge(&mut self, other: &Self) {
        self.add(
            (other.cacheable, other.principal_uid, other.resource_uid),
            other
                .paths
                .iter()
                .map(|(var, attrs)| (*var, attrs.as_slice())),
        );
    }

    /// What no policy reads: the start of a merge.
    #[must_use]
    pub fn nothing() -> Self {
        Self {
            cacheable: true,
            ..Self::default()
        }
    }

    /// Merge what `build.rs` wrote one policy reads: as [`Self::merge`]
    /// of [`Self::from_static`], copying only the paths that are new.
    pub fn merge_static(&mut self, other: &StaticReads) {
        self.add(
            (other.cacheable, other.principal_uid, other.resource_uid),
            other.paths.iter().map(|(var, attrs)| (*var, *attrs)),
        );
    }

    /// The one merge: the flags `(cacheable, principal_uid, resource_uid)`
    /// of other reads, and their paths.
    fn add<'p, S: AsRef<str> + 'p>(
        &mut self,
        (cacheable, principal_uid, resource_uid): (bool, bool, bool),
        paths: impl Iterator<Item = (Var, &'p [S])>,
    ) {
        self.cacheable &= cacheable;
        self.principal_uid |= principal_uid;
        self.resource_uid |= resource_uid;
        for (var, attrs) in paths {
            let known = self.paths.iter().any(|(v, a)| {
                *v == var
                    && a.iter()
                        .map(String::as_str)
                        .eq(attrs.iter().map(AsRef::as_ref))
            });
            if !known {
                self.paths
                    .push((var, attrs.iter().map(|a| a.as_ref().to_owned()).collect()));
            }
        }
    }

    /// The reads `build.rs` wrote for one policy.
    #[must_use]
    pub fn from_static(read: &StaticReads) -> Self {
        Self {
            cacheable: read.cacheable,
            principal_uid: read.principal_uid,
            resource_uid: read.resource_uid,
            paths: read
                .paths
                .iter()
                .map(|(var, attrs)| (*var, attrs.iter().map(|&a| a.to_owned()).collect()))
                .collect(),
        }
    }

    /// These reads as a Rust expression of a [`StaticReads`] whose types
    /// are in scope (`build.rs` writes them so).
    #[must_use]
    pub fn to_rust(&self) -> String {
        let paths: Vec<String> = self
            .paths
            .iter()
            .map(|(var, attrs)| format!("(Var::{var:?}, &{attrs:?})"))
            .collect();
        format!(
            "StaticReads {{ cacheable: {}, principal_uid: {}, resource_uid: {}, paths: &[{}] }}",
            self.cacheable,
            self.principal_uid,
            self.resource_uid,
            paths.join(", ")
        )
    }
}

/// What one policy reads, as `build.rs` embeds it.
#[derive(Debug)]
pub struct StaticReads {
    /// [`Reads::cacheable`].
    pub cacheable: bool,
    /// Whether the principal's uid is compared.
    pub principal_uid: bool,
    /// Whether the resource's uid is compared.
    pub resource_uid: bool,
    /// The attribute paths.
    pub paths: &'static [(Var, &'static [&'static str])],
}

/// What the policies of `set` read of a request: they all apply to one
/// action (the engine splits them so). Read from each policy's syntax tree.
#[must_use]
pub fn reads(set: &PolicySet) -> Reads {
    let mut reads = Reads::nothing();
    if set.templates().next().is_some() {
        reads.cacheable = false;
    }
    for one in set.policies() {
        reads.merge(&policy(one));
    }
    reads
}
