//! The wording vocabulary (`data/vocabulary.toml`): named concept sets, the
//! cues that play a fixed role (predicate, negation, placeholder, history),
//! and for each part of the rules document its topic concepts and the
//! content patterns that state it. Loaded once; one Aho-Corasick pass over
//! the document finds every term, and each sentence is then tested with
//! concept bitsets.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::embedded;
use crate::extract::reference::Merged;
use crate::extract::terms::Terms;
use crate::source::Span;

/// The most concepts a vocabulary may define (the bitset width).
pub const MAX_CONCEPTS: usize = 256;

/// One part as written in the vocabulary file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartDef {
    /// The key of the part: an `Evidence` attribute of `NIA::Document`.
    pub key: String,
    /// The requirement the part belongs to.
    pub requirement: String,
    /// What the part is, in Traditional Chinese.
    pub describe_zh: String,
    /// What the part is, in English.
    pub describe_en: String,
    /// A clause that would cover the part, shown in help.
    pub example_zh: String,
    /// Concepts that say what a title or sentence is about.
    pub topic: Vec<String>,
    /// The regulation's own wording of the item.
    #[serde(default)]
    pub restates: Vec<String>,
    /// The ways a sentence states the part.
    pub content: Vec<ContentDef>,
}

/// One content pattern as written: an all-of of concepts in one scope.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentDef {
    /// Every concept must occur.
    pub all: Vec<String>,
    /// None of these may occur.
    #[serde(default)]
    pub not: Vec<String>,
    /// `sentence` (default), `clause` (one 「；」 sub-clause) or `phrase`
    /// (one 「，」 phrase).
    #[serde(default)]
    pub scope: Scope,
    /// The concepts occur in the order listed.
    #[serde(default)]
    pub ordered: bool,
    /// All concepts occur within this many characters.
    #[serde(default)]
    pub within: Option<usize>,
}

/// The scope a content pattern is tested in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// A sentence (ends at 。！？, a table cell, a 「；」 before a clause number).
    #[default]
    Sentence,
    /// One 「；」 sub-clause of a sentence.
    Clause,
    /// One 「，」 phrase of a sentence.
    Phrase,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cues {
    predicate: Vec<String>,
    negation: Vec<String>,
    not_negation: Vec<String>,
    regulating: Vec<String>,
    placeholder: Vec<String>,
    omitted: Vec<String>,
    refer_back: Vec<String>,
    history: Vec<String>,
    checklist: Vec<String>,
    past: Vec<String>,
    commitment: Vec<String>,
    frame: Vec<String>,
    vague: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabularyFile {
    concepts: BTreeMap<String, Vec<String>>,
    cues: Cues,
    part: Vec<PartDef>,
}

/// A set of concepts, as a fixed bitset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConceptSet([u64; MAX_CONCEPTS / 64]);

impl ConceptSet {
    /// Add a concept.
    pub fn insert(&mut self, id: usize) {
        if let Some(w) = self.0.get_mut(id / 64) {
            *w |= 1 << (id % 64);
        }
    }

    /// Whether the concept is in the set.
    #[must_use]
    pub fn contains(&self, id: usize) -> bool {
        self.0
            .get(id / 64)
            .is_some_and(|w| w & (1 << (id % 64)) != 0)
    }

    /// Whether every concept of `other` is in the set.
    #[must_use]
    pub fn contains_all(&self, other: &ConceptSet) -> bool {
        self.0.iter().zip(other.0).all(|(a, b)| a & b == b)
    }

    /// Whether the sets share a concept.
    #[must_use]
    pub fn intersects(&self, other: &ConceptSet) -> bool {
        self.0.iter().zip(other.0).any(|(a, b)| a & b != 0)
    }

    /// The union of both sets.
    #[must_use]
    pub fn union(mut self, other: &ConceptSet) -> ConceptSet {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a |= b;
        }
        self
    }

    /// The concepts in both sets.
    #[must_use]
    pub fn intersection(mut self, other: &ConceptSet) -> ConceptSet {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a &= b;
        }
        self
    }

    /// How many concepts the set holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Whether the set is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }
}

/// One content pattern with its concepts resolved.
#[derive(Debug)]
pub struct Content {
    /// The concepts, in the order written.
    pub all: Vec<usize>,
    /// `all` as a set.
    pub set: ConceptSet,
    /// Concepts that must not occur.
    pub not: ConceptSet,
    /// The scope.
    pub scope: Scope,
    /// The concepts occur in order.
    pub ordered: bool,
    /// The concepts occur within this many bytes (characters × 3, for CJK).
    pub within: Option<usize>,
}

/// A part with its concepts resolved to ids.
#[derive(Debug)]
pub struct Part {
    /// The part as written.
    pub def: PartDef,
    /// Topic concepts.
    pub topic: ConceptSet,
    /// Content patterns.
    pub content: Vec<Content>,
    /// Every concept of the topic and of every content pattern.
    pub mentions: ConceptSet,
    /// Character bigrams of each restatement text ([`bigrams`]).
    pub restates: Vec<Vec<u64>>,
}

/// One concept occurrence in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Byte span of the term.
    pub span: Span,
    /// The concept.
    pub concept: usize,
}

impl Hit {
    /// The order of hits, (start, end, concept), as one integer, so that
    /// sorting compares one number. Exact: a span lies in memory (below
    /// 2^56 bytes) and a concept id is below [`MAX_CONCEPTS`] (256).
    #[must_use]
    pub fn order_key(&self) -> u128 {
        ((self.span.start as u128) << 72) | ((self.span.end as u128) << 8) | self.concept as u128
    }
}

/// The fixed-role cues, as concept ids.
#[derive(Debug, Clone, Copy)]
pub struct CueIds {
    /// A predicate: the sentence says something.
    pub predicate: usize,
    /// An exemption cue.
    pub negation: usize,
    /// A term that contains a negation cue but is none.
    pub not_negation: usize,
    /// A verb a negation may govern.
    pub regulating: usize,
    /// Defers to another document.
    pub placeholder: usize,
    /// 「（略）」.
    pub omitted: usize,
    /// Refers back to the previous sub-clause.
    pub refer_back: usize,
    /// A history note.
    pub history: usize,
    /// The regulation's demand on the document (管理規範應載明…).
    pub checklist: usize,
    /// An account of what has happened (歷年, 曾發現, 在案).
    pub past: usize,
    /// The agency's undertaking to lay an item down (應建立, 應明定).
    pub commitment: usize,
    /// The words around an undertaking that say nothing of the item
    /// (本局, 機制).
    pub frame: usize,
    /// A reference to rules it does not name (依規定辦理): at the end of a
    /// phrase, a deferral.
    pub vague: usize,
    /// A cited law's name (masked).
    pub law: usize,
    /// A quoted name of a form.
    pub form_name: usize,
    /// A quoted name of a system.
    pub system_name: usize,
    /// The first id of a concept of `[concepts]` (lower ids are cues).
    pub first_concept: usize,
}

/// The loaded vocabulary.
#[derive(Debug)]
pub struct Vocabulary {
    parts: Vec<Part>,
    matcher: Terms,
    /// For each term, the concepts it belongs to.
    term_concepts: Vec<Vec<usize>>,
    /// Each concept's terms as the file lists them.
    concept_terms: BTreeMap<String, Vec<String>>,
    /// Each cue's terms as the file lists them, by the cue's name
    /// (`negation`, `placeholder`, …).
    cue_terms: BTreeMap<String, Vec<String>>,
    /// Concept names, by id.
    names: Vec<String>,
    /// `law:<id>` concepts: (law id, concept id).
    law_concepts: Vec<(String, usize)>,
    cues: CueIds,
    /// The merged counties (data/agencies.toml), whose bodies a document
    /// may still name.
    merged: Vec<Merged>,
    /// Every bigram of every part's restatement texts ([`Self::could_restate`]).
    restate_grams: std::collections::HashSet<u64, foldhash::fast::FixedState>,
}

/// An error in the vocabulary file.
#[derive(Debug, thiserror::Error)]
#[error("invalid vocabulary: {0}")]
pub struct VocabularyError(String);

struct Builder {
    names: Vec<String>,
    terms: Vec<String>,
    /// Each term's place in `terms` (a search of the list for each of
    /// nearly a thousand terms was a tenth of the start-up's reading).
    term_ids: foldhash::HashMap<String, usize>,
    term_concepts: Vec<Vec<usize>>,
    law_concepts: Vec<(String, usize)>,
}

impl Builder {
    fn concept(&mut self, name: &str) -> Result<usize, VocabularyError> {
        if let Some(i) = self.names.iter().position(|n| n == name) {
            return Ok(i);
        }
        if self.names.len() >= MAX_CONCEPTS {
            return Err(VocabularyError(format!(
                "more than {MAX_CONCEPTS} concepts"
            )));
        }
        self.names.push(name.to_owned());
        Ok(self.names.len() - 1)
    }

    fn terms(&mut self, concept: usize, terms: &[String]) -> Result<(), VocabularyError> {
        for term in terms {
            if term.is_empty() {
                return Err(VocabularyError(format!(
                    "concept `{}` has an empty term",
                    self.names.get(concept).map_or("", String::as_str)
                )));
            }
            let id = if let Some(&i) = self.term_ids.get(term) {
                i
            } else {
                self.term_ids.insert(term.clone(), self.terms.len());
                self.terms.push(term.clone());
                self.term_concepts.push(Vec::new());
                self.terms.len() - 1
            };
            if let Some(list) = self.term_concepts.get_mut(id)
                && !list.contains(&concept)
            {
                list.push(concept);
            }
        }
        Ok(())
    }

    /// A concept named by a part: defined, or a special one.
    fn named(
        &mut self,
        name: &str,
        defined: &BTreeMap<String, Vec<String>>,
        part: &str,
    ) -> Result<usize, VocabularyError> {
        if defined.contains_key(name) || matches!(name, "law" | "form_name" | "system_name") {
            return self.concept(name);
        }
        if let Some(law) = name.strip_prefix("law:") {
            let id = self.concept(name)?;
            if !self.law_concepts.iter().any(|(_, c)| *c == id) {
                self.law_concepts.push((law.to_owned(), id));
            }
            return Ok(id);
        }
        Err(VocabularyError(format!(
            "part `{part}` names unknown concept `{name}`"
        )))
    }

    fn set(
        &mut self,
        names: &[String],
        defined: &BTreeMap<String, Vec<String>>,
        part: &str,
    ) -> Result<(Vec<usize>, ConceptSet), VocabularyError> {
        let mut ids = Vec::new();
        let mut set = ConceptSet::default();
        for name in names {
            let id = self.named(name, defined, part)?;
            ids.push(id);
            set.insert(id);
        }
        Ok((ids, set))
    }
}

/// Character bigrams of the letters of `text` (punctuation and spaces
/// dropped), sorted, each once. A bigram is one integer, the first
/// character's code above the second's: sorting and comparing them is that
/// of the pairs of characters, at the cost of one number.
#[must_use]
pub fn bigrams(text: &str) -> Vec<u64> {
    // One pass over the letters, into one vector.
    let mut out: Vec<u64> = Vec::with_capacity(text.len() / 3 + 1);
    out.extend(letter_pairs(text));
    out.sort_unstable();
    out.dedup();
    out
}

/// Each pair of letters in turn, as one integer: the bigrams of `text`
/// with repeats, in order.
fn letter_pairs(text: &str) -> impl Iterator<Item = u64> + '_ {
    let mut previous: Option<char> = None;
    text.chars()
        .filter(|&c| super::units::is_letter(c))
        .filter_map(move |c| {
            let pair = previous.map(|p| (u64::from(p) << 32) | u64::from(c));
            previous = Some(c);
            pair
        })
}

impl Vocabulary {
    /// Parse the vocabulary file.
    ///
    /// # Errors
    /// When it does not parse, a part names an unknown concept, a pattern or
    /// topic is empty, or there are too many concepts.
    pub fn from_toml(text: &str) -> Result<Self, VocabularyError> {
        let file: VocabularyFile =
            toml::from_str(text).map_err(|e| VocabularyError(e.to_string()))?;
        Self::from_file(file)
    }

    /// The embedded vocabulary: `data/vocabulary.toml` as the JSON
    /// `build.rs` wrote from it, or the TOML itself when there is none.
    ///
    /// # Errors
    /// As [`Vocabulary::from_toml`].
    pub fn embedded() -> Result<Self, VocabularyError> {
        match embedded::VOCABULARY_JSON.map(serde_json::from_str::<VocabularyFile>) {
            Some(Ok(file)) => Self::from_file(file),
            _ => Self::from_toml(embedded::VOCABULARY_TOML),
        }
    }

    fn from_file(file: VocabularyFile) -> Result<Self, VocabularyError> {
        let mut b = Builder {
            names: Vec::new(),
            terms: Vec::new(),
            term_ids: foldhash::HashMap::default(),
            term_concepts: Vec::new(),
            law_concepts: Vec::new(),
        };
        let cue_lists: [(&str, &Vec<String>); 13] = [
            ("~predicate", &file.cues.predicate),
            ("~negation", &file.cues.negation),
            ("~not_negation", &file.cues.not_negation),
            ("~regulating", &file.cues.regulating),
            ("~placeholder", &file.cues.placeholder),
            ("~omitted", &file.cues.omitted),
            ("~refer_back", &file.cues.refer_back),
            ("~history", &file.cues.history),
            ("~checklist", &file.cues.checklist),
            ("~past", &file.cues.past),
            ("~commitment", &file.cues.commitment),
            ("~frame", &file.cues.frame),
            ("~vague", &file.cues.vague),
        ];
        let cue_terms: BTreeMap<String, Vec<String>> = cue_lists
            .iter()
            .map(|(name, terms)| (name.trim_start_matches('~').to_owned(), (*terms).clone()))
            .collect();
        let mut cue_ids = [0usize; 13];
        for ((name, terms), slot) in cue_lists.iter().zip(cue_ids.iter_mut()) {
            let id = b.concept(name)?;
            b.terms(id, terms)?;
            *slot = id;
        }
        let [
            predicate,
            negation,
            not_negation,
            regulating,
            placeholder,
            omitted,
            refer_back,
            history,
            checklist,
            past,
            commitment,
            frame,
            vague,
        ] = cue_ids;
        let cues = CueIds {
            predicate,
            negation,
            not_negation,
            regulating,
            placeholder,
            omitted,
            refer_back,
            history,
            checklist,
            past,
            commitment,
            frame,
            vague,
            law: b.concept("law")?,
            form_name: b.concept("form_name")?,
            system_name: b.concept("system_name")?,
            first_concept: b.names.len(),
        };
        for (name, terms) in &file.concepts {
            if terms.is_empty() {
                return Err(VocabularyError(format!("concept `{name}` has no terms")));
            }
            let id = b.concept(name)?;
            b.terms(id, terms)?;
        }
        let mut parts = Vec::new();
        for def in file.part {
            let (_, topic) = b.set(&def.topic, &file.concepts, &def.key)?;
            if topic.is_empty() {
                return Err(VocabularyError(format!("part `{}` has no topic", def.key)));
            }
            let mut content = Vec::new();
            let mut mentions = topic;
            for c in &def.content {
                let (all, set) = b.set(&c.all, &file.concepts, &def.key)?;
                if all.is_empty() {
                    return Err(VocabularyError(format!(
                        "part `{}` has an empty content pattern",
                        def.key
                    )));
                }
                let (_, not) = b.set(&c.not, &file.concepts, &def.key)?;
                mentions = mentions.union(&set);
                content.push(Content {
                    all,
                    set,
                    not,
                    scope: c.scope,
                    ordered: c.ordered,
                    within: c.within.map(|n| n.saturating_mul(3)),
                });
            }
            if content.is_empty() {
                return Err(VocabularyError(format!(
                    "part `{}` has no content pattern",
                    def.key
                )));
            }
            let restates = def.restates.iter().map(|t| bigrams(t)).collect();
            parts.push(Part {
                def,
                topic,
                content,
                mentions,
                restates,
            });
        }
        let restate_grams = parts
            .iter()
            .flat_map(|p| p.restates.iter().flatten().copied())
            .collect();
        // A DFA: the pass over a document is one table step per byte
        // ([`Terms`]). `build.rs` compiled the embedded vocabulary's terms,
        // read from the same file in the same order; its table serves when
        // they are exactly these terms, and any other vocabulary (a test's)
        // is compiled here.
        let same = b
            .terms
            .iter()
            .map(String::as_str)
            .eq(embedded::VOCABULARY_TERMS.iter().copied());
        let matcher = match same
            .then(|| Terms::embedded(&b.terms, embedded::VOCABULARY_TABLE))
            .flatten()
        {
            Some(terms) => terms,
            None => Terms::new(&b.terms).map_err(|e| VocabularyError(e.to_string()))?,
        };
        Ok(Self {
            parts,
            matcher,
            term_concepts: b.term_concepts,
            concept_terms: file.concepts,
            cue_terms,
            names: b.names,
            law_concepts: b.law_concepts,
            cues,
            merged: Vec::new(),
            restate_grams,
        })
    }

    /// The vocabulary that also knows the merged counties, whose bodies a
    /// document may still name (`DocumentFacts::merged_names`).
    #[must_use]
    pub fn with_merged(mut self, merged: &[Merged]) -> Self {
        self.merged = merged.to_vec();
        self
    }

    /// The merged counties the document is read for.
    #[must_use]
    pub fn merged(&self) -> &[Merged] {
        &self.merged
    }

    /// The parts, in file order.
    #[must_use]
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// The part with this key.
    #[must_use]
    pub fn part(&self, key: &str) -> Option<&Part> {
        self.parts.iter().find(|p| p.def.key == key)
    }

    /// Whether `text`, of at most `most` bigrams, could restate any part's
    /// item text: at most 15 % of its distinct bigrams may lie outside an
    /// item (`Reader::restates` needs `common` ≥ 85 % of the text's
    /// bigrams), so at most that many outside all of them. A necessary
    /// condition, read in one pass without sorting or allocating, that
    /// stops as soon as it fails: most sentences fail it within their
    /// first few bigrams, and their bigrams are never collected.
    #[must_use]
    pub fn could_restate(&self, text: &str, most: usize) -> bool {
        // A lower bound of the distinct bigrams outside every item, told
        // apart by a linear search: it stops long before many. Past 16 of
        // them (a long text of few repeated bigrams) the bigrams are read.
        let mut outside = [0u64; 16];
        let mut distinct_outside = 0usize;
        let mut outside_occurrences = 0usize;
        let mut inside = 0usize;
        for gram in letter_pairs(text) {
            if self.restate_grams.contains(&gram) {
                inside += 1;
                continue;
            }
            outside_occurrences += 1;
            let seen = outside.get(..distinct_outside).unwrap_or(&[]);
            if !seen.contains(&gram) {
                let Some(slot) = outside.get_mut(distinct_outside) else {
                    return true;
                };
                *slot = gram;
                distinct_outside += 1;
            }
            // The bigrams inside are at most those not outside.
            if distinct_outside * 85 > most.saturating_sub(outside_occurrences) * 15 {
                return false;
            }
        }
        // The distinct bigrams inside are at most the occurrences inside.
        distinct_outside * 85 <= inside * 15
    }

    /// The fixed-role cues.
    #[must_use]
    pub fn cues(&self) -> CueIds {
        self.cues
    }

    /// A concept's name.
    #[must_use]
    pub fn concept_name(&self, id: usize) -> &str {
        self.names.get(id).map_or("", String::as_str)
    }

    /// The terms of the cue named `name` (`negation`, `placeholder`,
    /// `omitted`, `predicate`, …), in file order; empty for an unknown name.
    #[must_use]
    pub fn cue_terms(&self, name: &str) -> &[String] {
        self.cue_terms.get(name).map_or(&[], Vec::as_slice)
    }

    /// The first `n` terms of the concept named `name`, in file order (what a
    /// message shows of a concept a sentence lacks).
    #[must_use]
    pub fn concept_terms(&self, name: &str, n: usize) -> Vec<&str> {
        self.concept_terms
            .get(name)
            .map(|terms| terms.iter().take(n).map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// The `law:<id>` concept of a law, if a part names it.
    #[must_use]
    pub fn law_concept(&self, law_id: &str) -> Option<usize> {
        self.law_concepts
            .iter()
            .find(|(id, _)| id == law_id)
            .map(|(_, c)| *c)
    }

    /// Every concept occurrence in `text`, one pass, in the order of
    /// [`Hit::order_key`] (start, end, concept). Occurrences that overlap a
    /// `masked` span are dropped (`masked` sorted by start, not overlapping).
    #[must_use]
    pub fn scan(&self, text: &str, masked: &[Span]) -> Vec<Hit> {
        let mut hits: Vec<Hit> = Vec::with_capacity(text.len() / 4);
        // The masks that may still overlap a term: matches end in order, and
        // a term is no longer than the longest.
        let longest = self.matcher.longest();
        let mut masks = masked;
        self.matcher.each(text, |term, start, end| {
            let earliest = end.saturating_sub(longest);
            while let Some((first, rest)) = masks.split_first()
                && first.end <= earliest
            {
                masks = rest;
            }
            let span = Span::new(start, end);
            if masked_overlap(masks, span) {
                return;
            }
            for &concept in self.term_concepts.get(term).map_or(&[][..], Vec::as_slice) {
                // Matches come in order of end, so a hit goes after all but
                // the few that start inside its term: put in its place from
                // the end, not sorted after.
                // Every hit so far ends at or before this one, so the
                // order (start, end, concept) is told by the start first.
                let hit = Hit { span, concept };
                let at = hits
                    .iter()
                    .rposition(|h| {
                        h.span.start < start
                            || (h.span.start == start && (h.span.end, h.concept) < (end, concept))
                    })
                    .map_or(0, |i| i + 1);
                hits.insert(at, hit);
            }
        });
        hits
    }
}

/// Whether `span` overlaps one of `masked` (sorted by start, not
/// overlapping; the few that end before it are passed over).
fn masked_overlap(masked: &[Span], span: Span) -> bool {
    masked
        .iter()
        .find(|s| s.end > span.start)
        .is_some_and(|s| s.start < span.end)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::panic, reason = "tests fail loudly")]
    use super::*;
    use crate::extract::table;

    /// Start-up never compiles the embedded vocabulary: `build.rs` read
    /// the same terms, in the same order, and its table is the one this
    /// build would compile from them.
    #[test]
    fn the_embedded_vocabulary_walks_the_table_build_rs_compiled() {
        let vocabulary =
            Vocabulary::from_toml(embedded::VOCABULARY_TOML).unwrap_or_else(|e| panic!("{e}"));
        assert!(vocabulary.matcher.is_embedded());
        assert!(embedded::VOCABULARY_TERMS.len() > 100);
        let here = table::compile(embedded::VOCABULARY_TERMS).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            here == embedded::VOCABULARY_TABLE,
            "build.rs compiled another table"
        );
    }

    fn embedded_vocabulary() -> &'static Vocabulary {
        static V: std::sync::OnceLock<Vocabulary> = std::sync::OnceLock::new();
        V.get_or_init(|| {
            Vocabulary::from_toml(embedded::VOCABULARY_TOML).unwrap_or_else(|e| panic!("{e}"))
        })
    }

    /// The bigrams a text has at most: one fewer than its letters.
    fn most_bigrams(text: &str) -> usize {
        text.chars()
            .filter(|&c| super::super::units::is_letter(c))
            .count()
            .saturating_sub(1)
    }

    /// Each item text restates itself, and the quick test lets it through.
    #[test]
    fn an_item_text_could_restate_and_does() {
        let v = embedded_vocabulary();
        for part in &v.parts {
            for (text, grams) in part.def.restates.iter().zip(&part.restates) {
                assert!(v.could_restate(text, most_bigrams(text)), "{text}");
                assert!(super::super::Reader::restates(part, grams), "{text}");
            }
        }
    }

    proptest::proptest! {
        /// The quick test never turns away a text that restates an item:
        /// pieces of item texts, with other words between them.
        #[test]
        fn the_quick_test_never_turns_away_a_restatement(
            picks in proptest::collection::vec((0usize..1000, 0usize..60, 0usize..60), 1..4),
            noise in "[本局所應訂定之，。使用者資料規範a1]{0,8}",
        ) {
            let v = embedded_vocabulary();
            let items: Vec<Vec<char>> = v
                .parts
                .iter()
                .flat_map(|p| p.def.restates.iter().map(|t| t.chars().collect()))
                .collect();
            let mut text = String::new();
            for (i, a, b) in picks {
                let Some(item) = items.get(i % items.len().max(1)) else { continue };
                let start = a % item.len().max(1);
                let end = (start + b % (item.len() + 1)).min(item.len());
                text.extend(item.get(start..end).unwrap_or(&[]));
                text.push_str(&noise);
            }
            let grams = bigrams(&text);
            if !v.could_restate(&text, most_bigrams(&text)) {
                for part in &v.parts {
                    proptest::prop_assert!(!super::super::Reader::restates(part, &grams), "{}: {}", part.def.key, text);
                }
            }
        }
    }

    /// The pass gives every occurrence of every concept outside the masks,
    /// in the order of [`Hit::order_key`]: what sorting all of them gives.
    #[test]
    fn the_pass_gives_each_concepts_occurrences_in_order() {
        let vocabulary =
            Vocabulary::from_toml(embedded::VOCABULARY_TOML).unwrap_or_else(|e| panic!("{e}"));
        let text = "二、資料安全管制：（一）使用者應以本人之自然人憑證登入，不得借予他人。\n\
                    （二）使用個人資料保護法所定之個人資料，應依「查詢申請單」辦理；\
                    離開電腦時應退出作業環境並抽取自然人憑證。";
        let masked = [Span::new(
            text.find("個人資料保護法").unwrap_or(0),
            text.find("所定").unwrap_or(0),
        )];
        let hits = vocabulary.scan(text, &masked);
        let mut expected: Vec<Hit> = Vec::new();
        vocabulary.matcher.each(text, |term, start, end| {
            let span = Span::new(start, end);
            if masked.iter().any(|m| m.start < end && start < m.end) {
                return;
            }
            for &concept in vocabulary
                .term_concepts
                .get(term)
                .map_or(&[][..], Vec::as_slice)
            {
                expected.push(Hit { span, concept });
            }
        });
        expected.sort_by_key(Hit::order_key);
        assert!(expected.len() > 20, "{}", expected.len());
        assert_eq!(hits, expected);
    }

    /// The JSON `build.rs` wrote is the vocabulary file: read from it, the
    /// vocabulary is the one read from the TOML.
    #[test]
    fn the_embedded_json_is_the_vocabulary_file() {
        assert!(embedded::VOCABULARY_JSON.is_some());
        let from_json = Vocabulary::embedded().unwrap_or_else(|e| panic!("{e}"));
        let from_toml =
            Vocabulary::from_toml(embedded::VOCABULARY_TOML).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(format!("{from_json:?}"), format!("{from_toml:?}"));
    }

    /// Another vocabulary (here: one term fewer) is compiled at start-up.
    #[test]
    fn another_vocabulary_is_compiled_at_start_up() {
        let text = embedded::VOCABULARY_TOML.replacen("\"不適用\"", "\"不適用之\"", 1);
        assert_ne!(text, embedded::VOCABULARY_TOML);
        let vocabulary = Vocabulary::from_toml(&text).unwrap_or_else(|e| panic!("{e}"));
        assert!(!vocabulary.matcher.is_embedded());
    }
}
