//! The access configuration (`access.yaml`), parsed into typed structs with
//! the source span of every key and value.
//!
//! YAML is read with serde-saphyr, not the archived `serde_yaml`: it is
//! maintained, limits alias expansion (no "billion laughs"), and its
//! `Spanned<T>` gives byte offsets for values, which every config finding
//! needs. Spans are lost inside `#[serde(flatten)]` and untagged enums, so
//! neither is used here. The same types generate `schemas/access.schema.json`.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_saphyr::Spanned;

use crate::catalog::Version;
use crate::date::Date;
use crate::source::Span;

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
    Span::new(start, start + len)
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
    pub regulation: Option<Sp<Version>>,
    /// The agency.
    pub agency: Sp<Agency>,
    /// The application filed with NIA.
    pub application: Option<Sp<Application>>,
    /// The management rules document, relative to the submission folder.
    pub rules: Option<Sp<String>>,
    /// Workstation settings.
    pub workstation: Option<Sp<Workstation>>,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
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
    pub code: Option<Sp<String>>,
    /// Its tier.
    pub tier: Option<Sp<Tier>>,
    /// The law that authorises its use (point 3).
    pub legal_basis: Option<Sp<String>>,
}

/// The application form filed with NIA.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// The form filed (`annex-1`, previously `annex`).
    pub form: Option<Sp<String>>,
    /// Functions ticked on the form.
    #[serde(default)]
    pub functions: Vec<Sp<String>>,
    /// The agency that forwarded it.
    pub forwarded_by: Option<Sp<String>>,
    /// NIA's approval.
    pub approved_on: Option<Sp<Date>>,
    /// NIA's written notice.
    pub notice_ref: Option<Sp<String>>,
}

/// Workstation settings.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Workstation {
    /// Minutes idle before the screen locks.
    pub idle_lock_minutes: Option<Sp<u32>>,
    /// Whether users must remove the card when leaving.
    pub remove_card_on_leave: Option<Sp<bool>>,
}

/// How a user signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum Login {
    CitizenCertificate,
    Password,
    Other,
}

/// A user's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum UserStatus {
    Active,
    DutyChange,
    Transferred,
    Suspended,
    Resigned,
    Retired,
}

/// A certificate's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
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
    pub serial: Option<Sp<String>>,
    /// Expiry date.
    pub expires_on: Option<Sp<Date>>,
    /// Status.
    pub status: Option<Sp<CertificateStatus>>,
    /// When it was lost.
    pub lost_on: Option<Sp<Date>>,
    /// When the loss was reported to NIA.
    pub reported_on: Option<Sp<Date>>,
}

/// How an agency tells NIA that a user stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum Channel {
    OfficialDocument,
    DirectorMailbox,
}

/// The end of a user's account.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Termination {
    /// How NIA was told.
    pub channel: Option<Sp<Channel>>,
    /// When NIA was told.
    pub notified_on: Option<Sp<Date>>,
    /// When the account ended.
    pub account_ended_on: Option<Sp<Date>>,
}

/// One user.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct User {
    /// Personnel number (人員編號).
    pub personnel_id: Option<Sp<String>>,
    /// Name.
    pub name: Option<Sp<String>>,
    /// Functions granted.
    #[serde(default)]
    pub functions: Vec<Sp<String>>,
    /// The business need.
    pub business_need: Option<Sp<String>>,
    /// Has a card reader.
    pub card_reader: Option<Sp<bool>>,
    /// How the user signs in.
    pub login: Option<Sp<Login>>,
    /// The citizen certificate.
    pub certificate: Option<Sp<Certificate>>,
    /// Status.
    pub status: Option<Sp<UserStatus>>,
    /// When the status changed.
    pub status_changed_on: Option<Sp<Date>>,
    /// The end of the account.
    pub termination: Option<Sp<Termination>>,
    /// First day of use.
    pub active_since: Option<Sp<Date>>,
}

/// The kind of an inquiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
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
    pub data_obtained_on: Option<Sp<Date>>,
    /// When the doubt was raised.
    pub raised_on: Option<Sp<Date>>,
    /// The form used.
    pub form: Option<Sp<String>>,
    /// When it was faxed.
    pub faxed_on: Option<Sp<Date>>,
    /// When the official document followed.
    pub document_sent_on: Option<Sp<Date>>,
}

/// A request for other data.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataRequest {
    /// The official document.
    pub document_ref: Option<Sp<String>>,
    /// Its legal basis.
    pub legal_basis: Option<Sp<String>>,
    /// Its purpose.
    pub purpose: Option<Sp<String>>,
    /// The data wanted.
    pub data: Option<Sp<String>>,
    /// NIA's approval.
    pub approved_on: Option<Sp<Date>>,
}

/// A parse error with its place.
#[derive(Debug, Clone)]
pub struct ConfigError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// Where, if known.
    pub span: Option<Span>,
}

/// Input limits: no alias bombs, no absurd nesting.
fn options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::options! {
        budget: serde_saphyr::budget! { max_aliases: 1_000, max_anchors: 1_000, max_depth: 64 },
        with_snippet: false,
    };
    options.alias_limits.max_total_replayed_events = 100_000;
    options.alias_limits.max_alias_expansions_per_anchor = 1_000;
    options
}

/// Parse an access configuration.
///
/// # Errors
/// When the YAML is malformed, a key is unknown, or a value has the wrong type.
pub fn parse(text: &str) -> Result<AccessConfig, ConfigError> {
    if text.trim().is_empty() {
        return Err(ConfigError {
            message: "the access configuration is empty".into(),
            help: Some(
                "start from `niacheck init DIR`, or give at least `agency: {name: …}`".into(),
            ),
            span: None,
        });
    }
    serde_saphyr::from_str_with_options(text, options()).map_err(|err| {
        use serde_saphyr::MessageFormatter as _;
        let message = serde_saphyr::DefaultMessageFormatter
            .format_message(err.without_snippet())
            .into_owned();
        let span = err.location().and_then(|loc| {
            let span = loc.span();
            let start = usize::try_from(span.byte_offset()?).ok()?;
            let len = usize::try_from(span.byte_len().unwrap_or(0)).ok()?;
            Some(Span::new(start, start + len))
        });
        let help = did_you_mean(&message);
        ConfigError {
            message,
            help,
            span,
        }
    })
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" (or "unknown
/// variant"), suggest the closest expected name.
fn did_you_mean(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (given, expected) = rest.split_once('`')?;
    let list = expected
        .trim_start_matches(',')
        .trim()
        .strip_prefix("expected one of")
        .or_else(|| {
            expected
                .trim_start_matches(',')
                .trim()
                .strip_prefix("expected")
        })
        .unwrap_or("");
    let names: Vec<&str> = list
        .split(',')
        .map(|n| n.trim().trim_matches('`'))
        .filter(|n| !n.is_empty())
        .collect();
    let best = names
        .iter()
        .map(|n| (edit_distance(given, n), *n))
        .min()
        .filter(|(d, n)| *d <= given.chars().count().max(n.chars().count()) / 2 + 1);
    match best {
        Some((_, name)) => Some(format!("did you mean `{name}`?")),
        None if !names.is_empty() => Some(format!("expected one of: {}", names.join(", "))),
        None => None,
    }
}

/// Levenshtein distance over characters.
#[must_use]
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(0);
            let left = row.get(j).copied().unwrap_or(0);
            let value = (above + 1)
                .min(left + 1)
                .min(previous + usize::from(ca != *cb));
            previous = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = value;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_located_with_a_suggestion() {
        let text = "agency:\n  naem: 臺北市政府警察局\n";
        let err = parse(text).err();
        let err = err.as_ref();
        assert!(err.is_some_and(|e| e.message.contains("naem")), "{err:?}");
        assert_eq!(
            err.and_then(|e| e.help.clone()).as_deref(),
            Some("did you mean `name`?")
        );
        assert_eq!(err.and_then(|e| e.span).map(|s| s.start), text.find("naem"));
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
    fn distances() {
        assert_eq!(edit_distance("naem", "name"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("身分", "身份"), 1);
    }
}
