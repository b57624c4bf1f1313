//! Facts from the management rules document (管理規範): for each part the
//! regulation requires, the evidence found by wording, and every law
//! citation. Rust only finds and measures; Cedar policies judge.

pub mod outline;
pub mod vocabulary;

use std::collections::BTreeSet;

use crate::extract::citation::{Citation, Laws, NearMiss};
use crate::source::Span;
use outline::{Clause, ClauseKind, Outline};
use vocabulary::{TermSet, Vocabulary};

/// What the document says about one part.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartFacts {
    /// The part's wording was found.
    pub found: bool,
    /// It was found in a title.
    pub titled: bool,
    /// Letters under the title, or in the sentence.
    pub content_chars: i64,
    /// That text defers to another document.
    pub placeholder: bool,
    /// That text negates the part.
    pub negated: bool,
    /// Ids of the laws cited in the clause holding the evidence.
    pub laws: BTreeSet<String>,
    /// The title or sentence used as evidence.
    pub evidence: Option<Span>,
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
}

impl DocumentFacts {
    /// The facts of one part.
    #[must_use]
    pub fn part(&self, key: &str) -> Option<&PartFacts> {
        self.parts.iter().find(|(k, _)| k == key).map(|(_, f)| f)
    }
}

/// Letters, CJK characters and digits: what counts as content.
fn letters(text: &str) -> i64 {
    let n = text.chars().filter(|c| c.is_alphanumeric()).count();
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Sentence ends. A line break is not one: Markdown paragraphs wrap long
/// sentences over several lines, and numbered lines start clauses anyway.
const SENTENCE_ENDS: &[char] = &['。', '；', ';', '！', '？', '!', '?'];

/// Split `span` of `text` into trimmed sentences.
fn sentences(text: &str, span: Span) -> Vec<Span> {
    let mut out = Vec::new();
    let Some(body) = text.get(span.start..span.end) else {
        return out;
    };
    let mut start = 0;
    for (i, c) in body.char_indices() {
        if SENTENCE_ENDS.contains(&c) {
            push_trimmed(&mut out, body, span.start, start, i);
            start = i + c.len_utf8();
        }
    }
    push_trimmed(&mut out, body, span.start, start, body.len());
    out
}

fn push_trimmed(out: &mut Vec<Span>, body: &str, base: usize, start: usize, end: usize) {
    let Some(piece) = body.get(start..end) else {
        return;
    };
    let trimmed_start =
        piece.trim_start_matches(|c: char| c.is_whitespace() || "：:，,、）)".contains(c));
    let trimmed = trimmed_start.trim_end();
    if letters(trimmed) == 0 {
        return;
    }
    let s = base + start + (piece.len() - trimmed_start.len());
    out.push(Span::new(s, s + trimmed.len()));
}

/// One place that names a part.
struct Candidate {
    facts: PartFacts,
    order: usize,
}

impl Candidate {
    /// Evidence ranking: a text that does not negate or defer, then the
    /// longer one, then the earlier one. This only chooses which text to
    /// show Cedar; Cedar judges it.
    fn rank(&self) -> (bool, bool, i64, std::cmp::Reverse<usize>) {
        (
            !self.facts.negated,
            !self.facts.placeholder,
            self.facts.content_chars,
            std::cmp::Reverse(self.order),
        )
    }
}

fn laws_in(citations: &[Citation], laws: &Laws, scope: Span) -> BTreeSet<String> {
    citations
        .iter()
        .filter(|c| scope.contains(c.name))
        .filter_map(|c| laws.get(c.law).map(|l| l.id.clone()))
        .collect()
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
        near_misses.extend(laws.near_misses(own, clause.own.start, &known));
        citations.extend(found);
    }

    let parts = vocabulary.parts();
    let mut titled: Vec<Vec<Candidate>> = parts.iter().map(|_| Vec::new()).collect();
    let mut plain: Vec<Vec<Candidate>> = parts.iter().map(|_| Vec::new()).collect();
    let mut order = 0;
    for clause in &outline.clauses {
        if let Some(title) = clause.title {
            let title_text = text.get(title.start..title.end).unwrap_or("");
            let title_terms = vocabulary.terms_in(title_text);
            // The body's sentences, read once per titled clause that names a part.
            let mut body: Option<(TermSet, Vec<TermSet>)> = None;
            for (part, list) in parts.iter().zip(titled.iter_mut()) {
                if !vocabulary.names(part, &title_terms) {
                    continue;
                }
                let span = clause.body();
                let (all_terms, sentence_terms) = body.get_or_insert_with(|| {
                    let mut all = vocabulary.terms_in(text.get(span.start..span.end).unwrap_or(""));
                    all.union(&title_terms);
                    let each = sentences(text, span)
                        .iter()
                        .map(|s| vocabulary.terms_in(text.get(s.start..s.end).unwrap_or("")))
                        .collect();
                    (all, each)
                });
                // Negated when the title denies the part, or when every
                // sentence under it that mentions the part denies it
                // (「本分署不涉及稽核」); one exception among several rules
                // (「駐外人員不適用前款抽查」) is not a denial of the item.
                let mut mentioning = sentence_terms
                    .iter()
                    .filter(|t| vocabulary.mentions(part, t))
                    .peekable();
                let negated = vocabulary.is_negated(&title_terms)
                    || (mentioning.peek().is_some()
                        && mentioning.all(|t| vocabulary.is_negated(t)));
                order += 1;
                list.push(Candidate {
                    facts: PartFacts {
                        found: true,
                        titled: true,
                        content_chars: letters(text.get(span.start..span.end).unwrap_or("")),
                        placeholder: vocabulary.is_placeholder(all_terms),
                        negated,
                        laws: laws_in(&citations, laws, clause.span),
                        evidence: Some(title),
                    },
                    order,
                });
            }
        }
        for sentence in own_sentences(text, clause) {
            let terms = vocabulary.terms_in(text.get(sentence.start..sentence.end).unwrap_or(""));
            for (part, list) in parts.iter().zip(plain.iter_mut()) {
                if !vocabulary.names(part, &terms) {
                    continue;
                }
                order += 1;
                list.push(Candidate {
                    facts: PartFacts {
                        found: true,
                        titled: false,
                        content_chars: letters(
                            text.get(sentence.start..sentence.end).unwrap_or(""),
                        ),
                        placeholder: vocabulary.is_placeholder(&terms),
                        negated: vocabulary.is_negated(&terms),
                        laws: laws_in(&citations, laws, clause.own),
                        evidence: Some(sentence),
                    },
                    order,
                });
            }
        }
    }

    let parts = parts
        .iter()
        .zip(titled)
        .zip(plain)
        .map(|((part, titled), plain)| {
            // A title that names the part is the evidence, even if empty.
            let pool = if titled.is_empty() { plain } else { titled };
            let facts = pool
                .into_iter()
                .max_by_key(Candidate::rank)
                .map(|c| c.facts)
                .unwrap_or_default();
            (part.def.key.clone(), facts)
        })
        .collect();

    let mut all_laws = BTreeSet::new();
    let mut articles = BTreeSet::new();
    for citation in &citations {
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
    }
}

/// The sentences of a clause's own text outside its title. A heading's own
/// text is its title, so it has none.
fn own_sentences(text: &str, clause: &Clause) -> Vec<Span> {
    if matches!(clause.kind, ClauseKind::Heading(_)) {
        return Vec::new();
    }
    let start = clause.title.map_or(clause.own.start, |t| t.end);
    sentences(text, Span::new(start.min(clause.own.end), clause.own.end))
}
