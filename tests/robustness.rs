#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! Bad input is a feature: every unreadable submission is an error naming
//! file, line and column where there is one, exit code 2, no panic, and the
//! other submissions are still checked and reported.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// A configuration that passes every config requirement.
fn good_config() -> String {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("agency-rules/taipei-city-police/access.yaml"),
    )
    .unwrap()
}

fn sample_rules() -> String {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("agency-rules/taipei-city-police/rules.md"),
    )
    .unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

fn run(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_niacheck"))
        .args(args)
        .current_dir(cwd)
        .env_remove("NIACHECK_LANG")
        .output()
        .expect("niacheck runs")
}

fn check_json(cwd: &Path, paths: &[&str]) -> (Option<i32>, Value) {
    let mut args = vec![
        "check",
        "--format",
        "json",
        "--as-of",
        "2026-11-27",
        "--lang",
        "en",
    ];
    args.extend_from_slice(paths);
    let out = run(&args, cwd);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{stderr}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (out.status.code(), report)
}

/// One bad submission `bad` beside a good one: exit 2, the bad one is an
/// error with `message_part`, the good one still passes.
fn bad_beside_good(files: &[(&str, &[u8])], message_part: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "all/good/access.yaml", good_config().as_bytes());
    write(root, "all/good/rules.md", sample_rules().as_bytes());
    for (name, bytes) in files {
        write(root, &format!("all/bad/{name}"), bytes);
    }
    let (code, report) = check_json(root, &["all"]);
    assert_eq!(code, Some(2), "{report:#}");
    let subs = report["submissions"].as_array().unwrap();
    assert_eq!(subs.len(), 2, "{report:#}");
    assert_eq!(subs[0]["path"], "all/bad");
    assert_eq!(subs[0]["verdict"], "error");
    assert_eq!(
        subs[1]["verdict"], "pass",
        "the good submission is still checked: {report:#}"
    );
    let error = subs[0]["errors"][0].clone();
    assert!(
        error["message"].as_str().unwrap().contains(message_part),
        "expected `{message_part}` in {error:#}"
    );
    assert_eq!(subs[0]["requirements"].as_array().unwrap().len(), 30);
    error
}

#[test]
fn malformed_yaml_names_file_line_and_column() {
    let error = bad_beside_good(
        &[(
            "access.yaml",
            b"agency:\n  name: [unclosed\nrules: rules.md\n",
        )],
        "",
    );
    assert_eq!(error["file"], "access.yaml");
    assert!(error["line"].as_u64().unwrap() >= 2, "{error:#}");
    assert!(error["column"].as_u64().is_some());
}

#[test]
fn unknown_key_is_an_error_at_its_place_with_a_suggestion() {
    let error = bad_beside_good(
        &[(
            "access.yaml",
            "agency:\n  name: 機關\nrulez: rules.md\n".as_bytes(),
        )],
        "rulez",
    );
    assert_eq!(
        (error["line"].as_u64(), error["column"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(error["help"], "did you mean `rules`?");
}

#[test]
fn wrong_type_and_bad_date_are_errors_at_their_place() {
    let error = bad_beside_good(
        &[(
            "access.yaml",
            "agency:\n  name: 機關\napplication:\n  approved_on: 2024-02-30\n".as_bytes(),
        )],
        "2024-02-30",
    );
    assert_eq!(error["line"].as_u64(), Some(4));
    let error = bad_beside_good(
        &[(
            "access.yaml",
            "agency:\n  name: 機關\nworkstation:\n  idle_lock_minutes: ten\n".as_bytes(),
        )],
        "",
    );
    assert_eq!(error["line"].as_u64(), Some(4));
}

#[test]
fn empty_configuration_is_an_error() {
    bad_beside_good(&[("access.yaml", b"")], "empty");
}

#[test]
fn big5_rules_document_is_read_with_a_notice() {
    // 「管理規範」 in Big5, after two lines of ASCII.
    let big5: &[u8] = &[0xBA, 0xDE, 0xB2, 0x7A, 0xB3, 0x57, 0xBD, 0x64, b'\n'];
    let mut rules = b"# ok\n\n".to_vec();
    rules.extend_from_slice(big5);
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a/access.yaml", good_config().as_bytes());
    write(dir.path(), "a/rules.md", &rules);
    let (_, report) = check_json(dir.path(), &["a"]);
    let submission = &report["submissions"][0];
    assert!(
        submission["errors"].as_array().unwrap().is_empty(),
        "{submission:#}"
    );
    let notice = &submission["notices"][0];
    assert!(
        notice["message"]
            .as_str()
            .unwrap()
            .contains("`rules.md` is Big5-encoded"),
        "{notice:#}"
    );
    // Bytes that are neither UTF-8 nor clean Big5 are still an error.
    let mut broken = b"# ok\n\n".to_vec();
    broken.extend_from_slice(&[0xBA, 0xDE, 0xFF, 0xFF, b'\n']);
    let error = bad_beside_good(
        &[
            ("access.yaml", good_config().as_bytes()),
            ("rules.md", &broken),
        ],
        "not UTF-8",
    );
    assert_eq!(
        (error["file"].as_str(), error["line"].as_u64()),
        (Some("rules.md"), Some(3))
    );
}

#[test]
fn yaml_alias_bomb_is_refused() {
    // Ten levels of ten aliases each: 10^10 nodes if expanded.
    let mut config = String::from(
        "agency:\n  name: 機關\nprotected_person_access:\n  - &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for level in 1..10 {
        let previous = format!("*a{}", level - 1);
        config.push_str(&format!(
            "  - &a{level} [{}]\n",
            [previous.as_str(); 10].join(", ")
        ));
    }
    let error = bad_beside_good(&[("access.yaml", config.as_bytes())], "alias");
    assert!(error["line"].as_u64().is_some(), "{error:#}");
}

#[test]
fn rules_path_leaving_the_folder_is_refused() {
    for rules in ["../good/rules.md", "/etc/passwd"] {
        let config = format!("agency:\n  name: 機關\nrules: {rules}\n");
        let error = bad_beside_good(
            &[("access.yaml", config.as_bytes())],
            "leaves the submission folder",
        );
        assert_eq!(error["line"].as_u64(), Some(3), "{error:#}");
        assert_eq!(error["column"].as_u64(), Some(8), "{error:#}");
    }
}

#[cfg(unix)]
#[test]
fn symlink_out_of_the_folder_is_refused_and_loops_do_not_hang() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "outside.md", sample_rules().as_bytes());
    write(root, "all/a/access.yaml", good_config().as_bytes());
    std::os::unix::fs::symlink(root.join("outside.md"), root.join("all/a/rules.md")).unwrap();
    // A loop in the tree being searched.
    std::os::unix::fs::symlink(root.join("all"), root.join("all/loop")).unwrap();
    let (code, report) = check_json(root, &["all"]);
    assert_eq!(code, Some(2));
    let subs = report["submissions"].as_array().unwrap();
    assert_eq!(subs.len(), 1, "{report:#}");
    assert!(
        subs[0]["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("leaves the submission folder")
    );
}

#[test]
fn missing_rules_document_and_huge_file_are_errors() {
    bad_beside_good(&[("access.yaml", good_config().as_bytes())], "cannot open");
    let huge = vec![b'a'; 9 * 1024 * 1024];
    bad_beside_good(
        &[
            ("access.yaml", good_config().as_bytes()),
            ("rules.md", &huge),
        ],
        "larger than",
    );
}

#[test]
fn folder_without_submissions_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("empty")).unwrap();
    let (code, report) = check_json(dir.path(), &["empty"]);
    assert_eq!(code, Some(2));
    assert!(
        report["submissions"][0]["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("no submission")
    );
}

#[test]
fn empty_rules_document_reports_every_item_missing() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s/access.yaml", good_config().as_bytes());
    write(dir.path(), "s/rules.md", b"");
    let (code, report) = check_json(dir.path(), &["s"]);
    assert_eq!(code, Some(1));
    let gaps = report["submissions"][0]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "gap")
        .count();
    // The eleven document items, and the document half of leave-workstation.
    assert_eq!(gaps, 12, "{report:#}");
}

/// Deterministic xorshift, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn random_documents_and_configurations_never_panic() {
    use niacheck::Checker;
    use niacheck::extract::{config, document};
    let pieces = [
        "一、",
        "（一）",
        "(1)",
        "1.",
        "１．",
        "第十五條",
        "第",
        "條",
        "壹、",
        "## ",
        "# ",
        "> ",
        "| ",
        " |",
        "|---|",
        "\n",
        "\r\n",
        "\u{feff}",
        "---\n",
        "```\n",
        "- ",
        "**",
        "：",
        "。",
        "；",
        "目的",
        "安全管制",
        "稽核",
        "每年",
        "保密",
        "個人資料保護法",
        "電腦處理個人資料保護法",
        "個資法",
        "第七條、第八條及第十七條",
        "至",
        "之一",
        "另定之",
        "不涉及",
        "移民署",
        "通知",
        "異動",
        "電話",
        "系統異常",
        "  ",
        "\t",
        "a",
        "9",
        "、",
        "及",
        "<br>",
        "[x](y)",
        "\\",
        "`",
    ];
    let yaml_pieces = [
        "agency:",
        "\n",
        "  ",
        "name: ",
        "機關",
        "rules: ",
        "rules.md",
        "users:",
        "- ",
        "&a ",
        "*a",
        "{",
        "}",
        "[",
        "]",
        ": ",
        "null",
        "~",
        "\"",
        "'",
        "#",
        "2024-02-30",
        "2024-01-01",
        "status: ",
        "active",
        "regulation: ",
        "amended",
        "? ",
        "!!str ",
        "---\n",
        "...\n",
        "\t",
        "\u{feff}",
        "界",
        "9999999999999999999999",
    ];
    let checker = Checker::new().unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..3000 {
        let len = (rng.next() % 60) as usize;
        let text: String = (0..len)
            .map(|_| pieces[(rng.next() as usize) % pieces.len()])
            .collect();
        let facts = document::extract(&text, checker.vocabulary(), checker.laws());
        for (_, part) in &facts.parts {
            if let Some(span) = part.evidence {
                assert!(text.get(span.start..span.end).is_some(), "{text:?}");
            }
        }
        for citation in &facts.citations {
            assert!(
                text.get(citation.span.start..citation.span.end).is_some(),
                "{text:?}"
            );
        }
        let len = (rng.next() % 40) as usize;
        let yaml: String = (0..len)
            .map(|_| yaml_pieces[(rng.next() as usize) % yaml_pieces.len()])
            .collect();
        for error in config::parse(&yaml).err().unwrap_or_default() {
            if let Some(span) = error.span {
                assert!(span.end <= yaml.len() + 1, "{yaml:?}: {span}");
            }
        }
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_named_rules_md_does_not_block() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "all/good/access.yaml", good_config().as_bytes());
    write(dir.path(), "all/good/rules.md", sample_rules().as_bytes());
    write(dir.path(), "all/bad/access.yaml", good_config().as_bytes());
    let fifo = dir.path().join("all/bad/rules.md");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo on this system
    }
    let (code, report) = check_json(dir.path(), &["all"]);
    assert_eq!(code, Some(2));
    assert!(
        report["submissions"][0]["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not a regular file")
    );
    assert_eq!(report["submissions"][1]["verdict"], "pass");
}

#[test]
fn huge_numbers_in_citations_do_not_overflow() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s/access.yaml", good_config().as_bytes());
    let rules = format!(
        "{}\n個人資料保護法第4294967295條至第5條、第99999999999999999999條；個資法第{}條。\n",
        sample_rules(),
        "九千".repeat(2000)
    );
    write(dir.path(), "s/rules.md", rules.as_bytes());
    let (code, report) = check_json(dir.path(), &["s"]);
    assert_eq!(code, Some(0), "{report:#}");
}
