//! The access configuration (`access.yaml`), parsed into typed structs with
//! the source span of every key and value.
//!
//! YAML is read with serde-saphyr, not the archived `serde_yaml`: it is
//! maintained, limits alias expansion (no "billion laughs"), and its
//! `Spanned<T>` gives byte offsets for values, which every config finding
//! needs. Spans are lost inside `#[serde(flatten)]` and untagged enums, so
//! neither is used here.

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_saphyr::Spanned;

use crate::catalog::Version;
use crate::date::Date;
use crate::source::Span;

/// The span of a spanned value, in bytes of the text that was parsed.
#[must_use]
pub fn span_of<T>(value: &Spanned<T>) -> Span {
    let span = value.referenced.span();
    let start = usize::try_from(span.byte_offset().unwrap_or(0)).unwrap_or(0);
    let len = usize::try_from(span.byte_len().unwrap_or(0)).unwrap_or(0);
    Span::new(start, start + len)
}

/// The whole access configuration.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessConfig {
    /// The regulation version the submission targets.
    pub regulation: Option<Spanned<Version>>,
    /// The agency.
    pub agency: Spanned<Agency>,
    /// The application filed with NIA.
    pub application: Option<Spanned<Application>>,
    /// The management rules document, relative to the submission folder.
    pub rules: Option<Spanned<String>>,
    /// Workstation settings.
    pub workstation: Option<Spanned<Workstation>>,
    /// The users.
    #[serde(default)]
    pub users: Vec<Spanned<User>>,
    /// Doubts and outage queries.
    #[serde(default)]
    pub inquiries: Vec<Spanned<Inquiry>>,
    /// Other data requests.
    #[serde(default)]
    pub data_requests: Vec<Spanned<DataRequest>>,
    /// Any grant touching important and specific persons.
    #[serde(default)]
    pub protected_person_access: Vec<Spanned<IgnoredAny>>,
}

/// The agency's tier, which decides the forwarding channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
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
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    /// Its name.
    pub name: Spanned<String>,
    /// Its agency code.
    pub code: Option<Spanned<String>>,
    /// Its tier.
    pub tier: Option<Spanned<Tier>>,
    /// The law that authorises its use (point 3).
    pub legal_basis: Option<Spanned<String>>,
}

/// The application form filed with NIA.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// The form filed (`annex-1`, previously `annex`).
    pub form: Option<Spanned<String>>,
    /// Functions ticked on the form.
    #[serde(default)]
    pub functions: Vec<Spanned<String>>,
    /// The agency that forwarded it.
    pub forwarded_by: Option<Spanned<String>>,
    /// NIA's approval.
    pub approved_on: Option<Spanned<Date>>,
    /// NIA's written notice.
    pub notice_ref: Option<Spanned<String>>,
}

/// Workstation settings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workstation {
    /// Minutes idle before the screen locks.
    pub idle_lock_minutes: Option<Spanned<u32>>,
    /// Whether users must remove the card when leaving.
    pub remove_card_on_leave: Option<Spanned<bool>>,
}

/// How a user signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum Login {
    CitizenCertificate,
    Password,
    Other,
}

/// A user's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum CertificateStatus {
    Valid,
    Lost,
    Revoked,
}

/// A user's citizen certificate.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    /// Serial number.
    pub serial: Option<Spanned<String>>,
    /// Expiry date.
    pub expires_on: Option<Spanned<Date>>,
    /// Status.
    pub status: Option<Spanned<CertificateStatus>>,
    /// When it was lost.
    pub lost_on: Option<Spanned<Date>>,
    /// When the loss was reported to NIA.
    pub reported_on: Option<Spanned<Date>>,
}

/// How an agency tells NIA that a user stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum Channel {
    OfficialDocument,
    DirectorMailbox,
}

/// The end of a user's account.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Termination {
    /// How NIA was told.
    pub channel: Option<Spanned<Channel>>,
    /// When NIA was told.
    pub notified_on: Option<Spanned<Date>>,
    /// When the account ended.
    pub account_ended_on: Option<Spanned<Date>>,
}

/// One user.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    /// Personnel number (人員編號).
    pub personnel_id: Option<Spanned<String>>,
    /// Name.
    pub name: Option<Spanned<String>>,
    /// Functions granted.
    #[serde(default)]
    pub functions: Vec<Spanned<String>>,
    /// The business need.
    pub business_need: Option<Spanned<String>>,
    /// Has a card reader.
    pub card_reader: Option<Spanned<bool>>,
    /// How the user signs in.
    pub login: Option<Spanned<Login>>,
    /// The citizen certificate.
    pub certificate: Option<Spanned<Certificate>>,
    /// Status.
    pub status: Option<Spanned<UserStatus>>,
    /// When the status changed.
    pub status_changed_on: Option<Spanned<Date>>,
    /// The end of the account.
    pub termination: Option<Spanned<Termination>>,
    /// First day of use.
    pub active_since: Option<Spanned<Date>>,
}

/// The kind of an inquiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum InquiryKind {
    DataDoubt,
    OutageQuery,
}

/// A doubt about data, or a query during an outage.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inquiry {
    /// Its kind.
    pub kind: Spanned<InquiryKind>,
    /// When the data were obtained.
    pub data_obtained_on: Option<Spanned<Date>>,
    /// When the doubt was raised.
    pub raised_on: Option<Spanned<Date>>,
    /// The form used.
    pub form: Option<Spanned<String>>,
    /// When it was faxed.
    pub faxed_on: Option<Spanned<Date>>,
    /// When the official document followed.
    pub document_sent_on: Option<Spanned<Date>>,
}

/// A request for other data.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataRequest {
    /// The official document.
    pub document_ref: Option<Spanned<String>>,
    /// Its legal basis.
    pub legal_basis: Option<Spanned<String>>,
    /// Its purpose.
    pub purpose: Option<Spanned<String>>,
    /// The data wanted.
    pub data: Option<Spanned<String>>,
    /// NIA's approval.
    pub approved_on: Option<Spanned<Date>>,
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
            .and_then(|c| c.agency.value.code.as_ref())
            .map(span_of);
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
