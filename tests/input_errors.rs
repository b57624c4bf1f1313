#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! Input errors as a user reads them, in both languages: every error of an
//! `access.yaml` at once, each at its line and column with its "did you
//! mean"; a rules document that cannot be read does not hide the agency or
//! the configuration's errors; a heading that says what could not be read.

use std::path::PathBuf;
use std::sync::LazyLock;

use niacheck::render::{self, Format, RenderOptions};
use niacheck::report::Report;
use niacheck::{CheckOptions, Checker, Date, Lang};

static CHECKER: LazyLock<Checker> = LazyLock::new(|| Checker::new().unwrap());

fn check(case: &str) -> Report {
    CHECKER.check_paths(
        &[PathBuf::from(format!("tests/input-errors/{case}"))],
        &CheckOptions::new(Date::parse("2026-11-27").unwrap()),
    )
}

fn human(report: &Report, lang: Lang) -> String {
    render::render_to_string(Format::Human, report, RenderOptions::new(lang))
}

/// (line, column, message) of each input error, in English.
fn errors(report: &Report) -> Vec<(usize, usize, String)> {
    report.submissions[0]
        .errors
        .iter()
        .map(|e| {
            let at = e
                .location
                .as_ref()
                .map(|l| l.file.line_column(l.span.start));
            (
                at.map_or(0, |a| a.line),
                at.map_or(0, |a| a.column),
                e.message.en.clone(),
            )
        })
        .collect()
}

#[test]
fn three_typos_in_one_access_yaml_are_three_errors() {
    let report = check("three-typos");
    let found = errors(&report);
    assert_eq!(
        found,
        vec![
            (4, 3, "unknown key `teir`".to_owned()),
            (6, 1, "unknown key `workstaton`".to_owned()),
            (13, 5, "unknown key `card_reder`".to_owned()),
        ]
    );
    let helps: Vec<String> = report.submissions[0]
        .errors
        .iter()
        .map(|e| e.help.clone().unwrap().en)
        .collect();
    assert_eq!(
        helps,
        [
            "did you mean `tier`?",
            "did you mean `workstation`?",
            "did you mean `card_reader`?"
        ]
    );
    for lang in [Lang::ZhTw, Lang::En] {
        insta::assert_snapshot!(
            format!("three_typos_{}", lang.as_str()),
            human(&report, lang)
        );
    }
}

#[test]
fn every_kind_of_input_error_is_reported_in_one_run() {
    let report = check("every-kind");
    let found = errors(&report);
    let lines: Vec<usize> = found.iter().map(|(line, _, _)| *line).collect();
    assert_eq!(lines, [3, 5, 6, 9, 10, 12, 13], "{found:#?}");
    for lang in [Lang::ZhTw, Lang::En] {
        insta::assert_snapshot!(
            format!("every_kind_{}", lang.as_str()),
            human(&report, lang)
        );
    }
}

#[test]
fn an_unreadable_rules_document_keeps_the_agency_and_the_config_errors() {
    let report = check("rules-missing");
    let s = &report.submissions[0];
    assert_eq!(s.agency.as_deref(), Some("臺北市政府警察局"));
    assert_eq!(s.errors.len(), 2, "{:#?}", s.errors);
    assert!(s.errors[0].message.en.contains("entry-exit-certifcate"));
    // Reported at the `rules:` line of access.yaml, naming the file.
    assert!(
        s.errors[1].message.en.contains("`rules.md`"),
        "{:?}",
        s.errors[1]
    );
    assert!(
        s.errors[1].message.zh.contains("找不到檔案"),
        "{:?}",
        s.errors[1]
    );
    assert!(s.errors[1].message.en.contains("file not found"));
    assert!(!s.errors[1].message.en.contains("os error"));
    for lang in [Lang::ZhTw, Lang::En] {
        let text = human(&report, lang);
        assert!(
            !text.contains("錯誤 0") && !text.contains("0 errors"),
            "{text}"
        );
        insta::assert_snapshot!(format!("rules_missing_{}", lang.as_str()), text);
    }
}

/// A rules document that cannot be read, beside a configuration that can:
/// every requirement judged from the configuration is judged (two gaps
/// here), the document's error is an input error at the `rules:` line, the
/// document's requirements are not checked, and the verdict is `error`.
#[test]
fn an_unreadable_rules_document_does_not_hide_the_config_findings() {
    let report = check("rules-missing-gaps");
    let s = &report.submissions[0];
    assert_eq!(s.agency.as_deref(), Some("臺北市政府警察局"));
    assert_eq!(s.verdict, niacheck::report::Verdict::Error);
    let gaps: Vec<&str> = s.findings.iter().map(|f| f.requirement.as_str()).collect();
    assert_eq!(gaps, ["card-reader", "citizen-certificate"]);
    assert_eq!(s.errors.len(), 1, "{:#?}", s.errors);
    assert!(
        s.errors[0]
            .message
            .en
            .contains("`rules.md`: file not found")
    );
    let place = s.errors[0].location.as_ref().unwrap();
    assert_eq!(
        (place.file.name(), place.line_column().line),
        ("access.yaml", 14)
    );
    let status = |name: &str| {
        s.requirements
            .iter()
            .find(|r| r.name == name)
            .map(|r| r.status.as_str())
            .unwrap()
    };
    assert_eq!(status("card-reader"), "gap");
    assert_eq!(status("authorized-applicant"), "met");
    assert_eq!(status("pdpa-liability"), "not-checked");
    // Checked from the document and the configuration, whose half passes.
    assert_eq!(status("leave-workstation"), "not-checked");
    assert_eq!(report.exit_status(), niacheck::ExitStatus::Failure);

    let json: serde_json::Value = serde_json::from_str(&render::render_to_string(
        Format::Json,
        &report,
        RenderOptions::new(Lang::En),
    ))
    .unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("schemas/report.schema.json").unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let invalid: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert!(invalid.is_empty(), "{invalid:?}");
    let sub = &json["submissions"][0];
    assert_eq!(sub["verdict"], "error");
    assert_eq!(sub["agency"], "臺北市政府警察局");
    assert_eq!(sub["findings"].as_array().unwrap().len(), 2);
    assert_eq!(sub["errors"][0]["line"], 14);

    for lang in [Lang::ZhTw, Lang::En] {
        let text = human(&report, lang);
        let heading = text.lines().next().unwrap();
        assert!(
            !heading.contains("錯誤 0") && !heading.contains("0 errors"),
            "{heading}"
        );
        assert!(
            heading.contains("錯誤 2") || heading.contains("2 errors"),
            "{heading}"
        );
        insta::assert_snapshot!(format!("rules_missing_gaps_{}", lang.as_str()), text);
    }
}
