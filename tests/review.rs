#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! The reviewers' tools: waivers (in a submission's `waivers.yaml` or a
//! central file) and baselines. A table of waivers files — valid, expired,
//! unused, malformed, unknown requirement, central — and a baseline that
//! survives rewording elsewhere in the document.

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use niacheck::baseline::Baseline;
use niacheck::report::{ExitStatus, SubmissionReport, Verdict};
use niacheck::source::SourceFile;
use niacheck::waivers::Waivers;
use niacheck::{CheckOptions, Checker, Date};

static CHECKER: LazyLock<Checker> = LazyLock::new(|| Checker::new().unwrap());

/// A sample whose configuration fails: card-reader and certificate-login
/// (users[2]), inquiry-deadline (inquiries[1]), warnings for
/// leave-workstation and statutory-duties.
const SAMPLE: &str = "agency-rules/new-taipei-labor-affairs";

fn copy_sample(dir: &Path) -> PathBuf {
    let to = dir.join("new-taipei-labor-affairs");
    std::fs::create_dir_all(&to).unwrap();
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(SAMPLE)).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
    to
}

fn options() -> CheckOptions {
    CheckOptions::new(Date::parse("2026-11-27").unwrap())
}

fn check(path: &Path, options: &CheckOptions) -> SubmissionReport {
    let mut report = CHECKER.check_paths(&[path.to_path_buf()], options);
    assert_eq!(report.submissions.len(), 1);
    report.submissions.remove(0)
}

const VALID: &str = "waivers:
  - requirement: card-reader
    subject: users[2].card_reader
    reason: 讀卡機採購中，預計明年一月到貨
    approver: 資訊室主任
    approval_ref: 新北勞資字第1150000123號
    expires_on: 2027-01-31
";

#[test]
fn a_table_of_waivers_files() {
    struct Case {
        name: &'static str,
        yaml: &'static str,
        /// The policies of the findings that count, after the waivers.
        counting: &'static [&'static str],
        waived: usize,
        /// Expected input error: (message part, line).
        error: Option<(&'static str, usize)>,
    }
    let cases = [
        Case {
            name: "valid",
            yaml: VALID,
            counting: &[
                "certificate-login/not-certificate",
                "leave-workstation/card-left-in",
                "inquiry-deadline/late",
                "statutory-duties/renumbered-article",
            ],
            waived: 1,
            error: None,
        },
        Case {
            name: "whole requirement",
            yaml: "waivers:
  - requirement: inquiry-deadline
    reason: 系統異常致延誤，已另案說明
    approver: 移民署資訊組
    approval_ref: 移署資字第1150000001號
    expires_on: 2027-06-30
",
            counting: &[
                "card-reader/no-card-reader",
                "certificate-login/not-certificate",
                "leave-workstation/card-left-in",
                "statutory-duties/renumbered-article",
            ],
            waived: 1,
            error: None,
        },
        Case {
            name: "expired",
            yaml: "waivers:
  - requirement: card-reader
    subject: users[2].card_reader
    reason: 讀卡機採購中
    approver: 資訊室主任
    approval_ref: 新北勞資字第1150000123號
    expires_on: 2026-01-31
",
            counting: &[
                "card-reader/no-card-reader",
                "card-reader/waivers/expired",
                "certificate-login/not-certificate",
                "leave-workstation/card-left-in",
                "inquiry-deadline/late",
                "statutory-duties/renumbered-article",
            ],
            waived: 0,
            error: None,
        },
        Case {
            name: "unused",
            yaml: "waivers:
  - requirement: confidentiality
    reason: 另案辦理
    approver: 秘書室主任
    approval_ref: 新北勞秘字第1150000009號
    expires_on: 2027-12-31
",
            counting: &[
                "card-reader/no-card-reader",
                "certificate-login/not-certificate",
                "leave-workstation/card-left-in",
                "inquiry-deadline/late",
                "confidentiality/waivers/unused",
                "statutory-duties/renumbered-article",
            ],
            waived: 0,
            error: None,
        },
        Case {
            name: "no approver",
            yaml: "waivers:
  - requirement: card-reader
    reason: 讀卡機採購中
    approval_ref: 新北勞資字第1150000123號
    expires_on: 2027-01-31
",
            counting: &[],
            waived: 0,
            error: Some(("approver", 2)),
        },
        Case {
            name: "unknown requirement",
            yaml: "waivers:
  - requirement: card-readr
    reason: 讀卡機採購中
    approver: 資訊室主任
    approval_ref: 新北勞資字第1150000123號
    expires_on: 2027-01-31
",
            counting: &[],
            waived: 0,
            error: Some(("card-readr", 2)),
        },
        Case {
            name: "unknown key",
            yaml: "waivers:
  - requirement: card-reader
    reson: 讀卡機採購中
",
            counting: &[],
            waived: 0,
            error: Some(("reson", 3)),
        },
    ];
    for case in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = copy_sample(dir.path());
        std::fs::write(path.join("waivers.yaml"), case.yaml).unwrap();
        let s = check(&path, &options());
        if let Some((part, line)) = case.error {
            assert_eq!(s.verdict, Verdict::Error, "{}", case.name);
            let error = &s.errors[0];
            assert!(
                error.message.en.contains(part),
                "{}: {}",
                case.name,
                error.message.en
            );
            let location = error.location.as_ref().expect("the error has a place");
            assert_eq!(location.file.name(), "waivers.yaml", "{}", case.name);
            assert_eq!(location.line_column().line, line, "{}", case.name);
            if case.name == "unknown requirement" {
                assert!(
                    error.help.as_ref().unwrap().en.contains("`card-reader`"),
                    "did you mean"
                );
            }
            continue;
        }
        let mut counting: Vec<String> = s
            .findings
            .iter()
            .filter(|f| f.counts())
            .map(|f| {
                if f.policy.starts_with("waivers/") {
                    format!("{}/{}", f.requirement, f.policy)
                } else {
                    f.policy.clone()
                }
            })
            .collect();
        counting.sort();
        let mut want: Vec<String> = case.counting.iter().map(|s| (*s).to_owned()).collect();
        want.sort();
        assert_eq!(counting, want, "{}", case.name);
        assert_eq!(s.waived(), case.waived, "{}", case.name);
        for f in s
            .findings
            .iter()
            .filter(|f| f.policy.starts_with("waivers/"))
        {
            let location = f.location.as_ref().unwrap();
            assert_eq!(location.file.name(), "waivers.yaml");
            let line = location.line_column().line;
            // expired: at expires_on (line 7); unused: at requirement (line 2).
            assert_eq!(line, if f.policy == "waivers/expired" { 7 } else { 2 });
            assert_eq!(f.severity, niacheck::catalog::Severity::Warning);
        }
    }
}

#[test]
fn a_waived_error_does_not_fail_the_submission() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_sample(dir.path());
    let all = "waivers:
  - requirement: card-reader
    reason: 讀卡機採購中
    approver: 資訊室主任
    approval_ref: 新北勞資字第1150000123號
    expires_on: 2027-01-31
  - requirement: certificate-login
    reason: 憑證換發中
    approver: 資訊室主任
    approval_ref: 新北勞資字第1150000124號
    expires_on: 2027-01-31
  - requirement: inquiry-deadline
    reason: 系統異常
    approver: 資訊室主任
    approval_ref: 新北勞資字第1150000125號
    expires_on: 2027-01-31
";
    std::fs::write(path.join("waivers.yaml"), all).unwrap();
    let report = CHECKER.check_paths(&[path], &options());
    assert_eq!(report.submissions[0].verdict, Verdict::Pass);
    assert_eq!(report.exit_status(), ExitStatus::Clean);
    assert_eq!(report.summary().waived, 3);
}

#[test]
fn a_central_waivers_file_names_its_submissions() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_sample(dir.path());
    let text = VALID.replacen(
        "  - requirement:",
        "  - submission: new-taipei-labor-affairs\n    requirement:",
        1,
    );
    let file = Arc::new(SourceFile::new("central-waivers.yaml", &text));
    let waivers = Waivers::parse(file, CHECKER.catalog(), true)
        .unwrap_or_else(|e| panic!("{}\n{text}", e.message.en));
    let mut options = options();
    options.waivers = Some(Arc::new(waivers));
    let s = check(&path, &options);
    assert_eq!(s.waived(), 1);
    // A central waiver without `submission` is an input error.
    let file = Arc::new(SourceFile::new("central-waivers.yaml", VALID));
    let error = Waivers::parse(file, CHECKER.catalog(), true).unwrap_err();
    assert!(
        error.message.en.contains("submission"),
        "{}",
        error.message.en
    );
}

#[test]
fn a_baseline_survives_rewording_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_sample(dir.path());
    let first = check(&path, &options());
    let mut baseline = Baseline::new();
    baseline.record(&first);
    let baseline = Baseline::from_json(&baseline.to_json()).unwrap();

    // Reword and reflow another part of the document, insert lines before
    // every finding, and change the configuration's layout.
    let rules = std::fs::read_to_string(path.join("rules.md")).unwrap();
    let reworded = format!(
        "前言：本規範依相關規定訂定，用以說明本局使用入出境資料之管理。\n\n{}",
        rules.replacen("。", "，並依規定辦理。", 1)
    );
    std::fs::write(path.join("rules.md"), reworded).unwrap();
    let access = std::fs::read_to_string(path.join("access.yaml")).unwrap();
    std::fs::write(path.join("access.yaml"), format!("# 註：\n\n{access}")).unwrap();

    let mut with = options();
    with.baseline = Some(Arc::new(baseline.clone()));
    let again = check(&path, &with);
    assert!(
        again.findings.is_empty(),
        "old findings came back as new: {:#?}",
        again
            .findings
            .iter()
            .map(|f| (&f.policy, &f.subject))
            .collect::<Vec<_>>()
    );
    let count = again.baseline.unwrap();
    assert_eq!(count.unchanged, first.findings.len());
    assert_eq!(count.fixed, 0);
    assert_eq!(again.verdict, Verdict::Pass);

    // Fixing one and adding one: one new finding, one fixed.
    let access = std::fs::read_to_string(path.join("access.yaml")).unwrap();
    let access = access
        .replacen("card_reader: false", "card_reader: true", 1)
        .replacen("idle_lock_minutes: 10", "idle_lock_minutes: 0", 1);
    std::fs::write(path.join("access.yaml"), access).unwrap();
    let third = check(&path, &with);
    let new: Vec<&str> = third.findings.iter().map(|f| f.policy.as_str()).collect();
    assert_eq!(new, ["leave-workstation/no-idle-lock"], "{new:?}");
    assert_eq!(third.baseline.unwrap().fixed, 1);
}
