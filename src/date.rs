//! Calendar dates, as written in configurations, waivers and given with
//! `--as-of`: ISO `YYYY-MM-DD`, or the Republic of China (民國) forms that
//! Taiwanese offices write, normalised to ISO.
//!
//! The rule, in order:
//! - `YYYY-MM-DD` with a four-digit year is ISO (Gregorian).
//! - A first field of two or three digits is a 民國 year (year + 1911):
//!   `113-03-20`, `113/03/20`, `113.03.20` (one separator, the same twice;
//!   month and day of one or two digits) are 2024-03-20.
//! - `民國113年3月20日`, `中華民國113年3月20日`, `113年3月20日` and the same
//!   with Chinese numerals (`中華民國一一三年三月二十日`,
//!   `民國一百一十三年三月二十日`) are 民國 dates; `2024年3月20日` (four
//!   digits) is Gregorian. Full-width digits are read as digits here.
//! - Anything else is an error that shows the ISO form to write where it
//!   can: a four-digit year with `/` or `.` (`2024/03/20`), a year written
//!   last (`20/03/2024`, day-month or month-day: ambiguous), a one-digit
//!   first field; and a date that does not exist (`113/02/30`).
#![deny(clippy::arithmetic_side_effects)]

use std::cell::RefCell;
use std::fmt;

use crate::lang::{Lang, Localized};
use crate::tr;

use serde::{Deserialize, Deserializer};

/// A civil date with no time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(jiff::civil::Date);

/// How a date was written, when it was not ISO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalised {
    /// The text as written (trimmed).
    pub written: String,
    /// The date it was read as.
    pub date: Date,
}

/// Why a text is not a date: in both languages, with the ISO form to write
/// when one can be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    /// What is wrong (from the catalogue's `[date]`).
    pub message: Localized,
    /// The ISO form to write instead, if the text shows it: one, or the
    /// two readings of a date whose order cannot be told.
    pub write: Vec<String>,
}

impl DateError {
    fn new(message: Localized) -> Self {
        Self {
            message,
            write: Vec::new(),
        }
    }

    fn writing(mut self, iso: Vec<String>) -> Self {
        self.write = iso;
        self
    }

    /// What to do.
    #[must_use]
    pub fn help(&self) -> Localized {
        match self.write.as_slice() {
            [] => tr!("date.help"),
            [iso] => tr!("date.write", iso = iso),
            [first, second, ..] => tr!(
                "date.write",
                iso = tr!("date.either", first = first, second = second)
            ),
        }
    }

    /// The message and its help in `lang`, on one line.
    #[must_use]
    pub fn text(&self, lang: Lang) -> String {
        let help = self.help();
        tr!("date.with-help", message = &self.message, help = help)
            .get(lang)
            .to_owned()
    }
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

thread_local! {
    /// The non-ISO dates read on this thread since [`collect_normalised`]
    /// began (`None` outside it): how a configuration's deserializer hands
    /// them to the caller, which notes them once.
    static NORMALISED: RefCell<Option<Vec<Normalised>>> = const { RefCell::new(None) };
}

/// Run `parse` (a deserialisation) and return, with its result, the dates
/// it read that were not written as ISO, in the order read.
pub fn collect_normalised<T>(parse: impl FnOnce() -> T) -> (T, Vec<Normalised>) {
    let outer = NORMALISED.with(|n| n.borrow_mut().replace(Vec::new()));
    let result = parse();
    let seen = NORMALISED.with(|n| std::mem::replace(&mut *n.borrow_mut(), outer));
    (result, seen.unwrap_or_default())
}

fn note_normalised(written: &str, date: Date) {
    NORMALISED.with(|n| {
        if let Some(seen) = n.borrow_mut().as_mut() {
            seen.push(Normalised {
                written: written.to_owned(),
                date,
            });
        }
    });
}

/// Digits, ASCII or full-width, as a number (at most 4 digits).
fn number(text: &str) -> Option<u32> {
    if text.is_empty() || text.chars().count() > 4 {
        return None;
    }
    text.chars().try_fold(0_u32, |n, c| {
        let d = match c {
            '0'..='9' => c.to_digit(10)?,
            '０'..='９' => u32::from(c).checked_sub(u32::from('０'))?,
            _ => return None,
        };
        n.checked_mul(10)?.checked_add(d)
    })
}

fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' | '○' | 'Ｏ' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// A number in Chinese numerals: positional (`一百一十三`, `二十`, `廿一`)
/// or digit by digit (`一一三`, `一〇九`); ASCII or full-width digits too.
fn chinese_number(text: &str) -> Option<u32> {
    if let Some(n) = number(text) {
        return Some(n);
    }
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() || chars.len() > 8 {
        return None;
    }
    let positional = chars.iter().any(|c| matches!(c, '十' | '百' | '廿' | '卅'));
    if !positional {
        return chars.iter().try_fold(0_u32, |n, c| {
            n.checked_mul(10)?.checked_add(chinese_digit(*c)?)
        });
    }
    let mut total = 0_u32;
    let mut digit: Option<u32> = None;
    for c in chars {
        match c {
            // `一百零九`: the zero only marks an empty place.
            '零' | '〇' | '○' if digit.is_none() => {}
            '百' => {
                total = total.checked_add(digit.take().unwrap_or(1).checked_mul(100)?)?;
            }
            '十' => {
                total = total.checked_add(digit.take().unwrap_or(1).checked_mul(10)?)?;
            }
            '廿' | '卅' => {
                if digit.is_some() {
                    return None;
                }
                total = total.checked_add(if c == '廿' { 20 } else { 30 })?;
            }
            _ => {
                if digit.is_some() {
                    return None;
                }
                digit = Some(chinese_digit(c)?);
            }
        }
    }
    total.checked_add(digit.unwrap_or(0))
}

/// The ISO text of a year, month and day, even when no such date exists
/// (for messages).
fn iso_text(year: u32, month: u32, day: u32) -> String {
    format!("{year:04}-{month:02}-{day:02}")
}

/// The date of a Gregorian year, month and day, or why there is none.
fn civil(text: &str, year: u32, month: u32, day: u32, roc: Option<u32>) -> Result<Date, DateError> {
    let made = i16::try_from(year)
        .ok()
        .zip(i8::try_from(month).ok())
        .zip(i8::try_from(day).ok())
        .and_then(|((y, m), d)| jiff::civil::Date::new(y, m, d).ok());
    if let Some(date) = made {
        return Ok(Date(date));
    }
    let shown = iso_text(year, month, day);
    Err(DateError::new(match roc {
        Some(r) => tr!(
            "date.not-real-roc",
            text = text,
            roc = r,
            month = month,
            day = day,
            iso = shown
        ),
        None => tr!("date.not-real", text = text),
    }))
}

/// A 民國 year as a Gregorian one.
fn roc_year(text: &str, roc: u32) -> Result<u32, DateError> {
    if roc == 0 {
        return Err(DateError::new(tr!("date.roc-zero", text = text)));
    }
    Ok(roc.saturating_add(1911))
}

/// `[中華]民國Y年M月D日` or `Y年M月D日`, digits or Chinese numerals.
fn parse_chinese(text: &str) -> Option<Result<(Date, bool), DateError>> {
    let body: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let (roc_prefix, rest) = match body
        .strip_prefix("中華民國")
        .or_else(|| body.strip_prefix("民國"))
    {
        Some(rest) => (true, rest),
        None => (false, body.as_str()),
    };
    let (year, rest) = rest.split_once('年')?;
    let (month, rest) = rest.split_once('月')?;
    let day = rest
        .strip_suffix('日')
        .or_else(|| rest.strip_suffix('號'))
        .unwrap_or(rest);
    let bad = || DateError::new(tr!("date.unreadable", text = text));
    let (Some(y), Some(m), Some(d)) = (
        chinese_number(year),
        chinese_number(month),
        chinese_number(day),
    ) else {
        return Some(Err(bad()));
    };
    let digits = year.chars().count();
    Some(if roc_prefix || (2..=3).contains(&digits) {
        roc_year(text, y).and_then(|g| civil(text, g, m, d, Some(y)).map(|date| (date, true)))
    } else if digits == 4 && number(year).is_some() {
        civil(text, y, m, d, None).map(|date| (date, true))
    } else {
        Err(bad())
    })
}

/// `A?B?C` with one separator `-`, `/` or `.` used twice.
fn parse_numeric(text: &str) -> Option<Result<(Date, bool), DateError>> {
    let sep = text.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let fields: Vec<&str> = text.split(sep).collect();
    let [a, b, c] = fields.as_slice() else {
        return None;
    };
    let (Some(x), Some(y), Some(z)) = (number(a), number(b), number(c)) else {
        return None;
    };
    if !(a.is_ascii() && b.is_ascii() && c.is_ascii()) {
        return None;
    }
    let (la, lb, lc) = (a.len(), b.len(), c.len());
    if !(1..=2).contains(&lb) {
        return None;
    }
    Some(match (la, lc) {
        // Gregorian: only ISO itself passes; other separators are told the form.
        (4, 1..=2) if sep == '-' && lb == 2 && lc == 2 => {
            civil(text, x, y, z, None).map(|d| (d, false))
        }
        (4, 1..=2) => civil(text, x, y, z, None).and_then(|d| {
            Err(DateError::new(tr!("date.not-iso", text = text)).writing(vec![d.to_string()]))
        }),
        // 民國: two or three digits first.
        (2..=3, 1..=2) => roc_year(text, x)
            .and_then(|g| civil(text, g, y, z, Some(x)))
            .map(|d| (d, true)),
        // The year last: day-month or month-day, the order cannot be told.
        (1..=2, 4) => {
            let mut readings: Vec<String> = [(y, x), (x, y)]
                .iter()
                .filter_map(|&(m, d)| civil(text, z, m, d, None).ok())
                .map(|d| d.to_string())
                .collect();
            readings.dedup();
            Err(DateError::new(tr!("date.year-last", text = text)).writing(readings))
        }
        _ => Err(DateError::new(tr!("date.year-digits", text = text))),
    })
}

impl Date {
    /// Read a date as a person may write it (see the module's rule): the
    /// date, and whether it was written otherwise than as ISO.
    ///
    /// # Errors
    /// When the text is not a date, is ambiguous, or names a day that does
    /// not exist; the error shows the ISO form where it can.
    pub fn read(text: &str) -> Result<(Self, bool), DateError> {
        let trimmed = text.trim();
        if let Ok(date) = Self::parse_iso(trimmed) {
            return Ok((date, false));
        }
        if let Some(result) = parse_chinese(trimmed).or_else(|| parse_numeric(trimmed)) {
            return result;
        }
        Err(DateError::new(tr!("date.not-a-date", text = trimmed)))
    }

    /// Read a date in any accepted form (see [`Date::read`]).
    ///
    /// # Errors
    /// When [`Date::read`] fails: its English message and help.
    pub fn parse(text: &str) -> Result<Self, String> {
        Self::read(text).map(|(d, _)| d).map_err(|e| e.to_string())
    }

    /// The date as 民國 year, month and day (`民國113年3月20日`); `None`
    /// before 1912.
    #[must_use]
    pub fn roc(self) -> Option<String> {
        let year = self.0.year().checked_sub(1911).filter(|y| *y > 0)?;
        Some(format!(
            "民國{year}年{}月{}日",
            self.0.month(),
            self.0.day()
        ))
    }

    /// Parse `YYYY-MM-DD` only.
    ///
    /// # Errors
    /// When the text is not a valid ISO date.
    pub fn parse_iso(text: &str) -> Result<Self, String> {
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
        // Without `TZ`, the system's zone is `/etc/localtime`'s rules; jiff
        // would also find the zone's name, by listing the whole zoneinfo
        // database (a tenth of a single check's start-up). Only the date
        // is wanted: the rules are read directly, and jiff decides in
        // every other case (`TZ` set, no readable file).
        if std::env::var_os("TZ").is_none()
            && let Ok(data) = std::fs::read("/etc/localtime")
            && let Ok(zone) = jiff::tz::TimeZone::tzif("localtime", &data)
        {
            return Self(jiff::Timestamp::now().to_zoned_datetime(zone).date());
        }
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

/// `text` with each ISO date (`2024-03-20`, not part of a longer number or
/// of a time `2024-03-20T…`) followed by its 民國 form:
/// `2024-03-20（民國113年3月20日）`.
#[must_use]
pub fn with_roc_years(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut copied = 0_usize;
    let mut i = 0_usize;
    while let Some(window) = bytes.get(i..i.saturating_add(10)) {
        let before = i.checked_sub(1).and_then(|b| bytes.get(b));
        let after = bytes.get(i.saturating_add(10));
        let standalone = !before.is_some_and(|b| b.is_ascii_digit() || *b == b'-')
            && !after.is_some_and(|a| a.is_ascii_alphanumeric() || *a == b'-');
        let date = standalone
            .then(|| std::str::from_utf8(window).ok())
            .flatten()
            .and_then(|w| Date::parse_iso(w).ok());
        match date.and_then(|d| d.roc()) {
            Some(roc) => {
                let end = i.saturating_add(10);
                out.push_str(text.get(copied..end).unwrap_or(""));
                out.push('（');
                out.push_str(&roc);
                out.push('）');
                copied = end;
                i = end;
            }
            None => i = i.saturating_add(1),
        }
    }
    if copied == 0 {
        return std::borrow::Cow::Borrowed(text);
    }
    out.push_str(text.get(copied..).unwrap_or(""));
    std::borrow::Cow::Owned(out)
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
        let (date, normalised) = Self::read(&text).map_err(serde::de::Error::custom)?;
        if normalised {
            note_normalised(text.trim(), date);
        }
        Ok(date)
    }
}

#[cfg(test)]
#[expect(clippy::panic, reason = "tests fail loudly")]
mod tests {
    use super::Date;

    /// (written, ISO it is read as, or None: an error)
    /// Reading `/etc/localtime` directly gives the date jiff gives.
    #[test]
    fn today_is_the_system_zones_today() {
        let before = jiff::ZonedDateTime::now().date();
        let today = Date::today().civil();
        let after = jiff::ZonedDateTime::now().date();
        assert!(today == before || today == after, "{today} vs {before}");
    }

    #[test]
    fn roc_date_table() {
        for (text, want) in [
            ("2024-03-20", Some("2024-03-20")),
            ("民國113年3月20日", Some("2024-03-20")),
            ("中華民國113年03月20日", Some("2024-03-20")),
            ("民國 113 年 3 月 20 日", Some("2024-03-20")),
            ("113年3月20日", Some("2024-03-20")),
            ("民國１１３年３月２０日", Some("2024-03-20")),
            ("113/03/20", Some("2024-03-20")),
            ("113.03.20", Some("2024-03-20")),
            ("113-03-20", Some("2024-03-20")),
            ("113/3/2", Some("2024-03-02")),
            (" 113/03/20 ", Some("2024-03-20")),
            ("99/12/31", Some("2010-12-31")),
            ("中華民國一一三年三月二十日", Some("2024-03-20")),
            ("民國一百一十三年三月二十日", Some("2024-03-20")),
            ("民國一〇九年十二月三十一日", Some("2020-12-31")),
            ("民國一百零九年二月廿九日", Some("2020-02-29")),
            ("民國一一五年十一月二十七日", Some("2026-11-27")),
            ("2024年3月20日", Some("2024-03-20")),
            // Leap day: 民國113 = 2024 is a leap year, 112 = 2023 is not.
            ("113/02/29", Some("2024-02-29")),
            ("112/02/29", None),
            ("113/02/30", None),
            ("113/13/01", None),
            ("民國0年1月1日", None),
            ("0/01/01", None),
            // Mixed separators, a year last, a one-digit year: not read.
            ("113/03-20", None),
            ("20/03/2024", None),
            ("03/20/2024", None),
            ("9/03/20", None),
            ("2024/03/20", None),
            ("2024.3.20", None),
            ("１２３４-01-01", None),
            ("民國113年3月", None),
            ("today", None),
            ("", None),
        ] {
            let got = Date::read(text).ok().map(|(d, _)| d.to_string());
            assert_eq!(got.as_deref(), want, "{text:?}");
        }
    }

    #[test]
    fn errors_show_the_iso_form_to_write() {
        let write = |t: &str| Date::read(t).err().map(|e| e.write);
        assert_eq!(write("2024/03/20"), Some(vec!["2024-03-20".to_owned()]));
        assert_eq!(write("20/03/2024"), Some(vec!["2024-03-20".to_owned()]));
        let both = Date::read("03/04/2024").err().unwrap_or_else(|| panic!());
        assert_eq!(both.write, ["2024-04-03", "2024-03-04"]);
        assert!(
            both.help().en.contains("2024-04-03 or 2024-03-04"),
            "{both:?}"
        );
        assert!(
            both.help().zh.contains("2024-04-03 或 2024-03-04"),
            "{both:?}"
        );
        let impossible = Date::read("113/02/30").err().unwrap_or_else(|| panic!());
        let message = &impossible.message;
        assert!(message.en.contains("2024-02-30"), "{message:?}");
        assert!(message.zh.contains("民國113年2月30日"), "{message:?}");
        assert_eq!(Date::read("113/03/20").map(|(_, roc)| roc), Ok(true));
        assert_eq!(Date::read("2024-03-20").map(|(_, roc)| roc), Ok(false));
    }

    #[test]
    fn messages_get_roc_years_beside_iso_dates() {
        use super::with_roc_years;
        assert_eq!(
            with_roc_years("證書於 2026-01-31 到期，期限 2024-03-20。"),
            "證書於 2026-01-31（民國115年1月31日） 到期，期限 2024-03-20（民國113年3月20日）。"
        );
        for unchanged in [
            "2025-07-10T10:00:00+08:00",
            "12024-03-20",
            "2024-03-201",
            "2024-02-30",
            "no date",
            "民國",
        ] {
            assert_eq!(with_roc_years(unchanged), unchanged);
        }
    }

    #[test]
    fn dates_show_as_roc_years() {
        let date = Date::parse("2024-03-20").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(date.roc().as_deref(), Some("民國113年3月20日"));
        let early = Date::parse("1900-01-01").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(early.roc(), None);
    }

    #[test]
    fn deserialising_collects_the_normalised_dates() {
        let (dates, seen) = super::collect_normalised(|| {
            ["\"2024-03-20\"", "\"113/03/21\""].map(|t| serde_json::from_str::<Date>(t).ok())
        });
        assert!(dates.iter().all(Option::is_some));
        assert_eq!(seen.len(), 1);
        assert_eq!(seen.first().map(|n| n.written.as_str()), Some("113/03/21"));
        let (_, outside) = super::collect_normalised(|| ());
        assert!(outside.is_empty());
    }

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
