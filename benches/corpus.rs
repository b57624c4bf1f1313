//! The batch benchmark of the specification, in one run on one generated
//! corpus (`NIACHECK_BENCH_N` submissions, default 10,000: a ~10 KB rules
//! document in one of the samples' styles and ~50 users each):
//!
//! (a) parse only — read both files, parse the YAML into the typed
//!     configuration and the rules document as Markdown (pulldown-cmark's
//!     events, with the options the outline uses) — the floor, on all
//!     cores in this process;
//! (a') the same with the whole of `document::extract` in place of the
//!     Markdown parse (the outline, the vocabulary's pass, every part's
//!     candidates): what reading the inputs into facts costs;
//! (b) `niacheck check DIR --format json`, the release binary;
//! (c) `niacheck report DIR --out …`, the release binary;
//! (d) one submission, whole process (the median of 21 runs).
//!
//! (a) to (c) run one after the other in each of `NIACHECK_BENCH_ROUNDS`
//! rounds (default 3), because a virtual machine's speed changes within a
//! run: a ratio of one round compares runs at about the same speed. It
//! prints each round's rates and ratios, then the medians over the rounds
//! (with the best floor), and the peak resident memory of (b) and (c),
//! read from `/proc` while they run. `cargo bench --bench corpus`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a benchmark fails loudly"
)]

#[path = "corpus/generate.rs"]
mod generate;

use std::process::Command;
use std::time::{Duration, Instant};

use niacheck::Checker;
use niacheck::check::run_ordered;
use niacheck::extract::{config, document};

/// Peak resident memory (VmHWM, KiB) of a running process.
fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Run the binary; its wall time, exit code and peak memory.
fn run(args: &[&str]) -> (Duration, i32, u64) {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_niacheck"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut peak = 0;
    let status = loop {
        if let Some(kib) = peak_kib(child.id()) {
            peak = peak.max(kib);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    (start.elapsed(), status.code().unwrap_or(-1), peak)
}

/// Run the binary with `args` and time it to its exit, waiting on it
/// without polling: a poll every few milliseconds (as [`run`] does, to
/// read the peak memory) would add up to its period to a run of 20 ms.
fn run_waited(args: &[&str]) -> Duration {
    let start = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_niacheck"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(
        matches!(status.code(), Some(0 | 1)),
        "check exited with {status}"
    );
    start.elapsed()
}

/// What both floors do first: read both files and parse the YAML into the
/// typed configuration; the rules document as text.
fn read(folder: &std::path::Path) -> (config::AccessConfig, String) {
    let yaml = std::fs::read_to_string(folder.join("access.yaml")).unwrap();
    let parsed = config::parse(&yaml).unwrap();
    let rules = std::fs::read_to_string(folder.join("rules.md")).unwrap();
    (parsed, rules)
}

fn main() {
    let n: usize = std::env::var("NIACHECK_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let jobs = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let start = Instant::now();
    let folders = generate::generate(&corpus, n);
    println!(
        "corpus: {n} submissions generated in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    let checker = Checker::new().unwrap();
    let rounds: usize = std::env::var("NIACHECK_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1);
    println!("cores: {jobs}, rounds: {rounds}");

    let per_second = |d: Duration| n as f64 / d.as_secs_f64();
    let mut all: Vec<Round> = Vec::with_capacity(rounds);
    for i in 1..=rounds {
        let r = one_round(&checker, &folders, jobs, dir.path(), &corpus);
        println!(
            "round {i}: (a) {:.0}/s  (a') {:.0}/s  (b) {:.0}/s  (c) {:.0}/s  (b)/(a) {:.2}  (c)/(a) {:.2}  (b)/(a') {:.2}",
            per_second(r.floor),
            per_second(r.facts),
            per_second(r.check),
            per_second(r.report),
            r.ratio(r.check),
            r.ratio(r.report),
            r.check.as_secs_f64() / r.facts.as_secs_f64(),
        );
        all.push(r);
    }

    // (d) One submission, whole process.
    let one = folders[0].to_str().unwrap();
    let mut times: Vec<Duration> = (0..21)
        .map(|_| run_waited(&["check", one, "--as-of", "2026-11-27"]))
        .collect();
    times.sort();
    let single = times[times.len() / 2];

    let median = |f: &dyn Fn(&Round) -> f64| {
        let mut v: Vec<f64> = all.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let secs = |d: Duration| d.as_secs_f64();
    let rate = |s: f64| n as f64 / s;
    let floor = median(&|r| secs(r.floor));
    let facts = median(&|r| secs(r.facts));
    let check = median(&|r| secs(r.check));
    let report = median(&|r| secs(r.report));
    let best_floor = all
        .iter()
        .map(|r| secs(r.floor))
        .fold(f64::INFINITY, f64::min);
    let check_peak = all.iter().map(|r| r.check_peak).max().unwrap_or(0);
    let report_peak = all.iter().map(|r| r.report_peak).max().unwrap_or(0);
    println!("medians of {rounds} rounds:");
    println!(
        "(a) parse only:           {floor:>8.2} s {:>8.0} submissions/s  (best {:.0}/s)",
        rate(floor),
        rate(best_floor)
    );
    println!(
        "(a') with document facts: {facts:>8.2} s {:>8.0} submissions/s",
        rate(facts),
    );
    println!(
        "(b) check --format json:  {check:>8.2} s {:>8.0} submissions/s  (b)/(a) {:.2}  (b)/(a') {:.2}  peak {:.0} MB",
        rate(check),
        median(&|r| r.ratio(r.check)),
        median(&|r| secs(r.check) / secs(r.facts)),
        check_peak as f64 / 1024.0
    );
    println!(
        "(c) report:               {report:>8.2} s {:>8.0} submissions/s  (c)/(a) {:.2}  peak {:.0} MB",
        rate(report),
        median(&|r| r.ratio(r.report)),
        report_peak as f64 / 1024.0
    );
    println!(
        "(d) one submission, whole process: {:.1} ms (median of 21)",
        single.as_secs_f64() * 1000.0
    );
}

/// One round's times: (a), (a'), (b) and (c) one after the other, so that
/// each ratio compares runs at about the same speed of the machine.
struct Round {
    floor: Duration,
    facts: Duration,
    check: Duration,
    report: Duration,
    check_peak: u64,
    report_peak: u64,
}

impl Round {
    /// A time over this round's floor.
    fn ratio(&self, d: Duration) -> f64 {
        d.as_secs_f64() / self.floor.as_secs_f64()
    }
}

fn one_round(
    checker: &Checker,
    folders: &[std::path::PathBuf],
    jobs: usize,
    dir: &std::path::Path,
    corpus: &std::path::Path,
) -> Round {
    let n = folders.len();
    // (a) The floor: read, YAML, Markdown, on all cores.
    let start = Instant::now();
    let mut users = 0;
    let mut events = 0;
    run_ordered(
        folders,
        jobs,
        |folder: &std::path::PathBuf| {
            let (parsed, rules) = read(folder);
            let options = pulldown_cmark::Options::ENABLE_TABLES
                | pulldown_cmark::Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
            let parsed_rules = pulldown_cmark::Parser::new_ext(&rules, options)
                .into_offset_iter()
                .count();
            (parsed.users.len(), parsed_rules)
        },
        |_, what| panic!("{what}"),
        |(u, e)| {
            users += u;
            events += e;
        },
    );
    let floor = start.elapsed();
    assert!(users >= 45 * n);
    assert!(events >= 100 * n);

    // (a') Reading the inputs into facts: the floor with the rules
    // document's facts in place of its Markdown events.
    let start = Instant::now();
    run_ordered(
        folders,
        jobs,
        |folder: &std::path::PathBuf| {
            let (parsed, rules) = read(folder);
            let facts = document::extract(&rules, checker.vocabulary(), checker.laws());
            assert!(!facts.parts.is_empty());
            parsed.users.len()
        },
        |_, what| panic!("{what}"),
        |_| {},
    );
    let facts = start.elapsed();

    let corpus_arg = corpus.to_str().unwrap();
    let json_out = dir.join("report.json");
    let (check, code, check_peak) = run(&[
        "check",
        corpus_arg,
        "--format",
        "json",
        "--as-of",
        "2026-11-27",
        "--output",
        json_out.to_str().unwrap(),
    ]);
    assert!(code == 0 || code == 1, "check exited with {code}");
    let report_dir = dir.join("report");
    let (report, code, report_peak) = run(&[
        "report",
        corpus_arg,
        "--out",
        report_dir.to_str().unwrap(),
        "--as-of",
        "2026-11-27",
        "--quiet",
    ]);
    assert!(code == 0 || code == 1, "report exited with {code}");
    Round {
        floor,
        facts,
        check,
        report,
        check_peak,
        report_peak,
    }
}
