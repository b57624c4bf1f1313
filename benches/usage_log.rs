//! Usage-log benchmark: a generated log (`NIACHECK_BENCH_ROWS` rows,
//! default 1,000,000; 50 users over three years, a few denials) replayed
//! against a 50-user configuration, streaming from disk. Prints rows per
//! second with the decision cache and without it (on a tenth of the rows),
//! and the peak memory (VmHWM) after a small log and after the large one,
//! to show it stays flat. `cargo bench --bench usage_log`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a benchmark fails loudly"
)]

use std::fmt::Write as _;
use std::io::{BufWriter, Write as _};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use niacheck::catalog::Version;
use niacheck::extract::{config, document};
use niacheck::findings::Submitted;
use niacheck::replay;
use niacheck::source::SourceFile;
use niacheck::{Checker, Date};

const USERS: usize = 50;

fn access_config() -> String {
    let mut yaml = String::from(
        "agency:\n  name: 測試機關\n  tier: municipal-subordinate\n  legal_basis: 警察職權行使法第十五條\napplication:\n  form: annex-1\n  functions: [entry-exit-records, entry-exit-certificate]\n  forwarded_by: 臺北市政府\n  approved_on: 2023-11-01\n  notice_ref: 移署資字第1120012345號\nworkstation:\n  idle_lock_minutes: 10\n  remove_card_on_leave: true\nusers:\n",
    );
    for u in 0..USERS {
        let _ = write!(
            yaml,
            "  - personnel_id: \"T-{u:04}\"\n    name: 使用者{u}\n    functions: [entry-exit-records, entry-exit-certificate]\n    business_need: 刑案偵查\n    card_reader: true\n    login: citizen-certificate\n    certificate:\n      serial: \"TP{u:014}\"\n      expires_on: 2027-05-01\n      status: valid\n    status: active\n    active_since: 2023-11-02\n"
        );
    }
    yaml
}

/// `rows` records from 2023-11-01 on, about one every 95 seconds, written
/// straight to `path`: one in a thousand by an unregistered user, one in
/// a thousand on a function not granted.
fn write_log(path: &Path, rows: usize) {
    let mut out = BufWriter::new(std::fs::File::create(path).unwrap());
    out.write_all(b"user,time,type,content,result\n").unwrap();
    let start = jiff::Timestamp::from_second(1_698_796_800).unwrap(); // 2023-11-01T00:00Z
    let span = 94_608_000i64; // three years of seconds
    let step = span / i64::try_from(rows.max(1)).unwrap();
    let offset = jiff::tz::Offset::constant(8);
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in 0..rows {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let user = (state % USERS as u64) as usize;
        let time = start
            .checked_add(jiff::SignedDuration::from_secs(
                i64::try_from(i).unwrap() * step.max(1),
            ))
            .unwrap();
        let (user, function) = match (state >> 20) % 1000 {
            0 => (format!("X-{user:04}"), "entry-exit-records"),
            1 => (format!("T-{user:04}"), "foreign-resident-records"),
            2..=300 => (format!("T-{user:04}"), "entry-exit-certificate"),
            _ => (format!("T-{user:04}"), "entry-exit-records"),
        };
        let result = if (state >> 40).is_multiple_of(20) {
            "denied"
        } else {
            "success"
        };
        writeln!(
            out,
            "{user},{},{function},案件 {i} 查詢,{result}",
            time.display_with_offset(offset)
        )
        .unwrap();
    }
    out.flush().unwrap();
}

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let rows: usize = std::env::var("NIACHECK_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let checker = Checker::new().unwrap();
    let access = Arc::new(SourceFile::new("access.yaml", &access_config()));
    let parsed = config::parse(access.text()).unwrap();
    let rules_text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/agency-rules/taipei-city-police/rules.md"
    ))
    .unwrap();
    let rules = Arc::new(SourceFile::new("rules.md", &rules_text));
    let facts = document::extract(rules.text(), checker.vocabulary(), checker.laws());
    let submitted = Submitted {
        config: &parsed,
        access: &access,
        facts: &facts,
        rules: &rules,
    };
    let as_of = Date::parse("2026-11-01").unwrap();
    let dir = tempfile::tempdir().unwrap();

    let run = |path: &Path, cached: bool| {
        let start = Instant::now();
        let replayed =
            replay::replay(&checker, Version::Amended, as_of, &submitted, path, cached).unwrap();
        (start.elapsed(), replayed)
    };

    let small = dir.path().join("small.csv");
    let small_rows = (rows / 10).max(1);
    write_log(&small, small_rows);
    let (uncached_time, uncached) = run(&small, false);
    let (cached_small_time, cached_small) = run(&small, true);
    assert_eq!(uncached.findings.len(), cached_small.findings.len());
    let peak_small = peak_memory_kib();

    let large = dir.path().join("usage-log.csv");
    write_log(&large, rows);
    let bytes = std::fs::metadata(&large).unwrap().len();
    let (time, replayed) = run(&large, true);
    let peak_large = peak_memory_kib();
    let summary = replayed.summary.clone().unwrap();
    assert_eq!(summary.records, rows as u64);

    let rate = |n: usize, t: std::time::Duration| n as f64 / t.as_secs_f64();
    println!(
        "cores available:             {}",
        std::thread::available_parallelism().map_or(1, usize::from)
    );
    println!(
        "log rows:                    {rows} ({:.1} MB)",
        bytes as f64 / 1e6
    );
    println!("successes judged:            {}", summary.successes);
    println!("denial findings:             {}", replayed.findings.len());
    println!("Cedar requests (cached):     {}", replayed.evaluated);
    println!(
        "replay, cached:              {:>12.0} rows/s ({:.2} s)",
        rate(rows, time),
        time.as_secs_f64()
    );
    println!(
        "replay, cached ({small_rows} rows):  {:>9.0} rows/s",
        rate(small_rows, cached_small_time)
    );
    println!(
        "replay, uncached ({small_rows} rows):{:>9.0} rows/s ({} Cedar requests)",
        rate(small_rows, uncached_time),
        uncached.evaluated
    );
    match (peak_small, peak_large) {
        (Some(small), Some(large)) => {
            println!(
                "peak memory after {small_rows} rows: {:>8.1} MiB",
                small as f64 / 1024.0
            );
            println!(
                "peak memory after {rows} rows: {:>7.1} MiB",
                large as f64 / 1024.0
            );
        }
        _ => println!("peak memory:                 (no /proc/self/status)"),
    }
}
