//! Document benchmark: `document::extract` (outline, citations, masks, one
//! concept pass, sentence units, every part's candidates) on a 10 KB rules
//! document, with the time per KB. Prints figures; it does not fail on
//! them. `cargo bench --bench document`.
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

fn time(text: &str, checker: &Checker) -> f64 {
    // Warm up, then take the median of the rounds.
    for _ in 0..20 {
        std::hint::black_box(document::extract(
            text,
            checker.vocabulary(),
            checker.laws(),
        ));
    }
    let mut runs: Vec<f64> = (0..ROUNDS)
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
    for kb in [10usize, 40, 160] {
        let text = document_of(kb * 1024);
        let ms = time(&text, &checker);
        println!(
            "document::extract on {:>6} bytes: median {ms:.3} ms over {ROUNDS} runs ({:.4} ms/KB)",
            text.len(),
            ms / (text.len() as f64 / 1024.0)
        );
    }
}
