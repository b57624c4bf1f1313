//! The JSON report (`--format json`), exactly as the specification's
//! contract; `schemas/report.schema.json` describes it.

use serde::Serialize;

use super::RenderOptions;
use crate::privacy::Masker;
use crate::report::{Finding, InputError, Location, Report};

/// The report format's version: changes only when a field is removed or renamed.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Json<'a> {
    schema_version: u32,
    tool: Tool,
    regulation: &'a str,
    as_of: String,
    submissions: Vec<Submission<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
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
}

impl Place {
    pub(crate) fn of(location: Option<&Location>) -> Self {
        let Some(location) = location else {
            return Self::default();
        };
        let lc = location.line_column();
        let (start, end) = location.file_offsets();
        Self {
            file: Some(location.file.name().to_owned()),
            line: Some(lc.line),
            column: Some(lc.column),
            start: Some(start),
            end: Some(end),
        }
    }
}

#[derive(Serialize)]
struct JsonFinding {
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
}

#[derive(Serialize)]
struct JsonError {
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
}

fn finding(masker: Masker<'_>, f: &Finding, options: RenderOptions) -> JsonFinding {
    JsonFinding {
        name: f.requirement.clone(),
        cite: f.cite.clone(),
        severity: f.severity.as_str(),
        policy: f.policy.clone(),
        message: masker.apply(f.message.get(options.lang)).into_owned(),
        help: masker.apply(f.help.get(options.lang)).into_owned(),
        place: Place::of(f.location.as_ref()),
        subject: f.subject.clone(),
    }
}

fn error(masker: Masker<'_>, e: &InputError, options: RenderOptions) -> JsonError {
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

/// Render the JSON report, pretty-printed, ending with a newline.
#[must_use]
pub fn render(report: &Report, options: RenderOptions) -> String {
    let summary = report.summary();
    let json = Json {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "niacheck",
            version: env!("CARGO_PKG_VERSION"),
        },
        regulation: report.regulation.as_str(),
        as_of: report.as_of.to_string(),
        submissions: report
            .submissions
            .iter()
            .map(|s| Submission {
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
                    .map(|f| finding(report.masker(s), f, options))
                    .collect(),
                errors: s
                    .errors
                    .iter()
                    .map(|e| error(report.masker(s), e, options))
                    .collect(),
            })
            .collect(),
        summary: Summary {
            submissions: summary.submissions,
            pass: summary.pass,
            fail: summary.fail,
            error: summary.error,
        },
    };
    let mut text =
        serde_json::to_string_pretty(&json).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
