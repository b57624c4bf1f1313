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
use niacheck::render::{self, Format, RenderOptions};
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
    let access = fs::read_to_string(manifest().join("agency-rules").join(sample).join("access.yaml")).unwrap();
    let line = if named { format!("rules: rules.{ext}") } else { String::new() };
    let access = access.replace("rules: rules.md", &line);
    fs::write(folder.join("access.yaml"), access).unwrap();
    fs::copy(manifest().join("tests/office").join(file), folder.join(format!("rules.{ext}"))).unwrap();
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
        assert_eq!(office.rules.as_deref(), Some(format!("rules.{}", file.rsplit_once('.').unwrap().1).as_str()));
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
