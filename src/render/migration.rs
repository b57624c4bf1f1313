//! The output of `niacheck migrate`, in the human and JSON formats: the
//! same diagnostics, places and `tool` shape as `check`'s reports, over the
//! migration model. `schemas/migrate.schema.json` describes the JSON.

use std::io::{self, Write};

use serde::Serialize;

use super::json::{Tool, pretty};
use super::{Format, RenderOptions};
use crate::diagnostic::{self, Style};
use crate::migrate::{Migration, Migrations};
use crate::privacy::Masker;
use crate::{i18n, tr, tr_n};

/// The version of the migrate report format.
pub const SCHEMA_VERSION: u32 = 1;

fn masking<'a>(all: &Migrations, m: &'a Migration) -> Masker<'a> {
    Masker {
        show: all.run.show_personal_data,
        values: &m.personal,
    }
}

/// Render the migrations in `format`: JSON, or drawn for a person.
///
/// # Errors
/// When the output cannot be written.
pub fn render(
    format: Format,
    all: &Migrations,
    options: RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    if format == Format::Json {
        json(all, options, out)
    } else {
        // The report formats are for findings of `check`; `migrate` refuses
        // them, and anything else is drawn for a person.
        human(all, options, out)
    }
}

fn human(all: &Migrations, options: RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let lang = options.lang;
    let style = Style {
        color: options.color,
        width: options.width,
    };
    for m in &all.migrations {
        let agency = m
            .agency
            .as_deref()
            .unwrap_or(i18n::static_text(lang, "human.agency-unknown"));
        let line = tr_n!(
            "migrate.heading",
            m.changes.len(),
            path = &m.path,
            agency = agency
        );
        writeln!(out, "{}", line.get(lang))?;
        let masker = masking(all, m);
        for e in &m.errors {
            writeln!(
                out,
                "{}",
                diagnostic::render_error(masker, &m.path, e, lang, style)
            )?;
        }
        for f in &m.changes {
            writeln!(
                out,
                "{}",
                diagnostic::render_finding(masker, &m.path, f, lang, style)
            )?;
        }
    }
    let r = &all.renumbering;
    writeln!(out, "{}", i18n::static_text(lang, "migrate.renumbered"))?;
    for (name, p, a) in &r.renumbered {
        writeln!(out, "  {name}: {p} → {a}")?;
    }
    let line = tr!("migrate.new", names = i18n::list(&r.new_requirements));
    writeln!(out, "{}", line.get(lang))
}

#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: u32,
    tool: Tool,
    as_of: String,
    migrations: Vec<JsonMigration<'a>>,
    renumbered: Vec<JsonRenumbered<'a>>,
    new_requirements: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonMigration<'a> {
    path: &'a str,
    agency: Option<&'a str>,
    from: &'static str,
    to: &'static str,
    changes: Vec<super::json::JsonFinding>,
    errors: Vec<super::json::JsonError>,
}

#[derive(Serialize)]
struct JsonRenumbered<'a> {
    name: &'a str,
    previous: &'a str,
    amended: &'a str,
}

fn json(all: &Migrations, options: RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let report = JsonReport {
        schema_version: SCHEMA_VERSION,
        tool: Tool::THIS,
        as_of: all.run.as_of.to_string(),
        migrations: all
            .migrations
            .iter()
            .map(|m| {
                let masker = masking(all, m).compile();
                JsonMigration {
                    path: &m.path,
                    agency: m.agency.as_deref(),
                    from: crate::catalog::Version::Previous.as_str(),
                    to: crate::catalog::Version::Amended.as_str(),
                    changes: m
                        .changes
                        .iter()
                        .map(|f| super::json::finding(&masker, f, options))
                        .collect(),
                    errors: m
                        .errors
                        .iter()
                        .map(|e| super::json::error(&masker, e, options))
                        .collect(),
                }
            })
            .collect(),
        renumbered: all
            .renumbering
            .renumbered
            .iter()
            .map(|(name, previous, amended)| JsonRenumbered {
                name,
                previous,
                amended,
            })
            .collect(),
        new_requirements: all
            .renumbering
            .new_requirements
            .iter()
            .map(String::as_str)
            .collect(),
    };
    writeln!(out, "{}", pretty(&report, 0)?)
}
