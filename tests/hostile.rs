#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! The hostile corpus: one submission per kind of bad input, checked in one
//! batch with a good submission. The byte-level cases live in
//! `tests/hostile/` (outside `agency-rules/`, so the sample run never sees
//! them); the ones a repository cannot hold or should not (symbolic links,
//! a FIFO, an unreadable file, a folder where a file should be, huge files)
//! are made here, in a temporary folder. The binary runs once per format
//! over all of them.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn run(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_niacheck"))
        .args(args)
        .current_dir(cwd)
        .env_remove("NIACHECK_LANG")
        .output()
        .expect("niacheck runs")
}

/// What one submission of the batch must give: its verdict, and for an
/// error the file, line and a part of the message.
struct Expect {
    name: &'static str,
    verdict: &'static str,
    file: Option<&'static str>,
    line: Option<u64>,
    message: &'static str,
}

const fn expect(
    name: &'static str,
    verdict: &'static str,
    file: Option<&'static str>,
    line: Option<u64>,
    message: &'static str,
) -> Expect {
    Expect {
        name,
        verdict,
        file,
        line,
        message,
    }
}

/// Build the batch: the committed corpus, a good submission, and the
/// awkward cases. Returns whether an unreadable file is really unreadable
/// (it is not to root).
fn build(batch: &Path) -> bool {
    copy_dir(&manifest().join("tests/hostile"), batch);
    let sample = manifest().join("agency-rules/taipei-city-police");
    let access = fs::read_to_string(sample.join("access.yaml")).unwrap();
    let rules = fs::read_to_string(sample.join("rules.md")).unwrap();
    let make = |name: &str, rules_md: Option<&str>| {
        let dir = batch.join(name);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("access.yaml"), &access).unwrap();
        if let Some(text) = rules_md {
            fs::write(dir.join("rules.md"), text).unwrap();
        }
        dir
    };
    make("good", Some(&rules));
    // A line far longer than a terminal, with a finding in its middle.
    let long = rules.replacen(
        "## 五、",
        &format!(
            "{}電腦處理個人資料保護法第七條{}\n## 五、",
            "中".repeat(100_000),
            "文".repeat(100_000)
        ),
        1,
    );
    make("long-line", Some(&long));
    // Over the size limit.
    let big = make("oversize", None);
    let mut huge = rules.clone().into_bytes();
    huge.resize(9 * 1024 * 1024, b'x');
    fs::write(big.join("rules.md"), huge).unwrap();

    let outside = batch.parent().unwrap().join("outside");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("access.yaml"), &access).unwrap();
    let link_out = batch.join("access-link-out");
    fs::create_dir_all(&link_out).unwrap();
    std::os::unix::fs::symlink(outside.join("access.yaml"), link_out.join("access.yaml")).unwrap();
    fs::write(link_out.join("rules.md"), &rules).unwrap();

    let looped = make("symlink-loop", None);
    std::os::unix::fs::symlink("rules.md", looped.join("rules.md")).unwrap();

    let fifo = make("fifo", None);
    let made = Command::new("mkfifo")
        .arg(fifo.join("rules.md"))
        .status()
        .unwrap();
    assert!(made.success());

    let folder = make("folder-as-file", None);
    fs::create_dir_all(folder.join("rules.md")).unwrap();

    let unreadable = make("unreadable", Some(&rules));
    let file = unreadable.join("rules.md");
    let mut permissions = fs::metadata(&file).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o000);
    fs::set_permissions(&file, permissions).unwrap();

    // A link to a submission folder elsewhere is checked under the link's
    // name (a link to one inside the batch is the same submission: once).
    let elsewhere = batch.parent().unwrap().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::write(elsewhere.join("access.yaml"), &access).unwrap();
    fs::write(elsewhere.join("rules.md"), &rules).unwrap();
    std::os::unix::fs::symlink(&elsewhere, batch.join("linked-good")).unwrap();
    std::os::unix::fs::symlink("good", batch.join("same-as-good")).unwrap();
    fs::read(&file).is_err()
}

#[test]
#[expect(clippy::too_many_lines, reason = "one table of every hostile case")]
fn every_hostile_submission_is_reported_at_its_place_and_the_good_one_still_passes() {
    let dir = tempfile::tempdir().unwrap();
    let batch = dir.path().join("batch");
    let unreadable = build(&batch);

    let unreadable_expect = if unreadable {
        expect("unreadable", "error", Some("rules.md"), None, "cannot read")
    } else {
        expect("unreadable", "pass", None, None, "")
    };
    let cases = [
        expect(
            "access-link-out",
            "error",
            Some("access.yaml"),
            None,
            "leaves the submission folder",
        ),
        expect(
            "alias-bomb",
            "error",
            Some("access.yaml"),
            Some(107),
            "alias bomb",
        ),
        // Big5 and UTF-16 that decode cleanly are read, with a notice.
        expect("big5", "fail", None, None, ""),
        expect("control-chars", "fail", None, None, ""),
        expect("cr-only", "fail", None, None, ""),
        expect(
            "deep-nesting",
            "error",
            Some("access.yaml"),
            Some(102),
            "nested more than 64",
        ),
        expect(
            "duplicate-key",
            "error",
            Some("access.yaml"),
            Some(6),
            "`code` appears twice",
        ),
        expect("empty-access", "error", Some("access.yaml"), None, "empty"),
        expect("empty-rules", "fail", None, None, ""),
        expect(
            "fifo",
            "error",
            Some("rules.md"),
            None,
            "not a regular file",
        ),
        expect(
            "folder-as-file",
            "error",
            Some("rules.md"),
            None,
            "is a folder",
        ),
        expect("good", "pass", None, None, ""),
        expect(
            "invalid-utf8",
            "error",
            Some("rules.md"),
            Some(4),
            "not UTF-8",
        ),
        expect("linked-good", "pass", None, None, ""),
        expect("long-line", "fail", None, None, ""),
        expect(
            "nul-byte",
            "error",
            Some("rules.md"),
            Some(13),
            "NUL byte at line 13",
        ),
        expect(
            "oversize",
            "error",
            Some("rules.md"),
            None,
            "larger than 8 MiB",
        ),
        expect(
            "rules-outside",
            "error",
            Some("access.yaml"),
            Some(14),
            "leaves the submission folder",
        ),
        expect(
            "symlink-loop",
            "error",
            Some("access.yaml"),
            Some(14),
            "links form a loop",
        ),
        unreadable_expect,
        expect("utf16be-no-bom", "pass", None, None, ""),
        expect("utf16le-bom", "pass", None, None, ""),
        expect(
            "wrong-type",
            "error",
            Some("access.yaml"),
            Some(16),
            "expected a whole number",
        ),
    ];

    // One run over the batch, and over one of its submissions again: an
    // overlapping path checks that submission once.
    let args = [
        "check",
        "--format",
        "json",
        "--as-of",
        "2026-11-27",
        "--lang",
        "en",
        "batch",
        "batch/good",
    ];
    let out = run(&args, dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let submissions = report["submissions"].as_array().unwrap();
    let paths: Vec<&str> = submissions
        .iter()
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    let wanted: Vec<String> = cases.iter().map(|c| format!("batch/{}", c.name)).collect();
    assert_eq!(paths, wanted, "each submission once, under the path given");

    for (case, submission) in cases.iter().zip(submissions) {
        let name = case.name;
        assert_eq!(
            submission["verdict"], case.verdict,
            "{name}: {submission:#}"
        );
        if case.verdict != "error" {
            assert!(
                submission["errors"].as_array().unwrap().is_empty(),
                "{name}"
            );
            continue;
        }
        let error = &submission["errors"][0];
        let message = error["message"].as_str().unwrap();
        assert!(message.contains(case.message), "{name}: {message}");
        assert_eq!(error["file"].as_str(), case.file, "{name}: {error:#}");
        assert_eq!(error["line"].as_u64(), case.line, "{name}: {error:#}");
        if case.line.is_some() {
            assert!(error["column"].as_u64().is_some(), "{name}");
        }
        let help = error["help"].as_str().unwrap_or("");
        for leak in ["Options", "Policy", "Some(", "Error {"] {
            assert!(
                !message.contains(leak) && !help.contains(leak),
                "{name}: library text `{leak}` in {message} / {help}"
            );
        }
    }
    // A file read from another encoding says so, and how to save it as UTF-8.
    for (name, file, encoding) in [
        ("big5", "rules.md", "Big5"),
        ("utf16be-no-bom", "rules.md", "UTF-16BE"),
        ("utf16le-bom", "access.yaml", "UTF-16LE"),
    ] {
        let s = submissions
            .iter()
            .find(|s| s["path"] == format!("batch/{name}"))
            .unwrap();
        let notices = s["notices"].as_array().unwrap();
        assert_eq!(notices.len(), 1, "{name}: {notices:?}");
        let message = notices[0]["message"].as_str().unwrap();
        assert!(
            message.contains(&format!("`{file}` is {encoding}-encoded")),
            "{name}: {message}"
        );
        assert!(notices[0]["help"].as_str().unwrap().contains("Notepad"));
    }
    // The finding in the middle of a 200,000-character line is at its real
    // column; CR-only line ends count as line ends.
    let finding_at = |name: &str, requirement: &str| {
        let s = submissions
            .iter()
            .find(|s| s["path"] == format!("batch/{name}"))
            .unwrap();
        let f = s["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == requirement)
            .unwrap();
        (f["line"].as_u64(), f["column"].as_u64())
    };
    assert_eq!(
        finding_at("long-line", "superseded-law"),
        (Some(43), Some(100_001))
    );
    assert_eq!(finding_at("cr-only", "superseded-law"), (Some(43), Some(1)));

    // The same batch in the human format: nothing panics, every submission
    // has its heading, the long line is cut, and no control or bidi
    // character of the input reaches the terminal.
    let human = run(
        &["check", "--as-of", "2026-11-27", "--lang", "en", "batch"],
        dir.path(),
    );
    let stderr = String::from_utf8_lossy(&human.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(human.status.code(), Some(2), "{stderr}");
    let text = String::from_utf8(human.stdout).unwrap();
    for case in &cases {
        assert!(
            text.lines()
                .any(|l| l.starts_with(&format!("batch/{} — ", case.name))),
            "no heading for {}",
            case.name
        );
    }
    assert!(
        text.contains("[batch/long-line/rules.md:43:100001]"),
        "{text}"
    );
    assert!(text.lines().all(|l| l.chars().count() < 400));
    for c in ['\u{1b}', '\u{7}', '\r', '\u{202e}', '\0'] {
        assert!(!text.contains(c), "raw {:?} in the human output", c);
    }
    assert!(text.contains("\\u{1b}[2J\\u{7}\\u{d}共檢查 9 件"), "{text}");
    let count = |verdict: &str| cases.iter().filter(|c| c.verdict == verdict).count();
    let summary = format!(
        "{} submissions checked: {} pass, {} fail, {} error",
        cases.len(),
        count("pass"),
        count("fail"),
        count("error")
    );
    assert!(text.contains(&summary), "{summary}");
}
