#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::cast_precision_loss,
    reason = "tests fail loudly"
)]
//! The exemplar bank (`data/exemplars/<part>.toml`): for every document part,
//! clauses that state it and near misses that do not. Each part's recall
//! (positives met, with the evidence where a person would point) and
//! precision (of what is met, how much is a positive) must reach 0.95, on
//! the design set and on the held-out set alike. A `[pending]` set (written
//! without seeing the patterns, read against them, not yet all met) and an
//! `[unread]` set (not yet read) are measured and printed, never failed on.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use niacheck::Checker;
use niacheck::extract::document::{PartFacts, extract};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Bank {
    part: String,
    design: Set,
    held_out: Set,
    /// Clauses written without seeing the patterns, read against them
    /// but not yet all met: the next held-out set once they are; measured
    /// and reported, never a reason to fail.
    #[serde(default)]
    pending: Option<Set>,
    /// Clauses written without seeing the patterns and not yet read
    /// against them: measured and reported, never a reason to fail, until
    /// they are read (their first figures are their first look).
    #[serde(default)]
    unread: Option<Set>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Set {
    positive: Vec<Positive>,
    negative: Vec<Negative>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Positive {
    text: String,
    evidence: Evidence,
}

/// Where a positive's evidence must be: one substring, or (for a text that
/// states the part in several places, each on its own) a list of
/// substrings, any of which will do.
#[derive(Deserialize)]
#[serde(untagged)]
enum Evidence {
    One(String),
    Any(Vec<String>),
}

impl Evidence {
    fn choices(&self) -> &[String] {
        match self {
            Self::One(s) => std::slice::from_ref(s),
            Self::Any(list) => list,
        }
    }

    fn found_in(&self, evidence: &str) -> bool {
        self.choices()
            .iter()
            .any(|want| evidence.contains(want.as_str()))
    }
}

impl std::fmt::Display for Evidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.choices().join("」 or 「"))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Negative {
    text: String,
    why: String,
    evidence: Option<String>,
}

const WHY: &[&str] = &[
    "label",
    "restated",
    "other-item",
    "exemption",
    "placeholder",
    "omitted",
    "empty",
    "law-name",
    "quoted-name",
    "history",
    "goal",
];

/// What the part's policies accept: found and stated, and not negated,
/// restated, omitted, empty or a short deferral (the thresholds of the
/// `…-empty` and `…-placeholder` policies).
fn met(p: &PartFacts) -> bool {
    p.found
        && p.stated
        && !p.negated
        && !p.restated
        && !p.omitted
        && p.content_chars >= 4
        && !(p.placeholder && p.content_chars < 30)
}

fn banks() -> Vec<Bank> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/exemplars");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let bank: Bank = toml::from_str(&std::fs::read_to_string(p).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            assert_eq!(
                p.file_stem().unwrap().to_str().unwrap(),
                bank.part,
                "{} names another part",
                p.display()
            );
            bank
        })
        .collect()
}

#[derive(Default)]
struct Score {
    positives: usize,
    recalled: usize,
    met_positives: usize,
    false_positives: usize,
}

impl Score {
    fn recall(&self) -> f64 {
        if self.positives == 0 {
            return 1.0;
        }
        self.recalled as f64 / self.positives as f64
    }

    fn precision(&self) -> f64 {
        let met = self.met_positives + self.false_positives;
        if met == 0 {
            return 1.0;
        }
        self.met_positives as f64 / met as f64
    }
}

fn evidence_text<'a>(text: &'a str, p: &PartFacts) -> &'a str {
    p.evidence.map_or("", |s| &text[s.start..s.end])
}

#[test]
fn every_part_has_a_bank_of_the_required_size() {
    let checker = Checker::new().unwrap();
    let banks = banks();
    let parts: Vec<&str> = checker
        .vocabulary()
        .parts()
        .iter()
        .map(|p| p.def.key.as_str())
        .collect();
    let named: Vec<&str> = banks.iter().map(|b| b.part.as_str()).collect();
    for part in &parts {
        assert!(named.contains(part), "no exemplar bank for `{part}`");
    }
    for bank in &banks {
        let positives = bank.design.positive.len() + bank.held_out.positive.len();
        let negatives = bank.design.negative.len() + bank.held_out.negative.len();
        assert!(positives >= 25, "{}: {positives} positives", bank.part);
        assert!(negatives >= 15, "{}: {negatives} negatives", bank.part);
        assert!(!bank.held_out.positive.is_empty() && !bank.held_out.negative.is_empty());
        let unread = bank.pending.iter().chain(&bank.unread);
        for n in bank
            .design
            .negative
            .iter()
            .chain(&bank.held_out.negative)
            .chain(unread.clone().flat_map(|u| &u.negative))
        {
            assert!(
                WHY.contains(&n.why.as_str()),
                "{}: why `{}`",
                bank.part,
                n.why
            );
        }
        for p in bank
            .design
            .positive
            .iter()
            .chain(&bank.held_out.positive)
            .chain(unread.flat_map(|u| &u.positive))
        {
            let choices = p.evidence.choices();
            assert!(
                !choices.is_empty(),
                "{}: no evidence: {}",
                bank.part,
                p.text
            );
            for want in choices {
                assert!(
                    !want.is_empty() && p.text.contains(want.as_str()),
                    "{}: 「{want}」 is not in {}",
                    bank.part,
                    p.text
                );
            }
        }
    }
}

#[test]
fn the_bank_is_recalled_with_its_evidence_and_near_misses_are_not_met() {
    let checker = Checker::new().unwrap();
    let mut report = String::new();
    let mut failures = Vec::new();
    let mut scores: BTreeMap<(String, &str), Score> = BTreeMap::new();
    for bank in banks() {
        for (name, set) in [("design", &bank.design), ("held-out", &bank.held_out)] {
            let score = scores.entry((bank.part.clone(), name)).or_default();
            score_set(&checker, &bank.part, name, set, score, &mut failures);
        }
    }
    writeln!(
        report,
        "{:<18} {:>16} {:>16}",
        "part", "design R / P", "held-out R / P"
    )
    .unwrap();
    let mut low = Vec::new();
    let parts: Vec<String> = {
        let mut v: Vec<String> = scores.keys().map(|(p, _)| p.clone()).collect();
        v.dedup();
        v
    };
    for part in &parts {
        let d = &scores[&(part.clone(), "design")];
        let h = &scores[&(part.clone(), "held-out")];
        writeln!(
            report,
            "{part:<18} {:>7.2} / {:<6.2} {:>7.2} / {:<6.2}",
            d.recall(),
            d.precision(),
            h.recall(),
            h.precision()
        )
        .unwrap();
        for (name, s) in [("design", d), ("held-out", h)] {
            if s.recall() < 0.95 || s.precision() < 0.95 {
                low.push(format!("{part} {name}"));
            }
        }
    }
    println!("{report}");
    for f in &failures {
        println!("{f}");
    }
    assert!(low.is_empty(), "below 0.95: {low:?}\n{report}");
    let misplaced: Vec<&String> = failures
        .iter()
        .filter(|f| f.contains(" points at "))
        .collect();
    assert!(misplaced.is_empty(), "gaps point elsewhere: {misplaced:#?}");
}

/// The pending and the unread clauses' figures, per part and in all:
/// printed (run with `--nocapture`), never asserted. The unread set's
/// figures, until a pattern is changed for one of its clauses, are its
/// first look.
#[test]
fn the_pending_and_unread_clauses_are_measured_and_reported() {
    let checker = Checker::new().unwrap();
    let banks = banks();
    for (name, of) in [
        (
            "pending",
            (|b: &Bank| b.pending.as_ref()) as fn(&Bank) -> Option<&Set>,
        ),
        ("unread", |b: &Bank| b.unread.as_ref()),
    ] {
        let mut failures = Vec::new();
        let mut total = Score::default();
        let mut negatives = 0;
        let mut report = String::new();
        for bank in &banks {
            let Some(set) = of(bank) else { continue };
            assert!(
                !set.positive.is_empty() || !set.negative.is_empty(),
                "{}: a {name} set needs clauses",
                bank.part
            );
            let mut score = Score::default();
            score_set(&checker, &bank.part, name, set, &mut score, &mut failures);
            writeln!(
                report,
                "{:<18} {:>7.2} / {:<6.2}",
                bank.part,
                score.recall(),
                score.precision()
            )
            .unwrap();
            total.positives += score.positives;
            total.recalled += score.recalled;
            total.met_positives += score.met_positives;
            total.false_positives += score.false_positives;
            negatives += set.negative.len();
        }
        println!(
            "{name}: {} / {} positives recalled ({} met whatever the evidence), {} / {negatives} negatives not met\n{report}",
            total.recalled,
            total.positives,
            total.met_positives,
            negatives.saturating_sub(total.false_positives)
        );
        for f in &failures {
            println!("{f}");
        }
    }
}

/// Score one set of a part's bank into `score`; each miss, false positive
/// and misplaced gap into `failures`.
fn score_set(
    checker: &Checker,
    part: &str,
    name: &str,
    set: &Set,
    score: &mut Score,
    failures: &mut Vec<String>,
) {
    for p in &set.positive {
        let facts = extract(&p.text, checker.vocabulary(), checker.laws());
        let f = facts.part(part).unwrap();
        score.positives += 1;
        let ev = evidence_text(&p.text, f);
        if met(f) {
            score.met_positives += 1;
            if p.evidence.found_in(ev) {
                score.recalled += 1;
                continue;
            }
        }
        failures.push(format!(
            "{} {name} positive not met at 「{}」: {:?}\n    got 「{ev}」 {f:?}",
            part, p.evidence, p.text
        ));
    }
    for n in &set.negative {
        let facts = extract(&n.text, checker.vocabulary(), checker.laws());
        let f = facts.part(part).unwrap();
        let ev = evidence_text(&n.text, f);
        if met(f) {
            score.false_positives += 1;
            failures.push(format!(
                "{} {name} negative ({}) met: {:?}\n    at 「{ev}」 {f:?}",
                part, n.why, n.text
            ));
        } else if let Some(want) = &n.evidence
            && !ev.contains(want.as_str())
        {
            failures.push(format!(
                "{} {name} negative ({}) points at 「{ev}」, not 「{want}」: {:?}",
                part, n.why, n.text
            ));
        }
    }
}
