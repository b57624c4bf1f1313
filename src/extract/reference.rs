//! Reference data about NIA's side of the service: the functions it offers
//! (`data/functions.toml`) and the agencies that may forward an application
//! (`data/agencies.toml`), and the counties merged into special
//! municipalities, whose bodies no longer exist.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::date::Date;
use crate::source::Span;

/// One function offered through the platform.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Function {
    /// Stable id used in `access.yaml`.
    pub id: String,
    /// Name in Traditional Chinese.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FunctionsFile {
    function: Vec<Function>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgenciesFile {
    central: Vec<String>,
    local: Vec<String>,
    #[serde(default)]
    aliases: BTreeMap<String, String>,
    #[serde(default)]
    merged: Vec<Merged>,
}

/// A county merged into a special municipality (臺北縣 → 新北市 on
/// 2010-12-25): from that day neither it nor any of its bodies exists.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Merged {
    /// The county's name (臺北縣).
    pub county: String,
    /// Other spellings of it (台北縣).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The municipality it became (新北市).
    pub successor: String,
    /// The day it was merged, ISO.
    pub on: String,
}

impl Merged {
    /// The successor's government (新北市政府), which forwards for its bodies.
    #[must_use]
    pub fn successor_government(&self) -> String {
        format!("{}政府", self.successor)
    }

    /// The spellings of the county's name, the official one first.
    fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.county.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// A place where a rules document names a body of a merged county
/// (臺北縣政府警察局).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergedName {
    /// The body's name as written.
    pub span: Span,
    /// The county.
    pub county: Merged,
    /// It is named as history (原臺北縣政府…, …改制前…): not as a body in being.
    pub historical: bool,
}

/// The most places a document's merged-county names are read from; beyond
/// them the document is not read for more (each is a request to the policies).
pub const MAX_MERGED_NAMES: usize = 200;

/// Longest body name read after a county's name, in characters.
const MAX_BODY_CHARS: usize = 16;
/// What a body's name ends in (政府, 警察局, 地政事務所, 稅捐稽徵處, …).
const BODY_ENDS: &[char] = &[
    '府', '局', '處', '所', '署', '院', '隊', '站', '會', '館', '室',
];
/// Words of a sentence that tells history rather than names a body in being.
const HISTORY_WORDS: &[&str] = &[
    "改制", "更名", "前身", "沿革", "原名", "原稱", "合併", "升格", "舊稱",
];

/// Functions and forwarding agencies.
#[derive(Debug, Clone)]
pub struct Reference {
    functions: Vec<Function>,
    central: BTreeSet<String>,
    local: BTreeSet<String>,
    aliases: BTreeMap<String, String>,
    merged: Vec<Merged>,
}

/// An error in the reference data.
#[derive(Debug, thiserror::Error)]
#[error("invalid reference data: {0}")]
pub struct ReferenceError(String);

impl Reference {
    /// Parse `data/functions.toml` and `data/agencies.toml`.
    ///
    /// # Errors
    /// When either does not parse.
    pub fn from_toml(functions: &str, agencies: &str) -> Result<Self, ReferenceError> {
        let functions: FunctionsFile =
            toml::from_str(functions).map_err(|e| ReferenceError(e.to_string()))?;
        let agencies: AgenciesFile =
            toml::from_str(agencies).map_err(|e| ReferenceError(e.to_string()))?;
        for m in &agencies.merged {
            Date::parse_iso(&m.on)
                .map_err(|e| ReferenceError(format!("merged county {}: {e}", m.county)))?;
        }
        Ok(Self {
            functions: functions.function,
            central: agencies.central.into_iter().collect(),
            local: agencies.local.into_iter().collect(),
            aliases: agencies.aliases,
            merged: agencies.merged,
        })
    }

    /// The functions, in file order.
    #[must_use]
    pub fn functions(&self) -> &[Function] {
        &self.functions
    }

    /// The function with this id.
    #[must_use]
    pub fn function(&self, id: &str) -> Option<&Function> {
        self.functions.iter().find(|f| f.id == id)
    }

    /// The forwarding channel an agency belongs to: `central`, `local`, or
    /// `unknown` for an agency not in the data file.
    #[must_use]
    pub fn channel(&self, agency: &str) -> &'static str {
        let name = self.canonical(agency);
        if self.central.contains(name) {
            "central"
        } else if self.local.contains(name) {
            "local"
        } else {
            "unknown"
        }
    }

    /// An agency's name as the lists spell it: trimmed, an alias resolved.
    #[must_use]
    pub fn canonical<'a>(&'a self, agency: &'a str) -> &'a str {
        let name = agency.trim();
        self.aliases.get(name).map_or(name, String::as_str)
    }

    /// The merged counties, in file order.
    #[must_use]
    pub fn merged(&self) -> &[Merged] {
        &self.merged
    }

    /// The merged county whose body `agency` names (臺北縣政府警察局 →
    /// 臺北縣), if any.
    #[must_use]
    pub fn merged_body(&self, agency: &str) -> Option<&Merged> {
        let name = agency.trim();
        self.merged
            .iter()
            .find(|m| m.names().any(|county| name.starts_with(county)))
    }
}

/// Every place `text` names a body of a merged county: the county's
/// name followed, within a few characters and no punctuation, by what
/// a body's name ends in (臺北縣政府, 臺北縣板橋地政事務所; not 設籍臺北縣者).
#[must_use]
pub fn merged_names(merged: &[Merged], text: &str) -> Vec<MergedName> {
    // Every spelling, with its county: (county, spelling, occurrences
    // read so far, where the last one read ends).
    let mut names: Vec<(usize, &str, usize, usize)> = merged
        .iter()
        .enumerate()
        .flat_map(|(m, county)| county.names().map(move |n| (m, n, 0, 0)))
        .filter(|(_, n, _, _)| !n.is_empty())
        .collect();
    // One pass over the text for each last character of a spelling (all of
    // them end in 縣), not one per spelling: a spelling's occurrences are
    // where it ends, read left to right without overlapping, as
    // `match_indices` would give them.
    let mut lasts: Vec<char> = names
        .iter()
        .filter_map(|(_, n, _, _)| n.chars().last())
        .collect();
    lasts.sort_unstable();
    lasts.dedup();
    let mut out: Vec<(MergedName, usize)> = Vec::new();
    for last in lasts {
        for (at, _) in text.match_indices(last) {
            let end_of_name = at + last.len_utf8();
            let before = text.get(..end_of_name).unwrap_or("");
            for (order, (m, name, seen, after_last)) in names.iter_mut().enumerate() {
                if *seen >= MAX_MERGED_NAMES || !before.ends_with(*name) {
                    continue;
                }
                let start = end_of_name - name.len();
                if start < *after_last {
                    continue;
                }
                *seen += 1;
                *after_last = end_of_name;
                let Some(county) = merged.get(*m) else {
                    continue;
                };
                if let Some(end) = body_end(text, end_of_name) {
                    out.push((
                        MergedName {
                            span: Span::new(start, end),
                            county: county.clone(),
                            historical: historical(text, start, end),
                        },
                        order,
                    ));
                }
            }
        }
    }
    out.sort_by_key(|(n, order)| (n.span.start, n.span.end, *order));
    let mut out: Vec<MergedName> = out.into_iter().map(|(n, _)| n).collect();
    out.dedup_by_key(|n| n.span.start);
    out.truncate(MAX_MERGED_NAMES);
    out
}

/// Where a body's name that follows a county's name at `after` ends: the
/// last of [`BODY_ENDS`] within a few CJK characters, if any.
fn body_end(text: &str, after: usize) -> Option<usize> {
    let rest = text.get(after..).unwrap_or("");
    let mut end = None;
    for (count, (i, c)) in rest.char_indices().enumerate() {
        if count >= MAX_BODY_CHARS || !('\u{4e00}'..='\u{9fff}').contains(&c) {
            break;
        }
        if BODY_ENDS.contains(&c) {
            end = Some(after + i + c.len_utf8());
        }
    }
    end
}

/// Whether the name at `start..end` is told as history: right after 原, 前
/// or 舊, or in a sentence (up to 。, ；, a line end) that says the county
/// was merged or renamed.
fn historical(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).unwrap_or("");
    if before.ends_with(['原', '前', '舊']) {
        return true;
    }
    let stops = ['。', '；', ';', '\n', '！', '？'];
    let from = before
        .char_indices()
        .rev()
        .find(|(_, c)| stops.contains(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let after = text.get(end..).unwrap_or("");
    let to = end + after.find(stops).unwrap_or(after.len());
    let sentence = text.get(from..to).unwrap_or("");
    HISTORY_WORDS.iter().any(|w| sentence.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Each spelling searched on its own, as the names were read before
    /// one pass served them all.
    fn merged_names_one_by_one(merged: &[Merged], text: &str) -> Vec<MergedName> {
        let mut out = Vec::new();
        for m in merged {
            for county in m.names() {
                for (start, _) in text.match_indices(county).take(MAX_MERGED_NAMES) {
                    if let Some(end) = body_end(text, start + county.len()) {
                        out.push(MergedName {
                            span: Span::new(start, end),
                            county: m.clone(),
                            historical: historical(text, start, end),
                        });
                    }
                }
            }
        }
        out.sort_by_key(|n| (n.span.start, n.span.end));
        out.dedup_by_key(|n| n.span.start);
        out.truncate(MAX_MERGED_NAMES);
        out
    }

    fn county(name: &str, aliases: &[&str]) -> Merged {
        Merged {
            county: name.to_owned(),
            aliases: aliases.iter().map(|&a| a.to_owned()).collect(),
            successor: "新北市".to_owned(),
            on: "2010-12-25".to_owned(),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// One pass finds what a search for each spelling finds, spellings
        /// that overlap themselves (縣縣) or end alike included.
        #[test]
        fn one_pass_finds_what_each_spellings_search_finds(
            text in "[臺台北縣政府局所原改制。a]{0,80}",
        ) {
            let merged = [
                county("臺北縣", &["台北縣"]),
                county("北縣", &[]),
                county("縣縣", &["府縣"]),
            ];
            prop_assert_eq!(merged_names(&merged, &text), merged_names_one_by_one(&merged, &text));
        }
    }
}
