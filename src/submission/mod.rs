//! Submissions on disk: finding them under the paths given, and reading
//! their files safely (confined to the folder, size-limited, UTF-8 checked).

use std::fs;
use std::io::Read as _;
use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

use crate::lang::Localized;
use crate::source::{SourceFile, Span};

/// The configuration file that marks a folder as a submission.
pub const ACCESS_FILE: &str = "access.yaml";

/// Largest file niacheck reads: far above any real rules document.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// A folder found to hold a submission, or a path that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A submission folder, as the user's path joined with the folder found.
    Submission(PathBuf),
    /// A path given that is neither a submission nor holds one.
    Problem(PathBuf, Localized),
}

/// Find the submissions under `paths`. A path that is a submission is taken
/// as is; a folder is searched recursively (symbolic links are not
/// followed, so there are no loops). The result is sorted.
#[must_use]
pub fn discover(paths: &[PathBuf]) -> Vec<Found> {
    let mut found = Vec::new();
    for path in paths {
        if !path.exists() {
            found.push(Found::Problem(
                path.clone(),
                Localized::new(
                    format!("找不到路徑 `{}`", path.display()),
                    format!("path `{}` does not exist", path.display()),
                ),
            ));
            continue;
        }
        if path.join(ACCESS_FILE).is_file() {
            found.push(Found::Submission(path.clone()));
            continue;
        }
        let before = found.len();
        let mut walker = WalkDir::new(path)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter();
        while let Some(entry) = walker.next() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    let at = err.path().unwrap_or(path).to_path_buf();
                    found.push(Found::Problem(
                        at.clone(),
                        Localized::new(
                            format!("無法讀取 `{}`：{err}", at.display()),
                            format!("cannot read `{}`: {err}", at.display()),
                        ),
                    ));
                    continue;
                }
            };
            if entry.file_type().is_dir() && entry.path().join(ACCESS_FILE).is_file() {
                found.push(Found::Submission(entry.path().to_path_buf()));
                walker.skip_current_dir();
            }
        }
        if found.len() == before {
            found.push(Found::Problem(
                path.clone(),
                Localized::new(
                    format!(
                        "`{}` 之下沒有任何送審資料夾（含 {ACCESS_FILE} 的資料夾）",
                        path.display()
                    ),
                    format!(
                        "no submission (a folder holding {ACCESS_FILE}) under `{}`",
                        path.display()
                    ),
                ),
            ));
        }
    }
    found.sort_by(|a, b| key(a).cmp(key(b)));
    found.dedup();
    found
}

fn key(found: &Found) -> &Path {
    match found {
        Found::Submission(p) | Found::Problem(p, _) => p,
    }
}

/// Why a file of a submission could not be read.
#[derive(Debug, Clone)]
pub struct ReadError {
    /// What is wrong.
    pub message: Localized,
    /// What to do.
    pub help: Option<Localized>,
    /// The file's text and the offending place, when the problem is inside it.
    pub place: Option<(SourceFile, Span)>,
}

fn read_error(zh: String, en: String) -> Box<ReadError> {
    Box::new(ReadError {
        message: Localized::new(zh, en),
        help: None,
        place: None,
    })
}

/// Resolve `relative` inside `folder`, refusing anything that leaves it:
/// an absolute path, `..`, or a symbolic link pointing out.
///
/// # Errors
/// When the path leaves the folder or does not exist.
pub fn confine(folder: &Path, relative: &str) -> Result<PathBuf, Box<ReadError>> {
    let rel = Path::new(relative);
    let leaves = rel.is_absolute()
        || rel.components().any(|c| {
            matches!(
                c,
                Component::ParentDir | Component::RootDir | Component::Prefix(_)
            )
        });
    if leaves || relative.trim().is_empty() {
        return Err(read_error(
            format!("路徑 `{relative}` 不在送審資料夾內"),
            format!("path `{relative}` leaves the submission folder"),
        ));
    }
    let joined = folder.join(rel);
    let real = fs::canonicalize(&joined).map_err(|e| {
        read_error(
            format!("無法開啟 `{relative}`：{e}"),
            format!("cannot open `{relative}`: {e}"),
        )
    })?;
    let root = fs::canonicalize(folder).map_err(|e| {
        read_error(
            format!("無法開啟送審資料夾：{e}"),
            format!("cannot open the submission folder: {e}"),
        )
    })?;
    if !real.starts_with(&root) {
        return Err(read_error(
            format!("`{relative}` 是指向送審資料夾外的連結"),
            format!("`{relative}` is a link that leaves the submission folder"),
        ));
    }
    Ok(joined)
}

/// Read a text file of a submission, named `name` in reports.
///
/// # Errors
/// When it cannot be read, is too large, or is not UTF-8.
pub fn read_text(path: &Path, name: &str) -> Result<SourceFile, Box<ReadError>> {
    // A FIFO or device would block or never end: only regular files are read.
    match fs::metadata(path) {
        Ok(meta) if !meta.is_file() => {
            return Err(read_error(
                format!("`{name}` 不是一般檔案"),
                format!("`{name}` is not a regular file"),
            ));
        }
        _ => {}
    }
    let file = fs::File::open(path).map_err(|e| {
        read_error(
            format!("無法開啟 `{name}`：{e}"),
            format!("cannot open `{name}`: {e}"),
        )
    })?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            read_error(
                format!("無法讀取 `{name}`：{e}"),
                format!("cannot read `{name}`: {e}"),
            )
        })?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(read_error(
            format!(
                "`{name}` 超過 {} MiB，不像是管理規範或設定檔",
                MAX_FILE_BYTES / 1024 / 1024
            ),
            format!(
                "`{name}` is larger than {} MiB; it is not a rules document or configuration",
                MAX_FILE_BYTES / 1024 / 1024
            ),
        ));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, &text)),
        Err(err) => {
            let valid_up_to = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            let prefix =
                String::from_utf8_lossy(bytes.get(..valid_up_to).unwrap_or(&[])).into_owned();
            let file = SourceFile::new(name, &prefix);
            let at = file.text().len();
            Err(Box::new(ReadError {
                message: Localized::new(
                    format!("`{name}` 不是 UTF-8 編碼"),
                    format!("`{name}` is not UTF-8"),
                ),
                help: Some(Localized::new(
                    "此檔可能是 Big5 編碼（常見於舊版 Word 或記事本）；請另存為 UTF-8，例如 `iconv -f BIG5 -t UTF-8`",
                    "the file may be Big5-encoded (common in Taiwanese offices); save it as UTF-8, e.g. `iconv -f BIG5 -t UTF-8`",
                )),
                place: Some((file, Span::new(at, at))),
            }))
        }
    }
}
