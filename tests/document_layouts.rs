#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! Layout invariance and mutations. One set of clauses, written in every
//! layout agencies use, gives the same facts for every part; and a clause
//! changed the way documents really change keeps or loses its part as it
//! should: without its label word it is still met, a label alone is not, an
//! exemption negates it, a prohibition does not.

use niacheck::Checker;
use niacheck::extract::document::{DocumentFacts, PartFacts, extract};
use niacheck::source::SourceFile;

/// (part, title, clause): the clause states the part; the title is the
/// label an agency would put over it.
const ITEMS: &[(&str, &str, &str)] = &[
    ("purpose", "目的", "本局為辦理刑事案件偵查，使用入出境資料"),
    (
        "security",
        "資料安全管制",
        "查詢電腦應設置於管制區域，並啟用螢幕保護程式",
    ),
    ("audit", "督考查核", "本局政風室每半年抽查使用紀錄一次"),
    (
        "audit_cooperation",
        "配合稽核",
        "移民署實施稽核時，本局應指派專人配合",
    ),
    (
        "query",
        "查詢程序",
        "使用者查詢前應填具申請單，經主管核准後始得查詢",
    ),
    (
        "confidentiality",
        "保密措施",
        "使用者對查詢所得資料應嚴守秘密，不得洩漏",
    ),
    (
        "liability",
        "違反之責任",
        "使用者違反個人資料保護法規定致當事人權益受損者，應依法負賠償責任",
    ),
    (
        "disposal",
        "使用完畢後之處理",
        "查詢所得資料於使用完畢後應即銷毀",
    ),
    (
        "user_change",
        "使用者異動",
        "使用者調職或離職時，應以公文書通知移民署終止帳號",
    ),
    (
        "outage",
        "網路異常",
        "網路通訊異常時，應先向電信機構查明原因",
    ),
    (
        "outage_phone",
        "電話通知",
        "移民署電腦系統異常時，應以電話通知移民署",
    ),
    (
        "custody",
        "資料保管",
        "查詢所得資料應依個人資料保護法之規定妥善保管",
    ),
    (
        "statutes",
        "法定義務",
        "使用者應嚴守公務員服務法第五條第一項及國家機密保護法第四條之規定",
    ),
    (
        "violation_report",
        "違規通報",
        "發現使用者違規時，應即通報移民署",
    ),
    (
        "leave",
        "離開電腦",
        "使用者離開電腦時，應退出作業環境並抽取自然人憑證",
    ),
];

const CHINESE: [&str; 15] = [
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四",
    "十五",
];

fn layouts() -> Vec<(&'static str, String)> {
    let each = |f: &dyn Fn(usize, &str, &str) -> String| -> String {
        ITEMS
            .iter()
            .enumerate()
            .map(|(i, (_, title, clause))| f(i, title, clause))
            .collect()
    };
    let heading = format!(
        "# 管理規範\n\n{}",
        each(&|i, t, c| format!("## {}、{t}\n\n{c}。\n\n", CHINESE[i]))
    );
    vec![
        ("a heading per item", heading.clone()),
        (
            "a numbered paragraph with ### items",
            format!(
                "五、管理規範內容如下：\n\n{}",
                each(&|i, t, c| format!("### （{}）{t}\n\n{c}。\n\n", CHINESE[i]))
            ),
        ),
        (
            "plain （一） lines",
            each(&|i, _, c| format!("（{}）{c}。\n", CHINESE[i])),
        ),
        (
            "`- （一）` bullets",
            each(&|i, _, c| format!("- （{}）{c}。\n", CHINESE[i])),
        ),
        (
            "an ordered list with nested lists",
            each(&|i, t, c| format!("{}. {t}\n   1. {c}。\n", i + 1)),
        ),
        (
            "a two-column table",
            format!(
                "| 項目 | 內容 |\n|---|---|\n{}",
                each(&|_, t, c| format!("| {t} | {c}。 |\n"))
            ),
        ),
        (
            "single-newline lines in one paragraph",
            each(&|_, _, c| format!("{c}。\n")),
        ),
        (
            "inline （一）…；（二）…",
            format!(
                "本規範內容如下：{}\n",
                ITEMS
                    .iter()
                    .enumerate()
                    .map(|(i, (_, _, c))| format!("（{}）{c}", CHINESE[i]))
                    .collect::<Vec<_>>()
                    .join("；")
                    + "。"
            ),
        ),
        (
            "第N條 with 項/款",
            format!(
                "第一條　本規範內容如下：\n{}",
                each(&|i, _, c| format!("{}、{c}。\n", CHINESE[i]))
            ),
        ),
        (
            "第N條 per item",
            each(&|i, t, c| format!("第{}條（{t}）\n{c}。\n", CHINESE[i])),
        ),
        (
            "a plain paragraph introducing （一） lines",
            format!(
                "本局使用入出境資料，應遵守下列各款：\n{}",
                each(&|i, _, c| format!("（{}）{c}。\n", CHINESE[i]))
            ),
        ),
        (
            "a plain paragraph introducing an ordered list",
            format!(
                "本規範內容如下：\n\n{}",
                each(&|i, _, c| format!("{}. {c}。\n", i + 1))
            ),
        ),
        (
            "a heading, then a plain paragraph introducing bullets",
            format!(
                "# 管理規範\n\n本局辦理下列事項：\n\n{}",
                each(&|_, _, c| format!("- {c}。\n"))
            ),
        ),
        (
            "a plain paragraph introducing （一） paragraphs",
            format!(
                "本局應辦理之事項如下：\n\n{}",
                each(&|i, _, c| format!("（{}）{c}。\n\n", CHINESE[i]))
            ),
        ),
        (
            "CRLF + BOM",
            format!("\u{feff}{}", heading.replace('\n', "\r\n")),
        ),
    ]
}

/// The facts the policies judge, for one part.
fn verdict(p: &PartFacts) -> (bool, bool, bool, bool, bool, bool) {
    (
        p.found,
        p.stated,
        p.negated,
        p.placeholder,
        p.restated,
        p.omitted,
    )
}

fn facts(checker: &Checker, text: &str) -> DocumentFacts {
    extract(text, checker.vocabulary(), checker.laws())
}

#[test]
fn one_set_of_clauses_gives_the_same_facts_in_every_layout() {
    let checker = Checker::new().unwrap();
    let mut reference: Option<(&str, DocumentFacts)> = None;
    for (name, raw) in layouts() {
        let file = SourceFile::new("rules.md", &raw);
        let text = file.text();
        let f = facts(&checker, text);
        for &(key, title, clause) in ITEMS {
            let p = f.part(key).unwrap();
            assert!(
                p.found && p.stated && !p.negated && !p.placeholder && !p.restated,
                "{name}: {key} not met: {p:?}\n{text}"
            );
            // The evidence is the item's own title or lies in its clause;
            // for the outage steps (6.4) the telephone clause, also 6.4,
            // is as good.
            let span = p.evidence.unwrap();
            let ev = &text[span.start..span.end];
            let same_item = |c: &str| c.contains(ev) || ev.contains(c);
            assert!(
                ev == title || same_item(clause) || (key == "outage" && same_item(ITEMS[10].2)),
                "{name}: {key} evidence 「{ev}」 is not its item"
            );
        }
        for law_part in ["liability", "custody", "statutes"] {
            let laws = &f.part(law_part).unwrap().laws;
            assert!(
                laws.contains("pdpa") || laws.contains("civil-service"),
                "{name}: {law_part} {laws:?}"
            );
        }
        match &reference {
            None => reference = Some((name, f)),
            Some((first, r)) => {
                for ((key, a), (_, b)) in r.parts.iter().zip(&f.parts) {
                    assert_eq!(
                        verdict(a),
                        verdict(b),
                        "{key}: 「{first}」 and 「{name}」 differ"
                    );
                }
                assert_eq!(r.laws, f.laws, "{first} / {name}: laws");
                assert_eq!(r.articles, f.articles, "{first} / {name}: articles");
            }
        }
    }
}

/// Whether the part's policies accept these facts.
fn met(p: &PartFacts) -> bool {
    p.found
        && p.stated
        && !p.negated
        && !p.restated
        && !p.omitted
        && p.content_chars >= 4
        && !(p.placeholder && p.content_chars < 30)
}

fn part<'a>(f: &'a DocumentFacts, key: &str) -> &'a PartFacts {
    f.part(key).unwrap()
}

#[test]
fn a_clause_without_its_label_word_is_still_met() {
    let checker = Checker::new().unwrap();
    // Each clause as a document writes it with a label, and the same clause
    // with the label word taken out.
    let cases = [
        (
            "purpose",
            "本局使用入出境資料之目的為辦理刑事案件偵查。",
            "本局為辦理刑事案件偵查，使用入出境資料。",
        ),
        (
            "security",
            "資料安全管制：查詢電腦應設置於管制區域。",
            "查詢電腦應設置於管制區域。",
        ),
        (
            "audit",
            "督考查核：本局政風室每半年抽查使用紀錄一次。",
            "本局政風室每半年抽查使用紀錄一次。",
        ),
        (
            "query",
            "查詢程序：使用者查詢前應填具申請單，經主管核准。",
            "使用者查詢前應填具申請單，經主管核准。",
        ),
        (
            "confidentiality",
            "保密措施：使用者對查詢所得資料不得洩漏。",
            "使用者對查詢所得資料不得洩漏。",
        ),
        (
            "disposal",
            "使用完畢後之處理：查詢所得資料應以碎紙機銷毀。",
            "查詢所得資料應以碎紙機銷毀。",
        ),
        (
            "user_change",
            "使用者異動：使用者調職時應函知移民署。",
            "使用者調職時應函知移民署。",
        ),
    ];
    for (key, labelled, bare) in cases {
        assert!(
            met(part(&facts(&checker, labelled), key)),
            "{key}: {labelled}"
        );
        let f = facts(&checker, bare);
        assert!(met(part(&f, key)), "{key}: {bare}: {:?}", part(&f, key));
    }
}

#[test]
fn a_label_alone_is_a_gap() {
    let checker = Checker::new().unwrap();
    for (key, label) in [
        ("purpose", "使用入出國資料之目的。"),
        ("security", "資料安全管制作業。"),
        ("audit", "定期督考查核之具體作業程序。"),
        ("query", "使用者查詢資料之具體作業程序。"),
        ("confidentiality", "處理個人資料之保密措施。"),
        ("disposal", "使用完成後資料之處理。"),
        ("user_change", "使用者異動時通知移民署。"),
        ("audit", "## 三、督考查核\n"),
        ("query", "四、查詢程序\n五、附則\n"),
    ] {
        let f = facts(&checker, label);
        let p = part(&f, key);
        assert!(p.found && !met(p), "{key}: {label}: {p:?}");
    }
    // A copy of point 7's list under 「本規範內容包括下列各款」 restates it.
    let copy = "本規範內容包括下列各款：\n（一）使用入出國資料之目的及資料安全管制作業。\n（二）定期督考查核之具體作業程序及配合提供機關實施稽核之作業程序。\n（三）使用者查詢資料之具體作業程序。\n（四）處理個人資料之保密措施。\n";
    let f = facts(&checker, copy);
    for key in [
        "purpose",
        "security",
        "audit",
        "audit_cooperation",
        "query",
        "confidentiality",
    ] {
        let p = part(&f, key);
        assert!(p.found && p.restated && !met(p), "{key}: {p:?}");
    }
}

#[test]
fn an_exemption_negates_a_clause_and_a_prohibition_does_not() {
    let checker = Checker::new().unwrap();
    let cases = [
        (
            "audit",
            "本局政風室每半年抽查使用紀錄一次。",
            "本分局不涉及稽核，免予抽查使用紀錄。",
            "本局政風室每半年抽查使用紀錄一次，不得事先通知受查人員。",
        ),
        (
            "user_change",
            "使用者調職時，應即函報移民署。",
            "使用者調職時，毋庸函報移民署。",
            "使用者調職時，應即函報移民署，不得延宕。",
        ),
        (
            "confidentiality",
            "使用者對查詢所得資料應嚴守秘密。",
            "本所查詢之資料非屬機密，免予保密。",
            "使用者對查詢所得資料應嚴守秘密，禁止以通訊軟體傳遞。",
        ),
        (
            "query",
            "使用者查詢前應填具申請單，經主管核准。",
            "使用者查詢前免填申請單，亦無須主管核准。",
            "使用者非經主管核准不得查詢，並應填具申請單。",
        ),
        (
            "disposal",
            "查詢所得資料使用完畢後應即銷毀。",
            "查詢所得資料使用完畢後無須銷毀。",
            "查詢所得資料使用完畢後應即銷毀，但依法應附卷者不在此限。",
        ),
    ];
    for (key, plain, exempted, prohibited) in cases {
        assert!(met(part(&facts(&checker, plain), key)), "{key}: {plain}");
        let f = facts(&checker, exempted);
        let p = part(&f, key);
        assert!(p.found && p.negated && !met(p), "{key}: {exempted}: {p:?}");
        let f = facts(&checker, prohibited);
        let p = part(&f, key);
        assert!(met(p) && !p.negated, "{key}: {prohibited}: {p:?}");
    }
}

#[test]
fn a_sub_clause_that_refers_back_keeps_its_subject() {
    let checker = Checker::new().unwrap();
    let text = "作業完成應即登出系統；中途離座者，亦同。";
    let f = facts(&checker, text);
    let p = part(&f, "leave");
    assert!(met(p), "{p:?}");
    let span = p.evidence.unwrap();
    assert_eq!(
        &text[span.start..span.end],
        "作業完成應即登出系統；中途離座者，亦同"
    );
}

#[test]
fn a_history_note_is_not_a_citation_in_force() {
    let checker = Checker::new().unwrap();
    let text = "（沿革）九十八年訂定時所據之電腦處理個人資料保護法，嗣經修正公布並更名。\n本局查詢所得資料，應依個人資料保護法之規定妥善保管。\n";
    let f = facts(&checker, text);
    let old: Vec<_> = f
        .citations
        .iter()
        .filter(|c| checker.laws().get(c.law).is_some_and(|l| l.id == "cppdpa"))
        .collect();
    assert_eq!(old.len(), 1);
    assert!(old[0].historical);
    assert!(!f.laws.contains("cppdpa"), "{:?}", f.laws);
    let current = "本局依電腦處理個人資料保護法之規定妥善保管資料。\n";
    let f = facts(&checker, current);
    assert!(f.citations.iter().all(|c| !c.historical));
}

#[test]
fn law_names_and_quoted_names_do_not_count_as_content() {
    let checker = Checker::new().unwrap();
    for (key, text) in [
        (
            "confidentiality",
            "使用者應遵守國家機密保護法第四條之規定。",
        ),
        ("query", "使用者應使用「入出境資料查詢系統」。"),
        (
            "purpose",
            "如需其他資料，應備文敘明法令依據、使用目的及資料內容。",
        ),
        ("security", "為確保資料安全，特訂定本要點。"),
    ] {
        let f = facts(&checker, text);
        assert!(!met(part(&f, key)), "{key}: {text}: {:?}", part(&f, key));
    }
}

#[test]
fn an_omitted_item_is_its_own_gap() {
    let checker = Checker::new().unwrap();
    let f = facts(&checker, "五、保密措施：（略）\n");
    let p = part(&f, "confidentiality");
    assert!(p.found && p.omitted && !met(p), "{p:?}");
}

/// (part, introducing sentence, item): the sentence names the part's topic,
/// the item states it only with the sentence's concepts.
const INTRODUCED: &[(&str, &str, &str)] = &[
    (
        "purpose",
        "本局使用入出境資料之目的如下：",
        "辦理刑事案件偵查",
    ),
    (
        "security",
        "查詢電腦之安全管制措施如下：",
        "應設置於管制區域，並加裝門禁",
    ),
    (
        "audit",
        "本局督考查核之作業如下：",
        "每半年辦理一次，由政風室為之",
    ),
    (
        "query",
        "使用者查詢資料之作業程序如下：",
        "應先填具申請單，敘明用途",
    ),
    (
        "confidentiality",
        "使用者對查詢所得資料之保密措施如下：",
        "不得告知與案件無關之人員",
    ),
    (
        "disposal",
        "查詢所得資料使用完畢後，應依下列方式處理：",
        "應予歸還或封存",
    ),
    (
        "user_change",
        "使用者調職、離職或退休時，應辦理下列事項：",
        "以公文書通知移民署",
    ),
    (
        "outage",
        "網路通訊異常時，應依下列程序處理：",
        "應先向電信機構查明原因",
    ),
    (
        "leave",
        "使用者離開電腦時，應遵守下列事項：",
        "應退出作業環境",
    ),
];

/// An introducing sentence and its items, rendered as a document does.
fn introduced_renderings(intro: &str, item: &str) -> Vec<(&'static str, String)> {
    let other = "其他事項依相關規定辦理";
    vec![
        (
            "（一） lines",
            format!("{intro}\n（一）{item}。\n（二）{other}。\n"),
        ),
        (
            "an ordered list",
            format!("{intro}\n\n1. {item}。\n2. {other}。\n"),
        ),
        (
            "bullets under a heading",
            format!("# 管理規範\n\n{intro}\n\n- {item}。\n- {other}。\n"),
        ),
        (
            "（一） paragraphs",
            format!("{intro}\n\n（一）{item}。\n\n（二）{other}。\n"),
        ),
        (
            "under a numbered section",
            format!("一、總則\n\n{intro}\n\n（一）{item}。\n\n（二）{other}。\n\n二、附則\n"),
        ),
    ]
}

#[test]
fn a_plain_paragraph_that_introduces_a_list_lends_its_topic_to_the_items() {
    let checker = Checker::new().unwrap();
    for &(key, intro, item) in INTRODUCED {
        // The item alone does not state the part.
        let alone = facts(&checker, &format!("{item}。\n"));
        assert!(!met(part(&alone, key)), "{key}: 「{item}」 alone is met");
        for (name, text) in introduced_renderings(intro, item) {
            let f = facts(&checker, &text);
            let p = part(&f, key);
            assert!(met(p), "{name}: {key} not met: {p:?}\n{text}");
            let span = p.evidence.unwrap();
            let ev = &text[span.start..span.end];
            assert!(
                item.contains(ev) || ev.contains(item),
                "{name}: {key} evidence 「{ev}」 is not the item 「{item}」"
            );
            assert!(!p.matched.is_empty(), "{name}: {key}: no concepts");
        }
    }
}

#[test]
fn an_introducing_paragraph_adopts_the_items_and_no_more() {
    use niacheck::extract::document::outline::outline;
    let text = "一、總則\n\n本局應辦理下列事項：\n\n（一）甲。\n\n（二）乙。\n\n二、附則\n";
    let o = outline(text);
    let at = |needle: &str| {
        o.clauses
            .iter()
            .position(|c| text[c.own.start..c.own.end].starts_with(needle))
            .unwrap()
    };
    let intro = at("本局應辦理");
    assert!(o.clauses[intro].introduces);
    assert_eq!(o.clauses[intro].parent, Some(at("總則")));
    assert_eq!(o.clauses[at("甲")].parent, Some(intro));
    assert_eq!(o.clauses[at("乙")].parent, Some(intro));
    assert_eq!(o.clauses[at("附則")].parent, None);
    // A paragraph that does not end with a colon adopts nothing.
    let text = "本局應辦理下列事項。\n\n（一）甲。\n";
    let o = outline(text);
    assert!(
        o.clauses
            .iter()
            .all(|c| !c.introduces && c.parent.is_none())
    );
}

#[test]
fn an_items_name_a_history_note_and_what_a_deferral_names_state_nothing() {
    let checker = Checker::new().unwrap();
    // (part, a clause that states it, a text with the same words that does
    // not): a noun phrase naming the item (its verbs name acts, no
    // function word makes it a statement), a history note, a deferral whose
    // words of the part are in the name of the document it defers to.
    let cases = [
        (
            "outage",
            "網路中斷時，應先聯絡電信業者檢修。",
            "網路中斷時之聯絡窗口。",
        ),
        (
            "user_change",
            "使用者離職時，應即通知移民署。",
            "使用者離職時通知移民署之方式。",
        ),
        (
            "disposal",
            "查詢紀錄於結案後應即銷毀。",
            "本點（查詢紀錄之銷毀）原列第十二點。",
        ),
        (
            "outage",
            "網路中斷時，應先聯絡電信業者檢修。",
            "網路或系統連線中斷時之緊急應變處置，依本局資訊安全事件通報及應變作業規定另行規定。",
        ),
    ];
    for (key, stated, near) in cases {
        assert!(met(part(&facts(&checker, stated), key)), "{key}: {stated}");
        let f = facts(&checker, near);
        assert!(!met(part(&f, key)), "{key}: {near}: {:?}", part(&f, key));
    }
    // A deferral still states what its other phrases say.
    let f = facts(
        &checker,
        "網路中斷時應先聯絡電信業者檢修，其餘事項另行規定。",
    );
    let p = part(&f, "outage");
    assert!(p.stated && p.placeholder, "{p:?}");
    // Words that also defer, used otherwise: 另以 "also by" inside a
    // phrase, 另依 "also under" a law, a history word (現為 of 發現為) in a
    // rule.
    for (key, text) in [
        (
            "query",
            "使用者每次查詢入出境資料後，應另以紙本登記簿登記查詢日期、對象及案號，並保存三年。",
        ),
        (
            "liability",
            "使用者違反本要點者，依公務員懲戒法懲處，另依個人資料保護法負損害賠償責任。",
        ),
        ("violation_report", "經發現為違規查詢者，應即通報移民署。"),
    ] {
        let f = facts(&checker, text);
        assert!(met(part(&f, key)), "{key}: {text}: {:?}", part(&f, key));
    }
}

#[test]
fn an_exemption_that_opens_a_modifying_phrase_does_not_negate() {
    let checker = Checker::new().unwrap();
    // 「免予附卷之列印資料，…銷毀」: the exemption qualifies what the sentence
    // disposes of; 「…無須銷毀」 denies it.
    let f = facts(&checker, "免予附卷之列印資料，應於結案後即以碎紙機銷毀。");
    let p = part(&f, "disposal");
    assert!(met(p) && !p.negated, "{p:?}");
    let f = facts(&checker, "無須附卷者，應於結案後即以碎紙機銷毀。");
    assert!(met(part(&f, "disposal")), "{:?}", part(&f, "disposal"));
    let f = facts(&checker, "本所查詢所得資料無須銷毀。");
    assert!(part(&f, "disposal").negated, "{:?}", part(&f, "disposal"));
}

#[test]
fn a_title_that_says_something_says_it_of_its_bare_list() {
    let checker = Checker::new().unwrap();
    let text = "## 八、應遵守之法定義務\n\n- 公務員服務法第四條\n- 國家機密保護法第四條\n";
    let f = facts(&checker, text);
    let p = part(&f, "statutes");
    assert!(met(p) && p.titled, "{p:?}");
    let span = p.evidence.unwrap();
    assert_eq!(&text[span.start..span.end], "應遵守之法定義務");
    // A label over the same list says nothing.
    let f = facts(
        &checker,
        "## 八、法定義務\n\n- 公務員服務法第四條\n- 國家機密保護法第四條\n",
    );
    assert!(!part(&f, "statutes").stated, "{:?}", part(&f, "statutes"));
}
