//! The message catalogue: every message a user sees, in one file per
//! language (`data/i18n/zh-TW.toml`, `data/i18n/en.toml`), looked up by key.
//!
//! A message is written with [`tr!`](crate::tr) (or [`tr_n!`](crate::tr_n)
//! when it counts something) and its key as a literal, so that
//! `tests/i18n.rs` can list every key the code uses and fail on a key
//! missing from either language, or a key no code uses.
//!
//! Text is TOML: `[section]` tables group the keys (`config.unknown-key`),
//! `{name}` is a placeholder filled from the call's arguments, `{{` and `}}`
//! are literal braces. A message that counts is a table `{ one = "…",
//! other = "…" }` in English (`one` when the count is 1); Chinese has no
//! plural and writes one string.

use std::fmt::{Display, Write as _};
use std::sync::LazyLock;

use crate::lang::{Lang, Localized};

mod parse;

/// The Traditional Chinese catalogue.
pub const ZH_TW_TOML: &str = include_str!("../data/i18n/zh-TW.toml");
/// The English catalogue.
pub const EN_TOML: &str = include_str!("../data/i18n/en.toml");

pub use parse::{Catalogue, Entry, parse};

/// A catalogue as `build.rs` read it: `(key, text, other)`, `other` being
/// the plural form of an entry with one; `None` when the file did not
/// parse there (it is parsed here then, and its error reported by
/// [`problems`]).
pub type StaticCatalogue = Option<&'static [(&'static str, &'static str, Option<&'static str>)]>;

/// The catalogue `build.rs` read, or the file parsed now. Parsing the
/// Traditional Chinese file was 6 M instructions, a quarter of a single
/// check's own work.
fn load(read: StaticCatalogue, text: &str) -> Catalogue {
    match read {
        Some(entries) => entries
            .iter()
            .map(|&(key, text, other)| {
                let entry = match other {
                    Some(other) => Entry::Plural {
                        one: text.to_owned(),
                        other: other.to_owned(),
                    },
                    None => Entry::Text(text.to_owned()),
                };
                (key.to_owned(), entry)
            })
            .collect(),
        None => parse(text).unwrap_or_default(),
    }
}

static ZH_TW: LazyLock<Catalogue> = LazyLock::new(|| load(crate::embedded::I18N_ZH_TW, ZH_TW_TOML));
static EN: LazyLock<Catalogue> = LazyLock::new(|| load(crate::embedded::I18N_EN, EN_TOML));

/// The catalogue of `lang`.
#[must_use]
pub fn catalogue(lang: Lang) -> &'static Catalogue {
    match lang {
        Lang::ZhTw => &ZH_TW,
        Lang::En => &EN,
    }
}

/// The names of the placeholders of a text (`{name}`), in order of first use.
#[must_use]
pub fn placeholders(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(['{', '}']) {
        let (head, tail) = rest.split_at(at);
        let _ = head;
        if tail.starts_with("{{") || tail.starts_with("}}") {
            rest = tail.get(2..).unwrap_or("");
            continue;
        }
        if let Some(inner) = tail.strip_prefix('{')
            && let Some(end) = inner.find('}')
        {
            let name = inner.get(..end).unwrap_or("").to_owned();
            if !out.contains(&name) {
                out.push(name);
            }
            rest = inner.get(end.saturating_add(1)..).unwrap_or("");
        } else {
            rest = tail.get(1..).unwrap_or("");
        }
    }
    out
}

/// A value given to a placeholder.
#[derive(Debug, Clone)]
pub enum Arg {
    /// Text, the same in every language.
    Text(String),
    /// A list, joined with 「、」 in Chinese and ", " in English.
    List(Vec<String>),
    /// A message of the catalogue, in the language being written.
    Message(Localized),
}

impl Arg {
    fn write(&self, lang: Lang, out: &mut String) {
        match self {
            Self::Text(text) => out.push_str(text),
            Self::List(items) => out.push_str(&items.join(match lang {
                Lang::ZhTw => "、",
                Lang::En => ", ",
            })),
            Self::Message(message) => out.push_str(message.get(lang)),
        }
    }
}

/// A list argument (see [`Arg::List`]).
#[must_use]
pub fn list<S: Display>(items: &[S]) -> Arg {
    Arg::List(items.iter().map(ToString::to_string).collect())
}

/// Fill the placeholders of `text` from `args`; a placeholder with no
/// argument is left as written (`tests/i18n.rs` keeps them matched).
#[must_use]
pub fn fill(text: &str, lang: Lang, args: &[(&str, Arg)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(['{', '}']) {
        let (head, tail) = rest.split_at(at);
        out.push_str(head);
        if let Some(after) = tail.strip_prefix("{{") {
            out.push('{');
            rest = after;
        } else if let Some(after) = tail.strip_prefix("}}") {
            out.push('}');
            rest = after;
        } else if let Some(inner) = tail.strip_prefix('{')
            && let Some(end) = inner.find('}')
        {
            let name = inner.get(..end).unwrap_or("");
            match args.iter().find(|(n, _)| *n == name) {
                Some((_, arg)) => arg.write(lang, &mut out),
                None => {
                    let _ = write!(out, "{{{name}}}");
                }
            }
            rest = inner.get(end.saturating_add(1)..).unwrap_or("");
        } else {
            out.push_str(tail.get(..1).unwrap_or(""));
            rest = tail.get(1..).unwrap_or("");
        }
    }
    out.push_str(rest);
    out
}

/// The stored text of `key` in `lang` for `count`. The entries `build.rs`
/// read are looked up where they lie, by binary search (it wrote them in
/// key order): the catalogue as a map of owned strings is built only when
/// the file was not read there. Building it was a tenth of a single
/// check's human output.
fn stored(lang: Lang, key: &str, count: Option<u64>) -> Option<&'static str> {
    let read = match lang {
        Lang::ZhTw => crate::embedded::I18N_ZH_TW,
        Lang::En => crate::embedded::I18N_EN,
    };
    match read {
        Some(entries) => {
            let at = entries.binary_search_by(|(k, _, _)| (*k).cmp(key)).ok()?;
            let &(_, text, other) = entries.get(at)?;
            Some(match other {
                Some(other) if count != Some(1) => other,
                _ => text,
            })
        }
        None => catalogue(lang).get(key).map(|e| e.for_count(count)),
    }
}

/// The text of `key` in `lang` for `count`, its placeholders filled; the
/// key itself if the catalogue lacks it (which `tests/i18n.rs` forbids).
#[must_use]
pub fn text(lang: Lang, key: &str, count: Option<u64>, args: &[(&str, Arg)]) -> String {
    match stored(lang, key, count) {
        Some(text) => fill(text, lang, args),
        None => key.to_owned(),
    }
}

/// The text of a message with no placeholder, as stored (for closed sets
/// of words such as verdicts); the key itself if the catalogue lacks it.
#[must_use]
pub fn static_text(lang: Lang, key: &'static str) -> &'static str {
    stored(lang, key, None).unwrap_or(key)
}

/// The message `key` in both languages.
#[must_use]
pub fn message(key: &str, count: Option<u64>, args: &[(&str, Arg)]) -> Localized {
    Localized::new(
        text(Lang::ZhTw, key, count, args),
        text(Lang::En, key, count, args),
    )
}

/// Problems of the catalogues themselves: a key in one language only, a
/// placeholder in one language only, a file that does not parse.
#[must_use]
pub fn problems() -> Vec<String> {
    let mut out = Vec::new();
    let zh = match parse(ZH_TW_TOML) {
        Ok(c) => c,
        Err(e) => return vec![format!("data/i18n/zh-TW.toml: {e}")],
    };
    let en = match parse(EN_TOML) {
        Ok(c) => c,
        Err(e) => return vec![format!("data/i18n/en.toml: {e}")],
    };
    for key in zh.keys().filter(|k| !en.contains_key(*k)) {
        out.push(format!("{key}: no English text (data/i18n/en.toml)"));
    }
    for key in en.keys().filter(|k| !zh.contains_key(*k)) {
        out.push(format!("{key}: no zh-TW text (data/i18n/zh-TW.toml)"));
    }
    for (key, zh_entry) in &zh {
        let Some(en_entry) = en.get(key) else {
            continue;
        };
        let names = |entry: &Entry| {
            let mut names: Vec<String> =
                entry.texts().iter().flat_map(|t| placeholders(t)).collect();
            names.sort();
            names.dedup();
            names
        };
        let (zh_names, en_names) = (names(zh_entry), names(en_entry));
        if zh_names != en_names {
            out.push(format!(
                "{key}: placeholders differ: zh-TW {zh_names:?}, en {en_names:?}"
            ));
        }
        for text in zh_entry.texts().into_iter().chain(en_entry.texts()) {
            if text.trim().is_empty() {
                out.push(format!("{key}: empty text"));
            }
        }
    }
    out
}

/// A message of the catalogue in both languages:
/// `tr!("config.unknown-key", key = name)`. Each argument is shown with
/// `Display`, except [`Arg`]s and [`Localized`] messages
/// (`tr!("…", list = i18n::list(&names))`).
#[macro_export]
macro_rules! tr {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::message(
            $key,
            None,
            &[$((stringify!($name), $crate::i18n::arg($value))),*],
        )
    };
}

/// A counting message of the catalogue (`{ one, other }` in English), with
/// `{n}` the count: `tr_n!("summary.warnings", warnings)`.
#[macro_export]
macro_rules! tr_n {
    ($key:literal, $count:expr $(, $name:ident = $value:expr)* $(,)?) => {{
        let count = $count;
        $crate::i18n::message(
            $key,
            u64::try_from(count).ok(),
            &[("n", $crate::i18n::arg(count)) $(, (stringify!($name), $crate::i18n::arg($value)))*],
        )
    }};
}

/// Conversion used by [`tr!`]: an [`Arg`] or [`Localized`] as itself,
/// anything else shown with `Display`.
pub fn arg<T: ToArg>(value: T) -> Arg {
    value.to_arg()
}

/// What [`tr!`] accepts as an argument.
pub trait ToArg {
    /// The argument.
    fn to_arg(self) -> Arg;
}

impl ToArg for Arg {
    fn to_arg(self) -> Arg {
        self
    }
}

impl ToArg for Localized {
    fn to_arg(self) -> Arg {
        Arg::Message(self)
    }
}

impl ToArg for &Localized {
    fn to_arg(self) -> Arg {
        Arg::Message(self.clone())
    }
}

impl<T: Display> ToArg for T {
    fn to_arg(self) -> Arg {
        Arg::Text(self.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_placeholders_and_braces() {
        let args = [("key", Arg::Text("naem".into()))];
        assert_eq!(
            fill("unknown `{key}` {{a: b}}", Lang::En, &args),
            "unknown `naem` {a: b}"
        );
        assert_eq!(fill("{missing}", Lang::En, &args), "{missing}");
        let list = [("l", list(&["a", "b"]))];
        assert_eq!(fill("{l}", Lang::ZhTw, &list), "a、b");
        assert_eq!(fill("{l}", Lang::En, &list), "a, b");
    }

    #[test]
    fn placeholder_names() {
        assert_eq!(placeholders("{a} {{x}} {b} {a}"), vec!["a", "b"]);
    }

    /// The catalogues `build.rs` read are the files as parsed here.
    #[test]
    fn the_embedded_catalogues_are_the_files() {
        for (read, text) in [
            (crate::embedded::I18N_ZH_TW, ZH_TW_TOML),
            (crate::embedded::I18N_EN, EN_TOML),
        ] {
            assert!(read.is_some_and(|entries| entries.len() > 100));
            assert_eq!(Ok(load(read, text)), parse(text));
        }
    }

    /// The entries `build.rs` read are in key order, so a binary search
    /// finds each, and every key gives the parsed file's text.
    #[test]
    fn the_embedded_entries_are_found_by_key() {
        for (lang, read, text) in [
            (Lang::ZhTw, crate::embedded::I18N_ZH_TW, ZH_TW_TOML),
            (Lang::En, crate::embedded::I18N_EN, EN_TOML),
        ] {
            let entries = read.unwrap_or_default();
            assert!(entries.windows(2).all(|w| matches!(w, [a, b] if a.0 < b.0)));
            let parsed = parse(text).unwrap_or_default();
            assert_eq!(parsed.len(), entries.len());
            for (key, entry) in &parsed {
                for count in [None, Some(1), Some(2)] {
                    assert_eq!(
                        stored(lang, key, count),
                        Some(entry.for_count(count)),
                        "{key}"
                    );
                }
            }
            assert_eq!(stored(lang, "no.such-key", None), None);
        }
    }

    #[test]
    fn catalogues_parse_and_agree() {
        assert_eq!(problems(), Vec::<String>::new());
    }
}
