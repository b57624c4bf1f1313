//! The HTML compliance report (`index.html` of `niacheck report`): one
//! self-contained page — inline CSS and SVG, no network — with an overview
//! by verdict and tier, a bar chart of the requirements most often missed, a
//! heat-map of agencies × requirements (a symbol in every cell, so the
//! legend does not rely on colour), a sortable and filterable agency table
//! (a little inline script; the page works without it) and a section per
//! agency with its gaps, evidence and fixes. Every piece of agency text goes
//! through maud, which escapes by default.
//!
//! The overview needs the totals, which are known only at the end, so the
//! rows and sections are spooled to files beside the report as submissions
//! stream by and copied into the page at the end: memory stays flat however
//! many agencies there are.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use maud::{Markup, PreEscaped, html};

use super::{RenderOptions, Renderer};
use crate::catalog::{Catalog, Severity, Version};
use crate::i18n;
use crate::lang::Lang;
use crate::report::{Run, Status, SubmissionReport, Summary, Verdict};

/// The longest evidence quote shown, in characters.
const QUOTE_CHARS: usize = 80;

/// One spooled part of the page.
#[derive(Debug)]
struct Spool {
    path: PathBuf,
    file: BufWriter<File>,
}

impl Spool {
    fn create(dir: &Path, name: &str) -> io::Result<Self> {
        let path = dir.join(format!(".niacheck-{name}.part"));
        Ok(Self {
            file: BufWriter::new(File::create(&path)?),
            path,
        })
    }

    fn push(&mut self, markup: &Markup) -> io::Result<()> {
        self.file.write_all(markup.0.as_bytes())
    }

    /// Copy the spooled part to `out` and delete it.
    fn drain(mut self, out: &mut dyn Write) -> io::Result<()> {
        self.file.flush()?;
        drop(self.file);
        io::copy(&mut BufReader::new(File::open(&self.path)?), out)?;
        fs::remove_file(&self.path)
    }
}

/// The HTML renderer.
#[derive(Debug)]
pub struct Html {
    lang: Lang,
    catalog: Option<Catalog>,
    matrix: Option<Spool>,
    table: Option<Spool>,
    sections: Option<Spool>,
    /// Per requirement (catalogue order), the submissions with a gap that counts.
    missed: Vec<usize>,
    /// Per tier: pass, fail, error.
    tiers: BTreeMap<String, [usize; 3]>,
    count: usize,
}

impl Html {
    /// An HTML renderer whose spooled parts live in `dir` until the page is
    /// written.
    ///
    /// # Errors
    /// When the spool files cannot be created in `dir`.
    pub fn new(options: RenderOptions, dir: &Path) -> io::Result<Self> {
        let catalog = Catalog::embedded().ok();
        let n = catalog.as_ref().map_or(0, |c| c.requirements().len());
        Ok(Self {
            lang: options.lang,
            catalog,
            matrix: Some(Spool::create(dir, "matrix")?),
            table: Some(Spool::create(dir, "table")?),
            sections: Some(Spool::create(dir, "sections")?),
            missed: vec![0; n],
            tiers: BTreeMap::new(),
            count: 0,
        })
    }

    fn requirements(&self) -> &[crate::catalog::Requirement] {
        self.catalog.as_ref().map_or(&[], Catalog::requirements)
    }
}

fn push(spool: &mut Option<Spool>, markup: &Markup) -> io::Result<()> {
    match spool {
        Some(spool) => spool.push(markup),
        None => Err(io::Error::other("the report page is already written")),
    }
}

/// The class and symbol of a heat-map cell.
fn cell(status: Status, waived: bool) -> (&'static str, &'static str) {
    match (status, waived) {
        (Status::Met, _) => ("met", "✓"),
        (Status::Gap, true) => ("waived", "△"),
        (Status::Gap, false) => ("gap", "✗"),
        (Status::NotChecked, _) => ("unchecked", "–"),
        (Status::NotApplicable, _) => ("na", "·"),
    }
}

fn quote(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = flat.chars();
    let head: String = chars.by_ref().take(QUOTE_CHARS).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

const STYLE: &str = r#"
:root { --met:#1a7f37; --gap:#cf222e; --waived:#9a6700; --muted:#6e7781; --line:#d0d7de; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans TC", "PingFang TC", "Microsoft JhengHei", system-ui, sans-serif;
  font-size: 18px; line-height: 1.5; margin: 0 auto; padding: 1.5rem; max-width: 110rem; color: #1f2328; }
h1 { font-size: 2rem; margin: 0 0 .25rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid var(--line); }
.meta { color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: 1rem; }
.card { border: 1px solid var(--line); border-radius: .5rem; padding: .75rem 1.25rem; min-width: 10rem; }
.card b { display: block; font-size: 2.2rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; }
th { background: #f6f8fa; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.matrix { overflow-x: auto; }
.matrix table { width: auto; font-size: 15px; }
.matrix th.agency, .matrix td.agency { min-width: 12rem; max-width: 18rem; }
.matrix td.c { text-align: center; min-width: 2.2rem; font-weight: bold; }
.matrix th { white-space: nowrap; }
.met { color: var(--met); } .gap { color: #fff; background: var(--gap); }
.waived { color: #000; background: #f5d76e; } .unchecked, .na { color: var(--muted); }
.error-row td { background: #ffebe9; }
.legend span { display: inline-block; margin-right: 1.25rem; }
.legend b { display: inline-block; width: 1.8rem; text-align: center; border: 1px solid var(--line); }
.bars text { font-size: 14px; } .bars rect { fill: var(--gap); }
section.agency { border-top: 1px solid var(--line); padding-top: .5rem; }
.verdict-pass { color: var(--met); } .verdict-fail, .verdict-error { color: var(--gap); }
#filter { font-size: 1rem; padding: .3rem .5rem; width: 20rem; max-width: 100%; margin: .5rem 0; }
th[data-sort] { cursor: pointer; }
@media print {
  body { font-size: 11pt; max-width: none; padding: 0; }
  #filter, .noprint { display: none; }
  section.agency { break-inside: avoid-page; }
  .matrix { overflow: visible; }
  .gap, .waived { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// Sorting and filtering the agency table; the page is complete without it.
const SCRIPT: &str = r#"
(function () {
  var table = document.getElementById('agencies');
  var filter = document.getElementById('filter');
  if (!table || !filter) return;
  filter.hidden = false;
  var body = table.tBodies[0];
  filter.addEventListener('input', function () {
    var q = filter.value.trim().toLowerCase();
    Array.prototype.forEach.call(body.rows, function (row) {
      row.hidden = q !== '' && row.textContent.toLowerCase().indexOf(q) < 0;
    });
  });
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
    if (!th.hasAttribute('data-sort')) return;
    var up = true;
    th.addEventListener('click', function () {
      var rows = Array.prototype.slice.call(body.rows);
      var num = th.getAttribute('data-sort') === 'num';
      rows.sort(function (a, b) {
        var x = a.cells[i].textContent, y = b.cells[i].textContent;
        var c = num ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
        return up ? c : -c;
      });
      up = !up;
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
})();
"#;

impl Renderer for Html {
    fn submission(
        &mut self,
        _out: &mut dyn Write,
        run: &Run,
        s: &SubmissionReport,
    ) -> io::Result<()> {
        let lang = self.lang;
        let masker = run.masker(s);
        let index = self.count;
        self.count += 1;
        let agency = masker
            .apply(s.agency.as_deref().unwrap_or("?"))
            .into_owned();
        let tier = s.tier.clone().unwrap_or_else(|| "—".to_owned());
        let entry = self.tiers.entry(tier.clone()).or_insert([0; 3]);
        match s.verdict {
            Verdict::Pass => entry[0] += 1,
            Verdict::Fail => entry[1] += 1,
            Verdict::Error => entry[2] += 1,
        }
        let waived_only = |name: &str| {
            let own: Vec<_> = s
                .findings
                .iter()
                .filter(|f| f.requirement == name)
                .collect();
            !own.is_empty() && own.iter().all(|f| !f.counts())
        };
        for (i, r) in s.requirements.iter().enumerate() {
            if r.status == Status::Gap
                && !waived_only(&r.name)
                && let Some(n) = self.missed.get_mut(i)
            {
                *n += 1;
            }
        }
        let anchor = format!("a{index}");
        let row_class = if s.verdict == Verdict::Error {
            "error-row"
        } else {
            ""
        };
        let matrix_row = html! {
            tr class=(row_class) {
                td.agency { a href={ "#" (anchor) } { (agency) } }
                @for r in &s.requirements {
                    @let (class, symbol) = cell(r.status, waived_only(&r.name));
                    @let symbol = if s.verdict == Verdict::Error { "!" } else { symbol };
                    td class={ "c " (class) } title={ (r.name) " " (r.status.as_str()) } { (symbol) }
                }
            }
        };
        push(&mut self.matrix, &matrix_row)?;
        let table_row = html! {
            tr class=(row_class) {
                td { a href={ "#" (anchor) } { (agency) } }
                td { (s.path) }
                td { (tier) }
                td class={ "verdict-" (s.verdict.as_str()) } { (s.verdict.text(lang)) }
                td.num { (s.count(Severity::Error)) }
                td.num { (s.count(Severity::Warning)) }
                td.num { (s.waived()) }
            }
        };
        push(&mut self.table, &table_row)?;
        let section = html! {
            section.agency id=(anchor) {
                h3 { (agency) " — " span class={ "verdict-" (s.verdict.as_str()) } { (s.verdict.text(lang)) } }
                p.meta { (s.path) " · " (tier) " · " (s.regulation.as_str()) }
                @for e in &s.errors {
                    p.verdict-error { "⚠ " (masker.apply(e.message.get(lang))) }
                    @if let Some(help) = &e.help { p { (masker.apply(help.get(lang))) } }
                }
                @if !s.findings.is_empty() {
                    table {
                        thead { tr {
                            th { (i18n::static_text(self.lang, "html.requirement")) }
                            th { (i18n::static_text(self.lang, "html.cite")) }
                            th { (i18n::static_text(self.lang, "html.severity")) }
                            th { (i18n::static_text(self.lang, "html.place-and-evidence")) }
                            th { (i18n::static_text(self.lang, "html.finding")) }
                            th { (i18n::static_text(self.lang, "html.fix")) }
                        } }
                        tbody {
                            @for f in &s.findings {
                                tr {
                                    td { code { (f.requirement) } }
                                    td { (f.cite) }
                                    td { (f.severity.as_str()) @if !f.counts() { " (" (i18n::static_text(self.lang, "html.waived")) ")" } }
                                    td {
                                        @if let Some(l) = &f.location {
                                            (l.line_label(lang))
                                            @let q = quote(&masker.apply(l.file.slice(l.span)));
                                            @if !q.is_empty() { br; "「" (q) "」" }
                                        } @else {
                                            (s.file_of(f))
                                        }
                                    }
                                    td { (masker.apply(f.message.get(lang))) }
                                    td { (masker.apply(f.help.get(lang))) }
                                }
                            }
                        }
                    }
                }
            }
        };
        push(&mut self.sections, &section)
    }

    fn finish(&mut self, out: &mut dyn Write, run: &Run, summary: &Summary) -> io::Result<()> {
        let lang = self.lang;
        let requirements: Vec<(String, String, usize)> = self
            .requirements()
            .iter()
            .zip(&self.missed)
            .map(|(r, n)| {
                let cite = r
                    .cite(run.regulation)
                    .or_else(|| r.cite(Version::Amended))
                    .unwrap_or("—");
                (r.name.clone(), cite.to_owned(), *n)
            })
            .collect();
        let mut ranked: Vec<&(String, String, usize)> =
            requirements.iter().filter(|(_, _, n)| *n > 0).collect();
        ranked.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        let most = ranked.first().map_or(1, |r| r.2.max(1));
        let bar_height = 26;
        let chart_height = ranked.len().max(1) * bar_height + 10;
        let title = i18n::static_text(self.lang, "html.title");
        let head = html! {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) }
            style { (PreEscaped(STYLE)) }
        };
        let overview = html! {
            h1 { (title) }
            p.meta {
                (i18n::static_text(self.lang, "html.as-of")) (run.as_of.to_string()) " · "
                (i18n::static_text(self.lang, "html.regulation")) (run.regulation.as_str()) " · niacheck " (env!("CARGO_PKG_VERSION"))
            }
            h2 id="overview" { (i18n::static_text(self.lang, "html.overview")) }
            div.cards {
                div.card { (i18n::static_text(self.lang, "html.agencies")) b { (summary.submissions) } }
                div.card.verdict-pass { (i18n::static_text(self.lang, "html.pass")) b { (summary.pass) } }
                div.card.verdict-fail { (i18n::static_text(self.lang, "html.fail")) b { (summary.fail) } }
                div.card.verdict-error { (i18n::static_text(self.lang, "html.unreadable")) b { (summary.error) } }
                div.card { (i18n::static_text(self.lang, "html.waived-findings")) b { (summary.waived) } }
            }
            h3 { (i18n::static_text(self.lang, "html.by-tier")) }
            table #tiers {
                thead { tr {
                    th { (i18n::static_text(self.lang, "html.tier")) }
                    th.num { (i18n::static_text(self.lang, "html.pass")) }
                    th.num { (i18n::static_text(self.lang, "html.fail")) }
                    th.num { (i18n::static_text(self.lang, "html.unreadable")) }
                } }
                tbody {
                    @for (tier, [pass, fail, error]) in &self.tiers {
                        tr { td { (tier) } td.num { (pass) } td.num { (fail) } td.num { (error) } }
                    }
                }
            }
            h2 id="missed" { (i18n::static_text(self.lang, "html.most-missed")) }
            @if ranked.is_empty() {
                p { (i18n::static_text(self.lang, "html.none-missed")) }
            } @else {
                svg.bars #chart role="img" width="100%" height=(chart_height)
                    viewBox={ "0 0 1000 " (chart_height) } preserveAspectRatio="xMinYMin meet"
                    aria-label=(i18n::static_text(self.lang, "html.chart-label")) {
                    @for (i, (name, cite, n)) in ranked.iter().map(|r| (&r.0, &r.1, r.2)).enumerate() {
                        @let y = i * bar_height + 5;
                        @let width = n * 560 / most;
                        text x="0" y=(y + 17) { (name) " (" (cite) ")" }
                        rect x="360" y=(y + 3) width=(width.max(2)) height="18" {}
                        text x=(365 + width) y=(y + 17) { (n) }
                    }
                }
            }
            h2 id="matrix" { (i18n::static_text(self.lang, "html.matrix")) }
            p.legend {
                span { b.met { "✓" } " " (i18n::static_text(self.lang, "html.met")) }
                span { b.gap { "✗" } " " (i18n::static_text(self.lang, "html.gap")) }
                span { b.waived { "△" } " " (i18n::static_text(self.lang, "html.waived")) }
                span { b.unchecked { "–" } " " (i18n::static_text(self.lang, "html.not-checked")) }
                span { b.na { "·" } " " (i18n::static_text(self.lang, "html.not-applicable")) }
                span { b { "!" } " " (i18n::static_text(self.lang, "html.could-not-be-read")) }
            }
        };
        let matrix_head = html! {
            tr {
                th.agency { (i18n::static_text(self.lang, "html.agency")) }
                @for (name, cite, _) in &requirements { th title=(name) { (cite) } }
            }
        };
        let list_head = html! {
            h2 id="agencies-list" { (i18n::static_text(self.lang, "html.agencies-heading")) }
            input #filter type="search" hidden placeholder=(i18n::static_text(self.lang, "html.filter-agencies"));
        };
        let table_head = html! {
            tr {
                th data-sort="text" { (i18n::static_text(self.lang, "html.agency")) }
                th data-sort="text" { (i18n::static_text(self.lang, "html.submission")) }
                th data-sort="text" { (i18n::static_text(self.lang, "html.tier")) }
                th data-sort="text" { (i18n::static_text(self.lang, "html.verdict")) }
                th.num data-sort="num" { (i18n::static_text(self.lang, "html.errors")) }
                th.num data-sort="num" { (i18n::static_text(self.lang, "html.warnings")) }
                th.num data-sort="num" { (i18n::static_text(self.lang, "html.waived")) }
            }
        };
        let details =
            html! { h2 id="details" { (i18n::static_text(self.lang, "html.gaps-by-agency")) } };
        let script = html! { script { (PreEscaped(SCRIPT)) } };
        // The page, with the spooled rows and sections copied in place.
        write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"{}\"><head>{}</head><body>{}",
            lang.as_str(),
            head.0,
            overview.0
        )?;
        write!(
            out,
            "<div class=\"matrix\"><table id=\"heatmap\"><thead>{}</thead><tbody>",
            matrix_head.0
        )?;
        if let Some(spool) = self.matrix.take() {
            spool.drain(out)?;
        }
        write!(
            out,
            "</tbody></table></div>{}<table id=\"agencies\"><thead>{}</thead><tbody>",
            list_head.0, table_head.0
        )?;
        if let Some(spool) = self.table.take() {
            spool.drain(out)?;
        }
        write!(out, "</tbody></table>{}", details.0)?;
        if let Some(spool) = self.sections.take() {
            spool.drain(out)?;
        }
        writeln!(out, "{}</body></html>", script.0)
    }
}
