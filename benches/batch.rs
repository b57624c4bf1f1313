//! Batch benchmark: checks N generated submissions (a ~10 KB rules document
//! and a 50-user access.yaml each) and prints submissions per second and
//! the ratio of total time to parse-only time.
//!
//! `cargo bench --bench batch` (N = 2000); `NIACHECK_BENCH_N=10000 cargo bench --bench batch`
//! for the specification's 10,000.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a benchmark fails loudly"
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use niacheck::extract::{config, document};
use niacheck::{CheckOptions, Checker, Date};

fn rules_document(seed: usize) -> String {
    let base = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/agency-rules/taipei-city-police/rules.md"
    ))
    .unwrap();
    let mut text = base.clone();
    let mut i = 0;
    while text.len() < 10 * 1024 {
        let _ = writeln!(
            text,
            "\n（{}）補充說明第{seed}-{i}點：本局使用者應依本規範辦理，並定期檢討。",
            i + 1
        );
        i += 1;
    }
    text
}

fn access_config(seed: usize) -> String {
    let mut yaml = format!(
        "regulation: amended\nagency:\n  name: 測試機關{seed}\n  code: \"{seed:010}\"\n  tier: municipal-subordinate\n  legal_basis: 警察職權行使法第十五條\napplication:\n  form: annex-1\n  functions: [entry-exit-records, entry-exit-certificate]\n  forwarded_by: 臺北市政府\n  approved_on: 2024-03-20\n  notice_ref: 移署資字第1130012345號\nrules: rules.md\nworkstation:\n  idle_lock_minutes: 10\n  remove_card_on_leave: true\nusers:\n"
    );
    for u in 0..50 {
        let _ = write!(
            yaml,
            "  - personnel_id: \"T-{seed}-{u:04}\"\n    name: 使用者{u}\n    functions: [entry-exit-records]\n    business_need: 刑案偵查\n    card_reader: true\n    login: citizen-certificate\n    certificate:\n      serial: \"TP{u:014}\"\n      expires_on: 2027-05-01\n      status: valid\n    status: active\n    active_since: 2024-03-25\n"
        );
    }
    yaml.push_str("inquiries: []\ndata_requests: []\nprotected_person_access: []\n");
    yaml
}

fn generate(root: &Path, n: usize) -> Vec<PathBuf> {
    (0..n)
        .map(|i| {
            let dir = root.join(format!("agency-{i:05}"));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("access.yaml"), access_config(i)).unwrap();
            std::fs::write(dir.join("rules.md"), rules_document(i)).unwrap();
            dir
        })
        .collect()
}

fn main() {
    let n: usize = std::env::var("NIACHECK_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let dir = tempfile::tempdir().unwrap();
    let folders = generate(dir.path(), n);
    let checker = Checker::new().unwrap();
    let jobs = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);

    // Parse only: read both files, parse the YAML, extract the document facts.
    let start = Instant::now();
    let mut parts_found = 0usize;
    for folder in &folders {
        let yaml = std::fs::read_to_string(folder.join("access.yaml")).unwrap();
        let parsed = config::parse(&yaml).unwrap();
        assert_eq!(parsed.users.len(), 50);
        let rules = std::fs::read_to_string(folder.join("rules.md")).unwrap();
        let facts = document::extract(&rules, checker.vocabulary(), checker.laws());
        parts_found += facts.parts.iter().filter(|(_, p)| p.found).count();
    }
    let parse_only = start.elapsed();
    assert!(parts_found > 0);

    let options = CheckOptions::new(Date::parse("2026-11-27").unwrap());
    let start = Instant::now();
    let report = checker.check_paths(&[dir.path().to_path_buf()], &options);
    let total_one = start.elapsed();
    assert_eq!(report.submissions.len(), n);
    assert_eq!(report.summary().error, 0);

    let options = CheckOptions { jobs, ..options };
    let start = Instant::now();
    let report = checker.check_paths(&[dir.path().to_path_buf()], &options);
    let total_all = start.elapsed();
    assert_eq!(report.submissions.len(), n);

    let rate = |d: std::time::Duration| n as f64 / d.as_secs_f64();
    println!("submissions:                 {n} (10 KB rules.md, 50-user access.yaml each)");
    println!(
        "parse only (1 thread):       {:>8.3} s  {:>8.0} submissions/s",
        parse_only.as_secs_f64(),
        rate(parse_only)
    );
    println!(
        "full check, 1 worker:        {:>8.3} s  {:>8.0} submissions/s",
        total_one.as_secs_f64(),
        rate(total_one)
    );
    println!(
        "full check, {jobs} workers:       {:>8.3} s  {:>8.0} submissions/s",
        total_all.as_secs_f64(),
        rate(total_all)
    );
    println!(
        "ratio total/parse-only (1 worker): {:.2}",
        total_one.as_secs_f64() / parse_only.as_secs_f64()
    );
}
