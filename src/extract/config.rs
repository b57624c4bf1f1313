//! The access configuration (`access.yaml`), parsed into typed structs with
//! the source span of every key and value.
//!
//! YAML is read with serde-saphyr, not the archived `serde_yaml`: it is
//! maintained, limits alias expansion (no "billion laughs"), and its
//! `Spanned<T>` gives byte offsets for values, which every config finding
//! needs. Spans are lost inside `#[serde(flatten)]` and untagged enums, so
//! neither is used here. The same types generate `schemas/access.schema.json`.
#![deny(clippy::arithmetic_side_effects)]

use std::borrow::Cow;
use std::sync::LazyLock;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_saphyr::Spanned;

use crate::catalog::Version;
use crate::date::Date;
use crate::extract::validate;
use crate::lang::Localized;
use crate::source::Span;
use crate::tr;

/// A value with the byte span it came from.
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct Sp<T>(pub Spanned<T>);

impl<T> Sp<T> {
    /// The value.
    #[must_use]
    pub fn value(&self) -> &T {
        &self.0.value
    }

    /// Its byte span in the parsed text.
    #[must_use]
    pub fn span(&self) -> Span {
        span_of(&self.0)
    }
}

impl<T: JsonSchema> JsonSchema for Sp<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        generator.subschema_for::<T>()
    }
}

/// An optional key: absent, `null`, or a value with its span. Unlike
/// `Option<Sp<T>>`, a `null` keeps its place, so a finding about
/// `reported_on: null` points at the `null`.
#[derive(Debug, Clone)]
pub struct Field<T> {
    value: Option<Sp<T>>,
    null: Option<Span>,
}

impl<T> Default for Field<T> {
    fn default() -> Self {
        Self {
            value: None,
            null: None,
        }
    }
}

impl<T> Field<T> {
    /// The value with its span, if the key has a non-null value.
    #[must_use]
    pub fn as_ref(&self) -> Option<&Sp<T>> {
        self.value.as_ref()
    }

    /// The value, if any.
    #[must_use]
    pub fn get(&self) -> Option<&T> {
        self.value.as_ref().map(Sp::value)
    }

    /// Whether the key has a non-null value.
    #[must_use]
    pub fn is_some(&self) -> bool {
        self.value.is_some()
    }

    /// Where the key's value is, `null` included; `None` if the key is absent.
    #[must_use]
    pub fn place(&self) -> Option<Span> {
        self.value.as_ref().map(Sp::span).or(self.null)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Field<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Option<T>>::deserialize(deserializer)?;
        let span = span_of(&spanned);
        Ok(match spanned.value {
            Some(value) => Self {
                value: Some(Sp(Spanned {
                    value,
                    referenced: spanned.referenced,
                    defined: spanned.defined,
                })),
                null: None,
            },
            None => Self {
                value: None,
                null: Some(span),
            },
        })
    }
}

impl<T: JsonSchema> JsonSchema for Field<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        <Option<T>>::schema_name()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        <Option<T>>::json_schema(generator)
    }
}

/// Any YAML value: an entry of `protected_person_access`, whatever its shape.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(transparent)]
pub struct AnyValue(IgnoredAny);

impl JsonSchema for AnyValue {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "AnyValue".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "description": "any grant touching important and specific persons (重要及特定人員): each entry is a violation" })
    }
}

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "ISO date YYYY-MM-DD"
        })
    }
}

/// The span of a spanned value, in bytes of the text that was parsed.
#[must_use]
pub fn span_of<T>(value: &Spanned<T>) -> Span {
    let span = value.referenced.span();
    let start = usize::try_from(span.byte_offset().unwrap_or(0)).unwrap_or(0);
    let len = usize::try_from(span.byte_len().unwrap_or(0)).unwrap_or(0);
    Span::new(start, start.saturating_add(len))
}

/// The JSON Schema of `access.yaml`, generated from these types.
#[must_use]
pub fn json_schema_text() -> String {
    let mut schema = schemars::schema_for!(AccessConfig);
    schema.insert(
        "$id".into(),
        "https://niacheck.example/schemas/access.schema.json".into(),
    );
    schema.insert("title".into(), "niacheck access.yaml".into());
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// The whole access configuration.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessConfig {
    /// The regulation version the submission targets.
    #[serde(default)]
    pub regulation: Field<Version>,
    /// The agency.
    pub agency: Sp<Agency>,
    /// The application filed with NIA.
    #[serde(default)]
    pub application: Field<Application>,
    /// The management rules document, relative to the submission folder.
    #[serde(default)]
    pub rules: Field<String>,
    /// Workstation settings.
    #[serde(default)]
    pub workstation: Field<Workstation>,
    /// The users.
    #[serde(default)]
    pub users: Vec<Sp<User>>,
    /// Doubts and outage queries.
    #[serde(default)]
    pub inquiries: Vec<Sp<Inquiry>>,
    /// Other data requests.
    #[serde(default)]
    pub data_requests: Vec<Sp<DataRequest>>,
    /// Any grant touching important and specific persons.
    #[serde(default)]
    pub protected_person_access: Vec<Sp<AnyValue>>,
}

/// The agency's tier, which decides the forwarding channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[allow(
    missing_docs,
    reason = "the variants are the configuration's own spellings, described on the type"
)]
pub enum Tier {
    PresidentialOffice,
    Yuan,
    Ministry,
    MinistrySubordinate,
    Municipal,
    CountyCity,
    MunicipalSubordinate,
    CountyCitySubordinate,
}

/// The agency.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    /// Its name.
    pub name: Sp<String>,
    /// Its agency code.
    #[serde(default)]
    pub code: Field<String>,
    /// Its tier.
    #[serde(default)]
    pub tier: Field<Tier>,
    /// The law that authorises its use (point 3).
    #[serde(default)]
    pub legal_basis: Field<String>,
}

/// The application form filed with NIA.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// The form filed (`annex-1`, previously `annex`).
    #[serde(default)]
    pub form: Field<String>,
    /// Functions ticked on the form.
    #[serde(default)]
    pub functions: Vec<Sp<String>>,
    /// The agency that forwarded it.
    #[serde(default)]
    pub forwarded_by: Field<String>,
    /// NIA's approval.
    #[serde(default)]
    pub approved_on: Field<Date>,
    /// NIA's written notice.
    #[serde(default)]
    pub notice_ref: Field<String>,
}

/// Workstation settings.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Workstation {
    /// Minutes idle before the screen locks.
    #[serde(default)]
    pub idle_lock_minutes: Field<u32>,
    /// Whether users must remove the card when leaving.
    #[serde(default)]
    pub remove_card_on_leave: Field<bool>,
}

/// How a user signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[allow(
    missing_docs,
    reason = "the variants are the configuration's own spellings, described on the type"
)]
pub enum Login {
    CitizenCertificate,
    Password,
    Other,
}

/// A user's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[allow(
    missing_docs,
    reason = "the variants are the configuration's own spellings, described on the type"
)]
pub enum UserStatus {
    Active,
    DutyChange,
    Transferred,
    Suspended,
    Resigned,
    Retired,
}

/// A certificate's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[allow(
    missing_docs,
    reason = "the variants are the configuration's own spellings, described on the type"
)]
pub enum CertificateStatus {
    Valid,
    Lost,
    Revoked,
}

/// A user's citizen certificate.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    /// Serial number.
    #[serde(default)]
    pub serial: Field<String>,
    /// Expiry date.
    #[serde(default)]
    pub expires_on: Field<Date>,
    /// Status.
    #[serde(default)]
    pub status: Field<CertificateStatus>,
    /// When it was lost.
    #[serde(default)]
    pub lost_on: Field<Date>,
    /// When the loss was reported to NIA.
    #[serde(default)]
    pub reported_on: Field<Date>,
}

/// How an agency tells NIA that a user stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[allow(
    missing_docs,
    reason = "the variants are the configuration's own spellings, described on the type"
)]
pub enum Channel {
    OfficialDocument,
    DirectorMailbox,
}

/// The end of a user's account.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Termination {
    /// How NIA was told.
    #[serde(default)]
    pub channel: Field<Channel>,
    /// When NIA was told.
    #[serde(default)]
    pub notified_on: Field<Date>,
    /// When the account ended.
    #[serde(default)]
    pub account_ended_on: Field<Date>,
}

/// One user.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct User {
    /// Personnel number (人員編號).
    #[serde(default)]
    pub personnel_id: Field<String>,
    /// Name.
    #[serde(default)]
    pub name: Field<String>,
    /// Functions granted.
    #[serde(default)]
    pub functions: Vec<Sp<String>>,
    /// The business need.
    #[serde(default)]
    pub business_need: Field<String>,
    /// Has a card reader.
    #[serde(default)]
    pub card_reader: Field<bool>,
    /// How the user signs in.
    #[serde(default)]
    pub login: Field<Login>,
    /// The citizen certificate.
    #[serde(default)]
    pub certificate: Field<Certificate>,
    /// Status.
    #[serde(default)]
    pub status: Field<UserStatus>,
    /// When the status changed.
    #[serde(default)]
    pub status_changed_on: Field<Date>,
    /// The end of the account.
    #[serde(default)]
    pub termination: Field<Termination>,
    /// First day of use.
    #[serde(default)]
    pub active_since: Field<Date>,
}

/// The kind of an inquiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[allow(
    missing_docs,
    reason = "the variants are the configuration's own spellings, described on the type"
)]
pub enum InquiryKind {
    DataDoubt,
    OutageQuery,
}

/// A doubt about data, or a query during an outage.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Inquiry {
    /// Its kind.
    pub kind: Sp<InquiryKind>,
    /// When the data were obtained.
    #[serde(default)]
    pub data_obtained_on: Field<Date>,
    /// When the doubt was raised.
    #[serde(default)]
    pub raised_on: Field<Date>,
    /// The form used.
    #[serde(default)]
    pub form: Field<String>,
    /// When it was faxed.
    #[serde(default)]
    pub faxed_on: Field<Date>,
    /// When the official document followed.
    #[serde(default)]
    pub document_sent_on: Field<Date>,
}

/// A request for other data.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataRequest {
    /// The official document.
    #[serde(default)]
    pub document_ref: Field<String>,
    /// Its legal basis.
    #[serde(default)]
    pub legal_basis: Field<String>,
    /// Its purpose.
    #[serde(default)]
    pub purpose: Field<String>,
    /// The data wanted.
    #[serde(default)]
    pub data: Field<String>,
    /// NIA's approval.
    #[serde(default)]
    pub approved_on: Field<Date>,
}

/// A parse error with its place, in our own words (never the YAML
/// library's text, which may quote personal data, print Rust debug values
/// or give advice about its own options).
#[derive(Debug, Clone)]
pub struct ConfigError {
    /// What is wrong.
    pub message: Localized,
    /// How to fix it.
    pub help: Option<Localized>,
    /// Where, if known.
    pub span: Option<Span>,
}

/// Deepest nesting of YAML collections accepted.
pub const MAX_DEPTH: usize = 64;
/// Most anchors, and most aliases, accepted in one configuration.
pub const MAX_ANCHORS: usize = 1_000;

/// Input limits: no alias bombs, no absurd nesting.
fn options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::options! {
        budget: serde_saphyr::budget! { max_aliases: MAX_ANCHORS, max_anchors: MAX_ANCHORS, max_depth: MAX_DEPTH },
        with_snippet: false,
    };
    options.alias_limits.max_total_replayed_events = 100_000;
    options.alias_limits.max_alias_expansions_per_anchor = 1_000;
    options
}

/// The same limits, with repeated keys passed on to the node tree, which
/// reports each one naming the line of the first.
fn tree_options() -> serde_saphyr::Options {
    let mut options = options();
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::PassThrough;
    options
}

/// A message with an optional help.
struct Described {
    message: Localized,
    help: Option<Localized>,
}

fn said(message: Localized) -> Described {
    Described {
        message,
        help: None,
    }
}

impl Described {
    fn help(mut self, help: Localized) -> Self {
        self.help = Some(help);
        self
    }

    fn maybe_help(mut self, help: Option<Localized>) -> Self {
        self.help = help;
        self
    }
}

/// Our own words for each kind of YAML library error, from its structured
/// kind (never from its text).
fn describe(err: &serde_saphyr::Error) -> Described {
    use serde_saphyr::Error as E;
    use serde_saphyr::budget::BudgetBreach as B;
    match err.without_snippet() {
        E::AliasError { error, .. } => describe(error),
        E::SerdeUnknownField {
            field, expected, ..
        } => said(tr!("config.unknown-key", key = field))
            .maybe_help(validate::suggestion(field, expected)),
        E::SerdeUnknownVariant {
            variant, expected, ..
        } => said(tr!("config.unknown-value", value = variant))
            .maybe_help(validate::suggestion(variant, expected)),
        E::SerdeMissingField { field, .. } => said(tr!("config.missing-key", key = *field))
            .help(tr!("config.missing-key-help", key = *field)),
        E::SerdeInvalidType { .. }
        | E::SerdeInvalidValue { .. }
        | E::Unexpected { .. }
        | E::SerdeInvalidLength { .. }
        | E::InvalidScalar { .. }
        | E::InvalidBooleanStrict { .. } => {
            said(tr!("config.wrong-value")).help(tr!("config.see-schema"))
        }
        E::NullIntoString { .. } => said(tr!("config.null-into-text")),
        E::QuotingRequired { .. } => said(tr!("config.quoting-required")),
        E::DuplicateMappingKey { key, .. } => said(tr!(
            "config.duplicate-key-unplaced",
            key = key.as_deref().unwrap_or("?")
        ))
        .help(tr!("config.duplicate-key-help")),
        E::MultipleDocuments { .. } => {
            said(tr!("config.multiple-documents")).help(tr!("config.multiple-documents-help"))
        }
        E::Eof { .. } => said(tr!("config.eof")).help(tr!("config.syntax-help")),
        E::UnknownAnchor { .. } => said(tr!("config.unknown-anchor")),
        E::Budget { breach, .. } => match breach {
            B::Depth { .. } => said(tr!("config.too-deep", max = MAX_DEPTH)),
            B::Aliases { .. } | B::Anchors { .. } => {
                said(tr!("config.too-many-anchors", max = MAX_ANCHORS))
            }
            _ => said(tr!("config.too-large")),
        }
        .help(tr!("config.too-large-help")),
        E::AliasReplayCounterOverflow { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. } => {
            said(tr!("config.alias-bomb")).help(tr!("config.alias-bomb-help"))
        }
        E::UnsupportedTag { .. } | E::TaggedStructFieldName { .. } => {
            said(tr!("config.tag")).help(tr!("config.tag-help"))
        }
        E::MergeKeyNotAllowed { .. } | E::MergeValueNotMapOrSeqOfMaps { .. } => {
            said(tr!("config.merge-key"))
        }
        // A free-form message comes only from the configuration's own
        // deserializers (`Date`), which the node tree has checked first.
        E::Message { .. } => said(tr!("config.wrong-value")).help(tr!("config.see-schema")),
        _ => said(tr!("config.unreadable")).help(tr!("config.syntax-help")),
    }
}

/// The JSON Schema of `access.yaml` as a value, for the node tree check.
static SCHEMA: LazyLock<serde_json::Value> =
    LazyLock::new(|| serde_json::to_value(schemars::schema_for!(AccessConfig)).unwrap_or_default());

/// Parse an access configuration, reporting every input error at once.
///
/// # Errors
/// Every unknown key, missing key, wrong kind of value, unknown value,
/// impossible date and repeated key, in the order of the text; or the one
/// syntax error that stops the YAML from being read. Never empty.
pub fn parse(text: &str) -> Result<AccessConfig, Vec<ConfigError>> {
    if text.trim().is_empty() {
        return Err(vec![ConfigError {
            message: tr!("config.empty"),
            help: Some(tr!("config.empty-help")),
            span: None,
        }]);
    }
    // The schema is made only for a file the typed decoder rejects.
    checked(text, || &*SCHEMA)
}

/// Parse YAML into `T`; when that fails, check its node tree against
/// `schema` (`T`'s JSON Schema, made on demand), so that every input error
/// is reported at once.
///
/// # Errors
/// See [`parse`]. Never empty.
pub fn checked<'s, T: serde::de::DeserializeOwned>(
    text: &str,
    schema: impl FnOnce() -> &'s serde_json::Value,
) -> Result<T, Vec<ConfigError>> {
    // Nearly every file is valid: it is decoded once, typed. Only a file
    // the typed decoder rejects is read again as a node tree, to report
    // every error at once. The typed decoder accepts nothing the schema
    // check rejects (the types are the schema's source; a test compares
    // the two over the samples and many mutations of them).
    if let Ok(value) = from_yaml(text) {
        return Ok(value);
    }
    let tree: Spanned<validate::Node> = serde_saphyr::from_str_with_options(text, tree_options())
        .map_err(|err| vec![config_error(text, &err)])?;
    let problems = validate::check(text, &tree, schema());
    if !problems.is_empty() {
        return Err(problems
            .into_iter()
            .map(|p| ConfigError {
                message: p.message,
                help: p.help,
                span: Some(clamp(text, p.span)),
            })
            .collect());
    }
    from_yaml(text).map_err(|e| vec![e])
}

fn clamp(text: &str, span: Span) -> Span {
    let start = span.start.min(text.len());
    Span::new(start, span.end.min(text.len()).max(start))
}

fn config_error(text: &str, err: &serde_saphyr::Error) -> ConfigError {
    let span = err.location().and_then(|loc| {
        let span = loc.span();
        // Some syntax errors carry a line and column but no byte offset.
        let start = match span.byte_offset() {
            Some(offset) => usize::try_from(offset).ok()?,
            None => offset_of(text, loc.line(), loc.column())?,
        };
        let len = usize::try_from(span.byte_len().unwrap_or(0)).ok()?;
        let start = start.min(text.len());
        Some(Span::new(start, start.saturating_add(len).min(text.len())))
    });
    let described = describe(err);
    ConfigError {
        message: described.message,
        help: described.help,
        span,
    }
}

/// The byte offset of a 1-based line and character column (lines end at
/// LF, CRLF or a lone CR, as the YAML parser counts them).
fn offset_of(text: &str, line: u64, column: u64) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let mut current = 1_u64;
    let mut start = 0_usize;
    let mut chars = text.char_indices().peekable();
    while current < line {
        let (at, c) = chars.next()?;
        if c == '\n' || (c == '\r' && chars.peek().is_none_or(|(_, n)| *n != '\n')) {
            current = current.saturating_add(1);
            start = at.saturating_add(c.len_utf8());
        }
    }
    let rest = text.get(start..)?;
    let skip = usize::try_from(column.saturating_sub(1)).ok()?;
    Some(
        rest.char_indices()
            .nth(skip)
            .map_or(text.len(), |(at, _)| start.saturating_add(at)),
    )
}

/// Parse YAML into `T` with niacheck's input limits and its error places
/// (shared by `access.yaml` and `waivers.yaml`): the first error only.
///
/// # Errors
/// When the YAML is malformed, a key is unknown, or a value has the wrong type.
pub fn from_yaml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ConfigError> {
    serde_saphyr::from_str_with_options(text, options()).map_err(|err| config_error(text, &err))
}

/// Levenshtein distance over characters.
#[must_use]
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    edit_distance_chars(&a, &b)
}

/// Levenshtein distance of two character sequences (for callers that
/// already hold the characters).
#[must_use]
pub fn edit_distance_chars(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut previous = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i.saturating_add(1);
        }
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j.saturating_add(1)).copied().unwrap_or(0);
            let left = row.get(j).copied().unwrap_or(0);
            let value = above
                .saturating_add(1)
                .min(left.saturating_add(1))
                .min(previous.saturating_add(usize::from(ca != cb)));
            previous = above;
            if let Some(cell) = row.get_mut(j.saturating_add(1)) {
                *cell = value;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values that YAML or the types read in surprising ways.
    const ODD_VALUES: &[&str] = &[
        "~",
        "yes",
        "True",
        "'true'",
        "013",
        "0x1F",
        "1e3",
        "-1",
        "4294967296",
        "1.5",
        "\"\"",
        "[]",
        "{a: 1}",
        "113/03/20",
        "2026-02-30",
        "民國113年3月20日",
        "actve",
        "previous",
        "2026-01-01",
        "*a",
        "!!str 5",
        "|\n    x",
        "\"\\u0000\"",
    ];

    #[test]
    fn what_the_typed_decoder_accepts_the_schema_check_accepts() {
        // `checked` trusts the typed decoder alone when it succeeds: over
        // every sample configuration and the fixtures, and every scalar of
        // one sample replaced by each odd value (plus a key renamed, a key
        // repeated, a key removed), whenever the typed decoder accepts the
        // text the node tree check finds no problem.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        for dir in ["agency-rules", "tests/input-errors"] {
            for entry in std::fs::read_dir(root.join(dir))
                .into_iter()
                .flatten()
                .flatten()
            {
                if let Ok(text) = std::fs::read_to_string(entry.path().join("access.yaml")) {
                    texts.push(text);
                }
            }
        }
        let base = std::fs::read_to_string(root.join("agency-rules/keelung-customs/access.yaml"))
            .unwrap_or_default();
        let lines: Vec<&str> = base.lines().collect();
        // Every second scalar line (the sample repeats its shapes per user).
        for (i, line) in lines.iter().enumerate().step_by(2) {
            let Some((key, value)) = line.split_once(": ") else {
                continue;
            };
            if value.trim().is_empty() {
                continue;
            }
            let mut variants: Vec<String> = ODD_VALUES
                .iter()
                .map(|odd| format!("{key}: {odd}"))
                .collect();
            variants.push(format!("{key}x: {value}"));
            variants.push(format!("{line}\n{line}"));
            variants.push(String::new());
            for variant in variants {
                let mut mutated = lines.clone();
                if let Some(slot) = mutated.get_mut(i) {
                    *slot = &variant;
                }
                texts.push(mutated.join("\n"));
            }
        }
        assert!(texts.len() > 300, "only {} texts", texts.len());
        let mut accepted = 0;
        for text in &texts {
            if from_yaml::<AccessConfig>(text).is_err() {
                continue;
            }
            accepted += 1;
            let tree: Result<Spanned<validate::Node>, _> =
                serde_saphyr::from_str_with_options(text, tree_options());
            let problems = tree.map(|tree| validate::check(text, &tree, &SCHEMA));
            assert!(
                problems.as_ref().is_ok_and(Vec::is_empty),
                "typed decode accepted what the check rejects: {problems:?}\n{text}"
            );
        }
        // Both sides are exercised: many texts accepted, many rejected.
        assert!(
            accepted > 50 && accepted < texts.len() - 50,
            "{accepted} of {}",
            texts.len()
        );
    }

    #[test]
    fn unknown_key_is_located_with_a_suggestion() {
        let text = "agency:\n  naem: 臺北市政府警察局\n";
        let errors = parse(text).err().unwrap_or_default();
        assert_eq!(errors.len(), 1, "{errors:?}");
        let err = errors.first();
        assert!(
            err.is_some_and(|e| e.message.en.contains("naem")),
            "{err:?}"
        );
        let help = err.and_then(|e| e.help.clone()).unwrap_or_default();
        assert_eq!(help.en, "did you mean `name`?");
        assert_eq!(help.zh, "是否為 `name`？");
        assert_eq!(err.and_then(|e| e.span).map(|s| s.start), text.find("naem"));
    }

    #[test]
    fn three_typos_are_three_errors_at_their_places() {
        let text = "agency:\n  name: 臺北市政府警察局\n  teir: municipal\nworkstaton:\n  idle_lock_minutes: 10\nusers:\n  - personnel_id: A001\n    card_reder: true\n";
        let errors = parse(text).err().unwrap_or_default();
        let found: Vec<(Option<usize>, String, String)> = errors
            .iter()
            .map(|e| {
                (
                    e.span.map(|s| s.start),
                    e.message.en.clone(),
                    e.help.clone().unwrap_or_default().en,
                )
            })
            .collect();
        let at = |key: &str| text.find(key);
        assert_eq!(
            found,
            vec![
                (
                    at("teir"),
                    "unknown key `teir`".to_owned(),
                    "did you mean `tier`?".to_owned()
                ),
                (
                    at("workstaton"),
                    "unknown key `workstaton`".to_owned(),
                    "did you mean `workstation`?".to_owned()
                ),
                (
                    at("card_reder"),
                    "unknown key `card_reder`".to_owned(),
                    "did you mean `card_reader`?".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn every_kind_of_input_error_is_reported_together() {
        let text = "agency:\n  name: a\n  tier: municpal\nworkstation:\n  idle_lock_minutes: -5\n  remove_card_on_leave: maybe\nusers:\n  - personnel_id: A1\n    active_since: 2026-02-30\n  - personnel_id: A2\n    personnel_id: A3\n";
        let errors = parse(text).err().unwrap_or_default();
        let messages: Vec<&str> = errors.iter().map(|e| e.message.en.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "unknown value `municpal`",
                "wrong kind of value: expected a whole number",
                "wrong kind of value: expected true or false",
                "`2026-02-30` is not a real calendar date",
                "the key `personnel_id` appears twice in the same mapping (first on line 10)",
            ]
        );
    }

    #[test]
    fn what_the_typed_decoder_accepts_the_tree_accepts() {
        let text = "agency: {name: a, code: 379130000}\nworkstation: {idle_lock_minutes: '10', remove_card_on_leave: yes}\ninquiries: []\n";
        assert!(parse(text).is_ok(), "{:?}", parse(text).err());
        let null_list = "agency: {name: a}\nusers:\n";
        let errors = parse(null_list).err().unwrap_or_default();
        assert_eq!(errors.len(), 1, "{errors:?}");
    }

    #[test]
    fn value_spans_are_bytes() {
        let text = "agency:\n  name: 臺北市政府警察局\n  code: \"379130000C\"\n";
        let config = parse(text).ok();
        let code = config
            .as_ref()
            .and_then(|c| c.agency.value().code.as_ref())
            .map(Sp::span);
        let start = text.find("\"379").unwrap_or_default();
        assert_eq!(code.map(|s| s.start), Some(start));
    }

    #[test]
    fn library_messages_never_reach_the_user() {
        let cases = [
            "agency:\n  name: a\n  name: b\n",
            "agency: [\n",
            "agency:\n  name: {a: 1}\n",
            "a: &a [1]\nb: *c\n",
            "users:\n  - card_reader: maybe\n",
            "---\nagency: {name: a}\n---\nagency: {name: b}\n",
            &format!("agency: {}{}\n", "[".repeat(100), "]".repeat(100)),
        ];
        for text in cases {
            let errors = parse(text).err().unwrap_or_default();
            let words: String = errors
                .iter()
                .map(|e| {
                    let help = e.help.clone().unwrap_or_default();
                    format!("{} {} {} {}", e.message.en, e.message.zh, help.en, help.zh)
                })
                .collect();
            assert!(!words.is_empty(), "{text}: no error");
            for leak in ["Options", "Policy", "{", "Some(", "Error"] {
                assert!(!words.contains(leak), "{text}: {words}");
            }
        }
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("naem", "name"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("身分", "身份"), 1);
    }
}
