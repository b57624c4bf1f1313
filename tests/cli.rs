#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! The `niacheck` binary end to end: the sample agencies get the verdicts
//! their README states, the JSON validates against its schema and is
//! byte-identical across runs, and exit codes follow the specification.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output};

use niacheck::catalog::Version;
use niacheck::render::{self, Format, RenderOptions};
use niacheck::{CheckOptions, Date, Lang};
use serde_json::Value;

/// One checker for every test of this file.
static CHECKER: std::sync::LazyLock<niacheck::Checker> =
    std::sync::LazyLock::new(|| niacheck::Checker::new().unwrap());

const AS_OF: &str = "2026-11-27";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn niacheck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_niacheck"))
        .args(args)
        .current_dir(root())
        .env_remove("NIACHECK_LANG")
        .output()
        .expect("niacheck runs")
}

/// The JSON report of a check run through the library (no process), as the
/// binary writes it: most tests need the report, not the process.
fn check_json(paths: &[&str], regulation: Option<Version>, jobs: usize) -> (Value, u8) {
    let text = check_text(paths, regulation, jobs, Format::Json, Lang::ZhTw);
    (serde_json::from_str(&text.0).unwrap(), text.1)
}

/// A check's report in `format` and its exit code, through the library.
fn check_text(
    paths: &[&str],
    regulation: Option<Version>,
    jobs: usize,
    format: Format,
    lang: Lang,
) -> (String, u8) {
    let paths: Vec<std::path::PathBuf> = paths.iter().map(Into::into).collect();
    let options = CheckOptions {
        regulation,
        jobs,
        ..CheckOptions::new(Date::parse(AS_OF).unwrap())
    };
    let report = CHECKER.check_paths(&paths, &options);
    let render = RenderOptions::new(lang);
    (
        render::render_to_string(format, &report, render),
        report.exit_code(),
    )
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

fn validate_report(report: &Value) {
    validate(report, "schemas/report.schema.json");
}

/// `instance` is valid against the JSON Schema at `schema` (relative to the crate).
fn validate(report: &Value, schema: &str) {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join(schema)).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "report does not match its schema:\n{}",
        errors.join("\n")
    );
}

/// One row of the table in agency-rules/README.md.
struct Expected {
    verdict_amended: &'static str,
    verdict_own: &'static str,
    reported: BTreeSet<String>,
}

/// Read the sample table of agency-rules/README.md.
fn expected() -> BTreeMap<String, Expected> {
    let readme = std::fs::read_to_string(root().join("agency-rules/README.md")).unwrap();
    let section = readme
        .split("\n## ")
        .find(|s| s.starts_with("Samples"))
        .expect("agency-rules/README.md has a Samples section")
        .replace("\\|", "¦");
    let mut rows = BTreeMap::new();
    for line in section.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // | folder | agency | style | verdict | requirements | why |
        if cells.len() < 7 || !cells[1].starts_with('`') {
            continue;
        }
        let folder = cells[1].trim_matches('`').to_owned();
        let verdict = cells[4].to_lowercase();
        let (verdict_amended, verdict_own) = if verdict.contains("fail under amended") {
            ("fail", "pass")
        } else if verdict.contains("**pass**") {
            ("pass", "pass")
        } else if verdict.contains("**fail**") {
            ("fail", "fail")
        } else {
            panic!("unreadable verdict for {folder}: {verdict}");
        };
        let reported = cells[5]
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect();
        rows.insert(
            folder,
            Expected {
                verdict_amended,
                verdict_own,
                reported,
            },
        );
    }
    assert!(rows.len() >= 8, "the README lists {} samples", rows.len());
    rows
}

fn by_folder(report: &Value) -> BTreeMap<String, Value> {
    report["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let path = s["path"].as_str().unwrap();
            let folder = path.rsplit('/').next().unwrap().to_owned();
            (folder, s.clone())
        })
        .collect()
}

#[test]
fn samples_get_the_verdicts_their_readme_states() {
    let expected = expected();
    let amended = check_json(&["agency-rules"], Some(Version::Amended), 2);
    let own = check_json(&["agency-rules"], None, 2);
    for ((report, code), amended_run) in [(amended, true), (own, false)] {
        assert_eq!(code, 1, "some samples fail on purpose");
        validate_report(&report);
        let got = by_folder(&report);
        assert_eq!(
            got.keys().collect::<BTreeSet<_>>(),
            expected.keys().collect::<BTreeSet<_>>(),
            "every sample folder is in the README and the other way round"
        );
        for (folder, want) in &expected {
            let submission = &got[folder];
            let verdict = if amended_run {
                want.verdict_amended
            } else {
                want.verdict_own
            };
            assert_eq!(
                submission["verdict"], verdict,
                "{folder} (amended run: {amended_run})"
            );
            if verdict == "fail" {
                // Every requirement the README names that is enforced today is
                // a gap, and every gap is named in the README.
                let gaps: BTreeSet<String> = submission["requirements"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|r| r["status"] == "gap")
                    .map(|r| r["name"].as_str().unwrap().to_owned())
                    .collect();
                let checked: BTreeSet<String> = submission["requirements"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|r| r["status"] != "not-checked")
                    .map(|r| r["name"].as_str().unwrap().to_owned())
                    .collect();
                let want_gaps: BTreeSet<String> =
                    want.reported.intersection(&checked).cloned().collect();
                assert_eq!(gaps, want_gaps, "{folder}: gaps");
            }
        }
    }
}

#[test]
fn json_is_byte_identical_across_runs_and_worker_counts() {
    let args = [
        "check",
        "agency-rules",
        "--format",
        "json",
        "--as-of",
        AS_OF,
    ];
    // The binary writes what the library renders, with any worker count.
    let binary = niacheck(&args);
    let first = check_text(&["agency-rules"], None, 4, Format::Json, Lang::ZhTw);
    let second = check_text(&["agency-rules"], None, 4, Format::Json, Lang::ZhTw);
    let one_worker = check_text(&["agency-rules"], None, 1, Format::Json, Lang::ZhTw);
    assert!(!first.0.is_empty());
    assert_eq!(String::from_utf8(binary.stdout).unwrap(), first.0);
    assert_eq!(first, second);
    assert_eq!(first, one_worker);
}

#[test]
fn every_requirement_appears_once_per_submission() {
    let (report, _) = check_json(&["agency-rules"], None, 2);
    let catalog = std::fs::read_to_string(root().join("policies/catalog.toml")).unwrap();
    let names: Vec<&str> = catalog
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .map(|l| l.trim_end_matches('"'))
        .collect();
    assert_eq!(names.len(), 30);
    for submission in report["submissions"].as_array().unwrap() {
        let listed: Vec<&str> = submission["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        assert_eq!(listed, names, "{}", submission["path"]);
    }
}

#[test]
fn versions_differ_where_the_regulation_does() {
    let run = |version: Version| {
        check_json(&["agency-rules/executive-yuan-archives"], Some(version), 1).0
    };
    let status = |report: &Value, name: &str| {
        report["submissions"][0]["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .map(|r| (r["cite"].clone(), r["status"].as_str().unwrap().to_owned()))
            .unwrap()
    };
    let (amended, previous) = (run(Version::Amended), run(Version::Previous));
    assert_eq!(status(&amended, "superseded-law").1, "gap");
    assert_eq!(
        status(&previous, "superseded-law"),
        (Value::Null, "not-applicable".to_owned())
    );
    assert_eq!(status(&previous, "fax-inquiry-form").1, "not-applicable");
    assert_eq!(status(&amended, "lost-certificate-notice").0, "6.7");
    assert_eq!(status(&previous, "lost-certificate-notice").0, "6.6");
    assert_eq!(status(&previous, "pdpa-liability").1, "met");
    assert_eq!(status(&amended, "pdpa-liability").1, "gap");
    assert_eq!(
        status(&amended, "permission-administration").1,
        "not-checked"
    );
    assert_eq!(amended["regulation"], "amended");
    assert_eq!(previous["submissions"][0]["regulation"], "previous");
}

#[test]
fn exit_codes_follow_the_specification() {
    let pass = niacheck(&["check", "agency-rules/taipei-city-police", "--as-of", AS_OF]);
    assert_eq!(
        pass.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&pass.stdout)
    );
    let fail = niacheck(&[
        "check",
        "agency-rules/pingtung-county-health",
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(fail.status.code(), Some(1));
    let missing = niacheck(&["check", "no-such-folder", "--as-of", AS_OF]);
    assert_eq!(missing.status.code(), Some(2));
    let usage = niacheck(&["check", "agency-rules", "--as-of", "2026-13-01"]);
    assert_eq!(usage.status.code(), Some(2));
    let usage = niacheck(&["check", "agency-rules", "--regulation", "latest"]);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn human_output_is_chinese_by_default_and_english_on_request() {
    let args = [
        "check",
        "agency-rules/pingtung-county-health",
        "--as-of",
        AS_OF,
    ];
    let lib = |lang| {
        check_text(
            &["agency-rules/pingtung-county-health"],
            None,
            1,
            Format::Human,
            lang,
        )
        .0
    };
    let zh = lib(Lang::ZhTw);
    assert!(zh.contains("未通過"), "{zh}");
    assert!(
        zh.contains("agency-rules/pingtung-county-health/rules.md:37:6"),
        "{zh}"
    );
    assert!(zh.contains("post-use-disposal (7.6)"), "{zh}");
    let en = lib(Lang::En);
    assert!(en.contains("nothing is written under"), "{en}");
    let env = Command::new(env!("CARGO_BIN_EXE_niacheck"))
        .args(args)
        .current_dir(root())
        .env("NIACHECK_LANG", "en")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(env.stdout).unwrap(), en);

    // `--quiet`: the summary line only, the exit code unchanged.
    let quiet = niacheck(&[&args[..], &["--quiet", "--lang", "en"]].concat());
    assert_eq!(quiet.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(quiet.stdout).unwrap(),
        "1 submission checked: 0 pass, 1 fail, 0 error (as of 2026-11-27)\n"
    );
}

#[test]
fn output_file_receives_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    let status = niacheck(&[
        "check",
        "agency-rules/taipei-city-police",
        "--format",
        "json",
        "--as-of",
        AS_OF,
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(status.status.code(), Some(0));
    assert!(status.stdout.is_empty());
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(report["summary"]["pass"], 1);
}

#[test]
fn crlf_and_bom_locations_count_characters_and_file_bytes() {
    let (report, _) = check_json(&["agency-rules/yilan-county-land-office"], None, 1);
    let text =
        std::fs::read(root().join("agency-rules/yilan-county-land-office/rules.md")).unwrap();
    for finding in report["submissions"][0]["findings"].as_array().unwrap() {
        let (Some(start), Some(end)) = (finding["start"].as_u64(), finding["end"].as_u64()) else {
            continue;
        };
        let slice = std::str::from_utf8(&text[start as usize..end as usize]).unwrap();
        assert!(!slice.is_empty());
        let before = std::str::from_utf8(&text[..start as usize]).unwrap();
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
        assert_eq!(finding["line"].as_u64(), Some(line as u64));
        assert_eq!(finding["column"].as_u64(), Some(column as u64));
    }
}

#[test]
fn explain_shows_the_catalogue_and_one_requirement() {
    let all = niacheck(&["explain", "--lang", "en"]);
    assert_eq!(all.status.code(), Some(0));
    let all = String::from_utf8(all.stdout).unwrap();
    assert_eq!(
        all.lines()
            .filter(|l| l.contains(" error ") || l.contains(" warning ") || l.contains(" info "))
            .count(),
        30
    );
    // Every requirement the agency answers for is enforced (usage-log since
    // the usage-log replay); NIA's own duties are marked so.
    assert!(all.contains("superseded-law") && all.contains(" nia-side "));
    assert!(
        all.lines()
            .any(|l| l.starts_with("usage-log ") && l.contains(" enforced ")),
        "{all}"
    );
    let one = niacheck(&["explain", "pdpa-liability"]);
    assert_eq!(one.status.code(), Some(0));
    let one = String::from_utf8(one.stdout).unwrap();
    assert!(one.starts_with("# pdpa-liability"));
    assert!(
        one.contains("policies/pdpa-liability/amended.cedar")
            && one.contains("policies/pdpa-liability/previous.cedar")
    );
    let typo = niacheck(&["explain", "pdpa-liablity"]);
    assert_eq!(typo.status.code(), Some(2));
    let said = String::from_utf8(typo.stderr).unwrap();
    assert!(said.contains("是否為 `pdpa-liability`"), "{said}");
    let typo = niacheck(&["explain", "pdpa-liablity", "--lang", "en"]);
    assert_eq!(typo.status.code(), Some(2));
    let said = String::from_utf8(typo.stderr).unwrap();
    assert!(said.contains("did you mean `pdpa-liability`"), "{said}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Each sample's rules.md as committed and as in `copy`: (folder, before, after).
fn rules_before_and_after(copy: &Path) -> Vec<(String, String, String)> {
    std::fs::read_dir(root().join("agency-rules"))
        .unwrap()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let before = std::fs::read_to_string(entry.path().join("rules.md")).ok()?;
            let after = std::fs::read_to_string(copy.join(&name).join("rules.md")).unwrap();
            Some((name, before, after))
        })
        .collect()
}

/// A line with every law citation removed, to compare what is not a citation.
fn without_citations(checker: &niacheck::Checker, line: &str) -> String {
    let mut out = line.to_owned();
    for c in checker.laws().citations(line, 0).iter().rev() {
        out.replace_range(c.span.start..c.span.end, "§");
    }
    out
}

#[test]
fn fix_rewrites_only_superseded_citations_and_then_passes() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("agency-rules");
    copy_dir(&root().join("agency-rules"), &copy);
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_niacheck"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let base = [
        "check",
        "agency-rules",
        "--regulation",
        "amended",
        "--as-of",
        AS_OF,
    ];

    // --dry-run shows a diff and changes nothing.
    let dry = run(&[&base[..], &["--fix", "--dry-run"]].concat());
    assert_eq!(dry.status.code(), Some(1));
    let diff = String::from_utf8(dry.stdout).unwrap();
    assert!(diff.contains("-二、本所及使用者應嚴守公務員服務法第四條、國家機密保護法第四條、電腦處理個人資料保護法第七條、第八條及第十七條之規定。"), "{diff}");
    assert!(diff.contains("+二、本所及使用者應嚴守公務員服務法第四條、國家機密保護法第四條、個人資料保護法第十五條、第十六條及第十八條之規定。"), "{diff}");
    for (name, a, b) in rules_before_and_after(&copy) {
        assert_eq!(a, b, "--dry-run changed {name}");
    }

    // --fix rewrites the citations and nothing else.
    let fixed = run(&[&base[..], &["--fix", "--format", "json"]].concat());
    let report: Value = serde_json::from_slice(&fixed.stdout).unwrap();
    let checker = &*CHECKER;
    let mut changed_files = 0;
    for (name, before, after) in rules_before_and_after(&copy) {
        if before != after {
            changed_files += 1;
        }
        let (a, b): (Vec<&str>, Vec<&str>) = (
            before.split_inclusive('\n').collect(),
            after.split_inclusive('\n').collect(),
        );
        assert_eq!(a.len(), b.len(), "{name:?}: line count");
        for (x, y) in a.iter().zip(&b) {
            if x != y {
                assert_eq!(
                    without_citations(checker, x),
                    without_citations(checker, y),
                    "{name:?}"
                );
                assert!(!y.contains("電腦處理"), "{name:?}: {y}");
            }
        }
    }
    assert!(
        changed_files >= 2,
        "the samples citing the CPPDPA were fixed"
    );
    for submission in report["submissions"].as_array().unwrap() {
        let superseded = submission["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == "superseded-law")
            .unwrap();
        assert_eq!(superseded["status"], "met", "{}", submission["path"]);
    }
}

#[test]
fn the_same_samples_under_both_versions_side_by_side() {
    let mut table = String::from(
        "sample / requirement                               previous              amended\n",
    );
    for sample in ["executive-yuan-archives", "yilan-county-land-office"] {
        let path = format!("agency-rules/{sample}");
        let run = |version| check_json(&[path.as_str()], Some(version), 1).0;
        let (previous, amended) = (run(Version::Previous), run(Version::Amended));
        let line = |r: &Value| {
            format!(
                "{} {}",
                r["cite"].as_str().unwrap_or("—"),
                r["status"].as_str().unwrap()
            )
        };
        table.push_str(&format!(
            "{sample}: verdict {} / {}\n",
            previous["submissions"][0]["verdict"], amended["submissions"][0]["verdict"]
        ));
        let p = previous["submissions"][0]["requirements"]
            .as_array()
            .unwrap();
        let a = amended["submissions"][0]["requirements"]
            .as_array()
            .unwrap();
        for (p, a) in p.iter().zip(a) {
            table.push_str(&format!(
                "  {:<48} {:<21} {}\n",
                p["name"].as_str().unwrap(),
                line(p),
                line(a)
            ));
        }
    }
    insta::assert_snapshot!("versions_side_by_side", table);
}

#[test]
fn migrate_lists_what_must_change_for_the_amended_text() {
    let out = niacheck(&[
        "migrate",
        "agency-rules/executive-yuan-archives",
        "--format",
        "json",
        "--as-of",
        AS_OF,
        "--lang",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    validate(&report, "schemas/migrate.schema.json");
    let changes = report["migrations"][0]["changes"].as_array().unwrap();
    let names: BTreeSet<&str> = changes
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "application-routing",
            "pdpa-custody",
            "pdpa-liability",
            "statutory-duties",
            "superseded-law"
        ]
        .into_iter()
        .collect()
    );
    assert_eq!(
        changes
            .iter()
            .filter(|c| c["name"] == "superseded-law")
            .count(),
        3
    );
    let renumbered = report["renumbered"].as_array().unwrap();
    assert!(
        renumbered
            .iter()
            .any(|r| r["name"] == "lost-certificate-notice"
                && r["previous"] == "6.6"
                && r["amended"] == "6.7")
    );
    assert!(
        report["new_requirements"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "fax-inquiry-form")
    );
    // A submission already right for the amended text has nothing to change.
    let done = niacheck(&[
        "migrate",
        "agency-rules/taipei-city-police",
        "--format",
        "json",
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(done.status.code(), Some(0));
    validate(&json(&done), "schemas/migrate.schema.json");
    assert_eq!(
        json(&done)["migrations"][0]["changes"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn ci_options_reach_the_process() {
    let dir = tempfile::tempdir().unwrap();
    // --fail-on: the passing sample has a warning; the failing one errors.
    let warning = niacheck(&[
        "check",
        "agency-rules/taipei-city-police",
        "--as-of",
        AS_OF,
        "--fail-on",
        "warning",
        "--format",
        "github",
    ]);
    assert_eq!(warning.status.code(), Some(1));
    let never = niacheck(&[
        "check",
        "agency-rules/pingtung-county-health",
        "--as-of",
        AS_OF,
        "--fail-on",
        "never",
        "--format",
        "markdown",
    ]);
    assert_eq!(never.status.code(), Some(0));
    // GitHub's step summary gets the totals table.
    let summary = dir.path().join("summary.md");
    let github = Command::new(env!("CARGO_BIN_EXE_niacheck"))
        .args([
            "check",
            "agency-rules/pingtung-county-health",
            "--as-of",
            AS_OF,
        ])
        .args(["--format", "github", "--lang", "en"])
        .current_dir(root())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(github.status.code(), Some(1));
    let table = std::fs::read_to_string(&summary).unwrap();
    assert!(
        table.contains("| submissions | pass | fail | error | waived |"),
        "{table}"
    );
    assert!(table.contains("| 1 | 0 | 1 | 0 | 0 |"), "{table}");
    // A baseline written once makes the same check clean.
    let baseline = dir.path().join("baseline.json");
    let write = niacheck(&[
        "check",
        "agency-rules/pingtung-county-health",
        "--as-of",
        AS_OF,
        "--write-baseline",
        baseline.to_str().unwrap(),
    ]);
    assert_eq!(write.status.code(), Some(1));
    let again = niacheck(&[
        "check",
        "agency-rules/pingtung-county-health",
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "--baseline",
        baseline.to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(0));
    let report = json(&again);
    validate_report(&report);
    assert_eq!(report["summary"]["baseline"]["unchanged"], 3);
    assert_eq!(
        report["submissions"][0]["findings"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn a_missing_part_names_the_sentence_that_came_closest_and_what_it_lacks() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("agency-rules/kaohsiung-tax-bureau/access.yaml"),
        dir.path().join("access.yaml"),
    )
    .unwrap();
    // The cooperation clause names NIA and cooperation, but no audit.
    let rules = "一、本局每半年由政風室抽查使用紀錄一次。\n二、移民署派員到場時，本局應配合辦理，並提供相關文件。\n";
    std::fs::write(dir.path().join("rules.md"), rules).unwrap();
    let path = dir.path().to_str().unwrap();
    let (report, _) = check_json(&[path], None, 1);
    validate_report(&report);
    let findings = report["submissions"][0]["findings"].as_array().unwrap();
    let missing = findings
        .iter()
        .find(|f| f["policy"] == "audit-procedure/audit_cooperation-missing")
        .expect("audit cooperation is missing");
    let evidence = &missing["evidence"];
    assert_eq!(evidence["part"], "audit_cooperation");
    assert_eq!(evidence["closest"]["line"], 2, "{missing}");
    assert_eq!(
        evidence["lacks"],
        serde_json::json!(["audit_verb"]),
        "{missing}"
    );
    let message = missing["message"].as_str().unwrap();
    assert!(
        message.contains("最接近者為第 2 行「移民署派員到場時")
            && message.contains("缺少如「檢視」"),
        "{message}"
    );
    // The audit itself is stated: its evidence names the matched concepts.
    assert!(
        !findings
            .iter()
            .any(|f| f["policy"] == "audit-procedure/audit-missing")
    );
    // In English, the same phrase.
    let (en, _) = check_text(&[path], None, 1, Format::Json, Lang::En);
    let en: Value = serde_json::from_str(&en).unwrap();
    let message = en["submissions"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["policy"] == "audit-procedure/audit_cooperation-missing")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        message.contains("; closest: line 2 「移民署派員到場時")
            && message.contains("— lacks a word such as 「檢視」"),
        "{message}"
    );
    // A missing part with no sentence near it says nothing more.
    let phone = findings
        .iter()
        .find(|f| f["policy"] == "outage-procedure/outage_phone-missing")
        .unwrap();
    assert!(phone["evidence"].get("closest").is_none(), "{phone}");
    assert!(
        phone["message"].as_str().unwrap().ends_with("之條文"),
        "{phone}"
    );
}

/// `check --help` in each language (chosen before clap parses: `--lang`
/// or `NIACHECK_LANG`), ending with examples and the exit codes.
#[test]
fn check_help_in_both_languages() {
    let help = |args: &[&str], env: Option<&str>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_niacheck"));
        command
            .args(args)
            .current_dir(root())
            .env_remove("NIACHECK_LANG")
            .env("COLUMNS", "100");
        if let Some(lang) = env {
            command.env("NIACHECK_LANG", lang);
        }
        let output = command.output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    let zh = help(&["check", "--help"], None);
    let en = help(&["check", "--lang", "en", "--help"], None);
    assert_eq!(help(&["check", "-h"], Some("en")), en);
    assert_eq!(help(&["check", "--help", "--lang=zh-TW"], Some("en")), zh);
    assert!(zh.contains("結束碼：") && zh.contains("範例："), "{zh}");
    assert!(
        en.contains("Exit codes:") && en.contains("Examples:"),
        "{en}"
    );
    insta::assert_snapshot!("check_help_zh-TW", zh);
    insta::assert_snapshot!("check_help_en", en);
}

/// Errors of the run itself (a file that cannot be written or read, a
/// file that is no baseline, a bad option value) are in the language of
/// the run, their OS reason from the error's kind.
#[test]
fn run_errors_are_in_the_language_of_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-folder").join("report.json");
    let missing = missing.to_str().unwrap();
    let not_json = dir.path().join("baseline.json");
    std::fs::write(&not_json, "{\n  \"fingerprints\": 3\n}\n").unwrap();
    let not_json = not_json.to_str().unwrap();
    let sample = "agency-rules/taipei-city-police";
    let stderr = |args: &[&str]| {
        let out = niacheck(args);
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        String::from_utf8(out.stderr).unwrap()
    };
    let zh = stderr(&["check", sample, "-o", missing, "--as-of", AS_OF]);
    assert!(zh.contains("無法寫入 `") && zh.contains("找不到"), "{zh}");
    let en = stderr(&["check", sample, "-o", missing, "--lang", "en"]);
    assert!(
        en.contains("cannot write `") && en.contains("file not found"),
        "{en}"
    );
    let zh = stderr(&["check", sample, "--baseline", not_json]);
    assert!(zh.contains("不是 niacheck 的基準檔（第 2 行"), "{zh}");
    let en = stderr(&["check", sample, "--baseline", not_json, "--lang", "en"]);
    assert!(en.contains("is not a niacheck baseline (line 2"), "{en}");
    let zh = stderr(&["check", sample, "--baseline", "no-such-baseline.json"]);
    assert!(zh.contains("無法讀取 `no-such-baseline.json`"), "{zh}");
    let zh = stderr(&["check", sample, "--regulation", "latest"]);
    assert!(zh.contains("不是規定版本"), "{zh}");
    let en = stderr(&["check", sample, "--regulation", "latest", "--lang", "en"]);
    assert!(en.contains("is not a regulation version"), "{en}");
}
