#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! `niacheck explain`: the catalogue table has one aligned row per
//! requirement in both languages, and the JSON for tools validates against
//! `schemas/explain.schema.json` and agrees with the catalogue and policies.

use std::path::Path;
use std::process::Command;

use niacheck::Lang;
use niacheck::catalog::Version;
use niacheck::explain;
use serde_json::Value;
use unicode_width::UnicodeWidthStr as _;

/// One checker for every test of this file.
static CHECKER: std::sync::LazyLock<niacheck::Checker> =
    std::sync::LazyLock::new(|| niacheck::Checker::new().unwrap());

fn validate(value: &Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/explain.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn the_catalogue_json_validates_and_follows_the_catalogue() {
    let json: Value = serde_json::from_str(&explain::catalogue_json(&CHECKER)).unwrap();
    validate(&json);
    let entries = json.as_array().unwrap();
    let catalog = CHECKER.catalog().requirements();
    assert_eq!(entries.len(), catalog.len());
    for (entry, r) in entries.iter().zip(catalog) {
        assert_eq!(entry["name"], r.name.as_str());
        for version in Version::ALL {
            let v = version.as_str();
            assert_eq!(entry["cite"][v].as_str(), r.cite(version), "{}", r.name);
            assert_eq!(
                entry["enforced"][v].as_bool(),
                Some(CHECKER.engine().enforces(version, &r.name)),
                "{}",
                r.name
            );
        }
        assert_eq!(entry["severity"], r.severity.as_str());
        assert_eq!(entry["title"]["zh"], r.title_zh.as_str());
        assert_eq!(entry["title"]["en"], r.title_en.as_str());
        assert!(entry.get("readme").is_none() && entry.get("policies").is_none());
    }
    let superseded = entries
        .iter()
        .find(|e| e["name"] == "superseded-law")
        .unwrap();
    assert_eq!(superseded["cite"]["previous"], Value::Null);
    assert_eq!(superseded["enforced"]["previous"], false);
    assert_eq!(superseded["checked_from"], serde_json::json!(["doc"]));
}

#[test]
fn one_requirement_json_carries_its_readme_and_every_policy_id() {
    for r in CHECKER.catalog().requirements() {
        let json: Value =
            serde_json::from_str(&explain::requirement_json(&CHECKER, &r.name).unwrap()).unwrap();
        validate(&json);
        let entries = json.as_array().unwrap();
        assert_eq!(entries.len(), 1);
        let entry = &entries[0];
        assert_eq!(entry["name"], r.name.as_str());
        assert_eq!(
            entry["readme"].as_str(),
            niacheck::embedded::readme(&r.name)
        );
        let listed: Vec<(&str, Vec<&str>)> = entry["policies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let versions = p["versions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap())
                    .collect();
                (p["id"].as_str().unwrap(), versions)
            })
            .collect();
        for version in Version::ALL {
            let mut ids: Vec<&str> = CHECKER
                .engine()
                .policies(version)
                .into_iter()
                .filter(|m| m.requirement == r.name)
                .map(|m| m.id.as_str())
                .collect();
            let mut in_json: Vec<&str> = listed
                .iter()
                .filter(|(_, versions)| versions.contains(&version.as_str()))
                .map(|(id, _)| *id)
                .collect();
            ids.sort_unstable();
            in_json.sort_unstable();
            assert_eq!(in_json, ids, "{} {version}", r.name);
        }
    }
    let pdpa: Value =
        serde_json::from_str(&explain::requirement_json(&CHECKER, "pdpa-liability").unwrap())
            .unwrap();
    let law = pdpa[0]["policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "pdpa-liability/liability-law")
        .unwrap();
    assert_eq!(law["versions"], serde_json::json!(["amended", "previous"]));
    let typo = explain::requirement_json(&CHECKER, "pdpa-liablity").unwrap_err();
    assert!(
        typo.en.contains("did you mean `pdpa-liability`"),
        "{typo:?}"
    );
    assert!(typo.zh.contains("是否為 `pdpa-liability`"), "{typo:?}");
}

#[test]
fn the_catalogue_table_has_one_aligned_row_per_requirement_in_each_language() {
    for (lang, header, not_yet, nia) in [
        (Lang::ZhTw, "名稱", "尚未實施", "移民署職責"),
        (Lang::En, "name", "not yet enforced", "nia-side"),
    ] {
        let table = explain::catalogue(&CHECKER, lang);
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[0].starts_with(header), "{}", lines[0]);
        let rows = &lines[1..=CHECKER.catalog().requirements().len()];
        let title_column = |line: &str, title: &str| line[..line.rfind(title).unwrap()].width();
        let header_title = lines[0].split(' ').next_back().unwrap();
        let column = title_column(lines[0], header_title);
        for (line, r) in rows.iter().zip(CHECKER.catalog().requirements()) {
            assert!(line.starts_with(&format!("{} ", r.name)), "{line}");
            assert!(line.ends_with(r.title(lang)), "{line}");
            assert_eq!(title_column(line, r.title(lang)), column, "{line}");
            let cite = r.cite(Version::Amended).unwrap_or("—");
            assert!(line.contains(&format!(" {cite} ")), "{line}");
            assert!(
                line.contains(&format!(" {} ", r.severity.as_str())),
                "{line}"
            );
            if r.is_nia_side() {
                assert!(line.contains(nia), "{line}");
            }
        }
        assert!(
            !table.contains(not_yet),
            "every requirement the agency answers for is enforced"
        );
        assert!(
            table
                .trim_end()
                .ends_with("`niacheck explain NAME` 顯示單一要求之說明及其政策。")
                == (lang == Lang::ZhTw)
        );
    }
}

/// The binary: `--format json` for the catalogue and for one name, and a
/// typo exits 2 with the closest name.
#[test]
fn the_binary_writes_json_for_tools() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_niacheck"))
            .args(args)
            .env_remove("NIACHECK_LANG")
            .output()
            .unwrap()
    };
    let all = run(&["explain", "--format", "json"]);
    assert_eq!(all.status.code(), Some(0));
    let all: Value = serde_json::from_slice(&all.stdout).unwrap();
    validate(&all);
    assert_eq!(
        all,
        serde_json::from_str::<Value>(&explain::catalogue_json(&CHECKER)).unwrap()
    );
    let one = run(&["explain", "card-reader", "--format", "json"]);
    assert_eq!(one.status.code(), Some(0));
    let one: Value = serde_json::from_slice(&one.stdout).unwrap();
    validate(&one);
    assert_eq!(one[0]["name"], "card-reader");
    let typo = run(&["explain", "card-readr", "--format", "json", "--lang", "en"]);
    assert_eq!(typo.status.code(), Some(2));
    assert!(
        String::from_utf8(typo.stderr)
            .unwrap()
            .contains("did you mean `card-reader`")
    );
    let bad = run(&["explain", "--format", "sarif"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn one_requirement_shows_the_concepts_and_terms_of_its_document_parts() {
    let vocabulary = CHECKER.vocabulary();
    for part in vocabulary.parts() {
        let text = explain::requirement(&CHECKER, &part.def.requirement).unwrap();
        assert!(
            text.contains(&format!("\n- `{}`（", part.def.key)),
            "explain {} names the part `{}`",
            part.def.requirement,
            part.def.key
        );
        for content in &part.def.content {
            let all: Vec<String> = content.all.iter().map(|c| format!("`{c}`")).collect();
            assert!(
                text.contains(&format!(": {}", all.join(" + "))),
                "explain {} shows the pattern {all:?}",
                part.def.requirement
            );
            for concept in content.all.iter().chain(&part.def.topic) {
                let terms = vocabulary.concept_terms(concept, usize::MAX);
                if !terms.is_empty() {
                    let line = format!("\n- `{concept}`: {}\n", terms.join("、"));
                    assert!(
                        text.contains(&line),
                        "explain {} lists every term of `{concept}`",
                        part.def.requirement
                    );
                }
            }
        }
        let negation = vocabulary.cue_terms("negation").join("、");
        assert!(!negation.is_empty());
        assert!(text.contains(&format!("\n- `negation`: {negation}\n")));
    }
    // A law concept names the law; a requirement with no document part has no such section.
    let statutes = explain::requirement(&CHECKER, "statutory-duties").unwrap();
    assert!(statutes.contains("- `law:civil-service`: 引用公務員服務法"));
    let card = explain::requirement(&CHECKER, "card-reader").unwrap();
    assert!(!card.contains("data/vocabulary.toml）"));
}
