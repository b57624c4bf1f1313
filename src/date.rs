//! Calendar dates (ISO `YYYY-MM-DD`), as written in configurations and
//! given with `--as-of`.
#![deny(clippy::arithmetic_side_effects)]

use std::fmt;

use serde::{Deserialize, Deserializer};

/// A civil date with no time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(jiff::civil::Date);

impl Date {
    /// Parse `YYYY-MM-DD`.
    ///
    /// # Errors
    /// When the text is not a valid ISO date.
    pub fn parse(text: &str) -> Result<Self, String> {
        let bytes = text.as_bytes();
        let shaped = bytes.len() == 10
            && bytes.get(4) == Some(&b'-')
            && bytes.get(7) == Some(&b'-')
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shaped {
            return Err(format!("`{text}` is not a date in the form YYYY-MM-DD"));
        }
        text.parse::<jiff::civil::Date>()
            .map(Self)
            .map_err(|_| format!("`{text}` is not a real calendar date"))
    }

    /// Today in the system's time zone.
    #[must_use]
    pub fn today() -> Self {
        Self(jiff::ZonedDateTime::now().date())
    }

    /// The underlying civil date.
    #[must_use]
    pub fn civil(self) -> jiff::civil::Date {
        self.0
    }

    /// Days since 1970-01-01 (negative before): how dates reach Cedar,
    /// where they compare as numbers.
    #[must_use]
    #[expect(
        clippy::arithmetic_side_effects,
        reason = "jiff bounds the year to -9999..=9999: every step stays far inside i64"
    )]
    pub fn day_number(self) -> i64 {
        let (y, m, d) = (
            i64::from(self.0.year()),
            i64::from(self.0.month()),
            i64::from(self.0.day()),
        );
        // Howard Hinnant's days_from_civil.
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date as the number yyyymmdd (2026-11-27 → 20261127): compared
    /// as numbers, years can be counted back by subtracting 10000 each.
    #[must_use]
    #[expect(
        clippy::arithmetic_side_effects,
        reason = "a year of at most four digits times 10,000 fits an i64 many times over"
    )]
    pub fn ymd_number(self) -> i64 {
        i64::from(self.0.year()) * 10_000
            + i64::from(self.0.month()) * 100
            + i64::from(self.0.day())
    }

    /// The date of a day number.
    #[must_use]
    #[expect(
        clippy::arithmetic_side_effects,
        reason = "divisions are by non-zero constants; `days` is checked before the only sum"
    )]
    pub fn from_day_number(days: i64) -> Option<Self> {
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        let date = jiff::civil::Date::new(
            i16::try_from(y).ok()?,
            i8::try_from(m).ok()?,
            i8::try_from(d).ok()?,
        )
        .ok()?;
        Some(Self(date))
    }

    /// Whether the date is a Saturday or a Sunday.
    #[must_use]
    pub fn is_weekend(self) -> bool {
        // 1970-01-01 was a Thursday (day 0); Saturday is 2 and Sunday 3 mod 7.
        matches!(self.day_number().rem_euclid(7), 2 | 3)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::str::FromStr for Date {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
#[expect(clippy::panic, reason = "tests fail loudly")]
mod tests {
    use super::Date;

    #[test]
    fn only_real_iso_dates_parse() {
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("2024/02/01").is_err());
        assert!(Date::parse("2024-2-1").is_err());
        assert!(Date::parse("１２３４-01-01").is_err());
    }

    #[test]
    fn day_numbers_round_trip() {
        for text in [
            "1970-01-01",
            "2000-02-29",
            "2024-03-20",
            "2026-11-27",
            "1969-12-31",
            "2100-03-01",
        ] {
            let date = Date::parse(text).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                Date::from_day_number(date.day_number()),
                Some(date),
                "{text}"
            );
        }
        assert_eq!(Date::parse("1970-01-02").map(Date::day_number), Ok(1));
        // 2026-11-28 is a Saturday, 2026-11-30 a Monday.
        assert_eq!(Date::parse("2026-11-28").map(Date::is_weekend), Ok(true));
        assert_eq!(Date::parse("2026-11-29").map(Date::is_weekend), Ok(true));
        assert_eq!(Date::parse("2026-11-30").map(Date::is_weekend), Ok(false));
    }
}
