//! The text view of an office document and its paragraph map.
//!
//! The view is Markdown that the rest of niacheck reads like any `rules.md`:
//! one block per paragraph (blank lines between), a heading paragraph as a
//! `#` heading, a table as a pipe table. Each paragraph's text, as the
//! officer sees it (automatic numbering rendered), is copied into the view
//! in *segments*; the map turns a byte offset of the view back into the
//! paragraph (1-based, counted as Word counts them: non-empty paragraphs,
//! table cells included, in document order) and a character offset in it.
#![deny(clippy::arithmetic_side_effects)]

use crate::source::Span;

/// One stretch of the view copied from a paragraph's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    /// Bytes of the view.
    view: Span,
    /// Index into [`ParagraphMap::paragraphs`].
    paragraph: usize,
    /// Byte offset in the paragraph's text where the segment starts.
    at: usize,
}

/// Where a span of the view lies in the document's paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParagraphPlace<'a> {
    /// 1-based paragraph number.
    pub number: usize,
    /// The paragraph's text as shown.
    pub text: &'a str,
    /// Byte range of the span in `text`.
    pub bytes: Span,
    /// 0-based character offsets of the span in `text`.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

/// The paragraphs of an office document and where each lies in its view.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParagraphMap {
    paragraphs: Vec<String>,
    segments: Vec<Segment>,
}

impl ParagraphMap {
    /// How many paragraphs.
    #[must_use]
    pub fn len(&self) -> usize {
        self.paragraphs.len()
    }

    /// Whether the document has no paragraph with text.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.paragraphs.is_empty()
    }

    /// The text of paragraph `number` (1-based).
    #[must_use]
    pub fn text(&self, number: usize) -> Option<&str> {
        self.paragraphs
            .get(number.checked_sub(1)?)
            .map(String::as_str)
    }

    /// The segment holding view offset `offset`, or the first one after it
    /// (an offset in a heading's `#` falls on the heading's text).
    fn segment(&self, offset: usize) -> Option<&Segment> {
        let i = self.segments.partition_point(|s| s.view.end <= offset);
        self.segments.get(i).or_else(|| self.segments.last())
    }

    /// Paragraph byte offset of view offset `offset` inside `segment`.
    fn inside(segment: &Segment, offset: usize) -> usize {
        let offset = offset.clamp(segment.view.start, segment.view.end);
        segment
            .at
            .saturating_add(offset.saturating_sub(segment.view.start))
    }

    /// Where the view span `span` lies: the paragraph of its start, and the
    /// span cut to that paragraph.
    #[must_use]
    pub fn place(&self, span: Span) -> Option<ParagraphPlace<'_>> {
        let first = self.segment(span.start)?;
        let text = self.paragraphs.get(first.paragraph)?;
        let start = Self::inside(first, span.start);
        let last = self
            .segments
            .iter()
            .skip_while(|s| s.view.end <= span.start)
            .take_while(|s| s.view.start < span.end.max(span.start.saturating_add(1)))
            .filter(|s| s.paragraph == first.paragraph)
            .last()
            .unwrap_or(first);
        let end = Self::inside(last, span.end).max(start).min(text.len());
        let start = start.min(end);
        let chars = |to: usize| text.get(..to).map_or(0, |t| t.chars().count());
        Some(ParagraphPlace {
            number: first.paragraph.saturating_add(1),
            text,
            bytes: Span::new(start, end),
            start: chars(start),
            end: chars(end),
        })
    }
}

/// One paragraph as a reader found it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Para {
    /// Heading level (1–6) when its style is a heading.
    pub heading: Option<u8>,
    /// Its text as shown, numbering included; `\n` for a line break.
    pub text: String,
}

/// A block of the document body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A paragraph.
    Para(Para),
    /// A table: rows of cells, each cell its paragraphs.
    Table(Vec<Vec<Vec<Para>>>),
}

/// Builds the view and its map.
#[derive(Debug, Default)]
pub struct Builder {
    view: String,
    map: ParagraphMap,
}

/// Characters that would make a line other than paragraph text when they
/// start it: headings, HTML, code fences, front matter.
fn escapes_at_line_start(c: char) -> bool {
    matches!(c, '#' | '<' | '`' | '~' | '=' | '_')
}

impl Builder {
    /// Copy `text` (one paragraph's) into the view as a new paragraph,
    /// escaping what Markdown would read as syntax: leading spaces
    /// (indented code), a line start that opens a heading or HTML, and,
    /// in a table, `|`.
    fn copy(&mut self, text: &str, in_table: bool) {
        let paragraph = self.map.paragraphs.len();
        let mut at = 0_usize;
        let mut line_start = true;
        let mut seg_start: Option<(usize, usize)> = None;
        let close = |b: &mut Self, seg: &mut Option<(usize, usize)>| {
            if let Some((view_start, para_at)) = seg.take() {
                let view = Span::new(view_start, b.view.len());
                if !view.is_empty() {
                    b.map.segments.push(Segment {
                        view,
                        paragraph,
                        at: para_at,
                    });
                }
            }
        };
        for c in text.chars() {
            let width = c.len_utf8();
            let escape =
                (line_start && escapes_at_line_start(c)) || (c == '|' && in_table) || c == '\\';
            let skip = line_start && matches!(c, ' ' | '\t');
            let newline = c == '\n' || c == '\r';
            if escape || skip || (newline && in_table) {
                close(self, &mut seg_start);
            }
            if escape {
                self.view.push('\\');
            }
            if !skip {
                if seg_start.is_none() {
                    seg_start = Some((self.view.len(), at));
                }
                self.view.push(if newline && in_table { ' ' } else { c });
                if newline {
                    // A line end of a paragraph is its own character.
                    close(self, &mut seg_start);
                }
            }
            line_start = newline || (line_start && skip);
            at = at.saturating_add(width);
        }
        close(self, &mut seg_start);
        self.map.paragraphs.push(text.to_owned());
    }

    /// Add a block.
    pub fn block(&mut self, block: &Block) {
        match block {
            Block::Para(p) => self.para(p),
            Block::Table(rows) => self.table(rows),
        }
    }

    fn para(&mut self, para: &Para) {
        if para.text.trim().is_empty() {
            return;
        }
        if let Some(level) = para.heading {
            for _ in 0..level.clamp(1, 6) {
                self.view.push('#');
            }
            self.view.push(' ');
            let flat = para.text.replace(['\n', '\r'], " ");
            self.copy(&flat, false);
        } else {
            self.copy(&para.text, false);
        }
        self.view.push_str("\n\n");
    }

    fn table(&mut self, rows: &[Vec<Vec<Para>>]) {
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        if width == 0 {
            return;
        }
        for (i, row) in rows.iter().enumerate() {
            self.view.push('|');
            for cell in row {
                self.view.push(' ');
                let mut first = true;
                for para in cell.iter().filter(|p| !p.text.trim().is_empty()) {
                    if !first {
                        self.view.push(' ');
                    }
                    first = false;
                    self.copy(para.text.trim_end(), true);
                }
                self.view.push_str(" |");
            }
            for _ in row.len()..width {
                self.view.push_str("  |");
            }
            self.view.push('\n');
            if i == 0 {
                self.view.push('|');
                for _ in 0..width {
                    self.view.push_str(" --- |");
                }
                self.view.push('\n');
            }
        }
        self.view.push('\n');
    }

    /// The view and its map.
    #[must_use]
    pub fn finish(self) -> (String, ParagraphMap) {
        (self.view, self.map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(heading: Option<u8>, text: &str) -> Block {
        Block::Para(Para {
            heading,
            text: text.to_owned(),
        })
    }

    #[test]
    fn offsets_map_back_to_paragraphs() {
        let mut b = Builder::default();
        b.block(&para(Some(1), "規範"));
        b.block(&para(None, ""));
        b.block(&para(None, "  #一、依個人資料保護法"));
        let (view, map) = b.finish();
        assert_eq!(view, "# 規範\n\n\\#一、依個人資料保護法\n\n");
        assert_eq!(map.len(), 2);
        let at = view.find("個人").unwrap_or_default();
        let place = map.place(Span::new(at, at + "個人".len()));
        let place = place.unwrap_or_else(|| unreachable!());
        assert_eq!(place.number, 2);
        assert_eq!(place.text, "  #一、依個人資料保護法");
        assert_eq!((place.start, place.end), (6, 8));
        assert_eq!(
            place.text.get(place.bytes.start..place.bytes.end),
            Some("個人")
        );
    }

    #[test]
    fn a_table_is_a_pipe_table_and_cells_are_paragraphs() {
        let cell = |t: &str| {
            vec![Para {
                heading: None,
                text: t.to_owned(),
            }]
        };
        let mut b = Builder::default();
        b.block(&Block::Table(vec![
            vec![cell("項目"), cell("說明")],
            vec![cell("a|b"), cell("c")],
        ]));
        let (view, map) = b.finish();
        assert_eq!(view, "| 項目 | 說明 |\n| --- | --- |\n| a\\|b | c |\n\n");
        assert_eq!(map.len(), 4);
        let at = view.find('c').unwrap_or_default();
        assert_eq!(map.place(Span::new(at, at + 1)).map(|p| p.number), Some(4));
        let b_at = view.find('b').unwrap_or_default();
        let place = map.place(Span::new(b_at, b_at + 1));
        assert_eq!(place.map(|p| (p.number, p.start)), Some((3, 2)));
    }
}
