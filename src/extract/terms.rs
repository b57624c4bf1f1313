//! Every occurrence of a set of terms in a text, by one walk of an
//! Aho-Corasick DFA: a table step per byte and, at a match state, each term
//! that ends there. The crate's own iterators do the same with more work per
//! byte (a prefilter that, for Chinese text, stops at nearly every
//! character, and the bookkeeping of a resumable search). It is the
//! vocabulary's pass over a document (`Vocabulary::scan`).

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, BuildError, MatchKind};

/// A set of terms, none of them empty, compiled once.
#[derive(Debug, Clone)]
pub struct Terms {
    dfa: DFA,
}

impl Terms {
    /// Compile the terms (each must be non-empty: the callers check it).
    ///
    /// # Errors
    /// When the automaton would be too large.
    pub fn new<P: AsRef<[u8]>>(terms: &[P]) -> Result<Self, BuildError> {
        let dfa = DFA::builder()
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .build(terms)?;
        Ok(Self { dfa })
    }

    /// The length of the longest term, in bytes.
    #[must_use]
    pub fn longest(&self) -> usize {
        self.dfa.max_pattern_len()
    }

    /// Call `found(term, start, end)` for every occurrence of every term,
    /// in order of end (overlapping occurrences included).
    pub fn each(&self, text: &str, mut found: impl FnMut(usize, usize, usize)) {
        let dfa = &self.dfa;
        let Ok(mut state) = dfa.start_state(Anchored::No) else {
            return;
        };
        for (i, &byte) in text.as_bytes().iter().enumerate() {
            state = dfa.next_state(Anchored::No, state, byte);
            if !dfa.is_special(state) {
                continue;
            }
            if dfa.is_dead(state) {
                return;
            }
            if !dfa.is_match(state) {
                continue;
            }
            let end = i + 1;
            for k in 0..dfa.match_len(state) {
                let term = dfa.match_pattern(state, k);
                found(
                    term.as_usize(),
                    end.saturating_sub(dfa.pattern_len(term)),
                    end,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::panic, reason = "tests fail loudly")]
    use super::*;
    use aho_corasick::AhoCorasick;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// The walk finds what the crate's own overlapping search finds.
        #[test]
        fn the_walk_finds_what_the_crates_searches_do(
            terms in proptest::collection::vec("[個資法人料保護條例]{1,5}", 1..12),
            text in "[個資法人料保護條例a，]{0,60}",
        ) {
            let walk = Terms::new(&terms).unwrap_or_else(|e| panic!("{e}"));
            let mut mine = Vec::new();
            walk.each(&text, |t, s, e| mine.push((t, s, e)));
            mine.sort_unstable();
            let standard = AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&terms)
                .unwrap_or_else(|e| panic!("{e}"));
            let mut theirs: Vec<(usize, usize, usize)> = standard
                .find_overlapping_iter(&text)
                .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
                .collect();
            theirs.sort_unstable();
            prop_assert_eq!(mine, theirs);
        }
    }
}
