#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! The rules-document reader against the styles agencies really write:
//! numbered paragraphs without headings, headings, statute articles, tables,
//! ordered lists, merged paragraphs, front matter, CRLF and BOM. Each test
//! asserts what was found and where.

use niacheck::Checker;
use niacheck::extract::document::outline::{ClauseKind, MarkerKind, outline, scan_marker};
use niacheck::extract::document::{DocumentFacts, PartFacts, extract};
use niacheck::source::SourceFile;

fn facts(text: &str) -> DocumentFacts {
    let checker = Checker::new().unwrap();
    extract(text, checker.vocabulary(), checker.laws())
}

fn part<'a>(facts: &'a DocumentFacts, key: &str) -> &'a PartFacts {
    facts.part(key).unwrap_or_else(|| panic!("no part {key}"))
}

fn evidence<'a>(text: &'a str, facts: &DocumentFacts, key: &str) -> &'a str {
    let span = part(facts, key)
        .evidence
        .unwrap_or_else(|| panic!("{key} not found"));
    &text[span.start..span.end]
}

const ALL_PARTS: [&str; 14] = [
    "purpose",
    "security",
    "audit",
    "audit_cooperation",
    "query",
    "confidentiality",
    "liability",
    "disposal",
    "user_change",
    "outage",
    "outage_phone",
    "custody",
    "statutes",
    "violation_report",
];

#[test]
fn markers_of_every_numbering_style() {
    let cases = [
        ("一、目的", Some((MarkerKind::Chinese, "一、"))),
        ("十二、附則", Some((MarkerKind::Chinese, "十二、"))),
        ("（一）本局", Some((MarkerKind::ChineseParen, "（一）"))),
        ("(三) 本局", Some((MarkerKind::ChineseParen, "(三)"))),
        ("1. 使用者", Some((MarkerKind::Arabic, "1."))),
        ("１．使用者", Some((MarkerKind::Arabic, "１．"))),
        ("2、使用者", Some((MarkerKind::Arabic, "2、"))),
        ("(1) 使用者", Some((MarkerKind::ArabicParen, "(1)"))),
        ("（１）使用者", Some((MarkerKind::ArabicParen, "（１）"))),
        ("3) 使用者", Some((MarkerKind::ArabicParen, "3)"))),
        ("第一條　本規範", Some((MarkerKind::Article, "第一條"))),
        ("第 12 條 本規範", Some((MarkerKind::Article, "第 12 條"))),
        ("壹、總則", Some((MarkerKind::Capital, "壹、"))),
        ("- 項目", Some((MarkerKind::Bullet, "-"))),
        ("1.5 倍", None),
        ("一般而言", None),
        ("第一章 總則", Some((MarkerKind::Chapter, "第一章"))),
        ("第二節　查詢", Some((MarkerKind::Chapter, "第二節"))),
        ("第三次", None),
        ("-5 度", None),
        ("本局為辦理", None),
    ];
    for (line, want) in cases {
        let got = scan_marker(line).map(|(kind, len)| (kind, &line[..len]));
        assert_eq!(got, want, "{line}");
    }
}

#[test]
fn numbered_paragraphs_without_headings_nest_by_style() {
    let text = "一、目的：本局為辦理刑案偵查使用入出境資料。\n（一）第一款。\n1. 細目甲\n(1) 子目\n2. 細目乙\n（二）第二款。\n二、附則\n";
    let o = outline(text);
    let numbered: Vec<(&str, Option<usize>)> = o
        .clauses
        .iter()
        .map(|c| {
            (
                &text[c.marker.unwrap().start..c.marker.unwrap().end],
                c.parent,
            )
        })
        .collect();
    assert_eq!(
        numbered,
        vec![
            ("一、", None),
            ("（一）", Some(0)),
            ("1.", Some(1)),
            ("(1)", Some(2)),
            ("2.", Some(1)),
            ("（二）", Some(0)),
            ("二、", None),
        ]
    );
    let first = &o.clauses[0];
    assert_eq!(
        &text[first.title.unwrap().start..first.title.unwrap().end],
        "目的"
    );
    // The clause spans everything under it, up to the next 二、.
    assert_eq!(
        &text[first.span.end - "（二）第二款。".len()..first.span.end],
        "（二）第二款。"
    );
}

#[test]
fn a_document_with_no_headings_is_read_in_full() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/agency-rules/kaohsiung-tax-bureau/rules.md"
    ))
    .unwrap();
    assert!(
        !text.lines().any(|l| l.starts_with('#')),
        "the sample has no headings"
    );
    let f = facts(&text);
    for key in ALL_PARTS {
        let p = part(&f, key);
        assert!(
            p.found && p.content_chars >= 4 && !p.negated,
            "{key}: {p:?}"
        );
    }
}

#[test]
fn items_in_unusual_order_are_found_by_wording() {
    let text = "第一條（使用完成後之處理）\n查詢所得資料使用完畢後應即銷毀，不得留存。\n第二條（使用者異動）\n使用者調職或離職時，應以公文書通知移民署終止其帳號。\n第三條（目的）\n本署為辦理勞動檢查業務，使用入出境資料。\n";
    let f = facts(text);
    assert_eq!(evidence(text, &f, "disposal"), "使用完成後之處理");
    // The title 使用者異動 names the item; the sentence under it states it
    // (a change, a notice, NIA), so the section is the evidence.
    assert_eq!(evidence(text, &f, "user_change"), "使用者異動");
    let change = part(&f, "user_change");
    assert!(change.stated && change.titled, "{change:?}");
    assert_eq!(change.matched, ["change_event", "notify", "nia"]);
    assert_eq!(evidence(text, &f, "purpose"), "目的");
    assert!(part(&f, "disposal").titled);
    assert!(part(&f, "purpose").content_chars > 10);
    assert!(f.part("security").is_some_and(|p| !p.found));
}

#[test]
fn a_heading_that_names_an_item_over_an_empty_body_is_empty() {
    let text = "## 六、使用完畢後資料之處理\n\n## 七、附則\n本規範經核定後實施，使用完畢之資料應依檔案法處理。\n";
    let f = facts(text);
    let disposal = part(&f, "disposal");
    assert!(disposal.found && disposal.titled);
    assert_eq!(disposal.content_chars, 0, "the heading's own body is empty");
    assert_eq!(evidence(text, &f, "disposal"), "使用完畢後資料之處理");
}

#[test]
fn sub_headings_count_as_the_body_of_their_heading() {
    let text = "## 三、保密措施\n### （一）人員\n使用者應簽署保密切結書。\n## 四、附則\n";
    let f = facts(text);
    assert!(
        part(&f, "confidentiality").content_chars >= 10,
        "{:?}",
        part(&f, "confidentiality")
    );
}

#[test]
fn table_rows_are_clauses_titled_by_their_first_cell() {
    let text = "| 項目 | 內容 |\n|---|---|\n| 保密措施 | 使用者對查詢所得資料應嚴守秘密，不得洩漏。 |\n| 查詢程序 | 查詢前應填具申請單，經主管核准後始得查詢。 |\n";
    let o = outline(text);
    assert_eq!(o.clauses.len(), 2, "the header row is not a clause");
    assert!(o.clauses.iter().all(|c| c.kind == ClauseKind::TableRow));
    let f = facts(text);
    assert_eq!(evidence(text, &f, "confidentiality"), "保密措施");
    assert_eq!(evidence(text, &f, "query"), "查詢程序");
    assert!(part(&f, "query").content_chars > 15);
}

#[test]
fn items_merged_in_one_paragraph_are_found_sentence_by_sentence() {
    let text = "本院使用入出境資料之目的為偵辦刑事案件，並由資訊室實施資料安全管制；\n使用者對查詢所得資料應嚴守秘密，不得洩漏；使用者調職或離職時，應即函知移民署終止帳號；\n資料使用完畢後應即銷毀。\n";
    let f = facts(text);
    assert!(evidence(text, &f, "purpose").starts_with("本院使用入出境資料之目的"));
    assert!(evidence(text, &f, "security").contains("資料安全管制"));
    assert_eq!(
        evidence(text, &f, "confidentiality"),
        "使用者對查詢所得資料應嚴守秘密，不得洩漏"
    );
    assert_eq!(
        evidence(text, &f, "user_change"),
        "使用者調職或離職時，應即函知移民署終止帳號"
    );
    assert_eq!(evidence(text, &f, "disposal"), "資料使用完畢後應即銷毀");
}

#[test]
fn a_sentence_wrapped_over_lines_is_one_sentence() {
    let text = "對於取得資料之處理及利用，違反個人資料保護法規定，\n致當事人權益受損時，本院應負損害賠償責任。\n";
    let f = facts(text);
    let liability = part(&f, "liability");
    assert!(
        liability.found && liability.laws.contains("pdpa"),
        "{liability:?}"
    );
}

#[test]
fn negation_and_placeholder_are_facts_of_the_evidence() {
    let text = "（五）本分署非屬稽核對象，每年不涉及稽核。\n（六）處理個人資料之保密措施另定之。\n";
    let f = facts(text);
    assert!(part(&f, "audit").negated);
    assert!(part(&f, "confidentiality").placeholder);
    assert!(!part(&f, "confidentiality").negated);
}

#[test]
fn front_matter_and_code_blocks_are_not_rules() {
    let text = "---\ntitle: 保密措施另定之\n---\n\n```\n使用者對查詢所得資料應嚴守秘密。\n```\n\n一、目的：本局為辦理刑案偵查使用入出境資料。\n";
    let f = facts(text);
    assert!(
        !part(&f, "confidentiality").found,
        "{:?}",
        part(&f, "confidentiality")
    );
    assert!(part(&f, "purpose").found);
}

#[test]
fn ordered_lists_nest_by_indentation() {
    let text = "## 貳、查詢程序\n1. 申請\n   1. 使用者應填具查詢申請單。\n   2. 經主管核准後始得查詢。\n2. 紀錄\n";
    let o = outline(text);
    let depth = |i: usize| {
        let mut d = 0;
        let mut p = o.clauses[i].parent;
        while let Some(q) = p {
            d += 1;
            p = o.clauses[q].parent;
        }
        d
    };
    let depths: Vec<usize> = (0..o.clauses.len()).map(depth).collect();
    assert_eq!(depths, vec![0, 1, 2, 2, 1]);
}

#[test]
fn crlf_bom_and_bold_titles_keep_exact_spans() {
    let raw = "\u{feff}**一、目的**\r\n本局為辦理火災調查，使用入出境資料。\r\n\r\n> （二）使用者對查詢所得資料應嚴守秘密。\r\n";
    let file = SourceFile::new("rules.md", raw);
    let f = facts(file.text());
    let purpose = part(&f, "purpose").evidence.unwrap();
    assert_eq!(file.slice(purpose), "目的");
    assert_eq!(file.line_column(purpose.start).line, 1);
    assert_eq!(file.line_column(purpose.start).column, 5);
    assert_eq!(file.file_offset(purpose.start), 3 + "**一、".len());
    let secrecy = part(&f, "confidentiality").evidence.unwrap();
    assert_eq!(file.slice(secrecy), "使用者對查詢所得資料應嚴守秘密");
    assert_eq!(file.line_column(secrecy.start).line, 4);
}

#[test]
fn every_sample_document_is_read_without_loss() {
    // Every clause's spans lie in the text, on character boundaries, and
    // parents enclose their children.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/agency-rules");
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path().join("rules.md");
        let Ok(raw) = std::fs::read_to_string(&path) else {
            continue;
        };
        let file = SourceFile::new("rules.md", &raw);
        let text = file.text();
        let o = outline(text);
        assert!(
            o.clauses.len() >= 5,
            "{}: {} clauses",
            path.display(),
            o.clauses.len()
        );
        for c in &o.clauses {
            for span in [Some(c.own), Some(c.span), c.title, c.marker]
                .into_iter()
                .flatten()
            {
                assert!(
                    text.get(span.start..span.end).is_some(),
                    "{}: {span}",
                    path.display()
                );
            }
            if let Some(p) = c.parent {
                assert!(o.clauses[p].span.contains(c.span), "{}", path.display());
            }
        }
    }
}

#[test]
fn an_exception_under_a_title_is_not_a_denial_but_a_denial_is() {
    let exception = "## 三、定期督考查核\n（一）本局政風室每半年抽查使用紀錄一次。\n（二）駐外或借調人員不適用前款抽查比例，改由人事室每年查核。\n";
    assert!(!part(&facts(exception), "audit").negated);
    let denial = "## 三、定期稽核\n本分署非屬稽核對象，不涉及稽核。\n";
    let f = facts(denial);
    assert!(part(&f, "audit").found && part(&f, "audit").negated);
}

#[test]
fn a_complete_numbered_sentence_without_a_full_stop_is_not_a_title() {
    let text =
        "（一）使用者異動時，應即以公文書通知移民署終止其帳號\n（二）使用完畢之資料應即銷毀\n";
    let f = facts(text);
    let change = part(&f, "user_change");
    assert!(
        change.found && !change.titled && change.content_chars > 10,
        "{change:?}"
    );
}

#[test]
fn a_row_label_that_names_the_case_and_its_cell_are_one_rule() {
    // The first cell names the case (a violation), the cell after it what is done.
    let text = "| 情形 | 處置 |\n|---|---|\n| 查詢人員違規 | 即以公文通報移民署 |\n";
    let f = facts(text);
    let report = part(&f, "violation_report");
    assert!(report.stated && !report.titled, "{report:?}");
    assert_eq!(
        evidence(text, &f, "violation_report"),
        "查詢人員違規 | 即以公文通報移民署"
    );
    // A label before a colon, with no verb after it: the same.
    let text = "- 午休：登出系統、取出憑證。\n";
    let f = facts(text);
    assert!(part(&f, "leave").stated, "{:?}", part(&f, "leave"));
    assert_eq!(evidence(text, &f, "leave"), "午休：登出系統、取出憑證");
    // A label that names the part (暫離座位 is a title of leaving the
    // computer) is its title.
    let text = "- 暫離座位：登出系統、取出憑證。\n";
    assert_eq!(evidence(text, &facts(text), "leave"), "暫離座位");
    // A first cell that names the part stays its title.
    let text = "| 事項 | 作法 |\n|---|---|\n| 違規通報 | 發現違規者即通報移民署 |\n";
    assert_eq!(evidence(text, &facts(text), "violation_report"), "違規通報");
    // A first cell with nothing of the part is not part of the rule.
    let text = "| 步驟 | 作法 |\n|---|---|\n| 2 | 發現違規者應即通報移民署 |\n";
    assert_eq!(
        evidence(text, &facts(text), "violation_report"),
        "發現違規者應即通報移民署"
    );
}

#[test]
fn a_title_that_introduces_a_list_lends_its_words_to_the_items() {
    let text =
        "第五條　承辦人應恪遵下列法律：\n一、公務員服務法第四條。\n二、國家機密保護法第四條。\n";
    let f = facts(text);
    let statutes = part(&f, "statutes");
    assert!(statutes.stated && statutes.titled, "{statutes:?}");
    assert_eq!(evidence(text, &f, "statutes"), "承辦人應恪遵下列法律");
    // Without the duty in the title, the laws listed state nothing.
    let text = "第五條　參考法規如下：\n一、公務員服務法第四條。\n二、國家機密保護法第四條。\n";
    assert!(!part(&facts(text), "statutes").stated);
}

#[test]
fn an_inline_item_may_state_a_part_with_the_next_one() {
    let text = "（一）承辦人離職時，由所屬科室提出；（二）經秘書室彙整後，以公文函知移民署。\n";
    let f = facts(text);
    let change = part(&f, "user_change");
    assert!(change.stated, "{change:?}");
    let ev = evidence(text, &f, "user_change");
    assert!(
        ev.starts_with("承辦人離職時") && ev.ends_with("以公文函知移民署"),
        "{ev}"
    );
    // Items on lines of their own are read each by itself.
    let text = "（一）承辦人離職時，由所屬科室提出。\n（二）經秘書室彙整後，以公文函知移民署。\n";
    assert!(!part(&facts(text), "user_change").stated);
}

#[test]
fn a_bare_denial_under_a_title_that_names_the_item_denies_it() {
    // The title's words are the item's; the sentence under it only denies.
    let denied = "## 七、使用後資料之處理\n\n本點不適用。\n";
    let f = facts(denied);
    let p = part(&f, "disposal");
    assert!(p.found && p.negated && !p.stated, "{p:?}");
    assert_eq!(evidence(denied, &f, "disposal"), "使用後資料之處理");
    // Mutation: the same title over a sentence that disposes of the data
    // states it.
    let stated = "## 七、使用後資料之處理\n\n查詢所得資料於使用後應即銷毀。\n";
    let p = part(&facts(stated), "disposal").clone();
    assert!(p.stated && !p.negated, "{p:?}");
    // A deferral under a title states nothing with the title's words alone.
    let deferred = "## 十、違反之責任\n\n使用者違反本要點之責任，另以懲處規定定之。\n";
    let p = part(&facts(deferred), "liability").clone();
    assert!(!p.stated && p.placeholder, "{p:?}");
}

#[test]
fn chapters_hold_articles_and_an_empty_chapter_states_nothing() {
    // 第N章 is a section over articles: an article's own title under it is
    // the place, not the chapter's.
    let text = "第六章　督導考核\n第十八條　督導考核之方式如左：\n一、不定期抽查查詢紀錄。\n二、年度查核。\n";
    let f = facts(text);
    assert!(part(&f, "audit").stated, "{:?}", part(&f, "audit"));
    assert_eq!(evidence(text, &f, "audit"), "督導考核之方式如左");
    // A chapter's title with the next chapter right after it is empty.
    let text = "第六章　使用完成後資料之處理\n第七章　附則\n第二十五條　本要點自發布日施行。\n";
    let f = facts(text);
    let disposal = part(&f, "disposal");
    assert!(
        disposal.found && disposal.titled && !disposal.stated,
        "{disposal:?}"
    );
}

#[test]
fn checked_boxes_are_list_items() {
    // ☑ starts an item of its own: the two controls are two sentences.
    let text = "自行檢核表\n☑ 查詢畫面不得拍照或截圖\n☑ 螢幕閒置十分鐘自動鎖定\n";
    let f = facts(text);
    assert!(part(&f, "security").stated, "{:?}", part(&f, "security"));
    let got = evidence(text, &f, "security");
    assert!(!got.contains('\n') && !got.contains('☑'), "{got:?}");
}

#[test]
fn an_amendment_table_is_read_in_its_revised_column_only() {
    // The text in force before (現行規定) and the reasons (說明) are not rules.
    for text in [
        "| 修正規定 | 現行規定 | 說明 |\n|---|---|---|\n| 六、（刪除） | 六、查詢電腦應設定開機密碼並安裝防毒軟體。 | 本點已移列資通安全維護計畫，爰予刪除。 |\n",
        "| 修正規定 | 現行規定 | 說明 |\n| 六、（刪除） | 六、查詢電腦應設定開機密碼並安裝防毒軟體。 | 本點已移列資通安全維護計畫，爰予刪除。 |\n",
    ] {
        let f = facts(text);
        assert!(!part(&f, "security").stated, "{:?}", part(&f, "security"));
    }
    // The revised text is.
    let text = "| 修正規定 | 現行規定 | 說明 |\n| 六、查詢電腦應設定開機密碼並安裝防毒軟體。 | 六、（新增） | 增列本點。 |\n";
    let f = facts(text);
    assert!(part(&f, "security").stated, "{:?}", part(&f, "security"));
    assert!(evidence(text, &f, "security").contains("查詢電腦應設定開機密碼"));
}

#[test]
fn a_question_asks_and_its_answer_states() {
    let text = "問：如果移民署要來查核，我們要準備什麼？\n答：資訊室接獲稽核通知後三日內備妥近一年查詢日誌，稽核當日由業務主管陪同受檢。\n";
    let f = facts(text);
    let coop = part(&f, "audit_cooperation");
    assert!(coop.stated, "{coop:?}");
    assert!(
        evidence(text, &f, "audit_cooperation").contains("資訊室接獲稽核通知後"),
        "{:?}",
        evidence(text, &f, "audit_cooperation")
    );
}

#[test]
fn a_letters_subject_line_is_the_weakest_evidence() {
    let text = "主旨：訂定本府入出境資料查詢網路異常處理方式，請照辦。\n辦法：\n五、查詢時如遇網路中斷，應先洽電信業者檢測；確認為移民署端故障者，再通知移民署處理。\n";
    let f = facts(text);
    assert!(part(&f, "outage").stated, "{:?}", part(&f, "outage"));
    let got = evidence(text, &f, "outage");
    assert!(!got.contains("主旨") && got.contains("網路中斷"), "{got:?}");
}

#[test]
fn a_sentence_that_refers_back_states_with_the_one_before() {
    let text = "使用者職務調整不再辦理查詢業務者，其主管應於調整當日通知人事室。\n人事室接獲前項通知後，應於二日內函送移民署辦理帳號停用。\n";
    let f = facts(text);
    assert!(
        part(&f, "user_change").stated,
        "{:?}",
        part(&f, "user_change")
    );
    assert!(evidence(text, &f, "user_change").contains("函送移民署"));
}

#[test]
fn a_defined_term_carries_its_definition() {
    // The definition names NIA; the sentence that uses the term states the call.
    let text = "第二條　本要點所稱聯絡窗口，指移民署移民資訊組服務專線。\n移民署系統異常時，資訊室應以電話通知聯絡窗口。\n";
    let f = facts(text);
    let phone = part(&f, "outage_phone");
    assert!(phone.stated, "{phone:?}");
    assert_eq!(
        evidence(text, &f, "outage_phone"),
        "移民署系統異常時，資訊室應以電話通知聯絡窗口"
    );
    // The duty to keep 「相關法令」 is the statutes' when the term is defined
    // as them, and not otherwise.
    let text = "本要點所稱相關法令，指公務員服務法第四條及國家機密保護法第四條。\n使用者應遵守相關法令。\n";
    let f = facts(text);
    assert!(part(&f, "statutes").stated, "{:?}", part(&f, "statutes"));
    assert_eq!(evidence(text, &f, "statutes"), "使用者應遵守相關法令");
    assert!(!part(&facts("使用者應遵守相關法令。\n"), "statutes").stated);
    // A term repeated without end lends a bounded number of hits.
    let mut text = String::from("本要點所稱窗口，指移民署服務專線。\n");
    for _ in 0..20_000 {
        text.push_str("窗口、");
    }
    text.push('。');
    let _ = facts(&text);
}

#[test]
fn a_blank_form_names_fields_and_states_nothing() {
    // A form's rows with nothing filled in, then the note under it.
    let text = "| 欄位 | 內容 |\n|---|---|\n| 查詢事由及案號 | |\n| 單位主管核章 | |\n\n※本單經主管核章後，始得交由查詢人員上線查詢。\n";
    let f = facts(text);
    assert!(part(&f, "query").stated, "{:?}", part(&f, "query"));
    assert_eq!(
        evidence(text, &f, "query"),
        "本單經主管核章後，始得交由查詢人員上線查詢"
    );
    // A checklist row of the item with tick boxes only: a label, not a rule.
    let text =
        "| 檢核項目 | 結果 |\n|---|---|\n| 依個人資料保護法妥善保管資料 | ☐符合　☐不符合 |\n";
    let f = facts(text);
    let custody = part(&f, "custody");
    assert!(!custody.stated, "{custody:?}");
    // The same row with its answer written is a rule.
    let text = "| 項目 | 作法 |\n|---|---|\n| 資料保管 | 依個人資料保護法妥善保管 |\n";
    assert!(part(&facts(text), "custody").stated);
}

#[test]
fn a_sentence_broken_before_its_article_numbers_goes_on() {
    // 「第十五條、…」 at a line's start goes on citing; it is no article.
    let text = "十四、本所人員應嚴守公務員服務法第四條、國家機密保護法第四條、個人資料保護法\n第十五條、第十六條及第十八條規定。\n";
    let f = facts(text);
    assert!(part(&f, "statutes").stated);
    assert!(evidence(text, &f, "statutes").ends_with("第十八條規定"));
}

#[test]
fn an_inline_introduction_is_a_sentence_of_its_own() {
    let text = "本所入出國資料使用規定如下：查詢業務由戶籍課指定專人辦理；查詢終端機設置於獨立空間並加裝門禁刷卡。\n";
    let f = facts(text);
    assert!(part(&f, "security").stated);
    assert_eq!(
        evidence(text, &f, "security"),
        "查詢業務由戶籍課指定專人辦理"
    );
}

#[test]
fn a_condition_on_whom_a_rule_binds_is_no_denial() {
    // 「非屬…者不得查詢」 binds those it names: the purpose stands.
    let text =
        "本所調閱入出國資料之用途，為查核生活補助請領人之在臺居住事實，非屬前開業務者不得查詢。\n";
    let f = facts(text);
    let purpose = part(&f, "purpose");
    assert!(purpose.stated && !purpose.negated, "{purpose:?}");
}

#[test]
fn a_denial_under_a_title_denies_what_borrows_its_words() {
    // The sentence says the part only with the title's words, then denies it.
    let text = "十、系統異常處理：本所未以網路連線方式查詢，免予適用。\n";
    let f = facts(text);
    let outage = part(&f, "outage");
    assert!(outage.negated, "{outage:?}");
    // A sentence that names the part on its own and denies something else
    // is not denied by it.
    let text = "十、系統異常處理：系統異常時應即電話通知移民署。\n";
    assert!(!part(&facts(text), "outage").negated);
}

#[test]
fn a_deferral_that_names_the_item_is_its_place() {
    // No concept states the disposal; the sentence names it, then defers.
    let text = "使用後資料之處理，依本所檔案管理作業要點辦理。\n";
    let f = facts(text);
    let disposal = part(&f, "disposal");
    assert!(
        disposal.found && disposal.placeholder && !disposal.stated,
        "{disposal:?}"
    );
    assert_eq!(
        evidence(text, &f, "disposal"),
        "使用後資料之處理，依本所檔案管理作業要點辦理"
    );
}

#[test]
fn a_converted_documents_artefacts_are_read_through() {
    // A paragraph indented by a tab is text, not Markdown's code block.
    let text = "\t第十條　入出國資料之保管及運用，應遵循個人資料保護法之規定。\n";
    let f = facts(text);
    assert!(part(&f, "custody").stated, "{:?}", part(&f, "custody"));
    // A line number and a tab before a checked box; an arrow chain is a
    // procedure.
    let text = "05\t□ 人離座 → 系統登出 → 抽卡\n";
    let f = facts(text);
    assert!(part(&f, "leave").stated, "{:?}", part(&f, "leave"));
    assert_eq!(evidence(text, &f, "leave"), "人離座 → 系統登出 → 抽卡");
    // A running header that names the agency as 「○○市政府…」 inside a
    // sentence broken by the page does not start an item.
    let text = "二十、查核發現使用者有違規狀況者，\n○○市政府勞動局入出國資料管理規範\n應即通報移民署，並依規定議處。\n";
    assert!(part(&facts(text), "violation_report").stated);
    // 「‧」 is a bullet: its label names the item.
    let text = "‧ 保管：依個資法規定，紙本置鎖櫃、電子檔加密存放。\n";
    let f = facts(text);
    assert!(part(&f, "custody").stated);
    assert_eq!(evidence(text, &f, "custody"), "保管");
}

#[test]
fn every_sentence_of_an_answer_is_read_with_its_question() {
    // The answer's second sentence states the control with the question's
    // words (the computer that queries the data).
    let text = "問：查詢入出國資料的電腦可以放在一般辦公桌上嗎？\n答：不可以。應放置於檔案室旁之管制區，區內裝設監視器，人員進出須登記。\n";
    let f = facts(text);
    assert!(part(&f, "security").stated, "{:?}", part(&f, "security"));
    assert!(evidence(text, &f, "security").contains("應放置於檔案室旁之管制區"));
}

#[test]
fn a_sentence_broken_by_a_page_goes_on_in_its_clause() {
    // The clause's text ends in 「，」; a running header and the rest follow
    // in blocks of their own (an indented line is a block to Markdown).
    let text = "\t九、資料使用完畢後，\n國軍退除役官兵輔導委員會○○榮譽國民之家　第 3 頁\n\t應交由輔導組統一以碎紙機銷毀，不得作廢紙回收。\n";
    let f = facts(text);
    assert!(part(&f, "disposal").stated, "{:?}", part(&f, "disposal"));
    assert!(evidence(text, &f, "disposal").ends_with("不得作廢紙回收"));
    // A clause that ends its sentence is not continued.
    let text = "九、資料使用完畢後應即銷毀。\n\n查詢紀錄由移民署保存。\n";
    assert_eq!(
        evidence(text, &facts(text), "disposal"),
        "資料使用完畢後應即銷毀"
    );
}
