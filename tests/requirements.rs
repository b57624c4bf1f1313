#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! Each requirement alone, over its fixtures: `policies/<name>/fixtures/`
//! holds `pass-*` and `fail-*` files: rules documents (`.md`, checked with
//! the configuration of the passing sample `agency-rules/taipei-city-police`)
//! or access configurations (`.yaml`, checked with that sample's rules); `*.amended.*` or `*.previous.*` for one version
//! only. A pass fixture must give no finding of that requirement; a fail
//! fixture must give some, and its rendered diagnostics (zh-TW and en) are
//! snapshot-tested. Dates are judged as of 2026-11-27.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use libtest_mimic::{Arguments, Trial};

use niacheck::extract::config;
use niacheck::findings::Submitted;
use niacheck::{Checker, Date};

/// The passing sample whose files complete a fixture.
const BASE: &str = "agency-rules/taipei-city-police";

fn base(file: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(BASE).join(file)).unwrap()
}
use niacheck::Lang;
use niacheck::catalog::{Evidence, Version};
use niacheck::diagnostic::{Style, render_finding};
use niacheck::extract::document;
use niacheck::privacy::Masker;
use niacheck::report::Finding;
use niacheck::source::SourceFile;

/// One checker for every fixture.
static CHECKER: LazyLock<Checker> = LazyLock::new(|| match Checker::new() {
    Ok(c) => c,
    Err(e) => panic!("{e}"),
});

fn policies_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("policies")
}

/// The fixtures of a requirement: (file name, versions it applies to, text).
fn fixtures(requirement: &str) -> Vec<(String, Vec<Version>, String)> {
    let dir = policies_dir().join(requirement).join("fixtures");
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<(String, Vec<Version>, String)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let text = fs::read_to_string(e.path()).ok()?;
            let versions = if name.contains(".amended.") {
                vec![Version::Amended]
            } else if name.contains(".previous.") {
                vec![Version::Previous]
            } else {
                Version::ALL.to_vec()
            };
            Some((name, versions, text))
        })
        .collect();
    out.sort();
    out
}

fn findings_of(
    checker: &Checker,
    requirement: &str,
    version: Version,
    name: &str,
    text: &str,
) -> Vec<Finding> {
    let (config_text, rules_text) = if name.ends_with(".yaml") {
        (text.to_owned(), base("rules.md"))
    } else {
        (base("access.yaml"), text.to_owned())
    };
    let (config_name, rules_name) = if name.ends_with(".yaml") {
        (name, "rules.md")
    } else {
        ("access.yaml", name)
    };
    let access = Arc::new(SourceFile::new(config_name, &config_text));
    let parsed =
        config::parse(access.text()).unwrap_or_else(|e| panic!("{requirement}/{name}: {e:?}"));
    let rules = Arc::new(SourceFile::new(rules_name, &rules_text));
    let facts = document::extract(rules.text(), checker.vocabulary(), checker.laws());
    let submitted = Submitted {
        config: &parsed,
        access: &access,
        facts: &facts,
        rules: &rules,
    };
    let as_of = Date::parse("2026-11-27").unwrap();
    let findings = match checker.judge(version, as_of, &submitted) {
        Ok(f) => f,
        Err(e) => panic!("{requirement}/{name}: {e}"),
    };
    findings
        .into_iter()
        .filter(|f| f.requirement == requirement)
        .collect()
}

fn render(requirement: &str, findings: &[Finding]) -> String {
    let style = Style {
        color: false,
        width: 80,
    };
    let submission = format!("policies/{requirement}/fixtures");
    let mut out = String::new();
    for lang in [Lang::ZhTw, Lang::En] {
        for finding in findings {
            out.push_str(&render_finding(
                Masker {
                    show: false,
                    values: &[],
                },
                &submission,
                finding,
                lang,
                style,
            ));
            out.push('\n');
        }
    }
    out
}

/// One fixture under every version it applies to: a pass fixture gives no
/// finding of its requirement, a fail fixture some, whose rendered
/// diagnostics match the reviewed snapshot (one when the versions agree).
fn check_fixture(requirement: &str, name: &str, versions: &[Version], text: &str) {
    let checker = &*CHECKER;
    let mut rendered: Vec<(Version, String)> = Vec::new();
    for &version in versions {
        let findings = findings_of(checker, requirement, version, name, text);
        if name.starts_with("pass-") {
            assert!(
                findings.is_empty(),
                "{requirement}/{name} under {version} should pass, got: {:#?}",
                findings
                    .iter()
                    .map(|f| (&f.policy, &f.message.en))
                    .collect::<Vec<_>>()
            );
        } else {
            assert!(
                !findings.is_empty(),
                "{requirement}/{name} under {version} should fail"
            );
            rendered.push((version, render(requirement, &findings)));
        }
    }
    let stem = name
        .trim_end_matches(".md")
        .trim_end_matches(".yaml")
        .trim_end_matches(".amended")
        .trim_end_matches(".previous");
    let stem = if name.ends_with(".yaml") {
        format!("{stem}.yaml")
    } else {
        stem.to_owned()
    };
    let all_same = rendered
        .windows(2)
        .all(|w| matches!(w, [a, b] if a.1 == b.1));
    match rendered.as_slice() {
        [] => {}
        [(_, only), ..] if all_same && rendered.len() > 1 => {
            insta::assert_snapshot!(format!("{requirement}__{stem}"), only);
        }
        _ => {
            for (version, text) in &rendered {
                insta::assert_snapshot!(format!("{requirement}__{stem}__{version}"), text);
            }
        }
    }
}

/// One trial per fixture, named `requirement/fixture`, so a failure names
/// its fixture and `cargo test --test requirements card-reader` runs one
/// requirement's.
fn fixture_trials() -> Vec<Trial> {
    let mut trials = Vec::new();
    for requirement in CHECKER.catalog().requirements() {
        for (name, versions, text) in fixtures(&requirement.name) {
            let versions: Vec<Version> = versions
                .into_iter()
                .filter(|&v| {
                    requirement.cite(v).is_some() && CHECKER.engine().enforces(v, &requirement.name)
                })
                .collect();
            if versions.is_empty() {
                continue;
            }
            let requirement = requirement.name.clone();
            trials.push(Trial::test(format!("{requirement}/{name}"), move || {
                check_fixture(&requirement, &name, &versions, &text);
                Ok(())
            }));
        }
    }
    trials
}

fn main() -> std::process::ExitCode {
    let args = Arguments::from_args();
    let mut trials = fixture_trials();
    let count = trials.len();
    trials.push(Trial::test("enough-fixtures", move || {
        if count >= 40 {
            Ok(())
        } else {
            Err(format!("only {count} fixtures").into())
        }
    }));
    trials.push(Trial::test(
        "every-enforced-requirement-has-pass-and-fail-fixtures-in-each-version",
        || {
            every_enforced_requirement_has_pass_and_fail_fixtures_in_each_version();
            Ok(())
        },
    ));
    libtest_mimic::run(&args, trials).exit_code()
}

fn every_enforced_requirement_has_pass_and_fail_fixtures_in_each_version() {
    let checker = &*CHECKER;
    for requirement in checker.catalog().requirements() {
        if requirement.is_nia_side() || requirement.checked_from == [Evidence::Log] {
            continue;
        }
        for version in Version::ALL {
            if !checker.engine().enforces(version, &requirement.name) {
                continue;
            }
            let of_version: Vec<_> = fixtures(&requirement.name)
                .into_iter()
                .filter(|(_, versions, _)| versions.contains(&version))
                .collect();
            for kind in ["pass-", "fail-"] {
                assert!(
                    of_version.iter().any(|(name, _, _)| name.starts_with(kind)),
                    "{} has no {kind}* fixture for {version}",
                    requirement.name
                );
            }
        }
    }
}
