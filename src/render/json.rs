//! The JSON report (`--format json`), exactly as the specification's
//! contract; `schemas/report.schema.json` describes it.

use std::io::{self, Write};

use serde::Serialize;

use super::{RenderOptions, Renderer};
use crate::privacy::CompiledMasker;
use crate::report::{Finding, InputError, Location, Run, SubmissionReport};

/// The report format's version: changes only when a field is removed or renamed.
pub const SCHEMA_VERSION: u32 = 1;

/// The tool that wrote a report, as every JSON output names it.
#[derive(Serialize)]
pub(crate) struct Tool {
    name: &'static str,
    version: &'static str,
}

impl Tool {
    /// This build of niacheck.
    pub(crate) const THIS: Tool = Tool {
        name: "niacheck",
        version: env!("CARGO_PKG_VERSION"),
    };
}

#[derive(Serialize)]
struct Submission<'a> {
    path: &'a str,
    agency: Option<&'a str>,
    regulation: &'a str,
    verdict: &'a str,
    requirements: Vec<Requirement<'a>>,
    findings: Vec<JsonFinding>,
    errors: Vec<JsonError>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notices: Vec<JsonError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    usage_log: Option<UsageLog<'a>>,
}

/// The replay summary of a usage log.
#[derive(Serialize)]
struct UsageLog<'a> {
    encoding: &'a str,
    records: u64,
    malformed: u64,
    successes: u64,
    denials: Vec<Denials<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    earliest: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    latest: Option<&'a str>,
    warnings: Vec<String>,
}

#[derive(Serialize)]
struct Denials<'a> {
    name: &'a str,
    records: u64,
}

#[derive(Serialize)]
struct Requirement<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    cite: Option<&'a str>,
    status: &'a str,
}

/// A place in a file, as every JSON output writes it.
#[derive(Serialize, Default)]
pub(crate) struct Place {
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    paragraph: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    paragraph_start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    paragraph_end: Option<usize>,
}

impl Place {
    pub(crate) fn of(location: Option<&Location>) -> Self {
        let Some(location) = location else {
            return Self::default();
        };
        let lc = location.line_column();
        // In an office document the place is a paragraph and character
        // offsets in it; byte offsets into a zip container mean nothing.
        if let Some(place) = location.file.paragraph_place(location.span) {
            return Self {
                file: Some(location.file.name().to_owned()),
                line: Some(lc.line),
                column: Some(lc.column),
                paragraph: Some(place.number),
                paragraph_start: Some(place.start),
                paragraph_end: Some(place.end),
                ..Self::default()
            };
        }
        let (start, end) = location.file_offsets();
        Self {
            file: Some(location.file.name().to_owned()),
            line: Some(lc.line),
            column: Some(lc.column),
            start: Some(start),
            end: Some(end),
            ..Self::default()
        }
    }
}

#[derive(Serialize)]
pub(crate) struct JsonFinding {
    name: String,
    cite: String,
    severity: &'static str,
    policy: String,
    message: String,
    help: String,
    #[serde(flatten)]
    place: Place,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    fingerprint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    waived: Option<JsonWaived>,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<JsonEvidence>,
}

/// What the rules document showed of the finding's part.
#[derive(Serialize)]
pub(crate) struct JsonEvidence {
    part: String,
    matched: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    closest: Option<Place>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    lacks: Vec<String>,
}

/// The waiver that covers a finding.
#[derive(Serialize)]
pub(crate) struct JsonWaived {
    reason: String,
    approver: String,
    approval_ref: String,
    expires_on: String,
}

#[derive(Serialize)]
pub(crate) struct JsonError {
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<String>,
    #[serde(flatten)]
    place: Place,
}

#[derive(Serialize)]
struct Summary {
    submissions: usize,
    pass: usize,
    fail: usize,
    error: usize,
    #[serde(skip_serializing_if = "is_zero")]
    waived: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<JsonBaseline>,
}

#[derive(Serialize)]
struct JsonBaseline {
    unchanged: usize,
    fixed: usize,
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_zero(n: &usize) -> bool {
    *n == 0
}

pub(crate) fn finding(
    masker: &CompiledMasker<'_>,
    f: &Finding,
    options: RenderOptions,
) -> JsonFinding {
    JsonFinding {
        name: f.requirement.clone(),
        cite: f.cite.clone(),
        severity: f.severity.as_str(),
        policy: f.policy.clone(),
        message: masker.apply(f.message.get(options.lang)).into_owned(),
        help: masker.apply(f.help.get(options.lang)).into_owned(),
        place: Place::of(f.location.as_ref()),
        subject: f.subject.clone(),
        fingerprint: f.fingerprint.clone(),
        waived: f.waived.as_ref().map(|w| JsonWaived {
            reason: masker.apply(&w.reason).into_owned(),
            approver: masker.apply(&w.approver).into_owned(),
            approval_ref: w.approval_ref.clone(),
            expires_on: w.expires_on.to_string(),
        }),
        evidence: f.evidence.as_ref().map(|e| JsonEvidence {
            part: e.part.clone(),
            matched: e.matched.clone(),
            closest: e.closest.as_ref().map(|l| Place::of(Some(l))),
            lacks: e.lacks.clone(),
        }),
    }
}

pub(crate) fn error(
    masker: &CompiledMasker<'_>,
    e: &InputError,
    options: RenderOptions,
) -> JsonError {
    let mut place = Place::of(e.location.as_ref());
    if place.file.is_none() {
        place.file.clone_from(&e.file);
    }
    JsonError {
        message: masker.apply(e.message.get(options.lang)).into_owned(),
        help: e
            .help
            .as_ref()
            .map(|h| masker.apply(h.get(options.lang)).into_owned()),
        place,
    }
}

fn submission<'a>(run: &Run, s: &'a SubmissionReport, options: RenderOptions) -> Submission<'a> {
    let masker = run.masker(s);
    Submission {
        path: &s.path,
        agency: s.agency.as_deref(),
        regulation: s.regulation.as_str(),
        verdict: s.verdict.as_str(),
        requirements: s
            .requirements
            .iter()
            .map(|r| Requirement {
                name: &r.name,
                cite: r.cite.as_deref(),
                status: r.status.as_str(),
            })
            .collect(),
        findings: s
            .findings
            .iter()
            .map(|f| finding(&masker, f, options))
            .collect(),
        errors: s
            .errors
            .iter()
            .map(|e| error(&masker, e, options))
            .collect(),
        notices: s
            .notices
            .iter()
            .map(|n| JsonError {
                message: masker.apply(n.message.get(options.lang)).into_owned(),
                help: n
                    .help
                    .as_ref()
                    .map(|h| masker.apply(h.get(options.lang)).into_owned()),
                place: Place::of(n.location.as_ref()),
            })
            .collect(),
        usage_log: s.usage_log.as_ref().map(|log| UsageLog {
            encoding: log.encoding,
            records: log.records,
            malformed: log.malformed,
            successes: log.successes,
            denials: log
                .denials
                .iter()
                .map(|(name, records)| Denials {
                    name,
                    records: *records,
                })
                .collect(),
            earliest: log.earliest.as_deref(),
            latest: log.latest.as_deref(),
            warnings: log
                .warnings
                .iter()
                .map(|w| w.get(options.lang).to_owned())
                .collect(),
        }),
    }
}

/// `value` pretty-printed as serde_json does, each line after the first
/// indented by `indent` spaces, so that pieces written one by one give the
/// same bytes as the whole document printed at once.
pub(crate) fn pretty(value: &impl Serialize, indent: usize) -> io::Result<String> {
    String::from_utf8(pretty_bytes(value, indent)?).map_err(io::Error::other)
}

/// [`pretty`] as bytes, indented as they are written (no second pass).
pub(crate) fn pretty_bytes(value: &impl Serialize, indent: usize) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(4096);
    let mut serializer = serde_json::Serializer::with_formatter(
        &mut out,
        Pretty {
            base: indent,
            level: 0,
            has_value: false,
        },
    );
    value.serialize(&mut serializer).map_err(io::Error::other)?;
    Ok(out)
}

/// serde_json's pretty printing (two spaces a level), every line after
/// the first indented by `base` spaces more.
struct Pretty {
    base: usize,
    level: usize,
    has_value: bool,
}

impl Pretty {
    fn line<W: ?Sized + io::Write>(&self, out: &mut W, first: bool) -> io::Result<()> {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(out)
    }

    fn indent<W: ?Sized + io::Write>(&self, out: &mut W) -> io::Result<()> {
        const SPACES: &[u8; 64] = &[b' '; 64];
        let mut left = self.base.saturating_add(self.level.saturating_mul(2));
        while left > 0 {
            let n = left.min(SPACES.len());
            out.write_all(SPACES.get(..n).unwrap_or_default())?;
            left = left.saturating_sub(n);
        }
        Ok(())
    }

    fn open<W: ?Sized + io::Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level = self.level.saturating_add(1);
        self.has_value = false;
        out.write_all(bracket)
    }

    fn close<W: ?Sized + io::Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level = self.level.saturating_sub(1);
        if self.has_value {
            out.write_all(b"\n")?;
            self.indent(out)?;
        }
        out.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.line(out, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.line(out, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// The JSON renderer: the report of the specification, pretty-printed,
/// written one submission at a time.
#[derive(Debug)]
pub struct Json {
    options: RenderOptions,
    written: usize,
}

impl Json {
    /// A JSON renderer.
    #[must_use]
    pub fn new(options: RenderOptions) -> Self {
        Self {
            options,
            written: 0,
        }
    }
}

impl Renderer for Json {
    fn start(&mut self, out: &mut dyn Write, run: &Run) -> io::Result<()> {
        write!(
            out,
            "{{\n  \"schema_version\": {SCHEMA_VERSION},\n  \"tool\": {},\n  \"regulation\": {},\n  \"as_of\": {},\n  \"submissions\": [",
            pretty(&Tool::THIS, 2)?,
            pretty(&run.regulation.as_str(), 2)?,
            pretty(&run.as_of.to_string(), 2)?,
        )
    }

    fn submission(
        &mut self,
        out: &mut dyn Write,
        run: &Run,
        s: &SubmissionReport,
    ) -> io::Result<()> {
        let separator = if self.written == 0 {
            "\n    "
        } else {
            ",\n    "
        };
        self.written += 1;
        let text = pretty_bytes(&submission(run, s, self.options), 4)?;
        out.write_all(separator.as_bytes())?;
        out.write_all(&text)
    }

    fn finish(
        &mut self,
        out: &mut dyn Write,
        _run: &Run,
        summary: &crate::report::Summary,
    ) -> io::Result<()> {
        let close = if self.written == 0 { "]" } else { "\n  ]" };
        let summary = Summary {
            submissions: summary.submissions,
            pass: summary.pass,
            fail: summary.fail,
            error: summary.error,
            waived: summary.waived,
            baseline: summary.baseline.map(|b| JsonBaseline {
                unchanged: b.unchanged,
                fixed: b.fixed,
            }),
        };
        writeln!(out, "{close},\n  \"summary\": {}\n}}", pretty(&summary, 2)?)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]

    use proptest::prelude::*;
    use serde_json::Value;

    /// Any JSON value: nested arrays and objects, empty ones too, and
    /// strings with line breaks (which JSON writes escaped).
    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i32>().prop_map(Value::from),
            "[a中\n\" ]{0,6}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec(("[a-c中\n]{0,3}", inner), 0..4)
                    .prop_map(|fields| Value::Object(fields.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// The indenting formatter writes what serde_json's pretty printer
        /// writes, with every line after the first indented by the depth.
        #[test]
        fn pretty_is_serde_jsons_pretty_indented(value in json(), indent in 0..6_usize) {
            let plain = serde_json::to_string_pretty(&value).unwrap();
            let pad = " ".repeat(indent);
            let expected = plain.replace('\n', &format!("\n{pad}"));
            prop_assert_eq!(super::pretty(&value, indent).unwrap(), expected);
        }
    }
}
