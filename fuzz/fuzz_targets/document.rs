//! The rules document reader on any text: no panic, every span on
//! character boundaries inside the text.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use niacheck::embedded::{LAWS_TOML, VOCABULARY_TOML};
use niacheck::extract::citation::Laws;
use niacheck::extract::document::{self, vocabulary::Vocabulary};

fn data() -> &'static (Vocabulary, Laws) {
    static DATA: OnceLock<(Vocabulary, Laws)> = OnceLock::new();
    DATA.get_or_init(|| {
        (
            Vocabulary::from_toml(VOCABULARY_TOML).expect("vocabulary"),
            Laws::from_toml(LAWS_TOML).expect("laws"),
        )
    })
}

fuzz_target!(|text: &str| {
    let (vocabulary, laws) = data();
    let facts = document::extract(text, vocabulary, laws);
    for citation in &facts.citations {
        assert!(text.get(citation.span.start..citation.span.end).is_some());
    }
    for miss in &facts.near_misses {
        assert!(text.get(miss.span.start..miss.span.end).is_some());
    }
});
