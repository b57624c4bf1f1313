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
    /// What is wrong, in English.
    pub message: String,
    /// What is wrong, in Traditional Chinese.
    pub message_zh: String,
    /// How to fix it, in English.
    pub help: Option<String>,
    /// How to fix it, in Traditional Chinese.
    pub help_zh: Option<String>,
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

/// A message in both languages, with an optional help in both.
struct Described {
    en: String,
    zh: String,
    help: Option<(String, String)>,
}

fn said(en: impl Into<String>, zh: impl Into<String>) -> Described {
    Described {
        en: en.into(),
        zh: zh.into(),
        help: None,
    }
}

impl Described {
    fn help(mut self, en: impl Into<String>, zh: impl Into<String>) -> Self {
        self.help = Some((en.into(), zh.into()));
        self
    }
}

const SYNTAX_HELP_EN: &str =
    "check the indentation (spaces, not tabs), the `key: value` colons and the quotes on this line";
const SYNTAX_HELP_ZH: &str = "請檢查此行的縮排（用空白、不用 Tab）、`鍵: 值` 的冒號與引號";

/// The closest of `names` to `given`, as a "did you mean" in both languages.
fn suggestion(given: &str, names: &[&str]) -> Option<(String, String)> {
    let best = names
        .iter()
        .map(|n| (edit_distance(given, n), *n))
        .min()
        .filter(|(d, n)| {
            *d <= (given.chars().count().max(n.chars().count()) / 2).saturating_add(1)
        });
    match best {
        Some((_, name)) => Some((
            format!("did you mean `{name}`?"),
            format!("是否為 `{name}`？"),
        )),
        None if !names.is_empty() => Some((
            format!("expected one of: {}", names.join(", ")),
            format!("可用的值：{}", names.join("、")),
        )),
        None => None,
    }
}

/// A kind of value the library says it expected, in our words.
fn kind(expected: &str) -> (String, String) {
    let lower = expected.to_ascii_lowercase();
    let (en, zh) = if lower.contains("bool") {
        ("true or false", "true 或 false")
    } else if lower.contains("sequence") || lower.contains("list") {
        (
            "a list (`[a, b]` or lines starting with `- `)",
            "清單（`[a, b]` 或以 `- ` 開頭的各行）",
        )
    } else if lower.contains("map") || lower.contains("struct") {
        ("a mapping (`key: value` lines)", "對映（`鍵: 值` 各行）")
    } else if [
        "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "integer",
    ]
    .iter()
    .any(|t| lower.contains(t))
    {
        ("a whole number", "整數")
    } else if lower.contains("date") {
        ("a date YYYY-MM-DD", "日期 YYYY-MM-DD")
    } else if lower.contains("scalar") || lower.contains("string") {
        ("a single value", "單一值")
    } else {
        return (expected.to_owned(), expected.to_owned());
    };
    (en.to_owned(), zh.to_owned())
}

/// Our own words for each kind of YAML library error; `value` is the text
/// the error points at, if any.
fn describe(err: &serde_saphyr::Error, value: Option<&str>) -> Described {
    use serde_saphyr::Error as E;
    use serde_saphyr::budget::BudgetBreach as B;
    match err.without_snippet() {
        E::AliasError { error, .. } => describe(error, value),
        // The only free-form message of the configuration types is the
        // date's own (`Date`'s deserializer): a value that is no date.
        E::Message { msg, .. }
            if value.is_some_and(|v| msg.contains(v.trim()) && Date::read(v).is_err()) =>
        {
            // `Date::read` says what is wrong and the ISO form to write.
            match value.map(Date::read) {
                Some(Err(e)) => {
                    let (help_zh, help_en) = e.help();
                    said(e.en, e.zh).help(help_en, help_zh)
                }
                _ => said(msg.clone(), msg.clone()),
            }
        }
        E::SerdeUnknownField {
            field, expected, ..
        } => {
            let d = said(
                format!("unknown key `{field}`"),
                format!("未知的鍵 `{field}`"),
            );
            match suggestion(field, expected) {
                Some((en, zh)) => d.help(en, zh),
                None => d,
            }
        }
        E::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let d = said(
                format!("unknown value `{variant}`"),
                format!("未知的值 `{variant}`"),
            );
            match suggestion(variant, expected) {
                Some((en, zh)) => d.help(en, zh),
                None => d,
            }
        }
        E::SerdeMissingField { field, .. } => said(
            format!("the key `{field}` is missing here"),
            format!("此處缺少鍵 `{field}`"),
        )
        .help(
            format!("add `{field}:` with its value"),
            format!("請加上 `{field}:` 及其值"),
        ),
        E::SerdeInvalidType { expected, .. } | E::SerdeInvalidValue { expected, .. } => said(
            format!("wrong kind of value: expected {}", kind(expected).0),
            format!("值的型別不符：此處應為{}", kind(expected).1),
        )
        .help(
            "see schemas/access.schema.json for what each key takes",
            "各鍵應填的值請見 schemas/access.schema.json",
        ),
        E::Unexpected { expected, .. } => said(
            format!("wrong kind of value: expected {}", kind(expected).0),
            format!("值的型別不符：此處應為{}", kind(expected).1),
        )
        .help(
            "see schemas/access.schema.json for what each key takes",
            "各鍵應填的值請見 schemas/access.schema.json",
        ),
        E::SerdeInvalidLength { len, expected, .. } => said(
            format!("{len} items where {} is expected", kind(expected).0),
            format!("有 {len} 項，此處應為{}", kind(expected).1),
        ),
        E::NullIntoString { .. } => said(
            "a text is needed here, not `null`",
            "此處應填文字，不可為 `null`",
        ),
        E::InvalidScalar { ty, .. } => said(
            format!("this value cannot be read as {ty}"),
            format!("此值無法讀為 {ty}"),
        ),
        E::QuotingRequired { .. } => said(
            "this text reads as a number or true/false: put it in quotes",
            "此文字會被讀成數字或 true/false：請加上引號",
        ),
        E::DuplicateMappingKey { key, .. } => {
            let key = key.as_deref().unwrap_or("?");
            said(
                format!("the key `{key}` appears twice in the same mapping"),
                format!("同一層出現兩次鍵 `{key}`"),
            )
            .help(
                "keep one of them: the second would silently replace the first",
                "請只保留一個：第二個會默默取代第一個",
            )
        }
        E::MultipleDocuments { .. } => said(
            "more than one YAML document (`---`) in the configuration",
            "設定檔內有多份 YAML 文件（`---`）",
        )
        .help(
            "keep one document: remove the extra `---`",
            "只保留一份：刪除多餘的 `---`",
        ),
        E::Eof { .. } => {
            said("the YAML ends too early", "YAML 提前結束").help(SYNTAX_HELP_EN, SYNTAX_HELP_ZH)
        }
        E::UnknownAnchor { .. } => said(
            "this alias (`*name`) refers to no anchor (`&name`)",
            "此別名（`*名稱`）沒有對應的錨點（`&名稱`）",
        ),
        E::Budget { breach, .. } => match breach {
            B::Depth { .. } => said(
                format!("the YAML is nested more than {MAX_DEPTH} levels deep"),
                format!("YAML 巢狀超過 {MAX_DEPTH} 層"),
            ),
            B::Aliases { .. } | B::Anchors { .. } => said(
                format!("more than {MAX_ANCHORS} anchors or aliases in the YAML"),
                format!("YAML 的錨點或別名超過 {MAX_ANCHORS} 個"),
            ),
            _ => said(
                "the YAML is larger than a configuration can be",
                "YAML 超出設定檔可能的大小",
            ),
        }
        .help(
            "write the configuration out plainly",
            "請以一般寫法寫出設定",
        ),
        E::AliasReplayCounterOverflow { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. } => said(
            "aliases (`*name`) expand to too much data: refused as an alias bomb",
            "別名（`*名稱`）展開的資料過多：視為別名炸彈而拒絕",
        )
        .help(
            "write the values out instead of repeating aliases",
            "請直接寫出各值，不要重複使用別名",
        ),
        E::Message { msg, .. } => said(msg.clone(), format!("設定值錯誤：{msg}")),
        E::UnsupportedTag { .. } | E::TaggedStructFieldName { .. } => said(
            "YAML tags (`!tag`) are not used in the configuration",
            "設定檔不使用 YAML 標籤（`!tag`）",
        )
        .help("remove the tag", "請刪除標籤"),
        E::MergeKeyNotAllowed { .. } | E::MergeValueNotMapOrSeqOfMaps { .. } => said(
            "merge keys (`<<`) are not used in the configuration",
            "設定檔不使用合併鍵（`<<`）",
        ),
        _ => said("the YAML cannot be read here", "此處的 YAML 無法讀取")
            .help(SYNTAX_HELP_EN, SYNTAX_HELP_ZH),
    }
}

/// Parse an access configuration.
///
/// # Errors
/// When the YAML is malformed, a key is unknown, or a value has the wrong type.
pub fn parse(text: &str) -> Result<AccessConfig, ConfigError> {
    if text.trim().is_empty() {
        return Err(ConfigError {
            message: "the access configuration is empty".into(),
            message_zh: "設定檔是空的".into(),
            help: Some(
                "start from `niacheck init DIR`, or give at least `agency: {name: …}`".into(),
            ),
            help_zh: Some("請從 `niacheck init DIR` 開始，或至少寫出 `agency: {name: …}`".into()),
            span: None,
        });
    }
    from_yaml(text)
}

/// Parse YAML into `T` with niacheck's input limits and its error places
/// (shared by `access.yaml` and `waivers.yaml`).
///
/// # Errors
/// When the YAML is malformed, a key is unknown, or a value has the wrong type.
pub fn from_yaml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ConfigError> {
    serde_saphyr::from_str_with_options(text, options()).map_err(|err| {
        let span = err.location().and_then(|loc| {
            let span = loc.span();
            let start = usize::try_from(span.byte_offset()?).ok()?;
            let len = usize::try_from(span.byte_len().unwrap_or(0)).ok()?;
            let start = start.min(text.len());
            Some(Span::new(start, start.saturating_add(len).min(text.len())))
        });
        let value = span
            .and_then(|s| text.get(s.start..s.end))
            .map(|v| v.trim().trim_matches(['"', '\'']))
            .filter(|v| !v.is_empty() && v.chars().count() <= 40);
        let described = describe(&err, value);
        let (help, help_zh) = described
            .help
            .map_or((None, None), |(en, zh)| (Some(en), Some(zh)));
        ConfigError {
            message: described.en,
            message_zh: described.zh,
            help,
            help_zh,
            span,
        }
    })
}

/// Levenshtein distance over characters.
#[must_use]
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
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
                .min(previous.saturating_add(usize::from(ca != *cb)));
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
        assert_eq!(
            err.and_then(|e| e.help_zh.clone()).as_deref(),
            Some("是否為 `name`？")
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
            let err = parse(text).err();
            let err = err.as_ref();
            let words = err.map(|e| {
                let help = |h: &Option<String>| h.clone().unwrap_or_default();
                format!(
                    "{} {} {} {}",
                    e.message,
                    e.message_zh,
                    help(&e.help),
                    help(&e.help_zh)
                )
            });
            let words = words.unwrap_or_default();
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
