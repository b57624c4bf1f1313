//! SARIF 2.1.0 (`--format sarif`), for code scanning: one run, one rule
//! per requirement (and one for input errors), every result at a place in a
//! file (line 1 of its file when the item is missing), fingerprints that
//! survive edits elsewhere, waived findings as accepted suppressions.
//! Validated against the OASIS schema in the tests and with Microsoft's
//! SARIF Multitool (GitHub's rules) in CI.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::json::pretty;
use super::{RenderOptions, Renderer};
use crate::baseline::FINGERPRINT_VERSION;
use crate::catalog::{Catalog, Evidence, Severity, Version};
use crate::embedded;
use crate::lang::Lang;
use crate::privacy::CompiledMasker;
use crate::report::{Finding, InputError, Location, Run, Status, SubmissionReport, Summary};

/// The id of the rule that input errors are reported under.
const INPUT_ERROR: &str = "input-error";

/// The base that every artifact URI is relative to: the folder niacheck was
/// run in (GitHub resolves it to the repository root).
const SRCROOT: &str = "%SRCROOT%";

/// The SARIF renderer.
#[derive(Debug)]
pub struct Sarif {
    options: RenderOptions,
    catalog: Option<Catalog>,
    written: usize,
}

impl Sarif {
    /// A SARIF renderer.
    #[must_use]
    pub fn new(options: RenderOptions) -> Self {
        Self {
            options,
            catalog: Catalog::embedded().ok(),
            written: 0,
        }
    }

    fn rule_index(&self, name: &str) -> Option<usize> {
        self.catalog
            .as_ref()?
            .requirements()
            .iter()
            .position(|r| r.name == name)
    }

    fn rules(&self) -> Vec<Value> {
        let lang = self.options.lang;
        let mut rules: Vec<Value> = self
            .catalog
            .iter()
            .flat_map(Catalog::requirements)
            .map(|r| {
                let doc = embedded::readme(&r.name).unwrap_or_default();
                let other = match lang {
                    Lang::ZhTw => &r.title_en,
                    Lang::En => &r.title_zh,
                };
                let from: Vec<&str> = r
                    .checked_from
                    .iter()
                    .map(|e| match e {
                        Evidence::Doc => "doc",
                        Evidence::Config => "config",
                        Evidence::Log => "log",
                        Evidence::NiaSide => "nia-side",
                    })
                    .collect();
                let mut rule = json!({
                    "id": r.name,
                    "shortDescription": {"text": r.title(lang)},
                    "fullDescription": {"text": format!("{} — {other}", r.title(lang))},
                    "help": {"text": doc, "markdown": doc},
                    "defaultConfiguration": {"level": level(r.severity)},
                    "properties": {
                        "tags": from,
                        "cite": {
                            "amended": r.cite(Version::Amended),
                            "previous": r.cite(Version::Previous),
                        },
                        "title_zh": r.title_zh,
                        "title_en": r.title_en,
                    },
                });
                // SARIF wants `name` to differ from `id`; a one-word id has
                // no other readable name, so it goes without.
                let name = pascal(&r.name);
                if !name.eq_ignore_ascii_case(&r.name) {
                    insert(&mut rule, "name", json!(name));
                }
                rule
            })
            .collect();
        rules.push(json!({
            "id": INPUT_ERROR,
            "name": "InputError",
            "shortDescription": {"text": crate::i18n::static_text(lang, "sarif.input-error")},
            "fullDescription": {"text": format!(
                "{} — {}",
                crate::i18n::static_text(Lang::ZhTw, "sarif.input-error"),
                crate::i18n::static_text(Lang::En, "sarif.input-error")
            )},
            "help": {"text": crate::i18n::static_text(lang, "sarif.input-error-help")},
            "defaultConfiguration": {"level": "error"},
        }));
        rules
    }

    fn write_result(&mut self, out: &mut dyn Write, result: &Value) -> io::Result<()> {
        let separator = if self.written == 0 { "\n" } else { ",\n" };
        self.written += 1;
        write!(out, "{separator}        {}", pretty(result, 8)?)
    }
}

/// Set `key` of an object.
fn insert(object: &mut Value, key: &str, value: Value) {
    if let Some(map) = object.as_object_mut() {
        map.insert(key.to_owned(), value);
    }
}

/// Set `key` of the object at `parent` of an object.
fn insert_in(object: &mut Value, parent: &str, key: &str, value: Value) {
    if let Some(inner) = object.get_mut(parent) {
        insert(inner, key, value);
    }
}

/// `card-reader` as a rule name: `CardReader`.
fn pascal(name: &str) -> String {
    name.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative URI reference for `path`: `/` separators, and every byte
/// outside the unreserved set percent-encoded (Chinese folder names too).
#[must_use]
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.replace('\\', "/").bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out.trim_start_matches("./").to_owned()
}

/// Where a file is: relative to the folder niacheck was run in
/// (`%SRCROOT%`), or, for a submission given by an absolute path, an
/// absolute `file:` URI (a relative reference may not begin with `/`).
fn artifact(path: &str) -> Value {
    let path = path.replace('\\', "/");
    let bytes = path.as_bytes();
    let drive = bytes.len() > 2
        && bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes.get(1) == Some(&b':')
        && bytes.get(2) == Some(&b'/');
    if path.starts_with('/') {
        json!({"uri": format!("file://{}", uri(&path))})
    } else if drive {
        let (letter, rest) = path.split_at(2);
        json!({"uri": format!("file:///{letter}{}", uri(rest))})
    } else {
        json!({"uri": uri(&path), "uriBaseId": SRCROOT})
    }
}

/// The physical location of a place in a file of `submission`; line 1 when
/// there is no place.
fn physical(submission: &str, file: &str, location: Option<&Location>) -> Value {
    let region = match location {
        Some(l) => {
            let start = l.line_column();
            let end = l.file.line_column(l.span.end);
            let mut region = json!({
                "startLine": start.line,
                "startColumn": start.column,
                "endLine": end.line,
                "endColumn": end.column,
            });
            // An office document: the lines are those of its text view; the
            // paragraph is the place a reader finds in Word.
            if let (Some(place), Some(region)) =
                (l.file.paragraph_place(l.span), region.as_object_mut())
            {
                region.insert(
                    "properties".to_owned(),
                    json!({
                        "paragraph": place.number,
                        "paragraphStart": place.start,
                        "paragraphEnd": place.end,
                    }),
                );
            }
            region
        }
        None => json!({"startLine": 1}),
    };
    json!({
        "physicalLocation": {
            "artifactLocation": artifact(&format!("{submission}/{file}")),
            "region": region,
        }
    })
}

fn finding_result(
    index: Option<usize>,
    s: &SubmissionReport,
    f: &Finding,
    masker: &CompiledMasker<'_>,
    lang: Lang,
) -> Value {
    let message = masker.apply(f.message.get(lang));
    let help = masker.apply(f.help.get(lang));
    let text = if help.is_empty() {
        message.into_owned()
    } else {
        format!("{message}\n{help}")
    };
    let mut result = json!({
        "ruleId": f.requirement,
        "level": level(f.severity),
        "message": {"text": text},
        "locations": [physical(&s.path, s.file_of(f), f.location.as_ref())],
        "partialFingerprints": {FINGERPRINT_VERSION: f.fingerprint},
        "properties": {
            "policy": f.policy,
            "cite": f.cite,
            "submission": s.path,
        },
    });
    if let Some(i) = index {
        insert(&mut result, "ruleIndex", json!(i));
    }
    if let Some(subject) = &f.subject {
        insert_in(&mut result, "properties", "subject", json!(subject));
    }
    if let Some(agency) = &s.agency {
        insert_in(&mut result, "properties", "agency", json!(agency));
    }
    if let Some(w) = &f.waived {
        insert(
            &mut result,
            "suppressions",
            json!([{
                "kind": "external",
                "status": "accepted",
                "justification": format!(
                    "{} — {} ({}), until {}",
                    masker.apply(&w.reason),
                    masker.apply(&w.approver),
                    w.approval_ref,
                    w.expires_on
                ),
            }]),
        );
    }
    result
}

fn error_result(
    index: usize,
    s: &SubmissionReport,
    e: &InputError,
    masker: &CompiledMasker<'_>,
    lang: Lang,
) -> Value {
    let mut text = masker.apply(e.message.get(lang)).into_owned();
    if let Some(help) = &e.help {
        text.push('\n');
        text.push_str(&masker.apply(help.get(lang)));
    }
    let file = e.file_name().to_owned();
    json!({
        "ruleId": INPUT_ERROR,
        "ruleIndex": index,
        "level": "error",
        "message": {"text": text},
        "locations": [physical(&s.path, &file, e.location.as_ref())],
        "properties": {"submission": s.path},
    })
}

impl Renderer for Sarif {
    fn start(&mut self, out: &mut dyn Write, _run: &Run) -> io::Result<()> {
        let mut driver = json!({
            "driver": {
                "name": "niacheck",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": self.rules(),
            }
        });
        // The package's `repository` (Cargo.toml), once it has a public home.
        if let Some(home) = option_env!("CARGO_PKG_REPOSITORY").filter(|h| !h.is_empty()) {
            insert_in(&mut driver, "driver", "informationUri", json!(home));
        }
        let bases = json!({
            SRCROOT: {"description": {"text": "the folder niacheck was run in"}}
        });
        write!(
            out,
            "{{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"tool\": {},\n      \"originalUriBaseIds\": {},\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [",
            pretty(&driver, 6)?,
            pretty(&bases, 6)?,
        )
    }

    fn submission(
        &mut self,
        out: &mut dyn Write,
        run: &Run,
        s: &SubmissionReport,
    ) -> io::Result<()> {
        let lang = self.options.lang;
        let masker = run.masker(s);
        for e in &s.errors {
            let index = self.catalog.as_ref().map_or(0, |c| c.requirements().len());
            let result = error_result(index, s, e, &masker, lang);
            self.write_result(out, &result)?;
        }
        for f in &s.findings {
            let result = finding_result(self.rule_index(&f.requirement), s, f, &masker, lang);
            self.write_result(out, &result)?;
        }
        if self.options.include_pass {
            for r in s.requirements.iter().filter(|r| r.status == Status::Met) {
                let doc = self
                    .catalog
                    .as_ref()
                    .and_then(|c| c.get(&r.name))
                    .is_some_and(|r| r.checked_from.contains(&Evidence::Doc));
                let file = if doc {
                    s.rules.as_deref().unwrap_or("rules.md")
                } else {
                    crate::submission::ACCESS_FILE
                };
                let mut result = json!({
                    "ruleId": r.name,
                    "kind": "pass",
                    "level": "none",
                    "message": {"text": crate::i18n::static_text(lang, "sarif.met")},
                    "locations": [physical(&s.path, file, None)],
                    "properties": {"submission": s.path},
                });
                if let Some(i) = self.rule_index(&r.name) {
                    insert(&mut result, "ruleIndex", json!(i));
                }
                self.write_result(out, &result)?;
            }
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _run: &Run, summary: &Summary) -> io::Result<()> {
        let close = if self.written == 0 { "]" } else { "\n      ]" };
        let invocations = json!([{
            "executionSuccessful": summary.error == 0,
        }]);
        writeln!(
            out,
            "{close},\n      \"invocations\": {}\n    }}\n  ]\n}}",
            pretty(&invocations, 6)?
        )
    }
}

#[cfg(test)]
mod tests {
    use super::{artifact, pascal, uri};

    #[test]
    fn absolute_submission_paths_are_file_uris() {
        assert_eq!(
            artifact("agency-rules/a/rules.md"),
            serde_json::json!({"uri": "agency-rules/a/rules.md", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact("/srv/送審/a/rules.docx"),
            serde_json::json!({"uri": "file:///srv/%E9%80%81%E5%AF%A9/a/rules.docx"})
        );
        assert_eq!(
            artifact("C:\\送審\\rules.md"),
            serde_json::json!({"uri": "file:///C:/%E9%80%81%E5%AF%A9/rules.md"})
        );
    }

    #[test]
    fn rule_names_and_uris() {
        assert_eq!(pascal("lost-certificate-notice"), "LostCertificateNotice");
        assert_eq!(
            uri("./agency-rules/a b/rules.md"),
            "agency-rules/a%20b/rules.md"
        );
        assert_eq!(uri("送審/rules.md"), "%E9%80%81%E5%AF%A9/rules.md");
    }
}
