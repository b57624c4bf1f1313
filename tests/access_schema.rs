#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! `schemas/access.schema.json` is generated from the Rust types of the
//! configuration; this test keeps the committed file fresh
//! (`NIACHECK_BLESS=1 cargo test --test access_schema` rewrites it) and
//! checks every sample configuration against it.

use std::path::Path;

use niacheck::extract::config::json_schema_text;

#[test]
fn the_committed_schema_is_fresh() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/access.schema.json");
    let generated = json_schema_text();
    if std::env::var_os("NIACHECK_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schemas/access.schema.json is stale: run `NIACHECK_BLESS=1 cargo test --test access_schema`"
    );
}

#[test]
fn every_sample_configuration_matches_the_schema_and_names_it() {
    let schema: serde_json::Value = serde_json::from_str(&json_schema_text()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("agency-rules");
    let mut seen = 0;
    for entry in std::fs::read_dir(samples).unwrap().flatten() {
        let Ok(text) = std::fs::read_to_string(entry.path().join("access.yaml")) else {
            continue;
        };
        assert!(
            text.starts_with("# yaml-language-server: $schema=../../schemas/access.schema.json"),
            "{}: the first line names the schema for editors",
            entry.path().display()
        );
        let value: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", entry.path().display());
        seen += 1;
    }
    assert!(seen >= 8);
}
