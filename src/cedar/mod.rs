//! The Cedar side: the schema, the policy set of each regulation version,
//! and evaluation. Policies are validated in strict mode when the engine is
//! built; an evaluation error is an internal error, never "no finding".

pub mod access;
pub mod cache;
pub mod config;
pub mod entities;
pub mod reads;
pub mod tree;
pub mod value;

use std::collections::BTreeMap;
use std::collections::hash_map::Entry;
use std::str::FromStr;
use std::sync::OnceLock;

use cedar_policy::{
    ActionConstraint, Authorizer, Context, Entities, EntityId, EntityTypeName, EntityUid, Policy,
    PolicyId, PolicySet, Request, Schema, ValidationMode, Validator,
};

use crate::catalog::{self, Catalog, Severity, Version};
use crate::embedded;

/// The namespace of every niacheck entity type and action.
pub const NAMESPACE: &str = "NIA";

/// What a policy says about itself, from its annotations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyMeta {
    /// Stable id: `requirement/local-id`.
    pub id: String,
    /// The requirement it enforces.
    pub requirement: String,
    /// Its citation in the version it belongs to.
    pub cite: String,
    /// Severity of its findings.
    pub severity: Severity,
    /// The document part whose evidence locates its findings.
    pub evidence: Option<String>,
    /// The configuration field, relative to the resource, that its findings concern.
    pub subject: Option<String>,
    /// The message template it uses, when it has no message of its own.
    pub gap: Option<String>,
    /// Its own message and help, in Traditional Chinese and English.
    pub message_zh: Option<String>,
    /// English message.
    pub message_en: Option<String>,
    /// Traditional Chinese help.
    pub help_zh: Option<String>,
    /// English help.
    pub help_en: Option<String>,
    /// The usage-log column its findings point at (`@column("time")`).
    pub column: Option<String>,
    /// The message placeholder whose value safely replaces the finding's
    /// span (`@fix("replacement")`), for `check --fix`.
    pub fix: Option<String>,
    /// The action it applies to (`review-user`).
    pub action: String,
    /// Order of the policy in the version's set, for stable output.
    pub order: usize,
}

/// An error building the engine: a defect of the embedded policies.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The schema does not parse.
    #[error("the Cedar schema does not parse: {0}")]
    Schema(String),
    /// A policy file does not parse or lacks an annotation.
    #[error("policy file `policies/{file}`: {message}")]
    Policy {
        /// `requirement/file.cedar`
        file: String,
        /// What is wrong.
        message: String,
    },
    /// Strict validation failed.
    #[error("policies fail strict validation:\n{errors}")]
    Validation {
        /// The validator's messages, one per line.
        errors: String,
    },
}

/// An error while evaluating: a defect, reported as an internal error.
#[derive(Debug, Clone, thiserror::Error)]
#[error("internal error: {0}")]
pub struct EvalError(pub String);

/// The policies of one version, split by the action they apply to.
#[derive(Debug)]
struct VersionSet {
    by_action: BTreeMap<String, PolicySet>,
    /// What the policies of each action read of a request (the cache key).
    reads: BTreeMap<String, cache::Reads>,
    /// By id (foldhash: a lookup per denying policy of every request).
    meta: foldhash::HashMap<PolicyId, PolicyMeta>,
    /// Requirements with at least one policy in this version.
    enforced: Vec<String>,
}

/// The parsed policy files a version is loaded from, with the catalogue
/// that says which belong to it.
#[derive(Debug)]
struct Source {
    catalog: Catalog,
    parsed: foldhash::HashMap<(&'static str, &'static str), Parsed>,
}

/// The Cedar engine: schema and both versions' policies.
#[derive(Debug)]
pub struct Engine {
    /// The schema's text, parsed on first use: the embedded policies were
    /// validated against it when the binary was built, so a check needs it
    /// only to check a request or entity that is not correct by
    /// construction (the usage log, debug builds).
    schema_text: String,
    schema: std::sync::OnceLock<Schema>,
    /// Each version's policies, loaded on first use: a check asks for one
    /// version, and loading one was a tenth of a single check.
    versions: Vec<(Version, OnceLock<Result<VersionSet, String>>)>,
    /// What an embedded engine loads a version from.
    source: Option<Source>,
    authorizer: Authorizer,
    cache: cache::Cache,
}

/// One request: who, which action, on what.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ask {
    /// The principal.
    pub principal: EntityUid,
    /// The action's id (`review-document`).
    pub action: &'static str,
    /// The resource.
    pub resource: EntityUid,
}

/// A policy file parsed, and its policies' annotations and reads when
/// `build.rs` wrote them beside it (the embedded files).
#[derive(Debug)]
struct Parsed {
    /// Its policies, in text order.
    policies: Vec<Policy>,
    annotations: Option<&'static [&'static [(&'static str, &'static str)]]>,
    /// What each policy reads of a request, as `build.rs` read it.
    reads: Option<&'static [reads::StaticReads]>,
}

/// The policies of a set parsed from a text, in text order: the parser
/// names them `policy0`, `policy1`, ….
fn in_text_order(set: &PolicySet) -> Result<Vec<Policy>, String> {
    let mut numbered = Vec::new();
    for policy in set.policies() {
        let index: usize = policy
            .id()
            .to_string()
            .strip_prefix("policy")
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| format!("unexpected policy id `{}`", policy.id()))?;
        numbered.push((index, policy.clone()));
    }
    numbered.sort_unstable_by_key(|(index, _)| *index);
    Ok(numbered.into_iter().map(|(_, policy)| policy).collect())
}

/// A policy's annotations, read once: `Policy::annotation` parses its key
/// at every call, which made reading them a third of the start-up.
struct Annotations<'a>(foldhash::HashMap<&'a str, &'a str>);

impl<'a> Annotations<'a> {
    fn of(policy: &'a Policy) -> Self {
        Self(policy.annotations().collect())
    }

    fn get(&self, key: &str) -> Option<&'a str> {
        self.0.get(key).copied()
    }

    fn required(&self, key: &str, file: &str) -> Result<&'a str, EngineError> {
        self.get(key).ok_or_else(|| EngineError::Policy {
            file: file.to_owned(),
            message: format!("a policy lacks `@{key}`"),
        })
    }
}

impl Engine {
    /// Build the engine from the embedded schema and policies, validating
    /// every version's policies in strict mode.
    ///
    /// # Errors
    /// When the schema or a policy is invalid.
    pub fn new(catalog: &Catalog) -> Result<Self, EngineError> {
        // The embedded policies were validated strictly by build.rs and are
        // built from the code of their trees it wrote without their
        // annotations, which come beside it: no validation here.
        let mut parsed = foldhash::HashMap::default();
        // Building them is much of the engine's start-up: half on another
        // thread.
        let read = |files: &'static [embedded::Compiled]| -> Result<Vec<_>, EngineError> {
            let mut decoder = tree::Decoder::default();
            let mut out = Vec::new();
            for &(dir, name, code, annotations, policy_reads) in files {
                let at = |message: String| EngineError::Policy {
                    file: format!("{dir}/{name}"),
                    message,
                };
                let mut policies = Vec::new();
                for one in decoder.policies(code).map_err(at)? {
                    policies.push(Policy::from_pst(one).map_err(|e| at(e.to_string()))?);
                }
                if policies.len() != annotations.len() {
                    return Err(at(format!(
                        "{} policies, {} annotation lists",
                        policies.len(),
                        annotations.len()
                    )));
                }
                out.push((
                    (dir, name),
                    Parsed {
                        policies,
                        annotations: Some(annotations),
                        reads: Some(policy_reads),
                    },
                ));
            }
            Ok(out)
        };
        let files = embedded::POLICY_COMPILED;
        // The two halves by length of code, not by count of files.
        let total: usize = files.iter().map(|f| f.2.len()).sum();
        let mut sum = 0;
        let half = files
            .iter()
            .position(|f| {
                sum += f.2.len();
                sum * 2 >= total
            })
            .map_or(0, |i| i + 1);
        let (first, second) = files.split_at(half);
        // The authorizer (its extensions: 2 M instructions) is made on the
        // other thread too.
        let (first, (second, authorizer)) = std::thread::scope(|scope| {
            let second = scope.spawn(|| (read(second), Authorizer::new()));
            let first = read(first);
            let second = second.join().unwrap_or_else(|_| {
                (
                    Err(EngineError::Policy {
                        file: "*".to_owned(),
                        message: "reading the compiled policies failed".to_owned(),
                    }),
                    Authorizer::new(),
                )
            });
            (first, second)
        });
        parsed.extend(first?);
        parsed.extend(second?);
        Ok(Self {
            schema_text: embedded::CEDAR_SCHEMA.to_owned(),
            schema: std::sync::OnceLock::new(),
            versions: Version::ALL.map(|v| (v, OnceLock::new())).into(),
            source: Some(Source {
                catalog: catalog.clone(),
                parsed,
            }),
            authorizer,
            cache: cache::Cache::default(),
        })
    }

    /// Build an engine from a schema and policy files other than the
    /// embedded ones (tests of the engine itself).
    ///
    /// # Errors
    /// When the schema or a policy is invalid.
    pub fn with_policies(
        catalog: &Catalog,
        schema_text: &str,
        files: catalog::PolicyFiles<'_>,
    ) -> Result<Self, EngineError> {
        let (schema, _warnings) = Schema::from_cedarschema_str(schema_text)
            .map_err(|e| EngineError::Schema(e.to_string()))?;
        // Each file is parsed once, though a `policy.cedar` serves both
        // versions, and each policy is validated once, in one set holding
        // every distinct policy of both versions (a shared policy has the
        // same id and text in both).
        let mut parsed = foldhash::HashMap::default();
        let mut distinct = PolicySet::new();
        for version in Version::ALL {
            for requirement in catalog.requirements() {
                for (file_name, text) in catalog::policy_files(files, &requirement.name, version) {
                    let Entry::Vacant(e) = parsed.entry((requirement.name.as_str(), file_name))
                    else {
                        continue;
                    };
                    let file = format!("{}/{file_name}", requirement.name);
                    let at = |message: String| EngineError::Policy {
                        file: file.clone(),
                        message,
                    };
                    let set = PolicySet::from_str(text).map_err(|e| at(e.to_string()))?;
                    // Validated once per file, under an id of its own.
                    for (i, policy) in set.policies().enumerate() {
                        distinct
                            .add(policy.new_id(PolicyId::new(format!("{file}#{i}"))))
                            .map_err(|e| at(e.to_string()))?;
                    }
                    e.insert(Parsed {
                        policies: in_text_order(&set).map_err(at)?,
                        annotations: None,
                        reads: None,
                    });
                }
            }
        }
        let mut versions = Vec::new();
        for version in Version::ALL {
            let set = Self::load_version(catalog, files, version, &parsed)?;
            versions.push((version, OnceLock::from(Ok(set))));
        }
        let validation = Validator::new(schema.clone()).validate(&distinct, ValidationMode::Strict);
        if !validation.validation_passed() {
            let errors: Vec<String> = validation
                .validation_errors()
                .map(ToString::to_string)
                .collect();
            return Err(EngineError::Validation {
                errors: errors.join("\n"),
            });
        }
        Ok(Self {
            schema_text: schema_text.to_owned(),
            schema: std::sync::OnceLock::from(schema),
            versions,
            source: None,
            authorizer: Authorizer::new(),
            cache: cache::Cache::default(),
        })
    }

    fn load_version<'f>(
        catalog: &'f Catalog,
        files: catalog::PolicyFiles<'f>,
        version: Version,
        parsed: &foldhash::HashMap<(&'f str, &'f str), Parsed>,
    ) -> Result<VersionSet, EngineError> {
        let mut meta = foldhash::HashMap::default();
        let mut enforced = Vec::new();
        let mut by_action: BTreeMap<String, PolicySet> = BTreeMap::new();
        // What each action's policies read, merged from what `build.rs`
        // read of each policy; `None` once a policy comes without it (then
        // read here from the sets).
        let mut merged: Option<BTreeMap<String, cache::Reads>> = Some(BTreeMap::new());
        let mut order = 0;
        for requirement in catalog.requirements() {
            let mut any = false;
            for (file_name, _) in catalog::policy_files(files, &requirement.name, version) {
                let file = format!("{}/{file_name}", requirement.name);
                let Some(parsed) = parsed.get(&(requirement.name.as_str(), file_name)) else {
                    return Err(EngineError::Policy {
                        file,
                        message: "not among the parsed policy files".to_owned(),
                    });
                };
                for (index, policy) in parsed.policies.iter().enumerate() {
                    let annotations = match parsed.annotations {
                        Some(list) => Annotations(
                            list.get(index)
                                .ok_or_else(|| EngineError::Policy {
                                    file: file.clone(),
                                    message: format!("policy{index} has no annotations"),
                                })?
                                .iter()
                                .copied()
                                .collect(),
                        ),
                        None => Annotations::of(policy),
                    };
                    let required = |key: &str| annotations.required(key, &file);
                    let local = required("id")?;
                    let named = required("requirement")?;
                    if named != requirement.name {
                        return Err(EngineError::Policy {
                            file,
                            message: format!("policy `{local}` names requirement `{named}`"),
                        });
                    }
                    let severity_text = required("severity")?;
                    let severity =
                        Severity::parse(severity_text).ok_or_else(|| EngineError::Policy {
                            file: file.clone(),
                            message: format!(
                                "policy `{local}` has unknown severity `{severity_text}`"
                            ),
                        })?;
                    // A policy shared by both versions (policy.cedar) may
                    // cite each differently: `@cite_previous("6.9")` beside
                    // `@cite("6.10")`; the catalogue must agree.
                    let cite_key = format!("cite_{}", version.as_str());
                    let cite = match annotations.get(&cite_key) {
                        Some(cite) => cite,
                        None => required("cite")?,
                    };
                    if Some(cite) != requirement.cite(version) {
                        return Err(EngineError::Policy {
                            file,
                            message: format!(
                                "policy `{local}` cites `{cite}`, the catalogue says `{}` for `{version}`",
                                requirement.cite(version).unwrap_or("-")
                            ),
                        });
                    }
                    let action = match policy.action_constraint() {
                        ActionConstraint::Eq(uid) => uid.id().unescaped().to_owned(),
                        _ => {
                            return Err(EngineError::Policy {
                                file,
                                message: format!(
                                    "policy `{local}` must name exactly one action (`action == NIA::Action::\"…\"`)"
                                ),
                            });
                        }
                    };
                    let id = format!("{}/{local}", requirement.name);
                    let policy_id = PolicyId::new(&id);
                    let annotation = |key: &str| annotations.get(key).map(str::to_owned);
                    meta.insert(
                        policy_id.clone(),
                        PolicyMeta {
                            id: id.clone(),
                            requirement: requirement.name.clone(),
                            cite: cite.to_owned(),
                            severity,
                            evidence: annotation("evidence"),
                            subject: annotation("subject"),
                            fix: annotation("fix"),
                            column: annotation("column"),
                            gap: annotation("gap"),
                            message_zh: annotation("message"),
                            message_en: annotation("message_en"),
                            help_zh: annotation("help"),
                            help_en: annotation("help_en"),
                            action: action.clone(),
                            order,
                        },
                    );
                    match (parsed.reads.and_then(|r| r.get(index)), merged.as_mut()) {
                        (Some(read), Some(merged)) => merged
                            .entry(action.clone())
                            .or_insert_with(cache::Reads::nothing)
                            .merge_static(read),
                        _ => merged = None,
                    }
                    by_action
                        .entry(action)
                        .or_default()
                        .add(policy.new_id(policy_id.clone()))
                        .map_err(|e| EngineError::Policy {
                            file: file.clone(),
                            message: e.to_string(),
                        })?;
                    order += 1;
                    any = true;
                }
            }
            if any {
                enforced.push(requirement.name.clone());
            }
        }
        let reads = merged.unwrap_or_else(|| {
            by_action
                .iter()
                .map(|(action, set)| (action.clone(), cache::reads(set)))
                .collect()
        });
        Ok(VersionSet {
            by_action,
            reads,
            meta,
            enforced,
        })
    }

    /// The schema, parsed on its first use.
    ///
    /// # Errors
    /// When the schema does not parse (an engine built by `new` was built
    /// with a schema that parsed, so this is a defect).
    pub fn schema(&self) -> Result<&Schema, EvalError> {
        if let Some(schema) = self.schema.get() {
            return Ok(schema);
        }
        let (schema, _warnings) = Schema::from_cedarschema_str(&self.schema_text)
            .map_err(|e| EvalError(format!("the Cedar schema does not parse: {e}")))?;
        Ok(self.schema.get_or_init(|| schema))
    }

    /// A version's policies and its place among the versions, loaded on
    /// first use.
    fn version_set(&self, version: Version) -> Result<(usize, &VersionSet), EvalError> {
        let (index, cell) = self
            .versions
            .iter()
            .enumerate()
            .find(|(_, (v, _))| *v == version)
            .map(|(i, (_, cell))| (i, cell))
            .ok_or_else(|| EvalError(format!("no policies for version `{version}`")))?;
        let set = cell.get_or_init(|| match &self.source {
            Some(source) => Self::load_version(
                &source.catalog,
                embedded::POLICY_FILES,
                version,
                &source.parsed,
            )
            .map_err(|e| e.to_string()),
            None => Err(format!("no policies for version `{version}`")),
        });
        set.as_ref()
            .map(|set| (index, set))
            .map_err(|e| EvalError(e.clone()))
    }

    /// Load `version`'s policies now, if they are not loaded (see
    /// [`crate::checker::Checker::preload`]).
    pub fn preload(&self, version: Version) {
        let _ = self.version_set(version);
    }

    fn version(&self, version: Version) -> Option<&VersionSet> {
        self.version_set(version).ok().map(|(_, set)| set)
    }

    /// What the policies of each action of `version` read of a request:
    /// the decision cache's key.
    #[must_use]
    pub fn reads(&self, version: Version) -> Vec<(String, &cache::Reads)> {
        self.version(version)
            .map(|s| s.reads.iter().map(|(a, r)| (a.clone(), r)).collect())
            .unwrap_or_default()
    }

    /// Whether any policy of `version` enforces `requirement`.
    #[must_use]
    pub fn enforces(&self, version: Version, requirement: &str) -> bool {
        self.version(version)
            .is_some_and(|s| s.enforced.iter().any(|r| r == requirement))
    }

    /// Every policy of a version, in order.
    #[must_use]
    pub fn policies(&self, version: Version) -> Vec<&PolicyMeta> {
        let mut all: Vec<&PolicyMeta> = self
            .version(version)
            .map(|s| s.meta.values().collect())
            .unwrap_or_default();
        all.sort_by_key(|m| m.order);
        all
    }

    /// The uid of an entity of type `NIA::<kind>`.
    ///
    /// # Errors
    /// When `kind` is not a valid type name (a defect).
    pub fn uid(kind: &str, id: &str) -> Result<EntityUid, EvalError> {
        // Parsing a type name runs Cedar's parser: the names of the schema
        // are parsed once per thread and reused.
        thread_local! {
            static NAMES: std::cell::RefCell<foldhash::HashMap<String, EntityTypeName>> =
                std::cell::RefCell::new(foldhash::HashMap::default());
        }
        let known = NAMES.with(|names| names.borrow().get(kind).cloned());
        let type_name = match known {
            Some(name) => name,
            None => {
                let name = EntityTypeName::from_str(&format!("{NAMESPACE}::{kind}"))
                    .map_err(|e| EvalError(e.to_string()))?;
                NAMES.with(|names| {
                    let mut names = names.borrow_mut();
                    // Only the schema's few names are ever asked for; a
                    // bound keeps a stray caller from growing it.
                    if names.len() < 64 {
                        names.insert(kind.to_owned(), name.clone());
                    }
                });
                name
            }
        };
        Ok(EntityUid::from_type_name_and_id(
            type_name,
            EntityId::new(id),
        ))
    }

    /// Evaluate every request; return, per request, the policies that
    /// forbid it, in policy order. A request whose policies read values
    /// already decided is answered from the decision cache ([`cache`]);
    /// the others are evaluated over the entities they can reach, or over
    /// the whole store when their policies ask for more.
    ///
    /// # Errors
    /// When a request is invalid or a policy errors: a defect, never a pass.
    pub fn evaluate(
        &self,
        version: Version,
        facts: &entities::Facts,
        asks: &[Ask],
    ) -> Result<Vec<Vec<&PolicyMeta>>, EvalError> {
        self.evaluate_with(version, facts, asks, true)
    }

    /// [`Engine::evaluate`] with no cache: every request evaluated over
    /// the whole store, checked against the schema (the differential test).
    ///
    /// # Errors
    /// When a request is invalid or a policy errors: a defect, never a pass.
    pub fn evaluate_uncached(
        &self,
        version: Version,
        facts: &entities::Facts,
        asks: &[Ask],
    ) -> Result<Vec<Vec<&PolicyMeta>>, EvalError> {
        self.evaluate_with(version, facts, asks, false)
    }

    fn evaluate_with(
        &self,
        version: Version,
        facts: &entities::Facts,
        asks: &[Ask],
        cached: bool,
    ) -> Result<Vec<Vec<&PolicyMeta>>, EvalError> {
        let (index, set) = self.version_set(version)?;
        let lookup = |uid: &EntityUid| facts.node(uid);
        let mut out: Vec<Vec<&PolicyMeta>> = Vec::with_capacity(asks.len());
        // The same request asked again about the same entities has the
        // same decision (one entity stands for several elements alike).
        let mut asked: foldhash::HashMap<&Ask, usize> =
            foldhash::HashMap::with_capacity_and_hasher(asks.len(), Default::default());
        for ask in asks {
            match asked.entry(ask) {
                Entry::Occupied(earlier) => {
                    let decision = out.get(*earlier.get()).cloned().unwrap_or_default();
                    out.push(decision);
                    continue;
                }
                Entry::Vacant(slot) => {
                    slot.insert(out.len());
                }
            }
            let key = if cached {
                set.reads
                    .get(ask.action)
                    .and_then(|reads| reads.key(&ask.principal, &ask.resource, &lookup))
            } else {
                None
            };
            let Some(key) = key else {
                let store = if cached {
                    facts.store()?
                } else {
                    &facts.validated_store(self.schema()?)?
                };
                let schema = if cached { None } else { Some(self.schema()?) };
                out.push(self.decide_in(
                    set,
                    store,
                    &ask.principal,
                    ask.action,
                    &ask.resource,
                    Context::empty(),
                    schema,
                )?);
                continue;
            };
            let pair = (&ask.principal, &ask.resource);
            let hash = self.cache.hash(index, ask.action, pair, &key);
            if let Some(ids) = self.cache.get(hash, index, ask.action, pair, &key) {
                out.push(ids.iter().filter_map(|id| set.meta.get(id)).collect());
                continue;
            }
            // The entities this request can reach are all its policies
            // can read: they never ask for ancestors.
            let reachable = cache::reachable(&[&ask.principal, &ask.resource], &lookup)
                .into_iter()
                .map(value::Node::to_entity)
                .collect::<Result<Vec<_>, _>>()?;
            let store =
                Entities::from_entities(reachable, None).map_err(|e| EvalError(e.to_string()))?;
            let denied = self.decide_in(
                set,
                &store,
                &ask.principal,
                ask.action,
                &ask.resource,
                Context::empty(),
                None,
            )?;
            let ids = denied.iter().map(|m| PolicyId::new(&m.id)).collect();
            self.cache.insert(hash, index, ask.action, pair, &key, ids);
            out.push(denied);
        }
        Ok(out)
    }

    /// Decide one request with a context (a usage-log record, an access
    /// asked by `niacheck authorize`): the policies of `version` that
    /// forbid it, in policy order. With `validate`, the request is checked
    /// against the schema first; a caller that builds many requests of one
    /// shape with one function validates the first of them, as the others
    /// differ only in values (a value of the wrong type would still make
    /// the evaluation fail, never pass).
    ///
    /// # Errors
    /// When the request is invalid or a policy errors: a defect, never a pass.
    #[expect(
        clippy::too_many_arguments,
        reason = "one Cedar request: its four parts, the version, the store and the validation switch"
    )]
    pub fn decide(
        &self,
        version: Version,
        entities: &Entities,
        principal: &EntityUid,
        action: &'static str,
        resource: &EntityUid,
        context: Context,
        validate: bool,
    ) -> Result<Vec<&PolicyMeta>, EvalError> {
        let set = self
            .version(version)
            .ok_or_else(|| EvalError(format!("no policies for version `{version}`")))?;
        let schema = if validate { Some(self.schema()?) } else { None };
        self.decide_in(set, entities, principal, action, resource, context, schema)
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one Cedar request: its four parts, the policies, the store and the schema"
    )]
    fn decide_in<'s>(
        &self,
        set: &'s VersionSet,
        entities: &Entities,
        principal: &EntityUid,
        action: &'static str,
        resource: &EntityUid,
        context: Context,
        schema: Option<&Schema>,
    ) -> Result<Vec<&'s PolicyMeta>, EvalError> {
        let Some(policies) = set.by_action.get(action) else {
            return Ok(Vec::new());
        };
        let request = Request::new(
            principal.clone(),
            Self::uid("Action", action)?,
            resource.clone(),
            context,
            schema,
        )
        .map_err(|e| EvalError(e.to_string()))?;
        let response = self.authorizer.is_authorized(&request, policies, entities);
        let errors: Vec<String> = response
            .diagnostics()
            .errors()
            .map(ToString::to_string)
            .collect();
        if !errors.is_empty() {
            return Err(EvalError(errors.join("; ")));
        }
        let mut denied: Vec<&PolicyMeta> = response
            .diagnostics()
            .reason()
            .filter_map(|id| set.meta.get(id))
            .collect();
        denied.sort_by_key(|m| m.order);
        Ok(denied)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]
    #![allow(clippy::indexing_slicing, reason = "tests fail loudly")]

    use super::*;

    /// A policy's syntax tree, printed (`a != b` as `!(a == b)`), without
    /// its annotations, which the engine keeps apart: the embedded
    /// policies are built from the texts' trees.
    fn tree(policy: &Policy) -> String {
        let mut json = policy.to_json().unwrap();
        json.as_object_mut().unwrap().remove("annotations");
        Policy::from_json(None, json).unwrap().to_cedar().unwrap()
    }

    /// The embedded compiled files are the policy texts: each policy of
    /// each text has the same tree and, in order, the same annotations and
    /// the same reads.
    #[test]
    fn the_compiled_files_are_the_policy_texts() {
        let mut policies = 0;
        let mut decoder = tree::Decoder::default();
        for &(dir, name, code, annotations, policy_reads) in embedded::POLICY_COMPILED {
            let (_, _, source) = embedded::POLICY_FILES
                .iter()
                .find(|(d, n, _)| *d == dir && *n == name)
                .unwrap();
            let source = PolicySet::from_str(source).unwrap();
            let compiled: Vec<Policy> = decoder
                .policies(code)
                .unwrap()
                .into_iter()
                .map(|p| Policy::from_pst(p).unwrap())
                .collect();
            assert_eq!(source.policies().count(), compiled.len());
            assert_eq!(source.policies().count(), annotations.len());
            assert_eq!(source.policies().count(), policy_reads.len());
            let listed = annotations.iter().zip(policy_reads);
            for (i, (policy, (annotations, policy_reads))) in
                source.policies().zip(listed).enumerate()
            {
                let id = PolicyId::new(format!("policy{i}"));
                assert_eq!(policy.id(), &id, "{dir}/{name}");
                let other = &compiled[i];
                assert_eq!(other.id(), &id, "{dir}/{name}");
                assert_eq!(tree(policy), tree(other), "{dir}/{name} {id}");
                let mine: Vec<_> = policy.annotations().collect();
                assert_eq!(mine, annotations.to_vec(), "{dir}/{name} {id}");
                assert_eq!(other.annotations().count(), 0);
                // What build.rs read of it is what is read of either here.
                let read = format!("{:?}", cache::Reads::from_static(policy_reads));
                assert_eq!(
                    read,
                    format!("{:?}", reads::policy(policy)),
                    "{dir}/{name} {id}"
                );
                assert_eq!(
                    read,
                    format!("{:?}", reads::policy(other)),
                    "{dir}/{name} {id}"
                );
                policies += 1;
            }
        }
        assert!(policies > 150, "only {policies}");
    }

    /// A damaged code is an error, never a panic or another policy.
    #[test]
    fn a_damaged_code_is_an_error() {
        let (_, _, code, _, _) = embedded::POLICY_COMPILED[0];
        let mut decoder = tree::Decoder::default();
        let whole = decoder.policies(code).unwrap();
        for cut in 1..code.len() {
            if let Ok(some) = decoder.policies(&code[..cut]) {
                // Only a cut between two policies reads, as fewer.
                assert!(some.len() < whole.len(), "cut at {cut}");
                assert_eq!(some[..], whole[..some.len()]);
            }
        }
        let mut bad = code.to_vec();
        for i in 0..bad.len() {
            let kept = bad[i];
            bad[i] = 0xff;
            let _ = decoder.policies(&bad);
            bad[i] = kept;
        }
        assert!(decoder.policies(&[0x01, 0x07]).is_err());
    }

    /// What a version's policies are, in a form two engines can compare.
    fn describe(engine: &Engine) -> Vec<String> {
        let mut out = Vec::new();
        for version in Version::ALL {
            let set = engine.version(version).unwrap();
            out.push(format!("{version}: enforced {:?}", set.enforced));
            let mut meta: Vec<_> = set
                .meta
                .iter()
                .map(|(id, m)| format!("{id}: {m:?}"))
                .collect();
            meta.sort();
            out.extend(meta);
            for (action, policies) in &set.by_action {
                for policy in policies.policies() {
                    out.push(format!(
                        "{version} {action} {}: {}",
                        policy.id(),
                        tree(policy)
                    ));
                }
                out.push(format!(
                    "{version} {action} reads {:?}",
                    set.reads.get(action)
                ));
            }
        }
        out
    }

    #[test]
    fn the_compiled_policies_are_the_policy_texts_validated() {
        // `Engine::new` reads the JSON form build.rs made and validated;
        // `with_policies` parses the texts and validates them here. The
        // same policies, annotations, order and cache reads either way.
        let catalog = Catalog::embedded().unwrap();
        let compiled = Engine::new(&catalog).unwrap();
        let parsed =
            Engine::with_policies(&catalog, embedded::CEDAR_SCHEMA, embedded::POLICY_FILES)
                .unwrap();
        let (a, b) = (describe(&compiled), describe(&parsed));
        assert!(a.len() > 100, "only {} lines", a.len());
        assert_eq!(a, b);
        // The schema is parsed on first use, and parses.
        assert!(compiled.schema.get().is_none());
        assert!(compiled.schema().is_ok());
    }
}
