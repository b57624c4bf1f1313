#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! The message catalogue is complete: every key the code uses has a zh-TW
//! and an en text, every key of the catalogue is used, both languages agree
//! on each message's placeholders, and no message is written in the code
//! outside the catalogue except in the files still listed below.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use niacheck::Lang;
use niacheck::i18n;

/// Every `.rs` file under `dir`, recursively, as (path, text).
fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).unwrap();
            out.push((path.display().to_string(), text));
        }
    }
}

/// The keys used in `text`: the string literal after `tr!(`, `tr_n!(` or
/// `static_text(…, ` (the only ways the code reads the catalogue).
fn keys_used(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for opener in ["tr!(", "tr_n!(", "static_text("] {
        let mut rest = text;
        while let Some(at) = rest.find(opener) {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + opener.len()..];
            // `include_str!(` is no `tr!(`.
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            // `static_text(lang, "key")` and `static_text(\n lang,\n match … { … => "key", … })`
            let mut end = rest.len().min(400);
            while !rest.is_char_boundary(end) {
                end -= 1;
            }
            let window = &rest[..end];
            let literals = literals(window);
            if opener == "static_text(" {
                let call = &window[..window.find(");").unwrap_or(window.len())];
                out.extend(
                    literals
                        .into_iter()
                        .filter(|l| call.contains(&format!("\"{l}\""))),
                );
            } else if let Some(first) = literals.into_iter().next() {
                out.push(first);
            }
        }
    }
    out.retain(|k| k.contains('.') && !k.contains(' '));
    out
}

fn literals(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut parts = text.split('"');
    parts.next();
    while let Some(literal) = parts.next() {
        out.push(literal.to_owned());
        if parts.next().is_none() {
            break;
        }
    }
    out
}

fn used_keys() -> BTreeSet<String> {
    let mut files = Vec::new();
    sources(Path::new("src"), &mut files);
    files
        .iter()
        .filter(|(path, _)| !path.ends_with("i18n.rs"))
        .flat_map(|(_, text)| keys_used(text))
        .collect()
}

#[test]
fn the_catalogues_parse_and_agree_on_keys_and_placeholders() {
    let problems = i18n::problems();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_key_used_has_both_texts_and_every_key_is_used() {
    let used = used_keys();
    assert!(used.len() > 50, "the scan found only {used:?}");
    for lang in [Lang::ZhTw, Lang::En] {
        let catalogue = i18n::catalogue(lang);
        let missing: Vec<&String> = used
            .iter()
            .filter(|k| !catalogue.contains_key(*k))
            .collect();
        assert!(
            missing.is_empty(),
            "used in src/ but not in the {} catalogue: {missing:?}",
            lang.as_str()
        );
        let unused: Vec<&String> = catalogue.keys().filter(|k| !used.contains(*k)).collect();
        assert!(
            unused.is_empty(),
            "in the {} catalogue but used nowhere in src/: {unused:?}",
            lang.as_str()
        );
    }
}

/// Files that still write some messages as `Localized::new(zh, en)` in the
/// code. The list only shrinks: a file not listed here that writes a
/// message in the code fails this test, and so does a listed file that no
/// longer does (remove it from the list).
const NOT_YET_IN_THE_CATALOGUE: &[&str] = &[];

#[test]
fn no_message_is_written_outside_the_catalogue() {
    let mut files = Vec::new();
    sources(Path::new("src"), &mut files);
    let writing: BTreeSet<String> = files
        .iter()
        // `findings.rs` fills a finding's text from the policies' own
        // `@message`/`@message_en` and `data/messages.toml`, which are
        // per-language data already (CONTRIBUTING.md, "Messages").
        .filter(|(path, _)| {
            !path.ends_with("lang.rs")
                && !path.ends_with("i18n.rs")
                && !path.ends_with("findings.rs")
        })
        .filter(|(_, text)| text.contains("Localized::new("))
        .map(|(path, _)| path.replace('\\', "/"))
        .collect();
    let listed: BTreeSet<String> = NOT_YET_IN_THE_CATALOGUE
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let new: Vec<&String> = writing.difference(&listed).collect();
    let done: Vec<&String> = listed.difference(&writing).collect();
    assert!(
        new.is_empty(),
        "messages written in the code, not in data/i18n/: {new:?} (see CONTRIBUTING.md, \"Messages\")"
    );
    assert!(
        done.is_empty(),
        "no longer writes messages itself, remove from the list: {done:?}"
    );
}

#[test]
fn english_counts_are_singular_for_one() {
    let one = niacheck::tr_n!("human.warnings", 1_usize);
    let two = niacheck::tr_n!("human.warnings", 2_usize);
    assert_eq!(
        (one.en.as_str(), two.en.as_str()),
        ("1 warning", "2 warnings")
    );
    assert_eq!((one.zh.as_str(), two.zh.as_str()), ("警告 1", "警告 2"));
}
