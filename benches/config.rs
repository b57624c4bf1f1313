//! Config benchmark: judging one submission with a 50-user access.yaml
//! (entities built from the parsed config, every policy evaluated), and
//! the time per user. `cargo bench --bench config`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a benchmark fails loudly"
)]

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Instant;

use niacheck::catalog::{Severity, Version};
use niacheck::extract::{config, document};
use niacheck::findings::Submitted;
use niacheck::source::SourceFile;
use niacheck::{Checker, Date};

const USERS: usize = 50;
const ROUNDS: usize = 200;

fn access_config() -> String {
    let mut yaml = String::from(
        "agency:\n  name: 測試機關\n  tier: municipal-subordinate\n  legal_basis: 警察職權行使法第十五條\napplication:\n  form: annex-1\n  functions: [entry-exit-records, entry-exit-certificate]\n  forwarded_by: 臺北市政府\n  approved_on: 2024-03-20\n  notice_ref: 移署資字第1130012345號\nworkstation:\n  idle_lock_minutes: 10\n  remove_card_on_leave: true\nusers:\n",
    );
    for u in 0..USERS {
        let _ = write!(
            yaml,
            "  - personnel_id: \"T-{u:04}\"\n    name: 使用者{u}\n    functions: [entry-exit-records]\n    business_need: 刑案偵查\n    card_reader: true\n    login: citizen-certificate\n    certificate:\n      serial: \"TP{u:014}\"\n      expires_on: 2027-05-01\n      status: valid\n    status: active\n    active_since: 2024-03-25\n"
        );
    }
    yaml.push_str("inquiries:\n  - kind: data-doubt\n    data_obtained_on: 2025-02-06\n    raised_on: 2025-02-10\n    form: annex-2\n    faxed_on: 2025-02-10\n    document_sent_on: 2025-02-12\n");
    yaml
}

fn main() {
    let checker = Checker::new().unwrap();
    let access = Arc::new(SourceFile::new("access.yaml", &access_config()));
    let rules_text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/agency-rules/taipei-city-police/rules.md"
    ))
    .unwrap();
    let rules = Arc::new(SourceFile::new("rules.md", &rules_text));
    let as_of = Date::parse("2026-11-27").unwrap();

    let start = Instant::now();
    let mut parsed = None;
    for _ in 0..ROUNDS {
        parsed = Some(config::parse(access.text()).unwrap());
    }
    let parse = start.elapsed() / ROUNDS as u32;
    let parsed = parsed.unwrap();
    assert_eq!(parsed.users.len(), USERS);
    let facts = document::extract(rules.text(), checker.vocabulary(), checker.laws());
    let submitted = Submitted {
        config: &parsed,
        access: &access,
        facts: &facts,
        rules: &rules,
    };
    let start = Instant::now();
    let mut findings = 0;
    for _ in 0..ROUNDS {
        findings += checker
            .judge(Version::Amended, as_of, &submitted)
            .unwrap()
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
    }
    let judge = start.elapsed() / ROUNDS as u32;
    assert_eq!(findings, 0, "the generated submission has no error finding");
    let policies = checker.engine().policies(Version::Amended).len();
    println!("users per config:            {USERS}");
    println!("policies (amended):          {policies}");
    println!(
        "parse access.yaml:           {:>9.1} µs",
        parse.as_secs_f64() * 1e6
    );
    println!(
        "judge (entities + Cedar):    {:>9.1} µs",
        judge.as_secs_f64() * 1e6
    );
    println!(
        "judge per user:              {:>9.1} µs",
        judge.as_secs_f64() * 1e6 / USERS as f64
    );
}
