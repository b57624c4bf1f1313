//! Rules documents kept as office files (`.docx`, `.odt`): each is read
//! into a *text view*, Markdown that the rest of niacheck reads like any
//! `rules.md`, and a [`ParagraphMap`] that turns a place in the view back
//! into the paragraph the officer sees (see `docs/office-documents.md`).
//!
//! The container is read with `zip` and each XML part with `roxmltree`
//! (no DTD, so no entity expansion), every part size-limited: a hostile
//! file is an error, never a hang or an unbounded allocation.
#![deny(clippy::arithmetic_side_effects)]

pub mod docx;
pub mod numbering;
pub mod odt;
pub mod view;

use std::io::{Read as _, Seek};
use std::path::Path;

pub use view::{ParagraphMap, ParagraphPlace};

use crate::lang::Localized;
use crate::source::SourceFile;
use crate::submission::ReadError;
use crate::tr;

/// Largest XML part read from a container: far above any real rules
/// document, far below what a zip bomb expands to.
pub const MAX_PART_BYTES: u64 = 32 * 1024 * 1024;

/// Most entries a container may list.
const MAX_ENTRIES: usize = 10_000;

/// Most XML nodes in one part.
const MAX_NODES: u32 = 4_000_000;

/// The office formats niacheck reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Word (`.docx`).
    Docx,
    /// OpenDocument Text (`.odt`).
    Odt,
    /// The old binary Word format (`.doc`): refused, with what to do.
    Doc,
}

impl Format {
    /// The format of a file by its name's extension.
    #[must_use]
    pub fn of(name: &str) -> Option<Self> {
        let ext = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "docx" => Some(Self::Docx),
            "odt" => Some(Self::Odt),
            "doc" => Some(Self::Doc),
            _ => None,
        }
    }
}

fn error(message: Localized, help: Localized) -> Box<ReadError> {
    Box::new(ReadError {
        message,
        help: Some(help),
        place: None,
    })
}

fn damaged(name: &str, what: &str) -> Box<ReadError> {
    error(
        tr!("office.damaged", name = name, what = what),
        tr!("office.resave"),
    )
}

/// Whether `bytes` start an OLE compound file (old `.doc`, or an
/// encrypted Office document), and if so whether it is a password-protected
/// `.docx`.
fn compound(bytes: &[u8]) -> Option<bool> {
    if !bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return None;
    }
    let marker: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    Some(bytes.windows(marker.len()).any(|w| w == marker.as_slice()))
}

fn password(name: &str) -> Box<ReadError> {
    error(
        tr!("office.password", name = name),
        tr!("office.password-help"),
    )
}

fn old_doc(name: &str) -> Box<ReadError> {
    error(
        tr!("office.old-doc", name = name),
        tr!("office.old-doc-help"),
    )
}

/// One XML part of the container, size-limited and UTF-8.
fn part<R: std::io::Read + Seek>(
    archive: &mut zip::ZipArchive<R>,
    name: &str,
    part: &str,
) -> Result<Option<String>, Box<ReadError>> {
    let entry = match archive.by_name(part) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(zip::result::ZipError::UnsupportedArchive(what))
            if what.contains("ncrypt") || what.contains("assword") =>
        {
            return Err(password(name));
        }
        Err(e) => return Err(damaged(name, &format!("{part}: {e}"))),
    };
    if entry.encrypted() {
        return Err(password(name));
    }
    let mut bytes = Vec::new();
    entry
        .take(MAX_PART_BYTES.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| damaged(name, &format!("{part}: {e}")))?;
    if bytes.len() as u64 > MAX_PART_BYTES {
        return Err(error(
            tr!(
                "office.too-large",
                name = name,
                part = part,
                mib = MAX_PART_BYTES / 1024 / 1024
            ),
            tr!("office.actual-rules"),
        ));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| damaged(name, &format!("{part} 不是 UTF-8 / {part} is not UTF-8")))
}

fn parse<'a>(
    name: &str,
    part: &str,
    text: &'a str,
) -> Result<roxmltree::Document<'a>, Box<ReadError>> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::DtdDetected => error(
            tr!("office.dtd", name = name, part = part),
            tr!("office.resave"),
        ),
        roxmltree::Error::NodesLimitReached => error(
            tr!("office.too-many-nodes", name = name, part = part),
            tr!("office.actual-rules"),
        ),
        e => damaged(name, &format!("{part}: {e}")),
    })
}

fn missing(name: &str, part: &str) -> Box<ReadError> {
    damaged(
        name,
        &format!("缺少 {part}，不是完整的文件 / {part} is missing: not a whole document"),
    )
}

/// Read an office document's bytes into its text view, as a source file
/// named `name` that carries its paragraph map.
///
/// # Errors
/// A `.doc`, a password-protected or damaged file, a part that is missing,
/// too large or not well-formed XML, or XML with a DTD.
pub fn read(bytes: &[u8], name: &str, format: Format) -> Result<SourceFile, Box<ReadError>> {
    match compound(bytes) {
        Some(true) => return Err(password(name)),
        Some(false) => return Err(old_doc(name)),
        None if format == Format::Doc => return Err(old_doc(name)),
        None => {}
    }
    if !bytes.starts_with(b"PK") {
        return Err(damaged(name, "不是 zip 容器 / not a zip container"));
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| damaged(name, &e.to_string()))?;
    if archive.len() > MAX_ENTRIES {
        return Err(damaged(name, "項目過多 / too many entries"));
    }
    let blocks = match format {
        Format::Docx | Format::Doc => {
            let document = part(&mut archive, name, "word/document.xml")?
                .ok_or_else(|| missing(name, "word/document.xml"))?;
            let styles = part(&mut archive, name, "word/styles.xml")?;
            let numbering = part(&mut archive, name, "word/numbering.xml")?;
            let styles = styles
                .as_deref()
                .map(|t| parse(name, "word/styles.xml", t))
                .transpose()?;
            let numbering = numbering
                .as_deref()
                .map(|t| parse(name, "word/numbering.xml", t))
                .transpose()?;
            let document = parse(name, "word/document.xml", &document)?;
            let cx = docx::Context::new(styles.as_ref(), numbering.as_ref());
            docx::read(&document, &cx)
        }
        Format::Odt => {
            if let Some(manifest) = part(&mut archive, name, "META-INF/manifest.xml")?
                && manifest.contains("encryption-data")
            {
                return Err(password(name));
            }
            let content = part(&mut archive, name, "content.xml")?
                .ok_or_else(|| missing(name, "content.xml"))?;
            let styles = part(&mut archive, name, "styles.xml")?;
            let styles = styles
                .as_deref()
                .map(|t| parse(name, "styles.xml", t))
                .transpose()?;
            let content = parse(name, "content.xml", &content)?;
            let mut docs = Vec::new();
            docs.extend(styles.as_ref());
            docs.push(&content);
            let cx = odt::Context::new(&docs);
            odt::read(&content, &cx)
        }
    };
    let mut builder = view::Builder::default();
    for block in &blocks {
        builder.block(block);
    }
    let (text, map) = builder.finish();
    if map.is_empty() {
        return Err(error(
            tr!("office.empty", name = name),
            tr!("office.empty-help"),
        ));
    }
    Ok(SourceFile::new(name, &text).with_paragraphs(map))
}
