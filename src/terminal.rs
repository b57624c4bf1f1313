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

/// `--color`: when to draw with colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    /// Colours on a terminal, unless `NO_COLOR` is set (non-empty); also
    /// when not a terminal if `CLICOLOR_FORCE` is set (non-empty, not `0`).
    #[default]
    Auto,
    /// Always colours.
    Always,
    /// Never colours.
    Never,
}

impl ColorChoice {
    /// The names `--color` takes.
    pub const NAMES: [&str; 3] = ["auto", "always", "never"];

    /// The choice of a name of [`ColorChoice::NAMES`].
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "auto" => Some(Self::Auto),
            "always" => Some(Self::Always),
            "never" => Some(Self::Never),
            _ => None,
        }
    }

    /// Whether to draw with colours, given whether the output is a
    /// terminal and the values of `NO_COLOR` and `CLICOLOR_FORCE`. The flag
    /// wins over both variables; `NO_COLOR` wins over `CLICOLOR_FORCE`.
    #[must_use]
    pub fn colors(self, terminal: bool, no_color: Option<&str>, force: Option<&str>) -> bool {
        match self {
            Self::Always => true,
            Self::Never => false,
            Self::Auto => {
                if no_color.is_some_and(|v| !v.is_empty()) {
                    false
                } else if force.is_some_and(|v| !v.is_empty() && v != "0") {
                    true
                } else {
                    terminal
                }
            }
        }
    }
}

/// The width to draw for: `COLUMNS` when it is a number, else the
/// terminal's width when `terminal_width` knows one, else 100; never less
/// than 40 columns nor more than 400.
#[must_use]
pub fn width(columns: Option<&str>, terminal_width: Option<u16>) -> usize {
    columns
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|c| *c > 0)
        .or(terminal_width.map(usize::from).filter(|w| *w > 0))
        .unwrap_or(100)
        .clamp(40, 400)
}

#[cfg(test)]
mod tests {
    use super::{ColorChoice, visible, visible_lines, width};

    /// (choice, terminal, NO_COLOR, CLICOLOR_FORCE, colours)
    #[test]
    fn color_choice_table() {
        use ColorChoice::{Always, Auto, Never};
        for (choice, tty, no_color, force, want) in [
            (Auto, true, None, None, true),
            (Auto, false, None, None, false),
            (Auto, true, Some("1"), None, false),
            (Auto, true, Some(""), None, true),
            (Auto, false, None, Some("1"), true),
            (Auto, false, None, Some("0"), false),
            (Auto, false, None, Some(""), false),
            (Auto, false, Some("1"), Some("1"), false),
            (Always, false, Some("1"), None, true),
            (Never, true, None, Some("1"), false),
        ] {
            assert_eq!(
                choice.colors(tty, no_color, force),
                want,
                "{choice:?} tty={tty} NO_COLOR={no_color:?} CLICOLOR_FORCE={force:?}"
            );
        }
    }

    #[test]
    fn width_from_columns_or_the_terminal() {
        assert_eq!(width(None, None), 100);
        assert_eq!(width(None, Some(132)), 132);
        assert_eq!(width(Some("72"), Some(132)), 72);
        assert_eq!(width(Some("wide"), Some(80)), 80);
        assert_eq!(width(Some("0"), None), 100);
        assert_eq!(width(Some("10"), None), 40);
        assert_eq!(width(Some("100000"), None), 400);
    }

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
