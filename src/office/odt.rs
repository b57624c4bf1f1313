//! OpenDocument Text (`.odt`): `content.xml`, with the list styles of
//! `content.xml` and `styles.xml`.
#![deny(clippy::arithmetic_side_effects)]

use std::collections::HashMap;

use roxmltree::{Document, Node};

use super::numbering::{Counters, Format};
use super::view::{Block, Para};

const TEXT: &str = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const STYLE: &str = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";
const TABLE: &str = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
const OFFICE: &str = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";

fn is(node: Node<'_, '_>, ns: &str, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(ns)
}

/// One level of a `text:list-style`.
#[derive(Debug, Clone)]
struct Level {
    format: Format,
    prefix: String,
    suffix: String,
    start: u32,
    display: usize,
    bullet: Option<String>,
}

/// The list styles and the paragraph styles' outline levels.
#[derive(Debug, Default)]
pub struct Context {
    lists: HashMap<String, HashMap<usize, Level>>,
    /// Paragraph style → its list style.
    para_lists: HashMap<String, String>,
}

impl Context {
    /// Gather list styles from the given documents (`styles.xml`, `content.xml`).
    pub fn new(docs: &[&Document<'_>]) -> Self {
        let mut cx = Self::default();
        for doc in docs {
            for node in doc.descendants() {
                if is(node, TEXT, "list-style")
                    && let Some(name) = node.attribute((STYLE, "name"))
                {
                    let mut levels = HashMap::new();
                    for l in node.children().filter(|n| n.is_element()) {
                        let Some(level) = l
                            .attribute((TEXT, "level"))
                            .and_then(|v| v.parse::<usize>().ok())
                        else {
                            continue;
                        };
                        let attr = |ns, n| l.attribute((ns, n)).unwrap_or("").to_owned();
                        let number = is(l, TEXT, "list-level-style-number");
                        levels.insert(
                            level.saturating_sub(1),
                            Level {
                                format: if number {
                                    Format::from_odf(
                                        l.attribute((STYLE, "num-format")).unwrap_or(""),
                                    )
                                } else {
                                    Format::Bullet
                                },
                                prefix: attr(STYLE, "num-prefix"),
                                suffix: attr(STYLE, "num-suffix"),
                                start: l
                                    .attribute((TEXT, "start-value"))
                                    .and_then(|v| v.parse().ok())
                                    .unwrap_or(1),
                                display: l
                                    .attribute((TEXT, "display-levels"))
                                    .and_then(|v| v.parse().ok())
                                    .unwrap_or(1),
                                bullet: (!number).then(|| {
                                    l.attribute((TEXT, "bullet-char")).unwrap_or("").to_owned()
                                }),
                            },
                        );
                    }
                    cx.lists.insert(name.to_owned(), levels);
                }
                if is(node, STYLE, "style")
                    && let (Some(name), Some(list)) = (
                        node.attribute((STYLE, "name")),
                        node.attribute((STYLE, "list-style-name")),
                    )
                {
                    cx.para_lists.insert(name.to_owned(), list.to_owned());
                }
            }
        }
        cx
    }

    fn label(&self, style: &str, level: usize, values: &[u32]) -> Option<String> {
        let levels = self.lists.get(style)?;
        let own = levels.get(&level)?;
        if let Some(bullet) = &own.bullet {
            return Some(bullet.clone()).filter(|b| !b.is_empty());
        }
        if own.format == Format::None {
            return None;
        }
        let from = level.saturating_add(1).saturating_sub(own.display.max(1));
        let mut number = String::new();
        for l in from..=level {
            if l > from {
                number.push('.');
            }
            let format = levels.get(&l).map_or(Format::Decimal, |lv| lv.format);
            number.push_str(&format.render(values.get(l).copied().unwrap_or(1)));
        }
        Some(format!("{}{number}{}", own.prefix, own.suffix))
    }

    fn start(&self, style: &str, level: usize) -> u32 {
        self.lists
            .get(style)
            .and_then(|l| l.get(&level))
            .map_or(1, |l| l.start)
    }
}

/// Reading state: the counters of each list (by `xml:id`, for
/// `text:continue-list`), and of the last list of each style.
#[derive(Debug, Default)]
struct State {
    by_style: HashMap<String, Counters>,
}

fn text_of(node: Node<'_, '_>, out: &mut String) {
    for child in node.children() {
        if child.is_text() {
            out.push_str(child.text().unwrap_or(""));
            continue;
        }
        if !child.is_element() {
            continue;
        }
        let ns = child.tag_name().namespace();
        let name = child.tag_name().name();
        if ns == Some(TEXT) {
            match name {
                "s" => {
                    let n = child
                        .attribute((TEXT, "c"))
                        .and_then(|c| c.parse::<usize>().ok())
                        .unwrap_or(1)
                        .min(1000);
                    out.extend(std::iter::repeat_n(' ', n));
                }
                "tab" => out.push('\t'),
                "line-break" => out.push('\n'),
                "span" | "a" | "meta" | "meta-field" | "ruby" | "ruby-base" | "bookmark-ref"
                | "reference-ref" | "sequence" | "date" | "time" | "page-number" | "chapter"
                | "title" | "subject" | "author-name" | "file-name" | "number" => {
                    text_of(child, out);
                }
                // Notes, change marks, bookmarks, soft page breaks: nothing
                // the officer reads in the paragraph.
                _ => {}
            }
        } else if ns == Some(OFFICE)
            || ns == Some("urn:oasis:names:tc:opendocument:xmlns:drawing:1.0")
        {
            // office:annotation (comments), frames: left out.
        }
    }
}

fn paragraph(node: Node<'_, '_>, label: Option<String>) -> Para {
    let heading = is(node, TEXT, "h").then(|| {
        node.attribute((TEXT, "outline-level"))
            .and_then(|l| l.parse::<u8>().ok())
            .unwrap_or(1)
            .clamp(1, 6)
    });
    let mut text = String::new();
    let has_number = node.children().any(|c| is(c, TEXT, "number"));
    if let Some(label) = label.filter(|_| !has_number) {
        text.push_str(&label);
        if label
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '.')
        {
            text.push(' ');
        }
    }
    text_of(node, &mut text);
    if has_number && !text.is_empty() {
        // `text:number` is the rendered heading number; separated as shown.
        let number_len = node
            .children()
            .find(|c| is(*c, TEXT, "number"))
            .map_or(0, |n| n.text().unwrap_or("").len());
        if text
            .get(number_len..)
            .is_some_and(|rest| !rest.starts_with([' ', '\t']))
            && text
                .get(..number_len)
                .is_some_and(|n| n.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '.'))
        {
            text.insert(number_len, ' ');
        }
    }
    Para { heading, text }
}

struct Walker<'c> {
    cx: &'c Context,
    state: State,
}

impl Walker<'_> {
    fn blocks(&mut self, node: Node<'_, '_>, out: &mut Vec<Block>, depth: u8) {
        if depth > 32 {
            return;
        }
        for child in node.children().filter(|c| c.is_element()) {
            if is(child, TEXT, "p") || is(child, TEXT, "h") {
                let style = child.attribute((TEXT, "style-name")).unwrap_or("");
                let label = self.cx.para_lists.get(style).cloned().and_then(|list| {
                    let counters = self.state.by_style.entry(list.clone()).or_default();
                    let values = counters.next(0, self.cx.start(&list, 0)).to_vec();
                    self.cx.label(&list, 0, &values)
                });
                out.push(Block::Para(paragraph(child, label)));
            } else if is(child, TEXT, "list") {
                let style = child
                    .attribute((TEXT, "style-name"))
                    .unwrap_or("")
                    .to_owned();
                let continues = child.attribute((TEXT, "continue-numbering")) == Some("true")
                    || child.attribute((TEXT, "continue-list")).is_some();
                if !continues {
                    self.state.by_style.remove(&style);
                }
                self.list(child, &style, 0, out, depth.saturating_add(1));
            } else if is(child, TABLE, "table") {
                let mut rows = Vec::new();
                self.rows(child, &mut rows, depth.saturating_add(1));
                out.push(Block::Table(rows));
            } else if is(child, TEXT, "section")
                || is(child, TEXT, "index-body")
                || is(child, TEXT, "table-of-content")
            {
                self.blocks(child, out, depth.saturating_add(1));
            }
        }
    }

    fn rows(&mut self, node: Node<'_, '_>, rows: &mut Vec<Vec<Vec<Para>>>, depth: u8) {
        for child in node.children().filter(|c| c.is_element()) {
            if is(child, TABLE, "table-row") {
                let mut cells = Vec::new();
                for cell in child.children().filter(|c| is(*c, TABLE, "table-cell")) {
                    let mut inner = Vec::new();
                    self.blocks(cell, &mut inner, depth.saturating_add(1));
                    cells.push(flatten(inner));
                }
                rows.push(cells);
            } else if is(child, TABLE, "table-header-rows") || is(child, TABLE, "table-rows") {
                self.rows(child, rows, depth);
            }
        }
    }

    fn list(
        &mut self,
        list: Node<'_, '_>,
        style: &str,
        level: usize,
        out: &mut Vec<Block>,
        depth: u8,
    ) {
        if depth > 32 {
            return;
        }
        let style = list
            .attribute((TEXT, "style-name"))
            .filter(|s| !s.is_empty())
            .unwrap_or(style)
            .to_owned();
        for item in list.children().filter(|c| c.is_element()) {
            let numbered = is(item, TEXT, "list-item");
            if !numbered && !is(item, TEXT, "list-header") {
                continue;
            }
            let mut labelled = !numbered;
            for child in item.children().filter(|c| c.is_element()) {
                if is(child, TEXT, "p") || is(child, TEXT, "h") {
                    let label = if labelled {
                        None
                    } else {
                        labelled = true;
                        let start = item
                            .attribute((TEXT, "start-value"))
                            .and_then(|v| v.parse().ok());
                        let counters = self.state.by_style.entry(style.clone()).or_default();
                        if start.is_some() {
                            counters.restart(level);
                        }
                        let values = counters
                            .next(level, start.unwrap_or_else(|| self.cx.start(&style, level)))
                            .to_vec();
                        self.cx.label(&style, level, &values)
                    };
                    out.push(Block::Para(paragraph(child, label)));
                } else if is(child, TEXT, "list") {
                    labelled = true;
                    self.list(
                        child,
                        &style,
                        level.saturating_add(1),
                        out,
                        depth.saturating_add(1),
                    );
                } else if is(child, TABLE, "table") {
                    let mut rows = Vec::new();
                    self.rows(child, &mut rows, depth.saturating_add(1));
                    out.push(Block::Table(rows));
                }
            }
        }
    }
}

fn flatten(blocks: Vec<Block>) -> Vec<Para> {
    let mut out = Vec::new();
    for b in blocks {
        match b {
            Block::Para(p) => out.push(p),
            Block::Table(rows) => out.extend(rows.into_iter().flatten().flatten()),
        }
    }
    out
}

/// The body of `content.xml` as blocks.
#[must_use]
pub fn read(content: &Document<'_>, cx: &Context) -> Vec<Block> {
    let mut out = Vec::new();
    let body = content
        .root_element()
        .children()
        .find(|n| is(*n, OFFICE, "body"))
        .and_then(|b| b.children().find(|n| is(*n, OFFICE, "text")));
    if let Some(text) = body {
        let mut walker = Walker {
            cx,
            state: State::default(),
        };
        walker.blocks(text, &mut out, 0);
    }
    out
}
