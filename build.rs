//! Embeds every policy file under `policies/` into the binary, so that the
//! installed `niacheck` carries the exact policies its tests validated, and
//! validates them here, strictly, against `schemas/niacheck.cedarschema`:
//! a build with a policy that does not validate fails, so no binary can run
//! unvalidated policies and the binary need not validate them at each start.
//! Each policy is embedded also in Cedar's JSON form, which the binary reads
//! without running Cedar's text parser (the most of the start-up before).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::str::FromStr as _;
use std::{env, fs};

use cedar_policy::{PolicyId, PolicySet, Schema, ValidationMode, Validator};

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
        "/// Each policy file's policies in Cedar's JSON form (a policy set\n\
         /// whose ids sort in text order), validated strictly against the\n\
         /// schema when this binary was built: (folder, file name, JSON).\n\
         pub static POLICY_JSON: &[(&str, &str, &str)] = &[\n",
    );
    for (dir, name, path) in &compiled {
        let _ = writeln!(
            out,
            "    ({dir:?}, {name:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    if let Err(e) = fs::write(out_dir.join("policies.rs"), out) {
        println!("cargo:warning=cannot write policies.rs: {e}");
    }
}

/// A policy file compiled: its folder, name and its JSON file.
type Compiled = (String, String, PathBuf);

/// Parse every `.cedar` file, validate them all in one set in strict mode
/// (the same validation `Engine::with_policies` runs on other policies), and
/// write each file's policies in JSON form into `out_dir`.
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
    let json_dir = out_dir.join("policies-json");
    // No file of an earlier build is left beside this build's.
    let _ = fs::remove_dir_all(&json_dir);
    fs::create_dir_all(&json_dir)
        .map_err(|e| format!("cannot create {}: {e}", json_dir.display()))?;
    let mut all = PolicySet::new();
    let mut compiled = Vec::new();
    for (dir, name, path) in files {
        if !name.ends_with(".cedar") {
            continue;
        }
        let text =
            fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let set = PolicySet::from_str(&text)
            .map_err(|e| format!("policies/{dir}/{name}: does not parse: {e:?}"))?;
        // The file's policies under ids that sort in text order (a JSON
        // object's keys may be sorted on the way).
        let mut numbered = PolicySet::new();
        for (i, policy) in set.policies().enumerate() {
            all.add(policy.new_id(PolicyId::new(format!("{dir}/{name}#{i}"))))
                .map_err(|e| format!("policies/{dir}/{name}: {e}"))?;
            numbered
                .add(policy.new_id(PolicyId::new(format!("policy{i:04}"))))
                .map_err(|e| format!("policies/{dir}/{name}: {e}"))?;
        }
        let json = numbered
            .to_json()
            .map_err(|e| format!("policies/{dir}/{name}: {e}"))?;
        let file = json_dir.join(format!("{dir}--{name}.json"));
        fs::write(&file, json.to_string())
            .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        compiled.push((dir.clone(), name.clone(), file));
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
