//! Law citations in Traditional Chinese text: a law's name (or a short form
//! such as 個資法) and the article numbers that follow it (第十五條、第十六條及
//! 第十八條, 第15、16及18條, 第4條第2項), each citation with its span.
#![deny(clippy::arithmetic_side_effects)]

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::extract::terms::Terms;
use crate::source::Span;

/// One law of `data/laws.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Law {
    /// Stable id used in Cedar facts.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Names a document may use for it.
    pub aliases: Vec<String>,
    /// Date in force, where it matters.
    #[serde(default)]
    pub in_force: Option<String>,
    /// The id of the law that replaced it.
    #[serde(default)]
    pub superseded_by: Option<String>,
    /// Old article number → article of the replacing law.
    #[serde(default)]
    pub article_map: BTreeMap<String, u32>,
    /// Articles of this law renumbered when it was rewritten.
    #[serde(default)]
    pub renumbered: Vec<Renumbering>,
}

/// An article of a law that now has another number.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Renumbering {
    /// The old article number.
    pub article: u32,
    /// The day the new numbering took effect (YYYY-MM-DD).
    pub since: String,
    /// The new place, in Traditional Chinese (第五條第一項).
    pub now_zh: String,
    /// The new place, in English.
    pub now_en: String,
}

/// A name that looks like a law's but is not one niacheck knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearMiss {
    /// The name as written.
    pub span: Span,
    /// Index of the closest known law.
    pub law: usize,
    /// Edit distance, in characters, to that law's name or alias.
    pub distance: usize,
    /// Characters in the name as written.
    pub length: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LawsFile {
    law: Vec<Law>,
}

/// The laws niacheck knows, with a matcher for their names.
#[derive(Debug)]
pub struct Laws {
    laws: Vec<Law>,
    /// Every name and alias of every law, as patterns: their occurrences,
    /// overlapping, read leftmost-longest by [`Laws::citations`].
    matcher: Terms,
    /// For each pattern of the matcher, the index of its law.
    pattern_law: Vec<usize>,
    /// The names a near miss is measured against (every name and alias of
    /// four characters or more), as characters, with their law's index:
    /// built once, not per clause searched; each (law, name) once.
    near_names: Vec<NearName>,
    /// Indexes into `near_names` by their first two characters, sorted.
    near_by_head: Vec<([char; 2], usize)>,
    /// Indexes into `near_names` by their last two characters, sorted.
    near_by_tail: Vec<([char; 2], usize)>,
    /// The characters the matcher's patterns end in (法, 例, 則), each
    /// once: a text with none of them cites nothing, and is not searched.
    last_chars: Vec<char>,
}

/// A name a near miss is measured against.
#[derive(Debug)]
struct NearName {
    /// Index of its law.
    law: usize,
    /// The name, as characters (four or more).
    chars: Vec<char>,
    /// Its first two characters.
    head: [char; 2],
    /// Its last two characters.
    tail: [char; 2],
}

/// One citation found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// Index of the law in [`Laws`].
    pub law: usize,
    /// The law's name as written.
    pub name: Span,
    /// The whole citation: the name and the articles after it.
    pub span: Span,
    /// Article numbers cited, in order of appearance.
    pub articles: Vec<u32>,
    /// Whether the articles were written in Arabic numerals.
    pub arabic: bool,
    /// A paragraph, item, 之N or range goes with the articles.
    pub qualified: bool,
    /// The name is written in a history note (沿革, 原依…訂定, 已更名): it
    /// tells where the rules came from, it does not cite the law in force.
    /// Set by the document reader, which knows the sentence.
    pub historical: bool,
}

/// An error in the laws data file.
#[derive(Debug, thiserror::Error)]
#[error("invalid laws data: {0}")]
pub struct LawsError(String);

impl Laws {
    /// Parse the laws data file.
    ///
    /// # Errors
    /// When the file does not parse, or a law is replaced by an unknown one.
    pub fn from_toml(text: &str) -> Result<Self, LawsError> {
        let file: LawsFile = toml::from_str(text).map_err(|e| LawsError(e.to_string()))?;
        Self::from_file(file)
    }

    /// The embedded laws: `data/laws.toml` as the JSON `build.rs` wrote
    /// from it, or the TOML itself when there is none.
    ///
    /// # Errors
    /// As [`Laws::from_toml`].
    pub fn embedded() -> Result<Self, LawsError> {
        match crate::embedded::LAWS_JSON.map(serde_json::from_str::<LawsFile>) {
            Some(Ok(file)) => Self::from_file(file),
            _ => Self::from_toml(crate::embedded::LAWS_TOML),
        }
    }

    fn from_file(file: LawsFile) -> Result<Self, LawsError> {
        let mut patterns = Vec::new();
        let mut pattern_law = Vec::new();
        for (index, law) in file.law.iter().enumerate() {
            if let Some(next) = &law.superseded_by
                && !file.law.iter().any(|l| &l.id == next)
            {
                return Err(LawsError(format!(
                    "`{}` is superseded by unknown law `{next}`",
                    law.id
                )));
            }
            for alias in law.aliases.iter().chain(std::iter::once(&law.name)) {
                patterns.push(alias.clone());
                pattern_law.push(index);
            }
        }
        let mut last_chars: Vec<char> = patterns.iter().filter_map(|p| p.chars().last()).collect();
        last_chars.sort_unstable();
        last_chars.dedup();
        if patterns.iter().any(String::is_empty) {
            return Err(LawsError("a law has an empty name or alias".to_owned()));
        }
        // `build.rs` compiled the embedded laws' names, read from the same
        // file in the same order; its table serves when they are exactly
        // these names (the DFA was 3.8 M instructions of every start).
        let same = patterns
            .iter()
            .map(String::as_str)
            .eq(crate::embedded::LAWS_TERMS.iter().copied());
        let matcher = match same
            .then(|| Terms::embedded(&patterns, crate::embedded::LAWS_TABLE))
            .flatten()
        {
            Some(terms) => terms,
            None => Terms::new(&patterns).map_err(LawsError)?,
        };
        let mut near_names: Vec<NearName> = file
            .law
            .iter()
            .enumerate()
            .flat_map(|(i, law)| {
                std::iter::once(&law.name)
                    .chain(&law.aliases)
                    .filter_map(move |n| {
                        let chars: Vec<char> = n.chars().collect();
                        match *chars.as_slice() {
                            [a, b, .., y, z] if chars.len() >= 4 => Some(NearName {
                                law: i,
                                head: [a, b],
                                tail: [y, z],
                                chars,
                            }),
                            _ => None,
                        }
                    })
            })
            .collect();
        // A law's name is often one of its aliases too: measured once.
        let mut seen: Vec<(usize, Vec<char>)> = Vec::new();
        near_names.retain(|n| {
            let key = (n.law, n.chars.clone());
            let new = !seen.contains(&key);
            seen.push(key);
            new
        });
        let index = |end: fn(&NearName) -> [char; 2]| {
            let mut by: Vec<([char; 2], usize)> = near_names
                .iter()
                .enumerate()
                .map(|(i, n)| (end(n), i))
                .collect();
            by.sort_unstable();
            by
        };
        let near_by_head = index(|n| n.head);
        let near_by_tail = index(|n| n.tail);
        Ok(Self {
            laws: file.law,
            matcher,
            pattern_law,
            near_names,
            near_by_head,
            near_by_tail,
            last_chars,
        })
    }

    /// The law at `index`.
    #[must_use]
    pub fn get(&self, index: usize) -> Option<&Law> {
        self.laws.get(index)
    }

    /// The law with this id.
    #[must_use]
    pub fn by_id(&self, id: &str) -> Option<&Law> {
        self.laws.iter().find(|l| l.id == id)
    }

    /// All laws.
    #[must_use]
    pub fn all(&self) -> &[Law] {
        &self.laws
    }

    /// Every citation in `text`, whose first byte is at `base` in its file.
    #[must_use]
    pub fn citations(&self, text: &str, base: usize) -> Vec<Citation> {
        let mut found = Vec::new();
        // Most clauses name no law: a search for a few characters (each a
        // fast scan for its bytes) is cheaper than the matcher's.
        if !self.last_chars.iter().any(|&c| text.contains(c)) {
            return found;
        }
        // Every occurrence of every name, then read leftmost-longest: from
        // the left, the longest name that starts there (the first pattern
        // of equal ones), the next one after its end.
        let mut names: Vec<(usize, usize, usize)> = Vec::new();
        self.matcher.each(text, |pattern, start, end| {
            names.push((start, end, pattern))
        });
        names.sort_unstable_by_key(|&(start, end, pattern)| {
            (start, std::cmp::Reverse(end), pattern)
        });
        let mut resume = 0;
        for (start, end, pattern) in names {
            if start < resume {
                continue;
            }
            resume = end;
            let Some(&law) = self.pattern_law.get(pattern) else {
                continue;
            };
            let rest = text.get(end..).unwrap_or("");
            let read = read_articles(rest);
            found.push(Citation {
                law,
                name: Span::new(base.saturating_add(start), base.saturating_add(end)),
                span: Span::new(
                    base.saturating_add(start),
                    base.saturating_add(end).saturating_add(read.consumed),
                ),
                articles: read.numbers,
                arabic: read.arabic,
                qualified: read.qualified,
                historical: false,
            });
        }
        found
    }

    /// The names whose two characters (the first or last two, as `by` is
    /// keyed) are `pair`.
    fn near_by<'a>(
        &'a self,
        by: &'a [([char; 2], usize)],
        pair: [char; 2],
    ) -> impl Iterator<Item = &'a NearName> {
        let lo = by.partition_point(|(p, _)| *p < pair);
        let hi = by.partition_point(|(p, _)| *p <= pair);
        by.get(lo..hi)
            .unwrap_or(&[])
            .iter()
            .filter_map(|&(_, i)| self.near_names.get(i))
    }

    /// The renumbering that applies to a citation, if it cites a renumbered article.
    #[must_use]
    pub fn renumbering(&self, citation: &Citation) -> Option<&Renumbering> {
        let law = self.get(citation.law)?;
        law.renumbered
            .iter()
            .find(|r| citation.articles.contains(&r.article))
    }

    /// Names in `text` (at `base` in its file) that end like a law's name
    /// (in 法 or 條例) and come within three edits of a known law, without
    /// being one: 個人資料機密保護法 for 個人資料保護法. `known` are the
    /// spans of the known names already found, which are never near misses.
    #[must_use]
    pub fn near_misses(&self, text: &str, base: usize, known: &[Span]) -> Vec<NearMiss> {
        let known = KnownSpans::new(known, base);
        // Where a name may end (法, or the 例 of 條例) outside the known
        // names, found by a fast scan for each: when there is no such place,
        // the characters are not read one by one at all.
        let open = |at: usize, c: char| !known.overlaps(at, at.saturating_add(c.len_utf8()));
        if !text.match_indices('法').any(|(at, _)| open(at, '法'))
            && !text
                .match_indices("條例")
                .any(|(at, _)| open(at.saturating_add('條'.len_utf8()), '例'))
        {
            return Vec::new();
        }
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let letters: Vec<char> = chars.iter().map(|&(_, c)| c).collect();
        // CJK characters in a row ending at each character: a candidate
        // longer than that is not all CJK.
        let mut run = 0usize;
        let cjk_run: Vec<usize> = letters
            .iter()
            .map(|&c| {
                run = if is_cjk(c) { run.saturating_add(1) } else { 0 };
                run
            })
            .collect();
        let mut found: Vec<NearMiss> = Vec::new();
        let mut examined: usize = 0;
        for (end_index, &(offset, c)) in chars.iter().enumerate() {
            let end_byte = offset.saturating_add(c.len_utf8());
            let ends_law =
                c == '法' || (c == '例' && text.get(..offset).is_some_and(|t| t.ends_with('條')));
            if !ends_law || known.overlaps(offset, end_byte) {
                continue;
            }
            // A text made of law-like words is not a rules document; bound the work.
            examined = examined.saturating_add(1);
            if examined > MAX_NEAR_MISS_POSITIONS {
                break;
            }
            // (distance, -length, law, start byte): the least wins, whatever
            // the order the candidates are tried in.
            let mut best: Option<(usize, std::cmp::Reverse<usize>, usize, usize)> = None;
            // The candidates ending here, by length: all CJK, and clear of
            // the known names (both hold up to some length, not past it).
            let run = cjk_run.get(end_index).copied().unwrap_or(0);
            let start_of = |len: usize| {
                let start_index = end_index.saturating_add(1).checked_sub(len)?;
                let start_byte = chars.get(start_index).map_or(0, |&(o, _)| o);
                let candidate = letters.get(start_index..=end_index)?;
                (len <= run && !known.overlaps(start_byte, end_byte))
                    .then_some((start_byte, candidate))
            };
            let mut try_name = |near: &NearName, len: usize| {
                let name = &near.chars;
                if len < name.len().saturating_sub(3).max(4) || len > name.len().saturating_add(3) {
                    return;
                }
                let Some((start_byte, candidate)) = start_of(len) else {
                    return;
                };
                // At most three edits, and at most one per three characters.
                let Some(distance) = distance_within(candidate, name, (len / 3).min(3)) else {
                    return;
                };
                if distance == 0 {
                    return;
                }
                let key = (distance, std::cmp::Reverse(len), near.law, start_byte);
                if best.is_none_or(|b| key < b) {
                    best = Some(key);
                }
            };
            // A typo keeps one end of the name: its last two characters
            // (every length of candidate ending here)…
            if let Some(tail) = end_index
                .checked_sub(1)
                .and_then(|i| Some([*letters.get(i)?, c]))
            {
                for near in self.near_by(&self.near_by_tail, tail) {
                    for len in 4..=MAX_NEAR_MISS_CHARS {
                        try_name(near, len);
                    }
                }
            }
            // …or its first two (the names that begin as each candidate does).
            for len in 4..=MAX_NEAR_MISS_CHARS {
                let Some((_, candidate)) = start_of(len) else {
                    break;
                };
                let Some(&[a, b]) = candidate.get(..2) else {
                    continue;
                };
                for near in self.near_by(&self.near_by_head, [a, b]) {
                    try_name(near, len);
                }
            }
            if let Some((distance, std::cmp::Reverse(length), law, start_byte)) = best {
                let span = Span::new(
                    base.saturating_add(start_byte),
                    base.saturating_add(end_byte),
                );
                found.retain(|f| !(f.span.start >= span.start && f.span.end <= span.end));
                found.push(NearMiss {
                    span,
                    law,
                    distance,
                    length,
                });
            }
        }
        found
    }

    /// The law that replaced the law of `citation`, if it was superseded.
    #[must_use]
    pub fn successor(&self, citation: &Citation) -> Option<&Law> {
        self.by_id(self.get(citation.law)?.superseded_by.as_deref()?)
    }

    /// The citation that safely replaces `citation`: the new law's name with
    /// every article mapped. `None` when the law was not superseded, or when
    /// an article has no known counterpart or carries a paragraph, item,
    /// 之N or range, which only a person can map.
    #[must_use]
    pub fn replacement(&self, citation: &Citation) -> Option<String> {
        let law = self.get(citation.law)?;
        let next = self.successor(citation)?;
        if citation.qualified {
            return None;
        }
        let mapped: Option<Vec<u32>> = citation
            .articles
            .iter()
            .map(|a| law.article_map.get(&a.to_string()).copied())
            .collect();
        Some(format!(
            "{}{}",
            next.name,
            format_articles(&mapped?, citation.arabic)
        ))
    }
}

/// Write article numbers as 第十五條、第十六條及第十八條 (or 第15條…).
#[must_use]
pub fn format_articles(articles: &[u32], arabic: bool) -> String {
    let one = |n: u32| {
        if arabic {
            format!("第{n}條")
        } else {
            format!("第{}條", to_chinese(n))
        }
    };
    match articles {
        [] => String::new(),
        [only] => one(*only),
        [init @ .., last] => {
            let head: Vec<String> = init.iter().map(|&n| one(n)).collect();
            format!("{}及{}", head.join("、"), one(*last))
        }
    }
}

/// Write a number below 10,000 in Chinese numerals as statutes do (十五, 二十, 一百零八).
#[must_use]
pub fn to_chinese(n: u32) -> String {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    if n == 0 {
        return "零".to_owned();
    }
    let digit = |d: u32| DIGITS.get(d as usize).copied().unwrap_or('零');
    let mut out = String::new();
    let mut pending_zero = false;
    for (unit, name) in [(1000, "千"), (100, "百"), (10, "十"), (1, "")] {
        let d = n.checked_div(unit).unwrap_or(0) % 10;
        if d == 0 {
            if !out.is_empty() {
                pending_zero = true;
            }
            continue;
        }
        if pending_zero {
            out.push('零');
            pending_zero = false;
        }
        // 十五, not 一十五, when the number starts with the tens.
        if !(unit == 10 && d == 1 && out.is_empty()) {
            out.push(digit(d));
        }
        out.push_str(name);
    }
    out
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' | '壹' => 1,
        '二' | '兩' | '两' | '貳' => 2,
        '三' | '參' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// Read a number in Arabic (ASCII or full-width) or Chinese numerals at the
/// start of `s`; return its value, its byte length and whether it was Arabic.
#[must_use]
pub fn read_number(s: &str) -> Option<(u32, usize, bool)> {
    let mut value: u32 = 0;
    let mut len: usize = 0;
    for c in s.chars() {
        let d = if c.is_ascii_digit() {
            c.to_digit(10)
        } else if ('０'..='９').contains(&c) {
            u32::from(c).checked_sub(u32::from('０'))
        } else {
            None
        };
        let Some(d) = d else { break };
        value = value.checked_mul(10)?.checked_add(d)?;
        len = len.saturating_add(c.len_utf8());
    }
    if len > 0 {
        return Some((value, len, true));
    }
    let mut total: u32 = 0;
    let mut digit: Option<u32> = None;
    for c in s.chars() {
        let unit = match c {
            '十' | '拾' => Some(10),
            '百' | '佰' => Some(100),
            '千' | '仟' => Some(1000),
            _ => None,
        };
        if let Some(unit) = unit {
            total = total.checked_add(digit.unwrap_or(1).checked_mul(unit)?)?;
            digit = None;
        } else if let Some(d) = chinese_digit(c) {
            digit = Some(d);
        } else {
            break;
        }
        len = len.saturating_add(c.len_utf8());
    }
    let value = total.checked_add(digit.unwrap_or(0))?;
    (len > 0).then_some((value, len, false))
}

fn skip_spaces(s: &str) -> &str {
    s.trim_start_matches([' ', '\u{3000}'])
}

/// Most law citations one rules document may hold: a real one has a few
/// hundred at most. Each citation is judged on its own, so a text made of
/// hundreds of thousands of them would take minutes and gigabytes; past
/// this it is refused as an input error at the first citation over.
pub const MAX_CITATIONS: usize = 10_000;

/// The input error of a rules document with more than [`MAX_CITATIONS`]
/// citations, `None` if it has no more.
#[must_use]
pub fn too_many(citations: &[Citation]) -> Option<(Span, String, String)> {
    let over = citations.get(MAX_CITATIONS)?;
    Some((
        over.span,
        format!(
            "管理規範引用法規超過 {MAX_CITATIONS} 次（共 {} 次），不像是管理規範",
            citations.len()
        ),
        format!(
            "the rules document cites laws more than {MAX_CITATIONS} times ({} in all); it is not a rules document",
            citations.len()
        ),
    ))
}

/// The edit distance of `a` and `b` when it is at most `k`, else `None`:
/// the cells of the table within `k` of its diagonal, stopping at the
/// first row whose cells all exceed `k` (a near miss is at most three
/// edits away, so most of a full table is never needed). Names and
/// candidates are short: longer ones are measured in full.
fn distance_within(a: &[char], b: &[char], k: usize) -> Option<usize> {
    const MAX: usize = 48;
    if a.len().abs_diff(b.len()) > k {
        return None;
    }
    if b.len() >= MAX {
        let d = crate::extract::config::edit_distance_chars(a, b);
        return (d <= k).then_some(d);
    }
    let over = k.saturating_add(1);
    // `row[j]`: the distance of the first `i` of `a` and the first `j` of
    // `b`, capped at `over`; cells outside the band are `over`.
    let mut row = [over; MAX];
    for (j, cell) in row.iter_mut().enumerate().take(b.len().saturating_add(1)) {
        *cell = j.min(over);
    }
    for (i, ca) in a.iter().enumerate() {
        let i = i.saturating_add(1);
        let lo = i.saturating_sub(k).max(1);
        let hi = i.saturating_add(k).min(b.len());
        // The cell left of the band, and the diagonal one above it.
        let mut diagonal = row.get(lo.saturating_sub(1)).copied().unwrap_or(over);
        let mut left = if lo == 1 { i.min(over) } else { over };
        if let Some(first) = row.get_mut(lo.saturating_sub(1)) {
            *first = left;
        }
        let mut best = left;
        for j in lo..=hi {
            let above = row.get(j).copied().unwrap_or(over);
            let same = b.get(j.saturating_sub(1)) == Some(ca);
            let value = above
                .saturating_add(1)
                .min(left.saturating_add(1))
                .min(diagonal.saturating_add(usize::from(!same)))
                .min(over);
            diagonal = above;
            left = value;
            best = best.min(value);
            if let Some(cell) = row.get_mut(j) {
                *cell = value;
            }
        }
        // The cell right of the band is out of reach from here on.
        if let Some(cell) = row.get_mut(hi.saturating_add(1)) {
            *cell = over;
        }
        if best > k {
            return None;
        }
    }
    row.get(b.len()).copied().filter(|&d| d <= k)
}

/// Law-like endings examined per text for near misses.
const MAX_NEAR_MISS_POSITIONS: usize = 2_000;
/// The longest near miss, in characters.
const MAX_NEAR_MISS_CHARS: usize = 14;

/// The spans of the known law names of a text, for overlap queries in
/// O(log n): many citations on one line stay linear.
struct KnownSpans {
    /// Spans sorted by start, in offsets of the text searched.
    spans: Vec<Span>,
    /// `max_end[i]`: the largest end among the first `i` spans.
    max_end: Vec<usize>,
}

impl KnownSpans {
    fn new(known: &[Span], base: usize) -> Self {
        let mut spans: Vec<Span> = known
            .iter()
            .map(|k| Span::new(k.start.saturating_sub(base), k.end.saturating_sub(base)))
            .collect();
        spans.sort_unstable();
        let mut max_end = Vec::with_capacity(spans.len().saturating_add(1));
        max_end.push(0);
        let mut end = 0;
        for span in &spans {
            end = end.max(span.end);
            max_end.push(end);
        }
        Self { spans, max_end }
    }

    /// Whether `start..end` overlaps a known span.
    fn overlaps(&self, start: usize, end: usize) -> bool {
        let before_end = self.spans.partition_point(|k| k.start < end);
        self.max_end.get(before_end).is_some_and(|&e| e > start)
    }
}

/// Article numbers above this are not article numbers.
const MAX_ARTICLE: u32 = 9_999;

/// The articles read after a law's name.
#[derive(Debug, Default)]
struct Articles {
    numbers: Vec<u32>,
    consumed: usize,
    arabic: bool,
    /// A paragraph, item or 之N follows an article, or a range was given:
    /// the citation is more than a list of whole articles.
    qualified: bool,
}

/// Read the articles after a law's name: `第十五條、第十六條及第十八條`,
/// `第15、16及18條`, `第4條第2項`, `第十五條至第十八條`, `第15至18條`, `第六條之一`.
fn read_articles(s: &str) -> Articles {
    let mut out = Articles::default();
    let mut pending: Vec<u32> = Vec::new();
    // The next number ends a range that starts after this one.
    let mut range_after: Option<u32> = None;
    let mut rest = skip_spaces(s);
    let total = s.len();
    loop {
        let had_di = rest.starts_with('第');
        let after_di = skip_spaces(rest.strip_prefix('第').unwrap_or(rest));
        if !had_di && pending.is_empty() && range_after.is_none() {
            break;
        }
        let Some((n, len, is_arabic)) = read_number(after_di).filter(|&(n, _, _)| n <= MAX_ARTICLE)
        else {
            break;
        };
        out.arabic |= is_arabic;
        if let Some(from) = range_after.take() {
            // 第十五條至第十八條: 16 and 17 are cited too (at most 200 of them).
            pending.extend((from.saturating_add(1)..n).take(200));
            out.qualified = true;
        }
        pending.push(n);
        let after_number = skip_spaces(after_di.get(len..).unwrap_or(""));
        if let Some(tail) = after_number.strip_prefix('條') {
            out.numbers.append(&mut pending);
            let mut tail = tail;
            // 之一, 第2項, 第3款
            if let Some(t) = tail.strip_prefix('之')
                && let Some((_, l, _)) = read_number(t)
            {
                tail = t.get(l..).unwrap_or("");
                out.qualified = true;
            }
            while let Some(t) = tail.strip_prefix('第') {
                let Some((_, l, _)) = read_number(t) else {
                    break;
                };
                let Some(t) = t.get(l..).and_then(|t| t.strip_prefix(['項', '款', '目'])) else {
                    break;
                };
                tail = t;
                out.qualified = true;
            }
            out.consumed = total.saturating_sub(tail.len());
            rest = tail;
        } else if after_number.starts_with(['、', '，', ',', '及', '與', '和', '暨', '或', '至'])
        {
            rest = after_number;
        } else {
            break;
        }
        // A separator continues the list only if another article follows.
        let mut separated = false;
        for sep in ["、及", "、", "，", ",", "及", "與", "和", "暨", "或", "至"] {
            if let Some(t) = rest.strip_prefix(sep) {
                if sep == "至" {
                    range_after = pending.last().or(out.numbers.last()).copied();
                }
                rest = skip_spaces(t);
                separated = true;
                break;
            }
        }
        if !separated {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        reason = "tests fail loudly"
    )]
    use super::*;
    use proptest::prelude::*;

    fn laws() -> Laws {
        Laws::from_toml(crate::embedded::LAWS_TOML).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The embedded laws walk the table `build.rs` compiled from their
    /// names.
    #[test]
    fn the_embedded_laws_walk_the_table_build_rs_compiled() {
        assert!(laws().matcher.is_embedded());
        let here = crate::extract::table::compile(crate::embedded::LAWS_TERMS)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            here == crate::embedded::LAWS_TABLE,
            "build.rs compiled another table"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// The names read from every occurrence are the crate's
        /// leftmost-longest matches, equal and overlapping names included.
        #[test]
        fn names_are_read_leftmost_longest(
            names in proptest::collection::vec("[個資法人料保護條例]{1,4}", 1..8),
            text in "[個資法人料保護條例a，]{0,60}",
        ) {
            let file = LawsFile {
                law: names
                    .iter()
                    .enumerate()
                    .map(|(i, n)| Law {
                        id: format!("law{i}"),
                        name: n.clone(),
                        aliases: names.iter().take(i).cloned().collect(),
                        in_force: None,
                        superseded_by: None,
                        article_map: BTreeMap::new(),
                        renumbered: Vec::new(),
                    })
                    .collect(),
            };
            let ours = Laws::from_file(file).unwrap_or_else(|e| panic!("{e}"));
            let mut patterns = Vec::new();
            for (i, n) in names.iter().enumerate() {
                patterns.extend(names.iter().take(i).cloned());
                patterns.push(n.clone());
            }
            let crate_matcher = aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                .build(&patterns)
                .unwrap_or_else(|e| panic!("{e}"));
            let theirs: Vec<(usize, Span)> = crate_matcher
                .find_iter(&text)
                .map(|m| (ours.pattern_law[m.pattern().as_usize()], Span::new(m.start(), m.end())))
                .collect();
            let mine: Vec<(usize, Span)> =
                ours.citations(&text, 0).iter().map(|c| (c.law, c.name)).collect();
            prop_assert_eq!(mine, theirs);
        }
    }

    /// The JSON `build.rs` wrote is the laws file: read from it, the laws
    /// are the ones read from the TOML.
    #[test]
    fn the_embedded_json_is_the_laws_file() {
        assert!(crate::embedded::LAWS_JSON.is_some());
        let from_json = Laws::embedded().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(format!("{from_json:?}"), format!("{:?}", laws()));
    }

    /// Near misses by their definition, every name against every candidate
    /// length at every ending: what the indexed search must find.
    fn near_misses_by_definition(laws: &Laws, text: &str, known: &[Span]) -> Vec<NearMiss> {
        let known = KnownSpans::new(known, 0);
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let letters: Vec<char> = chars.iter().map(|&(_, c)| c).collect();
        let mut found: Vec<NearMiss> = Vec::new();
        let mut examined = 0usize;
        for (end_index, &(offset, c)) in chars.iter().enumerate() {
            let end_byte = offset + c.len_utf8();
            let ends_law = c == '法' || (c == '例' && text[..offset].ends_with('條'));
            if !ends_law || known.overlaps(offset, end_byte) {
                continue;
            }
            examined += 1;
            if examined > MAX_NEAR_MISS_POSITIONS {
                break;
            }
            let mut best: Option<(usize, std::cmp::Reverse<usize>, usize, usize)> = None;
            for (law_index, law) in laws.all().iter().enumerate() {
                for name in std::iter::once(&law.name).chain(&law.aliases) {
                    let name: Vec<char> = name.chars().collect();
                    if name.len() < 4 {
                        continue;
                    }
                    for len in name.len().saturating_sub(3).max(4)..=(name.len() + 3).min(14) {
                        let Some(start_index) = (end_index + 1).checked_sub(len) else {
                            continue;
                        };
                        let candidate = &letters[start_index..=end_index];
                        let start_byte = chars[start_index].0;
                        if !candidate.iter().all(|&c| is_cjk(c))
                            || known.overlaps(start_byte, end_byte)
                            || (candidate[..2] != name[..2]
                                && candidate[len - 2..] != name[name.len() - 2..])
                        {
                            continue;
                        }
                        let distance =
                            crate::extract::config::edit_distance_chars(candidate, &name);
                        if distance == 0 || distance > 3 || distance * 3 > len {
                            continue;
                        }
                        let key = (distance, std::cmp::Reverse(len), law_index, start_byte);
                        if best.is_none_or(|b| key < b) {
                            best = Some(key);
                        }
                    }
                }
            }
            if let Some((distance, std::cmp::Reverse(length), law, start_byte)) = best {
                let span = Span::new(start_byte, end_byte);
                found.retain(|f| !(f.span.start >= span.start && f.span.end <= span.end));
                found.push(NearMiss {
                    span,
                    law,
                    distance,
                    length,
                });
            }
        }
        found
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        /// The banded distance is the full one whenever that is at most
        /// `k`, and `None` otherwise.
        #[test]
        fn the_banded_distance_is_the_full_one_within_k(
            a in proptest::collection::vec(0..4_u8, 0..20),
            b in proptest::collection::vec(0..4_u8, 0..20),
            k in 0..5_usize,
        ) {
            let chars = |v: &[u8]| -> Vec<char> { v.iter().map(|&x| ['法', '保', '護', '資'][usize::from(x)]).collect() };
            let (a, b) = (chars(&a), chars(&b));
            let full = crate::extract::config::edit_distance_chars(&a, &b);
            prop_assert_eq!(distance_within(&a, &b, k), (full <= k).then_some(full));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Texts made of law names with characters changed, dropped, added
        /// and run together: the indexed search finds what the definition does.
        #[test]
        fn near_misses_are_those_of_the_definition(
            pieces in proptest::collection::vec(
                (0usize..64, proptest::collection::vec((0usize..4, 0usize..16, 0usize..12), 0..4), 0usize..6),
                1..8,
            )
        ) {
            const FILLER: [&str; 6] = ["", "依", "及", "，", "之規定", "a"];
            const CHARS: [char; 12] = ['資', '料', '保', '護', '個', '人', '法', '條', '例', '機', '密', '管'];
            let laws = laws();
            let mut text = String::new();
            for (law, edits, filler) in &pieces {
                let law = &laws.all()[law % laws.all().len()];
                let mut name: Vec<char> = law.name.chars().collect();
                for &(kind, at, with) in edits {
                    let at = at % (name.len() + 1);
                    match kind {
                        0 if at < name.len() => name[at] = CHARS[with],
                        1 if at < name.len() => {
                            name.remove(at);
                        }
                        _ => name.insert(at, CHARS[with]),
                    }
                }
                text.extend(name);
                text.push_str(FILLER[*filler]);
            }
            let known: Vec<Span> = laws.citations(&text, 0).iter().map(|c| c.name).collect();
            prop_assert_eq!(
                laws.near_misses(&text, 0, &known),
                near_misses_by_definition(&laws, &text, &known),
                "{}", text
            );
        }
    }

    #[test]
    fn chinese_numbers_round_trip() {
        for (n, s) in [
            (4, "四"),
            (10, "十"),
            (15, "十五"),
            (20, "二十"),
            (108, "一百零八"),
            (229, "二百二十九"),
        ] {
            assert_eq!(to_chinese(n), s);
            assert_eq!(read_number(s), Some((n, s.len(), false)));
        }
        assert_eq!(read_number("１８條"), Some((18, 6, true)));
    }
}
