#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! `niacheck report`: the four files over the samples, with an unreadable
//! submission and a hostile agency name mixed in. (`.ci/run` opens the HTML
//! in headless Chromium, checks its DOM and takes a screenshot.)

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use niacheck::render::RenderOptions;
use niacheck::{CheckOptions, Checker, Date, Lang};
use serde_json::Value;

static CHECKER: LazyLock<Checker> = LazyLock::new(|| Checker::new().unwrap());

const EVIL: &str = "=HYPERLINK(\"http://x\")<script>alert(1)</script>";

/// The samples, a submission that cannot be read and one whose agency name
/// is hostile, in a temporary folder.
fn corpus(dir: &Path) -> PathBuf {
    let root = dir.join("submissions");
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("agency-rules");
    for entry in std::fs::read_dir(&samples).unwrap().flatten() {
        if !entry.path().join("access.yaml").is_file() {
            continue;
        }
        let to = root.join(entry.file_name());
        std::fs::create_dir_all(&to).unwrap();
        for file in std::fs::read_dir(entry.path()).unwrap().flatten() {
            std::fs::copy(file.path(), to.join(file.file_name())).unwrap();
        }
    }
    let broken = root.join("zz-broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("access.yaml"), "agency: {name: [\n").unwrap();
    let evil = root.join("zz-evil");
    std::fs::create_dir_all(&evil).unwrap();
    let access = std::fs::read_to_string(samples.join("pingtung-county-health/access.yaml"))
        .unwrap()
        .replacen("name: 屏東縣政府衛生局", &format!("name: '{EVIL}'"), 1);
    std::fs::write(evil.join("access.yaml"), access).unwrap();
    std::fs::copy(
        samples.join("pingtung-county-health/rules.md"),
        evil.join("rules.md"),
    )
    .unwrap();
    root
}

#[test]
fn the_report_lists_every_submission_in_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = corpus(dir.path());
    let out = dir.path().join("report");
    let mut progress = Vec::new();
    let summary = niacheck::compliance::write(
        &CHECKER,
        std::slice::from_ref(&root),
        &CheckOptions {
            jobs: 2,
            ..CheckOptions::new(Date::parse("2026-11-27").unwrap())
        },
        RenderOptions::new(Lang::ZhTw),
        &out,
        |done, total| progress.push((done, total)),
    )
    .unwrap();
    let n = 17;
    assert_eq!(summary.submissions, n);
    assert_eq!(
        summary.error, 1,
        "the broken one is listed, the rest judged"
    );
    assert_eq!(progress.last(), Some(&(n, n)));
    let mut names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["index.html", "report.csv", "report.json", "report.md"],
        "no spool left"
    );

    // JSON: the check contract.
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    let agencies: Vec<String> = json["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["agency"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(agencies.len(), n - 1);

    // HTML: every agency, escaped; no network.
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    for agency in agencies.iter().filter(|a| a.as_str() != EVIL) {
        assert!(
            html.contains(agency.as_str()),
            "{agency} missing from the HTML"
        );
    }
    assert!(
        !html.contains("<script>alert"),
        "agency text reached the HTML unescaped"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
    assert!(html.contains("<svg") && html.contains("id=\"heatmap\""));
    assert_eq!(html.matches("<section class=\"agency\"").count(), n);

    // Markdown: one table per submission, the name escaped.
    let markdown = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert_eq!(
        markdown.matches("\n## ").count(),
        n + 1,
        "a heading per submission and the totals"
    );
    assert!(!markdown.contains("<script>"));

    // CSV: a BOM, a header, one row per agency × requirement (and one for
    // the unreadable submission); formulas defused.
    let csv = std::fs::read_to_string(out.join("report.csv")).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), n * 30 + 1);
    let evil_rows: Vec<_> = rows.iter().filter(|r| r[1].contains("HYPERLINK")).collect();
    assert_eq!(evil_rows.len(), 30);
    // A message follows its place, in the `messages` column.
    assert!(
        rows.iter()
            .any(|r| r[10].starts_with("rules.md:") || r[10].contains("\nrules.md:")),
        "{rows:?}"
    );
    assert!(
        evil_rows.iter().all(|r| r[1].starts_with("'=HYPERLINK")),
        "{evil_rows:?}"
    );
}
