#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! The regulation's time limits, counted as 行政程序法第四十八條 counts them:
//! from the day after the event, to the end of the last day, moved to the
//! next working day past Saturdays, Sundays and holidays.

use niacheck::Date;

/// One checker for every test of this file.
static CHECKER: std::sync::LazyLock<niacheck::Checker> =
    std::sync::LazyLock::new(|| niacheck::Checker::new().unwrap());

#[test]
fn deadline_table() {
    let checker = &*CHECKER;
    let calendar = checker.calendar();
    // (deadline, event day, last day, why)
    let cases = [
        (
            "fax-document",
            "2025-02-03",
            "2025-02-06",
            "Monday + 3 = Thursday",
        ),
        (
            "fax-document",
            "2025-02-05",
            "2025-02-10",
            "Wednesday + 3 = Saturday -> Monday",
        ),
        (
            "fax-document",
            "2025-02-06",
            "2025-02-10",
            "Thursday + 3 = Sunday -> Monday",
        ),
        (
            "fax-document",
            "2025-02-07",
            "2025-02-10",
            "Friday + 3 = Monday",
        ),
        (
            "fax-document",
            "2025-02-08",
            "2025-02-11",
            "a fax on Saturday: + 3 = Tuesday",
        ),
        (
            "fax-document",
            "2025-02-25",
            "2025-03-03",
            "+ 3 = 2/28 和平紀念日, then the weekend -> Monday",
        ),
        (
            "fax-document",
            "2026-02-13",
            "2026-02-23",
            "+ 3 = 2/16, in the Lunar New Year holidays -> 2/23",
        ),
        (
            "inquiry",
            "2026-12-22",
            "2026-12-28",
            "+ 3 = 12/25 行憲紀念日 (Friday) -> Monday",
        ),
        ("inquiry", "2026-11-24", "2026-11-27", "an ordinary week"),
        (
            "lost-certificate",
            "2025-06-06",
            "2025-06-09",
            "Friday: the next working day is Monday",
        ),
        (
            "lost-certificate",
            "2025-10-09",
            "2025-10-13",
            "the next day is 國慶日, then the weekend",
        ),
        (
            "lost-certificate",
            "2026-11-25",
            "2026-11-26",
            "Wednesday: Thursday",
        ),
    ];
    for (id, event, last, why) in cases {
        let event = Date::parse(event).unwrap();
        let got = calendar.deadline(id, event).and_then(Date::from_day_number);
        assert_eq!(
            got,
            Some(Date::parse(last).unwrap()),
            "{id} from {event}: {why}"
        );
    }
    assert_eq!(
        calendar.deadline("no-such-deadline", Date::parse("2026-01-01").unwrap()),
        None
    );
}

#[test]
fn weekends_and_holidays_are_days_off() {
    let checker = &*CHECKER;
    let calendar = checker.calendar();
    for (day, off) in [
        ("2026-11-27", false),
        ("2026-11-28", true),
        ("2026-11-29", true),
        ("2025-02-28", true),
        ("2025-10-10", true),
        ("2025-10-13", false),
    ] {
        assert_eq!(calendar.is_day_off(Date::parse(day).unwrap()), off, "{day}");
    }
}
