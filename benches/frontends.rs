//! Growth benchmark: each front end (document reader, citation reader,
//! configuration reader, the whole check, the human renderer) on inputs
//! of size n, 2n, 4n, 8n, for each shape of input that once grew
//! super-linearly. Prints the time of each size and the ratio to the
//! previous one: about 2 per doubling is linear, about 4 quadratic.
//!
//! `cargo bench --bench frontends`; `NIACHECK_BENCH_SCALE=4` for larger inputs.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a benchmark fails loudly"
)]

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use niacheck::extract::config;
use niacheck::extract::document;
use niacheck::render::{self, Format, RenderOptions};
use niacheck::{CheckOptions, Checker, Date, Lang, Report};

fn sample(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("agency-rules/taipei-city-police")
            .join(name),
    )
    .unwrap()
}

/// The best of three runs of `f`.
fn time(mut f: impl FnMut()) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap()
}

fn row(name: &str, unit: &str, base: usize, mut run: impl FnMut(usize) -> Duration) {
    let mut line = format!("{name:<34}");
    let mut previous: Option<Duration> = None;
    for k in [1, 2, 4, 8] {
        let n = base * k;
        let t = run(n);
        let ratio = previous.map_or(String::new(), |p| {
            format!(" (×{:.1})", t.as_secs_f64() / p.as_secs_f64().max(1e-9))
        });
        let _ = write!(line, " {n} {unit}: {:.1} ms{ratio};", t.as_secs_f64() * 1e3);
        previous = Some(t);
    }
    println!("{line}");
}

fn users(n: usize) -> String {
    let access = sample("access.yaml");
    let head = access.split("users:\n").next().unwrap();
    let tail = format!("inquiries:{}", access.split("inquiries:").nth(1).unwrap());
    let mut yaml = format!("{head}users:\n");
    for i in 0..n {
        let _ = write!(
            yaml,
            "  - personnel_id: \"X-{i:06}\"\n    name: 使用者{i}\n    functions: [entry-exit-records]\n    business_need: 刑案偵查\n    card_reader: false\n    login: password\n    certificate:\n      serial: \"SER{i:012}\"\n      expires_on: 2020-06-30\n      status: valid\n    status: active\n    active_since: 2024-03-25\n"
        );
    }
    yaml + &tail
}

fn check_once(checker: &Checker, access: &str, rules: &str) -> Report {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("access.yaml"), access).unwrap();
    std::fs::write(dir.path().join("rules.md"), rules).unwrap();
    let options = CheckOptions::new(Date::parse("2026-11-27").unwrap());
    checker.check_paths(&[dir.path().to_path_buf()], &options)
}

fn main() {
    let scale: usize = std::env::var("NIACHECK_BENCH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let checker = Checker::new().unwrap();
    let rules = sample("rules.md");
    let access = sample("access.yaml");
    let (vocabulary, laws) = (checker.vocabulary(), checker.laws());
    let options = RenderOptions::new(Lang::En);

    let titled = |n: usize| {
        let mut text = rules.clone();
        for i in 0..n {
            let _ = writeln!(
                text,
                "（{i}）稽核程序：依個人資料保護法第十五條及電腦處理個人資料保護法第七條辦理。"
            );
        }
        text
    };
    row(
        "document: titled clauses×citations",
        "clauses",
        500 * scale,
        |n| {
            let text = titled(n);
            time(|| drop(document::extract(&text, vocabulary, laws)))
        },
    );
    row("document: nested numbering", "levels", 250 * scale, |n| {
        let markers = ["一、", "（一）", "1.", "(1)", "甲、", "第一條"];
        let mut text = rules.clone();
        for i in 0..n {
            let _ = writeln!(
                text,
                "{}{}稽核：應定期辦理。",
                " ".repeat(i % 40),
                markers[i % markers.len()]
            );
        }
        time(|| drop(document::extract(&text, vocabulary, laws)))
    });
    row(
        "document: sentences on one line",
        "sentences",
        2_500 * scale,
        |n| {
            let text = format!("{rules}本所規定如下：{}\n", "查詢由專人辦理。".repeat(n));
            time(|| drop(document::extract(&text, vocabulary, laws)))
        },
    );
    row(
        "document: citations on one line",
        "citations",
        5_000 * scale,
        |n| {
            let text = format!("{rules}{}\n", "個人資料保護法第十五條、".repeat(n));
            time(|| drop(document::extract(&text, vocabulary, laws)))
        },
    );
    row(
        "citation reader: one line",
        "citations",
        5_000 * scale,
        |n| {
            let text = "個人資料保護法第十五條、個人資料機密保護法、".repeat(n);
            time(|| {
                let found = laws.citations(&text, 0);
                let known: Vec<_> = found.iter().map(|c| c.name).collect();
                drop(laws.near_misses(&text, 0, &known));
            })
        },
    );
    row("config: users", "users", 250 * scale, |n| {
        let yaml = users(n);
        time(|| drop(config::parse(&yaml)))
    });
    row("config: long legal_basis", "chars", 40_000 * scale, |n| {
        let yaml = access.replace(
            "legal_basis: 警察職權行使法第十五條",
            &format!("legal_basis: \"{}\"", "警".repeat(n)),
        );
        time(|| drop(config::parse(&yaml)))
    });
    row("check: failing users", "users", 250 * scale, |n| {
        let yaml = users(n);
        time(|| drop(check_once(&checker, &yaml, &rules)))
    });
    row(
        "check: superseded citations",
        "citations",
        250 * scale,
        |n| {
            let text = format!("{rules}{}", "電腦處理個人資料保護法第七條。\n".repeat(n));
            time(|| drop(check_once(&checker, &access, &text)))
        },
    );
    row("human: failing users", "users", 250 * scale, |n| {
        let report = check_once(&checker, &users(n), &rules);
        time(|| drop(render::render_to_string(Format::Human, &report, options)))
    });
    row(
        "human: superseded citations",
        "citations",
        250 * scale,
        |n| {
            let text = format!("{rules}{}", "電腦處理個人資料保護法第七條。\n".repeat(n));
            let report = check_once(&checker, &access, &text);
            time(|| drop(render::render_to_string(Format::Human, &report, options)))
        },
    );
    row(
        "human: long line before a finding",
        "chars",
        50_000 * scale,
        |n| {
            let text = rules.replacen(
                "## 五、",
                &format!("{}電腦處理個人資料保護法第七條\n## 五、", "中".repeat(n)),
                1,
            );
            let report = check_once(&checker, &access, &text);
            time(|| drop(render::render_to_string(Format::Human, &report, options)))
        },
    );
}
