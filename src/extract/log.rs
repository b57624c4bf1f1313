//! The usage log (`usage-log.csv`, point 5(3)), read as a stream: one record
//! at a time, never the whole file, each with its line and byte offset so a
//! finding or an error points at its row. Reading never judges: the
//! policies decide on the facts each record gives.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

use jiff::Timestamp;

use crate::extract::reference::Reference;
use crate::lang::Localized;
use crate::source::{SourceFile, Span};
use crate::{i18n, tr, tr_n};

/// The usage log's file name in a submission folder.
pub const LOG_FILE: &str = "usage-log.csv";

/// The header row, in order.
pub const COLUMNS: [&str; 5] = ["user", "time", "type", "content", "result"];

/// The offset of Taiwan time from UTC, in seconds: a record's day is its
/// date in Taiwan time, as the dates of `access.yaml` are.
pub const TAIWAN_OFFSET_SECONDS: i64 = 8 * 3600;

/// How the file was encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, as the specification asks (a BOM is allowed).
    Utf8,
    /// Big5, decoded without error: read, with a warning.
    Big5,
}

impl Encoding {
    /// The name used in reports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Utf8 => "utf-8",
            Self::Big5 => "big5",
        }
    }
}

/// A record's `result`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The access was given: the replay judges it.
    Success,
    /// The system refused it.
    Denied,
    /// It failed.
    Error,
}

impl Outcome {
    fn parse(text: &str) -> Option<Self> {
        match text {
            "success" => Some(Self::Success),
            "denied" => Some(Self::Denied),
            "error" => Some(Self::Error),
            _ => None,
        }
    }
}

/// A moment of a record: its instant and its day in Taiwan time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Moment {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub second: i64,
    /// Nanoseconds within the second.
    pub nanosecond: i32,
}

impl Moment {
    /// The day number (days since 1970-01-01) of the moment in Taiwan time.
    #[must_use]
    pub fn day(self) -> i64 {
        (self.second + TAIWAN_OFFSET_SECONDS).div_euclid(86_400)
    }

    /// Now.
    #[must_use]
    pub fn now() -> Self {
        let t = Timestamp::now();
        Self {
            second: t.as_second(),
            nanosecond: t.subsec_nanosecond(),
        }
    }

    /// The moment as ISO 8601 in Taiwan time (`2025-07-10T10:00:00+08:00`).
    #[must_use]
    pub fn display(self) -> String {
        let offset = jiff::tz::Offset::constant(8);
        Timestamp::new(self.second, self.nanosecond)
            .map(|t| t.display_with_offset(offset).to_string())
            .unwrap_or_default()
    }
}

/// Parse an ISO 8601 time with an offset (`2025-07-10T10:00:00+08:00`,
/// `…Z`); a time without an offset is refused, as its day is unknown.
#[must_use]
pub fn parse_time(text: &str) -> Option<Moment> {
    let t: Timestamp = text.trim().parse().ok()?;
    Some(Moment {
        second: t.as_second(),
        nanosecond: t.subsec_nanosecond(),
    })
}

/// One well-formed record. Empty fields are facts for the policies; a
/// filled field that cannot be read makes the row [`Row::Bad`] instead.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// The personnel number, trimmed; empty if not recorded.
    pub user: &'a str,
    /// The time, if recorded.
    pub time: Option<Moment>,
    /// The time as written.
    pub time_text: &'a str,
    /// The function, a `data/functions.toml` id; empty if not recorded.
    pub function: &'a str,
    /// The content, as written.
    pub content: &'a str,
    /// The result, if recorded.
    pub result: Option<Outcome>,
    /// The byte range of each field within the row's excerpt.
    pub fields: [Span; 5],
}

/// Why a row could not be read.
#[derive(Debug, Clone)]
pub struct BadRow {
    /// What is wrong.
    pub message: Localized,
    /// What to do.
    pub help: Localized,
    /// The place within the row's excerpt.
    pub span: Span,
}

/// A row of the log, as the reader hands it on.
#[derive(Debug)]
pub enum Row<'a> {
    /// A record that could be read.
    Record(Record<'a>),
    /// A row that could not.
    Bad(BadRow),
}

/// A row and its place in the file: its excerpt is built only when asked,
/// so rows that need no report cost no allocation.
#[derive(Debug)]
pub struct Place<'a> {
    /// 1-based line of the row's start.
    pub line: usize,
    text: &'a str,
    file_offset: usize,
}

impl Place<'_> {
    /// The row as a [`SourceFile`] excerpt: line numbers and file offsets
    /// as in the whole file.
    #[must_use]
    pub fn excerpt(&self) -> Arc<SourceFile> {
        Arc::new(SourceFile::excerpt(
            LOG_FILE,
            self.text,
            self.line,
            self.file_offset,
        ))
    }

    /// The span of the whole row in its excerpt.
    #[must_use]
    pub fn whole(&self) -> Span {
        Span::new(0, self.text.len())
    }
}

/// What reading the whole log gave, besides its rows.
#[derive(Debug, Clone)]
pub struct Opened {
    /// How the file was encoded.
    pub encoding: Encoding,
    /// The header row, where a finding about the whole log points.
    pub header: (Arc<SourceFile>, Span),
}

/// An error that stops the log from being read at all.
#[derive(Debug, Clone)]
pub struct LogError {
    /// What is wrong.
    pub message: Localized,
    /// What to do.
    pub help: Option<Localized>,
    /// The place, when known: the excerpt and the span in it.
    pub place: Option<(Arc<SourceFile>, Span)>,
}

fn log_error(message: Localized, help: Option<Localized>) -> LogError {
    LogError {
        message,
        help,
        place: None,
    }
}

fn io_error(e: &io::Error) -> LogError {
    log_error(
        tr!(
            "submission.cannot-read",
            name = LOG_FILE,
            reason = crate::submission::os_reason(e)
        ),
        None,
    )
}

/// A reader that remembers what it has handed on since `start`, so the raw
/// text of the row just parsed can be shown; older bytes are dropped as
/// the reader moves on, so memory stays flat.
struct Tee<R> {
    inner: R,
    kept: Vec<u8>,
    /// Offset, in the stream, of `kept[0]`.
    start: usize,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.kept.extend_from_slice(buf.get(..n).unwrap_or(&[]));
        Ok(n)
    }
}

impl<R> Tee<R> {
    /// Forget what lies before `offset` (in large steps, so each byte is
    /// moved a bounded number of times).
    fn forget_before(&mut self, offset: usize) {
        let drop = offset.saturating_sub(self.start);
        if drop >= 1 << 16 && drop <= self.kept.len() {
            self.kept.drain(..drop);
            self.start = offset;
        }
    }

    fn slice(&self, from: usize, to: usize) -> &[u8] {
        let a = from.saturating_sub(self.start);
        let b = to.saturating_sub(self.start);
        self.kept.get(a..b).unwrap_or(&[])
    }
}

/// Big5 decoded to UTF-8 as a byte stream.
struct Big5Reader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    output: Vec<u8>,
    out_pos: usize,
    done: bool,
}

impl<R: Read> Read for Big5Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_pos >= self.output.len() {
            if self.done {
                return Ok(0);
            }
            self.input.resize(1 << 16, 0);
            let n = self.inner.read(&mut self.input)?;
            let last = n == 0;
            let mut input = self.input.get(..n).unwrap_or(&[]);
            let mut text = String::new();
            loop {
                let needed = self
                    .decoder
                    .max_utf8_buffer_length_without_replacement(input.len())
                    .unwrap_or(input.len() * 3 + 16);
                text.reserve(needed);
                let (result, read) = self
                    .decoder
                    .decode_to_string_without_replacement(input, &mut text, last);
                input = input.get(read..).unwrap_or(&[]);
                match result {
                    encoding_rs::DecoderResult::InputEmpty => break,
                    encoding_rs::DecoderResult::OutputFull => {}
                    encoding_rs::DecoderResult::Malformed(_, _) => {
                        return Err(io::Error::new(io::ErrorKind::InvalidData, "malformed Big5"));
                    }
                }
            }
            self.output = text.into_bytes();
            self.out_pos = 0;
            self.done = last;
        }
        let available = self.output.get(self.out_pos..).unwrap_or(&[]);
        let n = available.len().min(buf.len());
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), available.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.out_pos += n;
        Ok(n)
    }
}

/// Where the first invalid UTF-8 byte is (line, byte offset), if any, and
/// whether the file starts with a BOM; one pass, in chunks.
fn scan_utf8(path: &Path) -> Result<(Option<(usize, usize)>, bool), LogError> {
    let mut file = BufReader::with_capacity(1 << 16, File::open(path).map_err(|e| io_error(&e))?);
    let mut chunk = vec![0u8; 1 << 16];
    let mut carry: Vec<u8> = Vec::new();
    let mut offset = 0usize;
    let mut line = 1usize;
    let mut first = true;
    let mut bom = false;
    loop {
        let n = file.read(&mut chunk).map_err(|e| io_error(&e))?;
        if n == 0 {
            return Ok(((!carry.is_empty()).then_some((line, offset)), bom));
        }
        let mut data = std::mem::take(&mut carry);
        data.extend_from_slice(chunk.get(..n).unwrap_or(&[]));
        if first {
            bom = data.starts_with(b"\xEF\xBB\xBF");
            first = false;
        }
        match std::str::from_utf8(&data) {
            Ok(_) => {
                line += memchr_count(&data);
                offset += data.len();
            }
            Err(e) => {
                let valid = data.get(..e.valid_up_to()).unwrap_or(&[]);
                line += memchr_count(valid);
                if e.error_len().is_some() {
                    return Ok((Some((line, offset + e.valid_up_to())), bom));
                }
                // An incomplete sequence at the chunk's end: carry it on.
                offset += e.valid_up_to();
                carry = data.get(e.valid_up_to()..).unwrap_or(&[]).to_vec();
            }
        }
    }
}

fn memchr_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// Whether the whole file decodes as Big5 without error.
fn decodes_as_big5(path: &Path) -> Result<bool, LogError> {
    let file = File::open(path).map_err(|e| io_error(&e))?;
    let mut reader = Big5Reader {
        inner: BufReader::new(file),
        decoder: encoding_rs::BIG5.new_decoder_without_bom_handling(),
        input: Vec::new(),
        output: Vec::new(),
        out_pos: 0,
        done: false,
    };
    let mut sink = vec![0u8; 1 << 16];
    loop {
        match reader.read(&mut sink) {
            Ok(0) => return Ok(true),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::InvalidData => return Ok(false),
            Err(e) => return Err(io_error(&e)),
        }
    }
}

/// Read the usage log at `path`, handing each row to `visit` with its place.
///
/// # Errors
/// When the file cannot be read at all: not a regular file, neither UTF-8
/// nor Big5, or a header row that is not `user,time,type,content,result`.
/// A bad row is not an error here: it is handed on as [`Row::Bad`].
pub fn read(
    path: &Path,
    functions: &Reference,
    mut visit: impl FnMut(&Row<'_>, &Place<'_>),
) -> Result<Opened, LogError> {
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => {
            return Err(log_error(
                tr!("submission.not-regular", name = LOG_FILE),
                None,
            ));
        }
        Ok(_) => {}
        Err(e) => return Err(io_error(&e)),
    }
    let (invalid, bom) = scan_utf8(path)?;
    let file = BufReader::with_capacity(1 << 16, File::open(path).map_err(|e| io_error(&e))?);
    match invalid {
        None => {
            let mut file = file;
            let bom_len = if bom {
                let mut skip = [0u8; 3];
                file.read_exact(&mut skip).map_err(|e| io_error(&e))?;
                3
            } else {
                0
            };
            let header = rows(file, bom_len, functions, &mut visit)?;
            Ok(Opened {
                encoding: Encoding::Utf8,
                header,
            })
        }
        Some((line, offset)) => {
            if !decodes_as_big5(path)? {
                return Err(log_error(
                    tr!(
                        "log.not-utf8-nor-big5",
                        file = LOG_FILE,
                        line = line,
                        offset = offset
                    ),
                    Some(tr!("log.export-utf8")),
                ));
            }
            let reader = Big5Reader {
                inner: file,
                decoder: encoding_rs::BIG5.new_decoder_without_bom_handling(),
                input: Vec::new(),
                output: Vec::new(),
                out_pos: 0,
                done: false,
            };
            let header = rows(reader, 0, functions, &mut visit)?;
            Ok(Opened {
                encoding: Encoding::Big5,
                header,
            })
        }
    }
}

fn text_of(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or("")
}

/// The row's text without its line end.
fn row_text(bytes: &[u8]) -> &str {
    let text = text_of(bytes);
    text.trim_end_matches(['\r', '\n'])
}

fn rows<R: Read>(
    reader: R,
    bom_len: usize,
    functions: &Reference,
    visit: &mut impl FnMut(&Row<'_>, &Place<'_>),
) -> Result<(Arc<SourceFile>, Span), LogError> {
    let tee = Tee {
        inner: reader,
        kept: Vec::new(),
        start: 0,
    };
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(tee);
    let mut record = csv::ByteRecord::new();
    let mut header = None;
    loop {
        let start = csv.position().byte();
        let start = usize::try_from(start).unwrap_or(usize::MAX);
        let line = usize::try_from(csv.position().line()).unwrap_or(usize::MAX);
        let more = csv.read_byte_record(&mut record).map_err(|e| {
            let reason = match e.kind() {
                csv::ErrorKind::Io(io) => crate::submission::os_reason(io),
                _ => tr!("os.invalid-data"),
            };
            log_error(
                tr!("submission.cannot-read", name = LOG_FILE, reason = reason),
                None,
            )
        })?;
        if !more {
            return header.ok_or_else(|| header_error(None));
        }
        // The record's own start: blank lines before it are skipped.
        let (start, line) = record.position().map_or((start, line), |p| {
            (
                usize::try_from(p.byte()).unwrap_or(start),
                usize::try_from(p.line()).unwrap_or(line),
            )
        });
        let end = usize::try_from(csv.position().byte()).unwrap_or(start);
        let tee = csv.get_ref();
        let raw = row_text(tee.slice(start, end));
        // After a CRLF the reader may place the row at the LF it skips.
        let text = raw.trim_start_matches(['\r', '\n']);
        let skipped = raw.get(..raw.len() - text.len()).unwrap_or("");
        let line = line + skipped.matches('\n').count();
        let place = Place {
            line,
            text,
            file_offset: start + skipped.len() + bom_len,
        };
        if header.is_none() {
            let names: Vec<&str> = record.iter().map(|f| text_of(f).trim()).collect();
            if names != COLUMNS {
                return Err(header_error(Some((place.excerpt(), place.whole()))));
            }
            header = Some((place.excerpt(), place.whole()));
        } else {
            let row = parse_row(&record, text, functions);
            visit(&row, &place);
        }
        csv.get_mut().forget_before(start);
    }
}

fn header_error(place: Option<(Arc<SourceFile>, Span)>) -> LogError {
    let columns = COLUMNS.join(",");
    LogError {
        message: tr!("log.header", file = LOG_FILE, columns = &columns),
        help: Some(tr!("log.header-help", columns = &columns)),
        place,
    }
}

/// The byte span of each field in the row's text, found by walking the raw
/// text as the CSV reader did (quotes included).
fn field_spans(text: &str, count: usize) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut spans = Vec::with_capacity(count);
    let mut i = 0;
    while spans.len() < count {
        let start = i;
        let mut quoted = false;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'"' => quoted = !quoted,
                b',' if !quoted => break,
                _ => {}
            }
            i += 1;
        }
        spans.push(Span::new(start, i));
        i += 1;
        if i > bytes.len() {
            while spans.len() < count {
                spans.push(Span::new(bytes.len(), bytes.len()));
            }
        }
    }
    spans
}

fn bad(span: Span, message: Localized, help: Localized) -> Row<'static> {
    Row::Bad(BadRow {
        message,
        help,
        span,
    })
}

fn parse_row<'a>(record: &'a csv::ByteRecord, text: &str, functions: &Reference) -> Row<'a> {
    let whole = Span::new(0, text.len());
    if record.len() != COLUMNS.len() {
        return bad(
            whole,
            tr_n!("log.columns", record.len()),
            tr!("log.columns-help"),
        );
    }
    let spans = field_spans(text, COLUMNS.len());
    let span = |i: usize| spans.get(i).copied().unwrap_or(whole);
    let mut fields = [""; 5];
    for (i, slot) in fields.iter_mut().enumerate() {
        match record.get(i).map(std::str::from_utf8) {
            Some(Ok(f)) => *slot = f.trim(),
            _ => {
                return bad(span(i), tr!("log.field-not-utf8"), tr!("log.export-utf8"));
            }
        }
    }
    let [user, time_text, function, content, result_text] = fields;
    let time = if time_text.is_empty() {
        None
    } else {
        match parse_time(time_text) {
            Some(t) => Some(t),
            None => {
                return bad(
                    span(1),
                    tr!("log.bad-time", time = time_text),
                    tr!("log.bad-time-help"),
                );
            }
        }
    };
    if !function.is_empty() && functions.function(function).is_none() {
        let names: Vec<&str> = functions
            .functions()
            .iter()
            .map(|f| f.id.as_str())
            .collect();
        let closest = names
            .iter()
            .min_by_key(|k| crate::extract::config::edit_distance(function, k))
            .copied()
            .unwrap_or_default();
        return bad(
            span(2),
            tr!("log.unknown-function", name = function),
            tr!(
                "errors.unknown-function-help",
                closest = closest,
                known = i18n::list(&names)
            ),
        );
    }
    let result = if result_text.is_empty() {
        None
    } else {
        match Outcome::parse(result_text) {
            Some(r) => Some(r),
            None => {
                return bad(
                    span(4),
                    tr!("log.bad-result", result = result_text),
                    tr!("log.bad-result-help"),
                );
            }
        }
    };
    Row::Record(Record {
        user,
        time,
        time_text,
        function,
        content,
        result,
        fields: [span(0), span(1), span(2), span(3), span(4)],
    })
}

#[cfg(test)]
mod tests {
    use super::{field_spans, parse_time};
    use crate::source::Span;

    #[test]
    fn times_need_an_offset_and_fall_on_taiwan_days() {
        let t = parse_time("2025-07-09T20:00:00Z").unwrap_or_else(|| unreachable!());
        let taipei = parse_time("2025-07-10T04:00:00+08:00").unwrap_or_else(|| unreachable!());
        assert_eq!(t, taipei);
        assert_eq!(
            crate::date::Date::from_day_number(t.day()).map(|d| d.to_string()),
            Some("2025-07-10".to_owned())
        );
        assert!(parse_time("2025-07-10T10:00:00").is_none());
        assert!(parse_time("2025-13-10T10:00:00+08:00").is_none());
        assert_eq!(taipei.display(), "2025-07-10T04:00:00+08:00");
    }

    #[test]
    fn field_spans_follow_quotes() {
        let text = r#"TP-0001,2025-07-10T10:00:00+08:00,entry-exit-records,"a,b",success"#;
        let spans = field_spans(text, 5);
        assert_eq!(spans.get(3), Some(&Span::new(53, 58)));
        assert_eq!(spans.get(4).map(|s| s.len()), Some(7));
        let short = field_spans("a,b", 5);
        assert_eq!(short.get(4), Some(&Span::new(3, 3)));
    }
}
