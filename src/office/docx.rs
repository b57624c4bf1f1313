//! WordprocessingML (`.docx`): `word/document.xml` with its styles and
//! numbering.
#![deny(clippy::arithmetic_side_effects)]

use std::collections::HashMap;

use roxmltree::{Document, Node};

use super::numbering::{Counters, Format};
use super::view::{Block, Para};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn w<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.tag_name().name() == name && c.tag_name().namespace() == Some(W))
}

fn val<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    node.attribute((W, "val"))
}

fn is(node: Node<'_, '_>, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(W)
}

/// One level of a list definition.
#[derive(Debug, Clone)]
struct Level {
    start: u32,
    format: Format,
    text: String,
}

/// What a style gives its paragraphs.
#[derive(Debug, Clone, Default)]
struct Style {
    heading: Option<u8>,
    num: Option<u32>,
    level: Option<usize>,
    based_on: Option<String>,
}

/// A list instance (`w:num`): its definition, overridden levels and
/// start overrides.
type Num = (u32, HashMap<usize, Level>, HashMap<usize, u32>);

/// `word/styles.xml` and `word/numbering.xml`, read.
#[derive(Debug, Default)]
pub struct Context {
    styles: HashMap<String, Style>,
    /// abstractNumId → its levels.
    abstracts: HashMap<u32, HashMap<usize, Level>>,
    /// numId → (abstractNumId, overridden levels, start overrides).
    nums: HashMap<u32, Num>,
}

fn parse_u32(s: Option<&str>) -> Option<u32> {
    s?.trim().parse().ok()
}

fn level_of(node: Node<'_, '_>) -> Option<(usize, Level)> {
    let ilvl = usize::try_from(parse_u32(node.attribute((W, "ilvl")))?).ok()?;
    let start = w(node, "start")
        .and_then(|n| parse_u32(val(n)))
        .unwrap_or(1);
    let format = w(node, "numFmt")
        .and_then(val)
        .map_or(Format::Decimal, Format::from_word);
    let text = w(node, "lvlText").and_then(val).unwrap_or("").to_owned();
    Some((
        ilvl,
        Level {
            start,
            format,
            text,
        },
    ))
}

fn heading_from_name(name: &str) -> Option<u8> {
    let lower = name.to_ascii_lowercase();
    if lower == "title" {
        return Some(1);
    }
    let rest = lower.strip_prefix("heading")?.trim();
    rest.parse::<u8>().ok().filter(|l| (1..=6).contains(l))
}

fn outline_level(ppr: Option<Node<'_, '_>>) -> Option<u8> {
    let level = parse_u32(w(ppr?, "outlineLvl").and_then(val))?;
    // 9 is "body text".
    (level < 6).then(|| u8::try_from(level).ok()?.checked_add(1))?
}

fn num_pr(ppr: Option<Node<'_, '_>>) -> (Option<u32>, Option<usize>) {
    let Some(pr) = ppr.and_then(|p| w(p, "numPr")) else {
        return (None, None);
    };
    let num = parse_u32(w(pr, "numId").and_then(val));
    let level = parse_u32(w(pr, "ilvl").and_then(val)).and_then(|l| usize::try_from(l).ok());
    (num, level)
}

impl Context {
    /// Read the styles and numbering parts (either may be absent).
    pub fn new(styles: Option<&Document<'_>>, numbering: Option<&Document<'_>>) -> Self {
        let mut cx = Self::default();
        if let Some(doc) = styles {
            for style in doc.root_element().children().filter(|n| is(*n, "style")) {
                let Some(id) = style.attribute((W, "styleId")) else {
                    continue;
                };
                let ppr = w(style, "pPr");
                let (num, level) = num_pr(ppr);
                let heading = w(style, "name")
                    .and_then(val)
                    .and_then(heading_from_name)
                    .or_else(|| outline_level(ppr));
                cx.styles.insert(
                    id.to_owned(),
                    Style {
                        heading,
                        num,
                        level,
                        based_on: w(style, "basedOn").and_then(val).map(str::to_owned),
                    },
                );
            }
        }
        if let Some(doc) = numbering {
            let root = doc.root_element();
            for abs in root.children().filter(|n| is(*n, "abstractNum")) {
                let Some(id) = parse_u32(abs.attribute((W, "abstractNumId"))) else {
                    continue;
                };
                let levels = abs
                    .children()
                    .filter(|n| is(*n, "lvl"))
                    .filter_map(level_of)
                    .collect();
                cx.abstracts.insert(id, levels);
            }
            for num in root.children().filter(|n| is(*n, "num")) {
                let Some(id) = parse_u32(num.attribute((W, "numId"))) else {
                    continue;
                };
                let Some(abs) = w(num, "abstractNumId").and_then(|n| parse_u32(val(n))) else {
                    continue;
                };
                let mut levels = HashMap::new();
                let mut starts = HashMap::new();
                for o in num.children().filter(|n| is(*n, "lvlOverride")) {
                    let Some(ilvl) =
                        parse_u32(o.attribute((W, "ilvl"))).and_then(|l| usize::try_from(l).ok())
                    else {
                        continue;
                    };
                    if let Some(s) = w(o, "startOverride").and_then(|n| parse_u32(val(n))) {
                        starts.insert(ilvl, s);
                    }
                    if let Some((_, level)) = w(o, "lvl").and_then(level_of) {
                        levels.insert(ilvl, level);
                    }
                }
                cx.nums.insert(id, (abs, levels, starts));
            }
        }
        cx
    }

    /// A style's heading level and numbering, following `basedOn`.
    fn style(&self, id: &str) -> Style {
        let mut out = Style::default();
        let mut at = Some(id.to_owned());
        for _ in 0..16 {
            let Some(style) = at.as_deref().and_then(|i| self.styles.get(i)) else {
                break;
            };
            out.heading = out.heading.or(style.heading);
            out.num = out.num.or(style.num);
            out.level = out.level.or(style.level);
            at.clone_from(&style.based_on);
        }
        out
    }

    fn level(&self, num: u32, ilvl: usize) -> Option<(u32, Level)> {
        let (abs, over, _) = self.nums.get(&num)?;
        let level = over
            .get(&ilvl)
            .or_else(|| self.abstracts.get(abs)?.get(&ilvl))?;
        Some((*abs, level.clone()))
    }
}

/// Numbering state while reading the body: counters per list definition,
/// and the list instances already started (a start override restarts its
/// list when the instance is first used).
#[derive(Debug, Default)]
struct Numbers {
    counters: HashMap<u32, Counters>,
    started: std::collections::HashSet<u32>,
}

impl Numbers {
    fn label(&mut self, cx: &Context, num: u32, ilvl: usize) -> Option<String> {
        if num == 0 {
            return None;
        }
        let (abs, level) = cx.level(num, ilvl)?;
        let counters = self.counters.entry(abs).or_default();
        if self.started.insert(num)
            && let Some((_, _, starts)) = cx.nums.get(&num)
        {
            for (&l, _) in starts.iter() {
                counters.restart(l);
            }
        }
        let start_of = |l: usize| {
            cx.nums
                .get(&num)
                .and_then(|(_, _, starts)| starts.get(&l).copied())
                .or_else(|| cx.level(num, l).map(|(_, lv)| lv.start))
                .unwrap_or(1)
        };
        let values = counters.next(ilvl, start_of(ilvl)).to_vec();
        if level.format == Format::None {
            return Some(level.text.clone()).filter(|t| !t.contains('%'));
        }
        if level.format == Format::Bullet {
            return Some(level.text.clone());
        }
        // `%1、`, `（%2）`, `%1.%2.`: each `%n` is level n-1's number in
        // that level's own format.
        let mut out = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%'
                && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
            {
                chars.next();
                let l = usize::try_from(d).unwrap_or(1).saturating_sub(1);
                let value = values.get(l).copied().unwrap_or(1);
                let format = cx
                    .level(num, l)
                    .map_or(Format::Decimal, |(_, lv)| lv.format);
                out.push_str(&format.render(value));
            } else {
                out.push(c);
            }
        }
        Some(out)
    }
}

/// Text of a paragraph's runs: inserted text kept, deleted text, field
/// instructions, comments and drawings left out, field results kept.
fn runs(node: Node<'_, '_>, out: &mut String) {
    for child in node.children() {
        if !child.is_element() {
            continue;
        }
        let ns = child.tag_name().namespace();
        let name = child.tag_name().name();
        if ns != Some(W) {
            // mc:AlternateContent and the like: their fallback is a drawing.
            continue;
        }
        match name {
            "t" => out.push_str(child.text().unwrap_or("")),
            "tab" | "ptab" => out.push('\t'),
            "br" | "cr" => out.push('\n'),
            "noBreakHyphen" => out.push('-'),
            "sym" => {
                if let Some(c) = child
                    .attribute((W, "char"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .and_then(char::from_u32)
                {
                    out.push(c);
                }
            }
            "r" | "ins" | "hyperlink" | "smartTag" | "fldSimple" | "customXml" | "sdt"
            | "sdtContent" | "moveTo" | "dir" | "bdo" => runs(child, out),
            // Deleted text, moved-away text, properties, field code, notes,
            // comments, drawings: not what the officer reads.
            _ => {}
        }
    }
}

fn paragraph(cx: &Context, numbers: &mut Numbers, p: Node<'_, '_>) -> Para {
    let ppr = w(p, "pPr");
    let style = ppr
        .and_then(|pr| w(pr, "pStyle"))
        .and_then(val)
        .map(|id| cx.style(id))
        .unwrap_or_default();
    let (num, level) = num_pr(ppr);
    let num = num.or(style.num);
    let level = level.or(style.level).unwrap_or(0);
    let heading = outline_level(ppr).or(style.heading);
    let mut text = String::new();
    // A paragraph whose mark is a deleted insertion is gone with its text.
    if let Some(label) = num.and_then(|n| numbers.label(cx, n, level)) {
        text.push_str(&label);
        if label
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '.')
        {
            text.push(' ');
        }
    }
    runs(p, &mut text);
    Para { heading, text }
}

fn blocks(
    cx: &Context,
    numbers: &mut Numbers,
    node: Node<'_, '_>,
    out: &mut Vec<Block>,
    depth: u8,
) {
    if depth > 32 {
        return;
    }
    for child in node
        .children()
        .filter(|c| c.is_element() && c.tag_name().namespace() == Some(W))
    {
        match child.tag_name().name() {
            "p" => out.push(Block::Para(paragraph(cx, numbers, child))),
            "tbl" => {
                let mut rows = Vec::new();
                for tr in child.children().filter(|n| is(*n, "tr")) {
                    let mut cells = Vec::new();
                    for tc in tr.children().filter(|n| is(*n, "tc")) {
                        let mut inner = Vec::new();
                        blocks(cx, numbers, tc, &mut inner, depth.saturating_add(1));
                        cells.push(flatten(inner));
                    }
                    rows.push(cells);
                }
                out.push(Block::Table(rows));
            }
            "sdt" | "sdtContent" | "customXml" | "ins" | "moveTo" => {
                blocks(cx, numbers, child, out, depth.saturating_add(1));
            }
            _ => {}
        }
    }
}

/// A cell's blocks as paragraphs (a table inside a cell gives its cells').
fn flatten(blocks: Vec<Block>) -> Vec<Para> {
    let mut out = Vec::new();
    for b in blocks {
        match b {
            Block::Para(p) => out.push(p),
            Block::Table(rows) => {
                for cell in rows.into_iter().flatten() {
                    out.extend(cell);
                }
            }
        }
    }
    out
}

/// The body of `word/document.xml` as blocks.
#[must_use]
pub fn read(document: &Document<'_>, cx: &Context) -> Vec<Block> {
    let mut out = Vec::new();
    let mut numbers = Numbers::default();
    if let Some(body) = w(document.root_element(), "body") {
        blocks(cx, &mut numbers, body, &mut out, 0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn texts(document: &str, styles: &str, numbering: &str) -> Vec<(Option<u8>, String)> {
        fn parse(t: &str) -> Document<'_> {
            Document::parse(t).unwrap_or_else(|e| unreachable!("{e}"))
        }
        let (d, s, n) = (parse(document), parse(styles), parse(numbering));
        let cx = Context::new(Some(&s), Some(&n));
        read(&d, &cx)
            .into_iter()
            .map(|b| match b {
                Block::Para(p) => (p.heading, p.text),
                Block::Table(rows) => (None, format!("table {}", rows.len())),
            })
            .collect()
    }

    #[test]
    fn numbering_tracked_changes_comments_and_fields() {
        let styles = format!(
            r#"<w:styles {NS}><w:style w:styleId="H2"><w:name w:val="heading 2"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style></w:styles>"#
        );
        let numbering = format!(
            r#"<w:numbering {NS}>
            <w:abstractNum w:abstractNumId="0">
              <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="taiwaneseCountingThousand"/><w:lvlText w:val="%1、"/></w:lvl>
              <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="taiwaneseCountingThousand"/><w:lvlText w:val="（%2）"/></w:lvl>
              <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="ideographTraditional"/><w:lvlText w:val="%3、"/></w:lvl>
            </w:abstractNum>
            <w:abstractNum w:abstractNumId="1">
              <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimalFullWidth"/><w:lvlText w:val="%1."/></w:lvl>
            </w:abstractNum>
            <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
            <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
            <w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
            </w:numbering>"#
        );
        let p = |num: u32, ilvl: u32, body: &str| {
            format!(
                r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr>{body}</w:p>"#
            )
        };
        let body = [
            r#"<w:p><w:pPr><w:pStyle w:val="H2"/></w:pPr><w:r><w:t>目的</w:t></w:r></w:p>"#.to_owned(),
            p(1, 1, r#"<w:r><w:t xml:space="preserve">本局</w:t></w:r><w:ins><w:r><w:t>依法</w:t></w:r></w:ins><w:del><w:r><w:delText>刪去</w:delText></w:r></w:del><w:commentRangeStart w:id="0"/><w:r><w:t>辦理</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>"#),
            p(1, 1, r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DATE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2025/1/1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:fldSimple w:instr="PAGE"><w:r><w:t>3</w:t></w:r></w:fldSimple>"#),
            p(1, 2, r#"<w:r><w:t>細目</w:t></w:r>"#),
            r#"<w:p><w:pPr><w:pStyle w:val="H2"/></w:pPr><w:r><w:t>安全</w:t></w:r></w:p>"#.to_owned(),
            p(1, 1, r#"<w:r><w:t>重新</w:t></w:r>"#),
            p(2, 0, r#"<w:r><w:t>甲</w:t></w:r>"#),
            p(2, 0, r#"<w:r><w:t>乙</w:t></w:r>"#),
            p(3, 0, r#"<w:r><w:t>重起</w:t></w:r>"#),
        ]
        .concat();
        let document = format!(r#"<w:document {NS}><w:body>{body}</w:body></w:document>"#);
        let got = texts(&document, &styles, &numbering);
        let want: Vec<(Option<u8>, String)> = [
            (Some(2), "一、目的"),
            (None, "（一）本局依法辦理"),
            (None, "（二）2025/1/13"),
            (None, "甲、細目"),
            (Some(2), "二、安全"),
            (None, "（一）重新"),
            (None, "１. 甲"),
            (None, "２. 乙"),
            (None, "１. 重起"),
        ]
        .into_iter()
        .map(|(h, t)| (h, t.to_owned()))
        .collect();
        assert_eq!(got, want);
    }
}
