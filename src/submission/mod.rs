//! Submissions on disk: finding them under the paths given, and reading
//! their files safely (confined to the folder, size-limited, decoded: UTF-8,
//! or Big5 / UTF-16 when that decodes cleanly).
#![deny(clippy::arithmetic_side_effects)]

use std::fs;
use std::io::Read as _;
use std::path::{Component, Path, PathBuf};

use crate::lang::Localized;
use crate::source::{SourceFile, Span};
use crate::tr;

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
    // Each item found with its real path when it is known without asking
    // the system again (see `once_each`).
    let mut found: Vec<(Found, Option<PathBuf>)> = Vec::new();
    for path in paths {
        if !path.exists() {
            found.push((
                Found::Problem(
                    path.clone(),
                    tr!("submission.no-path", path = path.display()),
                ),
                None,
            ));
            continue;
        }
        if path.join(ACCESS_FILE).is_file() {
            found.push((Found::Submission(path.clone()), None));
            continue;
        }
        let before = found.len();
        walk(path, &mut found);
        if found.len() == before {
            found.push((
                Found::Problem(
                    path.clone(),
                    tr!(
                        "submission.none-under",
                        path = path.display(),
                        access = ACCESS_FILE
                    ),
                ),
                None,
            ));
        }
    }
    found.sort_by(|a, b| key(&a.0).cmp(key(&b.0)));
    found.dedup_by(|a, b| a.0 == b.0);
    once_each(found)
}

/// Search the folder `root` (a link to a folder is followed at the root
/// only) for submission folders: a folder holding [`ACCESS_FILE`], or a
/// link to one, is a submission and is not searched further; no link is
/// walked into, so there are no loops. A submission's folder is never
/// listed (one look for its [`ACCESS_FILE`]), and the folders are kept on
/// a list, not on the call stack, however deep they nest. Each submission
/// reached through real folders only comes with its real path: the
/// root's, resolved once, and the names under it.
fn walk(root: &Path, found: &mut Vec<(Found, Option<PathBuf>)>) {
    if !root.is_dir() {
        return;
    }
    let real_root = fs::canonicalize(root).ok();
    let mut folders: Vec<(PathBuf, Option<PathBuf>)> = vec![(root.to_path_buf(), real_root)];
    while let Some((folder, real)) = folders.pop() {
        let problem = |at: &Path, error: &std::io::Error| {
            Found::Problem(
                at.to_path_buf(),
                tr!(
                    "submission.cannot-read-path",
                    path = at.display(),
                    reason = os_reason(error)
                ),
            )
        };
        let entries = match fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(error) => {
                found.push((problem(&folder, &error), None));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    found.push((problem(&folder, &error), None));
                    continue;
                }
            };
            let path = entry.path();
            let kind = match entry.file_type() {
                Ok(kind) => kind,
                Err(error) => {
                    found.push((problem(&path, &error), None));
                    continue;
                }
            };
            // A symbolic link to a submission folder is checked under the
            // link's path, never walked into.
            if !(kind.is_dir() || kind.is_symlink()) {
                continue;
            }
            let real = (!kind.is_symlink())
                .then(|| real.as_ref().map(|r| r.join(entry.file_name())))
                .flatten();
            if path.join(ACCESS_FILE).is_file() {
                found.push((Found::Submission(path), real));
            } else if kind.is_dir() {
                folders.push((path, real));
            }
        }
    }
}

/// Each submission once, however many paths reach it (a folder and its
/// subfolder, `a` and `./a`, a link and its target): the first path found,
/// in sorted order, is kept. A submission's real path is asked of the
/// system only when the walk did not know it.
fn once_each(found: Vec<(Found, Option<PathBuf>)>) -> Vec<Found> {
    let mut seen = std::collections::BTreeSet::new();
    found
        .into_iter()
        .filter(|(f, real)| match f {
            Found::Submission(path) => seen.insert(
                real.clone()
                    .unwrap_or_else(|| fs::canonicalize(path).unwrap_or_else(|_| path.clone())),
            ),
            Found::Problem(..) => true,
        })
        .map(|(f, _)| f)
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

fn read_error(message: Localized) -> Box<ReadError> {
    Box::new(ReadError {
        message,
        help: None,
        place: None,
    })
}

/// What the system said, in our words, from the kind of the error (never
/// from its text, which is English whatever the language).
#[must_use]
pub fn os_reason(error: &std::io::Error) -> Localized {
    use std::io::ErrorKind as K;
    match error.kind() {
        K::NotFound => tr!("os.not-found"),
        K::PermissionDenied => tr!("os.permission-denied"),
        K::IsADirectory => tr!("os.is-a-directory"),
        K::NotADirectory => tr!("os.not-a-directory"),
        K::InvalidData => tr!("os.invalid-data"),
        K::InvalidFilename => tr!("os.invalid-filename"),
        K::StorageFull => tr!("os.storage-full"),
        K::ReadOnlyFilesystem => tr!("os.read-only"),
        K::Interrupted | K::TimedOut | K::WouldBlock => tr!("os.interrupted"),
        // ELOOP: its `ErrorKind::FilesystemLoop` is not stable yet, so the
        // error number says it (Linux 40; the BSDs and macOS 62).
        _ if matches!(error.raw_os_error(), Some(40) if cfg!(target_os = "linux"))
            || matches!(error.raw_os_error(), Some(62) if cfg!(target_vendor = "apple")) =>
        {
            tr!("os.filesystem-loop")
        }
        _ => tr!("os.other"),
    }
}

/// Why a file could not be written, from the error's kind (never from its
/// English text): as [`os_reason`], except that an error of no known kind
/// says the system could not write it.
#[must_use]
pub fn os_write_reason(error: &std::io::Error) -> Localized {
    let reason = os_reason(error);
    if reason == tr!("os.other") || error.kind() == std::io::ErrorKind::InvalidData {
        tr!("os.other-write")
    } else {
        reason
    }
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
        return Err(read_error(tr!("submission.leaves-folder", path = relative)));
    }
    let joined = folder.join(rel);
    let cannot_open = |e: std::io::Error| {
        read_error(tr!(
            "submission.cannot-open",
            name = relative,
            reason = os_reason(&e)
        ))
    };
    // A name of the folder itself (`rules.md`) that is not a link is in
    // the folder whatever the folder's own real path: one look at the
    // file instead of resolving every component of both paths.
    let mut components = rel.components();
    let one_name = !relative.contains(['/', '\\'])
        && matches!(
            (components.next(), components.next()),
            (Some(Component::Normal(_)), None)
        );
    if one_name
        && !fs::symlink_metadata(&joined)
            .map_err(cannot_open)?
            .is_symlink()
    {
        return Ok(joined);
    }
    let real = fs::canonicalize(&joined).map_err(cannot_open)?;
    let root = fs::canonicalize(folder)
        .map_err(|e| read_error(tr!("submission.cannot-open-folder", reason = os_reason(&e))))?;
    if !real.starts_with(&root) {
        return Err(read_error(tr!("submission.link-leaves", path = relative)));
    }
    Ok(joined)
}

/// Open `relative` when it is a name of the `folder` itself (`rules.md`)
/// and not a symbolic link: such a file is in the folder whatever the
/// folder's real path, and one system call both confines and opens it.
/// `None` for anything else, or when it cannot be opened so (a link, a
/// missing file, no permission): the caller then confines and opens it the
/// usual way ([`confine`]), whose errors say what is wrong. A FIFO or
/// device is opened without waiting and refused when read
/// ([`read_opened`]).
#[must_use]
pub fn open_plain(folder: &Path, relative: &str) -> Option<(PathBuf, fs::File)> {
    let rel = Path::new(relative);
    let mut components = rel.components();
    let one_name = !relative.contains(['/', '\\'])
        && !relative.trim().is_empty()
        && matches!(
            (components.next(), components.next()),
            (Some(Component::Normal(_)), None)
        );
    if !one_name {
        return None;
    }
    let path = folder.join(rel);
    let file = open_nofollow(&path)?;
    Some((path, file))
}

fn open_nofollow(path: &Path) -> Option<fs::File> {
    if cfg!(unix) {
        open_for_reading(path, false).ok()
    } else {
        None
    }
}

/// Open a submission's file for reading without waiting (a FIFO opens at
/// once, and is refused when read: [`read_opened`]); following a last
/// link or not.
#[cfg(unix)]
fn open_for_reading(path: &Path, follow: bool) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let nofollow = if follow { 0 } else { libc::O_NOFOLLOW };
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | nofollow)
        .open(path)
}

#[cfg(not(unix))]
fn open_for_reading(path: &Path, _follow: bool) -> std::io::Result<fs::File> {
    fs::File::open(path)
}

/// Read the file `relative` of the submission `folder`, refusing one whose
/// real path leaves the folder (see [`confine`]).
///
/// # Errors
/// When the path leaves the folder, or the file cannot be read (see
/// [`read_text`]).
pub fn read_in(folder: &Path, relative: &str) -> Result<SourceFile, Box<ReadError>> {
    if let Some((_, file)) = open_plain(folder, relative) {
        return decode(read_opened(&file, relative)?, relative);
    }
    let path = confine(folder, relative)?;
    read_text(&path, relative)
}

/// Read a text file of a submission, named `name` in reports.
///
/// # Errors
/// When it cannot be read, is too large, or is not UTF-8.
pub fn read_text(path: &Path, name: &str) -> Result<SourceFile, Box<ReadError>> {
    decode(read_bytes(path, name)?, name)
}

/// The bytes of a regular file of a submission, at most [`MAX_FILE_BYTES`].
fn read_bytes(path: &Path, name: &str) -> Result<Vec<u8>, Box<ReadError>> {
    // Only regular files are read (a FIFO or device would block or never
    // end): one opened is looked at by `read_opened`; one that does not
    // open (a socket, a folder without permission) is told by what it is.
    let file = open_for_reading(path, true).map_err(|e| match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => read_error(tr!("submission.is-folder", name = name)),
        Ok(meta) if !meta.is_file() => read_error(tr!("submission.not-regular", name = name)),
        _ => read_error(tr!(
            "submission.cannot-open",
            name = name,
            reason = os_reason(&e)
        )),
    })?;
    read_opened(&file, name)
}

/// The bytes of an opened file of a submission, at most
/// [`MAX_FILE_BYTES`]: a folder, FIFO or device is refused before it is
/// read.
fn read_opened(file: &fs::File, name: &str) -> Result<Vec<u8>, Box<ReadError>> {
    let cannot_read = |e: &std::io::Error| {
        read_error(tr!(
            "submission.cannot-read",
            name = name,
            reason = os_reason(e)
        ))
    };
    let meta = file.metadata().map_err(|e| cannot_read(&e))?;
    if meta.is_dir() {
        return Err(read_error(tr!("submission.is-folder", name = name)));
    }
    if !meta.is_file() {
        return Err(read_error(tr!("submission.not-regular", name = name)));
    }
    let limit = usize::try_from(MAX_FILE_BYTES.saturating_add(1)).unwrap_or(usize::MAX);
    // Room for the whole file as it stood and the byte that tells its end:
    // two reads for a file that did not change; one that grows meanwhile
    // is still read to the limit.
    let room = usize::try_from(meta.len()).map_or(limit, |len| len.saturating_add(1).min(limit));
    let mut bytes = vec![0_u8; room];
    let mut filled = 0_usize;
    loop {
        if filled == bytes.len() {
            if filled >= limit {
                break;
            }
            bytes.resize(filled.saturating_mul(2).clamp(64, limit), 0);
        }
        let Some(free) = bytes.get_mut(filled..) else {
            break;
        };
        match (&*file).read(free) {
            Ok(0) => break,
            Ok(n) => filled = filled.saturating_add(n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(cannot_read(&e)),
        }
    }
    bytes.truncate(filled);
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(read_error(tr!(
            "submission.too-large",
            name = name,
            mib = MAX_FILE_BYTES / 1024 / 1024
        )));
    }
    Ok(bytes)
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
    let message = if bom {
        tr!("submission.utf16-bom", name = name, which = which)
    } else {
        tr!("submission.utf16-no-bom", name = name, which = which)
    };
    Box::new(ReadError {
        message,
        help: Some(tr!("submission.utf16-help", iconv = which.replace(' ', ""))),
        place: None,
    })
}

/// The name of a UTF-16 encoding as messages and notices give it.
fn utf16_name(encoding: &'static encoding_rs::Encoding) -> &'static str {
    if encoding == encoding_rs::UTF_16BE {
        "UTF-16BE"
    } else {
        "UTF-16LE"
    }
}

/// A UTF-16 file's text, when it decodes cleanly and reads as a document;
/// else the error that names its encoding.
fn from_utf16(
    name: &str,
    encoding: &'static encoding_rs::Encoding,
    bytes: &[u8],
    bom: bool,
) -> Result<SourceFile, Box<ReadError>> {
    match encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) if looks_like_text(&text) => {
            Ok(SourceFile::new(name, &text).decoded_from(utf16_name(encoding)))
        }
        _ => Err(utf16_error(name, encoding, bom)),
    }
}

/// Turn the bytes of a file into its text: UTF-8; or Big5 or UTF-16 that
/// decodes cleanly and reads as a document, marked with its encoding (the
/// report notes it, with how to save the file as UTF-8). A file that could
/// be either, or neither, is an error that names what it looks like.
fn decode(bytes: Vec<u8>, name: &str) -> Result<SourceFile, Box<ReadError>> {
    match bytes.as_slice() {
        [0xFF, 0xFE, rest @ ..] => return from_utf16(name, encoding_rs::UTF_16LE, rest, true),
        [0xFE, 0xFF, rest @ ..] => return from_utf16(name, encoding_rs::UTF_16BE, rest, true),
        _ => {}
    }
    // One vectorised search for a NUL (memchr's; the standard library's
    // reads a word at a time): text without one, nearly all, needs no
    // second look.
    let nul = memchr::memchr(0, &bytes).is_some();
    if nul && let Some(encoding) = utf16_without_bom(&bytes) {
        return from_utf16(name, encoding, &bytes, false);
    }
    match String::from_utf8(bytes) {
        Ok(text) => {
            let file = SourceFile::new(name, &text);
            let at = if nul {
                memchr::memchr(0, file.text().as_bytes())
            } else {
                None
            };
            match at {
                None => Ok(file),
                Some(at) => {
                    let place = file.line_column(at);
                    Err(Box::new(ReadError {
                        message: tr!(
                            "submission.nul",
                            name = name,
                            line = place.line,
                            column = place.column
                        ),
                        help: Some(tr!("submission.nul-help")),
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
                .filter(|text| looks_like_text(text));
            let utf16 = utf16_without_bom(&bytes);
            let place = file.line_column(at);
            match (&big5, utf16) {
                (Some(text), None) => {
                    return Ok(SourceFile::new(name, text).decoded_from("Big5"));
                }
                (None, Some(encoding)) => return from_utf16(name, encoding, &bytes, false),
                _ => {}
            }
            // Both Big5 and UTF-16 read, or neither: say what it looks like.
            let (message, help) = if big5.is_some() {
                (
                    tr!("submission.big5-or-utf16", name = name, line = place.line),
                    tr!("submission.big5-help"),
                )
            } else {
                (
                    tr!(
                        "submission.not-utf8",
                        name = name,
                        line = place.line,
                        column = place.column
                    ),
                    tr!("submission.not-utf8-help"),
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
    rules_present(folder).first().copied().unwrap_or("rules.md")
}

/// Which of [`RULES_NAMES`] exist in `folder`, in that order.
#[must_use]
pub fn rules_present(folder: &Path) -> Vec<&'static str> {
    RULES_NAMES
        .into_iter()
        .filter(|name| fs::symlink_metadata(folder.join(name)).is_ok())
        .collect()
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
    let bytes = read_bytes(path, name)?;
    crate::office::read(&bytes, name, format)
}

/// [`read_rules`] of a file opened by [`open_plain`].
///
/// # Errors
/// As [`read_rules`].
pub fn read_rules_opened(file: &fs::File, name: &str) -> Result<SourceFile, Box<ReadError>> {
    let bytes = read_opened(file, name)?;
    match crate::office::Format::of(name) {
        Some(format) => crate::office::read(&bytes, name, format),
        None => decode(bytes, name),
    }
}
