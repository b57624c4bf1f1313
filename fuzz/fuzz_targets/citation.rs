//! The law citation reader on any text: no panic, no overflow, every span
//! on character boundaries inside the text.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use niacheck::embedded::LAWS_TOML;
use niacheck::extract::citation::{self, Laws};

fn laws() -> &'static Laws {
    static LAWS: OnceLock<Laws> = OnceLock::new();
    LAWS.get_or_init(|| Laws::from_toml(LAWS_TOML).expect("laws"))
}

fuzz_target!(|text: &str| {
    let laws = laws();
    let citations = laws.citations(text, 0);
    let known: Vec<_> = citations.iter().map(|c| c.span).collect();
    for span in known
        .iter()
        .chain(laws.near_misses(text, 0, &known).iter().map(|m| &m.span))
    {
        assert!(text.get(span.start..span.end).is_some(), "{span}");
    }
    for c in &citations {
        let _ = laws.replacement(c);
        let _ = laws.renumbering(c);
    }
    let _ = citation::read_number(text);
});
