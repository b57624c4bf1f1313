//! The outline of a rules document: a tree of clauses, each with its
//! numbering, its title and its byte spans.
//!
//! pulldown-cmark gives the block structure (headings, tables, code, front
//! matter). Chinese clause numbering (`一、` `（一）` `第一條` `壹、`) is not
//! Markdown: such lines arrive as paragraph text, consecutive lines merged
//! into one paragraph, so every text block is scanned line by line for the
//! numbering that real agencies use.
//!
//! A clause nests under the open clause of a higher rank; a plain paragraph
//! that ends with a colon (「本局應辦理下列事項：」, 「…如下：」) adopts the
//! numbered clauses or list items that follow it at its place, as a
//! numbered clause whose title introduces a list does.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::source::Span;

/// The numbering style of a clause. Styles nest in the order a document
/// first uses them, as in a word processor's outline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MarkerKind {
    /// `壹、`
    Capital,
    /// `第一章`, `第二節`, `第三篇`: a chapter over articles.
    Chapter,
    /// `第一條`, `第1條`
    Article,
    /// `一、`
    Chinese,
    /// `（一）`, `(一)`
    ChineseParen,
    /// `1.`, `1、`, `１．`
    Arabic,
    /// `(1)`, `（１）`, `1)`
    ArabicParen,
    /// `-`, `*`, `+`, `•`
    Bullet,
}

impl MarkerKind {
    /// Kinds that number whole sections: a short unpunctuated line after
    /// one of these is a title even with nothing under it.
    fn is_sectional(self) -> bool {
        matches!(
            self,
            Self::Capital | Self::Chapter | Self::Article | Self::Chinese | Self::ChineseParen
        )
    }
}

/// What kind of block a clause comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClauseKind {
    /// A Markdown heading, with its level (1–6).
    Heading(u8),
    /// A line that starts with clause numbering.
    Numbered(MarkerKind),
    /// Text with no numbering of its own.
    Paragraph,
    /// A table row; its first cell is its title.
    TableRow,
}

/// One clause of the document.
#[derive(Debug, Clone)]
pub struct Clause {
    /// Where it comes from.
    pub kind: ClauseKind,
    /// The numbering (`（一）`), if any.
    pub marker: Option<Span>,
    /// The title: heading text, the text before a clause's colon, a short
    /// unpunctuated first line, or a table row's first cell.
    pub title: Option<Span>,
    /// The clause's own text, after its numbering (title included).
    pub own: Span,
    /// The clause with everything under it.
    pub span: Span,
    /// The enclosing clause.
    pub parent: Option<usize>,
    /// A plain paragraph that ends by introducing a list (「…應遵守下列事項：」)
    /// and has adopted the numbered clauses or list items after it.
    pub introduces: bool,
}

impl Clause {
    /// The text under the title (or the whole clause if it has no title).
    #[must_use]
    pub fn body(&self) -> Span {
        match self.title {
            Some(title) => Span::new(title.end.min(self.span.end), self.span.end),
            None => Span::new(self.own.start, self.span.end),
        }
    }
}

/// The clause tree of a document, in document order.
#[derive(Debug, Default)]
pub struct Outline {
    /// Clauses in document order; parents come before their children.
    pub clauses: Vec<Clause>,
    /// The cells of an amendment table (修正條文對照表) that hold the text in
    /// force before it (現行規定) or the reasons (說明): not the rules.
    pub superseded: Vec<Span>,
}

/// Longest title read from an unpunctuated line or before a colon, in characters.
const MAX_TITLE_CHARS: usize = 40;

struct Builder<'a> {
    text: &'a str,
    clauses: Vec<Clause>,
    /// Open headings: (level, clause index).
    headings: Vec<(u8, usize)>,
    /// Open numbered clauses under the current heading: (kind, indent,
    /// index); `None` for a paragraph that introduces a list.
    markers: Vec<(Option<MarkerKind>, usize, usize)>,
    superseded: Vec<Span>,
}

impl<'a> Builder<'a> {
    fn open_parent(&self) -> Option<usize> {
        self.markers
            .last()
            .map(|&(_, _, i)| i)
            .or_else(|| self.headings.last().map(|&(_, i)| i))
    }

    fn push(&mut self, clause: Clause) -> usize {
        let end = clause.span.end;
        let index = self.clauses.len();
        let mut parent = clause.parent;
        self.clauses.push(clause);
        while let Some(p) = parent {
            let Some(ancestor) = self.clauses.get_mut(p) else {
                break;
            };
            ancestor.span.end = ancestor.span.end.max(end);
            parent = ancestor.parent;
        }
        index
    }

    fn extend(&mut self, index: usize, end: usize) {
        let mut current = Some(index);
        while let Some(i) = current {
            let Some(clause) = self.clauses.get_mut(i) else {
                break;
            };
            clause.span.end = clause.span.end.max(end);
            if i == index {
                clause.own.end = clause.own.end.max(end);
            }
            current = clause.parent;
        }
    }

    fn heading(&mut self, level: u8, inner: Span) {
        let line = self.text.get(inner.start..inner.end).unwrap_or("");
        // A heading that starts with clause numbering (`### （一）人員`) is a
        // clause of that rank, nested by the document's own numbering
        // whatever its Markdown level: under 「五、資料保護作業如下：」 it is
        // item （一）, not a new section.
        let (_, stripped) = strip_prefixes(line);
        if let Some((kind, len)) = scan_marker(stripped)
            && kind != MarkerKind::Bullet
        {
            let start = inner.start + (line.len() - stripped.len());
            let index = self.numbered(kind, 0, start, len, inner.end);
            if let Some(clause) = self.clauses.get_mut(index)
                && clause.title.is_none()
                && clause.own.len() <= MAX_TITLE_CHARS * 3
                && !self
                    .text
                    .get(clause.own.start..clause.own.end)
                    .unwrap_or("")
                    .contains(['。', '；'])
            {
                // A heading is a title even with a comma in it.
                clause.title = Some(clause.own);
            }
            return;
        }
        while self.headings.last().is_some_and(|&(l, _)| l >= level) {
            self.headings.pop();
        }
        self.markers.clear();
        let (marker, title_start) = match scan_marker(line) {
            Some((_, len)) => {
                let rest = line.get(len..).unwrap_or("");
                let skipped = len + (rest.len() - trim_start(rest).len());
                (
                    Some(Span::new(inner.start, inner.start + len)),
                    inner.start + skipped,
                )
            }
            None => (None, inner.start),
        };
        let title = Span::new(title_start, inner.end);
        let parent = self.headings.last().map(|&(_, i)| i);
        let index = self.push(Clause {
            kind: ClauseKind::Heading(level),
            marker,
            title: Some(title),
            own: title,
            span: inner,
            parent,
            introduces: false,
        });
        self.headings.push((level, index));
    }

    /// A table begins: a plain paragraph just before it, at its place, that
    /// is one line wholly in bold (「**使用機關及人員應嚴守之規定**」) and no
    /// sentence, or one line that ends by introducing it with a colon
    /// (「使用者應遵守下列法令：」), is its caption: the title of the rows, until
    /// the table ends. Returns whether it adopted the table.
    fn table_start(&mut self) -> bool {
        let parent = self.open_parent();
        let Some(last) = self.clauses.len().checked_sub(1) else {
            return false;
        };
        let text = self.text;
        let Some(paragraph) = self.clauses.get_mut(last) else {
            return false;
        };
        if paragraph.kind != ClauseKind::Paragraph
            || paragraph.introduces
            || paragraph.title.is_some()
            || paragraph.parent != parent
        {
            return false;
        }
        let own = text
            .get(paragraph.own.start..paragraph.own.end)
            .unwrap_or("");
        // A line that ends by introducing the table (「使用者應遵守下列法令：」)
        // is its caption too: the text before the colon.
        if let Some((len, true)) = short_caption(own) {
            self.adopt_as_caption(last, len);
            return true;
        }
        let Some(line) = own
            .strip_suffix("**")
            .or_else(|| own.strip_suffix("__"))
            .filter(|l| l.chars().count() <= MAX_TITLE_CHARS)
        else {
            return false;
        };
        let whole_line_bold = text
            .get(..paragraph.own.start)
            .is_some_and(|before| before.ends_with("**") || before.ends_with("__"));
        if !whole_line_bold
            || line.is_empty()
            || line.contains(['\n', '*', '_', '。', '；', ';', '，', ','])
        {
            return false;
        }
        paragraph.title = Some(Span::new(
            paragraph.own.start,
            paragraph.own.start + line.len(),
        ));
        paragraph.introduces = true;
        self.markers.push((None, 0, last));
        true
    }

    /// The paragraph at `index` becomes the caption of the rows after it:
    /// its first `len` bytes are their title.
    fn adopt_as_caption(&mut self, index: usize, len: usize) {
        if let Some(paragraph) = self.clauses.get_mut(index) {
            paragraph.title = Some(Span::new(paragraph.own.start, paragraph.own.start + len));
            paragraph.introduces = true;
            self.markers.push((None, 0, index));
        }
    }

    /// The table a caption adopted ends.
    fn table_end(&mut self) {
        self.markers.pop();
    }

    fn table_row(&mut self, row: Span, first_cell: Option<Span>) {
        let parent = self.open_parent();
        // A row of a blank form (「| 查詢事由及案號 | |」, 「| … | ☐符合 ☐不符合 |」)
        // names a field to fill in: it heads nothing.
        let blank = self
            .text
            .get(row.start..row.end)
            .is_some_and(is_blank_form_row);
        let first_cell = first_cell.filter(|_| !blank);
        self.push(Clause {
            kind: ClauseKind::TableRow,
            marker: None,
            title: first_cell,
            own: row,
            span: row,
            parent,
            introduces: false,
        });
    }

    /// Scan a block of text (paragraph, list, block quote) line by line.
    fn text_block(&mut self, block: Span) {
        let first_new = self.clauses.len();
        // A sentence broken by a page (「九、資料使用完畢後，」, a running
        // header, then the rest in a block of its own) goes on in the clause
        // it began in: the last one, when its text ends in 「，」 or 「、」.
        let mut current: Option<usize> = first_new.checked_sub(1).filter(|&last| {
            self.clauses.get(last).is_some_and(|c| {
                matches!(c.kind, ClauseKind::Numbered(_) | ClauseKind::Paragraph)
                    && self
                        .text
                        .get(c.own.start..c.own.end)
                        .is_some_and(|own| own.trim_end().ends_with(['，', '、']))
            })
        });
        let mut offset = block.start;
        let body = self.text.get(block.start..block.end).unwrap_or("");
        // A table pasted as text, its cells parted by 「|」 on two lines or
        // more without Markdown's delimiter row (「項目 | 作法 | 負責單位」 over
        // 「定期督考 | 每季列印查詢日誌送政風室抽核 | 政風室」): each such line is a row.
        let pipe_table = body
            .lines()
            .filter(|l| first_cell(strip_prefixes(l).1).is_some())
            .nth(1)
            .is_some();
        let mut captioned = false;
        // The columns of an amendment table to leave unread, from its first row.
        let mut columns: Option<Vec<bool>> = None;
        for raw_line in body.split_inclusive('\n') {
            let line_start = offset;
            offset += raw_line.len();
            let line = raw_line.trim_end_matches(['\n', '\r']);
            let (indent, content) = strip_prefixes(line);
            if trim_start(content).is_empty() {
                continue;
            }
            let content_start = line_start + (line.len() - content.len());
            let line_end = line_start + line.len();
            if pipe_table && let Some((start, end)) = first_cell(content) {
                // A short line just before the rows is their caption
                // (「查詢作業流程」 over 「| 步驟 | 辦理事項 |」).
                if !captioned
                    && let Some(index) = current
                    && let Some(paragraph) = self.clauses.get(index)
                    && paragraph.kind == ClauseKind::Paragraph
                    && paragraph.title.is_none()
                    && !paragraph.introduces
                    && let Some((len, _)) = self
                        .text
                        .get(paragraph.own.start..paragraph.own.end)
                        .and_then(short_caption)
                {
                    self.adopt_as_caption(index, len);
                    captioned = true;
                }
                // The cells are split only for the first row and the rows
                // of an amendment table.
                match &columns {
                    None => {
                        let header = cells(content);
                        columns = Some(superseded_columns(
                            header.iter().filter_map(|&(a, b)| content.get(a..b)),
                        ));
                    }
                    Some(flags) if flags.contains(&true) => {
                        for (&(a, b), _) in cells(content).iter().zip(flags).filter(|(_, f)| **f) {
                            self.superseded
                                .push(Span::new(content_start + a, content_start + b));
                        }
                    }
                    Some(_) => {}
                }
                let row = Span::new(content_start, line_end);
                self.table_row(
                    row,
                    Some(Span::new(content_start + start, content_start + end)),
                );
                current = None;
                continue;
            }
            if let Some((kind, len)) = scan_marker(content) {
                current = Some(self.numbered(kind, indent, content_start, len, line_end));
            } else if let Some(index) = current {
                self.extend(index, line_end);
            } else {
                let parent = self.open_parent();
                let own = Span::new(content_start, line_end);
                current = Some(self.push(Clause {
                    kind: ClauseKind::Paragraph,
                    marker: None,
                    title: None,
                    own,
                    span: own,
                    parent,
                    introduces: false,
                }));
            }
        }
        if captioned {
            self.markers.pop();
        }
        // A title read from a whole line only stands if something is under it.
        for clause in self.clauses.iter_mut().skip(first_new) {
            if let (Some(title), ClauseKind::Numbered(kind)) = (clause.title, clause.kind) {
                let whole_line = title.end == clause.own.end;
                if whole_line && clause.span.end == title.end && !kind.is_sectional() {
                    clause.title = None;
                }
            }
        }
    }

    fn numbered(
        &mut self,
        kind: MarkerKind,
        indent: usize,
        start: usize,
        marker_len: usize,
        line_end: usize,
    ) -> usize {
        while self.markers.last().is_some_and(|&(_, i, _)| i > indent) {
            self.markers.pop();
        }
        if let Some(pos) = self
            .markers
            .iter()
            .rposition(|&(k, i, _)| k == Some(kind) && i == indent)
        {
            self.markers.truncate(pos);
        }
        let mut parent = self.open_parent();
        // A plain paragraph just before, at the place this clause goes, that
        // ends by introducing a list (下列各款：, 如下：, or any colon) adopts it
        // and the clauses of its rank after it, as a numbered clause's title
        // would.
        if let Some(last) = self.clauses.len().checked_sub(1)
            && let Some(paragraph) = self.clauses.get_mut(last)
            && paragraph.kind == ClauseKind::Paragraph
            && !paragraph.introduces
            && paragraph.parent == parent
            && self
                .text
                .get(paragraph.own.start..paragraph.own.end)
                .is_some_and(introduces_list)
        {
            paragraph.introduces = true;
            self.markers.push((None, indent, last));
            parent = Some(last);
        }
        let marker = Span::new(start, start + marker_len);
        let after = self.text.get(marker.end..line_end).unwrap_or("");
        let own_start = marker.end + (after.len() - trim_start(after).len());
        let own = Span::new(own_start, line_end);
        let title = find_title(self.text, kind, own);
        let index = self.push(Clause {
            kind: ClauseKind::Numbered(kind),
            marker: Some(marker),
            title,
            own,
            span: own,
            parent,
            introduces: false,
        });
        self.markers.push((Some(kind), indent, index));
        index
    }
}

/// Whether a table row (its text, cells parted by 「|」) is a row of a
/// blank form: a first cell, and nothing after it but tick boxes.
#[must_use]
pub fn is_blank_form_row(row: &str) -> bool {
    let body = row.trim().trim_start_matches('|');
    let Some((first, rest)) = body.split_once('|') else {
        return false;
    };
    // One cell alone (「| 查詢電腦應設定密碼 |」) is a one-column table's rule.
    !first.trim().is_empty() && !rest.trim().is_empty() && is_blank_form(rest)
}

/// Whether the cells after a row's first are those of a blank form: no
/// letter but the tick boxes' own words (符合, 不符合, 是, 否).
fn is_blank_form(cells: &str) -> bool {
    !cells
        .replace("不符合", "")
        .replace("符合", "")
        .chars()
        .filter(|&c| !matches!(c, '是' | '否'))
        .any(super::units::is_letter)
}

/// The first cell (its byte range in `line`, trimmed) of a line whose
/// cells are parted by 「|」, two cells or more with text.
fn first_cell(line: &str) -> Option<(usize, usize)> {
    if !line.contains('|') {
        return None;
    }
    let mut first = None;
    let mut cells = 0;
    let mut start = 0;
    for piece in line.split('|') {
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            let lead = start + (piece.len() - piece.trim_start().len());
            first.get_or_insert((lead, lead + trimmed.len()));
            cells += 1;
        }
        start += piece.len() + '|'.len_utf8();
    }
    first.filter(|_| cells >= 2)
}

/// The byte ranges (in `line`, trimmed) of the cells of a line parted by
/// 「|」, empty cells included but for the ends outside the first and last 「|」.
fn cells(line: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let pieces: Vec<&str> = line.split('|').collect();
    let last = pieces.len().saturating_sub(1);
    for (i, piece) in pieces.iter().enumerate() {
        let trimmed = piece.trim();
        if !((i == 0 || i == last) && trimmed.is_empty()) {
            let lead = start + (piece.len() - piece.trim_start().len());
            out.push((lead, lead + trimmed.len()));
        }
        start += piece.len() + '|'.len_utf8();
    }
    out
}

/// Which columns of a table whose header is `header` hold superseded
/// text: in an amendment table (a 修正規定 or 修正條文 column), the 現行規定,
/// 原條文 and 說明 columns.
fn superseded_columns<'t>(header: impl Iterator<Item = &'t str> + Clone) -> Vec<bool> {
    let amendment = header
        .clone()
        .any(|h| h.contains("修正規定") || h.contains("修正條文"));
    header
        .map(|h| {
            amendment
                && ["現行規定", "現行條文", "原規定", "原條文", "說明"]
                    .iter()
                    .any(|w| h.contains(w))
        })
        .collect()
}

/// A one-line caption: the length of its text without a final colon, and
/// whether it had one; at most [`MAX_TITLE_CHARS`] characters and no
/// sentence punctuation (a line with a comma is a sentence).
fn short_caption(own: &str) -> Option<(usize, bool)> {
    let line = own.trim_end_matches([' ', '\t', '\u{3000}', '\r']);
    let (text, colon) = match line.strip_suffix(['：', ':']) {
        Some(text) => (text.trim_end_matches([' ', '\t', '\u{3000}']), true),
        None => (line, false),
    };
    (!text.is_empty()
        && text.chars().count() <= MAX_TITLE_CHARS
        && !text.contains(['\n', '。', '，', '；', ';', '|']))
    .then_some((text.len(), colon))
}

/// Whether a paragraph's text ends by introducing a list: a final colon
/// (「…應辦理下列事項：」, 「…如下：」), emphasis and spaces aside.
fn introduces_list(own: &str) -> bool {
    own.trim_end_matches([' ', '\t', '\u{3000}', '*', '_'])
        .ends_with(['：', ':'])
}

fn trim_start(s: &str) -> &str {
    s.trim_start_matches([' ', '\t', '\u{3000}'])
}

/// Strip indentation, block-quote markers and leading emphasis; return the
/// indentation width and the rest of the line.
fn strip_prefixes(line: &str) -> (usize, &str) {
    let rest = trim_start(line);
    let indent = line.len() - rest.len();
    let mut rest = rest;
    // A line number of a converted document (「05\t□ 人離座 → 系統登出」):
    // up to four digits and a tab.
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=4).contains(&digits)
        && let Some(r) = rest.get(digits..).and_then(|r| r.strip_prefix('\t'))
    {
        rest = trim_start(r);
    }
    while let Some(r) = rest.strip_prefix('>') {
        rest = trim_start(r);
    }
    for emphasis in ["**", "__"] {
        if let Some(r) = rest.strip_prefix(emphasis) {
            rest = r;
        }
    }
    (indent, rest)
}

fn is_chinese_numeral(c: char) -> bool {
    matches!(
        c,
        '一' | '二'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '零'
            | '〇'
            | '兩'
            | '两'
    )
}

fn is_capital_numeral(c: char) -> bool {
    matches!(
        c,
        '壹' | '貳' | '貮' | '參' | '叁' | '肆' | '伍' | '陸' | '柒' | '捌' | '玖' | '拾' | '佰'
    )
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Take up to 4 characters accepted by `accept`; return their byte length.
fn take_numerals(s: &str, accept: fn(char) -> bool) -> Option<usize> {
    let mut len = 0;
    for (count, c) in s.chars().enumerate() {
        if !accept(c) {
            break;
        }
        if count >= 4 {
            return None;
        }
        len += c.len_utf8();
    }
    (len > 0).then_some(len)
}

/// Recognise clause numbering at the start of `s`; return its kind and
/// byte length.
#[must_use]
pub fn scan_marker(s: &str) -> Option<(MarkerKind, usize)> {
    let first = s.chars().next()?;
    // 第一條 / 第 1 條; 第一章 / 第二節 / 第三篇
    if let Some(rest) = s.strip_prefix('第') {
        let inner = trim_start(rest);
        let n = take_numerals(inner, |c| is_chinese_numeral(c) || is_digit(c))?;
        let after = trim_start(inner.get(n..)?);
        if let Some(tail) = after.strip_prefix('條') {
            // 「第十五條、第十六條及第十八條規定」 on a line of its own (a
            // sentence broken before it) goes on citing: not an article.
            if tail.starts_with(['、', '，', ',', '及', '或', '至', '與', '和']) {
                return None;
            }
            return Some((MarkerKind::Article, s.len() - tail.len()));
        }
        let tail = after.strip_prefix(['章', '節', '篇'])?;
        return Some((MarkerKind::Chapter, s.len() - tail.len()));
    }
    // （一） (一) （1） (1)
    if let Some(rest) = s.strip_prefix(['（', '(']) {
        let (kind, n) = if let Some(n) = take_numerals(rest, is_chinese_numeral) {
            (MarkerKind::ChineseParen, n)
        } else {
            (MarkerKind::ArabicParen, take_numerals(rest, is_digit)?)
        };
        let tail = rest.get(n..)?.strip_prefix(['）', ')'])?;
        return Some((kind, s.len() - tail.len()));
    }
    if is_capital_numeral(first) {
        let n = take_numerals(s, is_capital_numeral)?;
        let tail = s.get(n..)?.strip_prefix(['、', '，'])?;
        return Some((MarkerKind::Capital, s.len() - tail.len()));
    }
    if is_chinese_numeral(first) {
        let n = take_numerals(s, is_chinese_numeral)?;
        let tail = s.get(n..)?.strip_prefix('、')?;
        return Some((MarkerKind::Chinese, s.len() - tail.len()));
    }
    if is_digit(first) {
        let n = take_numerals(s, is_digit)?;
        let rest = s.get(n..)?;
        let (kind, tail) = if let Some(t) = rest.strip_prefix(['.', '、', '．']) {
            (MarkerKind::Arabic, t)
        } else {
            (MarkerKind::ArabicParen, rest.strip_prefix([')', '）'])?)
        };
        // `1.5` is a number, not numbering.
        if tail.chars().next().is_some_and(is_digit) {
            return None;
        }
        return Some((kind, s.len() - tail.len()));
    }
    // A checklist's boxes (☑ 查詢畫面不得拍照) are bullets too.
    if matches!(
        first,
        '-' | '*'
            | '+'
            | '•'
            | '‧'
            | '·'
            | '▪'
            | '・'
            | '●'
            | '○'
            | '■'
            | '◆'
            | '☑'
            | '☐'
            | '☒'
            | '□'
            | '✓'
            | '✔'
    ) {
        let rest = s.get(first.len_utf8()..)?;
        if matches!(first, '-' | '*' | '+') && !rest.starts_with([' ', '\t']) {
            return None;
        }
        // 「○○市政府」: a name left blank, not a bullet.
        if first == '○' && rest.starts_with('○') {
            return None;
        }
        return Some((MarkerKind::Bullet, first.len_utf8()));
    }
    None
}

/// The title of a numbered clause whose own text is `own`.
fn find_title(text: &str, kind: MarkerKind, own: Span) -> Option<Span> {
    let line = text.get(own.start..own.end)?;
    // 第一條（目的）
    if kind == MarkerKind::Article
        && let Some(rest) = line.strip_prefix(['（', '('])
        && let Some(close) = rest.find(['）', ')'])
        && rest.get(..close)?.chars().count() <= 20
    {
        let start = own.start + (line.len() - rest.len());
        return Some(Span::new(start, start + close));
    }
    let mut chars = 0;
    for (i, c) in line.char_indices() {
        if c == '：' || c == ':' {
            return (chars > 0).then(|| Span::new(own.start, own.start + i));
        }
        // A character match, not a substring search of a string per character.
        if matches!(c, '。' | '；' | ';' | '！' | '？' | '!' | '?') {
            return None;
        }
        chars += 1;
        if chars > MAX_TITLE_CHARS {
            return None;
        }
    }
    let trimmed = line.trim_end_matches([' ', '\t', '\u{3000}', '*', '_']);
    // A line with a comma is a sentence that lacks its full stop, not a title.
    if trimmed.contains(['，', ',', '、']) {
        return None;
    }
    (chars > 0 && !trimmed.is_empty()).then(|| Span::new(own.start, own.start + trimmed.len()))
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Read the outline of a Markdown document.
#[must_use]
pub fn outline(text: &str) -> Outline {
    let options = Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let mut builder = Builder {
        text,
        clauses: Vec::new(),
        headings: Vec::new(),
        markers: Vec::new(),
        superseded: Vec::new(),
    };
    let mut depth = 0usize;
    // Inline extent of the heading or table cell being read.
    let mut inline: Option<Span> = None;
    let mut row: Option<(Span, Option<Span>)> = None;
    let mut in_head = false;
    let mut captioned = false;
    // An amendment table's header cells, its columns to leave unread, and
    // the place of the cell being read.
    let mut header: Vec<Span> = Vec::new();
    let mut columns: Vec<bool> = Vec::new();
    let mut cell = 0usize;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        let span = Span::new(range.start, range.end);
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    match &tag {
                        // Text indented by a tab or four spaces is code to
                        // Markdown; in a rules document it is text (a Word
                        // or PDF export indents its paragraphs so).
                        Tag::Paragraph
                        | Tag::List(_)
                        | Tag::BlockQuote(_)
                        | Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Indented) => {
                            builder.text_block(span);
                        }
                        Tag::Table(_) => captioned = builder.table_start(),
                        _ => {}
                    }
                }
                match tag {
                    Tag::Heading { .. } | Tag::TableCell => inline = None,
                    Tag::TableHead => {
                        in_head = true;
                        header.clear();
                        cell = 0;
                    }
                    Tag::TableRow => {
                        row = Some((span, None));
                        cell = 0;
                    }
                    _ => {}
                }
                depth += 1;
            }
            Event::End(tag) => {
                depth = depth.saturating_sub(1);
                match tag {
                    TagEnd::Heading(level) if depth == 0 => {
                        let inner = inline.unwrap_or(Span::new(span.end, span.end));
                        builder.heading(heading_level(level), inner);
                    }
                    TagEnd::TableCell => {
                        if in_head {
                            header.push(span);
                        } else if columns.get(cell).copied().unwrap_or(false) {
                            builder.superseded.push(span);
                        }
                        cell += 1;
                        if let Some((_, first @ None)) = &mut row {
                            *first = Some(inline.unwrap_or(Span::new(span.start, span.start)));
                        }
                    }
                    TagEnd::TableRow => {
                        if let Some((row_span, first)) = row.take()
                            && !in_head
                        {
                            builder.table_row(row_span, first);
                        }
                    }
                    TagEnd::TableHead => {
                        in_head = false;
                        row = None;
                        columns = superseded_columns(
                            header.iter().filter_map(|h| text.get(h.start..h.end)),
                        );
                    }
                    TagEnd::Table if depth == 0 && captioned => {
                        captioned = false;
                        builder.table_end();
                    }
                    _ => {}
                }
            }
            Event::Text(_)
            | Event::Code(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::InlineHtml(_)
            | Event::FootnoteReference(_) => {
                inline = Some(inline.map_or(span, |s| s.cover(span)));
            }
            _ => {}
        }
    }
    Outline {
        clauses: builder.clauses,
        superseded: builder.superseded,
    }
}
