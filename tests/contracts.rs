#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! The string contracts between the policies and the Rust side, each of
//! which a typo would otherwise break silently: a policy's `@subject` path
//! resolves in the access configuration's schema; every `{placeholder}` of a
//! message is one its findings fill; every deadline id is defined; every
//! closed-value literal is a member of its Cedar enum, and the enums agree
//! with `access.schema.json`. Each test also shows that the typo is caught.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::LazyLock;

use niacheck::Checker;
use niacheck::calendar::Calendar;
use niacheck::catalog::{Catalog, Version};
use niacheck::cedar::Engine;
use niacheck::cedar::entities::{self, Subject};
use niacheck::embedded;
use niacheck::findings::Templates;
use serde_json::Value;

static CHECKER: LazyLock<Checker> = LazyLock::new(|| Checker::new().unwrap());

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn access_schema() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/access.schema.json")).unwrap(),
    )
    .unwrap()
}

/// For each action of the configuration, the YAML path of its entities
/// (`users` for `review-user`), and the placeholders they filled, read off
/// the entities built for every sample submission.
fn config_actions() -> BTreeMap<String, (String, BTreeSet<String>)> {
    let mut out: BTreeMap<String, (String, BTreeSet<String>)> = BTreeMap::new();
    let mut dirs: Vec<_> = std::fs::read_dir(root().join("agency-rules"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("access.yaml").is_file())
        .collect();
    dirs.sort();
    for dir in dirs {
        let read = niacheck::pipeline::read(&CHECKER, &dir).unwrap();
        let inputs = entities::Inputs {
            agency: "x",
            as_of: niacheck::Date::parse("2026-11-27").unwrap(),
            document: &read.facts,
            config: Some((&read.config, niacheck::source::Span::new(0, 0))),
            laws: CHECKER.laws(),
            reference: CHECKER.reference(),
            calendar: CHECKER.calendar(),
        };
        let built = entities::build(CHECKER.engine(), &inputs).unwrap();
        for (ask, subject) in &built.asks {
            let Subject::Config(i) = subject else {
                continue;
            };
            let located = built
                .located(*i, &read.config, CHECKER.reference(), CHECKER.calendar())
                .unwrap();
            let path = located
                .subject
                .split('[')
                .next()
                .unwrap_or_default()
                .to_owned();
            let entry = out.entry(ask.action.to_owned()).or_default();
            entry.0 = path;
            entry.1.extend(located.vars.keys().map(|k| (*k).to_owned()));
        }
    }
    out
}

/// The schema node at `path` (`users.certificate.expires_on`; array items
/// are stepped into), following `$ref`s and `anyOf` branches.
fn resolve<'a>(schema: &'a Value, node: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let node = deref(schema, node);
    let Some((first, rest)) = path.split_first() else {
        return Some(node);
    };
    if let Some(items) = node.get("items") {
        return resolve(schema, items, path);
    }
    if let Some(found) = node.get("properties").and_then(|p| p.get(*first)) {
        return resolve(schema, found, rest);
    }
    node.get("anyOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find_map(|branch| resolve(schema, branch, path))
}

fn deref<'a>(schema: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.trim_start_matches("#/$defs/");
            deref(schema, &schema["$defs"][name])
        }
        None => node,
    }
}

fn subject_resolves(
    schema: &Value,
    actions: &BTreeMap<String, (String, BTreeSet<String>)>,
    action: &str,
    subject: &str,
) -> bool {
    let Some((base, _)) = actions.get(action) else {
        return false;
    };
    let path: Vec<&str> = base
        .split('.')
        .chain(subject.split('.'))
        .filter(|s| !s.is_empty())
        .collect();
    resolve(schema, schema, &path).is_some()
}

#[test]
fn every_subject_resolves_in_the_access_schema() {
    let schema = access_schema();
    let actions = config_actions();
    for action in [
        "review-agency",
        "review-application",
        "review-workstation",
        "review-user",
        "review-grant",
        "review-inquiry",
        "review-data-request",
        "review-protected-grant",
    ] {
        assert!(
            actions.contains_key(action),
            "no sample builds a `{action}` entity"
        );
    }
    let mut checked = 0;
    for version in Version::ALL {
        for meta in CHECKER.engine().policies(version) {
            let Some(subject) = meta.subject.as_deref() else {
                continue;
            };
            assert!(
                subject_resolves(&schema, &actions, &meta.action, subject),
                "policy `{}` has `@subject(\"{subject}\")`, which is no field of `{}`",
                meta.id,
                actions
                    .get(&meta.action)
                    .map_or("its action", |a| a.0.as_str())
            );
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} subjects checked");
    // The typo is caught.
    assert!(subject_resolves(
        &schema,
        &actions,
        "review-user",
        "certificate.expires_on"
    ));
    assert!(!subject_resolves(
        &schema,
        &actions,
        "review-user",
        "certificate.expires_onn"
    ));
    assert!(!subject_resolves(
        &schema,
        &actions,
        "review-inquiry",
        "expires_on"
    ));
}

#[test]
fn every_filled_placeholder_is_declared_and_a_typo_fails_at_start_up() {
    // What the entities really fill is what `VARS` declares.
    for (action, (_, filled)) in config_actions() {
        for name in filled {
            assert!(
                niacheck::findings::fills(&action, &name),
                "`{action}` entities fill `{{{name}}}`, which cedar::config::VARS does not declare"
            );
        }
    }
    // The embedded policies pass (Checker::new checks them).
    let templates = Templates::from_toml(embedded::MESSAGES_TOML).unwrap();
    templates.check_policies(CHECKER.engine()).unwrap();
    // A typo in a policy's message is an error at start-up.
    let catalog = Catalog::embedded().unwrap();
    let text = embedded::POLICY_FILES
        .iter()
        .find(|(dir, file, _)| *dir == "inquiry-deadline" && *file == "policy.cedar")
        .unwrap()
        .2;
    assert!(text.contains("{raise_deadline}"));
    let typo = text.replacen("{raise_deadline}", "{raise_dedline}", 1);
    let files: Vec<(&str, &str, &str)> = embedded::POLICY_FILES
        .iter()
        .map(|&(dir, file, t)| {
            if dir == "inquiry-deadline" && file == "policy.cedar" {
                (dir, file, typo.as_str())
            } else {
                (dir, file, t)
            }
        })
        .collect();
    let engine = Engine::with_policies(&catalog, embedded::CEDAR_SCHEMA, &files).unwrap();
    let error = templates.check_policies(&engine).unwrap_err().to_string();
    assert!(error.contains("raise_dedline"), "{error}");
    assert!(error.contains("inquiry-deadline/"), "{error}");
}

#[test]
fn deadline_ids_are_exactly_those_the_checks_use() {
    Calendar::from_toml(embedded::DEADLINES_TOML, embedded::HOLIDAYS_TOML).unwrap();
    let typo = embedded::DEADLINES_TOML.replacen("\"inquiry\"", "\"inquirry\"", 1);
    assert_ne!(typo, embedded::DEADLINES_TOML);
    let error = Calendar::from_toml(&typo, embedded::HOLIDAYS_TOML)
        .unwrap_err()
        .to_string();
    assert!(error.contains("inquirry"), "{error}");
}

#[test]
fn a_closed_value_literal_outside_its_enum_fails_strict_validation() {
    let catalog = Catalog::embedded().unwrap();
    let (dir, file, text) = embedded::POLICY_FILES
        .iter()
        .find(|(_, f, t)| f.ends_with(".cedar") && t.contains("NIA::UserStatus::\"active\""))
        .copied()
        .unwrap();
    let typo = text.replacen(
        "NIA::UserStatus::\"active\"",
        "NIA::UserStatus::\"actve\"",
        1,
    );
    let files: Vec<(&str, &str, &str)> = embedded::POLICY_FILES
        .iter()
        .map(|&(d, f, t)| {
            if d == dir && f == file {
                (d, f, typo.as_str())
            } else {
                (d, f, t)
            }
        })
        .collect();
    let error = Engine::with_policies(&catalog, embedded::CEDAR_SCHEMA, &files)
        .unwrap_err()
        .to_string();
    assert!(error.contains("actve"), "{error}");
}

#[test]
fn cedar_enums_have_the_configuration_spellings() {
    let schema = access_schema();
    let cedar = embedded::CEDAR_SCHEMA;
    for (cedar_name, json_name) in [
        ("Tier", "Tier"),
        ("UserStatus", "UserStatus"),
        ("Login", "Login"),
        ("CertificateStatus", "CertificateStatus"),
        ("InquiryKind", "InquiryKind"),
    ] {
        let declaration = format!("entity {cedar_name} enum [");
        let start = cedar.find(&declaration).unwrap() + declaration.len();
        let end = start + cedar[start..].find(']').unwrap();
        let members: Vec<String> = cedar[start..end]
            .split(',')
            .map(|m| m.trim().trim_matches('"').to_owned())
            .collect();
        let spelled: Vec<String> = schema["$defs"][json_name]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(members, spelled, "{cedar_name}");
    }
}
