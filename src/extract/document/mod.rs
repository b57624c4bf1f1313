//! Facts from the management rules document (管理規範): for each part the
//! regulation requires, the evidence found by its content, and every law
//! citation. Rust only finds and measures; Cedar policies judge.
//!
//! The reading goes: the outline (clauses and their titles), the law
//! citations, the masked spans (law names, quoted names, 「（以下簡稱…）」),
//! one Aho-Corasick pass for every concept of the vocabulary, sentence units
//! with their 「；」 sub-clauses, and then for each part its candidates —
//! titles that name its topic and sentences that state it — ranked by
//! strength. See `data/vocabulary.toml` for the patterns.

pub mod outline;
pub mod units;
pub mod vocabulary;

use std::collections::BTreeSet;

use crate::extract::citation::{Citation, Laws, NearMiss};
use crate::extract::reference::{self, MergedName};
use crate::source::Span;
use outline::Outline;
use units::{Quoted, Unit};
use vocabulary::{ConceptSet, Content, CueIds, Hit, Part, Vocabulary, bigrams};

/// What the document says about one part.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartFacts {
    /// A text addresses the part: states it, or is a title or sentence
    /// about it (even one that is empty, defers, denies or restates).
    pub found: bool,
    /// The evidence is a title (heading, numbered clause's title, first
    /// table cell) that names the part's topic.
    pub titled: bool,
    /// Letters under the title, or in the sentence.
    pub content_chars: i64,
    /// A text states the part: one of its content patterns matched a
    /// sentence that says something (has a predicate).
    pub stated: bool,
    /// That text defers to another document (另定之) instead of stating it.
    pub placeholder: bool,
    /// That text only holds 「（略）」.
    pub omitted: bool,
    /// That text negates the part (本所不涉及稽核).
    pub negated: bool,
    /// That text only restates the regulation's own wording of the item.
    pub restated: bool,
    /// Ids of the laws cited in the clause holding the evidence.
    pub laws: BTreeSet<String>,
    /// The title or sentence used as evidence.
    pub evidence: Option<Span>,
    /// The concepts of the pattern that matched (why it counts as stated).
    pub matched: Vec<String>,
    /// When the part is not found: the sentence that came closest.
    pub closest: Option<Span>,
    /// The concepts the closest sentence lacks.
    pub lacks: Vec<String>,
}

/// Everything niacheck extracts from a rules document.
#[derive(Debug, Default)]
pub struct DocumentFacts {
    /// One entry per vocabulary part, in vocabulary order: (key, facts).
    pub parts: Vec<(String, PartFacts)>,
    /// Every law citation, in document order.
    pub citations: Vec<Citation>,
    /// Names that look like a law's but are not one niacheck knows.
    pub near_misses: Vec<NearMiss>,
    /// Ids of every law cited.
    pub laws: BTreeSet<String>,
    /// Every article cited, as `law-id:article`.
    pub articles: BTreeSet<String>,
    /// Every place the document names a body of a merged county
    /// (臺北縣政府警察局), by the counties the vocabulary was given
    /// ([`Vocabulary::with_merged`]).
    pub merged_names: Vec<MergedName>,
}

impl DocumentFacts {
    /// The facts of one part.
    #[must_use]
    pub fn part(&self, key: &str) -> Option<&PartFacts> {
        self.parts.iter().find(|(k, _)| k == key).map(|(_, f)| f)
    }
}

/// How strongly a candidate addresses its part; higher wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    /// A title over nothing that states the part, or a bare label.
    Label,
    /// A restatement of the regulation's item.
    Restated,
    /// A sentence that denies or defers the part.
    Denied,
    /// A text that states the part.
    Stated,
    /// A section whose own title names the part and whose text denies or
    /// defers it: one finding for the title.
    SectionDenied,
}

struct Candidate<'v> {
    class: Class,
    titled: bool,
    strength: usize,
    order: usize,
    /// The facts, but for `laws` and `matched`, filled in for the winner.
    facts: PartFacts,
    /// Where the laws of the evidence are read.
    laws_scope: Span,
    /// The pattern that stated the part.
    content: Option<&'v Content>,
    /// The title is a chapter's (第六章　督導考核), over articles that have
    /// titles of their own.
    chapter: bool,
}

impl Candidate<'_> {
    /// Class, then strength (not length), then a title over a sentence,
    /// then the earlier text.
    fn rank(&self) -> (Class, usize, bool, std::cmp::Reverse<usize>) {
        (
            self.class,
            self.strength,
            self.titled,
            std::cmp::Reverse(self.order),
        )
    }
}

/// The closest a sentence came to stating a part without doing so.
struct Near {
    score: usize,
    span: Span,
    lacks: Vec<usize>,
}

/// The most hits looked at when testing order or distance in one scope.
const MAX_POSITION_HITS: usize = 64;
/// What fills the unused places of a scope's first hits.
static NO_HIT: Hit = Hit {
    span: Span { start: 0, end: 0 },
    concept: 0,
};
/// How far after an exemption cue (in bytes) the governed word may start.
const NEGATION_REACH: usize = 12 * 3;
/// How close to the end of its sub-clause (in bytes) a final exemption cue is.
const NEGATION_TAIL: usize = 4 * 3;
/// How close to the end of its phrase (in bytes) a placeholder cue defers
/// the phrase (「另以附表定之」).
const DEFERRAL_TAIL: usize = 4 * 3;
/// The most letters of a sentence that can be an item's name (a noun
/// phrase: 「定期督導及稽核之具體作業程序」).
const NOMINAL_MAX_LETTERS: i64 = 16;
/// The most letters of a label over a list (「違反個資法致當事人受害者：」).
const MAX_LIST_LABEL: usize = 20;
/// The letters of the head noun after an item name's last 「之」.
const NOMINAL_TAIL: std::ops::RangeInclusive<i64> = 2..=8;
/// The most letters of a numbered line that is an item's name by itself
/// (「（六）資料銷毀。」).
const NOMINAL_LINE_LETTERS: i64 = 6;

struct Reader<'a> {
    text: &'a str,
    /// Letters before each byte (see [`units::letter_prefix`]).
    letters: Vec<u32>,
    cues: CueIds,
    hits: Vec<Hit>,
    vocabulary: &'a Vocabulary,
}

impl Reader<'_> {
    fn hits_in(&self, span: Span) -> &[Hit] {
        let lo = self.hits.partition_point(|h| h.span.start < span.start);
        let hi = self.hits.partition_point(|h| h.span.start < span.end);
        self.hits.get(lo..hi.max(lo)).unwrap_or(&[])
    }

    fn set(hits: &[Hit]) -> ConceptSet {
        let mut set = ConceptSet::default();
        for h in hits {
            set.insert(h.concept);
        }
        set
    }

    /// Letters in a span, in constant time.
    fn letters(&self, span: Span) -> i64 {
        let at = |i: usize| self.letters.get(i).copied().unwrap_or(0);
        i64::from(at(span.end).saturating_sub(at(span.start)))
    }

    fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// The best content pattern of `part` stated in a sentence.
    fn content<'p, 'h>(
        &'h self,
        part: &'p Part,
        sentence: &Scoped<'h>,
        subs: &[Scoped<'_>],
        extra: &ConceptSet,
    ) -> Option<&'p Content> {
        // Every pattern's concepts are among the part's: a sentence with
        // none of them states it in no way.
        let present = sentence.set.union(extra);
        if !present.intersects(&part.mentions) {
            return None;
        }
        // The pattern with the most concepts; the first written on a tie. A
        // pattern of no more concepts than one already matched cannot win,
        // and is not tested.
        let mut best: Option<&'p Content> = None;
        for c in &part.content {
            if best.is_some_and(|b| c.all.len() <= b.all.len()) || !present.contains_all(&c.set) {
                continue;
            }
            let matched = match c.scope {
                vocabulary::Scope::Sentence => matches_in(c, sentence, extra),
                vocabulary::Scope::Clause => subs.iter().any(|s| matches_in(c, s, extra)),
                vocabulary::Scope::Phrase => sentence
                    .phrases
                    .get_or_init(|| self.phrases(sentence.span))
                    .iter()
                    .any(|p| matches_in(c, p, extra)),
            };
            if matched {
                best = Some(c);
            }
        }
        best
    }

    /// The 「，」 phrases of a span.
    fn phrases(&self, span: Span) -> Vec<Scoped<'_>> {
        let body = self.slice(span);
        let mut out = Vec::new();
        let mut start = 0;
        for (i, c) in body
            .char_indices()
            .chain(std::iter::once((body.len(), '，')))
        {
            if matches!(c, '，' | ',' | '；' | ';') {
                let piece = Span::new(span.start + start, span.start + i);
                let hits = self.hits_in(piece);
                out.push(Scoped {
                    span: piece,
                    hits,
                    set: Reader::set(hits),
                    phrases: std::cell::OnceCell::new(),
                });
                start = i + c.len_utf8();
            }
        }
        out
    }

    /// Whether an exemption cue in this sub-clause governs the part: the
    /// part's word or a regulating verb follows it closely, or it closes the
    /// sub-clause after a word of the part.
    fn negates(&self, part: &Part, sub: &Scoped<'_>) -> bool {
        if self.denies_by_absence(part, sub) {
            return true;
        }
        let cues = self.cues;
        // One pass: hits are in order of start, so what follows a cue is
        // looked at only within its reach.
        let mut seen_part = false;
        for (i, h) in sub.hits.iter().enumerate() {
            if h.concept == cues.negation && !self.opens_modifier(sub.span, h.span) {
                let reach = h.span.end.saturating_add(NEGATION_REACH);
                let after = sub
                    .hits
                    .get(i + 1..)
                    .unwrap_or(&[])
                    .iter()
                    .take_while(|g| g.span.start <= reach)
                    .any(|g| {
                        g.span.start >= h.span.end
                            && (part.mentions.contains(g.concept) || g.concept == cues.regulating)
                    });
                let closing = seen_part && sub.span.end.saturating_sub(h.span.end) <= NEGATION_TAIL;
                if after || closing {
                    return true;
                }
            }
            seen_part |= part.mentions.contains(h.concept);
        }
        false
    }

    /// Whether an exemption cue opens a phrase that only qualifies what the
    /// rest of the sentence speaks of: a noun's modifier or a condition
    /// (「無須附卷之查詢報表，由承辦人…銷毀」, 「免予附卷者，應即銷毀」). Such a
    /// phrase ends in 「者」 (wherever the cue is in it), or starts with the
    /// cue and has a 「之」 after it, and another phrase of the sub-clause
    /// follows it.
    fn opens_modifier(&self, sub: Span, cue: Span) -> bool {
        let after = self.slice(Span::new(cue.end, sub.end));
        // A condition on those it names, then what they may not do, in one
        // phrase (「非屬前開業務者不得查詢」): 者 and a rule after it.
        let phrase_end = after.find(['，', ',']).unwrap_or(after.len());
        if let Some(at) = after.get(..phrase_end).and_then(|p| p.find('者'))
            && let Some(next) = after
                .get(at + '者'.len_utf8()..phrase_end)
                .and_then(|r| r.chars().next())
            && next != '之'
            && units::is_letter(next)
        {
            return true;
        }
        let Some(comma) = after.find(['，', ',']) else {
            return false;
        };
        let phrase = after.get(..comma).unwrap_or("");
        let rest = after.get(comma..).unwrap_or("");
        if !rest.chars().any(units::is_letter) {
            return false;
        }
        // A condition ending in 者 (「查得資料非屬應歸檔之公文者，…即予銷燬」)
        // wherever the cue is in it.
        if phrase.ends_with('者') {
            return true;
        }
        let before = self
            .slice(Span::new(sub.start, cue.start))
            .trim_end_matches([' ', '\t', '\u{3000}']);
        (before.is_empty() || before.ends_with(['，', ','])) && phrase.contains('之')
    }

    /// Whether a pattern of `part` matches a sentence without its phrases
    /// that defer: that end with a placeholder cue (「…另行規定」,
    /// 「另以附表定之」) or open with one (「詳如附件一業務說明」), not a phrase
    /// where 另以 means "also by" (「另以紙本登記簿登記…」); nor the phrase
    /// that only names the item deferred (「配合移民署稽核之程序，詳如附件四」).
    fn states_outside_deferral(
        &self,
        part: &Part,
        sentence: &Scoped<'_>,
        extra: &ConceptSet,
    ) -> bool {
        let kept: Vec<Scoped<'_>> = self
            .phrases(sentence.span)
            .into_iter()
            .filter(|p| {
                !p.hits.iter().any(|h| {
                    (h.concept == self.cues.vague
                        && p.span.end.saturating_sub(h.span.end) <= DEFERRAL_TAIL)
                        || h.concept == self.cues.placeholder
                            && (p.span.end.saturating_sub(h.span.end) <= DEFERRAL_TAIL
                                || self
                                    .slice(Span::new(p.span.start, h.span.start))
                                    .trim_matches([' ', '\t', '\u{3000}'])
                                    .is_empty())
                }) && !self.names_item(p)
            })
            .collect();
        let hits: Vec<Hit> = kept.iter().flat_map(|p| p.hits.iter().copied()).collect();
        // The title's or label's concepts alone do not state the part: the
        // text outside the deferral must say something of it itself
        // (「## 十、違反之責任」 over 「使用者違反本要點之責任，另以懲處規定定之。」).
        if !hits.iter().any(|h| part.mentions.contains(h.concept)) {
            return false;
        }
        let rest = Scoped {
            span: sentence.span,
            hits: &hits,
            set: Reader::set(&hits),
            phrases: std::cell::OnceCell::new(),
        };
        part.content.iter().any(|c| match c.scope {
            vocabulary::Scope::Phrase => kept.iter().any(|p| matches_in(c, p, extra)),
            vocabulary::Scope::Sentence | vocabulary::Scope::Clause => matches_in(c, &rest, extra),
        })
    }

    /// Whether a vague reference (依規定辦理) among `hits` ends its 「，」
    /// phrase or the unit `span`.
    fn vague_at_phrase_end(&self, hits: &[Hit], span: Span) -> bool {
        hits.iter()
            .filter(|h| h.concept == self.cues.vague)
            .any(|h| {
                let rest = self.slice(Span::new(h.span.end, span.end));
                let next = rest
                    .trim_start_matches([' ', '\t', '\u{3000}'])
                    .chars()
                    .next();
                next.is_none_or(|c| matches!(c, '，' | ',' | '。' | '；' | ';' | '、'))
            })
    }

    /// Whether the predicate cues among `hits` have a one-character function
    /// word (應, 須, 得, 由, 即, …); one inside a longer cue (報 of 通報) is
    /// that word.
    fn function_word(&self, hits: &[Hit]) -> bool {
        let predicates = || hits.iter().filter(|h| h.concept == self.cues.predicate);
        // Nor is one inside a history cue (the 依 of 原規定依).
        let history = || hits.iter().filter(|h| h.concept == self.cues.history);
        predicates().any(|h| {
            self.slice(h.span).chars().count() < 2
                && !predicates().any(|w| w.span.len() > h.span.len() && w.span.contains(h.span))
                && !history().any(|w| w.span.contains(h.span))
        })
    }

    /// Whether a sentence is an item's name, a noun phrase, not a statement:
    /// one phrase whose predicate cues are all words of two or more
    /// characters (verbs that also name an act: 銷毀, 通報, 配合, 定期), none a
    /// one-character function word (應, 須, 得, 由, 即, 依, …), that either
    /// ends in a short head noun after its last 「之」 (「定期督導及稽核之具體作業程序」,
    /// 「系統異常時之電話通報」) or is a numbered line of a few letters with
    /// nothing under it (「（六）資料銷毀。」).
    fn nominal(&self, unit: &Unit, hits: &[Hit], clause: Option<&outline::Clause>) -> bool {
        let letters = self.letters(unit.span);
        if letters > NOMINAL_MAX_LETTERS {
            return false;
        }
        let body = self.slice(unit.span);
        if body.contains(['，', ',', '；', ';', '：', ':']) {
            return false;
        }
        let named_item = self.ends_in_head_noun(unit.span);
        // 「應遵循之法規」, 「使用機關及個人應遵守之法令」: a modal before the
        // noun it qualifies names the item.
        let modal_noun = named_item
            && body.rfind('應').is_some_and(|at| {
                let tail = body.get(at..).unwrap_or("");
                tail.contains('之') && tail.chars().count() <= 8
            });
        if self.function_word(hits) && !modal_noun {
            return false;
        }
        // A numbered line, or a paragraph, of a few letters and nothing
        // else (「（六）資料銷毀。」, 「配合稽核作業。」).
        let bare_line = letters <= NOMINAL_LINE_LETTERS
            && clause.is_some_and(|c| {
                c.title.is_none()
                    && c.span.end == c.own.end
                    && match c.kind {
                        outline::ClauseKind::Numbered(_) => c.own.contains(unit.span),
                        outline::ClauseKind::Paragraph => {
                            self.letters(c.own) == letters && c.own.contains(unit.span)
                        }
                        _ => false,
                    }
            });
        named_item || bare_line
    }

    /// Whether a span ends in a short head noun after its last 「之」, with
    /// at least two letters before it (「配合移民署稽核之程序」).
    fn ends_in_head_noun(&self, span: Span) -> bool {
        self.slice(span).rfind('之').is_some_and(|at| {
            let head = Span::new(span.start, span.start + at);
            let tail = Span::new(span.start + at + '之'.len_utf8(), span.end);
            self.letters(head) >= 2 && NOMINAL_TAIL.contains(&self.letters(tail))
        })
    }

    /// Whether a 「，」 phrase is only an item's name: a noun phrase of a
    /// few letters, without a one-character function word, that ends in a
    /// short head noun after 「之」 (「配合移民署稽核之程序，詳如附件四」).
    fn names_item(&self, phrase: &Scoped<'_>) -> bool {
        self.letters(phrase.span) <= NOMINAL_MAX_LETTERS
            && !self.function_word(phrase.hits)
            && self.ends_in_head_noun(phrase.span)
    }

    /// Whether a sub-clause denies the part by saying there is no question
    /// or application of it: a 「，」 phrase that opens with 無 (after 爰, 故,
    /// 自, 並, 即, 亦 or 均), ends in 之適用 or 之問題, and speaks of the part
    /// (「爰無使用完成後資料處理之問題」, 「無使用者異動通知之適用」).
    fn denies_by_absence(&self, part: &Part, sub: &Scoped<'_>) -> bool {
        if !sub.set.intersects(&part.mentions) {
            return false;
        }
        let body = self.slice(sub.span);
        if !body.contains('無') {
            return false;
        }
        let mut start = 0;
        for (i, c) in body
            .char_indices()
            .chain(std::iter::once((body.len(), '，')))
        {
            if !matches!(c, '，' | ',') {
                continue;
            }
            let phrase = body
                .get(start..i)
                .unwrap_or("")
                .trim_end_matches(['。', '.', ' ', '\t', '\u{3000}']);
            let opened = phrase
                .trim_start_matches([
                    ' ', '\t', '\u{3000}', '爰', '故', '自', '並', '即', '亦', '均',
                ])
                .starts_with('無');
            if opened
                && (phrase.ends_with("之適用") || phrase.ends_with("之問題"))
                && self
                    .hits_in(Span::new(sub.span.start + start, sub.span.start + i))
                    .iter()
                    .any(|h| part.mentions.contains(h.concept))
            {
                return true;
            }
            start = i + c.len_utf8();
        }
        false
    }

    /// Whether a sub-clause speaks of the part: its topic, or two concepts
    /// (or the only one) of a content pattern.
    fn mentions(part: &Part, sub: &Scoped<'_>) -> bool {
        sub.set.intersects(&part.topic)
            || part.content.iter().any(|c| {
                let n = sub.set.intersection(&c.set).len();
                n >= 2 || (n >= 1 && c.all.len() == 1)
            })
    }

    /// Whether the sentence only restates the regulation's item text.
    fn restates(part: &Part, sentence: &[u64]) -> bool {
        if sentence.is_empty() {
            return false;
        }
        part.restates.iter().any(|item| {
            // `common` is at most the smaller of the two lengths: sizes too
            // far apart cannot pass, and are not searched.
            if sentence.len() * 85 > item.len() * 100 || sentence.len() * 100 < item.len() * 60 {
                return false;
            }
            let common = common_count(sentence, item);
            common * 100 >= sentence.len() * 85 && common * 100 >= item.len() * 60
        })
    }
}

/// How many values two sorted lists without repeats share: one merge.
fn common_count(a: &[u64], b: &[u64]) -> usize {
    let (mut a, mut b) = (a.iter().peekable(), b.iter().peekable());
    let mut n = 0;
    while let (Some(&&x), Some(&&y)) = (a.peek(), b.peek()) {
        match x.cmp(&y) {
            std::cmp::Ordering::Less => {
                a.next();
            }
            std::cmp::Ordering::Greater => {
                b.next();
            }
            std::cmp::Ordering::Equal => {
                n += 1;
                a.next();
                b.next();
            }
        }
    }
    n
}

/// A scope (sentence or sub-clause) with its hits and concepts.
struct Scoped<'h> {
    span: Span,
    hits: &'h [Hit],
    set: ConceptSet,
    /// Its 「，」 phrases, read on first need and kept for every part.
    phrases: std::cell::OnceCell<Vec<Scoped<'h>>>,
}

/// Whether a content pattern matches in a scope, with `extra` concepts
/// (a title's) counting as present without a position.
fn matches_in(c: &Content, scope: &Scoped<'_>, extra: &ConceptSet) -> bool {
    if scope.set.intersects(&c.not) || !scope.set.union(extra).contains_all(&c.set) {
        return false;
    }
    if !c.ordered && c.within.is_none() {
        return true;
    }
    // The pattern's concepts the scope has (the others are a title's), in
    // the pattern's order, and the first hits of them: on the stack.
    let needed_set = c.set.intersection(&scope.set);
    let needed = c.all.iter().copied().filter(|&k| scope.set.contains(k));
    let mut after_first = needed.clone();
    let Some(first) = after_first.next() else {
        return true;
    };
    let mut buffer: [&Hit; MAX_POSITION_HITS] = [&NO_HIT; MAX_POSITION_HITS];
    let mut count = 0;
    for (slot, h) in buffer
        .iter_mut()
        .zip(scope.hits.iter().filter(|h| needed_set.contains(h.concept)))
    {
        *slot = h;
        count += 1;
    }
    let hits = buffer.get(..count).unwrap_or(&[]);
    let limit = c.within.unwrap_or(usize::MAX);
    if c.ordered {
        hits.iter()
            .enumerate()
            .filter(|(_, h)| h.concept == first)
            .any(|(i, start)| {
                let mut pos = start.span.end;
                let mut rest = hits.get(i + 1..).unwrap_or(&[]).iter();
                for k in after_first.clone() {
                    match rest.find(|h| h.concept == k && h.span.start >= pos) {
                        Some(h) => pos = h.span.end,
                        None => return false,
                    }
                }
                pos - start.span.start <= limit
            })
    } else {
        hits.iter().any(|start| {
            let end = start.span.start.saturating_add(limit);
            needed.clone().all(|k| {
                hits.iter().any(|h| {
                    h.concept == k && h.span.start >= start.span.start && h.span.end <= end
                })
            })
        })
    }
}

/// Keep `candidate` if it outranks the one in `slot`.
fn offer<'v>(slot: &mut Option<Candidate<'v>>, candidate: Candidate<'v>) {
    // Of two titles equally good, an article's inside a chapter's
    // (「第十八條　督導考核之方式如左：」 under 「第六章　督導考核」), the
    // article's is the place.
    let nearer = |c: &Candidate<'_>| {
        c.chapter
            && candidate.titled
            && c.class == candidate.class
            && c.strength == candidate.strength
            && c.laws_scope.contains(candidate.laws_scope)
            && c.laws_scope != candidate.laws_scope
    };
    if slot
        .as_ref()
        .is_none_or(|c| candidate.rank() > c.rank() || nearer(c))
    {
        *slot = Some(candidate);
    }
}

fn laws_in(citations: &[Citation], laws: &Laws, scope: Span) -> BTreeSet<String> {
    citations
        .iter()
        .filter(|c| scope.contains(c.name))
        .filter_map(|c| laws.get(c.law).map(|l| l.id.clone()))
        .collect()
}

/// Two lists of hits in the order of [`Hit::order_key`] as one; on a tie,
/// `first`'s hit comes first.
fn merge_hits(first: Vec<Hit>, second: Vec<Hit>) -> Vec<Hit> {
    if second.is_empty() {
        return first;
    }
    // The second list is short (names, definitions): each of its hits is
    // placed by a binary search, and the first list's hits between them
    // are copied as slices, after those of equal order.
    let mut out = Vec::with_capacity(first.len() + second.len());
    let mut rest: &[Hit] = &first;
    for s in second {
        let key = s.order_key();
        let (before, after) = rest.split_at(rest.partition_point(|h| h.order_key() <= key));
        out.extend_from_slice(before);
        out.push(s);
        rest = after;
    }
    out.extend_from_slice(rest);
    out
}

/// What opens a question (「問：…」) and its answer (「答：…」).
const QUESTION_MARKS: [&str; 4] = ["問：", "問:", "Q：", "Q:"];
const ANSWER_MARKS: [&str; 4] = ["答：", "答:", "A：", "A:"];
/// What opens a definition (「本要點所稱聯絡窗口，指…」).
const DEFINES: &str = "所稱";

/// The most definitions (「本要點所稱…，指…」) whose terms are followed.
const MAX_DEFINITIONS: usize = 16;
/// The longest defined term, in characters.
const MAX_TERM_CHARS: usize = 12;
/// The most concepts a definition lends, and the most hits lent in all: a
/// document that repeats a term without end adds no more than these.
const MAX_MEANT: usize = 16;
const MAX_LENT_HITS: usize = 4096;

/// Terms the document defines (「本要點所稱聯絡窗口，指移民署移民資訊組服務
/// 專線。」): each later use of the term carries the parts' concepts of its
/// definition, so 「移民署系統異常時，資訊室應以電話通知聯絡窗口」 names NIA.
/// The hits come in the order of [`Hit::order_key`].
fn defined_terms(text: &str, hits: &[Hit], parts: &[Part]) -> Vec<Hit> {
    let mut out: Vec<Hit> = Vec::new();
    if !text.contains(DEFINES) {
        return out;
    }
    let mut concepts = ConceptSet::default();
    for part in parts {
        concepts = concepts.union(&part.mentions);
    }
    for (at, _) in text.match_indices(DEFINES).take(MAX_DEFINITIONS) {
        let start = at + DEFINES.len();
        let Some(rest) = text.get(start..) else {
            continue;
        };
        // The term runs to 「，指」, 「係指」, 「指」 or 「，係指」.
        let Some((len, _)) = rest
            .char_indices()
            .take(MAX_TERM_CHARS + 1)
            .find(|&(_, c)| matches!(c, '，' | ',' | '係' | '指' | '。' | '；' | '\n'))
        else {
            continue;
        };
        let Some(term) = rest.get(..len).filter(|t| t.chars().count() >= 2) else {
            continue;
        };
        let after = rest.get(len..).unwrap_or("");
        let after_mark = after.trim_start_matches(['，', ',']);
        let after_mark = after_mark.strip_prefix('係').unwrap_or(after_mark);
        let Some(body) = after_mark.strip_prefix('指') else {
            continue;
        };
        let body_start = text.len() - body.len();
        let body_end = body_start + body.find(['。', '；', '\n']).unwrap_or(body.len());
        let lo = hits.partition_point(|h| h.span.start < body_start);
        let mut meant: Vec<usize> = Vec::new();
        for h in hits.get(lo..).unwrap_or(&[]) {
            if h.span.start >= body_end {
                break;
            }
            if h.span.end <= body_end
                && concepts.contains(h.concept)
                && !meant.contains(&h.concept)
                && meant.len() < MAX_MEANT
            {
                meant.push(h.concept);
            }
        }
        if meant.is_empty() {
            continue;
        }
        let Some(later) = text.get(body_end..) else {
            continue;
        };
        for (i, _) in later.match_indices(term) {
            if out.len() + meant.len() > MAX_LENT_HITS {
                break;
            }
            let span = Span::new(body_end + i, body_end + i + term.len());
            out.extend(meant.iter().map(|&concept| Hit { span, concept }));
        }
    }
    out.sort_by_key(Hit::order_key);
    out
}

/// Sort spans by start and merge the ones that overlap.
fn merged(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_by_key(|s| (s.start, s.end));
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start < last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// One sentence unit, read once for every part.
struct Read<'h> {
    unit: Unit,
    sentence: Scoped<'h>,
    subs: Vec<Scoped<'h>>,
    predicate: bool,
    placeholder: bool,
    omitted: bool,
    /// The regulation's demand on the document (「管理規範應載明…」).
    checklist: bool,
    /// Character bigrams ([`bigrams`]), read on first need.
    bigrams: std::cell::OnceCell<Vec<u64>>,
    /// Short enough to be a restatement (240 bytes at most).
    short: bool,
    /// It lies in a row of a blank form: it names a field, says nothing.
    form_row: bool,
}

impl Read<'_> {
    /// Whether the sentence only restates `part`'s item text.
    fn restates(&self, part: &Part, reader: &Reader<'_>) -> bool {
        // The regulation's demand on the document (「管理規範應載明依個人資料
        // 保護法妥善保管資料之事項」) restates each item it speaks of.
        if self.checklist && Reader::mentions(part, &self.sentence) {
            return true;
        }
        if !self.short || part.restates.is_empty() {
            return false;
        }
        // The sentence has at most one bigram fewer than letters: too few
        // for every item, and its bigrams need not be read.
        let most = usize::try_from(reader.letters(self.sentence.span))
            .unwrap_or(0)
            .saturating_sub(1);
        if part
            .restates
            .iter()
            .all(|item| most * 100 < item.len() * 60)
        {
            return false;
        }
        let grams = self.bigrams.get_or_init(|| {
            let span = self.sentence.span;
            let cues = reader.cues;
            if !self.sentence.set.contains(cues.commitment) {
                let text = reader.slice(span);
                return if reader.vocabulary.could_restate(text, most) {
                    bigrams(text)
                } else {
                    Vec::new()
                };
            }
            // An undertaking to lay the item down (「本局應建立定期督考查核機制」)
            // is read without its frame: what is left is the item's name.
            let mut kept = String::new();
            let mut at = span.start;
            for h in self.sentence.hits {
                if (h.concept == cues.commitment || h.concept == cues.frame) && h.span.start >= at {
                    kept.push_str(reader.slice(Span::new(at, h.span.start)));
                    at = h.span.end;
                }
            }
            kept.push_str(reader.slice(Span::new(at, span.end)));
            if reader.vocabulary.could_restate(&kept, most) {
                bigrams(&kept)
            } else {
                Vec::new()
            }
        });
        Reader::restates(part, grams)
    }
}

/// Extract the facts of a rules document.
#[must_use]
pub fn extract(text: &str, vocabulary: &Vocabulary, laws: &Laws) -> DocumentFacts {
    let outline: Outline = outline::outline(text);
    let mut citations = Vec::new();
    let mut near_misses = Vec::new();
    for clause in &outline.clauses {
        let own = text.get(clause.own.start..clause.own.end).unwrap_or("");
        let found = laws.citations(own, clause.own.start);
        let known: Vec<Span> = found.iter().map(|c| c.name).collect();
        // A near miss ends in 法 or 條例; most clauses have neither.
        if own.contains('法') || own.contains("條例") {
            near_misses.extend(laws.near_misses(own, clause.own.start, &known));
        }
        citations.extend(found);
    }

    // Mask law names, quoted names and definitions; what they name becomes
    // a concept of its own.
    let cues = vocabulary.cues();
    let quoted = units::masks(text);
    // A name one letter off a law's (個人資料保謢法 for 個人資料保護法) is
    // that law as the parts read it; the finding on its spelling stays.
    let misspelt: Vec<&NearMiss> = near_misses
        .iter()
        .filter(|m| m.distance == 1 && m.length >= 5)
        .collect();
    let masks = merged(
        citations
            .iter()
            .map(|c| c.name)
            .chain(misspelt.iter().map(|m| m.span))
            .chain(quoted.iter().map(|(s, _)| *s))
            // An amendment table's text in force before it and its reasons.
            .chain(outline.superseded.iter().copied())
            .collect(),
    );
    let mut hits = vocabulary.scan(text, &masks);
    // The concepts of the masked names, in order of their own, merged in.
    let mut named: Vec<Hit> = Vec::new();
    let law_names = citations
        .iter()
        .map(|c| (c.name, c.law))
        .chain(misspelt.iter().map(|m| (m.span, m.law)));
    for (span, law) in law_names {
        named.push(Hit {
            span,
            concept: cues.law,
        });
        if let Some(concept) = laws.get(law).and_then(|l| vocabulary.law_concept(&l.id)) {
            named.push(Hit { span, concept });
        }
    }
    for (span, kind) in &quoted {
        let concept = match kind {
            Quoted::Form => cues.form_name,
            Quoted::System => cues.system_name,
            Quoted::Other => continue,
        };
        named.push(Hit {
            span: *span,
            concept,
        });
    }
    named.sort_by_key(Hit::order_key);
    // 以免 / 避免 are not exemptions, nor is the 免 of a longer term (免職).
    let not_negation: Vec<Span> = merged(
        hits.iter()
            .chain(&named)
            .filter(|h| {
                h.concept == cues.not_negation
                    || (h.concept >= cues.first_concept && h.span.len() > 3)
            })
            .map(|h| h.span)
            .collect(),
    );
    hits.retain(|h| {
        h.concept != cues.negation || {
            let i = not_negation.partition_point(|s| s.end <= h.span.start);
            !not_negation.get(i).is_some_and(|s| {
                s.start <= h.span.start
                    && h.span.end <= s.end
                    && (s.len() > h.span.len() || s.start < h.span.start || h.span.end < s.end)
            })
        }
    });
    let hits = merge_hits(hits, named);
    let defined = defined_terms(text, &hits, vocabulary.parts());
    let hits = merge_hits(hits, defined);
    let reader = Reader {
        text,
        letters: units::letter_prefix(text),
        cues,
        hits,
        vocabulary,
    };

    // Sentence units: each clause's text after its title, and a title that
    // says something (has a predicate) as a sentence of its own.
    let mut unit_list: Vec<Unit> = Vec::new();
    for (index, clause) in outline.clauses.iter().enumerate() {
        if let Some(title) = clause.title {
            let title_hits = reader.hits_in(title);
            if title_hits.iter().any(|h| h.concept == cues.predicate) {
                units::split(text, title, index, &mut unit_list);
            }
        }
        if let Some(region) = units::region(clause) {
            units::split(text, region, index, &mut unit_list);
        }
    }
    let mut form_rows: Option<(usize, bool)> = None;
    let read: Vec<Read<'_>> = unit_list
        .into_iter()
        .map(|unit| {
            let hits = reader.hits_in(unit.span);
            let mut subs: Vec<Scoped<'_>> = Vec::new();
            for &sub in &unit.subs {
                let sub_hits = reader.hits_in(sub);
                let set = Reader::set(sub_hits);
                // 「；中途離座者，亦同」 refers back: one scope with the one before.
                if set.contains(cues.refer_back)
                    && let Some(last) = subs.last_mut()
                {
                    let span = last.span.cover(sub);
                    *last = Scoped {
                        span,
                        hits: reader.hits_in(span),
                        set: last.set.union(&set),
                        phrases: std::cell::OnceCell::new(),
                    };
                    continue;
                }
                subs.push(Scoped {
                    span: sub,
                    hits: sub_hits,
                    set,
                    phrases: std::cell::OnceCell::new(),
                });
            }
            let set = Reader::set(hits);
            let short = unit.span.len() <= 240;
            // A history note (原列第十一點，修正時移列) is about the text, and
            // an item's name is a noun phrase: neither says anything. A
            // sentence with a history word and a modal (應, 須, 不得, 一律) or
            // 即 is a rule (經發現為違規查詢者，應即通報); 於 and 每 date the
            // note (已於一〇三年修正時刪除, 原訂每季督考查核).
            let history_note = set.contains(cues.history) && {
                let slice = reader.slice(unit.span);
                !(units::has_modal(slice) || slice.contains('即'))
            };
            // An account of what has happened (「本局歷年均依…妥善保管，未曾發生外洩」,
            // 「一百一十年曾發現…，已通報移民署在案」) states no rule unless a
            // modal makes it one.
            let history_note = history_note
                || (set.contains(cues.past) && !units::has_modal(reader.slice(unit.span)));
            let own_clause = outline.clauses.get(unit.clause);
            // A short label before a colon at the start of a paragraph's line,
            // with text after it (「離席：登出、拔卡、鎖螢幕。」), is a rule without a
            // verb of its own, as a numbered clause's label is.
            let labelled = own_clause.is_some_and(|c| c.kind == outline::ClauseKind::Paragraph)
                && leading_label(text, unit.span).is_some();
            // A row of a blank form names a field (「| 依個人資料保護法妥善保管資料 |
            // ☐符合 ☐不符合 |」): it says nothing.
            // (Told once per row: a row's cells are units of it in turn.)
            let form_row = match form_rows {
                Some((clause, blank)) if clause == unit.clause => blank,
                _ => {
                    let blank = own_clause.is_some_and(|c| {
                        c.kind == outline::ClauseKind::TableRow
                            && c.title.is_none()
                            && outline::is_blank_form_row(reader.slice(c.own))
                    });
                    form_rows = Some((unit.clause, blank));
                    blank
                }
            };
            let predicate = (set.contains(cues.predicate) || labelled)
                && !history_note
                && !form_row
                && !reader.nominal(&unit, hits, own_clause);
            Read {
                predicate,
                // 「使用者異動時，應依規定辦理」: rules it does not name, at
                // the end of a phrase, defer the item as 另定之 does.
                placeholder: set.contains(cues.placeholder)
                    || (set.contains(cues.vague) && reader.vague_at_phrase_end(hits, unit.span)),
                omitted: set.contains(cues.omitted),
                checklist: set.contains(cues.checklist),
                bigrams: std::cell::OnceCell::new(),
                short,
                form_row,
                sentence: Scoped {
                    span: unit.span,
                    hits,
                    set,
                    phrases: std::cell::OnceCell::new(),
                },
                subs,
                unit,
            }
        })
        .collect();

    let parts = vocabulary.parts();
    // The best candidate so far, per part.
    let mut candidates: Vec<Option<Candidate<'_>>> = parts.iter().map(|_| None).collect();
    let mut order = 0usize;

    let no_concepts = ConceptSet::default();
    // A short label over a list (「暫離座位前：」 over 「- 登出。」…) is the
    // list's title: found once per clause.
    let list_titles: Vec<Option<Span>> = outline
        .clauses
        .iter()
        .map(|c| list_label(text, c))
        .collect();
    // Titles that name a part's topic: the part's section.
    for (index, clause) in outline.clauses.iter().enumerate() {
        let list_title = list_titles.get(index).copied().flatten();
        let Some(title) = clause.title.or(list_title) else {
            continue;
        };
        let title_hits = reader.hits_in(title);
        let title_set = Reader::set(title_hits);
        let title_scope = Scoped {
            span: title,
            hits: title_hits,
            set: title_set,
            phrases: std::cell::OnceCell::new(),
        };
        let body = if list_title.is_some() {
            Span::new(title.end, clause.span.end)
        } else {
            clause.body()
        };
        let lo = read.partition_point(|r| r.unit.span.start < body.start);
        let hi = read.partition_point(|r| r.unit.span.start < body.end);
        let under = read.get(lo..hi.max(lo)).unwrap_or(&[]);
        // A title that says something (「應遵守之法令」) says it of each item
        // listed under it (「- 公務員服務法第四條」).
        let title_says = title_set.contains(cues.predicate);
        // A title that says something and introduces the list under it
        // (「使用者應遵守下列法律規定：」) is the place of a part its items
        // state only with its words, though it does not name the part.
        let introducing = title_says && introduces_below(text, title);
        let row = clause.kind == outline::ClauseKind::TableRow;
        // A row whose content cell is 「（略）」 leaves the item out, whatever
        // its other cells name (「| 使用目的 | 戶籍課 | （略） |」).
        let row_omitted = row && under.iter().any(|r| r.omitted);
        for (part, list) in parts.iter().zip(candidates.iter_mut()) {
            let named = names_part(part, &title_set);
            if !(named || (introducing && title_set.intersects(&part.mentions))) {
                continue;
            }
            let mut strength = 0usize;
            let mut best: Option<&Content> = None;
            let mut mentioning = 0usize;
            let mut denying = 0usize;
            let mut any_denial = false;
            let mut restated = false;
            for r in under {
                // A bare denial under a title that names the part
                // (「## 七、使用後資料之處理」 over 「本點不適用。」) denies it: the
                // sentence has none of the part's words, only an exemption
                // cue, and the title's concepts do not make it a statement.
                if named
                    && !r.sentence.set.intersects(&part.mentions)
                    && r.sentence.hits.iter().any(|h| h.concept == cues.negation)
                {
                    any_denial = true;
                    mentioning += 1;
                    denying += 1;
                    continue;
                }
                // A table row's cells are a rule without a verb: the row pairs
                // the item its first cell names with what is done
                // (「| 入出境資料之保管及運用 | 個人資料保護法 |」).
                // So is the text after a label's colon on its line
                // (「（十三）離開電腦時之處置：退出系統、抽出卡片。」).
                let own = outline.clauses.get(r.unit.clause);
                let said = !r.form_row
                    && (r.predicate
                    || row
                    || own.is_some_and(|c| row_label(text, c, r.unit.span).is_some())
                    || ((title_says || list_title.is_some())
                        && own.is_some_and(|c| {
                            matches!(
                                c.kind,
                                outline::ClauseKind::Numbered(_) | outline::ClauseKind::TableRow
                            )
                        }))
                    // A bare bullet list under a title that names the part
                    // lists its measures (「### 四、安全措施」 over 「- 密碼每九十日更換」).
                    // So does a list numbered 1. or (1), as a bulleted one is.
                    || (named
                        && own.is_some_and(|c| {
                            matches!(
                                c.kind,
                                outline::ClauseKind::Numbered(
                                    outline::MarkerKind::Bullet
                                        | outline::MarkerKind::Arabic
                                        | outline::MarkerKind::ArabicParen
                                )
                            )
                        })));
                // A row under the title says what its first cell names
                // (「| 公務員服務法 | 第4條 |」 under a caption that says something).
                let cell = own
                    .filter(|c| c.kind == outline::ClauseKind::TableRow && c.title != Some(title))
                    .and_then(|c| c.title)
                    .map(|t| Reader::set(reader.hits_in(t)));
                let with_title = cell.map_or(title_set, |s| title_set.union(&s));
                let needs_title = named
                    || reader
                        .content(part, &r.sentence, &r.subs, &no_concepts)
                        .is_none();
                // The sentence (or its row's first cell) must hold a concept
                // of the pattern itself: the title's alone do not make an
                // unrelated sentence a statement (「### 陸、使用完成後資料之處理」
                // over 「查詢資料應妥善運用」). A deferral states nothing with the
                // phrases that defer and the item's name
                // (「配合移民署稽核之程序，詳如附件四」).
                if said
                    && needs_title
                    && let Some(c) = reader.content(part, &r.sentence, &r.subs, &with_title)
                    && cell
                        .map_or(r.sentence.set, |s| r.sentence.set.union(&s))
                        .intersects(&c.set)
                    && (!r.placeholder
                        || reader.states_outside_deferral(part, &r.sentence, &with_title))
                    && !row_omitted
                {
                    if r.restates(part, &reader) {
                        restated = true;
                        continue;
                    }
                    let s = strength_of(c, &r.sentence.set.union(&with_title), part);
                    if s > strength {
                        strength = s;
                        best = Some(c);
                    }
                }
                for sub in &r.subs {
                    let denies = reader.negates(part, sub);
                    any_denial |= denies;
                    if Reader::mentions(part, sub) {
                        mentioning += 1;
                        denying += usize::from(denies);
                    }
                }
            }
            // A list of steps under a title that names the part
            // (「### 肆、調閱步驟」 over 「1. 填寫調閱申請表。」「2. 送課長核定。」…)
            // states it as one procedure when no step does alone: the steps'
            // concepts and the title's together, one of the steps saying
            // something.
            if best.is_none()
                && named
                && let Some((c, union)) = steps_state(part, index, under, &outline, &title_set)
            {
                strength = strength_of(c, &union, part);
                best = Some(c);
            }
            let stated = best.is_some();
            // A title that does not name the part is its place only where
            // it states it.
            if !named && !stated {
                continue;
            }
            // A denial under the title counts when nothing under it names
            // the part on its own (its statement borrows the title's words:
            // 「十、系統異常處理：本所未以網路連線方式查詢，免予適用」).
            let negated = reader.negates(part, &title_scope)
                || (mentioning > 0 && denying == mentioning)
                || ((!stated || mentioning == 0) && any_denial);
            let placeholder = !stated && under.iter().any(|r| r.placeholder);
            let omitted = !stated && under.iter().any(|r| r.omitted);
            // A restatement anywhere under the title counts only when
            // nothing states the part: looked for only then.
            let restated = !stated && (restated || under.iter().any(|r| r.restates(part, &reader)));
            let content_chars = reader.letters(body);
            // An empty section is the part's own place, left empty.
            let class = if negated || placeholder || omitted || content_chars < 4 {
                Class::SectionDenied
            } else if stated {
                Class::Stated
            } else if restated {
                Class::Restated
            } else {
                Class::Label
            };
            order += 1;
            offer(
                list,
                Candidate {
                    class,
                    titled: true,
                    strength,
                    order,
                    laws_scope: clause.span,
                    content: best,
                    chapter: clause.kind
                        == outline::ClauseKind::Numbered(outline::MarkerKind::Chapter),
                    facts: PartFacts {
                        found: true,
                        titled: true,
                        content_chars,
                        stated: stated && !negated,
                        placeholder,
                        omitted,
                        negated,
                        restated,
                        laws: BTreeSet::new(),
                        evidence: Some(title),
                        matched: Vec::new(),
                        closest: None,
                        lacks: Vec::new(),
                    },
                },
            );
        }
    }

    // The concepts of the sentence that introduces each clause's list
    // (「使用者離開電腦時，應遵守下列事項：」), for the clauses it adopted.
    let intros = introductions(&outline, &reader, &list_titles);

    // Where each line starts, for the label that opens an item's line.
    // Where every 「；」 is: whether one lies between two places is a search.
    let mut semicolons: Vec<usize> = memchr::memmem::find_iter(text.as_bytes(), "；")
        .chain(memchr::memchr_iter(b';', text.as_bytes()))
        .collect();
    semicolons.sort_unstable();
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();

    // Sentences that state, deny, defer or restate a part.
    for (index, r) in read.iter().enumerate() {
        let Some(clause) = outline.clauses.get(r.unit.clause) else {
            continue;
        };
        // The inline item after this one on its line (「（一）…；（二）…」),
        // and the two read as one sentence: steps of one procedure.
        // Built only when a part needs it.
        let next_inline = read.get(index + 1).filter(|n| {
            n.unit.clause == r.unit.clause && inline_next(text, r.unit.span, n.unit.span)
        });
        let pair_cell = std::cell::OnceCell::new();
        let pair = || {
            pair_cell.get_or_init(|| {
                next_inline.map(|n| {
                    let span = r.unit.span.cover(n.unit.span);
                    let hits = reader.hits_in(span);
                    let joined = Scoped {
                        span,
                        hits,
                        set: r.sentence.set.union(&n.sentence.set),
                        phrases: std::cell::OnceCell::new(),
                    };
                    let subs: Vec<Scoped<'_>> = r
                        .subs
                        .iter()
                        .chain(&n.subs)
                        .map(|s| Scoped {
                            span: s.span,
                            hits: s.hits,
                            set: s.set,
                            phrases: std::cell::OnceCell::new(),
                        })
                        .collect();
                    (n, joined, subs)
                })
            })
        };
        let intro = intros.get(r.unit.clause).and_then(Option::as_ref);
        // A label on the item's line, or a short label over the list the
        // item is in (「發現違規時：」 over 「2. 通報移民署。」).
        // The start of the unit's line (the line an answer opens).
        let unit_line = line_starts
            .get(
                line_starts
                    .partition_point(|&l| l <= r.unit.span.start)
                    .saturating_sub(1),
            )
            .copied()
            .unwrap_or(0);
        let question = question_before(text, clause, r.unit.span, unit_line);
        let label = row_label(text, clause, r.unit.span)
            .or_else(|| {
                let parent = clause.parent?;
                matches!(clause.kind, outline::ClauseKind::Numbered(_))
                    .then(|| list_titles.get(parent).copied().flatten())
                    .flatten()
            })
            // An answer is for the question before it (「問：移民署來函要求說明某筆
            // 查詢，怎麼辦？」 over 「答：承辦人應於三日內…函復該署。」).
            .or(question)
            // An inline item after a label on its line (「使用人員違規時：（一）立即
            // 停用其帳號；（二）通報移民署」) is for the case the label names.
            .or_else(|| {
                let line_start = line_starts
                    .get(
                        line_starts
                            .partition_point(|&l| l <= r.unit.span.start)
                            .checked_sub(1)?,
                    )
                    .copied()?;
                let label = leading_label(text, Span::new(line_start, r.unit.span.end))?;
                // A 「；」 between the label and the unit, found by a search of
                // their places (a long line is not read again for each unit).
                let at = semicolons.partition_point(|&i| i < label.end);
                let inline_item = semicolons.get(at).is_some_and(|&i| i < r.unit.span.start)
                    || text
                        .get(r.unit.span.start..)
                        .is_some_and(units::marker_follows);
                (label.end < r.unit.span.start && inline_item).then_some(label)
            })
            .map(|title| (title, Reader::set(reader.hits_in(title))));
        let earlier = r
            .sentence
            .set
            .contains(cues.refer_back)
            .then(|| index.checked_sub(1).and_then(|i| read.get(i)))
            .flatten()
            .map(|p| &p.sentence.set);
        let opening = reader.slice(r.unit.span);
        let asks = QUESTION_MARKS.iter().any(|q| opening.starts_with(q));
        // A letter's subject line (「主旨：訂定本府…網路異常處理方式，請照辦。」)
        // names what its 說明 and 辦法 say: the weakest evidence.
        // So is a definition (「本要點所稱聯絡窗口，指移民署…專線」): the
        // sentences that use the term say what is done.
        let subject =
            ["主旨：", "主旨:"].iter().any(|q| opening.starts_with(q)) || opening.contains(DEFINES);
        for (part, list) in parts.iter().zip(candidates.iter_mut()) {
            let mut topic = r.sentence.set.intersects(&part.topic);
            let mut content = reader.content(part, &r.sentence, &r.subs, &no_concepts);
            let mut extra = &no_concepts;
            // A label that names the case (「查詢結果顯示移民署系統異常 |
            // 電話通知移民署資訊組」) and the text after it are one rule: it
            // states the part with the label's concepts, and is the
            // evidence from the label on. A label that names the part is
            // its title (above).
            let mut label_start = None;
            // (A text that states the part by itself keeps its pattern: the
            // label only widens the evidence and adds its concepts.)
            // (A question is no title: its answer is stated with it even
            // when it names the part, 「問：如果移民署要來查核，我們要準備什麼？」.)
            if let Some((title, set)) = &label
                && set.intersects(&part.mentions)
                && (!names_part(part, set) || question == Some(*title))
                && let Some(c) = content.or_else(|| reader.content(part, &r.sentence, &r.subs, set))
            {
                content = Some(c);
                extra = set;
                label_start = Some(title.start);
            }
            // An item under a sentence that names the part states it with
            // the sentence's concepts, as under a title; the item is the
            // evidence.
            // So does an item under a sentence that holds a concept of the
            // part, the case its items are for (「使用者違反個人資料保護法規定，
            // 致當事人權益受損害者，依下列規定處理：」 over 「一、民事責任：由本局…
            // 負賠償責任」), when the item holds one of the pattern's own.
            if content.is_none()
                && let Some(set) = intro
                && set.intersects(&part.mentions)
                && let Some(c) = reader.content(part, &r.sentence, &r.subs, set)
                && (names_part(part, set) || r.sentence.set.intersects(&c.set))
            {
                content = Some(c);
                extra = set;
                topic = true;
            }
            // (Stated so, it is the weakest evidence: the sentence before
            // it, or any other, wins.)
            let mut borrowed = false;
            // A sentence that refers back (「人事室接獲前項通知後，應於二日內函送
            // 移民署辦理帳號停用」) states the part with the sentence before it,
            // when it holds one of the pattern's own concepts and something
            // more than that one sentence does alone.
            if content.is_none()
                && let Some(set) = earlier
                && set.intersects(&part.mentions)
                && let Some(c) = reader.content(part, &r.sentence, &r.subs, set)
                && r.sentence.set.intersects(&c.set)
            {
                content = Some(c);
                extra = set;
                borrowed = true;
            }
            // An item that states the part only with the inline item after it
            // (「（一）使用者之增加、變更或註銷，均由業務單位提出；（二）經人事單位
            // 確認後，由本處以正式公文通知移民署」): the two are one step's case
            // and its action, and the evidence.
            let mut pair_with = None;
            if content.is_none()
                && label_start.is_none()
                && next_inline.is_some()
                && let Some((n, joined, subs)) = pair()
                && let Some(c) = reader.content(part, joined, subs, &no_concepts)
                && reader
                    .content(part, &n.sentence, &n.subs, &no_concepts)
                    .is_none()
            {
                content = Some(c);
                pair_with = Some((*n, joined, subs));
            }
            // A deferral whose words of the part are only in the phrase that
            // defers (「…，依本府資通安全事件通報及應變作業程序另行規定」) names
            // what it defers to; it states nothing.
            if r.placeholder
                && content.is_some()
                && !reader.states_outside_deferral(part, &r.sentence, extra)
            {
                content = None;
            }
            // A deferral that names the item it defers (「使用後資料之處理，依本所
            // 檔案管理作業要點辦理」) addresses the part: its place, though it
            // states nothing.
            if r.placeholder && content.is_none() && Reader::mentions(part, &r.sentence) {
                topic = true;
            }
            if !topic && content.is_none() {
                continue;
            }
            let subs: &[Scoped<'_>] = pair_with.map_or(&r.subs, |(_, _, subs)| subs);
            // Every sub-clause that mentions the part denies it (and one does),
            // in one pass, with nothing collected.
            let mut mentioning = subs.iter().filter(|s| Reader::mentions(part, s)).peekable();
            let negated =
                mentioning.peek().is_some() && mentioning.all(|s| reader.negates(part, s));
            // A denial is one whether or not it restates.
            let restated = !negated && r.restates(part, &reader);
            let said = (r.predicate
                || label_start.is_some()
                || pair_with.is_some_and(|(n, _, _)| n.predicate))
                && !r.form_row;
            // A question (「問：如果移民署要來查核，我們要準備什麼？」) asks; its
            // answer states.
            let stated = said && content.is_some() && !restated && !asks;
            // A short sentence that defers is a deferral even when it names
            // the content (「違反個資法之責任，另定之」); the policies weigh its length.
            let placeholder = r.placeholder;
            let omitted = r.omitted;
            let class = if restated && !negated {
                Class::Restated
            } else if stated && !negated && !omitted {
                Class::Stated
            } else if negated || placeholder || omitted {
                Class::Denied
            } else if !r.predicate && label_start.is_none() {
                Class::Label
            } else {
                continue;
            };
            // Highlight the 「；」 sub-clause that states the part on its own.
            let highlight = match (class, content) {
                (Class::Stated, Some(_)) if r.subs.len() > 1 => r
                    .subs
                    .iter()
                    .find(|s| {
                        reader
                            .content(part, s, std::slice::from_ref(*s), &ConceptSet::default())
                            .is_some()
                    })
                    .map_or(r.unit.span, |s| s.span),
                _ => r.unit.span,
            };
            let highlight = label_start.map_or(highlight, |start| Span::new(start, highlight.end));
            let highlight = pair_with.map_or(highlight, |(_, joined, _)| joined.span);
            order += 1;
            offer(
                list,
                Candidate {
                    class,
                    titled: false,
                    laws_scope: clause.own,
                    content,
                    chapter: false,
                    // An item stated with its introduction says more than
                    // the introduction alone: it wins a tie.
                    strength: content.filter(|_| !subject && !borrowed).map_or(0, |c| {
                        strength_of(c, &r.sentence.set.union(extra), part)
                            + usize::from(*extra != no_concepts && label_start.is_none())
                    }),
                    order,
                    facts: PartFacts {
                        found: true,
                        titled: false,
                        content_chars: if class == Class::Label {
                            0
                        } else {
                            reader.letters(highlight)
                        },
                        stated: class == Class::Stated,
                        placeholder,
                        omitted,
                        negated,
                        restated: class == Class::Restated,
                        laws: BTreeSet::new(),
                        evidence: Some(highlight),
                        matched: Vec::new(),
                        closest: None,
                        lacks: Vec::new(),
                    },
                },
            );
        }
    }

    // A part no text addresses: the sentence that came closest, looked for
    // only now (every sentence was passed over for it).
    let parts = parts
        .iter()
        .zip(candidates)
        .map(|(part, best)| {
            let facts = best
                .map(|c| PartFacts {
                    laws: laws_in(&citations, laws, c.laws_scope),
                    matched: c
                        .content
                        .map(|k| names_of(vocabulary, &k.all))
                        .unwrap_or_default(),
                    ..c.facts
                })
                .unwrap_or_else(|| {
                    let near = nearest(part, &read, outline.clauses.len());
                    PartFacts {
                        closest: near.as_ref().map(|n| n.span),
                        lacks: near
                            .map(|n| names_of(vocabulary, &n.lacks))
                            .unwrap_or_default(),
                        ..PartFacts::default()
                    }
                });
            (part.def.key.clone(), facts)
        })
        .collect();

    // A law named in a history note (沿革, 原依…訂定, 已更名) is not cited.
    let mut titles: Vec<Span> = outline.clauses.iter().filter_map(|c| c.title).collect();
    titles.sort_by_key(|t| t.start);
    for citation in &mut citations {
        let i = read.partition_point(|r| r.unit.span.end <= citation.name.start);
        let in_unit = read
            .get(i)
            .filter(|r| r.unit.span.contains(citation.name))
            .map(|r| r.sentence.set.contains(cues.history));
        let historical = in_unit.unwrap_or_else(|| {
            let j = titles.partition_point(|t| t.start <= citation.name.start);
            j.checked_sub(1)
                .and_then(|j| titles.get(j))
                .filter(|t| t.contains(citation.name))
                .is_some_and(|t| Reader::set(reader.hits_in(*t)).contains(cues.history))
        });
        citation.historical = historical;
    }

    let mut all_laws = BTreeSet::new();
    let mut articles = BTreeSet::new();
    for citation in citations.iter().filter(|c| !c.historical) {
        if let Some(law) = laws.get(citation.law) {
            all_laws.insert(law.id.clone());
            for article in &citation.articles {
                articles.insert(format!("{}:{article}", law.id));
            }
        }
    }
    DocumentFacts {
        parts,
        citations,
        near_misses,
        laws: all_laws,
        articles,
        merged_names: reference::merged_names(vocabulary.merged(), text),
    }
}

/// The pattern of `part` that the numbered steps under the title of clause
/// `title` state together with the title's concepts (the most concepts;
/// order and distance not asked), and those concepts, when there are two
/// steps or more and one says something.
fn steps_state<'p>(
    part: &'p Part,
    title: usize,
    under: &[Read<'_>],
    outline: &Outline,
    title_set: &ConceptSet,
) -> Option<(&'p Content, ConceptSet)> {
    let steps = || {
        under.iter().filter(|r| {
            r.unit.clause != title
                && outline
                    .clauses
                    .get(r.unit.clause)
                    .is_some_and(|c| matches!(c.kind, outline::ClauseKind::Numbered(_)))
        })
    };
    if steps().nth(1).is_none() || !steps().any(|r| r.predicate) {
        return None;
    }
    let mut union = *title_set;
    for r in steps() {
        union = union.union(&r.sentence.set);
    }
    // The most concepts; the first written on a tie.
    let mut best: Option<&Content> = None;
    for c in &part.content {
        if union.contains_all(&c.set)
            && !union.intersects(&c.not)
            && best.is_none_or(|b| c.all.len() > b.all.len())
        {
            best = Some(c);
        }
    }
    best.map(|c| (c, union))
}

/// Whether a title's (or an introducing sentence's) concepts name a part:
/// its topic, or every concept of one of its content patterns.
fn names_part(part: &Part, set: &ConceptSet) -> bool {
    set.intersects(&part.topic) || part.content.iter().any(|c| set.contains_all(&c.set))
}

/// Whether a clause's title is a label the rest of its line goes with: a
/// table row's first cell (「| 使用者違規 | 立即通報移民署 |」) or the text
/// before a colon with more after it on the line (「- 離席：關閉查詢畫面」).
/// Such a label names the case and the text after it what is done: the two
/// are one rule.
fn row_label(text: &str, clause: &outline::Clause, unit: Span) -> Option<Span> {
    let title = clause.title?;
    if unit.start < title.end || !clause.own.contains(unit) {
        return None;
    }
    let between = text.get(title.end..unit.start)?;
    let labelled = match clause.kind {
        outline::ClauseKind::TableRow => true,
        outline::ClauseKind::Numbered(_) => between.starts_with(['：', ':']),
        outline::ClauseKind::Heading(_) | outline::ClauseKind::Paragraph => false,
    };
    (labelled && !between.contains('\n')).then_some(title)
}

/// The question (after 「問：」) on the line before the answer (a line that
/// opens with 「答：」) that `unit` is in, in the same clause.
fn question_before(
    text: &str,
    clause: &outline::Clause,
    unit: Span,
    line_start: usize,
) -> Option<Span> {
    // The answer's line (from `line_start`, the start of the unit's line,
    // within the clause): the unit opens it, or follows its first sentence
    // (「答：不可以。應放置於…管制區…」).
    let answer_line = line_start.max(clause.own.start);
    let rest = text.get(answer_line..unit.end)?;
    let answer = ANSWER_MARKS.iter().any(|a| rest.starts_with(a));
    if !answer {
        return None;
    }
    let before = text
        .get(clause.own.start..answer_line)?
        .trim_end_matches(['\n', '\r', ' ']);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.get(line_start..)?;
    let marker = QUESTION_MARKS.iter().find(|q| line.starts_with(**q))?;
    let start = clause.own.start + line_start + marker.len();
    Some(Span::new(start, clause.own.start + before.len()))
}

/// A short label before a colon at the start of `span` with text after it
/// on its line (「離席：登出、拔卡」): at most [`MAX_LIST_LABEL`] letters,
/// without sentence punctuation.
fn leading_label(text: &str, span: Span) -> Option<Span> {
    let body = text.get(span.start..span.end)?;
    // The colon is within the label's length of the start: no further look.
    let (colon, _) = body
        .char_indices()
        .take(MAX_LIST_LABEL + 1)
        .find(|&(_, c)| matches!(c, '：' | ':'))?;
    let label = body.get(..colon)?;
    let after = body.get(colon..)?.trim_start_matches(['：', ':']);
    if !short_label(label)
        || label.contains('|')
        || after.trim_matches([' ', '\t', '\u{3000}', '\r']).is_empty()
        || after.starts_with('\n')
    {
        return None;
    }
    Some(Span::new(span.start, span.start + label.len()))
}

/// Whether a text before a colon is a short label: at most
/// [`MAX_LIST_LABEL`] letters, on one line, without sentence punctuation.
fn short_label(label: &str) -> bool {
    let letters = label.chars().count();
    letters > 0
        && letters <= MAX_LIST_LABEL
        && !label.contains(['\n', '。', '，', ',', '；', ';', '、', '！', '？', '!', '?'])
}

/// Whether a clause is a short label over the list it introduces: a plain
/// paragraph of one line, at most [`MAX_LIST_LABEL`] letters before its
/// final colon, with no sentence punctuation (「暫離座位前：」, 「異常處理：」,
/// 「使用者應遵守：」). It names the case, or the item, its list's items are
/// for, as a heading would: the text before the colon is the list's title.
/// A sentence that introduces its list as such (「…之作業如下：」,
/// 「…應依下列程序辦理：」) is not a label: its items are the evidence.
fn list_label(text: &str, clause: &outline::Clause) -> Option<Span> {
    if clause.kind != outline::ClauseKind::Paragraph || !clause.introduces || clause.title.is_some()
    {
        return None;
    }
    let own = text.get(clause.own.start..clause.own.end)?;
    let line = own.trim_end_matches([' ', '\t', '\u{3000}', '*', '_', '\r']);
    let label = line.strip_suffix(['：', ':'])?;
    let label = label.trim_end_matches([' ', '\t', '\u{3000}', '*', '_']);
    if !short_label(label)
        || ["如下", "下列", "左列", "如左", "以下"]
            .iter()
            .any(|w| label.contains(w))
    {
        return None;
    }
    Some(Span::new(clause.own.start, clause.own.start + label.len()))
}

/// Whether the unit `next` is the inline item after `unit` on its line: a
/// 「；」 and a clause number between them, and no line break.
fn inline_next(text: &str, unit: Span, next: Span) -> bool {
    let between = text.get(unit.end..next.start).unwrap_or("");
    matches!(between.trim_matches([' ', '\t', '\u{3000}']), "；" | ";")
        && text.get(next.start..).is_some_and(units::marker_follows)
}

/// Whether a title ends its line by introducing a list under it
/// (「第二十一條　使用者應遵守下列法律規定：」 over 「一、公務員服務法第四條。」).
fn introduces_below(text: &str, title: Span) -> bool {
    let rest = text.get(title.end..).unwrap_or("");
    let Some(rest) = rest.strip_prefix(['：', ':']) else {
        return false;
    };
    let line = rest.split('\n').next().unwrap_or("");
    line.trim_matches([' ', '\t', '\u{3000}', '*', '_', '\r'])
        .is_empty()
}

/// For each clause, the concepts of the sentence that introduces the list
/// it belongs to: the last sentence of the nearest enclosing paragraph that
/// [`outline::Clause::introduces`] a list.
fn introductions(
    outline: &Outline,
    reader: &Reader<'_>,
    list_titles: &[Option<Span>],
) -> Vec<Option<ConceptSet>> {
    let mut out: Vec<Option<ConceptSet>> = Vec::with_capacity(outline.clauses.len());
    for clause in &outline.clauses {
        let set = clause.parent.and_then(|p| {
            let parent = outline.clauses.get(p)?;
            if parent.introduces {
                // A label over the list is its title, read as one.
                if list_titles.get(p).copied().flatten().is_some() {
                    return None;
                }
                let own = reader.slice(parent.own);
                // The introducing sentence: after the paragraph's last full stop.
                let start = own
                    .char_indices()
                    .rfind(|&(_, c)| matches!(c, '。' | '！' | '？' | '!' | '?'))
                    .map_or(0, |(i, c)| i + c.len_utf8());
                let span = Span::new(parent.own.start + start, parent.own.end);
                Some(Reader::set(reader.hits_in(span)))
            } else {
                out.get(p).copied().flatten()
            }
        });
        out.push(set);
    }
    out
}

/// How strongly a text states a part: the matched pattern's concepts,
/// then every concept of the part present (its topic included).
fn strength_of(content: &Content, present: &ConceptSet, part: &Part) -> usize {
    content.all.len() * 64 + present.intersection(&part.mentions).len()
}

fn names_of(vocabulary: &Vocabulary, ids: &[usize]) -> Vec<String> {
    ids.iter()
        .map(|&id| vocabulary.concept_name(id).to_owned())
        .collect()
}

/// The sentence that came closest to stating `part`: the most concepts of
/// one of its patterns, at least half of them, or its topic; the first of
/// the best. Asked only for a part that no title or sentence addresses, so
/// every sentence (of a clause among the `clauses`) was passed over for it.
fn nearest(part: &Part, reads: &[Read<'_>], clauses: usize) -> Option<Near> {
    let mut near: Option<Near> = None;
    for r in reads.iter().filter(|r| r.unit.clause < clauses) {
        if !r.sentence.set.intersects(&part.mentions) {
            continue;
        }
        let set = r.sentence.set;
        for c in &part.content {
            let have = set.intersection(&c.set).len();
            let topic = usize::from(r.sentence.set.intersects(&part.topic));
            // The pattern's first concept is its head (the change of a
            // user, the telephone): without it or the topic, a sentence is
            // about something else.
            let head = c.all.first().is_some_and(|&k| set.contains(k));
            if have * 2 < c.all.len() || (topic == 0 && !head) || have == c.all.len() {
                continue;
            }
            let score = have * 2 + topic;
            if near.as_ref().is_none_or(|n| score > n.score) {
                near = Some(Near {
                    score,
                    span: r.unit.span,
                    lacks: c
                        .all
                        .iter()
                        .copied()
                        .filter(|&k| !set.contains(k))
                        .collect(),
                });
            }
        }
    }
    near
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Merging gives what a stable sort of both lists, the first's
        /// hits before the second's, gives.
        #[test]
        fn merging_hits_is_a_stable_sort_of_both(
            mut first in proptest::collection::vec((0usize..40, 0usize..6, 0usize..4), 0..60),
            mut second in proptest::collection::vec((0usize..40, 0usize..6, 0usize..4), 0..12),
        ) {
            let hit = |(start, len, concept): (usize, usize, usize)| Hit {
                span: Span::new(start, start + len),
                concept,
            };
            first.sort_unstable();
            second.sort_unstable();
            let first: Vec<Hit> = first.into_iter().map(hit).collect();
            let second: Vec<Hit> = second.into_iter().map(hit).collect();
            let mut expected: Vec<Hit> = first.iter().chain(&second).copied().collect();
            expected.sort_by_key(Hit::order_key);
            proptest::prop_assert_eq!(merge_hits(first, second), expected);
        }
    }
}
