#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! Properties over generated input: every span a reader gives lies on
//! character boundaries inside its text, and line/column agree with an
//! independent count for LF, CRLF, CR and mixed line ends.

use std::sync::OnceLock;

use niacheck::Checker;
use niacheck::extract::{config, document};
use niacheck::privacy::Masker;
use niacheck::source::{LineColumn, SourceFile, Span};
use proptest::prelude::*;

fn checker() -> &'static Checker {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    CHECKER.get_or_init(|| Checker::new().unwrap())
}

/// Pieces a rules document is made of, so generated text reaches the
/// readers' interesting paths: numbering, titles, law names, articles,
/// full-width and multi-byte characters, every kind of line end.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("一、".to_owned()),
        Just("（二）".to_owned()),
        Just("(3)".to_owned()),
        Just("1.".to_owned()),
        Just("## ".to_owned()),
        Just("- ".to_owned()),
        Just("| a | b |".to_owned()),
        Just("稽核：".to_owned()),
        Just("個人資料保護法".to_owned()),
        Just("電腦處理個人資料保護法".to_owned()),
        Just("個資法".to_owned()),
        Just("第十五條".to_owned()),
        Just("第15、16及18條".to_owned()),
        Just("第七條之一第二項".to_owned()),
        Just("不涉及".to_owned()),
        Just("另定之".to_owned()),
        Just("。".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\r".to_owned()),
        Just("Ａ１２３".to_owned()),
        Just("𠀀".to_owned()),
        Just("\u{feff}".to_owned()),
        "[a-z 0-9:\\[\\]{}\"'-]{0,6}",
        "\\PC{0,3}",
    ]
}

fn document_text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..60).prop_map(|p| p.concat())
}

fn on_boundaries(text: &str, span: Span) -> bool {
    span.start <= span.end
        && span.end <= text.len()
        && text.is_char_boundary(span.start)
        && text.is_char_boundary(span.end)
}

/// Line and column of every char offset, counted one character at a time.
fn independent(text: &str) -> Vec<(usize, LineColumn)> {
    let mut out = Vec::new();
    let (mut line, mut column) = (1, 1);
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        out.push((i, LineColumn { line, column }));
        let ends = match c {
            '\n' => true,
            '\r' => chars.peek().is_none_or(|&(_, next)| next != '\n'),
            _ => false,
        };
        // The CR of a CRLF is a character of its line, as the LF is.
        if ends {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    out.push((text.len(), LineColumn { line, column }));
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn document_spans_lie_on_character_boundaries(text in document_text()) {
        let checker = checker();
        let file = SourceFile::new("rules.md", &text);
        let text = file.text();
        let facts = document::extract(text, checker.vocabulary(), checker.laws());
        for c in &facts.citations {
            prop_assert!(on_boundaries(text, c.span), "{:?}", c.span);
            prop_assert!(on_boundaries(text, c.name), "{:?}", c.name);
        }
        for m in &facts.near_misses {
            prop_assert!(on_boundaries(text, m.span), "{:?}", m.span);
        }
    }

    #[test]
    fn config_error_spans_lie_on_character_boundaries(
        text in prop::collection::vec(prop_oneof![
            Just("agency:\n".to_owned()),
            Just("  name: 臺北\n".to_owned()),
            Just("users:\n  - personnel_id: 警甲\n".to_owned()),
            Just("    certificate: {serial: 'ＳＮ', expires_on: 2026-02-30}\n".to_owned()),
            Just("&a [*a]\n".to_owned()),
            Just("\t".to_owned()),
            Just("\r".to_owned()),
            "\\PC{0,4}",
        ], 0..20).prop_map(|p| p.concat())
    ) {
        for error in config::parse(&text).err().unwrap_or_default() {
            if let Some(span) = error.span {
                prop_assert!(on_boundaries(&text, span), "{span:?} in {text:?}");
            }
        }
    }

    #[test]
    fn line_and_column_agree_with_an_independent_count(
        lines in prop::collection::vec("[a-z一-龥Ａ-Ｚ𠀀 ]{0,8}", 1..12),
        ends in prop::collection::vec(prop_oneof![Just("\n"), Just("\r\n"), Just("\r")], 12),
        style in 0..4_usize,
    ) {
        let mut text = String::new();
        for (i, line) in lines.iter().enumerate() {
            text.push_str(line);
            // LF, CRLF, CR files, and mixed ones.
            let end = match style {
                0 => "\n",
                1 => "\r\n",
                2 => "\r",
                _ => ends[i],
            };
            text.push_str(end);
        }
        let file = SourceFile::new("rules.md", &text);
        for (offset, expected) in independent(&text) {
            prop_assert_eq!(file.line_column(offset), expected, "offset {} of {:?}", offset, text);
        }
    }

    #[test]
    fn masking_keeps_byte_offsets_and_columns(text in document_text(), value in "\\PC{1,6}") {
        let values = vec![value];
        let masker = Masker { show: false, values: &values };
        for masked in [masker.apply(&text).into_owned(), masker.compile().apply(&text).into_owned()] {
            prop_assert_eq!(masked.len(), text.len());
            let original = SourceFile::new("a", &text);
            let after = SourceFile::new("a", &masked);
            for (offset, _) in text.char_indices() {
                prop_assert!(masked.is_char_boundary(offset));
                prop_assert_eq!(original.line_column(offset), after.line_column(offset));
            }
        }
    }
}
