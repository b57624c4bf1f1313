//! Where one submission's time goes: each phase of the pipeline timed
//! apart, on one thread, over a generated corpus (`NIACHECK_BENCH_N`
//! submissions, default 500). `cargo bench --bench phases`.
//!
//! The phases are those of `pipeline`: reading the files, parsing the
//! YAML, reading the rules document, building the Cedar entities,
//! evaluating the requests, assembling findings, the rest of the judgement
//! (statuses, waivers, verdict), and rendering the submission's JSON.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a benchmark fails loudly"
)]

#[path = "corpus/generate.rs"]
mod generate;

use std::time::{Duration, Instant};

use niacheck::catalog::Version;
use niacheck::extract::{config, document};
use niacheck::pipeline::{self, Review};
use niacheck::render::json::Json;
use niacheck::render::{RenderOptions, Renderer};
use niacheck::{CheckOptions, Checker, Date, Lang};

#[derive(Default)]
struct Phases {
    files: Duration,
    yaml: Duration,
    document: Duration,
    read: Duration,
    entities: Duration,
    evaluate: Duration,
    findings: Duration,
    judge: Duration,
    render: Duration,
    requests: usize,
}

fn main() {
    let n: usize = std::env::var("NIACHECK_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let dir = tempfile::tempdir().unwrap();
    let folders = generate::generate(&dir.path().join("corpus"), n);
    let start = Instant::now();
    let checker = Checker::new().unwrap();
    let startup = start.elapsed();
    let as_of = Date::parse("2026-11-27").unwrap();
    let options = CheckOptions::new(as_of);
    let run = options.run();
    let mut json = Json::new(RenderOptions::new(Lang::ZhTw));
    let mut sink = Vec::new();
    let mut p = Phases::default();
    let total = Instant::now();
    for folder in &folders {
        let t = Instant::now();
        let yaml = std::fs::read_to_string(folder.join("access.yaml")).unwrap();
        let rules = std::fs::read_to_string(folder.join("rules.md")).unwrap();
        p.files += t.elapsed();
        let t = Instant::now();
        let parsed = config::parse(&yaml).unwrap();
        p.yaml += t.elapsed();
        let t = Instant::now();
        let facts = document::extract(&rules, checker.vocabulary(), checker.laws());
        p.document += t.elapsed();
        drop((parsed, facts));

        let t = Instant::now();
        let read = pipeline::read(&checker, folder).unwrap();
        p.read += t.elapsed();
        let version = read.version(None);
        let submitted = read.submitted();

        let t = Instant::now();
        let built = checker.entities(&submitted, as_of).unwrap();
        p.entities += t.elapsed();
        let asks: Vec<_> = built.asks.iter().map(|(a, _)| a.clone()).collect();
        p.requests += asks.len();
        let t = Instant::now();
        let decisions = checker.engine().evaluate(version, &built, &asks).unwrap();
        p.evaluate += t.elapsed();
        let t = Instant::now();
        let found = pipeline::assemble(&checker, as_of, &submitted, &built, decisions);
        p.findings += t.elapsed();
        drop(found);

        let t = Instant::now();
        let report = pipeline::judge(&checker, &read, version, as_of, Review::default());
        p.judge += t.elapsed();
        let t = Instant::now();
        json.submission(&mut sink, &run, &report).unwrap();
        p.render += t.elapsed();
        sink.clear();
        assert!(matches!(
            report.regulation,
            Version::Amended | Version::Previous
        ));
    }
    let all = total.elapsed();
    let per = |d: Duration| d.as_secs_f64() * 1e6 / n as f64;
    println!("{n} submissions, one thread; start-up {startup:.1?}");
    println!("phase                          µs per submission");
    println!("files (read both)              {:>10.0}", per(p.files));
    println!("YAML parse                     {:>10.0}", per(p.yaml));
    println!("rules document extract         {:>10.0}", per(p.document));
    println!("pipeline::read (all of these)  {:>10.0}", per(p.read));
    println!("Cedar entities                 {:>10.0}", per(p.entities));
    println!(
        "Cedar evaluation               {:>10.0}   ({:.1} requests per submission)",
        per(p.evaluate),
        p.requests as f64 / n as f64
    );
    println!("findings                       {:>10.0}", per(p.findings));
    println!(
        "pipeline::judge (entities + evaluation + findings + statuses) {:>10.0}",
        per(p.judge)
    );
    println!("JSON of the submission         {:>10.0}", per(p.render));
    println!(
        "read + judge + render          {:>10.0}   floor (files + YAML + document) {:.0}",
        per(p.read + p.judge + p.render),
        per(p.files + p.yaml + p.document)
    );
    println!(
        "wall (with the measured repeats) {:.2} s",
        all.as_secs_f64()
    );
}
