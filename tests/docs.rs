#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! The CI recipes: the README's "CI" section shows `docs/ci/*.yml` byte for
//! byte, each recipe is YAML of the shape its CI expects and uses only
//! niacheck's documented flags, and `.pre-commit-hooks.yaml` declares the
//! `niacheck` hook as pre-commit reads it.

use std::path::Path;

use serde_json::Value;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn yaml(text: &str) -> Value {
    serde_saphyr::from_str(text).unwrap()
}

/// The fenced block that follows the README's link to `path`.
fn readme_block(readme: &str, path: &str) -> String {
    let link = format!("[`{path}`]({path})");
    let at = readme
        .find(&link)
        .unwrap_or_else(|| panic!("the README links {path}"));
    let after = &readme[at..];
    let open = after.find("\n```yaml\n").unwrap() + "\n```yaml\n".len();
    let body = &after[open..];
    let close = body.find("\n```\n").unwrap();
    body[..=close].to_owned()
}

/// The `niacheck check …` commands of a recipe.
fn checks(recipe: &str) -> Vec<String> {
    recipe
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.find("niacheck check").map(|at| l[at..].to_owned()))
        .collect()
}

/// Every flag of `niacheck check` a recipe may use.
const FLAGS: &[&str] = &[
    "--format",
    "--output",
    "--fail-on",
    "--waivers",
    "--baseline",
    "--write-baseline",
    "--sarif-include-pass",
    "--regulation",
    "--as-of",
    "--lang",
    "--jobs",
];

fn assert_known_flags(command: &str) {
    for word in command.split_whitespace().filter(|w| w.starts_with("--")) {
        assert!(FLAGS.contains(&word), "`{word}` in `{command}`");
    }
}

#[test]
fn the_readme_shows_each_recipe_byte_for_byte() {
    let readme = read("README.md");
    let ci = &readme[readme.find("\n## CI\n").expect("a CI section")..];
    for path in ["docs/ci/github-actions.yml", "docs/ci/gitlab-ci.yml"] {
        assert_eq!(
            readme_block(ci, path),
            read(path),
            "README's copy of {path} differs from the file"
        );
    }
}

#[test]
fn the_github_workflow_uploads_sarif_then_annotates() {
    let text = read("docs/ci/github-actions.yml");
    let workflow = yaml(&text);
    assert_eq!(workflow["permissions"]["security-events"], "write");
    let steps = workflow["jobs"]["niacheck"]["steps"].as_array().unwrap();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(runs.contains(&"cargo install --locked --path ."));
    assert!(runs.contains(
        &"niacheck check submissions --format sarif --output niacheck.sarif --fail-on never"
    ));
    assert_eq!(
        runs.last(),
        Some(&"niacheck check submissions --format github --fail-on error")
    );
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("an upload-sarif step");
    assert_eq!(upload["with"]["sarif_file"], "niacheck.sarif");
    assert_eq!(upload["if"], "always()");
    for command in checks(&text) {
        assert_known_flags(&command);
    }
}

#[test]
fn the_gitlab_job_keeps_code_quality_and_junit_reports() {
    let text = read("docs/ci/gitlab-ci.yml");
    let pipeline = yaml(&text);
    let job = &pipeline["niacheck"];
    assert_eq!(job["artifacts"]["when"], "always");
    let reports = &job["artifacts"]["reports"];
    assert_eq!(reports["codequality"], "gl-code-quality-report.json");
    assert_eq!(reports["junit"], "niacheck-junit.xml");
    let script: Vec<&str> = job["script"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(script.contains(&"cargo install --locked --path ."));
    assert!(script.iter().any(|s| s.contains(
        "niacheck check submissions --format gitlab --output gl-code-quality-report.json"
    )));
    assert!(script.iter().any(|s| {
        s.contains("niacheck check submissions --format junit --output niacheck-junit.xml")
    }));
    assert_eq!(
        script.last(),
        Some(&"niacheck check submissions --fail-on error")
    );
    for command in checks(&text) {
        assert_known_flags(&command);
    }
}

#[test]
fn the_pre_commit_manifest_declares_the_niacheck_hook() {
    let hooks = yaml(&read(".pre-commit-hooks.yaml"));
    let hooks = hooks.as_array().expect("a list of hooks");
    assert_eq!(hooks.len(), 1);
    let hook = hooks[0].as_object().unwrap();
    assert_eq!(hook["id"], "niacheck");
    assert_eq!(hook["entry"], "niacheck check");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["pass_filenames"], false);
    assert_eq!(
        hook["files"],
        r"(access\.yaml|rules\.(md|docx|odt)|waivers\.yaml)$"
    );
    // pre-commit's manifest keys only (a typo would be ignored by pre-commit).
    let known = [
        "id",
        "name",
        "entry",
        "language",
        "files",
        "exclude",
        "types",
        "types_or",
        "exclude_types",
        "always_run",
        "fail_fast",
        "verbose",
        "pass_filenames",
        "require_serial",
        "description",
        "language_version",
        "minimum_pre_commit_version",
        "args",
        "stages",
    ];
    for key in hook.keys() {
        assert!(known.contains(&key.as_str()), "unknown key `{key}`");
    }
    assert!(hook["name"].as_str().is_some_and(|n| !n.is_empty()));
    // The README shows how an agency's .pre-commit-config.yaml uses it.
    let readme = read("README.md");
    let config_at = readme
        .find("\nrepos:\n")
        .expect("a .pre-commit-config.yaml example");
    let config = &readme[config_at + 1..];
    let config = yaml(&config[..config.find("```").unwrap()]);
    assert_eq!(config["repos"][0]["hooks"][0]["id"], "niacheck");
}

/// The line of a requirement's README that lists a part's topic and content
/// patterns, as `data/vocabulary.toml` has them.
fn pattern_line(part: &niacheck::extract::document::vocabulary::PartDef) -> String {
    use niacheck::extract::document::vocabulary::Scope;
    let quoted = |names: &[String]| names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>();
    let patterns: Vec<String> = part
        .content
        .iter()
        .map(|c| {
            let mut s = quoted(&c.all).join(" + ");
            let mut q = Vec::new();
            if c.ordered {
                q.push("in order".to_owned());
            }
            if let Some(n) = c.within {
                q.push(format!("within {n} chars"));
            }
            match c.scope {
                Scope::Sentence => {}
                Scope::Clause => q.push("in one clause".to_owned()),
                Scope::Phrase => q.push("in one phrase".to_owned()),
            }
            if !c.not.is_empty() {
                q.push(format!("not with {}", quoted(&c.not).join(", ")));
            }
            if !q.is_empty() {
                s = format!("{s} ({})", q.join("; "));
            }
            s
        })
        .collect();
    format!(
        "- `{}`: topic {}; stated by {}",
        part.key,
        quoted(&part.topic).join(", "),
        patterns.join(" | ")
    )
}

#[test]
fn requirement_readmes_list_the_patterns_in_force() {
    let checker = niacheck::Checker::new().unwrap();
    for part in checker.vocabulary().parts() {
        let path = format!("policies/{}/README.md", part.def.requirement);
        let readme = read(&path);
        let line = pattern_line(&part.def);
        assert!(
            readme.lines().any(|l| l == line),
            "{path} does not list the patterns of `{}` as data/vocabulary.toml has them:\n{line}",
            part.def.key
        );
    }
}
