//! Deadlines as the regulation counts them: calendar days from the day after
//! the event, ending at the end of the last day, moved to the next working
//! day when that is a Saturday, a Sunday or a holiday (行政程序法第四十八條).
//! The number of days of each deadline and the office calendar (holidays
//! and make-up working days, per year) are data. A make-up working day
//! (補行上班日) is a working day even on a Saturday; a year the data does
//! not cover counts weekends only ([`Calendar::uncovered_year`] says so).
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
    year: Vec<YearDef>,
}

/// One year of the government offices' calendar.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearDef {
    year: i16,
    #[expect(dead_code, reason = "the source is for readers of the data file")]
    source: String,
    verified: bool,
    holidays: Vec<String>,
    working_days: Vec<String>,
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
    working_days: BTreeSet<Date>,
    /// The years the data covers, and whether each was checked against the
    /// published calendar.
    years: BTreeMap<i16, bool>,
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
        let file: HolidaysFile =
            toml::from_str(holidays).map_err(|e| CalendarError(e.to_string()))?;
        let mut years = BTreeMap::new();
        let mut holidays = BTreeSet::new();
        let mut working_days = BTreeSet::new();
        for def in file.year {
            if years.insert(def.year, def.verified).is_some() {
                return Err(CalendarError(format!(
                    "data/holidays.toml lists the year {} twice",
                    def.year
                )));
            }
            for (texts, weekend, into) in [
                (&def.holidays, false, &mut holidays),
                (&def.working_days, true, &mut working_days),
            ] {
                for text in texts {
                    let date = Date::parse_iso(text).map_err(CalendarError)?;
                    if date.civil().year() != def.year {
                        return Err(CalendarError(format!(
                            "data/holidays.toml: {date} is listed under the year {}",
                            def.year
                        )));
                    }
                    // A holiday on a weekend changes nothing, and a make-up
                    // working day is always a Saturday or Sunday: either
                    // mistake is a typo in the data.
                    if date.is_weekend() != weekend {
                        return Err(CalendarError(format!(
                            "data/holidays.toml: {date} is {} a weekend day, but listed as a {}",
                            if weekend { "not" } else { "already" },
                            if weekend {
                                "make-up working day"
                            } else {
                                "holiday"
                            }
                        )));
                    }
                    into.insert(date);
                }
            }
        }
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
        Ok(Self {
            holidays,
            working_days,
            years,
            days,
        })
    }

    /// Whether public offices are closed on `date`: a Saturday or Sunday
    /// that is not a make-up working day, or a holiday.
    #[must_use]
    pub fn is_day_off(&self, date: Date) -> bool {
        if self.working_days.contains(&date) {
            return false;
        }
        date.is_weekend() || self.holidays.contains(&date)
    }

    /// Whether the data covers `year` (holidays and make-up working days).
    #[must_use]
    pub fn covers(&self, year: i16) -> bool {
        self.years.contains_key(&year)
    }

    /// The years covered, each with whether it was checked against the
    /// published calendar (`false`: computed from the rules in force).
    #[must_use]
    pub fn years(&self) -> &BTreeMap<i16, bool> {
        &self.years
    }

    /// The first year that the data does not cover among the days that
    /// decide deadline `id` for an event on `start`: from its nominal last
    /// day (`start` + the days; days off before it change nothing) to its
    /// last day. There the deadline was counted with weekends only.
    #[must_use]
    pub fn uncovered_year(&self, id: &str, start: Date) -> Option<i16> {
        self.deciding_years(id, start)?.find(|y| !self.covers(*y))
    }

    /// The years of the days that decide deadline `id` for an event on
    /// `start`: from its nominal last day (`start` + the days; days off
    /// before it change nothing) to its last day.
    fn deciding_years(&self, id: &str, start: Date) -> Option<std::ops::RangeInclusive<i16>> {
        let nominal = start.day_number().saturating_add(*self.days.get(id)?);
        let from = Date::from_day_number(nominal)?;
        let to = Date::from_day_number(self.deadline(id, start)?)?;
        Some(from.civil().year()..=to.civil().year())
    }

    /// The first year, among the days that decide deadline `id` for an
    /// event on `start`, that the data covers only as computed from the
    /// rules for days off (`verified = false`: its official calendar was not
    /// yet published when the data was written).
    #[must_use]
    pub fn unverified_year(&self, id: &str, start: Date) -> Option<i16> {
        self.deciding_years(id, start)?
            .find(|y| self.years.get(y).is_some_and(|verified| !verified))
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
