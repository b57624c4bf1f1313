#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! The usage-log replay over its fixtures: `policies/usage-log/fixtures/logs/`
//! holds `access.yaml` (the configuration every log there is replayed
//! against) and `pass-*.csv` (no finding, no error), `fail-*.csv` (findings
//! at the log's rows, no error), `bad-*.csv` (rows or a file that cannot be
//! read) and `big5-*.csv`. Each fixture is one trial; the rendered
//! diagnostics and summary of every non-passing one (zh-TW and en, personal
//! data masked) are a reviewed snapshot. Also: the decision cache changes
//! nothing (cached == uncached over the fixtures and a generated log), the
//! places are right in a file with a BOM and CRLF, and the requirement stays
//! `not-checked` without a log. Dates are judged as of 2026-11-27.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use libtest_mimic::{Arguments, Trial};

use niacheck::catalog::Version;
use niacheck::diagnostic::{Style, render_error, render_finding};
use niacheck::extract::{config, document};
use niacheck::findings::Submitted;
use niacheck::privacy::Masker;
use niacheck::render::{self, Format, RenderOptions};
use niacheck::replay::{self, Replayed};
use niacheck::report::{Report, Run, Status};
use niacheck::source::SourceFile;
use niacheck::{CheckOptions, Checker, Date, Lang};

static CHECKER: LazyLock<Checker> = LazyLock::new(|| match Checker::new() {
    Ok(c) => c,
    Err(e) => panic!("{e}"),
});

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn logs_dir() -> PathBuf {
    root().join("policies/usage-log/fixtures/logs")
}

fn as_of() -> Date {
    Date::parse("2026-11-27").unwrap()
}

/// The configuration and rules the fixtures are replayed against.
struct Base {
    config: config::AccessConfig,
    access: Arc<SourceFile>,
    rules: Arc<SourceFile>,
    facts: document::DocumentFacts,
    personal: Vec<String>,
}

static BASE: LazyLock<Base> = LazyLock::new(|| {
    let access_text = fs::read_to_string(logs_dir().join("access.yaml")).unwrap();
    let rules_text =
        fs::read_to_string(root().join("agency-rules/taipei-city-police/rules.md")).unwrap();
    let access = Arc::new(SourceFile::new("access.yaml", &access_text));
    let config = config::parse(access.text()).unwrap();
    let rules = Arc::new(SourceFile::new("rules.md", &rules_text));
    let facts = document::extract(rules.text(), CHECKER.vocabulary(), CHECKER.laws());
    let personal = config
        .users
        .iter()
        .filter_map(|u| u.value().personnel_id.get().cloned())
        .collect();
    Base {
        config,
        access,
        rules,
        facts,
        personal,
    }
});

fn replay_file(path: &Path, cached: bool) -> Replayed {
    let base = &*BASE;
    let submitted = Submitted {
        config: &base.config,
        access: &base.access,
        facts: &base.facts,
        rules: &base.rules,
    };
    replay::replay(
        &CHECKER,
        Version::Amended,
        as_of(),
        &submitted,
        path,
        cached,
    )
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every finding, error and the summary, as a person reads them.
fn render(name: &str, replayed: &Replayed) -> String {
    let style = Style {
        color: false,
        width: 100,
    };
    let mut personal = BASE.personal.clone();
    personal.extend(replayed.personal.iter().cloned());
    personal.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    personal.dedup();
    let masker = Masker {
        show: false,
        values: &personal,
    };
    let submission = "policies/usage-log/fixtures/logs";
    let mut out = String::new();
    for lang in [Lang::ZhTw, Lang::En] {
        for error in &replayed.errors {
            out.push_str(&render_error(masker, submission, error, lang, style));
            out.push('\n');
        }
        for finding in &replayed.findings {
            out.push_str(&render_finding(masker, submission, finding, lang, style));
            out.push('\n');
        }
    }
    if let Some(summary) = &replayed.summary {
        let _ = writeln!(out, "{name}: {summary:#?}");
    }
    out
}

/// The policy each fail fixture is about: it must be among its findings.
const EXPECTED: &[(&str, &str)] = &[
    ("fail-retention-short", "usage-log/retention-short"),
    ("fail-no-records", "usage-log/no-records"),
    ("fail-missing-fields", "usage-log/no-content"),
    (
        "fail-unregistered",
        "personnel-register/access-unregistered",
    ),
    (
        "fail-before-approval",
        "application-routing/access-before-approval",
    ),
    (
        "fail-after-account-ended",
        "account-termination/access-after-account-ended",
    ),
    (
        "fail-after-status-change",
        "account-termination/access-after-status-change",
    ),
    (
        "fail-certificate-expired",
        "citizen-certificate/access-certificate-expired",
    ),
    (
        "fail-certificate-lost",
        "lost-certificate-notice/access-after-loss",
    ),
    (
        "fail-no-certificate",
        "citizen-certificate/access-without-certificate",
    ),
    (
        "fail-function-not-granted",
        "function-scope/access-function-not-granted",
    ),
    (
        "fail-beyond-application",
        "function-scope/access-beyond-application",
    ),
    (
        "fail-protected-person",
        "protected-persons/access-protected-person",
    ),
    ("big5-clean", "function-scope/access-function-not-granted"),
];

fn fixtures() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(logs_dir())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    names.sort();
    names
}

fn check_fixture(name: &str) {
    let replayed = replay_file(&logs_dir().join(name), true);
    let stem = name.trim_end_matches(".csv");
    let policies: BTreeSet<&str> = replayed
        .findings
        .iter()
        .map(|f| f.policy.as_str())
        .collect();
    for finding in &replayed.findings {
        let file = finding.location.as_ref().map(|l| l.file.name());
        assert_eq!(file, Some("usage-log.csv"), "{name}: {}", finding.policy);
    }
    if stem.starts_with("pass-") {
        assert!(
            replayed.findings.is_empty() && replayed.errors.is_empty(),
            "{name} should pass: {policies:?} {:?}",
            replayed
                .errors
                .iter()
                .map(|e| &e.message.en)
                .collect::<Vec<_>>()
        );
        assert!(replayed.summary.is_some());
        return;
    }
    if stem.starts_with("fail-") || stem == "big5-clean" {
        assert!(
            replayed.errors.is_empty(),
            "{name}: {:?}",
            replayed.errors[0].message.en
        );
        assert!(!replayed.findings.is_empty(), "{name} should fail");
    } else {
        assert!(!replayed.errors.is_empty(), "{name} should have errors");
    }
    if let Some((_, policy)) = EXPECTED.iter().find(|(n, _)| *n == stem) {
        assert!(
            policies.contains(policy),
            "{name} should give {policy}, got {policies:?}"
        );
    }
    insta::assert_snapshot!(stem.to_owned(), render(stem, &replayed));
}

/// What a replay reports, as comparable data.
fn outcome(replayed: &Replayed) -> (Vec<String>, Vec<String>, String) {
    let findings = replayed
        .findings
        .iter()
        .map(|f| {
            let lc = f
                .location
                .as_ref()
                .map(|l| (l.line_column(), l.file_offsets()));
            format!("{} {lc:?} {:?} {}", f.policy, f.subject, f.message.en)
        })
        .collect();
    let errors = replayed
        .errors
        .iter()
        .map(|e| {
            let lc = e.location.as_ref().map(|l| l.line_column());
            format!("{lc:?} {}", e.message.en)
        })
        .collect();
    (findings, errors, format!("{:?}", replayed.summary))
}

/// A deterministic log of `rows` records over the fixture configuration's
/// users (registered or not, in and out of their functions and dates).
fn generated_log(rows: usize) -> String {
    let users = [
        "TP-0001", "TP-0002", "TP-0003", "TP-0004", "TP-0005", "TP-0006", "TP-0007", "TP-0008",
        "TP-0099",
    ];
    let functions = [
        "entry-exit-records",
        "entry-exit-certificate",
        "foreign-resident-records",
    ];
    let results = ["success", "success", "success", "denied", "error"];
    let mut out = String::from("user,time,type,content,result\n");
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let start = jiff::Timestamp::from_second(1_710_892_800).unwrap(); // 2024-03-20T00:00Z
    for i in 0..rows {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let pick = |n: usize, shift: u32| ((state >> shift) as usize) % n;
        let second = i64::try_from(i).unwrap() * 2_700 + i64::try_from(pick(600, 3)).unwrap();
        let time = start
            .checked_add(jiff::SignedDuration::from_secs(second))
            .unwrap();
        let content = if pick(50, 11) == 0 {
            "查詢重要及特定人員"
        } else {
            "案件查詢"
        };
        let _ = writeln!(
            out,
            "{},{},{},{content},{}",
            users[pick(users.len(), 5)],
            time.display_with_offset(jiff::tz::Offset::constant(8)),
            functions[pick(functions.len(), 17)],
            results[pick(results.len(), 23)],
        );
    }
    out
}

fn cache_changes_nothing() {
    let mut compared = 0;
    for name in fixtures() {
        let path = logs_dir().join(&name);
        assert_eq!(
            outcome(&replay_file(&path, true)),
            outcome(&replay_file(&path, false)),
            "{name}"
        );
        compared += 1;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("usage-log.csv");
    fs::write(&path, generated_log(20_000)).unwrap();
    let cached = replay_file(&path, true);
    let uncached = replay_file(&path, false);
    assert!(
        cached.evaluated < uncached.evaluated / 2,
        "the cache is used"
    );
    assert!(!cached.findings.is_empty());
    assert_eq!(outcome(&cached), outcome(&uncached));
    // Reported in the report's order: by requirement, then by line.
    let mut findings = cached.findings.clone();
    niacheck::findings::sort(CHECKER.catalog(), &mut findings);
    for pair in findings.windows(2) {
        let line = |f: &niacheck::report::Finding| f.location.as_ref().unwrap().line_column().line;
        if pair[0].requirement == pair[1].requirement {
            assert!(
                line(&pair[0]) <= line(&pair[1]),
                "{} then {}",
                line(&pair[0]),
                line(&pair[1])
            );
        }
    }
    assert!(compared > 15);
}

/// Line, column and byte offsets in a file with a BOM and CRLF line ends
/// point at the row's real bytes.
fn places_count_bom_and_crlf() {
    let name = "bad-crlf-bom-rows.csv";
    let bytes = fs::read(logs_dir().join(name)).unwrap();
    let replayed = replay_file(&logs_dir().join(name), true);
    let error = &replayed.errors[0];
    let location = error.location.as_ref().unwrap();
    let lc = location.line_column();
    assert_eq!((lc.line, lc.column), (3, 35));
    let (start, end) = location.file_offsets();
    assert_eq!(&bytes[start..end], b"entry-exit-recrods");
    // A multi-line quoted content keeps the next rows' lines right.
    let summary = replay_file(&logs_dir().join("pass-bom-crlf.csv"), true)
        .summary
        .unwrap();
    assert_eq!((summary.records, summary.successes), (2, 2));
}

fn not_checked_without_a_log_and_judged_with_one() {
    let dir = tempfile::tempdir().unwrap();
    let submission = dir.path().join("agency");
    fs::create_dir(&submission).unwrap();
    for file in ["access.yaml", "rules.md"] {
        fs::copy(
            root().join("agency-rules/taipei-city-police").join(file),
            submission.join(file),
        )
        .unwrap();
    }
    let options = CheckOptions::new(as_of());
    let status = |report: &niacheck::report::SubmissionReport| {
        report
            .requirements
            .iter()
            .find(|r| r.name == "usage-log")
            .unwrap()
            .status
    };
    let without = CHECKER.check_submission(&submission, &options);
    assert_eq!(status(&without), Status::NotChecked);
    assert!(without.usage_log.is_none());
    fs::write(
        submission.join("usage-log.csv"),
        "user,time,type,content,result\n\
         TP-0001,2024-03-20T09:30:00+08:00,entry-exit-records,案件查詢,success\n\
         TP-0003,2025-07-10T10:00:00+08:00,foreign-resident-records,居留查詢,success\n",
    )
    .unwrap();
    let with = CHECKER.check_submission(&submission, &options);
    assert_eq!(status(&with), Status::Met);
    assert_eq!(with.verdict.as_str(), "pass");
    fs::copy(
        logs_dir().join("fail-unregistered.csv"),
        submission.join("usage-log.csv"),
    )
    .unwrap();
    let failing = CHECKER.check_submission(&submission, &options);
    assert_eq!(failing.verdict.as_str(), "fail");
    // The JSON report fits its schema, and no personnel number is shown.
    let report = Report {
        run: Run {
            regulation: Version::Amended,
            as_of: as_of(),
            show_personal_data: false,
        },
        submissions: vec![failing],
    };
    let options = RenderOptions::new(Lang::En);
    let json = render::render_to_string(Format::Json, &report, options);
    assert!(
        !json.contains("TP-0099") && !json.contains("TP-0001"),
        "{json}"
    );
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(root().join("schemas/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let log = &value["submissions"][0]["usage_log"];
    assert_eq!(log["denials"][0]["name"], "personnel-register");
    let human = render::render_to_string(Format::Human, &report, options);
    assert!(human.contains("usage log: 2 records read"), "{human}");
    assert!(!human.contains("TP-0099"), "{human}");
}

/// `authorize` asks the same policies: allowed, and each denial reason.
fn authorize_uses_the_same_policies() {
    let base = &*BASE;
    let submitted = Submitted {
        config: &base.config,
        access: &base.access,
        facts: &base.facts,
        rules: &base.rules,
    };
    let ask = |user: &str, function: &str, at: &str| {
        let at = niacheck::extract::log::parse_time(at).unwrap();
        let d =
            replay::authorize(&CHECKER, Version::Amended, &submitted, user, function, at).unwrap();
        d.denials
            .iter()
            .map(|f| f.policy.clone())
            .collect::<Vec<_>>()
    };
    let day = "2025-07-10T10:00:00+08:00";
    assert!(ask("TP-0001", "entry-exit-records", day).is_empty());
    for (user, function, at, policy) in [
        (
            "TP-0099",
            "entry-exit-records",
            day,
            "personnel-register/access-unregistered",
        ),
        (
            "TP-0001",
            "entry-exit-records",
            "2024-03-19T23:59:59+08:00",
            "application-routing/access-before-approval",
        ),
        (
            "TP-0005",
            "entry-exit-records",
            "2025-07-04T00:00:00+08:00",
            "account-termination/access-after-account-ended",
        ),
        (
            "TP-0005",
            "entry-exit-records",
            "2025-07-01T00:00:00+08:00",
            "account-termination/access-after-status-change",
        ),
        (
            "TP-0006",
            "entry-exit-records",
            "2025-04-01T00:00:00+08:00",
            "citizen-certificate/access-certificate-expired",
        ),
        (
            "TP-0007",
            "entry-exit-records",
            "2025-05-02T00:00:00+08:00",
            "lost-certificate-notice/access-after-loss",
        ),
        (
            "TP-0008",
            "entry-exit-records",
            day,
            "citizen-certificate/access-without-certificate",
        ),
        (
            "TP-0002",
            "entry-exit-certificate",
            day,
            "function-scope/access-function-not-granted",
        ),
        (
            "TP-0003",
            "foreign-resident-records",
            day,
            "function-scope/access-beyond-application",
        ),
    ] {
        let denied = ask(user, function, at);
        assert!(
            denied.iter().any(|p| p == policy),
            "{user} {function} {at}: {denied:?}"
        );
    }
    // The day is the Taiwan day: 2025-03-31T16:30Z is 2025-04-01 in Taipei.
    assert_eq!(
        ask("TP-0006", "entry-exit-records", "2025-03-31T16:30:00Z"),
        ["citizen-certificate/access-certificate-expired"]
    );
    assert!(ask("TP-0006", "entry-exit-records", "2025-03-31T15:30:00Z").is_empty());
}

/// The command itself: exit 0 allow, 1 deny, 2 unknown function; the JSON
/// fits its schema and masks the personnel number.
fn authorize_command() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_niacheck"))
            .current_dir(root())
            .args(["authorize", "agency-rules/taipei-city-police"])
            .args(args)
            .output()
            .unwrap()
    };
    let allow = run(&[
        "--user",
        "TP-0001",
        "--function",
        "entry-exit-records",
        "--at",
        "2025-07-10",
    ]);
    assert_eq!(allow.status.code(), Some(0));
    let deny = run(&[
        "--user",
        "TP-0002",
        "--function",
        "foreign-resident-records",
        "--at",
        "2024-03-01T10:00:00+08:00",
        "--format",
        "json",
        "--lang",
        "en",
    ]);
    assert_eq!(deny.status.code(), Some(1));
    let text = String::from_utf8(deny.stdout).unwrap();
    assert!(!text.contains("TP-0002"), "{text}");
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(root().join("schemas/authorize.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(value["decision"], "deny");
    let names: Vec<&str> = value["denials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["application-routing", "function-scope"]);
    let unknown = run(&["--user", "TP-0001", "--function", "entry-exit-recrods"]);
    assert_eq!(unknown.status.code(), Some(2));
}

/// Past `MAX_ROW_ERRORS` unreadable rows, one more error counts the rest;
/// the summary counts them all, and the good rows are still judged.
fn many_bad_rows_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("usage-log.csv");
    let mut text = String::from("user,time,type,content,result\n");
    text.push_str("TP-0099,2025-07-10T10:00:00+08:00,entry-exit-records,查詢,success\n");
    for _ in 0..250 {
        text.push_str("TP-0001,yesterday,entry-exit-records,查詢,success\n");
    }
    fs::write(&path, text).unwrap();
    let replayed = replay_file(&path, true);
    assert_eq!(replayed.errors.len(), replay::MAX_ROW_ERRORS + 1);
    assert!(
        replayed
            .errors
            .last()
            .unwrap()
            .message
            .en
            .starts_with("50 more rows")
    );
    let summary = replayed.summary.unwrap();
    assert_eq!((summary.records, summary.malformed), (251, 250));
    assert!(
        replayed
            .findings
            .iter()
            .any(|f| f.policy == "personnel-register/access-unregistered")
    );
}

fn main() -> std::process::ExitCode {
    let args = Arguments::from_args();
    let mut trials: Vec<Trial> = fixtures()
        .into_iter()
        .map(|name| {
            Trial::test(format!("fixture/{name}"), move || {
                check_fixture(&name);
                Ok(())
            })
        })
        .collect();
    let every_reason_has_a_fixture = || {
        let names = fixtures();
        for (stem, _) in EXPECTED {
            assert!(names.contains(&format!("{stem}.csv")), "no fixture {stem}");
        }
        Ok(())
    };
    trials.push(Trial::test(
        "every-denial-reason-has-a-fixture",
        every_reason_has_a_fixture,
    ));
    trials.push(Trial::test("cache-changes-nothing", || {
        cache_changes_nothing();
        Ok(())
    }));
    trials.push(Trial::test("places-count-bom-and-crlf", || {
        places_count_bom_and_crlf();
        Ok(())
    }));
    trials.push(Trial::test(
        "not-checked-without-a-log-and-judged-with-one",
        || {
            not_checked_without_a_log_and_judged_with_one();
            Ok(())
        },
    ));
    trials.push(Trial::test("authorize-uses-the-same-policies", || {
        authorize_uses_the_same_policies();
        Ok(())
    }));
    trials.push(Trial::test("many-bad-rows-are-counted", || {
        many_bad_rows_are_counted();
        Ok(())
    }));
    trials.push(Trial::test("authorize-command", || {
        authorize_command();
        Ok(())
    }));
    libtest_mimic::run(&args, trials).exit_code()
}
