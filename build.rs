//! Embeds every policy file under `policies/` into the binary, so that the
//! installed `niacheck` carries the exact policies its tests validated.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

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
    let out_dir = env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    if let Err(e) = fs::write(Path::new(&out_dir).join("policies.rs"), out) {
        println!("cargo:warning=cannot write policies.rs: {e}");
    }
}
