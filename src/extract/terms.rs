//! Every occurrence of a set of terms in a text, by one walk of a DFA's
//! table ([`super::table`]): a table step per byte and, at a match state,
//! each term that ends there. The aho-corasick crate's own iterators do the
//! same with more work per byte (a prefilter that, for Chinese text, stops
//! at nearly every character, and the bookkeeping of a resumable search),
//! and building its DFA was a third of a single check's start-up: the
//! vocabulary's table is built by `build.rs` and embedded. It is the
//! vocabulary's pass over a document (`Vocabulary::scan`).

use std::borrow::Cow;

use super::table;

/// A set of terms, none of them empty, compiled once.
#[derive(Debug, Clone)]
pub struct Terms {
    bytes: Cow<'static, [u8]>,
    classes: [u8; 256],
    /// The number of classes: a state's row is this long.
    stride: u32,
    start: u32,
    /// States below this one are dead or match states.
    special: u32,
    /// Where the transitions, the match states' starts and their terms lie
    /// in `bytes`.
    transitions: std::ops::Range<usize>,
    starts: std::ops::Range<usize>,
    ids: std::ops::Range<usize>,
    /// The length of each term, in bytes.
    lens: Vec<u32>,
    /// Whether the table is the one `build.rs` made.
    embedded: bool,
}

/// The little-endian `u32`s of `bytes`, four bytes each.
fn words(bytes: &[u8]) -> &[[u8; 4]] {
    bytes.as_chunks::<4>().0
}

/// The `k`-th of `words`.
fn word(words: &[[u8; 4]], k: usize) -> Option<u32> {
    words.get(k).map(|w| u32::from_le_bytes(*w))
}

impl Terms {
    /// Compile the terms (each must be non-empty: the callers check it).
    ///
    /// # Errors
    /// When the automaton would be too large (or, a defect, its table does
    /// not read back).
    pub fn new<P: AsRef<[u8]>>(terms: &[P]) -> Result<Self, String> {
        let bytes = table::compile(terms).map_err(|e| e.to_string())?;
        let lens = terms.iter().map(|t| len32(t.as_ref().len())).collect();
        Self::read(Cow::Owned(bytes), lens, false)
            .ok_or_else(|| "the compiled table does not read back".to_owned())
    }

    /// The table `build.rs` compiled from exactly these terms (`table`);
    /// `None` when it is not a table of that many terms.
    #[must_use]
    pub fn embedded<P: AsRef<[u8]>>(terms: &[P], table: &'static [u8]) -> Option<Self> {
        let lens = terms.iter().map(|t| len32(t.as_ref().len())).collect();
        Self::read(Cow::Borrowed(table), lens, true)
    }

    /// Whether this is a table `build.rs` made (the tests check that the
    /// vocabulary's is).
    #[must_use]
    pub fn is_embedded(&self) -> bool {
        self.embedded
    }

    /// Read a table's header and check that its parts fit in it and that
    /// its terms are among `lens`.
    fn read(bytes: Cow<'static, [u8]>, lens: Vec<u32>, embedded: bool) -> Option<Self> {
        let b: &[u8] = &bytes;
        if b.get(..8)? != table::MAGIC.as_slice() {
            return None;
        }
        let head = b.get(8..table::HEADER)?;
        let numbers = words(head.get(..24)?);
        let n = |k: usize| word(numbers, k).and_then(|w| usize::try_from(w).ok());
        let (stride, states, start, special, matching, id_count) = (
            n(0)?,
            n(1)?,
            word(numbers, 2)?,
            word(numbers, 3)?,
            n(4)?,
            n(5)?,
        );
        let classes: [u8; 256] = head.get(24..)?.try_into().ok()?;
        let rows = stride.checked_mul(states)?;
        let transitions = table::HEADER..table::HEADER.checked_add(rows.checked_mul(4)?)?;
        let starts = transitions.end
            ..transitions
                .end
                .checked_add(matching.checked_add(1)?.checked_mul(4)?)?;
        let ids = starts.end..starts.end.checked_add(id_count.checked_mul(4)?)?;
        if ids.end != b.len() || usize::try_from(special).ok()? > rows {
            return None;
        }
        let terms = lens.len();
        let fits = words(b.get(ids.clone())?)
            .iter()
            .all(|w| usize::try_from(u32::from_le_bytes(*w)).is_ok_and(|t| t < terms));
        let stride = u32::try_from(stride).ok().filter(|&s| s > 0)?;
        fits.then_some(Self {
            bytes,
            classes,
            stride,
            start,
            special,
            transitions,
            starts,
            ids,
            lens,
            embedded,
        })
    }

    /// The length of the longest term, in bytes.
    #[must_use]
    pub fn longest(&self) -> usize {
        self.lens.iter().max().map_or(0, |&l| l as usize)
    }

    /// Call `found(term, start, end)` for every occurrence of every term,
    /// in order of end (overlapping occurrences included).
    pub fn each(&self, text: &str, mut found: impl FnMut(usize, usize, usize)) {
        let bytes: &[u8] = &self.bytes;
        let part = |range: &std::ops::Range<usize>| bytes.get(range.clone()).map(words);
        let (Some(table), Some(starts), Some(ids)) =
            (part(&self.transitions), part(&self.starts), part(&self.ids))
        else {
            return;
        };
        let (classes, special) = (&self.classes, self.special);
        let mut state = self.start;
        for (i, &byte) in text.as_bytes().iter().enumerate() {
            let class = classes.get(usize::from(byte)).copied().unwrap_or(0);
            // One bounds check and one load a byte.
            let Some(next) = table.get(state as usize + usize::from(class)) else {
                return;
            };
            state = u32::from_le_bytes(*next);
            if state >= special {
                continue;
            }
            if state == 0 {
                return;
            }
            // Match state `m` (from 1) is row `m`.
            let m = (state / self.stride) as usize - 1;
            let (Some(from), Some(to)) = (word(starts, m), word(starts, m + 1)) else {
                return;
            };
            let end = i + 1;
            for k in from..to {
                let Some(term) = word(ids, k as usize) else {
                    return;
                };
                let len = self.lens.get(term as usize).map_or(0, |&l| l as usize);
                found(term as usize, end.saturating_sub(len), end);
            }
        }
    }
}

fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::panic, reason = "tests fail loudly")]
    use super::*;
    use aho_corasick::{AhoCorasick, MatchKind};
    use proptest::prelude::*;

    /// A table that is not whole, or names more terms than it is given,
    /// is refused: the walk never reads past one.
    #[test]
    fn a_broken_table_is_refused() {
        let terms = ["資料", "個人資料", "保護"];
        let bytes = table::compile(&terms).unwrap_or_else(|e| panic!("{e}"));
        let leaked: &'static [u8] = Vec::leak(bytes.clone());
        assert!(Terms::embedded(&terms, leaked).is_some());
        assert!(
            Terms::embedded(&terms[..2], leaked).is_none(),
            "a term id past the list"
        );
        for cut in [0, 7, table::HEADER, bytes.len() - 1] {
            let short: &'static [u8] = Vec::leak(bytes.get(..cut).unwrap_or(&[]).to_vec());
            assert!(Terms::embedded(&terms, short).is_none(), "cut at {cut}");
        }
        let mut other = bytes;
        if let Some(first) = other.first_mut() {
            *first = b'x';
        }
        assert!(Terms::embedded(&terms, Vec::leak(other)).is_none());
    }

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
