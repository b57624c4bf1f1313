#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! `niacheck init`: the starter submission passes `check` with no finding
//! at all, for every tier and for years after it was written; every file
//! fits its schema; existing files are never overwritten.

use std::path::{Path, PathBuf};
use std::process::Command;

use niacheck::init::{self, InitOptions};
use niacheck::report::SubmissionReport;
use niacheck::{CheckOptions, Date, Lang};

/// One checker for every test of this file.
static CHECKER: std::sync::LazyLock<niacheck::Checker> =
    std::sync::LazyLock::new(|| niacheck::Checker::new().unwrap());

const TODAY: &str = "2026-11-27";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn options(agency: Option<&str>, tier: Option<&str>) -> InitOptions {
    InitOptions {
        agency: agency.map(str::to_owned),
        tier: tier.map(str::to_owned),
        today: Date::parse(TODAY).unwrap(),
    }
}

fn check(dir: &Path, as_of: &str) -> SubmissionReport {
    let options = CheckOptions::new(Date::parse(as_of).unwrap());
    let mut report = CHECKER.check_paths(&[dir.to_path_buf()], &options);
    assert_eq!(report.submissions.len(), 1);
    report.submissions.remove(0)
}

fn assert_clean(submission: &SubmissionReport, what: &str) {
    assert!(
        submission.errors.is_empty(),
        "{what}: {:#?}",
        submission.errors
    );
    let findings: Vec<String> = submission
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {}: {}",
                f.requirement,
                f.severity.as_str(),
                f.message.en
            )
        })
        .collect();
    assert!(findings.is_empty(), "{what}: {findings:#?}");
    assert_eq!(submission.verdict.as_str(), "pass", "{what}");
}

#[test]
fn the_starter_passes_with_no_finding_now_and_for_years() {
    let dir = tempfile::tempdir().unwrap();
    let written = init::init(dir.path(), &options(None, None)).unwrap();
    let names: Vec<String> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, init::FILES);
    // The certificate expires about five years after `init`.
    for as_of in [TODAY, "2028-01-01", "2031-11-25"] {
        assert_clean(&check(dir.path(), as_of), as_of);
    }
    let later = check(dir.path(), "2031-11-27");
    assert!(
        later
            .findings
            .iter()
            .all(|f| f.requirement == "citizen-certificate"),
        "only the example certificate's expiry ends the pass"
    );
    // Every requirement the agency can meet is met, not merely silent.
    for r in &check(dir.path(), TODAY).requirements {
        let entry = CHECKER.catalog().get(&r.name).unwrap();
        let agency_side =
            !entry.is_nia_side() && entry.checked_from != [niacheck::catalog::Evidence::Log];
        if agency_side {
            assert_eq!(r.status.as_str(), "met", "{}", r.name);
        }
    }
}

#[test]
fn every_tier_passes_with_the_agency_named() {
    let tiers = init::tiers();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/access.schema.json")).unwrap(),
    )
    .unwrap();
    let enum_tiers: Vec<String> = schema["$defs"]["Tier"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(tiers, enum_tiers, "data/init/init.toml lists every tier");
    for tier in &tiers {
        let dir = tempfile::tempdir().unwrap();
        init::init(dir.path(), &options(Some("臺中市政府警察局"), Some(tier))).unwrap();
        let access = std::fs::read_to_string(dir.path().join("access.yaml")).unwrap();
        assert!(access.contains(&format!("tier: {tier}\n")));
        let rules = std::fs::read_to_string(dir.path().join("rules.md")).unwrap();
        assert!(rules.starts_with("# 臺中市政府警察局使用入出境電子資料管理規範\n"));
        let submission = check(dir.path(), TODAY);
        assert_clean(&submission, tier);
        assert_eq!(submission.agency.as_deref(), Some("臺中市政府警察局"));
    }
}

#[test]
fn an_agency_name_that_yaml_would_misread_stays_text() {
    for name in ["null", "2026", "甲: 乙 #丙", "\"引號\"機關"] {
        let dir = tempfile::tempdir().unwrap();
        init::init(dir.path(), &options(Some(name), None)).unwrap();
        let submission = check(dir.path(), TODAY);
        assert_clean(&submission, name);
        assert_eq!(submission.agency.as_deref(), Some(name));
    }
    let dir = tempfile::tempdir().unwrap();
    for bad in ["", "  ", "甲\n乙"] {
        let err = init::init(dir.path(), &options(Some(bad), None)).unwrap_err();
        assert!(err.message.en.contains("agency name"), "{bad:?}");
        assert!(err.message.zh.contains("機關名稱"), "{bad:?}");
    }
    let err = init::init(dir.path(), &options(None, Some("yuann"))).unwrap_err();
    assert!(err.message.en.contains("did you mean `yuan`"));
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

#[test]
fn every_file_fits_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    init::init(dir.path(), &options(Some("高雄市稅捐稽徵處"), None)).unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/access.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let access = std::fs::read_to_string(dir.path().join("access.yaml")).unwrap();
    let value: serde_json::Value = serde_saphyr::from_str(&access).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(
        !access.contains('{'),
        "every template placeholder is filled"
    );
    // waivers.yaml is all comments: an empty YAML document, so no waiver applies.
    let waivers = std::fs::read_to_string(dir.path().join("waivers.yaml")).unwrap();
    assert!(
        waivers
            .lines()
            .all(|l| l.trim().is_empty() || l.starts_with('#'))
    );
    let parsed: Option<serde_json::Value> = serde_saphyr::from_str(&waivers).unwrap();
    assert!(
        parsed.as_ref().is_none_or(serde_json::Value::is_null),
        "{parsed:?}"
    );
    // Its commented example is the SPEC's waiver format once uncommented.
    let example: String = waivers
        .lines()
        .filter_map(|l| l.strip_prefix("# "))
        .skip_while(|l| !l.starts_with("waivers:"))
        .map(|l| format!("{l}\n"))
        .collect();
    let example: serde_json::Value = serde_saphyr::from_str(&example).unwrap();
    let entry = &example["waivers"][0];
    for key in [
        "requirement",
        "subject",
        "reason",
        "approver",
        "approval_ref",
        "expires_on",
    ] {
        assert!(entry.get(key).is_some(), "{key}");
    }
    assert!(
        CHECKER
            .catalog()
            .get(entry["requirement"].as_str().unwrap())
            .is_some()
    );
}

#[test]
fn the_schema_line_names_the_schema_only_where_there_is_one() {
    // Outside any tree holding schemas/access.schema.json: a hint, not a broken path.
    let bare = tempfile::tempdir().unwrap();
    init::init(bare.path(), &options(None, None)).unwrap();
    let access = std::fs::read_to_string(bare.path().join("access.yaml")).unwrap();
    assert!(!access.starts_with("# yaml-language-server: $schema="));
    assert!(
        access
            .lines()
            .take(2)
            .any(|l| l.contains("schemas/access.schema.json"))
    );
    // Inside a repository that keeps the schema: the path from the submission.
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(repo.path().join("schemas")).unwrap();
    std::fs::copy(
        root().join("schemas/access.schema.json"),
        repo.path().join("schemas/access.schema.json"),
    )
    .unwrap();
    let dir = repo.path().join("submissions").join("taichung-police");
    init::init(&dir, &options(None, None)).unwrap();
    let access = std::fs::read_to_string(dir.join("access.yaml")).unwrap();
    assert!(
        access.starts_with("# yaml-language-server: $schema=../../schemas/access.schema.json\n"),
        "{}",
        access.lines().next().unwrap_or_default()
    );
    assert_clean(&check(&dir, TODAY), "inside a repository");
}

#[test]
fn existing_files_are_never_overwritten() {
    for existing in init::FILES {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(existing);
        std::fs::write(&path, "mine\n").unwrap();
        let err = init::init(dir.path(), &options(None, None)).unwrap_err();
        let shown = path.display().to_string();
        assert!(err.message.zh.contains(&shown) && err.message.zh.contains("覆寫"));
        assert!(err.message.en.contains(&shown) && err.message.en.contains("overwrite"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine\n");
        let files: Vec<PathBuf> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files, [path], "nothing else is written");
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let err = init::init(&file, &options(None, None)).unwrap_err();
    assert!(err.message.en.contains("not a folder"));
}

/// The binary end to end: `init` then `check` exits 0; a second `init`
/// exits 2 naming the file, in the language asked for.
#[test]
fn the_binary_inits_then_checks_clean_and_refuses_a_second_init() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("my-agency");
    let run = |args: &[&str], lang: Lang| {
        Command::new(env!("CARGO_BIN_EXE_niacheck"))
            .args(args)
            .env("NIACHECK_LANG", lang.as_str())
            .output()
            .unwrap()
    };
    let sub_arg = sub.to_str().unwrap();
    let first = run(
        &[
            "init",
            sub_arg,
            "--agency",
            "新竹市政府警察局",
            "--tier",
            "municipal-subordinate",
        ],
        Lang::ZhTw,
    );
    assert_eq!(first.status.code(), Some(0), "{first:?}");
    assert!(
        String::from_utf8(first.stdout)
            .unwrap()
            .contains("niacheck check")
    );
    let checked = run(&["check", sub_arg, "--format", "json"], Lang::En);
    assert_eq!(checked.status.code(), Some(0), "{checked:?}");
    let report: serde_json::Value = serde_json::from_slice(&checked.stdout).unwrap();
    assert_eq!(report["submissions"][0]["findings"], serde_json::json!([]));
    assert_eq!(report["submissions"][0]["agency"], "新竹市政府警察局");
    for (lang, words) in [
        (Lang::ZhTw, "拒絕覆寫"),
        (Lang::En, "refusing to overwrite"),
    ] {
        let again = run(&["init", sub_arg], lang);
        assert_eq!(again.status.code(), Some(2));
        let stderr = String::from_utf8(again.stderr).unwrap();
        assert!(
            stderr.contains(words) && stderr.contains("rules.md"),
            "{stderr}"
        );
    }
    let bad_tier = run(&["init", sub_arg, "--tier", "city"], Lang::En);
    assert_eq!(bad_tier.status.code(), Some(2));
}
