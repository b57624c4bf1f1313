//! The embedded policies as a compact byte code of their syntax trees
//! (Cedar's PST, the tree its public API builds policies from), so that
//! the binary builds its policies without running Cedar's parser: parsing
//! the policies' text was half of the instructions of a single check, and
//! building the same policies from their trees is a tenth of that.
//!
//! `build.rs` includes this file by its path: it [`encode`]s each policy it
//! parsed and validated, and checks that [`decode`] gives back the same
//! tree; the binary decodes. It uses nothing of the crate but Cedar.
//!
//! The code is a pre-order walk: one byte names a node, then its fields.
//! A count or a string's length is a LEB128 number; a string is UTF-8; a
//! name (`NIA::User`) is its text, built once per decoding and cloned
//! after.
//! Only what a policy of niacheck can hold is encoded: no template slots,
//! no unknowns, no extension functions (a policy that needs one fails the
//! build until this file learns it).

use cedar_policy::pst::{
    ActionConstraint, BinaryOp, Clause, Effect, EntityOrSlot, EntityType, EntityUID, Expr, Literal,
    Name, NonEmpty, PatternElem, Policy, PrincipalConstraint, ResourceConstraint, SmolStr,
    StaticPolicy, Template, UnaryOp, Var,
};
use cedar_policy::{EntityId, EntityTypeName, EntityUid};
use std::collections::BTreeMap;
use std::str::FromStr as _;
use std::sync::Arc;

/// The unary operators encoded, by their byte.
const UNARY: &[UnaryOp] = &[UnaryOp::Not, UnaryOp::Neg, UnaryOp::IsEmpty];

/// The binary operators encoded, by their byte.
const BINARY: &[BinaryOp] = &[
    BinaryOp::Eq,
    BinaryOp::NotEq,
    BinaryOp::Less,
    BinaryOp::LessEq,
    BinaryOp::Greater,
    BinaryOp::GreaterEq,
    BinaryOp::And,
    BinaryOp::Or,
    BinaryOp::Add,
    BinaryOp::Sub,
    BinaryOp::Mul,
    BinaryOp::In,
    BinaryOp::Contains,
    BinaryOp::ContainsAll,
    BinaryOp::ContainsAny,
    BinaryOp::GetTag,
    BinaryOp::HasTag,
];

/// How deep a decoded expression may nest: the embedded policies nest a
/// few dozen levels; deeper is a damaged code, not a policy.
const MAX_DEPTH: usize = 256;

// Node bytes.
const FALSE: u8 = 0;
const TRUE: u8 = 1;
const LONG: u8 = 2;
const STRING: u8 = 3;
const UID: u8 = 4;
const VAR: u8 = 5;
const UNARY_OP: u8 = 6;
const BINARY_OP: u8 = 7;
const GET_ATTR: u8 = 8;
const HAS_ATTR: u8 = 9;
const LIKE: u8 = 10;
const IS: u8 = 11;
const IF: u8 = 12;
const SET: u8 = 13;
const RECORD: u8 = 14;

/// The byte code of one static policy, without its annotations (the
/// binary reads those beside it) and without its id.
///
/// # Errors
/// When the policy holds what this code does not encode (a template
/// slot, an unknown, an extension function).
pub fn encode(policy: &Policy) -> Result<Vec<u8>, String> {
    let Policy::Static(policy) = policy else {
        return Err("a template-linked policy is not encoded".to_owned());
    };
    let body = policy.body();
    let mut out = Vec::new();
    out.push(match body.effect {
        Effect::Permit => 0,
        Effect::Forbid => 1,
    });
    match &body.principal {
        PrincipalConstraint::Any => out.push(0),
        PrincipalConstraint::Eq(e) => {
            out.push(1);
            entity(&mut out, e)?;
        }
        PrincipalConstraint::In(e) => {
            out.push(2);
            entity(&mut out, e)?;
        }
        PrincipalConstraint::Is(t) => {
            out.push(3);
            name(&mut out, &t.0);
        }
        PrincipalConstraint::IsIn(t, e) => {
            out.push(4);
            name(&mut out, &t.0);
            entity(&mut out, e)?;
        }
    }
    match &body.action {
        ActionConstraint::Any => out.push(0),
        ActionConstraint::Eq(uid) => {
            out.push(1);
            entity_uid(&mut out, uid);
        }
        ActionConstraint::In(uids) => {
            out.push(2);
            number(&mut out, uids.len());
            for uid in uids {
                entity_uid(&mut out, uid);
            }
        }
    }
    match &body.resource {
        ResourceConstraint::Any => out.push(0),
        ResourceConstraint::Eq(e) => {
            out.push(1);
            entity(&mut out, e)?;
        }
        ResourceConstraint::In(e) => {
            out.push(2);
            entity(&mut out, e)?;
        }
        ResourceConstraint::Is(t) => {
            out.push(3);
            name(&mut out, &t.0);
        }
        ResourceConstraint::IsIn(t, e) => {
            out.push(4);
            name(&mut out, &t.0);
            entity(&mut out, e)?;
        }
    }
    number(&mut out, body.clauses().len());
    for clause in body.clauses() {
        match clause {
            Clause::When(e) => {
                out.push(0);
                expr(&mut out, e)?;
            }
            Clause::Unless(e) => {
                out.push(1);
                expr(&mut out, e)?;
            }
        }
    }
    Ok(out)
}

/// Appends one policy's code to a file's: its length, then the code.
pub fn frame(out: &mut Vec<u8>, code: &[u8]) {
    number(out, code.len());
    out.extend_from_slice(code);
}

/// An entity of a scope constraint: never a template slot.
fn entity(out: &mut Vec<u8>, e: &EntityOrSlot) -> Result<(), String> {
    match e {
        EntityOrSlot::Entity(uid) => {
            entity_uid(out, uid);
            Ok(())
        }
        EntityOrSlot::Slot(_) => Err("a template slot is not encoded".to_owned()),
    }
}

fn number(out: &mut Vec<u8>, mut n: usize) {
    loop {
        let low = u8::try_from(n & 0x7f).unwrap_or(0);
        n >>= 7;
        if n == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

fn string(out: &mut Vec<u8>, s: &str) {
    number(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

fn name(out: &mut Vec<u8>, name: &Name) {
    let mut text = String::new();
    for id in name.namespace.iter() {
        text.push_str(id.as_str());
        text.push_str("::");
    }
    text.push_str(name.id.as_str());
    string(out, &text);
}

fn entity_uid(out: &mut Vec<u8>, uid: &EntityUID) {
    name(out, &uid.ty.0);
    string(out, &uid.eid);
}

fn expr(out: &mut Vec<u8>, e: &Expr) -> Result<(), String> {
    match e {
        Expr::Literal(Literal::Bool(false)) => out.push(FALSE),
        Expr::Literal(Literal::Bool(true)) => out.push(TRUE),
        Expr::Literal(Literal::Long(n)) => {
            out.push(LONG);
            out.extend_from_slice(&n.to_le_bytes());
        }
        Expr::Literal(Literal::String(s)) => {
            out.push(STRING);
            string(out, s);
        }
        Expr::Literal(Literal::EntityUID(uid)) => {
            out.push(UID);
            entity_uid(out, uid);
        }
        Expr::Var(var) => {
            out.push(VAR);
            out.push(match var {
                Var::Principal => 0,
                Var::Action => 1,
                Var::Resource => 2,
                Var::Context => 3,
            });
        }
        Expr::UnaryOp { op, expr: inner } => {
            let code = UNARY
                .iter()
                .position(|o| o == op)
                .ok_or_else(|| format!("the operator {op:?} is not encoded"))?;
            out.push(UNARY_OP);
            out.push(u8::try_from(code).map_err(|e| e.to_string())?);
            expr(out, inner)?;
        }
        Expr::BinaryOp { op, left, right } => {
            let code = BINARY
                .iter()
                .position(|o| o == op)
                .ok_or_else(|| format!("the operator {op:?} is not encoded"))?;
            out.push(BINARY_OP);
            out.push(u8::try_from(code).map_err(|e| e.to_string())?);
            expr(out, left)?;
            expr(out, right)?;
        }
        Expr::GetAttr { expr: inner, attr } => {
            out.push(GET_ATTR);
            expr(out, inner)?;
            string(out, attr);
        }
        Expr::HasAttr { expr: inner, attrs } => {
            out.push(HAS_ATTR);
            expr(out, inner)?;
            number(out, attrs.len());
            for attr in attrs {
                string(out, attr);
            }
        }
        Expr::Like {
            expr: inner,
            pattern,
        } => {
            out.push(LIKE);
            expr(out, inner)?;
            number(out, pattern.len());
            for elem in pattern {
                match elem {
                    PatternElem::Wildcard => number(out, 0),
                    PatternElem::Char(c) => number(out, (*c as usize).saturating_add(1)),
                }
            }
        }
        Expr::Is {
            expr: inner,
            entity_type,
            in_expr,
        } => {
            out.push(IS);
            expr(out, inner)?;
            name(out, &entity_type.0);
            match in_expr {
                None => out.push(0),
                Some(in_expr) => {
                    out.push(1);
                    expr(out, in_expr)?;
                }
            }
        }
        Expr::IfThenElse {
            cond,
            then_expr,
            else_expr,
        } => {
            out.push(IF);
            expr(out, cond)?;
            expr(out, then_expr)?;
            expr(out, else_expr)?;
        }
        Expr::Set(items) => {
            out.push(SET);
            number(out, items.len());
            for item in items {
                expr(out, item)?;
            }
        }
        Expr::Record(fields) => {
            out.push(RECORD);
            number(out, fields.len());
            for (key, value) in fields {
                string(out, key);
                expr(out, value)?;
            }
        }
        other => return Err(format!("this expression is not encoded: {other:?}")),
    }
    Ok(())
}

/// Reads byte code back into policies.
#[derive(Debug, Default)]
pub struct Decoder {
    /// The names built so far, by their text.
    names: Vec<(String, Name)>,
}

/// Where a code is read.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn byte(&mut self) -> Result<u8, String> {
        let b = *self
            .bytes
            .get(self.at)
            .ok_or_else(|| "the code ends early".to_owned())?;
        self.at = self.at.saturating_add(1);
        Ok(b)
    }

    fn number(&mut self) -> Result<usize, String> {
        let mut n: usize = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= usize::from(b & 0x7f)
                .checked_shl(shift)
                .ok_or_else(|| "a number is too large".to_owned())?;
            if b & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err("a number is too large".to_owned())
    }

    fn str(&mut self) -> Result<&str, String> {
        let len = self.number()?;
        let end = self
            .at
            .checked_add(len)
            .ok_or_else(|| "a string is too long".to_owned())?;
        let bytes = self
            .bytes
            .get(self.at..end)
            .ok_or_else(|| "the code ends inside a string".to_owned())?;
        self.at = end;
        std::str::from_utf8(bytes).map_err(|e| e.to_string())
    }

    fn long(&mut self) -> Result<i64, String> {
        let end = self.at.saturating_add(8);
        let bytes: [u8; 8] = self
            .bytes
            .get(self.at..end)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| "the code ends inside a number".to_owned())?;
        self.at = end;
        Ok(i64::from_le_bytes(bytes))
    }
}

impl Decoder {
    /// The policies of a file's code ([`frame`]d one after the other), in
    /// order, with the ids `policy0`, `policy1`, ….
    ///
    /// # Errors
    /// When `bytes` is not such a code.
    pub fn policies(&mut self, bytes: &[u8]) -> Result<Vec<Policy>, String> {
        let mut c = Cursor { bytes, at: 0 };
        let mut out = Vec::new();
        while c.at < bytes.len() {
            let len = c.number()?;
            let end =
                c.at.checked_add(len)
                    .ok_or_else(|| "a policy's code is too long".to_owned())?;
            let code = bytes
                .get(c.at..end)
                .ok_or_else(|| "the code ends inside a policy".to_owned())?;
            c.at = end;
            out.push(self.policy(&format!("policy{}", out.len()), code)?);
        }
        Ok(out)
    }

    /// The policy whose code is `bytes`, with the id `id`.
    ///
    /// # Errors
    /// When `bytes` is not the code of a policy.
    pub fn policy(&mut self, id: &str, bytes: &[u8]) -> Result<Policy, String> {
        let mut c = Cursor { bytes, at: 0 };
        let effect = match c.byte()? {
            0 => Effect::Permit,
            1 => Effect::Forbid,
            b => return Err(format!("unknown effect {b}")),
        };
        let principal = match c.byte()? {
            0 => PrincipalConstraint::Any,
            1 => PrincipalConstraint::Eq(EntityOrSlot::Entity(self.uid(&mut c)?)),
            2 => PrincipalConstraint::In(EntityOrSlot::Entity(self.uid(&mut c)?)),
            3 => PrincipalConstraint::Is(EntityType(self.name(&mut c)?)),
            4 => {
                let ty = EntityType(self.name(&mut c)?);
                PrincipalConstraint::IsIn(ty, EntityOrSlot::Entity(self.uid(&mut c)?))
            }
            b => return Err(format!("unknown principal constraint {b}")),
        };
        let action = match c.byte()? {
            0 => ActionConstraint::Any,
            1 => ActionConstraint::Eq(self.uid(&mut c)?),
            2 => {
                let n = c.number()?;
                let mut uids = Vec::new();
                for _ in 0..n {
                    uids.push(self.uid(&mut c)?);
                }
                ActionConstraint::In(uids)
            }
            b => return Err(format!("unknown action constraint {b}")),
        };
        let resource = match c.byte()? {
            0 => ResourceConstraint::Any,
            1 => ResourceConstraint::Eq(EntityOrSlot::Entity(self.uid(&mut c)?)),
            2 => ResourceConstraint::In(EntityOrSlot::Entity(self.uid(&mut c)?)),
            3 => ResourceConstraint::Is(EntityType(self.name(&mut c)?)),
            4 => {
                let ty = EntityType(self.name(&mut c)?);
                ResourceConstraint::IsIn(ty, EntityOrSlot::Entity(self.uid(&mut c)?))
            }
            b => return Err(format!("unknown resource constraint {b}")),
        };
        let n = c.number()?;
        let mut clauses = Vec::new();
        for _ in 0..n {
            let when = c.byte()?;
            let e = Arc::new(self.expr(&mut c, 0)?);
            clauses.push(match when {
                0 => Clause::When(e),
                1 => Clause::Unless(e),
                b => return Err(format!("unknown clause {b}")),
            });
        }
        if c.at != bytes.len() {
            return Err("the code goes on after the policy".to_owned());
        }
        let template = Template::new(id, effect, principal, action, resource)
            .try_with_clauses(clauses)
            .map_err(|e| e.to_string())?;
        let policy = StaticPolicy::try_from(template).map_err(|e| e.to_string())?;
        Ok(Policy::Static(policy))
    }

    fn name(&mut self, c: &mut Cursor<'_>) -> Result<Name, String> {
        let text = c.str()?;
        if let Some((_, name)) = self.names.iter().find(|(t, _)| t == text) {
            return Ok(name.clone());
        }
        // Cedar's public API reads a type name without its parser (a scan
        // of the text); `pst::Id::new` would parse each identifier.
        let ty = EntityTypeName::from_str(text).map_err(|e| e.to_string())?;
        let uid = EntityUID::from(EntityUid::from_type_name_and_id(ty, EntityId::new("")));
        let name = uid.ty.0;
        self.names.push((text.to_owned(), name.clone()));
        Ok(name)
    }

    fn uid(&mut self, c: &mut Cursor<'_>) -> Result<EntityUID, String> {
        let ty = EntityType(self.name(c)?);
        let eid = SmolStr::from(c.str()?);
        Ok(EntityUID { ty, eid })
    }

    fn sub(&mut self, c: &mut Cursor<'_>, depth: usize) -> Result<Arc<Expr>, String> {
        self.expr(c, depth.saturating_add(1)).map(Arc::new)
    }

    fn expr(&mut self, c: &mut Cursor<'_>, depth: usize) -> Result<Expr, String> {
        if depth > MAX_DEPTH {
            return Err("an expression nests too deep".to_owned());
        }
        Ok(match c.byte()? {
            FALSE => Expr::Literal(Literal::Bool(false)),
            TRUE => Expr::Literal(Literal::Bool(true)),
            LONG => Expr::Literal(Literal::Long(c.long()?)),
            STRING => Expr::Literal(Literal::String(SmolStr::from(c.str()?))),
            UID => Expr::Literal(Literal::EntityUID(self.uid(c)?)),
            VAR => Expr::Var(match c.byte()? {
                0 => Var::Principal,
                1 => Var::Action,
                2 => Var::Resource,
                3 => Var::Context,
                b => return Err(format!("unknown variable {b}")),
            }),
            UNARY_OP => {
                let op = *UNARY
                    .get(usize::from(c.byte()?))
                    .ok_or_else(|| "unknown unary operator".to_owned())?;
                Expr::UnaryOp {
                    op,
                    expr: self.sub(c, depth)?,
                }
            }
            BINARY_OP => {
                let op = *BINARY
                    .get(usize::from(c.byte()?))
                    .ok_or_else(|| "unknown binary operator".to_owned())?;
                let left = self.sub(c, depth)?;
                let right = self.sub(c, depth)?;
                Expr::BinaryOp { op, left, right }
            }
            GET_ATTR => {
                let expr = self.sub(c, depth)?;
                Expr::GetAttr {
                    expr,
                    attr: SmolStr::from(c.str()?),
                }
            }
            HAS_ATTR => {
                let expr = self.sub(c, depth)?;
                let n = c.number()?;
                let mut attrs = Vec::new();
                for _ in 0..n {
                    attrs.push(SmolStr::from(c.str()?));
                }
                let attrs = NonEmpty::from_vec(attrs)
                    .ok_or_else(|| "`has` with no attribute".to_owned())?;
                Expr::HasAttr { expr, attrs }
            }
            LIKE => {
                let expr = self.sub(c, depth)?;
                let n = c.number()?;
                let mut pattern = Vec::new();
                for _ in 0..n {
                    pattern.push(match c.number()? {
                        0 => PatternElem::Wildcard,
                        k => PatternElem::Char(
                            u32::try_from(k.saturating_sub(1))
                                .ok()
                                .and_then(char::from_u32)
                                .ok_or_else(|| "not a character".to_owned())?,
                        ),
                    });
                }
                Expr::Like { expr, pattern }
            }
            IS => {
                let expr = self.sub(c, depth)?;
                let entity_type = EntityType(self.name(c)?);
                let in_expr = match c.byte()? {
                    0 => None,
                    1 => Some(self.sub(c, depth)?),
                    b => return Err(format!("unknown `is … in` {b}")),
                };
                Expr::Is {
                    expr,
                    entity_type,
                    in_expr,
                }
            }
            IF => {
                let cond = self.sub(c, depth)?;
                let then_expr = self.sub(c, depth)?;
                let else_expr = self.sub(c, depth)?;
                Expr::IfThenElse {
                    cond,
                    then_expr,
                    else_expr,
                }
            }
            SET => {
                let n = c.number()?;
                let mut items = Vec::new();
                for _ in 0..n {
                    items.push(self.sub(c, depth)?);
                }
                Expr::Set(items)
            }
            RECORD => {
                let n = c.number()?;
                let mut fields = BTreeMap::new();
                for _ in 0..n {
                    let key = c.str()?.to_owned();
                    fields.insert(key, self.sub(c, depth)?);
                }
                Expr::Record(fields)
            }
            b => return Err(format!("unknown expression {b}")),
        })
    }
}
