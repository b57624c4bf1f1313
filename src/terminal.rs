//! Text bound for a terminal, made harmless: control characters (ESC, BEL,
//! CR, …) and bidirectional overrides (U+202E, …) in agency names, document
//! text, folder and file names are shown as visible escapes (`\u{1b}`), so
//! an input can neither drive the terminal nor forge a line of the report.
#![deny(clippy::arithmetic_side_effects)]

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` must not reach a terminal as is. Tab and line feed are kept
/// where `keep_newline` says so; every other C0/C1 control, DEL, the bidi
/// embeddings, overrides, isolates and marks, and the line and paragraph
/// separators are escaped.
#[must_use]
pub fn is_unsafe(c: char, keep_newline: bool) -> bool {
    match c {
        '\t' => false,
        '\n' => !keep_newline,
        _ => {
            c.is_control()
                || matches!(
                    c,
                    '\u{061c}'
                        | '\u{200e}'
                        | '\u{200f}'
                        | '\u{202a}'..='\u{202e}'
                        | '\u{2066}'..='\u{2069}'
                        | '\u{2028}'
                        | '\u{2029}'
                )
        }
    }
}

/// Push `c` onto `out`, escaped if it is unsafe.
pub fn push_visible(out: &mut String, c: char, keep_newline: bool) {
    if is_unsafe(c, keep_newline) {
        let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
    } else {
        out.push(c);
    }
}

/// `text` with every unsafe character escaped; line feeds are escaped too
/// (for one-line items: names, paths, headings).
#[must_use]
pub fn visible(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// `text` with every unsafe character escaped except line feeds (for
/// messages that may span lines).
#[must_use]
pub fn visible_lines(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

fn escape(text: &str, keep_newline: bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c, keep_newline)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().saturating_add(16));
    for c in text.chars() {
        push_visible(&mut out, c, keep_newline);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::{visible, visible_lines};

    #[test]
    fn controls_and_bidi_become_visible_escapes() {
        assert_eq!(
            visible("臺北\u{1b}[2J\u{7}\r局\u{202e}"),
            "臺北\\u{1b}[2J\\u{7}\\u{d}局\\u{202e}"
        );
        assert_eq!(visible("a\nb\tc"), "a\\u{a}b\tc");
        assert_eq!(visible_lines("a\nb"), "a\nb");
        assert_eq!(visible("plain 文字"), "plain 文字");
    }
}
