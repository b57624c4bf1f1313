//! Submissions on disk: finding them under the paths given, and reading
//! their files safely (confined to the folder, size-limited, UTF-8 checked).
#![deny(clippy::arithmetic_side_effects)]

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
/// as is; a folder is searched recursively (a symbolic link to a submission
/// folder is taken under the link's path, but no link is walked into, so
/// there are no loops). The result is sorted, each submission once.
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
            // A symbolic link to a submission folder is checked under the
            // link's path, never walked into (so links cannot loop).
            let folder = entry.file_type().is_dir() || entry.path_is_symlink();
            if folder && entry.path().join(ACCESS_FILE).is_file() {
                found.push(Found::Submission(entry.path().to_path_buf()));
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
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
    once_each(found)
}

/// Each submission once, however many paths reach it (a folder and its
/// subfolder, `a` and `./a`, a link and its target): the first path found,
/// in sorted order, is kept.
fn once_each(found: Vec<Found>) -> Vec<Found> {
    let mut seen = std::collections::BTreeSet::new();
    found
        .into_iter()
        .filter(|f| match f {
            Found::Submission(path) => {
                seen.insert(fs::canonicalize(path).unwrap_or_else(|_| path.clone()))
            }
            Found::Problem(..) => true,
        })
        .collect()
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

/// Read the file `relative` of the submission `folder`, refusing one whose
/// real path leaves the folder (see [`confine`]).
///
/// # Errors
/// When the path leaves the folder, or the file cannot be read (see
/// [`read_text`]).
pub fn read_in(folder: &Path, relative: &str) -> Result<SourceFile, Box<ReadError>> {
    let path = confine(folder, relative)?;
    read_text(&path, relative)
}

/// Read a text file of a submission, named `name` in reports.
///
/// # Errors
/// When it cannot be read, is too large, or is not UTF-8.
pub fn read_text(path: &Path, name: &str) -> Result<SourceFile, Box<ReadError>> {
    // A FIFO or device would block or never end: only regular files are read.
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            return Err(read_error(
                format!("`{name}` 是資料夾，不是檔案；請放入檔案 `{name}`"),
                format!("`{name}` is a folder, not a file; put the file `{name}` there"),
            ));
        }
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
    decode(bytes, name)
}

/// Whether a decoded text reads as a document: no control characters but
/// tab and line ends, and nearly all ASCII or Chinese.
fn looks_like_text(text: &str) -> bool {
    let mut total = 0_usize;
    let mut usual = 0_usize;
    for c in text.chars() {
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
            return false;
        }
        total = total.saturating_add(1);
        let cjk = matches!(c, '\u{3000}'..='\u{303f}' | '\u{3400}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}');
        if c.is_ascii() || cjk {
            usual = usual.saturating_add(1);
        }
    }
    total > 0 && usual.saturating_mul(20) >= total.saturating_mul(19)
}

/// Which UTF-16 a text without BOM is in, judged by where its NUL bytes
/// fall (ASCII text in UTF-16 has one in every other byte), or by whether
/// it decodes as Chinese text.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = bytes.get(..bytes.len().min(4096)).unwrap_or(bytes);
    let zeros = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let half = head.len() / 2;
    if half >= 2 {
        let (even, odd) = (zeros(0), zeros(1));
        if odd.saturating_mul(5) >= half.saturating_mul(2) && even.saturating_mul(10) < half {
            return Some(encoding_rs::UTF_16LE);
        }
        if even.saturating_mul(5) >= half.saturating_mul(2) && odd.saturating_mul(10) < half {
            return Some(encoding_rs::UTF_16BE);
        }
    }
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    [encoding_rs::UTF_16LE, encoding_rs::UTF_16BE]
        .into_iter()
        .find(|encoding| {
            encoding
                .decode_without_bom_handling_and_without_replacement(bytes)
                .is_some_and(|text| looks_like_text(&text) && text.contains('\n'))
        })
}

fn utf16_error(name: &str, encoding: &encoding_rs::Encoding, bom: bool) -> Box<ReadError> {
    let which = if encoding == encoding_rs::UTF_16BE {
        "UTF-16 BE"
    } else {
        "UTF-16 LE"
    };
    let (bom_zh, bom_en) = if bom {
        ("（含 BOM）", " (with BOM)")
    } else {
        ("（無 BOM）", " (without BOM)")
    };
    Box::new(ReadError {
        message: Localized::new(
            format!("`{name}` 是 {which}{bom_zh} 編碼，不是 UTF-8"),
            format!("`{name}` is {which}{bom_en}, not UTF-8"),
        ),
        help: Some(Localized::new(
            format!(
                "請另存為 UTF-8（記事本：另存新檔 → 編碼選 UTF-8），或 `iconv -f {} -t UTF-8`",
                which.replace(' ', "")
            ),
            format!(
                "save it as UTF-8 (Notepad: Save As → Encoding UTF-8), or `iconv -f {} -t UTF-8`",
                which.replace(' ', "")
            ),
        )),
        place: None,
    })
}

/// Turn the bytes of a file into its text: UTF-8 only, named otherwise.
fn decode(bytes: Vec<u8>, name: &str) -> Result<SourceFile, Box<ReadError>> {
    match bytes.as_slice() {
        [0xFF, 0xFE, ..] => return Err(utf16_error(name, encoding_rs::UTF_16LE, true)),
        [0xFE, 0xFF, ..] => return Err(utf16_error(name, encoding_rs::UTF_16BE, true)),
        _ => {}
    }
    if bytes.contains(&0)
        && let Some(encoding) = utf16_without_bom(&bytes)
    {
        return Err(utf16_error(name, encoding, false));
    }
    match String::from_utf8(bytes) {
        Ok(text) => {
            let file = SourceFile::new(name, &text);
            match file.text().find('\0') {
                None => Ok(file),
                Some(at) => {
                    let place = file.line_column(at);
                    Err(Box::new(ReadError {
                        message: Localized::new(
                            format!(
                                "`{name}` 第 {} 行第 {} 欄有 NUL 位元組，不是純文字檔",
                                place.line, place.column
                            ),
                            format!(
                                "`{name}` has a NUL byte at line {}, column {}: it is not a text file",
                                place.line, place.column
                            ),
                        ),
                        help: Some(Localized::new(
                            "檔案可能已損毀或是從其他格式轉出；請刪除該字元，或重新另存為 UTF-8 純文字",
                            "the file may be damaged or exported from another format; delete the character, or save it again as plain UTF-8 text",
                        )),
                        place: Some((file.clone(), Span::new(at, at.saturating_add(1)))),
                    }))
                }
            }
        }
        Err(err) => {
            let valid_up_to = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            let prefix =
                String::from_utf8_lossy(bytes.get(..valid_up_to).unwrap_or(&[])).into_owned();
            let file = SourceFile::new(name, &prefix);
            let at = file.text().len();
            let big5 = encoding_rs::BIG5
                .decode_without_bom_handling_and_without_replacement(&bytes)
                .is_some_and(|text| looks_like_text(&text));
            let place = file.line_column(at);
            let (message, help) = if big5 {
                (
                    Localized::new(
                        format!(
                            "`{name}` 是 Big5 編碼，不是 UTF-8（第 {} 行起）",
                            place.line
                        ),
                        format!(
                            "`{name}` is Big5-encoded, not UTF-8 (from line {})",
                            place.line
                        ),
                    ),
                    Localized::new(
                        "請由 Big5 轉存為 UTF-8（Word：另存新檔 → 純文字 → Unicode (UTF-8)），或 `iconv -f BIG5 -t UTF-8`",
                        "convert it from Big5 to UTF-8 (Word: Save As → Plain Text → Unicode (UTF-8)), or `iconv -f BIG5 -t UTF-8`",
                    ),
                )
            } else if let Some(encoding) = utf16_without_bom(&bytes) {
                return Err(utf16_error(name, encoding, false));
            } else {
                (
                    Localized::new(
                        format!(
                            "`{name}` 不是 UTF-8 編碼（第 {} 行第 {} 欄起）",
                            place.line, place.column
                        ),
                        format!(
                            "`{name}` is not UTF-8 (from line {}, column {})",
                            place.line, place.column
                        ),
                    ),
                    Localized::new(
                        "請另存為 UTF-8；若是 Big5（常見於舊版 Word 或記事本），可用 `iconv -f BIG5 -t UTF-8`",
                        "save it as UTF-8; if it is Big5 (common in Taiwanese offices), use `iconv -f BIG5 -t UTF-8`",
                    ),
                )
            };
            Err(Box::new(ReadError {
                message,
                help: Some(help),
                place: Some((file, Span::new(at, at))),
            }))
        }
    }
}

/// The names a rules document may have when `rules:` names none, in the
/// order they are looked for.
pub const RULES_NAMES: [&str; 3] = ["rules.md", "rules.docx", "rules.odt"];

/// The rules document of `folder` when `access.yaml` names none: the first
/// of [`RULES_NAMES`] that exists (`rules.md` when none does, so the error
/// names the usual file).
#[must_use]
pub fn default_rules(folder: &Path) -> &'static str {
    RULES_NAMES
        .into_iter()
        .find(|name| fs::symlink_metadata(folder.join(name)).is_ok())
        .unwrap_or("rules.md")
}

/// Read a rules document: a `.docx` or `.odt` into its text view (see
/// [`crate::office`]), a `.doc` refused with what to do, anything else as
/// text (see [`read_text`]).
///
/// # Errors
/// When it cannot be read, or is not a document niacheck reads.
pub fn read_rules(path: &Path, name: &str) -> Result<SourceFile, Box<ReadError>> {
    let Some(format) = crate::office::Format::of(name) else {
        return read_text(path, name);
    };
    if fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return Err(read_error(
            format!("`{name}` 不是一般檔案"),
            format!("`{name}` is not a regular file"),
        ));
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
                "`{name}` 超過 {} MiB，不像是管理規範",
                MAX_FILE_BYTES / 1024 / 1024
            ),
            format!(
                "`{name}` is larger than {} MiB; it is not a rules document",
                MAX_FILE_BYTES / 1024 / 1024
            ),
        ));
    }
    crate::office::read(&bytes, name, format)
}
