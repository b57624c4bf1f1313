//! Masking of personal data in every output: national ID numbers anywhere
//! (ASCII or full-width, upper or lower case), and the personal values a
//! submission's configuration declares (personnel numbers, certificate
//! serials, users' names). Shown only with `--show-personal-data`.
//!
//! Masking keeps every byte offset and every character count, so spans and
//! columns computed on the original text still fit the masked one: each
//! hidden character is replaced by a mask character of the same UTF-8
//! length (`*` for one byte, `×` for two, `＊` for three, `🞶` for four).
//! A national ID number keeps its first letter; a declared value of four
//! characters or more keeps its first character.
//!
//! A declared value is hidden where it stands as a whole: not inside a
//! longer run of letters and digits (`TP-0001` is hidden, `TP-00012` is not
//! `TP-0001`). A value of fewer than three characters (two for a name in
//! Chinese characters) is too short to be told from dates and article
//! numbers, so it is hidden only where it stands alone as YAML and messages
//! write it: between quotes (`"7"`, `` `7` ``, 「7」) or as the value of a
//! `key: 7` — never inside `第7條`, `2026-11-07` or a diff's `@@ -40,7 @@`.
#![deny(clippy::arithmetic_side_effects)]

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use crate::extract::config::AccessConfig;

/// The personnel numbers, certificate serials and users' names of a
/// configuration: what reports mask unless personal data are shown.
/// Longest first, so a value inside another is not masked half.
#[must_use]
pub fn personal_values(config: &AccessConfig) -> Vec<String> {
    let mut values: Vec<&str> = config
        .users
        .iter()
        .flat_map(|u| {
            let user = u.value();
            let serial = user.certificate.get().and_then(|c| c.serial.get());
            user.personnel_id
                .get()
                .into_iter()
                .chain(serial)
                .chain(user.name.get())
        })
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    // Sorted and made unique as borrowed text: only what is kept is copied.
    values.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    values.dedup();
    values.into_iter().map(str::to_owned).collect()
}

/// The personal values written in a configuration that could not be
/// parsed (so [`personal_values`] has nothing to go on), read line by line:
/// every `personnel_id:` and `serial:` value, and every `name:` value after
/// `users:`, block or flow style, quotes removed; a key misspelt by a
/// letter or two (`serail:`) counts as the key it was meant to be. Error messages and the
/// lines they show are masked with these.
#[must_use]
pub fn declared_in_yaml(text: &str) -> Vec<String> {
    let mut values = Vec::new();
    let mut in_users = false;
    for line in text.lines() {
        if line.starts_with("users:") {
            in_users = true;
        }
        for item in line.split([',', '{', '}']) {
            let item = item.trim_start().trim_start_matches(['-', ' ']);
            let Some((key, value)) = item.split_once(':') else {
                continue;
            };
            // A misspelt key (`serail:`) is what made the file fail: its
            // value is personal all the same.
            let key = key.trim();
            let near =
                |name: &str, by: usize| crate::extract::config::edit_distance(key, name) <= by;
            let personal =
                near("personnel_id", 3) || near("serial", 2) || (in_users && near("name", 1));
            if !personal {
                continue;
            }
            let value = value.trim();
            let value = match value.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    value.get(1..).and_then(|v| v.split(q).next()).unwrap_or("")
                }
                _ => value.split(" #").next().unwrap_or("").trim(),
            };
            if !value.is_empty() && value != "null" && value != "~" {
                values.push(value.to_owned());
            }
        }
    }
    values.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    values.dedup();
    values
}

/// A character as ASCII if it is the full-width form of one (`Ａ` → `A`).
fn narrow(c: char) -> char {
    let code = u32::from(c);
    if (0xFF01..=0xFF5E).contains(&code) {
        code.checked_sub(0xFEE0)
            .and_then(char::from_u32)
            .unwrap_or(c)
    } else {
        c
    }
}

fn is_word(c: char) -> bool {
    narrow(c).is_ascii_alphanumeric()
}

/// The byte ranges of national ID and resident certificate numbers in
/// `text`: a letter, then 1, 2, 8, 9 or A–D, then eight digits, in any
/// width and case, not inside a longer run of letters and digits.
fn id_numbers(text: &str) -> Vec<(usize, usize)> {
    // A number has eight digits in a row: most texts have none, and are
    // passed over without listing their characters.
    let mut run = 0_u32;
    let has_run = text.chars().any(|c| {
        run = if narrow(c).is_ascii_digit() {
            run.saturating_add(1)
        } else {
            0
        };
        run >= 8
    });
    if !has_run {
        return Vec::new();
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(&(start, first)) = chars.get(i) {
        let before_ok = i == 0
            || !chars
                .get(i.wrapping_sub(1))
                .is_some_and(|&(_, c)| is_word(c));
        let window = chars.get(i..i.saturating_add(10));
        let after_ok = !chars
            .get(i.saturating_add(10))
            .is_some_and(|&(_, c)| is_word(c));
        let is_id = before_ok
            && after_ok
            && narrow(first).is_ascii_alphabetic()
            && window.is_some_and(|w| {
                w.len() == 10
                    && w.get(1).is_some_and(|&(_, c)| {
                        matches!(
                            narrow(c).to_ascii_uppercase(),
                            '1' | '2' | '8' | '9' | 'A'..='D'
                        )
                    })
                    && w.get(2..)
                        .is_some_and(|d| d.iter().all(|&(_, c)| narrow(c).is_ascii_digit()))
            });
        if is_id {
            let end = chars
                .get(i.saturating_add(10))
                .map_or(text.len(), |&(b, _)| b);
            // The first letter stays readable.
            found.push((start.saturating_add(first.len_utf8()), end));
            i = i.saturating_add(10);
        } else {
            i = i.saturating_add(1);
        }
    }
    found
}

/// Whether a short value at `start..end` stands alone: quoted (`"7"`,
/// `` `7` ``, 「7」), or a YAML value (`personnel_id: 7`).
fn short_stands_alone(text: &str, start: usize, end: usize) -> bool {
    let mut before = text.get(..start).unwrap_or("").chars().rev();
    let after = text.get(end..).and_then(|t| t.chars().next());
    let opens = |c: char| matches!(c, '"' | '\'' | '`' | '「' | '『' | '“');
    let closes = |c: char| matches!(c, '"' | '\'' | '`' | '」' | '』' | '”');
    match (before.next(), after) {
        (Some(b), Some(a)) if opens(b) && closes(a) => true,
        (Some(' '), a) => {
            matches!(before.next(), Some(':' | '：'))
                && a.is_none_or(|a| a.is_whitespace() || matches!(a, ',' | '}' | ']' | '#'))
        }
        _ => false,
    }
}

/// Whether the occurrence of `value` at `start..end` of `text` stands as a
/// whole value (see the module documentation).
fn stands_alone(text: &str, start: usize, end: usize, value: &str) -> bool {
    let count = value.chars().count();
    let short = if value.is_ascii() {
        count < 3
    } else {
        count < 2
    };
    if short {
        return short_stands_alone(text, start, end);
    }
    let before = text.get(..start).and_then(|t| t.chars().next_back());
    let after = text.get(end..).and_then(|t| t.chars().next());
    let first = value.chars().next();
    let last = value.chars().next_back();
    let clash = |edge: Option<char>, neighbour: Option<char>| {
        edge.is_some_and(is_word) && neighbour.is_some_and(is_word)
    };
    !clash(first, before) && !clash(last, after)
}

/// The same-length mask of one character.
fn mask_char(c: char) -> char {
    match c.len_utf8() {
        1 => '*',
        2 => '×',
        3 => '＊',
        _ => '🞶',
    }
}

/// `text` with the bytes of `ranges` masked character by character.
/// `ranges` are on character boundaries; overlaps are merged.
fn hide(text: &str, mut ranges: Vec<(usize, usize)>) -> Cow<'_, str> {
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    ranges.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (start, end) in ranges {
        let start = start.max(copied);
        if end <= start {
            continue;
        }
        out.push_str(text.get(copied..start).unwrap_or(""));
        out.extend(text.get(start..end).unwrap_or("").chars().map(mask_char));
        copied = end;
    }
    out.push_str(text.get(copied..).unwrap_or(""));
    Cow::Owned(out)
}

/// The part of an occurrence of `value` at `start..end` that is hidden: a
/// value of four characters or more keeps its first character.
fn hidden_part(value: &str, start: usize, end: usize) -> (usize, usize) {
    match value.chars().next() {
        Some(first) if value.chars().count() >= 4 => (start.saturating_add(first.len_utf8()), end),
        _ => (start, end),
    }
}

/// Replace every national ID number in `text` with its first letter and
/// mask characters.
#[must_use]
pub fn mask(text: &str) -> Cow<'_, str> {
    hide(text, id_numbers(text))
}

/// What to hide in one submission's output: national ID numbers always,
/// and the submission's own personal values.
#[derive(Debug, Clone, Copy)]
pub struct Masker<'a> {
    /// Show everything (`--show-personal-data`).
    pub show: bool,
    /// Exact values to hide, longest first.
    pub values: &'a [String],
}

impl<'a> Masker<'a> {
    /// `text` with personal data masked, keeping every byte offset. Each
    /// declared value is searched for in turn: for short texts such as
    /// messages; [`Masker::compile`] once for long texts or many of them.
    #[must_use]
    pub fn apply<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.show {
            return Cow::Borrowed(text);
        }
        let mut ranges = id_numbers(text);
        for value in self.values {
            for (start, _) in text.match_indices(value.as_str()) {
                let end = start.saturating_add(value.len());
                if stands_alone(text, start, end, value) {
                    ranges.push(hidden_part(value, start, end));
                }
            }
        }
        hide(text, ranges)
    }

    /// The same masking, with every value compiled into one automaton:
    /// linear in the text whatever the number of values.
    #[must_use]
    pub fn compile(&self) -> CompiledMasker<'a> {
        let automaton = if self.show || self.values.is_empty() {
            None
        } else {
            Some(Arc::new(Index::new(self.values)))
        };
        CompiledMasker {
            masker: *self,
            automaton,
        }
    }

    /// [`Masker::compile`], the automaton kept in `cache` for the next
    /// renderer of the same submission (`report` writes four formats). The
    /// kept index holds the values it was built from and is rebuilt when
    /// they differ, so it can never mask by other values than these.
    #[must_use]
    pub fn compile_cached(&self, cache: &AutomatonCache) -> CompiledMasker<'a> {
        if self.show || self.values.is_empty() {
            return self.compile();
        }
        let Ok(mut kept) = cache.0.lock() else {
            return self.compile();
        };
        if let Some(index) = kept.as_ref()
            && index.built_from(self.values)
        {
            return CompiledMasker {
                masker: *self,
                automaton: Some(Arc::clone(index)),
            };
        }
        let compiled = self.compile();
        kept.clone_from(&compiled.automaton);
        compiled
    }
}

/// A submission's compiled masker, kept between renderers (see
/// [`Masker::compile_cached`]). A clone starts empty.
#[derive(Debug, Default)]
pub struct AutomatonCache(Mutex<Option<Arc<Index>>>);

impl Clone for AutomatonCache {
    fn clone(&self) -> Self {
        Self::default()
    }
}

/// A submission's values, sorted by their bytes, with the first three
/// bytes of each, to find every occurrence of every value (overlapping
/// ones too) in one pass over a text: at a place that starts like a value,
/// one binary search for each length the values have. An Aho-Corasick
/// automaton does the same, but building one for each submission's
/// hundred-odd values cost ten times what searching its few kilobytes of
/// messages costs; this index is built by one sort, without an allocation
/// per value. A test compares it with the automaton.
#[derive(Debug)]
pub struct Index {
    /// The values it was built from, one after another ...
    joined: String,
    /// ... and where each ends.
    ends: Vec<usize>,
    /// The values of three bytes or more, by their bytes: an occurrence is
    /// one search per length, however many values share a prefix (serials
    /// 「SER000…」 all do).
    sorted: Vec<usize>,
    /// The first three bytes of those values, sorted, each once.
    prefixes: Vec<[u8; 3]>,
    /// The lengths of those values, each once, shortest first.
    lengths: Vec<usize>,
    /// Whether some value of three bytes or more starts with this byte.
    leads: [bool; 256],
    /// Values shorter than three bytes, searched for one by one.
    short: Vec<usize>,
}

impl Index {
    fn new(values: &[String]) -> Self {
        let mut index = Self {
            joined: String::with_capacity(values.iter().map(String::len).sum()),
            ends: Vec::with_capacity(values.len()),
            sorted: Vec::with_capacity(values.len()),
            prefixes: Vec::with_capacity(values.len()),
            lengths: Vec::new(),
            leads: [false; 256],
            short: Vec::new(),
        };
        for (i, value) in values.iter().enumerate() {
            index.joined.push_str(value);
            index.ends.push(index.joined.len());
            match value.as_bytes() {
                [] => {}
                [a, b, c, ..] => {
                    index.prefixes.push([*a, *b, *c]);
                    index.sorted.push(i);
                    index.lengths.push(value.len());
                    if let Some(lead) = index.leads.get_mut(usize::from(*a)) {
                        *lead = true;
                    }
                }
                _ => index.short.push(i),
            }
        }
        index.prefixes.sort_unstable();
        index.prefixes.dedup();
        index.lengths.sort_unstable();
        index.lengths.dedup();
        let bytes = |i: usize| values.get(i).map_or(&[][..], |v| v.as_bytes());
        // Stable: the values of the same bytes stay in their order.
        index.sorted.sort_by(|&a, &b| bytes(a).cmp(bytes(b)));
        index
    }

    /// The `i`th value it was built from.
    fn value(&self, i: usize) -> Option<&str> {
        let start = match i.checked_sub(1) {
            Some(before) => *self.ends.get(before)?,
            None => 0,
        };
        self.joined.get(start..*self.ends.get(i)?)
    }

    /// Whether it was built from exactly `values`.
    fn built_from(&self, values: &[String]) -> bool {
        values.len() == self.ends.len()
            && values
                .iter()
                .enumerate()
                .all(|(i, v)| self.value(i) == Some(v.as_str()))
    }

    /// Every occurrence of every value in `text` (the values it was built
    /// from): the value and its start.
    fn occurrences<'v>(
        &self,
        values: &'v [String],
        text: &str,
        mut found: impl FnMut(&'v str, usize),
    ) {
        let bytes = text.as_bytes();
        let value = |i: usize| values.get(i).map_or("", String::as_str);
        for (start, window) in bytes.windows(3).enumerate() {
            let [a, b, c] = window else {
                continue;
            };
            if !self.leads.get(usize::from(*a)).copied().unwrap_or(false)
                || self.prefixes.binary_search(&[*a, *b, *c]).is_err()
            {
                continue;
            }
            for &len in &self.lengths {
                let Some(piece) = bytes.get(start..start.saturating_add(len)) else {
                    break;
                };
                let first = self
                    .sorted
                    .partition_point(|&i| value(i).as_bytes() < piece);
                for &i in self.sorted.get(first..).unwrap_or_default() {
                    if value(i).as_bytes() != piece {
                        break;
                    }
                    found(value(i), start);
                }
            }
        }
        for &i in &self.short {
            let value = value(i);
            // Every start, overlapping ones too (`match_indices` would skip
            // the second `aa` of `aaa`).
            let mut from = 0;
            while let Some(at) = text.get(from..).and_then(|rest| rest.find(value)) {
                let start = from.saturating_add(at);
                found(value, start);
                from = start.saturating_add(
                    text.get(start..)
                        .and_then(|r| r.chars().next())
                        .map_or(1, char::len_utf8),
                );
            }
        }
    }
}

/// A [`Masker`] with its values compiled (see [`Masker::compile`]).
#[derive(Debug, Clone)]
pub struct CompiledMasker<'a> {
    masker: Masker<'a>,
    automaton: Option<Arc<Index>>,
}

impl CompiledMasker<'_> {
    /// `text` with personal data masked, keeping every byte offset.
    #[must_use]
    pub fn apply<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.masker.show {
            return Cow::Borrowed(text);
        }
        let Some(index) = &self.automaton else {
            return self.masker.apply(text);
        };
        let mut ranges = id_numbers(text);
        index.occurrences(self.masker.values, text, |value, start| {
            let end = start.saturating_add(value.len());
            if stands_alone(text, start, end, value) {
                ranges.push(hidden_part(value, start, end));
            }
        });
        hide(text, ranges)
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::indexing_slicing,
        reason = "tests fail loudly"
    )]

    use super::{Masker, mask};

    fn values() -> Vec<String> {
        let mut values = vec![
            "TP-0001".to_owned(),
            "TP12345678901234".to_owned(),
            "王小明".to_owned(),
            "7".to_owned(),
            "編號甲".to_owned(),
        ];
        values.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        values
    }

    proptest::proptest! {
        /// The prefix index finds what an Aho-Corasick automaton finds:
        /// every occurrence of every value, overlapping ones too.
        #[test]
        fn the_index_masks_as_an_automaton_does(
            values in proptest::collection::vec(proptest::collection::vec(0..6_usize, 1..6), 1..8),
            text in proptest::collection::vec(0..6_usize, 0..60),
        ) {
            let alphabet = ["a", "b", "7", "王", "小", "-"];
            let word = |w: &Vec<usize>| -> String {
                w.iter().map(|&i| alphabet.get(i).copied().unwrap_or("a")).collect()
            };
            let mut values: Vec<String> = values.iter().map(word).collect();
            values.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
            values.dedup();
            let text = word(&text);
            let masker = Masker { show: false, values: &values };
            let automaton = aho_corasick::AhoCorasick::new(&values).unwrap();
            let mut ranges = super::id_numbers(&text);
            for m in automaton.find_overlapping_iter(&text) {
                let value = &values[m.pattern().as_usize()];
                if super::stands_alone(&text, m.start(), m.end(), value) {
                    ranges.push(super::hidden_part(value, m.start(), m.end()));
                }
            }
            let expected = super::hide(&text, ranges);
            proptest::prop_assert_eq!(masker.compile().apply(&text), expected);
        }
    }

    #[test]
    fn a_kept_automaton_masks_only_by_the_values_it_was_built_from() {
        let cache = super::AutomatonCache::default();
        let first = vec!["TP-0001".to_owned()];
        let second = vec!["TP-0002".to_owned()];
        let masker = |values| Masker {
            show: false,
            values,
        };
        let text = "TP-0001 TP-0002";
        assert_eq!(
            masker(&first).compile_cached(&cache).apply(text),
            "T****** TP-0002"
        );
        // Kept: the same values give the same masking.
        assert_eq!(
            masker(&first).compile_cached(&cache).apply(text),
            "T****** TP-0002"
        );
        // Other values are never masked by the kept automaton.
        assert_eq!(
            masker(&second).compile_cached(&cache).apply(text),
            "TP-0001 T******"
        );
    }

    #[test]
    fn masker_hides_the_submission_values_and_keeps_offsets_and_columns() {
        let values = values();
        let masker = Masker {
            show: false,
            values: &values,
        };
        let text = "personnel_id: \"TP-0001\" serial: TP12345678901234 name: 王小明 A123456789 id: 7\n編號甲";
        let expected = "personnel_id: \"T******\" serial: T*************** name: ＊＊＊ A********* id: *\n＊＊＊";
        for masked in [masker.apply(text), masker.compile().apply(text)] {
            assert_eq!(masked.len(), text.len());
            assert_eq!(masked.chars().count(), text.chars().count());
            assert_eq!(masked, expected);
        }
        let shown = Masker {
            show: true,
            values: &values,
        };
        assert_eq!(shown.apply(text), text);
        assert_eq!(shown.compile().apply(text), text);
    }

    #[test]
    fn short_values_and_dates_and_articles_are_not_over_masked() {
        let values = values();
        let masker = Masker {
            show: false,
            values: &values,
        };
        let text = "依第7條，2026-11-07 到期；TP-00012 不是本人；人員 `7` 重複；@@ -40,7 +40,7 @@ 7 days\n{personnel_id: 7, name: x}";
        let expected = "依第7條，2026-11-07 到期；TP-00012 不是本人；人員 `*` 重複；@@ -40,7 +40,7 @@ 7 days\n{personnel_id: *, name: x}";
        assert_eq!(masker.apply(text), expected);
        assert_eq!(masker.compile().apply(text), expected);
    }

    #[test]
    fn values_of_an_unparsable_configuration_are_found_line_by_line() {
        let text = "agency:\n  name: 臺北市政府\nusers:\n  - personnel_id: \"TP-0001\"\n    name: 陳志明 # 組長\n    certificate: {serial: 'SN1', expires_on: 2026-02-30}\n  - {personnel_id: 7, name: null\n";
        assert_eq!(
            super::declared_in_yaml(text),
            vec!["陳志明", "TP-0001", "SN1", "7"]
        );
    }

    #[test]
    fn masks_id_numbers_in_any_width_and_case() {
        assert_eq!(mask("承辦人A123456789查詢"), "承辦人A*********查詢");
        assert_eq!(mask("序號TP12345678901234"), "序號TP12345678901234");
        assert_eq!(mask("no id here"), "no id here");
        assert_eq!(mask("B234567890"), "B*********");
        assert_eq!(mask("a123456789"), "a*********");
        assert_eq!(mask("Ａ１２３４５６７８９"), "Ａ＊＊＊＊＊＊＊＊＊");
        assert_eq!(mask("ａ1２3456789。"), "ａ*＊*******。");
        assert_eq!(mask("A1234567890"), "A1234567890");
        assert_eq!(mask("第A123456789號"), "第A*********號");
    }
}
