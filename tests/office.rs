#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! Rules documents kept as `.docx` and `.odt`: the fixtures of
//! `tests/office/` were made by LibreOffice (`tests/office/make.py`) from
//! the `rules.md` of a sample in `agency-rules/`; each must give the same
//! requirement statuses as its Markdown twin.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use niacheck::catalog::Version;
use niacheck::{CheckOptions, Date, Lang, Report};

static CHECKER: LazyLock<niacheck::Checker> = LazyLock::new(|| niacheck::Checker::new().unwrap());

const AS_OF: &str = "2026-11-27";

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn check(paths: &[PathBuf]) -> Report {
    let options = CheckOptions {
        regulation: Some(Version::Amended),
        ..CheckOptions::new(Date::parse(AS_OF).unwrap())
    };
    CHECKER.check_paths(paths, &options)
}

/// A submission folder under `dir`: the sample's `access.yaml` naming the
/// office file (or naming nothing, when `named` is false) and the file.
fn submission(dir: &Path, sample: &str, file: &str, named: bool) -> PathBuf {
    let ext = Path::new(file).extension().unwrap().to_str().unwrap();
    let folder = dir.join(format!("{sample}-{ext}"));
    fs::create_dir_all(&folder).unwrap();
    let access = fs::read_to_string(
        manifest()
            .join("agency-rules")
            .join(sample)
            .join("access.yaml"),
    )
    .unwrap();
    let line = if named {
        format!("rules: rules.{ext}")
    } else {
        String::new()
    };
    let access = access.replace("rules: rules.md", &line);
    fs::write(folder.join("access.yaml"), access).unwrap();
    fs::copy(
        manifest().join("tests/office").join(file),
        folder.join(format!("rules.{ext}")),
    )
    .unwrap();
    folder
}

/// Every office fixture of `tests/office/`.
fn fixtures() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = fs::read_dir(manifest().join("tests/office"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".docx") || n.ends_with(".odt"))
        .map(|n| {
            let sample = n.rsplit_once('.').unwrap().0.to_owned();
            (sample, n)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn office_fixtures_give_the_statuses_of_their_markdown_twins() {
    let fixtures = fixtures();
    let docx = fixtures.iter().filter(|f| f.1.ends_with(".docx")).count();
    assert!(docx >= 4 && fixtures.len() - docx >= 3, "{fixtures:?}");
    let dir = tempfile::tempdir().unwrap();
    for (i, (sample, file)) in fixtures.iter().enumerate() {
        // Half of them are found by name, without `rules:`.
        let folder = submission(dir.path(), sample, file, i % 2 == 0);
        let twin = check(&[manifest().join("agency-rules").join(sample)]);
        let office = check(&[folder]);
        let (twin, office) = (&twin.submissions[0], &office.submissions[0]);
        assert!(office.errors.is_empty(), "{file}: {:?}", office.errors);
        assert_eq!(
            office.rules.as_deref(),
            Some(format!("rules.{}", file.rsplit_once('.').unwrap().1).as_str())
        );
        let statuses = |s: &niacheck::report::SubmissionReport| {
            s.requirements
                .iter()
                .map(|r| format!("{} {:?}", r.name, r.status))
                .collect::<Vec<_>>()
        };
        assert_eq!(statuses(office), statuses(twin), "{file}");
        assert_eq!(office.verdict, twin.verdict, "{file}");
        assert_eq!(office.findings.len(), twin.findings.len(), "{file}");
    }
}

/// A container with the given entries, deflated.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write as _;
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            zip.start_file(*name, options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap();
    }
    out.into_inner()
}

/// The input error of a submission whose rules document is `bytes`, named
/// `file`, in both languages.
fn error_of(file: &str, bytes: &[u8]) -> (String, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("hostile");
    fs::create_dir_all(&folder).unwrap();
    let access =
        fs::read_to_string(manifest().join("agency-rules/taipei-city-police/access.yaml")).unwrap();
    fs::write(
        folder.join("access.yaml"),
        access.replace("rules: rules.md", &format!("rules: {file}")),
    )
    .unwrap();
    fs::write(folder.join(file), bytes).unwrap();
    let report = check(&[folder]);
    let s = &report.submissions[0];
    assert_eq!(s.verdict.as_str(), "error", "{file}");
    let e = &s.errors[0];
    assert_eq!(e.file.as_deref(), Some(file));
    let help = e
        .help
        .as_ref()
        .map(|h| format!("{} / {}", h.get(Lang::ZhTw), h.get(Lang::En)))
        .unwrap_or_default();
    (
        e.message.get(Lang::ZhTw).to_owned(),
        e.message.get(Lang::En).to_owned(),
        help,
    )
}

const DOC: &str = r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>一、目的</w:t></w:r></w:p></w:body></w:document>"#;

#[test]
fn a_zip_bomb_is_refused_at_the_part_limit() {
    // 40 MiB of spaces deflate to a few dozen KiB.
    let bomb = vec![b' '; 40 * 1024 * 1024];
    let bytes = zip_of(&[("word/document.xml", &bomb)]);
    assert!(bytes.len() < 200 * 1024, "{}", bytes.len());
    let (zh, en, help) = error_of("rules.docx", &bytes);
    assert!(zh.contains("壓縮炸彈") && en.contains("zip bomb"), "{en}");
    assert!(
        en.contains("word/document.xml") && help.contains("actual rules document"),
        "{help}"
    );
}

#[test]
fn a_huge_document_is_refused() {
    let mut xml = br#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#.to_vec();
    while xml.len() < 33 * 1024 * 1024 {
        xml.extend_from_slice(b"<w:p><w:r><w:t>x</w:t></w:r></w:p>");
    }
    let bytes = zip_of(&[("word/document.xml", &xml)]);
    let (_, en, _) = error_of("rules.docx", &bytes);
    assert!(en.contains("expands to more than 32 MiB"), "{en}");
}

#[test]
fn entity_expansion_is_never_attempted() {
    let laughs = br#"<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&c;</w:t></w:r></w:p></w:body></w:document>"#;
    let (zh, en, _) = error_of("rules.docx", &zip_of(&[("word/document.xml", laughs)]));
    assert!(zh.contains("DTD") && en.contains("does not expand"), "{en}");
    let odt = zip_of(&[("content.xml", laughs)]);
    let (_, en, _) = error_of("rules.odt", &odt);
    assert!(en.contains("content.xml has a DTD"), "{en}");
}

#[test]
fn a_missing_part_is_named() {
    let bytes = zip_of(&[("word/styles.xml", b"<x/>")]);
    let (zh, en, help) = error_of("rules.docx", &bytes);
    assert!(
        zh.contains("缺少 word/document.xml") && en.contains("word/document.xml is missing"),
        "{en}"
    );
    assert!(help.contains("save it again"), "{help}");
    let (_, en, _) = error_of(
        "rules.odt",
        &zip_of(&[("mimetype", b"application/vnd.oasis.opendocument.text")]),
    );
    assert!(en.contains("content.xml is missing"), "{en}");
}

/// The start of an OLE compound file, as old Word and encrypted Office
/// documents are.
fn compound(with: &str) -> Vec<u8> {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(1024, 0);
    bytes.extend(with.encode_utf16().flat_map(u16::to_le_bytes));
    bytes.resize(4096, 0);
    bytes
}

#[test]
fn a_password_protected_file_says_so() {
    let (zh, en, help) = error_of("rules.docx", &compound("EncryptedPackage"));
    assert!(
        zh.contains("密碼保護") && en.contains("password-protected"),
        "{en}"
    );
    assert!(help.contains("remove the password"), "{help}");
    let manifest = br#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>"#;
    let odt = zip_of(&[
        ("META-INF/manifest.xml", manifest),
        ("content.xml", b"\x01\x02"),
    ]);
    let (_, en, _) = error_of("rules.odt", &odt);
    assert!(en.contains("password-protected"), "{en}");
}

#[test]
fn an_old_binary_doc_must_be_saved_again() {
    for name in ["rules.doc", "rules.docx"] {
        let (zh, en, help) = error_of(name, &compound("WordDocument"));
        assert!(
            zh.contains("舊版 Word") && en.contains("old binary Word file"),
            "{en}"
        );
        assert!(
            help.contains(".docx 或 .odt") && help.contains("save it as .docx or .odt"),
            "{help}"
        );
    }
}

#[test]
fn damaged_or_empty_containers_are_errors() {
    let (_, en, _) = error_of("rules.docx", b"plain text, not a container");
    assert!(en.contains("not a zip container"), "{en}");
    let (_, en, _) = error_of("rules.docx", b"PK\x03\x04 truncated");
    assert!(en.contains("cannot be read"), "{en}");
    let (_, en, _) = error_of(
        "rules.docx",
        &zip_of(&[("word/document.xml", b"<w:document")]),
    );
    assert!(en.contains("word/document.xml"), "{en}");
    let empty = br#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>"#;
    let (_, en, _) = error_of("rules.docx", &zip_of(&[("word/document.xml", empty)]));
    assert!(en.contains("no paragraph with text"), "{en}");
    // A well-formed minimal document reads.
    let report = {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("ok");
        fs::create_dir_all(&folder).unwrap();
        let access =
            fs::read_to_string(manifest().join("agency-rules/taipei-city-police/access.yaml"))
                .unwrap();
        fs::write(
            folder.join("access.yaml"),
            access.replace("rules: rules.md", ""),
        )
        .unwrap();
        fs::write(
            folder.join("rules.docx"),
            zip_of(&[("word/document.xml", DOC.as_bytes())]),
        )
        .unwrap();
        check(&[folder])
    };
    assert!(report.submissions[0].errors.is_empty());
}

#[test]
fn findings_point_at_paragraphs_in_both_languages() {
    use niacheck::render::{self, Format, RenderOptions};
    let dir = tempfile::tempdir().unwrap();
    for file in ["coast-guard-district.docx", "coast-guard-district.odt"] {
        let folder = submission(dir.path(), "coast-guard-district", file, true);
        let report = check(&[folder]);
        let tmp = dir.path().display().to_string();
        for lang in [Lang::ZhTw, Lang::En] {
            for format in [Format::Human, Format::Json] {
                // The fingerprint hashes the submission's path, a temporary
                // folder here: it is left out.
                let text = render::render_to_string(format, &report, RenderOptions::new(lang))
                    .replace(&tmp, "[dir]")
                    .lines()
                    .map(|l| match l.split_once("\"fingerprint\": ") {
                        Some((indent, _)) => {
                            format!("{indent}\"fingerprint\": \"[path-dependent]\"")
                        }
                        None => l.to_owned(),
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                insta::assert_snapshot!(
                    format!("{file}_{}_{}", format.name(), lang.as_str()),
                    text
                );
            }
        }
    }
}

#[test]
fn fix_leaves_an_office_document_unchanged_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("fixable");
    fs::create_dir_all(&folder).unwrap();
    let access =
        fs::read_to_string(manifest().join("agency-rules/taipei-city-police/access.yaml")).unwrap();
    fs::write(
        folder.join("access.yaml"),
        access.replace("rules: rules.md", "rules: rules.docx"),
    )
    .unwrap();
    let doc = DOC.replace(
        "一、目的",
        "使用機關應嚴守電腦處理個人資料保護法第七條之規定。",
    );
    let bytes = zip_of(&[("word/document.xml", doc.as_bytes())]);
    fs::write(folder.join("rules.docx"), &bytes).unwrap();
    for lang in ["zh-TW", "en"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_niacheck"))
            .args([
                "check", "fixable", "--as-of", AS_OF, "--fix", "--lang", lang,
            ])
            .current_dir(dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let said = if lang == "en" {
            "does not rewrite .docx/.odt files; it is left unchanged"
        } else {
            "--fix 不改寫 .docx/.odt，檔案未變更"
        };
        assert!(
            stderr.contains(said) && stderr.contains("fixable/rules.docx"),
            "{stderr}"
        );
        assert_eq!(fs::read(folder.join("rules.docx")).unwrap(), bytes);
    }
}

/// A report in one of the formats that name a place in a line of text:
/// the five of `check` and the HTML and CSV of `report`.
fn rendered(name: &str, report: &Report, lang: Lang, spool: &Path) -> String {
    use niacheck::render::{self, Format, RenderOptions, Renderer};
    let options = RenderOptions::new(lang);
    let mut renderer: Box<dyn Renderer> = match name {
        "html" => Box::new(render::html::Html::new(options, spool).unwrap()),
        "csv" => Box::new(render::csv::Csv::new(options)),
        _ => name.parse::<Format>().unwrap().renderer(options),
    };
    let mut out = Vec::new();
    renderer.start(&mut out, &report.run).unwrap();
    for s in &report.submissions {
        renderer.submission(&mut out, &report.run, s).unwrap();
    }
    renderer
        .finish(&mut out, &report.run, &report.summary())
        .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn every_format_names_the_paragraph_not_a_line_of_the_text_view() {
    let dir = tempfile::tempdir().unwrap();
    let spool = dir.path().join("spool");
    fs::create_dir_all(&spool).unwrap();
    let folder = submission(
        dir.path(),
        "coast-guard-district",
        "coast-guard-district.docx",
        true,
    );
    let report = check(&[folder]);
    let tmp = dir.path().display().to_string();
    let located = report.submissions[0]
        .findings
        .iter()
        .filter(|f| f.location.is_some())
        .count();
    assert!(located >= 3, "{located}");
    for name in ["junit", "github", "gitlab", "markdown", "html", "csv"] {
        let mut places = String::new();
        for lang in [Lang::ZhTw, Lang::En] {
            let text = rendered(name, &report, lang, &spool).replace(&tmp, "[dir]");
            // A line of the text view would read `rules.docx:21`.
            assert!(!text.contains("rules.docx:"), "{name}: {text}");
            let paragraph = if lang == Lang::En {
                "rules.docx paragraph 31"
            } else {
                "rules.docx 第 31 段"
            };
            assert!(text.contains(paragraph), "{name}: {text}");
            // Every line that names the document (every text between tags
            // in HTML), as written.
            let pieces: Vec<&str> = if name == "html" {
                text.split(['<', '>']).collect()
            } else {
                text.lines().collect()
            };
            for piece in pieces.iter().filter(|p| p.contains("rules.docx")) {
                places.push_str(&format!("{}: {}\n", lang.as_str(), piece.trim()));
            }
            if name == "github" {
                // A workflow command on an office document names no line:
                // its lines in the repository are a zip container's.
                for line in text.lines().filter(|l| l.contains("rules.docx")) {
                    assert!(!line.contains("line="), "{line}");
                }
            }
            if name == "gitlab" {
                let issues: serde_json::Value = serde_json::from_str(&text).unwrap();
                for issue in issues.as_array().unwrap() {
                    if issue["location"]["path"]
                        .as_str()
                        .unwrap()
                        .ends_with("rules.docx")
                    {
                        assert_eq!(issue["location"]["lines"]["begin"], 1, "{issue}");
                    }
                }
            }
        }
        insta::assert_snapshot!(format!("places_{name}"), places);
    }
}

#[test]
fn the_sarif_of_an_office_finding_validates() {
    use niacheck::render::{self, Format, RenderOptions};
    let schema_path = manifest().join("../shared/schemas/sarif-schema-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::draft4::new(&schema).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for file in ["coast-guard-district.docx", "coast-guard-district.odt"] {
        let folder = submission(dir.path(), "coast-guard-district", file, true);
        let report = check(&[folder]);
        let text = render::render_to_string(Format::Sarif, &report, RenderOptions::new(Lang::En));
        let sarif: serde_json::Value = serde_json::from_str(&text).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{file}: {errors:?}");
        let paragraphs: Vec<&serde_json::Value> = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| {
                r["locations"][0]["physicalLocation"]["region"]["properties"].get("paragraph")
            })
            .collect();
        assert!(
            paragraphs.contains(&&serde_json::json!(31)),
            "{file}: {paragraphs:?}"
        );
    }
}

#[test]
fn a_missing_item_of_an_office_document_names_no_line_on_github() {
    use niacheck::render::{self, Format, RenderOptions};
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("bare");
    fs::create_dir_all(&folder).unwrap();
    let access =
        fs::read_to_string(manifest().join("agency-rules/taipei-city-police/access.yaml")).unwrap();
    fs::write(
        folder.join("access.yaml"),
        access.replace("rules: rules.md", "rules: rules.docx"),
    )
    .unwrap();
    fs::write(
        folder.join("rules.docx"),
        zip_of(&[("word/document.xml", DOC.as_bytes())]),
    )
    .unwrap();
    let report = check(&[folder]);
    let s = &report.submissions[0];
    let missing = s
        .findings
        .iter()
        .filter(|f| f.location.is_none() && s.file_of(f) == "rules.docx")
        .count();
    assert!(missing > 0, "{:?}", s.findings);
    let text = render::render_to_string(Format::Github, &report, RenderOptions::new(Lang::En));
    let on_docx: Vec<&str> = text.lines().filter(|l| l.contains("rules.docx,")).collect();
    assert!(on_docx.len() >= missing, "{text}");
    assert!(on_docx.iter().all(|l| !l.contains("line=")), "{text}");
    // The configuration's findings keep their lines.
    assert!(
        text.lines()
            .filter(|l| l.contains("access.yaml,"))
            .all(|l| l.contains(",line=")),
        "{text}"
    );
}

#[test]
fn the_sentence_closest_to_a_missing_part_is_named_by_its_paragraph() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("closest");
    fs::create_dir_all(&folder).unwrap();
    let access =
        fs::read_to_string(manifest().join("agency-rules/kaohsiung-tax-bureau/access.yaml"))
            .unwrap();
    fs::write(
        folder.join("access.yaml"),
        access.replace("rules: rules.md", "rules: rules.docx"),
    )
    .unwrap();
    // The cooperation clause names NIA and cooperation, but no audit; it is
    // paragraph 2, line 3 of the text view.
    let doc = DOC.replace(
        "<w:p><w:r><w:t>一、目的</w:t></w:r></w:p>",
        "<w:p><w:r><w:t>一、本局每半年由政風室抽查使用紀錄一次。</w:t></w:r></w:p><w:p><w:r><w:t>二、移民署派員到場時，本局應配合辦理，並提供相關文件。</w:t></w:r></w:p>",
    );
    fs::write(
        folder.join("rules.docx"),
        zip_of(&[("word/document.xml", doc.as_bytes())]),
    )
    .unwrap();
    let report = check(&[folder]);
    let missing = report.submissions[0]
        .findings
        .iter()
        .find(|f| f.policy == "audit-procedure/audit_cooperation-missing")
        .expect("audit cooperation is missing");
    let (zh, en) = (
        missing.message.get(Lang::ZhTw),
        missing.message.get(Lang::En),
    );
    assert!(zh.contains("最接近者為第 2 段「移民署派員到場時"), "{zh}");
    assert!(
        en.contains("; closest: paragraph 2 「移民署派員到場時"),
        "{en}"
    );
    assert!(
        !zh.contains(" 行「") && !en.contains("line "),
        "{zh} / {en}"
    );
}

#[test]
fn several_rules_documents_without_rules_say_which_was_checked() {
    // A folder holding rules.md and rules.docx, with no `rules:` in
    // access.yaml: rules.md is checked, and a notice says so and what to do.
    let dir = tempfile::tempdir().unwrap();
    let folder = submission(
        dir.path(),
        "taipei-city-police",
        "taipei-city-police.docx",
        false,
    );
    fs::copy(
        manifest().join("agency-rules/taipei-city-police/rules.md"),
        folder.join("rules.md"),
    )
    .unwrap();
    let report = check(std::slice::from_ref(&folder));
    let s = &report.submissions[0];
    assert_eq!(s.rules.as_deref(), Some("rules.md"));
    let notices: Vec<_> = s.notices.iter().map(|n| n.message.en.clone()).collect();
    assert_eq!(
        notices,
        [
            "this folder holds several rules documents (rules.md, rules.docx) and `access.yaml` names none: `rules.md` was checked"
        ],
        "{notices:?}"
    );
    assert!(s.notices[0].message.zh.contains("多份管理規範"));
    assert!(
        s.notices[0]
            .help
            .as_ref()
            .unwrap()
            .en
            .contains("rules: rules.docx")
    );
    // Named, the other document is read, and no notice is given.
    let access = fs::read_to_string(folder.join("access.yaml")).unwrap();
    fs::write(
        folder.join("access.yaml"),
        format!("rules: rules.docx\n{access}"),
    )
    .unwrap();
    let report = check(&[folder]);
    let s = &report.submissions[0];
    assert_eq!(s.rules.as_deref(), Some("rules.docx"));
    assert!(s.notices.is_empty(), "{:?}", s.notices);
}
