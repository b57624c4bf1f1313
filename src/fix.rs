//! `check --fix`: rewrite what a policy marked as safely fixable (a
//! superseded law citation), leaving every other byte of the file as it was;
//! `--fix --dry-run` shows the same change as a unified diff.
#![deny(clippy::arithmetic_side_effects)]

use std::path::{Path, PathBuf};

use crate::report::Report;

/// The planned rewrite of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFix {
    /// The file on disk.
    pub path: PathBuf,
    /// Its bytes now.
    pub original: String,
    /// Its bytes after the fix.
    pub fixed: String,
    /// How many rewrites.
    pub count: usize,
    /// The rewrite as a unified diff, personal data masked as in the
    /// report (`--fix --dry-run` prints it).
    pub diff: String,
}

/// Write a planned fix. A file with more than one hard link is refused:
/// rewriting it would change every other name of the same file, perhaps
/// outside the submission.
///
/// # Errors
/// When the file has other hard links, or cannot be written.
pub fn write(fix: &FileFix) -> Result<(), crate::Localized> {
    let links = hard_links(&fix.path).map_err(|e| crate::submission::os_write_reason(&e))?;
    if links > 1 {
        return Err(crate::tr!("fix.hard-links", links = links));
    }
    std::fs::write(&fix.path, fix.fixed.as_bytes())
        .map_err(|e| crate::submission::os_write_reason(&e))
}

#[cfg(unix)]
fn hard_links(path: &Path) -> std::io::Result<u64> {
    use std::os::unix::fs::MetadataExt as _;
    Ok(std::fs::symlink_metadata(path)?.nlink())
}

#[cfg(not(unix))]
fn hard_links(_path: &Path) -> std::io::Result<u64> {
    Ok(1)
}

/// The office documents (`.docx`, `.odt`) that have fixable findings:
/// `--fix` does not rewrite them and says so, leaving them as they are.
#[must_use]
pub fn office_refusals(report: &Report) -> Vec<(PathBuf, usize)> {
    let mut out: Vec<(PathBuf, usize)> = Vec::new();
    for submission in &report.submissions {
        for f in &submission.findings {
            let Some(location) = f.location.as_ref().filter(|_| f.fix.is_some()) else {
                continue;
            };
            if location.file.paragraphs().is_none() {
                continue;
            }
            let path = Path::new(&submission.path).join(location.file.name());
            match out.iter_mut().find(|(p, _)| *p == path) {
                Some((_, n)) => *n = n.saturating_add(1),
                None => out.push((path, 1)),
            }
        }
    }
    out
}

/// The files that have something to fix but were decoded from another
/// encoding than UTF-8 (Big5, UTF-16): `--fix` refuses them rather than
/// write them back in UTF-8 or re-encode what it did not read as written.
/// Each with its encoding and the zh-TW / en message to show.
#[must_use]
pub fn refused(report: &Report) -> Vec<(PathBuf, crate::lang::Localized)> {
    let mut out: Vec<(PathBuf, crate::lang::Localized)> = Vec::new();
    for submission in &report.submissions {
        for finding in &submission.findings {
            let Some(location) = finding.location.as_ref().filter(|_| finding.fix.is_some()) else {
                continue;
            };
            let Some(encoding) = location.file.encoding() else {
                continue;
            };
            let path = Path::new(&submission.path).join(location.file.name());
            if out.iter().any(|(p, _)| *p == path) {
                continue;
            }
            let shown = path.display().to_string();
            out.push((
                path,
                crate::tr!("fix.refused-encoding", file = shown, encoding = encoding),
            ));
        }
    }
    out
}

/// Plan the fixes of every fixable finding of the report. Each rewrite is
/// checked against the file as it is on disk now; a file that changed since
/// the check, or overlapping rewrites, are left alone.
#[must_use]
pub fn plan(report: &Report) -> Vec<FileFix> {
    let mut fixes = Vec::new();
    for submission in &report.submissions {
        // (file name, start, end, expected text, replacement), per file.
        let mut edits: Vec<(String, usize, usize, String, String)> = submission
            .findings
            .iter()
            .filter_map(|f| {
                let replacement = f.fix.clone()?;
                let location = f
                    .location
                    .as_ref()
                    .filter(|l| l.file.encoding().is_none())?;
                // An office document is a container, not text: see
                // `office_refusals`.
                if location.file.paragraphs().is_some() {
                    return None;
                }
                let (start, end) = location.file_offsets();
                let expected = location.file.slice(location.span).to_owned();
                Some((
                    location.file.name().to_owned(),
                    start,
                    end,
                    expected,
                    replacement,
                ))
            })
            .collect();
        edits.sort();
        edits.dedup();
        let mut files: Vec<&str> = edits.iter().map(|e| e.0.as_str()).collect();
        files.dedup();
        for name in files {
            let path = Path::new(&submission.path).join(name);
            let Ok(original) = std::fs::read_to_string(&path) else {
                continue;
            };
            let mut fixed = original.clone();
            let mut count: usize = 0;
            let mut last_start = usize::MAX;
            for (_, start, end, expected, replacement) in edits.iter().rev().filter(|e| e.0 == name)
            {
                let unchanged = original.get(*start..*end) == Some(expected.as_str());
                if unchanged && *end <= last_start {
                    fixed.replace_range(*start..*end, replacement);
                    count = count.saturating_add(1);
                    last_start = *start;
                }
            }
            if count > 0 {
                let diff = report
                    .run
                    .masking(submission)
                    .compile()
                    .apply(&unified_diff(
                        &path.display().to_string(),
                        &original,
                        &fixed,
                    ))
                    .into_owned();
                fixes.push(FileFix {
                    path,
                    original,
                    fixed,
                    count,
                    diff,
                });
            }
        }
    }
    fixes
}

/// A unified diff of `old` and `new` (three lines of context), with the
/// given file names; empty if they are equal.
#[must_use]
pub fn unified_diff(name: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let (a_name, b_name) = if name.starts_with('/') {
        (name.to_owned(), name.to_owned())
    } else {
        (format!("a/{name}"), format!("b/{name}"))
    };
    let mut out = format!("--- {a_name}\n+++ {b_name}\n");
    if a.len() != b.len() {
        push_hunk(&mut out, &a, &b, 0, a.len(), 0, b.len());
        return out;
    }
    let changed: Vec<usize> = (0..a.len()).filter(|&i| a.get(i) != b.get(i)).collect();
    let mut i = 0;
    while let Some(&first) = changed.get(i) {
        let mut last = first;
        while let Some(&next) = changed.get(i.saturating_add(1)) {
            if next > last.saturating_add(6) {
                break;
            }
            last = next;
            i = i.saturating_add(1);
        }
        let start = first.saturating_sub(3);
        let end = last.saturating_add(4).min(a.len());
        push_hunk(&mut out, &a, &b, start, end, start, end);
        i = i.saturating_add(1);
    }
    out
}

fn push_hunk(out: &mut String, a: &[&str], b: &[&str], a0: usize, a1: usize, b0: usize, b1: usize) {
    out.push_str(&format!(
        "@@ -{},{} +{},{} @@\n",
        a0.saturating_add(1),
        a1.saturating_sub(a0),
        b0.saturating_add(1),
        b1.saturating_sub(b0)
    ));
    let line = |out: &mut String, prefix: char, text: &str| {
        out.push(prefix);
        out.push_str(text);
        if !text.ends_with('\n') {
            out.push_str("\n\\ No newline at end of file\n");
        }
    };
    if a1.saturating_sub(a0) == b1.saturating_sub(b0) {
        for k in 0..a1.saturating_sub(a0) {
            let (x, y) = (
                a.get(a0.saturating_add(k)).copied().unwrap_or(""),
                b.get(b0.saturating_add(k)).copied().unwrap_or(""),
            );
            if x == y {
                line(out, ' ', x);
            } else {
                line(out, '-', x);
                line(out, '+', y);
            }
        }
    } else {
        for x in a.get(a0..a1).unwrap_or(&[]) {
            line(out, '-', x);
        }
        for y in b.get(b0..b1).unwrap_or(&[]) {
            line(out, '+', y);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{FileFix, unified_diff, write};

    #[cfg(unix)]
    #[test]
    fn a_hard_linked_file_is_not_rewritten() {
        let Ok(dir) = tempfile::tempdir() else {
            return;
        };
        let path = dir.path().join("rules.md");
        let other = dir.path().join("elsewhere.md");
        assert!(std::fs::write(&path, "old\n").is_ok());
        let fix = FileFix {
            path: path.clone(),
            original: "old\n".into(),
            fixed: "new\n".into(),
            count: 1,
            diff: String::new(),
        };
        assert!(std::fs::hard_link(&path, &other).is_ok());
        let refused = write(&fix).err().unwrap_or_default();
        assert!(refused.en.contains("2 hard links"), "{refused:?}");
        assert!(refused.zh.contains("2 個硬連結"), "{refused:?}");
        assert_eq!(
            std::fs::read_to_string(&other).ok().as_deref(),
            Some("old\n")
        );
        assert!(std::fs::remove_file(&other).is_ok());
        assert!(write(&fix).is_ok());
        assert_eq!(
            std::fs::read_to_string(&path).ok().as_deref(),
            Some("new\n")
        );
    }

    #[test]
    fn diff_shows_changed_lines_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nD\ne\nf\ng\nh\n";
        assert_eq!(
            unified_diff("rules.md", old, new),
            "--- a/rules.md\n+++ b/rules.md\n@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n"
        );
        assert_eq!(unified_diff("x", old, old), "");
    }
}
