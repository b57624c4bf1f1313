//! Calendar dates (ISO `YYYY-MM-DD`), as written in configurations and
//! given with `--as-of`.

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
}
