//! Source files and byte spans: every fact niacheck reports points back into
//! the file it came from, so positions are computed once, here.
#![deny(clippy::arithmetic_side_effects)]

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
        self.end.saturating_sub(self.start)
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

/// The offsets just after each line end of `text`: LF, CRLF (one line
/// end) and a lone CR (old Mac files, some Word exports).
fn line_ends(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    // Only the line-break bytes are visited (memchr's vectorised search);
    // a text without CR, most of them, is searched for LF alone.
    if memchr::memchr(b'\r', bytes).is_none() {
        return memchr::memchr_iter(b'\n', bytes)
            .map(|i| i.saturating_add(1))
            .collect();
    }
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter_map(move |i| {
            let next = i.checked_add(1)?;
            let ends = bytes.get(i) == Some(&b'\n') || bytes.get(next) != Some(&b'\n');
            ends.then_some(next)
        })
        .collect()
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
    /// The number of characters before each multiple of [`STRIDE`] bytes,
    /// so a column is counted over at most `STRIDE` bytes, however long
    /// the line: many findings on one long line stay linear.
    char_marks: Vec<usize>,
    /// The encoding the file was decoded from, when it was not UTF-8: the
    /// text (and every span) is the decoded UTF-8, not the bytes on disk.
    decoded_from: Option<&'static str>,
    /// For an office document, the paragraphs its text view was made of.
    paragraphs: Option<Arc<crate::office::ParagraphMap>>,
}

/// Distance in bytes between two marks of [`SourceFile`]'s character index.
const STRIDE: usize = 4096;

/// The number of characters that start in `bytes` (a UTF-8 continuation
/// byte starts none), so any byte range can be counted.
fn chars_in(bytes: &[u8]) -> usize {
    // Eight bytes at a time: a continuation byte has its top bits `10`,
    // so `w & !(w << 1)` keeps the top bit of exactly those bytes.
    let (words, rest) = bytes.as_chunks::<8>();
    let continuations: u32 = words
        .iter()
        .map(|w| {
            let w = u64::from_le_bytes(*w);
            (w & !(w << 1) & 0x8080_8080_8080_8080).count_ones()
        })
        .sum();
    let tail = rest.iter().filter(|&&b| (b & 0xC0) == 0x80).count();
    bytes
        .len()
        .saturating_sub(continuations as usize)
        .saturating_sub(tail)
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
        let ends = line_ends(text);
        let mut line_starts = Vec::with_capacity(ends.len().saturating_add(1));
        line_starts.push(0);
        line_starts.extend_from_slice(&ends);
        let mut char_marks = vec![0];
        let mut count = 0_usize;
        for chunk in text.as_bytes().chunks(STRIDE) {
            count = count.saturating_add(chars_in(chunk));
            char_marks.push(count);
        }
        Self {
            name: name.into(),
            text: Arc::from(text),
            bom_len,
            line_starts,
            first_line: 0,
            char_marks,
            decoded_from: None,
            paragraphs: None,
        }
    }

    /// The same text, marked as decoded from `encoding` (`Big5`,
    /// `UTF-16LE`, …): its spans point into the decoded text, and
    /// [`SourceFile::file_offset`] no longer maps them to bytes on disk.
    #[must_use]
    pub fn decoded_from(mut self, encoding: &'static str) -> Self {
        self.decoded_from = Some(encoding);
        // Offsets are into the decoded text: bytes on disk do not match it.
        self.bom_len = 0;
        self
    }

    /// The encoding the file was decoded from, if it was not UTF-8.
    #[must_use]
    pub fn encoding(&self) -> Option<&'static str> {
        self.decoded_from
    }

    /// The text view of an office document, with the map from it back to
    /// the document's paragraphs.
    #[must_use]
    pub fn with_paragraphs(mut self, map: crate::office::ParagraphMap) -> Self {
        self.paragraphs = Some(Arc::new(map));
        self
    }

    /// The paragraph map, when the text is an office document's view.
    #[must_use]
    pub fn paragraphs(&self) -> Option<&crate::office::ParagraphMap> {
        self.paragraphs.as_deref()
    }

    /// Where a span lies among the paragraphs, for an office document.
    #[must_use]
    pub fn paragraph_place(&self, span: Span) -> Option<crate::office::ParagraphPlace<'_>> {
        self.paragraphs.as_deref()?.place(span)
    }

    /// An excerpt of a file too large to hold (a usage log): `text` is the
    /// file's content from byte `file_offset` (BOM included in the count)
    /// on, starting at the 1-based line `line`. Lines and file offsets are
    /// reported as in the whole file.
    #[must_use]
    pub fn excerpt(name: impl Into<String>, text: &str, line: usize, file_offset: usize) -> Self {
        let mut file = Self::new(name, text);
        file.first_line = line.saturating_sub(1);
        file.bom_len = file.bom_len.saturating_add(file_offset);
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

    /// The byte offset in the file on disk of a text offset (for a file
    /// decoded from another encoding, the offset in the decoded UTF-8 text).
    #[must_use]
    pub fn file_offset(&self, offset: usize) -> usize {
        offset.saturating_add(self.bom_len)
    }

    /// The number of characters before byte `offset` (clamped to the text).
    fn char_index(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        let mark = offset / STRIDE;
        let from = mark.saturating_mul(STRIDE);
        let counted = self.char_marks.get(mark).copied().unwrap_or(0);
        let rest = self.text.as_bytes().get(from..offset).map_or(0, chars_in);
        counted.saturating_add(rest)
    }

    /// The 0-based index of the line holding byte `offset`.
    #[must_use]
    pub fn line_index(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// The number of lines (a final line end starts an empty last line).
    #[must_use]
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The byte range of line `index` (0-based) without its line end.
    #[must_use]
    pub fn line_range(&self, index: usize) -> Option<Span> {
        let start = *self.line_starts.get(index)?;
        let next = index
            .checked_add(1)
            .and_then(|i| self.line_starts.get(i))
            .copied()
            .unwrap_or(self.text.len());
        let line = self.text.get(start..next).unwrap_or("");
        let content = line
            .strip_suffix("\r\n")
            .or_else(|| line.strip_suffix('\n'))
            .or_else(|| line.strip_suffix('\r'))
            .unwrap_or(line);
        Some(Span::new(start, start.saturating_add(content.len())))
    }

    /// The line and column of a byte offset of the text. A CRLF ends one
    /// line, and so does a lone CR; the column counts characters from the
    /// start of the line.
    #[must_use]
    pub fn line_column(&self, offset: usize) -> LineColumn {
        let offset = offset.min(self.text.len());
        let line_index = self.line_index(offset);
        let line_start = self.line_starts.get(line_index).copied().unwrap_or(0);
        let column = self
            .char_index(offset)
            .saturating_sub(self.char_index(line_start));
        LineColumn {
            line: self.first_line.saturating_add(line_index).saturating_add(1),
            column: column.saturating_add(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The characters starting in any byte range are counted as the
        /// definition counts them: every byte but UTF-8 continuation bytes.
        #[test]
        fn chars_in_counts_the_bytes_that_start_a_character(
            text in "[a中、\u{1F600}\n]{0,60}",
            from in 0..200_usize,
            len in 0..200_usize,
        ) {
            let bytes = text.as_bytes();
            let from = from.min(bytes.len());
            let to = from.saturating_add(len).min(bytes.len());
            let range = bytes.get(from..to).unwrap_or(&[]);
            let expected = range.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
            proptest::prop_assert_eq!(chars_in(range), expected);
        }

        /// The line ends are those of the definition, byte by byte: after
        /// LF, and after a CR not followed by LF.
        #[test]
        fn line_ends_are_lf_crlf_and_lone_cr(pieces in proptest::collection::vec(0..5_u8, 0..40)) {
            let text: String = pieces
                .iter()
                .map(|p| match p {
                    0 => "\n",
                    1 => "\r",
                    2 => "\r\n",
                    3 => "中",
                    _ => "a",
                })
                .collect();
            let bytes = text.as_bytes();
            let expected: Vec<usize> = (0..bytes.len())
                .filter(|&i| {
                    bytes.get(i) == Some(&b'\n')
                        || (bytes.get(i) == Some(&b'\r') && bytes.get(i.saturating_add(1)) != Some(&b'\n'))
                })
                .map(|i| i.saturating_add(1))
                .collect();
            proptest::prop_assert_eq!(line_ends(&text), expected);
        }
    }

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
    fn a_lone_cr_ends_a_line() {
        let file = SourceFile::new("rules.md", "a\rbc\r\nd\n\re");
        let at = |c: char| file.line_column(file.text().find(c).unwrap_or_default());
        assert_eq!(at('b'), LineColumn { line: 2, column: 1 });
        assert_eq!(at('c'), LineColumn { line: 2, column: 2 });
        assert_eq!(at('d'), LineColumn { line: 3, column: 1 });
        assert_eq!(at('e'), LineColumn { line: 5, column: 1 });
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        let file = SourceFile::new("a", "ab");
        assert_eq!(file.line_column(99), LineColumn { line: 1, column: 3 });
    }
}
