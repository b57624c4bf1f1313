//! The human renderer on any pair of files: the input is split at the
//! first NUL into an access configuration and a rules document, judged as
//! `check` does, and every finding rendered; a span taken from the input is
//! rendered too, on any line of any length. No panic, and no control
//! character of the input reaches the output.
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use niacheck::catalog::{Severity, Version};
use niacheck::findings::Submitted;
use niacheck::diagnostic::{Style, SubmissionRenderer};
use niacheck::extract::{config, document};
use niacheck::privacy::Masker;
use niacheck::lang::Localized;
use niacheck::report::{Finding, Location};
use niacheck::source::{SourceFile, Span};
use niacheck::{Checker, Date, Lang};

fn checker() -> &'static Checker {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    CHECKER.get_or_init(|| Checker::new().expect("embedded data"))
}

fuzz_target!(|text: &str| {
    let checker = checker();
    let (yaml, rules) = text.split_once('\0').unwrap_or((text, ""));
    let access = Arc::new(SourceFile::new("access.yaml", yaml));
    let rules = Arc::new(SourceFile::new("rules.md", rules));
    let style = Style {
        color: false,
        width: 80,
    };
    let values = vec![yaml.chars().take(8).collect::<String>()];
    let masker = Masker {
        show: false,
        values: &values,
    };
    let mut renderer = SubmissionRenderer::new(masker, "fuzz", Lang::En, style);
    let mut findings = Vec::new();
    if let Ok(config) = config::parse(access.text()) {
        let facts = document::extract(rules.text(), checker.vocabulary(), checker.laws());
        let submitted = Submitted {
            config: &config,
            access: &access,
            facts: &facts,
            rules: &rules,
        };
        let as_of = Date::parse("2026-11-27").expect("date");
        if let Ok(found) = checker.judge(Version::Amended, as_of, &submitted) {
            findings = found;
        }
    }
    let len = rules.text().len();
    let start = usize::from(text.len() as u16) % (len + 1);
    findings.push(Finding {
        requirement: "superseded-law".into(),
        cite: "7.5".into(),
        severity: Severity::Error,
        policy: "fuzz".into(),
        message: Localized::same(yaml.chars().take(2_000).collect::<String>()),
        help: Localized::same(""),
        location: Some(Location {
            file: Arc::clone(&rules),
            span: Span::new(start, len),
        }),
        subject: None,
        fix: None,
        fingerprint: String::new(),
        waived: None,
    });
    for finding in &findings {
        let out = renderer.finding(finding);
        assert!(
            !out.contains(['\u{1b}', '\u{7}', '\r', '\u{202e}']),
            "{out:?}"
        );
    }
});
