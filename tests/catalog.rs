#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! Registry invariants, checked by tests rather than by review: the
//! catalogue, the policy folders, the schema, the vocabulary and the message
//! templates agree with each other, and a Cedar evaluation error is never a
//! silent pass.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use niacheck::Checker;
use niacheck::catalog::{Catalog, Version};
use niacheck::cedar::Engine;
use niacheck::embedded;
use niacheck::extract::document;
use niacheck::source::SourceFile;

/// One checker for every test of this file.
static CHECKER: std::sync::LazyLock<Checker> =
    std::sync::LazyLock::new(|| Checker::new().unwrap_or_else(|e| panic!("{e}")));

fn checker() -> &'static Checker {
    &CHECKER
}

#[test]
fn the_catalogue_has_thirty_requirements_in_regulation_order() {
    let catalog = Catalog::embedded().unwrap();
    let names: Vec<&str> = catalog
        .requirements()
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(names.len(), 30);
    assert_eq!(
        names.iter().collect::<BTreeSet<_>>().len(),
        30,
        "names are unique"
    );
    for r in catalog.requirements() {
        assert!(
            r.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "`{}` is kebab-case",
            r.name
        );
        assert!(r.cite(Version::Amended).is_some() || r.cite(Version::Previous).is_some());
        assert!(!r.title_zh.is_empty() && !r.title_en.is_empty());
    }
    assert_eq!(
        catalog
            .get("fax-inquiry-form")
            .unwrap()
            .cite(Version::Previous),
        None
    );
    assert_eq!(
        catalog
            .get("lost-certificate-notice")
            .unwrap()
            .cite(Version::Previous),
        Some("6.6")
    );
}

#[test]
fn every_policy_folder_is_a_requirement_with_a_readme() {
    let catalog = Catalog::embedded().unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        if entry.path().is_dir() {
            let name = entry.file_name().to_string_lossy().into_owned();
            assert!(
                catalog.get(&name).is_some(),
                "policies/{name} is not in the catalogue"
            );
        }
    }
    for r in catalog.requirements() {
        assert!(
            embedded::readme(&r.name).is_some(),
            "policies/{}/README.md is missing",
            r.name
        );
    }
}

#[test]
fn policies_validate_and_agree_with_the_catalogue() {
    let checker = checker();
    let engine = checker.engine();
    let catalog = checker.catalog();
    for version in Version::ALL {
        let policies = engine.policies(version);
        assert!(!policies.is_empty());
        let ids: BTreeSet<&str> = policies.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(
            ids.len(),
            policies.len(),
            "policy ids are unique in {version}"
        );
        for policy in policies {
            let requirement = catalog.get(&policy.requirement).unwrap();
            assert!(policy.id.starts_with(&format!("{}/", requirement.name)));
            assert_eq!(
                Some(policy.cite.as_str()),
                requirement.cite(version),
                "{}",
                policy.id
            );
            assert!(
                !requirement.is_nia_side(),
                "{} is NIA's own duty",
                policy.id
            );
            assert!(
                policy.severity >= requirement.severity,
                "{} is more severe than its requirement",
                policy.id
            );
            if let Some(part) = &policy.evidence {
                assert!(
                    checker.vocabulary().part(part).is_some(),
                    "{}: unknown part `{part}`",
                    policy.id
                );
            }
            match &policy.gap {
                Some(gap) => assert!(
                    [
                        "missing",
                        "empty",
                        "placeholder",
                        "negated",
                        "unstated",
                        "restated",
                        "omitted"
                    ]
                    .contains(&gap.as_str()),
                    "{}: unknown gap `{gap}`",
                    policy.id
                ),
                None => assert!(
                    policy.message_zh.is_some()
                        && policy.message_en.is_some()
                        && policy.help_zh.is_some()
                        && policy.help_en.is_some(),
                    "{} has neither @gap nor its own messages",
                    policy.id
                ),
            }
        }
        for r in catalog.requirements() {
            if r.cite(version).is_none() {
                assert!(
                    !engine.enforces(version, &r.name),
                    "{} has policies in {version}",
                    r.name
                );
            }
        }
    }
}

#[test]
fn every_vocabulary_part_is_a_schema_attribute() {
    // Building the entities validates them against the schema: a part the
    // schema lacks (or the other way round) fails here.
    let checker = checker();
    let rules = Arc::new(SourceFile::new("rules.md", ""));
    let access = Arc::new(SourceFile::new("access.yaml", "agency:\n  name: 機關\n"));
    let config = niacheck::extract::config::parse(access.text()).unwrap();
    let facts = document::extract("", checker.vocabulary(), checker.laws());
    let submitted = niacheck::findings::Submitted {
        config: &config,
        access: &access,
        facts: &facts,
        rules: &rules,
    };
    for version in Version::ALL {
        checker
            .judge(
                version,
                niacheck::Date::parse("2026-11-27").unwrap(),
                &submitted,
            )
            .unwrap();
    }
    let schema = embedded::CEDAR_SCHEMA;
    for part in checker.vocabulary().parts() {
        assert!(
            schema.contains(&format!("\"{}\": Evidence", part.def.key)),
            "{}",
            part.def.key
        );
        assert!(checker.catalog().get(&part.def.requirement).is_some());
    }
}

#[test]
fn a_cedar_evaluation_error_is_an_error_not_a_pass() {
    let catalog = Catalog::embedded().unwrap();
    // Passes strict validation, overflows at run time for any document with
    // two or more letters of purpose.
    let overflowing = r#"
@id("overflow")
@requirement("purpose-and-security")
@cite("7.1")
@severity("error")
@evidence("purpose")
@gap("missing")
forbid (principal, action == NIA::Action::"review-document", resource)
when { resource.purpose.content_chars * 9223372036854775807 > 0 };
"#;
    let files: &[(&str, &str, &str)] = &[("purpose-and-security", "policy.cedar", overflowing)];
    let engine = Engine::with_policies(&catalog, embedded::CEDAR_SCHEMA, files).unwrap();
    let checker = checker();
    let text = "一、目的：本局為辦理刑案偵查，使用入出境資料。";
    let facts = document::extract(text, checker.vocabulary(), checker.laws());
    let inputs = niacheck::cedar::entities::Inputs {
        agency: "機關",
        as_of: niacheck::Date::parse("2026-11-27").unwrap(),
        document: &facts,
        config: None,
        laws: checker.laws(),
        reference: checker.reference(),
        calendar: checker.calendar(),
    };
    let built = niacheck::cedar::entities::build(&engine, &inputs).unwrap();
    let asks: Vec<_> = built.asks.iter().map(|(a, _)| a.clone()).collect();
    let result = engine.evaluate(Version::Amended, &built, &asks);
    let error = result.expect_err("an erroring policy must not read as no finding");
    assert!(error.0.contains("overflow"), "{error}");
}

#[test]
fn a_policy_that_fails_strict_validation_stops_start_up() {
    let catalog = Catalog::embedded().unwrap();
    let bad = r#"
@id("typo")
@requirement("purpose-and-security")
@cite("7.1")
@severity("error")
forbid (principal, action == NIA::Action::"review-document", resource)
when { resource.purpose.foundd };
"#;
    let files: &[(&str, &str, &str)] = &[("purpose-and-security", "policy.cedar", bad)];
    let error = Engine::with_policies(&catalog, embedded::CEDAR_SCHEMA, files).unwrap_err();
    assert!(error.to_string().contains("strict validation"), "{error}");
}

#[test]
fn requirement_docs_name_only_policies_that_exist() {
    // A README that names a policy id (`purpose-and-security/purpose-empty`
    // or its local part `purpose-empty`) must name a real one, and every
    // policy of an enforced requirement is named in its README.
    let checker = checker();
    let engine = checker.engine();
    let mut all_ids: BTreeSet<String> = BTreeSet::new();
    for version in Version::ALL {
        all_ids.extend(engine.policies(version).iter().map(|p| p.id.clone()));
    }
    let suffixes = [
        "-missing",
        "-empty",
        "-placeholder",
        "-negated",
        "-hollow",
        "-law",
        "-citation",
        "-numbers",
        "-act",
        "-articles",
    ];
    for requirement in checker.catalog().requirements() {
        let readme = embedded::readme(&requirement.name).unwrap();
        let own: BTreeSet<&str> = all_ids
            .iter()
            .filter_map(|id| id.strip_prefix(&format!("{}/", requirement.name)))
            .collect();
        for token in readme.split('`').skip(1).step_by(2) {
            let local = token
                .strip_prefix(&format!("{}/", requirement.name))
                .unwrap_or(token);
            let looks_like_policy = !local.contains(' ')
                && local
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_')
                && suffixes.iter().any(|s| local.ends_with(s))
                && (token.contains('/')
                    || local.contains('_')
                    || own
                        .iter()
                        .any(|o| o.split('-').next() == local.split('-').next()));
            if looks_like_policy {
                assert!(
                    own.contains(local),
                    "policies/{}/README.md names unknown policy `{token}`",
                    requirement.name
                );
            }
        }
        for id in &own {
            assert!(
                readme.contains(id),
                "policies/{}/README.md does not mention policy `{id}`",
                requirement.name
            );
        }
    }
}
