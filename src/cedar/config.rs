//! Cedar entities from the access configuration. Every entity remembers
//! where each of its fields came from in `access.yaml`, so a decision about
//! `users[2].certificate.expires_on` is reported at that value, and a
//! missing key at its parent mapping.
#![deny(clippy::arithmetic_side_effects)]

use std::collections::{BTreeMap, HashMap};

use cedar_policy::EntityUid;

use super::value::{Name, Node, Value};
use super::{Ask, Engine, EvalError};
use crate::calendar::{self, Calendar};
use crate::date::Date;
use crate::extract::citation::Laws;
use crate::extract::config::{AccessConfig, Field, Sp, UserStatus};
use crate::extract::reference::{Merged, Reference};
use crate::source::Span;

/// Where a config entity's fields are, for reporting.
#[derive(Debug, Clone, Default)]
pub struct Located {
    /// Its path (`users[2]`; `""` for the whole file).
    pub subject: String,
    /// The span of its mapping (or of the whole file).
    pub base: Span,
    /// Span of each field present, by path relative to the entity.
    pub fields: BTreeMap<String, Span>,
    /// Values for message placeholders (`{raise_deadline}`); the names of
    /// each action are listed in [`VARS`].
    pub vars: BTreeMap<&'static str, String>,
    /// Other places holding the same value as this entity's key (the other
    /// users with the same personnel number): `{other_lines}` in messages.
    pub same_as: Vec<Span>,
}

impl Located {
    /// The element `subject` at `base`, with its fields' spans and no
    /// placeholder values.
    fn at(subject: impl Into<String>, base: Span, fields: BTreeMap<String, Span>) -> Self {
        Self {
            subject: subject.into(),
            base,
            fields,
            vars: BTreeMap::new(),
            same_as: Vec::new(),
        }
    }

    /// The subject path and span of `field` (`certificate.expires_on`): the
    /// field's own span if present, else its nearest present parent's.
    #[must_use]
    pub fn locate(&self, field: Option<&str>) -> (String, Span) {
        let Some(field) = field.filter(|f| !f.is_empty()) else {
            return (self.subject.clone(), self.base);
        };
        let subject = if self.subject.is_empty() {
            field.to_owned()
        } else {
            format!("{}.{field}", self.subject)
        };
        let mut path = field;
        loop {
            if let Some(span) = self.fields.get(path) {
                return (subject, *span);
            }
            match path.rsplit_once('.') {
                Some((parent, _)) => path = parent,
                None => return (subject, self.base),
            }
        }
    }
}

/// The message placeholders that the entities of each action fill (their
/// [`Located::vars`]); policy messages are checked against it at start-up.
pub const VARS: &[(&str, &[&str])] = &[
    ("review-agency", MERGED_VARS),
    ("review-application", MERGED_VARS),
    (
        "review-user",
        &["report_deadline", "lost_on", "approved_on", "other_lines"],
    ),
    ("review-inquiry", &["raise_deadline", "document_deadline"]),
];

/// The placeholders of a body of a merged county: the county, its
/// successor, the day of the merger and the successor's government.
pub const MERGED_VARS: &[&str] = &["county", "successor", "merged_on", "successor_government"];

/// The placeholder values of a merged county (see [`MERGED_VARS`]).
#[must_use]
pub fn merged_vars(merged: &Merged) -> BTreeMap<&'static str, String> {
    BTreeMap::from([
        ("county", merged.county.clone()),
        ("successor", merged.successor.clone()),
        ("merged_on", merged.on.clone()),
        ("successor_government", merged.successor_government()),
    ])
}

/// Entities, requests and places of a configuration.
#[derive(Debug, Default)]
pub struct ConfigFacts {
    /// The entities.
    pub entities: Vec<Node>,
    /// Requests, each with the index of its [`Place`].
    pub asks: Vec<(Ask, usize)>,
    /// What each request is about.
    pub places: Vec<Place>,
}

fn s(text: impl Into<String>) -> Value {
    Value::String(text.into())
}

fn b(value: bool) -> Value {
    Value::Bool(value)
}

fn n(value: i64) -> Value {
    Value::Long(value)
}

fn chars(value: Option<&Sp<String>>) -> Value {
    let count = value.map_or(0, |v| {
        v.value().chars().filter(|c| c.is_alphanumeric()).count()
    });
    n(i64::try_from(count).unwrap_or(i64::MAX))
}

fn day(value: Option<&Sp<Date>>) -> Value {
    n(value.map_or(0, |d| d.value().day_number()))
}

/// Whether `text` names a law: one of data/laws.toml, or a name of two or
/// more characters ending in 法 or 條例 where the name ends (at the end, or
/// before 第, punctuation or a space), as in 檔案法第十五條; not 無法律依據.
fn names_a_law(text: &str, laws: &Laws) -> bool {
    if !laws.citations(text, 0).is_empty() {
        return true;
    }
    let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| {
        let before = chars.get(..i).unwrap_or(&[]);
        let ending = c == '法' || (c == '例' && before.last() == Some(&'條'));
        let name_len = before.iter().rev().take_while(|&&c| cjk(c)).count();
        let ends_here = chars
            .get(i.saturating_add(1))
            .is_none_or(|&next| next == '第' || !cjk(next));
        ending && name_len >= 2 && ends_here
    })
}

/// A closed value (`status: active`) as its Cedar enum entity
/// (`NIA::UserStatus::"active"`), named as the configuration spells it
/// (its serde name). The schema lists the members, so a value or a policy
/// literal outside them fails strict validation.
fn closed<T: serde::Serialize>(kind: &str, value: &T) -> Result<Value, EvalError> {
    // The members' names are static: each is made an entity once per
    // thread (a user's status is asked for every user).
    thread_local! {
        static MADE: std::cell::RefCell<Vec<(String, &'static str, Value)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    let Ok(name) = value.serialize(VariantName) else {
        // Not a plain member: its serde form, if it is a string.
        let name = serde_json::to_value(value)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .ok_or_else(|| EvalError(format!("`{kind}` value has no serde name")))?;
        return Ok(Value::entity(Engine::uid(kind, &name)?));
    };
    let made = MADE.with(|made| {
        made.borrow()
            .iter()
            .find(|(k, n, _)| k == kind && *n == name)
            .map(|(_, _, v)| v.clone())
    });
    if let Some(value) = made {
        return Ok(value);
    }
    let value = Value::entity(Engine::uid(kind, name)?);
    MADE.with(|made| {
        let mut made = made.borrow_mut();
        // The schema's enumerations have a few dozen members in all; a
        // bound keeps a stray caller from growing it.
        if made.len() < 256 {
            made.push((kind.to_owned(), name, value.clone()));
        }
    });
    Ok(value)
}

/// The serde name of a unit variant (a member of a closed value), read
/// without building its JSON: anything else is refused.
struct VariantName;

/// Not a unit variant.
#[derive(Debug)]
struct NotAName;

impl std::fmt::Display for NotAName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a unit variant")
    }
}

impl std::error::Error for NotAName {}

impl serde::ser::Error for NotAName {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Self
    }
}

/// The methods of [`VariantName`] that refuse their value.
macro_rules! refuse {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $arg),*) -> Result<Self::Ok, NotAName> {
            Err(NotAName)
        })*
    };
}

impl serde::Serializer for VariantName {
    type Ok = &'static str;
    type Error = NotAName;
    type SerializeSeq = serde::ser::Impossible<&'static str, NotAName>;
    type SerializeTuple = serde::ser::Impossible<&'static str, NotAName>;
    type SerializeTupleStruct = serde::ser::Impossible<&'static str, NotAName>;
    type SerializeTupleVariant = serde::ser::Impossible<&'static str, NotAName>;
    type SerializeMap = serde::ser::Impossible<&'static str, NotAName>;
    type SerializeStruct = serde::ser::Impossible<&'static str, NotAName>;
    type SerializeStructVariant = serde::ser::Impossible<&'static str, NotAName>;

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<&'static str, NotAName> {
        Ok(variant)
    }

    refuse!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
    );

    fn serialize_some<T: ?Sized + serde::Serialize>(self, _: &T) -> Result<Self::Ok, NotAName> {
        Err(NotAName)
    }

    fn serialize_newtype_struct<T: ?Sized + serde::Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<Self::Ok, NotAName> {
        Err(NotAName)
    }

    fn serialize_newtype_variant<T: ?Sized + serde::Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Self::Ok, NotAName> {
        Err(NotAName)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotAName> {
        Err(NotAName)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotAName> {
        Err(NotAName)
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NotAName> {
        Err(NotAName)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NotAName> {
        Err(NotAName)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotAName> {
        Err(NotAName)
    }

    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, NotAName> {
        Err(NotAName)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NotAName> {
        Err(NotAName)
    }
}

/// `attrs` with `(key, value)` added when there is a value (an optional
/// attribute of the schema, tested with `has` in the policies).
fn optional(
    mut attrs: Vec<(Name, Value)>,
    key: &'static str,
    value: Option<Value>,
) -> Vec<(Name, Value)> {
    if let Some(value) = value {
        attrs.push((Name::Borrowed(key), value));
    }
    attrs
}

/// An entity's attributes, with room for the two optional ones a call
/// may add ([`optional`]): one allocation, never grown.
fn attrs<const N: usize>(items: [(&'static str, Value); N]) -> Vec<(Name, Value)> {
    let mut attrs = Vec::with_capacity(N.saturating_add(2));
    attrs.extend(items.map(|(key, value)| (Name::Borrowed(key), value)));
    attrs
}

/// A configuration element a request is about, to locate its findings:
/// its place in `access.yaml` is worked out only for a request that has
/// a finding ([`locate`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// `agency`.
    Agency,
    /// `application`.
    Application,
    /// `workstation`.
    Workstation,
    /// `users[i]`.
    User(usize),
    /// `users[i].functions[j]`.
    Grant(usize, usize),
    /// `inquiries[i]`.
    Inquiry(usize),
    /// `data_requests[i]`.
    DataRequest(usize),
    /// `protected_person_access[i]`.
    ProtectedGrant(usize),
}

struct Builder {
    facts: ConfigFacts,
    submission: EntityUid,
}

impl Builder {
    fn add(
        &mut self,
        kind: &str,
        id: &str,
        action: &'static str,
        attrs: Vec<(Name, Value)>,
        place: Place,
    ) -> Result<EntityUid, EvalError> {
        let uid = Engine::uid(kind, id)?;
        self.facts
            .entities
            .push(Node::new(uid.clone(), attrs, Some(self.submission.clone())));
        self.ask(&uid, action, place);
        Ok(uid)
    }

    /// A request about the entity `uid` (just added, or added before with
    /// the same attributes) for the element at `place`.
    fn ask(&mut self, uid: &EntityUid, action: &'static str, place: Place) {
        let index = self.facts.places.len();
        self.facts.places.push(place);
        self.facts.asks.push((
            Ask {
                principal: self.submission.clone(),
                action,
                resource: uid.clone(),
            },
            index,
        ));
    }
}

fn deadline(calendar: &Calendar, id: &str, start: Option<&Sp<Date>>) -> i64 {
    start
        .and_then(|d| calendar.deadline(id, *d.value()))
        .unwrap_or(0)
}

/// Record where `path` is: its value's span, or its `null`'s.
fn field<T>(fields: &mut BTreeMap<String, Span>, path: &str, value: &Field<T>) {
    if let Some(span) = value.place() {
        fields.insert(path.to_owned(), span);
    }
}

fn show(day: i64) -> String {
    Date::from_day_number(day)
        .map(|d| d.to_string())
        .unwrap_or_default()
}

/// Build the entities and requests of a configuration.
///
/// # Errors
/// When the facts do not fit the schema: a defect.
pub fn build(
    config: &AccessConfig,
    submission: &EntityUid,
    reference: &Reference,
    calendar: &Calendar,
    laws: &Laws,
) -> Result<ConfigFacts, EvalError> {
    // About one entity and one request per element, and one per user's
    // grant: room for them at once (the vectors of large elements would
    // otherwise be copied as they grow).
    let elements = config
        .users
        .len()
        .saturating_add(config.inquiries.len())
        .saturating_add(config.data_requests.len())
        .saturating_add(config.protected_person_access.len())
        .saturating_add(4);
    let requests =
        elements.saturating_add(config.users.iter().map(|u| u.value().functions.len()).sum());
    let mut builder = Builder {
        facts: ConfigFacts {
            entities: Vec::with_capacity(elements),
            asks: Vec::with_capacity(requests),
            places: Vec::with_capacity(requests),
        },
        submission: submission.clone(),
    };

    // The agency.
    let agency = config.agency.value();
    let legal_basis = agency.legal_basis.as_ref();
    let names_law = legal_basis.is_some_and(|l| names_a_law(l.value(), laws));
    let tier = agency
        .tier
        .as_ref()
        .map(|t| closed("Tier", t.value()))
        .transpose()?;
    let name_merged = reference.merged_body(agency.name.value());
    builder.add(
        "Agency",
        "agency",
        "review-agency",
        optional(
            attrs([
                ("legal_basis_chars", chars(legal_basis)),
                ("legal_basis_names_law", b(names_law)),
                ("name_merged", b(name_merged.is_some())),
            ]),
            "tier",
            tier.clone(),
        ),
        Place::Agency,
    )?;

    // The application, seen from the agency's tier.
    let application = config.application.as_ref().map(Sp::value);
    let functions: Vec<&String> = application
        .map(|app| app.functions.iter().map(Sp::value).collect())
        .unwrap_or_default();
    let forwarded_by = application.and_then(|a| a.forwarded_by.as_ref());
    let forwarder_merged = forwarded_by.and_then(|f| reference.merged_body(f.value()));
    let approved_on = application.and_then(|a| a.approved_on.as_ref());
    let application_uid = builder.add(
        "Application",
        "application",
        "review-application",
        optional(
            optional(
                attrs([
                    ("filed", b(application.is_some())),
                    (
                        "form",
                        s(application
                            .and_then(|a| a.form.as_ref())
                            .map(|f| f.value().clone())
                            .unwrap_or_default()),
                    ),
                    ("functions", Value::strings(functions)),
                    ("forwarded_by_chars", chars(forwarded_by)),
                    ("forwarder_merged", b(forwarder_merged.is_some())),
                    ("has_approval", b(approved_on.is_some())),
                    ("approved_on", day(approved_on)),
                    (
                        "notice_ref_chars",
                        chars(application.and_then(|a| a.notice_ref.as_ref())),
                    ),
                ]),
                "agency_tier",
                tier,
            ),
            "forwarder_channel",
            forwarded_by
                .map(|f| closed("Channel", &reference.channel(f.value())))
                .transpose()?,
        ),
        Place::Application,
    )?;

    let application_ref = Value::entity(application_uid);

    // The workstation.
    let workstation = config.workstation.as_ref().map(Sp::value);
    let idle = workstation.and_then(|w| w.idle_lock_minutes.as_ref());
    builder.add(
        "Workstation",
        "workstation",
        "review-workstation",
        attrs([
            ("configured", b(workstation.is_some())),
            ("has_idle_lock", b(idle.is_some())),
            (
                "idle_lock_minutes",
                n(idle.map_or(0, |m| i64::from(*m.value()))),
            ),
            (
                "remove_card_on_leave",
                b(workstation
                    .and_then(|w| w.remove_card_on_leave.as_ref())
                    .is_some_and(|r| *r.value())),
            ),
        ]),
        Place::Workstation,
    )?;

    // Users.
    let mut id_counts: foldhash::HashMap<&str, i64> =
        foldhash::HashMap::with_capacity_and_hasher(config.users.len(), Default::default());
    for user in &config.users {
        if let Some(id) = user.value().personnel_id.as_ref() {
            let count = id_counts.entry(id.value().trim()).or_default();
            *count = count.saturating_add(1);
        }
    }
    for (i, spanned) in config.users.iter().enumerate() {
        let user = spanned.value();
        let certificate = user.certificate.as_ref().map(Sp::value);
        let termination = user.termination.as_ref().map(Sp::value);
        let lost_on = certificate.and_then(|c| c.lost_on.as_ref());
        let report_deadline = deadline(calendar, calendar::LOST_CERTIFICATE, lost_on);
        let personnel_id = user
            .personnel_id
            .as_ref()
            .filter(|p| !p.value().trim().is_empty());
        builder.add(
            "User",
            &i.to_string(),
            "review-user",
            optional(
                optional(
                    attrs([
                        ("application", application_ref.clone()),
                        (
                            "status",
                            closed(
                                "UserStatus",
                                user.status.as_ref().map_or(&UserStatus::Active, Sp::value),
                            )?,
                        ),
                        ("has_personnel_id", b(personnel_id.is_some())),
                        (
                            "personnel_id_count",
                            n(personnel_id.map_or(0, |p| {
                                id_counts.get(p.value().trim()).copied().unwrap_or(0)
                            })),
                        ),
                        (
                            "functions",
                            Value::strings(user.functions.iter().map(Sp::value)),
                        ),
                        ("business_need_chars", chars(user.business_need.as_ref())),
                        (
                            "card_reader",
                            b(user.card_reader.as_ref().is_some_and(|c| *c.value())),
                        ),
                        ("has_certificate", b(certificate.is_some())),
                        (
                            "has_serial",
                            b(certificate
                                .and_then(|c| c.serial.as_ref())
                                .is_some_and(|s| !s.value().trim().is_empty())),
                        ),
                        (
                            "has_expiry",
                            b(certificate.and_then(|c| c.expires_on.as_ref()).is_some()),
                        ),
                        (
                            "expires_on",
                            day(certificate.and_then(|c| c.expires_on.as_ref())),
                        ),
                        ("has_lost_on", b(lost_on.is_some())),
                        ("lost_on", day(lost_on)),
                        (
                            "has_reported_on",
                            b(certificate.and_then(|c| c.reported_on.as_ref()).is_some()),
                        ),
                        (
                            "reported_on",
                            day(certificate.and_then(|c| c.reported_on.as_ref())),
                        ),
                        ("report_deadline", n(report_deadline)),
                        ("has_active_since", b(user.active_since.is_some())),
                        ("active_since", day(user.active_since.as_ref())),
                        ("has_termination", b(termination.is_some())),
                        (
                            "has_channel",
                            b(termination.and_then(|t| t.channel.as_ref()).is_some()),
                        ),
                        (
                            "has_notified_on",
                            b(termination.and_then(|t| t.notified_on.as_ref()).is_some()),
                        ),
                        (
                            "has_account_ended_on",
                            b(termination
                                .and_then(|t| t.account_ended_on.as_ref())
                                .is_some()),
                        ),
                        (
                            "account_ended_on",
                            day(termination.and_then(|t| t.account_ended_on.as_ref())),
                        ),
                        ("has_status_changed_on", b(user.status_changed_on.is_some())),
                        ("status_changed_on", day(user.status_changed_on.as_ref())),
                    ]),
                    "login",
                    user.login
                        .as_ref()
                        .map(|l| closed("Login", l.value()))
                        .transpose()?,
                ),
                "certificate_status",
                certificate
                    .and_then(|c| c.status.as_ref())
                    .map(|st| closed("CertificateStatus", st.value()))
                    .transpose()?,
            ),
            Place::User(i),
        )?;
    }

    // Each function granted to each user, so a function beyond the
    // application is reported at its own place. A grant's attributes are
    // the application and the function alone, so the grants of one
    // function are one entity, asked about once for each place (the
    // engine decides a repeated request once).
    let mut grants: foldhash::HashMap<&str, EntityUid> = foldhash::HashMap::default();
    for (i, spanned) in config.users.iter().enumerate() {
        for (j, function) in spanned.value().functions.iter().enumerate() {
            let place = Place::Grant(i, j);
            if let Some(uid) = grants.get(function.value().as_str()) {
                builder.ask(uid, "review-grant", place);
                continue;
            }
            let uid = builder.add(
                "Grant",
                &format!("{i}.{j}"),
                "review-grant",
                attrs([
                    ("application", application_ref.clone()),
                    ("function", s(function.value().clone())),
                ]),
                place,
            )?;
            grants.insert(function.value(), uid);
        }
    }

    // Inquiries.
    for (i, spanned) in config.inquiries.iter().enumerate() {
        let inquiry = spanned.value();
        let raise_deadline = deadline(
            calendar,
            calendar::INQUIRY,
            inquiry.data_obtained_on.as_ref(),
        );
        let document_deadline =
            deadline(calendar, calendar::FAX_DOCUMENT, inquiry.faxed_on.as_ref());
        builder.add(
            "Inquiry",
            &i.to_string(),
            "review-inquiry",
            attrs([
                ("kind", closed("InquiryKind", inquiry.kind.value())?),
                (
                    "has_data_obtained_on",
                    b(inquiry.data_obtained_on.is_some()),
                ),
                ("has_raised_on", b(inquiry.raised_on.is_some())),
                ("raised_on", day(inquiry.raised_on.as_ref())),
                ("raise_deadline", n(raise_deadline)),
                (
                    "form",
                    s(inquiry
                        .form
                        .as_ref()
                        .map(|f| f.value().clone())
                        .unwrap_or_default()),
                ),
                ("has_faxed_on", b(inquiry.faxed_on.is_some())),
                (
                    "has_document_sent_on",
                    b(inquiry.document_sent_on.is_some()),
                ),
                ("document_sent_on", day(inquiry.document_sent_on.as_ref())),
                ("document_deadline", n(document_deadline)),
            ]),
            Place::Inquiry(i),
        )?;
    }

    // Other data requests.
    for (i, spanned) in config.data_requests.iter().enumerate() {
        let request = spanned.value();
        builder.add(
            "DataRequest",
            &i.to_string(),
            "review-data-request",
            attrs([
                ("document_ref_chars", chars(request.document_ref.as_ref())),
                ("legal_basis_chars", chars(request.legal_basis.as_ref())),
                ("purpose_chars", chars(request.purpose.as_ref())),
                ("data_chars", chars(request.data.as_ref())),
                ("has_approval", b(request.approved_on.is_some())),
            ]),
            Place::DataRequest(i),
        )?;
    }

    // Grants touching important and specific persons.
    for i in 0..config.protected_person_access.len() {
        builder.add(
            "ProtectedGrant",
            &i.to_string(),
            "review-protected-grant",
            Vec::new(),
            Place::ProtectedGrant(i),
        )?;
    }
    Ok(builder.facts)
}

/// The users of a configuration by their personnel number (trimmed), with
/// their index and the number's span: built once per submission, the first
/// time a finding needs the other users with a user's number, so that a
/// configuration where every user fails is not searched once per user.
#[derive(Debug, Default)]
pub struct Personnel(HashMap<String, Vec<(usize, Span)>>);

impl Personnel {
    /// The index of `config`'s users.
    #[must_use]
    pub fn of(config: &AccessConfig) -> Self {
        let mut map: HashMap<String, Vec<(usize, Span)>> = HashMap::new();
        for (i, user) in config.users.iter().enumerate() {
            if let Some(p) = user.value().personnel_id.as_ref() {
                let id = p.value().trim();
                if !id.is_empty() {
                    map.entry(id.to_owned()).or_default().push((i, p.span()));
                }
            }
        }
        Self(map)
    }

    /// The spans of the other users' numbers equal to `id`, user `i` apart.
    fn others(&self, id: &str, i: usize) -> Vec<Span> {
        self.0
            .get(id.trim())
            .map(|list| {
                list.iter()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, s)| *s)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Where the element at `place` lies in `access.yaml` (`whole_file`: the
/// span of the whole file, for a missing top-level key), with the
/// placeholder values of its messages; `None` for a place the
/// configuration does not have.
#[must_use]
pub fn locate<'a>(
    config: &AccessConfig,
    whole_file: Span,
    place: Place,
    reference: &Reference,
    calendar: &Calendar,
    personnel: &dyn Fn() -> &'a Personnel,
) -> Option<Located> {
    let approved_on = config
        .application
        .as_ref()
        .and_then(|a| a.value().approved_on.as_ref());
    let mut fields = BTreeMap::new();
    Some(match place {
        Place::Agency => {
            let agency = config.agency.value();
            fields.insert("name".to_owned(), agency.name.span());
            field(&mut fields, "tier", &agency.tier);
            field(&mut fields, "legal_basis", &agency.legal_basis);
            Located {
                subject: "agency".into(),
                base: config.agency.span(),
                fields,
                vars: reference
                    .merged_body(agency.name.value())
                    .map(merged_vars)
                    .unwrap_or_default(),
                same_as: Vec::new(),
            }
        }
        Place::Application => {
            let application = config.application.as_ref().map(Sp::value);
            if let Some(app) = application {
                field(&mut fields, "form", &app.form);
                field(&mut fields, "forwarded_by", &app.forwarded_by);
                field(&mut fields, "approved_on", &app.approved_on);
                field(&mut fields, "notice_ref", &app.notice_ref);
                if let Some(first) = app.functions.first() {
                    fields.insert("functions".into(), first.span());
                }
            }
            Located {
                subject: "application".into(),
                // A missing top-level key points at the start of the file.
                base: config.application.place().unwrap_or(whole_file),
                fields,
                vars: application
                    .and_then(|a| a.forwarded_by.as_ref())
                    .and_then(|f| reference.merged_body(f.value()))
                    .map(merged_vars)
                    .unwrap_or_default(),
                same_as: Vec::new(),
            }
        }
        Place::Workstation => {
            if let Some(w) = config.workstation.as_ref().map(Sp::value) {
                field(&mut fields, "idle_lock_minutes", &w.idle_lock_minutes);
                field(&mut fields, "remove_card_on_leave", &w.remove_card_on_leave);
            }
            Located::at(
                "workstation",
                config.workstation.place().unwrap_or(whole_file),
                fields,
            )
        }
        Place::User(i) => {
            let spanned = config.users.get(i)?;
            let user = spanned.value();
            let certificate = user.certificate.as_ref().map(Sp::value);
            let termination = user.termination.as_ref().map(Sp::value);
            field(&mut fields, "personnel_id", &user.personnel_id);
            field(&mut fields, "business_need", &user.business_need);
            field(&mut fields, "card_reader", &user.card_reader);
            field(&mut fields, "login", &user.login);
            field(&mut fields, "certificate", &user.certificate);
            field(&mut fields, "status", &user.status);
            field(&mut fields, "termination", &user.termination);
            field(&mut fields, "active_since", &user.active_since);
            for (j, f) in user.functions.iter().enumerate() {
                fields.insert(format!("functions[{j}]"), f.span());
            }
            if let Some(first) = user.functions.first() {
                fields.insert("functions".into(), first.span());
            }
            if let Some(c) = certificate {
                field(&mut fields, "certificate.serial", &c.serial);
                field(&mut fields, "certificate.expires_on", &c.expires_on);
                field(&mut fields, "certificate.status", &c.status);
                field(&mut fields, "certificate.lost_on", &c.lost_on);
                field(&mut fields, "certificate.reported_on", &c.reported_on);
            }
            if let Some(t) = termination {
                field(&mut fields, "termination.channel", &t.channel);
                field(&mut fields, "termination.notified_on", &t.notified_on);
                field(
                    &mut fields,
                    "termination.account_ended_on",
                    &t.account_ended_on,
                );
            }
            let lost_on = certificate.and_then(|c| c.lost_on.as_ref());
            let mut vars = BTreeMap::new();
            vars.insert(
                "report_deadline",
                show(deadline(calendar, calendar::LOST_CERTIFICATE, lost_on)),
            );
            vars.insert(
                "lost_on",
                lost_on.map(|d| d.value().to_string()).unwrap_or_default(),
            );
            vars.insert(
                "approved_on",
                approved_on
                    .map(|d| d.value().to_string())
                    .unwrap_or_default(),
            );
            let personnel_id = user
                .personnel_id
                .as_ref()
                .filter(|p| !p.value().trim().is_empty());
            Located {
                subject: format!("users[{i}]"),
                base: spanned.span(),
                fields,
                vars,
                same_as: personnel_id
                    .map(|p| personnel().others(p.value(), i))
                    .unwrap_or_default(),
            }
        }
        Place::Grant(i, j) => Located::at(
            format!("users[{i}].functions[{j}]"),
            config.users.get(i)?.value().functions.get(j)?.span(),
            fields,
        ),
        Place::Inquiry(i) => {
            let spanned = config.inquiries.get(i)?;
            let inquiry = spanned.value();
            fields.insert("kind".to_owned(), inquiry.kind.span());
            field(&mut fields, "data_obtained_on", &inquiry.data_obtained_on);
            field(&mut fields, "raised_on", &inquiry.raised_on);
            field(&mut fields, "form", &inquiry.form);
            field(&mut fields, "faxed_on", &inquiry.faxed_on);
            field(&mut fields, "document_sent_on", &inquiry.document_sent_on);
            let raise = deadline(
                calendar,
                calendar::INQUIRY,
                inquiry.data_obtained_on.as_ref(),
            );
            let document = deadline(calendar, calendar::FAX_DOCUMENT, inquiry.faxed_on.as_ref());
            Located {
                subject: format!("inquiries[{i}]"),
                base: spanned.span(),
                fields,
                vars: BTreeMap::from([
                    ("raise_deadline", show(raise)),
                    ("document_deadline", show(document)),
                ]),
                same_as: Vec::new(),
            }
        }
        Place::DataRequest(i) => {
            let spanned = config.data_requests.get(i)?;
            let request = spanned.value();
            field(&mut fields, "document_ref", &request.document_ref);
            field(&mut fields, "legal_basis", &request.legal_basis);
            field(&mut fields, "purpose", &request.purpose);
            field(&mut fields, "data", &request.data);
            field(&mut fields, "approved_on", &request.approved_on);
            Located::at(format!("data_requests[{i}]"), spanned.span(), fields)
        }
        Place::ProtectedGrant(i) => Located::at(
            format!("protected_person_access[{i}]"),
            config.protected_person_access.get(i)?.span(),
            fields,
        ),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]

    use serde::Serialize;

    use super::{VariantName, closed};
    use crate::cedar::Engine;
    use crate::cedar::value::Value;
    use crate::extract::config::{CertificateStatus, InquiryKind, Login, Tier, UserStatus};

    /// Every member's name read without JSON is its JSON name, and its
    /// entity is the one its JSON name makes, the first time and after.
    fn same<T: Serialize>(kind: &str, members: &[T]) {
        for member in members {
            let json = serde_json::to_value(member).unwrap();
            let name = json.as_str().unwrap();
            assert_eq!(member.serialize(VariantName).ok(), Some(name));
            let expected = Value::entity(Engine::uid(kind, name).unwrap());
            assert_eq!(closed(kind, member).unwrap(), expected);
            assert_eq!(closed(kind, member).unwrap(), expected);
        }
    }

    #[test]
    fn closed_values_are_named_as_serde_names_them() {
        use CertificateStatus as C;
        use Tier as T;
        use UserStatus as U;
        same(
            "Tier",
            &[
                T::PresidentialOffice,
                T::Yuan,
                T::Ministry,
                T::MinistrySubordinate,
                T::Municipal,
                T::CountyCity,
                T::MunicipalSubordinate,
                T::CountyCitySubordinate,
            ],
        );
        same(
            "UserStatus",
            &[
                U::Active,
                U::DutyChange,
                U::Transferred,
                U::Suspended,
                U::Resigned,
                U::Retired,
            ],
        );
        same(
            "Login",
            &[Login::CitizenCertificate, Login::Password, Login::Other],
        );
        same("CertificateStatus", &[C::Valid, C::Lost, C::Revoked]);
        same(
            "InquiryKind",
            &[InquiryKind::DataDoubt, InquiryKind::OutageQuery],
        );
        // Anything but a unit variant is refused, and read through JSON:
        // a forwarding channel is a name of the reference data.
        assert!("central".serialize(VariantName).is_err());
        assert!(Some(Tier::Yuan).serialize(VariantName).is_err());
        assert_eq!(
            closed("Channel", &"central").unwrap(),
            Value::entity(Engine::uid("Channel", "central").unwrap())
        );
    }
}
