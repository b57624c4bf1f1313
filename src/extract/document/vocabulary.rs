//! The wording vocabulary (`data/vocabulary.toml`): which terms locate each
//! part of the rules document, and which terms mark a placeholder or a
//! negation. Loaded once; one Aho-Corasick pass finds every term in a text.

use std::collections::BTreeMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;

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
    /// Groups of terms; every group must have a term in the text.
    pub all: Vec<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Terms {
    terms: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabularyFile {
    groups: BTreeMap<String, Vec<String>>,
    placeholders: Terms,
    negations: Terms,
    part: Vec<PartDef>,
}

/// A part with its groups resolved to term ids.
#[derive(Debug)]
pub struct Part {
    /// The part as written.
    pub def: PartDef,
    groups: Vec<Vec<usize>>,
}

/// The set of vocabulary terms found in one text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermSet(Vec<u64>);

impl TermSet {
    fn insert(&mut self, id: usize) {
        let word = id / 64;
        if self.0.len() <= word {
            self.0.resize(word + 1, 0);
        }
        if let Some(w) = self.0.get_mut(word) {
            *w |= 1 << (id % 64);
        }
    }

    fn contains(&self, id: usize) -> bool {
        self.0
            .get(id / 64)
            .is_some_and(|w| w & (1 << (id % 64)) != 0)
    }

    fn contains_any(&self, ids: &[usize]) -> bool {
        ids.iter().any(|&id| self.contains(id))
    }

    /// Add every term of `other`.
    pub fn union(&mut self, other: &TermSet) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }
}

/// The loaded vocabulary.
#[derive(Debug)]
pub struct Vocabulary {
    parts: Vec<Part>,
    matcher: AhoCorasick,
    placeholders: Vec<usize>,
    negations: Vec<usize>,
}

/// An error in the vocabulary file.
#[derive(Debug, thiserror::Error)]
#[error("invalid vocabulary: {0}")]
pub struct VocabularyError(String);

impl Vocabulary {
    /// Parse the vocabulary file.
    ///
    /// # Errors
    /// When it does not parse, names an unknown `@group`, or has an empty group.
    pub fn from_toml(text: &str) -> Result<Self, VocabularyError> {
        let file: VocabularyFile =
            toml::from_str(text).map_err(|e| VocabularyError(e.to_string()))?;
        let mut terms: Vec<String> = Vec::new();
        let id_of = |term: &str, terms: &mut Vec<String>| {
            if let Some(i) = terms.iter().position(|t| t == term) {
                i
            } else {
                terms.push(term.to_owned());
                terms.len() - 1
            }
        };
        let mut parts = Vec::new();
        for def in file.part {
            let mut groups = Vec::new();
            for group in &def.all {
                let mut ids = Vec::new();
                for term in group {
                    if let Some(name) = term.strip_prefix('@') {
                        let shared = file.groups.get(name).ok_or_else(|| {
                            VocabularyError(format!(
                                "part `{}` names unknown group `@{name}`",
                                def.key
                            ))
                        })?;
                        ids.extend(shared.iter().map(|t| id_of(t, &mut terms)));
                    } else {
                        ids.push(id_of(term, &mut terms));
                    }
                }
                if ids.is_empty() {
                    return Err(VocabularyError(format!(
                        "part `{}` has an empty group",
                        def.key
                    )));
                }
                groups.push(ids);
            }
            if groups.is_empty() {
                return Err(VocabularyError(format!("part `{}` has no terms", def.key)));
            }
            parts.push(Part { def, groups });
        }
        let placeholders = file
            .placeholders
            .terms
            .iter()
            .map(|t| id_of(t, &mut terms))
            .collect();
        let negations = file
            .negations
            .terms
            .iter()
            .map(|t| id_of(t, &mut terms))
            .collect();
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&terms)
            .map_err(|e| VocabularyError(e.to_string()))?;
        Ok(Self {
            parts,
            matcher,
            placeholders,
            negations,
        })
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

    /// Every term that occurs in `text` (overlapping occurrences included).
    #[must_use]
    pub fn terms_in(&self, text: &str) -> TermSet {
        let mut set = TermSet::default();
        for m in self.matcher.find_overlapping_iter(text) {
            set.insert(m.pattern().as_usize());
        }
        set
    }

    /// Whether the terms found name the part.
    #[must_use]
    pub fn names(&self, part: &Part, terms: &TermSet) -> bool {
        part.groups.iter().all(|g| terms.contains_any(g))
    }

    /// Whether the terms include any term of the part (it is mentioned,
    /// not necessarily named in full).
    #[must_use]
    pub fn mentions(&self, part: &Part, terms: &TermSet) -> bool {
        part.groups.iter().any(|g| terms.contains_any(g))
    }

    /// Whether the terms include a placeholder (另定之).
    #[must_use]
    pub fn is_placeholder(&self, terms: &TermSet) -> bool {
        terms.contains_any(&self.placeholders)
    }

    /// Whether the terms include a negation (不涉及).
    #[must_use]
    pub fn is_negated(&self, terms: &TermSet) -> bool {
        terms.contains_any(&self.negations)
    }
}
