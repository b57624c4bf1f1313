//! Every input error of a YAML file at once, as a linter reports them.
//!
//! A typed serde decoder stops at its first error. So the text is first
//! read by serde-saphyr into a tree of nodes that keeps the byte span of
//! every key and value ([`Node`]), and that tree is checked against the JSON
//! Schema generated from the configuration's own Rust types
//! (`schemas/access.schema.json`): every unknown key, missing key, value of
//! the wrong kind, unknown value, impossible date and repeated key is
//! reported, each at its place with its "did you mean". Only a tree with no
//! error is decoded into the typed structs. A scalar is judged by decoding
//! its own text with serde-saphyr into the type the schema names, so the
//! tree accepts exactly what the typed decoder accepts (`yes` is a boolean,
//! `0x10` a number).
#![deny(clippy::arithmetic_side_effects)]

use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_saphyr::Spanned;

use crate::date::Date;
use crate::extract::config::{edit_distance, span_of};
use crate::lang::Localized;
use crate::source::Span;
use crate::{i18n, tr};

/// A YAML node with the span of every key and value below it.
#[derive(Debug)]
pub enum Node {
    /// `null`, `~` or nothing.
    Null,
    /// Any scalar; its text is read again from the source by its span.
    Scalar,
    /// A sequence.
    Seq(Vec<Spanned<Node>>),
    /// A mapping, every entry in order (repeated keys included).
    Map(Vec<(Spanned<String>, Spanned<Node>)>),
    /// A collection nested deeper than any configuration is: not built
    /// (each level costs stack), left to the typed decoder and its limits.
    Deep,
}

/// Levels of collections built into the tree; the configuration's schema
/// is four deep (`users[].certificate.status`).
const TREE_DEPTH: usize = 16;

thread_local! {
    static DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Runs `f` one level deeper, or gives `None` past [`TREE_DEPTH`].
fn deeper<T>(f: impl FnOnce() -> T) -> Option<T> {
    let depth = DEPTH.with(std::cell::Cell::get);
    if depth >= TREE_DEPTH {
        return None;
    }
    DEPTH.with(|d| d.set(depth.saturating_add(1)));
    let out = f();
    DEPTH.with(|d| d.set(depth));
    Some(out)
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        deeper(|| {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element::<Spanned<Node>>()? {
                items.push(item);
            }
            Ok(Node::Seq(items))
        })
        .unwrap_or_else(|| {
            while seq.next_element::<de::IgnoredAny>()?.is_some() {}
            Ok(Node::Deep)
        })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        deeper(|| {
            let mut entries = Vec::new();
            while let Some(key) = map.next_key::<Spanned<Key>>()? {
                let value = map.next_value::<Spanned<Node>>()?;
                let key = Spanned {
                    value: key.value.0,
                    referenced: key.referenced,
                    defined: key.defined,
                };
                entries.push((key, value));
            }
            Ok(Node::Map(entries))
        })
        .unwrap_or_else(|| {
            while map
                .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                .is_some()
            {}
            Ok(Node::Deep)
        })
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

/// A mapping key as text, whatever its scalar kind.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(Key(v.to_owned()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Key, E> {
                Ok(Key("null".to_owned()))
            }
        }
        d.deserialize_any(KeyVisitor)
    }
}

/// One input error found in the tree.
#[derive(Debug, Clone)]
pub struct Problem {
    /// What is wrong.
    pub message: Localized,
    /// What to do.
    pub help: Option<Localized>,
    /// Where.
    pub span: Span,
}

/// The name of `names` close enough to `given` to be what was meant.
fn nearest<'n>(given: &str, names: &[&'n str]) -> Option<&'n str> {
    names
        .iter()
        .map(|n| (edit_distance(given, n), *n))
        .min()
        .filter(|(d, n)| *d <= (given.chars().count().max(n.chars().count()) / 2).saturating_add(1))
        .map(|(_, n)| n)
}

/// The closest of `names` to `given`, as a "did you mean", or the list of
/// the names when none is close.
#[must_use]
pub fn suggestion(given: &str, names: &[&str]) -> Option<Localized> {
    match nearest(given, names) {
        Some(name) => Some(tr!("config.did-you-mean", name = name)),
        None if !names.is_empty() => Some(tr!("config.expected-one-of", names = i18n::list(names))),
        None => None,
    }
}

/// The kind of value a schema asks for, in words.
fn kind_words(schema: &Value) -> Localized {
    match schema_type(schema) {
        Some("boolean") => tr!("config.kind.boolean"),
        Some("integer") => tr!("config.kind.integer"),
        Some("array") => tr!("config.kind.list"),
        Some("object") => tr!("config.kind.mapping"),
        Some("string") if schema.get("format").and_then(Value::as_str) == Some("date") => {
            tr!("config.kind.date")
        }
        _ => tr!("config.kind.text"),
    }
}

/// The one non-null `type` of a schema.
fn schema_type(schema: &Value) -> Option<&str> {
    match schema.get("type")? {
        Value::String(t) => Some(t.as_str()),
        Value::Array(types) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null"),
        _ => None,
    }
}

fn allows_null(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(types)) => types.iter().any(|t| t.as_str() == Some("null")),
        _ => false,
    }
}

/// The schema of a value that may be anything.
static ANY: Value = Value::Bool(true);

struct Checker<'a> {
    text: &'a str,
    root: &'a Value,
    problems: Vec<Problem>,
}

impl<'a> Checker<'a> {
    fn resolve(&self, schema: &'a Value) -> &'a Value {
        let mut schema = schema;
        for _ in 0..8 {
            let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
                break;
            };
            let name = reference.trim_start_matches("#/$defs/");
            match self.root.get("$defs").and_then(|d| d.get(name)) {
                Some(target) => schema = target,
                None => break,
            }
        }
        schema
    }

    fn push(&mut self, span: Span, message: Localized, help: Option<Localized>) {
        self.problems.push(Problem {
            message,
            help,
            span,
        });
    }

    fn scalar_text(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// The scalar as the typed decoder would read it into `T`.
    fn decodes<T: serde::de::DeserializeOwned>(&self, span: Span) -> Option<T> {
        decode_scalar(self.scalar_text(span))
    }

    fn check(&mut self, node: &Spanned<Node>, schema: &'a Value) {
        let schema = self.resolve(schema);
        let span = span_of(node);
        if let Some(any_of) = schema.get("anyOf").and_then(Value::as_array) {
            if matches!(node.value, Node::Null)
                && any_of.iter().any(|s| allows_null(self.resolve(s)))
            {
                return;
            }
            if let Some(first) = any_of.iter().find(|s| !allows_null(self.resolve(s))) {
                self.check(node, first);
            }
            return;
        }
        if let Some(values) = enum_values(schema) {
            self.check_enum(node, span, &values, allows_null(schema));
            return;
        }
        if matches!(node.value, Node::Null) {
            if allows_null(schema) || schema.as_object().is_some_and(|o| !o.contains_key("type")) {
                return;
            }
            self.push(
                span,
                tr!("config.null-not-allowed", kind = kind_words(schema)),
                None,
            );
            return;
        }
        match (schema_type(schema), &node.value) {
            (None, _) | (_, Node::Deep) => {}
            (Some("object"), Node::Map(entries)) => self.check_map(span, entries, schema),
            (Some("array"), Node::Seq(items)) => {
                let items_schema = schema.get("items").unwrap_or(&ANY);
                for item in items {
                    self.check(item, items_schema);
                }
            }
            (Some("string"), Node::Scalar) => {
                if schema.get("format").and_then(Value::as_str) == Some("date") {
                    self.check_date(span);
                }
            }
            (Some("boolean"), Node::Scalar) if self.decodes::<bool>(span).is_some() => {}
            (Some("integer"), Node::Scalar) if self.integer_fits(span, schema) => {}
            (Some(_), _) => {
                let help = tr!("config.see-schema");
                self.push(
                    span,
                    tr!("config.wrong-kind", kind = kind_words(schema)),
                    Some(help),
                );
            }
        }
    }

    fn integer_fits(&self, span: Span, schema: &Value) -> bool {
        match schema.get("format").and_then(Value::as_str) {
            Some("uint32") => self.decodes::<u32>(span).is_some(),
            Some("uint") | Some("uint64") => self.decodes::<u64>(span).is_some(),
            _ => self.decodes::<i64>(span).is_some(),
        }
    }

    fn check_date(&mut self, span: Span) {
        let Some(text) = self.decodes::<String>(span) else {
            return;
        };
        if let Err(error) = Date::read(&text) {
            // The date reader says what is wrong and the ISO form to write
            // (a 民國 date that does not exist, a year written last).
            let help = error.help();
            self.push(span, error.message, Some(help));
        }
    }

    fn check_enum(&mut self, node: &Spanned<Node>, span: Span, values: &[&str], null: bool) {
        match &node.value {
            Node::Null if null => {}
            Node::Scalar => {
                let text = self.decodes::<String>(span).unwrap_or_default();
                if !values.contains(&text.as_str()) {
                    let shown = shown_value(&text);
                    self.push(
                        span,
                        tr!("config.unknown-value", value = shown),
                        suggestion(&text, values),
                    );
                }
            }
            _ => self.push(
                span,
                tr!(
                    "config.wrong-kind",
                    kind = tr!("config.kind.one-of", names = i18n::list(values))
                ),
                None,
            ),
        }
    }

    fn check_map(
        &mut self,
        span: Span,
        entries: &[(Spanned<String>, Spanned<Node>)],
        schema: &'a Value,
    ) {
        let properties = schema.get("properties").and_then(Value::as_object);
        let names: Vec<&str> = properties
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
        let mut seen: Vec<(&str, Span)> = Vec::new();
        for (key, value) in entries {
            let key_span = span_of(key);
            let name = key.value.as_str();
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
                let line = line_of(self.text, first.start);
                self.push(
                    key_span,
                    tr!("config.duplicate-key", key = shown_value(name), line = line),
                    Some(tr!("config.duplicate-key-help")),
                );
                continue;
            }
            seen.push((name, key_span));
            match properties.and_then(|p| p.get(name)) {
                Some(property) => self.check(value, property),
                None if closed => {
                    self.push(
                        key_span,
                        tr!("config.unknown-key", key = shown_value(name)),
                        suggestion(name, &names),
                    );
                }
                None => {}
            }
        }
        let required = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect::<Vec<_>>())
            .unwrap_or_default();
        // A key missing because it is misspelt is reported once, at the
        // misspelling, with its "did you mean".
        let misspelt = |field: &str| {
            seen.iter()
                .any(|(n, _)| !names.contains(n) && nearest(n, &names) == Some(field))
        };
        for field in required {
            if !seen.iter().any(|(n, _)| *n == field) && !misspelt(field) {
                self.push(
                    span,
                    tr!("config.missing-key", key = field),
                    Some(tr!("config.missing-key-help", key = field)),
                );
            }
        }
    }
}

/// The `const` members of a `oneOf`, or an `enum`.
fn enum_values(schema: &Value) -> Option<Vec<&str>> {
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return Some(values.iter().filter_map(Value::as_str).collect());
    }
    let one_of = schema.get("oneOf")?.as_array()?;
    one_of
        .iter()
        .map(|s| s.get("const").and_then(Value::as_str))
        .collect()
}

/// A value quoted in a message: at most 40 characters, control characters
/// escaped.
fn shown_value(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(40)
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    if text.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, at: usize) -> usize {
    crate::source::SourceFile::new("", text)
        .line_column(at)
        .line
}

/// Every problem of `tree` against `schema`, in the order of the text.
#[must_use]
pub fn check(text: &str, tree: &Spanned<Node>, schema: &Value) -> Vec<Problem> {
    let mut checker = Checker {
        text,
        root: schema,
        problems: Vec::new(),
    };
    if !matches!(tree.value, Node::Null) {
        checker.check(tree, schema);
    }
    let mut problems = checker.problems;
    problems.sort_by_key(|p| (p.span.start, p.span.end));
    problems
}

/// A scalar's text as serde-saphyr decodes it into `T`. The plainest forms
/// (`true`, `false`, a decimal number without a leading zero, a word of
/// letters, digits, `-` and `_` that YAML gives no other meaning, an ISO
/// date) are read directly, as serde-saphyr reads them (a test compares
/// the two); anything else, or a form that does not fit `T`, goes to
/// serde-saphyr itself, which builds a parser per value.
fn decode_scalar<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    use serde::de::IntoDeserializer;
    use serde::de::value::Error;
    let fast: Option<Result<T, Error>> = match text {
        "true" => Some(T::deserialize(true.into_deserializer())),
        "false" => Some(T::deserialize(false.into_deserializer())),
        _ if plain_number(text) => text
            .parse::<u64>()
            .ok()
            .map(|n| T::deserialize(n.into_deserializer())),
        _ if plain_word(text) || plain_date(text) => Some(T::deserialize(text.into_deserializer())),
        _ => None,
    };
    if let Some(Ok(value)) = fast {
        return Some(value);
    }
    serde_saphyr::from_str::<Option<T>>(text).ok().flatten()
}

fn plain_number(text: &str) -> bool {
    let mut bytes = text.bytes();
    match bytes.next() {
        Some(b'0') => text.len() == 1,
        Some(b'1'..=b'9') => text.len() <= 18 && bytes.all(|b| b.is_ascii_digit()),
        _ => false,
    }
}

fn plain_word(text: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "yes", "Yes",
        "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N", "inf",
        "Inf", "INF", "nan", "NaN", "NAN",
    ];
    text.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !SPECIAL.contains(&text)
}

fn plain_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

#[cfg(test)]
mod tests {
    use super::decode_scalar;

    fn slow<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
        serde_saphyr::from_str::<Option<T>>(text).ok().flatten()
    }

    #[test]
    fn the_fast_scalar_reading_agrees_with_serde_saphyr() {
        let texts = [
            "true",
            "false",
            "0",
            "7",
            "10",
            "010",
            "0x10",
            "-3",
            "+3",
            "1e3",
            "99999999999999999",
            "4294967296",
            "active",
            "left",
            "card-reader",
            "under_score",
            "yes",
            "no",
            "on",
            "off",
            "null",
            "~",
            "Y",
            "n",
            "inf",
            "NaN",
            "2026-02-28",
            "2026-02-30",
            "2026/02/28",
            "113/02/28",
            "a b",
            "'quoted'",
            "\"double\"",
            "",
            "password",
            "citizen_certificate",
        ];
        for text in texts {
            assert_eq!(
                decode_scalar::<bool>(text),
                slow::<bool>(text),
                "bool {text:?}"
            );
            assert_eq!(
                decode_scalar::<i64>(text),
                slow::<i64>(text),
                "i64 {text:?}"
            );
            assert_eq!(
                decode_scalar::<u32>(text),
                slow::<u32>(text),
                "u32 {text:?}"
            );
            assert_eq!(
                decode_scalar::<u64>(text),
                slow::<u64>(text),
                "u64 {text:?}"
            );
            assert_eq!(
                decode_scalar::<String>(text),
                slow::<String>(text),
                "String {text:?}"
            );
        }
    }
}
