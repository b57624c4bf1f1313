#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! The decision cache and the unchecked store are speed, never a verdict:
//! over every sample and a generated corpus, judged under both versions,
//! the cached decisions equal the uncached ones (every request evaluated
//! over the whole store, checked against the schema); every submission's
//! entities and requests validate against the schema (they are not
//! re-checked per submission at run time); and what the cache reads of
//! each action comes from the policies' syntax trees.

#[path = "../benches/corpus/generate.rs"]
mod generate;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::LazyLock;

use cedar_policy::{Context, PolicySet, Request};
use niacheck::catalog::Version;
use niacheck::cedar::{Engine, cache};
use niacheck::{Checker, Date};

static CHECKER: LazyLock<Checker> = LazyLock::new(|| Checker::new().unwrap());

fn samples() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("agency-rules");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("access.yaml").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn ids(decisions: &[Vec<&niacheck::cedar::PolicyMeta>]) -> Vec<Vec<String>> {
    decisions
        .iter()
        .map(|d| d.iter().map(|m| m.id.clone()).collect())
        .collect()
}

/// Judge every readable submission under both versions, cached (twice, so
/// the second pass is answered from the cache) and uncached; the number of
/// requests compared.
fn compare(folders: &[PathBuf], as_of: Date) -> usize {
    let engine = CHECKER.engine();
    let mut compared = 0;
    for folder in folders {
        let Ok(read) = niacheck::pipeline::read(&CHECKER, folder) else {
            continue;
        };
        let built = CHECKER.entities(&read.submitted(), as_of).unwrap();
        let asks: Vec<_> = built.asks.iter().map(|(a, _)| a.clone()).collect();
        for version in Version::ALL {
            let truth = ids(&engine.evaluate_uncached(version, &built, &asks).unwrap());
            for pass in 0..2 {
                let cached = ids(&engine.evaluate(version, &built, &asks).unwrap());
                assert_eq!(
                    cached,
                    truth,
                    "{} under {version}, pass {pass}: cached decisions differ",
                    folder.display()
                );
            }
            compared += asks.len();
        }
    }
    compared
}

#[test]
fn cached_decisions_equal_uncached_ones_on_every_sample() {
    let as_of = Date::parse("2026-11-27").unwrap();
    let compared = compare(&samples(), as_of);
    assert!(compared > 500, "only {compared} requests compared");
}

#[test]
fn cached_decisions_equal_uncached_ones_on_a_generated_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let folders = generate::generate(&dir.path().join("corpus"), 6);
    // Two dates: one before and one after the corpus's deadlines fall.
    for as_of in ["2026-11-27", "2025-03-01"] {
        let compared = compare(&folders, Date::parse(as_of).unwrap());
        assert!(compared > 6 * 45, "only {compared} requests compared");
    }
}

#[test]
fn every_submissions_entities_and_requests_validate_against_the_schema() {
    let engine = CHECKER.engine();
    let dir = tempfile::tempdir().unwrap();
    let mut folders = samples();
    folders.extend(generate::generate(&dir.path().join("corpus"), 6));
    let as_of = Date::parse("2026-11-27").unwrap();
    let mut requests = 0;
    for folder in &folders {
        let Ok(read) = niacheck::pipeline::read(&CHECKER, folder) else {
            continue;
        };
        let built = CHECKER.entities(&read.submitted(), as_of).unwrap();
        built
            .validated_store(engine.schema().unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", folder.display()));
        for (ask, _) in &built.asks {
            Request::new(
                ask.principal.clone(),
                Engine::uid("Action", ask.action).unwrap(),
                ask.resource.clone(),
                Context::empty(),
                Some(engine.schema().unwrap()),
            )
            .unwrap_or_else(|e| panic!("{}: {}: {e}", folder.display(), ask.action));
            requests += 1;
        }
    }
    assert!(requests > 6 * 45, "only {requests} requests checked");
}

#[test]
fn an_entity_that_does_not_fit_the_schema_is_caught_by_the_validated_store() {
    // What the schema check above would catch: the same kind of entity
    // with an attribute of the wrong type.
    let uid = Engine::uid("Submission", "submission").unwrap();
    let bad = cedar_policy::Entity::new(
        uid,
        std::collections::HashMap::from([(
            "as_of".to_owned(),
            cedar_policy::RestrictedExpression::new_string("tomorrow".to_owned()),
        )]),
        std::collections::HashSet::new(),
    )
    .unwrap();
    let result =
        cedar_policy::Entities::from_entities([bad], Some(CHECKER.engine().schema().unwrap()));
    assert!(result.is_err());
}

fn reads(text: &str) -> cache::Reads {
    cache::reads(&PolicySet::from_str(text).unwrap())
}

#[test]
fn the_cache_reads_the_policies_syntax_tree_and_refuses_what_it_cannot_key() {
    let plain = reads(
        r#"forbid (principal, action == NIA::Action::"review-user", resource)
           when { resource.status == NIA::UserStatus::"active" && !resource.card_reader };"#,
    );
    assert!(plain.cacheable);
    assert_eq!(
        plain.paths(),
        vec![
            "resource.status".to_owned(),
            "resource.card_reader".to_owned()
        ]
    );
    let nested = reads(
        r#"forbid (principal, action == NIA::Action::"review-user", resource)
           when { resource has certificate && resource.certificate.expires_on < principal.as_of };"#,
    );
    assert!(nested.cacheable);
    assert_eq!(
        nested.paths(),
        vec![
            "resource.certificate".to_owned(),
            "resource.certificate.expires_on".to_owned(),
            "principal.as_of".to_owned()
        ]
    );
    // Ancestors, the context, tags and template slots are not keyed.
    for text in [
        r#"forbid (principal, action == NIA::Action::"review-user", resource) when { resource in principal };"#,
        r#"forbid (principal in NIA::Submission::"s", action == NIA::Action::"review-user", resource);"#,
        r#"forbid (principal, action == NIA::Action::"access", resource) when { context.day > 3 };"#,
        r#"forbid (principal, action == NIA::Action::"review-user", resource) when { resource.hasTag("x") };"#,
        r#"forbid (principal == ?principal, action == NIA::Action::"review-user", resource);"#,
    ] {
        assert!(!reads(text).cacheable, "{text}");
    }
    // A policy that compares an entity itself keys it.
    let own = reads(
        r#"forbid (principal, action == NIA::Action::"review-user", resource == NIA::User::"0");"#,
    );
    assert!(own.cacheable);
    assert!(own.keys_resource_uid());
}

#[test]
fn every_action_the_check_asks_is_cacheable() {
    // Were one not, it would still be judged correctly (over the whole
    // store), only slower: this test makes that visible.
    let engine = CHECKER.engine();
    let as_of = Date::parse("2026-11-27").unwrap();
    let mut actions = std::collections::BTreeSet::new();
    for folder in samples() {
        if let Ok(read) = niacheck::pipeline::read(&CHECKER, &folder) {
            let built = CHECKER.entities(&read.submitted(), as_of).unwrap();
            actions.extend(built.asks.iter().map(|(a, _)| a.action));
        }
    }
    assert!(actions.len() >= 5, "{actions:?}");
    for version in Version::ALL {
        let reads = engine.reads(version);
        for action in &actions {
            let Some((_, r)) = reads.iter().find(|(a, _)| a == action) else {
                continue;
            };
            assert!(r.cacheable, "{version} {action} is not cacheable");
        }
    }
}
