#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! The law-citation reader over real-world citation forms: full and short
//! law names, Chinese, Arabic and full-width numerals, lists, ranges,
//! paragraphs, and the superseded law that contains the new law's name.

/// One checker for every test of this file.
static CHECKER: std::sync::LazyLock<niacheck::Checker> =
    std::sync::LazyLock::new(|| niacheck::Checker::new().unwrap());

/// (text, expected citations as (law id, articles, cited text)).
#[expect(clippy::type_complexity, reason = "a table of cases reads best inline")]
const CASES: &[(&str, &[(&str, &[u32], &str)])] = &[
    ("依個人資料保護法規定", &[("pdpa", &[], "個人資料保護法")]),
    ("違反個資法者", &[("pdpa", &[], "個資法")]),
    (
        "個人資料保護法第十五條",
        &[("pdpa", &[15], "個人資料保護法第十五條")],
    ),
    (
        "個人資料保護法第15條",
        &[("pdpa", &[15], "個人資料保護法第15條")],
    ),
    (
        "個人資料保護法第１５條",
        &[("pdpa", &[15], "個人資料保護法第１５條")],
    ),
    (
        "個人資料保護法 第 15 條",
        &[("pdpa", &[15], "個人資料保護法 第 15 條")],
    ),
    (
        "個人資料保護法第十五條、第十六條及第十八條之規定",
        &[(
            "pdpa",
            &[15, 16, 18],
            "個人資料保護法第十五條、第十六條及第十八條",
        )],
    ),
    (
        "個人資料保護法第15、16及18條",
        &[("pdpa", &[15, 16, 18], "個人資料保護法第15、16及18條")],
    ),
    (
        "個人資料保護法第十五條至第十八條",
        &[(
            "pdpa",
            &[15, 16, 17, 18],
            "個人資料保護法第十五條至第十八條",
        )],
    ),
    ("個資法第4條第2項", &[("pdpa", &[4], "個資法第4條第2項")]),
    (
        "個資法第二十條第一項第三款",
        &[("pdpa", &[20], "個資法第二十條第一項第三款")],
    ),
    (
        "個人資料保護法第六條之一",
        &[("pdpa", &[6], "個人資料保護法第六條之一")],
    ),
    (
        "個人資料保護法第十五條與第十六條",
        &[("pdpa", &[15, 16], "個人資料保護法第十五條與第十六條")],
    ),
    (
        "個人資料保護法第十五條，第十六條",
        &[("pdpa", &[15, 16], "個人資料保護法第十五條，第十六條")],
    ),
    (
        "個人資料保護法第一百條",
        &[("pdpa", &[100], "個人資料保護法第一百條")],
    ),
    (
        "電腦處理個人資料保護法",
        &[("cppdpa", &[], "電腦處理個人資料保護法")],
    ),
    (
        "電腦處理個人資料保護法第七條、第八條及第十七條",
        &[(
            "cppdpa",
            &[7, 8, 17],
            "電腦處理個人資料保護法第七條、第八條及第十七條",
        )],
    ),
    (
        "電腦處理個資法第7條",
        &[("cppdpa", &[7], "電腦處理個資法第7條")],
    ),
    (
        "公務員服務法第四條",
        &[("civil-service", &[4], "公務員服務法第四條")],
    ),
    (
        "公務員服務法第5條第1項",
        &[("civil-service", &[5], "公務員服務法第5條第1項")],
    ),
    (
        "國家機密保護法第四條",
        &[("classified-info", &[4], "國家機密保護法第四條")],
    ),
    (
        "刑事訴訟法第二百二十九條",
        &[("criminal-procedure", &[229], "刑事訴訟法第二百二十九條")],
    ),
    (
        "警察職權行使法第十五條",
        &[("police-powers", &[15], "警察職權行使法第十五條")],
    ),
    (
        "稅捐稽徵法第二十四條第三項",
        &[("tax-collection", &[24], "稅捐稽徵法第二十四條第三項")],
    ),
    (
        "入出國及移民法第八條",
        &[("immigration", &[8], "入出國及移民法第八條")],
    ),
    (
        "行政程序法第四十八條",
        &[("administrative-procedure", &[48], "行政程序法第四十八條")],
    ),
    (
        "公務員服務法第四條、國家機密保護法第四條、個人資料保護法第十五條",
        &[
            ("civil-service", &[4], "公務員服務法第四條"),
            ("classified-info", &[4], "國家機密保護法第四條"),
            ("pdpa", &[15], "個人資料保護法第十五條"),
        ],
    ),
    (
        "依據個人資料保護法之規定妥善保管",
        &[("pdpa", &[], "個人資料保護法")],
    ),
    (
        "個人資料保護法第十五條及第十六條規定",
        &[("pdpa", &[15, 16], "個人資料保護法第十五條及第十六條")],
    ),
    (
        "個人資料保護法第二十七條第一項",
        &[("pdpa", &[27], "個人資料保護法第二十七條第一項")],
    ),
    ("本規範無引用法律", &[]),
    (
        "個人資料保護法第15至18條",
        &[("pdpa", &[15, 16, 17, 18], "個人資料保護法第15至18條")],
    ),
    (
        "個資法第十五條至第十七條及第二十條",
        &[(
            "pdpa",
            &[15, 16, 17, 20],
            "個資法第十五條至第十七條及第二十條",
        )],
    ),
    (
        "民事訴訟法第二百七十七條",
        &[("civil-procedure", &[277], "民事訴訟法第二百七十七條")],
    ),
    // Mixed numerals in one citation.
    (
        "個人資料保護法第十五條及第16條",
        &[("pdpa", &[15, 16], "個人資料保護法第十五條及第16條")],
    ),
    (
        "個資法第１５條、第16條及第十八條",
        &[("pdpa", &[15, 16, 18], "個資法第１５條、第16條及第十八條")],
    ),
    (
        "公務員懲戒法第2條",
        &[("public-functionary-discipline", &[2], "公務員懲戒法第2條")],
    ),
    (
        "個人資料保護法施行細則第12條",
        &[("pdpa", &[], "個人資料保護法")],
    ),
];

#[test]
fn real_world_citation_forms() {
    let checker = &*CHECKER;
    let laws = checker.laws();
    assert!(CASES.len() >= 30);
    for (text, want) in CASES {
        let got: Vec<(String, Vec<u32>, &str)> = laws
            .citations(text, 0)
            .iter()
            .map(|c| {
                (
                    laws.get(c.law).unwrap().id.clone(),
                    c.articles.clone(),
                    &text[c.span.start..c.span.end],
                )
            })
            .collect();
        let want: Vec<(String, Vec<u32>, &str)> = want
            .iter()
            .map(|(id, articles, cited)| ((*id).to_owned(), articles.to_vec(), *cited))
            .collect();
        assert_eq!(got, want, "{text}");
    }
}

#[test]
fn a_superseded_citation_has_its_replacement() {
    let checker = &*CHECKER;
    let laws = checker.laws();
    let text = "電腦處理個人資料保護法第七條、第八條及第十七條";
    let citation = &laws.citations(text, 0)[0];
    assert_eq!(
        laws.replacement(citation).as_deref(),
        Some("個人資料保護法第十五條、第十六條及第十八條")
    );
    let text = "電腦處理個人資料保護法第7條";
    assert_eq!(
        laws.replacement(&laws.citations(text, 0)[0]).as_deref(),
        Some("個人資料保護法第15條")
    );
    let text = "個人資料保護法";
    assert_eq!(laws.replacement(&laws.citations(text, 0)[0]), None);
    // Only a person can map a paragraph, a 之N, a range or an unmapped article.
    for text in [
        "電腦處理個人資料保護法第八條第二項",
        "電腦處理個人資料保護法第十七條之一",
        "電腦處理個人資料保護法第七條至第十七條",
        "電腦處理個人資料保護法第三條",
    ] {
        assert_eq!(
            laws.replacement(&laws.citations(text, 0)[0]),
            None,
            "{text}"
        );
    }
}

#[test]
fn a_document_of_citations_past_the_cap_is_refused_at_the_first_one_over() {
    use niacheck::extract::citation::{MAX_CITATIONS, too_many};
    let checker = &*CHECKER;
    let one = "個人資料保護法第十五條、";
    let at_cap = one.repeat(MAX_CITATIONS);
    let found = checker.laws().citations(&at_cap, 0);
    assert_eq!(found.len(), MAX_CITATIONS);
    assert!(too_many(&found).is_none());
    let over = one.repeat(MAX_CITATIONS + 1);
    let found = checker.laws().citations(&over, 0);
    let (span, _, en) = too_many(&found).unwrap();
    assert_eq!(span.start, one.len() * MAX_CITATIONS);
    assert!(en.contains("more than 10000 times (10001 in all)"), "{en}");
}
