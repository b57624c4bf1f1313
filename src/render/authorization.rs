//! The output of `niacheck authorize`, in the human and JSON formats:
//! allow or deny, and for a deny every requirement that denies it with its
//! citation and message. `schemas/authorize.schema.json` describes the JSON.

use std::io::{self, Write};

use serde::Serialize;

use super::json::{Tool, pretty};
use super::{Format, RenderOptions};
use crate::lang::Lang;
use crate::privacy::Masker;
use crate::replay::Authorization;

/// The version of the authorize output format.
pub const SCHEMA_VERSION: u32 = 1;

/// Render one decision in `format`; personal data are masked by `masker`.
///
/// # Errors
/// When the output cannot be written.
pub fn render(
    format: Format,
    path: &str,
    decision: &Authorization,
    masker: Masker<'_>,
    options: RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    if format == Format::Json {
        json(path, decision, masker, options, out)
    } else {
        // One decision is for a person to read; `authorize` refuses the
        // report formats before it gets here.
        human(path, decision, masker, options.lang, out)
    }
}

fn human(
    path: &str,
    d: &Authorization,
    masker: Masker<'_>,
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    let user = masker.apply(&d.user);
    let regulation = match d.regulation {
        crate::catalog::Version::Amended => crate::tr!("authorize.regulation-amended"),
        crate::catalog::Version::Previous => crate::tr!("authorize.regulation-previous"),
    };
    let line = if d.allowed() {
        crate::tr!(
            "authorize.allow",
            path = path,
            user = &user,
            at = &d.at,
            function = &d.function,
            regulation = regulation
        )
    } else {
        crate::tr_n!(
            "authorize.deny",
            d.denials.len(),
            path = path,
            user = &user,
            at = &d.at,
            function = &d.function,
            regulation = regulation
        )
    };
    writeln!(out, "{}", line.get(lang))?;
    for f in &d.denials {
        writeln!(
            out,
            "  {} ({}) [{}]: {}",
            f.requirement,
            f.cite,
            f.policy,
            masker.apply(f.message.get(lang))
        )?;
        let help = f.help.get(lang);
        if !help.is_empty() {
            let label = crate::i18n::static_text(lang, "authorize.help");
            writeln!(out, "    {label}: {}", masker.apply(help))?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct Output<'a> {
    schema_version: u32,
    tool: Tool,
    path: &'a str,
    regulation: &'a str,
    user: String,
    registered: bool,
    function: &'a str,
    at: &'a str,
    decision: &'a str,
    denials: Vec<Denial>,
}

#[derive(Serialize)]
struct Denial {
    name: String,
    cite: String,
    policy: String,
    message: String,
    help: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
}

fn json(
    path: &str,
    d: &Authorization,
    masker: Masker<'_>,
    options: RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let output = Output {
        schema_version: SCHEMA_VERSION,
        tool: Tool::THIS,
        path,
        regulation: d.regulation.as_str(),
        user: masker.apply(&d.user).into_owned(),
        registered: d.registered,
        function: &d.function,
        at: &d.at,
        decision: if d.allowed() { "allow" } else { "deny" },
        denials: d
            .denials
            .iter()
            .map(|f| Denial {
                name: f.requirement.clone(),
                cite: f.cite.clone(),
                policy: f.policy.clone(),
                message: masker.apply(f.message.get(options.lang)).into_owned(),
                help: masker.apply(f.help.get(options.lang)).into_owned(),
                subject: f.subject.clone(),
            })
            .collect(),
    };
    writeln!(out, "{}", pretty(&output, 0)?)
}
