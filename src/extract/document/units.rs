//! Sentence units and 「；」 sub-clauses of the rules document, and the
//! spans masked before matching (quoted names, 「（以下簡稱…）」 definitions).

use crate::source::Span;

use super::outline::{Clause, ClauseKind, MarkerKind, scan_marker};

/// One sentence unit: it ends at 。！？, at a table cell, at a 「<br>」, or at
/// a 「；」/「：」 that a new clause number follows.
#[derive(Debug, Clone)]
pub struct Unit {
    /// The sentence, trimmed.
    pub span: Span,
    /// Its 「；」 sub-clauses; one that refers back (亦同, 前項) is joined to
    /// the one before it by the caller.
    pub subs: Vec<Span>,
    /// The clause it belongs to.
    pub clause: usize,
}

/// Whether a text holds a modal that makes it a rule: 應, 須, 不得, 一律
/// (「…，已通報移民署在案」 has none: it says what happened).
#[must_use]
pub fn has_modal(text: &str) -> bool {
    text.contains(['應', '須']) || text.contains("不得") || text.contains("一律")
}

/// Whether a character counts as content: a letter, a CJK character or a
/// digit (the common CJK block is tested first: it is most of a document).
#[must_use]
pub fn is_letter(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
        || c.is_ascii_alphanumeric()
        || (!c.is_ascii() && !is_cjk_punctuation(c) && c.is_alphanumeric())
}

/// The punctuation of Chinese text, none of it alphanumeric: answered
/// without the Unicode tables, which are slow for the characters a rules
/// document has most after the CJK ones.
fn is_cjk_punctuation(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '「'
            | '」'
            | '『'
            | '』'
            | '（'
            | '）'
            | '！'
            | '？'
            | '〔'
            | '〕'
            | '【'
            | '】'
            | '《'
            | '》'
            | '〈'
            | '〉'
            | '…'
            | '—'
            | '\u{3000}'
    )
}

/// Letters, CJK characters and digits: what counts as content.
#[must_use]
pub fn letters(text: &str) -> i64 {
    let n = text.chars().filter(|&c| is_letter(c)).count();
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Letters before each byte offset of `text`, so that the letters of any
/// span are counted in constant time.
#[must_use]
pub fn letter_prefix(text: &str) -> Vec<u32> {
    // The offsets inside a character have the letters before it; its end
    // has the letters up to and including it. One pass, a character at a
    // time, each offset written once.
    let bytes = text.as_bytes();
    let mut out: Vec<u32> = Vec::with_capacity(bytes.len() + 1);
    out.push(0);
    let mut n = 0u32;
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        // The character that begins here, and whether it is a letter. The
        // common CJK block (U+4E00–U+9FFF: E4 B8 80 – E9 BF BF) is told by
        // its first two bytes; any other character is decoded.
        let (len, letter) = if b < 0x80 {
            (1, b.is_ascii_alphanumeric())
        } else if (0xE5..=0xE9).contains(&b)
            || (b == 0xE4 && bytes.get(i + 1).is_some_and(|&next| next >= 0xB8))
        {
            (3, true)
        } else {
            text.get(i..)
                .and_then(|rest| rest.chars().next())
                .map_or((1, false), |c| (c.len_utf8(), is_letter(c)))
        };
        let after = n + u32::from(letter);
        match len {
            1 => out.push(after),
            2 => out.extend_from_slice(&[n, after]),
            3 => out.extend_from_slice(&[n, n, after]),
            _ => out.extend_from_slice(&[n, n, n, after]),
        }
        n = after;
        i += len;
    }
    out
}

const SENTENCE_ENDS: &[char] = &['。', '！', '？', '!', '?', '|'];
const SUB_ENDS: &[char] = &['；', ';'];

/// Whether a clause number (not a bullet) starts `rest`, after spaces.
pub(crate) fn marker_follows(rest: &str) -> bool {
    let rest = rest.trim_start_matches([' ', '\t', '\u{3000}', '\r', '\n']);
    scan_marker(rest).is_some_and(|(kind, _)| kind != MarkerKind::Bullet)
}

/// The trimmed piece `start..end` of `text`, if it has a letter.
fn trimmed(text: &str, start: usize, end: usize) -> Option<Span> {
    let piece = text.get(start..end)?;
    let lead = piece.trim_start_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '：' | ':' | '，' | ',' | '、' | '）' | ')' | '*' | '_' | '>' | '※' | '＊'
            )
    });
    let body = lead.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_'));
    if !body.chars().any(is_letter) {
        return None;
    }
    let s = start + (piece.len() - lead.len());
    Some(Span::new(s, s + body.len()))
}

/// Split the region `span` of `text` into sentence units of clause `clause`.
pub fn split(text: &str, span: Span, clause: usize, out: &mut Vec<Unit>) {
    let Some(body) = text.get(span.start..span.end) else {
        return;
    };
    let mut start = 0;
    // The 「；」 of the unit being read that do not end it: where its
    // sub-clauses meet (byte offset in `text`, length).
    let mut joints: Vec<(usize, usize)> = Vec::new();
    // Only the characters that may end a unit are looked at: found by
    // their first byte (every one of them begins with one of these).
    let mut next = 0;
    while let Some(i) = find_byte(body, next, |b| {
        UNIT_END_LEADS.get(usize::from(b)).copied().unwrap_or(false)
    }) {
        let Some(c) = body.get(i..).and_then(|r| r.chars().next()) else {
            break;
        };
        let end = i + c.len_utf8();
        next = end;
        let rest = body.get(end..).unwrap_or("");
        let sub_end = SUB_ENDS.contains(&c);
        let boundary = SENTENCE_ENDS.contains(&c)
            || (c == '<' && rest.starts_with("br"))
            || ((sub_end || c == '：' || c == ':') && marker_follows(rest))
            // 「…使用規定如下：查詢業務由…；…」: the introduction of a run-on
            // list is a sentence of its own, not the start of its first item.
            || ((c == '：' || c == ':')
                && body
                    .get(start..i)
                    .is_some_and(|before| before.ends_with("如下") || before.ends_with("如左")));
        if boundary {
            push(
                text,
                span.start + start,
                span.start + i,
                &joints,
                clause,
                out,
            );
            joints.clear();
            start = end;
            if c == '<'
                && let Some(close) = rest.find('>')
            {
                // What is inside the tag is skipped.
                start = end + close + 1;
                next = start;
            }
        } else if sub_end {
            joints.push((span.start + i, c.len_utf8()));
        }
    }
    push(text, span.start + start, span.end, &joints, clause, out);
}

/// The first byte of `text` at or after `from` that `wanted` accepts; it
/// begins a character when `wanted` accepts only ASCII and leading bytes.
/// The bytes a character that may end a unit begins with: a table, one
/// load a byte where eight comparisons were.
#[expect(
    clippy::indexing_slicing,
    reason = "evaluated when compiled: a byte indexes a table of 256"
)]
static UNIT_END_LEADS: [bool; 256] = {
    let mut table = [false; 256];
    let wanted = [0xE3, 0xEF, b'!', b'?', b'|', b'<', b';', b':'];
    let mut i = 0;
    while i < wanted.len() {
        table[wanted[i] as usize] = true;
        i += 1;
    }
    table
};

fn find_byte(text: &str, from: usize, wanted: impl Fn(u8) -> bool) -> Option<usize> {
    let rest = text.as_bytes().get(from..)?;
    rest.iter().position(|&b| wanted(b)).map(|i| from + i)
}

/// The unit `start..end`, trimmed, with its sub-clauses: the pieces between
/// its `joints` (its 「；」, which trimming never removes), if it has a letter.
fn push(
    text: &str,
    start: usize,
    end: usize,
    joints: &[(usize, usize)],
    clause: usize,
    out: &mut Vec<Unit>,
) {
    let Some(unit) = trimmed(text, start, end) else {
        return;
    };
    let mut subs = Vec::with_capacity(joints.len() + 1);
    let mut s = unit.start;
    for &(at, len) in joints {
        if let Some(sub) = trimmed(text, s, at) {
            subs.push(sub);
        }
        s = at + len;
    }
    if let Some(sub) = trimmed(text, s, unit.end) {
        subs.push(sub);
    }
    out.push(Unit {
        span: unit,
        subs,
        clause,
    });
}

/// The region of a clause that holds sentences: its own text after its
/// title. A heading's own text is its title, so it has none.
#[must_use]
pub fn region(clause: &Clause) -> Option<Span> {
    if matches!(clause.kind, ClauseKind::Heading(_)) {
        return None;
    }
    let start = clause.title.map_or(clause.own.start, |t| t.end);
    (start < clause.own.end).then(|| Span::new(start, clause.own.end))
}

/// A quoted name 「…」 and what it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quoted {
    /// A form, register or document (…單, …表, …簿, …書).
    Form,
    /// A system or platform.
    System,
    /// Any other name.
    Other,
}

/// Longest quoted text read as a name, in characters.
const MAX_NAME_CHARS: usize = 30;

/// Spans to mask before matching: quoted names 「…」 (with what they name)
/// and 「（以下簡稱…）」 definitions, in order of start.
#[must_use]
pub fn masks(text: &str) -> Vec<(Span, Quoted)> {
    let mut out = Vec::new();
    // Only 「, （ and ( open a mask: found by their first byte.
    let mut next = 0;
    while let Some(i) = text
        .as_bytes()
        .get(next..)
        .and_then(|rest| memchr::memchr3(0xE3, 0xEF, b'(', rest))
        .map(|i| next + i)
    {
        let Some(c) = text.get(i..).and_then(|r| r.chars().next()) else {
            break;
        };
        next = i + c.len_utf8();
        let (close, defined) = match c {
            '「' => ('」', false),
            '（' | '(' => {
                let rest = text.get(i + c.len_utf8()..).unwrap_or("");
                if !rest.starts_with("以下簡稱") && !rest.starts_with("下稱") {
                    continue;
                }
                (if c == '（' { '）' } else { ')' }, true)
            }
            _ => continue,
        };
        let inner_start = i + c.len_utf8();
        let rest = text.get(inner_start..).unwrap_or("");
        let mut end = None;
        for (count, (j, d)) in rest.char_indices().enumerate() {
            if count > MAX_NAME_CHARS || matches!(d, '。' | '；' | ';' | '\n') {
                break;
            }
            if d == close {
                end = Some(inner_start + j);
                break;
            }
        }
        let Some(inner_end) = end else {
            continue;
        };
        let name = text.get(inner_start..inner_end).unwrap_or("");
        // A quoted clause (with a comma) is a quotation, not a name.
        if !defined && (name.contains(['，', ',']) || name.is_empty()) {
            continue;
        }
        let kind = if defined {
            Quoted::Other
        } else if name.ends_with(['單', '表', '簿', '書', '冊', '卡']) {
            Quoted::Form
        } else if name.ends_with("系統") || name.ends_with("平台") || name.ends_with("介面") {
            Quoted::System
        } else {
            Quoted::Other
        };
        let span = Span::new(i, inner_end + close.len_utf8());
        out.push((span, kind));
        // Skip past the masked span.
        next = span.end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_punctuation_fast_path_agrees_with_unicode() {
        // Every character the fast path names is not alphanumeric, so the
        // letter count is what `char::is_alphanumeric` alone would give.
        for c in "，。、；：「」『』（）！？〔〕【】《》〈〉…—\u{3000}".chars()
        {
            assert!(is_cjk_punctuation(c), "{c}");
            assert!(!c.is_alphanumeric(), "{c}");
            assert!(!is_letter(c), "{c}");
        }
        for c in ['〇', '々', 'Ａ', '１', 'é', '人', 'a', '7'] {
            assert_eq!(is_letter(c), c.is_alphanumeric(), "{c}");
        }
    }

    proptest::proptest! {
        /// At a character's start and end the letters before it; inside
        /// it, those before its start.
        #[test]
        fn letter_prefix_counts_letters_before_each_byte(
            text in "[第1條，本局。a 〇Ａ１é\u{3400}\u{20000}「」—\u{4e00}\u{9fff}]{0,40}",
        ) {
            let prefix = letter_prefix(&text);
            proptest::prop_assert_eq!(prefix.len(), text.len() + 1);
            for (start, c) in text.char_indices() {
                let before = u32::try_from(letters(text.get(..start).unwrap_or(""))).unwrap_or(0);
                for i in start..start + c.len_utf8() {
                    proptest::prop_assert_eq!(prefix.get(i).copied(), Some(before), "at {}", i);
                }
            }
            let all = u32::try_from(letters(&text)).unwrap_or(0);
            proptest::prop_assert_eq!(prefix.last().copied(), Some(all));
        }
    }
}
