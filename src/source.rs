//! Source files and byte spans: every fact niacheck reports points back into
//! the file it came from, so positions are computed once, here.

use std::fmt;
use std::sync::Arc;

/// A half-open byte range `start..end` into a [`SourceFile`]'s text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (swapped if given backwards).
    #[must_use]
    pub fn new(start: usize, end: usize) -> Self {
        if end < start {
            Self {
                start: end,
                end: start,
            }
        } else {
            Self { start, end }
        }
    }

    /// Length in bytes.
    #[must_use]
    pub fn len(self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no byte.
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    #[must_use]
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// Whether `other` lies inside this span.
    #[must_use]
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// A 1-based line and column; the column counts characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineColumn {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// A text file as read from a submission: its name as reported, its text
/// without the UTF-8 BOM, and a line index.
///
/// Spans are byte offsets into [`SourceFile::text`]; [`SourceFile::file_offset`]
/// turns one into an offset into the file on disk (which may start with a BOM).
#[derive(Debug, Clone)]
pub struct SourceFile {
    name: String,
    text: Arc<str>,
    bom_len: usize,
    line_starts: Vec<usize>,
    /// Lines of the whole file before this text (0 unless an excerpt).
    first_line: usize,
}

impl SourceFile {
    /// A file named `name` (as it appears in reports) with the given bytes
    /// already decoded as UTF-8. A leading BOM is dropped from the text.
    #[must_use]
    pub fn new(name: impl Into<String>, text: &str) -> Self {
        let (text, bom_len) = match text.strip_prefix('\u{feff}') {
            Some(rest) => (rest, '\u{feff}'.len_utf8()),
            None => (text, 0),
        };
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            name: name.into(),
            text: Arc::from(text),
            bom_len,
            line_starts,
            first_line: 0,
        }
    }

    /// An excerpt of a file too large to hold (a usage log): `text` is the
    /// file's content from byte `file_offset` (BOM included in the count)
    /// on, starting at the 1-based line `line`. Lines and file offsets are
    /// reported as in the whole file.
    #[must_use]
    pub fn excerpt(name: impl Into<String>, text: &str, line: usize, file_offset: usize) -> Self {
        let mut file = Self::new(name, text);
        file.first_line = line.saturating_sub(1);
        file.bom_len += file_offset;
        file
    }

    /// Lines of the whole file before this text: 0 unless an excerpt.
    #[must_use]
    pub fn first_line(&self) -> usize {
        self.first_line
    }

    /// The file's name as reported (relative to its submission).
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The text, without BOM.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// A shared handle on the text, for diagnostics.
    #[must_use]
    pub fn shared_text(&self) -> Arc<str> {
        Arc::clone(&self.text)
    }

    /// The text of a span; empty if the span is not on character boundaries.
    #[must_use]
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// The byte offset in the file on disk of a text offset.
    #[must_use]
    pub fn file_offset(&self, offset: usize) -> usize {
        offset + self.bom_len
    }

    /// The line and column of a byte offset of the text. A CRLF ends one
    /// line; the column counts characters from the start of the line.
    #[must_use]
    pub fn line_column(&self, offset: usize) -> LineColumn {
        let offset = offset.min(self.text.len());
        let line_index = self
            .line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        let line_start = self.line_starts.get(line_index).copied().unwrap_or(0);
        let column = self
            .text
            .get(line_start..offset)
            .map_or(0, |prefix| prefix.chars().count());
        LineColumn {
            line: self.first_line + line_index + 1,
            column: column + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_crlf_ends_one_line() {
        let file = SourceFile::new("rules.md", "\u{feff}一、目的\r\n（一）本局\n");
        assert_eq!(file.text().chars().next(), Some('一'));
        let second = file.text().find('（').unwrap_or_default();
        assert_eq!(file.line_column(second), LineColumn { line: 2, column: 1 });
        let ben = file.text().find('本').unwrap_or_default();
        assert_eq!(file.line_column(ben), LineColumn { line: 2, column: 4 });
        assert_eq!(file.file_offset(0), 3);
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        let file = SourceFile::new("a", "ab");
        assert_eq!(file.line_column(99), LineColumn { line: 1, column: 3 });
    }
}
