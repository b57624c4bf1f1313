#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! Personal data never reach an output unless `--show-personal-data` is
//! given: a batch full of them (non-ASCII and one-character personnel
//! numbers, serials, names, national ID numbers in any width and case, in
//! findings, in YAML and date errors, in the lines shown and in the
//! `--fix --dry-run` diff) is checked in every format and each output is
//! searched for every raw value.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

/// Values that must never be printed, each unique in the batch.
const RAW: &[&str] = &[
    "警甲-01",
    "陳志明",
    "TP24A03180000117",
    "林怡君",
    "SN-88",
    "A123456789",
    "Ａ１２３４５６７８９",
    "a123456789",
    "TPX9999000011122",
    "黃俊傑",
    "TPD0000000000042",
    "王大同",
];

/// A line that would show the one-character personnel number.
const SHORT: &str = "personnel_id: \"7\"";

fn user(id: &str, name: &str, serial: &str, expires: &str, need: &str) -> String {
    format!(
        "  - personnel_id: \"{id}\"\n    card_reader: false\n    name: {name}\n    business_need: {need}\n    functions: [entry-exit-records]\n    login: citizen-certificate\n    certificate:\n      serial: \"{serial}\"\n      expires_on: {expires}\n      status: valid\n    status: active\n    active_since: 2024-03-25\n"
    )
}

fn build(root: &Path) {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("agency-rules/taipei-city-police");
    let access = fs::read_to_string(sample.join("access.yaml")).unwrap();
    let rules = fs::read_to_string(sample.join("rules.md")).unwrap();
    let head = access.split("users:\n").next().unwrap();
    let tail = format!("inquiries:{}", access.split("inquiries:").nth(1).unwrap());
    let write = |name: &str, access: &str, rules: &str| {
        let dir = root.join(name);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("access.yaml"), access).unwrap();
        fs::write(dir.join("rules.md"), rules).unwrap();
    };
    // Findings next to every kind of value; a cited superseded law on a
    // line full of personal data, so the diff shows it.
    let users = [
        user(
            "警甲-01",
            "陳志明",
            "TP24A03180000117",
            "2020-01-31",
            "協尋",
        ),
        user("7", "林怡君", "SN-88", "2020-02-29", "刑案偵查"),
    ]
    .concat();
    let personal_rules = rules.replacen(
        "## 五、",
        "承辦人陳志明（身分證Ａ１２３４５６７８９、舊證a123456789、居留證A123456789）依電腦處理個人資料保護法第七條辦理。\n\n## 五、",
        1,
    );
    write(
        "findings",
        &format!("{head}users:\n{users}{tail}"),
        &personal_rules,
    );
    // An unknown key on the line of a serial, a name on the next: the YAML
    // error shows both.
    let typo = "  - personnel_id: \"X-1\"\n    certificate:\n      serail: \"TPX9999000011122\"\n    name: 黃俊傑\n";
    write("yaml-error", &format!("{head}users:\n{typo}{tail}"), &rules);
    // An impossible date between a serial and a name.
    let bad_date = "  - personnel_id: \"X-2\"\n    certificate:\n      serial: \"TPD0000000000042\"\n      expires_on: 2026-02-30\n    name: 王大同\n";
    write(
        "date-error",
        &format!("{head}users:\n{bad_date}{tail}"),
        &rules,
    );
}

fn run(root: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["check", "--as-of", "2026-11-27", "--lang", "en"];
    args.extend_from_slice(extra);
    args.push(".");
    Command::new(env!("CARGO_BIN_EXE_niacheck"))
        .args(&args)
        .current_dir(root)
        .env_remove("NIACHECK_LANG")
        .output()
        .expect("niacheck runs")
}

#[test]
fn no_output_format_prints_a_raw_personal_value() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path());
    let outputs = [
        ("human", run(dir.path(), &[])),
        ("json", run(dir.path(), &["--format", "json"])),
        ("dry-run diff", run(dir.path(), &["--fix", "--dry-run"])),
    ];
    for (format, out) in &outputs {
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!text.contains("panicked"), "{text}");
        assert!(text.len() > 200, "{format}: too little output: {text}");
        for raw in RAW {
            assert!(!text.contains(raw), "{format} shows `{raw}`:\n{text}");
        }
        assert!(!text.contains(SHORT), "{format} shows {SHORT}:\n{text}");
    }
    let (_, human) = &outputs[0];
    let human = String::from_utf8_lossy(&human.stdout);
    // The places and the dates stay readable.
    assert!(human.contains("expired on 2020-01-31"), "{human}");
    assert!(human.contains("2026-02-30"), "{human}");
    assert!(human.contains("電腦處理個人資料保護法第七條"), "{human}");
    assert!(human.contains("serail"), "{human}");
    let (_, diff) = &outputs[2];
    let diff = String::from_utf8_lossy(&diff.stdout);
    assert!(
        !diff.contains(",* "),
        "a hunk header is not personal: {diff}"
    );
    assert!(diff.contains("+承辦人＊＊＊（身分證Ａ＊＊＊＊＊＊＊＊＊、舊證a*********、居留證A*********）依個人資料保護法第十五條"), "{diff}");

    // The test is not vacuous: with --show-personal-data every value is there.
    let shown = run(dir.path(), &["--show-personal-data"]);
    let shown = String::from_utf8_lossy(&shown.stdout);
    for raw in RAW {
        assert!(shown.contains(raw), "`{raw}` is not in the batch:\n{shown}");
    }
    assert!(shown.contains(SHORT), "{shown}");
}
