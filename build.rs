//! Embeds every policy file under `policies/` into the binary, so that the
//! installed `niacheck` carries the exact policies its tests validated, and
//! validates them here, strictly, against `schemas/niacheck.cedarschema`:
//! a build with a policy that does not validate fails, so no binary can run
//! unvalidated policies and the binary need not validate them at each start.
//! Each policy file is embedded also compiled: its policies' syntax trees
//! (Cedar's PST) without annotations, as the byte code of
//! `src/cedar/tree.rs`, from which the binary builds them without Cedar's
//! parser (a tenth of the instructions of parsing their text), and beside
//! it each policy's annotations as Rust literals, with what each reads of a
//! request for the decision cache (`src/cedar/reads.rs`). That the encoded
//! policies are the validated ones is checked here: each code is decoded
//! back to the same tree, and the policy Cedar builds from it has the same
//! JSON form as the parsed one, annotations aside.
//! The vocabulary's terms (`data/vocabulary.toml`) are compiled here too, to
//! the table `src/extract/table.rs` describes; the binary uses it when its
//! own reading of the file gives exactly the same terms, and compiles them
//! itself otherwise (a test checks that it never has to: the order of the
//! terms is worked out here as `Vocabulary::from_toml` works it out, and
//! that test is what keeps the two the same). The message catalogues
//! (`data/i18n/*.toml`) are read here with `src/i18n/parse.rs`. The
//! vocabulary, the laws and the requirement catalogue
//! (`data/vocabulary.toml`, `data/laws.toml`, `policies/catalog.toml`) are
//! embedded also as JSON, which the binary reads into the same structures
//! in a third of the instructions (tests compare the two readings).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::str::FromStr as _;
use std::{env, fs};

use cedar_policy::{PolicyId, PolicySet, Schema, ValidationMode, Validator, pst};

#[path = "src/extract/table.rs"]
mod table;

#[path = "src/i18n/parse.rs"]
#[allow(dead_code, reason = "the binary uses the rest of it")]
mod i18n_parse;

#[path = "src/cedar/tree.rs"]
#[allow(dead_code, reason = "the binary uses the rest of it")]
mod tree;

#[path = "src/cedar/reads.rs"]
#[allow(dead_code, reason = "the binary uses the rest of it")]
mod reads;

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let policies = Path::new(&root).join("policies");
    println!("cargo:rerun-if-changed=policies");
    let mut files = Vec::new();
    if let Ok(dirs) = fs::read_dir(&policies) {
        for dir in dirs.flatten() {
            let path = dir.path();
            if !path.is_dir() {
                continue;
            }
            println!("cargo:rerun-if-changed={}", path.display());
            let name = dir.file_name().to_string_lossy().into_owned();
            if let Ok(entries) = fs::read_dir(&path) {
                for entry in entries.flatten() {
                    let file = entry.path();
                    let file_name = entry.file_name().to_string_lossy().into_owned();
                    if file_name.ends_with(".cedar") || file_name == "README.md" {
                        println!("cargo:rerun-if-changed={}", file.display());
                        files.push((name.clone(), file_name, file));
                    }
                }
            }
        }
    }
    files.sort();
    let schema_path = Path::new(&root).join("schemas/niacheck.cedarschema");
    println!("cargo:rerun-if-changed={}", schema_path.display());
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap_or_else(|_| ".".into()));
    let compiled = match compile(&schema_path, &files, &out_dir) {
        Ok(compiled) => compiled,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(1);
        }
    };
    let mut out = String::from(
        "/// Every file of `policies/*/`: (requirement folder, file name, contents).\n\
         pub static POLICY_FILES: &[(&str, &str, &str)] = &[\n",
    );
    for (dir, name, path) in &files {
        let _ = writeln!(
            out,
            "    ({dir:?}, {name:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    out.push_str(
        "/// Each policy file compiled, validated strictly against the schema\n\
         /// when this binary was built: (folder, file name, the byte code\n\
         /// of its policies' trees without annotations, each policy's\n\
         /// annotations in order, what each reads of a request).\n\
         pub static POLICY_COMPILED: &[Compiled] = &[\n",
    );
    for (dir, name, path, annotations, policy_reads) in &compiled {
        let _ = write!(
            out,
            "    ({dir:?}, {name:?}, include_bytes!({:?}), &[",
            path.display().to_string()
        );
        for policy in annotations {
            out.push_str("&[");
            for (key, value) in policy {
                let _ = write!(out, "({key:?}, {value:?}), ");
            }
            out.push_str("], ");
        }
        out.push_str("], &[");
        for read in policy_reads {
            out.push_str(&read.to_rust());
            out.push_str(", ");
        }
        out.push_str("]),\n");
    }
    out.push_str("];\n");
    vocabulary(Path::new(&root), &out_dir, &mut out);
    as_json(
        Path::new(&root),
        "data/vocabulary.toml",
        "VOCABULARY_JSON",
        &mut out,
    );
    as_json(Path::new(&root), "data/laws.toml", "LAWS_JSON", &mut out);
    as_json(
        Path::new(&root),
        "policies/catalog.toml",
        "CATALOG_JSON",
        &mut out,
    );
    laws(Path::new(&root), &out_dir, &mut out);
    catalogue(Path::new(&root), "zh-TW", "I18N_ZH_TW", &mut out);
    catalogue(Path::new(&root), "en", "I18N_EN", &mut out);
    if let Err(e) = fs::write(out_dir.join("policies.rs"), out) {
        println!("cargo:warning=cannot write policies.rs: {e}");
    }
}

/// A policy file compiled: its folder, name, the file of its policies'
/// code, and each policy's annotations and what it reads of a request.
type Compiled = (
    String,
    String,
    PathBuf,
    Vec<Vec<(String, String)>>,
    Vec<reads::Reads>,
);

/// A policy's JSON form without its annotations.
fn without_annotations(policy: &cedar_policy::Policy) -> Result<serde_json::Value, String> {
    let mut json = policy.to_json().map_err(|e| e.to_string())?;
    if let Some(object) = json.as_object_mut() {
        object.remove("annotations");
    }
    Ok(json)
}

/// Parse every `.cedar` file, validate them all in one set in strict mode
/// (the same validation `Engine::with_policies` runs on other policies), and
/// write each file's policies' code without annotations into `out_dir`.
fn compile(
    schema_path: &Path,
    files: &[(String, String, PathBuf)],
    out_dir: &Path,
) -> Result<Vec<Compiled>, String> {
    let schema_text = fs::read_to_string(schema_path)
        .map_err(|e| format!("cannot read {}: {e}", schema_path.display()))?;
    let (schema, _warnings) = Schema::from_cedarschema_str(&schema_text).map_err(|e| {
        format!(
            "{}: the Cedar schema does not parse: {e}",
            schema_path.display()
        )
    })?;
    let tree_dir = out_dir.join("policies-tree");
    // No file of an earlier build is left beside this build's.
    let _ = fs::remove_dir_all(&tree_dir);
    let _ = fs::remove_dir_all(out_dir.join("policies-text"));
    let _ = fs::remove_dir_all(out_dir.join("policies-json"));
    fs::create_dir_all(&tree_dir)
        .map_err(|e| format!("cannot create {}: {e}", tree_dir.display()))?;
    let mut all = PolicySet::new();
    let mut compiled = Vec::new();
    for (dir, name, path) in files {
        if !name.ends_with(".cedar") {
            continue;
        }
        let at = |e: &dyn std::fmt::Display| format!("policies/{dir}/{name}: {e}");
        let text =
            fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let set = PolicySet::from_str(&text)
            .map_err(|e| format!("policies/{dir}/{name}: does not parse: {e:?}"))?;
        let mut code = Vec::new();
        let mut annotations = Vec::new();
        let mut policy_reads = Vec::new();
        let mut decoder = tree::Decoder::default();
        for (i, policy) in set.policies().enumerate() {
            policy_reads.push(reads::policy(policy));
            all.add(policy.new_id(PolicyId::new(format!("{dir}/{name}#{i}"))))
                .map_err(|e| at(&e))?;
            annotations.push(
                policy
                    .annotations()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect::<Vec<_>>(),
            );
            // The policy's tree without its annotations, encoded.
            let bare = match policy.to_pst().map_err(|e| at(&e))? {
                pst::Policy::Static(p) => pst::StaticPolicy::try_from(
                    p.body()
                        .clone()
                        .with_annotations(std::collections::BTreeMap::new()),
                )
                .map_err(|e| at(&e))?,
                pst::Policy::Linked(_) => return Err(at(&"a template-linked policy")),
            };
            let bare = pst::Policy::Static(bare);
            let one = tree::encode(&bare).map_err(|e| at(&e))?;
            // Read back: the same tree, and the same policy as Cedar
            // builds it from the tree (its JSON form, annotations aside).
            let id = format!("policy{i}");
            let back = decoder.policy(&id, &one).map_err(|e| at(&e))?;
            if back != bare {
                return Err(at(&format!("{id} decodes as another tree")));
            }
            let built = cedar_policy::Policy::from_pst(back).map_err(|e| at(&e))?;
            if built.to_json().map_err(|e| at(&e))? != without_annotations(policy)? {
                return Err(at(&format!("{id} is built as another policy")));
            }
            tree::frame(&mut code, &one);
        }
        let file = tree_dir.join(format!("{dir}--{name}"));
        fs::write(&file, code).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        compiled.push((dir.clone(), name.clone(), file, annotations, policy_reads));
    }
    let validation = Validator::new(schema).validate(&all, ValidationMode::Strict);
    if !validation.validation_passed() {
        let mut message = String::from("the policies do not validate against the schema:\n");
        for error in validation.validation_errors() {
            let _ = writeln!(message, "  {}: {error}", error.policy_id());
        }
        return Err(message);
    }
    Ok(compiled)
}

/// The vocabulary's terms in the order `Vocabulary::from_toml` gives them:
/// the cues' in their fixed order, then each concept's by the concepts'
/// names, each term once, at its first place. `None` when the file cannot
/// be read as such (the binary then reports what is wrong with it).
fn vocabulary_terms(text: &str) -> Option<Vec<String>> {
    let file: toml::Table = text.parse().ok()?;
    let strings = |value: Option<&toml::Value>| -> Option<Vec<String>> {
        let Some(value) = value else {
            return Some(Vec::new());
        };
        value
            .as_array()?
            .iter()
            .map(|t| t.as_str().map(str::to_owned))
            .collect()
    };
    let cues = file.get("cues")?.as_table()?;
    let mut terms: Vec<String> = Vec::new();
    for cue in [
        "predicate",
        "negation",
        "not_negation",
        "regulating",
        "placeholder",
        "omitted",
        "refer_back",
        "history",
        "checklist",
        "past",
        "commitment",
        "frame",
        "vague",
    ] {
        terms.extend(strings(cues.get(cue))?);
    }
    let concepts = file.get("concepts")?.as_table()?;
    let mut names: Vec<&String> = concepts.keys().collect();
    names.sort();
    for name in names {
        terms.extend(strings(concepts.get(name))?);
    }
    let mut seen = std::collections::HashSet::new();
    terms.retain(|t| seen.insert(t.clone()));
    if terms.iter().any(String::is_empty) {
        return None;
    }
    Some(terms)
}

/// Compile the vocabulary's terms and declare them and their table in
/// `out`; no terms (the binary compiles its own) when that fails.
fn vocabulary(root: &Path, out_dir: &Path, out: &mut String) {
    let path = root.join("data/vocabulary.toml");
    println!("cargo:rerun-if-changed={}", path.display());
    println!("cargo:rerun-if-changed=src/extract/table.rs");
    let terms = fs::read_to_string(&path)
        .ok()
        .and_then(|text| vocabulary_terms(&text))
        .unwrap_or_default();
    embed_terms(
        out_dir,
        "vocabulary",
        "VOCABULARY",
        "vocabulary's terms",
        &terms,
        out,
    );
}

/// The laws' names and aliases in the order `Laws::from_toml` gives them:
/// for each law, its aliases, then its name. `None` when the file cannot
/// be read as such (the binary then reports what is wrong with it).
fn law_patterns(text: &str) -> Option<Vec<String>> {
    let file: toml::Table = text.parse().ok()?;
    let mut patterns = Vec::new();
    for law in file.get("law")?.as_array()? {
        let law = law.as_table()?;
        if let Some(aliases) = law.get("aliases") {
            for alias in aliases.as_array()? {
                patterns.push(alias.as_str()?.to_owned());
            }
        }
        patterns.push(law.get("name")?.as_str()?.to_owned());
    }
    if patterns.iter().any(String::is_empty) {
        return None;
    }
    Some(patterns)
}

/// Compile the laws' names and declare them and their table in `out`, as
/// for the vocabulary.
fn laws(root: &Path, out_dir: &Path, out: &mut String) {
    let path = root.join("data/laws.toml");
    println!("cargo:rerun-if-changed={}", path.display());
    let patterns = fs::read_to_string(&path)
        .ok()
        .and_then(|text| law_patterns(&text))
        .unwrap_or_default();
    embed_terms(out_dir, "laws", "LAWS", "laws' names", &patterns, out);
}

/// Compile `terms` to the table of `src/extract/table.rs`, write it as
/// `{file}.table` and declare both in `out`: `{name}_TERMS` (the terms in
/// order) and `{name}_TABLE` (the table's bytes; empty when they do not
/// compile, and the binary then compiles its own).
fn embed_terms(
    out_dir: &Path,
    file: &str,
    name: &str,
    what: &str,
    terms: &[String],
    out: &mut String,
) {
    let bytes = table::compile(terms).unwrap_or_default();
    let path = out_dir.join(format!("{file}.table"));
    if let Err(e) = fs::write(&path, &bytes) {
        println!("cargo:warning=cannot write {}: {e}", path.display());
    }
    let _ = writeln!(
        out,
        "/// The {what} as `build.rs` read them, in order.\n\
         pub static {name}_TERMS: &[&str] = &["
    );
    for term in terms {
        let _ = writeln!(out, "    {term:?},");
    }
    out.push_str("];\n");
    let _ = writeln!(
        out,
        "/// Their table (`src/extract/table.rs`).\n\
         pub static {name}_TABLE: &[u8] = include_bytes!({:?});",
        path.display().to_string()
    );
}

/// Declare the TOML file `file` as JSON, as `name` in `out` (`None` when
/// it does not parse: the binary then reads the TOML and reports what is
/// wrong with it). serde_json reads the same structures in about a third
/// of the TOML parser's instructions (the 29 KB vocabulary's TOML was
/// 3.5 M instructions of every start).
fn as_json(root: &Path, file: &str, name: &str, out: &mut String) {
    let path = root.join(file);
    println!("cargo:rerun-if-changed={}", path.display());
    let json = fs::read_to_string(&path)
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .and_then(|table| serde_json::to_string(&table).ok());
    let _ = writeln!(
        out,
        "/// `{file}` as JSON, written by `build.rs`.\n\
         pub static {name}: Option<&str> = {json:?};"
    );
}

/// Read the message catalogue `data/i18n/{lang}.toml` as the binary would
/// and declare its entries as `name` in `out` (`None` when it does not
/// parse: the binary then parses it and the tests report the error).
fn catalogue(root: &Path, lang: &str, name: &str, out: &mut String) {
    let path = root.join(format!("data/i18n/{lang}.toml"));
    println!("cargo:rerun-if-changed={}", path.display());
    println!("cargo:rerun-if-changed=src/i18n/parse.rs");
    let read = fs::read_to_string(&path)
        .ok()
        .and_then(|text| i18n_parse::parse(&text).ok());
    let _ = writeln!(
        out,
        "/// `data/i18n/{lang}.toml` as `build.rs` read it: (key, text, plural).\n\
         pub static {name}: crate::i18n::StaticCatalogue = "
    );
    let Some(read) = read else {
        out.push_str("None;\n");
        return;
    };
    out.push_str("Some(&[\n");
    for (key, entry) in &read {
        let _ = match entry {
            i18n_parse::Entry::Text(text) => writeln!(out, "    ({key:?}, {text:?}, None),"),
            i18n_parse::Entry::Plural { one, other } => {
                writeln!(out, "    ({key:?}, {one:?}, Some({other:?})),")
            }
        };
    }
    out.push_str("]);\n");
}
