//! Deadlines as the regulation counts them: calendar days from the day after
//! the event, ending at the end of the last day, moved to the next working
//! day when that is a Saturday, a Sunday or a holiday (行政程序法第四十八條).
//! The number of days of each deadline and the holidays are data.
#![deny(clippy::arithmetic_side_effects)]

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::date::Date;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeadlineDef {
    id: String,
    days: i64,
    #[expect(dead_code, reason = "the source is for readers of the data file")]
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeadlinesFile {
    deadline: Vec<DeadlineDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidaysFile {
    holidays: Vec<String>,
}

/// The time limit for raising a doubt about data (6.3).
pub const INQUIRY: &str = "inquiry";
/// The time limit for the official document after a fax (6.5).
pub const FAX_DOCUMENT: &str = "fax-document";
/// The time limit for reporting a lost certificate (6.7).
pub const LOST_CERTIFICATE: &str = "lost-certificate";
/// Every time limit the checks use: `data/deadlines.toml` must define
/// exactly these, so a typo on either side fails at start-up instead of
/// silently making a deadline day 0.
pub const DEADLINES: [&str; 3] = [INQUIRY, FAX_DOCUMENT, LOST_CERTIFICATE];

/// The working-day calendar and the regulation's time limits.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    holidays: BTreeSet<Date>,
    days: BTreeMap<String, i64>,
}

/// An error in the calendar data.
#[derive(Debug, thiserror::Error)]
#[error("invalid calendar data: {0}")]
pub struct CalendarError(String);

impl Calendar {
    /// Parse `data/deadlines.toml` and `data/holidays.toml`.
    ///
    /// # Errors
    /// When either does not parse or holds an invalid date.
    pub fn from_toml(deadlines: &str, holidays: &str) -> Result<Self, CalendarError> {
        let deadlines: DeadlinesFile =
            toml::from_str(deadlines).map_err(|e| CalendarError(e.to_string()))?;
        let holidays: HolidaysFile =
            toml::from_str(holidays).map_err(|e| CalendarError(e.to_string()))?;
        let holidays = holidays
            .holidays
            .iter()
            .map(|d| Date::parse(d).map_err(CalendarError))
            .collect::<Result<_, _>>()?;
        let days = deadlines
            .deadline
            .into_iter()
            .map(|d| (d.id, d.days))
            .collect::<BTreeMap<String, i64>>();
        for id in days.keys() {
            if !DEADLINES.contains(&id.as_str()) {
                return Err(CalendarError(format!(
                    "data/deadlines.toml defines `{id}`, which no check uses; known: {}",
                    DEADLINES.join(", ")
                )));
            }
        }
        if let Some(missing) = DEADLINES.iter().find(|id| !days.contains_key(**id)) {
            return Err(CalendarError(format!(
                "data/deadlines.toml does not define `{missing}`"
            )));
        }
        Ok(Self { holidays, days })
    }

    /// Whether public offices are closed on `date`.
    #[must_use]
    pub fn is_day_off(&self, date: Date) -> bool {
        date.is_weekend() || self.holidays.contains(&date)
    }

    /// The last day of the deadline `id` for an event on `start`, as a day
    /// number; `None` if the data has no such deadline.
    #[must_use]
    pub fn deadline(&self, id: &str, start: Date) -> Option<i64> {
        let days = *self.days.get(id)?;
        let mut end = start.day_number().saturating_add(days);
        // A year of days off in a row is impossible; the bound keeps this total.
        for _ in 0..366 {
            match Date::from_day_number(end) {
                Some(date) if self.is_day_off(date) => end = end.saturating_add(1),
                _ => break,
            }
        }
        Some(end)
    }
}
