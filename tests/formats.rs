#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! Every output format over the samples: SARIF validates against the OASIS
//! schema (Microsoft's SARIF Multitool with GitHub's rules and xmllint for
//! JUnit run in `.ci/run`), GitHub output is all workflow commands, GitLab
//! output is a Code Quality report, and each format's rendering of a few
//! samples is a reviewed snapshot.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use niacheck::render::{self, Format, RenderOptions};
use niacheck::report::Report;
use niacheck::{CheckOptions, Checker, Date, Lang};
use serde_json::Value;

static CHECKER: LazyLock<Checker> = LazyLock::new(|| Checker::new().unwrap());

/// Samples that between them fail in the document, in the configuration
/// and under both versions, and one that passes.
const SAMPLES: &[&str] = &[
    "agency-rules/executive-yuan-archives",
    "agency-rules/new-taipei-labor-affairs",
    "agency-rules/pingtung-county-health",
    "agency-rules/taipei-city-police",
];

fn report(paths: &[PathBuf]) -> Report {
    CHECKER.check_paths(
        paths,
        &CheckOptions::new(Date::parse("2026-11-27").unwrap()),
    )
}

fn samples() -> Report {
    report(&SAMPLES.iter().map(PathBuf::from).collect::<Vec<_>>())
}

fn all_samples() -> Report {
    report(&[PathBuf::from("agency-rules")])
}

fn render(format: Format, report: &Report, lang: Lang, include_pass: bool) -> String {
    let mut options = RenderOptions::new(lang);
    options.include_pass = include_pass;
    render::render_to_string(format, report, options)
}

fn sarif_validator() -> jsonschema::Validator {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/schemas/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::draft4::new(&schema).expect("the SARIF schema compiles")
}

fn assert_valid_sarif(text: &str) -> Value {
    let sarif: Value = serde_json::from_str(text).unwrap();
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
    sarif
}

#[test]
fn sarif_of_every_sample_validates_and_every_result_has_a_place() {
    let report = all_samples();
    for (lang, include_pass) in [(Lang::ZhTw, false), (Lang::En, true)] {
        let sarif = assert_valid_sarif(&render(Format::Sarif, &report, lang, include_pass));
        let run = &sarif["runs"][0];
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), 31, "30 requirements and input errors");
        let results = run["results"].as_array().unwrap();
        assert!(results.len() > 30);
        for result in results {
            let region = &result["locations"][0]["physicalLocation"]["region"];
            assert!(region["startLine"].as_u64().unwrap() >= 1, "{result}");
            let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap();
            assert!(uri.starts_with("agency-rules/"), "{uri}");
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"]);
            if result["kind"] != "pass" {
                assert!(result["partialFingerprints"]["niacheck/v1"].is_string());
            }
        }
        let passes = results.iter().filter(|r| r["kind"] == "pass").count();
        assert_eq!(passes > 0, include_pass);
    }
}

#[test]
fn sarif_shows_waivers_as_suppressions_and_unreadable_input_as_errors() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("labor");
    std::fs::create_dir_all(&good).unwrap();
    let sample =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("agency-rules/new-taipei-labor-affairs");
    for file in ["access.yaml", "rules.md"] {
        std::fs::copy(sample.join(file), good.join(file)).unwrap();
    }
    std::fs::write(
        good.join("waivers.yaml"),
        "waivers:\n  - requirement: card-reader\n    reason: 採購中\n    approver: 資訊室主任\n    approval_ref: 新北勞資字第1150000123號\n    expires_on: 2027-01-31\n",
    )
    .unwrap();
    let broken = dir.path().join("broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("access.yaml"), "agency: [unclosed\n").unwrap();
    let report = report(&[dir.path().to_path_buf()]);
    let sarif = assert_valid_sarif(&render(Format::Sarif, &report, Lang::En, false));
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let waived: Vec<&Value> = results
        .iter()
        .filter(|r| r["suppressions"].is_array())
        .collect();
    assert_eq!(waived.len(), 1);
    assert_eq!(waived[0]["ruleId"], "card-reader");
    assert_eq!(waived[0]["suppressions"][0]["status"], "accepted");
    let input = results
        .iter()
        .find(|r| r["ruleId"] == "input-error")
        .expect("the unreadable submission is a result");
    assert!(
        input["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("broken/access.yaml")
    );
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
}

#[test]
fn github_output_is_only_workflow_commands() {
    let text = render(Format::Github, &all_samples(), Lang::ZhTw, false);
    assert!(!text.is_empty());
    for line in text.lines() {
        let (command, rest) = line
            .strip_prefix("::")
            .and_then(|l| l.split_once(' '))
            .unwrap_or_else(|| panic!("not a workflow command: {line}"));
        assert!(matches!(command, "error" | "warning" | "notice"), "{line}");
        let (properties, message) = rest.split_once("::").unwrap();
        assert!(properties.starts_with("file=agency-rules/"), "{line}");
        assert!(properties.contains(",line="), "{line}");
        assert!(!message.is_empty());
        assert!(!message.contains('\n') && !message.contains('\r'));
    }
}

#[test]
fn gitlab_output_is_a_code_quality_report() {
    let text = render(Format::Gitlab, &all_samples(), Lang::ZhTw, false);
    let issues: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert!(!issues.is_empty());
    let mut fingerprints = std::collections::BTreeSet::new();
    for issue in &issues {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(issue[key].is_string(), "{key}: {issue}");
        }
        assert!(matches!(
            issue["severity"].as_str().unwrap(),
            "info" | "minor" | "major" | "critical" | "blocker"
        ));
        assert!(
            issue["location"]["path"]
                .as_str()
                .unwrap()
                .starts_with("agency-rules/")
        );
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        assert!(
            fingerprints.insert(issue["fingerprint"].as_str().unwrap().to_owned()),
            "{issue}"
        );
    }
}

#[test]
fn junit_has_a_suite_per_submission_and_a_case_per_requirement() {
    let report = all_samples();
    let text = render(Format::Junit, &report, Lang::ZhTw, false);
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
    assert_eq!(
        text.matches("<testsuite ").count(),
        report.submissions.len()
    );
    assert_eq!(
        text.matches("<testcase ").count(),
        report.submissions.len() * 30
    );
    let gaps: usize = report
        .submissions
        .iter()
        .map(|s| {
            s.requirements
                .iter()
                .filter(|r| r.status == niacheck::report::Status::Gap)
                .count()
        })
        .sum();
    assert_eq!(text.matches("<failure ").count(), gaps);
}

#[test]
fn agency_text_cannot_break_markdown_or_xml() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("evil");
    std::fs::create_dir_all(&sub).unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("agency-rules/pingtung-county-health");
    let access = std::fs::read_to_string(sample.join("access.yaml"))
        .unwrap()
        .replacen(
            "name: 屏東縣政府衛生局",
            "name: \"<script>alert(1)</script> | =HYPERLINK(\\\"x\\\") **\"",
            1,
        );
    std::fs::write(sub.join("access.yaml"), access).unwrap();
    std::fs::copy(sample.join("rules.md"), sub.join("rules.md")).unwrap();
    let report = report(&[sub]);
    assert!(
        report.submissions[0]
            .agency
            .as_deref()
            .unwrap()
            .contains("<script>")
    );
    let markdown = render(Format::Markdown, &report, Lang::ZhTw, false);
    assert!(!markdown.contains("<script>"), "{markdown}");
    assert!(
        markdown.contains("&lt;script&gt;alert(1)&lt;/script&gt; \\| =HYPERLINK(\"x\") \\*\\*"),
        "{markdown}"
    );
    let junit = render(Format::Junit, &report, Lang::ZhTw, false);
    assert!(!junit.contains("<script>"));
    assert!(junit.contains(
        "classname=\"&lt;script&gt;alert(1)&lt;/script&gt; | =HYPERLINK(&quot;x&quot;) **\""
    ));
}

/// SARIF without the rules' documentation (the requirement READMEs, which
/// have their own tests), for a snapshot a person can read.
fn sarif_for_snapshot(text: &str) -> String {
    let mut sarif: Value = serde_json::from_str(text).unwrap();
    for rule in sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array_mut()
        .unwrap()
    {
        let id = rule["id"].as_str().unwrap().to_owned();
        rule["help"] = Value::String(format!("<policies/{id}/README.md>"));
    }
    sarif["runs"][0]["tool"]["driver"]["version"] = Value::String("<version>".into());
    sarif["runs"][0]["tool"]["driver"]["semanticVersion"] = Value::String("<version>".into());
    serde_json::to_string_pretty(&sarif).unwrap()
}

#[test]
fn every_format_renders_the_samples_as_reviewed() {
    let report = samples();
    for format in Format::ALL {
        for lang in [Lang::ZhTw, Lang::En] {
            let mut text = render(*format, &report, lang, false);
            if *format == Format::Sarif {
                text = sarif_for_snapshot(&text);
            }
            if *format == Format::Json {
                text = text.replace(
                    &format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")),
                    "\"version\": \"<version>\"",
                );
            }
            insta::assert_snapshot!(format!("{}_{}", format.name(), lang.as_str()), text);
        }
    }
}
