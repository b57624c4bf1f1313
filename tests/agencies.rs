#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! The merged counties of `data/agencies.toml` (臺北縣 → 新北市 on
//! 2010-12-25, …): the data is consistent, a document's naming of their
//! bodies is read, and the policies of application-routing report them.

use std::sync::{Arc, LazyLock};

use niacheck::catalog::Version;
use niacheck::extract::config;
use niacheck::extract::document;
use niacheck::extract::reference::merged_names;
use niacheck::findings::Submitted;
use niacheck::report::Finding;
use niacheck::source::SourceFile;
use niacheck::{Checker, Date};

static CHECKER: LazyLock<Checker> = LazyLock::new(|| Checker::new().unwrap());

#[test]
fn every_merged_county_has_a_local_successor_and_a_date() {
    let reference = CHECKER.reference();
    let merged = reference.merged();
    let expected = [
        ("臺北縣", "新北市", "2010-12-25"),
        ("臺中縣", "臺中市", "2010-12-25"),
        ("臺南縣", "臺南市", "2010-12-25"),
        ("高雄縣", "高雄市", "2010-12-25"),
        ("桃園縣", "桃園市", "2014-12-25"),
    ];
    for (county, successor, on) in expected {
        let m = merged.iter().find(|m| m.county == county).unwrap();
        assert_eq!((m.successor.as_str(), m.on.as_str()), (successor, on));
    }
    for m in merged {
        assert_eq!(
            reference.channel(&m.successor_government()),
            "local",
            "{}: its successor's government forwards for local agencies",
            m.county
        );
        assert_eq!(reference.channel(&format!("{}政府", m.county)), "unknown");
        assert!(Date::parse_iso(&m.on).is_ok(), "{}: {}", m.county, m.on);
        let body = format!("{}政府警察局", m.county);
        assert_eq!(
            reference.merged_body(&body).map(|x| &x.county),
            Some(&m.county)
        );
    }
    assert!(reference.merged_body("台北縣政府").is_some(), "an alias");
    assert!(reference.merged_body("新北市政府").is_none());
    assert!(reference.merged_body("新竹縣政府").is_none());
}

#[test]
fn a_document_names_a_merged_body_but_not_an_address_or_its_history() {
    let merged = CHECKER.reference().merged();
    let names = |text: &str| -> Vec<(String, bool)> {
        merged_names(merged, text)
            .into_iter()
            .map(|n| (text[n.span.start..n.span.end].to_owned(), n.historical))
            .collect()
    };
    assert_eq!(
        names("臺北縣政府警察局使用入出境電子資料管理規範"),
        [("臺北縣政府警察局".to_owned(), false)]
    );
    assert_eq!(
        names("由台中縣豐原地政事務所辦理。"),
        [("台中縣豐原地政事務所".to_owned(), false)]
    );
    assert!(names("查詢對象設籍高雄縣者，亦同。").is_empty());
    assert!(names("新竹縣政府警察局").is_empty());
    assert_eq!(
        names("本規範原由臺北縣政府警察局訂定，該局已隨縣市改制為新北市政府警察局。"),
        [("臺北縣政府警察局".to_owned(), true)]
    );
    assert_eq!(names("原桃園縣政府"), [("桃園縣政府".to_owned(), true)]);
    // Bounded: a document that names one a million times gives a few hundred.
    let many = "臺南縣政府。".repeat(100_000);
    let found = merged_names(merged, &many);
    assert_eq!(found.len(), niacheck::extract::reference::MAX_MERGED_NAMES);
}

fn judge(access: &str, rules: &str) -> Vec<Finding> {
    let access = Arc::new(SourceFile::new("access.yaml", access));
    let parsed = config::parse(access.text()).unwrap();
    let rules = Arc::new(SourceFile::new("rules.md", rules));
    let facts = document::extract(rules.text(), CHECKER.vocabulary(), CHECKER.laws());
    let submitted = Submitted {
        config: &parsed,
        access: &access,
        facts: &facts,
        rules: &rules,
    };
    let as_of = Date::parse("2026-11-27").unwrap();
    CHECKER
        .judge(Version::Amended, as_of, &submitted)
        .unwrap()
        .into_iter()
        .filter(|f| f.requirement == "application-routing")
        .collect()
}

fn access(name: &str, forwarded_by: &str) -> String {
    let base = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/policies/application-routing/fixtures/pass-municipal.amended.yaml"
    ))
    .unwrap();
    base.replace("測試市政府警察局", name).replace(
        "forwarded_by: 臺北市政府",
        &format!("forwarded_by: {forwarded_by}"),
    )
}

fn policies(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.policy.as_str()).collect()
}

#[test]
fn a_document_naming_the_old_county_while_its_successor_forwards_says_they_merged() {
    let rules = "# 桃園縣政府警察局使用入出境電子資料管理規範\n";
    let found = judge(&access("桃園市政府警察局", "桃園市政府"), rules);
    assert_eq!(
        policies(&found),
        ["application-routing/merged-name-successor-forwards"]
    );
    let f = &found[0];
    for text in [&f.message.zh, &f.message.en] {
        assert!(
            text.contains("桃園縣政府警察局")
                && text.contains("桃園市")
                && text.contains("2014-12-25"),
            "{text}"
        );
    }
    assert!(f.message.zh.contains("改制") && f.message.en.contains("merged"));
    // Forwarded by someone else, the document's old name is still reported.
    let found = judge(&access("桃園市政府警察局", "臺北市政府"), rules);
    assert_eq!(policies(&found), ["application-routing/merged-name"]);
    // Named as history, it is not.
    let history = "# 桃園市政府警察局使用入出境電子資料管理規範\n\n本規範原由桃園縣政府警察局訂定，縣市改制後由本局續用。\n";
    assert!(judge(&access("桃園市政府警察局", "桃園市政府"), history).is_empty());
}

#[test]
fn the_old_county_as_forwarder_is_an_error_and_not_also_a_wrong_channel() {
    let found = judge(&access("新北市政府警察局", "台北縣政府"), "# 規範\n");
    assert_eq!(policies(&found), ["application-routing/merged-forwarder"]);
    let f = &found[0];
    assert_eq!(f.severity, niacheck::catalog::Severity::Error);
    assert!(f.message.zh.contains("臺北縣") && f.message.zh.contains("新北市"));
    assert!(f.help.en.contains("新北市政府"), "{}", f.help.en);
    // An agency named as the old county's body: a warning at its name.
    let found = judge(&access("高雄縣政府警察局", "高雄市政府"), "# 規範\n");
    assert_eq!(policies(&found), ["application-routing/merged-agency"]);
    assert!(found[0].message.en.contains("高雄市"));
    assert_eq!(found[0].subject.as_deref(), Some("agency.name"));
}
