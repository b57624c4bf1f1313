//! Document benchmark: `document::extract` (outline, citations, masks, one
//! concept pass, sentence units, every part's candidates) on a 10 KB rules
//! document, with the time per KB. Prints figures; it does not fail on
//! them. `cargo bench --bench document`.
//!
//! `NIACHECK_BENCH_ROUNDS` (default 500) and `NIACHECK_BENCH_KB` (default
//! `10,40,160`) make a short run, e.g. under `valgrind --tool=callgrind`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a benchmark fails loudly"
)]

use std::time::Instant;

use niacheck::Checker;
use niacheck::extract::document;

const ROUNDS: usize = 500;

/// A number (or list of numbers) from the environment, or the default.
fn env_list(name: &str, default: &[usize]) -> Vec<usize> {
    std::env::var(name).map_or_else(
        |_| default.to_vec(),
        |v| v.split(',').map(|n| n.trim().parse().unwrap()).collect(),
    )
}

/// Sample rules documents repeated up to about `bytes` bytes.
fn document_of(bytes: usize) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/agency-rules");
    let mut samples: Vec<String> = [
        "taipei-city-police",
        "kaohsiung-tax-bureau",
        "hsinchu-social-affairs",
    ]
    .iter()
    .map(|d| std::fs::read_to_string(format!("{dir}/{d}/rules.md")).unwrap())
    .collect();
    samples.sort();
    let mut text = String::new();
    'fill: loop {
        for s in &samples {
            if text.len() >= bytes {
                break 'fill;
            }
            text.push_str(s);
            text.push('\n');
        }
    }
    // Cut at a character boundary at or below `bytes`.
    let mut end = bytes.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text
}

fn time(text: &str, checker: &Checker, rounds: usize) -> f64 {
    // Warm up, then take the median of the rounds.
    for _ in 0..20.min(rounds) {
        std::hint::black_box(document::extract(
            text,
            checker.vocabulary(),
            checker.laws(),
        ));
    }
    let mut runs: Vec<f64> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(document::extract(
                text,
                checker.vocabulary(),
                checker.laws(),
            ));
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    runs[runs.len() / 2]
}

fn main() {
    let checker = Checker::new().unwrap();
    let rounds = env_list("NIACHECK_BENCH_ROUNDS", &[ROUNDS])
        .first()
        .copied()
        .unwrap()
        .max(1);
    for kb in env_list("NIACHECK_BENCH_KB", &[10, 40, 160]) {
        let text = document_of(kb * 1024);
        let ms = time(&text, &checker, rounds);
        println!(
            "document::extract on {:>6} bytes: median {ms:.3} ms over {rounds} runs ({:.4} ms/KB)",
            text.len(),
            ms / (text.len() as f64 / 1024.0)
        );
    }
}
